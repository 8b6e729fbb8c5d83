"""The gallery store: sign entries (video, landmarks, thumbnail, metadata) and their index."""

from signlookup.gallery.errors import GalleryBusyError, GalleryDamagedError, GalleryError
from signlookup.gallery.importer import (
    KNOWN_SOURCES,
    ImportReport,
    export_gallery,
    import_folder,
    parse_filename,
)
from signlookup.gallery.store import Entry, Gallery, RepairReport, normalise_gloss

__all__ = [
    "KNOWN_SOURCES",
    "Entry",
    "Gallery",
    "GalleryBusyError",
    "GalleryDamagedError",
    "GalleryError",
    "ImportReport",
    "RepairReport",
    "export_gallery",
    "import_folder",
    "normalise_gloss",
    "parse_filename",
]

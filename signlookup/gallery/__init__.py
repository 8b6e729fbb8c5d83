"""The gallery store: sign entries (video, landmarks, thumbnail, metadata) and their index."""

from signlookup.gallery.errors import GalleryBusyError, GalleryDamagedError, GalleryError
from signlookup.gallery.folder import Entry, normalise_gloss
from signlookup.gallery.importer import (
    KNOWN_SOURCES,
    ImportReport,
    export_gallery,
    import_folder,
    parse_filename,
)
from signlookup.gallery.repair import RepairReport
from signlookup.gallery.store import Gallery

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

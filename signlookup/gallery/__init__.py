"""The gallery store: sign entries (video, landmarks, thumbnail, metadata) and their index."""

from signlookup.gallery.importer import KNOWN_SOURCES, import_folder, parse_filename
from signlookup.gallery.store import (
    Entry,
    Gallery,
    GalleryError,
    ImportReport,
    RepairReport,
    normalise_gloss,
)

__all__ = [
    "KNOWN_SOURCES",
    "Entry",
    "Gallery",
    "GalleryError",
    "ImportReport",
    "RepairReport",
    "import_folder",
    "normalise_gloss",
    "parse_filename",
]

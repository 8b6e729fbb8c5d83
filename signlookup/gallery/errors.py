"""Exceptions of the gallery layer; every one carries a message a user can act on."""

from __future__ import annotations


class GalleryError(Exception):
    """A user-facing gallery problem (not a gallery, newer schema, unknown entry, bad input)."""


class GalleryDamagedError(GalleryError):
    """The database or ``media/`` is missing, empty or unreadable: nothing was changed."""


class GalleryBusyError(GalleryError):
    """Another program kept the gallery locked for longer than we waited."""

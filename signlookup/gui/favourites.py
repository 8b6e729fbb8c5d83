"""Favourite signs: starred gallery entries, kept per gallery in the app's settings.

A learner stars the signs they want to come back to (from the results or the Gallery view) and
finds them again in a "Favourites" list next to the recent look-ups. Stored in QSettings under
the gallery folder's path and the entries' ids, so another gallery has its own favourites and a
deleted sign simply drops out of the list (its id is never reused).
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtWidgets import QComboBox, QToolButton, QWidget

from signlookup.gallery import Entry
from signlookup.gui.services import GalleryHandle


class Favourites(QObject):
    """The starred entry ids of the open gallery (see module docstring)."""

    changed = Signal()

    def __init__(self, store: QSettings, gallery: GalleryHandle) -> None:
        super().__init__()
        self._store = store
        self._gallery = gallery
        gallery.changed.connect(self.changed)  # entries renamed, deleted or loaded

    def _key(self) -> str | None:
        folder = self._gallery.folder
        if folder is None:
            return None
        digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
        return f"favourites/{digest}"  # a path is no valid settings key on every platform

    def ids(self) -> list[int]:
        """Starred entry ids, oldest star first."""
        key = self._key()
        if key is None:
            return []
        value = self._store.value(key, [])
        items = [value] if isinstance(value, str | int) else list(value or [])
        out = []
        for item in items:
            try:
                out.append(int(item))
            except (TypeError, ValueError):
                continue  # a hand-edited settings file: ignore what is not an id
        return out

    def contains(self, entry_id: int) -> bool:
        return entry_id in self.ids()

    def set_starred(self, entry_id: int, starred: bool) -> None:
        key = self._key()
        if key is None or starred == self.contains(entry_id):
            return
        ids = [i for i in self.ids() if i != entry_id] + ([entry_id] if starred else [])
        self._store.setValue(key, [str(i) for i in ids])
        self._store.sync()
        self.changed.emit()

    def entries(self) -> list[Entry]:
        """The starred signs still in the gallery, in the order they were starred."""
        by_id = {e.id: e for e in self._gallery.entries}
        return [by_id[i] for i in self.ids() if i in by_id]


class FavouriteButton(QToolButton):
    """A star that marks the shown gallery sign as a favourite (disabled when none is shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._favourites: Favourites | None = None
        self._entry_id: int | None = None
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setAccessibleName(self.tr("Favourite"))
        self.setEnabled(False)
        self._show_state(False)
        self.toggled.connect(self._on_toggled)

    def bind(self, favourites: Favourites) -> None:
        self._favourites = favourites
        favourites.changed.connect(self._refresh)
        self._refresh()

    def set_entry(self, entry_id: int | None) -> None:
        """The sign the star is about (None: nothing to star)."""
        self._entry_id = entry_id
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        starred = (
            self._favourites is not None
            and self._entry_id is not None
            and self._favourites.contains(self._entry_id)
        )
        self.setEnabled(self._favourites is not None and self._entry_id is not None)
        self.blockSignals(True)
        self.setChecked(starred)
        self.blockSignals(False)
        self._show_state(starred)

    def _show_state(self, starred: bool) -> None:
        self.setText("★" if starred else "☆")
        self.setToolTip(
            self.tr("Remove from favourites") if starred else self.tr("Add to favourites")
        )

    @Slot(bool)
    def _on_toggled(self, starred: bool) -> None:
        if self._favourites is not None and self._entry_id is not None:
            self._favourites.set_starred(self._entry_id, starred)
        self._show_state(starred)


class FavouritesCombo(QComboBox):
    """The favourite signs: choosing one emits ``chosen`` with its gallery entry."""

    chosen = Signal(object)  # Entry

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._favourites: Favourites | None = None
        self._entries: list[Entry] = []
        self.setAccessibleName(self.tr("Favourites"))
        self.setToolTip(self.tr("Your favourite signs: choose one to play it"))
        self.setPlaceholderText(self.tr("★ Favourites"))
        self.setMinimumContentsLength(12)
        self.activated.connect(self._on_activated)

    def bind(self, favourites: Favourites) -> None:
        self._favourites = favourites
        favourites.changed.connect(self._refresh)
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        self._entries = self._favourites.entries() if self._favourites is not None else []
        self.blockSignals(True)
        self.clear()
        for entry in self._entries:
            self.addItem(f"★ {entry.gloss}")
        self.setCurrentIndex(-1)
        self.blockSignals(False)
        self.setEnabled(bool(self._entries))

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        if 0 <= index < len(self._entries):
            self.chosen.emit(self._entries[index])

"""Gallery entries as a table model, with a proxy that filters by gloss, language, source and
the handshape / place facets."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from signlookup.facets import GalleryFacets
from signlookup.gallery import KNOWN_SOURCES, Entry

EntryRole = Qt.ItemDataRole.UserRole + 1
_COLUMNS = ("gloss", "language", "source", "frames", "added")


def source_label(code: str) -> str:
    """A dictionary's short name for a source code ("ne" -> "INES"); other sources as stored."""
    name = KNOWN_SOURCES.get(code.lower(), "")
    return name.split(" (", 1)[0] if name else code


def _normal(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


_ROOT = QModelIndex()


class GalleryTableModel(QAbstractTableModel):
    """One row per gallery entry (``signlookup.gallery.Entry``)."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[Entry] = []
        self._headers = (
            self.tr("Gloss"),
            self.tr("Language"),
            self.tr("Source"),
            self.tr("Frames"),
            self.tr("Added"),
        )

    def set_entries(self, entries: list[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == EntryRole:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = _COLUMNS[index.column()]
            if column == "added":
                return str(entry.added_at)[:10]
            if column == "source":
                if role == Qt.ItemDataRole.ToolTipRole:
                    return entry.attribution or source_label(entry.source)
                return source_label(entry.source)
            if column == "frames":
                return entry.frames
            return getattr(entry, column)
        return None


class GalleryFilter(QSortFilterProxyModel):
    """Rows whose gloss contains the text (accents and case ignored), match language/source,
    and have the chosen handshape cluster and place (``set_facets``)."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._language = ""
        self._source = ""
        self._facets: GalleryFacets | None = None
        self._handshape: int | None = None
        self._location: str | None = None
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filter(self, text: str, language: str = "", source: str = "") -> None:
        self._text, self._language, self._source = _normal(text.strip()), language, source
        self.invalidateFilter()

    def set_facets(
        self, facets: GalleryFacets | None, handshape: int | None, location: str | None
    ) -> None:
        """Keep entries of handshape cluster ``handshape`` and region ``location`` (None: any);
        without ``facets`` (not computed yet) nothing is filtered by them."""
        self._facets, self._handshape, self._location = facets, handshape, location
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        entry = model.data(model.index(row, 0, parent), EntryRole)
        if entry is None:
            return False
        if self._text and self._text not in _normal(entry.gloss):
            return False
        if self._language and entry.language != self._language:
            return False
        if self._source and entry.source != self._source:
            return False
        return self._facets is None or self._facets.matches(
            entry.id, self._handshape, self._location
        )

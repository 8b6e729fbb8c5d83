"""Ranked search results as an item model, painted as cards (thumbnail, gloss, score bar).

Thumbnails are read into QImages in the search worker, so the view never touches the disk
while painting. Looping frames (``set_frames``, decoded elsewhere by
``ThumbnailAnimator``) replace the static thumbnail once ready; ``advance`` moves every loop one
frame and repaints only the rows it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from signlookup.gui.gallery_model import source_label

if TYPE_CHECKING:
    from signlookup.search import SearchResult

ScoreRole = Qt.ItemDataRole.UserRole + 1
ThumbnailRole = Qt.ItemDataRole.UserRole + 2
ResultRole = Qt.ItemDataRole.UserRole + 3

CARD = QSize(168, 196)


@dataclass(frozen=True)
class ResultCard:
    """What the grid shows of one result: the library's result plus its decoded thumbnail."""

    result: SearchResult
    thumbnail: QImage | None

    @property
    def gloss(self) -> str:
        return str(self.result.gloss)

    @property
    def score(self) -> float:
        return float(self.result.score)

    @property
    def video_path(self) -> Path | None:
        return self.result.video_path

    @property
    def pose_path(self) -> Path:
        return self.result.pose_path

    @property
    def key(self) -> int:
        """Identifies the gallery entry across searches: the looping-frame cache key."""
        return self.result.entry_id


def load_thumbnail(path: Path | None) -> QImage | None:
    """A thumbnail file as a QImage, None when absent or unreadable (worker thread)."""
    if path is None or not Path(path).is_file():
        return None
    image = QImage(str(path))
    return None if image.isNull() else image


_ROOT = QModelIndex()


class ResultsModel(QAbstractListModel):
    """Results in rank order; replaced as a whole on each search."""

    def __init__(self) -> None:
        super().__init__()
        self._cards: list[ResultCard] = []
        self._images: list[QImage | None] = []
        self._frames: dict[int, list[QImage]] = {}
        self._tick = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def set_results(self, cards: list[ResultCard]) -> None:
        self.beginResetModel()
        self._cards = list(cards)
        self._images = [c.thumbnail for c in cards]
        self._frames = {}
        self.endResetModel()

    def set_frames(self, key: int, frames: list[QImage]) -> None:
        """Loop ``frames`` in place of the static thumbnail of the card(s) of entry ``key``."""
        self._frames[key] = frames

    @property
    def has_frames(self) -> bool:
        return bool(self._frames)

    def advance(self, rows: list[int]) -> None:
        """Next frame of every loop; only ``rows`` (the visible ones) are told to repaint."""
        self._tick += 1
        for row in rows:
            if self._loop(row) is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index, [ThumbnailRole])

    def _loop(self, row: int) -> list[QImage] | None:
        return self._frames.get(self._cards[row].key)

    def clear(self) -> None:
        self.set_results([])

    def card(self, row: int) -> ResultCard:
        return self._cards[row]

    @property
    def cards(self) -> list[ResultCard]:
        return list(self._cards)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.gloss
        if role == Qt.ItemDataRole.ToolTipRole:
            where = " · ".join(
                p for p in (card.result.language, source_label(card.result.source)) if p
            )
            return f"{card.gloss} ({where}) {card.score:.3f}" if where else card.gloss
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{index.row() + 1}. {card.gloss}, {card.score:.2f}"
        if role == ScoreRole:
            return card.score
        if role == ThumbnailRole:
            loop = self._loop(index.row())
            return loop[self._tick % len(loop)] if loop else self._images[index.row()]
        if role == ResultRole:
            return card.result
        return None


class ResultDelegate(QStyledItemDelegate):
    """A card: rank badge, thumbnail, gloss in bold, score as a number and a bar."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return CARD

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)  # type: ignore[attr-defined]
        painter.setPen(
            QColor(palette.color(QPalette.ColorRole.Highlight))
            if selected or focused
            else QColor("#c8ced6")
        )
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 8, 8)
        if selected:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(40)
            painter.setBrush(highlight)
            painter.drawRoundedRect(rect, 8, 8)

        thumb_rect = QRect(rect.x() + 8, rect.y() + 8, rect.width() - 16, rect.height() - 68)
        image = index.data(ThumbnailRole)
        if isinstance(image, QImage) and not image.isNull():
            size = image.size().scaled(thumb_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(thumb_rect.center())
            painter.drawImage(target, image)
        else:
            painter.fillRect(thumb_rect, QColor("#e9edf1"))

        rank = index.row() + 1
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#264653"))
        painter.drawEllipse(QRect(rect.x() + 4, rect.y() + 4, 24, 24))
        painter.setPen(QColor("white"))
        painter.drawText(
            QRect(rect.x() + 4, rect.y() + 4, 24, 24), Qt.AlignmentFlag.AlignCenter, str(rank)
        )

        font = QFont(option.font)  # type: ignore[attr-defined]
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        text_rect = QRect(rect.x() + 8, thumb_rect.bottom() + 6, rect.width() - 16, 22)
        gloss = painter.fontMetrics().elidedText(
            str(index.data()), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, gloss
        )

        score = float(index.data(ScoreRole) or 0.0)
        painter.setFont(option.font)  # type: ignore[attr-defined]
        score_rect = QRect(rect.x() + 8, text_rect.bottom() + 4, rect.width() - 16, 18)
        painter.drawText(
            score_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{score:.2f}"
        )
        bar = QRect(score_rect.x(), score_rect.center().y() - 3, score_rect.width() - 44, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e1e5ea"))
        painter.drawRoundedRect(bar, 3, 3)
        painter.setBrush(QColor("#2a9d8f"))
        painter.drawRoundedRect(
            QRect(bar.x(), bar.y(), round(bar.width() * max(0.0, min(score, 1.0))), 6), 3, 3
        )
        painter.restore()

"""Facets beside the results: handshape chips drawn as hand skeletons, place chips, and the
"no close match" banner.

It listens to the search controller's results and asks the gallery's request worker (the app's
one worker model, ``GalleryHandle.read``; the first call calibrates the gallery and reads its
facet cache) for the verdict and the facets; they come back to a GUI-thread slot. It emits ``banner`` (a text for the results hint) and ``reordered`` (the same result
cards, the ones matching the chosen chips first). The query's own detected handshape and place
are outlined as suggestions; nothing is filtered until the user clicks.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from signlookup.facets import NO_HANDSHAPE, REGIONS, apply_facets, sign_facets
from signlookup.gui.results_model import ResultCard
from signlookup.pose.layout import HAND_BONES

CHIP = QSize(40, 40)
# A suggested place chip: dashed outline, still visibly checked when clicked.
SUGGESTED_STYLE = (
    "QToolButton { border: 2px dashed #1e78c8; border-radius: 3px; padding: 2px 5px; }"
    "QToolButton:checked { background: #cde0f3; }"
)
ANY = 10_000  # button id of "any handshape" / "any place" (Qt reserves -1 for "assign one")


class HandshapeChip(QToolButton):
    """A checkable button showing one handshape of the inventory as a small hand skeleton."""

    def __init__(self, points: Any, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points = [(float(x), float(y)) for x, y in points]
        self.suggested = False
        self.setCheckable(True)
        self.setFixedSize(CHIP)
        self.setToolTip(tooltip)
        self.setAccessibleName(tooltip)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 10
        x0, y0 = (self.width() - side) / 2, (self.height() - side) / 2
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        painter.setPen(QPen(colour, 1.6))
        pts = [QPointF(x0 + x * side, y0 + y * side) for x, y in self.points]
        for a, b in HAND_BONES:
            painter.drawLine(pts[a], pts[b])
        if self.suggested:
            painter.setPen(QPen(QColor(30, 120, 200), 2, Qt.PenStyle.DashLine))
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()


class FacetChips(QWidget):
    """Handshape chips (the gallery inventory's representatives drawn as hand skeletons) and
    place chips, each group with "any"; ``selection_changed`` fires on a click. Used beside the
    search results (``FacetPanel``) and above the gallery table."""

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, stacked: bool = False) -> None:
        super().__init__(parent)
        self._facets: Any = None
        self.shape_group = QButtonGroup(self)
        self.place_group = QButtonGroup(self)
        self._shape_row = QHBoxLayout()
        self._shape_row.setSpacing(2)
        place_row = QHBoxLayout()
        place_row.setSpacing(2)
        names = {"head": self.tr("head"), "face": self.tr("face"), "chest": self.tr("chest"),
                 "neutral": self.tr("neutral space"), "other_hand": self.tr("other hand")}  # fmt: skip
        self.place_buttons: dict[str, QToolButton] = {}
        for button_id, key in [(ANY, ""), *enumerate(REGIONS)]:
            button = QToolButton()
            button.setText(names.get(key, self.tr("any")))
            button.setCheckable(True)
            button.setProperty("region", key or None)
            self.place_group.addButton(button, button_id)
            place_row.addWidget(button)
            if key:
                self.place_buttons[key] = button
        self.place_group.button(ANY).setChecked(True)
        shapes = QHBoxLayout()
        shapes.addWidget(QLabel(self.tr("Handshape:")))
        shapes.addLayout(self._shape_row)
        places = QHBoxLayout()
        places.addWidget(QLabel(self.tr("Place:")))
        places.addLayout(place_row)
        if stacked:  # two rows: fits the narrower gallery list
            layout: QHBoxLayout | QVBoxLayout = QVBoxLayout(self)
            for row in (shapes, places):
                row.addStretch(1)
                layout.addLayout(row)
        else:
            layout = QHBoxLayout(self)
            layout.addLayout(shapes)
            layout.addSpacing(12)
            layout.addLayout(places)
            layout.addStretch(1)
        layout.setContentsMargins(0, 0, 0, 0)
        self.shape_group.idClicked.connect(self._on_clicked)
        self.place_group.idClicked.connect(self._on_clicked)

    @Slot(int)
    def _on_clicked(self, _id: int) -> None:
        self.selection_changed.emit()

    @property
    def facets(self) -> Any:
        """The ``GalleryFacets`` the chips show (None until set)."""
        return self._facets

    def set_facets(self, facets: Any) -> None:
        """Show a gallery's inventory (chips rebuilt only when it changed; the choice is kept
        when that handshape still exists)."""
        if facets is self._facets:
            return
        chosen = self.shape_group.checkedId()
        self._facets = facets
        self._rebuild_shapes()
        button = self.shape_group.button(chosen) or self.shape_group.button(ANY)
        button.setChecked(True)

    def suggest(self, handshape: int, region: str | None) -> None:
        """Outline (dashed) a handshape and a place as suggestions, without choosing them."""
        for button in self.shape_group.buttons():
            if isinstance(button, HandshapeChip):
                button.suggested = self.shape_group.id(button) == handshape
                button.update()
        for key, button in self.place_buttons.items():
            button.setStyleSheet(SUGGESTED_STYLE if key == region else "")

    def reset(self) -> None:
        """Back to "any" handshape and "any" place."""
        self.shape_group.button(ANY).setChecked(True)
        self.place_group.button(ANY).setChecked(True)

    def _rebuild_shapes(self) -> None:
        for button in self.shape_group.buttons():
            self.shape_group.removeButton(button)
            self._shape_row.removeWidget(button)
            button.deleteLater()
        any_button = QToolButton()
        any_button.setText(self.tr("any"))
        any_button.setCheckable(True)
        any_button.setFixedHeight(CHIP.height())
        self.shape_group.addButton(any_button, ANY)
        self._shape_row.addWidget(any_button)
        for cluster in self._facets.clusters if self._facets is not None else []:
            tip = self.tr("Handshape %1 (%2 signs)").replace("%1", str(cluster.id))
            chip = HandshapeChip(cluster.points, tip.replace("%2", str(cluster.size)))
            self.shape_group.addButton(chip, cluster.id)
            self._shape_row.addWidget(chip)

    def selection(self) -> tuple[int | None, str | None]:
        """The chosen handshape id and region (None: any)."""
        shape = self.shape_group.checkedId()
        place = self.place_group.checkedButton()
        return (None if shape in (ANY, -1) else shape), (
            place.property("region") if place is not None else None
        )


class FacetPanel(FacetChips):
    """The chips for the current search results, and the no-close-match banner."""

    banner = Signal(str)
    reordered = Signal(object)  # list[ResultCard]
    # the verdict and facets of the current results arrived (on the GUI thread)
    computed = Signal()

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._generation = 0
        self._cards: list[ResultCard] = []
        self._suggested: tuple[int, str | None] = (NO_HANDSHAPE, None)
        self.verdict: Any = None
        self.selection_changed.connect(self._apply)
        self.setEnabled(False)

    # --- results in ----------------------------------------------------------------------------

    def on_results(self, cards: list[ResultCard]) -> None:
        """New search results: their verdict and facets are computed in the request worker."""
        self._generation += 1
        self._cards = list(cards)
        gallery = self.controller.gallery
        query = getattr(self.controller, "query", None)
        if gallery.searcher is None or not cards:
            self.setEnabled(False)
            return
        generation, results = self._generation, [c.result for c in cards]
        seq = query.trimmed if query is not None else None

        def compute(searcher: Any, cancel: Any) -> tuple:
            verdict = searcher.verdict(results)
            cancel.check()
            facets = searcher.facets()
            own = (NO_HANDSHAPE, None)
            if seq is not None:
                with contextlib.suppress(ValueError):  # no shoulders: no facets of its own
                    f = sign_facets(seq)
                    own = (facets.classify(f), f.region)
            return verdict, facets, own

        gallery.read(
            compute,
            lambda payload: self._on_computed(generation, payload),
            lambda _exc: None,  # the gallery closed or changed under it: no facets this time
            key="facets",
        )

    def _on_computed(self, generation: int, payload: tuple) -> None:
        if generation != self._generation:
            return
        self.verdict, facets, self._suggested = payload
        self.set_facets(facets)
        self.suggest(*self._suggested)
        self.reset()
        self.setEnabled(True)
        if not self.verdict.close_match:
            self.banner.emit(self.no_match_text([c.gloss for c in self._cards[:3]]))
        self.computed.emit()

    @property
    def suggested(self) -> tuple[int, str | None]:
        """The query's own detected handshape id and region (NO_HANDSHAPE / None: unknown)."""
        return self._suggested

    # --- a click -------------------------------------------------------------------------------

    @Slot()
    def _apply(self) -> None:
        """Re-rank the current cards: those matching the chosen chips first."""
        if self._facets is None:
            return
        shape, place = self.selection()
        by_entry = {c.result.entry_id: c for c in self._cards}
        ranked = apply_facets([c.result for c in self._cards], self._facets, shape, place, "rerank")
        self.reordered.emit([ResultCard(r, by_entry[r.entry_id].thumbnail) for r in ranked])

    def no_match_text(self, closest: list[str]) -> str:
        """The results hint when the verdict finds no close match."""
        return self.tr("No close match in this gallery; the closest are: %1.").replace(
            "%1", ", ".join(closest)
        )

    def shutdown(self) -> None:
        """Ignore any answer still on its way (the window joins the request worker)."""
        self._generation += 1

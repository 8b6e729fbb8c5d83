"""pyqtgraph plots: hand-motion energy with a draggable trim span, and result scores as bars.

The trim span is the timeline the user adjusts; it reports whole frame indices.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

pg.setConfigOptions(antialias=True, background="w", foreground="#333")


class _FixedPlot(pg.PlotWidget):
    """A plot that shows data rather than being explored: no menu, no pan or zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(80)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.getPlotItem().getAxis("left").setWidth(36)


class EnergyPlot(_FixedPlot):
    """Motion energy per frame (x in seconds); the shaded region is the trimmed span."""

    trim_changed = Signal(int, int)  # start frame, stop frame (exclusive)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLabel("bottom", "s")
        self._curve = self.plot([], [], pen=pg.mkPen("#264653", width=2))
        self._playhead = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#e63946", width=1))
        self._playhead.setVisible(False)
        self.addItem(self._playhead)
        self._region = pg.LinearRegionItem(
            values=(0, 1), brush=pg.mkBrush(42, 157, 143, 60), swapMode="block"
        )
        self._region.setZValue(-10)
        self._region.setVisible(False)
        self.addItem(self._region)
        self._region.sigRegionChangeFinished.connect(self._on_region)
        self._fps = 30.0
        self._frames = 0
        self._quiet = False

    def set_energy(self, energy: np.ndarray, fps: float) -> None:
        self._fps = fps if fps > 0 else 30.0
        self._frames = len(energy)
        t = np.arange(len(energy)) / self._fps
        self._curve.setData(t, energy)
        if len(energy):
            self._region.setBounds((0, (len(energy) - 1) / self._fps))
        self._region.setVisible(len(energy) > 0)
        self.setXRange(0, max(t[-1] if len(t) else 1.0, 0.1), padding=0.02)

    def set_trim(self, start: int, stop: int) -> None:
        """Show a span without emitting ``trim_changed`` (that is for the user's drags)."""
        self._quiet = True
        self._region.setRegion((start / self._fps, max(stop - 1, start) / self._fps))
        self._quiet = False

    def trim(self) -> tuple[int, int]:
        lo, hi = self._region.getRegion()
        start = round(lo * self._fps)
        stop = round(hi * self._fps) + 1
        return max(0, start), min(self._frames, max(stop, start + 2))

    def set_playhead(self, frame: int | None) -> None:
        self._playhead.setVisible(frame is not None)
        if frame is not None:
            self._playhead.setValue(frame / self._fps)

    def clear_plot(self) -> None:
        self._curve.setData([], [])
        self._region.setVisible(False)
        self._playhead.setVisible(False)
        self._frames = 0

    def _on_region(self) -> None:
        if not self._quiet and self._frames:
            self.trim_changed.emit(*self.trim())


class ScoreBars(_FixedPlot):
    """One bar per result, best first, labelled with its gloss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: pg.BarGraphItem | None = None

    def set_scores(
        self, glosses: list[str], scores: list[float], highlight: int | None = None
    ) -> None:
        if self._bars is not None:
            self.removeItem(self._bars)
            self._bars = None
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([list(enumerate(glosses))])
        if not scores:
            return
        brushes = [
            pg.mkBrush("#e76f51" if i == highlight else "#2a9d8f") for i in range(len(scores))
        ]
        self._bars = pg.BarGraphItem(
            x=np.arange(len(scores)), height=scores, width=0.7, brushes=brushes
        )
        self.addItem(self._bars)
        low = min(0.0, float(min(scores)))
        self.setYRange(low, max(1.0, float(max(scores))), padding=0.05)
        self.setXRange(-0.6, len(scores) - 0.4, padding=0)

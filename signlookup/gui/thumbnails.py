"""Looping video thumbnails for the results grid.

Each result's clip (or, for keypoint-only entries, a skeleton replay of its pose file) is decoded
off the GUI thread into a few small QImages, cached per entry id. One shared timer advances a
frame counter and repaints only the visible cards, so a grid of results costs the GUI thread
nothing but painting. Until an entry's frames are ready its static thumbnail is shown.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListView

from signlookup.gui.results_model import ResultCard, ResultsModel
from signlookup.gui.video_view import qimage_from_rgb, skeleton_image
from signlookup.gui.workers import CancelToken, TaskPool

THUMB_FPS = 12.0
THUMB_WIDTH = 144  # the card's picture area: no point decoding more pixels than are painted
THUMB_SECONDS = 3.0  # caps memory: 36 frames of 144x108 RGB is about 1.7 MB per entry
CACHE_ENTRIES = 64
#: Decodes at a time: the camera and the pose model need the other cores.
THUMB_THREADS = 1


def _frame_indices(source_fps: float, count: int | None) -> tuple[int, float]:
    """Source frames to read (at most THUMB_SECONDS) and the source-frame step for THUMB_FPS."""
    limit = round(THUMB_SECONDS * source_fps)
    if count is not None:
        limit = min(limit, count)
    return limit, max(source_fps / THUMB_FPS, 1.0)


def decode_clip(path: Path, cancel: CancelToken) -> list[QImage]:
    """The first seconds of a video as small QImages at about THUMB_FPS (worker thread)."""
    import cv2

    from signlookup.capture import VideoFileSource

    frames: list[QImage] = []
    with VideoFileSource(path) as source:
        limit, step = _frame_indices(float(source.fps), None)
        next_at = 0.0
        for i, frame in enumerate(source):
            if cancel.is_set() or i >= limit:
                break
            if i < next_at:
                continue
            next_at += step
            h, w = frame.image.shape[:2]
            size = (THUMB_WIDTH, max(1, round(h * THUMB_WIDTH / w)))
            frames.append(
                qimage_from_rgb(cv2.resize(frame.image, size, interpolation=cv2.INTER_AREA))
            )
    return frames


def render_pose(path: Path, cancel: CancelToken) -> list[QImage]:
    """A skeleton replay of a pose file's first seconds at about THUMB_FPS (worker thread)."""
    from signlookup.pose.io import load_npz

    seq = load_npz(path)
    limit, step = _frame_indices(seq.fps, len(seq))
    aspect = seq.aspect or 1.0
    height = max(1, round(THUMB_WIDTH / max(aspect, 0.5)))
    frames: list[QImage] = []
    at = 0.0
    while at < limit and not cancel.is_set():
        i = int(at)
        frames.append(skeleton_image(seq.points[i], seq.mask[i], THUMB_WIDTH, height))
        at += step
    return frames


def thumbnail_frames(card: ResultCard, cancel: CancelToken) -> list[QImage]:
    """The entry's video when it has one, else its skeleton; empty when neither can be read."""
    video = card.video_path
    if video is not None and Path(video).is_file():
        return decode_clip(Path(video), cancel)
    if card.pose_path.is_file():
        return render_pose(card.pose_path, cancel)
    return []


class ThumbnailAnimator(QObject):
    """Decodes the results' loops in a bounded pool and ticks the model for the visible cards.

    Follows the model: a reset (new results, cleared grid) discards decodes that are no longer
    wanted (queued ones return at once; none is waited for). ``stop()`` is for closing.
    """

    def __init__(self, model: ResultsModel, view: QListView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._view = view
        self._pool = TaskPool(max_threads=THUMB_THREADS, parent=self)
        self._cache: OrderedDict[int, list[QImage]] = OrderedDict()
        self._pending: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(round(1000 / THUMB_FPS))
        self._timer.timeout.connect(self._tick)
        model.modelReset.connect(self._on_reset)

    @property
    def running(self) -> bool:
        """True while the timer ticks or a decode job runs."""
        return self._timer.isActive() or self._pool.busy

    @Slot()
    def _on_reset(self) -> None:
        self._pool.discard_all()
        self._pending.clear()
        self._timer.stop()
        for card in self._model.cards:
            key = card.key
            if key in self._cache:
                self._cache.move_to_end(key)
                self._model.set_frames(key, self._cache[key])
            elif key not in self._pending:
                self._pending.add(key)
                self._pool.submit(
                    lambda cancel, _p, c=card: thumbnail_frames(c, cancel),
                    lambda frames, k=key: self._on_frames(k, frames),
                    lambda _exc, k=key: self._pending.discard(k),  # keep the static thumbnail
                )
        self._update_timer()

    def _on_frames(self, key: int, frames: list[QImage]) -> None:
        self._pending.discard(key)
        if not frames:
            return
        self._cache[key] = frames
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        self._model.set_frames(key, frames)
        self._update_timer()

    def _update_timer(self) -> None:
        if self._model.has_frames and not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _tick(self) -> None:
        if not self._view.isVisible():
            return  # another tab is showing: nothing to repaint
        viewport = self._view.viewport().rect()
        rows = [
            r
            for r in range(self._model.rowCount())
            if self._view.visualRect(self._model.index(r)).intersects(viewport)
        ]
        self._model.advance(rows)

    def stop(self, timeout_ms: int = 3000) -> None:
        """Stop the timer, discard every decode and wait (bounded) for them: closing only."""
        self._timer.stop()
        self._pool.shutdown(timeout_ms)
        self._pending.clear()


__all__ = ["ThumbnailAnimator", "decode_clip", "render_pose", "thumbnail_frames"]

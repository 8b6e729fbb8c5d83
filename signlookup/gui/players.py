"""Looping playback into a VideoView: the recorded query (images in memory) and a gallery match
(its video decoded in a worker, its stored landmarks painted on top, or the skeleton alone when
the entry has keypoints only). The match plays at a speed that makes its signing last as long
as the query's, so the two can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from signlookup.capture import Frame
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import CancelToken, CaptureWorker, Progress, TaskPool
from signlookup.pose.sequence import PoseSequence


class SequencePlayer(QObject):
    """Loops frames ``start:stop`` of in-memory images and/or landmarks with a GUI timer."""

    frame_shown = Signal(int)

    def __init__(self, view: VideoView) -> None:
        super().__init__(view)
        self._view = view
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self._images: list[QImage] = []
        self._seq: PoseSequence | None = None
        self._span = (0, 0)
        self._frame = 0

    def play(
        self,
        seq: PoseSequence,
        images: list[QImage] | None,
        span: tuple[int, int],
        speed: float = 1.0,
    ) -> None:
        self._seq = seq
        self._images = list(images or [])
        self._span = span
        self._frame = span[0]
        self._timer.start(max(10, round(1000 / (seq.fps * max(speed, 0.05)))))
        self._step()

    def set_span(self, span: tuple[int, int]) -> None:
        self._span = span
        self._frame = span[0]

    def stop(self) -> None:
        self._timer.stop()

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def _step(self) -> None:
        if self._seq is None:
            return
        start, stop = self._span
        if not start <= self._frame < stop:
            self._frame = start
        i = self._frame
        if self._images:
            self._view.set_frame(self._images[i])
        elif not self._view.has_frame or i == start:
            self._view.set_frame(np.full((240, 240, 3), 29, np.uint8))
        self._view.set_pose(self._seq.points[i], self._seq.mask[i])
        self.frame_shown.emit(i)
        self._frame += 1


class MatchPlayer(QObject):
    """Plays one gallery entry in a view: video + stored skeleton, or the skeleton alone."""

    def __init__(
        self, view: VideoView, pool: TaskPool, on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__(view)
        self._view = view
        self._pool = pool
        self._on_error = on_error
        self._worker: CaptureWorker | None = None
        self._skeleton = SequencePlayer(view)
        self._pose: PoseSequence | None = None
        self._generation = 0

    def play(
        self, video: Path | None, pose_path: Path | None, target_duration_s: float | None
    ) -> None:
        """Loop ``video`` (or the landmarks alone) so its active span lasts ``target_duration_s``."""
        self.stop()
        self._generation += 1
        generation = self._generation

        def work(_cancel: CancelToken, _p: Progress) -> tuple[PoseSequence | None, float]:
            from signlookup.gui.search_controller import analyse
            from signlookup.pose import PoseExtractionError
            from signlookup.pose.io import load_npz

            seq = (
                load_npz(pose_path) if pose_path is not None and Path(pose_path).is_file() else None
            )
            speed = 1.0
            if seq is not None and target_duration_s:
                try:
                    _energy, (start, stop) = analyse(seq)
                    speed = ((stop - start) / seq.fps) / target_duration_s
                except (ValueError, PoseExtractionError):  # no usable person: normal speed
                    speed = 1.0
            return seq, float(np.clip(speed, 0.25, 4.0))

        def done(result: tuple[PoseSequence | None, float]) -> None:
            if generation != self._generation:
                return
            self._start(video, *result)

        self._pool.submit(work, done, self._on_error)

    def _start(self, video: Path | None, seq: PoseSequence | None, speed: float) -> None:
        self._pose = seq
        if video is not None and Path(video).is_file():
            from signlookup.capture import VideoFileSource

            box = (self._view.width(), self._view.height())
            worker = CaptureWorker(
                lambda: VideoFileSource(video), loop=True, speed=speed, display_box=box
            )
            worker.frame_ready.connect(self._on_frame)
            worker.failed.connect(self._on_error)
            self._worker = worker
            worker.start()
        elif seq is not None:
            self._view.set_frame(None)
            self._skeleton.play(seq, None, (0, len(seq)), speed)

    @Slot(object, object)
    def _on_frame(self, frame: Frame, image: QImage) -> None:
        if self.sender() is not self._worker:
            return
        self._view.set_frame(image)
        seq = self._pose
        if seq is not None and frame.index < len(seq):
            self._view.set_pose(seq.points[frame.index], seq.mask[frame.index])

    def stop(self) -> None:
        self._generation += 1
        self._skeleton.stop()
        if self._worker is not None:
            self._worker.retire()  # no wait on the GUI thread
            self._worker = None

    def join(self, timeout_ms: int = 3000) -> None:
        """Stop and wait (bounded) for the playback thread: the window is closing."""
        worker, self._worker = self._worker, None
        self.stop()
        if worker is not None:
            worker.join(timeout_ms)

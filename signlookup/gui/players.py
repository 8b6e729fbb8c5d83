"""Looping playback into a VideoView: the recorded query (images in memory) and a gallery match
(its video decoded in a worker, its stored landmarks painted on top, or the skeleton alone when
the entry has keypoints only). The match plays at a speed that makes its signing last as long
as the query's, so the two can be compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSlider, QToolButton, QWidget

from signlookup.capture import Frame
from signlookup.gui.video_view import VideoView
from signlookup.gui.workers import CancelToken, CaptureWorker, Progress, TaskPool
from signlookup.pose.sequence import PoseSequence


class SequencePlayer(QObject):
    """Loops frames ``start:stop`` of in-memory images and/or landmarks with a GUI timer."""

    frame_shown = Signal(int)
    #: for a PlaybackBar's scrub slider: the frame shown, the clip's length in frames
    position = Signal(int)
    length = Signal(int)

    def __init__(self, view: VideoView) -> None:
        super().__init__(view)
        self._view = view
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self._images: list[QImage] = []
        self._seq: PoseSequence | None = None
        self._span = (0, 0)
        self._frame = 0
        self._speed = 1.0
        self._paused = False

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
        self._speed = speed
        self.length.emit(len(seq))
        self._restart_timer()
        self._step()

    def _restart_timer(self) -> None:
        if self._seq is None:
            return
        self._timer.setInterval(max(10, round(1000 / (self._seq.fps * max(self._speed, 0.05)))))
        if not self._paused:
            self._timer.start()

    def set_speed(self, speed: float) -> None:
        self._speed = speed
        self._restart_timer()

    def set_speed_factor(self, factor: float) -> None:
        """Slow motion from a PlaybackBar (the recording's own speed is 1)."""
        self.set_speed(factor)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        if paused:
            self._timer.stop()
        else:
            self._restart_timer()

    def step(self) -> None:
        """One frame forward (while paused)."""
        self._step()

    def set_span(self, span: tuple[int, int]) -> None:
        self._span = span
        self._frame = span[0]

    def seek(self, index: int) -> None:
        """Go to frame ``index`` (the scrub slider); shown at once when paused."""
        self._frame = index
        if self._paused:
            self._step()

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
        self.position.emit(i)
        self._frame += 1


class MatchPlayer(QObject):
    """Plays one gallery entry in a view: video + stored skeleton, or the skeleton alone."""

    #: the frame shown, and the clip's length in frames (0: unknown), for the scrub slider
    position = Signal(int)
    length = Signal(int)

    def __init__(
        self, view: VideoView, pool: TaskPool, on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__(view)
        self._view = view
        self._pool = pool
        self._on_error = on_error
        self._worker: CaptureWorker | None = None
        self._skeleton = SequencePlayer(view)
        self._skeleton.frame_shown.connect(self.position)
        self._pose: PoseSequence | None = None
        self._generation = 0
        self._speed = 1.0  # the speed that matches the query's duration
        self.speed_factor = 1.0  # the user's slow motion (0.25x .. 1x)
        self.paused = False

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
        self._speed = speed
        if video is not None and Path(video).is_file():
            from signlookup.capture import VideoFileSource

            box = (self._view.width(), self._view.height())
            worker = CaptureWorker(
                lambda: VideoFileSource(video),
                loop=True,
                speed=speed * self.speed_factor,
                display_box=box,
            )
            worker.paused = self.paused
            worker.opened.connect(self._on_opened)
            worker.frame_ready.connect(self._on_frame)
            worker.failed.connect(self._on_error)
            self._worker = worker
            worker.start()
        elif seq is not None:
            self._view.set_frame(None)
            self.length.emit(len(seq))
            self._skeleton.set_paused(self.paused)
            self._skeleton.play(seq, None, (0, len(seq)), speed * self.speed_factor)

    def set_speed_factor(self, factor: float) -> None:
        """Slow motion: ``factor`` times the speed that matches the query (1 = matched)."""
        self.speed_factor = factor
        if self._worker is not None:
            self._worker.speed = self._speed * factor  # read by the worker before each frame
        self._skeleton.set_speed(self._speed * factor)

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        if self._worker is not None:
            self._worker.paused = paused
        self._skeleton.set_paused(paused)

    def step(self) -> None:
        """Show the next frame while paused."""
        if not self.paused:
            self.set_paused(True)
        if self._worker is not None:
            self._worker.step_frames += 1
        else:
            self._skeleton.step()

    def seek(self, index: int) -> None:
        """Show frame ``index`` (the scrub slider); playback goes on from there unless paused."""
        if self._worker is not None:
            self._worker.seek_to = max(0, index)  # read by the worker before its next frame
        else:
            self._skeleton.seek(index)

    @Slot(str, float, int)
    def _on_opened(self, _name: str, _fps: float, frames: int) -> None:
        if self.sender() is self._worker:
            self.length.emit(frames)

    @Slot(object, object)
    def _on_frame(self, frame: Frame, image: QImage) -> None:
        if self.sender() is not self._worker:
            return
        self.position.emit(frame.index)
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


class PlaybackBar(QWidget):
    """Pause, a scrub slider, frame step, slow motion and mirror for a MatchPlayer's clip."""

    SPEEDS = (1.0, 0.75, 0.5, 0.25)

    def __init__(
        self,
        player: MatchPlayer | SequencePlayer,
        view: VideoView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._view = view
        self.pause_button = QToolButton()
        self.pause_button.setCheckable(True)
        self.pause_button.setText(self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Pause or play the clip"))
        self.step_button = QToolButton()
        self.step_button.setText("▶|")  # short: the bar fits a narrow pane with its slider
        self.step_button.setAccessibleName(self.tr("Next frame"))
        self.step_button.setToolTip(self.tr("Pause and show the next frame"))
        self.speed = QComboBox()
        self.speed.setAccessibleName(self.tr("Playback speed"))
        self.speed.setToolTip(self.tr("Slow motion"))
        for factor in self.SPEEDS:
            self.speed.addItem(f"{factor:g}×", factor)
        self.mirror = QCheckBox(self.tr("Mirror"))
        self.mirror.setToolTip(self.tr("Show the clip mirrored, to sign along with it"))
        self.scrub = QSlider(Qt.Orientation.Horizontal)
        self.scrub.setAccessibleName(self.tr("Position in the clip"))
        self.scrub.setToolTip(self.tr("Drag to go to a moment of the clip"))
        self.scrub.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.pause_button, self.step_button):
            layout.addWidget(widget)
        layout.addWidget(self.scrub, 1)
        for widget in (self.speed, self.mirror):
            layout.addWidget(widget)
        player.length.connect(self._on_length)
        player.position.connect(self._on_position)
        self.scrub.valueChanged.connect(self._on_scrubbed)
        self.pause_button.toggled.connect(self._on_paused)
        self.step_button.clicked.connect(self._on_step)
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.mirror.toggled.connect(view.set_mirrored)

    @Slot(int)
    def _on_length(self, frames: int) -> None:
        self.scrub.blockSignals(True)
        self.scrub.setRange(0, max(frames - 1, 0))
        self.scrub.setValue(0)
        self.scrub.blockSignals(False)
        self.scrub.setEnabled(frames > 1)

    @Slot(int)
    def _on_position(self, index: int) -> None:
        if not self.scrub.isSliderDown():  # the user's drag wins over the playing clip
            self.scrub.blockSignals(True)
            self.scrub.setValue(index)
            self.scrub.blockSignals(False)

    @Slot(int)
    def _on_scrubbed(self, index: int) -> None:
        self._player.seek(index)

    @Slot(bool)
    def _on_paused(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("▶ Play") if paused else self.tr("Pause"))
        self._player.set_paused(paused)

    @Slot()
    def _on_step(self) -> None:
        self.pause_button.setChecked(True)
        self._player.step()

    @Slot(int)
    def _on_speed(self, _index: int) -> None:
        self._player.set_speed_factor(float(self.speed.currentData()))

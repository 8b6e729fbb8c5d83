"""Worker threads: capture, pose extraction and one-shot jobs (analysis, search, gallery edits).

Every worker checks a stop flag (``isInterruptionRequested``) once per frame and is stopped with
``stop()`` (request + wait), never terminated. Results cross into the GUI thread only through
signals. The pose worker sees only the newest frame: when MediaPipe is slower than the camera,
stale frames are dropped instead of queueing up latency.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from signlookup.capture import Frame, FrameSource

os.environ.setdefault("GLOG_minloglevel", "2")  # before mediapipe loads in the pose worker

#: Longest side of the frame copies kept for replaying a recording (memory, not quality).
REPLAY_SIZE = 360


class FrameSlot:
    """Holds the newest frame for the pose worker; a new frame replaces an unread one.

    In lossless mode (video files) ``put`` waits until the previous frame was taken, so every
    frame of the file reaches MediaPipe; a camera never waits.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._generation = 0
        self.dropped = 0

    def put(self, frame: Frame, *, lossless: bool, stop: Callable[[], bool]) -> None:
        with self._cond:
            if lossless:
                while self._frame is not None and not stop():
                    self._cond.wait(0.05)
            elif self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._cond.notify_all()

    def take(self, timeout: float = 0.05) -> Frame | None:
        with self._cond:
            if self._frame is None:
                self._cond.wait(timeout)
            frame, self._frame = self._frame, None
            self._cond.notify_all()
            return frame

    def clear(self) -> None:
        with self._cond:
            self._frame = None
            self._cond.notify_all()


#: Threads that did not stop in time: kept referenced so they are never destroyed while running.
_STRAGGLERS: list[QThread] = []


class StoppableThread(QThread):
    """A QThread that is stopped by flag and joined, never terminated."""

    def stop(self, timeout_ms: int = 10_000) -> bool:
        self.requestInterruption()
        if self.wait(timeout_ms):
            return True
        _STRAGGLERS.append(self)  # a blocked camera read or a long extraction: let it end alone
        return False


class CaptureWorker(StoppableThread):
    """Reads a frame source at its own pace and hands frames to the GUI and the pose slot.

    ``realtime`` paces a file at its frame rate (a camera paces itself); ``speed`` > 1 plays
    faster; ``loop`` restarts a finite source at its end (result playback).
    """

    opened = Signal(str, float)  # source name, fps
    frame_ready = Signal(object)  # Frame
    ended = Signal()
    failed = Signal(object)  # exception

    def __init__(
        self,
        make_source: Callable[[], FrameSource],
        *,
        slot: FrameSlot | None = None,
        lossless: bool = False,
        realtime: bool = True,
        loop: bool = False,
        speed: float = 1.0,
    ) -> None:
        super().__init__()
        self._make_source = make_source
        self._slot = slot
        self._lossless = lossless
        self._realtime = realtime
        self._loop = loop
        self.speed = speed

    def run(self) -> None:
        try:
            while not self.isInterruptionRequested():
                self._play_once()
                if not self._loop:
                    break
        except Exception as exc:  # typed CaptureErrors and anything unexpected: one route
            self.failed.emit(exc)
            return
        if not self.isInterruptionRequested():
            self.ended.emit()

    def _play_once(self) -> None:
        with self._make_source() as source:
            self.opened.emit(source.name, float(source.fps))
            start = time.monotonic()
            for shown, frame in enumerate(source, 1):
                if self.isInterruptionRequested():
                    return
                self.frame_ready.emit(frame)
                if self._slot is not None:
                    self._slot.put(
                        frame, lossless=self._lossless, stop=self.isInterruptionRequested
                    )
                if self._realtime:
                    due = start + shown / (source.fps * max(self.speed, 0.05))
                    delay = due - time.monotonic()
                    if delay > 0:
                        self.msleep(int(delay * 1000))


def small_copy(image: np.ndarray, longest: int = REPLAY_SIZE) -> np.ndarray:
    """A downscaled copy for replay (keeps memory of a 10 s recording in tens of MB)."""
    import cv2

    h, w = image.shape[:2]
    scale = longest / max(h, w)
    if scale >= 1:
        return image.copy()
    return cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


class PoseWorker(StoppableThread):
    """Loads MediaPipe Holistic off the GUI thread, then runs it on the newest frame only.

    Lives as long as the window, so the model loads once; ``reset()`` starts a new clip
    (MediaPipe tracks across frames, which is wrong across a change of source).
    """

    loading = Signal()
    ready = Signal(str)  # model name
    pose_ready = Signal(
        object, object, object, object
    )  # Frame, points (75,3), mask (75,), small image
    failed = Signal(object)

    def __init__(self, slot: FrameSlot, make_extractor: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self._slot = slot
        self._make_extractor = make_extractor
        self._reset = threading.Event()

    def reset(self) -> None:
        self._reset.set()

    def _new_extractor(self) -> Any:
        if self._make_extractor is not None:
            return self._make_extractor()
        from signlookup.pose import HolisticExtractor

        return HolisticExtractor()

    def run(self) -> None:
        self.loading.emit()
        try:
            extractor = self._new_extractor()
        except Exception as exc:
            self.failed.emit(exc)
            return
        self.ready.emit("MediaPipe Holistic")
        try:
            while not self.isInterruptionRequested():
                if self._reset.is_set():
                    self._reset.clear()
                    extractor.close()
                    extractor = self._new_extractor()
                frame = self._slot.take(0.05)
                if frame is None:
                    continue
                points, mask = extractor.process(frame.image)
                self.pose_ready.emit(frame, points, mask, small_copy(frame.image))
        except Exception as exc:
            self.failed.emit(exc)
        finally:
            extractor.close()


class Job(StoppableThread):
    """Runs one callable off the GUI thread; ``done(result)`` or ``failed(exc)``.

    The callable receives a ``threading.Event`` it should check in loops (set by ``stop``) and a
    ``progress(done, total)`` callback.
    """

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, fn: Callable[[threading.Event, Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self._fn = fn
        self.cancel = threading.Event()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        self.cancel.set()
        return super().stop(timeout_ms)

    def run(self) -> None:
        try:
            result = self._fn(self.cancel, self.progress.emit)
        except Exception as exc:
            self.failed.emit(exc)
            return
        self.done.emit(result)  # also after a cancel: partial results (an import) still count


class JobRunner(QObject):
    """Keeps running jobs alive until they finish and stops them all on close.

    A finished job is released by a slot of this GUI-thread object (a queued call), never from
    the job's own thread: dropping the last reference to a QThread inside it aborts the process.
    """

    def __init__(self) -> None:
        super().__init__()
        self._jobs: set[Job] = set()

    def start(
        self,
        fn: Callable[[threading.Event, Callable[[int, int], None]], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Job:
        job = Job(fn)
        job.done.connect(on_done)
        job.failed.connect(on_failed)
        if on_progress is not None:
            job.progress.connect(on_progress)
        job.finished.connect(self._release)
        self._jobs.add(job)
        job.start()
        return job

    def _release(self) -> None:
        job = self.sender()
        if isinstance(job, Job) and job in self._jobs:
            job.wait()
            self._jobs.discard(job)
            job.deleteLater()

    @property
    def busy(self) -> bool:
        return any(job.isRunning() for job in self._jobs)

    def stop_all(self) -> None:
        for job in list(self._jobs):
            with warnings.catch_warnings():  # PySide warns when a signal had no receiver
                warnings.simplefilter("ignore", RuntimeWarning)
                for signal in (job.done, job.failed, job.progress):
                    with contextlib.suppress(RuntimeError, TypeError):
                        signal.disconnect()
            job.stop()
        self._jobs.clear()

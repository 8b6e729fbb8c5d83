"""The GUI's one worker model: where work runs and how its results come back.

- ``CaptureWorker`` and ``PoseWorker``: long-lived QThreads, stopped by flag (never terminated).
  Switching sources *retires* a capture worker (flag + forget, no wait): only closing the
  window waits for threads, and that wait is bounded.
- ``RequestWorker``: one long-lived thread for everything that touches the gallery (open, search,
  list entries, edits), run in order. A request submitted with a ``key`` replaces any queued
  request with that key and cancels a running one (newest request wins); the running function
  sees the cancel flag between its stages (``CancelToken.check``).
- ``TaskPool``: a bounded QThreadPool for short independent jobs (thumbnail decodes, analysing
  a recording, loading the text model).

Results cross threads one way only: the worker emits a private signal of a ``Task`` (a QObject
that lives in the GUI thread); a ``@Slot`` of that Task receives it by a queued connection and
calls the caller's callbacks, so they always run on the GUI thread (a test asserts it).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import numpy as np
from PySide6.QtCore import QObject, QThread, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage
from shiboken6 import isValid

from signlookup.capture import Frame, FrameSource

os.environ.setdefault("GLOG_minloglevel", "2")  # before mediapipe loads in the pose worker

log = logging.getLogger("signlookup.gui")

#: Longest side of the frame copies kept for replaying a recording (memory, not quality).
REPLAY_SIZE = 360

T = TypeVar("T")
Progress = Callable[[int, int], None]

#: Every worker thread and pool the GUI started, so tests can prove none outlives a window.
_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()
_POOLS: weakref.WeakSet[QThreadPool] = weakref.WeakSet()


def running_workers() -> list[str]:
    """Names of GUI worker threads still running and pools with busy threads (tests use it)."""
    threads = [t for t in list(_THREADS) if isValid(t)]  # deleted ones have ended
    pools = [p for p in list(_POOLS) if isValid(p)]
    names = [type(t).__name__ for t in threads if t.isRunning()]
    names += [f"pool({p.activeThreadCount()})" for p in pools if p.activeThreadCount()]
    return names


def freeze_loaded_objects() -> None:
    """Exclude everything loaded so far (models, modules) from Python's cyclic GC.

    With torch, MediaPipe and the text model loaded a full collection walks over half a million
    objects (0.1-0.3 s, longer under load) while holding the GIL: the window froze at random
    moments, e.g. while recording. Call after each model has loaded.
    """
    import gc

    gc.freeze()


_collection_lock = threading.Lock()
_collection_pausers = 0
_collection_was_enabled = True


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Keep Python's cyclic GC off while a model loads in a worker; freeze what it loaded.

    An import as large as sentence-transformers' allocates enough to trigger full collections,
    each walking every object with the GIL held: the GUI thread froze 0.1-0.25 s at a time
    although the import ran in a worker (with the collector off the same import never holds
    the GIL 10 ms). Nested and concurrent loads share one pause; the last one out freezes the
    loaded objects (``freeze_loaded_objects``) and turns the collector back on.
    """
    import gc

    global _collection_pausers, _collection_was_enabled
    with _collection_lock:
        if _collection_pausers == 0:
            _collection_was_enabled = gc.isenabled()
        _collection_pausers += 1
        gc.disable()
    try:
        yield
    finally:
        with _collection_lock:
            _collection_pausers -= 1
            if _collection_pausers == 0:
                freeze_loaded_objects()
                if _collection_was_enabled:
                    gc.enable()


class Cancelled(Exception):
    """Raised by ``CancelToken.check`` inside a worker function: stop here, deliver nothing."""


class CancelToken:
    """The flag a worker function checks between its stages."""

    def __init__(self) -> None:
        self._event = threading.Event()

    @property
    def event(self) -> threading.Event:
        """The flag as an Event, for library calls that take ``stop=`` (pose extraction)."""
        return self._event

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled


class Work(Protocol[T]):
    def __call__(self, cancel: CancelToken, progress: Progress) -> T: ...


class Task(QObject):
    """One unit of work: created on the GUI thread, executed on a worker thread.

    ``done``/``failed``/``progress`` are emitted on the GUI thread only. ``stop()`` asks the
    function to stop early (an import still reports what it did); ``discard()`` also drops
    its result (a superseded search, a closing window).
    """

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)
    finished = Signal()
    # emitted from the worker thread; received by this object's slots on the GUI thread
    _result = Signal(object)
    _error = Signal(object)
    _progressed = Signal(int, int)
    _ended = Signal()

    def __init__(self, fn: Work[Any], key: str | None = None) -> None:
        super().__init__()
        self._fn = fn
        self.key = key
        self.cancel = CancelToken()
        self.discarded = False
        self._result.connect(self._deliver_result)
        self._error.connect(self._deliver_error)
        self._progressed.connect(self._deliver_progress)
        self._ended.connect(self._deliver_end)

    def stop(self) -> None:
        self.cancel.set()

    def discard(self) -> None:
        self.discarded = True
        self.cancel.set()

    def execute(self) -> None:
        """Run the function (worker thread)."""
        try:
            if not self.discarded:
                result = self._fn(self.cancel, self._progressed.emit)
                self._result.emit(result)
        except Cancelled:
            pass
        except Exception as exc:
            self._error.emit(exc)
        finally:
            self._ended.emit()

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        if not self.discarded:
            self.done.emit(result)

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        if not self.discarded:
            self.failed.emit(exc)

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if not self.discarded:
            self.progress.emit(done, total)

    @Slot()
    def _deliver_end(self) -> None:
        self.finished.emit()


def _connect(
    task: Task,
    on_done: Callable[[Any], None] | None,
    on_failed: Callable[[BaseException], None] | None,
    on_progress: Progress | None,
) -> None:
    if on_done is not None:
        task.done.connect(on_done)
    if on_failed is not None:
        task.failed.connect(on_failed)
    if on_progress is not None:
        task.progress.connect(on_progress)


class TaskSet:
    """The tasks a pool or the request worker submitted and that have not finished yet.

    ``finished`` is emitted on the GUI thread (a Task's own slot), so the task is released and
    deleted there.
    """

    def __init__(self) -> None:
        self._tasks: set[Task] = set()

    def track(self, task: Task) -> None:
        self._tasks.add(task)
        task.finished.connect(functools.partial(self._release, task))

    def _release(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def discard_all(self) -> None:
        for task in list(self._tasks):
            task.discard()

    def clear(self) -> None:
        self._tasks.clear()


class TaskPool(QObject):
    """A bounded thread pool for short independent jobs; results arrive on the GUI thread."""

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(1, max_threads))
        _POOLS.add(self._pool)
        self._tasks = TaskSet()
        self._closed = False

    def submit(
        self,
        fn: Work[Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
    ) -> Task:
        task = Task(fn)
        if self._closed:  # after shutdown nothing runs (a late timer of a closed window)
            task.discard()
            return task
        _connect(task, on_done, on_failed, on_progress)
        self._tasks.track(task)
        self._pool.start(task.execute)
        return task

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def discard_all(self) -> None:
        """Drop every queued or running job's result (queued ones then return at once)."""
        self._tasks.discard_all()

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Discard everything and wait (bounded) for running jobs: only when closing."""
        self._closed = True
        self.discard_all()
        self._pool.clear()
        finished = self._pool.waitForDone(timeout_ms)
        if finished:
            self._tasks.clear()
        return finished


class StoppableThread(QThread):
    """A QThread that is stopped by flag, never terminated; registered for the leak check."""

    def __init__(self) -> None:
        super().__init__()
        _THREADS.add(self)

    def retire(self) -> None:
        """Ask the thread to stop and let it end on its own (no wait: GUI thread safe).

        The thread keeps itself alive (a reference held until ``finished``) and is deleted
        afterwards; its late signals are ignored by the receivers (they check the sender).
        """
        self.requestInterruption()
        self._keep_until_finished()

    def _keep_until_finished(self) -> None:
        if self in _RETIRED:
            return
        _RETIRED.add(self)
        self.finished.connect(self._forget)
        if self.isFinished():  # ended before the connection was made
            self._forget()

    @Slot()
    def _forget(self) -> None:
        if self in _RETIRED:
            _RETIRED.discard(self)
            self.deleteLater()

    def join(self, timeout_ms: int = 3000) -> bool:
        """Stop and wait at most ``timeout_ms`` (closing the window only).

        A thread still inside a library call after that is kept alive until it ends (a QThread
        destroyed while running aborts the process); ``run_app`` waits for those after the
        window is gone.
        """
        self.requestInterruption()
        if self.wait(timeout_ms):
            return True
        self._keep_until_finished()
        return False


_RETIRED: set[StoppableThread] = set()


def join_retired(timeout_ms: int = 3000) -> bool:
    """Wait (bounded, shared deadline) for retired threads to end: when the window closes."""
    deadline = time.monotonic() + timeout_ms / 1000
    ok = True
    for thread in list(_RETIRED):
        left = max(0, round((deadline - time.monotonic()) * 1000))
        ok = thread.wait(left) and ok
    return ok


class RequestWorker(StoppableThread):
    """One long-lived thread running requests in order; the newest request of a key wins."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("signlookup-requests")
        self._cond = threading.Condition()
        self._queue: list[Task] = []
        self._running: Task | None = None
        self._tasks = TaskSet()
        self._closed = False

    def submit(
        self,
        fn: Work[Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
        *,
        key: str | None = None,
    ) -> Task:
        task = Task(fn, key)
        if self._closed:  # after join nothing runs (a late timer of a closed window)
            task.discard()
            return task
        _connect(task, on_done, on_failed, on_progress)
        self._tasks.track(task)
        with self._cond:
            if key is not None:
                for old in [t for t in self._queue if t.key == key]:
                    old.discard()  # still run (it returns at once) so that it is released
                if self._running is not None and self._running.key == key:
                    self._running.discard()
            self._queue.append(task)
            self._cond.notify_all()
        if not self.isRunning():
            self.start()
        return task

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def run(self) -> None:
        while not self.isInterruptionRequested():
            with self._cond:
                while not self._queue and not self.isInterruptionRequested():
                    self._cond.wait(0.1)
                if self.isInterruptionRequested():
                    break
                task = self._queue.pop(0)
                self._running = task
            try:
                task.execute()
            finally:
                with self._cond:
                    self._running = None

    def join(self, timeout_ms: int = 3000) -> bool:
        self._closed = True
        with self._cond:
            for task in self._queue:
                task.discard()
            if self._running is not None:
                self._running.discard()
            self._queue.clear()
            self.requestInterruption()
            self._cond.notify_all()
        ok = self.wait(timeout_ms)
        if ok:
            self._tasks.clear()
        else:
            self._keep_until_finished()
        return ok


class FrameSlot:
    """Holds the newest frame for the pose worker; a new frame replaces an unread one.

    In lossless mode (video files) ``put`` waits until the previous frame was taken, so every
    frame of the file reaches MediaPipe; a camera never waits. Each frame carries the
    generation of the source that read it, so poses of an old source are recognised.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: tuple[Frame, int] | None = None
        self.dropped = 0

    def put(
        self, frame: Frame, generation: int, *, lossless: bool, stop: Callable[[], bool]
    ) -> None:
        with self._cond:
            if lossless:
                while self._item is not None and not stop():
                    self._cond.wait(0.05)
            elif self._item is not None:
                self.dropped += 1
            self._item = (frame, generation)
            self._cond.notify_all()

    def take(self, timeout: float = 0.05) -> tuple[Frame, int] | None:
        with self._cond:
            if self._item is None:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            self._cond.notify_all()
            return item

    def clear(self) -> None:
        with self._cond:
            self._item = None
            self._cond.notify_all()


def fit_size(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """(w, h) of an image scaled to fit ``box`` with its aspect kept, never enlarged."""
    bw, bh = max(box[0], 1), max(box[1], 1)
    scale = min(bw / width, bh / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def display_image(image: np.ndarray, box: tuple[int, int]) -> QImage:
    """An RGB frame scaled to fit ``box`` as a QImage, built in a worker thread.

    A 1080p frame converted and scaled on the GUI thread cost ~100 ms per frame under load;
    here the GUI only paints an image of the size it shows.
    """
    import cv2

    from signlookup.gui.video_view import qimage_from_rgb

    h, w = image.shape[:2]
    size = fit_size(w, h, box)
    if size != (w, h):
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return qimage_from_rgb(image)


class CaptureWorker(StoppableThread):
    """Reads a frame source at its own pace and hands frames to the GUI and the pose slot.

    ``realtime`` paces a file at its frame rate (a camera paces itself); a file that is only
    analysed (``realtime=False``, lossless) runs as fast as the pose model takes frames.
    ``speed`` scales the pace; ``loop`` restarts a finite source at its end (result playback).
    ``display_box`` (set from the GUI thread on resize) is the size frames are scaled to here.
    """

    opened = Signal(str, float, int)  # source name, fps, frame count (0: unknown)
    frame_ready = Signal(object, object)  # Frame, QImage scaled for display
    ended = Signal()
    failed = Signal(object)  # exception

    def __init__(
        self,
        make_source: Callable[[], FrameSource],
        *,
        slot: FrameSlot | None = None,
        generation: int = 0,
        lossless: bool = False,
        realtime: bool = True,
        loop: bool = False,
        speed: float = 1.0,
        display_box: tuple[int, int] = (640, 480),
    ) -> None:
        super().__init__()
        self._make_source = make_source
        self._slot = slot
        self._generation = generation
        self._lossless = lossless
        self._realtime = realtime
        self._loop = loop
        self.speed = speed
        self.display_box = display_box
        #: Set from the GUI thread: hold the current frame; ``step_frames`` lets frames through.
        self.paused = False
        self.step_frames = 0
        #: Set from the GUI thread: go to this frame (the scrub slider); read before each frame.
        self.seek_to: int | None = None

    def run(self) -> None:
        start_at = 0
        try:
            while not self.isInterruptionRequested():
                seek = self._play_once(start_at)
                if seek is not None:  # the source restarts at the frame asked for
                    start_at = seek
                    continue
                if not self._loop:
                    break
                start_at = 0
        except Exception as exc:  # typed CaptureErrors and anything unexpected: one route
            self.failed.emit(exc)
            return
        if not self.isInterruptionRequested():
            self.ended.emit()

    def _take_seek(self) -> int | None:
        target, self.seek_to = self.seek_to, None
        if target is not None and self.paused:
            self.step_frames = 1  # paused: show the frame sought, then hold it
        return target

    def _play_once(self, start_at: int = 0) -> int | None:
        """Play the source from frame ``start_at``; returns a frame to seek to, or None at
        its end."""
        with self._make_source() as source:
            fps = float(source.fps)
            if start_at == 0:
                self.opened.emit(source.name, fps, int(source.frame_count or 0))
            elif source.skip(start_at) < start_at:
                return None  # past the end
            start = time.monotonic()
            shown = 0
            for frame in source:
                if self.isInterruptionRequested():
                    return None
                if self.seek_to is not None:
                    return self._take_seek()
                # Checked before showing a frame, so a pause during the frame delay holds it.
                while self.paused and not self.isInterruptionRequested():
                    if self.seek_to is not None:
                        return self._take_seek()
                    if self.step_frames > 0:
                        self.step_frames -= 1
                        break
                    self.msleep(20)
                    start, shown = time.monotonic(), 0
                self.frame_ready.emit(frame, display_image(frame.image, self.display_box))
                shown += 1
                if self._slot is not None:
                    self._slot.put(
                        frame,
                        self._generation,
                        lossless=self._lossless,
                        stop=self.isInterruptionRequested,
                    )
                if self._realtime:
                    due = start + shown / (fps * max(self.speed, 0.05))
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


class PoseExtractor(Protocol):
    """What the pose worker needs of an extractor (``signlookup.pose.HolisticExtractor``)."""

    def process(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def close(self) -> None: ...


#: Frames each new graph processes with native stderr silenced: MediaPipe's C++ logs its
#: "Feedback manager" / XNNPACK lines from its own threads while its models start, during and
#: just after the first frames (a per-call silence let some through).
QUIET_FIRST_FRAMES = 30


class PoseWorker(StoppableThread):
    """Loads MediaPipe Holistic off the GUI thread, then runs it on the newest frame only.

    Lives as long as the window, so the model loads once; ``reset()`` starts a new clip
    (MediaPipe tracks across frames, which is wrong across a change of source). MediaPipe's
    native log lines are kept off the terminal as the CLI does (``signlookup.quiet``), but
    only while a graph starts: silencing fd 2 for the whole session would hide the app's own log.
    """

    loading = Signal()
    ready = Signal(str)  # model name
    # Frame, source generation, points (75,3), mask (75,), small RGB copy for replay
    pose_ready = Signal(object, int, object, object, object)
    failed = Signal(object)

    def __init__(
        self, slot: FrameSlot, make_extractor: Callable[[], PoseExtractor] | None = None
    ) -> None:
        super().__init__()
        self._slot = slot
        self._make_extractor = make_extractor
        self._reset = threading.Event()
        self._quiet = contextlib.ExitStack()
        self._quiet_left = 0

    def reset(self) -> None:
        self._reset.set()

    def _new_extractor(self) -> PoseExtractor:
        """A new graph, with native stderr silenced until it has processed its first frames."""
        from signlookup.quiet import native_stderr_silenced

        self._quiet.close()
        self._quiet.enter_context(native_stderr_silenced())
        self._quiet_left = QUIET_FIRST_FRAMES
        with collection_paused():
            if self._make_extractor is not None:
                return self._make_extractor()
            from signlookup.pose import HolisticExtractor

            return HolisticExtractor()

    def _process(
        self, extractor: PoseExtractor, image: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        result = extractor.process(image)
        if self._quiet_left > 0:
            self._quiet_left -= 1
            if self._quiet_left == 0:
                self._quiet.close()  # the graph has started: stderr is the user's again
        return result

    def run(self) -> None:
        self.loading.emit()
        try:
            extractor = self._new_extractor()
        except Exception as exc:
            self._quiet.close()
            self.failed.emit(exc)
            return
        self.ready.emit("MediaPipe Holistic")
        try:
            while not self.isInterruptionRequested():
                if self._reset.is_set():
                    self._reset.clear()
                    extractor.close()
                    extractor = self._new_extractor()
                item = self._slot.take(0.05)
                if item is None:
                    continue
                frame, generation = item
                points, mask = self._process(extractor, frame.image)
                self.pose_ready.emit(frame, generation, points, mask, small_copy(frame.image))
        except Exception as exc:
            self.failed.emit(exc)
        finally:
            with contextlib.suppress(Exception):
                extractor.close()
            self._quiet.close()

"""The sign-search flow: source -> live pose -> countdown -> recording -> trim -> search.

Owns the capture and pose workers; the view only forwards user actions and paints what the
signals carry. Frames are recorded from the pose worker's output, so each kept frame has its
landmarks; a camera drops stale frames and its recording's frame rate comes from the timestamps.
An opened video file is not played: the library's extraction (``signlookup.search.load_query``:
the pose cache, sampled frames, the 30-s limit) runs in a pool worker as fast as the pose stage
allows, with progress, a skeleton preview and cancel, and all of the file is searched.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from signlookup.capture import Frame, FrameSource, SourceNotFoundError
from signlookup.gui.errors import CameraNotFoundError
from signlookup.gui.results_model import ResultCard, load_thumbnail
from signlookup.gui.services import GalleryHandle, Services, mirror_raw
from signlookup.gui.settings import AppSettings
from signlookup.gui.video_view import qimage_from_rgb
from signlookup.gui.workers import (
    CancelToken,
    CaptureWorker,
    FrameSlot,
    PoseWorker,
    Progress,
    Task,
    TaskPool,
    small_copy,
)
from signlookup.index.session import SignerSession
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.search import Searcher, SearchResult

#: A recording stops by itself after this many seconds.
MAX_RECORDING_S = 12.0
#: After a finite source ends, wait this long for the pose of its last frame.
DRAIN_TIMEOUT_MS = 3000
#: Look-ups kept in the history (only the newest keeps its replay images: memory).
HISTORY_SIZE = 10


@dataclass
class LookUp:
    """One past search: when, what was searched and what it found."""

    time: str  # HH:MM
    clip: QueryClip
    cards: list[ResultCard]


@dataclass
class QueryClip:
    """A finished recording: landmarks, replay images, motion energy and the trimmed span."""

    sequence: PoseSequence
    images: list[QImage]  # small copies for replay, one per frame (built in the worker)
    energy: np.ndarray  # (T,) hand speed, shown in the plot
    span: tuple[int, int]  # (start, stop) frames, stop exclusive
    source_name: str
    from_camera: bool = False  # searched in the camera's signer session
    key: int = field(default_factory=itertools.count().__next__)  # the same recording, trimmed

    @property
    def trimmed(self) -> PoseSequence:
        return self.sequence.slice(*self.span)

    @property
    def trimmed_duration_s(self) -> float:
        return (self.span[1] - self.span[0]) / self.sequence.fps


def replay_images(images: dict[int, QImage], frames: int) -> list[QImage]:
    """One image per frame from those of the processed (sampled) frames: a skipped frame shows
    the processed frame before it. Empty when none was seen (a pose-cache hit: the replay is
    the skeleton alone)."""
    if not images:
        return []
    seen = sorted(images)
    out, at = [], 0
    for i in range(frames):
        while at + 1 < len(seen) and seen[at + 1] <= i:
            at += 1
        out.append(images[seen[at]])
    return out


def analyse(seq: PoseSequence) -> tuple[np.ndarray, tuple[int, int]]:
    """Motion energy and the automatic active span of a raw recording."""
    from signlookup.pose import ClipTooShortError, NoPersonError, find_active_span, motion_energy
    from signlookup.pose.preprocess import interpolate_missing, normalise

    if len(seq) < 2:
        raise ClipTooShortError(f"the recording has {len(seq)} frame(s)")
    if not seq.mask[:, :33].any():
        raise NoPersonError("no person was found in the recording")
    try:
        points = normalise(interpolate_missing(seq.points, seq.mask), seq.mask, seq.aspect)
    except ValueError as exc:  # no shoulders anywhere: nobody usable in frame
        raise NoPersonError(str(exc)) from None
    energy = motion_energy(points, seq.mask, seq.fps)
    return energy, find_active_span(points, seq.mask, seq.fps)


class SearchController(QObject):
    """State and workers of the sign-search view (see module docstring)."""

    source_opened = Signal(str, float)
    source_ended = Signal()
    live_frame = Signal(object)  # QImage scaled to the view, or a small RGB array
    live_pose = Signal(object, object)  # points, mask
    #: frames of an opened file analysed so far, and its length (0: unknown)
    file_progress = Signal(int, int)
    countdown = Signal(int)  # seconds left; 0 when recording starts
    recording_changed = Signal(bool)
    recording_time = Signal(float)
    #: the previous query and its results no longer apply (new recording, new file, failure)
    cleared = Signal()
    query_ready = Signal(object)  # QueryClip
    #: a query's replay images arrived after it (a file found in the pose cache)
    query_images_ready = Signal(object)  # QueryClip
    results_ready = Signal(object)  # list[ResultCard]
    status = Signal(str)
    #: an opened file's extraction started (True) or ended, failed or was cancelled (False)
    file_analysis = Signal(bool)
    error = Signal(object)  # exception, for the window's error route
    pose_model_ready = Signal(str)
    pose_model_failed = Signal()
    fps_measured = Signal(float)
    history_changed = Signal()
    session_changed = Signal(int)  # camera look-ups the search has adapted to
    # emitted by the file-extraction worker, received on the GUI thread (queued connection):
    # source generation, points, mask, small RGB copy
    _file_pose = Signal(int, object, object, object)

    def __init__(
        self, services: Services, gallery: GalleryHandle, pool: TaskPool, settings: AppSettings
    ) -> None:
        super().__init__()
        self.services = services
        self.gallery = gallery
        self.pool = pool
        self.settings = settings
        self._slot = FrameSlot()
        self._pose = PoseWorker(self._slot, services.make_extractor)
        self._pose.pose_ready.connect(self._on_pose)
        self._pose.ready.connect(self._on_pose_model_ready)
        self._pose.failed.connect(self._on_pose_model_failed)
        self._capture: CaptureWorker | None = None
        self._generation = 0
        self._display_box = (640, 480)
        self._source_name = ""
        self._is_camera = False
        self._lossless = False
        self._frame_count = 0
        self._source_fps = 30.0
        self._last_frame_index = -1
        self._draining = False
        self._recording = False
        self._file_task: Task | None = None
        self._file_pose.connect(self._on_file_pose)
        self._buffer: list[tuple[Frame, np.ndarray, np.ndarray, np.ndarray]] = []
        self._countdown_left = 0
        self._countdown_timer = QTimer(self, interval=1000)
        self._countdown_timer.timeout.connect(self._tick_countdown)
        self._drain_timer = QTimer(self, singleShot=True, interval=DRAIN_TIMEOUT_MS)
        self._drain_timer.timeout.connect(self._finish_recording)
        self._fps_times: list[float] = []
        self.query: QueryClip | None = None
        self.results: list[ResultCard] = []
        self.history: list[LookUp] = []  # newest first
        #: the camera's signer: its look-ups adapt to their recent ones (signlookup.index.session)
        self.session = SignerSession()
        self._session_gallery: Path | None = None
        self._pending_search = False
        gallery.loaded.connect(self._on_gallery_loaded)

    def start_pose_model(self) -> None:
        """Load MediaPipe in the pose worker (the window calls it once it has painted: the
        import holds the GIL in long native stretches and would freeze the first paint)."""
        if not self._pose.isRunning() and not self._pose.isFinished():
            self._pose.start()

    # --- sources -------------------------------------------------------------------------------

    @property
    def recording(self) -> bool:
        return self._recording

    @property
    def counting_down(self) -> bool:
        return self._countdown_timer.isActive()

    @property
    def has_source(self) -> bool:
        return self._capture is not None and self._capture.isRunning()

    @property
    def analysing_file(self) -> bool:
        """An opened file's landmarks are being extracted (no playback)."""
        return self._file_task is not None

    def set_display_box(self, width: int, height: int) -> None:
        """The query view's size: frames are scaled to it in the capture worker."""
        self._display_box = (max(width, 1), max(height, 1))
        if self._capture is not None:
            self._capture.display_box = self._display_box

    def start_camera(self, index: int) -> None:
        self.use_source(lambda: self.services.open_camera(index), lossless=False, camera=True)

    def open_file(self, path: str | Path) -> None:
        """Extract a video file's landmarks in a worker (see module docstring), then search.

        A file over 30 s is refused before it is decoded, with one line naming it; the same
        bytes opened again come from the pose cache. ``cancel_file`` stops it.
        """
        path = Path(path)
        self.stop_source()
        self.cancel_file()
        self._slot.clear()
        self._generation += 1
        generation = self._generation
        self._is_camera = False
        self.clear_query()
        self._source_name = path.name
        self.source_opened.emit(path.name, 0.0)
        self.status.emit(self.tr("Reading %1…").replace("%1", path.name))
        images: dict[int, QImage] = {}
        preview = self._file_pose.emit

        def on_pose(frame: Frame, points: np.ndarray, mask: np.ndarray) -> None:
            small = small_copy(frame.image)
            images[frame.index] = qimage_from_rgb(small)
            preview(generation, points, mask, small)

        def work(cancel: CancelToken, progress: Progress) -> QueryClip:
            from signlookup.search import load_query

            seq = load_query(
                path,
                lambda done, total, _name: progress(done, total),
                stop=cancel.event,
                on_pose=on_pose,
            )
            cancel.check()
            energy, span = analyse(seq)
            return QueryClip(seq, replay_images(images, len(seq)), energy, span, path.name)

        def finished(clip: QueryClip | None, exc: BaseException | None) -> None:
            if generation != self._generation:
                return
            self._file_task = None
            self.file_analysis.emit(False)
            self.status.emit("")
            if exc is not None:
                self.error.emit(exc)
            elif clip is not None:
                self._on_query(clip)
                if not clip.images:  # a pose-cache hit: no frame was decoded yet
                    self._decode_replay(path, clip)

        def progressed(done: int, total: int) -> None:
            if generation == self._generation:
                self.file_progress.emit(done, total)

        self._file_task = self.pool.submit(
            work, lambda clip: finished(clip, None), lambda exc: finished(None, exc), progressed
        )
        self.file_analysis.emit(True)

    def _decode_replay(self, path: Path, clip: QueryClip) -> None:
        """Decode the replay images of a file whose landmarks came from the cache, after the
        search has started (the results do not wait for them)."""

        def work(cancel: CancelToken, _p: Progress) -> list[QImage]:
            from signlookup.capture import VideoFileSource

            images = []
            with VideoFileSource(path) as source:
                for frame in source:
                    cancel.check()
                    images.append(qimage_from_rgb(small_copy(frame.image)))
            return images[: len(clip.sequence)]

        def done(images: list[QImage]) -> None:
            if self.query is clip and len(images) == len(clip.sequence):
                clip.images = images
                self.query_images_ready.emit(clip)

        self.pool.submit(work, done)  # an unreadable file was refused before: nothing to say

    def cancel_file(self) -> None:
        """Stop an opened file's extraction (nothing is searched, nothing is cached)."""
        task, self._file_task = self._file_task, None
        if task is not None:
            task.discard()
            self.file_analysis.emit(False)
            self.status.emit(self.tr("Reading the video was cancelled."))

    @Slot(int, object, object, object)
    def _on_file_pose(
        self, generation: int, points: np.ndarray, mask: np.ndarray, small: np.ndarray
    ) -> None:
        if generation == self._generation and self._file_task is not None:
            self.live_frame.emit(small)  # the skeleton preview, in step with its picture
            self.live_pose.emit(points, mask)

    def use_source(
        self,
        make_source: Callable[[], FrameSource],
        *,
        lossless: bool,
        camera: bool = False,
    ) -> None:
        """Switch to a new live frame source (a camera or a test's stand-in); never waits."""
        self.stop_source()
        self.cancel_file()
        self._slot.clear()
        self._pose.reset()
        self._generation += 1
        self._lossless = lossless
        self._is_camera = camera
        self._frame_count = 0
        self._last_frame_index = -1
        self._fps_times.clear()
        worker = CaptureWorker(
            make_source,
            slot=self._slot,
            generation=self._generation,
            lossless=lossless,
            display_box=self._display_box,
        )
        worker.opened.connect(self._on_opened)
        worker.frame_ready.connect(self._on_frame)
        worker.ended.connect(self._on_source_ended)
        worker.failed.connect(self._on_source_failed)
        self._capture = worker
        worker.start()

    def stop_source(self) -> None:
        self._countdown_timer.stop()
        if self._capture is not None:
            self._capture.retire()  # no wait: it ends on its own; its late signals are ignored
            self._capture = None
        if self._recording:
            self._set_recording(False)
            self._buffer.clear()

    def clear_query(self) -> None:
        """Forget the previous query and its results (the view empties its result panes)."""
        self.query = None
        self.results = []
        self._pending_search = False
        self.cleared.emit()

    @Slot(str, float, int)
    def _on_opened(self, name: str, fps: float, frames: int) -> None:
        if self.sender() is not self._capture:
            return
        self._source_name, self._source_fps, self._frame_count = name, fps, frames
        self.source_opened.emit(name, fps)

    @Slot(object, object)
    def _on_frame(self, frame: Frame, image: QImage) -> None:
        if self.sender() is not self._capture:
            return
        self._last_frame_index = frame.index
        self.live_frame.emit(image)
        now = time.monotonic()
        self._fps_times.append(now)
        if len(self._fps_times) >= 15:
            span = self._fps_times[-1] - self._fps_times[0]
            if span > 0:
                self.fps_measured.emit((len(self._fps_times) - 1) / span)
            self._fps_times = self._fps_times[-5:]

    @Slot(object, int, object, object, object)
    def _on_pose(
        self, frame: Frame, generation: int, points: np.ndarray, mask: np.ndarray, small: np.ndarray
    ) -> None:
        if generation != self._generation:
            return  # a pose of the previous source
        self.live_pose.emit(points, mask)
        if self._recording:
            self._buffer.append((frame, points, mask, small))
            elapsed = frame.timestamp_s - self._buffer[0][0].timestamp_s
            too_long = elapsed >= MAX_RECORDING_S
            if too_long or (self._draining and frame.index >= self._last_frame_index):
                self._finish_recording()
            else:
                self.recording_time.emit(elapsed)

    @Slot()
    def _on_source_ended(self) -> None:
        if self.sender() is not self._capture:
            return
        self.source_ended.emit()
        if self._recording:
            self._draining = True
            self._drain_timer.start()
        elif self.counting_down:
            self._countdown_timer.stop()
            self.countdown.emit(-1)

    @Slot(object)
    def _on_source_failed(self, exc: BaseException) -> None:
        if self.sender() is not self._capture:
            return
        self._countdown_timer.stop()
        if self._recording:
            self._set_recording(False)
            self._buffer.clear()
        if self._is_camera and isinstance(exc, SourceNotFoundError):
            exc = CameraNotFoundError(str(exc))
        self.error.emit(exc)

    @Slot(str)
    def _on_pose_model_ready(self, name: str) -> None:
        self.pose_model_ready.emit(name)

    @Slot(object)
    def _on_pose_model_failed(self, exc: BaseException) -> None:
        self.error.emit(exc)
        self.pose_model_failed.emit()

    # --- recording -----------------------------------------------------------------------------

    def toggle_record(self) -> None:
        """Record button / shortcut: start the countdown, cancel it, or stop recording."""
        if self._recording:
            self._finish_recording()
        elif self.counting_down:
            self._countdown_timer.stop()
            self.countdown.emit(-1)
        elif self.has_source:
            self._countdown_left = self.settings.countdown_s
            if self._countdown_left <= 0:
                self._start_recording()
            else:
                self.countdown.emit(self._countdown_left)
                self._countdown_timer.start()

    @Slot()
    def _tick_countdown(self) -> None:
        self._countdown_left -= 1
        if self._countdown_left <= 0:
            self._countdown_timer.stop()
            self._start_recording()
        else:
            self.countdown.emit(self._countdown_left)

    def _start_recording(self) -> None:
        self._buffer.clear()
        self._draining = False
        self.clear_query()
        self.countdown.emit(0)
        self._set_recording(True)

    def _set_recording(self, on: bool) -> None:
        self._recording = on
        self.recording_changed.emit(on)

    @Slot()
    def _finish_recording(self) -> None:
        if not self._recording:
            return
        self._drain_timer.stop()
        self._draining = False
        self._set_recording(False)
        buffer, self._buffer = self._buffer, []
        fps = self._recording_fps(buffer)
        name, from_camera = self._source_name, self._is_camera
        self.status.emit(self.tr("Analysing the recording…"))

        def work(_cancel: CancelToken, _progress: Progress) -> QueryClip:
            if not buffer:
                from signlookup.pose import ClipTooShortError

                raise ClipTooShortError("nothing was recorded")
            h, w = buffer[0][0].image.shape[:2]
            seq = PoseSequence(
                np.stack([b[1] for b in buffer]),
                np.stack([b[2] for b in buffer]),
                fps=fps,
                aspect=w / h,
            )
            energy, span = analyse(seq)
            images = [qimage_from_rgb(b[3]) for b in buffer]
            return QueryClip(seq, images, energy, span, name, from_camera=from_camera)

        self.pool.submit(work, self._on_query, self._on_analysis_failed)

    def _recording_fps(
        self, buffer: list[tuple[Frame, np.ndarray, np.ndarray, np.ndarray]]
    ) -> float:
        if self._lossless or len(buffer) < 2:
            return self._source_fps
        elapsed = buffer[-1][0].timestamp_s - buffer[0][0].timestamp_s
        return (len(buffer) - 1) / elapsed if elapsed > 0 else self._source_fps

    def _on_analysis_failed(self, exc: BaseException) -> None:
        self.status.emit("")
        self.error.emit(exc)

    def _on_query(self, clip: QueryClip) -> None:
        self.query = clip
        self.query_ready.emit(clip)
        self.run_search()

    # --- search --------------------------------------------------------------------------------

    def set_trim(self, start: int, stop: int) -> None:
        if self.query is None:
            return
        start = max(0, min(start, len(self.query.sequence) - 2))
        stop = max(start + 2, min(stop, len(self.query.sequence)))
        if (start, stop) != self.query.span:
            self.query.span = (start, stop)
            self.run_search()

    def run_search(self) -> None:
        """Search with the current query's trimmed span (again after a trim or settings change).

        A newer search cancels an older one still running (the request worker's newest-wins key).
        """
        if self.query is None:
            return
        if self.gallery.searcher is None:
            self._pending_search = True
            self.status.emit(self.tr("Waiting for the gallery to load…"))
            return
        self._pending_search = False
        query = self.query
        seq = query.trimmed
        if self.settings.mirror:
            seq = mirror_raw(seq)
        self.status.emit(self.tr("Searching…"))

        def with_thumbnails(results: list[SearchResult], cancel: CancelToken) -> list[ResultCard]:
            cards = []
            for result in results:
                cancel.check()
                cards.append(ResultCard(result, load_thumbnail(result.thumbnail_path)))
            return cards

        def done(cards: list[ResultCard]) -> None:
            if self.query is not query:
                return  # a new recording started meanwhile
            self.results = cards
            self._remember(query, cards)
            self.session_changed.emit(len(self.session))
            self.results_ready.emit(cards)
            self.status.emit(self.tr("%n result(s)", "", len(cards)))

        session = self.session if query.from_camera else None
        self.gallery.search(
            seq, self.settings.top_k, done, self.error.emit, with_thumbnails, session, query.key
        )

    def _remember(self, clip: QueryClip, cards: list[ResultCard]) -> None:
        """Add (or, after a trim, update) the look-up of ``clip`` in the history."""
        if self.history and self.history[0].clip is clip:
            self.history[0].cards = cards
        else:
            for old in self.history:
                old.clip.images = []  # older look-ups replay as a skeleton: memory stays small
            self.history.insert(0, LookUp(time.strftime("%H:%M"), clip, cards))
            del self.history[HISTORY_SIZE:]
        self.history_changed.emit()

    def forget_signer(self) -> None:
        """Start the camera's signer session over (someone else signs now)."""
        self.session.clear()
        self.session_changed.emit(0)

    def show_look_up(self, index: int) -> None:
        """Bring back a past look-up: its recording, trim and results (no new search)."""
        if not 0 <= index < len(self.history):
            return
        look_up = self.history[index]
        self.query, self.results = look_up.clip, look_up.cards
        self.query_ready.emit(look_up.clip)
        self.results_ready.emit(look_up.cards)

    def _on_gallery_loaded(self, searcher: Searcher) -> None:
        root = searcher.gallery.root
        if self._session_gallery not in (None, root):
            self.forget_signer()  # residuals are to the old gallery's signs: start over
        self._session_gallery = root
        if self._pending_search:
            self.run_search()

    def apply_settings(self, settings: AppSettings) -> None:
        changed = (settings.top_k, settings.mirror) != (self.settings.top_k, self.settings.mirror)
        self.settings = settings
        if changed:
            self.run_search()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop the capture and pose workers; waits at most ``timeout_ms`` (closing only)."""
        self._countdown_timer.stop()
        self._drain_timer.stop()
        task, self._file_task = self._file_task, None
        if task is not None:
            task.discard()  # the pool's shutdown waits for it, bounded
        capture, self._capture = self._capture, None
        self._slot.clear()
        if capture is not None:
            capture.requestInterruption()
        self._pose.requestInterruption()
        if capture is not None:
            capture.join(timeout_ms)
        self._pose.join(timeout_ms)

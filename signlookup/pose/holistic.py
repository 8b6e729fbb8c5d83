"""MediaPipe Holistic -> 75 landmarks per frame, and whole-clip extraction from a frame source.

mediapipe is imported lazily (it takes seconds and pulls in matplotlib), so importing
signlookup.pose stays cheap for the GUI's first paint.

Speed (issue 18, figures in docs/benchmarks.md "Pose stage"): the graph runs without
Holistic's face branch (the 75-point layout has no face, the other outputs are unchanged), and a
clip is sampled at about ``max_fps`` frames per second, Holistic told each processed frame's
place in the clip (so a skip looks like a gap to its tracker); the frames in between are decoded
without colour conversion and their landmarks interpolated, so a sequence still has one row per
video frame. Decoding runs on a second thread beside Holistic.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from signlookup.capture.base import Frame, FrameSource
from signlookup.pose.layout import LEFT_HAND, N_POINTS, POSE, RIGHT_HAND
from signlookup.pose.sequence import MIN_FRAMES, PoseSequence
from signlookup.quiet import native_stderr_silenced

#: Holistic's tracker is told frame ``i`` comes at ``(i + 1) * FRAME_US`` microseconds, exactly
#: as mediapipe's solution stamps consecutive frames whatever the video's rate. Every stored
#: gallery pose was made so; the true times (or the same ones rounded differently) change the
#: smoothing filter's output (ajudar_ne_1, 12 fps: cosine 0.47 to its stored pose's vector).
FRAME_US = 33333


class PoseExtractionError(RuntimeError):
    """Extraction found nothing usable; the message is meant for the user."""


class NoPersonError(PoseExtractionError):
    """No frame of the clip shows a person."""


class ClipTooShortError(PoseExtractionError):
    """The clip has fewer than MIN_FRAMES frames."""


@dataclass(frozen=True)
class Sampling:
    """Which frames of a clip reach Holistic.

    ``max_fps``: run Holistic on about this many frames per second (None: every frame). The
    features resample a sign to 32 frames, so a 2-4 s sign is described at 8-16 frames per
    second whatever the source rate; 7.5 (every 4th frame at 30 fps) kept the landmarks and the
    twin-clip ranking of the every-frame reference (docs/benchmarks.md, "Pose stage").
    ``min_frames``: never sample fewer frames than this from a clip whose length is known, so
    short clips keep their detail.
    """

    max_fps: float | None = 7.5
    min_frames: int = 32

    def step(self, fps: float, frame_count: int | None) -> int:
        """Process every ``step``-th frame (1 = all); 2% slack keeps 29.97 fps at 30 fps's step."""
        if self.max_fps is None or fps <= self.max_fps:
            return 1
        step = max(1, int(fps * 1.02 / self.max_fps))
        if frame_count:
            step = min(step, max(1, frame_count // self.min_frames))
        return step

    @property
    def key(self) -> str:
        """Names the sampling in cache keys: poses sampled differently are different data."""
        return "all" if self.max_fps is None else f"{self.max_fps:g}fps-min{self.min_frames}"


#: Every frame, as MediaPipe's own examples run it: the reference the benchmarks compare to.
EVERY_FRAME = Sampling(max_fps=None)
#: What queries and imports use (measured against EVERY_FRAME in benchmarks/pose_speed.py).
DEFAULT_SAMPLING = Sampling()


def _landmarks(result: Any, count: int) -> tuple[np.ndarray, bool]:
    if result is None:
        return np.zeros((count, 3), np.float32), False
    return np.array([(p.x, p.y, p.z) for p in result.landmark], np.float32), True


def points_and_mask(result: Any) -> tuple[np.ndarray, np.ndarray]:
    """The 75-point layout of a Holistic result: points float32 (75, 3), mask bool (75,)."""
    points = np.zeros((N_POINTS, 3), np.float32)
    mask = np.zeros(N_POINTS, bool)
    for part, landmarks, count in (
        (POSE, result.pose_landmarks, 33),
        (LEFT_HAND, result.left_hand_landmarks, 21),
        (RIGHT_HAND, result.right_hand_landmarks, 21),
    ):
        points[part], mask[part] = _landmarks(landmarks, count)
    return points, mask


def preload() -> threading.Thread:
    """Import mediapipe on a daemon thread (seconds), e.g. while a gallery and model load.

    ``HolisticExtractor`` then finds it imported (or waits on Python's import lock for it).
    """
    thread = threading.Thread(target=_import_mediapipe, name="import mediapipe", daemon=True)
    thread.start()
    return thread


def _import_mediapipe() -> None:
    try:
        from mediapipe.python import solution_base  # noqa: F401
        from mediapipe.python.solutions import holistic  # noqa: F401
    except Exception:  # reported where the extractor is built, in its usual words
        pass


def _graph_without_face() -> Any:
    """Holistic's graph config with the face-landmark branch removed.

    Hands and pose come from the pose landmarks alone, so dropping the face leaves them
    identical (tests/test_pose_speed.py checks this against the stock solution) and saves its model.
    """
    from mediapipe.framework import calculator_pb2
    from mediapipe.python.solutions import holistic

    site = Path(holistic.__file__).resolve().parents[3]
    config = calculator_pb2.CalculatorGraphConfig()
    config.ParseFromString((site / holistic._BINARYPB_FILE_PATH).read_bytes())
    keep = [n for n in config.node if not any("face" in s for s in n.output_stream)]
    del config.node[:]
    config.node.extend(keep)
    outputs = [s for s in config.output_stream if "face" not in s.lower()]
    del config.output_stream[:]
    config.output_stream.extend(outputs)
    sides = [s for s in config.input_side_packet if "face" not in s.lower()]
    del config.input_side_packet[:]
    config.input_side_packet.extend(sides)
    config.ClearField("type")
    return config


class HolisticExtractor:
    """One MediaPipe Holistic graph in video (tracking) mode; not thread-safe, one per worker.

    Only ``model_complexity=1`` ships inside the mediapipe 0.10.21 wheel (0 and 2 would try a
    download), so it is fixed here.
    """

    def __init__(self, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5):
        from mediapipe.python.solution_base import SolutionBase

        self._graph = SolutionBase(
            graph_config=_graph_without_face(),
            side_inputs={
                "model_complexity": 1,
                "smooth_landmarks": True,
                "enable_segmentation": False,
                "smooth_segmentation": False,
                "use_prev_landmarks": True,
            },
            calculator_params={  # the same knobs mediapipe's Holistic sets
                "poselandmarkcpu__posedetectioncpu__TensorsToDetectionsCalculator"
                ".min_score_thresh": min_detection_confidence,
                "poselandmarkcpu__poselandmarkbyroicpu__tensorstoposelandmarksandsegmentation"
                "__ThresholdingCalculator.threshold": min_tracking_confidence,
            },
            outputs=["pose_landmarks", "left_hand_landmarks", "right_hand_landmarks"],
        )
        self._last_us = -1

    def __enter__(self) -> HolisticExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None

    def process(
        self, image_rgb: np.ndarray, frame_number: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Landmarks of one RGB frame: points float32 (75, 3), mask bool (75,).

        ``frame_number`` (0-based, in the clip) lets the tracker and its smoothing filter see
        skipped frames as a gap (see FRAME_US); without it frames are taken as consecutive.
        """
        if self._graph is None:
            raise RuntimeError("extractor is closed")
        if frame_number is not None:  # SolutionBase adds FRAME_US before sending the packet
            stamp = max((frame_number + 1) * FRAME_US, self._last_us + 1)
            self._graph._simulated_timestamp = stamp - FRAME_US
        result = self._graph.process({"image": np.ascontiguousarray(image_rgb)})
        self._last_us = self._graph._simulated_timestamp
        return points_and_mask(result)


@dataclass(frozen=True)
class _End:
    frames: int  # frames the source held (decoded, converted or not)


class _DecodeAhead:
    """Every ``step``-th frame of an open source, decoded on a second thread from construction.

    Decoding then overlaps the graph's start-up and Holistic itself (OpenCV and MediaPipe release
    the GIL), using the second core. Iteration ends with ``_End``; a source error is raised in
    the consumer's thread. Use as a context manager: leaving it stops and joins the thread.
    """

    def __init__(self, source: FrameSource, step: int, depth: int = 4) -> None:
        self._source, self._step = source, step
        self._items: queue.Queue[Frame | _End | BaseException] = queue.Queue(depth)
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._decode, name="decode", daemon=True)
        self._thread.start()

    def _put(self, item: Frame | _End | BaseException) -> bool:
        while not self._halt.is_set():
            try:
                self._items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _decode(self) -> None:
        total = 0
        try:
            while (frame := self._source.read()) is not None:
                total = frame.index + 1
                if not self._put(frame):
                    return
                total += self._source.skip(self._step - 1)
            self._put(_End(total))
        except BaseException as exc:  # handed to the consumer, which raises it
            self._put(exc)

    def __iter__(self) -> Iterator[Frame | _End]:
        while True:
            item = self._items.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if isinstance(item, _End):
                return

    def __enter__(self) -> _DecodeAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self._halt.set()
        self._thread.join()


def fill_skipped(
    indices: np.ndarray, points: np.ndarray, mask: np.ndarray, frames: int
) -> tuple[np.ndarray, np.ndarray]:
    """Landmarks for every frame ``0..frames-1`` from those of the processed ``indices``.

    A landmark seen on both sides is interpolated linearly; otherwise (and after the last
    processed frame) the nearest processed frame's landmark and presence are taken.
    """
    t = np.arange(frames)
    left = np.clip(np.searchsorted(indices, t, side="right") - 1, 0, len(indices) - 1)
    right = np.minimum(left + 1, len(indices) - 1)
    gap = (indices[right] - indices[left]).astype(np.float32)
    w = np.clip((t - indices[left]) / np.maximum(gap, 1), 0, 1).astype(np.float32)
    nearest = np.where(w > 0.5, right, left)
    out_mask = mask[nearest]
    both = mask[left] & mask[right]
    lerp = points[left] * (1 - w)[:, None, None] + points[right] * w[:, None, None]
    out = np.where(both[..., None], lerp, points[nearest])
    out[~out_mask] = 0.0
    return out.astype(np.float32), out_mask


def extract_pose(
    source: FrameSource,
    *,
    on_frame: Callable[[Frame, np.ndarray, np.ndarray], None] | None = None,
    stop: threading.Event | None = None,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> PoseSequence:
    """Run Holistic over a (finite) source and return the clip's PoseSequence.

    Holistic sees every ``sampling.step(...)``-th frame; the result has one row per video frame
    (see :func:`fill_skipped`). ``on_frame(frame, points, mask)`` is called per processed frame
    (progress, live overlay); setting ``stop`` ends extraction early and returns what was seen.
    Raises CaptureError from the source, ClipTooShortError, NoPersonError.
    """
    indices: list[int] = []
    frames_points: list[np.ndarray] = []
    frames_mask: list[np.ndarray] = []
    size: tuple[int, int] | None = None
    total = 0
    with native_stderr_silenced(), source:
        step = sampling.step(source.fps, source.frame_count)
        with _DecodeAhead(source, step) as decoded, HolisticExtractor() as extractor:
            for item in decoded:
                if isinstance(item, _End):
                    total = item.frames
                    break
                if stop is not None and stop.is_set():
                    total = indices[-1] + 1 if indices else 0
                    break
                points, mask = extractor.process(item.image, item.index)
                indices.append(item.index)
                frames_points.append(points)
                frames_mask.append(mask)
                size = item.size
                if on_frame is not None:
                    on_frame(item, points, mask)
        fps = source.fps
    if total < MIN_FRAMES or not indices:
        raise ClipTooShortError(
            f"{source.name} has {total} frame(s); a sign needs at least {MIN_FRAMES}"
        )
    points, mask = fill_skipped(
        np.array(indices), np.stack(frames_points), np.stack(frames_mask), total
    )
    if not mask[:, POSE].any():
        raise NoPersonError(f"no person was found in {source.name}")
    aspect = size[0] / size[1] if size else None
    return PoseSequence(points, mask, fps=fps, aspect=aspect)

"""MediaPipe Holistic -> 75 landmarks per frame, and whole-clip extraction from a frame source.

mediapipe is imported lazily (it takes seconds and pulls in matplotlib), so importing
signlookup.pose stays cheap for the GUI's first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from signlookup.capture.base import Frame, FrameSource
from signlookup.pose.layout import LEFT_HAND, N_POINTS, POSE, RIGHT_HAND
from signlookup.pose.sequence import MIN_FRAMES, PoseSequence
from signlookup.quiet import native_stderr_silenced


class PoseExtractionError(RuntimeError):
    """Extraction found nothing usable; the message is meant for the user."""


class NoPersonError(PoseExtractionError):
    """No frame of the clip shows a person."""


class ClipTooShortError(PoseExtractionError):
    """The clip has fewer than MIN_FRAMES frames."""


def _landmarks(result: Any, count: int) -> tuple[np.ndarray, bool]:
    if result is None:
        return np.zeros((count, 3), np.float32), False
    return np.array([(p.x, p.y, p.z) for p in result.landmark], np.float32), True


class HolisticExtractor:
    """One MediaPipe Holistic graph in video (tracking) mode; not thread-safe, one per worker.

    Only ``model_complexity=1`` ships inside the mediapipe 0.10.21 wheel (0 and 2 would try a
    download), so it is fixed here.
    """

    def __init__(self, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5):
        from mediapipe.python.solutions import holistic

        self._graph = holistic.Holistic(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=True,
            refine_face_landmarks=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def __enter__(self) -> HolisticExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None

    def process(self, image_rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Landmarks of one RGB frame: points float32 (75, 3), mask bool (75,)."""
        if self._graph is None:
            raise RuntimeError("extractor is closed")
        result = self._graph.process(np.ascontiguousarray(image_rgb))
        points = np.zeros((N_POINTS, 3), np.float32)
        mask = np.zeros(N_POINTS, bool)
        for part, landmarks, count in (
            (POSE, result.pose_landmarks, 33),
            (LEFT_HAND, result.left_hand_landmarks, 21),
            (RIGHT_HAND, result.right_hand_landmarks, 21),
        ):
            points[part], mask[part] = _landmarks(landmarks, count)
        return points, mask


def extract_pose(
    source: FrameSource,
    *,
    on_frame: Callable[[Frame, np.ndarray, np.ndarray], None] | None = None,
    stop: threading.Event | None = None,
) -> PoseSequence:
    """Run Holistic over every frame of a (finite) source and return the clip's PoseSequence.

    ``on_frame(frame, points, mask)`` is called per frame (progress, live overlay); setting
    ``stop`` ends extraction early and returns what was seen so far.
    Raises CaptureError from the source, ClipTooShortError, NoPersonError.
    """
    frames_points: list[np.ndarray] = []
    frames_mask: list[np.ndarray] = []
    size: tuple[int, int] | None = None
    with native_stderr_silenced(), source, HolisticExtractor() as extractor:
        for frame in source:
            if stop is not None and stop.is_set():
                break
            points, mask = extractor.process(frame.image)
            frames_points.append(points)
            frames_mask.append(mask)
            size = frame.size
            if on_frame is not None:
                on_frame(frame, points, mask)
        fps = source.fps
    if len(frames_points) < MIN_FRAMES:
        raise ClipTooShortError(
            f"{source.name} has {len(frames_points)} frame(s); a sign needs at least {MIN_FRAMES}"
        )
    mask = np.stack(frames_mask)
    if not mask[:, POSE].any():
        raise NoPersonError(f"no person was found in {source.name}")
    aspect = size[0] / size[1] if size else None
    return PoseSequence(np.stack(frames_points), mask, fps=fps, aspect=aspect)

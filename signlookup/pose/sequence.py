"""PoseSequence: landmarks of one clip with their presence mask, the unit every layer passes on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signlookup.pose.layout import N_POINTS, POSE

#: A sign needs movement: fewer frames than this is not a clip we can describe.
MIN_FRAMES = 2
#: A coordinate beyond this is no landmark (MediaPipe gives about -5..5, pixels stay < 1e5).
MAX_ABS_COORD = 1e6
#: Frame rates outside (0, MAX_FPS] are not a recording's.
MAX_FPS = 1000.0


class LandmarkDataError(ValueError):
    """Landmark arrays that cannot describe a sign; the message is meant for the user."""


def checked_landmarks(
    points: np.ndarray, mask: np.ndarray, fps: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Landmarks from outside (a file, a data set) made safe for every later stage, or refused.

    NaN, inf and absurdly large coordinates are missing landmarks: they are masked
    out (and zeroed) so that preprocessing interpolates them like any other gap. Raises
    LandmarkDataError for what no repair makes a sign: a wrong shape, too few frames, a frame
    rate that is not a positive number, or no body landmark at all.
    """
    points = np.asarray(points)
    mask = np.asarray(mask)
    if points.ndim != 3 or points.shape[1:] != (N_POINTS, 3):
        raise LandmarkDataError(f"landmarks must be (frames, {N_POINTS}, 3), got {points.shape}")
    if mask.shape != points.shape[:2]:
        raise LandmarkDataError(
            f"the mask is {mask.shape} but the landmarks are {points.shape}: they must agree"
        )
    if len(points) < MIN_FRAMES:
        raise LandmarkDataError(f"{len(points)} frame(s); a sign needs at least {MIN_FRAMES}")
    try:
        fps = float(fps)
    except (TypeError, ValueError):
        raise LandmarkDataError(f"the frame rate {fps!r} is not a number") from None
    if not np.isfinite(fps) or not 0 < fps <= MAX_FPS:
        raise LandmarkDataError(
            f"the frame rate is {fps:g}; it must be a positive number of frames per second"
        )
    with np.errstate(invalid="ignore", over="ignore"):
        points = points.astype(np.float32)
        sane = np.all(np.isfinite(points) & (np.abs(points) <= MAX_ABS_COORD), axis=-1)
    mask = mask.astype(bool) & sane
    points = np.where(mask[..., None], points, np.float32(0))
    if not mask[:, POSE].any():
        dropped = int((~sane).sum())
        why = f" ({dropped} were NaN, infinite or out of range)" if dropped else ""
        raise LandmarkDataError(f"no body landmark is present in any frame{why}")
    return points, mask, fps


@dataclass
class PoseSequence:
    """Landmarks of one clip in raw MediaPipe coordinates.

    points: float32 (T, 75, 3); x, y in 0..1 of the image width/height, z as MediaPipe gives it.
    mask:   bool (T, 75), True where the landmark was detected (one polarity everywhere).
    fps:    frames per second of the source (timestamps are ``index / fps``).
    aspect: image width / height when known; x is multiplied by it before normalising so that
            a non-square frame does not squash shapes. None for data sets that do not record it.
    """

    points: np.ndarray
    mask: np.ndarray
    fps: float = 30.0
    aspect: float | None = None

    def __post_init__(self) -> None:
        self.points = np.asarray(self.points, dtype=np.float32)
        self.mask = np.asarray(self.mask, dtype=bool)
        if self.points.ndim != 3 or self.points.shape[1:] != (N_POINTS, 3):
            raise ValueError(f"points must be (T, {N_POINTS}, 3), got {self.points.shape}")
        if self.mask.shape != self.points.shape[:2]:
            raise ValueError(f"mask must be {self.points.shape[:2]}, got {self.mask.shape}")

    @classmethod
    def from_zero_filled(
        cls, points: np.ndarray, fps: float = 30.0, aspect: float | None = None
    ) -> PoseSequence:
        """Wrap a data-set array where a missing landmark is stored as all zeros."""
        points = np.asarray(points, dtype=np.float32)
        return cls(points, np.any(points != 0, axis=-1), fps=fps, aspect=aspect)

    def __len__(self) -> int:
        return len(self.points)

    @property
    def duration_s(self) -> float:
        return len(self) / self.fps if self.fps > 0 else 0.0

    def slice(self, start: int, stop: int) -> PoseSequence:
        """Frames ``start:stop`` as a new sequence (used by trimming)."""
        return PoseSequence(self.points[start:stop], self.mask[start:stop], self.fps, self.aspect)

"""PoseSequence: landmarks of one clip with their presence mask, the unit every layer passes on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signlookup.pose.layout import N_POINTS


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

"""FeatureEmbedder: the training-free scorer, always available (no model file, no torch)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from signlookup.features import (
    FeatureSpec,
    canonical_poses,
    frame_features,
    pool_groups,
    pooled_dim,
)
from signlookup.features.pipeline import DEFAULT_TIME_CROPS, time_crop_views
from signlookup.index.base import normalise_rows
from signlookup.pose.sequence import PoseSequence


class FeatureEmbedder:
    """Engineered features, mean+std pooled per group, groups weighted, one unit vector per clip.

    Cosine of two vectors = weight-averaged cosine of their feature groups (see
    :func:`signlookup.features.pool_groups`), averaged over the time crops (``time_crops``:
    the clip whole and without its first / last 15%, as the bundle does at test time).
    """

    def __init__(
        self,
        spec: FeatureSpec | None = None,
        time_crops: tuple[tuple[float, float], ...] = DEFAULT_TIME_CROPS,
    ) -> None:
        self.spec = spec or FeatureSpec()
        self.time_crops = tuple((float(a), float(b)) for a, b in time_crops)
        self.name = "features"
        self.dim = pooled_dim(self.spec)
        self.content_hash = f"features-{self.spec.hash()}"
        if self.time_crops != ((0.0, 1.0),):
            self.content_hash += (
                f"-crops{len(self.time_crops)}-"
                + hashlib.sha256(repr(self.time_crops).encode()).hexdigest()[:8]
            )

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        """float32 (N, dim), unit rows: the mean of the crops' unit vectors, re-normalised."""
        if len(sequences) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.embed_poses(*canonical_poses(sequences, self.spec))

    def embed_poses(self, points: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Canonical poses (N, L, 75, 3), (N, L, 75) -> (N, dim) unit rows."""
        views = [pool_groups(frame_features(p, m), self.spec.weights)
                 for p, m in time_crop_views(points, mask, self.time_crops)]  # fmt: skip
        return normalise_rows(np.mean(views, axis=0)).astype(np.float32)

    def __repr__(self) -> str:
        return f"FeatureEmbedder(dim={self.dim}, hash={self.content_hash})"

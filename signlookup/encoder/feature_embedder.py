"""FeatureEmbedder: the training-free scorer, always available (no model file, no torch)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signlookup.features import FeatureSpec, pooled_dim, pooled_features
from signlookup.pose.sequence import PoseSequence


class FeatureEmbedder:
    """Engineered features, mean+std pooled per group, groups weighted, one unit vector per clip.

    Cosine of two vectors = weight-averaged cosine of their feature groups (see
    :func:`signlookup.features.pool_groups`).
    """

    def __init__(self, spec: FeatureSpec | None = None) -> None:
        self.spec = spec or FeatureSpec()
        self.name = "features"
        self.dim = pooled_dim(self.spec)
        self.content_hash = f"features-{self.spec.hash()}"

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        """float32 (N, dim), unit rows."""
        if len(sequences) == 0:
            return np.zeros((0, self.dim), np.float32)
        return pooled_features(sequences, self.spec)

    def __repr__(self) -> str:
        return f"FeatureEmbedder(dim={self.dim}, hash={self.content_hash})"

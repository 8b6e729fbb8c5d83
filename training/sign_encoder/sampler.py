"""P-K batches: P classes, K clips each, so every clip has K-1 positives in its batch."""

from __future__ import annotations

import numpy as np


class PKSampler:
    """Yields index arrays of P*K clips; seeded, so a run is reproducible.

    Classes with fewer than K clips are drawn with replacement (K >= 2 always gives positives;
    K = 1 would give SupCon nothing to pull together).
    """

    def __init__(self, labels: np.ndarray, p: int, k: int, seed: int = 0) -> None:
        if k < 2:
            raise ValueError("K must be at least 2: with one clip per class there are no positives")
        self.by_class = [np.flatnonzero(labels == c) for c in np.unique(labels)]
        if len(self.by_class) < 2:
            raise ValueError("need at least two classes")
        self.p = min(p, len(self.by_class))
        self.k = k
        self.rng = np.random.default_rng(seed)

    def batch(self) -> np.ndarray:
        classes = self.rng.choice(len(self.by_class), size=self.p, replace=False)
        out = []
        for c in classes:
            idx = self.by_class[c]
            out.append(self.rng.choice(idx, size=self.k, replace=len(idx) < self.k))
        return np.concatenate(out)

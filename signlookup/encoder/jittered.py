"""Jittered takes in an embedder's space: what a gallery's metric learns to ignore.

``signlookup.features.jitter`` re-records each take as another body, camera angle and rhythm
would have; the gallery metric (``signlookup.index.metric``) whitens their spread for signs the
gallery holds only a few times. Only embedders that embed canonical poses (``embed_poses``)
can be jittered; any other gets None and its metric is fitted from the takes alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signlookup.encoder.base import Embedder
from signlookup.features import canonical_poses
from signlookup.features.jitter import COPIES_PER_TAKE, jittered_copies
from signlookup.pose.sequence import PoseSequence


def embed_jittered(
    embedder: Embedder, sequences: Sequence[PoseSequence], copies: int = COPIES_PER_TAKE
) -> np.ndarray | None:
    """float32 (N, copies, dim): each take's jittered copies embedded; None when the embedder
    cannot embed canonical poses."""
    embed_poses = getattr(embedder, "embed_poses", None)
    spec = getattr(embedder, "spec", None)
    if embed_poses is None or spec is None:
        return None
    if len(sequences) == 0:
        return np.zeros((0, copies, embedder.dim), np.float32)
    points, mask = jittered_copies(*canonical_poses(sequences, spec), copies)
    n = len(points)
    flat = embed_poses(points.reshape(n * copies, *points.shape[2:]),
                       mask.reshape(n * copies, *mask.shape[2:]))  # fmt: skip
    return np.asarray(flat, np.float32).reshape(n, copies, -1)

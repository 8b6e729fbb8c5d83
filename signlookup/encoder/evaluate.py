"""Score an embedder on a gallery/query pair of keypoint sets exactly as the app's search ranks."""

from __future__ import annotations

import numpy as np

from signlookup.encoder.base import Embedder
from signlookup.encoder.metrics import DEFAULT_KS, score_embeddings
from signlookup.pose.io import KeypointSet
from signlookup.pose.sequence import PoseSequence


def embed_set(embedder: Embedder, data: KeypointSet, batch: int = 256) -> np.ndarray:
    """(N, dim) embeddings of every clip of a keypoint set (zeros = missing landmark)."""
    out = []
    for start in range(0, len(data.X), batch):
        seqs = [PoseSequence.from_zero_filled(x) for x in data.X[start : start + batch]]
        out.append(embedder.embed(seqs))
    return np.concatenate(out) if out else np.zeros((0, embedder.dim), np.float32)


def evaluate(
    embedder: Embedder,
    gallery: KeypointSet,
    queries: KeypointSet,
    exclude_self: bool = False,
    ks=DEFAULT_KS,
) -> dict:
    """recall@k, map, n_queries, n_gallery of cosine ranking (inner product of unit rows)."""
    g = embed_set(embedder, gallery)
    q = g if exclude_self else embed_set(embedder, queries)
    return score_embeddings(q, g, queries.y, gallery.y, ks=ks, exclude_self=exclude_self)

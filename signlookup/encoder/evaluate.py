"""Score an embedder on a gallery/query pair of keypoint sets exactly as the app's search ranks."""

from __future__ import annotations

import numpy as np

from signlookup.encoder.base import Embedder
from signlookup.encoder.metrics import DEFAULT_KS, score_embeddings
from signlookup.pose.io import KeypointSet
from signlookup.pose.sequence import PoseSequence
from signlookup.verdict import DEFAULT_QUANTILE, calibrate, flag_rates


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
    verdict_quantile: float = DEFAULT_QUANTILE,
) -> dict:
    """recall@k, map, n_queries, n_gallery of cosine ranking (inner product of unit rows).

    When some queries' signs are absent from the gallery, also the "no close match" verdict's
    flagged_absent / flagged_present (signlookup.verdict, calibrated on the gallery alone).
    """
    g = embed_set(embedder, gallery)
    q = g if exclude_self else embed_set(embedder, queries)
    result = score_embeddings(q, g, queries.y, gallery.y, ks=ks, exclude_self=exclude_self)
    present = np.isin(queries.y, gallery.y)
    if not exclude_self and not present.all():
        calibration = calibrate(g, gallery.y, verdict_quantile)
        top_scores = (q @ g.T).max(axis=1)
        result.update(flag_rates(top_scores, present, calibration))
        result["verdict_threshold"] = calibration.threshold
        result["verdict_quantile"] = verdict_quantile
    return result

"""Score an embedder on a gallery/query pair of keypoint sets exactly as the app's search ranks."""

from __future__ import annotations

from collections import Counter

import numpy as np

from signlookup.encoder.base import Embedder
from signlookup.encoder.metrics import DEFAULT_KS, score_embeddings
from signlookup.pose.io import KeypointSet
from signlookup.pose.sequence import LandmarkDataError, PoseSequence, checked_landmarks


def embed_set(
    embedder: Embedder, data: KeypointSet, batch: int = 256
) -> tuple[np.ndarray, dict[int, str]]:
    """Embeddings (N_usable, dim) of the usable clips of a set, in order, and for each unusable
    clip its index and why. One damaged take (NaN, no body, no shoulders) costs that take, not
    the run: NaN/inf points are gaps as in a query file (``checked_landmarks``)."""
    unusable: dict[int, str] = {}
    usable: list[tuple[int, PoseSequence]] = []
    for i, x in enumerate(data.X):
        try:
            points, mask, fps = checked_landmarks(x, np.any(x != 0, axis=-1), 30.0)
        except LandmarkDataError as exc:
            unusable[i] = str(exc)
            continue
        usable.append((i, PoseSequence(points, mask, fps)))
    out = []
    for start in range(0, len(usable), batch):
        part = usable[start : start + batch]
        try:
            out.append(embedder.embed([s for _, s in part]))
            continue
        except ValueError:  # find the take(s) that cannot be described, keep the others
            pass
        for i, seq in part:
            try:
                out.append(embedder.embed([seq]))
            except ValueError as exc:
                unusable[i] = str(exc)
    vectors = np.concatenate(out) if out else np.zeros((0, embedder.dim), np.float32)
    return vectors, unusable


def unusable_summary(unusable: dict[int, str]) -> str:
    """'3 (no body landmark is present in any frame: 2; ...: 1)' for a warning line."""
    counts = Counter(unusable.values()).most_common()
    return f"{len(unusable)} ({'; '.join(f'{why}: {n}' for why, n in counts)})"


def evaluate(
    embedder: Embedder,
    gallery: KeypointSet,
    queries: KeypointSet,
    exclude_self: bool = False,
    ks=DEFAULT_KS,
) -> dict:
    """recall@k, map, n_queries, n_gallery of cosine ranking (inner product of unit rows), and
    ``unusable``: {"gallery"/"queries": {take index: why}} of takes left out."""
    g, bad_g = embed_set(embedder, gallery)
    q, bad_q = (g, bad_g) if exclude_self else embed_set(embedder, queries)
    g_labels = np.delete(gallery.y, list(bad_g))
    q_labels = np.delete(queries.y, list(bad_q))
    result = score_embeddings(q, g, q_labels, g_labels, ks=ks, exclude_self=exclude_self)
    result["unusable"] = {"gallery": bad_g, "queries": bad_q}
    return result

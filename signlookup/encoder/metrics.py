"""Retrieval metrics as pure functions: each query ranks the whole gallery.

- ``recall@k``: share of queries with at least one gallery item of their class in the top k
  (the hit rate a dictionary user sees: "is the right sign on the first page").
- ``map``: mean over queries of average precision over *all* gallery items of the query's class.

Queries whose class is absent from the gallery have no defined AP and are left out (their count
is reported). ``exclude_self`` drops gallery item i from query i's ranking, for a set queried
against itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DEFAULT_KS: tuple[int, ...] = (1, 5, 10, 50)


def relevance_from_scores(
    scores: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    exclude_self: bool = False,
) -> list[np.ndarray]:
    """Per query, the gallery's relevance (bool) in descending-score order.

    scores (Q, G): similarity of each query to each gallery item. Ties keep gallery order
    (stable sort), so results are deterministic.
    """
    scores = np.asarray(scores, dtype=np.float64)
    q_lab, g_lab = np.asarray(query_labels), np.asarray(gallery_labels)
    if scores.shape != (len(q_lab), len(g_lab)):
        raise ValueError(f"scores {scores.shape} do not match {len(q_lab)} x {len(g_lab)} labels")
    out = []
    for i in range(len(q_lab)):
        order = np.argsort(-scores[i], kind="stable")
        if exclude_self:
            order = order[order != i]
        out.append(g_lab[order] == q_lab[i])
    return out


def average_precision(relevant: np.ndarray) -> float:
    """AP of one ranking (bool, best first); NaN when nothing is relevant."""
    relevant = np.asarray(relevant, dtype=bool)
    hits = np.flatnonzero(relevant)
    if len(hits) == 0:
        return float("nan")
    precision_at_hits = np.arange(1, len(hits) + 1) / (hits + 1)
    return float(precision_at_hits.mean())


def recall_at_k(relevant: np.ndarray, k: int) -> float:
    """1.0 when a relevant item is among the first k, else 0.0."""
    return float(np.asarray(relevant[:k], dtype=bool).any())


def retrieval_metrics(
    rankings: Sequence[np.ndarray], ks: Sequence[int] = DEFAULT_KS
) -> dict[str, float | int]:
    """recall@k for each k, map, n_queries (with a match), n_queries_without_match."""
    usable = [r for r in rankings if np.any(r)]
    result: dict[str, float | int] = {}
    for k in ks:
        result[f"recall@{k}"] = (
            float(np.mean([recall_at_k(r, k) for r in usable])) if usable else float("nan")
        )
    result["map"] = (
        float(np.mean([average_precision(r) for r in usable])) if usable else float("nan")
    )
    result["n_queries"] = len(usable)
    result["n_queries_without_match"] = len(rankings) - len(usable)
    return result


def score_embeddings(
    query_vectors: np.ndarray,
    gallery_vectors: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    ks: Sequence[int] = DEFAULT_KS,
    exclude_self: bool = False,
) -> dict[str, float | int]:
    """Cosine (inner product of unit rows) ranking and its metrics, plus n_gallery."""
    scores = np.asarray(query_vectors, np.float32) @ np.asarray(gallery_vectors, np.float32).T
    rankings = relevance_from_scores(scores, query_labels, gallery_labels, exclude_self)
    result = retrieval_metrics(rankings, ks)
    result["n_gallery"] = len(gallery_labels)
    return result

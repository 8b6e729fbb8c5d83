"""Retrieval metrics as pure functions: each query ranks the whole gallery.

From the rank of the first gallery item of the query's class (the place of the right sign in
the list a dictionary user sees), as ASL Citizen reports look-up:

- ``hit@k``: share of queries whose class is among the first k (a hit rate, not recall).
- ``mrr``: mean of 1 / rank.
- ``dcg``: mean of 1 / log2(rank + 1) (one relevant sign per query: 1 at rank 1, 0.63 at 2).

And over the whole ranking: ``map``, mean over queries of average precision over *all* gallery
items of the query's class.

One tie rule everywhere: a gallery item that ties with a relevant one is ranked before it (ties
count against the scorer, so a constant score is the worst case, never a lucky gallery order).
Queries whose class is absent from the gallery have no rank and are left out (their count is
reported). ``exclude_self`` drops gallery item i from query i's ranking, for a set queried
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
    """Per query, the gallery's relevance (bool) in descending-score order, ties against it.

    scores (Q, G): similarity of each query to each gallery item.
    """
    scores = np.asarray(scores, dtype=np.float64)
    q_lab, g_lab = np.asarray(query_labels), np.asarray(gallery_labels)
    if scores.shape != (len(q_lab), len(g_lab)):
        raise ValueError(f"scores {scores.shape} do not match {len(q_lab)} x {len(g_lab)} labels")
    out = []
    for i in range(len(q_lab)):
        relevant = g_lab == q_lab[i]
        order = np.lexsort((relevant, -scores[i]))  # by score, then irrelevant first
        if exclude_self:
            order = order[order != i]
        out.append(relevant[order])
    return out


def average_precision(relevant: np.ndarray) -> float:
    """AP of one ranking (bool, best first); NaN when nothing is relevant."""
    relevant = np.asarray(relevant, dtype=bool)
    hits = np.flatnonzero(relevant)
    if len(hits) == 0:
        return float("nan")
    precision_at_hits = np.arange(1, len(hits) + 1) / (hits + 1)
    return float(precision_at_hits.mean())


def first_hit_rank(relevant: np.ndarray) -> int:
    """1-based rank of the first relevant item; 0 when nothing is relevant."""
    hits = np.flatnonzero(np.asarray(relevant, dtype=bool))
    return int(hits[0]) + 1 if len(hits) else 0


def hit_at_k(relevant: np.ndarray, k: int) -> float:
    """1.0 when a relevant item is among the first k, else 0.0."""
    return float(np.asarray(relevant[:k], dtype=bool).any())


def retrieval_metrics(
    rankings: Sequence[np.ndarray], ks: Sequence[int] = DEFAULT_KS
) -> dict[str, float | int]:
    """hit@k for each k, mrr, dcg, map, n_queries (with a match), n_queries_without_match."""
    usable = [r for r in rankings if np.any(r)]
    ranks = np.array([first_hit_rank(r) for r in usable], dtype=np.float64)
    nan = float("nan")
    result: dict[str, float | int] = {}
    for k in ks:
        result[f"hit@{k}"] = float(np.mean(ranks <= k)) if usable else nan
    result["mrr"] = float(np.mean(1 / ranks)) if usable else nan
    result["dcg"] = float(np.mean(1 / np.log2(ranks + 1))) if usable else nan
    result["map"] = float(np.mean([average_precision(r) for r in usable])) if usable else nan
    result["n_queries"] = len(usable)
    result["n_queries_without_match"] = len(rankings) - len(usable)
    return result


def per_group_metrics(
    rankings: Sequence[np.ndarray],
    groups: Sequence,
    ks: Sequence[int] = DEFAULT_KS,
) -> dict:
    """:func:`retrieval_metrics` per group of queries (e.g. per signer), and the worst group.

    Returns {"per_group": {group: metrics}, "worst_group": name, "worst": metrics}, the worst
    being the group with the lowest mAP (ties: the lowest hit@1, then the name).
    """
    groups = np.asarray(groups)
    if len(groups) != len(rankings):
        raise ValueError(f"{len(groups)} groups for {len(rankings)} rankings")
    per = {}
    for g in sorted(set(groups.tolist())):
        m = retrieval_metrics([r for r, gi in zip(rankings, groups, strict=True) if gi == g], ks)
        if m["n_queries"]:
            per[str(g)] = m
    if not per:
        return {"per_group": {}, "worst_group": None, "worst": {}}
    first = f"hit@{ks[0]}" if ks else "mrr"
    worst = min(per, key=lambda g: (per[g]["map"], per[g][first], g))
    return {"per_group": per, "worst_group": worst, "worst": per[worst]}


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

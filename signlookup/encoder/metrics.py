"""Retrieval metrics as pure functions: each query ranks the whole gallery.

From the rank of the query's sign in the list a dictionary user sees, as ASL Citizen reports
look-up (:func:`sign_ranks`: each sign once, scored over all its takes as the app's search
ranks, ``signlookup.index.sign_score``; without it, the rank of the first relevant item):

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

from signlookup.index.sign_score import SIGN_TEMPERATURE, sign_scores

DEFAULT_KS: tuple[int, ...] = (1, 5, 10, 50)


def _checked(
    scores: np.ndarray, query_labels: Sequence, gallery_labels: Sequence
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """scores (Q, G) as float64 and the labels as arrays; a shape that does not match raises."""
    scores = np.asarray(scores, dtype=np.float64)
    q_lab, g_lab = np.asarray(query_labels), np.asarray(gallery_labels)
    if scores.shape != (len(q_lab), len(g_lab)):
        raise ValueError(f"scores {scores.shape} do not match {len(q_lab)} x {len(g_lab)} labels")
    return scores, q_lab, g_lab


def relevance_from_scores(
    scores: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    exclude_self: bool = False,
) -> list[np.ndarray]:
    """Per query, the gallery's relevance (bool) in descending-score order, ties against it.

    scores (Q, G): similarity of each query to each gallery item.
    """
    scores, q_lab, g_lab = _checked(scores, query_labels, gallery_labels)
    out = []
    for i in range(len(q_lab)):
        relevant = g_lab == q_lab[i]
        order = np.lexsort((relevant, -scores[i]))  # by score, then irrelevant first
        if exclude_self:
            order = order[order != i]
        out.append(relevant[order])
    return out


def sign_ranks(
    scores: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    exclude_self: bool = False,
    temperature: float = SIGN_TEMPERATURE,
) -> np.ndarray:
    """Per query, the 1-based rank of its sign among the gallery's signs as the app lists them
    (each sign once, at its score over all its takes); 0 when the gallery lacks the sign. Ties
    count against. ``exclude_self`` leaves gallery item i out of query i's list."""
    scores, q_lab, g_lab = _checked(scores, query_labels, gallery_labels)
    names, signs = np.unique(g_lab, return_inverse=True)
    counts = np.bincount(signs, minlength=len(names))
    ranks = np.zeros(len(q_lab), np.int64)
    for i in range(len(q_lab)):
        own = np.searchsorted(names, q_lab[i])
        if own >= len(names) or names[own] != q_lab[i]:
            continue
        row_signs, row_counts = signs, counts
        if exclude_self:
            row_signs, row_counts = signs.copy(), counts.copy()
            row_signs[i], row_counts[signs[i]] = -1, counts[signs[i]] - 1
            if row_counts[own] == 0:
                continue
        per_sign = sign_scores(scores[i], row_signs, row_counts, temperature)[0]
        ranks[i] = int((per_sign >= per_sign[own]).sum())
    return ranks


def rank_queries(
    scores: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    exclude_self: bool = False,
) -> tuple[list[np.ndarray], np.ndarray]:
    """:func:`relevance_from_scores` and :func:`sign_ranks` of one score matrix: what
    :func:`retrieval_metrics` reads."""
    return (
        relevance_from_scores(scores, query_labels, gallery_labels, exclude_self),
        sign_ranks(scores, query_labels, gallery_labels, exclude_self),
    )


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
    rankings: Sequence[np.ndarray],
    ks: Sequence[int] = DEFAULT_KS,
    ranks_of_signs: np.ndarray | None = None,
) -> dict[str, float | int]:
    """hit@k for each k, mrr, dcg, map, n_queries (with a match), n_queries_without_match.

    hit@k, mrr and dcg come from ``ranks_of_signs`` (:func:`sign_ranks`) when given, else from
    the first relevant item of each ranking; map always from the rankings."""
    has_match = np.array([bool(np.any(r)) for r in rankings], bool)
    usable = [r for r, ok in zip(rankings, has_match, strict=True) if ok]
    if ranks_of_signs is None:
        ranks = np.array([first_hit_rank(r) for r in usable], dtype=np.float64)
    else:
        ranks = np.asarray(ranks_of_signs, dtype=np.float64)[has_match]
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
    ranks_of_signs: np.ndarray | None = None,
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
        rows = np.flatnonzero(groups == g)
        ranks = None if ranks_of_signs is None else np.asarray(ranks_of_signs)[rows]
        m = retrieval_metrics([rankings[i] for i in rows], ks, ranks)
        if m["n_queries"]:
            per[str(g)] = m
    if not per:
        return {"per_group": {}, "worst_group": None, "worst": {}}
    first = f"hit@{ks[0]}" if ks else "mrr"
    worst = min(per, key=lambda g: (per[g]["map"], per[g][first], g))
    return {"per_group": per, "worst_group": worst, "worst": per[worst]}


def look_up_metrics(
    scores: np.ndarray,
    query_labels: Sequence,
    gallery_labels: Sequence,
    ks: Sequence[int] = DEFAULT_KS,
    exclude_self: bool = False,
    groups: Sequence | None = None,
) -> dict:
    """:func:`retrieval_metrics` of a score matrix (signs ranked as the app lists them), plus
    n_gallery; with ``groups`` (one per query, e.g. its signer) also :func:`per_group_metrics`'s
    ``per_group`` and ``worst_group`` / ``worst``."""
    rankings, ranks = rank_queries(scores, query_labels, gallery_labels, exclude_self)
    result: dict = retrieval_metrics(rankings, ks, ranks)
    result["n_gallery"] = len(gallery_labels)
    if groups is not None:
        result.update(per_group_metrics(rankings, groups, ks, ranks))
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
    return look_up_metrics(scores, query_labels, gallery_labels, ks, exclude_self)

"""Retrieval metrics as pure functions of a score matrix, tested against hand-made rankings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def ranks_of_truth(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """1-based rank of each query's true candidate.

    ``scores``: (n_queries, n_candidates), higher is better; ``truth``: (n_queries,) indices.
    Ties count against the truth (a candidate with an equal score ranks ahead), so a constant
    scorer cannot look good.
    """
    scores = np.asarray(scores, np.float64)
    true_scores = scores[np.arange(len(truth)), truth]
    better_or_equal = (scores >= true_scores[:, None]).sum(axis=1)
    return better_or_equal.astype(np.int64)  # includes the truth itself


def retrieval_metrics(ranks: np.ndarray, ks: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    """``recall@k`` for each k, ``mrr`` and ``n`` from 1-based ranks."""
    ranks = np.asarray(ranks)
    out: dict[str, float] = {f"recall@{k}": float((ranks <= k).mean()) for k in ks}
    out["mrr"] = float((1.0 / ranks).mean())
    out["n"] = len(ranks)
    return out


def pairwise_accuracy(true_scores: np.ndarray, twin_scores: np.ndarray) -> float:
    """Share of pairs where the true gloss strictly outscores its minimally edited twin."""
    return float((np.asarray(true_scores) > np.asarray(twin_scores)).mean())


def token_prf(predicted: Sequence[str], truth: Sequence[str]) -> tuple[float, float, float]:
    """Multiset token precision, recall and F1 (a word twice in both counts twice).

    Two empty sequences agree fully; one empty side scores 0."""
    if not predicted and not truth:
        return 1.0, 1.0, 1.0
    common = sum((Counter(predicted) & Counter(truth)).values())
    p = common / len(predicted) if predicted else 0.0
    r = common / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def mean_token_prf(
    predicted: Sequence[Sequence[str]], truth: Sequence[Sequence[str]], prefix: str = "draft_"
) -> dict[str, float]:
    """``{prefix}precision/recall/f1``: per-pair multiset scores, averaged over pairs."""
    scores = np.array([token_prf(p, t) for p, t in zip(predicted, truth, strict=True)])
    names = ("precision", "recall", "f1")
    return {f"{prefix}{n}": round(float(scores[:, i].mean()), 4) for i, n in enumerate(names)}

""" "No close match": a verdict per search, calibrated on the gallery's own scores.

A fixed cosine threshold cannot work: scores shift with the signer, the recording and the
gallery. So each gallery calibrates its own: every entry (or a sample of them) is searched
against the gallery *without its own gloss*, which is what a query of an absent sign looks
like, and the best score it finds there is recorded. A query whose top-1 score falls below
the ``quantile`` of those "absent-like" scores is flagged "no close match".

Of the rules measured in docs/verdict.md (top-1 score, top-1 minus top-2, z-scores of the top-1
over the query's other scores, top-1 minus the matched entry's own leave-one-gloss-out score,
logistic combinations fitted on the gallery's own simulation), the top-1 score separated absent
from present signs best on every one-signer protocol and on three of four cross-signer ones; the
others are left out of the library. Across signers no rule approaches the target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: Share of the gallery's leave-one-gloss-out scores that lie below the threshold. Chosen on
#: docs/verdict.md's same-signer protocol (flags ~10% of present queries there).
DEFAULT_QUANTILE = 0.7
#: Entries searched for the calibration; a quantile needs no more, and it keeps big galleries cheap.
CALIBRATION_SAMPLE = 2000
#: Neighbours fetched per sampled entry when searching through an index.
CALIBRATION_K = 64

#: (queries (Q, dim), k) -> (scores (Q, k), row numbers (Q, k), -1 padded), best first.
SearchFn = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Calibration:
    """The threshold of one gallery. ``threshold`` is NaN when it cannot be calibrated
    (fewer than two glosses): then no query is flagged, since there is no evidence either way."""

    threshold: float
    quantile: float
    n_scores: int

    @property
    def calibrated(self) -> bool:
        return bool(np.isfinite(self.threshold))


@dataclass(frozen=True)
class Verdict:
    """Whether a search found a close match, with the numbers it was decided on."""

    close_match: bool
    top_score: float
    threshold: float
    quantile: float

    def to_json(self) -> dict[str, object]:
        return {
            "close_match": self.close_match,
            "top_score": round(self.top_score, 6),
            "threshold": None if not np.isfinite(self.threshold) else round(self.threshold, 6),
            "quantile": self.quantile,
            "rule": "no close match when top_score < threshold: the quantile of the gallery's "
            "leave-one-gloss-out top-1 scores",
        }


def _matrix_search(vectors: np.ndarray) -> SearchFn:
    """Exact inner-product search over ``vectors`` (row numbers as ids), in blocks."""

    def search(queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(vectors))
        scores_out = np.empty((len(queries), k), np.float32)
        rows_out = np.empty((len(queries), k), np.int64)
        for start in range(0, len(queries), 256):
            s = queries[start : start + 256] @ vectors.T
            top = np.argsort(-s, axis=1, kind="stable")[:, :k]
            rows_out[start : start + 256] = top
            scores_out[start : start + 256] = np.take_along_axis(s, top, axis=1)
        return scores_out, rows_out

    return search


def absent_like_scores(
    vectors: np.ndarray,
    glosses: Sequence[str],
    search: SearchFn | None = None,
    sample: int = CALIBRATION_SAMPLE,
    k: int = CALIBRATION_K,
    seed: int = 0,
) -> np.ndarray:
    """Each (sampled) entry's best score to an entry of another gloss: a query of an absent sign.

    vectors (N, dim) unit rows; glosses (N,) already normalised (equal strings = one sign).
    ``search`` returns row numbers into ``vectors`` (default: exact, in memory); an entry whose
    ``k`` nearest are all its own gloss is skipped.
    """
    vectors = np.asarray(vectors, np.float32)
    labels = np.asarray(glosses)
    if len(vectors) < 2 or len(np.unique(labels)) < 2:
        return np.zeros(0, np.float32)
    rows = np.arange(len(vectors))
    if len(rows) > sample:
        rows = np.sort(np.random.default_rng(seed).choice(rows, sample, replace=False))
    search = search or _matrix_search(vectors)
    scores, hits = search(vectors[rows], k)
    out = []
    for row, s, h in zip(rows, scores, hits, strict=True):
        other = (h >= 0) & (labels[np.maximum(h, 0)] != labels[row])
        if other.any():
            out.append(s[np.argmax(other)])
    return np.asarray(out, np.float32)


def calibrate(
    vectors: np.ndarray,
    glosses: Sequence[str],
    quantile: float = DEFAULT_QUANTILE,
    search: SearchFn | None = None,
) -> Calibration:
    """The gallery's threshold: ``quantile`` of :func:`absent_like_scores`."""
    if not 0.0 <= quantile <= 1.0:
        raise ValueError(f"quantile must be in [0, 1], got {quantile}")
    scores = absent_like_scores(vectors, glosses, search)
    threshold = float(np.quantile(scores, quantile)) if len(scores) else float("nan")
    return Calibration(threshold, quantile, len(scores))


def judge(top_score: float, calibration: Calibration) -> Verdict:
    """The verdict on one search whose best result scored ``top_score``."""
    flagged = calibration.calibrated and top_score < calibration.threshold
    return Verdict(not flagged, float(top_score), calibration.threshold, calibration.quantile)


def flag_rates(
    top_scores: np.ndarray, present: np.ndarray, calibration: Calibration
) -> dict[str, float]:
    """flagged_absent / flagged_present: share of absent- / present-sign queries flagged."""
    top_scores, present = np.asarray(top_scores), np.asarray(present, bool)
    flagged = np.array([not judge(s, calibration).close_match for s in top_scores], bool)
    nan = float("nan")
    return {
        "flagged_absent": float(flagged[~present].mean()) if (~present).any() else nan,
        "flagged_present": float(flagged[present].mean()) if present.any() else nan,
    }

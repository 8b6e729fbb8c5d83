"""Score an embedder on a gallery/query pair of keypoint sets exactly as the app's search ranks.

A take that cannot be embedded (no landmark at all, nothing after the padding) is left out and
counted with its reason, so one bad take never stops the evaluation of the others.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from signlookup.encoder.base import Embedder
from signlookup.encoder.jittered import embed_jittered
from signlookup.encoder.metrics import DEFAULT_KS, look_up_metrics
from signlookup.index.metric import SHRINKAGE, GalleryMetric, jitter_allowed
from signlookup.index.session import SESSION_PRIOR, SESSION_SIZE, adapt_in_order
from signlookup.pose.io import KeypointSet
from signlookup.pose.sequence import PoseSequence, checked_landmarks
from signlookup.verdict import DEFAULT_QUANTILE, calibrate, flag_rates


@dataclass
class EmbeddedSet:
    """vectors (n_usable, dim) of the usable takes, ``usable`` bool (N,), reasons -> counts."""

    vectors: np.ndarray
    usable: np.ndarray
    problems: Counter = field(default_factory=Counter)

    @property
    def n_unusable(self) -> int:
        return int((~self.usable).sum())


def _sequences(data: KeypointSet, idx) -> list[PoseSequence]:
    """Takes as sequences; NaN/inf points become gaps, as in a query file (one gate)."""
    out = []
    for i in idx:
        x = data.frames(i).astype(np.float32)
        out.append(PoseSequence(*checked_landmarks(x, np.any(x != 0, axis=-1), 30.0)))
    return out


def embed_set(embedder: Embedder, data: KeypointSet, batch: int = 256) -> EmbeddedSet:
    """Embed every take of a keypoint set (zeros = missing landmark, padding cut at lengths).

    A batch that fails is embedded take by take, so only the bad takes are dropped."""
    usable = np.ones(len(data.X), bool)
    problems: Counter = Counter()
    out = []
    for start in range(0, len(data.X), batch):
        idx = range(start, min(start + batch, len(data.X)))
        try:
            out.append(embedder.embed(_sequences(data, idx)))
            continue
        except ValueError:
            pass
        for i in idx:
            try:
                if len(data.frames(i)) == 0:
                    raise ValueError("the take has no frames")
                out.append(embedder.embed(_sequences(data, [i])))
            except ValueError as exc:
                usable[i] = False
                problems[str(exc)] += 1
    vectors = np.concatenate(out) if out else np.zeros((0, embedder.dim), np.float32)
    return EmbeddedSet(vectors.astype(np.float32), usable, problems)


def gallery_jittered(
    embedder: Embedder, gallery: KeypointSet, usable: np.ndarray, labels: np.ndarray
) -> np.ndarray | None:
    """The usable gallery takes' jittered copies where the metric uses them (signs held at most
    JITTER_PER_SIGN times; NaN rows elsewhere), as the app's gallery makes them."""
    needed = np.flatnonzero(jitter_allowed(labels) > 0)
    takes = np.flatnonzero(usable)[needed]
    copies = embed_jittered(embedder, _sequences(gallery, takes))
    if copies is None:
        return None
    out = np.full((len(labels), copies.shape[1], embedder.dim), np.nan, np.float32)
    out[needed] = copies
    return out


def _skipped(embedded: EmbeddedSet) -> dict:
    return {"n": embedded.n_unusable, "reasons": dict(embedded.problems)}


def evaluate(
    embedder: Embedder,
    gallery: KeypointSet,
    queries: KeypointSet,
    exclude_self: bool = False,
    ks=DEFAULT_KS,
    verdict_quantile: float = DEFAULT_QUANTILE,
    signer_session: bool = False,
) -> dict:
    """hit@k, mrr, dcg, map, n_queries, n_gallery of cosine ranking (inner product of unit rows),
    plus ``unusable_gallery`` / ``unusable_queries``: {"n": takes left out, "reasons": counts};
    when the query set names its signers, ``per_signer`` and ``worst_signer`` (lowest mAP).

    When some queries' signs are absent from the gallery, also the "no close match" verdict's
    flagged_absent / flagged_present (signlookup.verdict, calibrated on the gallery alone).
    ``signer_session``: each query is first adapted to the earlier queries of its signer (in
    the query set's order; its ``signer`` ids, else one signer), as the app adapts a camera's
    look-ups (signlookup.index.session).
    """
    g = embed_set(embedder, gallery)
    q = g if exclude_self else embed_set(embedder, queries)
    g_labels, q_labels = gallery.y[g.usable], queries.y[q.usable]
    if len(g.vectors) == 0 or len(q.vectors) == 0:
        result: dict = {"map": float("nan"), "n_queries": 0, "n_gallery": len(g.vectors)}
    else:
        # the app's scorer: the cosine in the gallery's own metric (signlookup.index.metric)
        jittered = gallery_jittered(embedder, gallery, g.usable, g_labels)
        metric = GalleryMetric.fit(g.vectors, g_labels, jittered=jittered)
        raw_queries = q.vectors
        signers = queries.signer[q.usable] if queries.signer is not None else None
        if signer_session:
            raw_queries = adapt_in_order(q.vectors, signers, metric, g.vectors, g_labels)
        g_vectors, q_vectors = metric.apply(g.vectors), metric.apply(raw_queries)
        scores = q_vectors @ g_vectors.T
        result = look_up_metrics(scores, q_labels, g_labels, ks, exclude_self, signers)
        if signers is not None:  # ASL Citizen's per-signer figures and the worst signer
            result["per_signer"] = result.pop("per_group")
            result["worst_signer"] = {"signer": result.pop("worst_group"), **result.pop("worst")}
        result["gallery_metric"] = {
            "whitened_from": metric.n_within,  # takes and jittered takes sharing their sign
            "shrinkage": SHRINKAGE,
            "jittered_takes": jittered is not None,
        }
        if signer_session:
            result["signer_session"] = {"size": SESSION_SIZE, "prior": SESSION_PRIOR}
        present = np.isin(q_labels, g_labels)
        if not exclude_self and not present.all():
            calibration = calibrate(g_vectors, g_labels, verdict_quantile)
            top_scores = scores.max(axis=1)
            result.update(flag_rates(top_scores, present, calibration))
            result["verdict_threshold"] = calibration.threshold
            result["verdict_quantile"] = verdict_quantile
    result["unusable_gallery"] = _skipped(g)
    result["unusable_queries"] = _skipped(q)
    return result

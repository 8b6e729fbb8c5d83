"""A look-up session adapts to its signer: the offset of their takes is learnt and taken away.

Every take of one signer shares an offset the gallery never saw: their build, their camera,
their framing. After each camera look-up the session keeps the query's *residual*, its vector
minus the mean vector of the sign it found (the gallery's takes of that sign), and centres the
next look-ups by the mean residual, shrunk towards none while there are few (after n look-ups
the mean counts n / (n + SESSION_PRIOR)). It is speaker adaptation as speech recognisers do it
with their own hypotheses, on the embedding.

Residuals, not the plain mean of the look-ups: a person who looks up the same two signs again
and again would otherwise have those signs taken for their offset. Measured on strangers
(docs/encoder.md, "A session adapts to its signer"), each looking up all their takes: on
libras_ufpb_pose leave-one-signer-out hit@1 0.733 -> 0.746, worst signer's mAP 0.494 -> 0.530
(0.672 -> 0.697, 0.364 -> 0.406 before the features' arm and face groups);
the gallery's own signer unchanged; gislr phone signers against a one-take dictionary, who look
up only two signs with half of the answers wrong, within 0.01 of no session (the plain mean
lost 0.065-0.09 there).

The app keeps one session for its camera (one person in front of it); files come from anywhere
and are searched without one. Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

import numpy as np

from signlookup.index.metric import GalleryMetric
from signlookup.index.sign_score import sign_scores

#: Recent look-ups a session keeps: enough for a stable mean, few enough to follow a new signer.
SESSION_SIZE = 50
#: Look-ups' worth of "no offset" the mean residual is shrunk towards (a prior). Early wrong
#: answers reinforce themselves (a residual to the wrong sign moves the next look-up towards
#: it): 2-10 lost 0.03-0.11 hit@1 on the gislr -> dictionary protocol; 20 lost nothing there
#: and kept most of the gain on ufpb (docs/encoder.md).
SESSION_PRIOR = 20.0


class SignerSession:
    """The residuals of one signer's recent look-ups, keyed so that searching one recording
    again (another trim) replaces it instead of counting it twice."""

    def __init__(self, size: int = SESSION_SIZE, prior: float = SESSION_PRIOR) -> None:
        self.size = size
        self.prior = prior
        self._residuals: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._space = ""
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Look-ups recorded: a snapshot read without the lock, so a GUI thread never waits."""
        return len(self._residuals)

    def clear(self) -> None:
        with self._lock:
            self._residuals.clear()

    def adapt(self, vector: np.ndarray, space: str, key: Hashable = None) -> np.ndarray:
        """``vector`` (dim,) less the session's offset, learnt from look-ups other than ``key``.
        ``space`` names what residuals are measured against (the embedder's content hash and
        the gallery): a session of another space is forgotten."""
        vector = np.asarray(vector, np.float32)
        with self._lock:
            if space != self._space:
                self._residuals.clear()
                self._space = space
            others = dict(self._residuals)
            if key is not None:
                others.pop(key, None)  # this recording's earlier trim is not "earlier"
            earlier = list(others.values())
            if not earlier:
                return vector
            weight = len(earlier) / (len(earlier) + self.prior)
            return (vector - weight * np.mean(earlier, axis=0)).astype(np.float32)

    def record(self, key: Hashable, residual: np.ndarray) -> None:
        """Keep a look-up's residual (its vector less the mean of the sign it found)."""
        with self._lock:
            self._residuals.pop(key, None)
            self._residuals[key if key is not None else object()] = np.asarray(residual, np.float32)
            while len(self._residuals) > self.size:
                self._residuals.popitem(last=False)


def sign_means(vectors: np.ndarray, signs: np.ndarray, n_signs: int) -> np.ndarray:
    """(n_signs, dim) mean vector of each sign's takes: what a residual is measured from."""
    sums = np.zeros((n_signs, vectors.shape[1]), np.float64)
    np.add.at(sums, signs, vectors)
    counts = np.maximum(np.bincount(signs, minlength=n_signs), 1)
    return (sums / counts[:, None]).astype(np.float32)


def adapt_in_order(
    queries: np.ndarray,
    groups: Sequence[Hashable] | None,
    metric: GalleryMetric,
    gallery: np.ndarray,
    gallery_signs: Sequence[str],
    prior: float = SESSION_PRIOR,
) -> np.ndarray:
    """Each query (raw embedder vectors, in order) adapted to the earlier queries of its
    group (signer) as the app's camera session adapts, the gallery ``gallery`` (raw vectors)
    ranked as the app ranks it; ``groups`` None = one signer. Returns the adapted vectors."""
    names, signs = np.unique(np.asarray(gallery_signs), return_inverse=True)
    counts = np.bincount(signs, minlength=len(names))
    means = sign_means(gallery, signs, len(names))
    applied = metric.apply(gallery)
    sessions: dict[Hashable, SignerSession] = {}
    out = np.empty_like(queries, dtype=np.float32)
    for i, vector in enumerate(queries):
        group = None if groups is None else groups[i]
        session = sessions.setdefault(group, SignerSession(prior=prior))
        out[i] = session.adapt(vector, "", key=i)
        found = int(np.argmax(sign_scores(metric.apply(out[i][None]) @ applied.T, signs, counts)))
        session.record(i, vector - means[found])
    return out

"""A look-up session adapts to its signer: their own mean replaces the gallery's for their queries.

Every take of one signer shares an offset the gallery never saw: their build, their camera,
their framing. The gallery metric centres queries on the gallery's mean, which holds the
gallery's signers' offsets, not the stranger's. A session keeps the stranger's recent queries
and centres each new one on *their* mean instead, shrunk towards the gallery's while there are
few (per-speaker mean normalisation, as speech recognisers adapt to a speaker). Measured on
signers never seen (docs/encoder.md, "A session adapts to its signer"), each signer looking up
all their takes in a random order: libras_ufpb_pose leave-one-signer-out hit@1 0.672 -> 0.718,
mAP 0.504 -> 0.553, worst signer 0.364 -> 0.432; gislr's worst signer 0.836 -> 0.856; the
gallery's own signer (bberaldo halves) unchanged. When the camera changes hands, the newcomer's
first 5 look-ups lose a little on ufpb (hit@1 0.533 -> 0.500), nothing on gislr.

The app keeps one session for its camera (one person in front of it); files come from anywhere
and are searched without one. Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np

#: Recent queries a session keeps: enough for a stable mean, few enough to follow a new signer.
SESSION_SIZE = 50
#: Weight of the gallery's mean, in queries: with n recorded, the session's mean counts
#: n / (n + SESSION_PRIOR). 0, 5 and 10 were within 0.01 on ufpb; 0 lost 0.007 on gislr.
SESSION_PRIOR = 5.0


class SignerSession:
    """The recent queries of one signer, keyed so that searching one recording again (another
    trim) replaces it instead of counting it twice."""

    def __init__(self, size: int = SESSION_SIZE, prior: float = SESSION_PRIOR) -> None:
        self.size = size
        self.prior = prior
        self._queries: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._space = ""
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Queries recorded: a snapshot read without the lock, so a GUI thread never waits."""
        return len(self._queries)

    def clear(self) -> None:
        with self._lock:
            self._queries.clear()

    def adapt(
        self, vector: np.ndarray, gallery_mean: np.ndarray, space: str, key: Hashable = None
    ) -> np.ndarray:
        """``vector`` (dim,) moved by the session's offset from ``gallery_mean``, then recorded
        under ``key``. The query itself (its key) is left out of its own offset. ``space`` names
        the vectors (the embedder's content hash): queries of another space are forgotten.
        A gallery whose metric does not centre (all-zero mean) leaves the vector as it is."""
        vector = np.asarray(vector, np.float32)
        with self._lock:
            if space != self._space:
                self._queries.clear()
                self._space = space
            if key is not None:
                self._queries.pop(key, None)  # this recording's earlier trim: not "earlier"
            earlier = list(self._queries.values())
            out = vector
            if earlier and np.any(gallery_mean):
                weight = len(earlier) / (len(earlier) + self.prior)
                out = vector - weight * (np.mean(earlier, axis=0) - gallery_mean)
            self._queries[key if key is not None else object()] = vector
            while len(self._queries) > self.size:
                self._queries.popitem(last=False)
            return out.astype(np.float32)

"""A sign's score from every take the gallery holds of it, not from its one best take.

Ranking signs by their best take lets one lucky take of a wrong sign outrank a sign whose every
take is close. A sign's score here is the log-mean-exp of its takes' cosines: a soft maximum
that is the best take's score for a sign held once, and is pulled down by the takes that do not
match for a sign held many times. It is a Parzen classifier with one prior per *sign* (the mean,
not the sum, of the kernels), so a sign is not favoured for having more takes. Measured on
signers never seen (docs/encoder.md, "A sign's score from all its takes"): hit@1 of the right
sign on libras_ufpb_pose leave-one-signer-out 0.641 -> 0.672, gislr 0.969 -> 0.984; against a
dictionary of one signer's many takes it costs 0.010 (ufpb); a gallery of one take per sign
ranks exactly as by the best take.
"""

from __future__ import annotations

import numpy as np

#: Softness of the maximum, in cosine units: near 0 the best take alone; large, the mean of the
#: takes. 0.07-0.15 were within 0.005 hit@1 on both cross-signer protocols; 0.1 is the middle.
SIGN_TEMPERATURE = 0.1
#: Entries a search scores before grouping them by sign. A take outside the window adds
#: exp(-gap / temperature) to its sign's mean, nothing a rank can see: 256 ranked as every entry did.
SIGN_WINDOW = 256


def sign_scores(
    scores: np.ndarray,
    signs: np.ndarray,
    counts: np.ndarray,
    temperature: float = SIGN_TEMPERATURE,
) -> np.ndarray:
    """(Q, n_signs) scores of each sign from (Q, N) take ``scores``.

    ``signs`` (N,) or (Q, N): each take's sign number in [0, n_signs), -1 for a take to ignore;
    ``counts`` (n_signs,): how many takes each sign has in the *whole* gallery, so a search that
    scored only its best entries (a window) still divides by all of them. A sign with no scored
    take gets -inf.
    """
    scores = np.atleast_2d(np.asarray(scores, np.float64))
    signs = np.broadcast_to(np.asarray(signs, np.int64), scores.shape)
    counts = np.asarray(counts, np.float64)
    out = np.full((len(scores), len(counts)), -np.inf)
    for row, (s, c) in enumerate(zip(scores, signs, strict=True)):
        keep = c >= 0
        s, c = s[keep], c[keep]
        best = np.full(len(counts), -np.inf)
        np.maximum.at(best, c, s)
        total = np.zeros(len(counts))
        np.add.at(total, c, np.exp((s - best[c]) / temperature))
        held = np.maximum(counts, np.bincount(c, minlength=len(counts)))
        seen = total > 0
        out[row, seen] = best[seen] + temperature * np.log(total[seen] / held[seen])
    return out

"""The gallery's own metric: whiten away how takes of one sign differ, so strangers match.

A gallery that holds a sign more than once (takes by several signers, clips from two
dictionaries, repeated takes) shows which directions of the embedding vary *within* a sign:
signer build, framing, speed. Whitening those directions (within-class covariance
normalisation, shrunk towards the identity) and centring on the gallery's mean leaves the
directions that tell signs apart. Measured on signers never seen (docs/encoder.md, "Gallery
metric"): leave-one-signer-out mAP on libras_ufpb_pose 0.318 -> 0.455 for the features, gislr
0.801 -> 0.964, the single-signer bberaldo halves 0.799 -> 0.963.

A sign held only a few times shows little of that, so the fit also takes **jittered takes**
(``signlookup.features.jitter``: each take as another body, camera angle and rhythm would have
recorded it), up to :data:`JITTER_PER_SIGN` per sign: they stand in for the takes a sign lacks,
and a sign held more often needs none. On strangers against one-take dictionaries
(docs/encoder.md, "Jittered takes"): bberaldo one-shot hit@1 0.840 -> 0.897, gislr phones
against asl_traduttore 0.528 -> 0.631, real-clip twins in the top 5 for 9 of 10 (7 before);
galleries of many takes per sign unchanged.

Nothing is trained on outside data: the metric is a function of the gallery's vectors, their
jittered copies and glosses only, refitted as the gallery changes. A gallery with no sign held
twice and no jittered takes is only centred (the identity whitening); one with fewer than
:data:`MIN_ENTRIES` entries or one gloss is left as is.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signlookup.index.base import IndexFileError, normalise_rows

#: Weight of the identity in the shrunk within-sign covariance ((1 - s) Sw + s tr(Sw)/d I).
#: 0.1-0.5 were within 0.01 mAP of each other on every protocol; 0.3 sits in the middle.
SHRINKAGE = 0.3
#: Fewer entries than this and the gallery's mean says nothing: no centring, no whitening.
MIN_ENTRIES = 8
#: Jittered copies a sign brings to the fit, over all its takes (each take brings
#: ``min(copies given, JITTER_PER_SIGN // takes of its sign)``): a sign held once or three times
#: gets 6 copies of each take, one held more than 18 times none. Chosen on the cross-signer
#: protocols: 6 copies of every take also cost galleries of many takes per sign (ufpb mAP
#: -0.013, gislr worst signer -0.024), this budget costs nothing anywhere.
JITTER_PER_SIGN = 18
METRIC_VERSION = 3


def jitter_allowed(glosses: Sequence[str]) -> np.ndarray:
    """Per entry, how many jittered copies of it the fit may take (JITTER_PER_SIGN // takes of
    its sign); 0 for a sign held more often, which needs none (so none need be made)."""
    _, inverse, counts = np.unique(np.asarray(glosses), return_inverse=True, return_counts=True)
    return JITTER_PER_SIGN // counts[inverse]


def _with_jittered(
    vectors: np.ndarray, labels: np.ndarray, jittered: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The entries and, labelled with their sign, the jittered takes the sign budget allows."""
    allowed = np.minimum(jittered.shape[1], jitter_allowed(labels))
    take = np.arange(jittered.shape[1])[None, :] < allowed[:, None]
    take &= np.isfinite(jittered).all(axis=-1)
    rows = np.nonzero(take)
    return (
        np.concatenate([vectors, jittered[rows]]),
        np.concatenate([labels, labels[rows[0]]]),
    )


@dataclass(frozen=True)
class GalleryMetric:
    """``apply(v) = unit((v - mean) @ C^-1/2)``, C the shrunk within-sign covariance, kept as
    its eigenvectors ``basis`` (dim, r) with ``scales`` (r,) = their C^-1/2 eigenvalues and
    ``base`` = the C^-1/2 eigenvalue of every other direction: r is at most the number of
    entries, so a small gallery's metric is small and cheap. Fitted by :meth:`fit`."""

    mean: np.ndarray  # float32 (dim,)
    basis: np.ndarray | None  # float32 (dim, r); None = no whitening
    scales: np.ndarray | None  # float32 (r,)
    base: float
    n_within: int  # entries and jittered takes that share their sign with another (0: none)

    @classmethod
    def identity(cls, dim: int) -> GalleryMetric:
        return cls(np.zeros(dim, np.float32), None, None, 1.0, 0)

    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        glosses: Sequence[str],
        shrinkage: float = SHRINKAGE,
        jittered: np.ndarray | None = None,
    ) -> GalleryMetric:
        """The metric of a gallery: ``vectors`` (N, dim) unit rows, ``glosses`` (N,) already
        normalised (equal strings = one sign); ``jittered`` (N, copies, dim): each entry's
        jittered takes (NaN rows for an entry that has none), used within the sign budget."""
        vectors = np.asarray(vectors, np.float64)
        labels = np.asarray(glosses)
        dim = vectors.shape[1]
        if len(vectors) < MIN_ENTRIES or len(np.unique(labels)) < 2:
            return cls.identity(dim)
        if jittered is not None and len(jittered):
            vectors, labels = _with_jittered(vectors, labels, np.asarray(jittered, np.float64))
        mean = vectors.mean(axis=0)
        centred_only = cls(mean.astype(np.float32), None, None, 1.0, 0)
        _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        shared = counts[inverse] >= 2
        if not shared.any():
            return centred_only
        sums = np.zeros((len(counts), dim))
        np.add.at(sums, inverse, vectors)
        residuals = (vectors - sums[inverse] / counts[inverse, None])[shared]
        dof = max(len(residuals) - int((counts >= 2).sum()), 1)
        # eigenvectors of Sw = R'R / dof: from the thin SVD of R while there are fewer residuals
        # than dimensions (O(r^2 dim): a small gallery's refit takes milliseconds), else of R'R
        if len(residuals) < dim:
            _, sing, vt = np.linalg.svd(residuals, full_matrices=False)
            power, vectors_t = sing**2, vt
        else:
            power, eig = np.linalg.eigh(residuals.T @ residuals)
            vectors_t = eig.T
        keep = power > 1e-12 * max(float(power.max()), 1e-30)
        if not keep.any():
            return centred_only
        within = power[keep] / dof
        floor = shrinkage * within.sum() / dim  # s tr(Sw) / dim
        scales = 1.0 / np.sqrt((1.0 - shrinkage) * within + floor)
        return cls(
            mean.astype(np.float32),
            np.ascontiguousarray(vectors_t[keep].T, np.float32),
            scales.astype(np.float32),
            float(1.0 / np.sqrt(floor)),
            int(shared.sum()),
        )

    @property
    def dim(self) -> int:
        return len(self.mean)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """float32 (N, dim) unit rows in the gallery's space (inner product = its cosine)."""
        v = np.asarray(vectors, np.float32)
        v = (v[None] if v.ndim == 1 else v) - self.mean
        if self.basis is not None and self.scales is not None:
            v = v * self.base + ((v @ self.basis) * (self.scales - self.base)) @ self.basis.T
        return normalise_rows(v)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the metric does; the index records the one its vectors are in."""
        h = hashlib.sha256(self.mean.tobytes())
        if self.basis is not None and self.scales is not None:
            h.update(self.basis.tobytes() + self.scales.tobytes() + np.float64(self.base).tobytes())
        return h.hexdigest()[:16]

    def save(self, path: Path, encoder_hash: str, revision: int) -> None:
        """Write atomically, with the encoder and gallery revision it was fitted for."""
        tmp = path.with_name(path.name + ".tmp")
        empty = np.zeros(0, np.float32)
        with open(tmp, "wb") as fh:
            np.savez(
                fh,
                version=np.int64(METRIC_VERSION),
                encoder_hash=np.str_(encoder_hash),
                revision=np.int64(revision),
                mean=self.mean,
                basis=self.basis if self.basis is not None else np.zeros((self.dim, 0)),
                scales=self.scales if self.scales is not None else empty,
                base=np.float64(self.base),
                n_within=np.int64(self.n_within),
            )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, encoder_hash: str, dim: int) -> tuple[GalleryMetric, int]:
        """The metric and the gallery revision it was fitted at; IndexFileError when the
        file is missing, unreadable, or for another encoder or size (refit it)."""
        if not path.is_file():
            raise IndexFileError(f"{path.name} missing")
        try:
            with np.load(path, allow_pickle=False) as z:
                version, fitted_for = int(z["version"]), str(z["encoder_hash"])
                mean = z["mean"].astype(np.float32)
                basis, scales = z["basis"].astype(np.float32), z["scales"].astype(np.float32)
                base, revision, n_within = float(z["base"]), int(z["revision"]), int(z["n_within"])
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise IndexFileError(f"{path.name} unreadable ({exc})") from None
        if version != METRIC_VERSION:
            raise IndexFileError(f"{path.name} is format {version}, not {METRIC_VERSION}")
        if fitted_for != encoder_hash:
            raise IndexFileError(f"{path.name} was fitted for another encoder")
        if mean.shape != (dim,) or basis.shape != (dim, len(scales)):
            raise IndexFileError(f"{path.name} is for {mean.shape[0]}-d vectors, not {dim}-d")
        whitened = len(scales) > 0
        metric = cls(
            mean, basis if whitened else None, scales if whitened else None, base, n_within
        )
        return metric, revision

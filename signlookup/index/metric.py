"""The gallery's own metric: whiten away how takes of one sign differ, so strangers match.

A gallery that holds a sign more than once (takes by several signers, clips from two
dictionaries, repeated takes) shows which directions of the embedding vary *within* a sign:
signer build, framing, speed. Whitening those directions (within-class covariance
normalisation, shrunk towards the identity) and centring on the gallery's mean leaves the
directions that tell signs apart. Measured on signers never seen (docs/encoder.md, "Gallery
metric"): leave-one-signer-out mAP on libras_ufpb_pose 0.318 -> 0.455 for the features, gislr
0.801 -> 0.964, the single-signer bberaldo halves 0.799 -> 0.963.

Nothing is trained on outside data: the metric is a function of the gallery's vectors and
glosses only, refitted as the gallery changes. A gallery with no sign held twice is only
centred (the identity whitening); one with fewer than :data:`MIN_ENTRIES` entries or one gloss
is left as is.
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
METRIC_VERSION = 1


@dataclass(frozen=True)
class GalleryMetric:
    """``apply(v) = unit((v - mean) @ transform)``; fitted by :meth:`fit`."""

    mean: np.ndarray  # float32 (dim,)
    transform: np.ndarray | None  # float32 (dim, dim); None = identity
    n_within: int  # entries that share their gloss with another entry (0: no whitening)

    @classmethod
    def identity(cls, dim: int) -> GalleryMetric:
        return cls(np.zeros(dim, np.float32), None, 0)

    @classmethod
    def fit(
        cls, vectors: np.ndarray, glosses: Sequence[str], shrinkage: float = SHRINKAGE
    ) -> GalleryMetric:
        """The metric of a gallery: ``vectors`` (N, dim) unit rows, ``glosses`` (N,) already
        normalised (equal strings = one sign)."""
        vectors = np.asarray(vectors, np.float64)
        labels = np.asarray(glosses)
        dim = vectors.shape[1]
        if len(vectors) < MIN_ENTRIES or len(np.unique(labels)) < 2:
            return cls.identity(dim)
        mean = vectors.mean(axis=0)
        _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        shared = counts[inverse] >= 2
        if not shared.any():
            return cls(mean.astype(np.float32), None, 0)
        sums = np.zeros((len(counts), dim))
        np.add.at(sums, inverse, vectors)
        residuals = (vectors - sums[inverse] / counts[inverse, None])[shared]
        n_signs = int((counts >= 2).sum())
        within = residuals.T @ residuals / max(len(residuals) - n_signs, 1)
        scale = np.trace(within) / dim
        if scale <= 0:
            return cls(mean.astype(np.float32), None, 0)
        shrunk = (1.0 - shrinkage) * within + shrinkage * scale * np.eye(dim)
        values, vecs = np.linalg.eigh(shrunk)
        transform = vecs / np.sqrt(np.maximum(values, 1e-9 * values.max()))
        return cls(mean.astype(np.float32), transform.astype(np.float32), int(shared.sum()))

    @property
    def dim(self) -> int:
        return len(self.mean)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """float32 (N, dim) unit rows in the gallery's space (inner product = its cosine)."""
        v = np.asarray(vectors, np.float32)
        v = (v[None] if v.ndim == 1 else v) - self.mean
        if self.transform is not None:
            v = v @ self.transform
        return normalise_rows(v)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the metric does; the index records the one its vectors are in."""
        h = hashlib.sha256(self.mean.tobytes())
        if self.transform is not None:
            h.update(self.transform.tobytes())
        return h.hexdigest()[:16]

    def save(self, path: Path, encoder_hash: str, revision: int) -> None:
        """Write atomically, with the encoder and gallery revision it was fitted for."""
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(
                fh,
                version=np.int64(METRIC_VERSION),
                encoder_hash=np.str_(encoder_hash),
                revision=np.int64(revision),
                mean=self.mean,
                transform=self.transform if self.transform is not None else np.zeros((0, 0)),
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
                if int(z["version"]) != METRIC_VERSION or str(z["encoder_hash"]) != encoder_hash:
                    raise IndexFileError(f"{path.name} was fitted for another encoder")
                mean, transform = z["mean"].astype(np.float32), z["transform"].astype(np.float32)
                revision, n_within = int(z["revision"]), int(z["n_within"])
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise IndexFileError(f"{path.name} unreadable ({exc})") from None
        if mean.shape != (dim,) or transform.shape not in ((0, 0), (dim, dim)):
            raise IndexFileError(f"{path.name} is for {mean.shape[0]}-d vectors, not {dim}-d")
        return cls(mean, transform if transform.size else None, n_within), revision

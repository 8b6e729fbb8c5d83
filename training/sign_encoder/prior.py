"""Measure the signer prior shipped beside the bundle (signlookup.index.metric.SignerPrior).

How takes of one sign vary across many signers, in the shipped fused embedder's space: every
take of gislr_asl_2signs (21 phone signers; CC BY 4.0, Google ISLR "asl-signs") minus its
sign's mean, the covariance's eigenvectors kept to 99% of its energy. A gallery that holds each
sign once cannot show the metric how signers differ; the prior does, counted as ``--weight``
residuals of the gallery's own (16: chosen on ufpb leave-signer-out, bberaldo one-shot and the
real clips, docs/encoder.md "Signer prior").

    python -m training.sign_encoder.prior [--out resources/models/sign_encoder.prior.npz]

gislr is then no longer an unseen-signer test for a scorer that uses the prior.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from signlookup.encoder.bundle import load_bundled_embedder, prior_path
from signlookup.encoder.default import default_model_path
from signlookup.index.metric import SignerPrior
from training.sign_encoder.signers import load_takes

SOURCE = (
    "gislr_asl_2signs (21 signers, 747 takes of hello / thank you), a subset of the Google "
    "Isolated Sign Language Recognition data (asl-signs), CC BY 4.0"
)
ENERGY = 0.99
WEIGHT = 16.0


def measure(
    vectors: np.ndarray, labels: np.ndarray, content_hash: str, weight: float
) -> SignerPrior:
    """The prior of ``vectors`` (N, dim) labelled by sign."""
    residuals = np.concatenate([vectors[labels == c] - vectors[labels == c].mean(axis=0)
                                for c in np.unique(labels)])  # fmt: skip
    dof = len(residuals) - len(np.unique(labels))
    _, sing, vt = np.linalg.svd(residuals.astype(np.float64), full_matrices=False)
    power = sing**2 / dof
    k = int(np.searchsorted(np.cumsum(power) / power.sum(), ENERGY)) + 1
    rows = np.sqrt(power[:k])[:, None] * vt[:k]
    return SignerPrior(rows.astype(np.float32), weight, content_hash)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, default=default_model_path())
    p.add_argument("--out", type=Path, default=None, help="default: beside the model")
    p.add_argument("--weight", type=float, default=WEIGHT)
    a = p.parse_args()
    embedder = load_bundled_embedder(a.model)
    takes = load_takes("gislr_asl_2signs")
    vectors = embedder.embed(takes.sequences)
    prior = measure(vectors, np.asarray(takes.labels), embedder.content_hash, a.weight)
    out = a.out or prior_path(a.model)
    prior.save(out, SOURCE)
    print(f"{out}: {len(prior.rows)} directions ({ENERGY:.0%} of the energy) of "
          f"{len(vectors)} takes, weight {prior.weight:g}, for {embedder.content_hash}")  # fmt: skip


if __name__ == "__main__":
    main()

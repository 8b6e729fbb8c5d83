"""The shipped bundle's fusion weight and feature version on the cross-signer protocols.

The model vectors (time crops averaged, as the app does) are computed once; the features are
pooled with the bundle's own weights (v1: no location path) and with today's defaults; the fused
score ``w cos_model + (1 - w) cos_features`` is ranked for several w. w 0.5 with the v1 features
is exactly the shipped scorer.

    python -m training.sign_encoder.fusion_weights --json training/sign_encoder/results/fusion_weights.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from signlookup.encoder.bundle import TorchScriptEmbedder, mean_of_units, read_sidecar
from signlookup.encoder.default import default_model_path
from signlookup.features import DEFAULT_WEIGHTS, canonical_poses, frame_features, pool_groups
from training.sign_encoder import signers as S
from training.sign_encoder.train import fuse

WEIGHTS = (0.0, 0.25, 0.35, 0.5, 1.0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--json", default=None)
    a = p.parse_args()
    data = S.load_all()
    path = default_model_path()
    model = TorchScriptEmbedder(path, read_sidecar(path))
    features = {"bundle's v1 features": model.spec.weights, "path features": DEFAULT_WEIGHTS}
    parts = {}
    for short, takes in data.items():
        points, mask = canonical_poses(takes.sequences, model.spec)
        views = list(model.views(points, mask))
        feats = {name: mean_of_units([pool_groups(frame_features(p, m), w) for p, m in views])
                 for name, w in features.items()}  # fmt: skip
        parts[short] = (model.embed_poses(points, mask), feats)
    by_sequences = {id(t.sequences): short for short, t in data.items()}
    rows = {}
    for name in features:
        for w in WEIGHTS:
            vectors = {s: fuse(e, f[name], w) for s, (e, f) in parts.items()}
            rows[f"model weight {w}, {name}"] = S.run_protocols(
                lambda seqs, v=vectors: v[by_sequences[id(seqs)]], data
            )
    print(S.table(rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()

"""Ablation of the training-free scorer on the same protocol splits as the trained models.

``python -m training.sign_encoder.feature_ablation [--out FILE]``: mAP of the pooled features
with one idea removed at a time (a group's weight set to 0, no canonicalisation, equal weights,
no trimming), on the open-set test classes of splits 0-2 (mean ± sd) and on the cross-dataset
test set. No training is involved, so the numbers are exact for these splits.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from signlookup.features import DEFAULT_WEIGHTS, FeatureSpec, frame_features, pool_groups
from training.sign_encoder import data as D
from training.sign_encoder.train import evaluate_scorers

SETS = ("asl_traduttore", "libras_bberaldo", "libras_dayane")


def variants() -> dict[str, FeatureSpec]:
    base = FeatureSpec()
    out = {"all groups (shipped)": base}
    for g in DEFAULT_WEIGHTS:
        out[f"without {g}"] = dataclasses.replace(base, weights={**base.weights, g: 0.0})
    out["equal group weights"] = dataclasses.replace(
        base, weights=dict.fromkeys(DEFAULT_WEIGHTS, 1.0)
    )
    out["no canonicalisation"] = dataclasses.replace(base, canonical=False)
    out["no trimming"] = dataclasses.replace(base, trim=False)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=None)
    a = p.parse_args()
    cache: dict = {}
    results = {}
    for name, spec in variants().items():
        key = (spec.trim, spec.canonical)
        if key not in cache:
            cache[key] = D.load_sets(SETS, spec)
        data = cache[key]
        vec = pool_groups(frame_features(data.points, data.mask), spec.weights)
        row = {}
        maps = []
        for seed in range(3):
            _, test = D.open_set_split(data, seed)
            idx = np.flatnonzero(test)
            maps.append(evaluate_scorers(data.subset(idx), {"f": vec[idx]})["f"]["mean_map"])
        row["open_set_map_mean"] = round(float(np.mean(maps)), 4)
        row["open_set_map_std"] = round(float(np.std(maps)), 4)
        idx = np.flatnonzero(data.sets == "libras_bberaldo")
        row["cross_dataset_map"] = round(
            evaluate_scorers(data.subset(idx), {"f": vec[idx]})["f"]["mean_map"], 4
        )
        idx = np.flatnonzero(data.sets == "asl_traduttore")
        row["asl_all_classes_map"] = round(
            evaluate_scorers(data.subset(idx), {"f": vec[idx]})["f"]["mean_map"], 4
        )
        results[name] = row
        print(name, row, flush=True)
    if a.out:
        Path(a.out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

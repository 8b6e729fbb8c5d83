"""Recipe against recipe on every protocol, from saved test embeddings (``--save-embeddings``).

    python -m training.sign_encoder.compare runs/t12/emb \\
        --recipe previous=transformer_attn_arcface@0.5 --recipe new=transformer_attn_arcface@0.5:ens3 \\
        [--json OUT]

A recipe is ``label=CONFIG@FUSION_WEIGHT``, with ``:ensN`` for the ensemble of its first N seeds
(its cosine is the mean of the seeds' cosines; query_time.seed_ensembles) instead of the mean
over single seeds; ``CONFIG_A+CONFIG_B+...@W:ens1`` ensembles seed 0 of several configs;
``:tta`` scores the vectors averaged over the recipe's time crops (saved as ``*_tta``).
Per protocol: open-set (3 class splits: mean ± sd over splits), cross-dataset (libras_bberaldo
never trained on), leave-set-out ASL; each in the ``halves`` gallery regime (first half of each
class's takes) and ``one-shot`` (one take per class, mean of 5 draws), as mAP. The features
column is the training-free scorer on the first recipe's data (the ASL aspect changes it).
"""

from __future__ import annotations

import argparse
import json
from functools import cache
from pathlib import Path

import numpy as np

from training.sign_encoder.query_time import score_split, seed_ensembles

PROTOCOLS = {
    "open-set": ["open-set_0", "open-set_1", "open-set_2"],
    "cross-dataset (bberaldo)": ["leave-set-out_libras_bberaldo"],
    "leave-set-out ASL": ["leave-set-out_asl_traduttore"],
}
REGIMES = ("halves", "one-shot")


@cache
def _scores(path: Path, weight: float, tta: bool) -> dict:
    return score_split(path, weights=(weight,), rerank=False, mirror=False, tta=tta)


def _mean_map(path: Path, key: str, weight: float, tta: bool = False) -> float:
    return float(np.mean([v[0] for v in _scores(path, weight, tta)[key].values()]))


def _members(folder: Path, configs: list[str], split: str, n_seeds: int) -> list[Path]:
    """Seed files of ``split``: the first n_seeds of one config, or seed 0 of each config."""
    if len(configs) == 1:
        return sorted(folder.glob(f"{configs[0]}__{split}__s[0-9]*.npz"))[:n_seeds]
    found = [folder / f"{c}__{split}__s0.npz" for c in configs]
    return found if all(f.exists() for f in found) else []


def recipe_scores(
    folder: Path, config: str, weight: float, ensemble: int, tta: bool = False
) -> dict:
    """{protocol: {regime: [mAP per split]}} for the fused scorer, plus the features.

    ``ensemble``: 0 = mean over every seed as single models; N = the ensemble of N seeds.
    """
    configs = config.split("+")
    out: dict = {}
    for protocol, splits in PROTOCOLS.items():
        for split in splits:
            seeds = _members(folder, configs, split, ensemble or 99)
            if not seeds or (ensemble and len(seeds) < max(2, ensemble)):
                continue
            if ensemble:
                tmp = folder / "ensembles"
                tmp.mkdir(exist_ok=True)
                links = []
                for i, f in enumerate(seeds):  # one stem, seeds 0..n-1: what seed_ensembles groups
                    link = tmp / f"{'+'.join(configs)}__{split}__s{i}.npz"
                    link.unlink(missing_ok=True)
                    link.symlink_to(f.resolve())
                    links.append(link)
                files = seed_ensembles(links)
            else:
                files = seeds
            for regime in REGIMES:
                key = f"{regime}|fused@{weight}|plain"
                fused = np.mean([_mean_map(f, key, weight, tta) for f in files])
                feats = _mean_map(seeds[0], f"{regime}|features|plain", weight)
                out.setdefault(protocol, {}).setdefault(regime, []).append(float(fused))
                out[protocol].setdefault(f"{regime}|features", []).append(feats)
                out[protocol].setdefault(f"{regime}|n_seeds", []).append(len(seeds))
    return out


def _cell(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.mean(values):.3f} ± {np.std(values):.3f}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.sign_encoder.compare")
    p.add_argument("folder", type=Path)
    p.add_argument("--recipe", action="append", required=True, help="label=CONFIG@W[:ens]")
    p.add_argument("--json")
    args = p.parse_args(argv)
    recipes = {}
    for spec in args.recipe:
        label, rest = spec.split("=", 1)
        config, options = rest.split("@")
        weight, *flags = options.split(":")
        ens = next((int(f.removeprefix("ens")) for f in flags if f.startswith("ens")), 0)
        recipes[label] = recipe_scores(args.folder, config, float(weight), ens, "tta" in flags)
    labels = list(recipes)
    first = recipes[labels[0]]
    print("| protocol | gallery | features | " + " | ".join(labels) + " |")
    print("|---|---|---|" + "---|" * len(labels))
    for protocol in PROTOCOLS:
        for regime in REGIMES:
            feats = first.get(protocol, {}).get(f"{regime}|features", [])
            cells = [_cell(recipes[r].get(protocol, {}).get(regime, [])) for r in labels]
            print(f"| {protocol} | {regime} | {_cell(feats)} | " + " | ".join(cells) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(recipes, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

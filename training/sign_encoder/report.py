"""Summarise protocol runs (JSON lines from ``protocol``) into the tables of docs/encoder.md.

``python -m training.sign_encoder.report RESULTS.jsonl [--json OUT]``: per config and protocol,
mean and standard deviation over splits of the held-out mAP of features / model / fused, and
the margin of each trained scorer over the training-free features on the same split.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np


def summarise(path: Path) -> dict:
    runs = defaultdict(list)
    for line in Path(path).read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            protocol = rec["split"].split("/")[0]
            # open-set splits are repeats of one protocol; other splits test different sets
            key = protocol if protocol == "open-set" else rec["split"]
            runs[(rec["config"], key)].append(rec)
    out = {}
    for (config, protocol), recs in sorted(runs.items()):
        row = {"n_splits": len(recs), "splits": [r["split"] for r in recs]}
        for scorer in ("features", "model", "fused"):
            maps = np.array([r["end"][scorer]["mean_map"] for r in recs])
            row[f"{scorer}_map_mean"] = round(float(maps.mean()), 4)
            row[f"{scorer}_map_std"] = round(float(maps.std()), 4)
            for key in recs[0]["end"][scorer]:
                if key != "mean_map":
                    row[f"{scorer}_{key}"] = round(float(np.mean([r["end"][scorer][key]
                                                                  for r in recs])), 4)  # fmt: skip
        feats = np.array([r["end"]["features"]["mean_map"] for r in recs])
        for scorer in ("model", "fused"):
            margin = np.array([r["end"][scorer]["mean_map"] for r in recs]) - feats
            row[f"{scorer}_margin_mean"] = round(float(margin.mean()), 4)
            row[f"{scorer}_margin_std"] = round(float(margin.std()), 4)
            row[f"{scorer}_margin_min"] = round(float(margin.min()), 4)
        for w in ("0.25", "0.75", "0.9"):
            key = f"fused@{w}"
            if all(key in r["end"] for r in recs):
                row[f"{key}_map_mean"] = round(float(np.mean([r["end"][key]["mean_map"]
                                                              for r in recs])), 4)  # fmt: skip
        row["model_map_at_start"] = round(float(np.mean(
            [r["start"]["model"]["mean_map"] for r in recs])), 4)  # fmt: skip
        row["train_s_mean"] = round(float(np.mean([r["train_s"] for r in recs])))
        out[f"{config}|{protocol}"] = row
    return out


def markdown(summary: dict) -> str:
    lines = [
        "| config | protocol | splits | features mAP | model mAP | fused mAP | fused - features "
        "(mean ± sd, min) | model at step 0 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, r in summary.items():
        config, protocol = key.split("|")
        lines.append(
            f"| {config} | {protocol} | {r['n_splits']} "
            f"| {r['features_map_mean']:.3f} ± {r['features_map_std']:.3f} "
            f"| {r['model_map_mean']:.3f} ± {r['model_map_std']:.3f} "
            f"| {r['fused_map_mean']:.3f} ± {r['fused_map_std']:.3f} "
            f"| {r['fused_margin_mean']:+.3f} ± {r['fused_margin_std']:.3f} "
            f"({r['fused_margin_min']:+.3f}) | {r['model_map_at_start']:.3f} |"
        )
    return "\n".join(lines)


def per_set(path: Path, configs: list[str], seed: int = 0) -> str:
    """Per config and protocol (runs of ``seed``): each test set's mAP for the untrained model
    (step 0, i.e. after pre-training when there is one), the trained model and fused scorer."""
    rows: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for line in Path(path).read_text().splitlines():
        rec = json.loads(line) if line.strip() else None
        if rec and rec["config"] in configs and rec.get("seed", 0) == seed:
            protocol = rec["split"].split("/")[0]
            rows[(rec["config"], protocol if protocol == "open-set" else rec["split"])].append(rec)
    lines = [
        "| config | protocol | test set | step 0 model | model | fused |",
        "|---|---|---|---|---|---|",
    ]
    for (config, protocol), recs in sorted(rows.items()):
        sets = [k.removesuffix("_map") for k in recs[0]["end"]["fused"] if k.endswith("_map")
                and k != "mean_map"]  # fmt: skip
        for s in sets:
            start, model, fused = (
                np.mean([r[phase][scorer][f"{s}_map"] for r in recs])
                for phase, scorer in (("start", "model"), ("end", "model"), ("end", "fused"))
            )
            lines.append(f"| {config} | {protocol} ({len(recs)}) | {s} | {start:.3f} "
                         f"| {model:.3f} | {fused:.3f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--json")
    p.add_argument("--per-set", nargs="+", metavar="CONFIG", help="per-test-set table instead")
    a = p.parse_args()
    if a.per_set:
        print(per_set(Path(a.results), a.per_set))
        return
    s = summarise(Path(a.results))
    print(markdown(s))
    if a.json:
        Path(a.json).write_text(json.dumps(s, indent=2) + "\n")


if __name__ == "__main__":
    main()

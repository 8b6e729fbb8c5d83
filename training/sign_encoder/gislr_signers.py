"""Does training on gislr's signers make the encoder find strangers' signs? (issue 22)

Three folds over gislr_asl_2signs's 21 signers (sorted by numeric id, 7 consecutive ids held out
per fold). Two variants with the same seed and steps:

- **A**: the bundle recipe as is (``configs/bundle.json``: asl_traduttore + libras_dayane), one
  member. Its training data is the same in every fold, so it is trained once.
- **B**: the same + every take of the fold's 14 training signers. gislr's "hello" / "thankyou"
  join asl_traduttore's "hello" / "thank-you" classes (``--labels merge``: one ASL sign, one
  class) or stay classes of their own (``--labels separate``).

Each model is exported as the app's bundle (TorchScript + sidecar, fused with the features at
w 0.5) and loaded with ``load_bundled_embedder``, so what is scored is what the app ranks, in the
metric fitted on each gallery (``signers.in_gallery_metric``):

- gislr held out: each held-out signer's takes against every take of the fold's *other held-out*
  signers (signers neither variant trained on); mean over folds, worst signer over all 21;
- ufpb leave-one-signer-out and one-shot, bberaldo halves / one-shot (neither variant trained
  on them); for B the mean over the three fold models;
- real clips: twin ranks (``real_clips.twin_ranks``) on the fused vectors.

    python -m training.sign_encoder.gislr_signers --cache /work/exp/rc --seed 0 --seed 1 \
        --seed 2 --labels merge --json training/sign_encoder/results/gislr_signers_merge.json
    python -m training.sign_encoder.gislr_signers --cache /work/exp/rc --ensemble 3 --seed 0 \
        --labels merge --json training/sign_encoder/results/gislr_signers_ens3_merge.json

(``--labels separate`` for the other label rule; docs/encoder.md, "Training on gislr's
signers", has the table.)

CPU only, seeds fixed (each ``--seed`` trains A once and B per fold; ``--ensemble 3`` makes each
model the bundle's 3 members, seeds seed..seed+2); ~45 s per 300-step member and ~40 s of
embedding per model on one loaded core.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from signlookup.encoder.bundle import load_bundled_embedder
from signlookup.pose.io import load_keypoint_set
from signlookup.pose.sequence import PoseSequence
from training.sign_encoder import data as D
from training.sign_encoder import real_clips as RC
from training.sign_encoder import signers as S
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.export import export_bundle
from training.sign_encoder.model import bundle_model
from training.sign_encoder.train import feature_spec, train

GISLR = "gislr_asl_2signs"
BUNDLE_CONFIG = Path(__file__).resolve().parent / "configs" / "bundle.json"
#: gislr's label -> asl_traduttore's label of the same ASL sign
SAME_SIGN = {"hello": "hello", "thankyou": "thank-you"}
FOLDS = 3


def signer_folds(signers: np.ndarray, folds: int = FOLDS) -> list[np.ndarray]:
    """The held-out signers of each fold: ids sorted by number, cut into consecutive chunks."""
    people = sorted(np.unique(signers), key=int)
    return [np.array(chunk) for chunk in np.array_split(np.array(people), folds)]


def gislr_labels(y: np.ndarray, merge: bool) -> np.ndarray:
    """Training labels: merged into asl_traduttore's class of the same sign, or gislr's own."""
    if merge:
        return np.array([f"asl_traduttore/{SAME_SIGN[v]}" for v in y])
    return np.array([f"{GISLR}/{v}" for v in y])


def load_gislr(cfg: TrainConfig, merge: bool) -> tuple[D.PoseData, np.ndarray]:
    """gislr's takes as training data (padding cut) and each take's signer."""
    from signlookup.features import canonical_poses

    ks = load_keypoint_set(D.SHARED_KEYPOINTS / f"{GISLR}.npz")
    seqs = [PoseSequence.from_zero_filled(ks.frames(i)) for i in range(len(ks.y))]
    points, mask = canonical_poses(seqs, feature_spec(cfg))
    takes = np.arange(len(ks.y))
    data = D.PoseData(points, mask, gislr_labels(ks.y, merge), np.full(len(ks.y), GISLR), takes)
    return data, ks.signer


def concat(a: D.PoseData, b: D.PoseData) -> D.PoseData:
    return D.PoseData(*(np.concatenate([getattr(a, f), getattr(b, f)])
                        for f in ("points", "mask", "labels", "sets", "takes")))  # fmt: skip


def fused_embedder(cfg: TrainConfig, train_data: D.PoseData, folder: Path, note: list[str]):
    """Train ``cfg.ensemble`` members (seeds seed, seed+1, ...), export them as a bundle, load it
    as the app does (fused with the features at ``cfg.fusion_weight``)."""
    t = time.time()
    models = []
    for k in range(cfg.ensemble):
        member = dataclasses.replace(cfg, seed=cfg.seed + k)
        enc, _ = train(member, train_data, None, lambda m: print(f"  {m}", flush=True))
        models.append(enc.model)
    path = export_bundle(bundle_model(models), cfg, folder / "sign_encoder.pt", note, {})
    print(f"  trained on {len(train_data.labels)} takes in {time.time() - t:.0f} s", flush=True)
    return load_bundled_embedder(path)


def gislr_held_out(vectors: np.ndarray, takes: S.Takes, held: np.ndarray) -> dict:
    """Each held-out signer's takes against every take of the other held-out signers."""
    rows = np.isin(takes.signers, held)
    return S.leave_signers_out(vectors[rows], takes.labels[rows], takes.signers[rows])


def unseen_sets(emb, data: dict[str, S.Takes], clips) -> dict:
    """ufpb, bberaldo and the real clips: sets neither variant trained on."""
    ufpb = data["ufpb"]
    v = emb.embed(ufpb.sequences)
    out = {"ufpb_signers": S.leave_signers_out(v, ufpb.labels, ufpb.signers),
           "ufpb_one_shot": S.one_shot_signers(v, ufpb.labels, ufpb.signers)}  # fmt: skip
    bb = data["bberaldo"]
    out["bberaldo"] = S.single_signer(emb.embed(bb.sequences), bb.labels, bb.takes)
    _, seqs, labels, queries = clips
    out["real_clips"] = RC.rank_figures(np.array(RC.twin_ranks(emb.embed(seqs), labels, queries)))
    return out


def headline(unseen: list[dict], gislr: list[dict]) -> dict[str, float]:
    """A table row: unseen-set figures averaged over the given models; gislr held-out per signer
    (mean over seeds), then the mean and the worst over all 21 signers."""

    def mean(get) -> float:
        return float(np.mean([get(r) for r in unseen]))

    runs: dict[str, list[dict]] = {}  # a signer's figures from each seed's model
    for g in gislr:
        for s, m in g["per_signer"].items():
            runs.setdefault(s, []).append(m)
    per_signer = {s: {k: float(np.mean([m[k] for m in ms])) for k in ("map", "hit@1")}
                  for s, ms in runs.items()}  # fmt: skip
    worst = min(per_signer.values(), key=lambda m: (m["map"], m["hit@1"]))
    return {
        "gislr held-out mAP": float(np.mean([m["map"] for m in per_signer.values()])),
        "gislr held-out hit@1": float(np.mean([m["hit@1"] for m in per_signer.values()])),
        "gislr worst mAP": worst["map"],
        "ufpb mAP": mean(lambda r: r["ufpb_signers"]["mean"]["map"]),
        "ufpb hit@1": mean(lambda r: r["ufpb_signers"]["mean"]["hit@1"]),
        "ufpb worst mAP": mean(lambda r: r["ufpb_signers"]["worst"]["map"]),
        "ufpb 1-shot hit@1": mean(lambda r: r["ufpb_one_shot"]["mean"]["hit@1"]),
        "bberaldo mAP": mean(lambda r: r["bberaldo"]["halves"]["map"]),
        "bberaldo hit@1": mean(lambda r: r["bberaldo"]["halves"]["hit@1"]),
        "bberaldo 1-shot mAP": mean(lambda r: r["bberaldo"]["one_shot"]["map"]),
        "bberaldo 1-shot hit@1": mean(lambda r: r["bberaldo"]["one_shot"]["hit@1"]),
        "real clips MRR": mean(lambda r: r["real_clips"]["mrr"]),
        "real clips hit@1": mean(lambda r: r["real_clips"]["hit@1"]),
        "real clips hit@5": mean(lambda r: r["real_clips"]["hit@5"]),
    }


def table(rows: dict[str, dict[str, float]]) -> str:
    cols = list(next(iter(rows.values())))
    lines = ["| variant | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for name, h in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{h[c]:.3f}" for c in cols) + " |")
    return "\n".join(lines)


def run_seed(seed: int, a: argparse.Namespace, loaded: dict, tmp: Path) -> dict:
    """A once, B per fold, both with ``seed``; every figure of both."""
    cfg = loaded["cfg"] = dataclasses.replace(loaded["cfg"], seed=seed)
    base, gislr_train, gislr_signer = loaded["base"], loaded["gislr_train"], loaded["signer"]
    data, clips, folds = loaded["data"], loaded["clips"], loaded["folds"]
    gislr = data["gislr"]
    print(f"seed {seed}, A: bundle recipe (asl_traduttore + libras_dayane)", flush=True)
    folder = tmp / f"A_s{seed}"
    folder.mkdir()
    emb = fused_embedder(cfg, base, folder, list(cfg.sets))
    v = emb.embed(gislr.sequences)
    out = {"A": {"unseen": unseen_sets(emb, data, clips),
                 "gislr": [gislr_held_out(v, gislr, held) for held in folds]},
           "B": {"unseen": [], "gislr": []}}  # fmt: skip
    for k, held in enumerate(folds):
        print(f"seed {seed}, B fold {k}: + gislr signers other than {held.tolist()}", flush=True)
        keep = np.flatnonzero(~np.isin(gislr_signer, held))
        folder = tmp / f"B{k}_s{seed}"
        folder.mkdir()
        note = [*cfg.sets, f"{GISLR} ({len(keep)} takes, {a.labels})"]
        emb = fused_embedder(cfg, concat(base, gislr_train.subset(keep)), folder, note)
        v = emb.embed(gislr.sequences)
        out["B"]["unseen"].append(unseen_sets(emb, data, clips))
        out["B"]["gislr"].append(gislr_held_out(v, gislr, held))
        print(f"  fold {k} gislr held-out mAP A {out['A']['gislr'][k]['mean']['map']:.3f} "
              f"B {out['B']['gislr'][k]['mean']['map']:.3f}", flush=True)  # fmt: skip
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--seed", type=int, action="append", default=None,
                   help="repeatable: each seed trains A once and B per fold (default 0)")  # fmt: skip
    p.add_argument("--ensemble", type=int, default=1,
                   help="members per model (the bundle: 3; seeds seed, seed+1, ...)")  # fmt: skip
    p.add_argument("--labels", choices=("merge", "separate"), default="merge",
                   help="gislr's signs join asl_traduttore's classes, or stay their own")  # fmt: skip
    p.add_argument("--cache", type=Path, default=Path("/tmp/signlookup_real_clips"),
                   help="the real clips' landmarks (real_clips.py --cache)")  # fmt: skip
    p.add_argument("--json", type=Path, default=None)
    a = p.parse_args()
    seeds = a.seed or [0]
    cfg = TrainConfig.load(BUNDLE_CONFIG, steps=a.steps)
    cfg = dataclasses.replace(cfg, name=f"{cfg.name}_gislr_{a.labels}", ensemble=a.ensemble)
    gislr_train, gislr_signer = load_gislr(cfg, a.labels == "merge")
    loaded = {"cfg": cfg, "gislr_train": gislr_train, "signer": gislr_signer,
              "base": D.load_sets(cfg.sets, feature_spec(cfg), drop_labels=cfg.drop_labels),
              "data": S.load_all(), "clips": RC.load_clips(a.cache),
              "folds": signer_folds(gislr_signer)}  # fmt: skip
    out: dict = {"config": dataclasses.asdict(cfg), "seeds": seeds, "labels": a.labels,
                 "folds": [f.tolist() for f in loaded["folds"]], "per_seed": {}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="gislr_signers_") as tmp:
        for seed in seeds:
            out["per_seed"][str(seed)] = run_seed(seed, a, loaded, Path(tmp))
    runs = list(out["per_seed"].values())
    rows = {
        "A: bundle recipe": headline([r["A"]["unseen"] for r in runs],
                                     [g for r in runs for g in r["A"]["gislr"]]),
        f"B: + gislr training-fold signers ({a.labels})": headline(
            [u for r in runs for u in r["B"]["unseen"]], [g for r in runs for g in r["B"]["gislr"]]
        ),
    }  # fmt: skip
    out["headline"] = rows
    print(table(rows))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

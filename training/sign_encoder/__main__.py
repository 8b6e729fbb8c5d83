"""``python -m training.sign_encoder``: train / protocol / split.

train     --config C [--out DIR] [--bundle PATH]  train on every set; save weights, resolved
          config and (with --bundle) the TorchScript bundle with the protocol metrics given by
          --metrics FILE (a protocol summary JSON).
protocol  --config C --protocol {open-set,leave-set-out,cross-dataset,cross-take} [--splits N]
          train per split, score features / model / fused on held-out data; JSON lines to --out.
split     --protocol cross-dataset|open-set --seed S --out DIR  write G.npz / Q.npz (raw
          keypoints) for ``signlookup eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from training.sign_encoder import data as D
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.train import feature_spec, train


def _log(fh):
    def log(msg: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        if fh:
            fh.write(line + "\n")
            fh.flush()

    return log


def protocol_splits(name: str, data: D.PoseData, n_splits: int):
    if name == "open-set":
        for s in range(n_splits):
            yield f"open-set/{s}", *D.open_set_split(data, s)
    elif name == "leave-set-out":
        for held in ("asl_traduttore", "libras_bberaldo"):
            yield f"leave-set-out/{held}", *D.leave_set_out(data, held)
    elif name == "cross-dataset":  # train ASL + part of Libras (dayane), test libras_bberaldo
        yield "cross-dataset/libras_bberaldo", *D.leave_set_out(data, "libras_bberaldo")
    elif name == "cross-take":
        yield "cross-take", *D.cross_take_split(data)
    else:
        raise SystemExit(f"unknown protocol {name!r}")


def save_test_embeddings(enc, test: D.PoseData, folder: Path, cfg: TrainConfig, split: str) -> None:
    """Test clips' model and feature vectors: as is, mirrored without re-canonicalising, and
    averaged over ``cfg.tta_crops``: what query_time.py and compare.py score offline."""
    from signlookup.encoder.bundle import mean_of_units
    from signlookup.pose.preprocess import crop_time, mirror
    from training.sign_encoder.train import feature_vectors

    spec = feature_spec(cfg)

    def features(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return feature_vectors(D.PoseData(points, mask, test.labels, test.sets, test.takes), spec)

    views = [crop_time(test.points, test.mask, a, b) for a, b in cfg.tta_crops]
    mirrored = mirror(test.points, test.mask)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        folder / f"{cfg.name}__{split.replace('/', '_')}__s{cfg.seed}.npz",
        model=enc.embed(test.points, test.mask),
        model_mirror=enc.embed(*mirrored),
        model_tta=mean_of_units([enc.embed(p, m) for p, m in views]),
        features=features(test.points, test.mask),
        features_mirror=features(*mirrored),
        features_tta=mean_of_units([features(p, m) for p, m in views]),
        labels=test.labels,
        sets=test.sets,
        takes=test.takes,
    )


def cmd_protocol(args) -> int:
    cfg = TrainConfig.load(args.config, steps=args.steps, seed=args.seed)
    data = D.load_sets(cfg.sets, feature_spec(cfg), drop_labels=cfg.drop_labels,
                       aspects=cfg.set_aspect)  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a") as fh:
        log = _log(None)
        for split, tr, te in protocol_splits(args.protocol, data, args.splits):
            if cfg.train_sets is not None:
                tr = tr & np.isin(data.sets, cfg.train_sets)
            log(f"{cfg.name} {split}: train {tr.sum()} clips, test {te.sum()}")
            t = time.time()
            test = data.subset(np.flatnonzero(te))
            enc, hist = train(cfg, data.subset(np.flatnonzero(tr)), test, log)
            if args.save_embeddings:
                save_test_embeddings(enc, test, Path(args.save_embeddings), cfg, split)
            rec = {"config": cfg.name, "split": split, "seed": cfg.seed, "train_s": round(time.time() - t),
                   "start": hist[0], "end": hist[-1]}  # fmt: skip
            fh.write(json.dumps(rec) + "\n")
            fh.flush()
    return 0


def member_weights(run: Path, cfg: TrainConfig) -> list[Path]:
    """The weight files of a run: weights.pt, or weights_<seed>.pt per ensemble member."""
    if cfg.ensemble == 1:
        return [run / "weights.pt"]
    return [run / f"weights_{s}.pt" for s in range(cfg.seed, cfg.seed + cfg.ensemble)]


def training_data_note(cfg: TrainConfig) -> list[str]:
    """What the bundle's sidecar says it was fitted on (licence notes included)."""
    lines = [f"../shared/data/keypoints/{s}.npz (all classes but {cfg.drop_labels})"
             for s in cfg.sets]  # fmt: skip
    if "libras_bberaldo" in cfg.sets:
        lines.append(
            "note: libras_bberaldo states no licence (train/eval only, never ship its data); "
            "these weights were fitted on it"
        )
    if cfg.pretrain_steps and cfg.pretrain_extra:
        lines.append("pre-training also saw ASL idle takes and pose-format sample windows (MIT)")
    return lines


def write_bundle(models: list, cfg: TrainConfig, bundle: Path, metrics_path: str | None) -> None:
    """Export the model (or the ensemble of ``models``) with its sidecar and the given metrics."""
    from training.sign_encoder.export import export_bundle
    from training.sign_encoder.model import bundle_model

    metrics = json.loads(Path(metrics_path).read_text()) if metrics_path else {}
    path = export_bundle(bundle_model(models), cfg, bundle, training_data_note(cfg), metrics)
    print(f"bundle written: {path}")


def cmd_train(args) -> int:
    cfg = TrainConfig.load(args.config, steps=args.steps, seed=args.seed)
    data = D.load_sets(cfg.sets, feature_spec(cfg), drop_labels=cfg.drop_labels,
                       aspects=cfg.set_aspect)  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg.save(out / "config.json")
    models = []
    for k, path in enumerate(member_weights(out, cfg)):
        enc, _ = train(dataclasses.replace(cfg, seed=cfg.seed + k), data, None, _log(None))
        torch.save(enc.model.state_dict(), path)
        models.append(enc.model)
    if args.bundle:
        write_bundle(models, cfg, Path(args.bundle), args.metrics)
    return 0


def cmd_split(args) -> int:
    from signlookup.pose.io import load_keypoint_set

    cfg = TrainConfig()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    raw, labels, takes = [], [], []
    for name in cfg.sets:
        ks = load_keypoint_set(D.SHARED_KEYPOINTS / f"{name}.npz")
        keep = ks.y != "-"
        t = ks.X.shape[1]
        raw += [x for x in ks.X[keep].astype(np.float16)]
        labels += [f"{name}/{y}" for y in ks.y[keep]]
        takes += [int(s) for s in ks.seq[keep]]
        del t
    labels, takes = np.array(labels), np.array(takes)
    sets = np.array([lab.split("/")[0] for lab in labels])
    meta = D.PoseData(np.zeros((len(labels), 1)), np.zeros((len(labels), 1)), labels, sets, takes)
    if args.protocol == "cross-dataset":
        test = sets == "libras_bberaldo"
    elif args.protocol == "open-set":
        _, test = D.open_set_split(meta, args.seed)
        test &= sets == args.set
    else:
        raise SystemExit("split supports cross-dataset and open-set")
    sub = meta.subset(np.flatnonzero(test))
    g, q = D.gallery_query_halves(sub)
    idx = np.flatnonzero(test)
    for fname, part in (("G.npz", g), ("Q.npz", q)):
        np.savez_compressed(out / fname, X=np.stack([raw[i] for i in idx[part]]),
                            y=labels[idx[part]], seq=takes[idx[part]].astype(str))  # fmt: skip
    print(f"{out}/G.npz ({len(g)} clips), {out}/Q.npz ({len(q)} clips)")
    return 0


def cmd_export(args) -> int:
    """Re-export a finished run (config.json + weights) as a bundle, e.g. with another fusion weight."""
    from signlookup.features import FRAME_DIM
    from training.sign_encoder.model import TransformerEncoder

    run = Path(args.run)
    cfg = TrainConfig.load(run / "config.json", fusion_weight=args.fusion_weight)
    cfg.save(run / "config.json")  # the resolved config beside the weights stays the truth
    models = []
    for path in member_weights(run, cfg):
        model = TransformerEncoder(FRAME_DIM, cfg, np.zeros(FRAME_DIM), np.ones(FRAME_DIM))
        model.load_state_dict(torch.load(path, map_location="cpu"))
        models.append(model)
    write_bundle(models, cfg, Path(args.bundle), args.metrics)
    return 0


def cmd_attach_metrics(args) -> int:
    """Write protocol metrics into a bundle's sidecar (metrics do not enter the content hash)."""
    side = Path(args.bundle).with_suffix(".json")
    meta = json.loads(side.read_text())
    meta["metrics"] = json.loads(Path(args.metrics).read_text())
    side.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"metrics written into {side}")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.sign_encoder")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("train", "protocol"):
        s = sub.add_parser(name)
        s.add_argument("--config", required=True)
        s.add_argument("--steps", type=int)
        s.add_argument("--seed", type=int)
        s.add_argument("--out", required=True)
    sub.choices["train"].add_argument("--bundle")
    sub.choices["train"].add_argument("--metrics")
    sub.choices["protocol"].add_argument("--protocol", required=True)
    sub.choices["protocol"].add_argument("--splits", type=int, default=3)
    sub.choices["protocol"].add_argument(
        "--save-embeddings", help="folder: write each split's test embeddings (.npz)"
    )
    s = sub.add_parser("split")
    s.add_argument("--protocol", required=True)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--set", default="libras_bberaldo")
    s.add_argument("--out", required=True)
    s = sub.add_parser("export")
    s.add_argument("--run", required=True, help="folder with config.json and weights.pt")
    s.add_argument("--bundle", required=True)
    s.add_argument("--fusion-weight", type=float)
    s.add_argument("--metrics")
    s = sub.add_parser("attach-metrics")
    s.add_argument("--bundle", required=True)
    s.add_argument("--metrics", required=True)
    args = p.parse_args(argv)
    commands = {"train": cmd_train, "protocol": cmd_protocol, "split": cmd_split,
                "export": cmd_export, "attach-metrics": cmd_attach_metrics}  # fmt: skip
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

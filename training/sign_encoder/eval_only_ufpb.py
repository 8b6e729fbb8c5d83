"""EVAL-ONLY: the bundle's recipe trained on some libras_ufpb_pose signers, scored on the others.

libras_ufpb_pose states no licence: nothing fitted here may ship. It shows what the recipe does
for pose-only unseen signers when it has trained on pose-only signers (the shipped bundle never
saw a hand-less clip). Three folds hold out two of the six signers each; one model per fold
(seed 0, 300 steps, ArcFace); each held-out signer's takes query every take of the four
training signers (signs seen in training, signers not).

    python -m training.sign_encoder.eval_only_ufpb --json training/sign_encoder/results/eval_only_ufpb.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from signlookup.encoder.metrics import relevance_from_scores, retrieval_metrics
from signlookup.pose.io import load_keypoint_set
from training.sign_encoder import data as D
from training.sign_encoder import signers as S
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.train import feature_spec, feature_vectors, fuse, train

SET = "libras_ufpb_pose"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--json", default=None)
    p.add_argument("--steps", type=int, default=300)
    a = p.parse_args()
    cfg = TrainConfig(name="ufpb_eval_only", loss="arcface", sets=[SET], steps=a.steps)
    data = D.load_sets(cfg.sets, feature_spec(cfg))
    signer = load_keypoint_set(D.SHARED_KEYPOINTS / f"{SET}.npz").signer
    people = np.unique(signer)
    feats = feature_vectors(data, feature_spec(cfg))
    per: dict[str, dict] = {"model": {}, "fused": {}, "features": {}}
    for held in (people[:2], people[2:4], people[4:]):
        trained_on = ~np.isin(signer, held)
        t = time.time()
        enc, _ = train(cfg, data.subset(np.flatnonzero(trained_on)), None, lambda _: None)
        e = enc.embed(data.points, data.mask)
        print(f"held out {list(held)}: trained in {time.time() - t:.0f} s", flush=True)
        for name, v in (("model", e), ("fused", fuse(e, feats, 0.5)), ("features", feats)):
            for s in held:
                q = signer == s
                ranks = relevance_from_scores(v[q] @ v[trained_on].T, data.labels[q],
                                              data.labels[trained_on])  # fmt: skip
                m = retrieval_metrics(ranks, S.KS)
                per[name][str(s)] = {k: m[k] for k in S.REPORTED}
    out = {name: S._summary(p) for name, p in per.items()}
    for name, summ in out.items():
        mean, worst = summ["mean"], summ["worst"]
        print(f"{name}: mAP {mean['map']:.3f} hit@1 {mean['hit@1']:.3f} | worst signer "
              f"{summ['worst_signer']} mAP {worst['map']:.3f} hit@1 {worst['hit@1']:.3f}")  # fmt: skip
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

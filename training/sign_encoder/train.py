"""One training run: P-K batches of augmented canonical poses -> encoder -> metric loss.

Evaluation inside a run uses the library's metrics on held-out data, ranking each query
within its own set's gallery (the app's gallery is one language), against the training-free
feature scorer and the fused scorer computed exactly as ``signlookup.encoder.bundle`` does.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

import numpy as np
import torch

from signlookup.encoder.metrics import score_embeddings
from signlookup.features import FeatureSpec, frame_features, model_input, pool_groups
from signlookup.features.frame import FRAME_DIM
from signlookup.index.base import normalise_rows
from training.sign_encoder.augment import augment
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.data import PoseData, gallery_query_halves
from training.sign_encoder.losses import MetricLoss
from training.sign_encoder.model import TransformerEncoder, TwoStreamSTGCN, gcn_inputs
from training.sign_encoder.pretrain import extra_unlabelled, pretrain
from training.sign_encoder.sampler import PKSampler

#: Fusion weights scored beside the configured one at every evaluation.
FUSION_WEIGHTS_SCANNED = (0.25, 0.75, 0.9)


def feature_spec(cfg: TrainConfig) -> FeatureSpec:
    return FeatureSpec(length=cfg.length)


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class Encoder:
    """A model with the input builder it needs; ``embed`` works batch-wise in eval mode."""

    def __init__(self, cfg: TrainConfig, train: PoseData) -> None:
        self.cfg = cfg
        if cfg.arch == "transformer":
            x = model_input(train.points, train.mask).reshape(-1, FRAME_DIM)
            mean, std = x.mean(0), np.maximum(x.std(0), 0.05)
            self.model = TransformerEncoder(FRAME_DIM, cfg, mean, std)
        elif cfg.arch == "stgcn":
            self.model = TwoStreamSTGCN(cfg)
        else:
            raise ValueError(f"unknown arch {cfg.arch!r}")

    def inputs(self, points: np.ndarray, mask: np.ndarray) -> tuple[torch.Tensor, ...]:
        if self.cfg.arch == "transformer":
            return (torch.from_numpy(model_input(points, mask)),)
        return tuple(torch.from_numpy(a) for a in gcn_inputs(points, mask))

    def embed(self, points: np.ndarray, mask: np.ndarray, batch: int = 512) -> np.ndarray:
        was_training = self.model.training
        self.model.eval()
        out = []
        with torch.inference_mode():
            for s in range(0, len(points), batch):
                out.append(self.model(*self.inputs(points[s : s + batch], mask[s : s + batch])))
        self.model.train(was_training)
        return torch.cat(out).numpy() if out else np.zeros((0, self.cfg.embedding_size), np.float32)


def fuse(e_model: np.ndarray, e_feat: np.ndarray, w: float) -> np.ndarray:
    """The bundle's fusion: [sqrt(w) e_model, sqrt(1-w) e_feat], unit rows."""
    v = np.concatenate([np.sqrt(w) * e_model, np.sqrt(1 - w) * e_feat], axis=1)
    return normalise_rows(v)


def evaluate_scorers(test: PoseData, scorers: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per scorer: mAP / R@1 / R@10 per set (gallery = first half of each class's takes) and their mean."""
    out: dict[str, dict[str, float]] = {}
    for name, vectors in scorers.items():
        res: dict[str, float] = {}
        maps = []
        for set_name in np.unique(test.sets):
            idx = np.flatnonzero(test.sets == set_name)
            sub = test.subset(idx)
            g, q = gallery_query_halves(sub)
            r = score_embeddings(vectors[idx][q], vectors[idx][g], sub.labels[q], sub.labels[g])
            short = set_name.split("_")[-1]
            res[f"{short}_map"] = r["map"]
            res[f"{short}_r1"] = r["hit@1"]
            res[f"{short}_r10"] = r["hit@10"]
            maps.append(r["map"])
        res["mean_map"] = float(np.mean(maps))
        out[name] = res
    return out


def feature_vectors(test: PoseData, spec: FeatureSpec) -> np.ndarray:
    return pool_groups(frame_features(test.points, test.mask), spec.weights)


def train(
    cfg: TrainConfig,
    train_data: PoseData,
    test_data: PoseData | None = None,
    log: Callable[[str], None] = print,
) -> tuple[Encoder, list[dict]]:
    """Train on ``train_data``; every ``eval_every`` steps score ``test_data`` (if given)."""
    torch.set_num_threads(cfg.threads)
    set_seed(cfg.seed)
    classes, labels = np.unique(train_data.labels, return_inverse=True)
    enc = Encoder(cfg, train_data)
    loss_fn = MetricLoss(cfg, len(classes))
    opt = torch.optim.AdamW(
        [{"params": enc.model.parameters(), "lr": cfg.lr},
         {"params": loss_fn.parameters(), "lr": cfg.loss_lr, "weight_decay": 0.0}],
        weight_decay=cfg.weight_decay,
    )  # fmt: skip
    base_lrs = [g["lr"] for g in opt.param_groups]
    sampler = PKSampler(labels, cfg.p_classes, cfg.k_per_class, seed=cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    spec = feature_spec(cfg)
    e_feat = feature_vectors(test_data, spec) if test_data is not None else None
    history: list[dict] = []

    def evaluate(step: int) -> None:
        if test_data is None:
            return
        e_model = enc.embed(test_data.points, test_data.mask)
        scorers = {"features": e_feat, "model": e_model,
                   "fused": fuse(e_model, e_feat, cfg.fusion_weight)}  # fmt: skip
        for w in FUSION_WEIGHTS_SCANNED:  # to choose the bundle's weight on shared splits
            scorers[f"fused@{w}"] = fuse(e_model, e_feat, w)
        scores = evaluate_scorers(test_data, scorers)
        history.append({"step": step, **scores})
        log(f"step {step}: " + " ".join(f"{k}={v['mean_map']:.4f}" for k, v in scores.items()
                                        if "@" not in k))  # fmt: skip

    if cfg.pretrain_steps:
        pool_p, pool_m = train_data.points, train_data.mask
        if cfg.pretrain_extra:
            extra_p, extra_m = extra_unlabelled(
                cfg.length,
                "asl_traduttore" in train_data.sets,
                cfg.set_aspect.get("asl_traduttore"),
            )
            pool_p, pool_m = np.concatenate([pool_p, extra_p]), np.concatenate([pool_m, extra_m])
        log(f"pre-training on {len(pool_p)} unlabelled clips, {cfg.pretrain_steps} steps")
        pretrain(enc.model, enc.inputs, pool_p, pool_m, cfg, log)
    evaluate(0)  # with pre-training: the "pre-training only" row
    if cfg.pretrain_only:
        enc.model.eval()
        return enc, history
    enc.model.train()
    t0 = time.time()
    for step in range(1, cfg.steps + 1):
        frac = (
            step / cfg.warmup
            if step < cfg.warmup
            else 0.5
            * (1 + math.cos(math.pi * (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)))
        )
        for g, lr in zip(opt.param_groups, base_lrs, strict=True):
            g["lr"] = lr * frac
        idx = sampler.batch()
        pts, msk = augment(train_data.points[idx], train_data.mask[idx], cfg, rng)
        emb = enc.model(*enc.inputs(pts, msk))
        loss = loss_fn(emb, torch.from_numpy(labels[idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(enc.model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0:
            log(f"step {step} loss {loss.item():.4f} ({time.time() - t0:.0f}s)")
        if step % cfg.eval_every == 0 or step == cfg.steps:
            evaluate(step)
    enc.model.eval()
    return enc, history

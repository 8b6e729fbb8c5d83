"""Self-supervised pre-training: two augmented views of one unlabelled clip should embed alike.

SimCLR-style contrastive learning (NT-Xent, pytorch-metric-learning) through the same encoder
the metric loss later fine-tunes, with a projection head that is thrown away afterwards. Views
are strong versions of the supervised augmentation (longer time crops and speed changes, more
rotation and drop-out, MediaPipe-like jitter, the signer-invariance transforms if configured).

The unlabelled pool is the run's own training clips (never its test classes or test set) plus,
with ``pretrain_extra``, MIT-licensed clips no protocol tests on: ASL's idle takes (class "-")
and sliding windows over the pose-format sample files (other signers, longer recordings).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import torch
from pytorch_metric_learning import losses

from signlookup.features import FeatureSpec, canonical_poses
from signlookup.pose.io import load_keypoint_set, load_pose_file
from signlookup.pose.layout import point
from signlookup.pose.sequence import PoseSequence
from training.sign_encoder.augment import augment
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.data import SHARED_KEYPOINTS

POSE_SAMPLES = SHARED_KEYPOINTS / "pose_format_samples"
#: Sliding windows over long recordings: about one sign's length at 25 fps, half overlapping.
WINDOW, STRIDE = 32, 16
#: Per-landmark Gaussian jitter in torso lengths, about MediaPipe's frame-to-frame wobble.
JITTER = 0.01


@cache
def extra_unlabelled(
    length: int, use_asl_idle: bool, asl_aspect: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Canonical poses of the MIT clips no protocol tests on (see module docstring)."""
    seqs: list[PoseSequence] = []
    if use_asl_idle:
        ks = load_keypoint_set(SHARED_KEYPOINTS / "asl_traduttore.npz")
        seqs += [PoseSequence.from_zero_filled(x, aspect=asl_aspect) for x in ks.X[ks.y == "-"]]
    for path in sorted(Path(POSE_SAMPLES).glob("*.pose")):
        try:
            seq = load_pose_file(path)
        except Exception:  # openpose.pose and other non-MediaPipe files: not our layout
            continue
        for start in range(0, max(1, len(seq.points) - WINDOW + 1), STRIDE):
            part = slice(start, start + WINDOW)
            seqs.append(PoseSequence(seq.points[part], seq.mask[part], seq.fps, seq.aspect))
    shoulders = [point("LEFT_SHOULDER"), point("RIGHT_SHOULDER")]
    seqs = [s for s in seqs if s.mask[:, shoulders].all(axis=1).any()]  # placeable bodies only
    return canonical_poses(seqs, FeatureSpec(length=length))


def view_config(cfg: TrainConfig) -> TrainConfig:
    """The supervised augmentation, made strong enough that agreeing across views means something."""
    return dataclasses.replace(
        cfg,
        aug_speed=max(cfg.aug_speed, 0.5),
        aug_rotate_deg=max(cfg.aug_rotate_deg, 15.0),
        aug_scale=max(cfg.aug_scale, 0.15),
        aug_hand_drop_p=max(cfg.aug_hand_drop_p, 0.2),
        aug_frame_drop_p=max(cfg.aug_frame_drop_p, 0.1),
    )


def pretrain(
    model: torch.nn.Module,
    inputs: Callable[[np.ndarray, np.ndarray], tuple[torch.Tensor, ...]],
    points: np.ndarray,
    mask: np.ndarray,
    cfg: TrainConfig,
    log: Callable[[str], None] = print,
) -> None:
    """NT-Xent over ``cfg.pretrain_steps`` batches of the pool (points, mask); trains ``model``."""
    rng = np.random.default_rng(cfg.seed + 17)
    size = cfg.embedding_size
    head = torch.nn.Sequential(
        torch.nn.Linear(size, size), torch.nn.ReLU(), torch.nn.Linear(size, 128)
    )
    loss_fn = losses.NTXentLoss(temperature=cfg.pretrain_temperature)
    params = list(model.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=cfg.pretrain_lr, weight_decay=cfg.weight_decay)
    views = view_config(cfg)
    batch = min(cfg.pretrain_batch, len(points))
    warmup = max(1, cfg.pretrain_steps // 10)
    model.train()
    for step in range(1, cfg.pretrain_steps + 1):
        frac = (
            step / warmup
            if step < warmup
            else 0.5
            * (1 + math.cos(math.pi * (step - warmup) / max(1, cfg.pretrain_steps - warmup)))
        )
        for g in opt.param_groups:
            g["lr"] = cfg.pretrain_lr * frac
        idx = rng.choice(len(points), batch, replace=False)
        pts, msk = [], []
        for _ in range(2):
            p, m = augment(points[idx], mask[idx], views, rng)
            pts.append(p + rng.normal(0, JITTER, p.shape).astype(np.float32) * m[..., None])
            msk.append(m)
        z = head(model(*inputs(np.concatenate(pts), np.concatenate(msk))))
        labels = torch.arange(batch).repeat(2)
        loss = loss_fn(z, labels)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step % 50 == 0:
            log(f"pretrain step {step} loss {loss.item():.4f}")

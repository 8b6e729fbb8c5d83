"""Augmentation of canonical normalised poses (N, L, 75, 3) before the per-frame features.

Mirroring (then re-canonicalising, as the app would), then the library's jitter
(``signlookup.features.jitter``: small in-plane rotation / scale / shear about the shoulder
centre, speed change; off unless configured: other bodies, another camera angle, another
rhythm), dropping a whole hand, and dropping frames (replaced by their predecessor, as a tracker
that lost a frame). The jitter is the same code the gallery metric's jittered takes use, drawn
in the same order as before it moved there, so a recipe's random stream is unchanged.
"""

from __future__ import annotations

import numpy as np

from signlookup.features import canonicalise_batch
from signlookup.features.jitter import Jitter, jitter
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND
from signlookup.pose.preprocess import mirror
from training.sign_encoder.config import TrainConfig


def augment(
    points: np.ndarray, mask: np.ndarray, cfg: TrainConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    points, mask = points.copy(), mask.copy()
    n, length = points.shape[:2]

    flip = rng.random(n) < cfg.aug_mirror_p
    if flip.any():
        points[flip], mask[flip] = mirror(points[flip], mask[flip])
        points, mask = canonicalise_batch(points, mask)

    how = Jitter(
        rotate_deg=cfg.aug_rotate_deg,
        scale=cfg.aug_scale,
        shear=cfg.aug_shear,
        speed=cfg.aug_speed,
        bone_scale=cfg.aug_bone_scale,
        shoulder_width=cfg.aug_shoulder_width,
        hand_size=cfg.aug_hand_size,
        yaw_deg=cfg.aug_yaw_deg,
        pause_p=cfg.aug_pause_p,
    )
    points, mask = jitter(points, mask, rng, how)

    # no hand detector (libras_ufpb_pose, a failing camera): the arms carry the sign. Drawn
    # only when on, so recipes without it keep their random stream.
    pose_only = rng.random(n) < cfg.aug_pose_only_p if cfg.aug_pose_only_p else np.zeros(n, bool)
    for hand in (LEFT_HAND, RIGHT_HAND):
        drop = rng.random(n) < cfg.aug_hand_drop_p * (0.3 if hand == RIGHT_HAND else 1.0)
        drop |= pose_only
        points[drop, :, hand] = 0
        mask[drop, :, hand] = False

    if cfg.aug_frame_drop_p > 0:
        dropped = rng.random((n, length)) < cfg.aug_frame_drop_p
        dropped[:, 0] = False
        for i, t in zip(*np.nonzero(dropped), strict=True):
            points[i, t] = points[i, t - 1]
    return points.astype(np.float32), mask

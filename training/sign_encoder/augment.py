"""Augmentation of canonical normalised poses (N, L, 75, 3) before the per-frame features.

Mirroring (then re-canonicalising, as the app would), small in-plane rotation / scale / shear
about the shoulder centre, speed change (a random time crop resampled to L), dropping a whole
hand, and dropping frames (replaced by their predecessor, as a tracker that lost a frame).
"""

from __future__ import annotations

import numpy as np

from signlookup.features import canonicalise_batch
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

    angle = np.deg2rad(rng.uniform(-cfg.aug_rotate_deg, cfg.aug_rotate_deg, n))
    scale = 1 + rng.uniform(-cfg.aug_scale, cfg.aug_scale, (n, 2))
    shear = rng.uniform(-cfg.aug_shear, cfg.aug_shear, n)
    c, s = np.cos(angle), np.sin(angle)
    m = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # (n, 2, 2)
    m = m @ np.stack([np.stack([np.ones(n), shear], -1),
                      np.stack([np.zeros(n), np.ones(n)], -1)], -2)  # fmt: skip
    m = m * scale[:, :, None]
    points[..., :2] = np.einsum("nij,ntpj->ntpi", m, points[..., :2])

    if cfg.aug_speed > 0:
        for i in range(n):
            keep = rng.uniform(1 - cfg.aug_speed, 1.0)
            span = keep * (length - 1)
            start = rng.uniform(0, length - 1 - span)
            src = np.linspace(start, start + span, length)
            lo = np.floor(src).astype(int)
            hi = np.minimum(lo + 1, length - 1)
            w = (src - lo)[:, None, None].astype(np.float32)
            points[i] = points[i, lo] * (1 - w) + points[i, hi] * w
            mask[i] = mask[i, np.rint(src).astype(int)]

    for hand in (LEFT_HAND, RIGHT_HAND):
        drop = rng.random(n) < cfg.aug_hand_drop_p * (0.3 if hand == RIGHT_HAND else 1.0)
        points[drop, :, hand] = 0
        mask[drop, :, hand] = False

    if cfg.aug_frame_drop_p > 0:
        dropped = rng.random((n, length)) < cfg.aug_frame_drop_p
        dropped[:, 0] = False
        for i, t in zip(*np.nonzero(dropped), strict=True):
            points[i, t] = points[i, t - 1]
    return points.astype(np.float32), mask

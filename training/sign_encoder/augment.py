"""Augmentation of canonical normalised poses (N, L, 75, 3) before the per-frame features.

Mirroring (then re-canonicalising, as the app would), small in-plane rotation / scale / shear
about the shoulder centre, speed change (a random time crop resampled to L), dropping a whole
hand, and dropping frames (replaced by their predecessor, as a tracker that lost a frame).

Signer invariance (off unless configured): other bodies (arm bone lengths, shoulder width, hand
size, each moving what hangs below it), another camera angle (rotation about the body's vertical
axis, using MediaPipe's z) and another rhythm (a hold inserted somewhere in the clip).
"""

from __future__ import annotations

import numpy as np

from signlookup.features import canonicalise_batch
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, hand_point, point
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

    if cfg.aug_bone_scale or cfg.aug_shoulder_width or cfg.aug_hand_size:
        points = other_body(points, cfg, rng)
    if cfg.aug_yaw_deg:
        points = yaw(points, np.deg2rad(rng.uniform(-cfg.aug_yaw_deg, cfg.aug_yaw_deg, n)))
    if cfg.aug_pause_p:
        points, mask = insert_pause(points, mask, rng.random(n) < cfg.aug_pause_p, rng)

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


def _side_chain(side: str) -> tuple[int, int, int, list[int]]:
    """Shoulder, elbow, wrist and every point that moves with the wrist (pose hand points, hand)."""
    upper = side.upper()
    hand = LEFT_HAND if side == "left" else RIGHT_HAND
    below = [point(f"{upper}_{n}") for n in ("PINKY", "INDEX", "THUMB")]
    below += list(range(hand.start, hand.stop))
    return point(f"{upper}_SHOULDER"), point(f"{upper}_ELBOW"), point(f"{upper}_WRIST"), below


def other_body(points: np.ndarray, cfg: TrainConfig, rng: np.random.Generator) -> np.ndarray:
    """Another body: rescale shoulder width, upper arm, forearm and hand; the rest follows.

    Each segment is scaled about its parent joint and everything below it is translated, so
    the signer's movement is kept and only the proportions change (per clip, per side).
    """
    points = points.copy()
    n = len(points)
    width = 1 + rng.uniform(-cfg.aug_shoulder_width, cfg.aug_shoulder_width, n)
    for side in ("left", "right"):
        shoulder, elbow, wrist, below = _side_chain(side)
        arm = [elbow, wrist, *below]
        # shoulder width about the shoulder midpoint (x only; the midpoint is the origin)
        shift = points[:, :, shoulder, :1] * (width[:, None, None] - 1)
        points[:, :, [shoulder, *arm], :1] += shift[:, :, None]
        upper = 1 + rng.uniform(-cfg.aug_bone_scale, cfg.aug_bone_scale, n)[:, None, None]
        fore = 1 + rng.uniform(-cfg.aug_bone_scale, cfg.aug_bone_scale, n)[:, None, None]
        move = (points[:, :, elbow] - points[:, :, shoulder]) * (upper - 1)
        points[:, :, arm] += move[:, :, None]
        move = (points[:, :, wrist] - points[:, :, elbow]) * (fore - 1)
        points[:, :, [wrist, *below]] += move[:, :, None]
        hand = LEFT_HAND if side == "left" else RIGHT_HAND
        size = 1 + rng.uniform(-cfg.aug_hand_size, cfg.aug_hand_size, n)[:, None, None, None]
        root = points[:, :, hand_point(side, "WRIST")][:, :, None]
        seen = np.any(points[:, :, hand] != 0, axis=(1, 2, 3))[:, None, None, None]
        points[:, :, hand] = np.where(seen, root + (points[:, :, hand] - root) * size,
                                      points[:, :, hand])  # fmt: skip
    return points


#: MediaPipe's pose z (depth about the hips) runs ~2.5x larger than x in these sets: a wrist at
#: -2.5 torso lengths in front of the shoulders is no human arm. Depth is shrunk by this factor
#: (and centred on the shoulders) before the body is turned, so a turn moves hands, not the body.
POSE_Z_SCALE = 0.4


def yaw(points: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate each clip's body by ``angle`` (radians) about its vertical axis (x, z plane).

    Pose depth is re-centred on the shoulders and shrunk (POSE_Z_SCALE); hand z is depth about
    the hand's own wrist, so each hand is turned about its wrist and then carried to where its
    pose wrist went. Only x changes in the output, as a camera sees it; z keeps its scale.
    """
    points = points.copy()
    c, s = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    shoulders = [point("LEFT_SHOULDER"), point("RIGHT_SHOULDER")]
    z0 = np.median(points[:, :, shoulders, 2].mean(-1), axis=1)[:, None, None]

    body = points[:, :, : LEFT_HAND.start]
    before = {
        side: points[:, :, point(f"{side.upper()}_WRIST")].copy() for side in ("left", "right")
    }
    depth = (body[..., 2] - z0) * POSE_Z_SCALE
    body[..., 0], depth = body[..., 0] * c + depth * s, -body[..., 0] * s + depth * c
    body[..., 2] = depth / POSE_Z_SCALE + z0
    for side, hand in (("left", LEFT_HAND), ("right", RIGHT_HAND)):
        h = points[:, :, hand]
        seen = np.any(h != 0, axis=(2, 3))[:, :, None]
        root = h[:, :, :1].copy()
        rel_x, rel_z = h[..., 0] - root[..., 0], h[..., 2] - root[..., 2]
        moved = points[:, :, point(f"{side.upper()}_WRIST")] - before[side]
        h[..., 0] = np.where(seen, root[..., 0] + rel_x * c + rel_z * s + moved[:, :, None, 0], 0)
        h[..., 1] = np.where(seen, h[..., 1] + moved[:, :, None, 1], 0)
        h[..., 2] = np.where(seen, root[..., 2] - rel_x * s + rel_z * c, 0)
    return points


def insert_pause(
    points: np.ndarray, mask: np.ndarray, which: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Hold one frame for 10-30% of the clip (a signer pausing mid-sign), keeping length L."""
    points, mask = points.copy(), mask.copy()
    length = points.shape[1]
    for i in np.flatnonzero(which):
        hold = max(1, int(rng.uniform(0.1, 0.3) * length))
        at = int(rng.integers(0, length))
        src = np.concatenate([np.arange(at), np.full(hold, at), np.arange(at, length)])
        src = src[np.rint(np.linspace(0, len(src) - 1, length)).astype(int)]
        points[i], mask[i] = points[i, src], mask[i, src]
    return points, mask

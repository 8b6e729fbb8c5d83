"""Jitter: a take as another body, camera angle and rhythm would have recorded it.

A gallery that holds a sign once or twice shows its metric (``signlookup.index.metric``)
almost nothing about how takes of one sign differ, so the metric could only centre. Jittered
copies of each take stand in for the takes it lacks: their spread about the take is what the
metric learns to ignore. Measured on strangers (docs/encoder.md, "Jittered takes"): bberaldo
one-shot hit@1 0.840 -> 0.897, ufpb one-shot 0.337 -> 0.410, gislr phones against a one-take
asl dictionary 0.528 -> 0.631, real-clip twins in the app's top 5 for 9 of 10 (7 before).

The same transforms augment the encoder's training (``training/sign_encoder/augment.py``), so
they work on canonical normalised poses (N, L, 75, 3) and draw from the caller's generator in a
fixed order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, hand_point, point

#: MediaPipe's pose z (depth about the hips) runs ~2.5x larger than x in these sets: a wrist at
#: -2.5 torso lengths in front of the shoulders is no human arm. Depth is shrunk by this factor
#: (and centred on the shoulders) before the body is turned, so a turn moves hands, not the body.
POSE_Z_SCALE = 0.4


@dataclass(frozen=True)
class Jitter:
    """How far each transform may go (0 turns it off and draws nothing)."""

    rotate_deg: float = 10.0  # in-plane camera roll
    scale: float = 0.1  # x and y scale, each
    shear: float = 0.1
    speed: float = 0.2  # keep a random 80-100% of the clip, resampled to its length
    bone_scale: float = 0.15  # upper arm / forearm length, each side
    shoulder_width: float = 0.1
    hand_size: float = 0.1
    yaw_deg: float = 15.0  # camera rotation about the body's vertical axis
    pause_p: float = 0.3  # share of copies given a hold (a pause) somewhere


#: Copies per take, and at most this many per sign in all: a sign held 3 times gets 6 copies of
#: each take, one held more than 18 times none (its own takes show the metric enough).
COPIES_PER_TAKE = 6
COPIES_PER_SIGN = 18
#: Each take's draws are seeded by this and the take itself: its copies do not depend on the
#: batch it comes in, and two takes get independent draws (the same draws for every take would
#: show the metric only six directions; measured: one-shot gains lost).
SEED = 0


def _side_chain(side: str) -> tuple[int, int, int, list[int]]:
    """Shoulder, elbow, wrist and every point that moves with the wrist (pose hand points, hand)."""
    upper = side.upper()
    hand = LEFT_HAND if side == "left" else RIGHT_HAND
    below = [point(f"{upper}_{n}") for n in ("PINKY", "INDEX", "THUMB")]
    below += list(range(hand.start, hand.stop))
    return point(f"{upper}_SHOULDER"), point(f"{upper}_ELBOW"), point(f"{upper}_WRIST"), below


def other_body(
    points: np.ndarray,
    rng: np.random.Generator,
    bone_scale: float,
    shoulder_width: float,
    hand_size: float,
) -> np.ndarray:
    """Another body: rescale shoulder width, upper arm, forearm and hand; the rest follows.

    Each segment is scaled about its parent joint and everything below it is translated, so
    the signer's movement is kept and only the proportions change (per clip, per side).
    """
    points = points.copy()
    n = len(points)
    width = 1 + rng.uniform(-shoulder_width, shoulder_width, n)
    for side in ("left", "right"):
        shoulder, elbow, wrist, below = _side_chain(side)
        arm = [elbow, wrist, *below]
        # shoulder width about the shoulder midpoint (x only; the midpoint is the origin)
        shift = points[:, :, shoulder, :1] * (width[:, None, None] - 1)
        points[:, :, [shoulder, *arm], :1] += shift[:, :, None]
        upper = 1 + rng.uniform(-bone_scale, bone_scale, n)[:, None, None]
        fore = 1 + rng.uniform(-bone_scale, bone_scale, n)[:, None, None]
        move = (points[:, :, elbow] - points[:, :, shoulder]) * (upper - 1)
        points[:, :, arm] += move[:, :, None]
        move = (points[:, :, wrist] - points[:, :, elbow]) * (fore - 1)
        points[:, :, [wrist, *below]] += move[:, :, None]
        hand = LEFT_HAND if side == "left" else RIGHT_HAND
        size = 1 + rng.uniform(-hand_size, hand_size, n)[:, None, None, None]
        root = points[:, :, hand_point(side, "WRIST")][:, :, None]
        seen = np.any(points[:, :, hand] != 0, axis=(1, 2, 3))[:, None, None, None]
        points[:, :, hand] = np.where(seen, root + (points[:, :, hand] - root) * size,
                                      points[:, :, hand])  # fmt: skip
    return points


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


def camera(
    points: np.ndarray, rng: np.random.Generator, rotate_deg: float, scale: float, shear: float
) -> np.ndarray:
    """In-plane rotation, x / y scale and shear about the shoulder centre (the origin)."""
    points = points.copy()
    n = len(points)
    angle = np.deg2rad(rng.uniform(-rotate_deg, rotate_deg, n))
    scales = 1 + rng.uniform(-scale, scale, (n, 2))
    shears = rng.uniform(-shear, shear, n)
    c, s = np.cos(angle), np.sin(angle)
    m = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # (n, 2, 2)
    m = m @ np.stack([np.stack([np.ones(n), shears], -1),
                      np.stack([np.zeros(n), np.ones(n)], -1)], -2)  # fmt: skip
    m = m * scales[:, :, None]
    points[..., :2] = np.einsum("nij,ntpj->ntpi", m, points[..., :2])
    return points


def speed_change(
    points: np.ndarray, mask: np.ndarray, rng: np.random.Generator, speed: float
) -> tuple[np.ndarray, np.ndarray]:
    """Keep a random 1 - speed .. 100% of each clip, resampled to its length (another tempo)."""
    points, mask = points.copy(), mask.copy()
    n, length = points.shape[:2]
    for i in range(n):
        keep = rng.uniform(1 - speed, 1.0)
        span = keep * (length - 1)
        start = rng.uniform(0, length - 1 - span)
        src = np.linspace(start, start + span, length)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, length - 1)
        w = (src - lo)[:, None, None].astype(np.float32)
        points[i] = points[i, lo] * (1 - w) + points[i, hi] * w
        mask[i] = mask[i, np.rint(src).astype(int)]
    return points, mask


def jitter(
    points: np.ndarray, mask: np.ndarray, rng: np.random.Generator, how: Jitter | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each clip of (N, L, 75, 3) poses under its own random body, camera and rhythm."""
    how = how or Jitter()
    if how.bone_scale or how.shoulder_width or how.hand_size:
        points = other_body(points, rng, how.bone_scale, how.shoulder_width, how.hand_size)
    if how.yaw_deg:
        points = yaw(points, np.deg2rad(rng.uniform(-how.yaw_deg, how.yaw_deg, len(points))))
    if how.pause_p:
        points, mask = insert_pause(points, mask, rng.random(len(points)) < how.pause_p, rng)
    points = camera(points, rng, how.rotate_deg, how.scale, how.shear)
    if how.speed > 0:
        points, mask = speed_change(points, mask, rng, how.speed)
    return points.astype(np.float32), mask


def jittered_copies(
    points: np.ndarray, mask: np.ndarray, copies: int = COPIES_PER_TAKE
) -> tuple[np.ndarray, np.ndarray]:
    """(N, copies, L, 75, 3) points and (N, copies, L, 75) masks: each take under ``copies``
    draws seeded by the take's own points, so a take's copies are the same in any batch."""
    out_p, out_m = [], []
    for p, m in zip(points, mask, strict=True):
        digest = hashlib.sha256(np.ascontiguousarray(p, np.float32).tobytes()).digest()
        rng = np.random.default_rng([SEED, int.from_bytes(digest[:8], "little")])
        jp, jm = jitter(np.repeat(p[None], copies, 0), np.repeat(m[None], copies, 0), rng)
        out_p.append(jp)
        out_m.append(jm)
    shape = (0, copies, *points.shape[1:])
    if not out_p:
        return np.zeros(shape, np.float32), np.zeros(shape[:-1], bool)
    return np.stack(out_p), np.stack(out_m)

"""Dominant-hand canonicalisation: left-handed takes (and mirrored recordings) become right-handed.

A sign made with the left hand as the active hand is the same sign as its right-handed mirror
image. Each hand scores its presence (share of frames the hand detector saw it) plus its share
of the two hands' motion (path length); a take whose left hand scores higher, i.e. is the more
present and more moving one on balance, is mirrored with :func:`signlookup.pose.mirror`.
(Requiring *both* more presence and more motion left 0.68 mAP on libras_bberaldo cross-take
against 0.78 for the balanced score; docs/encoder.md.) Works on normalised points (body units),
vectorised over any leading axes so training can canonicalise whole batches.
"""

from __future__ import annotations

import numpy as np

from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point
from signlookup.pose.preprocess import mirror

L_WRIST, R_WRIST = point("LEFT_WRIST"), point("RIGHT_WRIST")
_SIDES = ((LEFT_HAND, L_WRIST), (RIGHT_HAND, R_WRIST))


def hand_centres(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(..., T, 2 hands [left, right], 3): centroid of the hand landmarks, else the pose wrist.

    ``points`` (..., T, 75, 3) are normalised and interpolated, so a hand seen in some frames of
    the clip has a position in every frame; a hand never seen falls back to the arm's wrist.
    """
    out = []
    for hand, wrist in _SIDES:
        seen_in_clip = mask[..., hand].any(axis=(-1, -2))[..., None, None]
        centroid = points[..., hand, :].mean(axis=-2)
        out.append(np.where(seen_in_clip, centroid, points[..., wrist, :]))
    return np.stack(out, axis=-2).astype(np.float32)


def hand_activity(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Presence and motion of each hand: two arrays (..., 2), index 0 left, 1 right.

    presence: share of frames where the hand detector saw the hand.
    motion:   path length of the hand centre in the image plane (body units).
    """
    presence = np.stack([mask[..., hand].any(axis=-1).mean(axis=-1) for hand, _ in _SIDES], -1)
    centres = hand_centres(points, mask)[..., :2]
    steps = np.linalg.norm(np.diff(centres, axis=-3), axis=-1)  # (..., T-1, 2)
    motion = steps.sum(axis=-2)
    return presence.astype(np.float32), motion.astype(np.float32)


def left_dominant(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """bool (...): True where the left hand's presence + motion share beats the right hand's."""
    presence, motion = hand_activity(points, mask)
    motion_share = motion / np.maximum(motion.sum(axis=-1, keepdims=True), 1e-6)
    score = presence + motion_share
    return score[..., 0] > score[..., 1]


def canonicalise(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Mirror one take (T, 75, 3) when its left hand dominates; returns (points, mask, mirrored)."""
    if bool(left_dominant(points, mask)):
        mirrored, mirrored_mask = mirror(points, mask)
        return mirrored, mirrored_mask, True
    return points, mask, False


def canonicalise_batch(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`canonicalise` over a batch (N, T, 75, 3) / (N, T, 75)."""
    flip = left_dominant(points, mask)
    if not flip.any():
        return points, mask
    points, mask = points.copy(), mask.copy()
    points[flip], mask[flip] = mirror(points[flip], mask[flip])
    return points, mask

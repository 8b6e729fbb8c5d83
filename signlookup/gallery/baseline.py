"""A small, fast, training-free embedder that tests use to exercise the gallery and search.

Hand trajectories in body units plus a time-averaged handshape per hand, flattened and
L2-normalised. It is not the product's scorer (``signlookup.search.default_embedder`` is); its
``content_hash`` differs from the real encoder's, so a gallery built with it re-embeds itself
when opened with the real one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from signlookup.index.base import normalise_rows
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point
from signlookup.pose.preprocess import PreprocessConfig, normalise_sequence
from signlookup.pose.sequence import PoseSequence

_ARM_POINTS = [point(n) for n in ("LEFT_ELBOW", "RIGHT_ELBOW", "LEFT_WRIST", "RIGHT_WRIST")]
_STEPS = 16


def _handshape(points: np.ndarray, mask: np.ndarray, hand: slice) -> np.ndarray:
    """Mean over seen frames of the hand's landmarks minus its wrist, over its extent: (40,)."""
    seen = mask[:, hand].any(axis=1)
    if not seen.any():
        return np.zeros(40, np.float32)
    rel = points[seen, hand, :2] - points[seen, hand, :2][:, :1]
    size = np.linalg.norm(rel, axis=-1).max(axis=1, keepdims=True)[..., None]
    return (rel / np.maximum(size, 1e-6))[:, 1:].mean(axis=0).reshape(-1).astype(np.float32)


class PoseBaselineEmbedder:
    """Trajectory + handshape vector of one clip (see module docstring); dim 332."""

    name = "pose-baseline"
    dim = _STEPS * 2 * (len(_ARM_POINTS) + 2) + 2 * 40 + (_STEPS - 1) * 4
    content_hash = "pose-baseline-" + hashlib.sha256(b"pose-baseline v1 steps=16").hexdigest()[:12]

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        out = np.zeros((len(sequences), self.dim), np.float32)
        for row, seq in enumerate(sequences):
            pose = normalise_sequence(seq, PreprocessConfig(length=_STEPS))
            pts, mask = pose.points, pose.mask
            centres = [
                np.where(mask[:, h].any(axis=1)[:, None], pts[:, h, :2].mean(axis=1), pts[:, w, :2])
                for h, w in ((LEFT_HAND, point("LEFT_WRIST")), (RIGHT_HAND, point("RIGHT_WRIST")))
            ]
            traj = np.concatenate([pts[:, _ARM_POINTS, :2].reshape(_STEPS, -1), *centres], axis=1)
            traj = traj - traj.mean(axis=0, keepdims=True) * 0.5  # half motion, half location
            motion = np.diff(np.stack(centres, axis=1), axis=0).reshape(-1) * 4.0
            vec = np.concatenate(
                [
                    traj.reshape(-1),
                    2.0 * _handshape(pts, mask, LEFT_HAND),
                    2.0 * _handshape(pts, mask, RIGHT_HAND),
                    motion,
                ]
            )
            out[row] = vec
        return normalise_rows(out)

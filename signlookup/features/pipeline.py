"""From a PoseSequence to features: the one path used by the app, evaluation and training.

normalise_sequence (interpolate, normalise, trim, resample) -> canonicalise the dominant hand
-> per-frame groups -> (model input) or mean+std pooling with group weights (training-free).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signlookup.features.canonical import canonicalise, canonicalise_batch
from signlookup.features.frame import GROUPS, concat_groups, frame_features
from signlookup.features.spec import FeatureSpec
from signlookup.pose.preprocess import PreprocessConfig, normalise_sequence
from signlookup.pose.sequence import PoseSequence


def canonical_pose(
    seq: PoseSequence, spec: FeatureSpec | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Normalised, resampled, canonicalised landmarks: points (L, 75, 3), mask (L, 75)."""
    spec = spec or FeatureSpec()
    pose = normalise_sequence(seq, PreprocessConfig(length=spec.length, trim=spec.trim))
    points, mask = pose.points, pose.mask
    if spec.canonical:
        points, mask, _ = canonicalise(points, mask)
    return points, mask


def canonical_poses(
    sequences: Sequence[PoseSequence], spec: FeatureSpec | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Batch of :func:`canonical_pose`: points (N, L, 75, 3), mask (N, L, 75)."""
    spec = spec or FeatureSpec()
    pts = np.zeros((len(sequences), spec.length, 75, 3), np.float32)
    msk = np.zeros((len(sequences), spec.length, 75), bool)
    for i, seq in enumerate(sequences):
        pose = normalise_sequence(seq, PreprocessConfig(length=spec.length, trim=spec.trim))
        pts[i], msk[i] = pose.points, pose.mask
    if spec.canonical:
        pts, msk = canonicalise_batch(pts, msk)
    return pts, msk


def model_input(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(..., L, FRAME_DIM) float32: per-frame groups concatenated, for the trained encoder."""
    return concat_groups(frame_features(points, mask))


def pool_groups(groups: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Mean+std over time per group, each group made unit length and scaled by sqrt(weight).

    groups: name -> (..., T, d). Returns (..., D) with unit rows, so the inner product of two
    vectors is the weight-averaged cosine of their groups (sum_g w_g cos_g / sum_g w_g when
    every group is present). A group that is all zeros (a hand never seen) contributes nothing.
    """
    parts = []
    for name in GROUPS:
        w = float(weights.get(name, 0.0))
        if w <= 0:
            continue
        g = groups[name]
        pooled = np.concatenate([g.mean(axis=-2), g.std(axis=-2)], axis=-1)
        norm = np.linalg.norm(pooled, axis=-1, keepdims=True)
        parts.append(np.sqrt(w) * pooled / np.maximum(norm, 1e-8))
    v = np.concatenate(parts, axis=-1)
    return (v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-8)).astype(np.float32)


def pooled_dim(spec: FeatureSpec) -> int:
    """Length of the pooled vector for a spec (2 x the width of every weighted group)."""
    from signlookup.features.frame import GROUP_DIMS

    return sum(2 * GROUP_DIMS[g] for g in GROUPS if spec.weights.get(g, 0.0) > 0)


def pooled_features(
    sequences: Sequence[PoseSequence], spec: FeatureSpec | None = None
) -> np.ndarray:
    """(N, pooled_dim) unit rows: the training-free sign vector of each sequence."""
    spec = spec or FeatureSpec()
    points, mask = canonical_poses(sequences, spec)
    return pool_groups(frame_features(points, mask), spec.weights)

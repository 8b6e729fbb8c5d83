"""From a PoseSequence to features: the one path used by the app, evaluation and training.

normalise_sequence (interpolate, normalise, trim, resample) -> canonicalise the dominant hand
-> per-frame groups -> (model input) or mean+std pooling with group weights (training-free).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signlookup.features.canonical import canonicalise, canonicalise_batch
from signlookup.features.frame import (
    PATH_FRAMES,
    PATH_GROUP,
    POOLED_DIMS,
    concat_groups,
    frame_features,
)
from signlookup.features.spec import FeatureSpec
from signlookup.pose.preprocess import PreprocessConfig, crop_time, normalise_sequence
from signlookup.pose.sequence import PoseSequence

#: Test-time views of a clip (start, end shares): the whole clip, its first 85%, its last 85%.
#: Where a stranger's sign starts and ends differs from the gallery signer's; the mean over the
#: views forgives it (issue 12 for the bundle; issue 22 for the features: libras_ufpb_pose
#: leave-signers-out mAP 0.316 -> 0.318, libras_bberaldo 0.786 -> 0.799).
DEFAULT_TIME_CROPS: tuple[tuple[float, float], ...] = ((0.0, 1.0), (0.0, 0.85), (0.15, 1.0))


def time_crop_views(points: np.ndarray, mask: np.ndarray, crops):
    """(points, mask) of the clips under each ``(start, end)`` crop, resampled to their length."""
    for start, end in crops:
        yield (points, mask) if (start, end) == (0.0, 1.0) else crop_time(points, mask, start, end)


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


def _pool(name: str, groups: dict[str, np.ndarray]) -> np.ndarray:
    """One group's pooled vector (..., POOLED_DIMS[name]) from per-frame groups (..., T, d)."""
    if name == PATH_GROUP:
        location = groups["location"]
        frames = np.linspace(0, location.shape[-2] - 1, PATH_FRAMES).round().astype(int)
        path = np.take(location, frames, axis=-2)
        return path.reshape(*path.shape[:-2], -1)
    g = groups[name]
    return np.concatenate([g.mean(axis=-2), g.std(axis=-2)], axis=-1)


def pool_groups(groups: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Per group mean+std over time (the location path: its frames), each made unit length and
    scaled by sqrt(weight).

    groups: name -> (..., T, d). Returns (..., D) with unit rows, so the inner product of two
    vectors is the weight-averaged cosine of their groups (sum_g w_g cos_g / sum_g w_g when
    every group is present). A group that is all zeros (a hand never seen) contributes nothing.
    """
    parts = []
    for name in POOLED_DIMS:
        w = float(weights.get(name, 0.0))
        if w <= 0:
            continue
        pooled = _pool(name, groups)
        norm = np.linalg.norm(pooled, axis=-1, keepdims=True)
        parts.append(np.sqrt(w) * pooled / np.maximum(norm, 1e-8))
    v = np.concatenate(parts, axis=-1)
    return (v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-8)).astype(np.float32)


def pooled_dim(spec: FeatureSpec) -> int:
    """Length of the pooled vector for a spec (the pooled width of every weighted group)."""
    return sum(d for g, d in POOLED_DIMS.items() if spec.weights.get(g, 0.0) > 0)


def pooled_features(
    sequences: Sequence[PoseSequence], spec: FeatureSpec | None = None
) -> np.ndarray:
    """(N, pooled_dim) unit rows: the training-free sign vector of each sequence."""
    spec = spec or FeatureSpec()
    points, mask = canonical_poses(sequences, spec)
    return pool_groups(frame_features(points, mask), spec.weights)

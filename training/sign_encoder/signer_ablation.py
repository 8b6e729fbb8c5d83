"""Each feature fact of issue 22, tested on the cross-signer protocols (``signers.py``).

``python -m training.sign_encoder.signer_ablation [--json FILE]`` prints one markdown row per
variant of the training-free scorer: the shipped features, and the shipped features with one
idea changed. Plain variants pool with the library's own :func:`pool_groups`, so the first row
is exactly what ``FeatureEmbedder`` scores (three time crops averaged); the others are
transforms named in ``variants()``:

- weights: a group dropped, equal weights, the issue's weights (dominant shape 2, other hand 0.5,
  location 0.25, orientation ("pose") 0.25, velocity 0), the previous weights without the path;
- handshape without z (hand landmarks' z set to 0 before the features);
- no dominant-hand canonicalisation; no idle-frame trimming;
- no missing-hand interpolation (hand landmarks zero in the frames the detector missed);
- mean and std over 8 resampled frames instead of 32; the whole clip only (no time crops);
- gallery-mean subtraction per group (the gallery's mean pooled group subtracted from gallery
  and query before the cosine: a scoring rule, not one vector per clip).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from signlookup.features import (
    DEFAULT_WEIGHTS,
    PATH_GROUP,
    POOLED_DIMS,
    FeatureSpec,
    canonical_poses,
    frame_features,
    pool_groups,
)
from signlookup.features.pipeline import DEFAULT_TIME_CROPS, _pool, time_crop_views
from signlookup.index.base import normalise_rows
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND
from signlookup.pose.preprocess import resample
from training.sign_encoder import signers as S

HANDS = np.r_[LEFT_HAND, RIGHT_HAND]
ISSUE_WEIGHTS = {"handshape_dominant": 2.0, "handshape_other": 0.5, "location": 0.25,
                 "orientation": 0.25, "velocity": 0.0}  # fmt: skip
PREVIOUS_WEIGHTS = {g: w for g, w in DEFAULT_WEIGHTS.items() if g != PATH_GROUP}


@dataclass(frozen=True)
class Variant:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    canonical: bool = True
    trim: bool = True
    hand_z: bool = True
    interpolate_hands: bool = True
    pool_frames: int = 0  # 0: the spec's 32 frames
    centre: bool = False
    time_crops: tuple[tuple[float, float], ...] = DEFAULT_TIME_CROPS


def variants() -> dict[str, Variant]:
    base = Variant()
    out = {"shipped features (v1 groups + location path 0.5)": base}
    out["previous weights (no location path)"] = Variant(weights=PREVIOUS_WEIGHTS)
    for g in DEFAULT_WEIGHTS:
        out[f"without {g}"] = Variant(weights={**DEFAULT_WEIGHTS, g: 0.0})
    out["equal weights"] = Variant(weights=dict.fromkeys(DEFAULT_WEIGHTS, 1.0))
    out["issue weights (2/0.5/0.25/0.25/0), no path"] = Variant(weights=ISSUE_WEIGHTS)
    out["issue weights + path 0.5"] = Variant(weights={**ISSUE_WEIGHTS, PATH_GROUP: 0.5})
    out["handshape without z"] = dataclasses.replace(base, hand_z=False)
    out["no canonicalisation"] = dataclasses.replace(base, canonical=False)
    out["no trimming"] = dataclasses.replace(base, trim=False)
    out["no missing-hand interpolation"] = dataclasses.replace(base, interpolate_hands=False)
    out["mean+std over 8 resampled frames"] = dataclasses.replace(base, pool_frames=8)
    out["gallery-mean subtraction per group"] = dataclasses.replace(base, centre=True)
    out["no time crops (whole clip only)"] = dataclasses.replace(base, time_crops=((0.0, 1.0),))
    return out


def _poses(takes: S.Takes, v: Variant, cache: dict) -> tuple[np.ndarray, np.ndarray]:
    key = (id(takes), v.trim, v.canonical)
    if key not in cache:
        spec = FeatureSpec(trim=v.trim, canonical=v.canonical)
        cache[key] = canonical_poses(takes.sequences, spec)
    points, mask = cache[key]
    if not v.hand_z or not v.interpolate_hands:
        points = points.copy()
    if not v.hand_z:
        points[:, :, HANDS, 2] = 0
    if not v.interpolate_hands:
        hands = points[:, :, HANDS]
        hands[~mask[:, :, HANDS]] = 0
        points[:, :, HANDS] = hands
    if v.pool_frames:
        pairs = [resample(p, m, v.pool_frames) for p, m in zip(points, mask, strict=True)]
        points, mask = np.stack([p for p, _ in pairs]), np.stack([m for _, m in pairs])
    return points, mask


def _group_slices(weights: dict[str, float]) -> dict[str, slice]:
    out, start = {}, 0
    for g, d in POOLED_DIMS.items():
        if weights.get(g, 0.0) > 0:
            out[g] = slice(start, start + d)
            start += d
    return out


def centred_score(weights: dict[str, float]) -> S.Scoring:
    """Cosine after subtracting the gallery's mean from each pooled group (raw, unweighted)."""
    slices = _group_slices(weights)

    def score(q: np.ndarray, g: np.ndarray, g_labels: np.ndarray, g_jittered=None) -> np.ndarray:
        qs, gs = [], []
        for name, sl in slices.items():
            mu = g[:, sl].mean(axis=0, keepdims=True)
            w = np.sqrt(weights[name])
            qs.append(w * normalise_rows(q[:, sl] - mu))
            gs.append(w * normalise_rows(g[:, sl] - mu))
        return normalise_rows(np.concatenate(qs, 1)) @ normalise_rows(np.concatenate(gs, 1)).T

    return score


def run_variant(v: Variant, data: dict[str, S.Takes], cache: dict) -> dict:
    def embed_takes(takes: S.Takes) -> np.ndarray:
        views = []
        for points, mask in time_crop_views(*_poses(takes, v, cache), v.time_crops):
            groups = frame_features(points, mask)
            if v.centre:  # raw pooled groups; the score centres and weighs them
                names = _group_slices(v.weights)
                views.append(np.concatenate([_pool(n, groups) for n in names], axis=1))
            else:
                views.append(pool_groups(groups, v.weights))
        return np.mean(views, axis=0) if v.centre else normalise_rows(np.mean(views, axis=0))

    by_sequences = {id(t.sequences): t for t in data.values()}
    score = centred_score(v.weights) if v.centre else S.cosine
    return S.run_protocols(lambda seqs: embed_takes(by_sequences[id(seqs)]), data, score)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--json", default=None)
    a = p.parse_args()
    data = S.load_all()
    cache: dict = {}
    rows = {}
    for name, v in variants().items():
        t0 = time.time()
        rows[name] = run_variant(v, data, cache)
        h = S.headline(rows[name])
        print(f"{name}: " + ", ".join(f"{k} {x:.3f}" for k, x in h.items()),
              f"({time.time() - t0:.0f} s)", flush=True)  # fmt: skip
    print(S.table(rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()

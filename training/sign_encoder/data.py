"""The shared keypoint sets through the library's feature path, and the protocol splits.

Labels are ``"<set>/<label>"``: each set keeps its own vocabulary ("obrigado" in two Libras sets
are two classes). Takes are ordered by their take id within a class; gallery/query halves are
first half / second half, so neighbouring takes do not sit on both sides when avoidable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signlookup.features import FeatureSpec, canonical_poses
from signlookup.pose.io import load_keypoint_set
from signlookup.pose.sequence import PoseSequence

SHARED_KEYPOINTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "keypoints"

#: Frame aspect (width / height) of sets whose x looks normalised by a wide frame's width. The
#: sets do not record it; asl_traduttore's torso is 2.67 shoulder widths against 1.47-1.64 in
#: every other recording (benchmarks/torso_ratio.py), which 16:9 explains (2.67 / 1.78 = 1.50).
#: Opt-in (TrainConfig.set_aspect): correcting it cost 0.02-0.03 mAP on every keypoint protocol
#: (docs/encoder.md, issue 12), so the shipped encoder trains on x as stored.
WIDE_FRAME_ASPECT = {"asl_traduttore": 16 / 9}


@dataclass
class PoseData:
    """Canonical poses of many clips: points (N, L, 75, 3), mask (N, L, 75), labels, sets, takes."""

    points: np.ndarray
    mask: np.ndarray
    labels: np.ndarray
    sets: np.ndarray
    takes: np.ndarray

    def subset(self, idx: np.ndarray) -> PoseData:
        return PoseData(self.points[idx], self.mask[idx], self.labels[idx], self.sets[idx],
                        self.takes[idx])  # fmt: skip


def load_sets(
    names,
    spec: FeatureSpec,
    root: Path = SHARED_KEYPOINTS,
    drop_labels=("-",),
    aspects: dict[str, float] | None = None,
) -> PoseData:
    """``aspects``: per-set frame aspect applied to x (e.g. WIDE_FRAME_ASPECT); none by default."""
    aspects = aspects or {}
    parts = []
    for name in names:
        ks = load_keypoint_set(root / f"{name}.npz")
        keep = ~np.isin(ks.y, list(drop_labels))
        aspect = aspects.get(name)
        seqs = [PoseSequence.from_zero_filled(ks.frames(i), aspect=aspect)
                for i in np.flatnonzero(keep)]  # fmt: skip
        pts, msk = canonical_poses(seqs, spec)
        labels = np.array([f"{name}/{y}" for y in ks.y[keep]])
        takes = np.array([int(s) if s.isdigit() else i for i, s in enumerate(ks.seq[keep])])
        parts.append(PoseData(pts, msk, labels, np.full(len(labels), name), takes))
    return PoseData(*(np.concatenate([getattr(p, f) for p in parts])
                      for f in ("points", "mask", "labels", "sets", "takes")))  # fmt: skip


def gallery_query_halves(data: PoseData) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (gallery, queries): per class, first half of its takes vs second half."""
    gallery, queries = [], []
    for c in np.unique(data.labels):
        idx = np.flatnonzero(data.labels == c)
        idx = idx[np.argsort(data.takes[idx], kind="stable")]
        half = len(idx) // 2
        gallery.append(idx[:half])
        queries.append(idx[half:])
    return np.concatenate(gallery), np.concatenate(queries)


#: Share of each set's classes held out per open-set split. libras_dayane (3 classes) is never
#: held out: one held-out class would make a trivial test; it always trains.
OPEN_SET_HOLDOUT = {"asl_traduttore": 0.3, "libras_bberaldo": 0.35}


def open_set_split(data: PoseData, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (train, test) over clips: whole classes held out, per set, at random by ``seed``."""
    rng = np.random.default_rng(1000 + seed)
    test = np.zeros(len(data.labels), bool)
    for name, share in OPEN_SET_HOLDOUT.items():
        classes = np.unique(data.labels[data.sets == name])
        if len(classes) == 0:
            continue
        n = max(2, round(share * len(classes)))
        held = rng.choice(classes, size=n, replace=False)
        test |= np.isin(data.labels, held)
    return ~test, test


def leave_set_out(data: PoseData, held_set: str) -> tuple[np.ndarray, np.ndarray]:
    test = data.sets == held_set
    return ~test, test


def cross_take_split(data: PoseData) -> tuple[np.ndarray, np.ndarray]:
    """Every class in training: first half of each class's takes trains, second half tests."""
    _, second = gallery_query_halves(data)
    test = np.zeros(len(data.labels), bool)
    test[second] = True
    return ~test, test

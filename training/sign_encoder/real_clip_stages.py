"""Why cross-dictionary clips fail, stage by stage (issue 22): the twin ranks of the 10 real
clips (``real_clips.py``) under the features with one stage changed at a time.

Stages: as shipped; no idle trimming; a motion-only trim (hands moving faster than 25% of the
clip's 90th-percentile speed, wherever the hands are: dictionary signers keep their hands in view
and raised between signs, so the shipped trim keeps 8 of the 10 twins whole); each clip at 30 fps
(60 fps clips subsampled; the features resample to 32 frames anyway, the trim's padding and
smoothing are in seconds); the query mirrored; no dominant-hand canonicalisation.

    python -m training.sign_encoder.real_clip_stages --cache DIR [--json FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from signlookup.encoder import FeatureEmbedder
from signlookup.features import FeatureSpec
from signlookup.pose.layout import MIRROR_PERMUTATION
from signlookup.pose.preprocess import interpolate_missing, normalise
from signlookup.pose.sequence import PoseSequence
from signlookup.pose.trim import MOTION_SHARE, PAD_S, motion_energy
from training.sign_encoder.real_clips import load_clips, rank_figures, twin_ranks


def motion_trim(seq: PoseSequence) -> PoseSequence:
    """Frames from the first to the last in which the hands move (plus the trim's padding)."""
    points = normalise(interpolate_missing(seq.points, seq.mask), seq.mask, seq.aspect)
    energy = motion_energy(points, seq.mask, seq.fps)
    active = np.flatnonzero(energy > MOTION_SHARE * np.percentile(energy, 90))
    if len(active) < 4:
        return seq
    pad = max(1, round(PAD_S * seq.fps))
    return seq.slice(max(0, active[0] - pad), min(len(seq), active[-1] + 1 + pad))


def at_30_fps(seq: PoseSequence) -> PoseSequence:
    step = max(1, round(seq.fps / 30))
    return PoseSequence(seq.points[::step], seq.mask[::step], seq.fps / step, seq.aspect)


def mirrored(seq: PoseSequence) -> PoseSequence:
    """The raw clip as a mirrored camera would film it (x -> 1 - x, left and right swapped)."""
    perm = np.asarray(MIRROR_PERMUTATION)
    points, mask = seq.points[:, perm].copy(), seq.mask[:, perm].copy()
    points[..., 0] = np.where(mask, 1 - points[..., 0], 0)
    return PoseSequence(points, mask, seq.fps, seq.aspect)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cache", type=Path, default=Path("/tmp/signlookup_real_clips"))
    p.add_argument("--json", type=Path)
    a = p.parse_args()
    files, seqs, labels, queries = load_clips(a.cache)
    shipped = FeatureEmbedder()
    stages = {
        "as shipped": (shipped, seqs),
        "no trimming": (FeatureEmbedder(FeatureSpec(trim=False)), seqs),
        "motion-only trim": (FeatureEmbedder(FeatureSpec(trim=False)), [motion_trim(s) for s in seqs]),
        "30 fps": (shipped, [at_30_fps(s) for s in seqs]),
        "no canonicalisation": (FeatureEmbedder(FeatureSpec(canonical=False)), seqs),
    }  # fmt: skip
    results = {}
    for name, (emb, clips) in stages.items():
        ranks = np.array(twin_ranks(emb.embed(clips), labels, queries))
        results[name] = rank_figures(ranks)
        print(f"{name}: {json.dumps(results[name])}", flush=True)
    # a mirrored query against the unmirrored gallery: canonicalisation should undo it
    vectors = shipped.embed(seqs)
    ranks = []
    for q in queries:
        v = vectors.copy()
        v[q] = shipped.embed([mirrored(seqs[q])])[0]
        ranks.append(twin_ranks(v, labels, np.array([q]))[0])
    results["query mirrored"] = rank_figures(np.array(ranks))
    print(f"query mirrored: {json.dumps(results['query mirrored'])}")
    if a.json:
        a.json.write_text(json.dumps({"queries": [files[q].stem for q in queries], **results},
                                     indent=1) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()

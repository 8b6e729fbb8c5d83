"""Measure torso length / shoulder width on the shared keypoint sets.

The ratio is the fallback scale of ``signlookup.pose.preprocess.body_frame`` when hips are out
of frame (TORSO_PER_SHOULDER_WIDTH). Run: ``python benchmarks/torso_ratio.py [DATA_DIR]``.
The sets do not record their frame aspect: a ratio far above 1.5 (asl_traduttore: 2.67) means
x was normalised by a wide frame's width, and dividing by the aspect (16:9 -> 1.50) recovers it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from signlookup.pose.io import load_keypoint_set
from signlookup.pose.layout import point

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "keypoints"


def ratios(X: np.ndarray) -> np.ndarray:
    """Per-frame torso/shoulder-width ratio over frames whose hips lie inside the image."""
    ls, rs = X[..., point("LEFT_SHOULDER"), :2], X[..., point("RIGHT_SHOULDER"), :2]
    lh, rh = X[..., point("LEFT_HIP"), :2], X[..., point("RIGHT_HIP"), :2]
    ok = (np.abs(ls).sum(-1) > 0) & (lh[..., 1] <= 1) & (rh[..., 1] <= 1)
    torso = np.linalg.norm((lh + rh) / 2 - (ls + rs) / 2, axis=-1)
    width = np.linalg.norm(ls - rs, axis=-1)
    return (torso / np.maximum(width, 1e-6))[ok & (width > 1e-3)]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    for path in sorted(folder.glob("*.npz")):
        r = ratios(load_keypoint_set(path).X)
        if len(r) == 0:
            print(f"{path.stem}: no frame shows the hips")
            continue
        print(f"{path.stem}: median {np.median(r):.3f} (frames with hips in view: {len(r)})")


if __name__ == "__main__":
    main()

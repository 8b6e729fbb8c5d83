"""Rebuild ``tests/data`` (the licence-clean fixtures) from ``../shared/data``.

Only MIT-licensed sources are copied: the pose-format test clip and sample files
(sign-language-processing/pose), and a few takes of ``asl_traduttore`` (traduttore/traduttore-model)
and ``libras_dayane`` (DayaneCordeiro/libras-recognition-system). Takes are spread evenly over each
class's recordings, so the subset is not one burst of consecutive near-identical takes.

    python scripts/make_test_fixtures.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data"

#: takes kept per class of each MIT keypoint set
TAKES_PER_CLASS = {"asl_traduttore": 8, "libras_dayane": 10}
POSE_SAMPLES = ("example.pose", "mediapipe.pose", "openpose.pose")


def subset(src: Path, dst: Path, per_class: int) -> int:
    """Write ``per_class`` evenly spaced takes of every class of ``src`` to ``dst``; return N."""
    data = np.load(src, allow_pickle=False)
    keep = []
    for label in np.unique(data["y"]):
        idx = np.flatnonzero(data["y"] == label)
        keep.extend(idx[np.linspace(0, len(idx) - 1, min(per_class, len(idx))).round().astype(int)])
    keep = np.sort(np.unique(keep))
    np.savez_compressed(dst, X=data["X"][keep], y=data["y"][keep], seq=data["seq"][keep])
    return len(keep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    (OUT / "keypoints").mkdir(parents=True, exist_ok=True)
    (OUT / "pose_format").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        args.shared / "videos" / "pose_test_video_mit.mp4", OUT / "pose_test_video_mit.mp4"
    )
    for name in POSE_SAMPLES:
        shutil.copyfile(
            args.shared / "keypoints" / "pose_format_samples" / name, OUT / "pose_format" / name
        )
    for name, per_class in TAKES_PER_CLASS.items():
        n = subset(
            args.shared / "keypoints" / f"{name}.npz", OUT / "keypoints" / f"{name}.npz", per_class
        )
        print(f"{name}: {n} takes")


if __name__ == "__main__":
    main()

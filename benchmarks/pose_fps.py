"""MediaPipe Holistic extraction speed on the real clips, at native size and at 640x480.

Run: ``python benchmarks/pose_fps.py [VIDEOS_DIR]``; prints a table and writes the
"Pose extraction" section of docs/benchmarks.md. Decoding is timed apart from landmarking, and
each clip runs through a fresh extractor (tracking mode, as the app uses it).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2
import numpy as np

from benchmarks.report import machine, write_section
from signlookup.capture import VideoFileSource
from signlookup.pose import HolisticExtractor

VIDEOS = Path(__file__).resolve().parents[2] / "shared" / "data" / "videos"
CLIPS = ("pose_test_video_mit.mp4", "pai_ne_1.mp4", "café_uf_3.mp4", "carne_vl_4.mp4")


def landmark_fps(frames: list[np.ndarray]) -> float:
    with HolisticExtractor() as extractor:
        extractor.process(frames[0])  # graph start-up is not per-frame cost
        start = time.perf_counter()
        for image in frames:
            extractor.process(image)
        return len(frames) / (time.perf_counter() - start)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else VIDEOS
    rows = []
    for name in CLIPS:
        path = folder / name
        if not path.exists():
            print(f"skip {name}: not found in {folder}")
            continue
        start = time.perf_counter()
        with VideoFileSource(path) as source:
            frames = [f.image for f in source]
        decode_fps = len(frames) / (time.perf_counter() - start)
        h, w = frames[0].shape[:2]
        native = landmark_fps(frames)
        small = landmark_fps(
            [cv2.resize(f, (640, 480), interpolation=cv2.INTER_AREA) for f in frames]
        )
        rows.append(
            f"| {name} | {len(frames)} | {w}x{h} | {decode_fps:.0f} | {native:.1f} | {small:.1f} |"
        )
        print(rows[-1])
    table = "\n".join(
        [
            "| clip | frames | native size | decode fps | Holistic fps, native | Holistic fps, 640x480 |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    write_section(
        "pose-fps",
        f"## Pose extraction\n\n`python -m benchmarks.pose_fps` on {machine()}, load average "
        f"{os.getloadavg()[0]:.1f} while it ran (the machine is shared: compare rows within one run); "
        "MediaPipe Holistic 0.10.21, model_complexity 1, tracking mode, one extractor per clip "
        "(the first frame's graph start-up excluded).\n\n" + table,
    )


if __name__ == "__main__":
    main()

"""Shared fixtures: paths to ../shared/data, and real clips extracted once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("SIGNLOOKUP_POSE_CACHE", "0")  # tests never write the user's cache folder

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
VIDEOS = SHARED_DATA / "videos"
KEYPOINTS = SHARED_DATA / "keypoints"
MIT_CLIP = VIDEOS / "pose_test_video_mit.mp4"
LIBRAS_CLIPS = (VIDEOS / "pai_ne_1.mp4", VIDEOS / "café_uf_3.mp4")


def need(path: Path) -> Path:
    """Skip the calling test when a file from ../shared/data is absent."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the repo) which is absent")
    return path


@pytest.fixture(scope="session")
def extracted():
    """Extract a clip with MediaPipe once per session: ``extracted(path) -> PoseSequence``."""
    from signlookup.capture import VideoFileSource
    from signlookup.pose import extract_pose

    cache: dict[Path, object] = {}

    def get(path: Path):
        need(path)
        if path not in cache:
            cache[path] = extract_pose(VideoFileSource(path))
        return cache[path]

    return get


def write_video(path: Path, frames: list[np.ndarray], fps: float = 25.0) -> Path:
    """Write RGB frames as an mp4v video (OpenCV cannot write H.264 here)."""
    import cv2

    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def fake_sequence(
    frames: int = 40, *, hips_visible: bool = True, seed: int = 0, idle: tuple[int, int] = (0, 0)
):
    """A plausible synthetic signer: a fixed body, the right hand raised and circling.

    ``idle=(before, after)`` adds frames at each end with both hands resting below the hips and
    undetected, as in a dictionary clip before and after the sign.
    """
    from signlookup.pose import PoseSequence
    from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point

    rng = np.random.default_rng(seed)
    before, after = idle
    total = before + frames + after
    pts = np.zeros((total, 75, 3), np.float32)
    body = {
        "NOSE": (0.5, 0.2), "LEFT_SHOULDER": (0.6, 0.35), "RIGHT_SHOULDER": (0.4, 0.35),
        "LEFT_ELBOW": (0.65, 0.5), "RIGHT_ELBOW": (0.35, 0.5), "LEFT_WRIST": (0.63, 0.62),
        "RIGHT_WRIST": (0.37, 0.62), "LEFT_HIP": (0.57, 0.65), "RIGHT_HIP": (0.43, 0.65),
        "LEFT_EYE": (0.52, 0.18), "RIGHT_EYE": (0.48, 0.18),
    }  # fmt: skip
    for name, (x, y) in body.items():
        pts[:, point(name), :2] = (x, y)
    if not hips_visible:
        pts[:, point("LEFT_HIP"), 1] = pts[:, point("RIGHT_HIP"), 1] = 1.2
    mask = np.zeros((total, 75), bool)
    mask[:, :33] = True
    hand_shape = rng.normal(0, 0.02, (21, 3)).astype(np.float32)
    hand_shape[0] = 0
    t = np.linspace(0, 2 * np.pi, frames)
    wrist = np.stack([0.4 + 0.05 * np.cos(t), 0.3 + 0.05 * np.sin(t), np.zeros_like(t)], axis=1)
    active = slice(before, before + frames)
    pts[active, point("RIGHT_WRIST")] = wrist
    pts[active, RIGHT_HAND] = wrist[:, None, :] + hand_shape
    mask[active, RIGHT_HAND] = True
    pts[:, LEFT_HAND] = 0
    for rest in (slice(0, before), slice(before + frames, total)):
        pts[rest, point("RIGHT_WRIST"), :2] = (0.38, 0.8)
        pts[rest, point("LEFT_WRIST"), :2] = (0.62, 0.8)
    pts[~mask] = 0
    return PoseSequence(pts, mask, fps=25.0)

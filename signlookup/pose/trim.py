"""Find the active part of a clip, so idle frames before and after a sign do not dilute it.

A frame is active when a hand is raised above the resting level and it is either detected by
the hand model or moving. The span runs from the first to the last active frame, padded a
little; a clip with no clear activity is kept whole rather than guessed at.
"""

from __future__ import annotations

import numpy as np

from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point

L_WRIST, R_WRIST = point("LEFT_WRIST"), point("RIGHT_WRIST")

#: A wrist lower than this (in torso lengths below the shoulder line) is resting.
REST_LEVEL = 0.85
#: Motion above this share of the clip's 90th-percentile energy counts as movement.
MOTION_SHARE = 0.25
#: Seconds kept before and after the active span.
PAD_S = 0.12
#: Spans shorter than this many frames are not trusted; the clip is kept whole.
MIN_FRAMES = 4


def _smooth(x: np.ndarray, width: int) -> np.ndarray:
    if width <= 1 or len(x) < width:
        return x
    kernel = np.ones(width, dtype=np.float32) / width
    return np.convolve(
        np.pad(x, (width // 2, width - 1 - width // 2), mode="edge"), kernel, "valid"
    )


def _hand_centres(points: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """Per hand (T, 2): centroid of the hand landmarks where seen, else the pose wrist."""
    centres = []
    for hand, wrist in ((LEFT_HAND, L_WRIST), (RIGHT_HAND, R_WRIST)):
        seen = mask[:, hand].any(axis=1)
        centroid = points[:, hand, :2].mean(axis=1)
        centres.append(np.where(seen[:, None], centroid, points[:, wrist, :2]))
    return centres


def motion_energy(points: np.ndarray, mask: np.ndarray, fps: float = 30.0) -> np.ndarray:
    """Hand speed per frame (torso lengths per second, both hands summed), lightly smoothed.

    ``points`` are normalised (interpolated) landmarks; shown to the user as the activity plot.
    """
    if len(points) < 2:
        return np.zeros(len(points), dtype=np.float32)
    speed = sum(np.linalg.norm(np.gradient(c, axis=0), axis=1) for c in _hand_centres(points, mask))
    window = max(1, round(fps * 0.1))
    return (_smooth(speed.astype(np.float32), window) * fps).astype(np.float32)


def find_active_span(points: np.ndarray, mask: np.ndarray, fps: float = 30.0) -> tuple[int, int]:
    """(start, stop) frame indices of the signing, stop exclusive; (0, T) when unsure."""
    t = len(points)
    if t < MIN_FRAMES:
        return 0, t
    wrists_y = points[:, [L_WRIST, R_WRIST], 1]
    raised = wrists_y.min(axis=1) < REST_LEVEL
    hand_seen = mask[:, LEFT_HAND].any(axis=1) | mask[:, RIGHT_HAND].any(axis=1)
    energy = motion_energy(points, mask, fps)
    moving = energy > MOTION_SHARE * np.percentile(energy, 90)
    active = np.flatnonzero(raised & (hand_seen | moving))
    if len(active) == 0 or active[-1] - active[0] + 1 < MIN_FRAMES:
        return 0, t
    pad = max(1, round(PAD_S * fps))
    return max(0, int(active[0]) - pad), min(t, int(active[-1]) + 1 + pad)

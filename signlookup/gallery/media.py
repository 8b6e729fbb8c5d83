"""Entry media: thumbnails (OpenCV, middle frame of the signing) and content hashes.

A thumbnail shows the moment that says most about a sign, so it is taken from the middle of the
active span (``find_active_span``), not the clip's first frame where the signer stands idle.
Entries without a video get a drawn skeleton of the same frame.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from signlookup.pose.layout import HAND_BONES, LEFT_HAND, POSE, POSE_BONES, RIGHT_HAND
from signlookup.pose.preprocess import interpolate_missing, normalise
from signlookup.pose.sequence import PoseSequence
from signlookup.pose.trim import find_active_span

#: Longest side of a thumbnail in pixels (the GUI scales down from this).
THUMB_SIZE = 192


def active_middle_frame(seq: PoseSequence) -> int:
    """Index of the middle frame of the clip's active span (the whole clip when unsure)."""
    if len(seq) == 0:
        return 0
    try:
        points = normalise(interpolate_missing(seq.points, seq.mask), seq.mask, seq.aspect)
        start, stop = find_active_span(points, seq.mask, seq.fps)
    except ValueError:  # no shoulders: cannot place the body, fall back to the clip's middle
        start, stop = 0, len(seq)
    return (start + stop - 1) // 2


def _read_frame(video: Path, index: int) -> np.ndarray | None:
    """BGR frame ``index`` of a video, or None when it cannot be decoded."""
    cap = cv2.VideoCapture(str(video))
    try:
        if not cap.isOpened():
            return None
        cap.set(cv2.CAP_PROP_POS_FRAMES, max(0, index))
        ok, frame = cap.read()
        if not ok:  # some containers do not seek: decode from the start instead
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            for _ in range(index + 1):
                ok, candidate = cap.read()
                if not ok:
                    break
                frame = candidate
        return frame if frame is not None and frame.size else None
    finally:
        cap.release()


def _skeleton(seq: PoseSequence, index: int, size: int = THUMB_SIZE) -> np.ndarray:
    """BGR drawing of frame ``index``'s landmarks on a light background."""
    image = np.full((size, size, 3), 245, np.uint8)
    if len(seq) == 0:
        return image
    pts, seen = seq.points[index, :, :2], seq.mask[index]
    if not seen.any():
        return image
    lo, hi = pts[seen].min(axis=0), pts[seen].max(axis=0)
    scale = 0.85 * size / max(float((hi - lo).max()), 1e-6)
    xy = ((pts - (lo + hi) / 2) * scale + size / 2).astype(int)
    groups = (
        (POSE, POSE_BONES, (90, 90, 90)),
        (LEFT_HAND, HAND_BONES, (200, 120, 30)),
        (RIGHT_HAND, HAND_BONES, (30, 120, 200)),
    )
    for part, bones, colour in groups:
        base = part.start
        for a, b in bones:
            if seen[base + a] and seen[base + b]:
                cv2.line(image, tuple(xy[base + a]), tuple(xy[base + b]), colour, 2, cv2.LINE_AA)
    return image


def thumbnail_png(seq: PoseSequence, video: Path | None = None) -> bytes:
    """PNG bytes of the entry's thumbnail, longest side THUMB_SIZE."""
    index = active_middle_frame(seq)
    frame = _read_frame(video, index) if video is not None else None
    if frame is None:
        frame = _skeleton(seq, min(index, max(0, len(seq) - 1)))
    h, w = frame.shape[:2]
    scale = THUMB_SIZE / max(h, w)
    if scale < 1:
        frame = cv2.resize(
            frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA
        )
    ok, data = cv2.imencode(".png", frame)
    if not ok:
        raise ValueError("OpenCV could not encode the thumbnail")
    return data.tobytes()

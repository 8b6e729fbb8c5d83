"""One preprocessing path for live video and keypoint data sets.

interpolate missing landmarks -> normalise (shoulder midpoint, torso length) -> trim idle frames
-> optional mirror -> resample to a fixed length -> add velocities.

Normalised coordinates: x and y are image axes (y down) centred on the median shoulder
midpoint and divided by the median torso length, so a body at any place and size in the frame
gives the same numbers. z keeps MediaPipe's depth, divided by the same scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signlookup.pose.layout import LEFT_HAND, MIRROR_PERMUTATION, RIGHT_HAND, point
from signlookup.pose.sequence import PoseSequence

L_SHOULDER, R_SHOULDER = point("LEFT_SHOULDER"), point("RIGHT_SHOULDER")
L_HIP, R_HIP = point("LEFT_HIP"), point("RIGHT_HIP")

#: Torso length / shoulder width of signers in aspect-corrected coordinates (1.47 on
#: libras_bberaldo, 1.64 on a UFV clip, 1.50 on asl_traduttore once its x is stretched by
#: 16:9; ``benchmarks/torso_ratio.py``). When hips are out of frame the scale is shoulder width
#: times this, so clips with and without hips land on the same scale.
TORSO_PER_SHOULDER_WIDTH = 1.5


@dataclass(frozen=True)
class PreprocessConfig:
    """Settings of the shared preprocessing; saved beside every trained model."""

    length: int = 100
    trim: bool = True
    mirror: bool = False


@dataclass
class NormalisedPose:
    """points float32 (T, 75, 3) in body units, mask bool (T, 75) from the detector."""

    points: np.ndarray
    mask: np.ndarray


def interpolate_missing(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Fill frames where a landmark is missing by linear interpolation over time.

    Before the first and after the last detection the nearest detection is held. A landmark
    never detected in the clip stays zero (its mask says so).
    """
    points = np.array(points, dtype=np.float32, copy=True)
    frames = np.arange(len(points))
    for j in range(points.shape[1]):
        seen = mask[:, j]
        if seen.all() or not seen.any():
            continue
        for c in range(points.shape[2]):
            points[:, j, c] = np.interp(frames, frames[seen], points[seen, j, c])
    return points


def _hips_in_frame(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Frames where both hips are detected inside the image (raw y within 0..1)."""
    hips = points[:, [L_HIP, R_HIP], 1]
    return mask[:, L_HIP] & mask[:, R_HIP] & np.all((hips >= 0) & (hips <= 1), axis=1)


#: Where only part of the body is visible, the shoulder width is estimated from what is (medians
#: over libras_bberaldo, libras_ufpb_pose, gislr_asl_2signs, libras_dayane): ear to ear is 0.4
#: shoulder widths (2.35-2.65 shoulder widths per ear distance), one shoulder sits half a
#: shoulder width beside the nose (0.50-0.58), the shoulder line lies 0.6 shoulder widths below
#: the nose (0.39-0.70), a palm (mean side of wrist / index MCP / pinky MCP) is 1/3 (2.4-3.7).
SHOULDER_WIDTHS_PER_EAR_DISTANCE = 2.5
SHOULDER_WIDTHS_BELOW_NOSE = 0.6
SHOULDER_WIDTHS_PER_PALM = 3.0

NOSE = point("NOSE")
L_EAR, R_EAR = point("LEFT_EAR"), point("RIGHT_EAR")
_HAND_PALM = (0, 5, 17)  # wrist, index MCP, pinky MCP within a hand


def _both_shoulders(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Median shoulder midpoint; torso length (or shoulder width x TORSO_PER_SHOULDER_WIDTH)."""
    shoulders_seen = mask[:, L_SHOULDER] & mask[:, R_SHOULDER]
    if not shoulders_seen.any():
        return None
    mid_shoulder = (points[:, L_SHOULDER, :2] + points[:, R_SHOULDER, :2]) / 2
    centre = np.median(mid_shoulder[shoulders_seen], axis=0)
    hips = _hips_in_frame(points, mask) & shoulders_seen
    if hips.sum() >= max(1, shoulders_seen.sum() // 2):
        mid_hip = (points[:, L_HIP, :2] + points[:, R_HIP, :2]) / 2
        scale = float(np.median(np.linalg.norm(mid_hip - mid_shoulder, axis=1)[hips]))
    else:
        width = np.linalg.norm(points[:, L_SHOULDER, :2] - points[:, R_SHOULDER, :2], axis=1)
        scale = float(np.median(width[shoulders_seen])) * TORSO_PER_SHOULDER_WIDTH
    return centre, scale


def _shoulder_width_from_partial_body(points: np.ndarray, mask: np.ndarray) -> float | None:
    """Shoulder width from the ears, else one shoulder beside the nose, else the palms."""
    ears = mask[:, L_EAR] & mask[:, R_EAR]
    if ears.any():
        d = np.linalg.norm(points[ears, L_EAR, :2] - points[ears, R_EAR, :2], axis=1)
        return float(np.median(d)) * SHOULDER_WIDTHS_PER_EAR_DISTANCE
    for shoulder in (L_SHOULDER, R_SHOULDER):
        seen = mask[:, shoulder] & mask[:, NOSE]
        if seen.any():
            d = np.abs(points[seen, shoulder, 0] - points[seen, NOSE, 0])
            return float(np.median(d)) * 2
    palms = []
    for hand in (LEFT_HAND, RIGHT_HAND):
        idx = [hand.start + k for k in _HAND_PALM]
        seen = mask[:, idx].all(axis=1)
        if seen.any():
            w, i, p = (points[seen, j, :2] for j in idx)
            sides = np.linalg.norm(i - w, axis=1) + np.linalg.norm(p - w, axis=1)
            palms.append((sides + np.linalg.norm(p - i, axis=1)) / 3)
    if palms:
        return float(np.median(np.concatenate(palms))) * SHOULDER_WIDTHS_PER_PALM
    return None


def _partial_body_centre(points: np.ndarray, mask: np.ndarray, width: float) -> np.ndarray | None:
    """Where the shoulder midpoint would be: below the nose, else at one shoulder's height
    under the nose, else the median of every visible landmark (hands only)."""
    nose = mask[:, NOSE]
    if nose.any():
        centre = np.median(points[nose, NOSE, :2], axis=0)
        one = [s for s in (L_SHOULDER, R_SHOULDER) if mask[:, s].any()]
        if one:
            centre[1] = np.median(points[mask[:, one[0]], one[0], 1])
        else:
            centre[1] += SHOULDER_WIDTHS_BELOW_NOSE * width
        return centre
    if mask.any():
        return np.median(points[mask][:, :2], axis=0)
    return None


def body_frame(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre (x, y) and scale of the body: median shoulder midpoint and median torso length.

    Medians over the clip, not per frame, so a lean or a detector wobble in one frame does not
    move every landmark. Torso length is shoulder midpoint to hip midpoint; where hips are out
    of frame in most frames, shoulder width times TORSO_PER_SHOULDER_WIDTH stands in. A take with
    no frame showing both shoulders (a webcam close-up) is placed from what is visible: the
    shoulder width from the ears, one shoulder and the nose, or the palms, and the centre below
    the nose (see the SHOULDER_WIDTHS_* constants). Raises ValueError only when nothing is seen.
    """
    found = _both_shoulders(points, mask)
    if found is None:
        width = _shoulder_width_from_partial_body(points, mask)
        centre = _partial_body_centre(points, mask, width) if width else None
        if width is None or centre is None:
            raise ValueError("no body, face or hand landmark in any frame: cannot place the body")
        found = centre, width * TORSO_PER_SHOULDER_WIDTH
    centre, scale = found
    if not np.isfinite(scale) or scale < 1e-6:
        raise ValueError("the body has no extent (shoulders on top of each other)")
    return np.asarray(centre, dtype=np.float32), scale


def normalise(points: np.ndarray, mask: np.ndarray, aspect: float | None = None) -> np.ndarray:
    """Translate and scale (interpolated) raw landmarks into body units (see module docstring).

    A landmark never detected in the clip is set to 0, the body centre, whatever the raw frame
    held: so a missing hand looks the same wherever the body stood.
    """
    points = np.array(points, dtype=np.float32, copy=True)
    if aspect is not None:
        points[..., 0] *= aspect
    centre, scale = body_frame(points, mask)
    points[..., :2] -= centre
    points /= scale
    points[:, ~mask.any(axis=0)] = 0.0
    return points


def mirror(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left-right mirror of normalised landmarks: x negated, left and right landmarks swapped.

    Used for left-handed signers (their signs become right-handed ones) and for augmentation.
    """
    mirrored = np.array(points[..., MIRROR_PERMUTATION, :], dtype=np.float32, copy=True)
    mirrored[..., 0] *= -1
    return mirrored, np.array(mask[..., MIRROR_PERMUTATION], copy=True)


def _at_times(
    points: np.ndarray, mask: np.ndarray, src: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Landmarks at fractional frame positions ``src`` (linear), the mask at the nearest frame;
    time is axis -3 of points and -2 of mask."""
    t = points.shape[-3]
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, t - 1)
    w = (src - lo).astype(np.float32)[:, None, None]
    out = np.take(points, lo, axis=-3) * (1 - w) + np.take(points, hi, axis=-3) * w
    return out.astype(np.float32), np.take(mask, np.rint(src).astype(int), axis=-2)


def resample(points: np.ndarray, mask: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Linear resampling in time to ``length`` frames; the mask takes the nearest frame."""
    if length < 1:
        raise ValueError("length must be at least 1")
    t = len(points)
    if t == 0:
        raise ValueError("cannot resample an empty sequence")
    return _at_times(points, mask, np.linspace(0, t - 1, length))


def crop_time(
    points: np.ndarray, mask: np.ndarray, start: float, end: float
) -> tuple[np.ndarray, np.ndarray]:
    """The ``[start, end]`` share of each clip (time is axis -3 of points, -2 of mask), resampled
    back to the clip's length: a view that forgives where a signer's sign starts and ends."""
    t = points.shape[-3]
    return _at_times(points, mask, np.linspace(start * (t - 1), end * (t - 1), t))


def velocities(points: np.ndarray) -> np.ndarray:
    """Per-frame change of every coordinate (central differences, one-sided at the ends)."""
    if len(points) < 2:
        return np.zeros_like(points)
    return np.gradient(points, axis=0).astype(np.float32)


def normalise_sequence(
    seq: PoseSequence, config: PreprocessConfig = PreprocessConfig()
) -> NormalisedPose:
    """Interpolate, normalise, trim, mirror and resample one clip (positions only)."""
    from signlookup.pose.trim import find_active_span  # trim builds on normalised points

    points = normalise(interpolate_missing(seq.points, seq.mask), seq.mask, seq.aspect)
    mask = seq.mask
    if config.trim:
        start, stop = find_active_span(points, mask, seq.fps)
        points, mask = points[start:stop], mask[start:stop]
    if config.mirror:
        points, mask = mirror(points, mask)
    points, mask = resample(points, mask, config.length)
    return NormalisedPose(points, mask)


def preprocess(seq: PoseSequence, config: PreprocessConfig = PreprocessConfig()) -> np.ndarray:
    """The model-ready array: float32 (length, 75, 6), normalised positions then velocities."""
    pose = normalise_sequence(seq, config)
    return np.concatenate([pose.points, velocities(pose.points)], axis=-1)

"""Per-frame sign-identity features from normalised, canonicalised landmarks.

Input: points (..., T, 75, 3) in body units (shoulder midpoint at 0, torso length 1, see
:func:`signlookup.pose.normalise`), interpolated over missing frames, dominant hand on the right;
mask (..., T, 75) from the detector. Output: one float32 array (..., T, d) per feature group.
Everything is vectorised over leading axes so training can compute a batch at once.

Groups (the phonological parameters of a sign):

- ``handshape_dominant`` / ``handshape_other`` (60 each): the hand's 20 non-wrist landmarks minus
  its wrist, divided by the hand's palm size, z kept. Invariant to where the hand is and how big
  it looks; what the fingers do. A hand never seen in the clip is all zeros.
- ``location`` (20): per hand, wrist in torso coordinates, hand centre and index tip relative to
  the nose (face), elbow relative to the torso, and whether the hand detector sees the hand.
- ``orientation`` (12): per hand, the unit palm normal (from the plane wrist, index MCP, pinky
  MCP) and the unit direction wrist -> middle-finger MCP.
- ``velocity`` (8): per hand, change per frame of the wrist and of the hand centre in the image
  plane, in torso lengths per clip (times the number of frames, so it does not depend on T).

Beside them, pooled only (not the trained encoder's input, which stays ``GROUPS``):

- ``arm`` (20): per arm, unit image-plane directions from the body pose alone: shoulder ->
  elbow, elbow -> wrist, and from the pose's wrist to its own coarse hand points (index/pinky
  midpoint, thumb) and index -> pinky. MediaPipe Pose places those points when the hand detector
  loses the hand, so they carry the hand's pointing and roll for pose-only takes.
- ``face`` (28): per hand, how close its centre and its index tip are to seven points of the
  face (forehead, eyes, nose, mouth, chin, each ear), as ``exp(-d^2 / 2 sigma^2)`` with d in
  face widths (ear to ear): where on the face a sign is made, whatever the signer's build or
  the camera's framing. A hand the detector lost is placed by the pose's own coarse points.
"""

from __future__ import annotations

import numpy as np

from signlookup.features.canonical import hand_centres
from signlookup.pose.layout import HAND_NAMES, LEFT_HAND, RIGHT_HAND, point

NOSE = point("NOSE")
_H = {name: i for i, name in enumerate(HAND_NAMES)}
WRIST, INDEX_MCP, MIDDLE_MCP, PINKY_MCP, INDEX_TIP = (
    _H["WRIST"],
    _H["INDEX_FINGER_MCP"],
    _H["MIDDLE_FINGER_MCP"],
    _H["PINKY_MCP"],
    _H["INDEX_FINGER_TIP"],
)
_NON_WRIST = [i for i in range(len(HAND_NAMES)) if i != WRIST]
_ARMS = {
    "left": (LEFT_HAND, point("LEFT_WRIST"), point("LEFT_ELBOW")),
    "right": (RIGHT_HAND, point("RIGHT_WRIST"), point("RIGHT_ELBOW")),
}
#: Per arm, the pose points the ``arm`` group reads: shoulder, elbow, wrist, index, pinky, thumb.
_ARM_POINTS = tuple(
    tuple(
        point(f"{side}_{joint}")
        for joint in ("SHOULDER", "ELBOW", "WRIST", "INDEX", "PINKY", "THUMB")
    )
    for side in ("LEFT", "RIGHT")
)

#: Feature groups in the order they are concatenated, with their per-frame widths.
GROUP_DIMS: dict[str, int] = {
    "handshape_dominant": 60,
    "handshape_other": 60,
    "location": 20,
    "orientation": 12,
    "velocity": 8,
}
GROUPS: tuple[str, ...] = tuple(GROUP_DIMS)
FRAME_DIM = sum(GROUP_DIMS.values())

#: A pooled-only group (not the model's input): the ``location`` group at PATH_FRAMES evenly
#: spaced frames, flattened. Mean and std over time lose the order of a movement; on pose-only
#: signers (libras_ufpb_pose, leave-signers-out) this path carried mAP 0.295 -> 0.316 and
#: hit@1 0.47 -> 0.55 (docs/encoder.md, "Cross-signer protocols").
PATH_GROUP = "location_path"
PATH_FRAMES = 4

#: The pose-only arm and coarse-hand directions (module docstring), pooled by mean and std like
#: the model's groups. On pose-only signers never seen (libras_ufpb_pose, leave one signer out,
#: the app's fused scorer) it carried hit@1 0.672 -> 0.708 and mAP 0.504 -> 0.554
#: (docs/encoder.md, "The arm group").
ARM_GROUP = "arm"
ARM_DIM = 20

#: The face-anchored location (module docstring). Body units (torso lengths) put a phone
#: signer's forehead and chin almost together; face widths keep them apart. On signers never
#: seen it carried the features' libras_ufpb_pose mAP 0.509 -> 0.563 and gislr's worst signer
#: 0.846 -> 0.874 (docs/encoder.md, "The face group").
FACE_GROUP = "face"
#: Per hand (centre, index tip) x the seven anchors of :func:`face_anchors`.
FACE_DIM = 28
#: Width of the closeness kernel, in face widths: 0.3-0.8 all gained; 0.5 sits in the middle.
FACE_SIGMA = 0.5
#: Ear-to-ear width per outer-eye-corner width, for a face whose ears are never seen.
_EARS_PER_EYES = 1.6

#: Width of each group's pooled vector: mean + std over time, or the path's frames.
POOLED_DIMS: dict[str, int] = {
    **{name: 2 * dim for name, dim in GROUP_DIMS.items()},
    PATH_GROUP: PATH_FRAMES * GROUP_DIMS["location"],
    ARM_GROUP: 2 * ARM_DIM,
    FACE_GROUP: 2 * FACE_DIM,
}

_EPS = 1e-6


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.where(n > _EPS, v / np.maximum(n, _EPS), 0.0)


def palm_size(hand: np.ndarray) -> np.ndarray:
    """(..., T): mean side of the palm triangle wrist / index MCP / pinky MCP, in 3D."""
    w, i, p = hand[..., WRIST, :], hand[..., INDEX_MCP, :], hand[..., PINKY_MCP, :]
    sides = np.linalg.norm(i - w, axis=-1) + np.linalg.norm(p - w, axis=-1)
    return (sides + np.linalg.norm(p - i, axis=-1)) / 3


def handshape(hand: np.ndarray, seen_in_clip: np.ndarray) -> np.ndarray:
    """(..., T, 60): landmarks relative to the wrist over palm size; zeros for an unseen hand."""
    rel = hand[..., _NON_WRIST, :] - hand[..., WRIST : WRIST + 1, :]
    size = palm_size(hand)[..., None, None]
    shape = np.where(size > _EPS, rel / np.maximum(size, _EPS), 0.0)
    shape = shape * seen_in_clip[..., None, None, None]
    return shape.reshape(*shape.shape[:-2], -1)


def orientation(hand: np.ndarray, seen_in_clip: np.ndarray) -> np.ndarray:
    """(..., T, 6): unit palm normal and unit wrist -> middle MCP direction."""
    w = hand[..., WRIST, :]
    normal = _unit(np.cross(hand[..., INDEX_MCP, :] - w, hand[..., PINKY_MCP, :] - w))
    pointing = _unit(hand[..., MIDDLE_MCP, :] - w)
    return np.concatenate([normal, pointing], axis=-1) * seen_in_clip[..., None, None]


def _arm_steps() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Index tables of the ``arm`` group's 10 directions (per arm: upper arm, forearm, hand
    pointing, thumb, pinky -> index), each (from a, from b, to a, to b): the pose's points, the
    same with the hand detector's points for the hand rows, which rows those are, and each
    row's hand (0 left, 1 right)."""
    coarse, fine, is_hand, side = [], [], [], []
    for k, ((shoulder, elbow, wrist, index, pinky, thumb), hand) in enumerate(
        zip(_ARM_POINTS, (LEFT_HAND, RIGHT_HAND), strict=True)
    ):
        h = {name: hand.start + _H[name] for name in ("WRIST", "INDEX_FINGER_MCP", "PINKY_MCP")}
        h["THUMB_IP"] = hand.start + _H["THUMB_IP"]
        rows = [
            ((shoulder, shoulder, elbow, elbow), None),
            ((elbow, elbow, wrist, wrist), None),
            ((wrist, wrist, index, pinky),
             (h["WRIST"], h["WRIST"], h["INDEX_FINGER_MCP"], h["PINKY_MCP"])),
            ((wrist, wrist, thumb, thumb), (h["WRIST"], h["WRIST"], h["THUMB_IP"], h["THUMB_IP"])),
            ((pinky, pinky, index, index),
             (h["PINKY_MCP"], h["PINKY_MCP"], h["INDEX_FINGER_MCP"], h["INDEX_FINGER_MCP"])),
        ]  # fmt: skip
        for pose_step, hand_step in rows:
            coarse.append(pose_step)
            fine.append(hand_step or pose_step)
            is_hand.append(hand_step is not None)
            side.append(k)
    return np.array(coarse), np.array(fine), np.array(is_hand), np.array(side)


_COARSE_STEPS, _FINE_STEPS, _HAND_ROWS, _ROW_SIDE = _arm_steps()


def _directions(xy: np.ndarray, seen: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """(..., T, rows, 2) unit directions from the midpoint of each step's first two points to
    that of its last two; zeros where any of them is never seen in the clip."""
    start = (xy[..., steps[:, 0], :] + xy[..., steps[:, 1], :]) / 2
    end = (xy[..., steps[:, 2], :] + xy[..., steps[:, 3], :]) / 2
    ok = seen[..., steps].all(axis=-1)[..., None, :, None]  # (..., 1, rows, 1)
    return _unit(end - start) * ok


def arm_directions(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(..., T, 20): the ``arm`` group. A hand the detector saw in the clip gives its three
    directions from its own (finer) landmarks instead of the pose's coarse points; a direction
    whose points are never seen in the clip (an elbow below a webcam's frame) is zeros, as an
    unseen hand's shape is."""
    xy = points[..., :2]
    seen = mask.any(axis=-2)  # (..., 75): seen in some frame
    hands = np.stack([mask[..., LEFT_HAND].any(axis=(-1, -2)),
                      mask[..., RIGHT_HAND].any(axis=(-1, -2))], axis=-1)  # fmt: skip
    fine = (hands[..., _ROW_SIDE] & _HAND_ROWS)[..., None, :, None]
    out = np.where(fine, _directions(xy, seen, _FINE_STEPS), _directions(xy, seen, _COARSE_STEPS))
    return out.reshape(*out.shape[:-2], 2 * len(_COARSE_STEPS))


_F = {name: point(name) for name in (
    "NOSE", "LEFT_EYE_INNER", "LEFT_EYE_OUTER", "RIGHT_EYE_INNER", "RIGHT_EYE_OUTER",
    "LEFT_EAR", "RIGHT_EAR", "MOUTH_LEFT", "MOUTH_RIGHT", "LEFT_INDEX", "RIGHT_INDEX",
)}  # fmt: skip


def face_anchors(points: np.ndarray) -> np.ndarray:
    """(..., T, 7, 2): forehead, eyes, nose, mouth, chin, left ear, right ear in the image plane.
    Forehead and chin are placed along the mouth -> eyes line, as far again as the face shows."""
    xy = points[..., :2]
    eyes = (xy[..., _F["LEFT_EYE_INNER"], :] + xy[..., _F["LEFT_EYE_OUTER"], :]
            + xy[..., _F["RIGHT_EYE_INNER"], :] + xy[..., _F["RIGHT_EYE_OUTER"], :]) / 4  # fmt: skip
    mouth = (xy[..., _F["MOUTH_LEFT"], :] + xy[..., _F["MOUTH_RIGHT"], :]) / 2
    up = eyes - mouth
    anchors = (eyes + 0.9 * up, eyes, xy[..., _F["NOSE"], :], mouth, mouth - 0.7 * up,
               xy[..., _F["LEFT_EAR"], :], xy[..., _F["RIGHT_EAR"], :])  # fmt: skip
    return np.stack(anchors, axis=-2)


def face_width(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(...): the clip's median ear-to-ear width (from the outer eye corners where the ears are
    never seen); 0 where the face is never seen."""

    def median_distance(a: int, b: int) -> np.ndarray:
        d = np.linalg.norm(points[..., a, :2] - points[..., b, :2], axis=-1)
        return np.where(mask[..., [a, b]].any(axis=-2).all(axis=-1), np.median(d, axis=-1), 0.0)

    ears = median_distance(_F["LEFT_EAR"], _F["RIGHT_EAR"])
    eyes = median_distance(_F["LEFT_EYE_OUTER"], _F["RIGHT_EYE_OUTER"]) * _EARS_PER_EYES
    return np.where(ears > _EPS, ears, eyes)


def face_closeness(points: np.ndarray, mask: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(..., T, 28): the ``face`` group; ``centres`` from :func:`hand_centres`. Zeros for a clip
    whose face is never seen."""
    width = face_width(points, mask)
    scale = np.where(width > _EPS, 1.0 / np.maximum(width, _EPS), 0.0)[..., None, None, None]
    anchors = face_anchors(points)
    out = []
    for k, (hand, pose_index) in enumerate(
        ((LEFT_HAND, _F["LEFT_INDEX"]), (RIGHT_HAND, _F["RIGHT_INDEX"]))
    ):
        seen = mask[..., hand].any(axis=(-1, -2))[..., None, None]
        tip = np.where(seen, points[..., hand.start + INDEX_TIP, :2], points[..., pose_index, :2])
        for at in (centres[..., k, :2], tip):
            d2 = (((at[..., None, :] - anchors) * scale) ** 2).sum(axis=-1)
            out.append(np.exp(-d2 / (2 * FACE_SIGMA**2)) * (scale[..., 0] > 0))
    return np.concatenate(out, axis=-1)


def frame_features(points: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame groups (see module docstring) for points (..., T, 75, 3), mask (..., T, 75):
    ``GROUPS`` in order, then the pooled-only ``arm`` and ``face``."""
    points = np.asarray(points, dtype=np.float32)
    seen = {side: mask[..., hand].any(axis=(-1, -2)) for side, (hand, _, _) in _ARMS.items()}
    centres = hand_centres(points, mask)  # (..., T, 2, 3) left, right
    nose = points[..., NOSE, :2]
    t = points.shape[-3]

    location, orient, velocity = [], [], []
    for k, (side, (hand_slice, wrist, elbow)) in enumerate(_ARMS.items()):
        hand = points[..., hand_slice, :]
        centre = centres[..., k, :2]
        tip = np.where(seen[side][..., None, None], hand[..., INDEX_TIP, :2], centre)
        present = mask[..., hand_slice].any(axis=-1).astype(np.float32)[..., None]
        location += [
            points[..., wrist, :2],
            centre - nose,
            tip - nose,
            points[..., elbow, :2],
            present,
            present,  # pads the hand's block to 10 so both hands weigh alike
        ]
        orient.append(orientation(hand, seen[side]))
        if t > 1:
            v_wrist = np.gradient(points[..., wrist, :2], axis=-2) * t
            v_centre = np.gradient(centre, axis=-2) * t
        else:
            v_wrist = v_centre = np.zeros_like(centre)
        velocity += [v_wrist, v_centre]

    groups = {
        "handshape_dominant": handshape(points[..., RIGHT_HAND, :], seen["right"]),
        "handshape_other": handshape(points[..., LEFT_HAND, :], seen["left"]),
        "location": np.concatenate(location, axis=-1),
        "orientation": np.concatenate(orient, axis=-1),
        "velocity": np.concatenate(velocity, axis=-1),
    }
    groups[ARM_GROUP] = arm_directions(points, mask)
    groups[FACE_GROUP] = face_closeness(points, mask, centres)
    return {name: groups[name].astype(np.float32) for name in (*GROUPS, ARM_GROUP, FACE_GROUP)}


def concat_groups(groups: dict[str, np.ndarray]) -> np.ndarray:
    """(..., T, FRAME_DIM): groups concatenated in GROUPS order (the model's input)."""
    return np.concatenate([groups[name] for name in GROUPS], axis=-1)

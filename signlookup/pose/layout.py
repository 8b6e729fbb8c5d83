"""The 75-point landmark layout (33 pose, 21 left hand, 21 right hand), addressed by name.

Every array of landmarks in signlookup has this layout on its second-to-last axis, whether it
came from MediaPipe Holistic on live video or from a keypoint data set. Code asks for
``point("LEFT_SHOULDER")`` or ``LEFT_HAND`` instead of bare indices.
"""

from __future__ import annotations

POSE_NAMES: tuple[str, ...] = (
    "NOSE", "LEFT_EYE_INNER", "LEFT_EYE", "LEFT_EYE_OUTER", "RIGHT_EYE_INNER", "RIGHT_EYE",
    "RIGHT_EYE_OUTER", "LEFT_EAR", "RIGHT_EAR", "MOUTH_LEFT", "MOUTH_RIGHT", "LEFT_SHOULDER",
    "RIGHT_SHOULDER", "LEFT_ELBOW", "RIGHT_ELBOW", "LEFT_WRIST", "RIGHT_WRIST", "LEFT_PINKY",
    "RIGHT_PINKY", "LEFT_INDEX", "RIGHT_INDEX", "LEFT_THUMB", "RIGHT_THUMB", "LEFT_HIP",
    "RIGHT_HIP", "LEFT_KNEE", "RIGHT_KNEE", "LEFT_ANKLE", "RIGHT_ANKLE", "LEFT_HEEL",
    "RIGHT_HEEL", "LEFT_FOOT_INDEX", "RIGHT_FOOT_INDEX",
)  # fmt: skip

HAND_NAMES: tuple[str, ...] = (
    "WRIST", "THUMB_CMC", "THUMB_MCP", "THUMB_IP", "THUMB_TIP", "INDEX_FINGER_MCP",
    "INDEX_FINGER_PIP", "INDEX_FINGER_DIP", "INDEX_FINGER_TIP", "MIDDLE_FINGER_MCP",
    "MIDDLE_FINGER_PIP", "MIDDLE_FINGER_DIP", "MIDDLE_FINGER_TIP", "RING_FINGER_MCP",
    "RING_FINGER_PIP", "RING_FINGER_DIP", "RING_FINGER_TIP", "PINKY_MCP", "PINKY_PIP",
    "PINKY_DIP", "PINKY_TIP",
)  # fmt: skip

N_POSE = len(POSE_NAMES)  # 33
N_HAND = len(HAND_NAMES)  # 21
N_POINTS = N_POSE + 2 * N_HAND  # 75

POSE = slice(0, N_POSE)
LEFT_HAND = slice(N_POSE, N_POSE + N_HAND)
RIGHT_HAND = slice(N_POSE + N_HAND, N_POINTS)

#: Full names of all 75 points, e.g. "LEFT_SHOULDER", "LEFT_HAND.WRIST", "RIGHT_HAND.PINKY_TIP".
POINT_NAMES: tuple[str, ...] = (
    POSE_NAMES
    + tuple(f"LEFT_HAND.{n}" for n in HAND_NAMES)
    + tuple(f"RIGHT_HAND.{n}" for n in HAND_NAMES)
)
_INDEX = {name: i for i, name in enumerate(POINT_NAMES)}


def point(name: str) -> int:
    """Index of a landmark by its full name (``"RIGHT_WRIST"``, ``"LEFT_HAND.INDEX_FINGER_TIP"``)."""
    try:
        return _INDEX[name]
    except KeyError:
        raise KeyError(
            f"unknown landmark {name!r}; see signlookup.pose.layout.POINT_NAMES"
        ) from None


def hand_point(side: str, name: str) -> int:
    """Index of a hand landmark: ``hand_point("left", "WRIST")``."""
    return point(f"{side.upper()}_HAND.{name}")


def _mirror_permutation() -> list[int]:
    """For each point, the index of its left/right counterpart (itself when it has none)."""
    perm = []
    for name in POINT_NAMES:
        if name.startswith("LEFT_"):
            perm.append(_INDEX["RIGHT_" + name[len("LEFT_") :]])
        elif name.startswith("RIGHT_"):
            perm.append(_INDEX["LEFT_" + name[len("RIGHT_") :]])
        elif name.startswith("MOUTH_LEFT"):
            perm.append(_INDEX["MOUTH_RIGHT"])
        elif name.startswith("MOUTH_RIGHT"):
            perm.append(_INDEX["MOUTH_LEFT"])
        else:
            perm.append(_INDEX[name])
    return perm


#: ``points[..., MIRROR_PERMUTATION, :]`` swaps every left landmark with its right twin.
MIRROR_PERMUTATION: tuple[int, ...] = tuple(_mirror_permutation())

#: Bones of the hand (parent, child) in HAND_NAMES indices, as MediaPipe draws them.
HAND_BONES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10), (10, 11),
    (11, 12), (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17), (17, 18), (18, 19), (19, 20),
)  # fmt: skip

#: Upper-body bones of the pose in POSE_NAMES indices (legs left out: signing is upper body).
POSE_BONES: tuple[tuple[int, int], ...] = tuple(
    (point(a), point(b))
    for a, b in (
        ("LEFT_SHOULDER", "RIGHT_SHOULDER"), ("LEFT_SHOULDER", "LEFT_ELBOW"),
        ("LEFT_ELBOW", "LEFT_WRIST"), ("RIGHT_SHOULDER", "RIGHT_ELBOW"),
        ("RIGHT_ELBOW", "RIGHT_WRIST"), ("LEFT_SHOULDER", "LEFT_HIP"),
        ("RIGHT_SHOULDER", "RIGHT_HIP"), ("LEFT_HIP", "RIGHT_HIP"), ("NOSE", "LEFT_EYE"),
        ("NOSE", "RIGHT_EYE"), ("LEFT_EYE", "LEFT_EAR"), ("RIGHT_EYE", "RIGHT_EAR"),
        ("MOUTH_LEFT", "MOUTH_RIGHT"),
    )
)  # fmt: skip

#: All bones over the 75 points, for drawing skeletons and building graphs.
BONES: tuple[tuple[int, int], ...] = (
    POSE_BONES
    + tuple((LEFT_HAND.start + a, LEFT_HAND.start + b) for a, b in HAND_BONES)
    + tuple((RIGHT_HAND.start + a, RIGHT_HAND.start + b) for a, b in HAND_BONES)
)

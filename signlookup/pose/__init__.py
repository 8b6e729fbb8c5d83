"""Pose: the 75-point landmark layout, MediaPipe extraction, one preprocessing path, file I/O.

mediapipe is only imported when a HolisticExtractor is made (see holistic.py).
"""

from signlookup.pose.holistic import (
    DEFAULT_SAMPLING,
    EVERY_FRAME,
    ClipTooShortError,
    HolisticExtractor,
    NoPersonError,
    PoseExtractionError,
    Sampling,
    extract_pose,
)
from signlookup.pose.io import (
    KeypointSet,
    PoseFileError,
    load_keypoint_set,
    load_npz,
    load_pose_file,
    save_npz,
    save_pose_file,
)
from signlookup.pose.preprocess import (
    NormalisedPose,
    PreprocessConfig,
    interpolate_missing,
    mirror,
    normalise,
    normalise_sequence,
    preprocess,
    resample,
    velocities,
)
from signlookup.pose.sequence import PoseSequence
from signlookup.pose.trim import find_active_span, motion_energy

__all__ = [
    "DEFAULT_SAMPLING",
    "EVERY_FRAME",
    "ClipTooShortError",
    "HolisticExtractor",
    "KeypointSet",
    "NoPersonError",
    "NormalisedPose",
    "PoseExtractionError",
    "PoseFileError",
    "PoseSequence",
    "PreprocessConfig",
    "Sampling",
    "extract_pose",
    "find_active_span",
    "interpolate_missing",
    "load_keypoint_set",
    "load_npz",
    "load_pose_file",
    "mirror",
    "motion_energy",
    "normalise",
    "normalise_sequence",
    "preprocess",
    "resample",
    "save_npz",
    "save_pose_file",
    "velocities",
]

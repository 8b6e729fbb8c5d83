"""Sign-identity features: handshape, location, orientation, movement, dominant-hand canonicalisation.

Built on :func:`signlookup.pose.normalise_sequence`; used by the training-free scorer, the
trained encoder's input and training alike.
"""

from signlookup.features.canonical import (
    canonicalise,
    canonicalise_batch,
    hand_activity,
    left_dominant,
)
from signlookup.features.frame import (
    ARM_GROUP,
    FACE_GROUP,
    FRAME_DIM,
    GROUP_DIMS,
    GROUPS,
    PATH_FRAMES,
    PATH_GROUP,
    POOLED_DIMS,
    frame_features,
)
from signlookup.features.pipeline import (
    canonical_pose,
    canonical_poses,
    model_input,
    pool_groups,
    pooled_dim,
    pooled_features,
)
from signlookup.features.spec import DEFAULT_WEIGHTS, FEATURE_VERSION, FeatureSpec

__all__ = [
    "ARM_GROUP",
    "DEFAULT_WEIGHTS",
    "FACE_GROUP",
    "FEATURE_VERSION",
    "FRAME_DIM",
    "GROUPS",
    "GROUP_DIMS",
    "PATH_FRAMES",
    "PATH_GROUP",
    "POOLED_DIMS",
    "FeatureSpec",
    "canonical_pose",
    "canonical_poses",
    "canonicalise",
    "canonicalise_batch",
    "frame_features",
    "hand_activity",
    "left_dominant",
    "model_input",
    "pool_groups",
    "pooled_dim",
    "pooled_features",
]

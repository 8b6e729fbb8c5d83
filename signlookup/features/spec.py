"""FeatureSpec: every setting that changes a feature vector, with a stable hash.

The spec is written into the model sidecar and folded into every embedder's ``content_hash``,
so a gallery embedded under other settings is known to be stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from signlookup.features.frame import ARM_GROUP, FACE_GROUP, GROUP_DIMS, PATH_GROUP, POOLED_DIMS

#: Bump when the meaning of a feature changes (not only its settings).
FEATURE_VERSION = 1

#: Cosine weights of the pooled groups: the dominant handshape carries most of a sign's
#: identity, location and orientation less, velocity (noisy, speed-dependent) least; the
#: location path (where the hands go, in order) for signs told apart by movement; the arm's
#: pose-only directions for takes whose hands the detector lost; where on the face the hands
#: are, in face widths. The first five were chosen on class splits of ../shared, the path, the
#: arm and the face on the cross-signer protocols
#: (training/sign_encoder/signers.py, docs/encoder.md), never on held-out sets.
DEFAULT_WEIGHTS: dict[str, float] = {
    "handshape_dominant": 1.0,
    "handshape_other": 0.35,
    "location": 0.5,
    "orientation": 0.35,
    "velocity": 0.05,
    PATH_GROUP: 0.5,
    ARM_GROUP: 0.5,
    FACE_GROUP: 0.5,
}


@dataclass(frozen=True)
class FeatureSpec:
    """Settings of the feature pipeline.

    length:      frames after resampling (the model's sequence length).
    trim:        cut idle frames before/after the sign (live video and dictionary clips).
    canonical:   mirror takes whose left hand dominates.
    weights:     per-group cosine weights for the pooled (training-free) vector; a group
                 a spec does not name weighs 0 (so a sidecar written before a group existed
                 keeps the vector, and the hash, it had).
    """

    length: int = 32
    trim: bool = True
    canonical: bool = True
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    version: int = FEATURE_VERSION

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(POOLED_DIMS)
        if unknown:
            raise ValueError(
                f"unknown feature groups {sorted(unknown)}; known: {list(POOLED_DIMS)}"
            )
        if self.length < 2:
            raise ValueError("length must be at least 2 frames")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["groups"] = dict(GROUP_DIMS)
        d["keypoint_layout"] = "mediapipe-holistic-75 (33 pose, 21 left hand, 21 right hand)"
        d["normalisation"] = "shoulder-midpoint centre, torso-length scale (signlookup.pose)"
        return d

    @classmethod
    def from_dict(cls, d: dict) -> FeatureSpec:
        known = {"length", "trim", "canonical", "weights", "version"}
        return cls(**{k: v for k, v in d.items() if k in known})

    def hash(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

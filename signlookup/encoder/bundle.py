"""The bundled TorchScript sign encoder: sidecar format, checks, and the model/fused embedders.

A bundle is ``sign_encoder.pt`` (``torch.jit.script`` output; input float32 (N, L, F) per-frame
features from :func:`signlookup.features.model_input`, output (N, E) unit rows) beside
``sign_encoder.json``, the sidecar of declared keys (see :data:`REQUIRED_KEYS`). The loader
never imports ``training/``; it refuses a missing, corrupt or mismatched bundle with a
:class:`ModelBundleError` that says what is wrong in plain words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from signlookup.features import (
    FEATURE_VERSION,
    FRAME_DIM,
    GROUP_DIMS,
    FeatureSpec,
    canonical_poses,
    frame_features,
    pool_groups,
    pooled_dim,
)
from signlookup.features.frame import concat_groups
from signlookup.features.pipeline import time_crop_views
from signlookup.files import file_sha256
from signlookup.pose.sequence import PoseSequence

SIDECAR_FORMAT = "signlookup-sign-encoder"
SIDECAR_VERSION = 1
REQUIRED_KEYS = (
    "format", "format_version", "model_file", "model_sha256", "feature_spec",
    "sequence_length", "frame_dim", "embedding_size", "fusion", "training_data", "metrics",
    "versions", "content_hash",
)  # fmt: skip


#: A sidecar without "test_time" (bundles before issue 12): the whole clip, one view.
WHOLE_CLIP = ((0.0, 1.0),)

#: Batches up to this size run on one torch thread (see TorchScriptEmbedder._forward).
SINGLE_THREAD_MAX_BATCH = 8


class ModelBundleError(ValueError):
    """The encoder bundle is missing, corrupt, or does not match this version of signlookup."""


def sidecar_path(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".json")


def bundle_content_hash(model_sha256: str, spec: FeatureSpec) -> str:
    """Names the embedding space of a model: its bytes plus the feature spec it reads."""
    return hashlib.sha256(f"{model_sha256}:{spec.hash()}".encode()).hexdigest()[:16]


def read_sidecar(model_path: Path) -> dict:
    """The checked sidecar of a model file (raises ModelBundleError)."""
    model_path = Path(model_path)
    side = sidecar_path(model_path)
    if not model_path.is_file():
        raise ModelBundleError(f"sign encoder not found: {model_path}")
    if not side.is_file():
        raise ModelBundleError(f"sign encoder {model_path.name} has no sidecar {side.name}")
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelBundleError(f"cannot read {side}: {exc}") from None
    if not isinstance(meta, dict):
        raise ModelBundleError(f"{side} is not a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ModelBundleError(f"{side} lacks {', '.join(missing)}")
    if meta["format"] != SIDECAR_FORMAT or meta["format_version"] != SIDECAR_VERSION:
        raise ModelBundleError(
            f"{side}: unknown format {meta['format']!r} v{meta['format_version']} "
            f"(this signlookup reads {SIDECAR_FORMAT} v{SIDECAR_VERSION})"
        )
    _check_types(meta, side)
    spec_d = meta["feature_spec"]
    if spec_d.get("version") != FEATURE_VERSION:
        raise ModelBundleError(
            f"{model_path.name} was trained on features v{spec_d.get('version')}, "
            f"this signlookup computes v{FEATURE_VERSION}: retrain or update the model"
        )
    if spec_d.get("groups") != GROUP_DIMS or meta["frame_dim"] != FRAME_DIM:
        raise ModelBundleError(
            f"{model_path.name} expects feature groups {spec_d.get('groups')} "
            f"({meta['frame_dim']} per frame), this signlookup makes {GROUP_DIMS} ({FRAME_DIM})"
        )
    try:
        spec = FeatureSpec.from_dict(spec_d)
    except (TypeError, ValueError) as exc:
        raise ModelBundleError(f"{side}: unreadable feature_spec ({exc})") from None
    if meta["sequence_length"] != spec.length:
        raise ModelBundleError(f"{side}: sequence_length disagrees with feature_spec.length")
    digest = file_sha256(model_path)
    if digest != meta["model_sha256"]:
        raise ModelBundleError(
            f"{model_path.name} does not match its sidecar (sha256 {digest[:12]} != "
            f"{str(meta['model_sha256'])[:12]}): the file is corrupt or from another bundle"
        )
    if meta["content_hash"] != bundle_content_hash(digest, spec):
        raise ModelBundleError(f"{side}: content_hash does not match the model and feature spec")
    return meta


#: Sidecar keys whose value must be a JSON object (null or a list there is a damaged sidecar).
_OBJECT_KEYS = ("feature_spec", "fusion")
#: Sidecar keys whose value must be a whole number.
_INT_KEYS = ("sequence_length", "frame_dim", "embedding_size")


def _check_types(meta: dict, side: Path) -> None:
    """Refuse a sidecar whose values have the wrong type, in plain words, before they are used."""

    def bad(key: str, wanted: str) -> ModelBundleError:
        value = meta[key]
        got = {type(None): "null", list: "a list", str: "text", dict: "an object"}.get(
            type(value), f"{value!r}"
        )
        return ModelBundleError(
            f"{side}: {key} must be {wanted}, not {got}: the sidecar is damaged"
        )

    for key in _OBJECT_KEYS:
        if not isinstance(meta[key], dict):
            raise bad(key, "an object")
    for key in _INT_KEYS:
        if isinstance(meta[key], bool) or not isinstance(meta[key], int) or meta[key] <= 0:
            raise bad(key, "a positive whole number")
    if "test_time" in meta and not isinstance(meta["test_time"], dict):
        raise bad("test_time", "an object")
    weight = meta["fusion"].get("model_weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
        raise ModelBundleError(
            f"{side}: fusion.model_weight must be a number in [0, 1], not {weight!r}"
        )
    if not isinstance(meta["model_sha256"], str) or not isinstance(meta["content_hash"], str):
        raise ModelBundleError(f"{side}: model_sha256 and content_hash must be text")


def mean_of_units(views: Sequence[np.ndarray]) -> np.ndarray:
    """Unit rows of the mean of several (N, D) unit-row embeddings of the same clips."""
    mean = np.mean(np.stack(views), axis=0)
    return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-8)).astype(np.float32)


class TorchScriptEmbedder:
    """The trained encoder alone: features per frame -> TorchScript model -> unit vector."""

    def __init__(self, model_path: Path, meta: dict | None = None) -> None:
        import torch

        meta = meta if meta is not None else read_sidecar(model_path)
        self.meta = meta
        self.spec = FeatureSpec.from_dict(meta["feature_spec"])
        try:
            self.model = torch.jit.load(str(model_path), map_location="cpu").eval()
        except Exception as exc:  # torch raises RuntimeError / ValueError / pickle errors
            raise ModelBundleError(f"cannot load TorchScript model {model_path}: {exc}") from None
        self.dim = int(meta["embedding_size"])
        self.name = str(meta.get("name", "encoder"))
        try:
            crops = meta.get("test_time", {}).get("time_crops", WHOLE_CLIP)
            self.time_crops = tuple((float(a), float(b)) for a, b in crops)
        except (TypeError, ValueError, AttributeError):
            raise ModelBundleError(f"{Path(model_path).name}: unreadable test_time crops") from None
        if not self.time_crops or any(not 0 <= a < b <= 1 for a, b in self.time_crops):
            raise ModelBundleError(
                f"{Path(model_path).name}: time crops must be 0 <= start < end <= 1"
            )
        self.content_hash = str(meta["content_hash"])
        if self.time_crops != WHOLE_CLIP:  # another vector for the same clip: another space
            self.content_hash = hashlib.sha256(
                f"{self.content_hash}:crops:{self.time_crops}".encode()
            ).hexdigest()[:16]
        probe = self._forward(np.zeros((1, self.spec.length, FRAME_DIM), np.float32))
        if probe.shape != (1, self.dim):
            raise ModelBundleError(
                f"{Path(model_path).name} outputs {probe.shape[1:]} vectors, its sidecar "
                f"declares {self.dim}"
            )

    def _forward(self, x: np.ndarray) -> np.ndarray:
        import torch

        # One query is a sub-millisecond forward: run it on one intra-op thread. With two,
        # torch's OpenMP worker spins between calls and, on a loaded 2-core CPU (MediaPipe, the
        # GUI), starves the caller: 1 query took ~750 ms with 2 threads against ~15 ms with 1
        # (benchmarks/encoder_speed.py). Batches (gallery builds) keep the process setting.
        threads = torch.get_num_threads()
        single = len(x) <= SINGLE_THREAD_MAX_BATCH and threads != 1
        if single:
            torch.set_num_threads(1)
        try:
            with torch.inference_mode():
                out = self.model(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)))
        finally:
            if single:
                torch.set_num_threads(threads)
        out = out.numpy().astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-8)

    def views(self, points: np.ndarray, mask: np.ndarray):
        """The clip under each of the bundle's time crops (test-time averaging, issue 12): where a
        stranger's sign starts and ends differs from the gallery signer's; the mean over crops
        forgives it (docs/encoder.md, "Generalisation")."""
        yield from time_crop_views(points, mask, self.time_crops)

    def embed_poses(self, points: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Canonical poses (N, L, 75, 3), (N, L, 75) -> (N, dim) unit rows, mean over the crops."""
        return mean_of_units([self._forward(concat_groups(frame_features(p, m)))
                              for p, m in self.views(points, mask)])  # fmt: skip

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        if len(sequences) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.embed_poses(*canonical_poses(sequences, self.spec))


class FusedEmbedder:
    """Encoder and engineered features as one vector: [sqrt(w) e_model, sqrt(1-w) e_features].

    Both parts are unit vectors, so the inner product of two fused vectors is
    ``w cos_model + (1 - w) cos_features``: the fused score the search index ranks by.
    """

    def __init__(self, model: TorchScriptEmbedder, model_weight: float) -> None:
        if not 0.0 <= model_weight <= 1.0:
            raise ModelBundleError(f"fusion model_weight must be in [0, 1], got {model_weight}")
        self.model = model
        self.spec = model.spec
        self.weight = float(model_weight)
        self.feature_dim = pooled_dim(self.spec)
        self.dim = model.dim + self.feature_dim
        self.name = f"{model.name}+features"
        self.content_hash = hashlib.sha256(
            f"{model.content_hash}:fused:{self.weight:.4f}".encode()
        ).hexdigest()[:16]

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        if len(sequences) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.embed_poses(*canonical_poses(sequences, self.spec))

    def embed_poses(self, points: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Canonical poses (N, L, 75, 3), (N, L, 75) -> (N, dim) unit rows."""
        models, feats = [], []
        for p, m in self.model.views(points, mask):  # one feature pass per crop serves both parts
            groups = frame_features(p, m)
            models.append(self.model._forward(concat_groups(groups)))
            feats.append(pool_groups(groups, self.spec.weights))
        e_model, e_feat = mean_of_units(models), mean_of_units(feats)
        v = np.concatenate(
            [np.sqrt(self.weight) * e_model, np.sqrt(1 - self.weight) * e_feat], axis=1
        )
        return (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-8)).astype(np.float32)


def load_bundled_embedder(model_path: Path, fusion: bool = True):
    """The encoder at ``model_path`` (fused with the features as its sidecar says, or alone)."""
    meta = read_sidecar(Path(model_path))
    model = TorchScriptEmbedder(Path(model_path), meta)
    weight = float(meta["fusion"].get("model_weight", 1.0)) if fusion else 1.0
    if weight >= 1.0:
        return model
    return FusedEmbedder(model, weight)

"""load_default_embedder: the bundled best scorer, or the training-free features when no model ships."""

from __future__ import annotations

import logging
from pathlib import Path

from signlookup.encoder.base import Embedder

log = logging.getLogger(__name__)

MODEL_FILE = "sign_encoder.pt"


def default_model_path(resources_dir: Path | None = None) -> Path:
    """Where the bundled TorchScript encoder lives (``<resources>/models/sign_encoder.pt``)."""
    if resources_dir is None:
        from signlookup.resources import resources_dir as _resources_dir

        resources_dir = _resources_dir()
    return Path(resources_dir) / "models" / MODEL_FILE


def load_default_embedder(resources_dir: Path | None = None) -> Embedder:
    """The scorer the app and ``signlookup eval`` use by default.

    The bundled encoder fused with the engineered features (weights from its sidecar) when
    ``resources/models/sign_encoder.pt`` exists; the training-free FeatureEmbedder, with a logged
    warning, when it does not. A model file that exists but is corrupt or does not match its
    sidecar raises :class:`ModelBundleError`: a broken install is reported, not hidden.
    """
    from signlookup.encoder.feature_embedder import FeatureEmbedder

    path = default_model_path(resources_dir)
    if not path.exists():
        log.warning("no sign encoder at %s: using the training-free feature scorer", path)
        return FeatureEmbedder()
    from signlookup.encoder.bundle import load_bundled_embedder

    return load_bundled_embedder(path)

"""Sign embedders behind one interface (:class:`Embedder`): training-free features, the bundled
TorchScript encoder, and their fusion. torch is imported only when a model is loaded.
"""

from signlookup.encoder.base import Embedder
from signlookup.encoder.default import default_model_path, load_default_embedder
from signlookup.encoder.feature_embedder import FeatureEmbedder

__all__ = ["Embedder", "FeatureEmbedder", "default_model_path", "load_default_embedder"]

"""The one embedding interface every scorer implements (training-free features, TorchScript model, fusion).

The gallery stores ``embed`` outputs in a faiss inner-product index, so cosine similarity is the
score; ``content_hash`` names the embedding space, and a gallery whose vectors came from another
hash is stale and must be re-embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from signlookup.pose.sequence import PoseSequence


@runtime_checkable
class Embedder(Protocol):
    """Maps pose sequences to L2-normalised vectors whose inner product ranks sign similarity."""

    #: Short human-readable name ("features", "transformer+features").
    name: str
    #: Length of each vector.
    dim: int
    #: Identifies the embedding space (model bytes + feature spec); changes => re-embed the gallery.
    content_hash: str

    def embed(self, sequences: Sequence[PoseSequence]) -> np.ndarray:
        """float32 (N, dim), each row of unit length."""
        ...

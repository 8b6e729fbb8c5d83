"""The vector-index interface the gallery talks to, so a second backend (a vector DB) can slot in.

Vectors are L2-normalised embeddings and the score is their inner product (cosine similarity).
Ids are the gallery's int64 entry ids; an index never invents or reuses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


class IndexFileError(ValueError):
    """A persisted index is missing, truncated, corrupt or from another format: rebuild it."""


@dataclass(frozen=True)
class IndexHeader:
    """What a persisted index was built from; the gallery compares it with its own state.

    encoder_hash: the embedder's ``content_hash`` the vectors came from.
    revision:     the gallery's change counter when the index was saved (stale if it differs).
    count:        number of live vectors.
    kind:         backend name ("flat", "pq", "hnsw").
    dim:          vector length.
    """

    encoder_hash: str
    revision: int
    count: int
    kind: str
    dim: int


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest neighbours by inner product over unit vectors, keyed by int64 ids."""

    kind: str
    dim: int

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add float32 (N, dim) unit rows under int64 ids (N,) not already present."""
        ...

    def remove(self, ids: np.ndarray) -> None:
        """Forget these ids (unknown ids are ignored)."""
        ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores float32 (Q, k) descending and ids int64 (Q, k); -1 pads missing hits."""
        ...

    def save(self, path: Path, header: IndexHeader) -> None:
        """Persist atomically (a crash leaves the old file or the new one, never half)."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """float32 C-contiguous copy with unit rows (zero rows stay zero): faiss IP needs this."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.ascontiguousarray(v / np.maximum(norms, 1e-12), dtype=np.float32)

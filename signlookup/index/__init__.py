"""Vector indexes over sign embeddings: the interface and its faiss backends (exact, HNSW)."""

from signlookup.index.base import IndexFileError, IndexHeader, VectorIndex, normalise_rows
from signlookup.index.faiss_index import HNSW_THRESHOLD, FaissIndex, choose_kind

__all__ = [
    "HNSW_THRESHOLD",
    "FaissIndex",
    "IndexFileError",
    "IndexHeader",
    "VectorIndex",
    "choose_kind",
    "normalise_rows",
]

"""Vector indexes over sign embeddings: the interface and its faiss backends (exact, pq, HNSW)."""

from signlookup.index.base import IndexFileError, IndexHeader, VectorIndex, normalise_rows
from signlookup.index.faiss_index import PQ_THRESHOLD, FaissIndex, choose_kind

__all__ = [
    "PQ_THRESHOLD",
    "FaissIndex",
    "IndexFileError",
    "IndexHeader",
    "VectorIndex",
    "choose_kind",
    "normalise_rows",
]

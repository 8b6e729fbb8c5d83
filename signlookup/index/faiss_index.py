"""faiss backends: exact ``IndexFlatIP`` for small galleries, HNSW above a measured size.

Both sit in an ``IndexIDMap2`` so results carry the gallery's entry ids. HNSW cannot delete, so
removed ids become tombstones that searches skip; once they pile up the graph is rebuilt from its
own stored vectors.

File format (one file, written atomically)::

    b"SLIDX" version:u8 | header_len:u32 | header JSON | tombstones int64[] | faiss bytes

The header names the encoder hash and gallery revision the vectors belong to and a SHA-256 of
everything after it, so a truncated or bit-flipped file is refused instead of half-loaded.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

from signlookup.index.base import IndexFileError, IndexHeader, normalise_rows
from signlookup.pose.io import atomic_write_bytes

MAGIC = b"SLIDX"
FORMAT_VERSION = 1

#: Below this many vectors exact search is used. Exact search is linear in N: at d=320 one query
#: took ~0.6 ms at 10k and ~23 ms at 100k on this (loaded) 2-core CPU, so past ~20k a graph index
#: is faster (``benchmarks/index_bench.py``, docs/benchmarks.md "Index and search").
HNSW_THRESHOLD = 20_000
#: HNSW graph degree and beam widths. On 100k clustered synthetic vectors (idle machine)
#: recall@10 vs exact was 0.90 / 0.96 at efSearch 256 / 512, p95 2.1 / 4.2 ms; at 1M p95 stays
#: under 6 ms but recall@10 falls to 0.63 (docs/benchmarks.md). Recall is what the user sees
#: and MediaPipe takes seconds per query, so the wide beam is the default.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512
#: Batches up to this many queries are searched on one thread. faiss forks an OpenMP team even
#: for one query; on a loaded 2-core machine the team waits for a descheduled sibling and one
#: exact query over 10k vectors took 48 ms instead of 0.5 ms (``benchmarks/index_bench.py``).
SINGLE_THREAD_MAX_QUERIES = 8
#: Rebuild the HNSW graph when tombstones exceed this share of its vectors.
MAX_TOMBSTONE_SHARE = 0.2


def choose_kind(count: int) -> str:
    """The backend for a gallery of ``count`` vectors."""
    return "hnsw" if count >= HNSW_THRESHOLD else "flat"


def _new_faiss(kind: str, dim: int) -> faiss.Index:
    if kind == "flat":
        inner = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown index kind {kind!r} (expected 'flat' or 'hnsw')")
    return faiss.IndexIDMap2(inner)


@contextmanager
def _threads_for(n_queries: int) -> Iterator[None]:
    """One OpenMP thread for small query batches (see SINGLE_THREAD_MAX_QUERIES).

    The setting is process-wide; a concurrent search may briefly run with either value, which
    changes only its speed.
    """
    before = faiss.omp_get_max_threads()
    if n_queries > SINGLE_THREAD_MAX_QUERIES or before == 1:
        yield
        return
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _hnsw_of(index: faiss.Index) -> faiss.IndexHNSW | None:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    return inner if isinstance(inner, faiss.IndexHNSW) else None


class FaissIndex:
    """A :class:`~signlookup.index.base.VectorIndex` over faiss (exact or HNSW)."""

    def __init__(self, dim: int, kind: str = "flat", *, _index: faiss.Index | None = None):
        self.dim = int(dim)
        self.kind = kind
        self._index = _index if _index is not None else _new_faiss(kind, self.dim)
        self._tombstones: set[int] = set()

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, kind: str | None = None) -> FaissIndex:
        """A fresh index over all vectors; ``kind=None`` picks by size (:func:`choose_kind`)."""
        vectors = normalise_rows(vectors)
        ids = np.asarray(ids, dtype=np.int64)
        index = cls(vectors.shape[1], kind or choose_kind(len(ids)))
        index.add(ids, vectors)
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal) - len(self._tombstones)

    @property
    def ef_search(self) -> int | None:
        hnsw = _hnsw_of(self._index)
        return None if hnsw is None else int(hnsw.hnsw.efSearch)

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        hnsw = _hnsw_of(self._index)
        if hnsw is not None:
            hnsw.hnsw.efSearch = int(value)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        vectors = normalise_rows(vectors)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected ({len(ids)}, {self.dim}) vectors, got {vectors.shape}")
        if len(ids) == 0:
            return
        revived = self._tombstones.intersection(ids.tolist())
        if revived:  # an id coming back after removal from HNSW: drop the old copy for good
            self._compact(extra_removed=set())
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) == 0:
            return
        if self.kind == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(ids))
            return
        present = set(faiss.vector_to_array(self._index.id_map).tolist())
        self._tombstones.update(i for i in ids.tolist() if i in present)
        if len(self._tombstones) > MAX_TOMBSTONE_SHARE * max(1, self._index.ntotal):
            self._compact(extra_removed=set())

    def _compact(self, extra_removed: set[int]) -> None:
        """Rebuild the graph without tombstoned ids (HNSW cannot delete in place)."""
        all_ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        dead = self._tombstones | extra_removed
        keep = np.array([i not in dead for i in all_ids.tolist()], dtype=bool)
        vectors = (
            self._index.index.reconstruct_n(0, self._index.ntotal)
            if self._index.ntotal
            else np.zeros((0, self.dim), np.float32)
        )
        self._index = _new_faiss(self.kind, self.dim)
        self._tombstones = set()
        if keep.any():
            self._index.add_with_ids(
                np.ascontiguousarray(vectors[keep]), np.ascontiguousarray(all_ids[keep])
            )

    def ids(self) -> np.ndarray:
        """Live ids, int64 (N,)."""
        all_ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        if not self._tombstones:
            return all_ids
        return all_ids[[i not in self._tombstones for i in all_ids.tolist()]]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = normalise_rows(queries)
        if queries.shape[1] != self.dim:
            raise ValueError(f"query has {queries.shape[1]} dimensions, index has {self.dim}")
        n_q = len(queries)
        scores = np.full((n_q, k), -np.inf, np.float32)
        ids = np.full((n_q, k), -1, np.int64)
        live = len(self)
        if k <= 0 or live == 0:
            return scores, ids
        fetch = min(k + len(self._tombstones), int(self._index.ntotal))
        with _threads_for(n_q):
            raw_scores, raw_ids = self._index.search(queries, fetch)
        if not self._tombstones:
            n = min(k, fetch)
            scores[:, :n], ids[:, :n] = raw_scores[:, :n], raw_ids[:, :n]
            return scores, ids
        for q in range(n_q):
            keep = [
                j for j, i in enumerate(raw_ids[q].tolist()) if i >= 0 and i not in self._tombstones
            ][:k]
            scores[q, : len(keep)] = raw_scores[q, keep]
            ids[q, : len(keep)] = raw_ids[q, keep]
        return scores, ids

    # --- persistence -------------------------------------------------------------------------

    def to_bytes(self, header: IndexHeader) -> bytes:
        tomb = np.array(sorted(self._tombstones), dtype=np.int64).tobytes()
        payload = tomb + faiss.serialize_index(self._index).tobytes()
        meta = {
            "encoder_hash": header.encoder_hash,
            "revision": int(header.revision),
            "count": len(self),
            "kind": self.kind,
            "dim": self.dim,
            "tombstones": len(self._tombstones),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        head = json.dumps(meta, sort_keys=True).encode()
        return MAGIC + bytes([FORMAT_VERSION]) + struct.pack("<I", len(head)) + head + payload

    def save(self, path: Path, header: IndexHeader) -> None:
        atomic_write_bytes(Path(path), self.to_bytes(header))

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "index") -> tuple[FaissIndex, IndexHeader]:
        prefix = len(MAGIC) + 1 + 4
        if len(data) < prefix or not data.startswith(MAGIC):
            raise IndexFileError(f"{source}: not a signlookup index file")
        version = data[len(MAGIC)]
        if version != FORMAT_VERSION:
            raise IndexFileError(f"{source}: unknown index format version {version}")
        (head_len,) = struct.unpack("<I", data[len(MAGIC) + 1 : prefix])
        try:
            meta = json.loads(data[prefix : prefix + head_len])
            payload = data[prefix + head_len :]
            if hashlib.sha256(payload).hexdigest() != meta["sha256"]:
                raise IndexFileError(f"{source}: checksum mismatch (truncated or corrupt)")
            n_tomb = int(meta["tombstones"])
            tomb = np.frombuffer(payload[: 8 * n_tomb], dtype=np.int64)
            raw = faiss.deserialize_index(np.frombuffer(payload[8 * n_tomb :], dtype=np.uint8))
            header = IndexHeader(
                encoder_hash=str(meta["encoder_hash"]),
                revision=int(meta["revision"]),
                count=int(meta["count"]),
                kind=str(meta["kind"]),
                dim=int(meta["dim"]),
            )
        except IndexFileError:
            raise
        except Exception as exc:  # json, struct, KeyError, faiss RuntimeError on bad bytes
            raise IndexFileError(f"{source}: unreadable index ({exc})") from None
        if not isinstance(raw, faiss.IndexIDMap2):
            raw = faiss.downcast_index(raw)
        index = cls(header.dim, header.kind, _index=raw)
        index.ef_search = HNSW_EF_SEARCH  # a file keeps the beam it was saved with; use today's
        index._tombstones = set(tomb.tolist())
        if len(index) != header.count or raw.d != header.dim:
            raise IndexFileError(f"{source}: header does not match its contents")
        return index, header

    @classmethod
    def load(cls, path: Path) -> tuple[FaissIndex, IndexHeader]:
        """Read a file written by :meth:`save`; raises IndexFileError when it cannot be trusted."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IndexFileError(f"cannot read {path}: {exc.strerror or exc}") from None
        return cls.from_bytes(data, str(path))

"""faiss backends: exact ``IndexFlatIP`` for small galleries, compressed scan + re-rank above.

``pq`` (the large-gallery default) scans every vector's 4-bit product-quantised code with faiss's
SIMD "fast scan" and re-ranks the best ``k * PQ_K_FACTOR`` candidates by their exact inner product
(``IndexRefineFlat``), so scores are exact cosines and recall stays near 1 where graph (HNSW) and
cell (IVF) indexes lose it on high-dimensional data (docs/benchmarks.md "Index and search").
``hnsw`` is kept as an explicit kind for that comparison; the gallery no longer picks it.

All kinds sit in an ``IndexIDMap2`` so results carry the gallery's entry ids. Flat and pq delete
for real; HNSW cannot, so its removed ids become tombstones that searches skip, and once they pile
up the graph is rebuilt from its own stored vectors.

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

#: Below this many vectors exact search is used; from it, ``pq``. Exact search is linear in N: at
#: d=320 one query took ~0.5 ms at 10k, ~10 ms at 100k and ~100 ms at 1M on this loaded 2-core
#: CPU; pq 0.3 / 0.7 / 6-9 ms (p50) with recall@10 >= 0.998 vs exact, where HNSW got 0.96 at
#: 100k and 0.63 at 1M and IVF-Flat 0.78 at 1M even scanning a quarter of its lists
#: (``benchmarks/index_bench.py``, docs/benchmarks.md "Index and search"). Below ~20k both are
#: under 1 ms, and exact needs no training and cannot miss.
PQ_THRESHOLD = 20_000
#: 4-bit sub-quantisers over 2 dimensions each (160 for d=320, 80 bytes a vector). With 4
#: dimensions each, recall@10 at 1M random vectors was only 0.43-0.80 re-ranking 100-1,000
#: candidates (one-off run, not in the table); with 2 it is 0.89-1.00.
PQ_DIMS_PER_SUBQUANTIZER = 2
#: Candidates re-ranked exactly per wanted hit. Recall@10 at 1M was 0.95 / 0.99 / 0.998
#: (clustered) and 0.89 / 0.98 / 0.999 (random) re-ranking 10 / 30 / 100 per hit, for ~1-2 ms
#: more at k=10 (the scan of all codes dominates), so the wide setting is the default.
PQ_K_FACTOR = 100
#: The first batch trains the pq codebooks (16 centroids per sub-quantiser); fewer vectors than
#: this would fit them to noise. The gallery never gets here: it uses flat below PQ_THRESHOLD.
PQ_MIN_TRAIN = 1_000
#: HNSW graph degree and beam widths (explicit ``hnsw`` kind only). On 100k clustered synthetic
#: vectors recall@10 vs exact was 0.90 / 0.96 at efSearch 256 / 512, p95 2.1 / 4.2 ms; at 1M p95
#: stays under 6 ms but recall@10 falls to 0.63, and the build takes 7-8 minutes; that is why
#: the gallery uses pq instead (docs/benchmarks.md).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512
#: Batches up to this many queries are searched on one thread. faiss forks an OpenMP team even
#: for one query; on a loaded 2-core machine the team waits for a descheduled sibling and one
#: exact query over 10k vectors took 48 ms instead of 0.5 ms (``benchmarks/index_bench.py``).
#: Larger batches use every thread.
SINGLE_THREAD_MAX_QUERIES = 8
#: Rebuild the HNSW graph when tombstones exceed this share of its vectors.
MAX_TOMBSTONE_SHARE = 0.2
KINDS = ("flat", "pq", "hnsw")


def choose_kind(count: int) -> str:
    """The backend for a gallery of ``count`` vectors."""
    return "pq" if count >= PQ_THRESHOLD else "flat"


def _new_faiss(kind: str, dim: int, train: np.ndarray | None = None) -> faiss.Index:
    """An empty index of ``kind`` in an IndexIDMap2; pq is trained on ``train`` (or left untrained)."""
    if kind == "flat":
        inner = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = HNSW_EF_SEARCH
    elif kind == "pq":
        m = dim // PQ_DIMS_PER_SUBQUANTIZER if dim % PQ_DIMS_PER_SUBQUANTIZER == 0 else dim
        codes = faiss.IndexPQFastScan(dim, m, 4, faiss.METRIC_INNER_PRODUCT)
        if train is not None:
            # 160 tiny k-means runs: one thread took 0.1 s, two took 10-40 s on the loaded
            # 2-core box (every OpenMP barrier waits for a descheduled sibling).
            with _threads_for(1):
                codes.train(train)
        inner = faiss.IndexRefineFlat(codes)  # keeps the float vectors for the exact re-rank
        inner.k_factor = PQ_K_FACTOR
    else:
        raise ValueError(f"unknown index kind {kind!r} (expected one of {', '.join(KINDS)})")
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


def _refine_of(index: faiss.Index) -> faiss.IndexRefine | None:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    return inner if isinstance(inner, faiss.IndexRefine) else None


class FaissIndex:
    """A :class:`~signlookup.index.base.VectorIndex` over faiss (flat, pq or hnsw)."""

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

    @property
    def k_factor(self) -> float | None:
        """pq: candidates re-ranked exactly per wanted hit (None for other kinds)."""
        refine = _refine_of(self._index)
        return None if refine is None else float(refine.k_factor)

    @k_factor.setter
    def k_factor(self, value: float) -> None:
        refine = _refine_of(self._index)
        if refine is not None:
            refine.k_factor = float(value)

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
        if not self._index.is_trained:  # an empty pq index: its first batch trains the codebooks
            if len(vectors) < PQ_MIN_TRAIN:
                raise ValueError(
                    f"a pq index is trained on its first batch: need {PQ_MIN_TRAIN} vectors, "
                    f"got {len(vectors)}"
                )
            k_factor = self.k_factor
            self._index = _new_faiss(self.kind, self.dim, train=vectors)
            self.k_factor = k_factor or PQ_K_FACTOR
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        if len(ids) == 0:
            return
        if self.kind == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(ids))
            return
        if self.kind == "pq":
            self._remove_pq(ids)
            return
        present = set(faiss.vector_to_array(self._index.id_map).tolist())
        self._tombstones.update(i for i in ids.tolist() if i in present)
        if len(self._tombstones) > MAX_TOMBSTONE_SHARE * max(1, self._index.ntotal):
            self._compact(extra_removed=set())

    def _remove_pq(self, ids: np.ndarray) -> None:
        """Delete for real. IndexRefine has no remove_ids, so drop the rows from its codes and its
        float vectors alike (both compact in order, keeping row i of one = row i of the other)."""
        id_map = faiss.vector_to_array(self._index.id_map)
        rows = np.flatnonzero(np.isin(id_map, ids))
        if len(rows) == 0:
            return
        refine = _refine_of(self._index)
        assert refine is not None
        codes = faiss.downcast_index(refine.base_index)
        selector = faiss.IDSelectorBatch(rows.astype(np.int64))
        codes.remove_ids(selector)
        refine.refine_index.remove_ids(selector)
        # faiss 1.15 leaves the removed codes' bits in the last 32-row block and a later add()
        # ORs new codes into them (add after remove returned wrong neighbours). Re-encode that
        # block so the memory past the last row is zero again.
        tail = codes.ntotal % codes.bbs
        if tail:
            start = codes.ntotal - tail
            codes.remove_ids(faiss.IDSelectorRange(start, codes.ntotal))
            codes.add(refine.refine_index.reconstruct_n(start, tail))
        refine.ntotal = codes.ntotal
        faiss.copy_array_to_vector(np.delete(id_map, rows), self._index.id_map)
        self._index.ntotal = refine.ntotal
        self._index.construct_rev_map()

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
        if header.kind not in KINDS:
            raise IndexFileError(f"{source}: unknown index kind {header.kind!r}")
        if not isinstance(raw, faiss.IndexIDMap2):
            raw = faiss.downcast_index(raw)
        index = cls(header.dim, header.kind, _index=raw)
        index.ef_search = HNSW_EF_SEARCH  # a file keeps the settings it was saved with; use today's
        index.k_factor = PQ_K_FACTOR
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

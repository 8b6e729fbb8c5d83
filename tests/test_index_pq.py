"""The pq backend (4-bit PQ fast scan + exact re-rank): search, real deletion, growth, files."""

from __future__ import annotations

import numpy as np
import pytest

from signlookup.index import (
    PQ_THRESHOLD,
    FaissIndex,
    IndexFileError,
    IndexHeader,
    choose_kind,
    faiss_index,
    normalise_rows,
)
from signlookup.index.faiss_index import PQ_K_FACTOR, PQ_MIN_TRAIN


def _vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    return normalise_rows(np.random.default_rng(seed).normal(size=(n, dim)))


def _clustered(n: int, dim: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gallery of n/4 signs x 4 noisy takes, and 100 fresh takes as queries."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n // 4, dim))
    gallery = centres[np.arange(n) // 4] + 0.3 * rng.normal(size=(n, dim))
    queries = centres[rng.integers(0, n // 4, 100)] + 0.3 * rng.normal(size=(100, dim))
    return normalise_rows(gallery), normalise_rows(queries)


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(
        np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, truth, strict=True)])
    )


def test_choose_kind_boundaries():
    assert choose_kind(0) == "flat"
    assert choose_kind(PQ_THRESHOLD - 1) == "flat"
    assert choose_kind(PQ_THRESHOLD) == "pq"
    assert choose_kind(10 * PQ_THRESHOLD) == "pq"


def test_build_picks_pq_from_the_threshold(monkeypatch):
    monkeypatch.setattr(faiss_index, "PQ_THRESHOLD", 1500)
    vectors = _vectors(1600)
    assert FaissIndex.build(np.arange(1600), vectors).kind == "pq"
    assert FaissIndex.build(np.arange(1400), vectors[:1400]).kind == "flat"


def test_scores_are_exact_and_ids_are_the_gallery_s():
    vectors = _vectors(3000)
    ids = np.arange(3000, dtype=np.int64) * 7 + 100
    index = FaissIndex.build(ids, vectors, "pq")
    assert index.kind == "pq" and len(index) == 3000 and index.k_factor == PQ_K_FACTOR
    queries = _vectors(20, seed=1)
    scores, found = index.search(queries, 10)
    truth = FaissIndex.build(ids, vectors, "flat").search(queries, 10)[1]
    assert _recall(found, truth) >= 0.98
    rows = (found - 100) // 7  # re-ranked by the stored float vectors: scores are the cosines
    expected = np.einsum("qd,qkd->qk", queries, vectors[rows])
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    assert index.search(vectors[:5], 1)[1][:, 0].tolist() == ids[:5].tolist()


def test_recall_on_clustered_vectors():
    vectors, queries = _clustered(4000)
    ids = np.arange(4000)
    truth = FaissIndex.build(ids, vectors, "flat").search(queries, 10)[1]
    index = FaissIndex.build(ids, vectors, "pq")
    assert _recall(index.search(queries, 10)[1], truth) >= 0.95
    index.k_factor = 1  # no re-rank: the codes alone are coarser (the knob does something)
    assert index.k_factor == 1.0


def test_remove_is_real_and_later_adds_are_found():
    """Deleting shrinks the index (no tombstones), and vectors added afterwards are searchable.

    Regression: faiss fast-scan leaves removed codes' bits behind and a later add() mixed them
    into the new codes, so re-added vectors were not found.
    """
    vectors = _vectors(2500)
    ids = np.arange(2500, dtype=np.int64)
    index = FaissIndex.build(ids[:2000], vectors[:2000], "pq")
    exact = FaissIndex.build(ids[:2000], vectors[:2000], "flat")
    for gone in (ids[:10], ids[500:501], ids[1990:2000], np.array([123456])):  # unknown: ignored
        index.remove(gone)
        exact.remove(gone)
    assert len(index) == 1979 and index._index.ntotal == 1979 and not index._tombstones
    for batch in (slice(0, 3), slice(2000, 2500)):  # a removed id comes back; new ids arrive
        index.add(ids[batch], vectors[batch])
        exact.add(ids[batch], vectors[batch])
    assert sorted(index.ids().tolist()) == sorted(exact.ids().tolist())
    live = exact.ids()
    index.k_factor = 1  # codes alone: the exact re-rank would hide corrupted codes
    _, top1 = index.search(vectors[live], 1)
    assert top1[:, 0].tolist() == live.tolist()
    index.k_factor = PQ_K_FACTOR
    _, found = index.search(vectors[:3], 5)
    assert not set(found.ravel().tolist()) & {*range(3, 10), 500, *range(1990, 2000)}


def test_remove_everything_then_search():
    vectors = _vectors(1200)
    index = FaissIndex.build(np.arange(1200), vectors, "pq")
    index.remove(np.arange(1200))
    assert len(index) == 0 and index.ids().size == 0
    assert index.search(vectors[:2], 3)[1].tolist() == [[-1, -1, -1]] * 2


def test_empty_pq_index_trains_on_its_first_batch():
    index = FaissIndex(32, "pq")
    scores, ids = index.search(_vectors(1), 3)
    assert ids.tolist() == [[-1, -1, -1]] and np.all(np.isneginf(scores))
    with pytest.raises(ValueError, match="trained on its first batch"):
        index.add(np.arange(10), _vectors(10))
    vectors = _vectors(PQ_MIN_TRAIN)
    index.add(np.arange(PQ_MIN_TRAIN), vectors)
    assert len(index) == PQ_MIN_TRAIN and index.k_factor == PQ_K_FACTOR
    assert index.search(vectors[:1], 1)[1][0, 0] == 0


def test_more_hits_than_vectors_pad_with_minus_one():
    vectors = _vectors(1100)
    index = FaissIndex.build(np.arange(1100), vectors, "pq")
    scores, ids = index.search(vectors[:2], 1500)  # k x k_factor far beyond the index
    assert (ids >= 0).sum(axis=1).tolist() == [1100, 1100]
    assert np.all(ids[:, 1100:] == -1) and np.all(np.isneginf(scores[:, 1100:]))
    assert sorted(ids[0, :1100].tolist()) == list(range(1100))


def test_batch_search_matches_single_queries():
    vectors = _vectors(2000)
    index = FaissIndex.build(np.arange(2000), vectors, "pq")
    queries = _vectors(20, seed=3)  # over SINGLE_THREAD_MAX_QUERIES: the multi-thread path
    batch = index.search(queries, 5)
    singles = [index.search(q[None], 5) for q in queries]
    np.testing.assert_array_equal(batch[1], np.vstack([s[1] for s in singles]))
    np.testing.assert_allclose(batch[0], np.vstack([s[0] for s in singles]), atol=1e-6)


def test_save_load_round_trip_keeps_deletions_and_accepts_adds(tmp_path):
    vectors = _vectors(2200)
    index = FaissIndex.build(np.arange(2000) + 1, vectors[:2000], "pq")
    index.remove(np.array([1, 2, 77]))
    index.k_factor = 3  # a file keeps what it was saved with; loading restores the default
    path = tmp_path / "index.faiss"
    index.save(path, IndexHeader("enc-a", 7, len(index), "pq", 32))
    loaded, header = FaissIndex.load(path)
    assert header == IndexHeader("enc-a", 7, 1997, "pq", 32)
    assert loaded.kind == "pq" and len(loaded) == 1997 and loaded.k_factor == PQ_K_FACTOR
    index.k_factor = PQ_K_FACTOR
    np.testing.assert_array_equal(
        loaded.search(vectors[:50], 5)[1], index.search(vectors[:50], 5)[1]
    )
    loaded.add(np.arange(2001, 2201), vectors[2000:])  # the trained codebooks encode new rows
    loaded.remove(np.array([2001]))
    _, top1 = loaded.search(vectors[2001:], 1)
    assert top1[:, 0].tolist() == list(range(2002, 2201))


def test_unknown_kind_in_a_file_is_refused(tmp_path):
    path = tmp_path / "index.faiss"
    FaissIndex.build(np.arange(20), _vectors(20), "flat").save(
        path, IndexHeader("enc", 1, 20, "flat", 32)
    )
    path.write_bytes(path.read_bytes().replace(b'"kind": "flat"', b'"kind": "nope"'))
    with pytest.raises(IndexFileError, match="unknown index kind"):
        FaissIndex.load(path)

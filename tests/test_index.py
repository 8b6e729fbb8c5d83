"""faiss backends: exact and HNSW search, removal, persistence, damaged files (pq: test_index_pq)."""

from __future__ import annotations

import numpy as np
import pytest

from signlookup.index import (
    PQ_THRESHOLD,
    FaissIndex,
    IndexFileError,
    IndexHeader,
    VectorIndex,
    choose_kind,
    normalise_rows,
)


def _vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    return normalise_rows(np.random.default_rng(seed).normal(size=(n, dim)))


def _clustered(n: int, dim: int = 32, per_class: int = 4, seed: int = 0) -> np.ndarray:
    """Realistic gallery: many signs, a few noisy takes of each."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n // per_class + 1, dim))
    return normalise_rows(centres[np.arange(n) // per_class] + 0.3 * rng.normal(size=(n, dim)))


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_search_returns_gallery_ids_ranked_by_cosine(kind):
    vectors = _vectors(300)
    ids = np.arange(300, dtype=np.int64) * 7 + 100  # ids are the gallery's, not 0..N-1
    index = FaissIndex.build(ids, vectors, kind)
    assert isinstance(index, VectorIndex) and index.kind == kind and len(index) == 300
    scores, found = index.search(vectors[:5], 4)
    assert found[:, 0].tolist() == ids[:5].tolist()
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    exact = vectors[:5] @ vectors.T
    np.testing.assert_allclose(scores[:, 1], np.sort(exact, axis=1)[:, -2], atol=1e-5)


def test_unnormalised_input_is_normalised():
    index = FaissIndex.build(np.array([1, 2]), np.array([[3.0, 0.0], [0.0, 0.5]]), "flat")
    scores, ids = index.search(np.array([[10.0, 0.0]]), 2)
    assert ids[0].tolist() == [1, 2]
    np.testing.assert_allclose(scores[0], [1.0, 0.0], atol=1e-6)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_remove_and_re_add(kind):
    vectors = _vectors(50)
    index = FaissIndex.build(np.arange(50), vectors, kind)
    index.remove(np.array([0, 1, 999]))  # unknown ids are ignored
    assert len(index) == 48
    _, ids = index.search(vectors[:2], 3)
    assert 0 not in ids and 1 not in ids
    index.add(np.array([0]), vectors[:1])
    _, ids = index.search(vectors[:1], 1)
    assert ids[0, 0] == 0 and len(index) == 49
    assert sorted(index.ids().tolist()) == [0, *range(2, 50)]


def test_hnsw_compacts_when_tombstones_pile_up():
    vectors = _vectors(100)
    index = FaissIndex.build(np.arange(100), vectors, "hnsw")
    index.remove(np.arange(30))
    assert len(index) == 70 and index._index.ntotal == 70  # rebuilt without the dead
    _, ids = index.search(vectors[30:31], 1)
    assert ids[0, 0] == 30


def test_small_and_empty_indexes_pad_with_minus_one():
    index = FaissIndex(8, "flat")
    scores, ids = index.search(np.ones((1, 8)), 3)
    assert ids.tolist() == [[-1, -1, -1]] and np.all(np.isneginf(scores))
    index.add(np.array([5]), np.ones((1, 8)))
    assert index.search(np.ones((1, 8)), 3)[1].tolist() == [[5, -1, -1]]


def test_kind_follows_size():
    assert choose_kind(10) == "flat" and choose_kind(PQ_THRESHOLD) == "pq"
    with pytest.raises(ValueError, match="unknown index kind"):
        FaissIndex(8, "ivf-pq-42")


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_load_round_trip(tmp_path, kind):
    vectors = _vectors(200)
    index = FaissIndex.build(np.arange(200) + 1, vectors, kind)
    index.remove(np.array([1, 2]))
    path = tmp_path / "index.faiss"
    index.save(path, IndexHeader("enc-a", 7, len(index), kind, 32))
    loaded, header = FaissIndex.load(path)
    assert header == IndexHeader("enc-a", 7, 198, kind, 32)
    assert len(loaded) == 198 and loaded.kind == kind
    np.testing.assert_array_equal(loaded.search(vectors[:9], 5)[1], index.search(vectors[:9], 5)[1])
    assert not list(tmp_path.glob(".*.tmp"))


def test_damaged_files_are_refused(tmp_path):
    path = tmp_path / "index.faiss"
    FaissIndex.build(np.arange(20), _vectors(20), "flat").save(
        path, IndexHeader("enc", 1, 20, "flat", 32)
    )
    good = path.read_bytes()
    flipped = bytearray(good)
    flipped[-100] ^= 0xFF
    damaged = {
        "truncated": good[: len(good) // 2],
        "bit flip": bytes(flipped),
        "garbage": b"not an index at all",
        "empty": b"",
        "future version": good[:5] + b"\x09" + good[6:],
    }
    for data in damaged.values():
        path.write_bytes(data)
        with pytest.raises(IndexFileError):
            FaissIndex.load(path)
    with pytest.raises(IndexFileError, match="cannot read"):
        FaissIndex.load(tmp_path / "missing.faiss")


def test_hnsw_recall_on_clustered_vectors():
    vectors = _clustered(4000, dim=64)
    queries = _clustered(4000, dim=64, seed=0)[::40] + 0.05 * _vectors(100, 64, seed=1)
    ids = np.arange(4000)
    exact = FaissIndex.build(ids, vectors, "flat").search(queries, 10)[1]
    approx = FaissIndex.build(ids, vectors, "hnsw").search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.95

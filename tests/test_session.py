"""A look-up session adapts to its signer: centring, keys, spaces, and a stranger found."""

from __future__ import annotations

import numpy as np
import pytest
from test_search import sign

from signlookup.index import normalise_rows
from signlookup.index.metric import GalleryMetric
from signlookup.index.session import SignerSession


def test_a_session_moves_queries_by_its_signers_offset_shrunk_while_short():
    session = SignerSession(size=50, prior=5)
    gallery_mean = np.zeros(4, np.float32) + 0.1
    first = np.array([1, 0, 0, 0], np.float32)
    assert np.array_equal(session.adapt(first, gallery_mean, "e", key=1), first)  # nothing yet
    offset = np.array([0, 0.5, 0, 0], np.float32)
    earlier = [first]
    for key in range(2, 12):
        v = np.array([0, 0, 1, 0], np.float32) + offset
        got = session.adapt(v, gallery_mean, "e", key=key)
        weight = len(earlier) / (len(earlier) + 5)
        np.testing.assert_allclose(
            got, v - weight * (np.mean(earlier, 0) - gallery_mean), atol=1e-6
        )
        earlier.append(v)
    assert len(session) == 11


def test_searching_one_recording_again_replaces_it_and_leaves_it_out():
    session = SignerSession(prior=0)
    mean = np.full(3, 0.2, np.float32)
    a, b = np.array([1, 0, 0], np.float32), np.array([0, 1, 0], np.float32)
    session.adapt(a, mean, "e", key="a")
    session.adapt(b, mean, "e", key="b")
    again = session.adapt(b, mean, "e", key="b")  # another trim of b: only a is "earlier"
    np.testing.assert_allclose(again, b - (a - mean), atol=1e-6)
    assert len(session) == 2


def test_another_space_or_an_uncentred_gallery_starts_over_or_leaves_queries_alone():
    session = SignerSession(prior=0)
    v = np.ones(3, np.float32)
    session.adapt(v * 3, np.full(3, 0.5, np.float32), "model-1", key=1)
    assert np.array_equal(session.adapt(v, np.zeros(3, np.float32), "model-1", key=2), v)
    assert np.array_equal(session.adapt(v, np.full(3, 0.5), "model-2", key=3), v)  # forgot
    assert len(session) == 1
    small = SignerSession(size=3)
    for key in range(5):
        small.adapt(v, np.ones(3), "m", key=key)
    assert len(small) == 3


def test_a_strangers_queries_find_their_signs_once_the_session_knows_them():
    rng = np.random.default_rng(3)
    dim, n_signs = 24, 12
    signs = rng.normal(size=(n_signs, dim))
    signer = rng.normal(size=(3, dim)) * 2.0  # two gallery signers and a stranger
    gallery = normalise_rows(np.concatenate([signs + signer[0], signs + signer[1]]))
    labels = np.tile(np.arange(n_signs).astype(str), 2)
    metric = GalleryMetric.fit(gallery, labels)
    applied = metric.apply(gallery)
    queries = normalise_rows(signs + signer[2] + 0.3 * rng.normal(size=(n_signs, dim)))

    def hits(vectors):
        best = np.argmax(metric.apply(vectors) @ applied.T, axis=1)
        return float(np.mean(labels[best] == np.arange(n_signs).astype(str)))

    session = SignerSession()
    for i in range(30):  # earlier look-ups of the stranger, any signs
        session.adapt(normalise_rows((signs[i % n_signs] + signer[2])[None])[0], metric.mean, "m")
    adapted = np.stack([session.adapt(q, metric.mean, "m", key=("q", i)) for i, q in
                        enumerate(queries)])  # fmt: skip
    assert hits(queries) < 0.7 and hits(adapted) == 1.0


@pytest.fixture
def gallery_searcher(tmp_path):
    from signlookup.gallery import Gallery
    from signlookup.gallery.baseline import PoseBaselineEmbedder
    from signlookup.search import Searcher

    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(10):
            g.add(gloss=f"s{i % 5}", pose=sign(i))
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as s:
        yield s


def test_the_searcher_adapts_and_records_under_the_recordings_key(gallery_searcher):
    searcher = gallery_searcher
    session = SignerSession()
    vectors = [searcher.embed(sign(100 + i)) for i in range(3)]
    plain = searcher.search_vector(vectors[2], k=3)
    for i, v in enumerate(vectors):
        got = searcher.search_vector(v, k=3, session=session, session_key=i)
    assert len(session) == 3
    searcher.search_vector(vectors[2], k=3, session=session, session_key=2)  # a new trim
    assert len(session) == 3
    # adapted to two earlier look-ups, the last query's scores move
    assert [r.score for r in got] != pytest.approx([r.score for r in plain])


def test_eval_adapts_each_query_to_the_earlier_ones_of_its_own_signer():
    from signlookup.encoder.evaluate import _adapted

    rng = np.random.default_rng(0)
    vectors = normalise_rows(rng.normal(size=(6, 5))).astype(np.float32)
    signers = np.array(["a", "b", "a", "b", "a", "a"])
    mean = np.full(5, 0.1, np.float32)
    got = _adapted(vectors, signers, mean)
    np.testing.assert_array_equal(got[:2], vectors[:2])  # each signer's first: nothing earlier
    earlier_a = vectors[[0, 2]]  # query 4 is the third of signer a
    weight = 2 / (2 + 5)
    np.testing.assert_allclose(got[4], vectors[4] - weight * (earlier_a.mean(0) - mean), atol=1e-6)
    alone = _adapted(vectors, None, mean)  # no signer ids: one session
    np.testing.assert_allclose(alone[1], vectors[1] - (1 / 6) * (vectors[0] - mean), atol=1e-6)

"""A look-up session adapts to its signer: residuals, keys, spaces, and strangers found."""

from __future__ import annotations

import numpy as np
import pytest
from test_search import sign

from signlookup.index import normalise_rows
from signlookup.index.metric import GalleryMetric
from signlookup.index.session import SignerSession, adapt_in_order, sign_means


def test_a_session_takes_away_the_mean_residual_shrunk_while_short():
    session = SignerSession(size=50, prior=10)
    v = np.array([1, 0, 0, 0], np.float32)
    assert np.array_equal(session.adapt(v, "e", key=1), v)  # nothing recorded yet
    residuals = [np.array([0, 0.5, 0, 0]), np.array([0, 0.3, 0.2, 0])]
    for key, r in enumerate(residuals, start=2):
        session.record(key, r)
    got = session.adapt(v, "e", key=9)
    np.testing.assert_allclose(got, v - 2 / 12 * np.mean(residuals, axis=0), atol=1e-6)
    assert len(session) == 2


def test_one_recording_searched_again_replaces_itself_and_is_left_out():
    session = SignerSession(prior=0)
    session.adapt(np.zeros(3), "e")
    session.record("a", np.array([1.0, 0, 0]))
    session.record("b", np.array([0, 1.0, 0]))
    v = np.zeros(3, np.float32)
    np.testing.assert_allclose(session.adapt(v, "e", key="b"), [-1, 0, 0])  # only a: earlier
    session.record("b", np.array([0, 3.0, 0]))  # another trim of b
    assert len(session) == 2
    np.testing.assert_allclose(session.adapt(v, "e"), [-0.5, -1.5, 0])


def test_another_space_starts_over_and_old_look_ups_drop_out():
    session = SignerSession(size=3, prior=0)
    session.adapt(np.zeros(2), "model-1")
    for key in range(5):
        session.record(key, np.ones(2))
    assert len(session) == 3
    v = np.zeros(2, np.float32)
    assert np.array_equal(session.adapt(v, "model-2"), v) and len(session) == 0


def signers_gallery(rng, n_signs=12, dim=24, spread=2.0):
    """Signs by two gallery signers and a stranger: each signer's offset on every take."""
    signs = rng.normal(size=(n_signs, dim))
    offsets = rng.normal(size=(3, dim)) * spread
    gallery = normalise_rows(np.concatenate([signs + offsets[0], signs + offsets[1]]))
    labels = np.tile([f"s{i}" for i in range(n_signs)], 2)
    return signs, offsets[2], gallery, labels


def top1(metric, gallery, labels, queries):
    return labels[np.argmax(metric.apply(queries) @ metric.apply(gallery).T, axis=1)]


def test_a_strangers_look_ups_find_their_signs_once_the_session_knows_their_offset():
    rng = np.random.default_rng(3)
    signs, stranger, gallery, labels = signers_gallery(rng)
    metric = GalleryMetric.fit(gallery, labels)
    order = np.tile(np.arange(len(signs)), 4)  # four rounds of every sign
    queries = normalise_rows(signs[order] + stranger + 0.3 * rng.normal(size=(len(order), 24)))
    truth = np.array([f"s{i}" for i in order])
    alone = top1(metric, gallery, labels, queries)
    adapted = top1(metric, gallery, labels, adapt_in_order(queries, None, metric, gallery, labels))
    late = slice(len(signs), None)  # after the first round the session knows the stranger
    assert np.mean(alone[late] == truth[late]) < 0.8
    assert np.mean(adapted[late] == truth[late]) > np.mean(alone[late] == truth[late]) + 0.15


def test_the_same_two_signs_again_and_again_are_not_taken_for_the_signers_offset():
    rng = np.random.default_rng(5)
    signs, stranger, gallery, labels = signers_gallery(rng, spread=0.5)
    metric = GalleryMetric.fit(gallery, labels)
    order = np.tile([0, 1], 30)  # a learner practising two signs
    queries = normalise_rows(signs[order] + stranger + 0.3 * rng.normal(size=(len(order), 24)))
    truth = np.array([f"s{i}" for i in order])
    alone = np.mean(top1(metric, gallery, labels, queries) == truth)
    adapted = adapt_in_order(queries, None, metric, gallery, labels)
    assert np.mean(top1(metric, gallery, labels, adapted) == truth) >= alone
    # the plain mean of those look-ups would have removed the two signs themselves
    plain = queries - (queries.mean(0) - metric.mean)
    assert np.mean(top1(metric, gallery, labels, plain) == truth) < alone


def test_each_signer_has_a_session_of_their_own():
    rng = np.random.default_rng(0)
    signs, stranger, gallery, labels = signers_gallery(rng)
    metric = GalleryMetric.fit(gallery, labels)
    queries = normalise_rows(signs[[0, 1, 2, 3]] + stranger)
    mixed = adapt_in_order(queries, ["a", "b", "a", "b"], metric, gallery, labels)
    only_a = adapt_in_order(queries[[0, 2]], None, metric, gallery, labels)
    np.testing.assert_allclose(mixed[[0, 2]], only_a, atol=1e-6)
    assert np.array_equal(mixed[1], queries[1].astype(np.float32))  # b's first: nothing earlier


def test_sign_means_average_each_signs_takes():
    vectors = np.array([[1.0, 0], [3, 0], [0, 2]])
    np.testing.assert_allclose(
        sign_means(vectors, np.array([0, 0, 1]), 3), [[2, 0], [0, 2], [0, 0]]
    )


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


def test_the_searcher_records_each_look_ups_residual_to_the_sign_it_found(gallery_searcher):
    searcher = gallery_searcher
    session = SignerSession(prior=0)
    vectors = [searcher.embed(sign(100 + i)) for i in range(3)]
    plain = searcher.search_vector(vectors[2], k=3)
    found = [searcher.search_vector(v, k=3, session=session, session_key=i)[0].gloss
             for i, v in enumerate(vectors)]  # fmt: skip
    assert len(session) == 3
    got = searcher.search_vector(vectors[2], k=3, session=session, session_key=2)  # a new trim
    assert len(session) == 3
    assert [r.score for r in got] != pytest.approx([r.score for r in plain])  # adapted
    # each residual: the look-up less the mean of the gallery's takes of the sign it found
    ids, raw = searcher.gallery.vectors()
    gloss = {e.id: e.gloss for e in searcher.gallery.entries()}
    found[2] = got[0].gloss
    residuals = [v - raw[[gloss[int(i)] == f for i in ids]].mean(axis=0)
                 for v, f in zip(vectors, found, strict=True)]  # fmt: skip
    space = f"{searcher.embedder.content_hash}/{searcher.gallery.root}"
    later = session.adapt(np.zeros_like(vectors[0]), space)  # prior 0: minus their mean
    np.testing.assert_allclose(later, -np.mean(residuals, axis=0), atol=1e-5)

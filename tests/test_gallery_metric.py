"""The gallery's own metric (signlookup/index/metric.py): whitening what varies within a sign."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fake_sequence

from signlookup.gallery import Gallery
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.gallery.folder import INDEX_NAME, METRIC_NAME, gloss_key
from signlookup.index import IndexFileError, normalise_rows
from signlookup.index.metric import MIN_ENTRIES, GalleryMetric
from signlookup.pose import load_npz


def signers_and_signs(rng: np.random.Generator, n_signs: int = 6, n_signers: int = 6):
    """Each signer adds a large offset of their own (build, framing: a few directions shared by
    all signers) to every sign they make; signs differ by smaller directions. The plain cosine
    matches signers, not signs."""
    dim = 32
    signs = rng.normal(size=(n_signs, dim)) * 0.3
    signer_shift = rng.normal(size=(n_signers, 2)) @ rng.normal(size=(2, dim)) * 1.5
    vectors, labels, who = [], [], []
    for p in range(n_signers):
        for s in range(n_signs):
            vectors.append(signs[s] + signer_shift[p] + rng.normal(size=dim) * 0.05)
            labels.append(f"s{s}")
            who.append(p)
    return normalise_rows(np.array(vectors)), np.array(labels), np.array(who)


def hit_at_1(score, vectors, labels, who, stranger: int) -> float:
    q, g = who == stranger, who != stranger
    best = score(vectors[q], vectors[g], labels[g]).argmax(axis=1)
    return float((labels[g][best] == labels[q]).mean())


def test_a_strangers_take_finds_its_sign_once_signer_variation_is_whitened():
    rng = np.random.default_rng(0)
    vectors, labels, who = signers_and_signs(rng)

    def plain(q, g, _):
        return q @ g.T

    def in_metric(q, g, gl):
        m = GalleryMetric.fit(g, gl)
        return m.apply(q) @ m.apply(g).T

    plain_hits = np.mean([hit_at_1(plain, vectors, labels, who, p) for p in range(6)])
    metric_hits = np.mean([hit_at_1(in_metric, vectors, labels, who, p) for p in range(6)])
    assert plain_hits < 0.6 and metric_hits == 1.0


def test_small_or_unlabelled_galleries_are_left_alone_or_only_centred():
    rng = np.random.default_rng(1)
    v = normalise_rows(rng.normal(size=(MIN_ENTRIES - 1, 5)))
    tiny = GalleryMetric.fit(v, [f"g{i}" for i in range(len(v))])
    assert tiny.basis is None and not tiny.mean.any()
    np.testing.assert_allclose(tiny.apply(v), v, atol=1e-6)
    v = normalise_rows(rng.normal(size=(12, 5)))
    once_each = GalleryMetric.fit(v, [f"g{i}" for i in range(12)])
    assert once_each.basis is None and once_each.n_within == 0
    np.testing.assert_allclose(once_each.mean, v.mean(axis=0), atol=1e-6)
    one_gloss = GalleryMetric.fit(v, ["same"] * 12)
    assert one_gloss.basis is None and not one_gloss.mean.any()
    applied = GalleryMetric.fit(v, [f"g{i // 2}" for i in range(12)]).apply(v)
    np.testing.assert_allclose(np.linalg.norm(applied, axis=1), 1.0, atol=1e-5)


def test_saved_metric_round_trips_and_refuses_another_encoder(tmp_path):
    rng = np.random.default_rng(2)
    v = normalise_rows(rng.normal(size=(20, 6)))
    metric = GalleryMetric.fit(v, [f"g{i % 5}" for i in range(20)])
    path = tmp_path / METRIC_NAME
    metric.save(path, "enc-a", revision=7)
    loaded, revision = GalleryMetric.load(path, "enc-a", 6)
    assert revision == 7 and loaded.fingerprint == metric.fingerprint
    np.testing.assert_allclose(loaded.apply(v), metric.apply(v), atol=1e-6)
    with pytest.raises(IndexFileError, match="another encoder"):
        GalleryMetric.load(path, "enc-b", 6)
    with pytest.raises(IndexFileError, match="6-d vectors, not 8-d"):
        GalleryMetric.load(path, "enc-a", 8)
    path.write_bytes(b"not a zip")
    with pytest.raises(IndexFileError, match="unreadable"):
        GalleryMetric.load(path, "enc-a", 6)


def _fill(gallery: Gallery) -> None:
    for take in range(3):  # three takes of each of five signs
        for s in range(5):
            gallery.add(
                gloss=f"Sign{s}" if take else f"sign{s}", pose=fake_sequence(seed=s * 7 + take)
            )


def test_gallery_search_is_the_cosine_in_the_metric_fitted_on_its_entries(tmp_path):
    """One scorer: what `signlookup eval` computes (fit on the gallery, apply to both) is what
    the gallery's index ranks, glosses equal up to case counting as one sign."""
    embedder = PoseBaselineEmbedder()
    with Gallery.create(tmp_path / "g", embedder) as g:
        _fill(g)
        entries = g.entries()
        raw = embedder.embed([load_npz(e.pose_path) for e in entries])
        metric = GalleryMetric.fit(raw, [gloss_key(e.gloss) for e in entries])
        assert metric.n_within == 15
        query = embedder.embed([fake_sequence(seed=99)])
        expected = (metric.apply(query) @ metric.apply(raw).T)[0]
        scores, ids = g.search_vectors(query, len(entries))
        by_id = {e.id: i for i, e in enumerate(entries)}
        np.testing.assert_allclose(scores[0], expected[[by_id[int(i)] for i in ids[0]]], atol=1e-5)
        assert list(ids[0]) == [entries[i].id for i in np.argsort(-expected, kind="stable")]


def test_a_change_refits_the_metric_and_a_lost_metric_file_rebuilds_the_index(tmp_path):
    embedder = PoseBaselineEmbedder()
    with Gallery.create(tmp_path / "g", embedder) as g:
        _fill(g)
        g.search_vectors(embedder.embed([fake_sequence(seed=1)]), 1)
        before = GalleryMetric.load(
            tmp_path / "g" / METRIC_NAME, embedder.content_hash, embedder.dim
        )[0]
        g.add(gloss="sign0", pose=fake_sequence(seed=50))
        g.search_vectors(embedder.embed([fake_sequence(seed=1)]), 1)  # refitted before searching
        g.flush()
    after, fitted_at = GalleryMetric.load(
        tmp_path / "g" / METRIC_NAME, embedder.content_hash, embedder.dim
    )
    assert after.fingerprint != before.fingerprint and after.n_within == 16
    with Gallery.open(tmp_path / "g", embedder) as g:
        assert fitted_at == g.revision and not g.repair  # in step: nothing rebuilt
    (tmp_path / "g" / METRIC_NAME).unlink()
    with Gallery.open(tmp_path / "g", embedder) as g:
        assert "gallery metric" in g.repair.index_rebuilt and len(g.index) == 16
    assert (tmp_path / "g" / METRIC_NAME).is_file() and (tmp_path / "g" / INDEX_NAME).is_file()

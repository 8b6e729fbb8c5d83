"""Jittered takes: what a gallery's metric learns to ignore for signs it holds only a few times."""

from __future__ import annotations

import numpy as np
from conftest import fake_sequence

import signlookup.gallery.jitter_cache as jitter_cache
from signlookup.encoder import FeatureEmbedder
from signlookup.encoder.jittered import embed_jittered
from signlookup.features import FeatureSpec, canonical_poses
from signlookup.features.jitter import COPIES_PER_TAKE, jittered_copies
from signlookup.gallery import Gallery
from signlookup.gallery.folder import METRIC_NAME, gloss_key
from signlookup.gallery.jitter_cache import JITTER_NAME
from signlookup.index import normalise_rows
from signlookup.index.metric import JITTER_PER_SIGN, GalleryMetric
from signlookup.pose import load_npz


def test_a_takes_copies_are_its_own_whatever_batch_it_comes_in():
    points, mask = canonical_poses([fake_sequence(seed=s) for s in range(3)], FeatureSpec())
    together, _ = jittered_copies(points, mask)
    alone, alone_mask = jittered_copies(points[1:2], mask[1:2])
    assert together.shape == (3, COPIES_PER_TAKE, *points.shape[1:])
    assert alone_mask.shape == (1, COPIES_PER_TAKE, *mask.shape[1:])
    np.testing.assert_array_equal(together[1], alone[0])
    for copy in together[0]:  # each copy is another recording of the take, not the take
        assert np.isfinite(copy).all() and np.abs(copy - points[0]).max() > 1e-3


def test_jittered_takes_whiten_a_one_take_gallery_within_the_sign_budget():
    rng = np.random.default_rng(0)
    v = normalise_rows(rng.normal(size=(12, 8)))
    labels = np.array([f"g{i}" for i in range(12)])
    copies = normalise_rows(v[:, None] + rng.normal(size=(12, 4, 8)) * 0.1)
    assert GalleryMetric.fit(v, labels).basis is None  # alone: only centred
    jittered = GalleryMetric.fit(v, labels, jittered=copies)
    assert jittered.basis is not None and jittered.n_within == 12 * 5
    copies[3] = np.nan  # an entry whose pose could not be read brings none
    assert GalleryMetric.fit(v, labels, jittered=copies).n_within == 11 * 5
    many = np.array(["same", "other"] * (JITTER_PER_SIGN + 1))
    w = normalise_rows(rng.normal(size=(len(many), 8)))
    extra = normalise_rows(w[:, None] + rng.normal(size=(len(many), 4, 8)))
    # a sign held more than JITTER_PER_SIGN times needs no copies: the fit is the takes' alone
    fitted = GalleryMetric.fit(w, many, jittered=extra)
    assert fitted.fingerprint == GalleryMetric.fit(w, many).fingerprint


def test_the_gallery_fits_its_metric_on_cached_jittered_takes(tmp_path, monkeypatch):
    embedder = FeatureEmbedder()
    calls = []
    real = jitter_cache.embed_jittered
    monkeypatch.setattr(jitter_cache, "embed_jittered",
                        lambda e, seqs: calls.append(len(seqs)) or real(e, seqs))  # fmt: skip
    with Gallery.create(tmp_path / "g", embedder) as g:
        for s in range(10):  # a dictionary: one take of each of ten signs
            g.add(gloss=f"sign{s}", pose=fake_sequence(seed=s))
        query = embedder.embed([fake_sequence(seed=3, frames=50)])
        scores, ids = g.search_vectors(query, 10)
        entries = g.entries()
    assert sum(calls) == 10 and (tmp_path / "g" / JITTER_NAME).is_file()
    poses = [load_npz(e.pose_path) for e in entries]
    metric = GalleryMetric.fit(embedder.embed(poses), [gloss_key(e.gloss) for e in entries],
                               jittered=embed_jittered(embedder, poses).astype(np.float16))  # fmt: skip
    expected = (metric.apply(query) @ metric.apply(embedder.embed(poses)).T)[0]
    by_id = {e.id: i for i, e in enumerate(entries)}
    # the cache keeps the copies in float16 (half the file): the fit is on those
    np.testing.assert_allclose(scores[0], expected[[by_id[int(i)] for i in ids[0]]], atol=1e-5)
    with Gallery.open(tmp_path / "g", embedder) as g:
        g.add(gloss="sign10", pose=fake_sequence(seed=10))
        g.search_vectors(query, 3)  # refits: only the new entry is jittered
    assert sum(calls) == 11
    (tmp_path / "g" / JITTER_NAME).write_bytes(b"not a zip")
    with Gallery.open(tmp_path / "g", embedder) as g:
        g.rebuild_index()  # an unreadable cache is derived data: rebuilt, not a repair
        assert not g.repair
    assert sum(calls) == 22
    (tmp_path / "g" / JITTER_NAME).unlink()
    (tmp_path / "g" / METRIC_NAME).unlink()  # the open refits: its jittering shows progress
    reports = []
    with Gallery.open(tmp_path / "g", embedder, progress=lambda *r: reports.append(r)):
        pass
    jittering = [(done, total) for done, total, stage in reports if stage == "jittering"]
    assert jittering and jittering[-1] == (11, 11)


def test_eval_fits_the_gallery_metric_with_jittered_takes_as_the_app(tmp_path):
    from signlookup.encoder.evaluate import evaluate
    from signlookup.pose.io import load_keypoint_set

    def write(path, labels, seeds):
        X = np.stack([fake_sequence(seed=s).points for s in seeds]).astype(np.float16)
        np.savez_compressed(path, X=X, y=np.array(labels), seq=np.arange(len(labels)).astype(str))
        return load_keypoint_set(path)

    gallery = write(tmp_path / "g.npz", [f"s{i}" for i in range(10)], range(10))
    queries = write(tmp_path / "q.npz", ["s1", "s4"], [21, 24])
    embedder = FeatureEmbedder()
    out = evaluate(embedder, gallery, queries)
    takes = [gallery.sequence(i) for i in range(10)]
    jittered = embed_jittered(embedder, takes)
    metric = GalleryMetric.fit(embedder.embed(takes), gallery.y, jittered=jittered)
    assert out["gallery_metric"]["jittered_takes"] is True
    assert out["gallery_metric"]["whitened_from"] == metric.n_within == 10 * (COPIES_PER_TAKE + 1)


def test_a_take_the_pipeline_refuses_is_fitted_without_copies_not_a_failed_open(
    tmp_path, monkeypatch
):
    embedder = FeatureEmbedder()
    real = jitter_cache.embed_jittered

    def refusing(e, seqs):
        if any(len(seq.points) == 33 for seq in seqs):
            raise ValueError("cannot embed: no frame shows both shoulders")
        return real(e, seqs)

    monkeypatch.setattr(jitter_cache, "embed_jittered", refusing)
    with Gallery.create(tmp_path / "g", embedder) as g:
        for s in range(10):
            g.add(gloss=f"sign{s}", pose=fake_sequence(seed=s, frames=33 if s == 4 else 40))
        scores, _ = g.search_vectors(embedder.embed([fake_sequence(seed=4)]), 3)
        assert np.isfinite(scores).all()
    metric, _ = GalleryMetric.load(
        tmp_path / "g" / METRIC_NAME, embedder.content_hash, embedder.dim
    )
    assert metric.n_within == 9 * (COPIES_PER_TAKE + 1)  # the refused take brings no copies

"""Handshape / location facets: regions, handshape vectors, the inventory, its cache and the CLI."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from conftest import fake_sequence

from signlookup.facets import (
    CACHE_FILE,
    NO_HANDSHAPE,
    REGIONS,
    GalleryFacets,
    apply_facets,
    hand_points,
    handshape_png,
    load_gallery_facets,
    sign_facets,
    spherical_kmeans,
)
from signlookup.gallery import Gallery
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point
from signlookup.search import SearchResult


def posed(hand_at, other_at=None, seed=0, shape_seed=None):
    """fake_sequence with the right hand circling small around ``hand_at`` (image coordinates;
    the torso is 0.3 tall, the nose at (0.5, 0.2)) and optionally the left hand at ``other_at``."""
    seq = fake_sequence(30, seed=seed)
    pts, mask = seq.points, seq.mask
    wrist = pts[:, point("RIGHT_WRIST"), :2] - (0.4, 0.3) + hand_at
    shape = pts[:, RIGHT_HAND] - pts[:, point("RIGHT_WRIST")][:, None]
    if shape_seed is not None:
        shape = np.random.default_rng(shape_seed).normal(0, 0.02, (1, 21, 3)).astype(np.float32)
        shape = np.repeat(shape, len(pts), axis=0)
        shape[:, 0] = 0
    pts[:, point("RIGHT_WRIST"), :2] = wrist
    pts[:, RIGHT_HAND] = shape
    pts[:, RIGHT_HAND, :2] += wrist[:, None]
    if other_at is not None:
        pts[:, point("LEFT_WRIST"), :2] = other_at
        pts[:, LEFT_HAND, :2] = np.asarray(other_at) + np.random.default_rng(1).normal(
            0, 0.01, (21, 2)
        )
        mask[:, LEFT_HAND] = True
    return seq


@pytest.mark.parametrize(
    "hand_at, other_at, region",
    [
        ((0.5, 0.22), None, "face"),
        ((0.5, 0.05), None, "head"),
        ((0.47, 0.45), None, "chest"),
        ((0.3, 0.62), None, "neutral"),
        ((0.48, 0.45), (0.52, 0.45), "other_hand"),
        ((0.47, 0.45), (0.62, 0.8), "chest"),  # the other hand resting is not a place
    ],
)
def test_location_regions(hand_at, other_at, region):
    assert sign_facets(posed(hand_at, other_at)).region == region


def test_handshape_vector_ignores_where_the_hand_is():
    a = sign_facets(posed((0.5, 0.22), shape_seed=5)).handshape
    b = sign_facets(posed((0.45, 0.5), shape_seed=5)).handshape
    c = sign_facets(posed((0.45, 0.5), shape_seed=6)).handshape
    assert a is not None and np.linalg.norm(a) == pytest.approx(1, abs=1e-5)
    assert float(a @ b) > 0.99 and float(a @ c) < float(a @ b)
    seq = posed((0.5, 0.22))
    seq.mask[:, RIGHT_HAND] = False
    seq.points[:, RIGHT_HAND] = 0
    assert sign_facets(seq).handshape is None


def test_spherical_kmeans_finds_clusters_numbered_by_size():
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8)
    sizes = (5, 20, 10)
    x = np.concatenate(
        [c + 0.05 * rng.normal(size=(n, 8)) for c, n in zip(centres, sizes, strict=True)]
    )
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    centroids, labels = spherical_kmeans(x, 3)
    assert centroids.shape == (3, 8)
    assert np.bincount(labels).tolist() == [20, 10, 5]
    assert len(set(labels[5:25].tolist())) == 1 and labels[5] == 0
    assert spherical_kmeans(x[:2], 5)[0].shape[0] <= 2


def test_hand_points_and_png():
    pts = hand_points(np.random.default_rng(0).normal(size=60))
    assert pts.shape == (21, 2) and pts.min() >= 0 and pts.max() <= 1
    assert handshape_png(pts).startswith(b"\x89PNG")


@pytest.fixture
def gallery_dir(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i, (at, shape) in enumerate([((0.5, 0.22), 1), ((0.5, 0.05), 1), ((0.47, 0.45), 2),
                                         ((0.3, 0.62), 2), ((0.5, 0.2), 3), ((0.45, 0.5), 3)]):  # fmt: skip
            g.add(gloss=f"s{i}", pose=posed(at, seed=i, shape_seed=shape))
    return tmp_path / "g"


def test_gallery_facets_are_cached_per_entry(gallery_dir, monkeypatch):
    with Gallery.open(gallery_dir) as g:
        first = load_gallery_facets(g)
        assert (gallery_dir / CACHE_FILE).exists()
        regions = {e.gloss: first.region_of(e.id) for e in g.entries()}
        assert regions["s0"] == "face" and regions["s1"] == "head" and regions["s2"] == "chest"
        assert sum(c.size for c in first.clusters) == 6
        # the same shape lands in the same cluster
        ids = {e.gloss: e.id for e in g.entries()}
        assert first.handshape_of(ids["s2"]) == first.handshape_of(ids["s3"])

        calls = []
        real = __import__("signlookup.facets", fromlist=["sign_facets"]).sign_facets
        monkeypatch.setattr("signlookup.facets.sign_facets", lambda *a: calls.append(1) or real(*a))
        again = load_gallery_facets(g)
        assert calls == [] and again.region_of(ids["s0"]) == "face"
        g.add(gloss="new", pose=posed((0.47, 0.45), seed=9))
        load_gallery_facets(g)
        assert len(calls) == 1  # only the new entry was computed

    (gallery_dir / CACHE_FILE).write_bytes(b"damaged")
    with Gallery.open(gallery_dir) as g:
        assert len(load_gallery_facets(g).ids) == 7


def test_read_only_gallery_keeps_facets_in_memory(gallery_dir):
    with Gallery.open(gallery_dir, read_only=True) as g:
        assert len(load_gallery_facets(g).ids) == 6
    assert not (gallery_dir / CACHE_FILE).exists()


def _result(rank, entry_id):
    return SearchResult(rank, entry_id, f"g{entry_id}", 1.0 - rank / 10, "", "", "", None,
                        None, None, 1.0 - rank / 10)  # type: ignore[arg-type]  # fmt: skip


def test_apply_facets_narrows_or_reranks():
    facets = GalleryFacets(
        ids=np.arange(4),
        vectors=np.eye(4, 60, dtype=np.float32),
        has_hand=np.array([True, True, True, False]),
        regions=np.array([REGIONS.index(r) for r in ("face", "chest", "face", "face")]),
        k=3,
    )
    results = [_result(n + 1, i) for n, i in enumerate((3, 2, 1, 0))]
    narrowed = apply_facets(results, facets, location="face")
    assert [r.entry_id for r in narrowed] == [3, 2, 0] and [r.rank for r in narrowed] == [1, 2, 3]
    shape = facets.handshape_of(2)
    assert facets.handshape_of(3) == NO_HANDSHAPE
    both = apply_facets(results, facets, handshape=shape, location="face")
    assert [r.entry_id for r in both] == [2]
    reranked = apply_facets(results, facets, location="chest", mode="rerank")
    assert [r.entry_id for r in reranked] == [1, 3, 2, 0]
    with pytest.raises(ValueError):
        apply_facets(results, facets, location="elbow")


def _cli(argv):
    from signlookup.gallery.cli import register

    parser = argparse.ArgumentParser(prog="signlookup")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def test_cli_search_facets_and_inventory(gallery_dir, tmp_path, capsys, monkeypatch):
    from signlookup.pose import save_npz

    monkeypatch.setattr("signlookup.search.default_embedder", lambda: PoseBaselineEmbedder())
    save_npz(posed((0.5, 0.21), seed=3, shape_seed=1), tmp_path / "q.npz")
    assert _cli(["search", tmp_path / "q.npz", "--gallery", gallery_dir, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query_facets"]["location"] == "face"
    shapes = {r["gloss"]: r["handshape"] for r in out["results"]}
    assert out["query_facets"]["handshape"] == shapes["s0"] == shapes["s1"]  # the same hand
    assert all(r["location"] in REGIONS for r in out["results"])
    argv = ["search", tmp_path / "q.npz", "--gallery", gallery_dir, "--json", "--location", "head"]
    assert _cli(argv) == 0
    narrowed = json.loads(capsys.readouterr().out)["results"]
    assert [r["gloss"] for r in narrowed] == ["s1"]

    assert _cli(["gallery", "facets", gallery_dir, "--json"]) == 0
    inventory = json.loads(capsys.readouterr().out)
    assert sum(h["size"] for h in inventory["handshapes"]) == 6
    assert len(inventory["handshapes"][0]["points"]) == 21 and inventory["bones"]
    code = _cli(["search", tmp_path / "q.npz", "--gallery", gallery_dir, "--handshape", "99"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "no handshape 99" in err

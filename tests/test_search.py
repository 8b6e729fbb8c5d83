"""The query API and the CLI: collapsing takes, query types, real clips, JSON output."""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import MIT_CLIP, fake_sequence, libras_poses

from signlookup.gallery import Gallery
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.gallery.cli import register
from signlookup.gallery.folder import gloss_key
from signlookup.index.sign_score import sign_scores
from signlookup.pose import PoseSequence, resample, save_npz
from signlookup.pose.layout import RIGHT_HAND, point
from signlookup.search import QueryError, Searcher, default_embedder, search

PAIR_WORDS = ("cafe", "carne", "filho", "homem", "pai")


def sign(seed: int, frames: int = 30):
    """A synthetic sign; different seeds move the right hand along different paths."""
    seq = fake_sequence(frames, seed=seed)
    drift = np.random.default_rng(seed).normal(0, 0.08, (1, 2)) * np.linspace(0, 1, frames)[:, None]
    idx = [point("RIGHT_WRIST"), *range(RIGHT_HAND.start, RIGHT_HAND.stop)]
    seq.points[:, idx, :2] += drift[:, None, :]
    return seq


def retake(seq: PoseSequence, seed: int) -> PoseSequence:
    """Another recording of the same sign: 15% slower or faster, the signer a little to one side,
    landmark jitter. A query that is not in the gallery although its sign is."""
    rng = np.random.default_rng(seed)
    length = round(len(seq) * rng.choice([0.85, 1.15]))
    points, mask = resample(seq.points, seq.mask, length)
    points = points + rng.normal(0, 0.003, points.shape).astype(np.float32)
    points[..., :2] += rng.uniform(-0.03, 0.03, 2).astype(np.float32)
    points[~mask] = 0
    return PoseSequence(points, mask, fps=seq.fps)


@pytest.fixture
def searcher(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(4):  # three takes of "casa", one of each other sign
            g.add(gloss="casa" if i < 3 else "Casa", pose=sign(100 + i))
        for i in range(6):
            g.add(gloss=f"s{i}", pose=sign(i))
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as s:
        yield s


def test_collapse_shows_each_gloss_once(searcher):
    query = sign(101)
    all_takes = searcher.search(query, k=10, collapse_glosses=False)
    assert len(all_takes) == 10 and all_takes[0].score == pytest.approx(1.0, abs=1e-5)
    assert [r.rank for r in all_takes] == list(range(1, 11))
    assert all(a.score >= b.score for a, b in itertools.pairwise(all_takes))
    one_each = searcher.search(query, k=10)
    glosses = [r.gloss.casefold() for r in one_each]
    assert len(one_each) == 7 and len(set(glosses)) == 7  # 'casa' and 'Casa' are one sign
    assert one_each[0].entry_id == all_takes[0].entry_id
    assert len(searcher.search(query, k=2)) == 2 and searcher.search(query, k=0) == []


def test_queries_from_sequence_npz_and_missing_file(tmp_path, searcher):
    save_npz(sign(3), tmp_path / "q.npz")
    from_file = searcher.search(tmp_path / "q.npz", k=1)[0]
    assert from_file.gloss == "s3" and from_file.pose_path.is_file()
    assert searcher.search(sign(3), k=1)[0].entry_id == from_file.entry_id
    with pytest.raises(QueryError, match="not found"):
        searcher.search(tmp_path / "nope.mp4")
    (tmp_path / "bad.npz").write_bytes(b"nope")
    with pytest.raises(QueryError, match="cannot read"):
        searcher.search(tmp_path / "bad.npz")


def test_one_shot_search_ranks_a_new_take_of_a_stored_sign_first(searcher):
    for seed in range(6):
        query = retake(sign(seed), seed)  # not in the gallery; its sign is (as "s<seed>")
        got = search(query, k=3, gallery=searcher.gallery.root, embedder=PoseBaselineEmbedder())
        assert got[0].gloss == f"s{seed}" and len(got) == 3
        assert got[0].score < 1 - 1e-3  # a different recording, not the stored one


# --- real clips --------------------------------------------------------------------------------


def _word(gloss: str) -> str:
    """'café' -> 'cafe'."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", gloss) if not unicodedata.combining(c))


def _held_out_ranks(clips: dict, root: Path, half: int, embedder) -> dict[str, int]:
    """Rank of the right gloss for each held-out clip of the five two-clip words: the gallery holds
    the other 25 clips, among them the word's clip from the other dictionary."""
    names = sorted(clips)
    pairs = [[n for n in names if _word(n.split("_")[0]) == w] for w in PAIR_WORDS]
    queries = [pair[half] for pair in pairs]
    with Gallery.create(root, embedder) as g:
        for name in names:
            if name not in queries:
                g.add(gloss=name.split("_")[0], pose=clips[name], language="Libras")
        assert len(g.entries()) == 25
    ranks = {}
    with Searcher.open(root, embedder) as s:
        for query in queries:
            gloss = query.split("_")[0]
            results = s.search(clips[query], k=25, collapse_glosses=False)
            ranks[query] = next(i for i, r in enumerate(results, 1) if r.gloss == gloss)
    return ranks


def test_a_held_out_clip_finds_its_word_from_another_dictionary(tmp_path):
    """Pinned to the training-free FeatureEmbedder, so the numbers below stay meaningful."""
    from signlookup.encoder import FeatureEmbedder

    clips = libras_poses()
    ranks = {}
    for half in (0, 1):
        ranks |= _held_out_ranks(clips, tmp_path / f"g{half}", half, FeatureEmbedder())
    mrr = float(np.mean([1 / r for r in ranks.values()]))
    print(f"\nheld-out rank of the right word among 25 (FeatureEmbedder): {ranks}; MRR {mrr:.3f}")
    assert len(ranks) == 10
    # Chance: MRR ~0.15 among 25. Measured (features-c6b37c2b): ranks 1,1,3,2,3 and 1,1,3,2,20
    # (café and carne find each other first both ways; pai_vl_4 finds pai only 20th), MRR 0.605.
    # The bar is looser than that on purpose: the feature spec is still being tuned
    # (docs/encoder.md), and two first places slipping to third (-0.13) should not fail; pairs
    # at chance (0.15) must.
    assert mrr >= 0.45
    assert np.median(list(ranks.values())) <= 3


def test_a_video_query_of_a_stored_clip_scores_it_as_identical(tmp_path):
    """Decode -> MediaPipe -> embed on a video gives the vector the gallery stored for that video:
    a check of the query pipeline (self-retrieval), not of ranking quality."""
    with Gallery.create(tmp_path / "g", default_embedder()) as g:
        stored = g.add(gloss="mit", video=MIT_CLIP, language="ASL")
        for i in range(4):
            g.add(gloss=f"s{i}", pose=sign(i))
    with Searcher.open(tmp_path / "g", default_embedder()) as s:
        results = s.search(MIT_CLIP, k=5)
    assert results[0].entry_id == stored.id and results[0].score > 0.99
    assert results[1].score < 0.99


# --- CLI ---------------------------------------------------------------------------------------


def _cli(argv):
    parser = argparse.ArgumentParser(prog="signlookup")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def test_cli_build_list_and_search_a_new_take_as_json(tmp_path, capsys):
    src = tmp_path / "clips"
    src.mkdir()
    for i, gloss in enumerate(("café", "pai", "casa")):
        save_npz(sign(i), src / f"{gloss}_xx_1.npz")
    save_npz(retake(sign(1), seed=1), tmp_path / "query.npz")  # "pai" is stored; this take is not
    assert _cli(["gallery", "build", tmp_path / "g", "--from", src, "--language", "Libras"]) == 0
    assert "added 3" in capsys.readouterr().out
    assert _cli(["gallery", "list", tmp_path / "g", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(e["gloss"] for e in listed["entries"]) == ["café", "casa", "pai"]

    assert (
        _cli(
            ["search", tmp_path / "query.npz", "--gallery", tmp_path / "g", "--top", "2", "--json"]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)  # exactly one JSON object on stdout
    assert [set(r) >= {"gloss", "score", "path"} for r in out["results"]] == [True, True]
    assert out["results"][0]["gloss"] == "pai"
    assert out["results"][0]["score"] > out["results"][1]["score"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "{tmp}/q.npz", "--gallery", "{tmp}/none"], "not a gallery"),
        (["search", "{tmp}/missing.mp4", "--gallery", "{tmp}/g"], "not found"),
        (["search", "{tmp}/q.npz", "--gallery", "{tmp}/g", "--top", "0"], "--top"),
        (["gallery", "build", "{tmp}/g2", "--from", "{tmp}/nothing"], "not a folder"),
        (["gallery", "add", "{tmp}/g", "{tmp}/missing.mp4", "--gloss", "x"], "not found"),
        (["gallery", "list", "{tmp}/none"], "not a gallery"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, capsys, argv, message):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        g.add(gloss="a", pose=sign(1))
    save_npz(sign(1), tmp_path / "q.npz")
    code = _cli([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err and err.count("\n") == 1


def test_search_ranks_signs_by_all_their_takes(searcher):
    gallery = searcher.gallery
    entries = {e.id: gloss_key(e.gloss) for e in gallery.entries()}
    names = sorted(set(entries.values()))
    for seed in (101, 3, 55):
        query = searcher.embed(sign(seed))
        results = searcher.search_vector(query, k=len(names))
        assert sorted(gloss_key(r.gloss) for r in results) == names  # each sign once
        assert all(a.score >= b.score for a, b in itertools.pairwise(results))
        # the same ranking computed from every entry's score
        scores, ids = gallery.search_vectors(query[None], len(gallery.index))
        signs = np.array([names.index(entries[int(i)]) for i in ids[0]])
        expected = sign_scores(scores, signs, np.bincount(signs))[0]
        for r in results:
            assert r.score == pytest.approx(expected[names.index(gloss_key(r.gloss))], abs=1e-5)
            held = int((signs == names.index(gloss_key(r.gloss))).sum())
            assert r.score <= r.take_score + 1e-6 and (held > 1 or r.score == r.take_score)
            assert r.take_score == pytest.approx(scores[0][ids[0] == r.entry_id][0], abs=1e-6)
        # the verdict judges the best take, as its calibration scores takes
        top = max(r.take_score for r in results)
        assert searcher.verdict(results).top_score == pytest.approx(top)

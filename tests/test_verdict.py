"""The "no close match" verdict: calibration on the gallery, search --json, eval's flag rates."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from conftest import fake_sequence

from signlookup.gallery import Gallery
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.index import FaissIndex
from signlookup.index.base import normalise_rows
from signlookup.search import Searcher
from signlookup.verdict import absent_like_scores, calibrate, flag_rates, judge


def clusters(n_signs: int, takes: int, spread: float, dim: int = 32, seed: int = 0):
    """Unit vectors around one random centre per sign; labels s0, s1, ..."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_signs, dim))
    vectors = np.repeat(centres, takes, axis=0) + spread * rng.normal(size=(n_signs * takes, dim))
    labels = np.repeat([f"s{i}" for i in range(n_signs)], takes)
    return normalise_rows(vectors), labels


def test_verdict_separates_absent_from_present_signs():
    vectors, labels = clusters(40, 6, spread=0.3)
    in_gallery = np.isin(labels, [f"s{i}" for i in range(20)])
    take = np.tile(np.arange(6), 40)
    gallery = in_gallery & (take < 3)
    queries = take >= 3  # held-out takes of all 40 signs; half of the signs are absent
    calibration = calibrate(vectors[gallery], labels[gallery], quantile=0.9)
    assert calibration.calibrated and calibration.n_scores == gallery.sum()
    top = (vectors[queries] @ vectors[gallery].T).max(axis=1)
    rates = flag_rates(top, in_gallery[queries], calibration)
    # absent queries look like the leave-one-gloss-out entries: about 90% fall below
    assert rates["flagged_absent"] >= 0.8 and rates["flagged_present"] <= 0.05
    # a stricter quantile flags more of both
    lax = flag_rates(top, in_gallery[queries], calibrate(vectors[gallery], labels[gallery], 0.5))
    assert lax["flagged_absent"] < rates["flagged_absent"]
    strict = flag_rates(top, in_gallery[queries], calibrate(vectors[gallery], labels[gallery], 1))
    assert strict["flagged_absent"] >= rates["flagged_absent"]
    assert strict["flagged_present"] >= rates["flagged_present"]


def test_one_gloss_cannot_be_calibrated_and_flags_nothing():
    vectors, labels = clusters(1, 4, spread=0.3)
    calibration = calibrate(vectors, labels)
    assert not calibration.calibrated
    assert judge(-1.0, calibration).close_match
    assert judge(-1.0, calibration).to_json()["threshold"] is None
    with pytest.raises(ValueError):
        calibrate(vectors, labels, quantile=1.5)


def test_absent_like_scores_through_an_index_match_the_exact_ones():
    vectors, labels = clusters(12, 5, spread=0.5, seed=1)
    exact = absent_like_scores(vectors, labels)
    index = FaissIndex.build(np.arange(len(vectors)), vectors)
    via_index = absent_like_scores(vectors, labels, search=index.search, k=16)
    np.testing.assert_allclose(np.sort(via_index), np.sort(exact), atol=1e-5)
    # each score is the best over the other glosses
    s = vectors @ vectors.T
    i = 7
    assert exact[i] == pytest.approx(s[i, labels != labels[i]].max(), abs=1e-5)
    sampled = absent_like_scores(vectors, labels, sample=10)
    assert len(sampled) == 10 and np.isin(sampled, exact).all()


def _sign(seed: int):
    seq = fake_sequence(30, seed=seed)
    drift = np.random.default_rng(seed).normal(0, 0.1, (1, 2)) * np.linspace(0, 1, 30)[:, None]
    seq.points[:, 33:, :2] += drift[:, None, :]
    return seq


def test_searcher_verdict_follows_gallery_changes(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(6):
            g.add(gloss=f"s{i}", pose=_sign(i))
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as searcher:
        own = searcher.verdict(searcher.search(_sign(2), k=3))
        assert own.close_match and own.top_score == pytest.approx(1.0, abs=1e-4)
        first = searcher.calibration()
        assert first is searcher.calibration()  # cached while the gallery is unchanged
        searcher.gallery.add(gloss="s6", pose=_sign(6))
        assert searcher.calibration() is not first
        assert not searcher.verdict([]).close_match  # nothing found is no close match


def test_renaming_an_entry_recalibrates_the_verdict(tmp_path):
    """Two takes of one sign renamed apart: the calibration must see the new glosses."""
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(4):
            g.add(gloss=f"s{i}", pose=_sign(i))
        twin = g.add(gloss="s0", pose=_sign(0))
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as searcher:
        before = searcher.calibration()
        revision = searcher.gallery.revision
        searcher.gallery.rename(twin.id, "twin")
        assert searcher.gallery.revision == revision + 1
        after = searcher.calibration()
        # the renamed twin is now another gloss at cosine ~1: the absent-like scores change
        assert after is not before and after.threshold > before.threshold
        searcher.gallery.update(twin.id, source="elsewhere")  # not a gloss: nothing to refresh
        assert searcher.gallery.revision == revision + 1
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as searcher:
        assert searcher.gallery.repair.index_rebuilt == ""  # the index file kept in step


def test_gallery_vectors_are_the_searchable_entries(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        added = [g.add(gloss=f"s{i}", pose=_sign(i)) for i in range(3)]
        g.delete(added[1].id)
        ids, vectors = g.vectors()
        assert sorted(ids.tolist()) == [added[0].id, added[2].id]
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        scores, hits = g.search_vectors(vectors[:1], 1)
        assert hits[0, 0] == ids[0] and scores[0, 0] == pytest.approx(1.0, abs=1e-4)


def _search_cli(argv):
    from signlookup.gallery.cli import register

    parser = argparse.ArgumentParser(prog="signlookup")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def test_search_json_carries_the_verdict(tmp_path, capsys, monkeypatch):
    from signlookup.pose import save_npz

    monkeypatch.setattr("signlookup.search.default_embedder", lambda: PoseBaselineEmbedder())
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(5):
            g.add(gloss=f"s{i}", pose=_sign(i))
    save_npz(_sign(3), tmp_path / "q.npz")
    assert _search_cli(["search", tmp_path / "q.npz", "--gallery", tmp_path / "g", "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)["verdict"]
    assert verdict["close_match"] is True and verdict["top_score"] == pytest.approx(1, abs=1e-4)
    assert verdict["threshold"] < verdict["top_score"]


def _write_set(path, labels, seeds):
    X = np.stack([_sign(s).points for s in seeds]).astype(np.float16)
    np.savez_compressed(path, X=X, y=np.array(labels), seq=np.arange(len(labels)).astype(str))
    return path


def test_eval_reports_flag_rates_only_when_signs_are_absent(tmp_path, capsys, monkeypatch):
    from signlookup.encoder.cli import register

    monkeypatch.setenv("SIGNLOOKUP_RESOURCES", str(tmp_path / "no_resources"))
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))

    def run(*args):
        ns = parser.parse_args(["eval", *args, "--features"])
        code = ns.func(ns)
        return code, capsys.readouterr()

    g = _write_set(tmp_path / "g.npz", ["a", "b", "c", "d"], [1, 2, 3, 4])
    q = _write_set(tmp_path / "q.npz", ["a", "b", "x", "y"], [1, 2, 8, 9])
    code, out = run("--gallery", str(g), "--queries", str(q))
    result = json.loads(out.out)
    assert code == 0 and result["n_queries_without_match"] == 2
    assert result["flagged_present"] == 0.0  # the present queries are the gallery's own takes
    assert 0.0 <= result["flagged_absent"] <= 1.0 and result["verdict_quantile"] == 0.7
    code, out = run("--gallery", str(g), "--queries", str(q), "--verdict-quantile", "1")
    assert json.loads(out.out)["flagged_absent"] >= result["flagged_absent"]
    only_present = _write_set(tmp_path / "p.npz", ["a", "c"], [1, 3])
    code, out = run("--gallery", str(g), "--queries", str(only_present))
    assert code == 0 and "flagged_absent" not in json.loads(out.out)
    code, out = run("--gallery", str(g), "--queries", str(q), "--verdict-quantile", "2")
    assert code != 0 and len(out.err.strip().splitlines()) == 1


def test_search_text_output_says_no_close_match(tmp_path, capsys, monkeypatch):
    from test_facets import posed

    from signlookup.pose import save_npz

    monkeypatch.setattr("signlookup.search.default_embedder", lambda: PoseBaselineEmbedder())
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i in range(5):
            g.add(gloss=f"s{i}", pose=_sign(i))
    save_npz(posed((0.45, 0.35), seed=8, shape_seed=9), tmp_path / "far.npz")
    save_npz(_sign(2), tmp_path / "near.npz")
    assert _search_cli(["search", tmp_path / "far.npz", "--gallery", tmp_path / "g"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "No close match in this gallery; the closest are:" and len(lines) == 6
    assert _search_cli(["search", tmp_path / "near.npz", "--gallery", tmp_path / "g"]) == 0
    assert "No close match" not in capsys.readouterr().out

"""Issue 16: every bad input gets one clear line naming the file, never a traceback or a
silent acceptance. Small synthetic files in tmp_path; the real CLI in-process."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import KEYPOINTS, REPO, fake_sequence

from signlookup.cli import main
from signlookup.encoder.bundle import ModelBundleError, load_bundled_embedder
from signlookup.pose.io import PoseFileError, load_npz, load_pose_file, save_pose_file
from signlookup.pose.layout import point
from signlookup.search import QueryError, load_query

SHOULDERS = [point("LEFT_SHOULDER"), point("RIGHT_SHOULDER")]
BUNDLED_MODEL = REPO / "resources" / "models" / "sign_encoder.pt"


def _npz(path, points=None, mask=None, **extra):
    seq = fake_sequence(46)
    points = seq.points if points is None else points
    mask = seq.mask if mask is None else mask
    np.savez(path, X=points, mask=mask, **{"fps": 25.0, **extra})
    return path


# --- the pose I/O gate -------------------------------------------------------------------


def test_nan_and_inf_frames_are_missing_landmarks_not_a_failure(tmp_path):
    seq = fake_sequence(46)
    for bad in (np.nan, np.inf, -np.inf, 1e30):
        points = seq.points.copy()
        points[5:10] = bad
        loaded = load_npz(_npz(tmp_path / "q.npz", points))
        assert np.isfinite(loaded.points).all()
        assert not loaded.mask[5:10].any() and loaded.mask[:5, SHOULDERS].all()


def test_a_query_with_nan_frames_ranks_like_the_clean_one(tmp_path):
    from signlookup.encoder.feature_embedder import FeatureEmbedder

    seq = fake_sequence(46)
    points = seq.points.copy()
    points[5:10] = np.nan
    embedder = FeatureEmbedder()
    vector = embedder.embed([load_query(_npz(tmp_path / "nan.npz", points))])[0]
    clean = embedder.embed([load_query(_npz(tmp_path / "clean.npz"))])[0]
    assert np.isfinite(vector).all()
    assert float(vector @ clean) > 0.9


@pytest.mark.parametrize(
    "name,make,message",
    [
        ("zero_frames", lambda: dict(points=np.zeros((0, 75, 3)), mask=np.zeros((0, 75))),
         "0 frame(s); a sign needs at least 2"),
        ("one_frame", lambda: dict(points=fake_sequence(46).points[:1],
                                   mask=fake_sequence(46).mask[:1]), "1 frame(s)"),
        ("all_zero", lambda: dict(points=np.zeros((46, 75, 3)), mask=np.zeros((46, 75), bool)),
         "no body landmark"),
        ("all_huge", lambda: dict(points=np.full((46, 75, 3), 1e30), mask=np.ones((46, 75), bool)),
         "NaN, infinite or out of range"),
        ("bad_mask", lambda: dict(mask=np.ones((46, 10), bool)), "the mask is (46, 10)"),
        ("fps_nan", lambda: dict(fps=np.nan), "frame rate is nan"),
        ("fps_zero", lambda: dict(fps=0.0), "frame rate is 0"),
        ("fps_negative", lambda: dict(fps=-25.0), "frame rate is -25"),
        ("bad_shape", lambda: dict(points=np.zeros((46, 33, 3))), "must be (frames, 75, 3)"),
    ],
)  # fmt: skip
def test_damaged_npz_is_refused_naming_the_file(tmp_path, name, make, message):
    path = _npz(tmp_path / f"{name}.npz", **make())
    with pytest.raises(PoseFileError) as exc:
        load_npz(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_npz_without_landmarks_or_not_an_archive_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", Y=np.zeros(3))
    with pytest.raises(PoseFileError, match="no landmark array X"):
        load_npz(tmp_path / "other.npz")
    np.save(tmp_path / "plain.npy", np.zeros(3))
    (tmp_path / "plain.npz").write_bytes((tmp_path / "plain.npy").read_bytes())
    with pytest.raises(PoseFileError, match=r"plain\.npz"):
        load_npz(tmp_path / "plain.npz")


def test_a_pose_file_cut_in_half_is_refused(tmp_path):
    """Ours (v0.2) and the field's MediaPipe files (v0.1, which pose-format reads silently
    short, taking coordinates for confidences)."""
    whole = tmp_path / "whole.pose"
    save_pose_file(fake_sequence(46), whole)
    assert len(load_pose_file(whole)) == 46
    sources = [whole]
    field = KEYPOINTS / "pose_format_samples" / "mediapipe.pose"
    if field.is_file():
        sources.append(field)
        assert len(load_pose_file(field)) == 170
    cut = tmp_path / "cut.pose"
    for source in sources:
        data = source.read_bytes()
        for size in (len(data) // 2, len(data) - 7):
            cut.write_bytes(data[:size])
            with pytest.raises(PoseFileError, match=r"cut\.pose: .*(incomplete|not a complete)"):
                load_pose_file(cut)


def test_a_folder_is_not_a_pose_file(tmp_path):
    (tmp_path / "x.npz").mkdir()
    with pytest.raises(PoseFileError, match="is a folder"):
        load_npz(tmp_path / "x.npz")
    with pytest.raises(QueryError, match="is a folder"):
        load_query(tmp_path / "x.npz")


# --- search ------------------------------------------------------------------------------


def test_query_that_cannot_be_described_is_a_query_error(tmp_path):
    from signlookup.encoder.feature_embedder import FeatureEmbedder
    from signlookup.search import embed_query

    seq = fake_sequence(46)
    seq.mask[:, point("LEFT_SHOULDER")] = False  # no frame shows both shoulders
    with pytest.raises(QueryError, match=r"cannot describe q\.npz"):
        embed_query(FeatureEmbedder(), seq, "q.npz")


def test_a_query_longer_than_a_sign_is_refused_with_a_hint(tmp_path):
    from signlookup.search import MAX_QUERY_S

    frames = int(MAX_QUERY_S * 25) + 50
    seq = fake_sequence(frames)
    path = _npz(tmp_path / "long.npz", seq.points, seq.mask)
    with pytest.raises(QueryError, match="trim it to the sign"):
        load_query(path)


def test_a_long_video_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    from conftest import write_video

    import signlookup.pose as pose

    video = write_video(tmp_path / "long.mp4", [np.zeros((16, 16, 3), np.uint8)] * 40, fps=1.0)
    monkeypatch.setattr(pose, "extract_pose", lambda *a, **k: pytest.fail("decoded"))
    with pytest.raises(QueryError, match="40 s long"):
        load_query(video)


# --- the encoder sidecar -----------------------------------------------------------------


def _bundle_copy(tmp_path, **changes):
    if not BUNDLED_MODEL.is_file():
        pytest.skip("no bundled sign encoder in resources/models")
    model = tmp_path / "sign_encoder.pt"
    shutil.copy(BUNDLED_MODEL, model)
    meta = json.loads(BUNDLED_MODEL.with_suffix(".json").read_text())
    meta.update(changes)
    model.with_suffix(".json").write_text(json.dumps(meta))
    return model


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"fusion": None}, "fusion must be an object, not null"),
        ({"feature_spec": [1, 2]}, "feature_spec must be an object, not a list"),
        ({"fusion": {"model_weight": "half"}}, "model_weight must be a number"),
        ({"embedding_size": "128"}, "embedding_size must be a positive whole number"),
        ({"test_time": [[0, 1]]}, "test_time must be an object"),
    ],
)
def test_damaged_sidecar_is_a_bundle_error_in_plain_words(tmp_path, changes, message):
    with pytest.raises(ModelBundleError, match=message):
        load_bundled_embedder(_bundle_copy(tmp_path, **changes))


def test_eval_with_a_damaged_sidecar_is_one_line(tmp_path, capsys):
    model = _bundle_copy(tmp_path, fusion=None)
    seqs = [fake_sequence(seed=s).points for s in (1, 2)]
    np.savez(tmp_path / "g.npz", X=np.stack(seqs), y=np.array(["a", "b"]))
    g = str(tmp_path / "g.npz")
    assert main(["eval", "--gallery", g, "--queries", g, "--model", str(model)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fusion must be an object" in err


# --- the command line: one line, checked before anything loads ---------------------------

GLOSSES = ["GAT@ MESA EMBAIXO.", "EU COMPRAR CARRO NOV@."]
SENTENCES = ["O gato está embaixo da mesa.", "Comprei um carro novo."]


@pytest.fixture
def lexical_bundle(tmp_path):
    """A text bundle without a model (lexical scoring): index.json + dictionary.json."""
    from signlookup.text.dictionary import Dictionary

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "index.json").write_text(json.dumps({
        "format": 1, "fusion_weight": 0.8, "embedding_dim": 0, "model_sha256": "",
        "glosses": GLOSSES, "sentences": SENTENCES, "sentence_gloss": [0, 1],
    }))  # fmt: skip
    Dictionary.from_rows([{"gloss": "GATO", "definition": "Felino."}]).save(
        bundle / "dictionary.json"
    )
    return bundle


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_gloss_top_zero_is_refused_before_the_bundle_loads(monkeypatch, capsys):
    from signlookup.text import api

    monkeypatch.setattr(api, "load", lambda *a, **k: pytest.fail("loaded before checking"))
    assert main(["gloss", "gato", "--top", "0"]) != 0
    assert "between 1 and 100" in _one_error_line(capsys)


def test_usage_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["gloss"])
    assert exc.value.code == 2
    line = _one_error_line(capsys)
    assert "required: sentence" in line and "--help" in line


def test_gloss_json_says_when_ranking_is_lexical_only(lexical_bundle, capsys):
    argv = ["gloss", "O gato está embaixo da mesa", "--top", "1", "--json"]
    assert main([*argv, "--bundle", str(lexical_bundle)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["examples"][0]["scoring"] == "lexical"
    assert "warning: no text model bundled" in captured.err


def test_damaged_text_bundle_files_are_named(lexical_bundle, capsys):
    (lexical_bundle / "dictionary.json").write_text("[[broken")
    assert main(["gloss", "gato", "--bundle", str(lexical_bundle)]) != 0
    assert "dictionary.json is damaged" in _one_error_line(capsys)


def test_gloss_with_embeddings_missing_names_the_file(tmp_path, monkeypatch, capsys):
    from signlookup.text import index as text_index

    real = REPO / "resources" / "models" / "text"
    if not (real / "model" / "modules.json").is_file():
        pytest.skip("no bundled text model")
    bundle = tmp_path / "text"
    bundle.mkdir()
    for item in real.iterdir():
        if item.name != "gloss_embeddings.npy":
            (bundle / item.name).symlink_to(item)
    monkeypatch.setattr(text_index.TextEncoder, "load", classmethod(lambda cls, *a, **k: None))
    assert main(["gloss", "gato", "--bundle", str(bundle)]) != 0
    line = _one_error_line(capsys)
    assert "gloss_embeddings.npy" in line and "No such file" in line


def test_text_eval_reads_a_bom_csv_and_names_a_non_utf8_one(lexical_bundle, tmp_path, capsys):
    rows = "".join(f'"{s}","{g}"\n' for s, g in zip(SENTENCES, GLOSSES, strict=True))
    bom = tmp_path / "bom.csv"
    bom.write_text("example_pt,example_gloss\n" + rows, encoding="utf-8-sig")
    assert main(["text-eval", "--pairs", str(bom), "--bundle", str(lexical_bundle)]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 2
    latin = tmp_path / "latin1.csv"
    latin.write_text("example_pt,example_gloss\n" + rows, encoding="latin-1")
    assert main(["text-eval", "--pairs", str(latin), "--bundle", str(lexical_bundle)]) != 0
    line = _one_error_line(capsys)
    assert "latin1.csv is not UTF-8" in line


def test_extract_onto_a_folder_is_one_line_before_decoding(tmp_path, monkeypatch, capsys):
    import signlookup.pose as pose

    monkeypatch.setattr(pose, "extract_pose", lambda *a, **k: pytest.fail("decoded"))
    (tmp_path / "out").mkdir()
    assert main(["extract", str(tmp_path / "v.mp4"), "-o", str(tmp_path / "out")]) != 0
    assert "is a folder" in _one_error_line(capsys)


def test_missing_sign_encoder_is_announced(tmp_path, capsys):
    from signlookup.cli import _announce_library_warnings
    from signlookup.encoder.default import load_default_embedder

    _announce_library_warnings()  # what main() does first
    load_default_embedder(tmp_path)
    err = capsys.readouterr().err
    assert "signlookup: warning: no sign encoder at" in err


def test_eval_leaves_out_an_unusable_take_and_says_why(tmp_path, capsys):
    takes = np.stack([fake_sequence(seed=s).points for s in (1, 2, 3, 4)])
    takes[2] = 0  # a take with nothing detected
    takes[3, :, :5] = np.nan  # NaN landmarks: gaps, still usable
    np.savez(tmp_path / "g.npz", X=takes, y=np.array(["a", "b", "a", "b"]))
    g = str(tmp_path / "g.npz")
    assert main(["eval", "--gallery", g, "--queries", g, "--features"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["unusable_gallery"]["n"] == 1 and result["n_gallery"] == 3
    assert "left out 1 of 4 takes that cannot be embedded (1 x no body landmark" in captured.err


def test_native_stderr_is_silenced_but_python_stderr_is_not(capfd):
    import os
    import sys

    from signlookup.quiet import native_stderr_silenced

    with native_stderr_silenced(), native_stderr_silenced():
        os.write(2, b"W0000 feedback manager\n")
        print("progress", file=sys.stderr)
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert "W0000" not in err and "progress" in err and "after" in err


def test_silencing_works_without_a_python_stderr(monkeypatch):
    """A windowed build has sys.stderr None: extraction must not fail on it."""
    import sys

    from signlookup.quiet import native_stderr_silenced

    monkeypatch.setattr(sys, "stderr", None)
    with native_stderr_silenced():
        pass
    assert sys.stderr is None

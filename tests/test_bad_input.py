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
from signlookup.pose.layout import POSE
from signlookup.search import QueryError, load_query

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
        assert not loaded.mask[5:10].any() and loaded.mask[:5, POSE].all()


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
    from signlookup.pose.layout import point
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

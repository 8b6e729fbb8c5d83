import numpy as np
import pytest
from conftest import FIXTURE_KEYPOINTS, POSE_SAMPLES, fake_sequence

from signlookup.pose import (
    PoseFileError,
    load_keypoint_set,
    load_npz,
    load_pose_file,
    save_npz,
    save_pose_file,
)
from signlookup.pose.layout import LEFT_HAND, POSE, RIGHT_HAND, point


def test_npz_round_trip(tmp_path):
    seq = fake_sequence()
    seq.aspect = 4 / 3
    save_npz(seq, tmp_path / "a.npz")
    back = load_npz(tmp_path / "a.npz")
    np.testing.assert_array_equal(back.points, seq.points)
    assert (back.mask == seq.mask).all() and back.fps == pytest.approx(25)
    assert back.aspect == pytest.approx(4 / 3)
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed away


def test_npz_without_aspect_and_mask_reads_zeros_as_missing(tmp_path):
    seq = fake_sequence()
    np.savez(tmp_path / "plain.npz", X=seq.points)
    back = load_npz(tmp_path / "plain.npz")
    assert back.aspect is None
    assert (back.mask == np.any(seq.points != 0, axis=-1)).all()


def test_half_written_or_wrong_npz_is_a_clear_error(tmp_path):
    seq = fake_sequence()
    save_npz(seq, tmp_path / "a.npz")
    data = (tmp_path / "a.npz").read_bytes()
    (tmp_path / "half.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(PoseFileError, match=r"half\.npz"):
        load_npz(tmp_path / "half.npz")
    np.savez(tmp_path / "wrong.npz", X=np.zeros((4, 10, 3)))
    with pytest.raises(PoseFileError, match="75"):
        load_npz(tmp_path / "wrong.npz")
    with pytest.raises(PoseFileError, match="not found"):
        load_npz(tmp_path / "nope.npz")


def test_pose_file_round_trip(tmp_path):
    seq = fake_sequence()
    seq.aspect = 16 / 9
    save_pose_file(seq, tmp_path / "a.pose", width=1280)
    back = load_pose_file(tmp_path / "a.pose")
    np.testing.assert_allclose(back.points, seq.points, atol=1e-5)
    assert (back.mask == seq.mask).all()
    assert back.fps == pytest.approx(25) and back.aspect == pytest.approx(1280 / 720)


def test_reads_a_holistic_pose_file_from_pose_format():
    seq = load_pose_file(POSE_SAMPLES / "example.pose")
    assert seq.points.shape == (97, 75, 3)
    assert seq.mask[:, POSE].all(axis=1).mean() > 0.9
    assert 0 < seq.mask[:, LEFT_HAND].any(axis=1).mean() < 1
    assert seq.aspect == pytest.approx(320 / 240)
    nose = seq.points[seq.mask[:, 0], 0, :2]
    assert ((nose > 0) & (nose < 1)).all()  # pixels were turned back into 0..1


def test_reduced_body_pose_file_marks_absent_points_missing():
    seq = load_pose_file(POSE_SAMPLES / "mediapipe.pose")
    assert not seq.mask[:, point("NOSE")].any()
    assert seq.mask[:, point("LEFT_SHOULDER")].any()
    assert seq.mask[:, RIGHT_HAND].any()


def test_openpose_file_is_refused():
    with pytest.raises(PoseFileError, match="not a MediaPipe pose"):
        load_pose_file(POSE_SAMPLES / "openpose.pose")


def test_garbage_pose_file(tmp_path):
    (tmp_path / "x.pose").write_bytes(b"\x00\x01garbage")
    with pytest.raises(PoseFileError):
        load_pose_file(tmp_path / "x.pose")


def test_keypoint_set_reader():
    ks = load_keypoint_set(FIXTURE_KEYPOINTS / "libras_dayane.npz")
    assert ks.X.shape == (30, 30, 75, 3) and len(ks.y) == 30  # 10 takes a class
    assert set(ks.y) == {"a", "b", "obrigado"}
    assert ks.sequence(0).mask[:, POSE].all()

import numpy as np
import pytest
from conftest import FIXTURE_KEYPOINTS, fake_sequence

from signlookup.pose import (
    PoseSequence,
    PreprocessConfig,
    interpolate_missing,
    load_keypoint_set,
    mirror,
    normalise,
    normalise_sequence,
    preprocess,
    resample,
    velocities,
)
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point
from signlookup.pose.preprocess import TORSO_PER_SHOULDER_WIDTH, _hips_in_frame, body_frame


def test_interpolation_fills_gaps_linearly_and_holds_edges():
    pts = np.zeros((6, 75, 3), np.float32)
    mask = np.zeros((6, 75), bool)
    pts[1, 40] = (1, 2, 3)
    pts[4, 40] = (4, 5, 6)
    mask[[1, 4], 40] = True
    out = interpolate_missing(pts, mask)
    np.testing.assert_allclose(out[:, 40, 0], [1, 1, 2, 3, 4, 4])
    np.testing.assert_allclose(out[2, 40], (2, 3, 4))
    assert (out[:, 41] == 0).all()  # never seen: stays zero, mask tells
    assert (pts[2, 40] == 0).all()  # input untouched


def test_normalised_body_has_shoulders_at_origin_and_unit_torso():
    seq = fake_sequence()
    pts = normalise(seq.points, seq.mask)
    mid = (pts[:, point("LEFT_SHOULDER"), :2] + pts[:, point("RIGHT_SHOULDER"), :2]) / 2
    np.testing.assert_allclose(mid, 0, atol=1e-6)
    hip = (pts[:, point("LEFT_HIP"), :2] + pts[:, point("RIGHT_HIP"), :2]) / 2
    np.testing.assert_allclose(np.linalg.norm(hip - mid, axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize("shift,scale", [((0.2, -0.1), 1.0), ((0, 0), 0.5), ((-0.3, 0.25), 1.7)])
def test_features_ignore_where_and_how_big_the_body_is(shift, scale):
    seq = fake_sequence()
    moved = seq.points.copy()
    moved[..., :2] = moved[..., :2] * scale + np.array(shift, np.float32)
    moved[..., 2] *= scale
    moved[~seq.mask] = 0
    a = preprocess(seq)
    b = preprocess(PoseSequence(moved, seq.mask, seq.fps))
    np.testing.assert_allclose(a, b, atol=1e-4)


def test_real_keypoints_are_translation_and_scale_invariant():
    """Moving/zooming the camera changes nothing, as long as the same body parts stay in view."""
    ks = load_keypoint_set(FIXTURE_KEYPOINTS / "asl_traduttore.npz")
    checked = 0
    for i in range(0, len(ks.X), 12):
        seq = ks.sequence(i)
        moved = seq.points.copy()
        moved[..., :2] = moved[..., :2] * 1.3 - 0.12
        moved[..., 2] *= 1.3
        moved[~seq.mask] = 0
        if (_hips_in_frame(seq.points, seq.mask) != _hips_in_frame(moved, seq.mask)).any():
            continue  # the zoom pushed the hips out of view: a different picture
        cfg = PreprocessConfig(length=30, trim=False)
        a = preprocess(seq, cfg)
        b = preprocess(PoseSequence(moved, seq.mask), cfg)
        np.testing.assert_allclose(a, b, atol=1e-3)
        checked += 1
    assert checked >= 10


def test_scale_falls_back_to_shoulder_width_when_hips_are_out_of_frame():
    seq = fake_sequence(hips_visible=False)
    _, scale = body_frame(seq.points, seq.mask)
    assert scale == pytest.approx(0.2 * TORSO_PER_SHOULDER_WIDTH, rel=1e-5)


def test_aspect_correction_stretches_x():
    seq = fake_sequence()
    wide = PoseSequence(seq.points, seq.mask, aspect=16 / 9)
    a, b = normalise(seq.points, seq.mask), normalise(wide.points, wide.mask, wide.aspect)
    width = lambda p: abs(p[0, point("LEFT_SHOULDER"), 0] - p[0, point("RIGHT_SHOULDER"), 0])  # noqa: E731
    assert width(b) / width(a) == pytest.approx(16 / 9, rel=1e-4)


def _partial_body(visible: list[str]):
    """fake_sequence (hips out of frame: shoulder width 0.2, scale 0.3, shoulder midpoint
    (0.5, 0.35)) with ears added and only the named pose landmarks seen."""
    seq = fake_sequence(hips_visible=False)
    seq.points[:, point("LEFT_EAR"), :2] = (0.54, 0.2)
    seq.points[:, point("RIGHT_EAR"), :2] = (0.46, 0.2)
    seq.mask[:, :33] = False
    seq.mask[:, [point(name) for name in visible]] = True
    seq.points[~seq.mask] = 0
    return seq


@pytest.mark.parametrize(
    "visible,centre_tol",
    [
        (["NOSE", "LEFT_SHOULDER"], 1e-5),  # one shoulder: width from its distance to the nose
        (["NOSE", "LEFT_EAR", "RIGHT_EAR"], 0.05),  # face only: shoulders below the nose
    ],
)
def test_a_take_without_both_shoulders_is_placed_from_what_is_visible(visible, centre_tol):
    seq = _partial_body(visible)
    centre, scale = body_frame(seq.points, seq.mask)
    np.testing.assert_allclose(centre, (0.5, 0.35), atol=centre_tol)
    assert scale == pytest.approx(0.2 * TORSO_PER_SHOULDER_WIDTH, rel=0.05)


def test_a_hands_only_take_still_embeds():
    from signlookup.encoder import FeatureEmbedder

    seq = _partial_body([])
    v = FeatureEmbedder().embed([seq])
    assert np.isfinite(v).all() and np.linalg.norm(v) == pytest.approx(1, rel=1e-4)


def test_a_take_with_nothing_seen_is_a_clear_error():
    seq = fake_sequence()
    seq.mask[:] = False
    with pytest.raises(ValueError, match="no body, face or hand landmark"):
        normalise(seq.points, seq.mask)


def test_resample_keeps_endpoints_and_linear_motion():
    pts = np.zeros((11, 75, 3), np.float32)
    pts[:, 0, 0] = np.arange(11)
    mask = np.ones((11, 75), bool)
    out, out_mask = resample(pts, mask, 21)
    assert out.shape == (21, 75, 3) and out_mask.shape == (21, 75)
    np.testing.assert_allclose(out[:, 0, 0], np.linspace(0, 10, 21), atol=1e-5)
    single, _ = resample(pts[:1], mask[:1], 5)
    assert (single == pts[0]).all()
    with pytest.raises(ValueError):
        resample(pts[:0], mask[:0], 5)


def test_velocities_of_constant_motion_are_constant():
    pts = np.zeros((10, 75, 3), np.float32)
    pts[:, 5, 1] = np.arange(10) * 0.5
    v = velocities(pts)
    np.testing.assert_allclose(v[:, 5, 1], 0.5)
    assert (v[:, 4] == 0).all()


def test_mirror_swaps_hands_negates_x_and_undoes_itself():
    seq = fake_sequence()
    pts = normalise(seq.points, seq.mask)
    m, mm = mirror(pts, seq.mask)
    assert mm[:, LEFT_HAND].all() and not mm[:, RIGHT_HAND].any()
    np.testing.assert_allclose(m[:, LEFT_HAND, 0], -pts[:, RIGHT_HAND, 0])
    np.testing.assert_allclose(m[:, LEFT_HAND, 1:], pts[:, RIGHT_HAND, 1:])
    back, back_mask = mirror(m, mm)
    np.testing.assert_allclose(back, pts)
    assert (back_mask == seq.mask).all()


def test_pipeline_output_shape_and_config():
    seq = fake_sequence(frames=37)
    assert preprocess(seq).shape == (100, 75, 6)
    assert preprocess(seq, PreprocessConfig(length=64)).shape == (64, 75, 6)
    mirrored = normalise_sequence(seq, PreprocessConfig(length=20, mirror=True))
    assert mirrored.mask[:, LEFT_HAND].any() and not mirrored.mask[:, RIGHT_HAND].any()
    assert np.isfinite(preprocess(seq)).all()


def test_data_set_arrays_go_through_the_same_path():
    ks = load_keypoint_set(FIXTURE_KEYPOINTS / "asl_traduttore.npz")
    assert ks.X.shape[1:] == (20, 75, 3)
    seq = ks.sequence(3)
    assert (seq.mask == np.any(ks.X[3] != 0, axis=-1)).all()
    out = preprocess(seq, PreprocessConfig(length=32))
    assert out.shape == (32, 75, 6) and np.isfinite(out).all()

import numpy as np
import pytest
from conftest import FIXTURE_KEYPOINTS, fake_sequence

from signlookup.encoder import Embedder, FeatureEmbedder
from signlookup.features import (
    ARM_GROUP,
    FACE_GROUP,
    GROUP_DIMS,
    GROUPS,
    PATH_FRAMES,
    PATH_GROUP,
    FeatureSpec,
    canonical_pose,
    frame_features,
    hand_activity,
    left_dominant,
    pool_groups,
    pooled_features,
)
from signlookup.features.frame import ARM_DIM, FACE_DIM, face_anchors
from signlookup.pose import PoseSequence, load_keypoint_set
from signlookup.pose.layout import LEFT_HAND, MIRROR_PERMUTATION, RIGHT_HAND, hand_point, point


def _features(seq, spec=None):
    return frame_features(*canonical_pose(seq, spec))


def _mirror_raw(seq: PoseSequence) -> PoseSequence:
    """The same take filmed in a mirror: x -> 1 - x in the image, left and right swapped."""
    pts = seq.points[:, MIRROR_PERMUTATION].copy()
    mask = seq.mask[:, MIRROR_PERMUTATION].copy()
    pts[..., 0] = np.where(mask, 1 - pts[..., 0], 0)
    return PoseSequence(pts, mask, seq.fps)


def test_groups_have_declared_widths_and_are_finite():
    groups = _features(fake_sequence())
    assert tuple(groups) == (*GROUPS, ARM_GROUP, FACE_GROUP)  # then the pooled-only groups
    widths = {**GROUP_DIMS, ARM_GROUP: ARM_DIM, FACE_GROUP: FACE_DIM}
    for name, g in groups.items():
        assert g.shape == (32, widths[name])
        assert np.isfinite(g).all()


@pytest.mark.parametrize("shift,scale", [((0.2, -0.1), 1.0), ((0, 0), 0.5), ((-0.3, 0.25), 1.7)])
def test_features_ignore_where_and_how_big_the_signer_is(shift, scale):
    seq = fake_sequence()
    moved = seq.points.copy()
    moved[..., :2] = moved[..., :2] * scale + np.array(shift, np.float32)
    moved[..., 2] *= scale
    moved[~seq.mask] = 0
    a = _features(seq)
    b = _features(PoseSequence(moved, seq.mask, seq.fps))
    for name in a:
        np.testing.assert_allclose(a[name], b[name], atol=2e-4, err_msg=name)


def test_handshape_ignores_where_the_hand_is_and_how_big_it_looks():
    seq = fake_sequence()
    spec = FeatureSpec(trim=False)
    pts, mask = canonical_pose(seq, spec)
    hand = pts[:, RIGHT_HAND].copy()
    wrist = hand[:, :1]
    moved = pts.copy()
    moved[:, RIGHT_HAND] = (hand - wrist) * 1.8 + wrist + np.array([0.3, -0.2, 0.0], np.float32)
    a = frame_features(pts, mask)["handshape_dominant"]
    b = frame_features(moved, mask)["handshape_dominant"]
    np.testing.assert_allclose(a, b, atol=1e-4)


def test_a_mirrored_take_maps_to_the_same_canonical_features():
    seq = fake_sequence()  # right hand signs, left hand never seen
    mirrored = _mirror_raw(seq)
    assert not left_dominant(*canonical_pose(seq, FeatureSpec(canonical=False)))
    assert left_dominant(*canonical_pose(mirrored, FeatureSpec(canonical=False)))
    a, b = _features(seq), _features(mirrored)
    for name in a:
        np.testing.assert_allclose(a[name], b[name], atol=1e-4, err_msg=name)


def test_mirrored_real_takes_embed_alike():
    ks = load_keypoint_set(FIXTURE_KEYPOINTS / "asl_traduttore.npz")
    seqs = [ks.sequence(i) for i in range(0, len(ks.X), 8)]  # one take of each of the 33 classes
    emb = FeatureEmbedder()
    a = emb.embed(seqs)
    b = emb.embed([_mirror_raw(s) for s in seqs])
    assert np.min(np.sum(a * b, axis=1)) > 0.999


def test_a_hand_never_seen_gives_zero_handshape_and_no_nan():
    groups = _features(fake_sequence())
    assert not groups["handshape_other"].any()  # fake signer's left hand is never detected
    assert groups["handshape_dominant"].any()
    presence, motion = hand_activity(*canonical_pose(fake_sequence()))
    assert presence[0] == 0 and presence[1] == 1 and motion[1] > motion[0]


def _pose_only(seq: PoseSequence, forearm_up: bool = False) -> PoseSequence:
    """The take as a pose-only recording: no hand detected; the pose's own coarse hand points
    (index, pinky, thumb) sit beyond the right wrist, the forearm raised when asked."""
    pts, mask = seq.points.copy(), seq.mask.copy()
    pts[:, 33:], mask[:, 33:] = 0, False
    elbow, wrist = point("RIGHT_ELBOW"), point("RIGHT_WRIST")
    pts[:, wrist, :2] = pts[:, elbow, :2] + ((0.0, -0.15) if forearm_up else (0.15, 0.0))
    for name, offset in (
        ("INDEX", (0.0, -0.05)),
        ("PINKY", (0.02, -0.04)),
        ("THUMB", (-0.03, -0.02)),
    ):
        pts[:, point(f"RIGHT_{name}"), :2] = pts[:, wrist, :2] + offset
        pts[:, point(f"LEFT_{name}"), :2] = pts[:, point("LEFT_WRIST"), :2] + offset
    return PoseSequence(pts, mask, seq.fps)


def test_the_arm_group_carries_a_pose_only_take_whose_hands_were_never_detected():
    spec = FeatureSpec(trim=False, canonical=False)
    down, up = (frame_features(*canonical_pose(_pose_only(fake_sequence(), u), spec))
                for u in (False, True))  # fmt: skip
    assert not down["handshape_dominant"].any() and not down["orientation"].any()
    arm = down[ARM_GROUP][0].reshape(2, 5, 2)  # left, right x 5 unit directions (x, y)
    np.testing.assert_allclose(np.linalg.norm(arm, axis=-1), 1, atol=1e-5)
    np.testing.assert_allclose(arm[1, 1], (1, 0), atol=1e-5)  # elbow -> wrist points across
    np.testing.assert_allclose(up[ARM_GROUP][0].reshape(2, 5, 2)[1, 1], (0, -1), atol=1e-5)
    only_arm = {ARM_GROUP: 1.0}
    assert float(pool_groups(down, only_arm) @ pool_groups(up, only_arm)) < 0.9


def test_a_hand_the_detector_saw_gives_the_arm_group_its_own_directions():
    seq = fake_sequence()  # the right hand is detected in every frame
    spec = FeatureSpec(trim=False, canonical=False)
    pts = seq.points.copy()
    for name in ("INDEX", "PINKY", "THUMB"):  # the pose's coarse hand points, far off
        pts[:, point(f"RIGHT_{name}"), :2] = (0.9, 0.9)
    a = frame_features(*canonical_pose(seq, spec))[ARM_GROUP]
    b = frame_features(*canonical_pose(PoseSequence(pts, seq.mask, seq.fps), spec))[ARM_GROUP]
    np.testing.assert_allclose(a[:, 14:], b[:, 14:], atol=1e-6)  # right hand's three directions
    hand = canonical_pose(seq, spec)[0][:, RIGHT_HAND, :2]
    knuckles = (hand[:, 5] + hand[:, 17]) / 2 - hand[:, 0]  # wrist -> index / pinky knuckles
    np.testing.assert_allclose(a[:, 14:16], knuckles / np.linalg.norm(knuckles, axis=1)[:, None],
                               atol=1e-5)  # fmt: skip


def test_an_arm_point_never_seen_zeroes_only_the_directions_that_use_it():
    seq = _pose_only(fake_sequence())
    mask = seq.mask.copy()
    mask[:, point("RIGHT_ELBOW")] = False  # a webcam close-up: the elbow below the frame
    arm = frame_features(*canonical_pose(PoseSequence(seq.points, mask, seq.fps),
                                         FeatureSpec(trim=False, canonical=False)))[ARM_GROUP]  # fmt: skip
    norms = np.linalg.norm(arm[0].reshape(2, 5, 2), axis=-1)
    np.testing.assert_allclose(norms[1], (0, 0, 1, 1, 1), atol=1e-5)  # shoulder/elbow/wrist gone
    np.testing.assert_allclose(norms[0], 1, atol=1e-5)  # the other arm keeps all five


ANCHORS = ("forehead", "eyes", "nose", "mouth", "chin", "left ear", "right ear")


def _with_face(seq: PoseSequence, face: float = 0.1, hand_at: str | None = None) -> PoseSequence:
    """The take with a whole face of width ``face`` (ear to ear, image units) round its nose,
    the right hand's index tip held at one of the face's anchors when ``hand_at`` names one."""
    pts, mask = seq.points.copy(), seq.mask.copy()
    nose = pts[0, point("NOSE"), :2].copy()
    half = face / 2
    for name, (dx, dy) in {
        "LEFT_EAR": (half, -0.05 * face), "RIGHT_EAR": (-half, -0.05 * face),
        "LEFT_EYE_INNER": (0.08 * face, -0.15 * face), "LEFT_EYE_OUTER": (0.3 * face, -0.15 * face),
        "RIGHT_EYE_INNER": (-0.08 * face, -0.15 * face),
        "RIGHT_EYE_OUTER": (-0.3 * face, -0.15 * face),
        "MOUTH_LEFT": (0.15 * face, 0.2 * face), "MOUTH_RIGHT": (-0.15 * face, 0.2 * face),
    }.items():  # fmt: skip
        pts[:, point(name), :2] = nose + np.array((dx, dy), np.float32)
    if hand_at is not None:
        spec = FeatureSpec(trim=False, canonical=False)
        # the anchors in image units: undo the body normalisation of the first frame
        norm = canonical_pose(PoseSequence(pts, mask, seq.fps), spec)[0]
        unit = (pts[0, point("LEFT_EYE_OUTER"), 0] - pts[0, point("RIGHT_EYE_OUTER"), 0]) / (
            norm[0, point("LEFT_EYE_OUTER"), 0] - norm[0, point("RIGHT_EYE_OUTER"), 0])  # fmt: skip
        anchor = face_anchors(norm)[0, ANCHORS.index(hand_at)]
        target = (anchor - norm[0, point("NOSE"), :2]) * unit + nose
        tip = hand_point("RIGHT", "INDEX_FINGER_TIP")
        pts[:, RIGHT_HAND, :2] += (target - pts[:, tip, :2])[:, None]
    return PoseSequence(pts, mask, seq.fps)


def _tip_closeness(seq: PoseSequence) -> np.ndarray:
    """(7,) the right index tip's closeness to each face anchor, first frame."""
    face = frame_features(*canonical_pose(seq, FeatureSpec(trim=False, canonical=False)))
    return face[FACE_GROUP][0].reshape(2, 2, 7)[1, 1]  # right hand, index tip


def test_the_face_group_says_where_on_the_face_the_hand_is():
    """Hello at the forehead, thank-you at the chin: a phone signer's face is big against the
    torso, so body units put the two close; face widths keep them apart."""
    for anchor in ("forehead", "nose", "chin"):
        closeness = _tip_closeness(_with_face(fake_sequence(), hand_at=anchor))
        assert ANCHORS[int(np.argmax(closeness))] == anchor
        assert closeness.max() == pytest.approx(1.0, abs=1e-3)
    small, big = (_tip_closeness(_with_face(fake_sequence(), face, "mouth")) for face in (0.1, 0.3))
    np.testing.assert_allclose(small, big, atol=1e-3)  # in face widths, not body units


def test_a_face_never_seen_leaves_the_face_group_empty_and_a_lost_hand_uses_the_pose():
    seq = _with_face(fake_sequence())
    mask = seq.mask.copy()
    mask[:, :11] = False  # nose, eyes, ears, mouth: a clip framed below the face
    faceless = frame_features(*canonical_pose(PoseSequence(seq.points, mask, seq.fps)))
    assert not faceless[FACE_GROUP].any()
    pose_only = _pose_only(seq, forearm_up=True)
    g = frame_features(*canonical_pose(pose_only, FeatureSpec(trim=False, canonical=False)))
    right_tip = g[FACE_GROUP][0].reshape(2, 2, 7)[1, 1]
    moved = pose_only.points.copy()
    moved[:, point("RIGHT_INDEX"), :2] = pose_only.points[:, point("NOSE"), :2]
    h = frame_features(*canonical_pose(PoseSequence(moved, pose_only.mask, seq.fps),
                                       FeatureSpec(trim=False, canonical=False)))  # fmt: skip
    at_nose = h[FACE_GROUP][0].reshape(2, 2, 7)[1, 1]
    assert at_nose[ANCHORS.index("nose")] == pytest.approx(1.0, abs=1e-4)
    assert right_tip[ANCHORS.index("nose")] < 0.5


def test_missing_frames_are_interpolated_not_zeroed():
    seq = fake_sequence()
    pts, mask = seq.points.copy(), seq.mask.copy()
    pts[10:14, RIGHT_HAND] = 0
    mask[10:14, RIGHT_HAND] = False
    a = _features(PoseSequence(pts, mask, seq.fps), FeatureSpec(trim=False))
    assert np.abs(a["handshape_dominant"]).sum(axis=1).min() > 0.1


def test_pooled_inner_product_is_the_weighted_mean_of_group_cosines():
    spec = FeatureSpec()
    ga, gb = _features(fake_sequence(seed=1)), _features(fake_sequence(seed=2, frames=50))
    gb["handshape_other"] = gb["handshape_dominant"][:, :60] * 0 + 1.0  # make every group present
    ga["handshape_other"] = ga["handshape_dominant"]
    for g in (ga, gb):  # the fake signer has no ears or mouth: give both takes a face
        g[FACE_GROUP] = g[FACE_GROUP] + np.linspace(0.1, 0.9, len(g[FACE_GROUP]))[:, None]
    va, vb = pool_groups(ga, spec.weights), pool_groups(gb, spec.weights)

    def pooled(g):
        v = np.concatenate([g.mean(0), g.std(0)])
        return v / np.linalg.norm(v)

    def path(g):  # the location at frames 0, 1/3, 2/3 and the end, flattened
        v = g["location"][np.linspace(0, len(g["location"]) - 1, PATH_FRAMES).round().astype(int)]
        return v.ravel() / np.linalg.norm(v)

    cos = {n: float(pooled(ga[n]) @ pooled(gb[n])) for n in (*GROUPS, ARM_GROUP, FACE_GROUP)}
    cos[PATH_GROUP] = float(path(ga) @ path(gb))
    assert set(spec.weights) == set(cos)
    expected = sum(spec.weights[n] * cos[n] for n in cos) / sum(spec.weights.values())
    assert float(va @ vb) == pytest.approx(expected, abs=1e-5)


def test_the_location_path_tells_a_movement_from_its_reverse():
    """Mean and std over time cannot see the order of a movement; the path group can."""
    location = np.zeros((31, GROUP_DIMS["location"]), np.float32)
    location[:, 0] = np.linspace(-1, 1, 31)  # the wrist moves from left to right
    location[:, 1] = 0.5
    g, backwards = {"location": location}, {"location": location[::-1]}
    only = {name: {name: 1.0} for name in ("location", PATH_GROUP)}
    cos = {k: float(pool_groups(g, w) @ pool_groups(backwards, w)) for k, w in only.items()}
    assert cos["location"] == pytest.approx(1.0, abs=1e-5)
    # path frames (x, y): (-1, .5), (-1/3, .5), (1/3, .5), (1, .5) against the reverse
    assert cos[PATH_GROUP] == pytest.approx(
        (4 * 0.25 - 2 - 2 / 9) / (4 * 0.25 + 2 + 2 / 9), abs=1e-5
    )


def test_feature_embedder_is_an_embedder_with_unit_rows():
    emb = FeatureEmbedder()
    assert isinstance(emb, Embedder)
    v = emb.embed([fake_sequence(seed=s) for s in range(3)])
    assert v.shape == (3, emb.dim) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1, rtol=1e-5)
    assert emb.embed([]).shape == (0, emb.dim)
    assert FeatureEmbedder(FeatureSpec(length=16)).content_hash != emb.content_hash


def test_unknown_group_weight_is_refused():
    with pytest.raises(ValueError, match="unknown feature groups"):
        FeatureSpec(weights={"handshap": 1.0})


def test_landmark_names_match_the_hand_slices():
    assert hand_point("left", "WRIST") == LEFT_HAND.start
    assert hand_point("right", "WRIST") == RIGHT_HAND.start


def test_features_separate_real_signs():
    ks = load_keypoint_set(FIXTURE_KEYPOINTS / "libras_dayane.npz")
    seqs = [ks.sequence(i) for i in range(len(ks.X))]
    v = pooled_features(seqs)
    sim = v @ v.T
    np.fill_diagonal(sim, -np.inf)
    assert (ks.y[sim.argmax(1)] == ks.y).mean() > 0.95


def test_feature_embedder_averages_its_time_crops():
    from signlookup.features import canonical_poses
    from signlookup.features.pipeline import DEFAULT_TIME_CROPS
    from signlookup.index.base import normalise_rows
    from signlookup.pose.preprocess import crop_time

    seqs = [fake_sequence(seed=s, frames=30 + 5 * s) for s in range(3)]
    whole = FeatureEmbedder(time_crops=((0.0, 1.0),))
    spec = whole.spec
    points, mask = canonical_poses(seqs, spec)
    views = [pool_groups(frame_features(*crop_time(points, mask, a, b)), spec.weights)
             for a, b in DEFAULT_TIME_CROPS]  # fmt: skip
    expected = normalise_rows(np.mean(views, axis=0))
    np.testing.assert_allclose(FeatureEmbedder().embed(seqs), expected, atol=1e-5)
    np.testing.assert_allclose(whole.embed(seqs), pooled_features(seqs, spec), atol=1e-6)
    assert whole.content_hash != FeatureEmbedder().content_hash  # another vector, another space

"""Issue 12's pieces: signer-invariance transforms, pre-training, seed ensembles, test-time."""

import json

import numpy as np
import pytest
from conftest import fake_sequence

torch = pytest.importorskip("torch")
pytest.importorskip("pytorch_metric_learning")

from signlookup.encoder.bundle import load_bundled_embedder  # noqa: E402
from signlookup.features import FRAME_DIM, canonical_poses  # noqa: E402
from signlookup.features import jitter as A  # noqa: E402
from signlookup.pose.layout import RIGHT_HAND, point  # noqa: E402
from training.sign_encoder.config import TrainConfig  # noqa: E402
from training.sign_encoder.data import PoseData  # noqa: E402
from training.sign_encoder.export import export_bundle  # noqa: E402
from training.sign_encoder.model import EnsembleEncoder  # noqa: E402
from training.sign_encoder.pretrain import pretrain  # noqa: E402
from training.sign_encoder.query_time import (  # noqa: E402
    alpha_qe,
    dba,
    k_reciprocal,
    plain,
    seed_ensembles,
)
from training.sign_encoder.train import Encoder, feature_spec  # noqa: E402

TINY = dict(d_model=16, layers=1, heads=2, ff=32, embedding_size=8, length=16)


@pytest.fixture(scope="module")
def poses():
    cfg = TrainConfig(length=16)
    return canonical_poses([fake_sequence(seed=s) for s in range(6)], feature_spec(cfg))


def _length(points, a, b):
    return np.linalg.norm(points[:, :, point(a)] - points[:, :, point(b)], axis=-1)


def test_other_body_with_no_change_is_the_identity(poses):
    pts, _ = poses
    out = A.other_body(pts, np.random.default_rng(0), 0.0, 0.0, 0.0)
    np.testing.assert_allclose(out, pts, atol=1e-6)


def test_other_body_rescales_bones_and_carries_the_hand_along(poses):
    pts, _ = poses
    out = A.other_body(
        pts, np.random.default_rng(1), bone_scale=0.3, shoulder_width=0.2, hand_size=0.0
    )
    ratio = _length(out, "RIGHT_ELBOW", "RIGHT_WRIST") / _length(pts, "RIGHT_ELBOW", "RIGHT_WRIST")
    per_clip = ratio.mean(axis=1)
    assert np.allclose(ratio, per_clip[:, None], atol=1e-4)  # one body per clip, every frame
    assert not np.allclose(per_clip, 1.0) and ((per_clip > 0.69) & (per_clip < 1.31)).all()
    # the hand keeps its shape: it moves with the wrist, rigidly
    assert np.abs(out[:, :, RIGHT_HAND] - pts[:, :, RIGHT_HAND]).max() > 1e-3
    hand = out[:, :, RIGHT_HAND] - out[:, :, RIGHT_HAND][:, :, :1]
    np.testing.assert_allclose(hand, pts[:, :, RIGHT_HAND] - pts[:, :, RIGHT_HAND][:, :, :1],
                               atol=1e-5)  # fmt: skip
    np.testing.assert_allclose(out[..., 1][:, :, point("NOSE")], pts[..., 1][:, :, point("NOSE")])


def test_yaw_turns_only_in_the_horizontal_plane(poses):
    pts, _ = poses
    np.testing.assert_allclose(A.yaw(pts, np.zeros(len(pts))), pts, atol=1e-6)
    turned = A.yaw(pts, np.full(len(pts), np.deg2rad(20)))
    np.testing.assert_allclose(turned[..., 1], pts[..., 1], atol=1e-6)  # height kept
    assert np.abs(turned[..., 0] - pts[..., 0]).max() > 0.01
    # the shoulders stay symmetric about the body's axis: the turn is about the body itself
    mid = (turned[:, :, point("LEFT_SHOULDER"), 0] + turned[:, :, point("RIGHT_SHOULDER"), 0]) / 2
    assert np.abs(mid).max() < 0.1


def test_a_pause_keeps_length_and_the_clip_ends(poses):
    pts, mask = poses
    which = np.array([True, False, True, False, True, False])
    out, out_mask = A.insert_pause(pts, mask, which, np.random.default_rng(0))
    assert out.shape == pts.shape and out_mask.shape == mask.shape
    np.testing.assert_array_equal(out[~which], pts[~which])
    np.testing.assert_array_equal(out[which][:, 0], pts[which][:, 0])
    np.testing.assert_array_equal(out[which][:, -1], pts[which][:, -1])
    held = [np.any(np.all(out[i, 1:] == out[i, :-1], axis=(1, 2))) for i in np.flatnonzero(which)]
    assert all(held)


def _tiny_encoder(poses, seed=0):
    torch.manual_seed(seed)
    pts, mask = poses
    data = PoseData(pts, mask, np.array(list("aabbcc")), np.array(["s"] * 6), np.arange(6))
    return Encoder(TrainConfig(**TINY, seed=seed), data)


def test_pretraining_moves_the_encoder_and_leaves_it_the_same_shape(poses):
    enc = _tiny_encoder(poses)
    before = [p.detach().clone() for p in enc.model.parameters()]
    cfg = TrainConfig(**TINY, pretrain_steps=3, pretrain_batch=4)
    pretrain(enc.model, enc.inputs, *poses, cfg, log=lambda m: None)
    assert any(not torch.equal(a, b) for a, b in zip(before, enc.model.parameters(), strict=True))
    out = enc.embed(*poses)
    assert out.shape == (6, 8)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_ensemble_cosine_is_the_members_mean_cosine(poses):
    members = [_tiny_encoder(poses, seed=s).model.eval() for s in range(3)]
    ens = EnsembleEncoder(members).eval()
    x = torch.randn(4, 16, FRAME_DIM)
    with torch.inference_mode():
        e = ens(x)
        cos = [(m(x) @ m(x).T) for m in members]
    torch.testing.assert_close(e.norm(dim=1), torch.ones(4))
    torch.testing.assert_close(e @ e.T, sum(cos) / 3, atol=1e-5, rtol=1e-5)


def test_an_ensemble_bundle_loads_in_the_app_with_its_wider_output(poses, tmp_path):
    members = [_tiny_encoder(poses, seed=s).model for s in range(2)]
    cfg = TrainConfig(**TINY, ensemble=2)
    path = tmp_path / "models" / "sign_encoder.pt"
    export_bundle(EnsembleEncoder(members), cfg, path, ["fake"], {})
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["embedding_size"] == 16 and meta["ensemble"]["members"] == 2
    emb = load_bundled_embedder(path, fusion=False)
    out = emb.embed([fake_sequence(seed=9)])
    assert out.shape == (1, 16)


def test_test_time_rerankers_rank_a_clean_cluster_first():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((5, 32))
    g = centres.repeat(4, axis=0) + 0.3 * rng.standard_normal((20, 32))
    q = centres + 0.3 * rng.standard_normal((5, 32))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    labels = np.arange(5).repeat(4)
    for fn in (plain, alpha_qe, dba, lambda a, b: k_reciprocal(a, b, k1=4, k2=2)):
        s = fn(q, g)
        assert s.shape == (5, 20)
        assert (labels[s.argmax(axis=1)] == np.arange(5)).all()


def test_seed_ensembles_average_the_cosines_of_saved_seeds(tmp_path):
    rng = np.random.default_rng(0)
    base = dict(features=rng.random((4, 3)), features_mirror=rng.random((4, 3)),
                labels=np.array(list("aabb")), sets=np.array(["s"] * 4), takes=np.arange(4))  # fmt: skip
    vecs = []
    for seed in range(2):
        m = rng.standard_normal((4, 5))
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        vecs.append(m)
        np.savez(tmp_path / f"cfg__split__s{seed}.npz", model=m, model_mirror=m, **base)
    (out,) = seed_ensembles(sorted(tmp_path.glob("*.npz")))
    assert out.name == "cfg__split__ens2.npz"
    e = np.load(out)["model"]
    np.testing.assert_allclose(e @ e.T, (vecs[0] @ vecs[0].T + vecs[1] @ vecs[1].T) / 2, atol=1e-6)


def test_a_bundle_with_time_crops_embeds_the_mean_of_the_cropped_clips(poses, tmp_path):
    from signlookup.encoder.bundle import ModelBundleError, mean_of_units
    from signlookup.features import model_input
    from signlookup.pose.preprocess import crop_time

    model = _tiny_encoder(poses).model.eval()
    crops = [[0.0, 1.0], [0.0, 0.85], [0.15, 1.0]]
    paths = {}
    for name, tta in (("whole", [[0.0, 1.0]]), ("crops", crops)):
        paths[name] = tmp_path / name / "sign_encoder.pt"
        export_bundle(model, TrainConfig(**{**TINY, "tta_crops": tta}), paths[name], ["fake"], {})
    emb = load_bundled_embedder(paths["crops"], fusion=False)
    pts, mask = poses
    with torch.inference_mode():
        want = mean_of_units([model(torch.from_numpy(model_input(*crop_time(pts, mask, a, b)))).numpy()
                              for a, b in crops])  # fmt: skip
    np.testing.assert_allclose(emb.embed_poses(pts, mask), want, atol=1e-5)
    whole = load_bundled_embedder(paths["whole"], fusion=False)
    assert not np.allclose(whole.embed_poses(pts, mask), want, atol=1e-4)
    assert whole.content_hash != emb.content_hash  # another vector per clip: galleries re-embed
    fused = load_bundled_embedder(paths["crops"])
    assert fused.embed([fake_sequence(seed=3)]).shape == (1, fused.dim)

    side = paths["crops"].with_suffix(".json")
    meta = json.loads(side.read_text())
    meta["test_time"]["time_crops"] = [[0.5, 0.2]]
    side.write_text(json.dumps(meta))
    with pytest.raises(ModelBundleError, match="time crops"):
        load_bundled_embedder(paths["crops"])


def test_crop_time_keeps_length_and_takes_the_asked_share(poses):
    from signlookup.pose.preprocess import crop_time

    pts, mask = poses
    out, out_mask = crop_time(pts, mask, 0.0, 1.0)
    np.testing.assert_allclose(out, pts, atol=1e-6)
    late, _ = crop_time(pts, mask, 0.5, 1.0)
    assert late.shape == pts.shape and out_mask.shape == mask.shape
    np.testing.assert_allclose(late[:, 0], pts[:, (pts.shape[1] - 1) // 2], atol=0.2)
    np.testing.assert_allclose(late[:, -1], pts[:, -1], atol=1e-6)

"""Training pieces: P-K sampler, losses, augmentation, and a short real open-set run."""

import dataclasses

import numpy as np
import pytest
from conftest import KEYPOINTS, fake_sequence, need

torch = pytest.importorskip("torch")
pytest.importorskip("pytorch_metric_learning")

from signlookup.features import canonical_poses  # noqa: E402
from training.sign_encoder import data as D  # noqa: E402
from training.sign_encoder.augment import augment  # noqa: E402
from training.sign_encoder.config import TrainConfig  # noqa: E402
from training.sign_encoder.losses import LOSSES, MetricLoss  # noqa: E402
from training.sign_encoder.model import TwoStreamSTGCN, gcn_inputs  # noqa: E402
from training.sign_encoder.sampler import PKSampler  # noqa: E402
from training.sign_encoder.train import feature_spec, train  # noqa: E402


def test_pk_sampler_gives_p_classes_with_k_clips_each_reproducibly():
    labels = np.repeat(np.arange(10), 5)
    a = PKSampler(labels, p=4, k=3, seed=1)
    b = PKSampler(labels, p=4, k=3, seed=1)
    for _ in range(5):
        batch = a.batch()
        assert batch.tolist() == b.batch().tolist()
        classes, counts = np.unique(labels[batch], return_counts=True)
        assert len(classes) == 4 and (counts == 3).all()
        assert len(set(batch.tolist())) == 12  # no clip twice when a class has enough


def test_pk_sampler_refuses_k_of_one():
    with pytest.raises(ValueError, match="no positives"):
        PKSampler(np.arange(4), p=2, k=1)


@pytest.mark.parametrize("loss", LOSSES)
def test_losses_are_finite_and_class_weights_are_trainable(loss):
    cfg = TrainConfig(loss=loss, embedding_size=8)
    fn = MetricLoss(cfg, num_classes=3)
    emb = torch.nn.functional.normalize(torch.randn(9, 8, requires_grad=True), dim=-1)
    value = fn(emb, torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2]))
    assert torch.isfinite(value) and value.item() > 0
    has_weights = "arcface" in loss or loss == "proxynca"
    assert (len(list(fn.parameters())) > 0) == has_weights


def test_augmentation_keeps_shapes_and_is_seeded():
    cfg = TrainConfig(length=16)
    pts, mask = canonical_poses([fake_sequence(seed=s) for s in range(6)], feature_spec(cfg))
    a = augment(pts, mask, cfg, np.random.default_rng(0))
    b = augment(pts, mask, cfg, np.random.default_rng(0))
    assert a[0].shape == pts.shape and a[1].shape == mask.shape
    np.testing.assert_array_equal(a[0], b[0])
    assert np.isfinite(a[0]).all() and not np.array_equal(a[0], pts)


def test_stgcn_embeds_unit_vectors():
    cfg = TrainConfig(length=16, gcn_channels=8, embedding_size=8)
    pts, mask = canonical_poses([fake_sequence(seed=s) for s in range(2)], feature_spec(cfg))
    pose, hands = gcn_inputs(pts, mask)
    assert pose.shape == (2, 12, 16, 13) and hands.shape == (2, 12, 16, 42)
    out = TwoStreamSTGCN(cfg).eval()(torch.from_numpy(pose), torch.from_numpy(hands))
    torch.testing.assert_close(out.norm(dim=1), torch.ones(2))


def test_a_short_real_run_improves_open_set_map():
    """~15 s on an idle 2-core CPU: 80 steps of a 1-layer model on a third of the takes."""
    need(KEYPOINTS / "libras_bberaldo.npz")
    need(KEYPOINTS / "asl_traduttore.npz")
    cfg = TrainConfig(d_model=64, layers=1, heads=2, ff=128, embedding_size=64, p_classes=16,
                      steps=80, eval_every=80, length=16,
                      sets=["asl_traduttore", "libras_bberaldo"], seed=0)  # fmt: skip
    data = D.load_sets(cfg.sets, feature_spec(cfg))
    _, test = D.open_set_split(data, seed=0)  # whole signs never trained on, from both sets
    keep = data.takes % 3 == 0  # a third of the takes keeps the run short
    tr, te = data.subset(np.flatnonzero(~test & keep)), data.subset(np.flatnonzero(test & keep))
    torch.manual_seed(0)
    _, history = train(dataclasses.replace(cfg), tr, te, log=lambda m: None)
    start, end = history[0]["model"]["mean_map"], history[-1]["model"]["mean_map"]
    assert end > start + 0.02, (start, end)

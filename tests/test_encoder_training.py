"""Training pieces: P-K sampler, losses, augmentation, and a short real open-set run."""

import dataclasses

import numpy as np
import pytest
from conftest import FIXTURE_KEYPOINTS, fake_sequence

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
def test_losses_are_finite_and_train_the_embeddings_and_class_weights(loss):
    cfg = TrainConfig(loss=loss, embedding_size=8)
    torch.manual_seed(0)
    fn = MetricLoss(cfg, num_classes=3)
    raw = torch.randn(9, 8, requires_grad=True)  # stands in for the encoder's output
    labels = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2])
    weights = list(fn.parameters())
    assert (len(weights) > 0) == ("arcface" in loss or loss == "proxynca")
    before = [w.detach().clone() for w in weights]
    optimiser = torch.optim.SGD([raw, *weights], lr=0.5)
    values = []
    for _ in range(20):
        optimiser.zero_grad()
        value = fn(torch.nn.functional.normalize(raw, dim=-1), labels)
        assert torch.isfinite(value) and value.item() > 0
        value.backward()
        optimiser.step()
        values.append(value.item())
    assert values[-1] < 0.9 * values[0], values  # a few steps of SGD lower it
    for w, w0 in zip(weights, before, strict=True):
        assert not torch.equal(w, w0)  # the class weights (arcface, proxies) learn too


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
    """~6 s on an idle 2-core CPU: 160 steps of a 1-layer model on the carried asl_traduttore takes
    (8 a class), tested on whole signs it never trained on."""
    cfg = TrainConfig(d_model=64, layers=1, heads=2, ff=128, embedding_size=64, p_classes=16,
                      steps=160, eval_every=160, length=16, sets=["asl_traduttore"], seed=0)  # fmt: skip
    data = D.load_sets(cfg.sets, feature_spec(cfg), root=FIXTURE_KEYPOINTS)
    train_mask, test = D.open_set_split(data, seed=0)  # 30% of the classes held out
    tr, te = data.subset(np.flatnonzero(train_mask)), data.subset(np.flatnonzero(test))
    assert not set(tr.labels) & set(te.labels)
    torch.manual_seed(0)
    _, history = train(dataclasses.replace(cfg), tr, te, log=lambda m: None)
    start, end = history[0]["model"]["mean_map"], history[-1]["model"]["mean_map"]
    # Measured 0.877 -> 0.934 here (split seed 1: 0.917 -> 0.946); untrained, the random encoder
    # already ranks these 10 held-out classes well, so the bar is a gain, not a level.
    assert end > start + 0.03, (start, end)

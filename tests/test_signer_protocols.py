"""The cross-signer protocol runner (training/sign_encoder/signers.py) on hand-computed tables."""

import numpy as np
import pytest

from training.sign_encoder import signers as S

# signer A signs x and y cleanly; signer B's y lies between x and y
VECTORS = np.array([[1, 0], [0, 1], [1, 0], [0.8, 0.6]], np.float32)
LABELS = np.array(["x", "y", "x", "y"])
SIGNERS = np.array(["A", "A", "B", "B"])


def test_leave_signers_out_per_signer_and_worst_signer():
    out = S.leave_signers_out(VECTORS, LABELS, SIGNERS)
    # A against B's takes: x finds B's x (1.0 > 0.8), y finds B's y (0.6 > 0): both at rank 1.
    assert out["per_signer"]["A"]["map"] == 1.0 and out["per_signer"]["A"]["hit@1"] == 1.0
    # B against A's: x at rank 1; B's y scores A's x 0.8, A's y 0.6: its sign is 2nd.
    b = out["per_signer"]["B"]
    assert b["map"] == pytest.approx(0.75) and b["hit@1"] == 0.5 and b["hit@5"] == 1.0
    assert b["mrr"] == pytest.approx(0.75) and b["dcg"] == pytest.approx((1 + 1 / np.log2(3)) / 2)
    assert out["worst_signer"] == "B" and out["worst"]["map"] == pytest.approx(0.75)
    assert out["mean"]["map"] == pytest.approx(0.875)


def test_one_shot_uses_one_take_per_sign_by_one_other_signer():
    # two takes of each sign by B: whichever is drawn, A's queries see one x and one y of B's
    vectors = np.concatenate([VECTORS, [[1, 0], [0, 1]]]).astype(np.float32)
    labels = np.concatenate([LABELS, ["x", "y"]])
    signers = np.concatenate([SIGNERS, ["B", "B"]])
    out = S.one_shot_signers(vectors, labels, signers)
    assert out["per_signer"]["A"]["map"] == 1.0
    # B's queries against A's single takes: its x, its clean y at rank 1, its mixed y at rank 2
    assert out["per_signer"]["B"]["hit@1"] == pytest.approx(3 / 4)


def test_halves_split_each_class_by_take_order():
    labels = np.array(["a", "a", "b", "b", "a", "a"])
    takes = np.array([3, 0, 1, 2, 1, 2])
    g, q = S.halves(labels, takes)
    assert sorted(g.tolist()) == [1, 2, 4] and sorted(q.tolist()) == [0, 3, 5]

"""The gislr-signers experiment (training/sign_encoder/gislr_signers.py): folds, labels, scoring."""

import numpy as np
import pytest

pytest.importorskip("torch")  # the experiment trains: training extras only
pytest.importorskip("pytorch_metric_learning")

from training.sign_encoder import gislr_signers as G
from training.sign_encoder import signers as S


def test_folds_hold_out_consecutive_numeric_ids_and_cover_every_signer_once():
    ids = np.array([str(i) for i in (30, 4, 200, 5, 61, 7, 8)] * 2)  # repeated: one per take
    folds = G.signer_folds(ids, 3)
    # sorted by number (4 < 5 < 7 < 8 < 30 < 61 < 200), not as text ("200" < "30" < "4")
    assert [f.tolist() for f in folds] == [["4", "5", "7"], ["8", "30"], ["61", "200"]]
    flat = np.concatenate(folds)
    assert sorted(flat.tolist()) == sorted(set(ids.tolist())) and len(flat) == len(set(flat))


def test_labels_merge_into_asl_traduttore_classes_or_stay_gislr_own():
    y = np.array(["hello", "thankyou", "hello"])
    merged = G.gislr_labels(y, merge=True)
    assert merged.tolist() == ["asl_traduttore/hello", "asl_traduttore/thank-you",
                               "asl_traduttore/hello"]  # fmt: skip
    assert G.gislr_labels(y, merge=False).tolist() == [
        "gislr_asl_2signs/hello", "gislr_asl_2signs/thankyou", "gislr_asl_2signs/hello"
    ]  # fmt: skip


def test_held_out_signers_are_queried_only_against_other_held_out_signers():
    # C and D are held out; A (trained on) has an x exactly where C's y lies, so C's y would
    # find x first if A's takes were in its gallery
    vectors = np.array([[0.8, 0.6], [0, 1], [1, 0], [0.8, 0.6], [1, 0], [0.6, 0.8]], np.float32)
    labels = np.array(["x", "y", "x", "y", "x", "y"])
    signers = np.array(["A", "A", "C", "C", "D", "D"])
    takes = S.Takes([], labels, signers, np.arange(6))
    out = G.gislr_held_out(vectors, takes, np.array(["C", "D"]))
    assert set(out["per_signer"]) == {"C", "D"}
    # C's y (0.8, 0.6) scores D's x 0.8, D's y 0.96: rank 1 among D's takes alone
    assert out["per_signer"]["C"]["hit@1"] == 1.0


def test_headline_pools_gislr_signers_over_folds_and_averages_unseen_sets():
    gislr = [{"per_signer": {"a": {"map": 1.0, "hit@1": 1.0}}},
             {"per_signer": {"b": {"map": 0.5, "hit@1": 0.0}}}]  # fmt: skip

    def unseen(x: float) -> dict:
        m = {"map": x, "hit@1": x}
        return {"ufpb_signers": {"mean": m, "worst": m}, "ufpb_one_shot": {"mean": m},
                "bberaldo": {"halves": m, "one_shot": m},
                "real_clips": {"mrr": x, "hit@1": x, "hit@5": x}}  # fmt: skip

    h = G.headline([unseen(0.2), unseen(0.4)], gislr)
    assert h["gislr held-out mAP"] == pytest.approx(0.75) and h["gislr worst mAP"] == 0.5
    assert h["ufpb mAP"] == pytest.approx(0.3) and h["real clips hit@5"] == pytest.approx(0.3)

import math

import numpy as np
import pytest

from signlookup.encoder.metrics import (
    average_precision,
    first_hit_rank,
    hit_at_k,
    per_group_metrics,
    relevance_from_scores,
    retrieval_metrics,
    score_embeddings,
)


def test_average_precision_against_hand_computed_values():
    # relevant at ranks 1, 3, 6: precisions 1/1, 2/3, 3/6 -> mean 0.7222
    assert average_precision(np.array([1, 0, 1, 0, 0, 1], bool)) == pytest.approx(
        (1 + 2 / 3 + 3 / 6) / 3
    )
    assert average_precision(np.array([0, 1], bool)) == pytest.approx(0.5)
    assert math.isnan(average_precision(np.array([0, 0], bool)))


def test_hit_at_k_and_first_hit_rank():
    r = np.array([0, 0, 1, 0, 1], bool)
    assert [hit_at_k(r, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]
    assert first_hit_rank(r) == 3 and first_hit_rank(np.zeros(3, bool)) == 0


def test_metrics_of_a_hand_built_ranking_table():
    # gallery labels a a b c; two queries (a, b) with hand-set scores
    scores = np.array([[0.9, 0.1, 0.8, 0.2],   # ranking a b c a -> rel 1 0 0 1
                       [0.5, 0.6, 0.4, 0.7]])  # ranking c a a b -> rel 0 0 0 1  # fmt: skip
    rankings = relevance_from_scores(scores, ["a", "b"], ["a", "a", "b", "c"])
    assert [r.tolist() for r in rankings] == [[1, 0, 0, 1], [0, 0, 0, 1]]
    m = retrieval_metrics(rankings, ks=(1, 2, 4))
    ap_a = (1 / 1 + 2 / 4) / 2  # 0.75
    ap_b = 1 / 4
    assert m["map"] == pytest.approx((ap_a + ap_b) / 2)
    assert m["hit@1"] == pytest.approx(0.5)
    assert m["hit@2"] == pytest.approx(0.5)
    assert m["hit@4"] == pytest.approx(1.0)
    # first hits at ranks 1 and 4
    assert m["mrr"] == pytest.approx((1 + 1 / 4) / 2)
    assert m["dcg"] == pytest.approx((1 + 1 / math.log2(5)) / 2)
    assert m["n_queries"] == 2 and m["n_queries_without_match"] == 0


def test_per_signer_metrics_and_the_worst_signer():
    # signer s1 asks a (ranks: relevant at 1 and 4), s2 asks b (at 4), s1 again asks c (at 2)
    rankings = [np.array(r, bool) for r in ([1, 0, 0, 1], [0, 0, 0, 1], [0, 1, 0, 0])]
    out = per_group_metrics(rankings, ["s1", "s2", "s1"], ks=(1, 5))
    s1, s2 = out["per_group"]["s1"], out["per_group"]["s2"]
    assert s1["map"] == pytest.approx((0.75 + 0.5) / 2) and s1["hit@1"] == 0.5
    assert s1["mrr"] == pytest.approx((1 + 1 / 2) / 2)
    assert s2["map"] == pytest.approx(0.25) and s2["hit@5"] == 1.0
    assert out["worst_group"] == "s2" and out["worst"] is s2
    with pytest.raises(ValueError):
        per_group_metrics(rankings, ["s1"])


def test_queries_without_a_match_are_counted_apart():
    rankings = relevance_from_scores(np.ones((2, 2)), ["a", "z"], ["a", "b"])
    m = retrieval_metrics(rankings, ks=(1,))
    # the tie puts "b" before "a": rank 2
    assert m["n_queries"] == 1 and m["n_queries_without_match"] == 1 and m["map"] == 0.5


def test_exclude_self_drops_the_query_from_its_own_ranking():
    v = np.eye(3, dtype=np.float32)
    v[2] = v[0]  # item 2 duplicates item 0
    m = score_embeddings(v, v, ["a", "b", "a"], ["a", "b", "a"], ks=(1,), exclude_self=True)
    # query 0 finds 2 first, query 2 finds 0 first, query 1 has no other "b"
    assert m["n_queries"] == 2 and m["hit@1"] == 1.0 and m["map"] == 1.0
    assert m["n_gallery"] == 3


def test_ties_count_against_the_scorer():
    rankings = relevance_from_scores(np.zeros((1, 3)), ["b"], ["a", "b", "c"])
    assert rankings[0].tolist() == [False, False, True]
    # a higher score still wins over a tie
    rankings = relevance_from_scores(np.array([[0.0, 0.5, 0.0]]), ["b"], ["a", "b", "c"])
    assert rankings[0].tolist() == [True, False, False]


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="do not match"):
        relevance_from_scores(np.zeros((2, 3)), ["a"], ["a", "b", "c"])

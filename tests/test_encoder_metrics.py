import math

import numpy as np
import pytest

from signlookup.encoder.metrics import (
    average_precision,
    recall_at_k,
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


def test_recall_at_k_is_a_hit_rate():
    r = np.array([0, 0, 1, 0], bool)
    assert [recall_at_k(r, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]


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
    assert m["recall@1"] == pytest.approx(0.5)
    assert m["recall@2"] == pytest.approx(0.5)
    assert m["recall@4"] == pytest.approx(1.0)
    assert m["n_queries"] == 2 and m["n_queries_without_match"] == 0


def test_queries_without_a_match_are_counted_apart():
    rankings = relevance_from_scores(np.ones((2, 2)), ["a", "z"], ["a", "b"])
    m = retrieval_metrics(rankings, ks=(1,))
    assert m["n_queries"] == 1 and m["n_queries_without_match"] == 1 and m["map"] == 1.0


def test_exclude_self_drops_the_query_from_its_own_ranking():
    v = np.eye(3, dtype=np.float32)
    v[2] = v[0]  # item 2 duplicates item 0
    m = score_embeddings(v, v, ["a", "b", "a"], ["a", "b", "a"], ks=(1,), exclude_self=True)
    # query 0 finds 2 first, query 2 finds 0 first, query 1 has no other "b"
    assert m["n_queries"] == 2 and m["recall@1"] == 1.0 and m["map"] == 1.0
    assert m["n_gallery"] == 3


def test_ties_keep_gallery_order():
    rankings = relevance_from_scores(np.zeros((1, 3)), ["b"], ["a", "b", "c"])
    assert rankings[0].tolist() == [False, True, False]


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="do not match"):
        relevance_from_scores(np.zeros((2, 3)), ["a"], ["a", "b", "c"])

"""A sign's score from all its takes: the soft maximum and the look-up metrics that read it
(the search's use of it: tests/test_search.py)."""

from __future__ import annotations

import numpy as np
import pytest

from signlookup.encoder.metrics import rank_queries, retrieval_metrics, sign_ranks
from signlookup.index.sign_score import sign_scores


def test_a_sign_held_once_scores_its_take():
    got = sign_scores(np.array([[0.7, 0.2, -0.1]]), np.array([0, 1, 2]), np.array([1, 1, 1]))
    np.testing.assert_allclose(got, [[0.7, 0.2, -0.1]])


def test_every_close_take_outranks_one_lucky_take():
    # sign 0: three close takes; sign 1: one take a little closer, its others far
    scores = np.array([[0.70, 0.69, 0.68, 0.72, 0.20, 0.10]])
    signs = np.array([0, 0, 0, 1, 1, 1])
    got = sign_scores(scores, signs, np.array([3, 3]))[0]
    assert got[0] > got[1]  # the best take alone would rank sign 1 first
    assert got[0] <= 0.70 and got[1] <= 0.72  # never above the best take


def test_more_takes_alone_do_not_raise_a_sign():
    scores = np.array([[0.6, 0.6, 0.6, 0.6, 0.6]])
    got = sign_scores(scores, np.array([0, 1, 1, 1, 1]), np.array([1, 4]))[0]
    assert got[0] == pytest.approx(got[1])


def test_a_window_divides_by_every_take_of_the_sign():
    full = np.array([[0.8, 0.5, 0.4, 0.3]])
    signs = np.array([0, 0, 0, 1])
    exact = sign_scores(full, signs, np.array([3, 1]))[0]
    # only the two best entries scored; sign 0's third take lies outside the window
    windowed = sign_scores(full[:, :2], signs[:2], np.array([3, 1]))[0]
    assert windowed[0] <= exact[0] and windowed[0] == pytest.approx(exact[0], abs=0.01)
    assert windowed[1] == -np.inf  # no take of sign 1 scored
    ignored = sign_scores(full, np.array([0, 0, -1, 1]), np.array([3, 1]))[0]
    assert ignored[0] == pytest.approx(windowed[0])


def test_sign_ranks_count_each_sign_once_and_ties_against():
    scores = np.array([[0.9, 0.8, 0.7, 0.6], [0.5, 0.5, 0.5, 0.5]])
    labels = ["a", "a", "b", "c"]
    ranks = sign_ranks(scores, ["b", "c"], labels)
    assert ranks.tolist() == [2, 3]  # b after a (once, not twice); c ties with all: last
    rankings, by_sign = rank_queries(scores, ["b", "c"], labels)
    m = retrieval_metrics(rankings, (1, 2), by_sign)
    assert m["hit@2"] == 0.5 and m["mrr"] == pytest.approx((1 / 2 + 1 / 3) / 2)
    # the first relevant take of "b" is 3rd among takes, 2nd among signs
    assert retrieval_metrics(rankings, (1, 2))["hit@2"] == 0.0
    assert sign_ranks(scores, ["z", "a"], labels).tolist() == [0, 3]  # absent; all tied


def test_sign_ranks_leave_the_query_itself_out():
    vectors = np.eye(3)
    labels = ["a", "a", "b"]
    ranks = sign_ranks(vectors @ vectors.T, labels, labels, exclude_self=True)
    assert ranks.tolist() == [2, 2, 0]  # "b" held once: nothing left to find

"""Pairwise and cluster metrics on hand-made clusters."""

from __future__ import annotations

import pytest

from transforms.resolve.evaluate import cluster_scores, evaluate, pairwise_scores


def test_perfect_resolution_scores_one() -> None:
    pred = ["a", "a", "b", "c"]
    truth = ["x", "x", "y", "z"]
    assert pairwise_scores(pred, truth).f1 == 1.0
    assert cluster_scores(pred, truth).f1 == 1.0


def test_one_false_merge_costs_precision_not_recall() -> None:
    # true: {1,2}, {3}; predicted: {1,2,3} -> 3 predicted pairs, 1 right.
    s = pairwise_scores(["a", "a", "a"], ["x", "x", "y"])
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == 1.0
    assert s.f1 == pytest.approx(0.5)


def test_one_missed_link_costs_recall_not_precision() -> None:
    # true: {1,2,3}; predicted {1,2}, {3} -> 1 of 3 true pairs found, no false pair.
    s = pairwise_scores(["a", "a", "b"], ["x", "x", "x"])
    assert s.precision == 1.0
    assert s.recall == pytest.approx(1 / 3)


def test_cluster_level_counts_exact_entities_only() -> None:
    pred = ["a", "a", "b", "c", "c"]
    truth = ["x", "x", "y", "y", "z"]
    s = cluster_scores(pred, truth)
    # exact predicted clusters: {0,1} only, of 3 predicted and 3 true.
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == pytest.approx(1 / 3)


def test_all_singletons_have_full_precision_and_no_recall() -> None:
    s = pairwise_scores(["a", "b"], ["x", "x"])
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)


def test_evaluate_reports_counts_and_rejects_misaligned_input() -> None:
    m = evaluate(["a", "a", "b"], ["x", "x", "y"])
    assert m["records"] == 3 and m["entities"] == 2 and m["true_entities"] == 2
    with pytest.raises(ValueError, match="aligned"):
        evaluate(["a"], ["x", "y"])

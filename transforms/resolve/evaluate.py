"""Accuracy of a resolution against the truth: pairwise and cluster-level precision, recall and F1.

Pure functions over two aligned sequences, the predicted and the true entity of each record. Pairwise counts come
from cluster sizes (n choose 2), so no pair is ever materialized.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _scores(hits: int, predicted: int, actual: int) -> Scores:
    # Nothing predicted is never a wrong prediction; nothing to find is always found.
    precision = hits / predicted if predicted else 1.0
    recall = hits / actual if actual else 1.0
    return Scores(precision, recall, _f1(precision, recall))


def pairwise_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> Scores:
    """Over all record pairs: precision = same predicted & same true / same predicted; recall likewise over true."""
    if len(predicted) != len(truth):
        raise ValueError(f"predicted has {len(predicted)} records, truth {len(truth)}: they must be aligned")
    both = sum(_pairs(n) for n in Counter(zip(predicted, truth, strict=True)).values())
    return _scores(
        both,
        sum(_pairs(n) for n in Counter(predicted).values()),
        sum(_pairs(n) for n in Counter(truth).values()),
    )


def cluster_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> Scores:
    """Over whole entities: a predicted cluster is right when it holds exactly the records of one true entity."""
    if len(predicted) != len(truth):
        raise ValueError(f"predicted has {len(predicted)} records, truth {len(truth)}: they must be aligned")
    pred_members: dict[Hashable, set[int]] = {}
    true_members: dict[Hashable, set[int]] = {}
    for i, (p, t) in enumerate(zip(predicted, truth, strict=True)):
        pred_members.setdefault(p, set()).add(i)
        true_members.setdefault(t, set()).add(i)
    true_sets = {frozenset(s) for s in true_members.values()}
    exact = sum(1 for s in pred_members.values() if frozenset(s) in true_sets)
    return _scores(exact, len(pred_members), len(true_members))


def evaluate(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> dict[str, float | int]:
    """The figures ``grassroots eval`` prints for one entity kind."""
    pair = pairwise_scores(predicted, truth)
    cluster = cluster_scores(predicted, truth)
    return {
        "precision": pair.precision,
        "recall": pair.recall,
        "f1": pair.f1,
        "cluster_precision": cluster.precision,
        "cluster_recall": cluster.recall,
        "cluster_f1": cluster.f1,
        "records": len(predicted),
        "entities": len(set(predicted)),
        "true_entities": len(set(truth)),
    }

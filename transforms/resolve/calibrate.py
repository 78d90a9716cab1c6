"""Choosing the match threshold from the model's own probabilities instead of fixing one.

Treat every scored candidate pair as a match with its estimated probability p. For a threshold t the expected true
positives are the sum of p over pairs at or above t, the expected false positives the sum of 1 - p over them, the
expected false negatives the sum of p below t. The threshold chosen maximizes the expected F1 = 2TP / (2TP + FP + FN),
clamped to [floor, ceiling] so a badly trained model cannot push it to absurd values.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Calibration:
    threshold: float
    expected_precision: float
    expected_recall: float
    expected_f1: float
    candidate_pairs: int


def expected_f1_curve_sql(predictions: str) -> str:
    """For every distinct probability (descending): expected TP, FP, FN and F1 if it were the threshold."""
    return f"""
        WITH grouped AS (
            SELECT match_probability AS t, sum(match_probability) AS tp, sum(1 - match_probability) AS fp
            FROM {predictions} GROUP BY match_probability
        ),
        running AS (
            SELECT t, sum(tp) OVER w AS tp, sum(fp) OVER w AS fp
            FROM grouped WINDOW w AS (ORDER BY t DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ),
        total AS (SELECT sum(match_probability) AS all_p FROM {predictions})
        SELECT t, tp, fp, all_p - tp AS fn,
               2 * tp / nullif(2 * tp + fp + (all_p - tp), 0) AS f1
        FROM running, total
    """


def calibrate(
    con: duckdb.DuckDBPyConnection, predictions: str, floor: float = 0.5, ceiling: float = 0.99
) -> Calibration:
    """The expected-F1-maximizing threshold over ``predictions(match_probability)``."""
    row = con.execute(f"""
        SELECT greatest({floor}, least({ceiling}, t)), tp / nullif(tp + fp, 0), tp / nullif(tp + fn, 0), f1,
               (SELECT count(*) FROM {predictions})
        FROM ({expected_f1_curve_sql(predictions)})
        ORDER BY f1 DESC NULLS LAST, t DESC LIMIT 1
    """).fetchone()
    if row is None:
        return Calibration(ceiling, 1.0, 1.0, 1.0, 0)
    return Calibration(float(row[0]), float(row[1] or 0), float(row[2] or 0), float(row[3] or 0), int(row[4]))

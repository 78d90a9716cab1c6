"""Schema drift detection and the evolve / freeze / discard policies."""

from __future__ import annotations

import pytest

from extractors.drift import apply_policy, compare
from grassroots.errors import FatalError

BEFORE = [("RYBH", "String"), ("XM", "String"), ("CSRQ", "String")]


def test_no_committed_schema_is_no_drift() -> None:
    assert not compare(None, BEFORE)
    assert not compare(BEFORE, list(BEFORE))


def test_added_removed_retyped_and_probable_rename() -> None:
    report = compare(
        BEFORE, [("RYBH", "String"), ("XINGMING", "String"), ("CSRQ", "Date"), ("LXDH", "String")]
    )
    assert report.added == ["XINGMING", "LXDH"] and report.removed == ["XM"]
    assert report.retyped == [("CSRQ", "String", "Date")]
    assert report.renamed == []  # two added, one removed: not a clear rename
    rename = compare(BEFORE, [("RYBH", "String"), ("XINGMING", "String"), ("CSRQ", "String")])
    assert rename.renamed == [("XM", "XINGMING")]
    assert "renamed? XM -> XINGMING" in rename.describe()


def test_freeze_fails_with_what_changed_and_how_to_accept() -> None:
    current = [*BEFORE, ("LXDH", "String")]
    report = compare(BEFORE, current)
    with pytest.raises(FatalError, match=r"added LXDH.*--accept-drift grid\.JC_RK"):
        apply_policy(report, "freeze", "grid.JC_RK", current)
    accepted, schema = apply_policy(report, "freeze", "grid.JC_RK", current, accept=True)
    assert accepted.action == "accepted" and schema == current


def test_discard_keeps_committed_columns_and_evolve_takes_all() -> None:
    current = [("RYBH", "String"), ("LXDH", "String"), ("XM", "String")]
    report = compare(BEFORE, current)
    discarded, kept = apply_policy(report, "discard", "g.t", current)
    assert kept == [("RYBH", "String"), ("XM", "String")] and discarded.action == "discarded"
    evolved, taken = apply_policy(report, "evolve", "g.t", current)
    assert taken == current and evolved.to_json()["removed"] == ["CSRQ"]

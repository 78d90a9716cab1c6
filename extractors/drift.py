"""Schema drift: compare a source table's columns with the last committed schema and apply the declared policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.declare import Drift
from grassroots.errors import FatalError

Schema = list[tuple[str, str]]


@dataclass(frozen=True)
class DriftReport:
    """What changed between the committed schema and the source's, and what the policy did about it."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retyped: list[tuple[str, str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(
        default_factory=list
    )  # probable: one removed and one added, same type
    action: str = "none"  # none | evolved | discarded | accepted

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.retyped)

    def describe(self) -> str:
        parts = []
        if self.renamed:
            parts.append("renamed? " + ", ".join(f"{a} -> {b}" for a, b in self.renamed))
        if self.added:
            parts.append("added " + ", ".join(self.added))
        if self.removed:
            parts.append("removed " + ", ".join(self.removed))
        if self.retyped:
            parts.append("retyped " + ", ".join(f"{c} {a} -> {b}" for c, a, b in self.retyped))
        return "; ".join(parts) if parts else "none"

    def to_json(self) -> dict[str, Any]:
        if not self:
            return {}
        return {
            "added": self.added,
            "removed": self.removed,
            "retyped": [list(r) for r in self.retyped],
            "renamed": [list(r) for r in self.renamed],
            "action": self.action,
        }


def compare(committed: Schema | None, current: Schema) -> DriftReport:
    """Columns added, removed, retyped; a single removed/added pair of the same type is reported as a rename."""
    if committed is None:
        return DriftReport()
    before, after = dict(committed), dict(current)
    added = [c for c in after if c not in before]
    removed = [c for c in before if c not in after]
    retyped = [(c, before[c], after[c]) for c in after if c in before and before[c] != after[c]]
    renamed = []
    if len(added) == 1 and len(removed) == 1 and before[removed[0]] == after[added[0]]:
        renamed = [(removed[0], added[0])]
    return DriftReport(added, removed, retyped, renamed)


def apply_policy(
    report: DriftReport, policy: Drift, where: str, current: Schema, accept: bool = False
) -> tuple[DriftReport, Schema]:
    """The columns to extract under the policy, and the report with the action taken.

    freeze raises a FatalError naming the change (unless ``accept``); discard keeps only committed columns.
    """
    if not report:
        return report, current
    if accept:
        return _with_action(report, "accepted"), current
    if policy == "freeze":
        raise FatalError(
            f"schema of {where} changed and its declaration freezes it: {report.describe()}. "
            f"Check the change with the source's owner, then accept it once with "
            f"`grassroots sync --accept-drift {where}` (or declare drift='evolve' for this table)."
        )
    if policy == "discard":
        kept = [(c, t) for c, t in current if c not in set(report.added)]
        return _with_action(report, "discarded"), kept
    return _with_action(report, "evolved"), current


def _with_action(report: DriftReport, action: str) -> DriftReport:
    return DriftReport(report.added, report.removed, report.retyped, report.renamed, action)

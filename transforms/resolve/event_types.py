"""Which event types two reports of one happening may carry: the one declared compatibility map of the event rule."""

from __future__ import annotations

from functools import cache

from schemas import codes

# The police file a call under their own incident types (03xx); the grid platform files the same happening under
# a dispute, request or hazard type. Keys are police incident codes, values grid code prefixes ("01" = every
# dispute). Two grid types are never compatible with each other: a land-contract dispute is not a marriage dispute.
CROSS_REPORT: dict[str, tuple[str, ...]] = {
    "0301": (
        "0101",
        "0102",
        "0106",
        "0203",
    ),  # criminal: domestic violence, a neighbour fight, injury, a report
    "0302": ("01", "0203"),  # public order: any dispute turning into a quarrel, a complaint
    "0303": ("0106",),  # traffic accident: the damage compensation that follows
    "0304": ("01", "02"),  # call for help: any dispute or citizen request
    "0305": ("0401",),  # fire alarm: a fire hazard reported to the grid
}


@cache
def compatible_pairs() -> tuple[str, ...]:
    """Every compatible pair of distinct type codes as ``'lower|higher'``, expanded against the event_type table."""
    known = [row["code"] for row in codes.load("event_type")]
    pairs = {
        "|".join(sorted((police, grid)))
        for police, prefixes in CROSS_REPORT.items()
        for grid in known
        if grid != police and grid.startswith(prefixes)
    }
    return tuple(sorted(pairs))


def type_compatible_sql(left: str, right: str) -> str:
    """SQL true when event types ``left`` and ``right`` may describe one happening (an unknown type never rules out)."""
    listed = ", ".join(f"'{p}'" for p in compatible_pairs())
    return (
        f"({left} IS NULL OR {right} IS NULL OR {left} = {right} "
        f"OR list_contains([{listed}], least({left}, {right}) || '|' || greatest({left}, {right})))"
    )

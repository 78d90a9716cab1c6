"""What each recipient role sees of a personal value in the report and the worklists (docs/quality-report.md).

Mail is not a safe channel: citizen IDs, certificate and phone numbers are masked for every role, and sensitive
fields (special groups, health, religion) are withheld. The big-data center sees what analysts see; a source
system's owners also see names and detailed addresses, which they hold already and need to find the record.
"""

from __future__ import annotations

from typing import Literal, get_args

from grassroots.errors import FatalError
from schemas.masking import mask_sql
from schemas.model import Field

Role = Literal["center", "owner"]
ROLES: tuple[str, ...] = get_args(Role)

# Masks that no role lifts in a mailed report or attachment.
ALWAYS_MASKED = ("id", "phone")


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise FatalError(f"unknown report role {role!r}; use one of: {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def shown_value_sql(field: Field, expr: str, role: Role) -> str:
    """The text ``role`` sees of ``expr`` (a value of ``field``): masked, withheld or in full."""
    if role == "center" or field.privacy == "sensitive" or field.mask in ALWAYS_MASKED:
        return f"CAST({mask_sql(field, expr)} AS VARCHAR)"
    return f"CAST({expr} AS VARCHAR)"

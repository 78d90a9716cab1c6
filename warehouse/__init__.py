"""The topic library in DuckLake: publish in one snapshot, time travel, entity history, retention, roles.

Public API: :func:`publish`, :func:`retain`, :func:`connect`, :func:`query`, :func:`parse_as_of`; marts in
``warehouse.marts``. Layout and roles: docs/warehouse.md; how analysts open it: docs/analysts.md.
"""

from __future__ import annotations

from warehouse.access import connect, parse_as_of, query
from warehouse.publish import PublishResult, publish
from warehouse.retention import RetentionResult, retain

__all__ = ["PublishResult", "RetentionResult", "connect", "parse_as_of", "publish", "query", "retain"]

"""The data-quality report for the city's big-data center: HTML with charts, and correction worklists per system.

Build and send it through grassroots.pipeline.report; the inputs are declared by :class:`ReportInputs`.
"""

from __future__ import annotations

from grassroots.report.build import ReportContent, ReportOptions
from grassroots.report.inputs import ReportInputs
from grassroots.report.roles import ROLES, Role

__all__ = ["ROLES", "ReportContent", "ReportInputs", "ReportOptions", "Role"]

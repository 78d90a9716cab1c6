"""HTML of the report from its Jinja2 template, with charts referenced by Content-ID (mail) or data URI (browser)."""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import jinja2

from schemas import codes

TEMPLATE = "report.html.j2"


@functools.cache
def _names(table: str) -> dict[str, str]:
    return {r["code"]: f"{r['name']} {r['name_en']}" for r in codes.load(table)}


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _pct(value: Any) -> str:
    return "—" if value is None else f"{100 * float(value):.1f}%"


def _score_colour(value: float) -> str:
    """Green when clean, amber under 98 %, red under 90 %: thresholds the center reads at a glance."""
    return "#dafbe1" if value >= 0.98 else "#fff1c2" if value >= 0.90 else "#ffd8d3"


def _day(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, date) else "—"


def _minute(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else "—"


def _severity(value: str) -> str:
    return {"error": "拒收 error", "warning": "警告 warning"}.get(value, value)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("grassroots.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=_num,
        pct=_pct,
        score_colour=_score_colour,
        day=_day,
        minute=_minute,
        severity=_severity,
        system=lambda v: _names("source_system").get(v, v),
        kind=lambda v: _names("entity_kind").get(v, v),
    )
    return env


def cid_sources(cids: Mapping[str, str]) -> dict[str, str]:
    """Image sources for mail: ``cid:`` references to the message's inline parts."""
    return {name: f"cid:{cid}" for name, cid in cids.items()}


def data_uri_sources(images: Mapping[str, bytes]) -> dict[str, str]:
    """Image sources for a browser file: the PNGs themselves, so the file stands alone."""
    return {
        name: "data:image/png;base64," + base64.b64encode(png).decode("ascii") for name, png in images.items()
    }


def render_html(context: Mapping[str, Any], image_sources: Mapping[str, str]) -> str:
    return environment().get_template(TEMPLATE).render({**context, "images": dict(image_sources)})


def render_text(context: Mapping[str, Any]) -> str:
    """The plain-text part: the summary figures, for clients that do not show HTML."""
    lines = [
        str(context["title"]),
        f"Report run {context['run_id']}, generated {context['generated_at']} UTC",
        "",
    ]
    lines += [f"{s['zh']} {s['en']}: {_num(s['value'])}" for s in context["summary"]]
    lines += ["", "Worklists attached: " + (", ".join(context["worklists"].values()) or "none")]
    return "\n".join(lines) + "\n"

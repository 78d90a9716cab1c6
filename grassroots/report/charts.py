"""The report's charts as PNG bytes (matplotlib, Agg canvas): mail clients show PNGs, never scripts or SVG."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from grassroots.report.fonts import cjk_family, label

Rows = Sequence[Mapping[str, Any]]
DPI = 100
PALETTE = ("#1f6fb2", "#e07b39", "#3a9d5d", "#c23b3b", "#7b5ea7", "#8c6d31")


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)  # no pyplot: no global figure state, safe in Airflow workers
    return fig


def _font() -> dict[str, Any]:
    """Per-text font: matplotlib's rcParams are process-global, and other code may draw too."""
    family = cjk_family()
    return {"family": [family, "DejaVu Sans"]} if family else {}


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def scorecard_chart(rows: Rows) -> bytes | None:
    """Grouped bars: the four quality scores per source and entity kind."""
    dims = [
        ("completeness", "完整性"),
        ("validity", "有效性"),
        ("uniqueness", "唯一性"),
        ("consistency", "一致性"),
    ]
    rows = [r for r in rows if any(r.get(d) is not None for d, _ in dims)]
    if not rows:
        return None
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    width = 0.8 / len(dims)
    for i, (dim, zh) in enumerate(dims):
        xs = [j + i * width for j in range(len(rows))]
        ys = [math.nan if r.get(dim) is None else 100 * r[dim] for r in rows]  # no bar for no score
        ax.bar(xs, ys, width, label=label(zh, dim), color=PALETTE[i])
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(rows))])
    ax.set_xticklabels([f"{r['source']}/{r['entity_kind']}" for r in rows], fontdict=_font(), fontsize=8)
    ax.set_ylim(0, 122)  # headroom for the legend above the bars
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(label("得分 %", "score %"), fontdict=_font())
    ax.legend(prop={**_font(), "size": 8}, ncol=4, loc="upper center")
    return _png(fig)


def quarantine_chart(rows: Rows, top: int = 12) -> bytes | None:
    """Horizontal bars: quarantined records by source and rule, largest at the top."""
    rows = list(rows)[:top]
    if not rows:
        return None
    fig = _figure(9, 0.35 * len(rows) + 1.2)
    ax = fig.add_subplot()
    names = [f"{r['source']}: {r['rule']}" for r in reversed(rows)]
    colors = [PALETTE[3] if r["severity"] == "error" else PALETTE[1] for r in reversed(rows)]
    ax.barh(names, [r["records"] for r in reversed(rows)], color=colors)
    ax.set_xlabel(label("隔离记录数", "quarantined records"), fontdict=_font())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=8)
    return _png(fig)


def trend_chart(validation: Rows, quarantine: Rows) -> bytes | None:
    """Failing share per source over the validation runs, and quarantined rows per run."""
    if not validation and not quarantine:
        return None
    fig = _figure(9, 3.4)
    left, right = fig.subplots(1, 2)
    for i, source in enumerate(sorted({r["source"] for r in validation})):
        pts = [r for r in validation if r["source"] == source]
        left.plot(
            [r["run_at"] for r in pts],
            [100 * (r["failing_share"] or 0) for r in pts],
            marker="o",
            color=PALETTE[i % len(PALETTE)],
            label=source,
        )
    left.set_title(label("不合格比例 %", "failing share %"), fontdict=_font(), fontsize=10)
    for i, source in enumerate(sorted({r["source"] for r in quarantine})):
        pts = [r for r in quarantine if r["source"] == source]
        right.plot(
            [r["run_at"] for r in pts],
            [r["records"] for r in pts],
            marker="s",
            color=PALETTE[i % len(PALETTE)],
            label=source,
        )
    right.set_title(label("每次运行隔离记录", "quarantined per run"), fontdict=_font(), fontsize=10)
    for ax in (left, right):
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    return _png(fig)


def match_chart(rows: Rows) -> bytes | None:
    """Bars: share of one system's entities that another system knows too."""
    if not rows:
        return None
    fig = _figure(9, 3.2)
    ax = fig.add_subplot()
    names = [f"{r['entity_kind']}: {r['system']}→{r['other']}" for r in rows]
    ax.bar(names, [100 * r["rate"] for r in rows], color=PALETTE[0])
    ax.set_ylim(0, 105)
    ax.set_ylabel(label("匹配率 %", "match rate %"), fontdict=_font())
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _png(fig)


def freshness_chart(rows: Rows) -> bytes | None:
    """Histogram: grids by days since their data last changed."""
    days = [r["days_since_update"] for r in rows if r["days_since_update"] is not None]
    if not days:
        return None
    fig = _figure(9, 3.0)
    ax = fig.add_subplot()
    ax.hist(days, bins=min(30, max(5, len(set(days)))), color=PALETTE[2])
    ax.set_xlabel(label("距上次更新天数", "days since last update"), fontdict=_font())
    ax.set_ylabel(label("网格数", "grids"), fontdict=_font())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(fig)

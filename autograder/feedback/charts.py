"""The report's charts: matplotlib figures (no pyplot state) as base64 SVG data URIs.

SVG scales with the page. Each chart comes in two sizes, `wide` for a laptop and `narrow` for a
phone (shorter labels, the same font size), and the page shows the one that fits.
"""

from __future__ import annotations

import base64
import io
import statistics
import textwrap

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

ACCENT = "#2f5fd0"
GOOD, FAIR, POOR = "#1f8a4c", "#e0a800", "#c62828"
INK, MUTED, GRID = "#1f2933", "#616e7c", "#e4e7eb"

WIDE, NARROW = 9.6, 4.0  # inches at 72 points each: about 920 and 384 CSS pixels

_STYLE = {
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text: crisp at any scale, and small
    "svg.hashsalt": "nnfs",  # the same chart gives the same file
    "font.family": "sans-serif",
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 11,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def rate_colour(rate: float) -> str:
    return GOOD if rate >= 0.8 else FAIR if rate >= 0.5 else POOR


def score_histogram(scores: list[float], max_score: float, width: float = WIDE) -> str:
    """Histogram of the students' scores on 0..max_score, with the mean and median marked."""
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(width, 3.0 if width >= WIDE else 2.8))
        ax = fig.add_subplot()
        top = max_score or max(scores, default=1.0) or 1.0
        bins = min(20, max(5, int(round(top)))) if top >= 5 else 5
        ax.hist(scores, bins=bins, range=(0, top), color=ACCENT, edgecolor="white", linewidth=1)
        if scores:
            mean, median = statistics.fmean(scores), statistics.median(scores)
            ax.axvline(mean, color=INK, linestyle="--", linewidth=1.2,
                       label=f"mean {mean:.1f}")
            ax.axvline(median, color=POOR, linestyle=":", linewidth=1.5,
                       label=f"median {median:.1f}")
            ax.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncol=2,
                      borderaxespad=0.2)
        ax.set_xlim(0, top)
        ax.set_xlabel(f"score (out of {top:g})")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        return _svg(fig)


def rate_bars(labels: list[str], rates: list[float], width: float = WIDE) -> str:
    """Horizontal bars of pass rates (0..1), one per label, top to bottom, coloured by rate."""
    with matplotlib.rc_context(_STYLE):
        height = 0.8 + 0.26 * max(len(labels), 1)
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        y = list(range(len(labels)))
        ax.barh(y, [100 * r for r in rates], color=[rate_colour(r) for r in rates], height=0.7)
        short = 60 if width >= WIDE else 24
        ax.set_yticks(y, [_shorten(label, short) for label in labels])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("students passing (%)")
        ax.grid(axis="x", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        for i, r in enumerate(rates):
            inside = r > 0.12
            ax.text(100 * r - 1 if inside else 100 * r + 1, i, f"{100 * r:.0f}%", va="center",
                    ha="right" if inside else "left", fontsize=8,
                    color="white" if inside else INK)
        return _svg(fig)


def both(chart, *args) -> dict[str, str]:
    """{"wide": ..., "narrow": ...}: the chart at both sizes."""
    return {"wide": chart(*args, width=WIDE), "narrow": chart(*args, width=NARROW)}


def _shorten(label: str, width: int) -> str:
    if len(label) <= width:
        return label
    return textwrap.shorten(label, width, placeholder="…") if " " in label[:width] \
        else label[: width - 1] + "…"


def _svg(fig: Figure) -> str:
    FigureCanvasSVG(fig)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

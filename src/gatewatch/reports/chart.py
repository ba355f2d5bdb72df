"""The depth chart as inline SVG, drawn on the server: a report's chart needs no script, so a PDF shows it.

Time runs left to right, from the first visit (or mark) to the last; each visit is a dot at the
deepest level it reached, the visits joined in order. Under the plot, one lane per signal of
the assessment, with a mark at the time of each event behind it. Every word is escaped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from gatewatch.reports.content import Chart

WIDTH = 680
PLOT_HEIGHT = 170
LEFT = 170
RIGHT = 16
TOP = 12
AXIS = 26
LANE = 18
LABEL_CHARS = 30
TICKS = 5


def chart_svg(chart: Chart) -> str:
    """The chart as one ``<svg>`` element (empty when there is nothing to draw)."""
    times = [v.at for v in chart.visits] + [m for lane in chart.lanes for m in lane.marks]
    if not times:
        return ""
    earliest, latest = min(times), max(times)
    if latest - earliest < timedelta(days=1):
        earliest, latest = earliest - timedelta(hours=12), latest + timedelta(hours=12)
    levels = [level for level, _ in chart.levels] or [0]
    low, high = min(levels + [v.level for v in chart.visits]), max(levels + [v.level for v in chart.visits])
    span = max(high - low, 1)
    height = TOP + PLOT_HEIGHT + AXIS + LANE * len(chart.lanes) + 6
    plot_right = WIDTH - RIGHT

    def x(at: datetime) -> float:
        return LEFT + (plot_right - LEFT) * ((at - earliest) / (latest - earliest))

    def y(level: int) -> float:
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (level - low) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="depth-chart" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="DejaVu Sans, sans-serif" width="{WIDTH}" height="{height}" role="img" '
        'aria-label="Deepest level reached at each visit, over time">'
    ]
    names = dict(chart.levels)
    for level in range(low, high + 1):
        label = f"{level} · {names[level]}" if level in names else str(level)
        parts.append(_rule(y(level), plot_right, "#c8c8c8") + _label(y(level), label, "#333"))
    axis_y = TOP + PLOT_HEIGHT + 14
    for n in range(TICKS):
        at = earliest + (latest - earliest) * n / (TICKS - 1)
        anchor = "start" if n == 0 else "end" if n == TICKS - 1 else "middle"
        parts.append(
            f'<text font-size="9" fill="#555" x="{x(at):.1f}" y="{axis_y}" text-anchor="{anchor}">{at:%Y-%m-%d}</text>'
        )
    visits = sorted(chart.visits, key=lambda v: v.at)
    if len(visits) > 1:
        points = " ".join(f"{x(v.at):.1f},{y(v.level):.1f}" for v in visits)
        parts.append(f'<polyline fill="none" stroke="#1f4e79" stroke-width="1.2" points="{points}"/>')
    for visit in visits:
        cited = f" (entry {visit.seq})" if visit.seq is not None else ""
        parts.append(
            f'<circle fill="#1f4e79" cx="{x(visit.at):.1f}" cy="{y(visit.level):.1f}" r="3.5">'
            f"<title>{visit.at:%Y-%m-%d %H:%M}: level {visit.level}{cited}</title></circle>"
        )
    for number, lane in enumerate(chart.lanes):
        lane_y = TOP + PLOT_HEIGHT + AXIS + LANE * number + LANE / 2
        parts.append(_rule(lane_y, plot_right, "#e2e2e2") + _label(lane_y, lane.label, "#7a2318"))
        for mark in lane.marks:
            cx = x(mark)
            parts.append(
                f'<path fill="#b03a2e" d="M{cx:.1f},{lane_y - 5:.1f} L{cx + 4:.1f},{lane_y:.1f} '
                f'L{cx:.1f},{lane_y + 5:.1f} L{cx - 4:.1f},{lane_y:.1f} Z"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _rule(at_y: float, right: int, colour: str) -> str:
    """A level's (or a lane's) line across the plot."""
    return f'<line stroke="{colour}" stroke-width="0.6" x1="{LEFT}" y1="{at_y:.1f}" x2="{right}" y2="{at_y:.1f}"/>'


def _label(at_y: float, label: str, colour: str) -> str:
    """A level's (or a lane's) label, left of the plot."""
    where = f'x="{LEFT - 6}" y="{at_y + 3:.1f}" text-anchor="end"'
    return f'<text font-size="9" fill="{colour}" {where}>{_short(label)}</text>'


def _short(label: str) -> str:
    cut = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return escape(cut)

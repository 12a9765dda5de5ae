"""Plotly figures of the learner's progress; each takes data derived from the event log.

Timestamps are shown in the learner's local time, as naive datetimes: plotly.js
does not read UTC offsets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from math import isnan
from typing import TYPE_CHECKING, Any

from sandbox.catalogue import Catalogue, Level
from sandbox.game import XpPoint
from sandbox.summaries import Completion

if TYPE_CHECKING:
    import plotly.graph_objects as go

PRIMARY = "#2f7d6d"
TODO = "#d5dcd9"
EMPTY_DAY = "#e9edeb"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _local_naive(ts: datetime) -> datetime:
    return ts.astimezone().replace(tzinfo=None)


def _compact(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def xp_over_time(
    history: Sequence[XpPoint], catalogue: Catalogue, started: datetime, now: datetime
) -> go.Figure:
    """The XP total as a step line: 0 at the learner's first event, each change, then now."""
    import plotly.graph_objects as go

    times = [started, *(p.ts for p in history), now]
    totals = [0, *(p.xp for p in history), history[-1].xp if history else 0]
    labels = ["first activity"]
    for point in history:
        challenge = catalogue.challenges.get(point.challenge or "")
        what = challenge.title if challenge else (point.challenge or "everything")
        labels.append(f"{point.kind} {what}")
    labels.append("now")
    fig = go.Figure(
        go.Scatter(
            x=[_local_naive(ts) for ts in times],
            y=totals,
            mode="lines+markers",
            line={"shape": "hv", "color": PRIMARY},
            customdata=labels,
            hovertemplate="%{x|%Y-%m-%d %H:%M}<br>%{y} XP · %{customdata}<extra></extra>",
            name="XP",
        )
    )
    for level in _levels_to_mark(catalogue.levels, max(totals)):
        fig.add_hline(
            y=level.xp,
            line={"dash": "dot", "color": "#8a9a96", "width": 1},
            annotation_text=f"Level {level.number} · {level.name}",
            annotation_position="top left",
        )
    fig.update_yaxes(title="XP", rangemode="tozero")
    return _compact(fig, 320)


def _levels_to_mark(levels: Sequence[Level], top_xp: int) -> list[Level]:
    """Thresholds already passed, plus the next one as a goal (level 1 starts at 0: not drawn)."""
    marked = [lv for lv in levels if 0 < lv.xp <= top_xp]
    upcoming = [lv for lv in levels if lv.xp > top_xp]
    return marked + upcoming[:1]


#: Pixels per week column of the activity calendar, and for its weekday labels: a calendar
#: keeps square cells and grows with the learner's history instead of stretching a few weeks
#: (up to half a year; a longer one takes the page's width).
CALENDAR_WEEK_PX = 26
CALENDAR_LABELS_PX = 70
CALENDAR_FIXED_WEEKS = 26


def calendar_weeks(first_day: date | None, today: date, minimum: int = 4, maximum: int = 53) -> int:
    """How many weeks the activity calendar shows: back to the week of the first event, at
    least a month (so a learner of five days sees four weeks, not a quarter of empty ones)."""
    if first_day is None:
        return minimum
    this_monday = today - timedelta(days=today.weekday())
    first_monday = first_day - timedelta(days=first_day.weekday())
    return max(minimum, min(maximum, (this_monday - first_monday).days // 7 + 1))


def activity_calendar(per_day: Mapping[date, int], today: date, weeks: int) -> go.Figure:
    """A week-by-weekday heatmap of events per local day, ending with this week."""
    import plotly.graph_objects as go

    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    days = [[monday + timedelta(days=d) for monday in mondays] for d in range(7)]
    counts = [[None if day > today else per_day.get(day, 0) for day in row] for row in days]
    busiest = max(per_day.values(), default=0)
    fig = go.Figure(
        go.Heatmap(
            z=counts,
            x=[monday.isoformat() for monday in mondays],
            y=list(WEEKDAYS),
            customdata=[[day.isoformat() for day in row] for row in days],
            hovertemplate="%{customdata}: %{z} event(s)<extra></extra>",
            # Any activity at all is green; an idle day stays grey.
            colorscale=[[0.0, EMPTY_DAY], [0.001, "#bfe0d4"], [1.0, PRIMARY]],
            zmin=0,
            zmax=max(busiest, 1),
            xgap=3,
            ygap=3,
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    # A month's name over its first week (dates would not fit the narrow columns).
    firsts = [m for i, m in enumerate(mondays) if i == 0 or m.month != mondays[i - 1].month]
    fig.update_xaxes(
        type="category",
        showgrid=False,
        tickangle=0,
        tickmode="array",
        tickvals=[m.isoformat() for m in firsts],
        ticktext=[
            f"{m:%b %Y}" if i == 0 or m.month == 1 else f"{m:%b}" for i, m in enumerate(firsts)
        ],
    )
    fig = _compact(fig, 230)
    if weeks <= CALENDAR_FIXED_WEEKS:
        fig.update_layout(width=CALENDAR_LABELS_PX + CALENDAR_WEEK_PX * weeks)
    return fig


def completion_bars(rows: Sequence[Completion]) -> go.Figure:
    """Verified and remaining challenges per group (a level or a tag), as stacked bars."""
    import plotly.graph_objects as go

    labels = [row.label for row in rows]
    fig = go.Figure(
        [
            go.Bar(
                name="Verified",
                y=labels,
                x=[row.verified for row in rows],
                orientation="h",
                marker_color=PRIMARY,
                text=[f"{row.verified}/{row.total}" for row in rows],
                textposition="inside",
                hovertemplate="%{y}: %{x} verified<extra></extra>",
            ),
            go.Bar(
                name="To do",
                y=labels,
                x=[row.total - row.verified for row in rows],
                orientation="h",
                marker_color=TODO,
                hovertemplate="%{y}: %{x} to do<extra></extra>",
            ),
        ]
    )
    # The legend sits above the bars, where it is read before them.
    fig.update_layout(
        barmode="stack",
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1 if max((r.total for r in rows), default=0) <= 10 else None)
    fig = _compact(fig, 70 + 28 * len(rows))
    fig.update_layout(margin={"t": 30})
    return fig


# -- labs -------------------------------------------------------------------------------------

CHART_KINDS = ("bar", "line", "scatter", "histogram")


def metric_bars(labels: Sequence[str], values: Sequence[float], metric: str) -> go.Figure:
    """One bar per MLflow run: the value of ``metric`` each run logged last."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=list(values),
            marker_color=PRIMARY,
            text=[f"{value:.4g}" for value in values],
            textposition="outside",
            hovertemplate="%{x}<br>" + metric + " = %{y}<extra></extra>",
        )
    )
    fig.update_yaxes(title=metric)
    fig.update_xaxes(type="category")
    return _compact(fig, 340)


def _is_text(value: Any) -> bool:
    # Missing text is None or NaN, depending on the pandas string type.
    return value is None or isinstance(value, str) or (isinstance(value, float) and isnan(value))


def plottable_columns(frame: Any) -> list[str]:
    """Columns a quick chart can use: numbers, booleans, timestamps and text.

    Lists, structs and durations are left out: plotly cannot draw them.
    """
    columns = []
    for name in frame.columns:
        series = frame[name]
        kind = series.dtype.kind  # b bool, i/u integers, f floats, M timestamps, O objects
        if kind in "biufM" or (kind == "O" and all(_is_text(v) for v in series.head(1000))):
            columns.append(str(name))
    return columns


def result_chart(frame: Any, kind: str, x: str, y: str | None) -> go.Figure:
    """A quick chart of a query result: ``kind`` is one of :data:`CHART_KINDS`.

    A histogram counts the values of ``x`` and ignores ``y``; the other kinds plot
    ``y`` against ``x`` in the order of the rows.
    """
    import plotly.graph_objects as go

    if kind == "histogram":
        fig = go.Figure(go.Histogram(x=frame[x], marker_color=PRIMARY))
        fig.update_yaxes(title="rows")
    elif y is None:
        raise ValueError(f"A {kind} chart needs a y column.")
    elif kind == "bar":
        fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=PRIMARY))
    elif kind == "line":
        fig = go.Figure(go.Scatter(x=frame[x], y=frame[y], mode="lines", line_color=PRIMARY))
    elif kind == "scatter":
        fig = go.Figure(go.Scatter(x=frame[x], y=frame[y], mode="markers", marker_color=PRIMARY))
    else:
        raise ValueError(f"Unknown chart kind {kind!r}: use one of {', '.join(CHART_KINDS)}.")
    fig.update_xaxes(title=x)
    if kind != "histogram":
        fig.update_yaxes(title=y)
    return _compact(fig, 380)


def lime_bars(weights: Sequence[tuple[str, float]]) -> go.Figure:
    """LIME's local weights for one row, largest effect on top; green pushes up, grey down."""
    import plotly.graph_objects as go

    names = [name for name, _ in weights]
    values = [weight for _, weight in weights]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker_color=[PRIMARY if value > 0 else "#9aa8a4" for value in values],
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="LIME weight", zeroline=True)
    return _compact(fig, 90 + 30 * len(names))

"""Vega-Lite charts of the learner's progress and of the labs; each takes data derived from
the event log or from the learner's stores, and returns the chart as a plain dict for
``st.vega_lite_chart(spec=...)``.

Vega-Lite, not Plotly: Streamlit's Plotly bundle (4.6 MB of JavaScript) costs a browser
1.5-2.3 s on every full page load, its Vega-Lite bundle a fraction of that. The specs are
built as dicts (no altair) so a page script stays fast.

Each spec carries its data inline, under ``data.values`` (one dict per row). Timestamps are
local-time ISO strings without an offset ("2026-11-30T14:05:00"): a browser parses such a
string as local time, which is the learner's (the dashboard runs on their machine).
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
    from sandbox.integrations.tuning import HistoryPoint

Spec = dict[str, Any]

PRIMARY = "#2f7d6d"
SECONDARY = "#e07b39"
TODO = "#d5dcd9"
EMPTY_DAY = "#e9edeb"
LIGHT_DAY = "#bfe0d4"
NEGATIVE = "#9aa8a4"
GUIDE = "#8a9a96"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _local_iso(ts: datetime) -> str:
    return ts.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def xp_over_time(
    history: Sequence[XpPoint], catalogue: Catalogue, started: datetime, now: datetime
) -> Spec:
    """The XP total as a step line: 0 at the learner's first event, each change, then now;
    a dotted rule at each level threshold passed and at the next one."""
    times = [started, *(p.ts for p in history), now]
    totals = [0, *(p.xp for p in history), history[-1].xp if history else 0]
    labels = ["first activity"]
    for point in history:
        challenge = catalogue.challenges.get(point.challenge or "")
        what = challenge.title if challenge else (point.challenge or "everything")
        labels.append(f"{point.kind} {what}")
    labels.append("now")
    points = [
        {"time": _local_iso(ts), "xp": xp, "what": what}
        for ts, xp, what in zip(times, totals, labels, strict=True)
    ]
    layers: list[Spec] = [
        {
            "mark": {
                "type": "line",
                "interpolate": "step-after",
                "color": PRIMARY,
                "point": {"color": PRIMARY, "size": 45},
            },
            "encoding": {
                "x": {"field": "time", "type": "temporal", "title": None},
                "y": {"field": "xp", "type": "quantitative", "title": "XP"},
                "tooltip": [
                    {"field": "time", "type": "temporal", "title": "when",
                     "format": "%Y-%m-%d %H:%M"},
                    {"field": "xp", "type": "quantitative", "title": "XP"},
                    {"field": "what", "type": "nominal", "title": "what"},
                ],
            },
        }
    ]  # fmt: skip
    marks = [
        {"xp": level.xp, "label": f"Level {level.number} · {level.name}"}
        for level in _levels_to_mark(catalogue.levels, max(totals))
    ]
    if marks:
        y = {"field": "xp", "type": "quantitative"}
        layers += [
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "color": GUIDE, "strokeDash": [2, 3]},
                "encoding": {"y": y},
            },
            {
                "data": {"values": marks},
                "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4,
                         "dy": -2, "color": "#5b6b67"},
                "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "label"}},
            },
        ]  # fmt: skip
    return {"height": 320, "data": {"values": points}, "layer": layers}


def _levels_to_mark(levels: Sequence[Level], top_xp: int) -> list[Level]:
    """Thresholds already passed, plus the next one as a goal (level 1 starts at 0: not drawn)."""
    marked = [lv for lv in levels if 0 < lv.xp <= top_xp]
    upcoming = [lv for lv in levels if lv.xp > top_xp]
    return marked + upcoming[:1]


#: Pixels per week column (and weekday row) of the activity calendar: a calendar keeps square
#: cells and grows with the learner's history instead of stretching a few weeks (up to half a
#: year; a longer one takes the page's width).
CALENDAR_WEEK_PX = 26
CALENDAR_FIXED_WEEKS = 26


def calendar_weeks(first_day: date | None, today: date, minimum: int = 4, maximum: int = 53) -> int:
    """How many weeks the activity calendar shows: back to the week of the first event, at
    least a month (so a learner of five days sees four weeks, not a quarter of empty ones)."""
    if first_day is None:
        return minimum
    this_monday = today - timedelta(days=today.weekday())
    first_monday = first_day - timedelta(days=first_day.weekday())
    return max(minimum, min(maximum, (this_monday - first_monday).days // 7 + 1))


def calendar_is_fixed(weeks: int) -> bool:
    """Whether the calendar is drawn at its own width (square cells) rather than the page's."""
    return weeks <= CALENDAR_FIXED_WEEKS


def activity_calendar(per_day: Mapping[date, int], today: date, weeks: int) -> Spec:
    """A week-by-weekday grid of events per local day, ending with this week (days after
    today are left blank)."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    cells = [
        {
            "week": monday.isoformat(),
            "weekday": WEEKDAYS[offset],
            "day": (monday + timedelta(days=offset)).isoformat(),
            "events": per_day.get(monday + timedelta(days=offset), 0),
        }
        for monday in mondays
        for offset in range(7)
        if monday + timedelta(days=offset) <= today
    ]
    busiest = max(per_day.values(), default=0)
    # A month's name over its first week (dates would not fit the narrow columns).
    firsts = [m for i, m in enumerate(mondays) if i == 0 or m.month != mondays[i - 1].month]
    names = [f"{m:%b %Y}" if i == 0 or m.month == 1 else f"{m:%b}" for i, m in enumerate(firsts)]
    label = "''"
    for monday, name in reversed(list(zip(firsts, names, strict=True))):
        label = f"datum.value === '{monday.isoformat()}' ? '{name}' : {label}"
    plain_axis = {"domain": False, "ticks": False, "labelAngle": 0, "labelPadding": 4}
    spec: Spec = {
        "data": {"values": cells},
        "mark": {"type": "rect", "cornerRadius": 2},
        "encoding": {
            "x": {
                "field": "week", "type": "ordinal", "sort": "ascending", "title": None,
                "scale": {"paddingInner": 0.12},
                "axis": {**plain_axis, "orient": "top", "labelAlign": "left",
                         "values": [m.isoformat() for m in firsts], "labelExpr": label},
            },
            "y": {
                "field": "weekday", "type": "ordinal", "sort": list(WEEKDAYS), "title": None,
                "scale": {"paddingInner": 0.12}, "axis": plain_axis,
            },
            # Any activity at all is green; an idle day stays grey.
            "color": {
                "condition": {"test": "datum.events === 0", "value": EMPTY_DAY},
                "field": "events", "type": "quantitative", "legend": None,
                "scale": {"domain": [0, max(busiest, 1)], "range": [LIGHT_DAY, PRIMARY]},
            },
            "tooltip": [
                {"field": "day", "type": "nominal", "title": "day"},
                {"field": "events", "type": "quantitative", "title": "events"},
            ],
        },
    }  # fmt: skip
    if calendar_is_fixed(weeks):
        spec.update(
            width={"step": CALENDAR_WEEK_PX},
            height={"step": CALENDAR_WEEK_PX},
            autosize={"type": "pad"},
        )
    else:
        spec["height"] = 7 * CALENDAR_WEEK_PX
    return spec


VERIFIED, TO_DO = "Verified", "To do"


def completion_bars(rows: Sequence[Completion]) -> Spec:
    """Verified and remaining challenges per group (a level or a tag), as stacked bars, with
    ``verified/total`` written on each bar and the legend above the bars."""
    values = [
        {"group": row.label, "status": status, "count": count, "order": order,
         "label": f"{row.verified}/{row.total}"}
        for row in rows
        for order, (status, count) in enumerate(
            ((VERIFIED, row.verified), (TO_DO, row.total - row.verified))
        )
    ]  # fmt: skip
    y = {"field": "group", "type": "nominal", "sort": [row.label for row in rows], "title": None}
    axis: Spec = {"title": None}
    if max((row.total for row in rows), default=0) <= 10:
        axis.update(tickMinStep=1, format="d")  # whole challenges, not 0.5 of one
    return {
        "height": 40 + 28 * len(rows),
        "data": {"values": values},
        "encoding": {"y": y},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"field": "count", "type": "quantitative", "stack": "zero",
                          "axis": axis},
                    "color": {
                        "field": "status", "type": "nominal",
                        "scale": {"domain": [VERIFIED, TO_DO], "range": [PRIMARY, TODO]},
                        "legend": {"orient": "top", "title": None},
                    },
                    "order": {"field": "order"},
                    "tooltip": [
                        {"field": "group", "type": "nominal", "title": "group"},
                        {"field": "status", "type": "nominal", "title": "status"},
                        {"field": "count", "type": "quantitative", "title": "challenges"},
                    ],
                },
            },
            {
                "transform": [{"filter": f"datum.status === '{VERIFIED}'"}],
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {
                    "x": {"datum": 0, "type": "quantitative"},
                    "text": {"field": "label"},
                    "color": {"condition": {"test": "datum.count > 0", "value": "white"},
                              "value": "#3d4a47"},
                },
            },
        ],
    }  # fmt: skip


# -- labs -------------------------------------------------------------------------------------

CHART_KINDS = ("bar", "line", "scatter", "histogram")


def metric_bars(labels: Sequence[str], values: Sequence[float], metric: str) -> Spec:
    """One bar per MLflow run, in the order given: the value of ``metric`` each run logged last."""
    rows = [
        {"run": label, "value": value, "text": f"{value:.4g}"}
        for label, value in zip(labels, values, strict=True)
    ]
    return {
        "height": 340,
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "run", "type": "nominal", "sort": list(labels), "title": None,
                  "axis": {"labelAngle": -20, "labelLimit": 180}},
            "y": {"field": "value", "type": "quantitative", "title": metric},
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": PRIMARY},
                "encoding": {
                    "tooltip": [
                        {"field": "run", "type": "nominal", "title": "run"},
                        {"field": "value", "type": "quantitative", "title": metric,
                         "format": ".6g"},
                    ]
                },
            },
            {
                "mark": {"type": "text", "baseline": "bottom", "dy": -3},
                "encoding": {"text": {"field": "text"}},
            },
        ],
    }  # fmt: skip


def _is_text(value: Any) -> bool:
    # Missing text is None or NaN, depending on the pandas string type.
    return value is None or isinstance(value, str) or (isinstance(value, float) and isnan(value))


def plottable_columns(frame: Any) -> list[str]:
    """Columns a quick chart can use: numbers, booleans, timestamps and text.

    Lists, structs and durations are left out: a chart has no axis for them.
    """
    columns = []
    for name in frame.columns:
        series = frame[name]
        kind = series.dtype.kind  # b bool, i/u integers, f floats, M timestamps, O objects
        if kind in "biufM" or (kind == "O" and all(_is_text(v) for v in series.head(1000))):
            columns.append(str(name))
    return columns


def _field_type(series: Any) -> str:
    kind = series.dtype.kind
    if kind == "M":
        return "temporal"
    return "quantitative" if kind in "iuf" else "nominal"


def _plain_values(series: Any) -> list[Any]:
    """A column as JSON values: timestamps as local-time ISO strings, missing values as None."""
    if series.dtype.kind == "M":
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_convert(datetime.now().astimezone().tzinfo).dt.tz_localize(None)
        series = series.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str.slice(0, -3)  # milliseconds
    return [
        None if value is None or (isinstance(value, float) and isnan(value)) else value
        for value in series.tolist()
    ]


def result_chart(frame: Any, kind: str, x: str, y: str | None) -> Spec:
    """A quick chart of a query result (a pandas DataFrame): ``kind`` is one of
    :data:`CHART_KINDS`.

    A histogram counts the values of ``x`` and ignores ``y``; the other kinds plot ``y``
    against ``x``, a line in the order of the rows. The data carries the two columns as
    fields ``x`` and ``y`` (a column name may hold characters Vega-Lite reads as paths) and
    each row's position as ``row``; the axes carry the column names.
    """
    if kind not in CHART_KINDS:
        raise ValueError(f"Unknown chart kind {kind!r}: use one of {', '.join(CHART_KINDS)}.")
    if kind != "histogram" and y is None:
        raise ValueError(f"A {kind} chart needs a y column.")
    x_type = _field_type(frame[x])
    columns = {"x": _plain_values(frame[x])}
    if kind != "histogram" and y is not None:
        columns["y"] = _plain_values(frame[y])
    rows = [
        {"row": position, **{name: values[position] for name, values in columns.items()}}
        for position in range(len(frame))
    ]
    x_enc: Spec = {"field": "x", "type": x_type, "title": x}
    if kind == "histogram":
        if x_type != "nominal":
            x_enc["bin"] = {"maxbins": 40}
        return {
            "height": 380,
            "data": {"values": rows},
            "mark": {"type": "bar", "color": PRIMARY},
            "encoding": {
                "x": x_enc,
                "y": {"aggregate": "count", "type": "quantitative", "title": "rows"},
                "tooltip": [x_enc, {"aggregate": "count", "type": "quantitative",
                                    "title": "rows"}],
            },
        }  # fmt: skip
    assert y is not None
    if kind == "bar" and x_type == "quantitative":
        x_enc["type"] = "ordinal"  # one bar per value, as the query grouped them
    y_enc: Spec = {"field": "y", "type": _field_type(frame[y]), "title": y}
    encoding: Spec = {"x": x_enc, "y": y_enc, "tooltip": [x_enc, y_enc]}
    if kind == "line":
        encoding["order"] = {"field": "row", "type": "quantitative"}
    mark = {"bar": "bar", "line": "line", "scatter": "circle"}[kind]
    return {
        "height": 380,
        "data": {"values": rows},
        "mark": {"type": mark, "color": PRIMARY},
        "encoding": encoding,
    }


def lime_bars(weights: Sequence[tuple[str, float]]) -> Spec:
    """LIME's local weights for one row, in the order given (largest effect on top); green
    pushes the prediction up, grey down."""
    rows = [{"feature": name, "weight": weight} for name, weight in weights]
    return {
        "height": 70 + 30 * len(rows),
        "data": {"values": rows},
        "encoding": {
            "y": {"field": "feature", "type": "nominal", "sort": [name for name, _ in weights],
                  "title": None, "axis": {"labelLimit": 320}},
        },
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"field": "weight", "type": "quantitative", "title": "LIME weight"},
                    "color": {"condition": {"test": "datum.weight > 0", "value": PRIMARY},
                              "value": NEGATIVE},
                    "tooltip": [
                        {"field": "feature", "type": "nominal", "title": "feature"},
                        {"field": "weight", "type": "quantitative", "title": "LIME weight",
                         "format": ".4f"},
                    ],
                },
            },
            {"mark": {"type": "rule", "color": GUIDE}, "encoding": {"x": {"datum": 0}}},
        ],
    }  # fmt: skip


# -- tuning -----------------------------------------------------------------------------------


def optimization_history(points: Sequence[HistoryPoint]) -> Spec:
    """Each completed trial's objective value (dots) and the best value so far (a line)."""
    rows = [
        {"trial": p.trial, "series": series, "value": value}
        for p in points
        for series, value in (("Objective value", p.value), ("Best value", p.best))
    ]
    color = {
        "field": "series", "type": "nominal", "title": None,
        "scale": {"domain": ["Objective value", "Best value"], "range": [PRIMARY, SECONDARY]},
        "legend": {"orient": "top"},
    }  # fmt: skip
    tooltip = [
        {"field": "trial", "type": "quantitative", "title": "trial"},
        {"field": "series", "type": "nominal", "title": "series"},
        {"field": "value", "type": "quantitative", "title": "value", "format": ".6g"},
    ]
    return {
        "height": 320,
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "trial", "type": "quantitative", "title": "Trial",
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "y": {"field": "value", "type": "quantitative", "title": "Objective value",
                  "scale": {"zero": False}},
            "color": color,
            "tooltip": tooltip,
        },
        "layer": [
            {"transform": [{"filter": "datum.series === 'Objective value'"}],
             "mark": {"type": "circle", "size": 50, "opacity": 0.85}},
            {"transform": [{"filter": "datum.series === 'Best value'"}],
             "mark": {"type": "line", "interpolate": "step-after"}},
        ],
    }  # fmt: skip


def param_importance_bars(importances: Mapping[str, float]) -> Spec:
    """How much of the objective's variation each parameter explains (fANOVA shares, which
    sum to 1), the most important on top."""
    return ranked_bars(list(importances.items()), "parameter", "Importance")


def ranked_bars(scores: Sequence[tuple[str, float]], name: str, value: str) -> Spec:
    """Non-negative scores per name (importances), the largest on top, each bar with its value
    written past its end. The rows' fields are ``name`` and ``score``; the titles are ``name``
    and ``value``."""
    ranked = sorted(scores, key=lambda item: item[1], reverse=True)
    rows = [{"name": label, "score": score, "text": f"{score:.3g}"} for label, score in ranked]
    return {
        "height": 70 + 30 * len(rows),
        # Room on the right for the value written past the longest bar.
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": 45},
        "data": {"values": rows},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": [r["name"] for r in rows],
                  "title": None, "axis": {"labelLimit": 320}},
            "x": {"field": "score", "type": "quantitative", "title": value},
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": PRIMARY},
                "encoding": {
                    "tooltip": [
                        {"field": "name", "type": "nominal", "title": name},
                        {"field": "score", "type": "quantitative", "title": value,
                         "format": ".4g"},
                    ]
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"text": {"field": "text"}},
            },
        ],
    }  # fmt: skip

"""The automatic dashboard: Vega-Lite charts chosen from the column kinds of a profile.

:func:`choose_charts` picks, without reading data:

* a **missing-value matrix** when any column has missing or invalid values;
* a **histogram** per numeric measure (integer or float, not an identifier), up to six;
* a **bar chart of the top values** per categorical or boolean column, up to six;
* a **time series** of the first numeric measure summed per day, week or month along the
  first date column (and the row count when there is no measure);
* a **correlation heatmap** when there are two or more numeric measures.

:func:`build_chart` draws one chart from a typed sample (:func:`sample_frame`, at most
:data:`SAMPLE_ROWS` rows: the charts say so when the table is larger) as a Vega-Lite spec,
a plain dict with its rows inline (histograms are binned here, so a chart carries its bins,
not the sample). Bar charts come from the profile's counts over the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.owndata.profile import NUMERIC_KINDS, Profile, typed_scan
from sandbox.owndata.reading import Table, friendly_errors

if TYPE_CHECKING:
    import polars as pl

__all__ = ["SAMPLE_ROWS", "ChartSpec", "build_chart", "choose_charts", "sample_frame"]

SAMPLE_ROWS = 100_000
MAX_EACH = 6
COLOUR = "#2f7d6d"


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the dashboard: its kind, title and the columns it uses."""

    kind: str  # missing | histogram | bar | time_series | correlation
    title: str
    columns: tuple[str, ...]


def choose_charts(profile: Profile) -> list[ChartSpec]:
    """The charts that suit the table, in the order the page shows them."""
    measures = [
        c.name for c in profile.columns if c.kind in NUMERIC_KINDS and "constant" not in c.flags
    ]
    categories = [
        c.name for c in profile.columns if c.kind in ("categorical", "boolean") and c.top_values
    ]
    dates = [c.name for c in profile.columns if c.kind in ("date", "datetime") and c.distinct > 1]
    charts: list[ChartSpec] = []
    if any(c.nulls or c.invalid for c in profile.columns):
        charts.append(
            ChartSpec(
                "missing",
                "Missing values by position in the table",
                tuple(c.name for c in profile.columns),
            )
        )
    if dates:
        measure = measures[:1]
        what = f"{measure[0]} per period" if measure else "rows per period"
        charts.append(ChartSpec("time_series", f"{what} along {dates[0]}", (dates[0], *measure)))
    charts += [ChartSpec("histogram", f"Distribution of {m}", (m,)) for m in measures[:MAX_EACH]]
    charts += [
        ChartSpec("bar", f"Most frequent values of {c}", (c,)) for c in categories[:MAX_EACH]
    ]
    if len(measures) >= 2:
        charts.append(
            ChartSpec("correlation", "Correlation between numeric columns", tuple(measures[:20]))
        )
    return charts


def sample_frame(table: Table, profile: Profile, rows: int = SAMPLE_ROWS) -> pl.DataFrame:
    """The first ``rows`` rows, typed as the profile found."""
    with friendly_errors(table):
        return typed_scan(table, profile).head(rows).collect()


HEIGHT = 360
HISTOGRAM_BINS = 40


def _chart(
    title: str, note: str, data: list[dict[str, Any]], body: dict[str, Any]
) -> dict[str, Any]:
    heading: dict[str, Any] = {"text": title, "anchor": "start"}
    if note:
        heading["subtitle"] = note
    return {"title": heading, "height": HEIGHT, "data": {"values": data}, **body}


def _histogram_bins(values: list[float]) -> list[dict[str, Any]]:
    """Equal-width bins over the values' range, counted here: the chart carries 40 rows, not
    the sample's 100,000 values. One value repeated makes a single bin of width 1."""
    if not values:
        return []
    low, high = min(values), max(values)
    width = (high - low) / HISTOGRAM_BINS if high > low else 1.0
    bins = HISTOGRAM_BINS if high > low else 1
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1  # the maximum closes the last bin
    return [
        {"start": low + i * width, "end": low + (i + 1) * width, "rows": count}
        for i, count in enumerate(counts)
    ]


def build_chart(spec: ChartSpec, frame: pl.DataFrame, profile: Profile) -> dict[str, Any]:
    """The Vega-Lite chart (a dict for ``st.vega_lite_chart``) of ``spec``, drawn from
    ``frame`` (a typed sample); its rows are under ``data.values``."""
    import polars as pl

    note = f"first {frame.height:,} of {profile.rows:,} rows" if frame.height < profile.rows else ""
    rows_axis = {"type": "quantitative", "title": "rows"}
    if spec.kind == "histogram":
        (column,) = spec.columns
        values = frame.get_column(column).drop_nulls().cast(pl.Float64).to_list()
        return _chart(spec.title, note, _histogram_bins(values), {
            "mark": {"type": "bar", "color": COLOUR},
            "encoding": {
                "x": {"field": "start", "type": "quantitative", "bin": {"binned": True},
                      "title": column},
                "x2": {"field": "end"},
                "y": {"field": "rows", **rows_axis},
                "tooltip": [{"field": "start", "type": "quantitative", "title": "from"},
                            {"field": "end", "type": "quantitative", "title": "to"},
                            {"field": "rows", **rows_axis}],
            },
        })  # fmt: skip
    if spec.kind == "bar":
        (column,) = spec.columns
        top = profile.column(column).top_values[:15]
        data = [{"value": str(v), "rows": n} for v, n in top]
        return _chart(spec.title, "", data, {
            "mark": {"type": "bar", "color": COLOUR},
            "encoding": {
                "x": {"field": "value", "type": "nominal", "sort": [d["value"] for d in data],
                      "title": column, "axis": {"labelAngle": -30, "labelLimit": 160}},
                "y": {"field": "rows", **rows_axis},
                "tooltip": [{"field": "value", "type": "nominal", "title": column},
                            {"field": "rows", **rows_axis}],
            },
        })  # fmt: skip
    if spec.kind == "time_series":
        date, *measure = spec.columns
        data_frame = frame.select(
            pl.col(date).cast(pl.Datetime), *[pl.col(m) for m in measure]
        ).drop_nulls(date)
        first: Any = data_frame.get_column(date).min()
        last: Any = data_frame.get_column(date).max()
        span = (last - first) if data_frame.height else None
        days = span.days if span is not None else 0
        every, label = (
            ("1d", "day")
            if days <= 120
            else ("1w", "week")
            if days <= 3 * 366
            else ("1mo", "month")
        )
        value = pl.col(measure[0]).sum() if measure else pl.len()
        series = (
            data_frame.group_by(pl.col(date).dt.truncate(every))
            .agg(value.alias("value"))
            .sort(date)
        )
        # Naive timestamps as the table holds them: the browser reads an ISO string without an
        # offset as a wall-clock time and shows it unchanged.
        data = [
            {"period": when.isoformat(), "value": amount}
            for when, amount in zip(
                series.get_column(date), series.get_column("value"), strict=True
            )
        ]
        what = f"{measure[0]} per {label}" if measure else f"rows per {label}"
        return _chart(spec.title.replace("period", label), note, data, {
            "mark": {"type": "line", "color": COLOUR, "point": {"color": COLOUR, "size": 20}},
            "encoding": {
                "x": {"field": "period", "type": "temporal", "title": date},
                "y": {"field": "value", "type": "quantitative", "title": what},
                "tooltip": [{"field": "period", "type": "temporal", "title": label},
                            {"field": "value", "type": "quantitative", "title": what}],
            },
        })  # fmt: skip
    if spec.kind == "correlation":
        numeric = frame.select([pl.col(c).cast(pl.Float64) for c in spec.columns]).drop_nulls()
        names = list(spec.columns)
        matrix: list[list[Any]]
        if numeric.height >= 2:
            matrix = numeric.corr().to_numpy().round(3).tolist()
        else:
            matrix = [[None] * len(names) for _ in names]
        data = [
            {"x": a, "y": b, "r": None if r is None or r != r else r}  # NaN: a constant column
            for b, row in zip(names, matrix, strict=True)
            for a, r in zip(names, row, strict=True)
        ]
        axis = {"type": "nominal", "sort": names, "title": None}
        return _chart(spec.title, note, data, {
            "width": {"step": 56} if len(names) <= 12 else "container",
            "encoding": {"x": {"field": "x", **axis, "axis": {"labelAngle": -30}},
                         "y": {"field": "y", **axis}},
            "layer": [
                {"mark": {"type": "rect"},
                 "encoding": {
                     "color": {"field": "r", "type": "quantitative", "title": "r",
                               "scale": {"domain": [-1, 1], "scheme": "redblue"}},
                     "tooltip": [{"field": "x", "type": "nominal"},
                                 {"field": "y", "type": "nominal"},
                                 {"field": "r", "type": "quantitative", "format": ".3f"}]}},
                {"mark": {"type": "text", "fontSize": 11},
                 "encoding": {"text": {"field": "r", "type": "quantitative", "format": ".2f"}}},
            ],
        })  # fmt: skip
    if spec.kind == "missing":
        blocks = min(100, max(frame.height, 1))
        names = list(spec.columns)
        shares = (
            frame.with_row_index("__row")
            .with_columns((pl.col("__row") * blocks // max(frame.height, 1)).alias("__block"))
            .group_by("__block")
            .agg([pl.col(c).is_null().mean().alias(c) for c in names])
            .sort("__block")
        )
        block_ids = shares.get_column("__block").to_list()
        data = [
            {"block": int(block), "column": c, "share": float(share)}
            for c in names
            for block, share in zip(block_ids, shares.get_column(c).to_list(), strict=True)
        ]
        return _chart(spec.title, note or "invalid values count as missing", data, {
            "mark": {"type": "rect"},
            "encoding": {
                "x": {"field": "block", "type": "ordinal",
                      "title": f"position in the table ({blocks} blocks of rows)",
                      "axis": {"labels": False, "ticks": False}},
                "y": {"field": "column", "type": "nominal", "sort": names, "title": None},
                "color": {"field": "share", "type": "quantitative", "title": "share missing",
                          "scale": {"domain": [0, 1], "range": ["#eef3f1", "#b3261e"],
                                    "interpolate": "rgb"}},
                "tooltip": [{"field": "column", "type": "nominal"},
                            {"field": "block", "type": "ordinal", "title": "block of rows"},
                            {"field": "share", "type": "quantitative", "title": "share missing",
                             "format": ".1%"}],
            },
        })  # fmt: skip
    raise ValueError(f"unknown chart kind {spec.kind!r}")

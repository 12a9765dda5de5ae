"""The automatic dashboard: plotly charts chosen from the column kinds of a profile.

:func:`choose_charts` picks, without reading data:

* a **missing-value matrix** when any column has missing or invalid values;
* a **histogram** per numeric measure (integer or float, not an identifier), up to six;
* a **bar chart of the top values** per categorical or boolean column, up to six;
* a **time series** of the first numeric measure summed per day, week or month along the
  first date column (and the row count when there is no measure);
* a **correlation heatmap** when there are two or more numeric measures.

:func:`build_figure` draws one chart from a typed sample (:func:`sample_frame`, at most
:data:`SAMPLE_ROWS` rows: the charts say so when the table is larger). Bar charts come
from the profile's counts over the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.owndata.profile import NUMERIC_KINDS, Profile, typed_scan
from sandbox.owndata.reading import Table, friendly_errors

if TYPE_CHECKING:
    import polars as pl

__all__ = ["SAMPLE_ROWS", "ChartSpec", "build_figure", "choose_charts", "sample_frame"]

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


def _layout(fig: Any, title: str, note: str) -> Any:
    fig.update_layout(
        title={"text": title + (f"<br><sup>{note}</sup>" if note else "")},
        height=360,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def build_figure(spec: ChartSpec, frame: pl.DataFrame, profile: Profile) -> Any:
    """The plotly Figure of ``spec``, drawn from ``frame`` (a typed sample)."""
    import plotly.graph_objects as go
    import polars as pl

    note = f"first {frame.height:,} of {profile.rows:,} rows" if frame.height < profile.rows else ""
    if spec.kind == "histogram":
        (column,) = spec.columns
        values = frame.get_column(column).drop_nulls().cast(pl.Float64).to_list()
        fig = go.Figure(go.Histogram(x=values, marker_color=COLOUR, nbinsx=40, name=column))
        fig.update_xaxes(title_text=column)
        fig.update_yaxes(title_text="rows")
        return _layout(fig, spec.title, note)
    if spec.kind == "bar":
        (column,) = spec.columns
        top = profile.column(column).top_values[:15]
        fig = go.Figure(
            go.Bar(x=[str(v) for v, _ in top], y=[n for _, n in top], marker_color=COLOUR)
        )
        fig.update_xaxes(title_text=column)
        fig.update_yaxes(title_text="rows")
        return _layout(fig, spec.title, "")
    if spec.kind == "time_series":
        date, *measure = spec.columns
        data = frame.select(
            pl.col(date).cast(pl.Datetime), *[pl.col(m) for m in measure]
        ).drop_nulls(date)
        first: Any = data.get_column(date).min()
        last: Any = data.get_column(date).max()
        span = (last - first) if data.height else None
        days = span.days if span is not None else 0
        every, label = (
            ("1d", "day")
            if days <= 120
            else ("1w", "week")
            if days <= 3 * 366
            else ("1mo", "month")
        )
        value = pl.col(measure[0]).sum() if measure else pl.len()
        series = data.group_by(pl.col(date).dt.truncate(every)).agg(value.alias("value")).sort(date)
        fig = go.Figure(go.Scatter(x=series.get_column(date).to_list(), y=series.get_column("value").to_list(),
                                   mode="lines", line={"color": COLOUR}))  # fmt: skip
        fig.update_yaxes(title_text=f"{measure[0]} per {label}" if measure else f"rows per {label}")
        return _layout(fig, spec.title.replace("period", label), note)
    if spec.kind == "correlation":
        numeric = frame.select([pl.col(c).cast(pl.Float64) for c in spec.columns]).drop_nulls()
        names = list(spec.columns)
        if numeric.height >= 2:
            matrix = numeric.corr().to_numpy().round(3).tolist()
        else:
            matrix = [[None] * len(names) for _ in names]
        fig = go.Figure(go.Heatmap(z=matrix, x=names, y=names, zmin=-1, zmax=1, colorscale="RdBu",
                                   text=matrix, texttemplate="%{text}"))  # fmt: skip
        return _layout(fig, spec.title, note)
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
        z = [[float(v) for v in shares.get_column(c).to_list()] for c in names]
        fig = go.Figure(go.Heatmap(z=z, y=names, colorscale=[[0, "#eef3f1"], [1, "#b3261e"]], zmin=0, zmax=1,
                                   colorbar={"title": "share missing"}))  # fmt: skip
        fig.update_xaxes(title_text=f"position in the table ({blocks} blocks of rows)")
        return _layout(fig, spec.title, note or "invalid values count as missing")
    raise ValueError(f"unknown chart kind {spec.kind!r}")

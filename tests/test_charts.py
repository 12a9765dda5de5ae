"""The Vega-Lite specs of sandbox.charts, read as the browser receives them (plain JSON)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from sandbox import charts


def as_json(spec: dict[str, Any]) -> Any:
    """The spec through strict JSON: NaN, timestamps or numpy values would fail here."""
    return json.loads(json.dumps(spec, allow_nan=False))


def test_result_chart_sends_local_wall_clock_times_and_missing_values_as_null() -> None:
    moments = [datetime(2024, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC), None]
    frame = pd.DataFrame({"at": pd.to_datetime(moments, utc=True), "amount": [1.5, float("nan")]})
    spec = as_json(charts.result_chart(frame, "line", "at", "amount"))
    rows = spec["data"]["values"]
    local = datetime(2024, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert rows == [
        {"row": 0, "x": local.isoformat(timespec="milliseconds"), "y": 1.5},
        {"row": 1, "x": None, "y": None},
    ]
    encoding = spec["encoding"]
    assert encoding["x"] == {"field": "x", "type": "temporal", "title": "at"}
    assert encoding["order"]["field"] == "row", "a line follows the rows"


def test_result_chart_histogram_counts_x_and_refuses_unknown_kinds() -> None:
    frame = pd.DataFrame({"city": ["Oslo", "Rome", "Oslo"], "n": [1, 2, 3]})
    spec = as_json(charts.result_chart(frame, "histogram", "city", None))
    assert [r["x"] for r in spec["data"]["values"]] == ["Oslo", "Rome", "Oslo"]
    assert spec["encoding"]["y"]["aggregate"] == "count"
    with pytest.raises(ValueError, match="needs a y column"):
        charts.result_chart(frame, "bar", "city", None)
    with pytest.raises(ValueError, match="Unknown chart kind"):
        charts.result_chart(frame, "pie", "city", "n")


def test_a_long_calendar_takes_the_page_width_and_leaves_the_future_blank() -> None:
    today = date(2026, 12, 2)  # a Wednesday
    first = today - timedelta(weeks=40)
    per_day = {first: 2, today: 5}
    weeks = charts.calendar_weeks(first, today)
    assert weeks == 41 and not charts.calendar_is_fixed(weeks)
    spec = as_json(charts.activity_calendar(per_day, today, weeks))
    assert "width" not in spec, "stretched over the page, not one step per week"
    cells = spec["data"]["values"]
    assert len(cells) == 40 * 7 + 3, "Monday to Wednesday of this week, nothing after today"
    assert {c["day"]: c["events"] for c in cells if c["events"]} == {
        first.isoformat(): 2,
        today.isoformat(): 5,
    }
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 5]


def test_importance_bars_put_the_largest_first() -> None:
    spec = as_json(charts.param_importance_bars({"x": 0.2, "depth": 0.8}))
    rows = spec["data"]["values"]
    assert [(r["name"], r["score"]) for r in rows] == [("depth", 0.8), ("x", 0.2)]
    assert spec["encoding"]["y"]["sort"] == ["depth", "x"]

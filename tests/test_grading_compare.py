"""Comparisons and the placeholder, without a kernel."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import polars as pl
import pytest

from sandbox.grading.compare import (
    compare_figure,
    compare_frame,
    compare_sequence,
    compare_series,
    compare_set,
    compare_value,
)
from sandbox.grading.outcome import PLACEHOLDER, Fail, PlaceholderError


def fails(func, *args, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Fail, match=match):
        func(*args)


def test_values_with_tolerance_and_direction_without_revealing_answer() -> None:
    compare_value("x", 0.1 + 0.2, 0.3, {})
    compare_value("x", 1.004, 1.0, {"rtol": 0.01})
    with pytest.raises(Fail) as info:
        compare_value("x", 28, 31, {})
    assert (
        "`x` is 28" in str(info.value)
        and "too low" in str(info.value)
        and "31" not in str(info.value)
    )
    fails(compare_value, "x", 35, 31, {}, match="too high")
    fails(compare_value, "x", "31", 31, {}, match="expected a number")
    fails(compare_value, "name", "bob", "alice", {}, match="not the expected value")
    fails(compare_value, "flag", 1, True, {}, match="expected a bool")
    import numpy as np

    compare_value("flag", np.bool_(True), True, {})  # numpy scalars are plain values to the learner
    fails(compare_value, "p", np.float64(0.25), 0.5, {}, match="`p` is 0.25, which is too low")


def test_sequences_and_sets() -> None:
    compare_sequence("s", [1, 2, 3.0000000001], [1, 2, 3], {})
    compare_sequence("s", (3, 1, 2), [1, 2, 3], {"ordered": False})
    fails(compare_sequence, "s", [1, 2], [1, 2, 3], {}, match="has 2 items; expected 3")
    fails(compare_sequence, "s", [1, 5, 3], [1, 2, 3], {}, match="item 1: you have 5")
    fails(compare_sequence, "s", "abc", ["a", "b", "c"], {}, match="expected a sequence")
    compare_set("u", {1, 2}, [2, 1, 1], {})
    fails(
        compare_set,
        "u",
        {1, 2, 7},
        {1, 2, 3},
        {},
        match="1 expected value.*missing.*should not be there",
    )


def test_frames_report_columns_rows_dtypes_and_first_cell() -> None:
    expected = pd.DataFrame({"country": ["UK", "FR", "DE"], "revenue": [1240.5, 300.0, 12.25]})
    compare_frame("top", expected.copy(), expected, {})
    fails(
        compare_frame,
        "top",
        expected.drop(columns="revenue"),
        expected,
        {},
        match="missing column.*`revenue`",
    )
    fails(
        compare_frame,
        "top",
        expected.assign(extra=1),
        expected,
        {},
        match="unexpected column.*`extra`",
    )
    fails(compare_frame, "top", expected.head(2), expected, {}, match="has 2 rows; expected 3")
    fails(
        compare_frame,
        "top",
        expected.astype({"revenue": str}),
        expected,
        {},
        match="column `revenue` has dtype",
    )
    wrong = expected.copy()
    wrong.loc[2, "revenue"] = 12.5
    fails(
        compare_frame,
        "top",
        wrong,
        expected,
        {},
        match=r"row 2, column `revenue`: you have 12.5, expected 12.25",
    )
    shuffled = expected.iloc[[2, 0, 1]].reset_index(drop=True)
    fails(compare_frame, "top", shuffled, expected, {}, match="first differs at row 0")
    compare_frame("top", shuffled, expected, {"check_row_order": False})
    compare_frame("top", expected[["revenue", "country"]], expected, {})
    fails(
        compare_frame,
        "top",
        expected[["revenue", "country"]],
        expected,
        {"check_column_order": True},
        match="wrong order",
    )
    fails(
        compare_frame, "top", [1, 2], expected, {}, match="is a list; expected a pandas DataFrame"
    )


def test_polars_frames_and_meaningful_index() -> None:
    expected = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    compare_frame("p", pl.DataFrame({"a": [1, 2], "b": ["x", "y"]}), expected, {})
    fails(
        compare_frame,
        "p",
        pl.DataFrame({"a": [1, 3], "b": ["x", "y"]}),
        expected,
        {},
        match="row 1, column `a`",
    )
    indexed = pd.DataFrame({"n": [3, 1]}, index=pd.Index(["a", "b"], name="k"))
    fails(compare_frame, "g", indexed.reset_index(drop=True), indexed, {}, match="different index")


def test_lazy_results_get_advice_not_a_crash() -> None:
    import duckdb
    import pyarrow as pa

    expected = pd.DataFrame({"a": [1, 2]})
    fails(
        compare_frame,
        "q",
        pl.DataFrame({"a": [1, 2]}).lazy(),
        expected,
        {},
        match=r"LazyFrame.*\.collect\(\)",
    )
    fails(
        compare_frame,
        "q",
        duckdb.sql("SELECT 1 AS a"),
        expected,
        {},
        match=r"DuckDB relation.*\.df\(\)",
    )
    compare_frame("q", pa.table({"a": [1, 2]}), expected, {})


def test_series() -> None:
    expected = pd.Series([1.0, 2.0], index=["a", "b"], name="total")
    compare_series("s", expected.copy(), expected, {})
    fails(compare_series, "s", expected * 2, expected, {}, match="first differs at row 0")
    fails(compare_series, "s", expected.to_frame(), expected, {}, match="expected a pandas Series")


def test_plotly_figures() -> None:
    data = pd.DataFrame({"month": [1, 2, 3], "sales": [3, 5, 4]})
    expected = px.line(data, x="month", y="sales", labels={"sales": "Sales (£)"})
    compare_figure(
        "fig", px.line(data, x="month", y="sales", labels={"sales": "Sales (£)"}), expected, {}
    )
    fails(
        compare_figure,
        "fig",
        px.bar(data, x="month", y="sales", labels={"sales": "Sales (£)"}),
        expected,
        {},
        match="draws bar",
    )
    fails(
        compare_figure,
        "fig",
        px.line(data, x="month", y="sales"),
        expected,
        {},
        match="y-axis title is 'sales'; expected 'Sales",
    )
    fails(compare_figure, "fig", "a chart", expected, {}, match="expected a plotly Figure")
    fails(
        compare_figure,
        "fig",
        px.line(data, x="month", y="sales", labels={"sales": "Sales (£)"}),
        expected,
        {"check_title": True},
        match="has no title",
    )


def test_placeholder_refuses_use_with_a_clear_message() -> None:
    assert repr(PLACEHOLDER) == "____"
    for use in (
        lambda: PLACEHOLDER + 1,
        lambda: PLACEHOLDER.head(),
        lambda: len(PLACEHOLDER),
        lambda: PLACEHOLDER(),
    ):
        with pytest.raises(PlaceholderError, match="Replace ____"):
            use()

"""Comparisons and the placeholder, without a kernel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.express as px
import polars as pl
import pytest

from sandbox.catalogue import load_catalogue
from sandbox.errors import CatalogueError
from sandbox.grading.compare import (
    compare_figure,
    compare_frame,
    compare_sequence,
    compare_series,
    compare_set,
    compare_value,
    dtype_family,
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
    fails(
        compare_frame,
        "g",
        indexed.reset_index(drop=True),
        indexed,
        {},
        match="default 0, 1, 2, … index; expected `k` as its index",
    )


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


# ------------------------------------------------------------------ comparison semantics
# One test per rule of docs/authoring.md, "Comparison semantics".


def test_integer_type_refuses_a_whole_float() -> None:
    import numpy as np

    compare_value("n", 1938.0, 1938, {})  # no type asked: a whole float is the number
    fails(compare_value, "n", 1938.0, 1938, {"type": "integer"}, match="asks for an integer")
    fails(
        compare_value, "n", np.float64(1938), 1938, {"type": "integer"}, match="asks for an integer"
    )
    fails(compare_value, "n", True, 1, {"type": "integer"}, match="asks for an integer")
    compare_value("n", 1938, 1938, {"type": "integer"})
    compare_value("n", np.int64(1938), 1938, {"type": "integer"})  # len() of numpy is still int
    fails(compare_value, "n", 1937, 1938, {"type": "integer"}, match="too low")


def test_set_type_refuses_arrays_and_lists() -> None:
    import numpy as np

    expected = {"lamp", "chair"}
    for other in (np.array(["lamp", "chair"]), ["lamp", "chair"], ("lamp", "chair")):
        fails(compare_set, "s", other, expected, {"type": "set"}, match="asks for a set: .*set\\(")
    compare_set("s", {"chair", "lamp"}, expected, {"type": "set"})
    compare_set("s", frozenset({"chair", "lamp"}), expected, {"type": "set"})


def test_set_without_type_takes_any_collection_of_distinct_values() -> None:
    import numpy as np

    expected = {"lamp", "chair"}
    compare_set("s", ["lamp", "chair"], expected, {})
    compare_set("s", np.array(["chair", "lamp"]), expected, {})
    compare_set("s", pd.Series(["chair", "lamp"]), expected, {})
    fails(compare_set, "s", ["lamp", "chair", "lamp"], expected, {}, match="'lamp' more than once")
    fails(compare_set, "s", "lampchair", expected, {}, match="collection of distinct values")
    fails(compare_set, "s", {"lamp": 1, "chair": 2}, expected, {}, match="collection")


def test_sequences_keep_order_unless_told_and_a_list_type_wants_a_list() -> None:
    import numpy as np

    expected = ["a", "b", "c"]
    compare_sequence("q", np.array(["a", "b", "c"]), expected, {"ordered": True})
    compare_sequence("q", ("a", "b", "c"), expected, {"ordered": True})
    fails(compare_sequence, "q", ["b", "a", "c"], expected, {"ordered": True}, match="item 0")
    compare_sequence("q", ["b", "a", "c"], expected, {"ordered": False})
    fails(compare_sequence, "q", {"a", "b", "c"}, expected, {"ordered": True}, match="has no order")
    compare_sequence("q", {"a", "b", "c"}, expected, {"ordered": False})
    fails(
        compare_sequence, "q", ("a", "b", "c"), expected, {"type": "list"}, match="asks for a list"
    )
    fails(compare_sequence, "q", np.array(expected), expected, {"type": "list"}, match="tolist")
    compare_sequence("q", ["a", "b", "c"], expected, {"type": "list", "ordered": True})


def test_row_order_is_strict_only_when_asked() -> None:
    expected = pd.Series([3, 2, 1], index=pd.Index(["x", "y", "z"], name="k"), name="n")
    other_order = expected.sort_index(ascending=False)
    compare_series("s", other_order, expected, {"check_row_order": False})
    fails(compare_series, "s", other_order, expected, {"check_row_order": True}, match="row 0")
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    reversed_rows = frame.iloc[::-1].reset_index(drop=True)
    compare_frame("f", reversed_rows, frame, {"check_row_order": False})
    fails(compare_frame, "f", reversed_rows, frame, {"check_row_order": True}, match="row 0")


@pytest.mark.parametrize(
    ("dtype", "family"),
    [
        ("int64", "integer"),
        ("int32", "integer"),
        ("Int64", "integer"),
        ("UInt32", "integer"),
        ("int64[pyarrow]", "integer"),
        ("uint8[pyarrow]", "integer"),
        ("float64", "float"),
        ("Float64", "float"),
        ("double[pyarrow]", "float"),
        ("float[pyarrow]", "float"),
        ("decimal128(10, 2)[pyarrow]", "float"),
        ("bool", "boolean"),
        ("boolean", "boolean"),
        ("bool[pyarrow]", "boolean"),
        ("Boolean", "boolean"),
        ("datetime64[ns]", "datetime"),
        ("datetime64[us, UTC]", "datetime"),
        ("timestamp[ns][pyarrow]", "datetime"),
        ("timestamp[us, tz=UTC][pyarrow]", "datetime"),
        ("date32[day][pyarrow]", "datetime"),
        ("Date", "datetime"),
        ("Datetime(time_unit='us', time_zone=None)", "datetime"),
        ("timedelta64[ns]", "duration"),
        ("duration[us][pyarrow]", "duration"),
        ("Duration(time_unit='us')", "duration"),
        ("time64[us][pyarrow]", "time"),
        ("object", "text"),
        ("str", "text"),
        ("string", "text"),
        ("string[pyarrow]", "text"),
        ("large_string[pyarrow]", "text"),
        ("String", "text"),
        ("category", "text"),
        ("Categorical", "text"),
        ("dictionary<values=string, indices=int32, ordered=0>[pyarrow]", "text"),
        ("interval[int64, right]", "interval[int64, right]"),  # not an integer column
        ("period[M]", "period[m]"),
    ],
)
def test_dtype_families(dtype: str, family: str) -> None:
    assert dtype_family(dtype) == family


def test_arrow_backed_frames_match_their_numpy_twins() -> None:
    expected = pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "quantity": [2, 5],
            "unit_price": [1.5, 2.25],
            "country": ["Spain", "France"],
            "paid": [True, False],
        }
    )
    arrow = expected.convert_dtypes(dtype_backend="pyarrow")
    assert str(arrow["unit_price"].dtype) == "double[pyarrow]"
    compare_frame("sales", arrow, expected, {})
    dates = expected.assign(order_date=expected["order_date"].dt.date.astype("date32[pyarrow]"))
    compare_frame("sales", dates, expected, {})  # a date is the timestamp of its midnight
    fails(compare_frame, "sales", arrow, expected, {"check_dtype": "exact"}, match="has dtype")
    as_text = arrow.astype({"quantity": "large_string[pyarrow]"})
    fails(compare_frame, "sales", as_text, expected, {}, match="`quantity` has dtype large_string")
    later = dates.assign(
        order_date=dates["order_date"].astype("timestamp[us][pyarrow]") + pd.Timedelta(hours=1)
    )
    fails(compare_frame, "sales", later, expected, {}, match="column `order_date`")


def test_column_and_index_names_must_be_exact() -> None:
    expected = pd.DataFrame({"category": ["a", "b"], "revenue": [1.0, 2.0]})
    fails(
        compare_frame,
        "t",
        expected.rename(columns={"revenue": "Revenue"}),
        expected,
        {},
        match="has a column `Revenue` where `revenue` is expected",
    )
    fails(
        compare_frame,
        "t",
        expected.rename(columns={"revenue": "revenue "}),
        expected,
        {},
        match="where `revenue` is expected",
    )
    by_year = pd.DataFrame({2024: [1.0], 2025: [2.0]})
    fails(
        compare_frame,
        "t",
        by_year.rename(columns=str),
        by_year,
        {},
        match="column named '2024'.*expected 2024",
    )
    fails(
        compare_frame,
        "t",
        expected.set_index("category"),
        expected,
        {},
        match="missing column.*`category`: it is the index.*reset_index",
    )
    indexed = expected.set_index("category")
    fails(
        compare_frame,
        "t",
        indexed.rename_axis("cat"),
        indexed,
        {},
        match="index named `cat`; expected `category` as its index",
    )
    series = indexed["revenue"]
    compare_series("s", series.rename("anything"), series, {})  # a Series' own name is free


def test_row_labels_are_compared_unless_the_task_sets_them_free() -> None:
    sales = pd.DataFrame({"quantity": [1, 7, 3, 9]})
    bulk = sales[sales["quantity"] >= 5]
    fresh = bulk.reset_index(drop=True)
    fails(compare_frame, "bulk", fresh, bulk, {}, match="original row labels")
    relabelled = bulk.set_axis([10, 11])
    fails(compare_frame, "bulk", relabelled, bulk, {}, match="in its row labels: you have 10")
    compare_frame("bulk", fresh, bulk, {"check_index": False})
    compare_frame("bulk", bulk.iloc[::-1], bulk, {"check_row_order": False})


def test_free_order_pairs_rows_by_their_labels_when_labels_count() -> None:
    expected = pd.Series(["UK", "France", "Spain"], name="country")  # labels 0, 1, 2 of a table
    shuffled = expected.iloc[[2, 0, 1]]  # same label -> value pairs, other order
    misaligned = pd.Series(["France", "Spain", "UK"], name="country")  # values under wrong labels
    compare_series("c", shuffled, expected, {"check_row_order": False, "check_index": True})
    fails(
        compare_series,
        "c",
        misaligned,
        expected,
        {"check_row_order": False, "check_index": True},
        match="row 0, column `country`: you have 'France', expected 'UK'",
    )
    # Without check_index the default 0..n-1 labels are free, so only the values count.
    compare_series("c", misaligned, expected, {"check_row_order": False})


def test_figures_are_checked_against_the_numbers_they_draw() -> None:
    import plotly.graph_objects as go

    data = pd.DataFrame({"method": ["card", "invoice", "paypal"], "rate": [21.9, 32.4, 22.6]})
    labels = {"method": "Method", "rate": "Rate (%)"}
    expected = px.bar(data, x="method", y="rate", labels=labels)
    compare_figure(
        "fig", px.bar(data.iloc[::-1], x="method", y="rate", labels=labels), expected, {}
    )
    drawn = go.Figure(go.Bar(x=list(data["method"]), y=list(data["rate"])))
    drawn.update_layout(xaxis_title="Method", yaxis_title="Rate (%)")
    compare_figure("fig", drawn, expected, {})
    typed = data.assign(rate=[30.0, 25.0, 20.0])
    fails(
        compare_figure,
        "fig",
        px.bar(typed, x="method", y="rate", labels=labels),
        expected,
        {},
        match="shows 30 at card, which is not what the data gives",
    )
    compare_figure(
        "fig", px.bar(typed, x="method", y="rate", labels=labels), expected, {"check_data": False}
    )
    fails(
        compare_figure,
        "fig",
        px.bar(data.assign(method=["a", "b", "c"]), x="method", y="rate", labels=labels),
        expected,
        {},
        match="draws nothing at card",
    )
    sideways = px.bar(data, y="method", x="rate", orientation="h", labels=labels)
    sideways.update_layout(xaxis_title="Method", yaxis_title="Rate (%)")
    fails(compare_figure, "fig", sideways, expected, {}, match="expected vertical bars")


def test_manifests_state_order_and_type_options(fixture_content: Path) -> None:
    manifest = fixture_content / "challenges" / "level_1" / "alpha" / "challenge.toml"
    text = manifest.read_text()
    first = 'check = { kind = "value" }'

    def load_with(check: str) -> None:
        manifest.write_text(text.replace(first, check, 1))
        load_catalogue(fixture_content)

    load_with('check = { kind = "value", type = "integer" }')
    load_with('check = { kind = "series", check_row_order = false, check_index = false }')
    load_with('check = { kind = "sequence", ordered = true, type = "list" }')
    with pytest.raises(CatalogueError, match=r"check_row_order': missing: say whether order"):
        load_with('check = { kind = "frame" }')
    with pytest.raises(CatalogueError, match=r"ordered': missing"):
        load_with('check = { kind = "sequence" }')
    with pytest.raises(CatalogueError, match=r"a set check may require 'set', got 'list'"):
        load_with('check = { kind = "set", type = "list" }')
    with pytest.raises(CatalogueError, match=r"check_row_order': expected true or false"):
        load_with('check = { kind = "frame", check_row_order = "yes" }')
    with pytest.raises(CatalogueError, match=r"check_dtype': expected one of"):
        load_with('check = { kind = "frame", check_row_order = true, check_dtype = "loose" }')
    with pytest.raises(CatalogueError, match=r"rtol': expected a number of at least 0"):
        load_with('check = { kind = "value", rtol = -1 }')

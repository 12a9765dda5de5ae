"""Comparisons of a learner's value with the reference value, with learner-facing messages.

Each ``compare_*`` returns None when the values match and raises :class:`Fail`
with a message that names the variable and the first difference. Messages never
print the whole expected answer: for a scalar they say "too high/too low"; for a
table they name the first differing cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from sandbox.grading.outcome import Fail

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


def type_names(value: Any) -> tuple[str, str]:
    """(top-level module, class name) of a value, or of the value a judge-side record stands for."""
    from sandbox.grading.records import Record

    if isinstance(value, Record):
        module, _, name = value.source_type.rpartition(".")
        return module.split(".")[0], name
    return type(value).__module__.split(".")[0], type(value).__name__


def describe_type(value: Any) -> str:
    """A short, learner-friendly name for a value's type."""
    module, name = type_names(value)
    if module in ("builtins", "") and name in ("function", "method", "builtin_function_or_method"):
        return "a function"
    if module in ("pandas", "polars", "numpy", "plotly", "sklearn"):
        return f"a {module} {name}"
    return f"a {name}" if name[0].lower() not in "aeiou" else f"an {name}"


def _short(value: Any, limit: int = 60) -> str:
    if _is_number(value) and not isinstance(value, complex):
        # numpy scalars repr as np.float64(…); learners wrote a number, so show one.
        number = float(value)
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:.6g}"
        return text
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_number(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _numbers_close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(fa) and math.isnan(fb):
        return True
    return math.isclose(fa, fb, rel_tol=rtol, abs_tol=atol)


def _values_equal(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if _is_number(a) and _is_number(b):
        return _numbers_close(a, b, rtol, atol)
    try:
        if _is_missing(a) and _is_missing(b):
            return True
    except (TypeError, ValueError):
        pass
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    module = type(value).__module__
    if module.startswith("pandas"):
        import pandas as pd

        return bool(pd.isna(value))
    return False


def _plain(value: Any) -> Any:
    """numpy scalars (np.bool_, np.float64, …) as the Python values they stand for."""
    if (
        type(value).__module__ == "numpy"
        and hasattr(value, "item")
        and getattr(value, "ndim", None) == 0
    ):
        return value.item()
    return value


def compare_value(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """Scalars (numbers with tolerance, strings, booleans, anything with ==)."""
    got, expected = _plain(got), _plain(expected)
    rtol = float(options.get("rtol", DEFAULT_RTOL))
    atol = float(options.get("atol", DEFAULT_ATOL))
    if _is_number(expected):
        if not _is_number(got):
            raise Fail(f"`{name}` is {describe_type(got)} ({_short(got)}); expected a number.")
        if _numbers_close(got, expected, rtol, atol):
            return
        direction = "too high" if float(got) > float(expected) else "too low"
        raise Fail(f"`{name}` is {_short(got)}, which is {direction}.")
    if type(got) is not type(expected) and not (isinstance(got, str) and isinstance(expected, str)):
        raise Fail(f"`{name}` is {describe_type(got)}; expected {describe_type(expected)}.")
    if not _values_equal(got, expected, rtol, atol):
        raise Fail(f"`{name}` is {_short(got)}, which is not the expected value.")


def compare_sequence(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """Lists, tuples, arrays, index objects: length first, then the first differing item."""
    rtol = float(options.get("rtol", DEFAULT_RTOL))
    atol = float(options.get("atol", DEFAULT_ATOL))
    ordered = bool(options.get("ordered", True))
    if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__") or isinstance(got, Mapping):
        raise Fail(
            f"`{name}` is {describe_type(got)}; expected a sequence of {len(list(expected))} items."
        )
    got_items, expected_items = list(got), list(expected)
    if len(got_items) != len(expected_items):
        raise Fail(f"`{name}` has {len(got_items)} items; expected {len(expected_items)}.")
    if not ordered:
        try:
            got_items, expected_items = sorted(got_items), sorted(expected_items)
        except TypeError:
            got_items, expected_items = (
                sorted(got_items, key=repr),
                sorted(expected_items, key=repr),
            )
    for index, (g, e) in enumerate(zip(got_items, expected_items, strict=True)):
        if not _values_equal(g, e, rtol, atol):
            where = "item" if ordered else "item (after sorting)"
            raise Fail(f"`{name}` differs at {where} {index}: you have {_short(g)}.")


def compare_set(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """Unordered collections: names what is missing and what is extra."""
    try:
        got_set, expected_set = set(got), set(expected)
    except TypeError:
        raise Fail(
            f"`{name}` is {describe_type(got)}; expected a collection of distinct values."
        ) from None
    missing, extra = expected_set - got_set, got_set - expected_set
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append(f"{len(missing)} expected value(s) are missing")
    if extra:
        shown = ", ".join(_short(v) for v in sorted(extra, key=repr)[:3])
        parts.append(f"{len(extra)} value(s) should not be there (e.g. {shown})")
    raise Fail(f"`{name}`: " + "; ".join(parts) + ".")


def _unfinished_query(name: str, value: Any) -> None:
    """Lazy results are a plan, not data: say how to run them instead of failing obscurely."""
    module, kind = type_names(value)
    if module.startswith("polars") and kind == "LazyFrame":
        raise Fail(f"`{name}` is a polars LazyFrame (a query plan): call `.collect()` to run it.")
    if module.startswith("duckdb") and "Relation" in kind:
        raise Fail(
            f"`{name}` is a DuckDB relation (an unrun query): fetch it with `.df()`, `.pl()` or `.to_arrow_table()`."
        )
    if module.startswith("pyarrow") and kind == "RecordBatchReader":
        raise Fail(f"`{name}` is an Arrow stream reader: call `.read_all()` to get a Table.")


def _to_pandas(value: Any) -> Any:
    module = type(value).__module__
    if module.startswith("polars") and hasattr(value, "to_pandas"):
        return value.to_pandas()
    return value


def _dtype_names(frame: Any) -> dict[str, str]:
    module = type(frame).__module__
    if module.startswith("polars"):
        return {str(k): str(v) for k, v in frame.schema.items()}
    return {str(k): str(v) for k, v in frame.dtypes.items()}


def _dtype_family(dtype: str) -> str:
    """Coarse dtype families so int64 vs Int64 vs i64 are not reported as different."""
    d = dtype.lower()
    if d.startswith(("int", "uint", "i", "u")) and any(ch.isdigit() for ch in d):
        return "integer"
    if d.startswith(("float", "f")) and any(ch.isdigit() for ch in d):
        return "float"
    if "datetime" in d or d.startswith("date"):
        return "datetime"
    if d in (
        "object",
        "str",
        "string",
        "utf8",
        "string[python]",
        "string[pyarrow]",
        "category",
        "categorical",
    ):
        return "text"
    if d.startswith("bool"):
        return "boolean"
    return d


def compare_frame(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """pandas or polars DataFrames: shape, columns, dtypes, then the first differing cell."""
    import pandas as pd

    _unfinished_query(name, got)
    if type(got).__module__.startswith("pyarrow") and hasattr(got, "to_pandas"):
        got = got.to_pandas()  # an Arrow Table is compared as the frame it holds
    if not (isinstance(_to_pandas(got), pd.DataFrame)):
        raise Fail(f"`{name}` is {describe_type(got)}; expected {describe_type(expected)}.")
    rtol = float(options.get("rtol", DEFAULT_RTOL))
    atol = float(options.get("atol", DEFAULT_ATOL))
    check_dtype = options.get("check_dtype", "family")
    got_cols = [str(c) for c in got.columns]
    exp_cols = [str(c) for c in expected.columns]
    missing = [c for c in exp_cols if c not in got_cols]
    extra = [c for c in got_cols if c not in exp_cols]
    if missing or extra:
        parts = []
        if missing:
            parts.append("is missing column(s) " + ", ".join(f"`{c}`" for c in missing))
        if extra:
            parts.append("has unexpected column(s) " + ", ".join(f"`{c}`" for c in extra))
        raise Fail(f"`{name}` " + " and ".join(parts) + ".")
    if options.get("check_column_order", False) and got_cols != exp_cols:
        raise Fail(
            f"`{name}` has the right columns in the wrong order: expected {', '.join(exp_cols)}."
        )
    if got.shape[0] != expected.shape[0]:
        raise Fail(f"`{name}` has {got.shape[0]} rows; expected {expected.shape[0]}.")
    got_types, exp_types = _dtype_names(got), _dtype_names(expected)
    numeric = {"integer", "float"}

    def dtype_problems(kinds_differ: bool) -> None:
        for col in exp_cols:
            g, e = got_types[col], exp_types[col]
            same = g == e if check_dtype == "exact" else _dtype_family(g) == _dtype_family(e)
            both_numeric = {_dtype_family(g), _dtype_family(e)} <= numeric
            if not same and both_numeric != kinds_differ:
                raise Fail(f"`{name}` column `{col}` has dtype {g}; expected {e}.")

    # Text where dates belong says more than any cell; int vs float is best explained by the
    # values (a sum where a mean was asked), so numeric dtypes are compared after the cells.
    if check_dtype:
        dtype_problems(kinds_differ=True)
    left = _to_pandas(got)[exp_cols].reset_index(drop=not _keeps_index(expected))
    right = _to_pandas(expected)[exp_cols].reset_index(drop=not _keeps_index(expected))
    if not options.get("check_row_order", True):
        left = _sorted_rows(left)
        right = _sorted_rows(right)
    _first_difference(name, left, right, rtol, atol)
    if check_dtype:
        dtype_problems(kinds_differ=False)


def _keeps_index(frame: Any) -> bool:
    """A meaningful (non-default) pandas index is compared as columns; a RangeIndex is not."""
    import pandas as pd

    if type(frame).__module__.startswith("polars"):
        return False
    index = frame.index
    return not (isinstance(index, pd.RangeIndex) and index.name is None)


def _sorted_rows(frame: Any) -> Any:
    columns = list(frame.columns)
    try:
        return frame.sort_values(columns, kind="stable").reset_index(drop=True)
    except TypeError:
        return frame.astype(str).sort_values(columns, kind="stable").reset_index(drop=True)


def _first_difference(name: str, left: Any, right: Any, rtol: float, atol: float) -> None:
    columns = list(right.columns)
    if list(left.columns) != columns:
        # A meaningful index on one side only: name it rather than compare garbage.
        raise Fail(
            f"`{name}` has a different index from the expected one (check set_index/reset_index)."
        )
    for col in columns:
        lcol, rcol = left[col].tolist(), right[col].tolist()
        for row, (g, e) in enumerate(zip(lcol, rcol, strict=True)):
            if not _values_equal(g, e, rtol, atol):
                raise Fail(
                    f"`{name}` first differs at row {row}, column `{col}`: you have {_short(g, 40)}, expected {_short(e, 40)}."
                )


def compare_series(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """pandas or polars Series: compared as one-column frames (index included for pandas)."""
    import pandas as pd

    _unfinished_query(name, got)
    pandas_got = _to_pandas(got)
    if not isinstance(pandas_got, pd.Series):
        raise Fail(f"`{name}` is {describe_type(got)}; expected {describe_type(expected)}.")
    # Both sides get the expected Series' name, so messages speak of the column the learner sees.
    label = str(expected.name) if getattr(expected, "name", None) not in (None, "") else "values"
    got_frame, exp_frame = _series_frame(got, label), _series_frame(expected, label)
    compare_frame(name, got_frame, exp_frame, options)


def _series_frame(series: Any, label: str) -> Any:
    return _to_pandas(series).rename(label).to_frame()


def _axis_title(axis: Any) -> str | None:
    title = getattr(axis, "title", None)
    text = getattr(title, "text", None)
    return str(text) if text else None


def compare_figure(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """plotly figures: number and types of traces, axis titles (and the title when asked)."""
    if not (type(got).__module__.startswith("plotly") and hasattr(got, "data")):
        raise Fail(
            f"`{name}` is {describe_type(got)}; expected a plotly Figure (e.g. from plotly.express)."
        )
    got_types = [t.type for t in got.data]
    exp_types = [t.type for t in expected.data]
    if len(got_types) != len(exp_types):
        raise Fail(f"`{name}` has {len(got_types)} trace(s); expected {len(exp_types)}.")
    if sorted(got_types) != sorted(exp_types):
        raise Fail(
            f"`{name}` draws {', '.join(got_types)}; expected a chart of type {', '.join(sorted(set(exp_types)))}."
        )
    if options.get("check_axis_titles", True):
        for axis in ("xaxis", "yaxis"):
            want = _axis_title(getattr(expected.layout, axis))
            have = _axis_title(getattr(got.layout, axis))
            if want and (have or "").strip().lower() != want.strip().lower():
                raise Fail(f"`{name}` {axis[0]}-axis title is {have!r}; expected {want!r}.")
    if options.get("check_title", False):
        want = _axis_title(expected.layout)
        have = _axis_title(got.layout)
        if not have:
            raise Fail(f"`{name}` has no title; give the chart a title that says what it shows.")
        if want and options.get("check_title") == "exact" and have.strip() != want.strip():
            raise Fail(f"`{name}` title is {have!r}; expected {want!r}.")


COMPARATORS: dict[str, Callable[[str, Any, Any, Mapping[str, Any]], None]] = {
    "value": compare_value,
    "sequence": compare_sequence,
    "set": compare_set,
    "frame": compare_frame,
    "series": compare_series,
    "figure": compare_figure,
}

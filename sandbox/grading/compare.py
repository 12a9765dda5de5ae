"""Comparisons of a learner's value with the reference value, with learner-facing messages.

Each ``compare_*`` returns None when the values match and raises :class:`Fail`
with a message that names the variable and the first difference. Messages never
print the whole expected answer: for a scalar they say "too high/too low"; for a
table they name the first differing cell.

The rules (one table in ``docs/authoring.md``, "Comparison semantics"; a test for each in
``tests/test_grading_compare.py``):

- numbers agree within ``rtol``/``atol``; ``type = "integer"`` (value checks) also requires a
  whole-number type (``int`` or a numpy integer, never a float that happens to be whole);
- ``set`` checks compare distinct values in any order; ``type = "set"`` requires a Python
  ``set``/``frozenset``; any other collection must not repeat a value;
- ``sequence`` checks compare items in order unless ``ordered = false``; a set is refused where
  the order matters; ``type = "list"`` requires a Python ``list``;
- frames and series compare rows in order unless ``check_row_order = false`` (the manifest
  says which for every task), and then rows pair up by their index, else by their values; the
  index is compared as data unless it is pandas' default 0…n-1 (``check_index = true`` compares
  even that one, ``check_index = false`` none);
- column and index names must be exactly the expected ones (same text, same case, a string
  where the reference has a string);
- dtypes are compared by family (:func:`dtype_family`): numpy, pandas nullable, Arrow-backed
  (``double[pyarrow]``…) and polars dtypes of one kind agree; ``check_dtype = "exact"`` compares
  the names; a date and a timestamp at midnight are the same value;
- figures compare trace kinds, axis titles and, unless ``check_data = false``, the numbers each
  trace draws (its x/y points in any order).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from sandbox.grading.outcome import Fail

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9

#: The name given to an unnamed index while comparing it as a column.
ROW_LABELS = "row labels"


def type_names(value: Any) -> tuple[str, str]:
    """(top-level module, class name) of a value, or of the value a judge-side record stands for."""
    from sandbox.grading.records import Record

    if isinstance(value, Record):
        module, _, name = value.source_type.rpartition(".")
        return module.split(".")[0], name
    return type(value).__module__.split(".")[0], type(value).__name__


#: What a learner's value is when it is one of the grader's own records: a kernel only holds
#: one by reading saved answers (the expected-value cache), never by computing it.
COPIED_RECORD = (
    "a copy of a result saved by the grader ({name}), not one this notebook computed: it looks "
    "typed in rather than computed"
)


def describe_type(value: Any) -> str:
    """A short, learner-friendly name for a value's type."""
    from sandbox.grading.records import Record

    if isinstance(value, Record) and value.source_type.startswith("sandbox.grading.records."):
        return COPIED_RECORD.format(name=value.type_name)
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


def _is_integer(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _numbers_close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(fa) and math.isnan(fb):
        return True
    return math.isclose(fa, fb, rel_tol=rtol, abs_tol=atol)


def _as_instant(value: Any) -> Any:
    """A date as the timestamp of its midnight, so `date32` and `datetime64` cells agree."""
    import datetime

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _values_equal(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if _is_number(a) and _is_number(b):
        return _numbers_close(a, b, rtol, atol)
    try:
        if _is_missing(a) and _is_missing(b):
            return True
    except (TypeError, ValueError):
        pass
    a, b = _as_instant(a), _as_instant(b)
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
    if options.get("type") == "integer" and not _is_integer(got):
        raise Fail(
            f"`{name}` is {describe_type(got)} ({_short(got)}); the task asks for an integer, "
            "a whole-number type: compute it as one (`len(...)`, `.shape[0]`) or convert it with `int(...)`."
        )
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


def _not_a_collection(value: Any) -> bool:
    return (
        isinstance(value, (str, bytes, Mapping))
        or not hasattr(value, "__iter__")
        or type_names(value)[1] in ("DataFrame", "LazyFrame")
    )


def compare_sequence(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """Lists, tuples, arrays, index objects: length first, then the first differing item."""
    rtol = float(options.get("rtol", DEFAULT_RTOL))
    atol = float(options.get("atol", DEFAULT_ATOL))
    ordered = bool(options.get("ordered", True))
    if _not_a_collection(got):
        raise Fail(
            f"`{name}` is {describe_type(got)}; expected a sequence of {len(list(expected))} items."
        )
    if options.get("type") == "list" and not isinstance(got, list):
        raise Fail(
            f"`{name}` is {describe_type(got)}; the task asks for a list: convert it with "
            "`list(...)` (or `.tolist()` for an array or a Series)."
        )
    if ordered and isinstance(got, (set, frozenset)):
        raise Fail(
            f"`{name}` is a set, which has no order; the task asks for the items in order: "
            "store them in a list."
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
    """Distinct values in any order: names what is missing and what is extra."""
    if options.get("type") == "set" and not isinstance(got, (set, frozenset)):
        hint = "`set(...)`" if not _not_a_collection(got) else "a set, e.g. `{...}` or `set(...)`"
        raise Fail(
            f"`{name}` is {describe_type(got)}; the task asks for a set: store it as {hint}."
        )
    if _not_a_collection(got):
        raise Fail(f"`{name}` is {describe_type(got)}; expected a collection of distinct values.")
    try:
        items = list(got)
        got_set, expected_set = set(items), set(expected)
    except TypeError:
        raise Fail(
            f"`{name}` is {describe_type(got)}; expected a collection of distinct values."
        ) from None
    if len(got_set) < len(items):
        seen: set[Any] = set()
        repeated = None
        for item in items:
            if item in seen:
                repeated = item
                break
            seen.add(item)
        raise Fail(
            f"`{name}` holds {_short(repeated)} more than once; expected each value once "
            "(`set(...)` or `.unique()` keeps one of each)."
        )
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
    if module.startswith(("polars", "pyarrow")) and hasattr(value, "to_pandas"):
        return value.to_pandas()
    return value


def _dtype_names(frame: Any) -> dict[str, str]:
    module = type(frame).__module__
    if module.startswith("polars"):
        return {str(k): str(v) for k, v in frame.schema.items()}
    return {str(k): str(v) for k, v in frame.dtypes.items()}


_TEXT_DTYPES = frozenset(
    ("object", "str", "string", "string[python]", "large_string", "utf8", "large_utf8")
)
_FAMILY_PATTERNS: tuple[tuple[str, str], ...] = (
    # numpy (int64), pandas nullable (Int64), Arrow (int64, uint8) and polars (Int64, UInt32).
    ("integer", r"u?int(8|16|32|64|128)?"),
    # numpy/pandas/polars floats, Arrow's halffloat/float/double, and decimals.
    ("float", r"float(16|32|64)?|halffloat|double|decimal.*"),
    ("boolean", r"bool(ean)?"),
    # pandas datetime64[ns, tz], Arrow timestamp[us]/date32[day], polars Datetime(…)/Date.
    ("datetime", r"datetime.*|timestamp.*|date(32|64)?(\[.*\])?"),
    ("duration", r"timedelta.*|duration.*"),
    ("time", r"time(32|64)?(\[.*\])?"),
    # pandas category, polars Categorical/Enum, Arrow dictionary-encoded columns.
    ("text", r"category|categorical.*|enum.*|dictionary<.*"),
)


def dtype_family(dtype: str) -> str:
    """The family of a dtype name, so `int64`, `Int64`, `int32[pyarrow]` and polars `Int64` agree.

    Families: integer, float, boolean, datetime (dates and timestamps), duration, time and
    text; any other dtype is its own family (its lowercase name).
    """
    d = dtype.strip().lower()
    d = d.removesuffix("[pyarrow]")
    if d in _TEXT_DTYPES or d.startswith("string"):
        return "text"
    for family, pattern in _FAMILY_PATTERNS:
        if re.fullmatch(pattern, d):
            return family
    return d


def _named_exactly(
    name: str, got_names: list[Any], exp_names: list[Any], got_index: list[Any]
) -> None:
    """Columns must carry the expected names: same text and case, a string where one is due."""
    got_text = [str(c) for c in got_names]
    exp_text = [str(c) for c in exp_names]
    missing = [c for c in exp_text if c not in got_text]
    extra = [c for c in got_text if c not in exp_text]
    in_index = [c for c in missing if c in {str(n) for n in got_index if n is not None}]
    if in_index and not extra:
        raise Fail(
            f"`{name}` is missing column(s) {', '.join(f'`{c}`' for c in in_index)}: "
            "it is the index; make it a column with `.reset_index()`."
        )
    for m in missing:
        for x in extra:
            if m.strip().lower() == x.strip().lower():
                raise Fail(
                    f"`{name}` has a column `{x}` where `{m}` is expected: name columns exactly as the task does."
                )
    if missing or extra:
        parts = []
        if missing:
            parts.append("is missing column(s) " + ", ".join(f"`{c}`" for c in missing))
        if extra:
            parts.append("has unexpected column(s) " + ", ".join(f"`{c}`" for c in extra))
        raise Fail(f"`{name}` " + " and ".join(parts) + ".")
    raw = dict(zip(got_text, got_names, strict=True))
    for text, want in zip(exp_text, exp_names, strict=True):
        have = raw[text]
        if isinstance(have, str) != isinstance(want, str):
            raise Fail(
                f"`{name}` has a column named {have!r} ({describe_type(have)}); expected {want!r}."
            )


def _check_index(name: str, got: Any, expected: Any) -> None:
    """A meaningful expected index must be there, under the expected name(s)."""

    got_index, exp_index = _to_pandas(got).index, expected.index
    got_names, exp_names = list(got_index.names), list(exp_index.names)
    if got_names == exp_names:
        return
    named = ", ".join(f"`{n}`" for n in exp_names if n is not None)
    wanted = f"{named} as its index" if named else "the original row labels"
    if not _keeps_index(_to_pandas(got)) and got_names == [None]:
        raise Fail(f"`{name}` has the default 0, 1, 2, … index; expected {wanted}.")
    shown = ", ".join("no name" if n is None else f"`{n}`" for n in got_names)
    raise Fail(f"`{name}` has an index named {shown}; expected {wanted}.")


def _table(frame: Any, columns: list[Any], keep_index: bool) -> tuple[Any, list[str]]:
    """The frame's expected columns as a pandas frame with string names, index levels first."""
    table = _to_pandas(frame)
    lookup = {str(c): c for c in table.columns}
    table = table[[lookup[str(c)] for c in columns]]
    table.columns = [str(c) for c in columns]
    if not keep_index:
        return table.reset_index(drop=True), []
    names = [
        str(n) if n is not None else (ROW_LABELS if table.index.nlevels == 1 else f"level {i}")
        for i, n in enumerate(table.index.names)
    ]
    names = [f"{n} (index)" if n in table.columns else n for n in names]
    table = table.rename_axis(names).reset_index()
    return table, names


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
    got_index = [] if _keeps_index(expected) else list(getattr(_to_pandas(got).index, "names", []))
    _named_exactly(name, list(got.columns), list(expected.columns), got_index)
    got_cols = [str(c) for c in got.columns]
    exp_cols = [str(c) for c in expected.columns]
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
            same = g == e if check_dtype == "exact" else dtype_family(g) == dtype_family(e)
            both_numeric = {dtype_family(g), dtype_family(e)} <= numeric
            if not same and both_numeric != kinds_differ:
                raise Fail(f"`{name}` column `{col}` has dtype {g}; expected {e}.")

    # Text where dates belong says more than any cell; int vs float is best explained by the
    # values (a sum where a mean was asked), so numeric dtypes are compared after the cells.
    if check_dtype:
        dtype_problems(kinds_differ=True)
    # Unset: the index counts when it carries labels; true: even 0…n-1 counts (the prompt
    # says "the same row labels as `messy`"); false: the labels are free.
    check_index = options.get("check_index")
    keep_index = _keeps_index(expected) if check_index is None else bool(check_index)
    if keep_index:
        _check_index(name, got, expected)
    left, index_cols = _table(got, list(expected.columns), keep_index)
    right, _ = _table(expected, list(expected.columns), keep_index)
    if not options.get("check_row_order", True):
        left = _sorted_rows(left)
        right = _sorted_rows(right)
    _first_difference(name, left, right, rtol, atol, index_cols)
    if check_dtype:
        dtype_problems(kinds_differ=False)


def _keeps_index(frame: Any) -> bool:
    """A meaningful (non-default) pandas index is compared as columns; a RangeIndex is not."""
    import pandas as pd

    if type(frame).__module__.startswith(("polars", "pyarrow")):
        return False
    index = frame.index
    # pandas 3 keeps a RangeIndex for evenly spaced labels (rows 1, 3, 5 of a filter): only
    # 0, 1, 2, … without a name is the default.
    default = (
        isinstance(index, pd.RangeIndex)
        and index.name is None
        and index.start == 0
        and index.step == 1
    )
    return not default


def _sorted_rows(frame: Any) -> Any:
    columns = list(frame.columns)
    try:
        return frame.sort_values(columns, kind="stable").reset_index(drop=True)
    except TypeError:
        return frame.astype(str).sort_values(columns, kind="stable").reset_index(drop=True)


def _first_difference(
    name: str, left: Any, right: Any, rtol: float, atol: float, index_cols: list[str]
) -> None:
    for col in list(right.columns):
        lcol, rcol = left[col].tolist(), right[col].tolist()
        for row, (g, e) in enumerate(zip(lcol, rcol, strict=True)):
            if _values_equal(g, e, rtol, atol):
                continue
            if col == ROW_LABELS:
                raise Fail(
                    f"`{name}` first differs at row {row}, in its row labels: you have {_short(g, 40)}, "
                    f"expected {_short(e, 40)} (keep the original row labels: no reset_index or ignore_index)."
                )
            where = " (the index)" if col in index_cols else ""
            raise Fail(
                f"`{name}` first differs at row {row}, column `{col}`{where}: you have {_short(g, 40)}, expected {_short(e, 40)}."
            )


def compare_series(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """pandas or polars Series: compared as one-column frames (index included for pandas).

    The Series' own name is not compared (a name is rarely part of the question); its index is.
    """
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


def _point_key(value: Any) -> str:
    """A category or x value as text, so 1 and 1.0 (or a numpy string) are one point."""
    value = _plain(value)
    return _short(value) if _is_number(value) else str(value)


def _points(trace: Any) -> dict[str, list[Any]] | None:
    """The values a trace draws at each category or x, or None when it has no data to compare."""
    x, y = getattr(trace, "x", None), getattr(trace, "y", None)
    horizontal = trace.type == "bar" and getattr(trace, "orientation", None) == "h"
    keys, values = (y, x) if horizontal else (x, y)
    if values is None:
        return None
    values = [_plain(v) for v in values]
    keys = list(keys) if keys is not None else list(range(len(values)))
    points: dict[str, list[Any]] = {}
    for key, value in zip(keys, values, strict=False):
        points.setdefault(_point_key(key), []).append(value)
    return points


def _compare_points(
    name: str, label: str, have: dict[str, list[Any]], need: dict[str, list[Any]], rtol: float
) -> None:
    missing = [k for k in need if k not in have]
    if missing:
        raise Fail(
            f"`{name}`{label} draws nothing at {missing[0]}: draw it from the data asked for."
        )
    extra = [k for k in have if k not in need]
    if extra:
        raise Fail(f"`{name}`{label} draws a point at {extra[0]} that the data does not have.")
    for key, values in need.items():
        mine = have[key]
        if len(values) > 1:  # several values at one x (stacked segments): compare as sorted lists
            with contextlib.suppress(TypeError):
                mine, values = sorted(mine), sorted(values)
        same = len(mine) == len(values) and all(
            _values_equal(g, e, rtol, DEFAULT_ATOL) for g, e in zip(mine, values, strict=False)
        )
        if not same:
            shown = _short(mine[0]) if len(mine) == 1 else f"{len(mine)} values"
            raise Fail(
                f"`{name}`{label} shows {shown} at {key}, which is not what the data gives: "
                "draw the figure from the table the task names."
            )


def _compare_figure_data(name: str, got: Any, expected: Any, rtol: float) -> None:
    """Each trace draws the reference's points (in any order); traces pair by legend name."""
    got_traces, exp_traces = list(got.data), list(expected.data)
    got_names = [t.name for t in got_traces]
    exp_names = [t.name for t in exp_traces]
    by_name = (
        all(exp_names)
        and len(set(exp_names)) == len(exp_names)
        and sorted(map(str, got_names)) == sorted(map(str, exp_names))
    )
    if by_name:
        lookup = {str(t.name): t for t in got_traces}
        got_traces = [lookup[str(t.name)] for t in exp_traces]
    for have, want in zip(got_traces, exp_traces, strict=True):
        if want.type == "bar" and have.type == "bar":
            want_h = getattr(want, "orientation", None) == "h"
            have_h = getattr(have, "orientation", None) == "h"
            if want_h != have_h:
                expected_way = "horizontal" if want_h else "vertical"
                raise Fail(
                    f"`{name}` draws its bars the other way round; expected {expected_way} bars."
                )
        want_points, have_points = _points(want), _points(have)
        if want_points is None or have_points is None:
            continue
        label = f" (trace {want.name!r})" if len(exp_traces) > 1 and want.name else ""
        _compare_points(name, label, have_points, want_points, rtol)


def compare_figure(name: str, got: Any, expected: Any, options: Mapping[str, Any]) -> None:
    """plotly figures: number and types of traces, axis titles (and the title when asked), and
    the numbers each trace draws unless ``check_data`` is false."""
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
    if options.get("check_data", True):
        _compare_figure_data(name, got, expected, float(options.get("rtol", DEFAULT_RTOL)))


COMPARATORS: dict[str, Callable[[str, Any, Any, Mapping[str, Any]], None]] = {
    "value": compare_value,
    "sequence": compare_sequence,
    "set": compare_set,
    "frame": compare_frame,
    "series": compare_series,
    "figure": compare_figure,
}

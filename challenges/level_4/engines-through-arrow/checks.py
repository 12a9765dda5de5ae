"""Custom checks of engines-through-arrow.

q1-q3 check the *type* of each answer (which library holds the data) and then its values with
the grader's frame comparison. q4 accepts each engine's natural table (pandas, polars or Arrow)
with the columns the prompt names, `category` and `revenue`, in any row order, and compares it
with the reference aggregation. q5 checks the learner's timings only against themselves: speeds differ
from machine to machine, so no speed is ever expected here.

The judge receives the answers as data: frames and Arrow tables as themselves, a polars
LazyFrame as a ``records.LazyFrameRecord``, and values that cannot travel as data (a DuckDB
relation, an Arrow RecordBatchReader) as a ``records.UnsupportedValue`` naming their type.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from sandbox.grading import CheckContext, Fail, records
from sandbox.grading.compare import compare_frame, describe_type

ENGINES = ("pandas", "polars", "duckdb")
RATIO_RTOL = 0.01  # rounding a ratio to two decimals stays within this; inverting it does not


def _source_type(value: Any) -> str:
    """The fully qualified type the value had in the notebook."""
    if isinstance(value, records.Record):
        return value.source_type
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _is_duckdb_relation(value: Any) -> bool:
    return _source_type(value).startswith("duckdb")


def _is_record_batch_reader(value: Any) -> bool:
    source = _source_type(value)
    return source.startswith("pyarrow.") and source.endswith(".RecordBatchReader")


def _not_run(name: str, value: Any) -> None:
    """Fail when the value is a query that has not run yet."""
    if isinstance(value, records.LazyFrameRecord):
        raise Fail(
            f"`{name}` is a polars LazyFrame: the query has not run yet. "
            "Call `.collect()` to get a DataFrame."
        )
    if _is_duckdb_relation(value):
        raise Fail(
            f"`{name}` is a DuckDB relation: a query that runs only when you fetch its result. "
            "End it with `.df()` (pandas), `.pl()` (polars) or `.to_arrow_table()` (Arrow)."
        )


def _polars_frame(name: str, value: Any, how: str) -> Any:
    import pandas as pd
    import polars as pl

    _not_run(name, value)
    if isinstance(value, pl.DataFrame):
        return value
    if isinstance(value, pd.DataFrame):
        arrow_backed = any(isinstance(dtype, pd.ArrowDtype) for dtype in value.dtypes)
        detail = " Its columns are stored in Arrow, but it is still" if arrow_backed else " It is"
        raise Fail(
            f"`{name}` is a pandas DataFrame; expected a polars DataFrame.{detail} a pandas "
            f"object: {how}."
        )
    raise Fail(f"`{name}` is {describe_type(value)}; expected a polars DataFrame: {how}.")


def check_sales_pl(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    got = _polars_frame("sales_pl", answer["sales_pl"], "convert it with `pl.from_pandas(sales)`")
    compare_frame("sales_pl", got, expected["sales_pl"], {})


def check_country_revenue(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    got = _polars_frame(
        "country_revenue",
        answer["country_revenue"],
        "fetch the DuckDB result with `.pl()` (`.df()` gives pandas)",
    )
    compare_frame("country_revenue", got, expected["country_revenue"], {})


def check_country_arrow(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    import polars as pl
    import pyarrow as pa

    value = answer["country_arrow"]
    if _is_record_batch_reader(value):
        raise Fail(
            "`country_arrow` is a pyarrow RecordBatchReader: a stream of batches that can be read "
            "only once, not a table, and that keeps DuckDB busy until it is read. In DuckDB 2, "
            "`.arrow()` returns such a reader; use `.to_arrow_table()` instead (or call "
            "`.read_all()` on the reader)."
        )
    _not_run("country_arrow", value)
    if isinstance(value, pl.DataFrame):
        raise Fail(
            "`country_arrow` is a polars DataFrame; expected a pyarrow Table. "
            "A polars DataFrame hands over its Arrow data with `.to_arrow()`."
        )
    if not isinstance(value, pa.Table):
        raise Fail(f"`country_arrow` is {describe_type(value)}; expected a pyarrow Table.")
    compare_frame(
        "country_arrow", pl.from_arrow(value), pl.from_arrow(expected["country_arrow"]), {}
    )


# ------------------------------------------------------------------------------- q4: results


def _revenue_by_category(name: str, value: Any) -> dict[str, float]:
    """{category: revenue} from a pandas or polars DataFrame or an Arrow table whose columns are
    exactly `category` and `revenue`, as the prompt names them."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    _not_run(name, value)
    if isinstance(value, pa.Table):
        value = pl.from_arrow(value)
    if isinstance(value, pd.Series):
        raise Fail(
            f"`{name}` is a pandas Series; expected a table with the columns `category` and "
            '`revenue`: `.reset_index(name="revenue")` turns the Series into one.'
        )
    if not isinstance(value, (pd.DataFrame, pl.DataFrame)):
        raise Fail(
            f"`{name}` is {describe_type(value)}; expected a table with the columns "
            "`category` and `revenue`."
        )
    columns = [str(c) for c in value.columns]
    if isinstance(value, pd.DataFrame) and "category" in value.index.names:
        raise Fail(
            f"`{name}` keeps `category` in its index; expected it as a column: call "
            "`.reset_index()` (or group with `as_index=False`)."
        )
    if sorted(columns) != ["category", "revenue"]:
        shown = ", ".join(f"`{c}`" for c in columns)
        raise Fail(
            f"`{name}` has the columns {shown}; expected exactly `category` and `revenue`: "
            "name the total `revenue`."
        )
    pairs = list(zip(list(value["category"]), list(value["revenue"]), strict=True))
    totals: dict[str, float] = {}
    for category, revenue in pairs:
        if category in totals:
            raise Fail(f"`{name}` has {category!r} more than once: group by category.")
        if not isinstance(revenue, numbers.Real) or isinstance(revenue, bool):
            raise Fail(f"`{name}` holds {revenue!r} for {category!r}; expected a number.")
        totals[str(category)] = float(revenue)
    return totals


def _engine_mapping(name: str, value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Fail(
            f"`{name}` is {describe_type(value)}; expected a dict with one {what} per engine: "
            '{"pandas": ..., "polars": ..., "duckdb": ...}.'
        )
    missing = [engine for engine in ENGINES if engine not in value]
    if missing:
        raise Fail(
            f"`{name}` has no entry for {', '.join(repr(m) for m in missing)}: "
            f"it needs one {what} for each of pandas, polars and duckdb."
        )
    return value


def check_results(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    results = _engine_mapping("results", answer["results"], "result")
    reference = _revenue_by_category("reference", expected["results"]["pandas"])
    for engine in ENGINES:
        name = f"results['{engine}']"
        got = _revenue_by_category(name, results[engine])
        missing = sorted(set(reference) - set(got))
        extra = sorted(set(got) - set(reference))
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks {len(missing)} categor{'y' if len(missing) == 1 else 'ies'}")
            if extra:
                parts.append(f"has unexpected categories such as {extra[0]!r}")
            raise Fail(
                f"`{name}` {' and '.join(parts)}: aggregate all the rows of the table, "
                "one row per category."
            )
        for category, want in reference.items():
            have = got[category]
            if not math.isclose(have, want, rel_tol=1e-6, abs_tol=1e-6):
                direction = "too high" if have > want else "too low"
                raise Fail(
                    f"`{name}` has a revenue of {have:,.2f} for {category!r}, which is "
                    f"{direction}: sum `amount` over every transaction of the category."
                )


# ------------------------------------------------------------------------------- q5: timings


def _positive_number(name: str, value: Any, what: str) -> float:
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not math.isfinite(float(value))
        or float(value) <= 0
    ):
        raise Fail(f"`{name}` is {value!r}; expected {what}.")
    return float(value)


def check_timings(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    timings = _engine_mapping("timings", answer["timings"], "time in seconds")
    seconds = {
        engine: _positive_number(
            f"timings['{engine}']", timings[engine], "a positive number of seconds"
        )
        for engine in ENGINES
    }
    ratios = answer["ratios"]
    if not isinstance(ratios, Mapping):
        raise Fail(
            f"`ratios` is {describe_type(ratios)}; expected a dict of speed-ups over pandas: "
            '{"polars": ..., "duckdb": ...}.'
        )
    missing = [engine for engine in ("polars", "duckdb") if engine not in ratios]
    if missing:
        raise Fail(
            f"`ratios` has no entry for {', '.join(repr(m) for m in missing)}: "
            "give the speed-up over pandas of polars and of duckdb."
        )
    for engine in ("pandas", "polars", "duckdb"):
        if engine == "pandas" and engine not in ratios:
            continue
        name = f"ratios['{engine}']"
        have = _positive_number(name, ratios[engine], "a positive speed-up")
        want = seconds["pandas"] / seconds[engine]
        if math.isclose(have, want, rel_tol=RATIO_RTOL):
            continue
        if math.isclose(have, 1 / want, rel_tol=RATIO_RTOL):
            raise Fail(
                f"`{name}` is {have:.3g}, which is timings['{engine}'] / timings['pandas']: the "
                f"ratio is inverted. A speed-up over pandas divides the pandas time by the "
                f"{engine} time (your timings give {want:.3g})."
            )
        raise Fail(
            f"`{name}` is {have:.3g}, but your own timings give timings['pandas'] / "
            f"timings['{engine}'] = {want:.3g}. Compute the ratios from `timings`: speeds "
            "differ from machine to machine, so numbers from elsewhere do not apply here."
        )

"""Custom checks for pandera-validation: a schema is judged by what it accepts and rejects.

A schema object cannot be compared with the reference value by value, so each schema is run:
it must accept the clean ``retail_sales`` table and reject every planted defect of
``retail_sales_messy`` (the generator's row-by-row record, ``datasets.planted_defects``), with
the dates parsed as the notebook parses them. The failure-case tables are compared with what the
learner's own schema reports, so any correct schema gives a correct table.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sandbox import datasets
from sandbox.grading import Fail
from sandbox.grading.compare import describe_type

MESSY = "retail_sales_messy"
CLEAN = "retail_sales"
MAX_PROBLEMS_SHOWN = 3

# How each planted defect is described to the learner, and what catches it.
DEFECT_TEXT = {
    "duplicate_rows": "duplicate rows (a repeated `order_id`: declare it unique)",
    "missing_customer_id": "rows without a `customer_id` (missing values must be rejected)",
    "missing_country": "rows without a `country` (missing values must be rejected)",
    "missing_unit_price": "rows without a `unit_price` (missing values must be rejected)",
    "unparseable_order_date": "rows whose `order_date` could not be parsed (they are NaT)",
    "negative_quantity": "rows with a negative `quantity` (add a lower bound)",
    "inconsistent_country": "rows whose `country` is not one of the six canonical names",
    "invalid_email": "rows with an invalid `email` (add a pattern check)",
}


def _typed_messy(backend: str) -> Any:
    """The messy orders with the dates parsed, exactly as the notebook builds `typed`."""
    if backend == "polars":
        import polars as pl

        frame = datasets.load(MESSY, backend="polars")
        return frame.with_columns(
            pl.col("order_date").str.to_date(datasets.ISO_DATE_FORMAT, strict=False)
        )
    import pandas as pd

    frame = datasets.load(MESSY)
    return frame.assign(
        order_date=pd.to_datetime(
            frame["order_date"], format=datasets.ISO_DATE_FORMAT, errors="coerce"
        )
    )


def _schema(value: Any, name: str, backend: str) -> Any:
    """The learner's value as a DataFrameSchema of the right backend, or Fail."""
    import pandera.api.pandas.container as pandas_api
    import pandera.api.polars.container as polars_api
    from pandera.api.dataframe.model import DataFrameModel

    if isinstance(value, type) and issubclass(value, DataFrameModel):
        value = value.to_schema()
    wanted, other = (
        (polars_api.DataFrameSchema, pandas_api.DataFrameSchema)
        if backend == "polars"
        else (pandas_api.DataFrameSchema, polars_api.DataFrameSchema)
    )
    if isinstance(value, wanted):
        return value
    if isinstance(value, other):
        module = "pandera.polars" if backend == "polars" else "pandera.pandas"
        raise Fail(
            f"`{name}` is a schema for the other library: build it with `{module}` "
            f"(`import {module} as ...`), whose columns take {backend} types."
        )
    raise Fail(
        f"`{name}` is {describe_type(value)}; expected a pandera DataFrameSchema "
        f"(`{'pap' if backend == 'polars' else 'pa'}.DataFrameSchema({{...}})`)."
    )


def _failure_cases(schema: Any, frame: Any, name: str, frame_name: str) -> Any:
    """pandas DataFrame of lazy failure cases (None when the frame passes)."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        return cases.to_pandas() if hasattr(cases, "to_pandas") else cases
    except Exception as exc:
        raise Fail(
            f"Validating `{frame_name}` with `{name}` raised {type(exc).__name__}: {exc}"
        ) from None
    return None


def _flagged(cases: Any) -> set[tuple[str, int]]:
    """(column, row) pairs a failure-case table points at; column-level failures have no row."""
    import pandas as pd

    if cases is None or "column" not in cases.columns or "index" not in cases.columns:
        return set()
    rows = cases[cases["index"].notna() & cases["column"].notna()]
    return {(str(c), int(i)) for c, i in zip(rows["column"], rows["index"], strict=True)} | {
        (str(c), -1) for c in cases.loc[cases["index"].isna(), "column"] if not pd.isna(c)
    }


def _check_schema(value: Any, name: str, backend: str) -> Any:
    schema = _schema(value, name, backend)
    clean_name = "clean_pl" if backend == "polars" else "clean"
    clean = datasets.load(CLEAN, backend=backend)
    cases = _failure_cases(schema, clean, name, clean_name)
    if cases is not None:
        counts = cases.groupby(["column", "check"], dropna=False).size()
        counts = counts.sort_values(ascending=False)
        shown = "; ".join(
            f"column `{column}` fails `{check}` ({n} case{'s' if n != 1 else ''})"
            for (column, check), n in counts.head(2).items()
        )
        (_, first_check), _ = next(iter(counts.items()))
        if first_check == "not_nullable":
            advice = "That column may be missing in valid data: allow it with `nullable=True`."
        elif str(first_check).startswith(("dtype", "column_in")):
            types = f"{clean_name}.{'schema' if backend == 'polars' else 'dtypes'}"
            advice = f"Compare your column names and types with `{types}`."
        else:
            advice = "That rule is stricter than the data: loosen it."
        raise Fail(
            f"`{name}` rejects the clean table `{clean_name}`, whose every row is valid: "
            f"{shown}. {advice}"
        )

    flagged = _flagged(_failure_cases(schema, _typed_messy(backend), name, "typed"))
    planted: dict[str, list[datasets.PlantedDefect]] = defaultdict(list)
    for defect in datasets.planted_defects(MESSY):
        planted[defect.kind].append(defect)
    problems = []
    for kind in datasets.RETAIL_DEFECT_COUNTS:
        defects = planted[kind]
        missed = [d for d in defects if (d.column, d.row) not in flagged]
        if missed:
            first = missed[0]
            shown = "is empty" if first.value == "" else f"holds {first.value!r}"
            example = f"e.g. row {first.row} {shown}"
            problems.append(f"{len(missed)} of the {len(defects)} {DEFECT_TEXT[kind]}, {example}")
    if problems:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        tail = f"; and {more} more kind(s) of problem" if more > 0 else ""
        raise Fail(
            f"`{name}` accepts the clean table but lets planted problems of the messy orders "
            f"through: {shown}{tail}."
        )
    return schema


def check_pandas_schema(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    _check_schema(answer["sales_schema"], "sales_schema", "pandas")


def check_polars_schema(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    _check_schema(answer["sales_schema_pl"], "sales_schema_pl", "polars")


def _signature(cases: Any) -> set[tuple[str, str, int]]:
    """(column, check, row) of every failure case; -1 for a column-level failure."""
    import pandas as pd

    return {
        (str(column), str(check), -1 if pd.isna(index) else int(index))
        for column, check, index in zip(
            cases["column"], cases["check"], cases["index"], strict=True
        )
    }


def _compare_cases(got: Any, want: Any, name: str, lazyframe_hint: bool) -> None:
    got_pairs, want_pairs = _flagged(got), _flagged(want)
    if (
        {"check", "index"} <= set(got.columns)
        and _signature(got) == _signature(want)
        and len(got) == len(want)
    ):
        return
    got_columns = sorted({c for c, _ in got_pairs})
    want_columns = sorted({c for c, _ in want_pairs})
    if lazyframe_hint and not any(row >= 0 for _, row in got_pairs):
        raise Fail(
            f"`{name}` holds no failing rows: only the schema (columns and types) was checked. "
            "On a LazyFrame pandera skips the data checks; call `.collect()` and validate the "
            "DataFrame."
        )
    if got_pairs < want_pairs:
        raise Fail(
            f"`{name}` has {len(got)} failure cases in column(s) {', '.join(got_columns) or 'none'}, "
            f"but the schema finds {len(want)} in {len(want_columns)} columns. Validate with "
            "`lazy=True` so pandera collects every failure instead of stopping at the first."
        )
    if len(got) != len(want):
        raise Fail(
            f"`{name}` has {len(got)} failure cases, but validating `typed` with your schema and "
            f"`lazy=True` gives {len(want)}: validate `typed`, not another table."
        )
    raise Fail(
        f"`{name}` lists other failures than validating `typed` with your schema gives: "
        "validate `typed` (the orders with parsed dates), not `messy` or another table."
    )


def check_pandas_failures(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    import pandas as pd

    got = answer["failure_cases"]
    if got is None:
        raise Fail(
            "`failure_cases` is None: validating `typed` found nothing, or the except branch did "
            "not run. Validate `typed` (the messy orders) with `lazy=True`."
        )
    if not isinstance(got, pd.DataFrame):
        raise Fail(
            f"`failure_cases` is a {type(got).__name__}; expected the pandas DataFrame "
            "`err.failure_cases` of the SchemaErrors you caught."
        )
    if "column" not in got.columns:
        raise Fail(
            "`failure_cases` has no `column` column: it comes from a single SchemaError, which "
            "stops at the first failing check. Validate with `lazy=True` and catch "
            "`pa.errors.SchemaErrors` to collect every failure."
        )
    schema = _schema(answer["sales_schema"], "sales_schema", "pandas")
    want = _failure_cases(schema, _typed_messy("pandas"), "sales_schema", "typed")
    if want is None:
        raise Fail("`sales_schema` finds nothing wrong in `typed`: finish task 1 first.")
    _compare_cases(got, want, "failure_cases", lazyframe_hint=False)


def check_polars_failures(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    import polars as pl

    got = answer["pl_failure_cases"]
    if got is None:
        raise Fail(
            "`pl_failure_cases` is None: validation raised nothing. Validating a LazyFrame only "
            "checks the columns and their types, so bad values pass unseen: call `.collect()` "
            "and validate the DataFrame."
        )
    if not isinstance(got, pl.DataFrame):
        raise Fail(
            f"`pl_failure_cases` is a {type(got).__name__}; expected the polars DataFrame "
            "`err.failure_cases` of the SchemaErrors you caught."
        )
    if "column" not in got.columns:
        raise Fail(
            "`pl_failure_cases` has no `column` column: it comes from a single SchemaError. "
            "Validate with `lazy=True` and catch `pap.errors.SchemaErrors`."
        )
    schema = _schema(answer["sales_schema_pl"], "sales_schema_pl", "polars")
    want = _failure_cases(schema, _typed_messy("polars"), "sales_schema_pl", "typed_lazy")
    if want is None:
        raise Fail(
            "`sales_schema_pl` finds nothing wrong in the messy orders: finish task 3 first."
        )
    _compare_cases(got.to_pandas(), want, "pl_failure_cases", lazyframe_hint=True)

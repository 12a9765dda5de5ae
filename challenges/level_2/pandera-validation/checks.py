"""Custom checks for pandera-validation: a schema is judged by what it accepts and rejects.

A schema cannot be compared with the reference value by value, and the judge never runs it, so
the challenge's probes (``probes.py``) run each schema where it was made: on the clean
``retail_sales`` table and on the messy orders with the dates parsed as the notebook parses
them. A schema must accept the clean table and reject every planted defect of
``retail_sales_messy`` (the generator's row-by-row record, ``datasets.planted_defects``). The
failure-case tables are compared with what the learner's own schema reports, so any correct
schema gives a correct table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sandbox import datasets
from sandbox.grading import CheckContext, Fail, records
from sandbox.grading.compare import describe_type

MESSY = "retail_sales_messy"
MAX_PROBLEMS_SHOWN = 3

#: A failure case as (column, check, row); row is None for a column-level failure.
Case = tuple[str | None, str | None, int | None]

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


def _schema(value: Any, name: str, backend: str) -> records.SchemaRecord:
    """The learner's value as a schema of the right backend, or Fail."""
    if isinstance(value, records.SchemaRecord):
        if value.backend == backend:
            return value
        module = "pandera.polars" if backend == "polars" else "pandera.pandas"
        raise Fail(
            f"`{name}` is a schema for the other library: build it with `{module}` "
            f"(`import {module} as ...`), whose columns take {backend} types."
        )
    raise Fail(
        f"`{name}` is {describe_type(value)}; expected a pandera DataFrameSchema "
        f"(`{'pap' if backend == 'polars' else 'pa'}.DataFrameSchema({{...}})`)."
    )


def _measured(ctx: CheckContext, name: str, table: str, frame_name: str) -> list[Case] | None:
    """The failure cases the probe found when ``name`` validated ``table`` (None: it passed)."""
    probe = ctx.probe(name)
    if table == "messy" and isinstance(probe, dict) and datasets.active_variant() is None:
        # Judged against the shipped data (the judge's typed-in diagnosis on a variant run):
        # the probe's measurement of the shipped orders, when it made one.
        table = "shipped_messy" if "shipped_messy" in probe else table
    result = probe.get(table) if isinstance(probe, dict) else None
    if not isinstance(result, dict):
        problem = probe.get("error") if isinstance(probe, dict) else None
        raise Fail(
            f"`{name}` could not be run on `{frame_name}`"
            + (f" ({problem})" if problem else "")
            + ": run the cell that builds it again, then check."
        )
    if result.get("raised"):
        raise Fail(f"Validating `{frame_name}` with `{name}` raised {result['raised']}")
    cases = result.get("cases")
    if cases is None:
        return None
    return [(column, check, row) for column, check, row in cases]


def _flagged(cases: list[Case] | None) -> set[tuple[str, int]]:
    """(column, row) pairs a failure-case list points at; column-level failures have row -1."""
    return {(column, -1 if row is None else row) for column, _, row in cases or [] if column}


def _check_schema(value: Any, name: str, backend: str, ctx: CheckContext) -> None:
    _schema(value, name, backend)
    clean_name = "clean_pl" if backend == "polars" else "clean"
    cases = _measured(ctx, name, "clean", clean_name)
    if cases is not None:
        ranked = Counter((str(column), str(check)) for column, check, _ in cases).most_common()
        shown = "; ".join(
            f"column `{column}` fails `{check}` ({n} case{'s' if n != 1 else ''})"
            for (column, check), n in ranked[:2]
        )
        first_check = ranked[0][0][1]
        if first_check == "not_nullable":
            advice = "That column may be missing in valid data: allow it with `nullable=True`."
        elif first_check.startswith(("dtype", "column_in")):
            types = f"{clean_name}.{'schema' if backend == 'polars' else 'dtypes'}"
            advice = f"Compare your column names and types with `{types}`."
        else:
            advice = "That rule is stricter than the data: loosen it."
        raise Fail(
            f"`{name}` rejects the clean table `{clean_name}`, whose every row is valid: "
            f"{shown}. {advice}"
        )

    flagged = _flagged(_measured(ctx, name, "messy", "typed"))
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


def check_pandas_schema(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    _check_schema(answer["sales_schema"], "sales_schema", "pandas", ctx)


def check_polars_schema(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    _check_schema(answer["sales_schema_pl"], "sales_schema_pl", "polars", ctx)


def _cases_of(frame: Any) -> list[Case]:
    """The (column, check, row) triples of a failure-case table the learner kept."""
    import pandas as pd

    if not {"column", "check", "index"} <= set(frame.columns):
        return []

    def text(value: Any) -> str | None:
        return None if value is None or pd.isna(value) else str(value)

    def row(value: Any) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    return [
        (text(column), text(check), row(index))
        for column, check, index in zip(
            frame["column"], frame["check"], frame["index"], strict=True
        )
    ]


def _compare_cases(got_frame: Any, want: list[Case], name: str, lazyframe_hint: bool) -> None:
    got = _cases_of(got_frame)
    got_pairs, want_pairs = _flagged(got), _flagged(want)
    if got and set(got) == set(want) and len(got_frame) == len(want):
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
            f"`{name}` has {len(got_frame)} failure cases in column(s) "
            f"{', '.join(got_columns) or 'none'}, but the schema finds {len(want)} in "
            f"{len(want_columns)} columns. Validate with `lazy=True` so pandera collects every "
            "failure instead of stopping at the first."
        )
    if len(got_frame) != len(want):
        raise Fail(
            f"`{name}` has {len(got_frame)} failure cases, but validating `typed` with your "
            f"schema and `lazy=True` gives {len(want)}: validate `typed`, not another table."
        )
    raise Fail(
        f"`{name}` lists other failures than validating `typed` with your schema gives: "
        "validate `typed` (the orders with parsed dates), not `messy` or another table."
    )


def check_pandas_failures(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    import pandas as pd

    got = answer["failure_cases"]
    if got is None:
        raise Fail(
            "`failure_cases` is None: validating `typed` found nothing, or the except branch did "
            "not run. Validate `typed` (the messy orders) with `lazy=True`."
        )
    if not isinstance(got, pd.DataFrame):
        raise Fail(
            f"`failure_cases` is {describe_type(got)}; expected the pandas DataFrame "
            "`err.failure_cases` of the SchemaErrors you caught."
        )
    if "column" not in got.columns:
        raise Fail(
            "`failure_cases` has no `column` column: it comes from a single SchemaError, which "
            "stops at the first failing check. Validate with `lazy=True` and catch "
            "`pa.errors.SchemaErrors` to collect every failure."
        )
    _schema(answer["sales_schema"], "sales_schema", "pandas")
    want = _measured(ctx, "sales_schema", "messy", "typed")
    if want is None:
        raise Fail("`sales_schema` finds nothing wrong in `typed`: finish task 1 first.")
    _compare_cases(got, want, "failure_cases", lazyframe_hint=False)


def check_polars_failures(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
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
            f"`pl_failure_cases` is {describe_type(got)}; expected the polars DataFrame "
            "`err.failure_cases` of the SchemaErrors you caught."
        )
    if "column" not in got.columns:
        raise Fail(
            "`pl_failure_cases` has no `column` column: it comes from a single SchemaError. "
            "Validate with `lazy=True` and catch `pap.errors.SchemaErrors`."
        )
    _schema(answer["sales_schema_pl"], "sales_schema_pl", "polars")
    want = _measured(ctx, "sales_schema_pl", "messy", "typed_lazy")
    if want is None:
        raise Fail(
            "`sales_schema_pl` finds nothing wrong in the messy orders: finish task 3 first."
        )
    _compare_cases(got.to_pandas(), want, "pl_failure_cases", lazyframe_hint=True)

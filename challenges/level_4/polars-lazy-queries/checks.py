"""Custom checks of polars-lazy-queries: a LazyFrame and its plan, then the collected result.

The judge receives a LazyFrame as a record: its optimised and unoptimised plans and the
DataFrame it gave when the notebook's kernel collected it (see ``records.LazyFrameRecord``).
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.grading import CheckContext, Fail, records
from sandbox.grading.compare import compare_frame, describe_type

# explain() names the top-k filter of sort + head with a fresh id on every call.
_DYNAMIC_ID = re.compile(r"dynamic_pred: [0-9a-f-]+")


def _normalised(plan: str) -> str:
    return _DYNAMIC_ID.sub("dynamic_pred", plan).strip()


def _lazy(name: str, value: Any) -> records.LazyFrameRecord:
    import polars as pl

    if isinstance(value, pl.DataFrame):
        raise Fail(
            f"`{name}` is a polars DataFrame, so the query has already run. Start from "
            '`pl.scan_parquet("transactions.parquet")` and leave out `.collect()`: '
            "this task wants the LazyFrame itself."
        )
    if not isinstance(value, records.LazyFrameRecord):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a polars LazyFrame.")
    return value


def _collected(name: str, query: records.LazyFrameRecord) -> Any:
    """What collecting the query gave in the notebook's kernel, or Fail with its error."""
    if query.result is None:
        raise Fail(
            f"`{name}.collect()` fails: {query.error or 'the query could not be run'}. "
            "Fix the query so that it runs."
        )
    return query.result


def check_lazy_books(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    query = _lazy("lazy_books", answer["lazy_books"])
    plan = answer["plan"]
    if not isinstance(plan, str):
        raise Fail(
            f"`plan` is {describe_type(plan)}; expected the text that `lazy_books.explain()` returns."
        )
    if "Parquet SCAN" not in plan:
        if re.search(r"\bDF \[", plan):
            raise Fail(
                "`plan` starts from `DF [...]`: a DataFrame already read in full, so Polars cannot "
                "skip any of the file. `pl.read_parquet(...).lazy()` reads everything first; use "
                '`pl.scan_parquet("transactions.parquet")` instead.'
            )
        raise Fail(
            "`plan` shows no `Parquet SCAN`: start the query from "
            '`pl.scan_parquet("transactions.parquet")`, then store `lazy_books.explain()`.'
        )
    if "SELECTION:" not in plan:
        raise Fail(
            "`plan` keeps the category filter as a separate FILTER step instead of pushing it "
            "into the Parquet scan (`SELECTION:`): this is the plan before optimisation. Call "
            "`lazy_books.explain()` without `optimized=False`."
        )
    if _normalised(plan) != _normalised(query.plan):
        raise Fail(
            "`plan` is not the plan of `lazy_books`: store `lazy_books.explain()` after building "
            "the final query."
        )
    reference = _lazy("the reference query", expected["lazy_books"])
    compare_frame(
        "lazy_books.collect()",
        _collected("lazy_books", query),
        _collected("the reference query", reference),
        {},
    )


def check_top_stores(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    result = answer["top_stores"]
    if isinstance(result, records.LazyFrameRecord):
        raise Fail(
            "`top_stores` is still a LazyFrame: nothing has run yet. "
            "Call `.collect()` to execute the plan and get a DataFrame."
        )
    compare_frame("top_stores", result, expected["top_stores"], {})

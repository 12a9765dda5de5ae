"""Custom checks of polars-lazy-queries: a LazyFrame and its plan, then the collected result."""

from __future__ import annotations

import re
from typing import Any

from sandbox.grading import Fail
from sandbox.grading.compare import compare_frame, describe_type

# explain() names the top-k filter of sort + head with a fresh id on every call.
_DYNAMIC_ID = re.compile(r"dynamic_pred: [0-9a-f-]+")


def _normalised(plan: str) -> str:
    return _DYNAMIC_ID.sub("dynamic_pred", plan).strip()


def _lazy(name: str, value: Any) -> Any:
    import polars as pl

    if isinstance(value, pl.DataFrame):
        raise Fail(
            f"`{name}` is a polars DataFrame, so the query has already run. Start from "
            '`pl.scan_parquet("transactions.parquet")` and leave out `.collect()`: '
            "this task wants the LazyFrame itself."
        )
    if not isinstance(value, pl.LazyFrame):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a polars LazyFrame.")
    return value


def check_lazy_books(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
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
    if _normalised(plan) != _normalised(query.explain()):
        raise Fail(
            "`plan` is not the plan of `lazy_books`: store `lazy_books.explain()` after building "
            "the final query."
        )
    compare_frame("lazy_books.collect()", query.collect(), expected["lazy_books"].collect(), {})


def check_top_stores(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    import polars as pl

    result = answer["top_stores"]
    if isinstance(result, pl.LazyFrame):
        raise Fail(
            "`top_stores` is still a LazyFrame: nothing has run yet. "
            "Call `.collect()` to execute the plan and get a DataFrame."
        )
    compare_frame("top_stores", result, expected["top_stores"], {})

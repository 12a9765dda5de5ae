"""Probes for capstone-churn-pipeline: what the learner's schema and query do to the churn rows.

A Pandera schema reaches the judge as its declaration only, and ``feature_sql`` is a program:
the judge runs neither. These probes run where the answers are made (the learner's kernel, and
the reference's own process) on the rows the notebook loads, and hand the judge plain data:
what the schema says about the raw rows and about each broken copy of them in :func:`broken`,
and the table the query returns. ``checks.py`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LAST_TRAINING_ID = 2000


def raw_rows() -> Any:
    """The notebook's ``raw``: the customers it loads, in their order."""
    from sandbox import datasets

    churn = datasets.load("churn")
    return churn[churn["customer_id"] <= LAST_TRAINING_ID].reset_index(drop=True)


def broken() -> list[tuple[str, str, Callable[[Any], None]]]:
    """(what is wrong, the column it is in, how to break a copy of the raw rows)."""

    def set_cell(column: str, value: Any) -> Callable[[Any], None]:
        def apply(frame: Any) -> None:
            frame.loc[3, column] = value

        return apply

    def duplicate_id(frame: Any) -> None:
        frame.loc[3, "customer_id"] = frame.loc[2, "customer_id"]

    return [
        ("a repeated `customer_id`", "customer_id", duplicate_id),
        ("an `age` of 12", "age", set_cell("age", 12)),
        ("an `age` of 130", "age", set_cell("age", 130)),
        ("a `region` of 'North'", "region", set_cell("region", "North")),
        ("a `plan` of 'gold'", "plan", set_cell("plan", "gold")),
        ("a `contract` of 'monthly'", "contract", set_cell("contract", "monthly")),
        ("a `payment_method` of 'cash'", "payment_method", set_cell("payment_method", "cash")),
        ("an `autopay` of 2", "autopay", set_cell("autopay", 2)),
        ("a `churned` of 2", "churned", set_cell("churned", 2)),
        ("a `tenure_months` of 0", "tenure_months", set_cell("tenure_months", 0)),
        ("negative `monthly_charges`", "monthly_charges", set_cell("monthly_charges", -5.0)),
        ("negative `total_charges`", "total_charges", set_cell("total_charges", -1.0)),
        ("negative `support_calls_90d`", "support_calls_90d", set_cell("support_calls_90d", -1)),
        ("negative `avg_weekly_logins`", "avg_weekly_logins", set_cell("avg_weekly_logins", -0.5)),
        (
            "negative `days_since_last_login`",
            "days_since_last_login",
            set_cell("days_since_last_login", -3),
        ),
        (
            "a missing `monthly_charges`",
            "monthly_charges",
            set_cell("monthly_charges", float("nan")),
        ),
    ]


def _verdict(schema: Any, frame: Any) -> dict[str, Any]:
    """What a lazy validation of ``frame`` reports: passed, its failures, or what it raised."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0] if len(cases) else None
        return {
            "passed": False,
            "failures": len(cases),
            "columns": sorted({str(c) for c in cases["column"].dropna()}),
            "first_column": None if first is None else str(first["column"]),
            "first_check": None if first is None else str(first["check"]),
        }
    except Exception as exc:
        return {"raised": f"{type(exc).__name__}: {exc}"[:300]}
    return {"passed": True}


def probe_churn_schema(value: Any) -> dict[str, Any]:
    """The schema's verdict on the raw rows and on each broken copy."""
    if isinstance(value, type) and hasattr(value, "to_schema"):  # a DataFrameModel class
        value = value.to_schema()
    if not hasattr(value, "validate"):
        return {"validates": False}
    raw = raw_rows()
    cases = []
    for what, column, breaker in broken():
        copy = raw.copy()
        breaker(copy)
        cases.append({"what": what, "column": column, **_verdict(value, copy)})
    return {"validates": True, "raw": _verdict(value, raw), "broken": cases}


def probe_feature_sql(value: Any) -> dict[str, Any]:
    """The table ``feature_sql`` returns when run on the raw rows as table ``validated``."""
    import duckdb

    if not isinstance(value, str):
        return {}
    con = duckdb.connect()
    try:
        con.register("validated", raw_rows())
        return {"table": con.sql(value).df()}
    except Exception as exc:
        return {"raised": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        con.close()

"""Probes for pandera-validation: what each schema does to the clean and to the messy orders.

A schema is behaviour, so it is run where it was made (the notebook's kernel, or the reference
process) on the challenge's own data: the clean ``retail_sales`` table and the messy orders with
their dates parsed exactly as the notebook parses them. Each probe returns, per table, either
the failure cases of a lazy validation as plain ``(column, check, row)`` triples (``row`` is
None for a column-level failure), or the error validation raised. On a data variant the messy
orders of the shipped file are measured as well (``shipped_messy``). The checks decide from these.
"""

from __future__ import annotations

from typing import Any

MESSY = "retail_sales_messy"
CLEAN = "retail_sales"


def typed_messy(backend: str) -> Any:
    """The messy orders with the dates parsed, as the notebook builds `typed` / `typed_lazy`."""
    from sandbox import datasets

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


def _as_schema(value: Any) -> Any:
    from pandera.api.dataframe.model import DataFrameModel

    if isinstance(value, type) and issubclass(value, DataFrameModel):
        return value.to_schema()
    return value


def _cell(value: Any) -> str | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else str(value)


def _row(value: Any) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def _validate(schema: Any, frame: Any) -> dict[str, Any]:
    """``{"cases": [[column, check, row], ...]}`` (None when the frame passes) or ``{"raised": ...}``."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        if hasattr(cases, "to_pandas"):
            cases = cases.to_pandas()
        return {
            "cases": [
                [_cell(column), _cell(check), _row(index)]
                for column, check, index in zip(
                    cases["column"], cases["check"], cases["index"], strict=True
                )
            ]
        }
    except Exception as exc:  # a schema that breaks on the data: the check reports it
        return {"raised": f"{type(exc).__name__}: {exc}"[:300]}
    return {"cases": None}


def _probe(value: Any, backend: str) -> dict[str, Any]:
    from sandbox import datasets

    schema = _as_schema(value)
    clean = datasets.load(CLEAN, backend=backend)
    measured = {"clean": _validate(schema, clean), "messy": _validate(schema, typed_messy(backend))}
    if datasets.active_variant() is not None:
        # On a data variant, the shipped orders too: a failure table copied from the shipped
        # data then matches this one, and the judge can say the table looks typed in.
        with datasets.use_variant(None):
            measured["shipped_messy"] = _validate(schema, typed_messy(backend))
    return measured


def probe_sales_schema(value: Any) -> dict[str, Any]:
    return _probe(value, "pandas")


def probe_sales_schema_pl(value: Any) -> dict[str, Any]:
    return _probe(value, "polars")

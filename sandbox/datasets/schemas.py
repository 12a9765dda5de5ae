"""Column types and Pandera schemas of the registered datasets (pandas and Polars).

A messy dataset is validated against its clean counterpart's schema with the data checks
relaxed (``raw``), so the schema names what the cleaning must achieve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from sandbox.errors import DatasetError, UsageError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from pandera.api.polars.types import PolarsData

from sandbox.datasets.generators import (
    CATEGORIES,
    CHURN_LEAK,
    CONTRACTS,
    COUNTRIES,
    FIRST_CUSTOMER_ID,
    FIRST_ORDER_ID,
    PAYMENT_METHODS,
    PLANS,
    PRODUCTS,
    REGIONS,
    SEGMENTS,
)  # fmt: skip
from sandbox.datasets.registry import (
    SKLEARN_LOADERS,
    SKLEARN_TARGET,
    Backend,
    DatasetInfo,
    _check_backend,
    info,
)  # fmt: skip

ISO_DATE_FORMAT = "%Y-%m-%d"
# Deliberately plain: lowercase local part and domain, at least one dot in the domain. Every
# generated address matches; every planted corruption (no @, @@, no TLD, a space) does not.
EMAIL_PATTERN = r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$"


# =================================================================================== schemas

ColumnKind = Literal["int", "float", "str", "date"]

_PANDAS_READ_DTYPES: Mapping[str, str] = MappingProxyType(
    {"int": "int64", "float": "float64", "str": "str"}
)
# pandera accepts any datetime64 unit for "datetime64[ns]"; pandas 3 parses dates to [us].
_PANDAS_SCHEMA_DTYPES: Mapping[str, str] = MappingProxyType(
    {"int": "int64", "float": "float64", "str": "str", "date": "datetime64[ns]"}
)


def _polars_dtype(kind: str) -> Any:
    import polars as pl

    return {"int": pl.Int64, "float": pl.Float64, "str": pl.String, "date": pl.Date}[kind]


@dataclass(frozen=True)
class _Column:
    """A column of a clean dataset: its type and the rules every value must satisfy."""

    name: str
    kind: ColumnKind
    nullable: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | tuple[int, ...] | None = None
    pattern: str | None = None


def schema(name: str, backend: Backend = "pandas") -> Any:
    """The Pandera ``DataFrameSchema`` a dataset must satisfy (pandas or polars flavour).

    A clean dataset gets its own schema: exact columns, types and value rules. A messy one is
    validated against the schema of its clean counterpart as it can apply to raw text: the
    same columns and rules, dates checked as ``YYYY-MM-DD`` text and, in pandas, numbers
    coerced so that a missing integer is reported on its row. Pass ``lazy=True`` to
    ``validate`` to collect every failure. In polars validate a collected ``DataFrame`` (on a
    ``LazyFrame`` pandera skips the data checks) or use :func:`validate`, which collects for you.
    """
    _check_backend(backend)
    entry = info(name)
    clean = info(entry.schema)
    if clean.loader is not None:
        columns = _sklearn_columns(clean)
    elif clean.name in _COLUMN_SPECS:
        columns = _COLUMN_SPECS[clean.name]
    else:
        raise DatasetError(f"{clean.name!r} is registered but has no column rules in this module.")
    if backend == "polars":
        return _polars_schema(columns, raw=entry.is_messy, title=name)
    return _pandas_schema(columns, raw=entry.is_messy, title=name)


def validate(frame: Any, name: str) -> Any:
    """Validate ``frame`` against ``schema(name)`` with every failure collected.

    Picks the backend from the frame's type; a polars ``LazyFrame`` is collected first so the
    data checks run. Returns the validated frame; raises ``pandera.errors.SchemaErrors``
    whose ``failure_cases`` list each failing cell.
    """
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        return schema(name, "polars").validate(frame, lazy=True)
    if module == "pandas":
        return schema(name, "pandas").validate(frame, lazy=True)
    raise UsageError(f"validate() takes a pandas or polars DataFrame, got {type(frame).__name__}.")


def _sklearn_columns(entry: DatasetInfo) -> tuple[_Column, ...]:
    assert entry.loader is not None
    classes = SKLEARN_LOADERS[entry.loader]
    features = tuple(_Column(c, "float") for c in entry.columns if c != SKLEARN_TARGET)
    if classes is None:
        target = _Column(SKLEARN_TARGET, "float")
    else:
        target = _Column(SKLEARN_TARGET, "int", allowed=tuple(range(classes)))
    return (*features, target)


def _pandas_schema(columns: tuple[_Column, ...], raw: bool, title: str) -> Any:
    import pandas as pd
    import pandera.pandas as pa

    def is_iso_date(series: pd.Series) -> pd.Series:
        return pd.to_datetime(series, format=ISO_DATE_FORMAT, errors="coerce").notna()

    built: dict[str, Any] = {}
    for column in columns:
        checks = _common_checks(pa.Check, column)
        dtype: Any = _PANDAS_SCHEMA_DTYPES[column.kind]
        if raw and column.kind == "date":
            dtype = "str"
            checks.append(pa.Check(is_iso_date, name="iso_date", error="not a YYYY-MM-DD date"))
        built[column.name] = pa.Column(
            dtype,
            checks=checks,
            nullable=column.nullable,
            unique=column.unique,
            # Report only the later copies, so the rows flagged are exactly the extra ones.
            report_duplicates="exclude_first",
        )
    # Raw pandas reads an integer column with a gap as float64; coercing it back to int64 makes
    # pandera report the missing values row by row instead of one column-level dtype error.
    return pa.DataFrameSchema(built, strict=True, coerce=raw, name=title)


def _polars_schema(columns: tuple[_Column, ...], raw: bool, title: str) -> Any:
    import pandera.polars as pa
    import polars as pl

    def is_first_occurrence(data: PolarsData) -> pl.LazyFrame:
        # pandera's polars backend ignores report_duplicates and flags every copy, originals
        # included; this check flags only the repeats, like the pandas schema does.
        return data.lazyframe.select(pl.col(data.key).is_first_distinct())

    def is_iso_date(data: PolarsData) -> pl.LazyFrame:
        column = pl.col(data.key)
        parsed = column.str.to_date(ISO_DATE_FORMAT, strict=False)
        return data.lazyframe.select(parsed.is_not_null() | column.is_null())

    built: dict[str, Any] = {}
    for column in columns:
        checks = _common_checks(pa.Check, column)
        dtype = _polars_dtype(column.kind)
        if raw and column.kind == "date":
            # Polars 2 cannot cast text to Date, so raw dates stay text with a parse check.
            dtype = pl.String
            checks.append(pa.Check(is_iso_date, name="iso_date", error="not a YYYY-MM-DD date"))
        if column.unique:
            checks.append(pa.Check(is_first_occurrence, name="unique", error="repeats a value"))
        built[column.name] = pa.Column(dtype, checks=checks, nullable=column.nullable)
    return pa.DataFrameSchema(built, strict=True, name=title)


def _common_checks(check: Any, column: _Column) -> list[Any]:
    """Value rules shared by the pandas and polars schemas (``check`` is ``pa.Check``)."""
    checks: list[Any] = []
    if column.minimum is not None:
        checks.append(check.ge(column.minimum))
    if column.maximum is not None:
        checks.append(check.le(column.maximum))
    if column.allowed is not None:
        checks.append(check.isin(list(column.allowed)))
    if column.pattern is not None:
        checks.append(check.str_matches(column.pattern))
    return checks


_COLUMN_SPECS: Mapping[str, tuple[_Column, ...]] = MappingProxyType(
    {
        "retail_sales": (
            _Column("order_id", "int", unique=True, minimum=FIRST_ORDER_ID),
            _Column("order_date", "date"),
            _Column("customer_id", "int", minimum=FIRST_CUSTOMER_ID),
            _Column("country", "str", allowed=COUNTRIES),
            _Column("product", "str", allowed=tuple(p for p, _, _, _ in PRODUCTS)),
            _Column("category", "str", allowed=CATEGORIES),
            _Column("quantity", "int", minimum=1),
            _Column("unit_price", "float", minimum=0.01),
            _Column("email", "str", nullable=True, pattern=EMAIL_PATTERN),
        ),
        "customers": (
            _Column("customer_id", "int", unique=True, minimum=FIRST_CUSTOMER_ID),
            _Column("name", "str"),
            _Column("email", "str", unique=True, pattern=EMAIL_PATTERN),
            _Column("signup_date", "date"),
            _Column("segment", "str", allowed=SEGMENTS),
            _Column("country", "str", allowed=COUNTRIES),
        ),
        "daily_visits": (
            _Column("date", "date", unique=True),
            _Column("visits", "int", minimum=0),
            _Column("signups", "int", minimum=0),
        ),
        "churn": (
            _Column("customer_id", "int", unique=True, minimum=1),
            _Column("age", "int", minimum=18, maximum=100),
            _Column("region", "str", allowed=REGIONS),
            _Column("plan", "str", allowed=PLANS),
            _Column("contract", "str", allowed=CONTRACTS),
            _Column("payment_method", "str", allowed=PAYMENT_METHODS),
            _Column("autopay", "int", allowed=(0, 1)),
            _Column("tenure_months", "int", minimum=1),
            _Column("monthly_charges", "float", minimum=0.0),
            _Column("total_charges", "float", minimum=0.0),
            _Column("support_calls_90d", "int", minimum=0),
            _Column("avg_weekly_logins", "float", minimum=0.0),
            _Column("days_since_last_login", "int", minimum=0),
            _Column(CHURN_LEAK, "float", nullable=True, minimum=0.0),
            _Column("churned", "int", allowed=(0, 1)),
        ),
    }
)


def shipped_columns(name: str) -> tuple[_Column, ...] | None:
    """The typed columns of a clean shipped dataset (None for a name without a column spec)."""
    return _COLUMN_SPECS.get(name)


def read_pandas(file: Path | BinaryIO, spec: tuple[_Column, ...] | None) -> pd.DataFrame:
    """Read a shipped CSV (a file or bytes) with pandas, typed by ``spec`` (None: inferred)."""
    import pandas as pd

    # keep_default_na=False: pandas would otherwise also read "NA", "null", "n/a" … as
    # missing, which polars does not; an empty field is the only missing marker we write.
    options: dict[str, Any] = {"encoding": "utf-8", "keep_default_na": False, "na_values": [""]}
    if spec is not None:
        options["dtype"] = {c.name: _PANDAS_READ_DTYPES[c.kind] for c in spec if c.kind != "date"}
        options["parse_dates"] = [c.name for c in spec if c.kind == "date"]
        options["date_format"] = ISO_DATE_FORMAT
    return pd.read_csv(file, **options)


def read_polars(file: Path, spec: tuple[_Column, ...] | None) -> pl.DataFrame:
    """Read a shipped CSV with Polars, typed by ``spec`` (None: inferred from every row)."""
    import polars as pl

    if spec is None:
        # Infer from every row, not the first hundred, so a late float or null cannot break it.
        return pl.read_csv(file, infer_schema_length=None)
    return pl.read_csv(file, schema={c.name: _polars_dtype(c.kind) for c in spec})

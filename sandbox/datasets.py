"""The dataset registry: shipped data by name, the seeded generators behind it, Pandera schemas.

Registry (``datasets/datasets.toml``, ``format_version = 1``)
---------------------------------------------------------------
One ``[[datasets]]`` table per dataset, in the order learners meet them:

``name``         lowercase slug, underscores allowed (``retail_sales_messy``).
``file``         CSV file name inside ``datasets/`` (generated sets), or
``loader``       the ``sklearn.datasets`` function for sets bundled with scikit-learn.
``description``  what the data is and what it is for.
``source``       where it comes from; ``licence`` under which terms.
``rows``         number of data rows.
``columns``      table of column name → meaning, in file order.
``schema``       optional: the dataset whose schema this one is validated against. A messy
                 dataset names its clean counterpart; a clean one omits the key (itself).
``target``       optional: the column to predict (machine-learning sets).
``leak``         optional: a column that leaks the target (planted on purpose, see churn).
``defects``      optional: planted defect → count (messy sets; must equal the generator's).

Unknown keys are rejected with a :class:`~sandbox.errors.DatasetError` naming the file and key.

Every shipped CSV is produced by a seeded generator in this module and can be rebuilt byte
for byte with ``python -m sandbox.datasets`` (``--check`` only compares). Files are UTF-8,
``\\n`` line endings, ISO dates, fixed decimals, an empty field for a missing value.

retail_sales_messy: planted defects
-----------------------------------
The generator draws ``RETAIL_ORDERS`` true orders, then plants each defect on its own rows (no
row carries two defects, so counts are exact; see :data:`RETAIL_DEFECT_COUNTS` and
:func:`planted_defects` for the row-by-row record):

``duplicate_rows``           exact copies of clean orders, inserted a little later in the file
``missing_customer_id``      empty ``customer_id``
``missing_country``          empty ``country``
``missing_unit_price``       empty ``unit_price``
``unparseable_order_date``   impossible or non-date text (``2023-02-29``, ``not recorded``, …)
``negative_quantity``        the quantity with its sign flipped
``inconsistent_country``     another spelling of the country (``UK``, ``u.k.``, ``Holland``, …;
                             see :data:`COUNTRY_VARIANTS`)
``invalid_email``            a damaged address (no ``@``, ``@@``, no top-level domain, a space)

``retail_sales`` is what a correct cleaning of the messy table produces:

1. drop exact duplicate rows, keeping the first;
2. drop rows missing ``customer_id``, ``country`` or ``unit_price``;
3. parse ``order_date`` as ``YYYY-MM-DD`` and drop rows where that fails;
4. drop rows whose ``quantity`` is not positive;
5. map every country spelling to its canonical name (:data:`COUNTRY_VARIANTS`);
6. set invalid e-mail addresses to missing (the address cannot be recovered).

churn: the planted leak
-----------------------
``days_since_cancellation_request`` is filled only for customers who churned: it is recorded
*because* they left, so a model using it scores a near-perfect, useless ROC AUC. The other
features carry real but noisy signal; an honest model reaches roughly 0.8-0.9.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import re
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

from sandbox.errors import DatasetError, UsageError
from sandbox.paths import datasets_dir

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from pandera.api.polars.types import PolarsData

FORMAT_VERSION = 1
REGISTRY_FILE = "datasets.toml"

Backend = Literal["pandas", "polars"]
BACKENDS: tuple[str, ...] = ("pandas", "polars")

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ISO_DATE_FORMAT = "%Y-%m-%d"
# Deliberately plain: lowercase local part and domain, at least one dot in the domain. Every
# generated address matches; every planted corruption (no @, @@, no TLD, a space) does not.
EMAIL_PATTERN = r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$"

# Only these functions may be named by ``loader``: the registry is data, not a way to call code.
SKLEARN_LOADERS: Mapping[str, int | None] = MappingProxyType(
    {
        # loader → number of classes in ``target`` (None: a regression target)
        "load_iris": 3,
        "load_wine": 3,
        "load_breast_cancer": 2,
        "load_diabetes": None,
        "load_digits": 10,
    }
)
SKLEARN_TARGET = "target"


# ================================================================================== registry


@dataclass(frozen=True)
class DatasetInfo:
    """One dataset as declared in ``datasets/datasets.toml``."""

    name: str
    description: str
    source: str
    licence: str
    rows: int
    columns: Mapping[str, str]
    schema: str  # the dataset whose schema validates this one (itself when clean)
    file: str | None = None
    loader: str | None = None
    target: str | None = None
    leak: str | None = None
    defects: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_messy(self) -> bool:
        """True when the data is validated against another (clean) dataset's schema."""
        return self.schema != self.name

    @property
    def is_bundled(self) -> bool:
        """True for the sets that ship inside scikit-learn (no file in ``datasets/``)."""
        return self.loader is not None


_DATASET_KEYS = (
    "name", "file", "loader", "description", "source", "licence", "rows", "columns",
    "schema", "target", "leak", "defects",
)  # fmt: skip


class _TomlTable:
    """A registry table being read; every problem becomes a DatasetError naming file and key."""

    def __init__(self, data: Mapping[str, Any], file: Path, where: str) -> None:
        self.data = data
        self.file = file
        self.where = where

    def error(self, key: str, problem: str) -> DatasetError:
        location = f"{self.where}.{key}" if self.where else key
        return DatasetError(f"{self.file}: key '{location}': {problem}")

    def check_keys(self, allowed: Sequence[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(key, f"unknown key (allowed: {', '.join(allowed)})")

    def text(self, key: str, required: bool = True) -> str | None:
        if key not in self.data:
            if required:
                raise self.error(key, "missing")
            return None
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"expected a non-empty string, got {value!r}")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key)
        assert value is not None  # text() raises for a missing required key
        return value

    def count(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, f"expected a whole number ≥ 0, got {value!r}")
        return value

    def mapping(self, key: str, value_type: type, required: bool) -> dict[str, Any]:
        if key not in self.data:
            if required:
                raise self.error(key, "missing")
            return {}
        value = self.data[key]
        if not isinstance(value, dict) or not all(
            isinstance(v, value_type) and not isinstance(v, bool) for v in value.values()
        ):
            raise self.error(key, f"expected a table of {value_type.__name__} values")
        return dict(value)


def read_registry(registry_file: Path) -> dict[str, DatasetInfo]:
    """Read and check a registry file; return its datasets by name, in file order.

    Raises DatasetError naming the file and the key for anything malformed: a wrong
    ``format_version``, an unknown key, a missing or mistyped value, a duplicate name, a
    ``file`` that is not a plain name inside the folder, an unknown loader, a ``schema``,
    ``target`` or ``leak`` that points at nothing.
    """
    try:
        with registry_file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise DatasetError(f"{registry_file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(f"{registry_file}: not valid TOML: {exc}") from None

    top = _TomlTable(data, registry_file, "")
    top.check_keys(("format_version", "datasets"))
    if data.get("format_version") != FORMAT_VERSION:
        raise top.error(
            "format_version", f"expected {FORMAT_VERSION}, got {data.get('format_version')!r}"
        )
    tables = data.get("datasets")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise top.error("datasets", "expected an array of tables ([[datasets]])")

    found: dict[str, DatasetInfo] = {}
    read: list[tuple[_TomlTable, DatasetInfo]] = []
    for index, raw in enumerate(tables):
        table = _TomlTable(raw, registry_file, f"datasets[{index}]")
        table.check_keys(_DATASET_KEYS)
        entry = _read_dataset(table)
        if entry.name in found:
            raise table.error("name", f"{entry.name!r} is declared twice")
        found[entry.name] = entry
        read.append((table, entry))

    # A schema reference can point forwards, so it is checked once every name is known.
    for table, entry in read:
        target = found.get(entry.schema)
        if target is None:
            raise table.error("schema", f"no dataset named {entry.schema!r} in this file")
        if target.is_messy:
            raise table.error("schema", f"{entry.schema!r} is itself validated by another schema")
    return found


def _read_dataset(table: _TomlTable) -> DatasetInfo:
    name = table.required_text("name")
    if not NAME_RE.fullmatch(name):
        raise table.error("name", f"{name!r} is not a lowercase name like 'retail_sales_messy'")
    file = table.text("file", required=False)
    loader = table.text("loader", required=False)
    if (file is None) == (loader is None):
        raise table.error("file", "give exactly one of 'file' (shipped CSV) or 'loader' (sklearn)")
    if file is not None and (Path(file).name != file or not file.endswith(".csv")):
        raise table.error("file", f"{file!r} must be a plain .csv file name inside datasets/")
    if loader is not None and loader not in SKLEARN_LOADERS:
        raise table.error(
            "loader", f"{loader!r} is not one of {', '.join(sorted(SKLEARN_LOADERS))}"
        )
    columns = table.mapping("columns", str, required=True)
    if not columns:
        raise table.error("columns", "list at least one column")
    for role in ("target", "leak"):
        column = table.text(role, required=False)
        if column is not None and column not in columns:
            raise table.error(role, f"{column!r} is not one of the dataset's columns")
    return DatasetInfo(
        name=name,
        description=table.required_text("description"),
        source=table.required_text("source"),
        licence=table.required_text("licence"),
        rows=table.count("rows"),
        columns=MappingProxyType(columns),
        file=file,
        loader=loader,
        schema=table.text("schema", required=False) or name,
        target=table.text("target", required=False),
        leak=table.text("leak", required=False),
        defects=MappingProxyType(table.mapping("defects", int, required=False)),
    )


@lru_cache(maxsize=1)
def _registry() -> dict[str, DatasetInfo]:
    return read_registry(datasets_dir() / REGISTRY_FILE)


def names() -> list[str]:
    """Names of every registered dataset, in the order the registry lists them."""
    return list(_registry())


def info(name: str) -> DatasetInfo:
    """The registry entry for ``name``; DatasetError (with close matches) if there is none."""
    registry = _registry()
    if name in registry:
        return registry[name]
    close = difflib.get_close_matches(str(name), list(registry), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise DatasetError(f"No dataset named {name!r}.{hint} Known datasets: {', '.join(registry)}.")


def path(name: str) -> Path:
    """Absolute path of the dataset's shipped file, valid from any working directory.

    Datasets bundled with scikit-learn have no file: use :func:`load` for those.
    """
    entry = info(name)
    if entry.file is None:
        raise DatasetError(
            f"{name!r} ships inside scikit-learn ({entry.loader}), not as a file: "
            f"use load({name!r}) instead."
        )
    return (datasets_dir() / entry.file).resolve()


def _existing_file(name: str) -> Path:
    file = path(name)
    if not file.is_file():
        raise DatasetError(
            f"{file} is missing. Rebuild the shipped datasets with `python -m sandbox.datasets`."
        )
    return file


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise UsageError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}.")


@overload
def load(name: str, backend: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def load(name: str, backend: Literal["polars"]) -> pl.DataFrame: ...
def load(name: str, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """Load a dataset by name as a pandas (default) or polars DataFrame.

    Clean sets come with their declared types (integers, floats, text, dates as
    ``datetime64`` in pandas and ``Date`` in polars). Messy sets are read as they are, with
    each library's own type inference: finding and fixing their problems is the exercise.
    Sets bundled with scikit-learn are loaded with ``as_frame=True``; the target is the
    column ``target``. Only an empty field counts as missing, in both backends.
    """
    _check_backend(backend)
    entry = info(name)
    if entry.loader is not None:
        return _load_sklearn(entry.loader, backend)
    file = _existing_file(name)
    spec = None if entry.is_messy else _COLUMN_SPECS.get(name)
    if backend == "polars":
        return _read_polars(file, spec)
    return _read_pandas(file, spec)


def _read_pandas(file: Path, spec: tuple[_Column, ...] | None) -> pd.DataFrame:
    import pandas as pd

    # keep_default_na=False: pandas would otherwise also read "NA", "null", "n/a" … as
    # missing, which polars does not; an empty field is the only missing marker we write.
    options: dict[str, Any] = {"encoding": "utf-8", "keep_default_na": False, "na_values": [""]}
    if spec is not None:
        options["dtype"] = {c.name: _PANDAS_READ_DTYPES[c.kind] for c in spec if c.kind != "date"}
        options["parse_dates"] = [c.name for c in spec if c.kind == "date"]
        options["date_format"] = ISO_DATE_FORMAT
    return pd.read_csv(file, **options)


def _read_polars(file: Path, spec: tuple[_Column, ...] | None) -> pl.DataFrame:
    import polars as pl

    if spec is None:
        # Infer from every row, not the first hundred, so a late float or null cannot break it.
        return pl.read_csv(file, infer_schema_length=None)
    return pl.read_csv(file, schema={c.name: _polars_dtype(c.kind) for c in spec})


def _load_sklearn(loader: str, backend: Backend) -> pd.DataFrame | pl.DataFrame:
    import sklearn.datasets

    frame = getattr(sklearn.datasets, loader)(as_frame=True).frame
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    return frame


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


# ================================================================================ generators
#
# Every generator builds rows of already formatted text and writes them with one CSV writer
# (UTF-8, "\n", minimal quoting). Numbers are formatted by this code, never by a library's
# CSV writer, so the bytes depend only on the seed and numpy's generator, not on pandas or
# locale settings. Money is computed in whole cents to keep float rounding out of it.

RETAIL_SEED = 20_240_101
VISITS_SEED = 20_220_101
CHURN_SEED = 20_230_601

RETAIL_ORDERS = 2_000
FIRST_ORDER_ID = 10_001
RETAIL_FIRST_DAY = dt.date(2023, 1, 1)
RETAIL_LAST_DAY = dt.date(2024, 12, 31)

#: customers.csv rows; sales also reference N_UNKNOWN_CUSTOMERS ids that are not in it.
N_CUSTOMERS = 400
FIRST_CUSTOMER_ID = 1_001
#: Customers (in customers.csv) who never ordered: a left join from customers keeps them.
N_CUSTOMERS_WITHOUT_ORDERS = 15
#: Customer ids that appear in the sales but not in customers.csv (deleted accounts):
#: an inner join drops their orders, a left join from sales keeps them with empty details.
N_UNKNOWN_CUSTOMERS = 8
SIGNUP_FIRST_DAY = dt.date(2020, 1, 1)
SIGNUP_LAST_DAY = dt.date(2022, 12, 31)

#: Planted defects in retail_sales_messy.csv → how many rows carry each.
RETAIL_DEFECT_COUNTS: Mapping[str, int] = MappingProxyType(
    {
        "duplicate_rows": 30,
        "missing_customer_id": 12,
        "missing_country": 9,
        "missing_unit_price": 11,
        "unparseable_order_date": 16,
        "negative_quantity": 14,
        "inconsistent_country": 120,
        "invalid_email": 25,
    }
)
#: The column a schema flags for each defect.
DEFECT_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "duplicate_rows": "order_id",
        "missing_customer_id": "customer_id",
        "missing_country": "country",
        "missing_unit_price": "unit_price",
        "unparseable_order_date": "order_date",
        "negative_quantity": "quantity",
        "inconsistent_country": "country",
        "invalid_email": "email",
    }
)
#: Defects whose rows a correct cleaning drops (the others are repaired or de-duplicated).
DROPPED_DEFECTS = (
    "missing_customer_id",
    "missing_country",
    "missing_unit_price",
    "unparseable_order_date",
    "negative_quantity",
)

COUNTRIES = ("United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland")
_COUNTRY_WEIGHTS = (0.35, 0.20, 0.15, 0.10, 0.10, 0.10)
#: Canonical country → the other spellings planted in the messy sales.
COUNTRY_VARIANTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "United Kingdom": ("UK", "U.K.", "u.k.", "united kingdom", "United Kingdom "),
        "Germany": ("germany", "GERMANY", "DE", "Deutschland"),
        "France": ("france", "FR", " France"),
        "Spain": ("spain", "ES", "España"),
        "Netherlands": ("netherlands", "the Netherlands", "Holland", "NL"),
        "Ireland": ("ireland", "IE", "Eire"),
    }
)
_UNPARSEABLE_DATES = (
    "2023-02-29",  # not a leap year
    "2024-02-30",
    "2024-04-31",
    "2023-13-01",
    "2024-00-12",
    "31/31/2023",
    "not recorded",
    "unknown",
    "TBC",
    "20240-05-01",
)

SEGMENTS = ("consumer", "small business", "corporate")
_SEGMENT_WEIGHTS = (0.6, 0.25, 0.15)
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
_FIRST_NAMES = (
    "Anna", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jack",
    "Katie", "Liam", "Maya", "Noah", "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara",
    "Umar", "Vera", "Will", "Xenia", "Yusuf", "Zoe", "Lena", "Marco", "Sofia", "Tom",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts",
    "Walker", "Wright", "Martin", "Muller", "Schmidt", "Dubois", "Moreau", "Garcia", "Lopez",
    "Jansen", "Visser", "Murphy", "Kelly", "Byrne", "Rossi", "Novak", "Khan", "Ali", "Chen",
)  # fmt: skip

#: (product, category, list price in cents, relative popularity)
PRODUCTS: tuple[tuple[str, str, int, int], ...] = (
    ("USB-C cable", "electronics", 999, 9),
    ("Wireless mouse", "electronics", 2499, 6),
    ("Bluetooth speaker", "electronics", 4999, 4),
    ("Noise-cancelling headphones", "electronics", 14999, 2),
    ("Webcam", "electronics", 5999, 3),
    ("Coffee mug", "home", 899, 8),
    ("Desk lamp", "home", 3499, 4),
    ("Throw blanket", "home", 2999, 3),
    ("Scented candle", "home", 1299, 6),
    ("Wall clock", "home", 2199, 2),
    ("Notebook A5", "office", 499, 10),
    ("Gel pens (10 pack)", "office", 799, 7),
    ("Desk organiser", "office", 1899, 3),
    ("Stapler", "office", 1099, 3),
    ("Monitor stand", "office", 3999, 2),
    ("Water bottle", "outdoor", 1499, 6),
    ("Yoga mat", "outdoor", 2799, 4),
    ("Camping lantern", "outdoor", 3299, 2),
    ("Picnic blanket", "outdoor", 2599, 2),
    ("Sunglasses", "outdoor", 4499, 3),
)
CATEGORIES = tuple(sorted({category for _, category, _, _ in PRODUCTS}))
# Percent of list price paid, and how often: most orders pay full price.
_DISCOUNTS = ((100, 0.80), (90, 0.15), (75, 0.05))

VISITS_FIRST_DAY = dt.date(2022, 1, 1)
VISITS_LAST_DAY = dt.date(2024, 12, 31)

CHURN_ROWS = 2_500
CHURN_LEAK = "days_since_cancellation_request"
CONTRACTS = ("month-to-month", "one-year", "two-year")
PLANS = ("basic", "standard", "premium")
PAYMENT_METHODS = ("card", "bank transfer", "paypal", "invoice")
REGIONS = ("north", "south", "east", "west")


@dataclass(frozen=True)
class PlantedDefect:
    """One planted defect in a messy dataset, where a schema check must flag it."""

    kind: str  # a key of RETAIL_DEFECT_COUNTS
    row: int  # 0-based data row in the file (pandas' default index, polars' row number)
    column: str
    value: str  # the text written in the file ("" for a missing value)


@dataclass(frozen=True)
class CustomerJoinGaps:
    """Where sales and customers do not match, so inner and left joins differ."""

    customers_without_orders: tuple[int, ...]  # in customers.csv, in no sale
    unknown_customer_ids: tuple[int, ...]  # in sales, not in customers.csv


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


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _day(first: dt.date, offset: int) -> str:
    return (first + dt.timedelta(days=int(offset))).isoformat()


def _corrupt_email(email: str, how: int) -> str:
    local, domain = email.split("@")
    damaged = (
        f"{local}{domain}",  # the @ lost
        f"{local}@@{domain}",
        f"{local}@{domain.rsplit('.', 1)[0]}",  # no top-level domain
        f"{local} at {domain}",
        f"{local.replace('.', ' ', 1)}@{domain}",  # a space in the name
    )
    return damaged[how % len(damaged)]


@dataclass(frozen=True)
class _RetailBuild:
    messy: bytes
    clean: bytes
    customers: bytes
    defects: tuple[PlantedDefect, ...]
    gaps: CustomerJoinGaps


_RETAIL_HEADER = (
    "order_id", "order_date", "customer_id", "country", "product", "category", "quantity",
    "unit_price", "email",
)  # fmt: skip


@lru_cache(maxsize=1)
def _retail() -> _RetailBuild:
    """Build customers, clean sales and messy sales together so they agree by construction."""
    import numpy as np

    rng = np.random.default_rng(RETAIL_SEED)

    # ---- customers (including the deleted accounts that only the sales still mention)
    n_ids = N_CUSTOMERS + N_UNKNOWN_CUSTOMERS
    customer_ids = [FIRST_CUSTOMER_ID + i for i in range(n_ids)]
    first_names = rng.integers(0, len(_FIRST_NAMES), n_ids)
    last_names = rng.integers(0, len(_LAST_NAMES), n_ids)
    country_of = rng.choice(len(COUNTRIES), n_ids, p=_COUNTRY_WEIGHTS)
    segment_of = rng.choice(len(SEGMENTS), n_ids, p=_SEGMENT_WEIGHTS)
    signup_span = (SIGNUP_LAST_DAY - SIGNUP_FIRST_DAY).days + 1
    signup_of = rng.integers(0, signup_span, n_ids)
    domain_of = rng.integers(0, len(_EMAIL_DOMAINS), n_ids)
    names_of: list[str] = []
    emails_of: list[str] = []
    used_emails: set[str] = set()
    for i in range(n_ids):
        first, last = _FIRST_NAMES[first_names[i]], _LAST_NAMES[last_names[i]]
        names_of.append(f"{first} {last}")
        local = f"{first.lower()}.{last.lower()}"
        email, suffix = f"{local}@{_EMAIL_DOMAINS[domain_of[i]]}", 1
        while email in used_emails:  # namesakes get a number, as mail providers do
            suffix += 1
            email = f"{local}{suffix}@{_EMAIL_DOMAINS[domain_of[i]]}"
        used_emails.add(email)
        emails_of.append(email)

    unknown = sorted(int(i) for i in rng.choice(n_ids, N_UNKNOWN_CUSTOMERS, replace=False))
    known = [i for i in range(n_ids) if i not in unknown]
    without_orders = sorted(
        int(i) for i in rng.choice(known, N_CUSTOMERS_WITHOUT_ORDERS, replace=False)
    )
    ordering = np.array([i for i in range(n_ids) if i not in without_orders])
    # Some customers order far more often than others.
    appetite = rng.gamma(1.5, 1.0, len(ordering))
    appetite /= appetite.sum()

    # ---- the true orders, in order-id (and so date) order
    order_span = (RETAIL_LAST_DAY - RETAIL_FIRST_DAY).days + 1
    day_of = np.sort(rng.integers(0, order_span, RETAIL_ORDERS))
    popularity = np.array([p[3] for p in PRODUCTS], dtype=float)
    product_of = rng.choice(len(PRODUCTS), RETAIL_ORDERS, p=popularity / popularity.sum())
    quantity_of = rng.choice(np.arange(1, 7), RETAIL_ORDERS, p=[0.45, 0.25, 0.13, 0.08, 0.05, 0.04])
    percents = np.array([d[0] for d in _DISCOUNTS])
    percent_of = rng.choice(percents, RETAIL_ORDERS, p=[d[1] for d in _DISCOUNTS])

    # ---- which rows carry which defect: disjoint slices of one shuffle
    shuffled = rng.permutation(RETAIL_ORDERS)
    defect_rows: dict[str, list[int]] = {}
    start = 0
    for kind, count in RETAIL_DEFECT_COUNTS.items():
        if kind == "duplicate_rows":
            continue
        defect_rows[kind] = sorted(int(i) for i in shuffled[start : start + count])
        start += count
    untouched = np.sort(shuffled[start:])
    sources = rng.choice(untouched, RETAIL_DEFECT_COUNTS["duplicate_rows"], replace=False)
    defect_rows["duplicate_rows"] = sorted(int(i) for i in sources)

    # Every ordering customer gets at least one untouched order, so cleaning never turns a
    # customer into one "without orders" by accident; the rest follow appetite.
    customer_of = np.empty(RETAIL_ORDERS, dtype=np.int64)
    guaranteed = rng.permutation(untouched)[: len(ordering)]
    customer_of[guaranteed] = rng.permutation(ordering)
    others = np.setdiff1d(np.arange(RETAIL_ORDERS), guaranteed)
    customer_of[others] = rng.choice(ordering, len(others), p=appetite)

    true_rows: list[list[str]] = []
    for i in range(RETAIL_ORDERS):
        customer = int(customer_of[i])
        product, category, list_cents, _ = PRODUCTS[int(product_of[i])]
        cents = (list_cents * int(percent_of[i]) + 50) // 100
        true_rows.append(
            [
                str(FIRST_ORDER_ID + i),
                _day(RETAIL_FIRST_DAY, int(day_of[i])),
                str(customer_ids[customer]),
                COUNTRIES[int(country_of[customer])],
                product,
                category,
                str(int(quantity_of[i])),
                _money(cents),
                emails_of[customer],
            ]
        )

    # ---- plant the defects (one per row; the draws below run in a fixed order)
    messy_rows = [list(row) for row in true_rows]
    column_index = {name: i for i, name in enumerate(_RETAIL_HEADER)}
    for kind in sorted(defect_rows):
        if kind == "duplicate_rows":
            continue
        col = column_index[DEFECT_COLUMNS[kind]]
        for i in defect_rows[kind]:
            old = messy_rows[i][col]
            if kind.startswith("missing_"):
                new = ""
            elif kind == "unparseable_order_date":
                new = _UNPARSEABLE_DATES[int(rng.integers(0, len(_UNPARSEABLE_DATES)))]
            elif kind == "negative_quantity":
                new = f"-{old}"
            elif kind == "inconsistent_country":
                variants = COUNTRY_VARIANTS[old]
                new = variants[int(rng.integers(0, len(variants)))]
            else:  # invalid_email
                new = _corrupt_email(old, int(rng.integers(0, 5)))
            messy_rows[i][col] = new

    # Copies land a little after their original, as when a batch is exported twice.
    order_keys: list[tuple[int, int, int]] = [(i, 0, i) for i in range(RETAIL_ORDERS)]
    for source in defect_rows["duplicate_rows"]:
        after = min(RETAIL_ORDERS - 1, source + int(rng.integers(1, 200)))
        order_keys.append((after, 1, source))
    order_keys.sort()
    messy_file_rows = [messy_rows[source] for _, _, source in order_keys]

    planted: list[PlantedDefect] = []
    position_of_original = {
        source: pos for pos, (_, copy, source) in enumerate(order_keys) if not copy
    }
    for kind in RETAIL_DEFECT_COUNTS:
        column = DEFECT_COLUMNS[kind]
        if kind == "duplicate_rows":
            for pos, (_, copy, source) in enumerate(order_keys):
                if copy:
                    planted.append(PlantedDefect(kind, pos, column, messy_rows[source][0]))
            continue
        for i in defect_rows[kind]:
            value = messy_rows[i][column_index[column]]
            planted.append(PlantedDefect(kind, position_of_original[i], column, value))
    planted.sort(key=lambda d: (d.row, d.column, d.kind))

    # ---- the clean table: the documented cleaning applied to the true orders
    dropped = {i for kind in DROPPED_DEFECTS for i in defect_rows[kind]}
    invalid_email = set(defect_rows["invalid_email"])
    clean_rows = []
    for i, row in enumerate(true_rows):
        if i in dropped:
            continue
        clean_rows.append([*row[:-1], "" if i in invalid_email else row[-1]])

    customer_rows = [
        [
            str(customer_ids[i]),
            names_of[i],
            emails_of[i],
            _day(SIGNUP_FIRST_DAY, int(signup_of[i])),
            SEGMENTS[int(segment_of[i])],
            COUNTRIES[int(country_of[i])],
        ]
        for i in known
    ]
    customer_header = ("customer_id", "name", "email", "signup_date", "segment", "country")
    return _RetailBuild(
        messy=_csv_bytes(_RETAIL_HEADER, messy_file_rows),
        clean=_csv_bytes(_RETAIL_HEADER, clean_rows),
        customers=_csv_bytes(customer_header, customer_rows),
        defects=tuple(planted),
        gaps=CustomerJoinGaps(
            customers_without_orders=tuple(customer_ids[i] for i in without_orders),
            unknown_customer_ids=tuple(customer_ids[i] for i in unknown),
        ),
    )


def _daily_visits() -> bytes:
    """Three years of daily visits: trend × weekly × yearly seasonality × noise."""
    import numpy as np

    rng = np.random.default_rng(VISITS_SEED)
    n_days = (VISITS_LAST_DAY - VISITS_FIRST_DAY).days + 1
    t = np.arange(n_days)
    days = [VISITS_FIRST_DAY + dt.timedelta(days=int(i)) for i in t]
    weekday = np.array([d.weekday() for d in days])
    day_of_year = np.array([d.timetuple().tm_yday for d in days])
    trend = 1_200.0 + 0.45 * t  # about +40 % over the three years
    weekly = np.array([1.06, 1.09, 1.07, 1.02, 0.95, 0.80, 0.78])[weekday]
    # Peak in mid-December, trough in mid-June.
    yearly = 1.0 + 0.18 * np.cos(2 * np.pi * (day_of_year - 350) / 365.25)
    noise = rng.normal(1.0, 0.05, n_days)
    visits = np.maximum(0, np.rint(trend * weekly * yearly * noise)).astype(np.int64)
    signups = rng.binomial(visits, 0.025)
    rows = [[days[i].isoformat(), str(int(visits[i])), str(int(signups[i]))] for i in range(n_days)]
    return _csv_bytes(("date", "visits", "signups"), rows)


def _churn() -> bytes:
    """Customer churn with a hidden dissatisfaction driving both the features and the label."""
    import numpy as np

    rng = np.random.default_rng(CHURN_SEED)
    n = CHURN_ROWS
    age = rng.integers(18, 76, n)
    region = rng.integers(0, len(REGIONS), n)  # no signal: a distractor
    plan = rng.choice(len(PLANS), n, p=[0.45, 0.35, 0.20])
    contract = rng.choice(len(CONTRACTS), n, p=[0.50, 0.30, 0.20])
    payment = rng.choice(len(PAYMENT_METHODS), n, p=[0.40, 0.25, 0.20, 0.15])
    autopay = (rng.random(n) < np.where(payment == 3, 0.15, 0.65)).astype(np.int64)
    tenure_low = np.array([1, 6, 12])[contract]
    tenure = rng.integers(tenure_low, 73)
    monthly_cents = np.array([1999, 3999, 6999])[plan] + np.rint(rng.normal(0, 600, n))
    monthly_cents = np.maximum(999, monthly_cents).astype(np.int64)
    total_cents = np.rint(monthly_cents * tenure * rng.normal(1.0, 0.03, n)).astype(np.int64)

    # Dissatisfaction is never shown; calls, logins and recency are noisy traces of it.
    unhappy = rng.normal(0.0, 1.0, n)
    support_calls = rng.poisson(np.exp(0.1 + 0.7 * unhappy))
    logins_tenths = np.rint(10 * rng.gamma(2.0, np.exp(1.1 - 0.55 * unhappy) / 2.0))
    last_login = np.rint(rng.exponential(np.exp(1.6 + 0.7 * unhappy))).astype(np.int64)

    logit = (
        -1.2
        + 1.1 * unhappy
        + np.array([1.3, -0.4, -1.8])[contract]
        - 0.035 * (tenure - 24)
        + 0.015 * (monthly_cents / 100 - 40)
        - 0.5 * autopay
        + np.where(payment == 3, 0.4, 0.0)
        - 0.005 * (age - 45)
    )
    churned = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    # The leak: only customers who left have asked to cancel, a few days to weeks before.
    request_days = rng.integers(0, 46, n)

    rows = []
    for i in range(n):
        rows.append(
            [
                str(i + 1),
                str(int(age[i])),
                REGIONS[int(region[i])],
                PLANS[int(plan[i])],
                CONTRACTS[int(contract[i])],
                PAYMENT_METHODS[int(payment[i])],
                str(int(autopay[i])),
                str(int(tenure[i])),
                _money(int(monthly_cents[i])),
                _money(int(total_cents[i])),
                str(int(support_calls[i])),
                f"{int(logins_tenths[i]) // 10}.{int(logins_tenths[i]) % 10}",
                str(int(last_login[i])),
                str(int(request_days[i])) if churned[i] else "",
                str(int(churned[i])),
            ]
        )
    return _csv_bytes([c.name for c in _COLUMN_SPECS["churn"]], rows)


_GENERATORS: Mapping[str, Callable[[], bytes]] = MappingProxyType(
    {
        "retail_sales_messy": lambda: _retail().messy,
        "retail_sales": lambda: _retail().clean,
        "customers": lambda: _retail().customers,
        "daily_visits": _daily_visits,
        "churn": _churn,
    }
)


def generated_names() -> list[str]:
    """Names of the datasets this module generates (every registered set with a file)."""
    return [name for name in names() if info(name).file is not None]


def generate(name: str) -> bytes:
    """The exact bytes of a shipped dataset file, rebuilt from its seeded generator."""
    entry = info(name)
    if entry.file is None:
        raise DatasetError(f"{name!r} ships inside scikit-learn; there is no file to generate.")
    if name not in _GENERATORS:
        raise DatasetError(f"{name!r} is registered with a file but has no generator.")
    return _GENERATORS[name]()


def write_all(folder: Path | str) -> list[Path]:
    """Write every generated dataset file into ``folder`` (created if needed); return the paths."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in generated_names():
        file_name = info(name).file
        assert file_name is not None
        destination = target / file_name
        destination.write_bytes(generate(name))
        written.append(destination)
    return written


def planted_defects(name: str) -> tuple[PlantedDefect, ...]:
    """The generator's record of every defect planted in a dataset (empty for clean sets)."""
    if not info(name).is_messy:
        return ()
    if name == "retail_sales_messy":
        return _retail().defects
    raise DatasetError(f"{name!r} is registered as messy but has no planted-defect record.")


def customer_join_gaps() -> CustomerJoinGaps:
    """Which customers never ordered and which sales name a customer missing from customers."""
    return _retail().gaps


_TRANSACTION_CATEGORIES = (
    "books", "clothing", "electronics", "garden", "grocery", "health", "home", "music",
    "office", "outdoor", "pets", "sports", "toys", "travel",
)  # fmt: skip


def generate_transactions(n_rows: int = 1_000_000, seed: int = 0) -> pd.DataFrame:
    """A large synthetic transactions table, built in memory (never shipped).

    Columns: ``transaction_id``, ``timestamp`` (one year, second resolution), ``store_id``
    (1–50), ``customer_id``, ``category`` (text), ``quantity`` and ``amount``. The same
    ``n_rows`` and ``seed`` always give the same frame; a million rows take well under a second.
    """
    import numpy as np
    import pandas as pd

    if n_rows < 0:
        raise UsageError(f"n_rows must be 0 or more, got {n_rows}.")
    rng = np.random.default_rng(seed)
    categories = np.array(sorted(_TRANSACTION_CATEGORIES), dtype=object)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    seconds = rng.integers(0, 366 * 86_400, n_rows)
    quantity = rng.integers(1, 6, n_rows)
    unit_cents = rng.integers(100, 10_000, n_rows)
    return pd.DataFrame(
        {
            "transaction_id": np.arange(1, n_rows + 1, dtype=np.int64),
            "timestamp": np.sort(start + seconds.astype("timedelta64[s]")),
            "store_id": rng.integers(1, 51, n_rows),
            "customer_id": rng.integers(1, 200_001, n_rows),
            "category": pd.array(categories[rng.integers(0, len(categories), n_rows)], dtype="str"),
            "quantity": quantity,
            "amount": quantity * unit_cents / 100,
        }
    )


# ======================================================================================= CLI


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sandbox.datasets [--check] [FOLDER]``: rebuild (or compare) the shipped files."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.datasets", description=main.__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=datasets_dir())
    parser.add_argument(
        "--check", action="store_true", help="compare with the files instead of writing them"
    )
    args = parser.parse_args(argv)
    if not args.check:
        for written in write_all(args.folder):
            print(f"wrote {written} ({written.stat().st_size:,} bytes)")
        return 0
    stale = []
    for name in generated_names():
        file = args.folder / str(info(name).file)
        if not file.is_file() or file.read_bytes() != generate(name):
            stale.append(str(file))
    for file in stale:
        print(f"differs from its generator: {file}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())

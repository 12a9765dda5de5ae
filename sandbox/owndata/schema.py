"""A Pandera schema generated from a profile, its exports, and validation with a report.

Generation
----------
:func:`generate_schema` starts from Pandera's own ``infer_schema`` on a sample of the
typed table, then refines every column with what the profile found over *all* rows:

* dtypes: nullable ``Int64`` for whole numbers (a gap does not turn them into floats),
  ``float64``, ``boolean``, ``str``, and dates with the detected format;
* nullability: a column may be missing only where the cleaning recipe
  (:mod:`sandbox.owndata.cleaning`) leaves gaps, so the schema describes the table the
  recipe produces (a few missing values are defects to drop; invalid e-mails become
  missing);
* checks: ``ge(0)`` for numbers that are never negative apart from a few anomalies
  (Pandera's inferred ``in_range(min, max)`` is dropped: the largest value seen so far
  is not a rule), ``isin`` for categorical columns (their frequent values, without the
  rare spellings), ``str_matches`` for e-mails, URLs and phone numbers, ``unique`` for
  candidate keys (or for whole rows when there is no key).

The date formats travel in the schema's ``metadata`` (``date_formats``), because
Pandera's YAML keeps only ``datetime64[ns]``.

Exports: :func:`schema_to_python` (readable code, in the spirit of ``to_script``, with no
formatter needed) and :func:`schema_to_yaml`. :func:`load_schema` reads YAML only: a
schema file is data, and the lab runs no code from files.

Validation
----------
:func:`validate` reads the file in chunks of :data:`CHUNK_ROWS` rows (never the whole
file into pandas), parses each column as the schema says (a value that does not parse is
a ``coerce_dtype`` failure on its row), runs the schema's checks with ``lazy=True`` on
each chunk, and checks uniqueness over the whole file. The report groups every failure by
column and check with its row count, examples and the pandas/Polars code that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import OwnDataError
from sandbox.owndata.cleaning import CleaningStep, dropped_columns, missing_after, suggest_steps
from sandbox.owndata.profile import (
    CATEGORICAL_MAX,
    NUMERIC_KINDS,
    PATTERNS,
    Profile,
    _parse,
    likely_meant,
    typed_scan,
)
from sandbox.owndata.reading import LIMITS, Limits, Table, friendly_errors, open_table

if TYPE_CHECKING:
    import pandera.pandas as pa
    import polars as pl

__all__ = [
    "CHUNK_ROWS",
    "FailureGroup",
    "ValidationReport",
    "generate_schema",
    "load_schema",
    "schema_to_python",
    "schema_to_yaml",
    "validate",
]

CHUNK_ROWS = 250_000
EXAMPLES = 5
DATE_FORMATS_KEY = "date_formats"
Progress = Callable[[float, str], None]


def _dtype_for(kind: str, dtype: str) -> str:
    if dtype.startswith(("Int", "UInt")):
        return "Int64"
    if dtype.startswith("Float"):
        return "float64"
    if dtype == "Boolean":
        return "boolean"
    if dtype in ("Date", "Datetime"):
        return "datetime64[ns]"
    return "str"


def generate_schema(
    profile: Profile,
    table: Table | None = None,
    steps: Sequence[CleaningStep] | None = None,
) -> pa.DataFrameSchema:
    """A Pandera (pandas) schema of the table the cleaning ``steps`` produce.

    ``steps`` defaults to the recipe suggested for the profile. ``table`` provides the
    sample Pandera's ``infer_schema`` starts from; without it the schema is built from
    the profile alone.
    """
    import pandera.pandas as pa
    from pandera.engines import pandas_engine
    from pandera.schema_inference.pandas import infer_schema

    steps = list(suggest_steps(profile) if steps is None else steps)
    dropped = dropped_columns(steps)
    kept = [c for c in profile.columns if c.name not in dropped]
    base: Any
    if table is not None:
        with friendly_errors(table):
            sample = (
                typed_scan(table, profile, [c.name for c in kept]).head(1000).collect().to_pandas()
            )
        base = infer_schema(sample)
    else:
        base = pa.DataFrameSchema({c.name: pa.Column() for c in kept})
    date_formats: dict[str, str] = {}
    updates: dict[str, dict[str, Any]] = {}
    for c in kept:
        checks: list[Any] = []
        dtype: Any = _dtype_for(c.kind, c.dtype)
        if dtype == "datetime64[ns]" and c.date_format:
            dtype = pandas_engine.DateTime(to_datetime_kwargs={"format": c.date_format})  # type: ignore[call-arg]
            date_formats[c.name] = c.date_format
        if (
            c.kind in NUMERIC_KINDS
            and c.minimum is not None
            and (c.minimum >= 0 or c.negatives_unexpected)
        ):
            checks.append(pa.Check.ge(0))
        if (
            c.kind == "categorical"
            and 0 < len(c.allowed_values) <= CATEGORICAL_MAX
            and "high_cardinality" not in c.flags
        ):
            checks.append(pa.Check.isin(list(c.allowed_values)))
        if c.kind in PATTERNS:
            checks.append(pa.Check.str_matches(PATTERNS[c.kind]))
        updates[c.name] = {
            "dtype": dtype,
            "checks": checks,  # replaces infer_schema's in_range(min, max), see the docstring
            "nullable": missing_after(steps, c.name),
            "title": c.kind,
        }
        if c.name in profile.candidate_keys[:1]:
            updates[c.name] |= {"unique": True, "report_duplicates": "exclude_first"}
    base = base.update_columns(updates)
    whole_rows = [c.name for c in kept] if not profile.candidate_keys and len(kept) > 1 else None
    return pa.DataFrameSchema(
        dict(base.columns),
        coerce=True,
        strict=True,
        unique=whole_rows,
        report_duplicates="exclude_first" if whole_rows else "all",
        name=profile.name,
        metadata={DATE_FORMATS_KEY: date_formats},
    )


# -------------------------------------------------------------------------------- exports


def _check_code(check: Any) -> str:
    stats = dict(check.statistics or {})
    name = check.name
    if name == "greater_than_or_equal_to":
        return f"pa.Check.ge({stats['min_value']!r})"
    if name == "less_than_or_equal_to":
        return f"pa.Check.le({stats['max_value']!r})"
    if name == "in_range":
        return f"pa.Check.in_range({stats['min_value']!r}, {stats['max_value']!r})"
    if name == "isin":
        return f"pa.Check.isin({list(stats['allowed_values'])!r})"
    if name == "str_matches":
        pattern = stats["pattern"]
        pattern = pattern.pattern if hasattr(pattern, "pattern") else pattern
        return f"pa.Check.str_matches({pattern!r})"
    arguments = ", ".join(f"{k}={v!r}" for k, v in stats.items())
    return f"pa.Check.{name}({arguments})"


def schema_to_python(schema: pa.DataFrameSchema) -> str:
    """The schema as a readable Python module defining ``schema``."""
    formats: Mapping[str, str] = (schema.metadata or {}).get(DATE_FORMATS_KEY, {})
    lines = [
        f'"""Pandera schema for {schema.name}, generated by the Data Science Sandbox\'s own-data lab.',
        "",
        "Validate a pandas DataFrame with `schema.validate(df, lazy=True)`: with lazy=True",
        "every failure is collected in `SchemaErrors.failure_cases` instead of stopping at the first.",
        '"""',
        "",
        "import pandera.pandas as pa",
    ]
    if formats:
        lines.append("from pandera.engines import pandas_engine")
    lines += ["", "schema = pa.DataFrameSchema(", "    {"]
    for name, column in schema.columns.items():
        if name in formats:
            dtype = f'pandas_engine.DateTime(to_datetime_kwargs={{"format": {formats[name]!r}}})'
        else:
            dtype = repr(str(column.dtype)) if str(column.dtype) != "string[pyarrow]" else "'str'"
        args = [dtype]
        if column.checks:
            args.append("checks=[" + ", ".join(_check_code(c) for c in column.checks) + "]")
        if column.nullable:
            args.append("nullable=True")
        if column.unique:
            args.append('unique=True, report_duplicates="exclude_first"')
        if column.title:
            args.append(f"title={column.title!r}")
        lines.append(f"        {name!r}: pa.Column({', '.join(args)}),")
    lines.append("    },")
    lines += ["    coerce=True,", f"    strict={schema.strict!r},"]
    if schema.unique:
        lines.append(f'    unique={list(schema.unique)!r}, report_duplicates="exclude_first",')
    lines.append(f"    name={schema.name!r},")
    if formats:
        lines.append(f"    metadata={{{DATE_FORMATS_KEY!r}: {dict(formats)!r}}},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def schema_to_yaml(schema: pa.DataFrameSchema) -> str:
    """The schema as Pandera YAML (readable by ``pandera.io.pandas_io.from_yaml``)."""
    import yaml
    from pandera.io.pandas_io import serialize_schema

    data = serialize_schema(schema)
    data["metadata"] = {DATE_FORMATS_KEY: dict((schema.metadata or {}).get(DATE_FORMATS_KEY, {}))}
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def load_schema(path: Path | str) -> pa.DataFrameSchema:
    """Read a schema written by :func:`schema_to_yaml` (or any Pandera YAML schema)."""
    from pandera.io.pandas_io import from_yaml

    file = Path(path)
    if file.suffix.lower() == ".py":
        raise OwnDataError(
            f"{file.name}: a .py schema is code, and the lab runs no code from files. "
            "Use the YAML export (`sandbox profile FILE --schema-out schema.yaml`)."
        )
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OwnDataError(f"{file}: there is no schema file there. Check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OwnDataError(f"{file}: the schema cannot be read ({exc}).") from None
    try:
        schema: pa.DataFrameSchema = from_yaml(text)  # type: ignore[no-untyped-call]
    except Exception as exc:  # yaml and pandera raise many types for a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OwnDataError(
            f"{file.name}: not a Pandera YAML schema ({first}). Export one with "
            "`sandbox profile FILE --schema-out schema.yaml`."
        ) from None
    if not schema.columns:
        raise OwnDataError(f"{file.name}: the schema declares no columns.")
    return schema


# ------------------------------------------------------------------------------ validation


@dataclass(frozen=True)
class FailureGroup:
    """Every failure of one check on one column."""

    column: str | None
    check: str
    rows: int
    examples: tuple[tuple[int | None, str], ...]  # (row number, value)
    fix: str

    @property
    def check_kind(self) -> str:
        return self.check.split("(", 1)[0]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a file against a schema."""

    name: str
    schema_name: str | None
    rows: int
    failing_rows: int
    groups: tuple[FailureGroup, ...]
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.groups

    def counts(self) -> dict[tuple[str | None, str], int]:
        """(column, check kind) → failing rows."""
        return {(g.column, g.check_kind): g.rows for g in self.groups}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schema": self.schema_name,
            "passed": self.passed,
            "rows": self.rows,
            "failing_rows": self.failing_rows,
            "seconds": self.seconds,
            "failures": [
                {
                    "column": g.column,
                    "check": g.check,
                    "rows": g.rows,
                    "examples": [{"row": r, "value": v} for r, v in g.examples],
                    "fix": g.fix,
                }
                for g in self.groups
            ],
        }


def _kind_of(dtype: str, fmt: str | None) -> str:
    lowered = dtype.lower()
    if "int" in lowered:
        return "integer"
    if "float" in lowered:
        return "float"
    if "bool" in lowered:
        return "boolean"
    if "datetime" in lowered:
        return "datetime" if fmt and "%H" in fmt else "date"
    return "string"


def _fix(
    column: str | None, check: str, values: Sequence[str], schema: Any, formats: Mapping[str, str]
) -> str:
    """The pandas and Polars code that repairs this kind of failure."""
    c = column or ""
    kind = check.split("(", 1)[0]
    if kind == "not_nullable":
        return (
            f"Drop or fill the missing values. Polars: df = df.drop_nulls({c!r})  "
            f"(or df.with_columns(pl.col({c!r}).fill_null(...))). pandas: df = df.dropna(subset=[{c!r}])"
        )
    if kind == "coerce_dtype":
        if c in formats:
            fmt = formats[c]
            return (
                f"Parse with the format and turn the rest into missing values. Polars: "
                f"pl.col({c!r}).str.to_date({fmt!r}, strict=False). pandas: "
                f"pd.to_datetime(df[{c!r}], format={fmt!r}, errors='coerce')"
            )
        return (
            f"Convert and turn what does not convert into missing values. Polars: "
            f"pl.col({c!r}).str.strip_chars().cast(pl.Float64, strict=False). pandas: "
            f"pd.to_numeric(df[{c!r}], errors='coerce')"
        )
    if kind == "isin":
        allowed: list[str] = []
        column_schema = schema.columns.get(c)
        for chk in getattr(column_schema, "checks", []) or []:
            if chk.name == "isin":
                allowed = [str(v) for v in chk.statistics["allowed_values"]]
        mapping = {v: likely_meant(v, allowed) for v in dict.fromkeys(values)}
        return (
            f"Map each spelling to an allowed value (fill in the None). Polars: "
            f"pl.col({c!r}).replace({mapping!r}). pandas: df[{c!r}].replace({mapping!r})"
        )
    if kind == "str_matches":
        return (
            f"Values that do not match cannot be repaired: set them to missing. Polars: "
            f"pl.when(pl.col({c!r}).str.contains(PATTERN)).then(pl.col({c!r})). pandas: "
            f"df[{c!r}].where(df[{c!r}].str.match(PATTERN))"
        )
    if kind in (
        "greater_than_or_equal_to",
        "greater_than",
        "less_than_or_equal_to",
        "less_than",
        "in_range",
    ):
        return (
            f"Drop the rows out of range, or repair them if the sign was flipped. Polars: "
            f"df.filter(pl.col({c!r}) >= 0) or pl.col({c!r}).abs(). pandas: df[df[{c!r}] >= 0]"
        )
    if kind in ("field_uniqueness", "multiple_fields_uniqueness", "duplicates"):
        subset = f"subset=[{c!r}], " if column else ""
        return (
            f"Keep the first copy. Polars: df.unique({subset}keep='first', maintain_order=True). "
            f"pandas: df.drop_duplicates({subset}keep='first')"
        )
    if kind == "column_in_schema":
        return f"Drop the column the schema does not know. Polars: df.drop({c!r}). pandas: df.drop(columns=[{c!r}])"
    if kind == "column_in_dataframe":
        return f"Add or rename the missing column. Polars: df.rename({{'old': {c!r}}}). pandas: df.rename(columns={{'old': {c!r}}})"
    return "See the check's definition in the schema; fix the values it names."


class _Collector:
    """Gathers failures chunk by chunk: counts, first examples, failing row numbers."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str | None, str], int] = {}
        self.examples: dict[tuple[str | None, str], list[tuple[int | None, str]]] = {}
        self.failing: set[int] = set()
        self.failing_count = 0

    def add(self, column: str | None, check: str, row: int | None, value: Any) -> None:
        key = (column, check)
        self.rows[key] = self.rows.get(key, 0) + 1
        shown = self.examples.setdefault(key, [])
        if len(shown) < EXAMPLES:
            missing = (
                value is None
                or (isinstance(value, float) and value != value)
                or str(value) in ("<NA>", "NaT")
            )
            shown.append((row, "" if missing else str(value)))
        if row is not None and row not in self.failing:
            self.failing.add(row)
            self.failing_count += 1


def _value_schema(schema: Any, shared: Sequence[str]) -> Any:
    """The schema's columns found in the file, without uniqueness (checked over the whole file)."""
    columns = {}
    for name in shared:
        col = schema.columns[name]
        columns[name] = type(col)(
            "datetime64[ns]" if "datetime" in str(col.dtype) else col.dtype,
            checks=col.checks,
            nullable=col.nullable,
            unique=False,
            name=name,
        )
    return schema.__class__(columns, coerce=True, strict=False, name=schema.name)


def validate(
    source: Any,
    schema: Any,
    name: str | None = None,
    *,
    limits: Limits = LIMITS,
    on_progress: Progress | None = None,
) -> ValidationReport:
    """Validate a file (or DataFrame) against a Pandera schema; every failure is reported."""
    import time

    import pandas as pd
    import pandera.pandas as pa
    import polars as pl

    started = time.perf_counter()
    report = on_progress or (lambda fraction, message: None)
    table = source if isinstance(source, Table) else open_table(source, name, limits)
    formats: Mapping[str, str] = (schema.metadata or {}).get(DATE_FORMATS_KEY, {}) or {}
    lf = table.scan()
    with friendly_errors(table):
        file_columns = lf.collect_schema()
        rows = int(lf.select(pl.len()).collect(engine="streaming").item())
    if rows > limits.max_rows:
        raise OwnDataError(
            f"{table.name}: {rows:,} rows, over the lab's limit of {limits.max_rows:,}."
        )
    found = _Collector()
    shared = [c for c in schema.columns if c in file_columns]
    for missing in (c for c in schema.columns if c not in file_columns):
        found.add(missing, "column_in_dataframe", None, missing)
    if schema.strict:
        for extra in (c for c in file_columns if c not in schema.columns):
            found.add(extra, "column_in_schema", None, extra)

    # Parse every shared column as the schema says; keep what did not parse, per row.
    typed: list[pl.Expr] = [pl.int_range(pl.len(), dtype=pl.Int64).alias("__row")]
    unparsed: dict[str, str] = {}
    for column in shared:
        dtype = str(schema.columns[column].dtype)
        kind = _kind_of(dtype, formats.get(column))
        if file_columns[column] == pl.String and kind != "string":
            fmt = formats.get(column) or ("%Y-%m-%d" if kind == "date" else None)
            if kind == "datetime" and fmt is None:
                fmt = "%Y-%m-%d %H:%M:%S"
            value = _parse(column, kind, fmt)
            raw = pl.col(column).str.strip_chars()
            typed += [
                value.alias(column),
                pl.when(raw.is_not_null() & (raw != "") & value.is_null())
                .then(pl.col(column))
                .alias(f"__raw:{column}"),
            ]
            unparsed[column] = f"coerce_dtype('{dtype}')"
        else:
            typed.append(pl.col(column))
    scan = lf.select(typed)
    value_schema = _value_schema(schema, shared)
    done = 0
    report(0.05, f"Checking {rows:,} rows…")
    with friendly_errors(table):
        batches = scan.collect_batches(chunk_size=CHUNK_ROWS)
        for chunk in batches:
            for column, check in unparsed.items():
                bad = chunk.filter(pl.col(f"__raw:{column}").is_not_null()).select(
                    "__row", f"__raw:{column}"
                )
                for row, value in bad.iter_rows():
                    found.add(column, check, row, value)
            frame = chunk.select(
                [c for c in chunk.columns if not c.startswith("__raw:")]
            ).to_pandas()
            frame.index = pd.Index(frame.pop("__row"))
            for column in shared:
                if "Int" in str(schema.columns[column].dtype) and column in frame:
                    frame[column] = frame[column].astype("Int64")
            try:
                value_schema.validate(frame, lazy=True)
            except pa.errors.SchemaErrors as exc:
                cases = exc.failure_cases
                for record in cases.itertuples(index=False):
                    column, check, row = record.column, str(record.check), record.index
                    row = None if row is None or pd.isna(row) else int(row)
                    if check.startswith(("dtype(", "coerce_dtype(")):
                        continue  # parsing failures were recorded above, row by row
                    if (
                        check == "not_nullable"
                        and column in unparsed
                        and row is not None
                        and chunk.filter(
                            (pl.col("__row") == row) & pl.col(f"__raw:{column}").is_not_null()
                        ).height
                    ):
                        continue  # missing only because it did not parse: counted once
                    found.add(column, check, row, record.failure_case)
            done += chunk.height
            report(0.05 + 0.8 * done / max(rows, 1), f"Checked {done:,} of {rows:,} rows…")
        report(0.9, "Checking uniqueness over the whole file…")
        _check_unique(scan, schema, found)
    groups = tuple(
        FailureGroup(column, check, count, tuple(found.examples[(column, check)]),
                     _fix(column, check, [v for _, v in found.examples[(column, check)]], schema, formats))
        for (column, check), count in found.rows.items()
    )  # fmt: skip
    report(1.0, "Validated")
    return ValidationReport(
        name=table.name,
        schema_name=schema.name,
        rows=rows,
        failing_rows=found.failing_count,
        groups=groups,
        seconds=round(time.perf_counter() - started, 3),
    )


def _check_unique(scan: pl.LazyFrame, schema: Any, found: _Collector) -> None:
    import polars as pl

    names = set(scan.collect_schema().names())
    for name, column in schema.columns.items():
        if column.unique and name in names:
            repeats = (
                scan.select("__row", name)
                .filter(pl.col(name).is_not_null() & ~pl.col(name).is_first_distinct())
                .collect()
            )
            for row, value in repeats.iter_rows():
                found.add(name, "field_uniqueness", row, value)
    subset = schema.unique
    if subset:
        subset = [subset] if isinstance(subset, str) else list(subset)
        if all(s in names for s in subset):
            repeats = (
                scan.select("__row", *subset)
                .filter(~pl.struct(subset).is_first_distinct())
                .collect()
            )
            for values in repeats.iter_rows():
                found.add(
                    None,
                    "multiple_fields_uniqueness",
                    values[0],
                    ", ".join(str(v) for v in values[1:]),
                )

"""Profiling a table: what each column holds, what is wrong with it, and a quality score.

How a column's kind is inferred
-------------------------------
Text columns are typed from a sample of the first :data:`SAMPLE_ROWS` rows: a kind is
chosen when at least :data:`TYPE_SHARE` (90 %) of the sample's non-missing values fit it,
trying in order boolean (``true/false/yes/no/y/n/t/f``), integer, float, date, datetime
(the first of :data:`DATE_FORMATS` / :data:`DATETIME_FORMATS` that fits; the format is
reported), e-mail, URL, phone. The whole table is then read with that type; values that
do not fit are counted as *invalid* (they make the column a mixed-type column). Other
text columns are an **identifier** (every value distinct, short, no spaces), **free text**
(mostly several words, 25+ characters on average) or **categorical** (at most
:data:`CATEGORICAL_MAX` distinct values, or at most 5 % distinct; above 50 distinct values
it is flagged *high-cardinality*). Integer columns named like an id (``id``, ``*_id``,
``*Id``, ``*_key``, ``*_code``, ``*_no``) are identifiers. Missing means an empty field
or one of :data:`NULL_TOKENS`.

Issues (``Profile.issues``)
---------------------------
Warnings are defects a cleaning should fix; infos are worth knowing:

=====================  ========  ================================================
``duplicate_rows``     warning   exact copies of an earlier row (the copies counted)
``missing_values``     warning   missing cells in a column
``invalid_values``     warning   values that do not fit the column's kind or pattern
``negative_values``    warning   a few negatives (≤ 5 %) in an otherwise non-negative column
``inconsistent_values`` warning  rare spellings of a categorical column's values: a value
                                 under 1 % of the rows when the frequent values cover
                                 90 %+, or one equal to a more frequent value once case,
                                 spaces and punctuation are ignored
``mixed_types``        warning   a text column where 50-90 % of the values are numbers
``constant_column``    warning   a single value in every row
``near_constant``      info      one value in 99 %+ of the rows
``high_cardinality``   info      a categorical column with more than 50 values
``outliers``           info      values beyond 1.5 IQR of the quartiles (z-score > 3 also given)
=====================  ========  ================================================

Quality score (``Profile.quality``), each part from 0 to 100
-------------------------------------------------------------
completeness  100 × (1 − missing cells / all cells)
uniqueness    100 × (1 − duplicate rows / rows)
validity      100 × (1 − (invalid values + unexpected negatives) / non-missing cells)
consistency   100 × (1 − inconsistent values / non-missing cells of categorical columns);
              100 when there is no categorical column
overall       the mean of the four parts
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.owndata.reading import LIMITS, Limits, Table, _fail, friendly_errors, open_table

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "ColumnProfile",
    "Issue",
    "Profile",
    "Quality",
    "Relationship",
    "find_relationships",
    "profile",
    "typed_scan",
]

Progress = Callable[[float, str], None]

SAMPLE_ROWS = 10_000
TYPE_SHARE = 0.9
CATEGORICAL_MAX = 50
RARE_SHARE = 0.01
NEGATIVE_SHARE = 0.05
NEAR_CONSTANT_SHARE = 0.99
TOP_VALUES = 10
EXAMPLES = 5
# value_counts of a column with more distinct values than this is not worth its cost
TOP_VALUES_MAX_DISTINCT = 100_000

NULL_TOKENS = ("", "NA", "N/A", "n/a", "#N/A", "NULL", "null", "None", "NaN", "nan")
BOOLEAN_TOKENS = {"true": True, "false": False, "yes": True, "no": False, "y": True,
                  "n": False, "t": True, "f": False}  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
)  # fmt: skip
PATTERNS = {
    "email": r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$",
    "url": r"^https?://[^\s/$.?#][^\s]*$",
    "phone": r"^\+?[0-9][0-9 ().-]{5,18}[0-9]$",
}
_INT_RE = r"^[+-]?[0-9]+$"
_ID_NAME = re.compile(r"(^id$|_id$|[a-z]Id$|^key$|_key$|_code$|^code$|_no$|_number$)", re.I)
PARSED_KINDS = ("integer", "float", "boolean", "date", "datetime")
_DTYPE_KINDS = {"Int64": "integer", "Float64": "float", "Boolean": "boolean", "Date": "date",
                "Datetime": "datetime"}  # fmt: skip
NUMERIC_KINDS = ("integer", "float")
_QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


@dataclass(frozen=True)
class ColumnProfile:
    """What one column holds. Counts are over the whole table; ``kind`` is defined above."""

    name: str
    kind: str
    dtype: str  # the Polars type the lab reads it as
    parsed: bool  # True when read from text and converted (invalid values are possible)
    date_format: str | None
    rows: int
    nulls: int
    invalid: int
    invalid_examples: tuple[str, ...]
    distinct: int  # distinct non-missing values
    minimum: Any = None
    maximum: Any = None
    mean: float | None = None
    std: float | None = None
    quantiles: Mapping[str, float] = field(default_factory=dict)
    top_values: tuple[tuple[Any, int], ...] = ()
    negatives: int = 0
    outliers_iqr: int = 0
    outliers_z: int = 0
    inconsistent: tuple[tuple[str, int, str | None], ...] = ()  # (value, rows, likely meant)
    flags: tuple[str, ...] = ()
    distinct_estimated: bool = False  # True above 100,000 values (HyperLogLog), unless a key

    @property
    def non_null(self) -> int:
        return self.rows - self.nulls

    @property
    def parse_kind(self) -> str:
        """The kind the text is parsed as (an integer identifier is parsed as ``integer``)."""
        return _DTYPE_KINDS.get(self.dtype, self.kind)

    @property
    def negatives_unexpected(self) -> bool:
        """A few negatives in a column that is otherwise never negative."""
        return 0 < self.negatives <= NEGATIVE_SHARE * max(self.non_null - self.invalid, 1)

    @property
    def inconsistent_rows(self) -> int:
        return sum(count for _, count, _ in self.inconsistent)

    @property
    def allowed_values(self) -> tuple[str, ...]:
        """A categorical column's values once its inconsistent spellings are set aside."""
        odd = {value for value, _, _ in self.inconsistent}
        return tuple(str(v) for v, _ in self.top_values if v is not None and str(v) not in odd)


@dataclass(frozen=True)
class Issue:
    """A problem (``warning``) or an observation (``info``) the profile found."""

    kind: str
    severity: str
    column: str | None
    count: int
    message: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quality:
    """The quality score and its parts, 0-100 (definitions in the module docstring)."""

    completeness: float
    uniqueness: float
    validity: float
    consistency: float

    @property
    def overall(self) -> float:
        return (self.completeness + self.uniqueness + self.validity + self.consistency) / 4


@dataclass(frozen=True)
class Profile:
    """The profile of one table."""

    name: str
    source: str | None
    format: str
    separator: str | None
    size_bytes: int
    rows: int
    columns: tuple[ColumnProfile, ...]
    duplicate_rows: int
    candidate_keys: tuple[str, ...]
    issues: tuple[Issue, ...]
    quality: Quality
    seconds: float

    def column(self, name: str) -> ColumnProfile:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``profile --json``)."""
        data = asdict(self)
        data["quality"] = {**asdict(self.quality), "overall": round(self.quality.overall, 2)}
        for column in data["columns"]:
            column["minimum"] = _jsonable(column["minimum"])
            column["maximum"] = _jsonable(column["maximum"])
            column["top_values"] = [[_jsonable(v), n] for v, n in column["top_values"]]
            column["inconsistent"] = [list(item) for item in column["inconsistent"]]
        return data


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class Relationship:
    """A candidate foreign key: ``child.column`` values found in ``parent.key``."""

    child: str
    column: str
    parent: str
    key: str
    coverage: float  # share of the child's distinct values present in the parent
    missing: int  # distinct child values absent from the parent


# ------------------------------------------------------------------------------- typing


def _null_free(column: str) -> pl.Expr:
    import polars as pl

    # Exact markers only: stripping every value first would cost a copy of every text column.
    return pl.when(pl.col(column).is_in(list(NULL_TOKENS))).then(None).otherwise(pl.col(column))


def parse_code(source: str, kind: str, fmt: str | None) -> str:
    """Polars code reading the text expression ``source`` as ``kind``; unparseable → null.

    The one definition of how the lab parses text: the profile evaluates it and the
    cleaning recipe writes it into the learner's notebook.
    """
    text = f"{source}.str.strip_chars()"
    if kind == "integer":
        return f"{text}.cast(pl.Int64, strict=False)"
    if kind == "float":
        return f"{text}.cast(pl.Float64, strict=False)"
    if kind == "boolean":
        return (
            f"{text}.str.to_lowercase().replace_strict({BOOLEAN_TOKENS!r}, default=None, "
            "return_dtype=pl.Boolean)"
        )
    if kind == "date":
        return f"{text}.str.to_date({fmt!r}, strict=False)"
    if kind == "datetime":
        return f"{text}.str.to_datetime({fmt!r}, strict=False)"
    raise ValueError(f"{kind!r} is not parsed from text")


def _parse(column: str, kind: str, fmt: str | None) -> pl.Expr:
    """The expression reading a text column as ``kind`` (unparseable values become null)."""
    import polars as pl

    if kind not in PARSED_KINDS:
        return _null_free(column)
    expr: pl.Expr = eval(parse_code("source", kind, fmt), {"pl": pl, "source": _null_free(column)})
    return expr


def column_expr(column: ColumnProfile) -> pl.Expr:
    """The expression the lab reads ``column`` with (typed, missing tokens as null)."""
    import polars as pl

    if column.parsed:
        return _parse(column.name, column.parse_kind, column.date_format).alias(column.name)
    if column.dtype == "String":
        return _null_free(column.name).alias(column.name)
    return pl.col(column.name)


def typed_scan(
    table: Table, profile: Profile, columns: Sequence[str] | None = None
) -> pl.LazyFrame:
    """The table read with the types its profile found (invalid values become null)."""
    wanted = set(columns) if columns is not None else None
    exprs = [column_expr(c) for c in profile.columns if wanted is None or c.name in wanted]
    return table.scan().select(exprs)


# ---------------------------------------------------------------------------- guessing


def _share(mask: pl.Series) -> float:
    return float(mask.sum()) / len(mask) if len(mask) else 0.0


def _best_format(values: pl.Series, formats: Sequence[str], datetime: bool) -> str | None:
    best, best_share = None, 0.0
    for fmt in formats:
        try:
            parsed = (
                values.str.to_datetime(fmt, strict=False)
                if datetime
                else values.str.to_date(fmt, strict=False)
            )
        except Exception:  # a format polars refuses for this data: not this one
            continue
        share = _share(parsed.is_not_null())
        if share > best_share:
            best, best_share = fmt, share
    return best if best_share >= TYPE_SHARE else None


def _guess_text(values: pl.Series) -> tuple[str, str | None]:
    """Guess the kind of a text column from its sample's non-missing, stripped values."""
    import polars as pl

    if len(values) == 0:
        return "empty", None
    lowered = values.str.to_lowercase()
    if _share(lowered.is_in(list(BOOLEAN_TOKENS))) >= TYPE_SHARE:
        return "boolean", None
    ints = values.str.contains(_INT_RE)
    if _share(ints) >= TYPE_SHARE:
        # Codes with leading zeros (zip codes, account numbers) are identifiers, not numbers.
        if values.filter(ints).str.contains(r"^[+-]?0[0-9]").any():
            return "string", None
        return "integer", None
    if _share(values.cast(pl.Float64, strict=False).is_not_null()) >= TYPE_SHARE:
        return "float", None
    fmt = _best_format(values, DATE_FORMATS, datetime=False)
    if fmt is not None:
        return "date", fmt
    fmt = _best_format(values, DATETIME_FORMATS, datetime=True)
    if fmt is not None:
        return "datetime", fmt
    for kind, pattern in PATTERNS.items():
        if _share(values.str.contains(pattern)) >= TYPE_SHARE:
            return kind, None
    return "string", None


def _native_kind(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "float"
    if dtype.base_type().__name__ == "Boolean":
        return "boolean"
    name = dtype.base_type().__name__
    if name == "Date":
        return "date"
    if name == "Datetime":
        return "datetime"
    return "string"


# ----------------------------------------------------------------------------- profiling


def profile(
    source: Any,
    name: str | None = None,
    *,
    limits: Limits = LIMITS,
    on_progress: Progress | None = None,
) -> Profile:
    """Profile a file (any format of :mod:`sandbox.owndata.reading`) or a DataFrame.

    Raises :class:`~sandbox.errors.OwnDataError` for a file that cannot be read or is
    beyond ``limits``. ``on_progress(fraction, message)`` is called as the work advances.
    """
    import polars as pl

    started = time.perf_counter()
    report = on_progress or (lambda fraction, message: None)
    table = source if isinstance(source, Table) else open_table(source, name, limits)
    lf = table.scan()
    report(0.02, f"Guessing column types from the first {SAMPLE_ROWS:,} rows…")
    with friendly_errors(table):
        schema = lf.collect_schema()
        sample = lf.head(SAMPLE_ROWS).collect()
    guesses: dict[str, tuple[str, str | None, bool]] = {}
    for column, dtype in schema.items():
        if dtype == pl.String:
            values = sample.select(_null_free(column).str.strip_chars()).to_series().drop_nulls()
            kind, fmt = _guess_text(values)
            guesses[column] = (kind, fmt, kind in PARSED_KINDS)
        else:
            guesses[column] = (_native_kind(dtype), None, False)

    report(0.15, "Reading the whole table with those types…")
    typed_exprs: list[pl.Expr] = []
    bad: dict[str, pl.Expr] = {}
    for column, (kind, fmt, parsed) in guesses.items():
        if parsed:
            value = _parse(column, kind, fmt)
            bad[column] = _null_free(column).is_not_null() & value.is_null()
            # One byte a row says which values did not parse: no second pass over the file.
            typed_exprs += [value.alias(column), bad[column].alias(f"__bad:{column}")]
        elif schema[column] == pl.String:
            typed_exprs.append(_null_free(column).alias(column))
        else:
            typed_exprs.append(pl.col(column))
    with friendly_errors(table):
        frame = lf.select(typed_exprs).collect()
    rows = frame.height
    if rows > limits.max_rows:
        raise _fail(
            table.name,
            f"the table has {rows:,} rows, over the lab's limit of {limits.max_rows:,}",
            "Profile a sample (for example the first rows) instead.",
        )
    if rows == 0:
        raise _fail(table.name, "the table has no rows", "Export it again with its data.")
    flags = [f"__bad:{c}" for c in bad]
    counts = frame.select(pl.col(flags).sum()).row(0, named=True) if flags else {}
    frame = frame.drop(flags)
    invalid: dict[str, tuple[int, tuple[str, ...]]] = {}
    for column, expr in bad.items():
        n = int(counts[f"__bad:{column}"] or 0)
        if not n:
            continue
        shown = sample.select(pl.col(column).filter(expr).head(EXAMPLES)).to_series()
        if shown.is_empty():  # none in the first rows: look further (stops at the first few)
            with friendly_errors(table):
                shown = lf.select(pl.col(column).filter(expr).head(EXAMPLES)).collect().to_series()
        invalid[column] = (n, tuple(str(v) for v in shown.to_list()))

    report(0.55, "Computing statistics…")
    # Rows are compared by a 64-bit hash: a collision among even a billion rows is unlikely.
    duplicate_rows = rows - frame.hash_rows(seed=0).n_unique()
    columns = _column_profiles(frame, sample, guesses, invalid, rows - duplicate_rows, report)
    report(0.95, "Scoring quality…")
    keys = tuple(
        c.name
        for c in columns
        if c.kind not in ("float", "empty", "text", "boolean")
        and c.nulls == 0
        and c.invalid == 0
        and rows - duplicate_rows > 1
        and c.distinct == rows - duplicate_rows
    )
    issues = _issues(columns, rows, duplicate_rows)
    result = Profile(
        name=table.name,
        source=str(table.path) if table.path is not None else None,
        format=table.format,
        separator=table.separator,
        size_bytes=table.size_bytes,
        rows=rows,
        columns=tuple(columns),
        duplicate_rows=duplicate_rows,
        candidate_keys=keys,
        issues=tuple(issues),
        quality=_quality(columns, rows, duplicate_rows),
        seconds=round(time.perf_counter() - started, 3),
    )
    report(1.0, "Profiled")
    return result


def _string_kind(name: str, distinct: int, non_null: int, mean_len: float, spaced: float) -> str:
    if non_null == 0:
        return "empty"
    if distinct >= 0.95 * non_null and non_null > 1 and spaced == 0 and mean_len <= 40:
        return "identifier"
    if spaced >= 0.5 and mean_len >= 25:
        return "text"
    if distinct <= CATEGORICAL_MAX or distinct <= 0.05 * non_null:
        return "categorical"
    return "text"


def _column_profiles(
    frame: pl.DataFrame,
    sample: pl.DataFrame,
    guesses: Mapping[str, tuple[str, str | None, bool]],
    invalid: Mapping[str, tuple[int, tuple[str, ...]]],
    unique_rows: int,
    report: Progress,
) -> list[ColumnProfile]:
    import polars as pl

    exprs: list[pl.Expr] = []
    for column, (kind, _, _) in guesses.items():
        col = pl.col(column)
        exprs += [
            col.null_count().alias(f"nulls:{column}"),
            col.approx_n_unique().alias(f"approx:{column}"),
        ]
        if kind in NUMERIC_KINDS:
            as_float = col.cast(pl.Float64)
            exprs += [
                col.min().alias(f"min:{column}"),
                col.max().alias(f"max:{column}"),
                as_float.mean().alias(f"mean:{column}"),
                as_float.std().alias(f"std:{column}"),
                (col < 0).sum().alias(f"neg:{column}"),
            ]
            exprs.append(
                as_float.quantile(list(_QUANTILES.values()), interpolation="linear").alias(
                    f"qs:{column}"
                )
            )
        elif kind in ("date", "datetime"):
            exprs += [col.min().alias(f"min:{column}"), col.max().alias(f"max:{column}")]
        elif frame.schema[column] == pl.String and kind in PATTERNS:
            exprs.append((~col.str.contains(PATTERNS[kind])).sum().alias(f"bad:{column}"))
            exprs.append(
                col.filter(~col.str.contains(PATTERNS[kind]))
                .head(EXAMPLES)
                .implode()
                .alias(f"badx:{column}")
            )
    stats = frame.select(exprs).row(0, named=True)
    for column in guesses:
        for name, value in zip(_QUANTILES, stats.pop(f"qs:{column}", None) or [], strict=False):
            stats[f"{name}:{column}"] = value
    # What kind of text a column holds is judged on the sample: it only chooses the kind.
    text_exprs: list[pl.Expr] = []
    for column, (kind, _, _) in guesses.items():
        if kind == "string":
            text = _null_free(column)
            text_exprs += [
                text.str.len_chars().mean().alias(f"len:{column}"),
                text.str.contains(r"\s").mean().alias(f"space:{column}"),
                text.str.strip_chars()
                .str.contains(_INT_RE.rstrip("$") + r"(\.[0-9]+)?$")
                .mean()
                .alias(f"num:{column}"),
            ]
    if text_exprs:
        stats |= sample.select(text_exprs).row(0, named=True)

    # Outliers need the quartiles and the mean first.
    outlier_exprs: list[pl.Expr] = []
    for column, (kind, _, _) in guesses.items():
        if kind in NUMERIC_KINDS and stats[f"q25:{column}"] is not None:
            q1, q3 = stats[f"q25:{column}"], stats[f"q75:{column}"]
            spread = q3 - q1
            col = pl.col(column).cast(pl.Float64)
            outlier_exprs.append(
                ((col < q1 - 1.5 * spread) | (col > q3 + 1.5 * spread)).sum().alias(f"iqr:{column}")
            )
            std = stats[f"std:{column}"]
            if std:
                outlier_exprs.append(
                    (((col - stats[f"mean:{column}"]) / std).abs() > 3).sum().alias(f"z:{column}")
                )
    outliers = frame.select(outlier_exprs).row(0, named=True) if outlier_exprs else {}

    profiles = []
    rows = frame.height
    # Distinct values: HyperLogLog first, then exact where it matters (few values, or a possible
    # key), all columns in one parallel pass.
    approx = {
        c: max(int(stats[f"approx:{c}"]) - (1 if stats[f"nulls:{c}"] else 0), 0) for c in guesses
    }
    exact_columns = [
        c for c, n in approx.items() if n <= 1.1 * TOP_VALUES_MAX_DISTINCT or n >= 0.9 * unique_rows
    ]
    exact = (
        frame.select(pl.col(c).drop_nulls().n_unique() for c in exact_columns).row(0, named=True)
        if exact_columns
        else {}
    )
    for index, (column, (kind, fmt, parsed)) in enumerate(guesses.items()):
        report(0.55 + 0.4 * index / max(len(guesses), 1), f"Column {column}…")
        nulls = int(stats[f"nulls:{column}"])
        estimated = column not in exact
        distinct = approx[column] if estimated else int(exact[column])
        n_invalid, examples = invalid.get(column, (0, ()))
        # For parsed kinds the invalid values were read as null; they are invalid, not missing.
        nulls -= n_invalid
        flags: list[str] = []
        if kind == "string":
            kind = _string_kind(
                column,
                distinct,
                rows - nulls,
                stats[f"len:{column}"] or 0.0,
                stats[f"space:{column}"] or 0.0,
            )
            numeric_share = stats[f"num:{column}"] or 0.0
            if 0.5 <= numeric_share < TYPE_SHARE:
                flags.append("mixed_types")
        elif kind in PATTERNS:
            n_invalid = int(stats[f"bad:{column}"] or 0)
            examples = tuple(str(v) for v in (stats[f"badx:{column}"] or []))
        if kind == "integer" and _ID_NAME.search(column):
            kind = "identifier"
        if (
            kind == "integer"
            and distinct == 2
            and stats[f"min:{column}"] == 0
            and stats[f"max:{column}"] == 1
        ):
            kind = "boolean"  # a 0/1 flag
        if parsed and n_invalid:
            flags.append("mixed_types")
        top: tuple[tuple[Any, int], ...] = ()
        if distinct <= TOP_VALUES_MAX_DISTINCT and kind != "float":
            counts = frame.get_column(column).drop_nulls().value_counts(sort=True)
            counts_list = [(row[0], int(row[1])) for row in counts.iter_rows()]
            top = tuple(
                counts_list[
                    : max(TOP_VALUES, CATEGORICAL_MAX) if kind == "categorical" else TOP_VALUES
                ]
            )
        else:
            counts_list = []
        inconsistent = _inconsistent(counts_list) if kind == "categorical" else ()
        if kind == "categorical" and distinct > CATEGORICAL_MAX:
            flags.append("high_cardinality")
        if distinct == 1 and rows > 1:
            flags.append("constant")
        elif (
            top
            and rows - nulls > 0
            and top[0][1] >= NEAR_CONSTANT_SHARE * (rows - nulls)
            and distinct > 1
        ):
            flags.append("near_constant")
        numeric = kind in NUMERIC_KINDS or (
            kind == "identifier" and f"min:{column}" in stats and f"mean:{column}" in stats
        )
        quantiles = (
            {
                q: float(stats[f"{q}:{column}"])
                for q in _QUANTILES
                if stats.get(f"{q}:{column}") is not None
            }
            if numeric
            else {}
        )
        profiles.append(
            ColumnProfile(
                name=column,
                kind=kind,
                dtype=str(frame.schema[column].base_type().__name__),
                parsed=parsed,
                date_format=fmt,
                rows=rows,
                nulls=nulls,
                invalid=n_invalid,
                invalid_examples=examples,
                distinct=distinct,
                minimum=stats.get(f"min:{column}"),
                maximum=stats.get(f"max:{column}"),
                mean=stats.get(f"mean:{column}") if numeric else None,
                std=stats.get(f"std:{column}") if numeric else None,
                quantiles=quantiles,
                top_values=top,
                negatives=int(stats.get(f"neg:{column}") or 0) if kind in NUMERIC_KINDS else 0,
                outliers_iqr=int(outliers.get(f"iqr:{column}") or 0)
                if kind in NUMERIC_KINDS
                else 0,
                outliers_z=int(outliers.get(f"z:{column}") or 0) if kind in NUMERIC_KINDS else 0,
                inconsistent=inconsistent,
                flags=tuple(flags),
                distinct_estimated=estimated,
            )
        )
    return profiles


def _normalised(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _initials(value: str) -> str:
    return "".join(word[0] for word in value.split() if word).casefold()


def likely_meant(value: str, canonical: Sequence[str]) -> str | None:
    """The frequent value a rare spelling probably stands for, or None when unclear."""
    key = _normalised(value)
    for candidate in canonical:
        if _normalised(candidate) == key:
            return candidate
    for candidate in canonical:
        if len(candidate.split()) > 1 and _initials(candidate) == key:
            return candidate  # "UK", "U.K." → "United Kingdom"
    if len(key) == 2:  # a two-letter code: "FR" → "France", when only one value starts so
        starting = [c for c in canonical if _normalised(c).startswith(key)]
        if len(starting) == 1:
            return starting[0]
    lowered = {c.casefold(): c for c in canonical}
    close = difflib.get_close_matches(value.strip().casefold(), list(lowered), n=1, cutoff=0.75)
    if close:
        return lowered[close[0]]
    contained = [c for c in canonical if _normalised(c) and _normalised(c) in key]
    return contained[0] if len(contained) == 1 else None  # "the Netherlands" → "Netherlands"


def _inconsistent(counts: Sequence[tuple[Any, int]]) -> tuple[tuple[str, int, str | None], ...]:
    """Rare or case/space/punctuation variants of a categorical column's frequent values."""
    total = sum(n for _, n in counts)
    if total == 0 or len(counts) < 2:
        return ()
    frequent = [str(v) for v, n in counts if n >= RARE_SHARE * total]
    covered = sum(n for v, n in counts if str(v) in frequent)
    rare_allowed = len(frequent) >= 2 and covered >= 0.9 * total
    found: list[tuple[str, int, str | None]] = []
    seen_keys: dict[str, str] = {}
    for value, n in counts:  # most frequent first
        text = str(value)
        key = _normalised(text)
        if key in seen_keys and seen_keys[key] != text:
            first = seen_keys[key]
            meant = first if first in frequent else likely_meant(first, frequent)
            found.append((text, n, meant))
            continue
        seen_keys.setdefault(key, text)
        if rare_allowed and text not in frequent:
            found.append((text, n, likely_meant(text, frequent)))
    return tuple(found)


def _issues(columns: Sequence[ColumnProfile], rows: int, duplicate_rows: int) -> list[Issue]:
    issues: list[Issue] = []
    if duplicate_rows:
        issues.append(
            Issue("duplicate_rows", "warning", None, duplicate_rows,
                  f"{duplicate_rows:,} row(s) are exact copies of an earlier row.")
        )  # fmt: skip
    for c in columns:
        if c.nulls:
            share = c.nulls / rows
            what = "mostly empty: " if share >= 0.5 else ""
            issues.append(
                Issue("missing_values", "warning", c.name, c.nulls,
                      f"`{c.name}`: {what}{c.nulls:,} missing value(s) ({share:.1%}).")
            )  # fmt: skip
        if c.invalid:
            expected = {
                "date": f"dates in {c.date_format}", "datetime": f"date-times in {c.date_format}",
                "integer": "whole numbers", "float": "numbers", "boolean": "true/false values",
                "email": "e-mail addresses", "url": "URLs", "phone": "phone numbers",
            }.get(c.kind, c.kind)  # fmt: skip
            issues.append(
                Issue("invalid_values", "warning", c.name, c.invalid,
                      f"`{c.name}`: {c.invalid:,} value(s) are not {expected}.", c.invalid_examples)
            )  # fmt: skip
        if c.negatives_unexpected:
            issues.append(
                Issue("negative_values", "warning", c.name, c.negatives,
                      f"`{c.name}`: {c.negatives:,} negative value(s) in a column that is otherwise never negative.")
            )  # fmt: skip
        if c.inconsistent:
            shown = tuple(v for v, _, _ in c.inconsistent[:EXAMPLES])
            issues.append(
                Issue("inconsistent_values", "warning", c.name, c.inconsistent_rows,
                      f"`{c.name}`: {c.inconsistent_rows:,} row(s) spell a value in a rare or "
                      f"different way ({len(c.inconsistent)} variant(s)).", shown)
            )  # fmt: skip
        if "mixed_types" in c.flags and not c.invalid:
            issues.append(
                Issue("mixed_types", "warning", c.name, c.non_null,
                      f"`{c.name}`: mixes numbers and text.")
            )  # fmt: skip
        if "constant" in c.flags:
            issues.append(
                Issue("constant_column", "warning", c.name, rows,
                      f"`{c.name}` holds one value in every row: it carries no information.")
            )  # fmt: skip
        if "near_constant" in c.flags:
            issues.append(
                Issue("near_constant", "info", c.name, c.top_values[0][1],
                      f"`{c.name}` is {c.top_values[0][0]!r} in {c.top_values[0][1] / max(c.non_null, 1):.1%} of rows.")
            )  # fmt: skip
        if "high_cardinality" in c.flags:
            issues.append(
                Issue("high_cardinality", "info", c.name, c.distinct,
                      f"`{c.name}` is categorical with {c.distinct:,} distinct values: group rare ones before one-hot encoding.")
            )  # fmt: skip
        if c.outliers_iqr:
            issues.append(
                Issue("outliers", "info", c.name, c.outliers_iqr,
                      f"`{c.name}`: {c.outliers_iqr:,} value(s) beyond 1.5 IQR of the quartiles ({c.outliers_z:,} with |z| > 3).")
            )  # fmt: skip
    return issues


def _quality(columns: Sequence[ColumnProfile], rows: int, duplicate_rows: int) -> Quality:
    cells = rows * len(columns)
    missing = sum(c.nulls for c in columns)
    present = cells - missing
    invalid = sum(c.invalid + (c.negatives if c.negatives_unexpected else 0) for c in columns)
    categorical = [c for c in columns if c.kind == "categorical"]
    categorical_cells = sum(c.non_null for c in categorical)
    inconsistent = sum(c.inconsistent_rows for c in categorical)
    return Quality(
        completeness=round(100 * (1 - missing / cells), 2) if cells else 100.0,
        uniqueness=round(100 * (1 - duplicate_rows / rows), 2) if rows else 100.0,
        validity=round(100 * (1 - invalid / present), 2) if present else 100.0,
        consistency=round(100 * (1 - inconsistent / categorical_cells), 2)
        if categorical_cells
        else 100.0,
    )


# ------------------------------------------------------------------------- relationships


def find_relationships(
    tables: Sequence[tuple[Table, Profile]], min_coverage: float = 0.9
) -> list[Relationship]:
    """Candidate foreign keys between several tables.

    A column of one table is a candidate foreign key to another table's candidate key when
    both hold the same kind of value and at least ``min_coverage`` of its distinct values
    appear among the key's values. Child columns that are themselves the key of their
    table are considered too (one-to-one links).
    """
    import polars as pl

    found: list[Relationship] = []
    compatible = {"integer": "int", "identifier": "int", "categorical": "text", "text": "text",
                  "email": "text", "date": "date"}  # fmt: skip

    def family(c: ColumnProfile) -> str | None:
        if c.kind == "identifier":
            return "int" if c.dtype.startswith(("Int", "UInt")) else "text"
        return compatible.get(c.kind)

    values: dict[tuple[str, str], pl.Series] = {}

    def distinct(table: Table, prof: Profile, column: str) -> pl.Series:
        key = (prof.name, column)
        if key not in values:
            with friendly_errors(table):
                values[key] = (
                    typed_scan(table, prof, [column])
                    .select(pl.col(column).drop_nulls().unique())
                    .collect()
                    .to_series()
                )
        return values[key]

    for parent_table, parent in tables:
        for key in parent.candidate_keys:
            key_col = parent.column(key)
            for child_table, child in tables:
                if child is parent:
                    continue
                for col in child.columns:
                    if family(col) is None or family(col) != family(key_col) or col.distinct < 2:
                        continue
                    child_values = distinct(child_table, child, col.name)
                    parent_values = distinct(parent_table, parent, key)
                    if child_values.dtype != parent_values.dtype:
                        continue
                    present = int(child_values.is_in(parent_values.implode()).sum())
                    coverage = present / len(child_values)
                    if coverage >= min_coverage:
                        found.append(
                            Relationship(
                                child.name,
                                col.name,
                                parent.name,
                                key,
                                round(coverage, 4),
                                len(child_values) - present,
                            )
                        )
    return sorted(found, key=lambda r: -r.coverage)

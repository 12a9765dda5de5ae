"""A cleaning recipe: steps suggested from a profile, ticked by the learner, run as Polars code.

Every step *is* its Polars code: :func:`recipe_code` writes the script, :func:`apply_recipe`
runs that same script, and :func:`write_notebook` puts it, one cell per step, in a
notebook of the learner's workspace. What the learner reads is what ran.

Steps, in the order they run (each only when the profile calls for it):

1. ``drop_duplicates``   drop exact duplicate rows, keeping the first.
2. ``tidy_text``         trim spaces around text and turn missing markers (``NA``, ``null``,
                         …) into real missing values.
3. ``normalise_values``  map a categorical column's rare spellings to the value they most
                         likely mean; the learner fills in the ones the lab cannot guess
                         (until then they become missing).
4. ``parse``             parse dates (with the detected format), numbers and booleans;
                         values that do not parse become missing.
5. ``invalid_pattern``   set e-mails, URLs or phone numbers that do not match to missing.
6. ``negative_values``   rows with unexpected negatives: dropped (default), made positive,
                         or set to missing.
7. ``missing``           per column, with a stated strategy: ``drop_rows`` when under 5 %
                         of the rows are missing (identifiers and measures always); over
                         that ``fill_median`` (numbers), ``fill_mode`` (categories,
                         booleans) or ``keep`` (dates, text, e-mails, URLs, phones: a gap
                         is more honest than an invented value); ``drop_column`` at 50 %+.
                         Contact columns (e-mail, URL, phone) always ``keep``: a whole row
                         is not lost for a broken address.
8. ``flag_outliers``     add ``<column>_outlier`` (outside 1.5 IQR); off unless ticked.
9. ``drop_column``       drop constant columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.owndata.profile import (
    NULL_TOKENS,
    NUMERIC_KINDS,
    PATTERNS,
    ColumnProfile,
    Profile,
    parse_code,
)
from sandbox.owndata.reading import Table, friendly_errors

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "MISSING_STRATEGIES",
    "CleaningStep",
    "apply_recipe",
    "missing_after",
    "recipe_code",
    "suggest_steps",
    "write_notebook",
]

FEW_MISSING = 0.05
MOSTLY_MISSING = 0.5
MISSING_STRATEGIES = ("drop_rows", "fill_median", "fill_mode", "keep", "drop_column")
NEGATIVE_STRATEGIES = ("drop_rows", "absolute", "set_missing")
_CONTACT = tuple(PATTERNS)
_PARSE_TITLES = {
    "integer": "Read `{c}` as whole numbers",
    "float": "Read `{c}` as numbers",
    "boolean": "Read `{c}` as true/false",
    "date": "Parse `{c}` as dates ({fmt})",
    "datetime": "Parse `{c}` as date-times ({fmt})",
}


@dataclass(frozen=True)
class CleaningStep:
    """One suggested step: what it does, why, and (for some kinds) a chosen strategy."""

    id: str
    kind: str
    title: str
    why: str
    column: str | None = None
    strategy: str | None = None
    strategies: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True

    def with_strategy(self, strategy: str) -> CleaningStep:
        if strategy not in self.strategies:
            raise ValueError(f"{strategy!r} is not one of {self.strategies}")
        return replace(self, strategy=strategy)

    def code(self) -> str:
        """The Polars code of this step; it turns the LazyFrame ``df`` into the next one."""
        c = self.column
        col = f"pl.col({c!r})"
        if self.kind == "drop_duplicates":
            return 'df = df.unique(keep="first", maintain_order=True)'
        if self.kind == "tidy_text":
            return f"df = df.with_columns(tidy(name) for name in {list(self.options['columns'])!r})"
        if self.kind == "normalise_values":
            mapping = dict(self.options["mapping"])
            body = "\n".join(
                f"    {k!r}: {v!r},{'' if v is not None else '  # ← what does this stand for?'}"
                for k, v in mapping.items()
            )
            return f"spellings = {{\n{body}\n}}\ndf = df.with_columns({col}.replace(spellings))"
        if self.kind == "parse":
            expression = parse_code(col, self.options["kind"], self.options.get("format"))
            return f"df = df.with_columns({expression})"
        if self.kind == "invalid_pattern":
            pattern = self.options["pattern"]
            return (
                f"df = df.with_columns(\n    pl.when({col}.str.contains({pattern!r}))"
                f".then({col}).otherwise(None).alias({c!r})\n)"
            )
        if self.kind == "negative_values":
            if self.strategy == "absolute":
                return f"df = df.with_columns({col}.abs())"
            if self.strategy == "set_missing":
                return f"df = df.with_columns(pl.when({col} >= 0).then({col}).otherwise(None).alias({c!r}))"
            return f"df = df.filter({col}.is_null() | ({col} >= 0))"
        if self.kind == "missing":
            fill = self.options.get("fill", {}).get(self.strategy)
            if self.strategy == "drop_rows":
                return f"df = df.drop_nulls({c!r})"
            if self.strategy in ("fill_median", "fill_mode"):
                return f"df = df.with_columns({col}.fill_null({fill!r}))"
            if self.strategy == "drop_column":
                return f"df = df.drop({c!r})"
            return f"# `{c}` keeps its missing values."
        if self.kind == "flag_outliers":
            low, high = self.options["low"], self.options["high"]
            return f"df = df.with_columns(({col} < {low!r}) | ({col} > {high!r})).alias({f'{c}_outlier'!r}))"
        if self.kind == "drop_column":
            return f"df = df.drop({c!r})"
        raise AssertionError(f"unknown step kind {self.kind!r}")


def _missing_default(column: ColumnProfile, share: float) -> str:
    if column.kind in _CONTACT:
        return "keep"
    if share >= MOSTLY_MISSING:
        return "drop_column"
    if share < FEW_MISSING or column.kind == "identifier":
        return "drop_rows"
    if column.kind in NUMERIC_KINDS:
        return "fill_median"
    if column.kind in ("categorical", "boolean"):
        return "fill_mode"
    return "keep"


def _unmapped_rows(column: ColumnProfile) -> int:
    return sum(n for _, n, meant in column.inconsistent if meant is None)


def suggest_steps(profile: Profile) -> list[CleaningStep]:
    """The steps the profile calls for, in running order, with default strategies."""
    steps: list[CleaningStep] = []
    if profile.duplicate_rows:
        steps.append(
            CleaningStep("drop-duplicates", "drop_duplicates", "Drop exact duplicate rows",
                         f"{profile.duplicate_rows:,} row(s) repeat an earlier row exactly.")
        )  # fmt: skip
    text_columns = [c.name for c in profile.columns if c.dtype == "String" or c.parsed]
    if text_columns:
        steps.append(
            CleaningStep("tidy-text", "tidy_text", "Trim spaces and mark missing values",
                         "Spaces around text make one value look like two, and markers such as "
                         "'NA' or 'null' are missing values in disguise.",
                         options={"columns": tuple(text_columns)})
        )  # fmt: skip
    for c in profile.columns:
        if c.inconsistent:
            mapping = {value: meant for value, _, meant in c.inconsistent if value.strip() != meant}
            if mapping:
                steps.append(
                    CleaningStep(f"normalise:{c.name}", "normalise_values",
                                 f"Map the rare spellings of `{c.name}`",
                                 f"{c.inconsistent_rows:,} row(s) use {len(c.inconsistent)} other spelling(s); "
                                 "values without a guess become missing until you fill them in.",
                                 c.name, options={"mapping": mapping})
                )  # fmt: skip
    for c in profile.columns:
        if c.parsed:
            title = _PARSE_TITLES[c.parse_kind].format(c=c.name, fmt=c.date_format)
            why = (
                f"{c.invalid:,} value(s) do not parse and become missing."
                if c.invalid
                else "It is read as text."
            )
            steps.append(
                CleaningStep(f"parse:{c.name}", "parse", title, why, c.name,
                             options={"kind": c.parse_kind, "format": c.date_format})
            )  # fmt: skip
    for c in profile.columns:
        if c.kind in PATTERNS and c.invalid:
            steps.append(
                CleaningStep(f"invalid:{c.name}", "invalid_pattern",
                             f"Set invalid {c.kind} values of `{c.name}` to missing",
                             f"{c.invalid:,} value(s) do not look like a valid {c.kind}; they cannot be repaired.",
                             c.name, options={"pattern": PATTERNS[c.kind]})
            )  # fmt: skip
    for c in profile.columns:
        if c.negatives_unexpected:
            steps.append(
                CleaningStep(f"negative:{c.name}", "negative_values",
                             f"Handle the negative values of `{c.name}`",
                             f"{c.negatives:,} negative value(s) in a column that is otherwise never negative.",
                             c.name, "drop_rows", NEGATIVE_STRATEGIES)
            )  # fmt: skip
    for c in profile.columns:
        missing = c.nulls + c.invalid + _unmapped_rows(c)
        if not missing or "constant" in c.flags:
            continue
        share = missing / max(profile.rows, 1)
        fill: dict[str, Any] = {}
        if c.kind in NUMERIC_KINDS and "q50" in c.quantiles:
            median = c.quantiles["q50"]
            fill["fill_median"] = round(median) if c.kind == "integer" else round(median, 6)
        if c.top_values:
            fill["fill_mode"] = c.top_values[0][0]
        choices = tuple(
            s for s in MISSING_STRATEGIES if s not in ("fill_median", "fill_mode") or s in fill
        )
        steps.append(
            CleaningStep(f"missing:{c.name}", "missing", f"Missing values of `{c.name}`",
                         f"{missing:,} missing ({share:.1%}) once the steps above have run.",
                         c.name, _missing_default(c, share), choices, {"fill": fill})
        )  # fmt: skip
    for c in profile.columns:
        if c.outliers_iqr and c.kind in NUMERIC_KINDS and {"q25", "q75"} <= set(c.quantiles):
            q1, q3 = c.quantiles["q25"], c.quantiles["q75"]
            steps.append(
                CleaningStep(f"outliers:{c.name}", "flag_outliers", f"Flag outliers of `{c.name}`",
                             f"{c.outliers_iqr:,} value(s) lie beyond 1.5 IQR; a flag keeps them visible "
                             "without deleting them.", c.name,
                             options={"low": round(q1 - 1.5 * (q3 - q1), 6), "high": round(q3 + 1.5 * (q3 - q1), 6)},
                             enabled=False)
            )  # fmt: skip
    for c in profile.columns:
        if "constant" in c.flags:
            steps.append(
                CleaningStep(f"drop:{c.name}", "drop_column", f"Drop the constant column `{c.name}`",
                             "It holds one value in every row.", c.name)
            )  # fmt: skip
    return steps


def missing_after(steps: Sequence[CleaningStep], column: str) -> bool:
    """Whether ``column`` can still hold missing values after the enabled ``steps``."""
    for step in steps:
        if step.enabled and step.column == column and step.kind == "missing":
            return step.strategy == "keep"
    return False


def dropped_columns(steps: Sequence[CleaningStep]) -> set[str]:
    return {
        s.column
        for s in steps
        if s.enabled and s.column and (s.kind == "drop_column" or s.strategy == "drop_column")
    }


_PRELUDE = '''import polars as pl

MISSING_MARKERS = {markers!r}


def tidy(name):
    """Trim spaces around the text of column `name`; turn missing markers into nulls."""
    text = pl.col(name).str.strip_chars()
    return pl.when(text.is_in(MISSING_MARKERS)).then(None).otherwise(text).alias(name)'''


def _prelude() -> str:
    return _PRELUDE.format(markers=list(NULL_TOKENS))


def recipe_code(table: Table, steps: Sequence[CleaningStep]) -> str:
    """The whole recipe as one Polars script; the cleaned table ends up in ``cleaned``."""
    parts = [
        _prelude(),
        "",
        "",
        "# Read the table as text; the steps below give each column its type.",
        table.reader_code("df"),
    ]
    for number, step in enumerate((s for s in steps if s.enabled), start=1):
        parts += ["", f"# {number}. {step.title}: {step.why}", step.code()]
    parts += ["", "cleaned = df.collect()"]
    return "\n".join(parts) + "\n"


def apply_recipe(table: Table, steps: Sequence[CleaningStep]) -> pl.DataFrame:
    """Run the recipe's code on the table and return the cleaned DataFrame."""
    import polars as pl

    namespace: dict[str, Any] = {"pl": pl}
    code = recipe_code(table, steps)
    if table.frame is not None:
        # A table read whole (Excel, JSON, a DataFrame) is handed over instead of read again.
        reader = table.reader_code("df")
        code = code.replace(reader, "df = source.lazy()")
        namespace["source"] = table.frame
    with friendly_errors(table):
        exec(compile(code, f"<cleaning recipe for {table.name}>", "exec"), namespace)
    cleaned: pl.DataFrame = namespace["cleaned"]
    return cleaned


def write_notebook(
    path: Path,
    table: Table,
    steps: Sequence[CleaningStep],
    output: Path | None = None,
    schema_yaml: Path | None = None,
) -> Path:
    """Write the recipe as a notebook at ``path`` (an existing file is backed up first).

    The notebook reads the original file, runs each enabled step in its own cell, writes
    the cleaned table to ``output`` (Parquet) and, given ``schema_yaml``, validates it.
    """
    import nbformat

    v4: Any = nbformat.v4  # nbformat has no type hints
    cells = [
        v4.new_markdown_cell(
            f"# Cleaning `{table.name}`\n\nWritten by the sandbox's own-data lab from the steps you "
            "ticked. Each cell is one step, as plain Polars: change a strategy, add a step, run "
            "it again. The original file is never modified."
        ),
        v4.new_code_cell(_prelude()),
        v4.new_markdown_cell(
            "Read the table. Text files are read as text, so no value is lost before you decide what it means."
        ),
        v4.new_code_cell(table.reader_code("df") + "\ndf.head().collect()"),
    ]
    for number, step in enumerate((s for s in steps if s.enabled), start=1):
        strategy = f" Strategy: **{step.strategy}**." if step.strategy else ""
        cells.append(v4.new_markdown_cell(f"## {number}. {step.title}\n\n{step.why}{strategy}"))
        cells.append(v4.new_code_cell(step.code()))
    final = "cleaned = df.collect()\n"
    if output is not None:
        final += f"cleaned.write_parquet({str(output)!r})\n"
    final += "cleaned.describe()"
    cells += [
        v4.new_markdown_cell("## The cleaned table"),
        v4.new_code_cell(final),
    ]
    if schema_yaml is not None:
        cells += [
            v4.new_markdown_cell(
                "## Check it against the generated schema\n\nEvery failure is listed; none means the table keeps its promises."
            ),
            v4.new_code_cell(
                "from pathlib import Path\n\n"
                "from pandera.io.pandas_io import from_yaml\n\n"
                f"schema = from_yaml(Path({str(schema_yaml)!r}).read_text(encoding='utf-8'))\n"
                "schema.validate(cleaned.to_pandas(), lazy=True)\n"
                "print('The cleaned table passes the schema.')"
            ),
        ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "data-science-sandbox",
        "display_name": "Python (Data Science Sandbox)",
        "language": "python",
    }
    writes: Any = nbformat.writes
    text = str(writes(notebook))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") != text:
        _backup(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def _backup(path: Path) -> Path:
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}.{stamp}.bak.ipynb")
    path.replace(target)
    return target


def to_json(steps: Sequence[CleaningStep]) -> list[dict[str, Any]]:
    """The steps as JSON-ready dicts (for ``--json`` output)."""
    return [
        {"id": s.id, "kind": s.kind, "title": s.title, "why": s.why, "column": s.column,
         "strategy": s.strategy, "enabled": s.enabled, "code": s.code()}
        for s in steps
    ]  # fmt: skip

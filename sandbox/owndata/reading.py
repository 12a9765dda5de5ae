"""Opening a learner's own table: formats, limits and every way a file can be unreadable.

Formats
-------
``.csv``, ``.tsv``, ``.txt``
    Read by Polars as a lazy scan with every column as text (the profile infers the types,
    so one odd value cannot make the read fail). UTF-8 only (a UTF-8 byte-order mark is
    fine); the separator is the most frequent of ``, ; TAB |`` in the header line.
``.parquet``
    A lazy Polars scan with the file's own types.
``.json`` (an array of objects) and ``.ndjson`` / ``.jsonl`` (one object per line)
    Flat records only: a nested object or list in a column is refused with the fix.
``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``
    The first sheet, read with Polars' ``calamine`` engine (the ``fastexcel`` package, a
    Rust reader). Chosen over openpyxl because it reads a sheet straight into Arrow memory,
    an order of magnitude faster than openpyxl's cell-by-cell Python objects, and it also
    reads ``.xls`` and ``.ods``, which openpyxl cannot.

Limits (:data:`LIMITS`)
-----------------------
At most 1 GiB per file; Excel and JSON (which are read whole) at most 200 MB; at most
20 million rows and 500 columns. CSV, NDJSON and Parquet are scanned lazily, never
loaded into pandas.

Hostile files
-------------
A missing, unreadable, empty, header-only, binary, non-UTF-8, ragged (a row with more
or fewer fields than the header, checked over the first megabyte and then by the
parser), password-protected or corrupt file raises :class:`OwnDataError` naming the
file, what is wrong and how to fix it. Rows further down that have *fewer* fields than
the header are read with the missing fields empty (the profile then counts them as
missing values).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import OwnDataError

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "FORMATS",
    "LIMITS",
    "Limits",
    "Table",
    "friendly_errors",
    "open_table",
]

#: File suffix → format name.
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".ods": "excel",
}
_SEPARATORS = (",", ";", "\t", "|")
_HEAD_BYTES = 1 << 20  # the part of a text file checked up front (binary, encoding, ragged rows)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """The largest table the lab takes; beyond these it refuses with a clear message."""

    max_file_bytes: int = 1 << 30
    max_whole_file_bytes: int = 200 * 1000 * 1000  # formats read whole: Excel, JSON
    max_rows: int = 20_000_000
    max_columns: int = 500


LIMITS = Limits()


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} GB"  # unreachable; keeps mypy content


@dataclass(frozen=True)
class Table:
    """An opened table: where it comes from and how to scan it.

    ``frame`` holds the data for sources read whole (Excel, JSON, a DataFrame);
    the others are scanned from ``path`` each time :meth:`scan` is called.
    """

    name: str
    format: str
    path: Path | None = None
    size_bytes: int = 0
    separator: str | None = None
    frame: Any = None  # a polars DataFrame for whole-read sources

    def scan(self) -> pl.LazyFrame:
        """A lazy Polars scan of the table (text formats: every column as text)."""
        import polars as pl

        if self.frame is not None:
            return self.frame.lazy()  # type: ignore[no-any-return]
        assert self.path is not None
        if self.format == "csv":
            return pl.scan_csv(
                self.path, separator=self.separator or ",", infer_schema=False, encoding="utf8"
            )
        if self.format == "ndjson":
            return pl.scan_ndjson(self.path, infer_schema_length=10_000)
        if self.format == "parquet":
            return pl.scan_parquet(self.path)
        raise AssertionError(f"no scan for {self.format}")

    def reader_code(self, variable: str = "raw") -> str:
        """Polars code that reads this table the way the lab does (for generated notebooks)."""
        path = str(self.path) if self.path is not None else f"{self.name}.parquet"
        if self.format == "csv":
            sep = "" if (self.separator or ",") == "," else f", separator={self.separator!r}"
            return f"{variable} = pl.scan_csv({path!r}{sep}, infer_schema=False)"
        if self.format == "ndjson":
            return f"{variable} = pl.scan_ndjson({path!r})"
        if self.format == "json":
            return f"{variable} = pl.read_json({path!r}).lazy()"
        if self.format == "excel":
            return (
                f'{variable} = pl.read_excel({path!r}, engine="calamine", '
                "infer_schema_length=0).lazy()"
            )
        return f"{variable} = pl.scan_parquet({path!r})"


def _fail(name: str, problem: str, fix: str) -> OwnDataError:
    return OwnDataError(f"{name}: {problem}. {fix}")


def open_table(source: Any, name: str | None = None, limits: Limits = LIMITS) -> Table:
    """Open a file path (or wrap a pandas/Polars DataFrame) for profiling and validation.

    Checks what can be checked cheaply up front: the file exists and is readable, is not
    empty, is within the size limit, is of a known format, and (for text) is not binary,
    is UTF-8 and has as many fields on each of its first rows as in its header.
    """
    module = type(source).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        return _frame_table(source, name or "table", limits)
    path = Path(source).expanduser().absolute()
    label = name or path.name
    if not path.exists():
        raise _fail(label, f"there is no file at {path}", "Check the name and the folder.")
    if not path.is_file():
        raise _fail(label, f"{path} is a folder, not a file", "Pick one file inside it.")
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise _fail(
            label, f"{suffix or 'no suffix'} is not a format the lab reads", f"Use one of {known}."
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except PermissionError:
        raise _fail(
            label, "the file cannot be read (permission denied)", "Check its permissions."
        ) from None
    except OSError as exc:
        raise _fail(
            label, f"the file cannot be read ({exc.strerror})", "Copy it somewhere readable."
        ) from None
    if size == 0:
        raise _fail(label, "the file is empty (0 bytes)", "Export the table again.")
    if size > limits.max_file_bytes:
        raise _fail(
            label,
            f"the file is {_size(size)}, over the lab's limit of {_size(limits.max_file_bytes)}",
            "Profile a sample or a subset of the columns.",
        )
    if fmt in ("excel", "json") and size > limits.max_whole_file_bytes:
        raise _fail(
            label,
            f"{fmt.upper() if fmt == 'json' else 'Excel'} files are read whole, and this one is "
            f"{_size(size)} (limit {_size(limits.max_whole_file_bytes)})",
            "Save it as CSV or Parquet, which the lab scans without loading it all.",
        )
    if fmt == "excel":
        return _excel_table(path, label, size, head, limits)
    if fmt == "parquet":
        return _parquet_table(path, label, size, head, limits)
    _check_text(label, head, size)
    if fmt == "json":
        return _json_table(path, label, size, limits)
    if fmt == "ndjson":
        table = Table(label, "ndjson", path, size)
        _check_columns(table, limits)
        return table
    separator = "\t" if suffix == ".tsv" else _sniff_separator(head)
    _check_ragged(label, head, size, separator)
    table = Table(label, "csv", path, size, separator)
    _check_columns(table, limits)
    return table


def _frame_table(frame: Any, name: str, limits: Limits) -> Table:
    import polars as pl

    if not isinstance(frame, pl.DataFrame):
        frame = pl.from_pandas(frame)
    table = Table(name, "frame", None, int(frame.estimated_size()), None, frame)
    _check_columns(table, limits)
    return table


def _check_text(label: str, head: bytes, size: int) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            label,
            "the file is UTF-16 encoded",
            "Save it again as UTF-8 (in Excel: CSV UTF-8; or `iconv -f UTF-16 -t UTF-8`).",
        )
    if b"\x00" in head or head.startswith((_ZIP_MAGIC, _OLE_MAGIC, b"%PDF", b"\x89PNG")):
        raise _fail(
            label,
            "the file is binary, not text (it contains NUL bytes or a binary signature)",
            "Export the table as CSV, or give the file its real extension (.xlsx, .parquet).",
        )
    body = head if len(head) == size else head[: head.rfind(b"\n") + 1] or head
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        guess = _guess_encoding(head)
        raise _fail(
            label,
            f"the file is not UTF-8 text (byte {exc.start} on line {line} cannot be decoded"
            f"{f'; it looks like {guess}' if guess else ''})",
            f"Save it again as UTF-8, for example `iconv -f {guess or 'CP1252'} -t UTF-8 "
            "in.csv > out.csv`.",
        ) from None


def _guess_encoding(head: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with requests
        return None
    best = from_bytes(head).best()
    return None if best is None else str(best.encoding).upper().replace("_", "-")


def _sniff_separator(head: bytes) -> str:
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    counts = {sep: first.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _check_ragged(label: str, head: bytes, size: int, separator: str) -> None:
    complete = len(head) == size
    body = head if complete else head[: head.rfind(b"\n") + 1]
    text = body.decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(rows)
    except StopIteration:
        raise _fail(label, "the file has no header line", "Export the table again.") from None
    except csv.Error as exc:
        raise _fail(
            label, f"the header line cannot be parsed ({exc})", "Export the table again."
        ) from None
    if not any(cell.strip() for cell in header):
        raise _fail(
            label,
            "the first line is blank, so there is no header",
            "Remove the blank lines at the top.",
        )
    names = [cell.strip() for cell in header]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _fail(
            label,
            f"the header names {', '.join(repr(d) for d in dupes)} more than once",
            "Give every column its own name.",
        )
    data_rows = 0
    try:
        for fields in rows:
            if not fields:  # a blank line
                continue
            data_rows += 1
            if len(fields) != len(header):
                raise _fail(
                    label,
                    f"line {rows.line_num} has {len(fields)} field(s) but the header has "
                    f"{len(header)} (a ragged row; separator {separator!r})",
                    "Fix or remove that line; quote fields that contain the separator.",
                )
    except csv.Error as exc:
        raise _fail(
            label, f"line {rows.line_num} cannot be parsed ({exc})", "Fix the quoting on that line."
        ) from None
    if complete and data_rows == 0:
        raise _fail(
            label, "the file has a header but no data rows", "Export the table with its rows."
        )


def _check_columns(table: Table, limits: Limits) -> None:
    with friendly_errors(table):
        names = table.scan().collect_schema().names()
    if len(names) > limits.max_columns:
        raise _fail(
            table.name,
            f"the table has {len(names):,} columns, over the lab's limit of {limits.max_columns}",
            "Select the columns you need first.",
        )
    if not names:
        raise _fail(table.name, "the table has no columns", "Export the table again.")


def _parquet_table(path: Path, label: str, size: int, head: bytes, limits: Limits) -> Table:
    if not head.startswith(b"PAR1"):
        raise _fail(
            label,
            "the file is not a Parquet file (no PAR1 signature)",
            "Export it again as Parquet, or use its real extension.",
        )
    table = Table(label, "parquet", path, size)
    _check_columns(table, limits)
    return table


def _json_table(path: Path, label: str, size: int, limits: Limits) -> Table:
    import polars as pl

    try:
        frame = pl.read_json(path)
    except Exception as exc:  # polars raises several types for malformed JSON
        raise _fail(
            label,
            f"the file is not a JSON array of records ({_first_line(exc)})",
            "Give a list of flat objects, or one object per line in a .ndjson file.",
        ) from None
    nested = [n for n, t in frame.schema.items() if t.is_nested()]
    if nested:
        raise _fail(
            label,
            f"column(s) {', '.join(nested)} hold nested objects or lists",
            "Flatten them first (pl.DataFrame.unnest / explode, or pandas.json_normalize).",
        )
    table = Table(label, "json", path, size, None, frame)
    _check_columns(table, limits)
    return table


def _is_encrypted_office(path: Path) -> bool:
    # A password-protected .xlsx is not a zip but an OLE container with an EncryptedPackage
    # stream; the stream names sit in the OLE directory, near the start of small files.
    with path.open("rb") as fh:
        data = fh.read(8 << 20)
    return "EncryptedPackage".encode("utf-16-le") in data


def _excel_table(path: Path, label: str, size: int, head: bytes, limits: Limits) -> Table:
    import polars as pl

    if head.startswith(_OLE_MAGIC) and _is_encrypted_office(path):
        raise _fail(
            label,
            "the workbook is password-protected (encrypted)",
            "Open it in Excel, remove the password (File › Info › Protect Workbook), save, "
            "and bring the saved copy.",
        )
    if not head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _fail(
            label,
            "the file is not an Excel workbook (no xlsx/xls signature)",
            "Save it again from Excel, or use its real extension.",
        )
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except ImportError:  # pragma: no cover - fastexcel is in requirements.txt
        raise _fail(
            label, "reading Excel needs the fastexcel package", "pip install fastexcel"
        ) from None
    except Exception as exc:  # fastexcel reports corrupt workbooks with its own types
        raise _fail(
            label,
            f"the workbook cannot be read ({_first_line(exc)})",
            "Open it in Excel and save it again, or export the sheet as CSV.",
        ) from None
    if frame.width == 0 or frame.height == 0:
        raise _fail(
            label,
            "the first sheet is empty",
            "Put the table on the first sheet, with a header row.",
        )
    table = Table(label, "excel", path, size, None, frame)
    _check_columns(table, limits)
    return table


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


_RAGGED = re.compile(r"found more fields than defined", re.IGNORECASE)


@contextlib.contextmanager
def friendly_errors(table: Table) -> Iterator[None]:
    """Turn a Polars read error deep in a file into an OwnDataError with the fix."""
    import polars as pl

    try:
        yield
    except OwnDataError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        message = _first_line(exc)
        if _RAGGED.search(str(exc)):
            raise _fail(
                table.name,
                "a row further down has more fields than the header (a ragged row)",
                "Fix that row or quote its fields; `grep -n` for extra separators helps.",
            ) from None
        if "utf-8" in str(exc).lower() or "utf8" in str(exc).lower():
            raise _fail(
                table.name,
                "part of the file further down is not UTF-8 text",
                "Save the whole file again as UTF-8.",
            ) from None
        if isinstance(exc, pl.exceptions.NoDataError):
            raise _fail(table.name, "the file has no data", "Export the table again.") from None
        raise _fail(
            table.name, f"the file cannot be read ({message})", "Export it again."
        ) from None

"""The SQL lab: read-only DuckDB SQL over the shipped datasets, with row, byte and time limits.

A :class:`SqlSession` runs its DuckDB database in a **worker process** holding one
table per dataset of the registry (:mod:`sandbox.datasets`), named after the
dataset: ``retail_sales``, ``customers``, ``churn``, ``iris``, … The data is read
in Python through :func:`sandbox.datasets.load` (so DuckDB sees the same types a
notebook sees) and copied in; DuckDB itself never opens a file.

Why a process
-------------
DuckDB's ``interrupt()`` is honoured only between vectors of 2,048 rows, so one
chunk of a CPU-heavy scalar function (``levenshtein`` on long strings) can run on
for a minute past any deadline. The session waits for the worker's answer for at
most ``time_limit`` seconds; at the limit it kills the worker (the query stops
then, whatever DuckDB is doing) and starts a fresh one for the next query. A
worker that dies of memory exhaustion takes only itself down.

Locked down (DESIGN §7)
-----------------------
After loading, the worker's database is locked before any learner SQL runs:

* ``enable_external_access = false``: no ``read_csv``/``read_text``/``glob``,
  no ``COPY``, no ``ATTACH`` of files, no extension install or load, no scans of
  Python variables;
* extension auto-install/auto-load and community extensions off, no temporary
  directory (a query that outgrows :data:`MEMORY_LIMIT` fails instead of
  spilling files into the current directory), :data:`THREADS` threads;
* ``lock_configuration = true`` last, so no ``SET`` can undo any of it.

On top of the engine's own refusals every statement is screened first: only
one ``SELECT`` (including ``WITH …``, ``FROM …``, ``VALUES``, ``DESCRIBE``,
``SHOW``, ``SUMMARIZE``), ``EXPLAIN [ANALYZE]`` of such a query, or
``PRAGMA table_info(...)`` is run; anything else raises
:class:`~sandbox.errors.DatasetError` naming the statement kind.

Limits
------
At most ``row_limit`` rows (:data:`DEFAULT_ROW_LIMIT`) and about
:data:`DEFAULT_BYTE_LIMIT` bytes come back; the result says which limit cut it.
A query still running after ``time_limit`` seconds (:data:`DEFAULT_TIME_LIMIT_SECONDS`)
raises a DatasetError that says so. DuckDB's out-of-memory errors, a ``MemoryError``
and a worker that dies become a DatasetError too.

One session serves several threads (the dashboard shares one between browser tabs):
their queries take turns in the worker.
"""

from __future__ import annotations

import contextlib
import pickle
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sandbox import datasets
from sandbox.errors import DatasetError

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = [
    "DEFAULT_BYTE_LIMIT",
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIME_LIMIT_SECONDS",
    "SAMPLE_QUERIES",
    "ColumnInfo",
    "QueryResult",
    "SqlSession",
    "TableInfo",
]

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_BYTE_LIMIT = 32 * 1024 * 1024
DEFAULT_TIME_LIMIT_SECONDS = 10.0
# The shipped datasets take a few MB; this leaves room for joins and sorts while keeping a
# runaway query from taking the learner's laptop with it.
MEMORY_LIMIT = "1GB"
THREADS = 2
# Results stream from DuckDB in Arrow batches of this many rows (the byte limit's granularity).
_BATCH_ROWS = 256
# Loading every dataset (scikit-learn's bundled sets included) takes a few seconds.
STARTUP_TIMEOUT_SECONDS = 120.0

ALLOWED_STATEMENTS = (
    "a single SELECT (also WITH …, DESCRIBE, SHOW, SUMMARIZE), EXPLAIN of a SELECT, "
    "or PRAGMA table_info('table')"
)

# Set once, before the lock. Order matters: lock_configuration must come last.
_LOCKDOWN = (
    "SET python_enable_replacements = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    f"SET memory_limit = '{MEMORY_LIMIT}'",
    f"SET threads = {THREADS}",
    "SET temp_directory = ''",
    "SET enable_external_access = false",
    "SET lock_configuration = true",
)

_EXPLAIN_PREFIX = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.IGNORECASE)
_PRAGMA_TABLE_INFO = re.compile(r"^\s*pragma\s+table_info\s*\(", re.IGNORECASE)
# DuckDB starts its messages with the error class ("Catalog Error: …"); the learner needs the rest.
_ERROR_CLASS = re.compile(r"^[A-Za-z ]+ Error: ")
_SUGGESTION = re.compile(r"\nDid you mean \"([^\"]+)\"\?")

SAMPLE_QUERIES: Mapping[str, str] = MappingProxyType(
    {
        "Revenue per category": (
            "SELECT category,\n"
            "       COUNT(*) AS orders,\n"
            "       ROUND(SUM(quantity * unit_price), 2) AS revenue\n"
            "FROM retail_sales\n"
            "GROUP BY category\n"
            "ORDER BY revenue DESC"
        ),
        "Orders per customer segment (join)": (
            "SELECT c.segment,\n"
            "       COUNT(DISTINCT c.customer_id) AS customers,\n"
            "       COUNT(s.order_id) AS orders\n"
            "FROM customers AS c\n"
            "LEFT JOIN retail_sales AS s USING (customer_id)\n"
            "GROUP BY c.segment\n"
            "ORDER BY orders DESC"
        ),
        "Monthly revenue with a running total (window)": (
            "WITH monthly AS (\n"
            "    SELECT date_trunc('month', order_date) AS month,\n"
            "           SUM(quantity * unit_price) AS revenue\n"
            "    FROM retail_sales\n"
            "    GROUP BY month\n"
            ")\n"
            "SELECT month,\n"
            "       ROUND(revenue, 2) AS revenue,\n"
            "       ROUND(SUM(revenue) OVER (ORDER BY month), 2) AS running_total\n"
            "FROM monthly\n"
            "ORDER BY month"
        ),
        "Churn rate by contract": (
            "SELECT contract,\n"
            "       COUNT(*) AS customers,\n"
            "       ROUND(AVG(churned), 3) AS churn_rate\n"
            "FROM churn\n"
            "GROUP BY contract\n"
            "ORDER BY churn_rate DESC"
        ),
        "Iris: mean petal size per class": (
            "SELECT target AS class,\n"
            '       ROUND(AVG("petal length (cm)"), 2) AS petal_length,\n'
            '       ROUND(AVG("petal width (cm)"), 2) AS petal_width\n'
            "FROM iris\n"
            "GROUP BY target\n"
            "ORDER BY target"
        ),
        "Summary statistics of daily_visits": "SUMMARIZE daily_visits",
        "Columns of retail_sales": "DESCRIBE retail_sales",
    }
)


@dataclass(frozen=True)
class ColumnInfo:
    """One column of a lab table: its name, DuckDB type and meaning from the registry."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class TableInfo:
    """One lab table (a shipped dataset) for the schema browser."""

    name: str
    rows: int
    description: str
    columns: tuple[ColumnInfo, ...]


@dataclass(frozen=True)
class QueryResult:
    """What one query returned, at most ``row_limit`` rows and about ``byte_limit`` bytes of it."""

    frame: pd.DataFrame
    truncated: bool
    """True when the query produced more than the limits allow; only the first rows are kept."""
    row_limit: int
    seconds: float
    cut_by_bytes: bool = False
    """True when the byte limit, not the row limit, cut the result."""
    byte_limit: int = DEFAULT_BYTE_LIMIT

    @property
    def rows(self) -> int:
        return len(self.frame)

    def summary(self) -> str:
        """One line for the learner: how many rows, how long, and whether (and why) rows were cut."""
        took = f"in {self.seconds:.2f} s"
        if self.truncated and self.cut_by_bytes:
            return (
                f"Showing the first {self.rows:,} rows {took}: the whole result is larger than "
                f"the lab's {self.byte_limit // (1024 * 1024)} MB limit. Select fewer or shorter "
                "columns, aggregate, or add a LIMIT."
            )
        if self.truncated:
            return (
                f"Showing the first {self.row_limit:,} rows {took}: the query returns more. "
                "Aggregate, filter or add a LIMIT to see what matters."
            )
        return f"{self.rows:,} row{'s' if self.rows != 1 else ''} {took}"


def _message(exc: BaseException) -> str:
    """DuckDB's message without its error-class prefix (``Catalog Error: ``…)."""
    text = str(exc).strip()
    return _ERROR_CLASS.sub("", text, count=1)


def _without_system_suggestions(message: str, tables: Sequence[str]) -> str:
    """Drop DuckDB's "Did you mean" when it suggests a system table (``sqlite_master``…)."""
    suggestion = _SUGGESTION.search(message)
    if suggestion and suggestion.group(1) not in tables:
        message = message[: suggestion.start()] + message[suggestion.end() :]
    return message


def _time_limit_message(seconds: float) -> str:
    return (
        f"The query was stopped at the time limit of {seconds:g} s. Look for a join without a "
        "condition (every row times every row), aggregate before joining, or call heavy "
        "functions (levenshtein, regexp on long text) on fewer rows."
    )


def _memory_message() -> str:
    return (
        f"The query needed more than the lab's {MEMORY_LIMIT} of memory. Aggregate or filter "
        "before joining, or select fewer columns."
    )


# -- the worker process ---------------------------------------------------------------------


def _load_tables(connection: duckdb.DuckDBPyConnection, names: list[str]) -> list[TableInfo]:
    tables = []
    for name in names:
        entry = datasets.info(name)  # DatasetError for an unknown name
        frame = datasets.load(name)
        # A registered frame is a view over Python memory; copy it into a real table so the
        # registration can go before the database is locked.
        connection.register("_incoming", frame)
        connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
        connection.unregister("_incoming")
        described = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [name],
        ).fetchall()
        columns = tuple(
            ColumnInfo(str(column), str(kind), entry.columns.get(str(column), ""))
            for column, kind in described
        )
        tables.append(TableInfo(name, len(frame), entry.description, columns))
    return tables


def _fetch(
    relation: duckdb.DuckDBPyRelation,
    converter: duckdb.DuckDBPyConnection,
    row_limit: int,
    byte_limit: int,
) -> tuple[pd.DataFrame, bool, bool]:
    """At most ``row_limit`` rows and about ``byte_limit`` bytes: (frame, truncated, by bytes).

    Streams Arrow batches of ``_BATCH_ROWS`` rows, so a huge result is never built, then
    hands the kept rows to ``converter`` (a plain DuckDB with no tables) for the same pandas
    types a notebook gets from ``.df()``.
    """
    import pyarrow as pa

    reader = relation.to_arrow_reader(_BATCH_ROWS)
    batches: list[pa.RecordBatch] = []
    rows = size = 0
    by_bytes = False
    # One row past the row limit tells whether there were more.
    while rows <= row_limit:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        if size + batch.nbytes > byte_limit:
            keep = int(batch.num_rows * (byte_limit - size) / max(batch.nbytes, 1))
            batches.append(batch.slice(0, keep))
            rows += keep
            by_bytes = True
            break
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
    reader.close()
    table = pa.Table.from_batches(batches, schema=reader.schema)
    truncated = by_bytes or rows > row_limit
    if rows > row_limit:
        table = table.slice(0, row_limit)
    return converter.from_arrow(table).df(), truncated, by_bytes and rows <= row_limit


def _run_query(
    connection: duckdb.DuckDBPyConnection,
    converter: duckdb.DuckDBPyConnection,
    tables: list[str],
    sql: str,
    row_limit: int,
    byte_limit: int,
) -> tuple[Any, ...]:
    """One query in the worker: ("result", frame, truncated, by_bytes, s) or ("error", text)."""
    import duckdb

    cursor = connection.cursor()
    started = time.perf_counter()
    try:
        relation = cursor.sql(sql)
        if relation is None:  # only statements that return nothing; the screen lets none through
            return ("error", "The statement returned no result.")
        frame, truncated, by_bytes = _fetch(relation, converter, row_limit, byte_limit)
    except duckdb.PermissionException:
        return (
            "error",
            "The SQL lab reads only the shipped datasets: files, URLs, other databases and "
            f"extensions are locked away. Query the tables listed in the schema ({', '.join(tables)}).",
        )
    except (duckdb.OutOfMemoryException, MemoryError):
        return ("error", _memory_message())
    except duckdb.InvalidInputException as exc:
        if "configuration has been locked" in str(exc):
            return ("error", "The SQL lab's settings are locked and cannot change.")
        return ("error", f"DuckDB: {_message(exc)}")
    except duckdb.CatalogException as exc:
        return (
            "error",
            f"DuckDB: {_without_system_suggestions(_message(exc), tables)}\n"
            f"The lab's tables: {', '.join(tables)}.",
        )
    except duckdb.Error as exc:
        return ("error", f"DuckDB: {_message(exc)}")
    finally:
        cursor.close()
    return ("result", frame, truncated, by_bytes, time.perf_counter() - started)


def _serve(fd: int, names: list[str]) -> None:
    """The worker's loop: load and lock the tables, then answer queries until told to stop."""
    import duckdb

    channel = Connection(fd)
    connection = duckdb.connect(":memory:")
    converter = duckdb.connect(":memory:")  # holds no tables; never sees learner SQL
    try:
        tables = _load_tables(connection, names)
        for statement in _LOCKDOWN:
            connection.execute(statement)
    except Exception as exc:
        channel.send(("failed", str(exc) if isinstance(exc, DatasetError) else repr(exc)))
        return
    channel.send(("ready", tables))
    table_names = [t.name for t in tables]
    while True:
        try:
            request = channel.recv()
        except (EOFError, OSError):  # the session (or its process) has gone
            return
        if request[0] != "query":
            return
        _, sql, row_limit, byte_limit = request
        try:
            reply = _run_query(connection, converter, table_names, sql, row_limit, byte_limit)
            channel.send(reply)
        except MemoryError:
            channel.send(("error", _memory_message()))


class _Worker:
    """One worker process and the parent's end of its channel."""

    def __init__(self, names: list[str]) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sandbox.sql_lab", str(theirs.fileno()), *names],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError as exc:
            ours.close()
            raise DatasetError(
                f"The SQL lab could not start its worker process: {exc.strerror or exc}."
            ) from None
        finally:
            theirs.close()
        self.channel = Connection(ours.detach())
        self.tables: list[TableInfo] | None = None

    def wait_ready(self) -> list[TableInfo]:
        if self.tables is not None:
            return self.tables
        if not self.channel.poll(STARTUP_TIMEOUT_SECONDS):
            self.kill()
            raise DatasetError(
                f"The SQL lab could not load the datasets within {STARTUP_TIMEOUT_SECONDS:.0f} s."
            )
        try:
            kind, payload = self.channel.recv()
        except (EOFError, OSError):
            self.kill()
            raise DatasetError("The SQL lab's worker stopped while loading the datasets.") from None
        if kind != "ready":
            self.kill()
            raise DatasetError(str(payload))
        self.tables = list(payload)
        return self.tables

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.channel.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.channel.send(("stop",))
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.channel.close()


class SqlSession:
    """A locked-down DuckDB database holding the shipped datasets as tables, in a worker process.

    ``names`` picks datasets (default: every registered one). Building a session starts
    the worker and waits until it has read every dataset (a few seconds, most of it
    importing scikit-learn for its bundled sets); reuse one session for many queries.
    """

    def __init__(
        self,
        names: Sequence[str] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        time_limit: float = DEFAULT_TIME_LIMIT_SECONDS,
        byte_limit: int = DEFAULT_BYTE_LIMIT,
    ) -> None:
        import duckdb

        if row_limit < 1:
            raise DatasetError(f"row_limit must be at least 1, not {row_limit}.")
        if time_limit <= 0:
            raise DatasetError(f"time_limit must be positive, not {time_limit}.")
        if byte_limit < 1:
            raise DatasetError(f"byte_limit must be at least 1, not {byte_limit}.")
        self.row_limit = row_limit
        self.time_limit = float(time_limit)
        self.byte_limit = byte_limit
        self._names = list(names) if names else datasets.names()
        for name in self._names:
            datasets.info(name)  # an unknown name fails here, before a process starts
        # Statements are screened here with DuckDB's parser; this database holds nothing.
        self._parser = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        self._closed = False
        self._worker: _Worker | None = _Worker(self._names)
        try:
            self._tables = tuple(self._worker.wait_ready())
        except BaseException:
            self.close()
            raise

    # -- reading -----------------------------------------------------------------------------

    def schema(self) -> list[TableInfo]:
        """Every table with its columns and their DuckDB types, in registry order."""
        return list(self._tables)

    def table_names(self) -> list[str]:
        return [table.name for table in self._tables]

    def check(self, sql: str) -> str:
        """Return the one statement of ``sql`` if the lab may run it; else raise DatasetError."""
        import duckdb

        if not sql or not sql.strip():
            raise DatasetError("Write a query first, for example: SELECT * FROM retail_sales")
        cursor = self._parser.cursor()
        try:
            statements = cursor.extract_statements(sql)
            if len(statements) != 1:
                raise DatasetError(
                    f"Run one statement at a time: this text holds {len(statements)}. "
                    "Keep the one you want to run and remove the others."
                )
            statement = statements[0]
            kind = statement.type
            if kind == duckdb.StatementType.SELECT:
                return sql
            if kind == duckdb.StatementType.PRAGMA and _PRAGMA_TABLE_INFO.match(statement.query):
                return sql
            if kind == duckdb.StatementType.EXPLAIN:
                inner = _EXPLAIN_PREFIX.sub("", statement.query, count=1)
                explained = cursor.extract_statements(inner) if inner.strip() else []
                if len(explained) == 1 and explained[0].type == duckdb.StatementType.SELECT:
                    return sql
            raise DatasetError(
                f"The SQL lab only reads the datasets, so {kind.name} statements are not run "
                f"here. Use {ALLOWED_STATEMENTS}."
            )
        except duckdb.ParserException as exc:
            raise DatasetError(f"DuckDB could not parse the query: {_message(exc)}") from None
        finally:
            cursor.close()

    def query(
        self, sql: str, row_limit: int | None = None, time_limit: float | None = None
    ) -> QueryResult:
        """Run one read-only statement; at most ``row_limit`` rows, at most ``time_limit`` s.

        Raises DatasetError for a refused statement, a DuckDB error (with its message), a
        query stopped at the time limit (the message says "time limit"), a query that ran
        out of memory, or one that reaches for files, URLs or settings.
        """
        limit = self.row_limit if row_limit is None else row_limit
        seconds_allowed = self.time_limit if time_limit is None else float(time_limit)
        statement = self.check(sql)
        with self._lock:
            worker = self._ready_worker()
            try:
                worker.channel.send(("query", statement, limit, self.byte_limit))
                answered = worker.channel.poll(seconds_allowed)
            except OSError:
                answered = False
            if not answered:
                # DuckDB may be inside one long vector that no interrupt reaches: end it all.
                self._replace_worker()
                raise DatasetError(_time_limit_message(seconds_allowed))
            try:
                reply = worker.channel.recv()
            except MemoryError:
                self._replace_worker()
                raise DatasetError(_memory_message()) from None
            except (EOFError, OSError, pickle.UnpicklingError):
                self._replace_worker()
                raise DatasetError(
                    "The query stopped the SQL lab's worker (it most likely ran out of memory). "
                    "The lab starts a fresh one: aggregate or filter before joining, or select "
                    "fewer columns."
                ) from None
        if reply[0] == "error":
            raise DatasetError(str(reply[1]))
        _, frame, truncated, by_bytes, seconds = reply
        return QueryResult(frame, truncated, limit, seconds, by_bytes, self.byte_limit)

    def _ready_worker(self) -> _Worker:
        if self._closed:
            raise DatasetError("This SQL lab session is closed.")
        if self._worker is None:
            self._worker = _Worker(self._names)
        try:
            self._worker.wait_ready()
        except DatasetError:
            self._worker = None  # the next query tries a fresh one
            raise
        return self._worker

    def _replace_worker(self) -> None:
        """Kill the worker and start the next one now, so it loads while the learner reads."""
        if self._worker is not None:
            self._worker.kill()
        self._worker = None if self._closed else _Worker(self._names)

    # -- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()
        self._parser.close()

    def __enter__(self) -> SqlSession:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


if __name__ == "__main__":
    # Through the package module, so what the worker pickles names sandbox.sql_lab classes.
    from sandbox.sql_lab import _serve as serve

    serve(int(sys.argv[1]), sys.argv[2:])

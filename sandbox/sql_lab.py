"""The SQL lab: read-only DuckDB SQL over the shipped datasets, with a row limit and a time limit.

A :class:`SqlSession` is an in-memory DuckDB database holding one table per
dataset of the registry (:mod:`sandbox.datasets`), named after the dataset:
``retail_sales``, ``customers``, ``churn``, ``iris``, … The data is read in
Python through :func:`sandbox.datasets.load` (so DuckDB sees the same types a
notebook sees) and copied in; DuckDB itself never opens a file.

Locked down (DESIGN §7)
-----------------------
After loading, the database is locked before any learner SQL runs:

* ``enable_external_access = false``: no ``read_csv``/``read_text``/``glob``,
  no ``COPY``, no ``ATTACH`` of files, no extension install or load, no scans of
  Python variables;
* extension auto-install/auto-load and community extensions off, no temporary
  directory (a query that outgrows :data:`MEMORY_LIMIT` fails instead of
  spilling files into the current directory);
* ``lock_configuration = true`` last, so no ``SET`` can undo any of it.

On top of the engine's own refusals every statement is screened first: only
one ``SELECT`` (including ``WITH …``, ``FROM …``, ``VALUES``, ``DESCRIBE``,
``SHOW``, ``SUMMARIZE``), ``EXPLAIN [ANALYZE]`` of such a query, or
``PRAGMA table_info(...)`` is run; anything else raises
:class:`~sandbox.errors.DatasetError` naming the statement kind.

Limits
------
At most ``row_limit`` rows come back (:data:`DEFAULT_ROW_LIMIT`); the result
says when there were more. A query still running after ``time_limit`` seconds
(:data:`DEFAULT_TIME_LIMIT_SECONDS`) is interrupted from a timer thread with
DuckDB's ``interrupt()`` and raises a DatasetError that says so.

Each query runs on its own cursor, so one session can serve several threads
(the dashboard shares one session between browser tabs).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sandbox import datasets
from sandbox.errors import DatasetError

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = [
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIME_LIMIT_SECONDS",
    "SAMPLE_QUERIES",
    "ColumnInfo",
    "QueryResult",
    "SqlSession",
    "TableInfo",
]

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIME_LIMIT_SECONDS = 10.0
# The shipped datasets take a few MB; this leaves room for joins and sorts while keeping a
# runaway query from taking the learner's laptop with it.
MEMORY_LIMIT = "1GB"

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
    """What one query returned, at most ``row_limit`` rows of it."""

    frame: pd.DataFrame
    truncated: bool
    """True when the query produced more than ``row_limit`` rows; only the first are kept."""
    row_limit: int
    seconds: float

    @property
    def rows(self) -> int:
        return len(self.frame)

    def summary(self) -> str:
        """One line for the learner: how many rows, how long, and whether rows were cut."""
        took = f"in {self.seconds:.2f} s"
        if self.truncated:
            return (
                f"Showing the first {self.row_limit:,} rows {took}: the query returns more. "
                "Aggregate, filter or add a LIMIT to see what matters."
            )
        return f"{self.rows:,} row{'s' if self.rows != 1 else ''} {took}"


def _message(exc: Exception) -> str:
    """DuckDB's message without its error-class prefix (``Catalog Error: ``…)."""
    text = str(exc).strip()
    return _ERROR_CLASS.sub("", text, count=1)


class SqlSession:
    """An in-memory, locked-down DuckDB database holding the shipped datasets as tables.

    ``names`` picks datasets (default: every registered one). Building a session reads
    every dataset once (about a second, most of it importing scikit-learn for its
    bundled sets); reuse one session for many queries.
    """

    def __init__(
        self,
        names: Sequence[str] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
        time_limit: float = DEFAULT_TIME_LIMIT_SECONDS,
    ) -> None:
        import duckdb

        if row_limit < 1:
            raise DatasetError(f"row_limit must be at least 1, not {row_limit}.")
        if time_limit <= 0:
            raise DatasetError(f"time_limit must be positive, not {time_limit}.")
        self.row_limit = row_limit
        self.time_limit = float(time_limit)
        self._connection: duckdb.DuckDBPyConnection = duckdb.connect(":memory:")
        try:
            self._tables = tuple(self._load(list(names) if names else datasets.names()))
            for statement in _LOCKDOWN:
                self._connection.execute(statement)
        except BaseException:
            self._connection.close()
            raise

    # -- building ----------------------------------------------------------------------------

    def _load(self, names: list[str]) -> list[TableInfo]:
        tables = []
        for name in names:
            entry = datasets.info(name)  # DatasetError for an unknown name
            frame = datasets.load(name)
            # A registered frame is a view over Python memory; copy it into a real table so the
            # registration can go before the database is locked.
            self._connection.register("_incoming", frame)
            self._connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            self._connection.unregister("_incoming")
            described = self._connection.execute(
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
        cursor = self._connection.cursor()
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
        query stopped at the time limit (the message says "time limit"), or one that reaches
        for files, URLs or settings.
        """
        import duckdb
        import pandas as pd

        limit = self.row_limit if row_limit is None else row_limit
        seconds_allowed = self.time_limit if time_limit is None else float(time_limit)
        statement = self.check(sql)
        cursor = self._connection.cursor()
        timed_out = threading.Event()

        def stop_query() -> None:
            timed_out.set()
            # The query may have ended (and the cursor closed) just now: nothing to stop then.
            with contextlib.suppress(duckdb.Error):
                cursor.interrupt()

        timer = threading.Timer(seconds_allowed, stop_query)
        timer.daemon = True
        started = time.perf_counter()
        timer.start()
        try:
            cursor.execute(statement)
            chunks: list[pd.DataFrame] = []
            fetched = 0
            # Fetch in chunks and stop one row past the limit: a huge result is never built.
            while fetched <= limit:
                chunk = cursor.fetch_df_chunk(8)
                if chunk.empty:
                    if not chunks:
                        chunks.append(chunk)  # keeps the column names of an empty result
                    break
                chunks.append(chunk)
                fetched += len(chunk)
        except duckdb.InterruptException:
            if timed_out.is_set():
                raise DatasetError(
                    f"The query was stopped at the time limit of {seconds_allowed:g} s. "
                    "Look for a join without a condition (every row times every row) or "
                    "aggregate before joining."
                ) from None
            raise DatasetError("The query was interrupted.") from None
        except duckdb.PermissionException:
            raise DatasetError(
                "The SQL lab reads only the shipped datasets: files, URLs, other databases "
                "and extensions are locked away. Query the tables listed in the schema "
                f"({', '.join(self.table_names())})."
            ) from None
        except duckdb.OutOfMemoryException:
            raise DatasetError(
                f"The query needed more than the lab's {MEMORY_LIMIT} of memory. Aggregate or "
                "filter before joining, or select fewer columns."
            ) from None
        except duckdb.InvalidInputException as exc:
            if "configuration has been locked" in str(exc):
                raise DatasetError("The SQL lab's settings are locked and cannot change.") from None
            raise DatasetError(f"DuckDB: {_message(exc)}") from None
        except duckdb.CatalogException as exc:
            raise DatasetError(
                f"DuckDB: {self._without_system_suggestions(_message(exc))}\n"
                f"The lab's tables: {', '.join(self.table_names())}."
            ) from None
        except duckdb.Error as exc:
            raise DatasetError(f"DuckDB: {_message(exc)}") from None
        finally:
            timer.cancel()
            timer.join()
            cursor.close()
        seconds = time.perf_counter() - started
        frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
        truncated = len(frame) > limit
        return QueryResult(frame.head(limit) if truncated else frame, truncated, limit, seconds)

    def _without_system_suggestions(self, message: str) -> str:
        """Drop DuckDB's "Did you mean" when it suggests a system table (``sqlite_master``…)."""
        suggestion = _SUGGESTION.search(message)
        if suggestion and suggestion.group(1) not in self.table_names():
            message = message[: suggestion.start()] + message[suggestion.end() :]
        return message

    # -- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> SqlSession:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

"""The SQL lab: real DuckDB over the real shipped datasets, locked down, limited in rows and time.

Expected results are computed with pandas on the same data loaded through
sandbox.datasets, never typed in.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sandbox import datasets
from sandbox.errors import DatasetError
from sandbox.sql_lab import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIME_LIMIT_SECONDS,
    SAMPLE_QUERIES,
    SqlSession,
)

# 2,500 rows to the fourth power: far more work than any time limit allows. A plain cross
# product streams, so it runs into the time limit, not the memory limit.
RUNAWAY = "SELECT count(*) FROM churn a, churn b, churn c, churn d"


@pytest.fixture(scope="module")
def session() -> Iterator[SqlSession]:
    with SqlSession() as lab:
        yield lab


def test_every_shipped_dataset_is_a_table_with_its_rows_and_columns(session: SqlSession) -> None:
    schema = session.schema()
    assert [table.name for table in schema] == datasets.names()
    for table in schema:
        frame = datasets.load(table.name)
        assert table.rows == len(frame), table.name
        assert [c.name for c in table.columns] == [str(c) for c in frame.columns], table.name
        assert all(c.type for c in table.columns), table.name
        counted = session.query(f'SELECT count(*) AS n FROM "{table.name}"').frame
        assert counted.loc[0, "n"] == len(frame), table.name
    retail = next(t for t in schema if t.name == "retail_sales")
    types = {c.name: c.type for c in retail.columns}
    assert types["quantity"] == "BIGINT" and types["unit_price"] == "DOUBLE"
    assert retail.columns[0].description == datasets.info("retail_sales").columns["order_id"]


def test_a_join_with_a_window_returns_what_pandas_computes(session: SqlSession) -> None:
    sql = """
        WITH spend AS (
            SELECT customer_id, ROUND(SUM(quantity * unit_price), 2) AS spend
            FROM retail_sales GROUP BY customer_id
        )
        SELECT c.segment, c.customer_id, s.spend,
               RANK() OVER (PARTITION BY c.segment ORDER BY s.spend DESC) AS spend_rank
        FROM spend AS s JOIN customers AS c USING (customer_id)
        QUALIFY spend_rank <= 3
        ORDER BY c.segment, spend_rank, c.customer_id
    """
    got = session.query(sql).frame

    sales, customers = datasets.load("retail_sales"), datasets.load("customers")
    spend = (
        (sales["quantity"] * sales["unit_price"])
        .groupby(sales["customer_id"])
        .sum()
        .round(2)
        .rename("spend")
        .reset_index()
    )
    joined = spend.merge(customers[["customer_id", "segment"]], on="customer_id")
    joined["spend_rank"] = (
        joined.groupby("segment")["spend"].rank(method="min", ascending=False).astype("int64")
    )
    expected = (
        joined[joined["spend_rank"] <= 3]
        .sort_values(["segment", "spend_rank", "customer_id"])[
            ["segment", "customer_id", "spend", "spend_rank"]
        ]
        .reset_index(drop=True)
    )
    assert len(got) == len(expected) >= 3
    assert list(got["segment"]) == list(expected["segment"])
    assert list(got["customer_id"]) == list(expected["customer_id"])
    assert list(got["spend_rank"]) == list(expected["spend_rank"])
    assert got["spend"].tolist() == pytest.approx(expected["spend"].tolist())


@pytest.mark.parametrize("name", list(SAMPLE_QUERIES))
def test_every_sample_query_runs(session: SqlSession, name: str) -> None:
    result = session.query(SAMPLE_QUERIES[name])
    assert result.rows > 0 and not result.truncated


def test_a_sample_query_matches_pandas(session: SqlSession) -> None:
    got = session.query(SAMPLE_QUERIES["Revenue per category"]).frame
    sales = datasets.load("retail_sales")
    revenue = (
        (sales["quantity"] * sales["unit_price"])
        .groupby(sales["category"])
        .sum()
        .round(2)
        .sort_values(ascending=False)
    )
    assert list(got["category"]) == list(revenue.index)
    assert got["revenue"].tolist() == pytest.approx(revenue.tolist())
    assert list(got["orders"]) == [int((sales["category"] == c).sum()) for c in revenue.index]


# -- locked down ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        pytest.param("SELECT * FROM read_csv('/etc/passwd')", "only the shipped", id="read_csv"),
        pytest.param("SELECT * FROM read_text('/etc/passwd')", "only the shipped", id="read_text"),
        pytest.param(
            "SELECT * FROM read_blob('/etc/hostname')", "only the shipped", id="read_blob"
        ),
        pytest.param("SELECT * FROM glob('/etc/*')", "only the shipped", id="glob"),
        pytest.param(
            "SELECT * FROM read_parquet('https://example.com/x.parquet')",
            "only the shipped",
            id="url",
        ),
        pytest.param("COPY churn TO '{tmp}/out.csv'", "COPY statements", id="copy-to"),
        pytest.param(
            "COPY (SELECT 1) TO '{tmp}/out.csv' (FORMAT csv)", "COPY statements", id="copy-query"
        ),
        pytest.param("ATTACH '{tmp}/other.db' AS other", "ATTACH statements", id="attach"),
        pytest.param("INSTALL httpfs", "LOAD statements", id="install"),
        pytest.param("LOAD httpfs", "LOAD statements", id="load"),
        pytest.param("SET enable_external_access = true", "SET statements", id="set-access"),
        pytest.param("RESET lock_configuration", "SET statements", id="reset-lock"),
        pytest.param(
            "CREATE TABLE stolen AS SELECT * FROM churn", "CREATE statements", id="create"
        ),
        pytest.param("INSERT INTO churn SELECT * FROM churn", "INSERT statements", id="insert"),
        pytest.param("DROP TABLE churn", "DROP statements", id="drop"),
        pytest.param("EXPLAIN ANALYZE COPY churn TO '{tmp}/out.csv'", "EXPLAIN", id="explain-copy"),
        pytest.param("PRAGMA enable_profiling", "PRAGMA statements", id="pragma"),
        pytest.param("SELECT 1; DROP TABLE churn", "one statement at a time", id="two-statements"),
        pytest.param("   ", "Write a query first", id="empty"),
    ],
)
def test_anything_but_reading_the_datasets_is_refused(
    session: SqlSession, sql: str, says: str, tmp_path: Path
) -> None:
    with pytest.raises(DatasetError, match=says):
        session.query(sql.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == [], "nothing was written"
    assert session.query("SELECT count(*) AS n FROM churn").frame.loc[0, "n"] == len(
        datasets.load("churn")
    ), "the tables are intact"


def test_the_engine_itself_is_locked(session: SqlSession) -> None:
    """Beneath the statement screen: DuckDB refuses files and keeps its settings locked."""
    settings = session.query(
        "SELECT current_setting('enable_external_access') AS external, "
        "current_setting('lock_configuration') AS locked"
    ).frame
    assert settings.loc[0, "external"] == False  # noqa: E712 (a numpy bool)
    assert settings.loc[0, "locked"] == True  # noqa: E712


def test_python_variables_are_not_tables(session: SqlSession) -> None:
    secret_frame = pd.DataFrame({"secret": [1]})
    assert not secret_frame.empty
    with pytest.raises(
        DatasetError, match=r"(?s)secret_frame.*The lab's tables: retail_sales_messy"
    ):
        session.query("SELECT * FROM secret_frame")
    with pytest.raises(DatasetError) as refused:
        session.query("SELECT * FROM secret_frame")
    assert "sqlite_master" not in str(refused.value), "no system tables suggested"
    with pytest.raises(DatasetError, match='Did you mean "customers"'):
        session.query("SELECT * FROM customer")


def test_read_only_statements_besides_select_are_allowed(session: SqlSession) -> None:
    columns = len(datasets.info("churn").columns)
    assert session.query("DESCRIBE churn").rows == columns
    assert session.query("PRAGMA table_info('churn')").rows == columns
    assert session.query("SHOW TABLES").rows == len(datasets.names())
    assert session.query("SUMMARIZE daily_visits").rows == len(
        datasets.info("daily_visits").columns
    )
    assert session.query("EXPLAIN SELECT * FROM churn").rows >= 1


def test_a_parse_error_is_a_dataset_error_with_duckdbs_words(session: SqlSession) -> None:
    with pytest.raises(DatasetError, match=r"could not parse.*selec"):
        session.query("selec * from churn")


# -- limits --------------------------------------------------------------------------------------


def test_a_runaway_cross_join_is_stopped_at_the_time_limit(session: SqlSession) -> None:
    limit = 1.5
    started = time.perf_counter()
    with pytest.raises(DatasetError, match=r"time limit of 1\.5 s"):
        session.query(RUNAWAY, time_limit=limit)
    elapsed = time.perf_counter() - started
    # The interrupt lands at DuckDB's next check, a moment after the timer fires.
    assert limit <= elapsed < limit + 3.0
    assert session.query("SELECT 1 AS one").frame.loc[0, "one"] == 1, "the session still works"


def test_a_query_that_outgrows_memory_fails_without_spilling_to_disk(
    session: SqlSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB's default temp directory is ./.tmp
    # Sorting every pair of churn rows (6.25 million wide rows) needs far more than the limit.
    with pytest.raises(DatasetError, match=r"more than the lab's 1GB of memory"):
        session.query(
            "SELECT a.*, b.* FROM churn a, churn b ORDER BY a.age, b.tenure_months", time_limit=60
        )
    assert list(tmp_path.iterdir()) == []


def test_the_default_limits_are_the_documented_ones() -> None:
    with SqlSession(["iris"]) as lab:
        assert (lab.row_limit, lab.time_limit) == (DEFAULT_ROW_LIMIT, DEFAULT_TIME_LIMIT_SECONDS)
        assert (DEFAULT_ROW_LIMIT, DEFAULT_TIME_LIMIT_SECONDS) == (10_000, 10.0)
        assert lab.table_names() == ["iris"]


def test_the_row_limit_truncates_and_says_so(session: SqlSession) -> None:
    churn_rows = len(datasets.load("churn"))
    result = session.query("SELECT a.customer_id, b.customer_id FROM churn a, churn b")
    assert result.truncated and result.rows == DEFAULT_ROW_LIMIT < churn_rows**2
    assert f"first {DEFAULT_ROW_LIMIT:,} rows" in result.summary()

    iris_rows = len(datasets.load("iris"))
    exact = session.query("SELECT * FROM iris", row_limit=iris_rows)
    assert not exact.truncated and exact.rows == iris_rows
    assert exact.summary().startswith(f"{iris_rows} rows")
    cut = session.query("SELECT * FROM iris", row_limit=iris_rows - 1)
    assert cut.truncated and cut.rows == iris_rows - 1


def test_an_empty_result_keeps_its_columns(session: SqlSession) -> None:
    result = session.query("SELECT * FROM churn WHERE false")
    assert result.rows == 0 and not result.truncated
    assert list(result.frame.columns) == list(datasets.info("churn").columns)


def test_an_unknown_dataset_is_refused_when_building() -> None:
    with pytest.raises(DatasetError, match="No dataset named 'nope'"):
        SqlSession(["nope"])


def test_importing_the_module_is_cheap() -> None:
    probe = (
        "import sys, sandbox.sql_lab; print([m for m in ('duckdb', 'pandas') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- hostile queries: CPU-bound chunks, huge rows, memory ---------------------------------------

# Each row costs DuckDB about 50 ms of levenshtein; 400 rows fit in one vector of 2,048, which
# DuckDB's interrupt cannot cut, so this query alone runs for about 20 s.
CPU_BOUND = (
    "SELECT sum(levenshtein(repeat('ab', 3000) || i::VARCHAR, repeat('ba', 3000))) "
    "FROM range(400) t(i)"
)


def worker_pid(session: SqlSession) -> int:
    worker = session._worker
    assert worker is not None
    return worker.process.pid


def test_a_cpu_bound_chunk_is_stopped_at_the_time_limit(session: SqlSession) -> None:
    import psutil

    before = worker_pid(session)
    limit = 2.0
    started = time.perf_counter()
    with pytest.raises(DatasetError, match=r"time limit of 2 s"):
        session.query(CPU_BOUND, time_limit=limit)
    elapsed = time.perf_counter() - started
    assert limit <= elapsed < limit + 1.0, elapsed
    assert not psutil.pid_exists(before) or psutil.Process(before).status() == psutil.STATUS_ZOMBIE
    assert session.query("SELECT 1 AS one").frame.loc[0, "one"] == 1, "a fresh worker answers"
    assert worker_pid(session) != before


def test_results_are_capped_in_bytes_and_say_so() -> None:
    with SqlSession(["iris"], byte_limit=4 * 1024 * 1024) as lab:
        result = lab.query("SELECT repeat('x', 50000) || i::VARCHAR AS s FROM range(10000) t(i)")
        assert result.truncated and result.cut_by_bytes
        assert 0 < result.rows < 100  # 4 MB of 50 KB rows
        assert int(result.frame.memory_usage(deep=True, index=False).sum()) <= 4 * 1024 * 1024
        assert "larger than the lab's 4 MB limit" in result.summary()
        small = lab.query("SELECT * FROM iris")
        assert not small.truncated and not small.cut_by_bytes


def test_the_lab_sets_threads_and_memory(session: SqlSession) -> None:
    settings = session.query(
        "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory"
    ).frame
    assert int(settings.loc[0, "threads"]) == 2
    assert settings.loc[0, "memory"] == "953.6 MiB"  # how DuckDB shows 1GB (10^9 bytes)


def test_a_worker_that_dies_mid_query_is_a_clear_error(session: SqlSession) -> None:
    import threading

    import psutil

    pid = worker_pid(session)
    threading.Timer(1.0, lambda: psutil.Process(pid).kill()).start()
    with pytest.raises(DatasetError, match="ran out of memory"):
        session.query(CPU_BOUND, time_limit=30)
    assert session.query("SELECT 2 AS two").frame.loc[0, "two"] == 2


def test_memory_errors_in_the_worker_become_the_lab_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import duckdb

    from sandbox import sql_lab

    def out_of_memory(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(sql_lab, "_fetch", out_of_memory)
    with duckdb.connect() as connection:
        reply = sql_lab._run_query(connection, connection, ["iris"], "SELECT 1", 10, 10)
    assert reply == ("error", sql_lab._memory_message())
    assert "more than the lab's 1GB of memory" in reply[1]

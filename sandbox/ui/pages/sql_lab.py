"""SQL Lab: DuckDB SQL over the shipped datasets, read-only, with a row limit and a time limit.

The tables are the datasets of the registry, loaded into an in-memory DuckDB on
the first query (see :mod:`sandbox.sql_lab` for the lockdown). The last result
stays in the session so the quick chart can be changed without running the
query again.
"""

from __future__ import annotations

import streamlit as st

from sandbox import charts, datasets, lab_session, sql_lab
from sandbox.errors import SandboxError
from sandbox.sql_lab import QueryResult, SqlSession

TEXT_KEY = "sql-text"
SAMPLE_KEY = "sql-sample"
RESULT_KEY = "sql-result"


def load_sample() -> None:
    chosen = st.session_state.get(SAMPLE_KEY)
    if isinstance(chosen, str) and chosen in sql_lab.SAMPLE_QUERIES:
        st.session_state[TEXT_KEY] = sql_lab.SAMPLE_QUERIES[chosen]


def show_schema(session: SqlSession | None) -> None:
    st.subheader("Tables")
    if session is None:
        # Before the first query only the registry is read: loading the tables takes a while.
        for name in datasets.names():
            entry = datasets.info(name)
            with st.expander(f"`{name}` · {entry.rows:,} rows"):
                st.caption(entry.description)
                st.dataframe(
                    {"column": list(entry.columns), "meaning": list(entry.columns.values())},
                    hide_index=True,
                )
        st.caption("Column types show once the first query has loaded the tables.")
        return
    for table in session.schema():
        with st.expander(f"`{table.name}` · {table.rows:,} rows"):
            st.caption(table.description)
            st.dataframe(
                {
                    "column": [c.name for c in table.columns],
                    "type": [c.type for c in table.columns],
                    "meaning": [c.description for c in table.columns],
                },
                hide_index=True,
            )


def run_query(sql: str) -> None:
    try:
        session = lab_session.existing()
        if session is None:
            with st.spinner("Loading the datasets into DuckDB (first query only)…", show_time=True):
                session = lab_session.get()
        with st.spinner("Running the query…", show_time=True):
            result = session.query(sql)
    except SandboxError as exc:
        st.session_state[RESULT_KEY] = {"sql": sql, "error": str(exc)}
    else:
        st.session_state[RESULT_KEY] = {"sql": sql, "result": result}


def show_chart(result: QueryResult) -> None:
    frame = result.frame
    columns = charts.plottable_columns(frame)
    if not columns:
        st.caption("No column of this result can be charted (lists, structs and durations cannot).")
        return
    numeric = [str(c) for c in frame.select_dtypes("number").columns if str(c) in columns]
    # Widget keys follow the result's columns, so a new result never inherits a stale choice.
    suffix = "|".join(columns)
    kind_col, x_col, y_col = st.columns(3)
    kind = kind_col.selectbox("Chart", charts.CHART_KINDS, key=f"sql-chart-kind:{suffix}")
    x = x_col.selectbox("x", columns, key=f"sql-chart-x:{suffix}")
    y = None
    if kind != "histogram":
        candidates = [c for c in columns if c != x] or columns
        preferred = next((c for c in numeric if c != x), candidates[0])
        y = y_col.selectbox(
            "y", candidates, index=candidates.index(preferred), key=f"sql-chart-y:{suffix}"
        )
    st.vega_lite_chart(
        spec=charts.result_chart(frame, kind, x, y),
        key="sql-chart",
        alt=f"{kind} chart of the query result",
    )


def show_result() -> None:
    outcome = st.session_state.get(RESULT_KEY)
    if outcome is None:
        st.info(
            "Pick a sample or write a query, then press **Run query**. Tables are named after "
            'the datasets; quote column names with spaces: `"mean radius"`.',
            icon=":material/database:",
        )
        return
    if "error" in outcome:
        st.error(outcome["error"], icon=":material/error:")
        return
    result: QueryResult = outcome["result"]
    st.subheader("Result")
    if result.truncated:
        st.warning(result.summary(), icon=":material/content_cut:")
    else:
        st.caption(result.summary())
    st.dataframe(result.frame, hide_index=True)
    if result.rows:
        st.subheader("Quick chart")
        show_chart(result)


st.title("SQL Lab")
st.caption(
    "DuckDB SQL on the shipped datasets. Read-only: one SELECT (or WITH, DESCRIBE, SHOW, "
    f"SUMMARIZE, EXPLAIN) at a time, at most {sql_lab.DEFAULT_ROW_LIMIT:,} rows "
    f"({sql_lab.DEFAULT_BYTE_LIMIT // (1024 * 1024)} MB) back and "
    f"{sql_lab.DEFAULT_TIME_LIMIT_SECONDS:g} s per query. Files, URLs and settings are locked."
)

st.session_state.setdefault(TEXT_KEY, next(iter(sql_lab.SAMPLE_QUERIES.values())))
editor_col, schema_col = st.columns([3, 2], gap="large")
with editor_col:
    st.selectbox(
        "Start from a sample",
        list(sql_lab.SAMPLE_QUERIES),
        index=None,
        placeholder="Choose a sample query…",
        key=SAMPLE_KEY,
        on_change=load_sample,
    )
    with st.form("sql-form", border=False):
        sql = st.text_area("Query", key=TEXT_KEY, height=240)
        submitted = st.form_submit_button("Run query", type="primary", icon=":material/play_arrow:")
    if submitted:
        run_query(sql)
with schema_col:
    show_schema(lab_session.existing())

show_result()

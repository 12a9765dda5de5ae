"""Experiments: the MLflow runs this profile's notebooks logged, compared, and MLflow's own UI.

Runs come from ``<data home>/mlflow.db`` through :mod:`sandbox.integrations.tracking`.
Without a store nothing is created and mlflow is not even imported: the page
explains how a notebook logs its first run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st

from sandbox import charts, mlflow_ui
from sandbox.errors import SandboxError
from sandbox.integrations import tracking
from sandbox.mlflow_ui import ServerState
from sandbox.ui import components

ALL_EXPERIMENTS = "All experiments"
FIRST_RUN = """\
import mlflow
from sandbox.integrations import tracking

tracking.configure(experiment="first-model")  # this profile's store, from any folder
with mlflow.start_run(run_name="baseline"):
    mlflow.log_param("max_depth", 3)
    model = DecisionTreeClassifier(max_depth=3).fit(X_train, y_train)
    mlflow.log_metric("accuracy", model.score(X_test, y_test))
"""
SERVER_POLL_SECONDS = 2.0


def run_labels(runs: Any) -> list[str]:
    """``name (id…)`` per run: names repeat across runs, ids alone mean nothing to a learner."""
    names = runs.get("tags.mlflow.runName")
    labels = []
    for position, run_id in enumerate(runs["run_id"]):
        name = names.iloc[position] if names is not None else None
        short = str(run_id)[:8]
        labels.append(f"{name} ({short})" if isinstance(name, str) and name else short)
    return labels


def table_of(runs: Any, labels: list[str]) -> Any:
    """The runs as the learner reads them: name, experiment, status, start, metrics, params."""
    import pandas as pd  # only once there are runs: a new learner's page does without it

    metric_columns = sorted(c for c in runs.columns if c.startswith("metrics."))
    param_columns = sorted(c for c in runs.columns if c.startswith("params."))
    table = runs[["experiment_name", "status", "start_time", *metric_columns, *param_columns]]
    table = table.rename(columns={"experiment_name": "experiment", "start_time": "started"})
    # MLflow's times are UTC; the learner reads local time (and Arrow drops the zone anyway).
    if isinstance(table["started"].dtype, pd.DatetimeTZDtype):
        local_zone = datetime.now().astimezone().tzinfo
        table["started"] = table["started"].dt.tz_convert(local_zone).dt.tz_localize(None)
    table.insert(0, "run", labels)
    return table


def show_metric_chart(runs: Any, labels: list[str]) -> None:
    metric_columns = [
        c for c in sorted(runs.columns) if c.startswith("metrics.") and runs[c].notna().any()
    ]
    st.subheader("Compare a metric")
    if not metric_columns:
        st.caption("These runs logged no metrics yet: `mlflow.log_metric(name, value)` adds one.")
        return
    names = [c.removeprefix("metrics.") for c in metric_columns]
    metric = st.selectbox("Metric", names, key="experiments-metric")
    values = runs[f"metrics.{metric}"]
    pairs = sorted(
        ((label, float(v)) for label, v in zip(labels, values, strict=True) if v == v),
        key=lambda pair: pair[1],
        reverse=True,
    )
    st.vega_lite_chart(
        spec=charts.metric_bars([p[0] for p in pairs], [p[1] for p in pairs], metric),
        key="metric-bars",
        alt=f"{metric} per run",
    )
    missing = len(labels) - len(pairs)
    if missing:
        st.caption(f"{missing} run(s) did not log `{metric}` and are left out.")


def show_server(home: Path) -> None:
    st.subheader("MLflow UI")
    st.caption(
        "MLflow's own UI shows each run in full: metric histories, artifacts and logged models. "
        "It runs in the background on this machine only (127.0.0.1), and keeps running until "
        "you stop it here, even when the dashboard stops."
    )
    server = mlflow_ui.status(home)
    if server.state is ServerState.RUNNING and server.url:
        link_col, stop_col, _ = st.columns([2, 1, 3])
        link_col.link_button("Open the MLflow UI", server.url, icon=":material/open_in_new:")
        if stop_col.button("Stop it", key="mlflow-ui-stop"):
            mlflow_ui.stop(home)
            st.rerun()
        st.caption(f"Running at {server.url}")
        return
    if server.state is ServerState.STARTING:
        wait_for_server(home)
        return
    if server.state is ServerState.FAILED:
        why = f": {server.reason}" if server.reason else ""
        st.warning(f"The MLflow UI stopped or did not start{why}. Its log: `{server.log}`")
    if st.button("Start the MLflow UI", key="mlflow-ui-start", icon=":material/play_arrow:"):
        try:
            mlflow_ui.start(home)
        except (SandboxError, OSError) as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.rerun()


@st.fragment(run_every=SERVER_POLL_SECONDS)
def wait_for_server(home: Path) -> None:
    """Checks on the starting server every few seconds; the whole page reruns once it answers."""
    server = mlflow_ui.status(home)
    if server.state is ServerState.STARTING:
        st.info(
            f"Starting the MLflow UI at {server.url}: the link appears once it answers.",
            icon=":material/hourglass_top:",
        )
        return
    st.rerun(scope="app")


def show_empty_state(learner: Any) -> None:
    st.info(
        "No MLflow runs for this profile yet. A notebook logs a run into this profile's store "
        "like this (use your own model and data):",
        icon=":material/science:",
    )
    st.code(FIRST_RUN, language="python")
    st.caption(f"Runs are stored in `{tracking.db_path(learner.home)}`.")
    components.show_challenges_to_learn(learner.catalogue, ("mlflow",), 6)


learner = components.open_learner()
home = learner.home
st.title("Experiments")
st.caption("The runs your notebooks logged to MLflow: parameters, metrics, and how runs compare.")

try:
    has_store = bool(tracking.list_experiments(home))  # no store: [] without importing mlflow
    if not has_store:
        show_empty_state(learner)
        st.stop()
    experiment_filter = st.text_input(
        "Filter runs (MLflow syntax)",
        placeholder="metrics.accuracy > 0.9 and params.max_depth = '3'",
        key="experiments-filter",
    )
    with st.spinner("Reading your MLflow runs…"):
        runs = tracking.runs_frame(home, filter_string=experiment_filter.strip())
except SandboxError as exc:
    components.stop_with_error(exc)

if runs.empty:
    if experiment_filter.strip():
        st.info("No run matches this filter.", icon=":material/filter_alt_off:")
    else:
        show_empty_state(learner)
    show_server(home)
    st.stop()

experiments = sorted(set(runs["experiment_name"]))
chosen = st.selectbox("Experiment", [ALL_EXPERIMENTS, *experiments], key="experiments-experiment")
if chosen != ALL_EXPERIMENTS:
    runs = runs[runs["experiment_name"] == chosen].reset_index(drop=True)

runs_col, experiments_col, finished_col = st.columns(3)
runs_col.metric("Runs", len(runs))
experiments_col.metric("Experiments", runs["experiment_name"].nunique())
finished_col.metric("Finished", int((runs["status"] == "FINISHED").sum()))

labels = run_labels(runs)
st.dataframe(table_of(runs, labels), hide_index=True)
show_metric_chart(runs, labels)
show_server(home)

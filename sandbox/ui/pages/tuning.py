"""Tuning: the Optuna studies this profile's notebooks ran, their history, importances and trials.

Parameter importances are computed when the learner switches them on (they need
scikit-learn); the rest of the page reads only the study.

Studies come from ``<data home>/optuna.db`` through :mod:`sandbox.integrations.tuning`.
Without that file nothing is created and the page explains how to start a study.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from sandbox import charts
from sandbox.errors import NotEnoughTrialsError, SandboxError
from sandbox.integrations import tuning
from sandbox.ui import components

FIRST_STUDY = """\
from sandbox.integrations import tuning

def objective(trial):
    depth = trial.suggest_int("max_depth", 2, 10)
    leaves = trial.suggest_int("min_samples_leaf", 1, 20)
    model = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaves, random_state=0)
    return cross_val_score(model, X, y, cv=5).mean()

study = tuning.create_study("tree-depth", direction="maximize", seed=0)  # this profile's store
study.optimize(objective, n_trials=20)
"""


def value_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.6g}"


def param_text(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def show_chart(make: Callable[[], dict[str, Any]], key: str, alt: str) -> None:
    """Draw a tuning chart; a study too small for it gets the reason, not an error."""
    try:
        spec = make()
    except NotEnoughTrialsError as exc:
        st.info(str(exc), icon=":material/hourglass_empty:")
        return
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.vega_lite_chart(spec=spec, key=key, alt=alt)


learner = components.open_learner()
home = learner.home
st.title("Tuning")
st.caption("The Optuna studies your notebooks ran: how the search went and what mattered.")

try:
    studies = tuning.list_studies(home)  # no optuna.db: [] and nothing created
except SandboxError as exc:
    components.stop_with_error(exc)

if not studies:
    st.info(
        "No Optuna studies for this profile yet. A notebook starts one like this (use your own "
        "model and data):",
        icon=":material/tune:",
    )
    st.code(FIRST_STUDY, language="python")
    st.caption(f"Studies are stored in `{tuning.db_path(home)}`.")
    components.show_challenges_to_learn(learner.catalogue, ("optuna",), 6)
    st.stop()

by_name = {info.name: info for info in studies}
name = st.selectbox(
    "Study",
    list(by_name),
    index=len(studies) - 1,  # the newest: what the learner just ran
    format_func=lambda n: f"{n} · {by_name[n].n_complete} completed trial(s)",
    key="tuning-study",
)
study = by_name[name]

direction_col, trials_col, complete_col, best_col = st.columns(4)
direction_col.metric("Direction", study.direction)
trials_col.metric("Trials", study.n_trials)
complete_col.metric("Completed", study.n_complete)
best_col.metric("Best value", value_text(study.best_value))
if study.best_params:
    st.markdown(
        "**Best parameters:** "
        + ", ".join(f"`{key}` = {param_text(value)}" for key, value in study.best_params.items())
    )

history_col, importance_col = st.columns(2)
with history_col:
    st.subheader("Optimisation history")
    show_chart(
        lambda: charts.optimization_history(tuning.history(name, home)),
        "tuning-history",
        "Optimisation history",
    )
with importance_col:
    st.subheader("Parameter importances")
    # fANOVA fits a random forest over the trials (importing scikit-learn), which costs more
    # than the rest of the page together: it runs when the learner asks, then stays on.
    if st.toggle("Rate each parameter (fANOVA)", key="tuning-importances"):
        show_chart(
            lambda: charts.param_importance_bars(tuning.param_importances(name, home)),
            "tuning-importance",
            "Parameter importances",
        )
    else:
        st.caption(
            "fANOVA fits a model of the objective over the completed trials and rates how much "
            "of its variation each parameter explains. Switch it on to compute."
        )

st.subheader("Trials")
try:
    trials = tuning.trials_table(name, home)
except SandboxError as exc:
    st.error(str(exc), icon=":material/error:")
else:
    st.dataframe(trials, hide_index=True)

"""Explain: why a model predicts what it predicts, with SHAP and LIME side by side.

Nothing heavy runs until the learner presses a button: shap, lime, scikit-learn
and mlflow are imported by :mod:`sandbox.explain_cases` inside the functions
called after a click, so the page's first render stays fast. Models, SHAP values
and row explanations are cached for the dashboard process, so switching back to
an explained model or row is instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from sandbox import charts, explain_cases
from sandbox.explain_cases import (
    BUILT_IN_MODELS,
    GlobalExplanation,
    LocalExplanation,
    LoggedModelChoice,
    ModelCase,
)
from sandbox.integrations import tracking
from sandbox.ui import components

BUILT_IN = "A built-in model"
LOGGED = "A model from your MLflow runs"
REQUEST_KEY = "explain-request"
LOGGED_KEY = "explain-logged-models"
BEESWARM_WIDTH = 760  # pixels: SHAP's drawings and LIME's bars at a size their labels read well

# (source, reference, dataset, features, title): everything needed to rebuild a case, hashable
# so the caches below can key on it.
CaseRef = tuple[str, str, str, tuple[str, ...], str]


@st.cache_resource(show_spinner=False, max_entries=8)
def case_for(ref: CaseRef) -> ModelCase:
    source, reference, dataset, features, title = ref
    if source == "built-in":
        return explain_cases.built_in_case(reference)
    return explain_cases.logged_case(reference, dataset, features, title)


@st.cache_resource(show_spinner=False, max_entries=8)
def global_for(ref: CaseRef, class_index: int | None) -> GlobalExplanation:
    return explain_cases.explain_globally(case_for(ref), class_index)


@st.cache_resource(show_spinner=False, max_entries=32)
def local_for(ref: CaseRef, class_index: int | None, row: int) -> LocalExplanation:
    return explain_cases.explain_row(case_for(ref), global_for(ref, class_index), row, class_index)


def compute(ref: CaseRef, class_index: int | None, row: int) -> None:
    """Run (or fetch from the cache) everything the results need, with progress shown."""
    with st.status("Explaining…", expanded=True) as status:
        try:
            st.write("Preparing the model…")
            case = case_for(ref)
            index = case.default_class() if class_index is None else class_index
            st.write(f"SHAP values for {case.rows_note}…")
            global_for(ref, index)
            st.write(f"LIME around row {row}, and the comparison…")
            local_for(ref, index, row)
        # A learner's own model can fail inside SHAP, LIME or scikit-learn in many ways: the
        # page reports it instead of crashing.
        except Exception as exc:
            status.update(label="Could not explain this model", state="error")
            st.session_state[REQUEST_KEY] = {"ref": ref, "error": str(exc)}
            return
        status.update(label="Explained", state="complete", expanded=False)
    st.session_state[REQUEST_KEY] = {"ref": ref, "class_index": index, "row": row}


def row_key(ref: CaseRef) -> str:
    return f"explain-row:{ref[1]}"


def choose_built_in() -> CaseRef:
    key = st.selectbox(
        "Model",
        list(BUILT_IN_MODELS),
        format_func=lambda k: BUILT_IN_MODELS[k].title,
        key="explain-built-in",
    )
    spec = BUILT_IN_MODELS[key]
    st.caption(explain_cases.built_in_description(spec))
    return ("built-in", key, spec.dataset, (), spec.title)


def show_unusable(models: list[LoggedModelChoice]) -> None:
    if not models:
        return
    with st.expander(f"{len(models)} logged model(s) the page cannot explain, and why"):
        st.markdown("\n".join(f"- **{m.label}**: {m.reason}" for m in models))


def choose_logged(home: Path) -> CaseRef | None:
    found = st.session_state.get(LOGGED_KEY)
    if found is None or found["home"] != str(home):
        st.caption(
            "The page explains a logged scikit-learn model on the shipped dataset whose columns "
            "match the model's inputs (its signature)."
        )
        if st.button("Look for logged models", key="explain-find", icon=":material/search:"):
            try:
                with st.spinner("Reading your MLflow store…", show_time=True):
                    listed = explain_cases.logged_models(home)
            except Exception as exc:  # MLflow reports a damaged store in many ways
                st.error(f"Could not read your MLflow store: {exc}", icon=":material/error:")
                return None
            st.session_state[LOGGED_KEY] = {"home": str(home), "models": listed}
            st.rerun()
        return None
    models: list[LoggedModelChoice] = found["models"]
    usable = [m for m in models if m.usable]
    if st.button("Look again", key="explain-find-again", type="tertiary"):
        st.session_state.pop(LOGGED_KEY, None)
        st.rerun()
    if not usable:
        st.info(
            "None of your logged models can be explained here (reasons below), so only the "
            "built-in models are offered. Log a scikit-learn model trained on a shipped dataset "
            'with `mlflow.sklearn.log_model(model, name="model", input_example=X_train.head())`.',
            icon=":material/info:",
        )
        show_unusable(models)
        return None
    choice = st.selectbox(
        "Logged model", usable, format_func=lambda m: m.label, key="explain-logged"
    )
    st.caption(
        f"Explained on `{choice.dataset}`: its columns hold the model's "
        f"{len(choice.features)} inputs."
    )
    show_unusable([m for m in models if not m.usable])
    return ("mlflow", choice.path, choice.dataset, choice.features, choice.label)


def agreement_table(local: LocalExplanation) -> dict[str, list[Any]]:
    """The comparison as a table to read: rounded numbers, a dash where LIME has no weight.

    LIME's columns are text throughout (a number or a dash): a column mixing numbers and text
    cannot travel to the browser as Arrow, and Streamlit would convert it with a warning.
    """

    def number(value: float | None) -> str:
        if value is None:
            return "—"
        return str(value) if isinstance(value, int) else f"{value:.4f}"

    rows = local.agreement
    return {
        "feature": [r.feature for r in rows],
        "SHAP value": [round(r.shap_value, 4) for r in rows],
        "SHAP rank": [r.shap_rank for r in rows],
        "LIME weight": [number(r.lime_weight) for r in rows],
        "LIME rank": [number(r.lime_rank) for r in rows],
        "same direction": ["✓" if r.same_sign else "" for r in rows],
        "disagreement": [r.disagreement or "" for r in rows],
    }


def show_results(ref: CaseRef, request: dict[str, Any]) -> None:
    case = case_for(ref)
    class_index, row = request["class_index"], request["row"]
    with st.spinner("Drawing the explanation…"):
        overall = global_for(ref, class_index)
        local = local_for(ref, class_index, row)
    explained = f" for “{case.class_labels[class_index]}”" if class_index is not None else ""

    st.subheader("What matters overall (SHAP)")
    st.caption(
        f"Each dot is one of {case.rows_note}: how far that feature pushed the model's output"
        f"{explained} up (right) or down (left). Colour is the feature's value."
    )
    st.pyplot(overall.beeswarm, clear_figure=False, width=BEESWARM_WIDTH)

    st.subheader(f"One row, two explanations: row {row}")
    pick_col, class_col, button_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    chosen_row = pick_col.number_input(
        f"Row (0 to {len(case.rows) - 1})",
        min_value=0,
        max_value=len(case.rows) - 1,
        value=row,
        step=1,
        key=row_key(ref),
    )
    chosen_class = class_index
    if len(case.class_labels) > 2:
        chosen_class = class_col.selectbox(
            "Class to explain",
            range(len(case.class_labels)),
            index=class_index,
            format_func=lambda i: case.class_labels[i],
            key=f"explain-class:{ref[1]}",
        )
    if button_col.button("Explain this row", key="explain-row-button"):
        compute(ref, chosen_class, int(chosen_row))
        st.rerun()

    st.caption(f"The model's answer for this row: {local.prediction}.")
    # One under the other, each at a reading size: side by side, SHAP's drawing shrinks
    # until its labels cannot be read.
    st.markdown("**SHAP waterfall**: from the average prediction to this row's")
    st.pyplot(local.waterfall, clear_figure=False, width=BEESWARM_WIDTH)
    st.markdown("**LIME weights**: a simple model fitted around this row")
    st.vega_lite_chart(
        spec=charts.lime_bars(local.lime),
        key="lime-weights",
        width=BEESWARM_WIDTH,
        alt=f"LIME weights of row {row}",
    )

    agree = sum(1 for r in local.agreement if r.agrees)
    st.subheader("Do SHAP and LIME agree?")
    st.caption(
        f"They agree on {agree} of the {len(local.agreement)} features either ranks among its "
        f"top {len(local.lime)}: same direction, and both count it as important."
    )
    # A static table: the disagreement is a sentence, and it wraps instead of being cut.
    st.table(agreement_table(local))


learner = components.open_learner()
home = learner.home
st.title("Explain")
st.caption(
    "Why does a model predict what it predicts? SHAP splits each prediction into one share per "
    "feature; LIME fits a small linear model around one row. Seeing both shows where they agree."
)

# Only a file check here: listing logged models means importing mlflow, done on request.
has_store = tracking.db_path(home).is_file()
source = BUILT_IN
if has_store:
    source = st.radio("Model source", [BUILT_IN, LOGGED], horizontal=True, key="explain-source")
else:
    st.caption(
        "Models you log to MLflow from a notebook "
        '(`mlflow.sklearn.log_model(model, name="model", input_example=X_train.head())`) '
        "are offered here too."
    )

ref = choose_built_in() if source == BUILT_IN else choose_logged(home)
if ref is None:
    st.stop()

request = st.session_state.get(REQUEST_KEY)
if st.button("Explain", key="explain-compute", type="primary", icon=":material/psychology:"):
    # The row picker keeps its value across explanations of the same model.
    compute(ref, None, int(st.session_state.get(row_key(ref), 0)))
    request = st.session_state.get(REQUEST_KEY)

if request is None or request["ref"] != ref:
    st.info(
        "Press **Explain** to train or load the model and compute its explanations. The first "
        "time takes a few seconds; after that they are kept.",
        icon=":material/touch_app:",
    )
elif "error" in request:
    st.error(f"Could not explain this model: {request['error']}", icon=":material/error:")
else:
    show_results(ref, request)

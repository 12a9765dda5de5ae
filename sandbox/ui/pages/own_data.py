"""Your data: the own-data lab. Bring a table, get its profile, schema, cleaning notebook,
dashboard and baseline model, each as code to copy (see :mod:`sandbox.owndata`).

Files are kept in ``<data home>/my-data/``; nothing leaves the machine. Heavy work (the
profile, the baseline) runs on a button press with a progress bar; results stay in the
session, keyed by the file's path and modification time, so widgets do not redo them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from sandbox import charts
from sandbox.errors import SandboxError
from sandbox.owndata import lab
from sandbox.owndata.reading import FORMATS, LIMITS
from sandbox.ui import components

STATE_KEY = "own-data"
UPLOAD_KEY = "own-upload"
FILE_KEY = "own-file"
SECTION_KEY = "own-section"


def progress_bar(text: str) -> Any:
    bar = st.progress(0.0, text=text)

    def update(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    return bar, update


def record(learner: Any, action: str, dataset: str, details: dict[str, Any]) -> None:
    """Record a lab event; a damaged progress file is reported, the result is kept."""
    try:
        lab.record(learner.store, action, dataset, details)
    except SandboxError as exc:
        st.warning(f"Not recorded for your badges: {exc}", icon=":material/warning:")


def file_key(path: Path) -> str:
    return f"{path}:{path.stat().st_mtime_ns}"


def current() -> dict[str, Any] | None:
    return st.session_state.get(STATE_KEY)


def save_uploads(home: Path) -> None:
    uploads = st.session_state.get(UPLOAD_KEY) or []
    for upload in uploads:
        try:
            saved = lab.save_upload(home, upload.name, upload.getvalue())
        except SandboxError as exc:
            st.error(str(exc), icon=":material/error:")
            continue
        st.session_state[FILE_KEY] = saved.name


def run_profile(learner: Any, path: Path, others: list[Path]) -> None:
    from sandbox.owndata.profile import find_relationships, profile
    from sandbox.owndata.reading import open_table

    bar, update = progress_bar("Profiling…")
    try:
        table = open_table(path)
        found = profile(table, on_progress=update)
        related = []
        if others:
            pairs = [(table, found)]
            for other in others:
                other_table = open_table(other)
                pairs.append((other_table, profile(other_table)))
            related = find_relationships(pairs)
    except SandboxError as exc:
        bar.empty()
        st.session_state[STATE_KEY] = {"key": file_key(path), "error": str(exc)}
        return
    bar.empty()
    record(learner, "profiled", found.name,
               {"rows": found.rows, "columns": len(found.columns), "quality": round(found.quality.overall, 1)})  # fmt: skip
    st.session_state[STATE_KEY] = {"key": file_key(path), "path": str(path), "table": table,
                                   "profile": found, "relationships": related}  # fmt: skip


def show_profile(state: dict[str, Any]) -> None:
    found = state["profile"]
    q = found.quality
    st.subheader(f"Profile of `{found.name}`")
    st.caption(
        f"{found.rows:,} rows × {len(found.columns)} columns · profiled in {found.seconds:.1f} s"
    )
    cols = st.columns(5)
    for col, (label, value) in zip(
        cols,
        (("Quality", q.overall), ("Completeness", q.completeness), ("Uniqueness", q.uniqueness),
         ("Validity", q.validity), ("Consistency", q.consistency)),
        strict=True,
    ):  # fmt: skip
        col.metric(label, f"{value:.1f}")
    with st.expander("How the score is computed"):
        st.markdown(
            "- **completeness**: 100 × (1 − missing cells / all cells)\n"
            "- **uniqueness**: 100 × (1 − duplicate rows / rows)\n"
            "- **validity**: 100 × (1 − (invalid values + unexpected negatives) / non-missing cells)\n"
            "- **consistency**: 100 × (1 − rare spellings / non-missing cells of categorical columns)\n"
            "- **quality**: the mean of the four"
        )
    warnings = [i for i in found.issues if i.severity == "warning"]
    if warnings:
        st.markdown("**Found**\n\n" + "\n".join(
            f"- {i.message}" + (f" e.g. {', '.join(f'`{e}`' for e in i.examples[:3])}" if i.examples else "")
            for i in warnings
        ))  # fmt: skip
    else:
        st.success(
            "No defect found: no duplicates, gaps, invalid values or odd spellings.",
            icon=":material/check:",
        )
    infos = [i for i in found.issues if i.severity == "info"]
    if infos:
        with st.expander(f"{len(infos)} observation(s)"):
            st.markdown("\n".join(f"- {i.message}" for i in infos))
    st.dataframe(
        [
            {
                "column": c.name,
                "kind": f"{c.kind} ({c.date_format})" if c.date_format else c.kind,
                "missing": c.nulls,
                "invalid": c.invalid,
                "distinct": c.distinct,
                "min": None if c.minimum is None else str(c.minimum),
                "max": None if c.maximum is None else str(c.maximum),
                "top values": ", ".join(f"{v} ({n})" for v, n in c.top_values[:3]),
                "flags": ", ".join(c.flags),
            }
            for c in found.columns
        ],
        hide_index=True,
        key="own-columns",
    )
    if found.candidate_keys:
        st.caption(f"Candidate key(s): {', '.join(f'`{k}`' for k in found.candidate_keys)}")
    for rel in state.get("relationships", []):
        st.caption(
            f"Candidate foreign key: `{rel.child}.{rel.column}` → `{rel.parent}.{rel.key}` "
            f"({rel.coverage:.1%} of its values found; {rel.missing} missing)"
        )


def steps_from_widgets(state: dict[str, Any]) -> list[Any]:
    from sandbox.owndata.cleaning import suggest_steps

    chosen = []
    for step in suggest_steps(state["profile"]):
        enabled = st.session_state.get(f"own-step:{step.id}", step.enabled)
        strategy = st.session_state.get(f"own-strategy:{step.id}", step.strategy)
        step = (
            step.with_strategy(strategy)
            if step.strategies and strategy in step.strategies
            else step
        )
        chosen.append(type(step)(**{**step.__dict__, "enabled": bool(enabled)}))
    return chosen


def schema_tab(learner: Any, state: dict[str, Any]) -> None:
    from sandbox.owndata import schema

    found, table = state["profile"], state["table"]
    steps = steps_from_widgets(state)
    generated = schema.generate_schema(found, table, steps)
    python, yaml_text = schema.schema_to_python(generated), schema.schema_to_yaml(generated)
    out = lab.outputs(learner.home, found.name)
    if not out.schema_yaml.exists() or out.schema_yaml.read_text(encoding="utf-8") != yaml_text:
        lab.write_text(out.schema_yaml, yaml_text)
        lab.write_text(out.schema_python, python)
    st.caption(
        "The schema of the table your cleaning recipe produces: Pandera's `infer_schema` as the base, "
        f"refined with what the profile found. Saved as `{out.schema_yaml}` and `.py`."
    )
    left, right = st.columns(2)
    left.download_button("Download schema (.py)", python, file_name=out.schema_python.name,
                         mime="text/x-python", key="own-schema-py", icon=":material/download:")  # fmt: skip
    right.download_button("Download schema (.yaml)", yaml_text, file_name=out.schema_yaml.name,
                          mime="application/yaml", key="own-schema-yaml", icon=":material/download:")  # fmt: skip
    st.code(python, language="python")
    targets = {"This file": Path(state["path"])}
    if out.cleaned.exists():
        targets["The cleaned table"] = out.cleaned
    choice = st.radio("Validate", list(targets), horizontal=True, key="own-validate-which")
    if st.button("Validate against the schema", key="own-validate", icon=":material/rule:"):
        bar, update = progress_bar("Validating…")
        try:
            fresh = schema.validate(
                targets[choice], generated, name=targets[choice].name, on_progress=update
            )
        except SandboxError as exc:
            bar.empty()
            st.error(str(exc), icon=":material/error:")
            return
        bar.empty()
        record(learner, "validated", found.name,
                   {"passed": fresh.passed, "failing_rows": fresh.failing_rows, "schema": out.schema_yaml.name})  # fmt: skip
        st.session_state["own-validation"] = fresh
    report: Any = st.session_state.get("own-validation")
    if report is None or report.name != targets[choice].name:
        return  # a report of the other file, or of a table cleaned since, is not shown
    if report.passed:
        st.success(
            f"All {report.rows:,} rows of `{report.name}` pass the schema.", icon=":material/check:"
        )
        return
    st.error(
        f"{report.failing_rows:,} of {report.rows:,} rows of `{report.name}` fail the schema.",
        icon=":material/error:",
    )
    for group in report.groups:
        with st.expander(f"{group.column or 'rows'} · {group.check_kind} · {group.rows:,} row(s)"):
            st.markdown(f"`{group.check}`")
            st.dataframe([{"row": r, "value": v} for r, v in group.examples], hide_index=True)
            st.caption(group.fix)


def cleaning_tab(learner: Any, state: dict[str, Any]) -> None:
    from sandbox.owndata import cleaning

    found, table = state["profile"], state["table"]
    suggested = cleaning.suggest_steps(found)
    if not suggested:
        st.success("Nothing to clean: the profile found no defect.", icon=":material/check:")
        return
    st.caption("Tick the steps to run. Each is a few lines of Polars; the notebook holds them all.")
    for step in suggested:
        row = st.container(border=True)
        row.checkbox(step.title, value=step.enabled, key=f"own-step:{step.id}", help=step.why)
        row.caption(step.why)
        if step.strategies:
            row.selectbox("Strategy", step.strategies, index=step.strategies.index(step.strategy or step.strategies[0]),
                          key=f"own-strategy:{step.id}", label_visibility="collapsed")  # fmt: skip
    steps = steps_from_widgets(state)
    with st.expander("The recipe as code"):
        st.code(cleaning.recipe_code(table, steps), language="python")
    if st.button(
        "Apply and write the notebook",
        type="primary",
        key="own-apply",
        icon=":material/cleaning_services:",
    ):
        out = lab.outputs(learner.home, found.name)
        try:
            with st.spinner("Cleaning…", show_time=True):
                cleaned = cleaning.apply_recipe(table, steps)
                out.cleaned.parent.mkdir(parents=True, exist_ok=True)
                cleaned.write_parquet(out.cleaned)
                cleaning.write_notebook(out.notebook, table, steps, out.cleaned, out.schema_yaml)
        except SandboxError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        except Exception as exc:  # a learner's choice of strategies can fail inside Polars
            st.error(f"The recipe failed: {exc}", icon=":material/error:")
            return
        st.session_state["own-cleaned"] = {"rows": cleaned.height, "preview": cleaned.head(20), "notebook": str(out.notebook),
                                           "cleaned": str(out.cleaned)}  # fmt: skip
        st.session_state.pop("own-validation", None)  # it was about the previous cleaned table
    done = st.session_state.get("own-cleaned")
    if done:
        st.success(
            f"Cleaned: {found.rows:,} → {done['rows']:,} rows. Notebook: `{done['notebook']}`",
            icon=":material/check:",
        )
        st.dataframe(done["preview"], key="own-cleaned-preview")
        left, right = st.columns(2)
        notebook = Path(done["notebook"])
        left.download_button("Download the notebook", notebook.read_bytes(), file_name=notebook.name,
                             key="own-notebook-download", icon=":material/download:")  # fmt: skip
        if right.button("Open in JupyterLab", key="own-open-lab", icon=":material/open_in_new:"):
            from sandbox.jupyter import launch_lab

            try:
                with st.spinner("Starting JupyterLab…", show_time=True):
                    url = launch_lab(learner.home, notebook)
            except SandboxError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.link_button("Go to the notebook", url, icon=":material/open_in_new:")


def dashboard_tab(learner: Any, state: dict[str, Any]) -> None:
    from sandbox.owndata import dashboard

    found, table = state["profile"], state["table"]
    specs = dashboard.choose_charts(found)
    if not specs:
        st.info("No column suits a chart.")
        return
    cache = st.session_state.setdefault("own-sample", {})
    if state["key"] not in cache:
        cache.clear()
        cache[state["key"]] = dashboard.sample_frame(table, found)
    frame = cache[state["key"]]
    for index, spec in enumerate(specs):
        st.vega_lite_chart(
            spec=dashboard.build_chart(spec, frame, found),
            key=f"own-chart-{index}-{spec.kind}",
            alt=spec.title,
        )


def baseline_tab(learner: Any, state: dict[str, Any]) -> None:
    from sandbox.owndata.baseline import detect_task, train_baseline

    found, table = state["profile"], state["table"]
    names = [c.name for c in found.columns]
    target = st.selectbox(
        "Column to predict", names, index=None, placeholder="Pick a target…", key="own-target"
    )
    if target is None:
        st.caption("The lab detects classification or regression, cross-validates two models against a dummy, "
                   "logs both to your MLflow store and explains the better one with SHAP.")  # fmt: skip
        return
    try:
        task = detect_task(found, target)
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.caption(f"Task: **{task}**")
    if st.button(
        "Train baselines", type="primary", key="own-train", icon=":material/model_training:"
    ):
        bar, update = progress_bar("Training…")
        try:
            trained = train_baseline(table, found, target, learner.home, on_progress=update)
        except SandboxError as exc:
            bar.empty()
            st.error(str(exc), icon=":material/error:")
            return
        bar.empty()
        record(
            learner,
            "baseline",
            found.name,
            {"target": target, "task": trained.task, "run_ids": trained.run_ids},
        )
        st.session_state["own-baseline"] = trained
    result: Any = st.session_state.get("own-baseline")
    if result is None or result.target != target or result.dataset != found.name:
        return
    st.dataframe(
        [
            {
                "model": "dummy",
                result.metric: result.dummy.score,
                "±": result.dummy.spread,
                "MLflow run": "",
            }
        ]
        + [
            {"model": m.name, result.metric: m.score, "±": m.spread, "MLflow run": m.run_id}
            for m in result.models
        ],
        hide_index=True,
        key="own-scores",
    )
    st.caption(f"{result.rows:,} rows, cross-validated; logged to the MLflow experiment `{result.experiment}`. "
               f"Dropped: {', '.join(f'`{c}` ({why})' for c, why in result.dropped.items()) or 'nothing'}.")  # fmt: skip
    for feature, score in result.leaks:
        st.warning(f"`{feature}` alone scores {score:.3f} ({result.metric}): it probably leaks the target. "
                   "Drop it unless it is known before the outcome.", icon=":material/warning:")  # fmt: skip
    st.markdown(f"**SHAP importance of {result.best}** (mean |SHAP value|)")
    top = list(result.importances[:15])
    st.vega_lite_chart(
        spec=charts.ranked_bars(top, "feature", "mean |SHAP value|"),
        key="own-shap",
        alt=f"SHAP importance of {result.best}",
    )


st.title("Your data")
st.caption(
    "Bring a table of your own (CSV, TSV, JSON, NDJSON, Parquet or Excel): profile it, get a schema, a cleaning "
    "notebook, a dashboard and a baseline model. Nothing leaves this machine."
)
learner = components.open_learner()
folder = lab.my_data_dir(learner.home)
st.file_uploader(
    "Upload tables",
    type=[s.lstrip(".") for s in FORMATS],
    accept_multiple_files=True,
    key=UPLOAD_KEY,
    help=f"Kept in {folder}. Larger files (up to {LIMITS.max_file_bytes / 1e9:.1f} GB): copy them into that folder.",
)
if st.session_state.get(UPLOAD_KEY):
    save_uploads(learner.home)
files = lab.list_files(learner.home)
if not files:
    st.info(
        f"Upload a table above, or copy files into `{folder}`; they stay on this machine.",
        icon=":material/upload_file:",
    )
    st.stop()
by_name = {p.name: p for p in files}
if st.session_state.get(FILE_KEY) not in by_name:
    st.session_state[FILE_KEY] = files[0].name
chosen_col, others_col = st.columns([2, 3])
chosen = by_name[chosen_col.selectbox("Table", list(by_name), key=FILE_KEY)]
others = others_col.multiselect(
    "Relate to (candidate foreign keys)", [n for n in by_name if n != chosen.name], key="own-others"
)
if st.button("Profile", type="primary", key="own-profile", icon=":material/query_stats:"):
    for key in ("own-validation", "own-cleaned", "own-baseline"):
        st.session_state.pop(key, None)
    run_profile(learner, chosen, [by_name[n] for n in others])
state = current()
if state is None or state["key"] != file_key(chosen):
    st.caption(f"Press **Profile** to read `{chosen.name}`.")
    st.stop()
if "error" in state:
    st.error(state["error"], icon=":material/error:")
    st.stop()
show_profile(state)
# A radio, not st.tabs: it keeps the chosen section across reruns (a widget changing inside
# a tab would otherwise send the learner back to the first tab), and only that section runs.
SECTIONS = {
    "Schema": schema_tab,
    "Cleaning": cleaning_tab,
    "Dashboard": dashboard_tab,
    "Baseline model": baseline_tab,
}
section = st.radio(
    "Section", list(SECTIONS), horizontal=True, key=SECTION_KEY, label_visibility="collapsed"
)
st.divider()
SECTIONS[section](learner, state)

"""The "Your data" page with AppTest: upload, profile, schema download, cleaning notebook,
validation, dashboard, baseline and SHAP. Expected figures come from the core, not the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sandbox import datasets
from sandbox.learner import Learner
from sandbox.owndata import dashboard, lab
from sandbox.owndata import schema as schemas
from sandbox.owndata.cleaning import suggest_steps
from sandbox.owndata.profile import profile
from sandbox.owndata.reading import open_table
from sandbox.progress import ProgressStore

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGE = "sandbox/ui/pages/own_data.py"
MESSY = datasets.path("retail_sales_messy")

pytestmark = pytest.mark.usefixtures("fixture_content")


@pytest.fixture
def fresh_mlflow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    yield
    import sys

    if "mlflow" in sys.modules:
        import mlflow

        mlflow.set_tracking_uri(None)  # type: ignore[arg-type]
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    at.switch_page(PAGE).run()
    return at


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def upload(at: AppTest, path: Path) -> AppTest:
    at.file_uploader(key="own-upload").upload(path.name, path.read_bytes(), "text/csv")
    return at.run()


def actions(home: Path) -> list[tuple[str, Any]]:
    return [
        (e.details["action"], e.details)
        for e in ProgressStore(home).load().events
        if e.kind == "own_data"
    ]


def test_empty_state_says_what_to_do_and_writes_nothing(home: Path) -> None:
    at = open_page()
    clean(at)
    assert at.title[0].value == "Your data"
    assert any("my-data" in i.value for i in at.info)
    assert not home.exists()


LAB_URL = "http://127.0.0.1:8888/lab/tree/own-data/x.ipynb?token=abc"


def test_upload_profile_schema_and_cleaning_notebook(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[tuple[Path, Path]] = []

    def launch_lab(data_home: Path, notebook: Path) -> str:  # JupyterLab itself is not started
        launched.append((data_home, notebook))
        return LAB_URL

    import sandbox.jupyter

    monkeypatch.setattr(sandbox.jupyter, "launch_lab", launch_lab)
    at = upload(open_page(), MESSY)
    clean(at)
    saved = home / "my-data" / MESSY.name
    assert saved.read_bytes() == MESSY.read_bytes()  # kept in the data home, byte for byte
    at.button(key="own-profile").click().run()
    clean(at)
    expected = profile(MESSY)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Quality"] == f"{expected.quality.overall:.1f}"
    assert metrics["Validity"] == f"{expected.quality.validity:.1f}"
    shown = " ".join(m.value for m in at.markdown)
    for issue in expected.warnings:
        assert issue.message in shown
    assert [a for a, _ in actions(home)] == ["profiled"]

    # The schema: offered for download, and saved in the data home.
    out = lab.outputs(home, MESSY.name)
    table = open_table(saved)
    generated = schemas.generate_schema(profile(table), table, suggest_steps(profile(table)))
    assert out.schema_yaml.read_text() == schemas.schema_to_yaml(generated)
    labels = {d.label for d in at.download_button}
    assert {"Download schema (.py)", "Download schema (.yaml)"} <= labels
    assert any("pa.DataFrameSchema(" in c.value for c in at.code)

    # The raw file fails the schema on exactly its planted defects.
    at.button(key="own-validate").click().run()
    assert any(f"{sum(datasets.RETAIL_DEFECT_COUNTS.values()):,} of" in e.value for e in at.error)

    # Cleaning writes a notebook in the workspace; the cleaned table passes the schema.
    at.radio(key="own-section").set_value("Cleaning").run()
    at.button(key="own-apply").click().run()
    clean(at)
    notebook = json.loads(out.notebook.read_text())
    assert out.notebook.parent == home / "workspace" / "own-data"
    assert any("drop_nulls" in "".join(c["source"]) for c in notebook["cells"])
    assert out.cleaned.is_file()
    assert "Download the notebook" in {d.label for d in at.download_button}
    at.button(key="own-open-lab").click().run()
    clean(at)
    assert launched == [(home, out.notebook)]
    assert any(b.proto.url == LAB_URL for b in at.get("link_button"))
    at.radio(key="own-section").set_value("Schema").run()
    at.radio(key="own-validate-which").set_value("The cleaned table").run()
    at.button(key="own-validate").click().run()
    clean(at)
    assert any("pass the schema" in s.value for s in at.success)
    assert [(a, d.get("passed")) for a, d in actions(home)] == [
        ("profiled", None),
        ("validated", False),
        ("validated", True),
    ]
    earned = {b.badge.id for b in Learner.open(home).engine().earned_badges()}
    assert {"lab-profiled", "lab-validated"} <= earned and "lab-baseline" not in earned

    # The dashboard draws the charts the core chooses.
    at.radio(key="own-section").set_value("Dashboard").run()
    clean(at)
    charts = [c.proto.alt for c in at.get("vega_lite_chart")]
    assert charts == [spec.title for spec in dashboard.choose_charts(expected)]
    assert len(charts) == 8
    assert not at.get("plotly_chart"), "no page needs Streamlit's Plotly bundle"


def test_a_hostile_upload_is_an_error_not_a_crash(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin.csv"
    bad.write_bytes("name\nJosé\n".encode("latin-1"))
    at = upload(open_page(), bad)
    at.button(key="own-profile").click().run()
    assert not at.exception
    assert any("not UTF-8" in e.value for e in at.error)
    assert actions(home) == []


@pytest.mark.usefixtures("fresh_mlflow")
def test_baseline_logs_to_mlflow_and_shows_shap(home: Path, tmp_path: Path) -> None:
    from sandbox.integrations import tracking

    at = upload(open_page(), datasets.path("churn"))
    at.button(key="own-profile").click().run()
    at.radio(key="own-section").set_value("Baseline model").run()
    at.selectbox(key="own-target").set_value("churned").run()
    assert any("classification" in c.value for c in at.caption)
    at.button(key="own-train").click().run()
    clean(at)
    assert any(datasets.CHURN_LEAK in w.value and "leaks" in w.value for w in at.warning)
    scores = next(d.value for d in at.dataframe if "model" in d.value.columns)
    assert list(scores["model"]) == ["dummy", "logistic", "gradient-boosting"]
    runs = tracking.find_runs(home, experiment="own-data-churn")
    assert set(scores["MLflow run"][1:]) == {r.run_id for r in runs}
    shap = [c for c in at.get("vega_lite_chart") if c.proto.alt.startswith("SHAP importance")]
    bars = pa.ipc.open_stream(shap[0].proto.data.data).read_all().to_pylist()
    assert [(b["name"], b["score"]) for b in bars] == [
        (name, pytest.approx(score))
        for name, score in at.session_state["own-baseline"].importances[:15]
    ]
    assert bars[0]["name"] == datasets.CHURN_LEAK  # the largest bar, on top
    baselines = [details for action, details in actions(home) if action == "baseline"]
    assert len(baselines) == 1
    details = baselines[0]
    assert details["run_ids"] and set(details["run_ids"]) == {r.run_id for r in runs}
    assert "lab-baseline" in {b.badge.id for b in Learner.open(home).engine().earned_badges()}

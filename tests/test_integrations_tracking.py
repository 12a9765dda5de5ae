"""MLflow tracking against a real sqlite store in the test's data home."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError, tracking


@pytest.fixture(autouse=True)
def _fresh_mlflow_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """MLflow keeps the tracking URI in a module global and in the environment; reset both."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    yield
    if "mlflow" in sys.modules:
        import mlflow

        mlflow.set_tracking_uri(None)  # type: ignore[arg-type]
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory: MLflow's defaults would write mlflow.db and mlruns/ here."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_locations_are_absolute_and_under_the_home(home: Path) -> None:
    assert tracking.tracking_uri() == f"sqlite:///{home}/mlflow.db"
    assert tracking.tracking_uri().startswith("sqlite:////")
    assert tracking.artifact_root() == home / "mlruns"
    other = home.parent / "other"
    assert tracking.tracking_uri(other) == f"sqlite:///{other}/mlflow.db"
    assert not home.exists()  # naming places creates nothing


def test_reading_an_empty_home_returns_empty_results_and_creates_nothing(
    home: Path, elsewhere: Path
) -> None:
    assert tracking.list_experiments() == []
    assert tracking.find_runs(experiment="anything") == []
    frame = tracking.runs_frame()
    assert frame.empty
    assert tuple(frame.columns) == tracking.RUN_COLUMNS
    assert not home.exists()
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow  # over ~20 s: second tier
def test_a_logged_run_and_model_land_in_the_home(home: Path, elsewhere: Path) -> None:
    import mlflow
    import mlflow.sklearn
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    uri = tracking.configure(experiment="first-model")
    assert uri == tracking.tracking_uri(home)
    assert mlflow.get_tracking_uri() == uri
    assert mlflow.get_registry_uri() == uri

    X, y = load_iris(return_X_y=True, as_frame=True)
    model = LogisticRegression(C=0.5, max_iter=500).fit(X, y)
    accuracy = float(model.score(X, y))
    with mlflow.start_run(run_name="logistic") as run:
        mlflow.log_params({"C": 0.5, "model": "logistic"})
        mlflow.log_metric("accuracy", accuracy)
        # Naming the requirements skips MLflow's slow dependency inference (a subprocess).
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])

    # The run is found by every reader, with the experiment's name alongside its id.
    frame = tracking.runs_frame()
    assert list(frame["run_id"]) == [run.info.run_id]
    assert frame.loc[0, "experiment_name"] == "first-model"
    assert frame.loc[0, "metrics.accuracy"] == pytest.approx(accuracy)
    assert frame.loc[0, "params.C"] == "0.5"
    assert tracking.runs_frame(experiment_names=["first-model"]).shape[0] == 1
    assert tracking.runs_frame(experiment_names=["no-such-experiment"]).empty

    # Filters work, and a malformed one is explained rather than dumped.
    hits = tracking.find_runs(experiment="first-model", filter_string="metrics.accuracy > 0.5")
    assert [r.run_id for r in hits] == [run.info.run_id]
    assert hits[0].run_name == "logistic"
    assert hits[0].params == {"C": "0.5", "model": "logistic"}
    assert tracking.find_runs(filter_string="params.model = 'forest'") == []
    assert tracking.runs_frame(filter_string="metrics.accuracy > 1.5").empty
    with pytest.raises(IntegrationError, match="filter"):
        tracking.runs_frame(filter_string="metrics.accuracy >>> 3")

    # Artifacts, including the LoggedModel, are under <home>/mlruns; the model loads back.
    mlruns = home / "mlruns"
    assert hits[0].artifact_uri.startswith(mlruns.as_uri() + "/")
    assert list(mlruns.rglob("MLmodel")), "the model's files should be under <home>/mlruns"
    assert info.model_uri.startswith("models:/")
    reloaded = mlflow.sklearn.load_model(info.model_uri)
    assert (reloaded.predict(X) == model.predict(X)).all()

    # Plain start_run() without naming an experiment still keeps artifacts in the home.
    tracking.configure()
    with mlflow.start_run() as default_run:
        mlflow.log_text("hello", "note.txt")
    assert default_run.info.artifact_uri.startswith((mlruns / "0").as_uri())
    assert (mlruns / "0" / default_run.info.run_id / "artifacts" / "note.txt").is_file()

    experiments = {e.name: e for e in tracking.list_experiments()}
    assert set(experiments) == {"Default", "first-model"}
    assert all(e.artifact_location.startswith(mlruns.as_uri()) for e in experiments.values())

    # Readers point MLflow at the home only for the call: a URI set by the learner survives.
    mine = f"sqlite:///{elsewhere.parent}/mine.db"
    mlflow.set_tracking_uri(mine)
    assert tracking.runs_frame().shape[0] == 2
    assert mlflow.get_tracking_uri() == mine

    # Nothing was written to the current directory.
    assert list(elsewhere.iterdir()) == []


def test_ensure_experiment_is_idempotent_safe_and_explains_deleted_ones(
    home: Path, elsewhere: Path
) -> None:
    import mlflow

    first = tracking.ensure_experiment("../../escape attempt")
    assert tracking.ensure_experiment("../../escape attempt") == first
    (info,) = [e for e in tracking.list_experiments() if e.experiment_id == first]
    assert info.artifact_location == (home / "mlruns" / "escape-attempt").as_uri()
    with pytest.raises(UsageError):
        tracking.ensure_experiment("   ")

    mlflow.MlflowClient(tracking.tracking_uri()).delete_experiment(first)
    with pytest.raises(IntegrationError, match="restore"):
        tracking.ensure_experiment("../../escape attempt")
    assert list(elsewhere.iterdir()) == []


def test_ui_command_serves_the_home_store_on_localhost(home: Path) -> None:
    argv = tracking.ui_command(port=5123)
    assert argv[:4] == [sys.executable, "-m", "mlflow", "ui"]

    def option(name: str) -> str:
        return argv[argv.index(name) + 1]

    assert option("--backend-store-uri") == tracking.tracking_uri(home)
    assert option("--default-artifact-root") == (home / "mlruns").as_uri()
    assert option("--host") == "127.0.0.1"
    assert option("--port") == "5123"
    assert "--no-serve-artifacts" in argv  # no ./mlartifacts in the current directory
    assert tracking.ui_command(host="0.0.0.0")[argv.index("--host") + 1] == "0.0.0.0"
    with pytest.raises(UsageError):
        tracking.ui_command(port=70000)
    assert not home.exists()


def test_importing_the_integrations_loads_no_heavy_library() -> None:
    heavy = ["mlflow", "optuna", "shap", "lime", "sklearn", "yellowbrick", "matplotlib"]
    heavy += ["pandas", "numpy", "plotly"]
    code = (
        "import sys\n"
        "import sandbox.integrations.tracking, sandbox.integrations.tuning\n"
        "import sandbox.integrations.explain, sandbox.integrations.diagnostics\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

"""MLflow 3 tracking in the learner's data home.

Layout inside the data home (DESIGN §2)::

    mlflow.db                  the tracking and model-registry store (sqlite, absolute URI)
    mlruns/0/                  artifacts of MLflow's "Default" experiment
    mlruns/<experiment>/       artifacts of every experiment created through this module

Why not MLflow's defaults: MLflow 3 puts ``mlflow.db`` and ``mlruns/`` in the
*current directory*, so a notebook kernel (running in the workspace), the CLI
(running anywhere) and the dashboard would each see a different store. Every
function here resolves the home with :func:`sandbox.paths.data_home` instead.

Where artifacts go is fixed per experiment when the experiment is created,
and MLflow's client resolves its default artifact root against the current
directory. So the store is created here with ``<home>/mlruns`` as its default
root (which places the Default experiment in ``<home>/mlruns/0``), and new
experiments are created with an explicit location. In a notebook::

    from sandbox.integrations import tracking
    tracking.configure(experiment="first-model")   # not mlflow.set_experiment("first-model")
    with mlflow.start_run():
        ...

``mlflow.set_experiment`` with a *new* name would file that experiment's
artifacts under ``./mlruns`` of the kernel's directory; ``configure`` or
``ensure_experiment`` avoid that.

Reading never creates anything: with no ``mlflow.db`` the readers return
empty results and leave the home untouched.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError
from sandbox.paths import data_home

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd

__all__ = [
    "ARTIFACTS_DIR",
    "DB_NAME",
    "DEFAULT_EXPERIMENT",
    "RUN_COLUMNS",
    "ExperimentInfo",
    "RunRecord",
    "artifact_root",
    "configure",
    "db_path",
    "ensure_experiment",
    "ensure_store",
    "find_runs",
    "list_experiments",
    "runs_frame",
    "tracking_uri",
    "ui_command",
    "ui_env",
]

DB_NAME = "mlflow.db"
ARTIFACTS_DIR = "mlruns"
DEFAULT_EXPERIMENT = "Default"
# The fixed leading columns of mlflow.search_runs, plus the experiment's name (added here because
# ids mean nothing to a learner). An empty result still has them, so tables and filters work.
RUN_COLUMNS = (
    "run_id",
    "experiment_id",
    "experiment_name",
    "status",
    "artifact_uri",
    "start_time",
    "end_time",
)

_quieted = False
# mlflow.search_runs reads the process-wide tracking URI; readers point it at the home for the
# duration of one call and put it back, one at a time.
_URI_LOCK = threading.Lock()


@dataclass(frozen=True)
class ExperimentInfo:
    """One active MLflow experiment in the learner's store."""

    experiment_id: str
    name: str
    artifact_location: str
    created: datetime | None
    last_updated: datetime | None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunRecord:
    """One MLflow run, flattened for code that checks a learner's work."""

    run_id: str
    experiment_id: str
    run_name: str
    status: str
    start_time: datetime | None
    end_time: datetime | None
    artifact_uri: str
    params: Mapping[str, str] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Where things live


def db_path(home: Path | None = None) -> Path:
    """The sqlite file holding runs, experiments and registered models."""
    return data_home(home) / DB_NAME


def tracking_uri(home: Path | None = None) -> str:
    """The absolute ``sqlite:////abs/path/mlflow.db`` URI of the learner's store."""
    # Three slashes then an absolute path: an absolute URI does not depend on the current directory.
    return "sqlite:///" + db_path(home).as_posix()


def artifact_root(home: Path | None = None) -> Path:
    """The folder under which every experiment of this home keeps its artifacts."""
    return data_home(home) / ARTIFACTS_DIR


def _store_exists(home: Path | None) -> bool:
    path = db_path(home)
    # An empty file is what a failed first connection leaves; MLflow would fill it with tables
    # pointing at the current directory, so it counts as "no store yet".
    return path.is_file() and path.stat().st_size > 0


def _import_mlflow() -> ModuleType:
    """Import mlflow and, once per process, turn its INFO chatter down to warnings."""
    global _quieted
    from sandbox.paths import LOCAL_ONLY_ENV

    for key, value in LOCAL_ONLY_ENV.items():  # before mlflow reads its settings
        os.environ.setdefault(key, value)
    import mlflow

    if not _quieted:
        _quieted = True
        # "Creating initial MLflow database tables..." and friends are INFO. Warnings and errors
        # still show; a learner who sets MLFLOW_LOGGING_LEVEL gets exactly what they asked for.
        if not os.environ.get("MLFLOW_LOGGING_LEVEL"):
            logging.getLogger("mlflow").setLevel(logging.WARNING)
        logging.getLogger("alembic").setLevel(logging.WARNING)
    # MLflow's own store mapping trips this SQLAlchemy deprecation once per process; it says
    # nothing a learner can act on. Set on every call (an identical filter is replaced, not
    # added twice): code that restores the warning filters, as pytest does after each test,
    # would otherwise drop it before the mapping is first configured.
    warnings.filterwarnings("ignore", message=r".*``noload`` loader strategy is deprecated")
    return mlflow


# ---------------------------------------------------------------------------------------------
# Writing side: create the store, point MLflow at it


def ensure_store(home: Path | None = None) -> str:
    """Create the home and an empty tracking store if there is none; return the tracking URI.

    The store is created with ``<home>/mlruns`` as its default artifact root,
    so even runs in the Default experiment keep their artifacts in the home.
    """
    _import_mlflow()
    root = data_home(home)
    root.mkdir(parents=True, exist_ok=True)
    uri = tracking_uri(root)
    if not _store_exists(root):
        # The same store class the MLflow server builds; the client's own constructor would take
        # "./mlruns" of the current directory as the Default experiment's artifact location.
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        SqlAlchemyStore(uri, artifact_root(root).as_uri())  # type: ignore[no-untyped-call]
    return uri


def _folder_name(experiment: str) -> str:
    """A safe folder name for an experiment's artifacts (names may hold any character).

    Two names may map to one folder ("my run", "my-run"); that is harmless, because
    every run and every logged model gets its own id-named subfolder.
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", experiment).strip(".-")
    return name or "experiment"


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise UsageError("An MLflow experiment needs a non-empty name, for example 'first-model'.")
    return name.strip()


def ensure_experiment(name: str, home: Path | None = None) -> str:
    """Return the id of experiment ``name``, creating it with artifacts under ``<home>/mlruns``.

    Raises IntegrationError when the experiment exists but was deleted
    (MLflow keeps the name reserved until it is restored or purged).
    """
    name = _check_name(name)
    mlflow = _import_mlflow()
    from mlflow.exceptions import MlflowException

    uri = ensure_store(home)
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        location = artifact_root(home) / _folder_name(name)
        try:
            return str(client.create_experiment(name, artifact_location=location.as_uri()))
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            # Another process (a notebook and the dashboard, say) created it a moment earlier.
            experiment = client.get_experiment_by_name(name)
            if experiment is None:
                raise
    if experiment.lifecycle_stage != "active":
        raise IntegrationError(
            f"The MLflow experiment {name!r} was deleted. Restore it in the MLflow UI or with "
            f"mlflow.MlflowClient().restore_experiment({experiment.experiment_id!r}), "
            "or pick another name."
        )
    return str(experiment.experiment_id)


def configure(home: Path | None = None, experiment: str = DEFAULT_EXPERIMENT) -> str:
    """Point MLflow at the learner's store and make ``experiment`` active; return the URI.

    After this, plain ``mlflow.start_run()`` / ``mlflow.log_metric(...)`` in a
    notebook land in ``<home>/mlflow.db`` with artifacts under
    ``<home>/mlruns``. Both the tracking and the registry URI are set, and
    MLflow exports the tracking URI to subprocesses it starts.
    """
    mlflow = _import_mlflow()
    uri = ensure_store(home)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    # Always set the active experiment: one left over from another home would not exist here.
    mlflow.set_experiment(experiment_id=ensure_experiment(experiment, home))
    return uri


# ---------------------------------------------------------------------------------------------
# Reading side: never creates a store


def _from_millis(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, tz=UTC) if value else None


def _active_experiments(client: Any) -> list[Any]:
    from mlflow.entities import ViewType

    experiments: list[Any] = []
    token = None
    while True:
        page = client.search_experiments(
            view_type=ViewType.ACTIVE_ONLY, max_results=1000, page_token=token
        )
        experiments.extend(page)
        token = page.token
        if not token:
            return experiments


def list_experiments(home: Path | None = None) -> list[ExperimentInfo]:
    """Active experiments in the learner's store, oldest first; ``[]`` when there is no store."""
    if not _store_exists(home):
        return []
    mlflow = _import_mlflow()
    client = mlflow.MlflowClient(tracking_uri=tracking_uri(home))
    infos = [
        ExperimentInfo(
            experiment_id=str(exp.experiment_id),
            name=exp.name,
            artifact_location=exp.artifact_location,
            created=_from_millis(exp.creation_time),
            last_updated=_from_millis(exp.last_update_time),
            tags=dict(exp.tags),
        )
        for exp in _active_experiments(client)
    ]
    return sorted(infos, key=lambda info: info.created or datetime.min.replace(tzinfo=UTC))


def _empty_runs_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({column: pd.Series(dtype="object") for column in RUN_COLUMNS})


@contextmanager
def _pointed_at(uri: str) -> Iterator[None]:
    """Temporarily make ``uri`` MLflow's process-wide tracking URI, then restore the old one."""
    mlflow = _import_mlflow()
    with _URI_LOCK:
        # set_tracking_uri mirrors its value into MLFLOW_TRACKING_URI, so the variable is the
        # record of what was set before (None means "MLflow's default").
        previous = os.environ.get("MLFLOW_TRACKING_URI")
        mlflow.set_tracking_uri(uri)
        try:
            yield
        finally:
            mlflow.set_tracking_uri(previous)


def _filter_error(filter_string: str, exc: Exception) -> IntegrationError:
    message = getattr(exc, "message", str(exc))
    return IntegrationError(
        f"MLflow could not search runs with the filter {filter_string!r}: {message}. "
        "Filters look like \"metrics.accuracy > 0.9 and params.model = 'forest'\"."
    )


def runs_frame(
    home: Path | None = None,
    experiment_names: Sequence[str] | None = None,
    filter_string: str = "",
    order_by: Sequence[str] | None = None,
    max_results: int = 1000,
) -> pd.DataFrame:
    """All runs of the given experiments (default: every active one) as a DataFrame.

    The frame is ``mlflow.search_runs``'s (``params.*``, ``metrics.*``,
    ``tags.*`` columns) with an ``experiment_name`` column added. It is empty
    but keeps :data:`RUN_COLUMNS` when there is no store, no such experiment
    or no run. Unknown experiment names are skipped rather than raising,
    because "no runs yet" is the normal state of a new learner.
    """
    if not _store_exists(home):
        return _empty_runs_frame()
    mlflow = _import_mlflow()
    from mlflow.exceptions import MlflowException

    uri = tracking_uri(home)
    experiments = _active_experiments(mlflow.MlflowClient(tracking_uri=uri))
    if experiment_names is not None:
        wanted = set(experiment_names)
        experiments = [exp for exp in experiments if exp.name in wanted]
    if not experiments:
        return _empty_runs_frame()
    names = {str(exp.experiment_id): exp.name for exp in experiments}
    try:
        with _pointed_at(uri):
            frame = mlflow.search_runs(
                experiment_ids=list(names),
                filter_string=filter_string,
                order_by=list(order_by) if order_by else None,
                max_results=max_results,
                output_format="pandas",
            )
    except MlflowException as exc:
        raise _filter_error(filter_string, exc) from exc
    if frame.empty:
        return _empty_runs_frame()
    frame.insert(2, "experiment_name", frame["experiment_id"].astype(str).map(names))
    return frame


def find_runs(
    home: Path | None = None,
    experiment: str | None = None,
    filter_string: str = "",
    order_by: Sequence[str] | None = None,
    max_results: int = 100,
) -> list[RunRecord]:
    """Runs matching ``filter_string`` in one experiment (or all), newest first by default.

    Meant for code that checks a learner's work, e.g.
    ``find_runs(experiment="first-model", filter_string="metrics.accuracy > 0.9")``.
    Returns ``[]`` when there is no store or no such experiment.
    """
    if not _store_exists(home):
        return []
    mlflow = _import_mlflow()
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient(tracking_uri=tracking_uri(home))
    experiments = _active_experiments(client)
    if experiment is not None:
        experiments = [exp for exp in experiments if exp.name == experiment]
    if not experiments:
        return []
    try:
        runs = client.search_runs(
            experiment_ids=[str(exp.experiment_id) for exp in experiments],
            filter_string=filter_string,
            order_by=list(order_by) if order_by else None,
            max_results=max_results,
        )
    except MlflowException as exc:
        raise _filter_error(filter_string, exc) from exc
    return [
        RunRecord(
            run_id=run.info.run_id,
            experiment_id=str(run.info.experiment_id),
            run_name=run.info.run_name or "",
            status=run.info.status,
            start_time=_from_millis(run.info.start_time),
            end_time=_from_millis(run.info.end_time),
            artifact_uri=run.info.artifact_uri or "",
            params=dict(run.data.params),
            metrics=dict(run.data.metrics),
            tags=dict(run.data.tags),
        )
        for run in runs
    ]


def ui_env(home: Path | None = None) -> dict[str, str]:
    """The environment of the MLflow UI: the data home's, without the server's job runner.

    The job runner serves GenAI evaluation jobs that a learner's runs never use; it adds
    seven worker processes, doubles the start-up time on a laptop and slows every stop.
    """
    from sandbox.paths import data_home, local_env

    env = local_env(data_home(home))
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    return env


def ui_command(home: Path | None = None, port: int = 5000, host: str = "127.0.0.1") -> list[str]:
    """The argv that starts the MLflow UI on the learner's store and artifact folder.

    It binds to 127.0.0.1 unless another host is asked for (DESIGN §7), runs
    one worker (a laptop, one learner), and reads artifacts straight from
    ``<home>/mlruns`` instead of proxying them through ``./mlartifacts``.
    Call :func:`ensure_store` first so the home folder exists.
    """
    if not 1 <= int(port) <= 65535:
        raise UsageError(f"Port {port} is not a valid TCP port: use a number from 1 to 65535.")
    uri = tracking_uri(home)
    return [
        sys.executable,
        "-m",
        "mlflow",
        "ui",
        "--backend-store-uri",
        uri,
        "--registry-store-uri",
        uri,
        "--default-artifact-root",
        artifact_root(home).as_uri(),
        "--no-serve-artifacts",
        "--host",
        host,
        "--port",
        str(int(port)),
        "--workers",
        "1",
    ]

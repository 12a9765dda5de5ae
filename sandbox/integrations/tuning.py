"""Optuna 5 studies in the learner's data home (``<home>/optuna.db``).

A notebook creates and optimises a study; the dashboard and the CLI list it,
show its trials and the data of its charts, all through the same sqlite file::

    from sandbox.integrations import tuning
    study = tuning.create_study("forest-depth", direction="maximize", seed=0)
    study.optimize(objective, n_trials=20)

Studies are seeded (``TPESampler(seed=...)``), so running the same notebook
twice gives the same trials. SQLite suits one process optimising at a time;
several parallel workers would hit "database is locked" (Optuna documents
JournalStorage for that case, which a learner's laptop does not need).

Reading never creates anything: with no ``optuna.db`` the listing is empty
and lookups report an unknown study.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sandbox.errors import UsageError
from sandbox.integrations import NotEnoughTrialsError, UnknownStudyError
from sandbox.paths import data_home

if TYPE_CHECKING:
    import optuna
    import pandas as pd

__all__ = [
    "DB_NAME",
    "HistoryPoint",
    "StudyInfo",
    "create_study",
    "db_path",
    "history",
    "list_studies",
    "load_study",
    "param_importances",
    "storage_url",
    "trials_frame",
    "trials_table",
]

DB_NAME = "optuna.db"
# How long a connection waits for another process's write (a notebook optimising while the
# dashboard reads) before sqlite gives up with "database is locked".
_SQLITE_TIMEOUT_S = 30

_quieted = False


@dataclass(frozen=True)
class StudyInfo:
    """What the dashboard and ``sandbox`` show about one study."""

    name: str
    direction: str
    """``"maximize"`` or ``"minimize"``; multi-objective studies list theirs, comma-separated."""
    n_trials: int
    n_complete: int
    best_value: float | None
    """None while no trial has completed, and for multi-objective studies (no single best)."""
    best_params: Mapping[str, Any] = field(default_factory=dict)
    started: datetime | None = None


def db_path(home: Path | None = None) -> Path:
    """The sqlite file holding every study of this home."""
    return data_home(home) / DB_NAME


def storage_url(home: Path | None = None) -> str:
    """The absolute ``sqlite:////abs/path/optuna.db`` URL of the learner's Optuna storage."""
    return "sqlite:///" + db_path(home).as_posix()


def _quiet_optuna() -> None:
    """Once per process, silence Optuna's per-trial INFO lines.

    Done once so that a learner who turns logging back on with
    ``optuna.logging.set_verbosity(optuna.logging.INFO)`` keeps it on.
    """
    global _quieted
    if not _quieted:
        import optuna

        _quieted = True
        optuna.logging.set_verbosity(logging.WARNING)


def _storage(home: Path | None, *, create: bool) -> optuna.storages.RDBStorage:
    import optuna

    _quiet_optuna()
    path = db_path(home)
    if not create and not path.is_file():
        raise UnknownStudyError(
            f"There are no Optuna studies yet ({path} does not exist). "
            "Create one in a notebook with sandbox.integrations.tuning.create_study(...)."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return optuna.storages.RDBStorage(
        storage_url(home), engine_kwargs={"connect_args": {"timeout": _SQLITE_TIMEOUT_S}}
    )


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise UsageError("An Optuna study needs a non-empty name, for example 'forest-depth'.")
    return name.strip()


def create_study(
    name: str,
    direction: Literal["maximize", "minimize"] = "maximize",
    seed: int = 0,
    home: Path | None = None,
    pruner: optuna.pruners.BasePruner | None = None,
) -> optuna.Study:
    """Create (or reopen) study ``name`` in ``<home>/optuna.db`` with a seeded TPE sampler.

    Reopening keeps the trials already stored. Asking for the opposite
    direction of an existing study raises UsageError rather than silently
    optimising the wrong way.
    """
    name = _check_name(name)
    if direction not in ("maximize", "minimize"):
        raise UsageError(f"direction must be 'maximize' or 'minimize', not {direction!r}.")
    import optuna

    _quiet_optuna()
    study = optuna.create_study(
        storage=_storage(home, create=True),
        study_name=name,
        direction=direction,
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=pruner,
        load_if_exists=True,
    )
    stored = [d.name.lower() for d in study.directions]
    if stored != [direction]:
        raise UsageError(
            f"The study {name!r} already exists and is set to {', '.join(stored)}, not {direction}. "
            "Use that direction, or give the new study another name."
        )
    return study


def load_study(name: str, home: Path | None = None) -> optuna.Study:
    """Open an existing study for reading or for more trials; UnknownStudyError if absent."""
    name = _check_name(name)
    import optuna

    _quiet_optuna()
    storage = _storage(home, create=False)
    try:
        return optuna.load_study(study_name=name, storage=storage)
    except KeyError:
        known = optuna.get_all_study_names(storage)
        listing = ", ".join(repr(n) for n in known) if known else "none yet"
        raise UnknownStudyError(
            f"There is no Optuna study called {name!r} (studies: {listing})."
        ) from None


def list_studies(home: Path | None = None) -> list[StudyInfo]:
    """Every study in the learner's storage, oldest first; ``[]`` when there is no optuna.db."""
    if not db_path(home).is_file():
        return []
    import optuna

    _quiet_optuna()
    from optuna.trial import TrialState

    storage = _storage(home, create=False)
    infos = []
    for summary in optuna.get_all_study_summaries(storage, include_best_trial=True):
        directions = [d.name.lower() for d in summary.directions]
        study_id = storage.get_study_id_from_name(summary.study_name)
        complete = storage.get_all_trials(study_id, deepcopy=False, states=(TrialState.COMPLETE,))
        best = summary.best_trial if len(directions) == 1 else None
        infos.append(
            StudyInfo(
                name=summary.study_name,
                direction=", ".join(directions),
                n_trials=summary.n_trials,
                n_complete=len(complete),
                best_value=None if best is None else best.value,
                best_params={} if best is None else dict(best.params),
                started=summary.datetime_start,
            )
        )
    return infos


def trials_frame(name: str, home: Path | None = None) -> pd.DataFrame:
    """The study's trials (number, value, state, timings, ``params_*``) as a DataFrame."""
    return load_study(name, home).trials_dataframe()


_TABLE_HEAD = ("trial", "value", "state", "seconds")


def trials_table(name: str, home: Path | None = None) -> pd.DataFrame:
    """The trials as a learner reads them: trial, value, state, seconds, then one column per
    parameter and user attribute (named without Optuna's prefixes). Optuna's bookkeeping
    (``system_attrs_*``, start and end times) and columns with no value are left out."""
    frame = trials_frame(name, home)
    if "duration" in frame.columns:
        frame["seconds"] = frame["duration"].dt.total_seconds().round(3)
    frame = frame.rename(columns={"number": "trial"})
    renamed: dict[str, str] = {}
    for prefix in ("params_", "user_attrs_"):
        for column in frame.columns:
            short = column.removeprefix(prefix)
            if (
                column.startswith(prefix)
                and short not in _TABLE_HEAD
                and short not in renamed.values()
            ):
                renamed[column] = short
    extra = [c for c in frame.columns if c.startswith(("params_", "user_attrs_"))]
    keep = [c for c in _TABLE_HEAD if c in frame.columns] + extra
    table = frame[keep].rename(columns=renamed)
    return table.dropna(axis="columns", how="all")


def _complete_trials(study: optuna.study.Study) -> list[optuna.trial.FrozenTrial]:
    from optuna.trial import TrialState

    if len(study.directions) > 1:
        raise UsageError(
            f"The study {study.study_name!r} has several objectives; these charts show "
            "single-objective studies only."
        )
    return list(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


@dataclass(frozen=True)
class HistoryPoint:
    """One completed trial of a single-objective study, as the optimisation history shows it."""

    trial: int
    value: float
    best: float
    """The best value of this trial and every completed trial before it."""


def history(name: str, home: Path | None = None) -> list[HistoryPoint]:
    """Each completed trial's value and the best value so far, in trial order.

    NotEnoughTrialsError while no trial has completed.
    """
    import optuna

    _quiet_optuna()
    study = load_study(name, home)
    trials = [t for t in _complete_trials(study) if t.value is not None]
    if not trials:
        raise NotEnoughTrialsError(
            f"The study {name!r} has no completed trial yet: run study.optimize(...) first."
        )
    pick = max if study.direction == optuna.study.StudyDirection.MAXIMIZE else min
    points: list[HistoryPoint] = []
    for trial in sorted(trials, key=lambda t: t.number):
        value = float(trial.value)  # type: ignore[arg-type]  # filtered above
        best = value if not points else pick(points[-1].best, value)
        points.append(HistoryPoint(trial.number, value, best))
    return points


def param_importances(name: str, home: Path | None = None) -> dict[str, float]:
    """How much each hyperparameter mattered: Optuna's fANOVA importances (seeded), shares
    that sum to 1, the most important first.

    Needs at least two completed trials that share at least two parameters:
    with fewer there is nothing to compare, and NotEnoughTrialsError says so.
    """
    import optuna

    _quiet_optuna()
    study = load_study(name, home)
    complete = _complete_trials(study)
    # Optuna rates the parameters present in every completed trial (conditional ones drop out).
    shared = set.intersection(*(set(t.params) for t in complete)) if complete else set()
    if len(complete) < 2 or len(shared) < 2:
        raise NotEnoughTrialsError(
            f"Parameter importance needs at least 2 completed trials sharing at least 2 "
            f"parameters; the study {name!r} has {len(complete)} completed trial(s) and "
            f"{len(shared)} shared parameter(s). Run more trials, or tune more than one "
            "parameter."
        )
    evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
    found = optuna.importance.get_param_importances(study, evaluator=evaluator, normalize=True)
    return {param: float(share) for param, share in found.items()}

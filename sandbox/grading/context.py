"""What a custom check receives: :class:`CheckContext`, and the data helpers checks share.

A custom check in a challenge's ``checks.py`` is a function::

    from sandbox.grading import CheckContext, Fail

    def check_model(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
        ...  # raise Fail("message for the learner") when the answer is wrong

It runs in the judge process, which never runs learner code: ``answer`` maps the task's
variables to the learner's exported values (data, see :mod:`sandbox.grading.artifacts`),
``expected`` maps them to the reference's, and ``ctx`` gives everything else — the other
exported variables of both sides, what the challenge's probes measured, the learner's data
home with its MLflow and Optuna stores, and the rows the challenge is built on.

The rows: a ``checks.py`` that declares ``DATA = DataSpec(...)`` gets ``ctx.split()`` (the
train/test split the notebook is asked to make, rebuilt the same way) and ``ctx.holdout()``
(rows the judge keeps for itself). Declaring the split once replaces the helper each check
module used to write by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sandbox.catalogue import Challenge, Task
from sandbox.grading.outcome import Fail

if TYPE_CHECKING:
    from sandbox.grading.artifacts import Artifacts
    from sandbox.grading.records import StudyRecord


@dataclass(frozen=True)
class DataSpec:
    """The rows a challenge's model tasks are built on, as its prompts describe them.

    ``dataset``       the shipped dataset the notebook loads.
    ``target``        the target column.
    ``drop``          columns that are not features (identifier, leaky columns), besides the target.
    ``numeric_only``  keep only the numeric feature columns.
    ``dummies``       one-hot encode text columns with ``pd.get_dummies(..., dtype=int)``.
    ``holdout``       ``(column, every)``: rows whose ``column`` is a multiple of ``every`` are
                      kept by the judge and removed from the learner's rows before the split.
    ``test_size``, ``stratify``, ``random_state``: the ``train_test_split`` the prompt asks for.
    """

    dataset: str
    target: str
    drop: tuple[str, ...] = ()
    numeric_only: bool = False
    dummies: bool = False
    holdout: tuple[str, int] | None = None
    test_size: float = 0.25
    stratify: bool = True
    random_state: int = 42
    prepare: Callable[[Any], Any] | None = field(default=None, compare=False)


class Split(NamedTuple):
    X_train: Any
    X_test: Any
    y_train: Any
    y_test: Any


def _features(spec: DataSpec, frame: Any) -> tuple[Any, Any]:
    import pandas as pd

    if spec.prepare is not None:
        frame = spec.prepare(frame)
    X = frame.drop(columns=[spec.target, *[c for c in spec.drop if c in frame.columns]])
    if spec.numeric_only:
        X = X.select_dtypes("number")
    if spec.dummies:
        X = pd.get_dummies(X, dtype=int)
    return X, frame[spec.target]


def _rows(spec: DataSpec, kept: bool) -> Any:
    from sandbox import datasets

    frame = datasets.load(spec.dataset)
    if spec.holdout is None:
        return frame
    column, every = spec.holdout
    mask = frame[column] % every == 0
    return frame[mask if kept else ~mask]


@dataclass(frozen=True)
class CheckContext:
    """Everything a custom check may look at besides the task's own values."""

    challenge: Challenge
    task: Task
    home: Path
    artifacts: Artifacts
    expected_artifacts: Artifacts
    data: DataSpec | None = None
    earlier: Mapping[str, bool] = field(default_factory=dict)

    # -- the two sides ----------------------------------------------------------------------

    def answer(self, name: str, default: Any = None) -> Any:
        """Another variable the learner's notebook exported (e.g. one of an earlier task)."""
        return self.artifacts.get(name, default)

    def reference(self, name: str, default: Any = None) -> Any:
        """A variable of the reference solution."""
        return self.expected_artifacts.get(name, default)

    @property
    def reference_namespace(self) -> Mapping[str, Any]:
        return {name: self.expected_artifacts.get(name) for name in self.expected_artifacts.names}

    def probe(self, name: str) -> Any:
        """What the challenge's ``probe_<name>`` measured on the learner's ``name``."""
        return self.artifacts.probe(name)

    def reference_probe(self, name: str) -> Any:
        return self.expected_artifacts.probe(name)

    def passed_earlier(self, task_id: str) -> bool | None:
        """Whether an earlier task passed in this same judgement (None when not judged)."""
        return self.earlier.get(task_id)

    # -- rows --------------------------------------------------------------------------------

    def _spec(self) -> DataSpec:
        if self.data is None:
            raise RuntimeError(f"{self.challenge.checks_file} declares no DATA = DataSpec(...).")
        return self.data

    def learner_rows(self) -> tuple[Any, Any]:
        """Features and target of the rows the notebook works with (held-out rows removed)."""
        return _features(self._spec(), _rows(self._spec(), kept=False))

    def split(self) -> Split:
        """The train/test split the prompt asks for, rebuilt from the learner's rows."""
        from sklearn.model_selection import train_test_split

        spec = self._spec()
        X, y = self.learner_rows()
        parts = train_test_split(
            X,
            y,
            test_size=spec.test_size,
            stratify=y if spec.stratify else None,
            random_state=spec.random_state,
        )
        return Split(*parts)

    def holdout(self) -> tuple[Any, Any]:
        """Features and target of the rows the judge keeps for itself."""
        spec = self._spec()
        if spec.holdout is None:
            raise RuntimeError(f"DATA in {self.challenge.checks_file} declares no holdout.")
        return _features(spec, _rows(spec, kept=True))

    # -- the learner's stores ----------------------------------------------------------------

    def tracking_client(self) -> Any:
        """An MlflowClient on the learner's tracking store; Fail when there is none."""
        from sandbox.integrations import tracking

        if not tracking.db_path(self.home).is_file():
            raise Fail(
                "There is no MLflow store in your data home yet: call `tracking.configure(...)` "
                "and log a run with `mlflow.start_run()`."
            )
        import mlflow

        uri = tracking.tracking_uri(self.home)
        return mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)

    def load_logged_model(self, model: Any, name: str = "the logged model") -> Any:
        """A scikit-learn model logged to the learner's MLflow store, loaded without pickle.

        ``model`` is a LoggedModel id (``m-…``), a ``models:/m-…`` URI or a LoggedModel.
        Only models saved in the skops format load, with the judge's trusted types.
        """
        from sandbox.grading.models import load_logged_model

        return load_logged_model(self, model, name)

    def stored_study(self, study_name: str) -> StudyRecord | None:
        """The Optuna study of that name in the learner's ``optuna.db`` as a StudyRecord, or None."""
        from sandbox.grading.models import stored_study

        return stored_study(self.home, study_name)

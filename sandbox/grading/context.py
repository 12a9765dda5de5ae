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

Held-out rows come in two kinds. ``DataSpec(unseen_rows=N)`` (the rule for new challenges):
the judge draws N fresh rows from the dataset's seeded generator, with a seed it picks at
random once per judge process, so the rows exist nowhere a notebook can load them.
``DataSpec(holdout=(column, every))`` (older challenges): rows of the shipped file the judge
sets aside; a notebook can load them with ``datasets.load``, so they prove less. With both,
``ctx.holdout()`` returns the unseen rows and ``holdout`` only removes its rows from the
learner's.

Provenance: ``ctx.require_fitted_on(name, model)`` refits a copy of the learner's model on
the rows the prompt prescribes (by default the training rows of ``ctx.split()``) and proves
the learner's model is that fit, naming the rows it looks fitted on otherwise
(:mod:`sandbox.grading.provenance`).
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sandbox.catalogue import Challenge, Task
from sandbox.errors import SandboxError
from sandbox.grading.outcome import Fail

if TYPE_CHECKING:
    from sandbox.grading.artifacts import Artifacts
    from sandbox.grading.provenance import Rows
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
                      A notebook can still load them: new challenges use ``unseen_rows``.
    ``unseen_rows``   how many rows the judge draws from the dataset's generator, with a seed
                      of its own process, for ``ctx.holdout()`` (0: none). Only datasets with a
                      generator that draws unseen rows (``sandbox.datasets.unseen_rows``).
    ``test_size``, ``stratify``, ``random_state``: the ``train_test_split`` the prompt asks for.
    """

    dataset: str
    target: str
    drop: tuple[str, ...] = ()
    numeric_only: bool = False
    dummies: bool = False
    holdout: tuple[str, int] | None = None
    unseen_rows: int = 0
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


#: Words every knock-on message holds, so a nested ``builds_on`` does not repeat it.
KNOCK_ON_MARK = "which failed"

#: The seed of this process's unseen rows: drawn once, never written anywhere. A learner's
#: kernel that imports this module draws its own, unrelated seed.
_PROCESS_SEED = secrets.randbits(63)


@functools.lru_cache(maxsize=4)
def _unseen(dataset: str, seed: int, n: int) -> Any:
    from sandbox import datasets

    return datasets.unseen_rows(dataset, seed, n)


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
    #: The seed of the unseen held-out rows; None: this process's own random seed.
    unseen_seed: int | None = None

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

    @contextlib.contextmanager
    def builds_on(self, *task_ids: str) -> Iterator[None]:
        """Checks inside use the answers of earlier tasks: when one of them failed, a failure
        here names that task as the first thing to fix (and an error becomes that failure).

        ``with ctx.builds_on("q2", "q3"): ...``
        """
        try:
            yield
        except Exception as exc:
            if isinstance(exc, SandboxError):  # a problem of the challenge, not of the answer
                raise
            failed = [t for t in task_ids if self.passed_earlier(t) is False]
            if not failed or (isinstance(exc, Fail) and KNOCK_ON_MARK in str(exc)):
                raise
            first = failed[0]
            number = first[1:] if first[1:].isdigit() else first
            cause = str(exc) if isinstance(exc, Fail) else "this task cannot be checked"
            raise Fail(
                f"This task builds on task {number}, which failed: fix task {number} first. "
                f"(Here: {cause})"
            ) from None

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
        """Features and target of the rows the judge keeps for itself.

        With ``unseen_rows``: rows drawn from the dataset's generator with this judge process's
        own seed (out of the notebook's reach). Otherwise the shipped rows ``holdout`` sets aside.
        """
        spec = self._spec()
        if spec.unseen_rows:
            X, y = _features(spec, self.unseen_rows())
            if spec.dummies:  # a category missing from the drawn rows is a column of zeros
                X = X.reindex(columns=self.learner_rows()[0].columns, fill_value=0)
            return X, y
        if spec.holdout is None:
            raise RuntimeError(f"DATA in {self.challenge.checks_file} declares no holdout.")
        return _features(spec, _rows(spec, kept=True))

    def unseen_rows(self, n: int | None = None, dataset: str | None = None) -> Any:
        """Rows drawn by the dataset's generator with this judge process's own seed, as
        ``datasets.load`` gives them (before ``DATA``'s features): ``n`` rows (default
        ``DATA.unseen_rows``) of ``dataset`` (default ``DATA.dataset``). The same arguments
        give the same rows for the life of the judge process; no notebook can load them."""
        spec = self.data
        dataset = dataset or (spec.dataset if spec is not None else None)
        n = n or (spec.unseen_rows if spec is not None else 0)
        if not dataset or not n:
            raise RuntimeError(
                f"{self.challenge.checks_file}: say how many unseen rows of which dataset "
                "(DataSpec(unseen_rows=...) or ctx.unseen_rows(n, dataset))."
            )
        seed = _PROCESS_SEED if self.unseen_seed is None else self.unseen_seed
        return _unseen(dataset, seed, n).copy()

    def has_holdout(self) -> bool:
        """Whether ``DATA`` declares rows the judge keeps (unseen or set aside)."""
        return self.data is not None and bool(self.data.unseen_rows or self.data.holdout)

    # -- provenance --------------------------------------------------------------------------

    def fit_candidates(self) -> tuple[Rows, list[Rows]]:
        """The rows the prompt prescribes for fitting (the training rows of ``split()``), and
        the rows a model fitted otherwise would have seen: all the learner's rows, the test
        rows, and with a ``holdout`` that a notebook can load, the held-out rows and all rows."""
        from sandbox.grading.provenance import Rows

        spec = self._spec()
        X_train, X_test, y_train, y_test = self.split()
        X, y = self.learner_rows()
        prescribed = Rows("`X_train`, `y_train`", X_train, y_train)
        others = [
            Rows(
                f"all {len(X):,} rows, test rows included",
                X,
                y,
                "the test rows must stay unseen until the model is scored",
            ),
            Rows(
                f"the {len(X_test):,} test rows",
                X_test,
                y_test,
                "the test rows are for scoring, never for fitting",
            ),
        ]
        if spec.holdout is not None:
            import pandas as pd

            X_kept, y_kept = _features(spec, _rows(spec, kept=True))
            others.append(
                Rows(
                    f"the {len(X_kept):,} held-out rows the grader keeps",
                    X_kept,
                    y_kept,
                    "those customers are the grader's, for scoring",
                )
            )
            others.append(
                Rows(
                    f"all {len(X) + len(X_kept):,} rows of `{spec.dataset}`, the grader's included",
                    pd.concat([X, X_kept]),
                    pd.concat([y, y_kept]),
                    "fit it on the training rows only",
                )
            )
        return prescribed, others

    def require_estimator(self, name: str, model: Any, expected: Any) -> None:
        """Fail unless ``model`` is the estimator the prompt names (``expected``, an estimator
        or its call as text); a parameter that differs is accepted only when refitting on the
        training rows of ``split()`` shows it changes nothing. See
        :func:`sandbox.grading.provenance.require_estimator`."""
        from sandbox.grading.provenance import require_estimator

        rows = self.fit_candidates()[0] if self.data is not None else None
        require_estimator(name, model, expected, rows=rows)

    def require_fitted_on(
        self,
        name: str,
        model: Any,
        prescribed: Rows | None = None,
        others: Sequence[Rows] | None = None,
        on: Any = None,
    ) -> None:
        """Fail unless ``model`` is what refitting a copy of it on ``prescribed`` gives.

        Defaults come from ``DATA``: the training rows of ``split()``, the candidates of
        :meth:`fit_candidates`, and the held-out rows (or all the learner's rows) to compare
        predictions on. See :func:`sandbox.grading.provenance.require_fitted_on`.
        """
        from sandbox.grading.provenance import require_fitted_on

        if prescribed is None or others is None:
            default_prescribed, default_others = self.fit_candidates()
            prescribed = default_prescribed if prescribed is None else prescribed
            others = default_others if others is None else others
        if on is None:
            on = self.holdout()[0] if self.has_holdout() else self.learner_rows()[0]
        require_fitted_on(name, model, prescribed, others, on)

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

"""The models the Explain page can explain, and the explanations it shows for them.

Two sources:

* **built-in models**, trained on demand on a dataset bundled with
  scikit-learn with a fixed seed: the same model on every machine;
* **models the learner logged to MLflow** (MLflow 3 LoggedModels with the
  sklearn flavour). The page can only explain a logged model on data it
  knows: its signature must name its input columns, and those must be
  columns of one shipped dataset. Other logged models are listed with the
  reason they cannot be offered.

No Streamlit here, and every heavy library (sklearn, shap, lime, mlflow,
pandas) is imported inside the function that needs it, so the page's first
render imports none of them. The page caches what these functions return.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from sandbox import datasets
from sandbox.errors import IntegrationError
from sandbox.integrations import explain, tracking

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

SEED = 0
TREES = 100
TEST_FRACTION = 0.25
# Rows of a logged model's dataset that SHAP explains: model-agnostic explainers cost a model
# call per feature and background row for every row explained, so tens of rows, not thousands.
LOGGED_MODEL_ROWS = 100
LIME_FEATURES = 8


@dataclass(frozen=True)
class BuiltInModel:
    """A model the page trains itself on a dataset bundled with scikit-learn."""

    key: str
    title: str
    dataset: str
    task: Literal["classification", "regression"]


BUILT_IN_MODELS = MappingProxyType(
    {
        "forest-breast-cancer": BuiltInModel(
            "forest-breast-cancer",
            "Random forest classifier on breast_cancer",
            "breast_cancer",
            "classification",
        ),
        "forest-diabetes": BuiltInModel(
            "forest-diabetes", "Random forest regressor on diabetes", "diabetes", "regression"
        ),
    }
)


def built_in_description(spec: BuiltInModel) -> str:
    """How the built-in model is made, for the page (every figure here is a setting)."""
    return (
        f"{TREES} trees, seed {SEED}, trained on {100 - int(TEST_FRACTION * 100)} % of "
        f"`{spec.dataset}` and explained on the held-out {int(TEST_FRACTION * 100)} %. "
        f"{datasets.info(spec.dataset).description}"
    )


@dataclass(frozen=True)
class ModelCase:
    """A fitted model and the data it is explained on."""

    title: str
    model: Any
    reference: pd.DataFrame
    """Rows LIME samples its neighbourhoods from (the training rows, or the whole dataset)."""
    rows: pd.DataFrame
    """The rows SHAP explains; the page's row picker indexes these."""
    actual: pd.Series | None
    rows_note: str
    class_labels: tuple[str, ...]
    """The classifier's classes as readable labels; empty for a regressor."""

    @property
    def is_classifier(self) -> bool:
        return bool(self.class_labels)

    def default_class(self) -> int | None:
        """Binary: the positive class (1); multiclass: the first class; regressor: None."""
        if not self.class_labels:
            return None
        return 1 if len(self.class_labels) == 2 else 0


def _target_labels(dataset: str, classes: Sequence[Any]) -> tuple[str, ...]:
    """Readable class names from scikit-learn's loader (``malignant``…), else the values."""
    import sklearn.datasets

    loader = datasets.info(dataset).loader
    names = getattr(sklearn.datasets, loader)().target_names if loader else None
    labels = []
    for value in classes:
        try:
            labels.append(str(names[int(value)]) if names is not None else str(value))
        except (IndexError, TypeError, ValueError):
            labels.append(str(value))
    return tuple(labels)


def built_in_case(key: str) -> ModelCase:
    """Train the built-in model ``key`` (seeded: the same model every time)."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.model_selection import train_test_split

    spec = BUILT_IN_MODELS[key]
    frame = datasets.load(spec.dataset)
    target = datasets.info(spec.dataset).target or datasets.SKLEARN_TARGET
    X, y = frame.drop(columns=target), frame[target]
    classify = spec.task == "classification"
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y if classify else None
    )
    model: Any
    if classify:
        model = RandomForestClassifier(n_estimators=TREES, random_state=SEED, n_jobs=1)
    else:
        model = RandomForestRegressor(n_estimators=TREES, random_state=SEED, n_jobs=1)
    model.fit(X_train, y_train)
    labels = _target_labels(spec.dataset, model.classes_) if classify else ()
    return ModelCase(
        title=spec.title,
        model=model,
        reference=X_train,
        rows=X_test.reset_index(drop=True),
        actual=y_test.reset_index(drop=True),
        rows_note=f"the {len(X_test)} held-out rows of `{spec.dataset}`",
        class_labels=labels,
    )


# -- models logged to MLflow --------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedModelChoice:
    """A LoggedModel in the learner's MLflow store, and whether the page can explain it."""

    model_id: str
    name: str
    experiment: str
    run_id: str
    path: str
    """The model's local artifact folder ("" when it is not on this machine)."""
    dataset: str
    """The shipped dataset whose columns match the model's inputs ("" when none does)."""
    features: tuple[str, ...]
    reason: str
    """Why the page cannot explain it; "" when it can."""

    @property
    def usable(self) -> bool:
        return not self.reason

    @property
    def label(self) -> str:
        run = f" · run {self.run_id[:8]}" if self.run_id else ""
        return f"{self.name} ({self.model_id[:10]}) · {self.experiment}{run}"


def matching_dataset(features: Sequence[str]) -> str:
    """The shipped clean dataset holding every one of ``features`` as a non-target column.

    With several, the one with the fewest other columns wins. "" when none matches.
    """
    wanted = set(features)
    candidates = []
    for position, name in enumerate(datasets.names()):
        entry = datasets.info(name)
        if entry.is_messy:
            continue
        available = set(entry.columns) - {entry.target or ""}
        if wanted <= available:
            candidates.append((len(available - wanted), position, name))
    return min(candidates)[2] if candidates else ""


def _local_path(uri: str) -> Path | None:
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme not in ("file", ""):
        return None
    return Path(urllib.request.url2pathname(parsed.path))


def _choice(model: Any, experiment: str) -> LoggedModelChoice:
    """Read one LoggedModel's MLmodel file and decide whether the page can explain it."""
    from mlflow.models import Model

    base = {
        "model_id": str(model.model_id),
        "name": str(model.name),
        "experiment": experiment,
        "run_id": str(model.source_run_id or ""),
    }
    path = _local_path(str(model.artifact_location))
    if path is None or not (path / "MLmodel").is_file():
        return LoggedModelChoice(
            **base,
            path="",
            dataset="",
            features=(),
            reason="its files are not in this data home.",
        )
    status = str(getattr(model.status, "name", model.status))
    if status not in ("READY", "LoggedModelStatus.READY"):
        reason = f"it was not logged completely (status {status})."
        return LoggedModelChoice(**base, path="", dataset="", features=(), reason=reason)
    meta = Model.load(str(path))
    if "sklearn" not in meta.flavors:
        flavors = ", ".join(sorted(f for f in meta.flavors if f != "python_function"))
        reason = f"it is not a scikit-learn model ({flavors or 'no flavour'})."
        return LoggedModelChoice(**base, path="", dataset="", features=(), reason=reason)
    signature = meta.signature
    if signature is None or not signature.inputs.has_input_names():
        reason = (
            "it was logged without named inputs, so the page cannot know which data it "
            "expects. Log it with input_example=X_train.head() to record its columns."
        )
        return LoggedModelChoice(**base, path="", dataset="", features=(), reason=reason)
    features = tuple(str(name) for name in signature.inputs.input_names())
    dataset = matching_dataset(features)
    if not dataset:
        shown = ", ".join(features[:4]) + (", …" if len(features) > 4 else "")
        reason = f"its inputs ({shown}) are not columns of one shipped dataset."
        return LoggedModelChoice(**base, path="", dataset="", features=features, reason=reason)
    return LoggedModelChoice(**base, path=str(path), dataset=dataset, features=features, reason="")


def logged_models(home: Path) -> list[LoggedModelChoice]:
    """Every LoggedModel of the learner's MLflow store, newest first; [] without a store."""
    experiments = {e.experiment_id: e.name for e in tracking.list_experiments(home)}
    if not experiments:
        return []
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking.tracking_uri(home))
    found: list[Any] = []
    token = None
    while True:
        page = client.search_logged_models(
            experiment_ids=list(experiments), max_results=100, page_token=token
        )
        found.extend(page)
        token = page.token
        if not token:
            break
    found.sort(key=lambda m: m.creation_timestamp or 0, reverse=True)
    return [_choice(model, experiments.get(str(model.experiment_id), "")) for model in found]


def logged_case(path: str, dataset: str, features: Sequence[str], title: str) -> ModelCase:
    """Load a logged scikit-learn model and the shipped data its inputs match."""
    import mlflow.sklearn
    from mlflow.exceptions import MlflowException

    try:
        model = mlflow.sklearn.load_model(path)
    except (MlflowException, OSError, ValueError) as exc:
        raise IntegrationError(f"MLflow could not load the model at {path}: {exc}") from exc
    frame = datasets.load(dataset)
    X = frame[list(features)]
    rows = X.sample(n=min(LOGGED_MODEL_ROWS, len(X)), random_state=SEED).sort_index()
    target = datasets.info(dataset).target
    actual = frame.loc[rows.index, target].reset_index(drop=True) if target else None
    classes = getattr(model, "classes_", None)
    is_classifier = classes is not None and hasattr(model, "predict_proba")
    labels = _target_labels(dataset, list(classes)) if classes is not None and is_classifier else ()
    return ModelCase(
        title=title,
        model=model,
        reference=X,
        rows=rows.reset_index(drop=True),
        actual=actual,
        rows_note=f"{len(rows)} rows sampled from `{dataset}` (seed {SEED})",
        class_labels=labels,
    )


# -- explanations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlobalExplanation:
    """SHAP values of every explained row, and their beeswarm."""

    shap: Any
    beeswarm: Figure


@dataclass(frozen=True)
class LocalExplanation:
    """One row seen by SHAP (waterfall) and by LIME, and where the two agree."""

    row: int
    prediction: str
    waterfall: Figure
    lime: tuple[tuple[str, float], ...]
    agreement: tuple[explain.FeatureAgreement, ...]


def explain_globally(case: ModelCase, class_index: int | None) -> GlobalExplanation:
    values = explain.shap_explanation(
        case.model, case.rows, background=case.reference, class_index=class_index
    )
    return GlobalExplanation(values, explain.beeswarm_figure(values))


def _prediction(case: ModelCase, row: int, class_index: int | None) -> str:
    """What the model predicts for the row, and the row's actual target."""
    one = case.rows.iloc[[row]]
    actual = None if case.actual is None else case.actual.iloc[row]
    if case.is_classifier and class_index is not None:
        probability = float(case.model.predict_proba(one)[0][class_index])
        text = f"P({case.class_labels[class_index]}) = {probability:.3f}"
        if actual is not None:
            by_value = dict(
                zip((str(c) for c in case.model.classes_), case.class_labels, strict=True)
            )
            text += f"; actual class: {by_value.get(str(actual), str(actual))}"
        return text
    text = f"prediction {float(case.model.predict(one)[0]):.4g}"
    return text if actual is None else f"{text}; actual: {float(actual):.4g}"


def explain_row(
    case: ModelCase, overall: GlobalExplanation, row: int, class_index: int | None
) -> LocalExplanation:
    """SHAP's waterfall and LIME's weights for ``row`` of ``case.rows``, side by side."""
    waterfall = explain.waterfall_figure(overall.shap, row=row)
    weights = explain.lime_explanation(
        case.model,
        case.reference,
        case.rows.iloc[row],
        num_features=min(LIME_FEATURES, case.rows.shape[1]),
        random_state=SEED,
        class_index=class_index if case.is_classifier else None,
    )
    agreement = explain.compare_local(overall.shap[row], weights)
    return LocalExplanation(
        row=row,
        prediction=_prediction(case, row, class_index),
        waterfall=waterfall,
        lime=tuple(weights),
        agreement=tuple(agreement),
    )

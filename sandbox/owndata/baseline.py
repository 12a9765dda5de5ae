"""A baseline model of the learner's own table: honest scores, logged to MLflow, explained.

:func:`train_baseline` takes a profiled table and a target column and:

1. **detects the task**: classification for a boolean, categorical or text target, or a
   whole-number target with at most :data:`MAX_CLASSES` values; regression otherwise;
2. **chooses the features**: every column but the target, except identifiers, free text,
   e-mails/URLs/phones, dates, constant columns and categoricals with more than 50 values
   (each dropped column is listed with its reason);
3. **builds two scikit-learn pipelines** (median imputer + scaling for numbers,
   most-frequent imputer + one-hot encoder for categories): a simple model (logistic
   regression or ridge) and gradient boosting (``HistGradientBoosting*``);
4. **cross-validates** both and a dummy (most frequent class or mean) with 5 folds
   (stratified for classification), on at most :data:`MAX_ROWS` rows. The metric is
   ROC AUC (binary), macro F1 (multiclass) or R²;
5. **warns about target leakage**: a feature that alone, in a depth-3 tree that also
   sees whether it is missing, scores :data:`LEAK_SCORE` or more;
6. **logs both models** to the learner's MLflow store (experiment ``own-data-<name>``),
   with their scores, parameters and the fitted pipeline;
7. **explains the better one** with SHAP: mean absolute SHAP value per original column
   (one-hot columns are added back together).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import OwnDataError
from sandbox.owndata.profile import NUMERIC_KINDS, Profile, typed_scan
from sandbox.owndata.reading import Table, friendly_errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BaselineResult", "ModelScore", "detect_task", "plan_features", "train_baseline"]

MAX_CLASSES = 10
MAX_ROWS = 20_000
LEAK_ROWS = 5_000
LEAK_SCORE = 0.98
FOLDS = 5
SHAP_ROWS = 300
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ModelScore:
    """A model's cross-validated score (mean and spread over the folds) and its MLflow run."""

    name: str
    score: float
    spread: float
    run_id: str | None = None
    extra: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class BaselineResult:
    """What :func:`train_baseline` found."""

    dataset: str
    target: str
    task: str  # classification | regression
    metric: str
    rows: int
    features: tuple[str, ...]
    dropped: Mapping[str, str]  # column → why it is not a feature
    dummy: ModelScore
    models: tuple[ModelScore, ...]
    best: str
    importances: tuple[tuple[str, float], ...]  # largest first
    leaks: tuple[tuple[str, float], ...]  # (feature, its score alone)
    experiment: str | None
    seconds: float

    @property
    def run_ids(self) -> list[str]:
        return [m.run_id for m in self.models if m.run_id]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["dropped"] = dict(self.dropped)
        data["importances"] = [list(pair) for pair in self.importances]
        data["leaks"] = [list(pair) for pair in self.leaks]
        return data


def detect_task(profile: Profile, target: str) -> str:
    """``classification`` or ``regression`` for ``target`` (see the module docstring)."""
    try:
        column = profile.column(target)
    except KeyError:
        names = ", ".join(c.name for c in profile.columns)
        raise OwnDataError(f"There is no column {target!r} to predict. Columns: {names}.") from None
    if column.distinct < 2:
        raise OwnDataError(
            f"`{target}` has fewer than two distinct values: there is nothing to predict."
        )
    if column.kind in (
        "boolean",
        "categorical",
        "text",
        "identifier",
    ) and not column.dtype.startswith(("Int", "Float")):
        if column.distinct > 50:
            raise OwnDataError(
                f"`{target}` has {column.distinct:,} distinct text values: too many classes for a baseline."
            )
        return "classification"
    if column.kind in ("integer", "boolean", "identifier") and column.distinct <= MAX_CLASSES:
        return "classification"
    if column.kind in NUMERIC_KINDS or column.dtype.startswith(("Int", "Float")):
        return "regression"
    raise OwnDataError(
        f"`{target}` holds {column.kind} values: pick a number or a category to predict."
    )


def plan_features(profile: Profile, target: str) -> tuple[list[str], list[str], dict[str, str]]:
    """(numeric features, categorical features, dropped column → reason)."""
    numeric, categorical, dropped = [], [], {}
    for c in profile.columns:
        if c.name == target:
            continue
        if "constant" in c.flags:
            dropped[c.name] = "constant"
        elif c.kind == "identifier":
            dropped[c.name] = "an identifier: it names rows, it does not describe them"
        elif c.kind in ("text", "email", "url", "phone", "empty"):
            dropped[c.name] = f"{c.kind}: needs its own feature engineering"
        elif c.kind in ("date", "datetime"):
            dropped[c.name] = "a date: derive year, month or weekday from it first"
        elif c.kind == "categorical" and "high_cardinality" in c.flags:
            dropped[c.name] = f"{c.distinct:,} categories: group the rare ones first"
        elif c.kind in NUMERIC_KINDS or (c.kind == "boolean" and c.dtype != "String"):
            numeric.append(c.name)
        else:
            categorical.append(c.name)
    if not numeric and not categorical:
        raise OwnDataError(
            "No column is usable as a feature (identifiers, text and dates are left out)."
        )
    return numeric, categorical, dropped


def _preprocessor(numeric: Sequence[str], categorical: Sequence[str], scale: bool) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = make_pipeline(
        SimpleImputer(strategy="median"), *([StandardScaler()] if scale else [])
    )
    categories = make_pipeline(
        SimpleImputer(strategy="most_frequent"),
        OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, sparse_output=False),
    )
    return ColumnTransformer(
        [("num", numbers, list(numeric)), ("cat", categories, list(categorical))]
    )


def _models(task: str, numeric: Sequence[str], categorical: Sequence[str]) -> dict[str, Any]:
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import Pipeline

    if task == "classification":
        simple: Any = LogisticRegression(max_iter=2000)
        boosted: Any = HistGradientBoostingClassifier(random_state=0)
        dummy: Any = DummyClassifier(strategy="most_frequent")
    else:
        simple, boosted, dummy = (
            Ridge(alpha=1.0),
            HistGradientBoostingRegressor(random_state=0),
            DummyRegressor(),
        )
    return {
        "dummy": Pipeline(
            [("prepare", _preprocessor(numeric, categorical, False)), ("model", dummy)]
        ),
        "linear" if task == "regression" else "logistic": Pipeline(
            [("prepare", _preprocessor(numeric, categorical, True)), ("model", simple)]
        ),
        "gradient-boosting": Pipeline(
            [("prepare", _preprocessor(numeric, categorical, False)), ("model", boosted)]
        ),
    }


def _folds(task: str, y: pd.Series, folds: int) -> Any:
    from sklearn.model_selection import KFold, StratifiedKFold

    if task == "classification":
        smallest = int(y.value_counts().min())
        if smallest < 2:
            raise OwnDataError(
                f"A class of the target has {smallest} row: every class needs at least two rows."
            )
        return StratifiedKFold(n_splits=min(folds, smallest), shuffle=True, random_state=0)
    return KFold(n_splits=folds, shuffle=True, random_state=0)


def _leaks(
    task: str,
    metric: str,
    X: pd.DataFrame,
    y: pd.Series,
    numeric: Sequence[str],
    categorical: Sequence[str],
) -> list[tuple[str, float]]:
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    if len(X) > LEAK_ROWS:
        X = X.sample(LEAK_ROWS, random_state=0)
        y = y.loc[X.index]
    tree: Any = (
        DecisionTreeClassifier(max_depth=3, random_state=0)
        if task == "classification"
        else DecisionTreeRegressor(max_depth=3, random_state=0)
    )
    found = []
    for column in [*numeric, *categorical]:
        if column in numeric:
            model = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), tree)
        else:
            model = make_pipeline(
                OrdinalEncoder(
                    handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
                ),
                tree,
            )
        data = X[[column]].astype(float) if column in numeric else X[[column]].astype(object)
        score = float(cross_val_score(model, data, y, cv=_folds(task, y, 3), scoring=metric).mean())
        if score >= LEAK_SCORE:
            found.append((column, round(score, 4)))
    return found


def _importances(
    pipeline: Any, X: pd.DataFrame, numeric: Sequence[str], categorical: Sequence[str]
) -> list[tuple[str, float]]:
    import numpy as np

    from sandbox.integrations.explain import shap_explanation

    rows = X.sample(min(SHAP_ROWS, len(X)), random_state=0)
    prepared = pipeline[:-1].transform(rows)
    names = [str(n) for n in pipeline[:-1].get_feature_names_out()]
    model = pipeline[-1]
    classes = len(getattr(model, "classes_", ()))
    indices: list[int | None] = list(range(classes)) if classes > 2 else [None]
    total = np.zeros(len(names))
    for index in indices:
        explanation = shap_explanation(model, prepared, class_index=index, feature_names=names)
        total += np.abs(np.asarray(explanation.values)).mean(axis=0)
    total /= len(indices)
    by_column: dict[str, float] = {}
    originals = sorted([*numeric, *categorical], key=len, reverse=True)
    for name, value in zip(names, total, strict=True):
        bare = name.split("__", 1)[1] if "__" in name else name
        column = next((c for c in originals if bare == c or bare.startswith(f"{c}_")), bare)
        by_column[column] = by_column.get(column, 0.0) + float(value)
    return sorted(((c, round(v, 6)) for c, v in by_column.items()), key=lambda pair: -pair[1])


def _log_runs(
    home: Path,
    experiment: str,
    fitted: Mapping[str, Any],
    scores: Mapping[str, ModelScore],
    dummy: ModelScore,
    params: Mapping[str, Any],
    metric: str,
    X: pd.DataFrame,
) -> dict[str, str]:
    import os

    import skops.io

    from sandbox.integrations import tracking

    tracking._import_mlflow()  # quiets MLflow's logging, once per process
    import mlflow
    import mlflow.sklearn

    previous = os.environ.get("MLFLOW_TRACKING_URI")
    run_ids: dict[str, str] = {}
    tracking.configure(home, experiment=experiment)
    try:
        for name, pipeline in fitted.items():
            # Our own freshly fitted pipeline: its types (trees, encoders) are vouched for here.
            trusted = skops.io.get_untrusted_types(data=skops.io.dumps(pipeline))
            score = scores[name]
            with mlflow.start_run(run_name=name) as run:
                mlflow.log_params({**params, "model": name})
                mlflow.log_metrics({
                    f"cv_{metric}": score.score, f"cv_{metric}_std": score.spread,
                    f"dummy_{metric}": dummy.score, **{f"cv_{k}": v for k, v in score.extra.items()},
                })  # fmt: skip
                with warnings.catch_warnings():
                    # MLflow's own input-example code trips a pandas deprecation; not ours to fix.
                    warnings.simplefilter("ignore", FutureWarning)
                    warnings.filterwarnings("ignore", message="Operation with range is deprecated")
                    mlflow.sklearn.log_model(
                        pipeline,
                        name="model",
                        input_example=X.head(3),
                        pip_requirements=["scikit-learn"],
                        skops_trusted_types=trusted,
                    )
                run_ids[name] = run.info.run_id
    finally:
        mlflow.set_tracking_uri(previous)  # type: ignore[arg-type]  # None: MLflow's default
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]
    return run_ids


def train_baseline(
    table: Table,
    profile: Profile,
    target: str,
    home: Path | None = None,
    *,
    log_to_mlflow: bool = True,
    on_progress: Progress | None = None,
) -> BaselineResult:
    """Cross-validate baselines for ``target``, log them to MLflow in ``home``, explain the best."""
    import sklearn.ensemble  # noqa: F401  # load its OpenMP runtime first: limits apply to loaded ones
    from threadpoolctl import threadpool_limits

    # One thread: on a few thousand rows OpenMP's thread team costs more than it saves, and on
    # a busy two-core laptop its spinning threads made gradient boosting ten times slower.
    with threadpool_limits(limits=1):
        return _train(table, profile, target, home, log_to_mlflow, on_progress)


def _train(
    table: Table,
    profile: Profile,
    target: str,
    home: Path | None,
    log_to_mlflow: bool,
    on_progress: Progress | None,
) -> BaselineResult:
    import numpy as np
    import polars as pl
    from sklearn.model_selection import cross_validate

    started = time.perf_counter()
    report = on_progress or (lambda fraction, message: None)
    task = detect_task(profile, target)
    numeric, categorical, dropped = plan_features(profile, target)
    report(0.05, "Reading the table…")
    with friendly_errors(table):
        data = (
            typed_scan(table, profile, [*numeric, *categorical, target])
            .drop_nulls(target)
            .collect()
        )
    if data.height > MAX_ROWS:
        data = data.sample(MAX_ROWS, seed=0)
    if data.height < 20:
        raise OwnDataError(
            f"Only {data.height} row(s) have a `{target}`: a baseline needs at least 20."
        )
    data = data.with_columns([pl.col(c).cast(pl.String) for c in categorical])
    if task == "classification":
        data = data.with_columns(pl.col(target).cast(pl.String))
    frame = data.to_pandas()
    X, y = frame[[*numeric, *categorical]], frame[target]
    # Numbers as floats: a gap in an integer column is then a NaN the imputer fills (and MLflow's
    # signature does not reject it later).
    X = X.astype({c: "float64" for c in numeric})
    for column in categorical:
        X[column] = X[column].astype(object).where(X[column].notna(), np.nan)
    classes = y.nunique()
    metric = ("roc_auc" if classes == 2 else "f1_macro") if task == "classification" else "r2"
    extra_metrics = ["accuracy"] if task == "classification" else ["neg_mean_absolute_error"]
    folds = _folds(task, y, FOLDS)
    models = _models(task, numeric, categorical)
    scores: dict[str, ModelScore] = {}
    for index, (name, pipeline) in enumerate(models.items()):
        report(
            0.1 + 0.35 * index / len(models),
            f"Cross-validating {name} ({folds.get_n_splits()} folds)…",
        )
        result = cross_validate(pipeline, X, y, cv=folds, scoring=[metric, *extra_metrics])
        extra = {
            m.replace("neg_", ""): float(abs(result[f"test_{m}"].mean())) for m in extra_metrics
        }
        scores[name] = ModelScore(name, round(float(result[f"test_{metric}"].mean()), 4),
                                  round(float(result[f"test_{metric}"].std()), 4), None, extra)  # fmt: skip
    report(0.5, "Looking for features that leak the target…")
    leaks = _leaks(task, metric, X, y, numeric, categorical)
    dummy = scores.pop("dummy")
    best = max(scores.values(), key=lambda s: s.score).name
    report(0.6, "Fitting the models on all rows…")
    fitted = {name: models[name].fit(X, y) for name in scores}
    experiment = None
    if log_to_mlflow:
        report(0.7, "Logging both models to MLflow…")
        experiment = f"own-data-{Path(profile.name).stem}"
        params = {"dataset": profile.name, "target": target, "task": task, "rows": len(X),
                  "numeric_features": len(numeric), "categorical_features": len(categorical)}  # fmt: skip
        run_ids = _log_runs(
            home or Path.cwd(), experiment, fitted, scores, dummy, params, metric, X
        )
        scores = {
            n: ModelScore(s.name, s.score, s.spread, run_ids.get(n), s.extra)
            for n, s in scores.items()
        }
    report(0.85, f"Explaining {best} with SHAP…")
    importances = _importances(fitted[best], X, numeric, categorical)
    report(1.0, "Done")
    return BaselineResult(
        dataset=profile.name,
        target=target,
        task=task,
        metric=metric,
        rows=len(X),
        features=(*numeric, *categorical),
        dropped=dropped,
        dummy=dummy,
        models=tuple(scores.values()),
        best=best,
        importances=tuple(importances),
        leaks=tuple(leaks),
        experiment=experiment,
        seconds=round(time.perf_counter() - started, 2),
    )

"""Model diagnostics drawn with Yellowbrick 1.5, as matplotlib Figures.

Yellowbrick 1.5 predates scikit-learn 1.8, which dropped the
``_estimator_type`` attribute Yellowbrick uses to tell classifiers from
regressors, so most of its visualizers reject every model with "This
estimator is not a classifier" (yellowbrick issues #1327, #1331). The one
place this is handled is :func:`_visualizer`: it checks the model's kind with
scikit-learn's own ``is_classifier`` / ``is_regressor`` and then builds the
visualizer with ``force_model=True``. Every visualizer offered here renders on
scikit-learn 1.9.1 (the tests draw each one). SilhouetteVisualizer is not
offered: it calls ``matplotlib.cm.get_cmap``, which matplotlib removed.

Each function takes the model and the train/test split, fits the model on
the training rows if it is not fitted yet (a fitted model is used as is),
scores it on the test rows and returns the Figure, detached from pyplot so
nothing leaks from one call into the next. :func:`available` and
:func:`render` let the dashboard offer the ones that suit a model.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError, figure_scope, headless_pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DIAGNOSTICS",
    "Diagnostic",
    "available",
    "classification_report",
    "confusion_matrix",
    "feature_importances",
    "learning_curve",
    "precision_recall_curve",
    "prediction_error",
    "render",
    "residuals_plot",
    "roc_auc",
]

FigSize = tuple[float, float] | None


def _import_yellowbrick() -> None:
    """Import Yellowbrick without letting it restyle every matplotlib figure in the process.

    ``import yellowbrick`` rewrites ``matplotlib.rcParams`` (fonts, palette):
    done inside ``rc_context`` the changes are undone on exit, so SHAP plots
    and the learner's own charts keep matplotlib's defaults (and no "findfont:
    Arial not found" lines). Its import-time deprecation warnings concern its
    own code and are silenced.
    """
    import matplotlib

    headless_pyplot()  # Yellowbrick imports pyplot: settle the backend first
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import yellowbrick.classifier
        import yellowbrick.model_selection
        import yellowbrick.regressor  # noqa: F401


def _visualizer(cls: type, model: Any, ax: Any, **options: Any) -> Any:
    """Build a Yellowbrick visualizer that works with scikit-learn 1.9.

    Score visualizers (classifier and regressor ones) get ``force_model=True``
    after the model's kind is checked here, so a wrong model still gets a
    clear message instead of Yellowbrick's misleading one.
    """
    from sklearn.base import is_classifier, is_regressor
    from yellowbrick.classifier.base import ClassificationScoreVisualizer
    from yellowbrick.regressor.base import RegressionScoreVisualizer

    kind = type(model).__name__
    if issubclass(cls, ClassificationScoreVisualizer):
        if not is_classifier(model):
            raise UsageError(f"{cls.__name__} needs a classifier, and {kind} is not one.")
        options["force_model"] = True
    elif issubclass(cls, RegressionScoreVisualizer):
        if not is_regressor(model):
            raise UsageError(f"{cls.__name__} needs a regressor, and {kind} is not one.")
        options["force_model"] = True
    return cls(model, ax=ax, **options)


def _draw(
    cls: type,
    model: Any,
    train: tuple[Any, Any],
    test: tuple[Any, Any] | None,
    figsize: FigSize,
    **options: Any,
) -> Figure:
    """Fit (and score, given test rows) one visualizer on a fresh figure; return the figure."""
    from yellowbrick.exceptions import YellowbrickError

    with figure_scope(figsize) as fig, warnings.catch_warnings():
        # Yellowbrick 1.5 calls colormap APIs matplotlib 3.11 deprecates, and hands scikit-learn
        # bare arrays after fitting on a DataFrame ("X does not have valid feature names").
        # Both are about Yellowbrick's code; nothing the learner could change.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        warnings.filterwarnings("ignore", message="X does not have valid feature names")
        # Raised even for a binary model's single row of coefficients; the docstring of
        # feature_importances says what is shown instead.
        warnings.filterwarnings("ignore", message="detected multi-dimensional feature importances")
        visualizer = _visualizer(cls, model, fig.add_subplot(), **options)
        try:
            visualizer.fit(*train)
            if test is not None:
                visualizer.score(*test)
            # finalize() adds titles and legends; show() would also call plt.show().
            visualizer.finalize()
        except YellowbrickError as exc:
            raise IntegrationError(
                f"{cls.__name__} could not be drawn for this model: {exc}"
            ) from exc
        return fig


def confusion_matrix(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    classes: Sequence[str] | None = None,
    percent: bool = False,
    figsize: FigSize = None,
) -> Figure:
    """Counts (or percentages) of test rows by true and predicted class."""
    _import_yellowbrick()
    from yellowbrick.classifier import ConfusionMatrix

    return _draw(
        ConfusionMatrix,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
        classes=classes,
        percent=percent,
    )


def roc_auc(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    classes: Sequence[str] | None = None,
    figsize: FigSize = None,
) -> Figure:
    """ROC curves with their AUC, per class plus micro and macro averages."""
    _import_yellowbrick()
    from yellowbrick.classifier import ROCAUC

    return _draw(
        ROCAUC,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
        classes=classes,
    )


def classification_report(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    classes: Sequence[str] | None = None,
    figsize: FigSize = None,
) -> Figure:
    """Precision, recall, F1 and support per class, as a heat map."""
    _import_yellowbrick()
    from yellowbrick.classifier import ClassificationReport

    return _draw(
        ClassificationReport,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
        classes=classes,
        support=True,
    )


def precision_recall_curve(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    classes: Sequence[str] | None = None,
    per_class: bool = False,
    figsize: FigSize = None,
) -> Figure:
    """Precision against recall over all thresholds, with average precision."""
    _import_yellowbrick()
    from yellowbrick.classifier import PrecisionRecallCurve

    return _draw(
        PrecisionRecallCurve,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
        classes=classes,
        per_class=per_class,
    )


def residuals_plot(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    figsize: FigSize = None,
) -> Figure:
    """Residuals against predictions for train and test rows, with their distribution."""
    _import_yellowbrick()
    from yellowbrick.regressor import ResidualsPlot

    return _draw(
        ResidualsPlot,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
    )


def prediction_error(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    figsize: FigSize = None,
) -> Figure:
    """Predicted against actual values on the test rows, with the identity and best-fit lines."""
    _import_yellowbrick()
    from yellowbrick.regressor import PredictionError

    return _draw(
        PredictionError,
        model,
        (X_train, y_train),
        (X_test, y_test),
        figsize,
    )


def feature_importances(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any = None,
    y_test: Any = None,
    *,
    topn: int | None = None,
    figsize: FigSize = None,
) -> Figure:
    """The model's own ``feature_importances_`` or ``coef_``, relative to the largest.

    Only the training rows are used (importances are a property of the
    fitted model); the test rows are accepted so every diagnostic takes the
    same arguments. A linear model with one row of coefficients per class
    shows their mean. For a pipeline the importances of its last step are
    shown, against the feature names its earlier steps produce. Models with
    neither attribute (SVMs with kernels, k-NN) raise IntegrationError.
    """
    _import_yellowbrick()
    from yellowbrick.model_selection import FeatureImportances

    options: dict[str, Any] = {"topn": topn}
    if hasattr(model, "steps") and len(model.steps) > 1:
        # Yellowbrick looks for the attributes on the object it is given; a Pipeline has none.
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        try:
            check_is_fitted(model)
        except NotFittedError:
            model.fit(X_train, y_train)
        preprocessing = model[:-1]
        X_train = preprocessing.transform(X_train)
        # A step that cannot name its outputs leaves Yellowbrick's default labels.
        with contextlib.suppress(AttributeError, ValueError):
            options["labels"] = [str(name) for name in preprocessing.get_feature_names_out()]
        model = model[-1]
        options["is_fitted"] = True
    return _draw(FeatureImportances, model, (X_train, y_train), None, figsize, **options)


def learning_curve(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any = None,
    y_test: Any = None,
    *,
    cv: int = 3,
    train_sizes: Sequence[float] = (0.2, 0.4, 0.6, 0.8, 1.0),
    scoring: str | None = None,
    figsize: FigSize = None,
) -> Figure:
    """Training and cross-validation scores as the training set grows.

    Cross-validates copies of the model on the training rows only, so the
    test rows stay unseen (they are accepted for a uniform signature). One
    job at a time: the machines this runs on have two cores.
    """
    import numpy as np

    _import_yellowbrick()
    from yellowbrick.model_selection import LearningCurve

    return _draw(
        LearningCurve,
        model,
        (X_train, y_train),
        None,
        figsize,
        cv=cv,
        train_sizes=np.asarray(train_sizes, dtype=float),
        scoring=scoring,
        n_jobs=1,
    )


@dataclass(frozen=True)
class Diagnostic:
    """One chart the dashboard can offer: its name, title, kind of model and renderer."""

    name: str
    title: str
    task: Literal["classification", "regression", "any"]
    draw: Callable[..., Figure]


DIAGNOSTICS: dict[str, Diagnostic] = {
    d.name: d
    for d in (
        Diagnostic("confusion_matrix", "Confusion matrix", "classification", confusion_matrix),
        Diagnostic("roc_auc", "ROC curves and AUC", "classification", roc_auc),
        Diagnostic(
            "classification_report",
            "Classification report",
            "classification",
            classification_report,
        ),
        Diagnostic(
            "precision_recall_curve",
            "Precision-recall curve",
            "classification",
            precision_recall_curve,
        ),
        Diagnostic("residuals_plot", "Residuals", "regression", residuals_plot),
        Diagnostic("prediction_error", "Prediction error", "regression", prediction_error),
        Diagnostic("feature_importances", "Feature importances", "any", feature_importances),
        Diagnostic("learning_curve", "Learning curve", "any", learning_curve),
    )
}


def available(model: Any) -> list[str]:
    """Names of the diagnostics that suit ``model`` (a classifier or a regressor)."""
    from sklearn.base import is_classifier, is_regressor

    task = (
        "classification" if is_classifier(model) else "regression" if is_regressor(model) else None
    )
    return [d.name for d in DIAGNOSTICS.values() if d.task in ("any", task)]


def render(name: str, model: Any, X_train: Any, y_train: Any, X_test: Any, y_test: Any) -> Figure:
    """Draw the diagnostic called ``name`` (a key of :data:`DIAGNOSTICS`)."""
    diagnostic = DIAGNOSTICS.get(name)
    if diagnostic is None:
        raise UsageError(
            f"There is no diagnostic called {name!r}: choose one of {', '.join(DIAGNOSTICS)}."
        )
    return diagnostic.draw(model, X_train, y_train, X_test, y_test)

"""Every Yellowbrick diagnostic we offer renders on scikit-learn 1.9.1."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError, diagnostics


def _split(loader: Callable[..., Any]) -> tuple[Any, Any, Any, Any]:
    from sklearn.model_selection import train_test_split

    X, y = loader(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    return X_train, y_train, X_test, y_test


@pytest.fixture(scope="module")
def cancer() -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_breast_cancer

    return _split(load_breast_cancer)


@pytest.fixture(scope="module")
def iris() -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_iris

    return _split(load_iris)


@pytest.fixture(scope="module")
def diabetes() -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_diabetes

    return _split(load_diabetes)


def forest() -> Any:
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0)


def ridge() -> Any:
    from sklearn.linear_model import Ridge

    return Ridge()


def assert_rendered(figure: Any) -> None:
    """A Figure with at least one Axes that has something drawn on it, and that saves as PNG."""
    from matplotlib.figure import Figure

    assert isinstance(figure, Figure)
    assert figure.axes
    assert any(
        ax.lines or ax.patches or ax.collections or ax.images or ax.texts for ax in figure.axes
    )
    png = io.BytesIO()
    figure.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")


CLASSIFICATION = [
    "confusion_matrix",
    "roc_auc",
    "classification_report",
    "precision_recall_curve",
    "feature_importances",
    "learning_curve",
]
REGRESSION = ["residuals_plot", "prediction_error", "feature_importances", "learning_curve"]


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classifier_diagnostics_render(name: str, cancer: tuple[Any, Any, Any, Any]) -> None:
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    figure = getattr(diagnostics, name)(forest(), *cancer)
    assert_rendered(figure)
    assert plt.get_fignums() == open_before  # nothing left in pyplot between calls


@pytest.mark.parametrize(
    "name", ["confusion_matrix", "roc_auc", "classification_report", "precision_recall_curve"]
)
def test_classifier_diagnostics_render_for_three_classes(
    name: str, iris: tuple[Any, Any, Any, Any]
) -> None:
    assert_rendered(getattr(diagnostics, name)(forest(), *iris))


@pytest.mark.parametrize("name", REGRESSION)
def test_regressor_diagnostics_render(name: str, diabetes: tuple[Any, Any, Any, Any]) -> None:
    assert_rendered(getattr(diagnostics, name)(ridge(), *diabetes))


def test_a_fitted_model_is_used_as_is(cancer: tuple[Any, Any, Any, Any]) -> None:
    X_train, y_train, X_test, y_test = cancer
    model = forest().fit(X_train, y_train)
    trees = list(model.estimators_)
    assert_rendered(diagnostics.confusion_matrix(model, X_train, y_train, X_test, y_test))
    assert list(model.estimators_) == trees


def test_feature_importances_look_inside_a_pipeline(cancer: tuple[Any, Any, Any, Any]) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X_train, y_train, _, _ = cancer
    pipeline = make_pipeline(StandardScaler(), LogisticRegression())
    figure = diagnostics.feature_importances(pipeline, X_train, y_train, topn=5)
    assert_rendered(figure)
    labels = {tick.get_text() for tick in figure.axes[0].get_yticklabels()}
    assert labels and labels <= set(X_train.columns)


def test_available_and_render_offer_what_suits_the_model(
    diabetes: tuple[Any, Any, Any, Any],
) -> None:
    assert diagnostics.available(forest()) == CLASSIFICATION
    assert diagnostics.available(ridge()) == REGRESSION
    assert set(diagnostics.DIAGNOSTICS) == set(CLASSIFICATION) | set(REGRESSION)
    assert "silhouette" not in " ".join(diagnostics.DIAGNOSTICS)
    assert_rendered(diagnostics.render("prediction_error", ridge(), *diabetes))
    with pytest.raises(UsageError, match="no diagnostic called"):
        diagnostics.render("silhouette", ridge(), *diabetes)


def test_wrong_kind_of_model_gets_a_clear_message(
    cancer: tuple[Any, Any, Any, Any], diabetes: tuple[Any, Any, Any, Any]
) -> None:
    from sklearn.neighbors import KNeighborsClassifier

    with pytest.raises(UsageError, match="needs a classifier"):
        diagnostics.confusion_matrix(ridge(), *diabetes)
    with pytest.raises(UsageError, match="needs a regressor"):
        diagnostics.residuals_plot(forest(), *cancer)
    with pytest.raises(IntegrationError, match="feature importances"):
        diagnostics.feature_importances(KNeighborsClassifier(), *cancer)


def test_yellowbrick_does_not_restyle_other_figures(cancer: tuple[Any, Any, Any, Any]) -> None:
    import sys

    import matplotlib

    before = dict(matplotlib.rcParams)
    assert_rendered(diagnostics.roc_auc(forest(), *cancer))
    assert "yellowbrick" in sys.modules
    assert dict(matplotlib.rcParams) == before
    # Importing yellowbrick would swap the font list for Arial first; ours never saw it.
    default_fonts = matplotlib.rcParamsDefault["font.sans-serif"]
    assert matplotlib.rcParams["font.sans-serif"] == default_fonts

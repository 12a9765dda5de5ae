"""SHAP and LIME on real scikit-learn models over the bundled datasets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError, explain


@pytest.fixture(scope="module")
def cancer() -> dict[str, Any]:
    """A small forest on breast_cancer (binary), with a held-out split."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestClassifier(n_estimators=50, max_depth=5, random_state=0)
    model.fit(X_train, y_train)
    return {"model": model, "X_train": X_train, "X_test": X_test.iloc[:40]}


@pytest.fixture(scope="module")
def iris() -> dict[str, Any]:
    """A small forest on iris (three classes)."""
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier

    X, y = load_iris(return_X_y=True, as_frame=True)
    model = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    return {"model": model, "X": X}


def _has_drawing(figure: Any) -> bool:
    return any(
        ax.lines or ax.patches or ax.collections or ax.images or ax.texts for ax in figure.axes
    )


def test_binary_shap_explains_the_positive_class_and_adds_up(cancer: dict[str, Any]) -> None:
    model, X = cancer["model"], cancer["X_test"]
    expl = explain.shap_explanation(model, X)
    assert expl.values.shape == (40, 30)
    assert list(expl.feature_names) == list(X.columns)
    # Additivity: base value plus the row's SHAP values is the model's class-1 probability.
    proba = model.predict_proba(X)
    np.testing.assert_allclose(expl.base_values + expl.values.sum(axis=1), proba[:, 1], atol=1e-6)

    other = explain.shap_explanation(model, X.iloc[:5], class_index=0)
    np.testing.assert_allclose(
        other.base_values + other.values.sum(axis=1), proba[:5, 0], atol=1e-6
    )


def test_multiclass_shap_needs_a_class_and_explains_that_one(iris: dict[str, Any]) -> None:
    model, X = iris["model"], iris["X"]
    with pytest.raises(UsageError, match="3 classes"):
        explain.shap_explanation(model, X)
    with pytest.raises(UsageError, match="out of range"):
        explain.shap_explanation(model, X, class_index=3)

    expl = explain.shap_explanation(model, X, class_index=2)
    assert expl.values.shape == (150, 4)
    np.testing.assert_allclose(
        expl.base_values + expl.values.sum(axis=1), model.predict_proba(X)[:, 2], atol=1e-6
    )


def test_linear_models_are_explained_with_a_small_background() -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge

    X, y = load_diabetes(return_X_y=True)
    model = Ridge().fit(X, y)
    expl = explain.shap_explanation(model, X[:20], background=X, feature_names=None)
    assert expl.values.shape == (20, 10)
    assert expl.feature_names[:2] == ["x0", "x1"]
    np.testing.assert_allclose(
        expl.base_values + expl.values.sum(axis=1), model.predict(X[:20]), atol=1e-6
    )
    with pytest.raises(UsageError, match="max_background"):
        explain.shap_explanation(model, X, max_background=500)
    with pytest.raises(UsageError, match="class_index"):
        explain.shap_explanation(model, X[:5], class_index=1)


def test_shap_figures_render_off_screen_and_leave_nothing_open(cancer: dict[str, Any]) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    expl = explain.shap_explanation(cancer["model"], cancer["X_test"])
    open_before = plt.get_fignums()
    figures = [
        explain.beeswarm_figure(expl, max_display=8),
        explain.bar_figure(expl),
        explain.bar_figure(expl[0]),
        explain.waterfall_figure(expl, row=3),
    ]
    for figure in figures:
        assert isinstance(figure, Figure)
        assert _has_drawing(figure)
    assert plt.get_fignums() == open_before
    assert plt.get_backend().lower() == "agg"
    with pytest.raises(UsageError, match="out of range"):
        explain.waterfall_figure(expl, row=40)
    with pytest.raises(UsageError, match="2-D"):
        explain.beeswarm_figure(expl[0])


def test_lime_returns_seeded_weights_for_the_requested_row(cancer: dict[str, Any]) -> None:
    model, X_train, X_test = cancer["model"], cancer["X_train"], cancer["X_test"]
    weights = explain.lime_explanation(model, X_train, X_test.iloc[0], num_features=5)
    assert len(weights) == 5
    assert {name for name, _ in weights} <= set(X_train.columns)
    assert all(isinstance(w, float) for _, w in weights)
    assert [abs(w) for _, w in weights] == sorted((abs(w) for _, w in weights), reverse=True)
    # Seeded: the same call gives the same weights; another row gives other weights.
    assert explain.lime_explanation(model, X_train, X_test.iloc[0], num_features=5) == weights
    assert explain.lime_explanation(model, X_train, X_test.iloc[1], num_features=5) != weights
    # A position in X_train works too, and LIME's own bin descriptions are available.
    by_position = explain.lime_explanation(model, X_train, 0, num_features=3, conditions=True)
    assert len(by_position) == 3
    assert all(any(op in name for op in ("<", ">")) for name, _ in by_position)
    with pytest.raises(UsageError, match="out of range"):
        explain.lime_explanation(model, X_train, len(X_train))


def test_lime_follows_the_class_rule_for_multiclass(iris: dict[str, Any]) -> None:
    model, X = iris["model"], iris["X"]
    with pytest.raises(UsageError, match="class_index"):
        explain.lime_explanation(model, X, 100)
    weights = explain.lime_explanation(model, X, 100, class_index=2, num_features=4)
    assert {name for name, _ in weights} == set(X.columns)


def test_compare_local_lines_up_shap_and_lime_for_one_row(cancer: dict[str, Any]) -> None:
    model, X_train, X_test = cancer["model"], cancer["X_train"], cancer["X_test"]
    expl = explain.shap_explanation(model, X_test.iloc[:1])
    lime = explain.lime_explanation(model, X_train, X_test.iloc[0], num_features=6)
    rows = explain.compare_local(expl[0], lime)

    features = [row.feature for row in rows]
    row_values = dict(zip(expl.feature_names, expl.values[0], strict=True))
    shap_top = sorted(row_values, key=lambda name: -abs(row_values[name]))[:6]
    assert set(features) == {name for name, _ in lime} | set(shap_top)
    assert [row.shap_rank for row in rows] == sorted(row.shap_rank for row in rows)
    for row in rows:
        assert (row.lime_weight is None) == (row.lime_rank is None)
        assert row.agrees == (row.disagreement is None)

    with pytest.raises(IntegrationError, match="conditions=False"):
        explain.compare_local(expl[0], [("mean radius > 15.0", 0.2)])


def test_compare_local_names_each_kind_of_disagreement() -> None:
    shap_row = {"a": 0.5, "b": -0.3, "c": 0.1, "d": 0.05}
    rows = explain.compare_local(shap_row, [("a", 0.2), ("c", -0.1)])
    by_name = {row.feature: row for row in rows}
    assert list(by_name) == ["a", "b", "c"]  # LIME's picks plus SHAP's top 2, by SHAP rank
    assert by_name["a"].agrees and by_name["a"].same_sign
    assert by_name["b"].lime_weight is None
    assert "left it out" in (by_name["b"].disagreement or "")
    assert by_name["c"].same_sign is False
    assert "direction" in (by_name["c"].disagreement or "")

    rows = explain.compare_local(shap_row, {"a": 0.3, "d": 0.1})
    assert "outside its top 2" in ({r.feature: r for r in rows}["d"].disagreement or "")

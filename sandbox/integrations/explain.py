"""Model explanations with SHAP and LIME, and where the two disagree.

SHAP
    :func:`shap_explanation` uses TreeExplainer for tree models (forests,
    gradient boosting: exact, fast, and with no background sample, because
    its path-dependent algorithm weighs branches by the training rows that
    reached them) and otherwise lets ``shap.Explainer``
    pick: LinearExplainer for linear models, and for models SHAP cannot read
    (pipelines, SVMs, k-NN, multiclass gradient boosting, ...) a
    model-agnostic explainer over their ``predict_proba`` (classifiers) or
    ``predict`` (regressors). That one is slower: explain tens of rows, not
    thousands, and expect its first use in a process to take 10-20 s on a
    two-core laptop while numba compiles SHAP's masking code (later calls
    take well under a second per row). Background samples are at most
    :data:`MAX_BACKGROUND` rows.

    **Which class is explained.** For classifiers SHAP (0.45+) returns one
    set of values per class: a 3-D array ``rows × features × classes``.
    The returned Explanation is always 2-D, for one class:

    * binary classification: the positive class, index 1, unless
      ``class_index`` says otherwise;
    * multiclass: ``class_index`` is required (an index into
      ``model.classes_``); without it a UsageError lists the classes.

    Some explainers already give a single output for binary classifiers
    (gradient boosting and logistic regression: the log-odds of class 1);
    then only ``class_index`` None or 1 make sense.

    Additivity: for each row, ``base_values + values.sum()`` equals the
    model output the explainer works on (the class probability for a random
    forest, the log-odds for gradient boosting and logistic regression).

LIME
    :func:`lime_explanation` fits LIME's local linear model around one row
    and returns ``(feature, weight)`` pairs, largest effect first; with
    ``conditions=True`` the names are LIME's own bins (``"mean radius > 15.8"``).

Comparing
    :func:`compare_local` lines one row's SHAP values up against LIME's
    weights: rank, direction, and a sentence saying where they disagree.

Figures are matplotlib Figures drawn off-screen (Agg, or Jupyter's inline
backend) and detached from pyplot, ready for ``st.pyplot`` or ``savefig``.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.errors import UsageError
from sandbox.integrations import IntegrationError, figure_scope, headless_pyplot

if TYPE_CHECKING:
    import numpy as np
    import shap
    from matplotlib.figure import Figure

__all__ = [
    "MAX_BACKGROUND",
    "FeatureAgreement",
    "bar_figure",
    "beeswarm_figure",
    "compare_local",
    "lime_explanation",
    "shap_explanation",
    "waterfall_figure",
]

# SHAP's cost grows with the background sample; 100 rows keep an explanation interactive on a
# two-core laptop and are what SHAP's own documentation samples.
MAX_BACKGROUND = 100


def _import_shap() -> Any:
    headless_pyplot()  # shap may import pyplot: settle the backend first
    # shap's import builds colour maps with calls matplotlib has deprecated; the warnings are
    # about shap's code, not the learner's, so they are silenced for the import only.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import shap
    return shap


def _feature_names(X: Any, feature_names: Sequence[str] | None, n_features: int) -> list[str]:
    if feature_names is not None:
        names = [str(name) for name in feature_names]
    elif hasattr(X, "columns"):
        names = [str(column) for column in X.columns]
    else:
        names = [f"x{i}" for i in range(n_features)]
    if len(names) != n_features:
        raise UsageError(
            f"Got {len(names)} feature names for {n_features} columns: pass one name per column."
        )
    return names


def _class_labels(model: Any, n_outputs: int) -> list[str]:
    classes = getattr(model, "classes_", None)
    if classes is not None and len(classes) == n_outputs:
        return [str(label) for label in classes]
    return [str(i) for i in range(n_outputs)]


def _pick_class(model: Any, n_outputs: int, class_index: int | None) -> int:
    """The output column to explain: see the module docstring for the rule."""
    labels = _class_labels(model, n_outputs)
    if labels == [str(i) for i in range(n_outputs)]:
        listing = ", ".join(labels)
    else:
        listing = ", ".join(f"{i} = {label}" for i, label in enumerate(labels))
    if class_index is None:
        if n_outputs == 2:
            return 1
        raise UsageError(
            f"This model has {n_outputs} classes; say which one to explain with "
            f"class_index ({listing})."
        )
    if not 0 <= class_index < n_outputs:
        raise UsageError(f"class_index {class_index} is out of range: use one of {listing}.")
    return class_index


def _predict_function(model: Any, X_like: Any) -> Any:
    """``predict_proba`` (or ``predict``) that accepts the plain arrays SHAP and LIME pass in.

    A model fitted on a DataFrame warns on arrays without column names, so
    arrays are wrapped back into a frame with the training columns.
    """
    method = model.predict_proba if hasattr(model, "predict_proba") else model.predict
    columns = list(X_like.columns) if hasattr(X_like, "columns") else None
    if columns is None:
        return method

    def predict(data: Any) -> Any:
        import pandas as pd

        if not isinstance(data, pd.DataFrame):
            data = pd.DataFrame(data, columns=columns)
        return method(data)

    return predict


def _explainer(
    shap: Any, model: Any, X: Any, background: Any, max_background: int, names: list[str]
) -> Any:
    """The SHAP explainer for ``model``, as a callable taking the rows to explain."""
    try:
        # Trees use TreeSHAP's path-dependent algorithm: exact, fast and needing no background,
        # because it weighs branches by the training rows that reached them. The interventional
        # variant (a background sample) fails its own additivity check in shap 0.51 on
        # scikit-learn 1.9 forests (iris, wine, diabetes): a value sitting on a split threshold
        # is sent down the wrong branch.
        return shap.TreeExplainer(model, feature_names=names)
    except ValueError:  # shap's InvalidModelError: not a tree model it can read
        pass
    data = X if background is None else background
    if len(data) > max_background:
        data = shap.sample(data, max_background, random_state=0)
    try:
        return shap.Explainer(model, data, feature_names=names)
    except TypeError as exc:
        if "not callable" not in str(exc):
            raise
    # SHAP reads linear models itself; anything else (pipelines, SVMs, k-NN, multiclass gradient
    # boosting) is explained through its prediction function.
    masker = shap.maskers.Independent(data, max_samples=max_background)
    explainer = shap.Explainer(_predict_function(model, X), masker, feature_names=names, seed=0)

    def explain(rows: Any) -> Any:
        # The progress bar is noise in the dashboard and the CLI.
        return explainer(rows, silent=True)

    return explain


def shap_explanation(
    model: Any,
    X: Any,
    background: Any | None = None,
    max_background: int = MAX_BACKGROUND,
    class_index: int | None = None,
    feature_names: Sequence[str] | None = None,
) -> shap.Explanation:
    """SHAP values of ``model`` for every row of ``X``, as a 2-D ``shap.Explanation``.

    ``class_index`` picks the class of a classifier (default: 1 for binary;
    required for multiclass). Feature names come from ``feature_names``,
    else ``X``'s columns, else ``x0, x1, ...``. ``background`` (default:
    ``X``) is sampled down to ``max_background`` rows, deterministically,
    for the explainers that need one (all but trees).
    """
    if not 1 <= max_background <= MAX_BACKGROUND:
        raise UsageError(
            f"max_background must be between 1 and {MAX_BACKGROUND}: more background rows make "
            "SHAP slower without changing the picture much."
        )
    n_classes = len(getattr(model, "classes_", ()))
    if n_classes > 2:
        _pick_class(model, n_classes, class_index)  # fail before the slow part
    shap = _import_shap()
    names = _feature_names(X, feature_names, X.shape[1])
    explanation = _explainer(shap, model, X, background, max_background, names)(X)
    values = explanation.values
    if values.ndim == 3:
        explanation = explanation[..., _pick_class(model, values.shape[2], class_index)]
    elif class_index is not None and not (
        class_index == 1 and len(getattr(model, "classes_", ())) == 2
    ):
        raise UsageError(
            "This explainer returns a single output for the model (a regression value, or the "
            "positive class of a binary classifier), so class_index does not apply here."
        )
    explanation.feature_names = names
    return explanation


def _require_rows(expl: Any, what: str) -> None:
    values = getattr(expl, "values", None)
    if values is None or values.ndim != 2:
        shape = "none" if values is None else "×".join(str(n) for n in values.shape)
        raise UsageError(
            f"{what} needs a 2-D SHAP explanation (rows × features); got shape {shape}. "
            "Use shap_explanation(...), which already picks one class."
        )


def beeswarm_figure(expl: shap.Explanation, max_display: int = 10) -> Figure:
    """Beeswarm of every row: which features matter, and in which direction, overall."""
    _require_rows(expl, "A beeswarm plot")
    shap = _import_shap()
    with figure_scope():
        ax = shap.plots.beeswarm(expl, max_display=max_display, show=False)
        figure: Figure = ax.figure
        return figure


def bar_figure(expl: shap.Explanation, max_display: int = 10) -> Figure:
    """Bar chart of mean |SHAP| per feature (global), or of one row's values if given one row."""
    values = getattr(expl, "values", None)
    if values is None or values.ndim not in (1, 2):
        _require_rows(expl, "A bar plot")
    shap = _import_shap()
    with figure_scope():
        ax = shap.plots.bar(expl, max_display=max_display, show=False)
        figure: Figure = ax.figure
        return figure


def waterfall_figure(expl: shap.Explanation, row: int = 0, max_display: int = 10) -> Figure:
    """Waterfall for one row: from the base value, feature by feature, to the model output."""
    _require_rows(expl, "A waterfall plot")
    n_rows = expl.values.shape[0]
    if not -n_rows <= row < n_rows:
        raise UsageError(f"Row {row} is out of range: the explanation has {n_rows} rows.")
    shap = _import_shap()
    with figure_scope():
        ax = shap.plots.waterfall(expl[row], max_display=max_display, show=False)
        figure: Figure = ax.figure
        return figure


def _as_float_array(data: Any, what: str) -> np.ndarray:
    import numpy as np

    try:
        return np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise UsageError(
            f"LIME here needs numeric {what}: encode text or category columns first ({exc})."
        ) from exc


def lime_explanation(
    model: Any,
    X_train: Any,
    row: Any,
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    num_features: int = 8,
    random_state: int = 0,
    *,
    class_index: int | None = None,
    num_samples: int = 5000,
    conditions: bool = False,
) -> list[tuple[str, float]]:
    """LIME's local weights for one row, largest effect first.

    ``row`` is either a position in ``X_train`` or the feature values of the
    row to explain (a list, array or Series). ``X_train`` gives LIME the
    feature distributions it samples from. The class rule is SHAP's (1 for
    binary, ``class_index`` required for multiclass); regressors need none.
    Names are plain feature names (as :func:`compare_local` expects), or
    LIME's bins such as ``"mean radius > 15.78"`` with ``conditions=True``.
    Seeded by ``random_state``, so the same call gives the same weights.
    """
    from lime.lime_tabular import LimeTabularExplainer

    data = _as_float_array(X_train, "training data")
    if data.ndim != 2:
        raise UsageError("X_train must be a table (rows × features).")
    names = _feature_names(X_train, feature_names, data.shape[1])
    if isinstance(row, numbers.Integral) and not isinstance(row, bool):
        row = int(row)
        if not -len(data) <= row < len(data):
            raise UsageError(f"Row {row} is out of range: X_train has {len(data)} rows.")
        values = data[row]
    else:
        values = _as_float_array(row, "row values").ravel()
        if values.shape[0] != data.shape[1]:
            raise UsageError(
                f"The row has {values.shape[0]} values but the model has {data.shape[1]} features."
            )
    predict = _predict_function(model, X_train)
    if hasattr(model, "predict_proba"):
        n_classes = int(predict(values.reshape(1, -1)).shape[1])
        label = _pick_class(model, n_classes, class_index)
        labels = [str(name) for name in class_names] if class_names else None
        explainer = LimeTabularExplainer(
            data,
            mode="classification",
            feature_names=names,
            class_names=labels or _class_labels(model, n_classes),
            random_state=random_state,
        )
    else:
        if class_index is not None:
            raise UsageError("class_index applies to classifiers only; this model is a regressor.")
        # LIME files a regression explanation under label 1.
        label = 1
        explainer = LimeTabularExplainer(
            data, mode="regression", feature_names=names, random_state=random_state
        )
    result = explainer.explain_instance(
        values,
        predict,
        labels=(label,),
        num_features=num_features,
        num_samples=num_samples,
    )
    if conditions:
        pairs = [(str(name), float(weight)) for name, weight in result.as_list(label=label)]
    else:
        pairs = [(names[int(i)], float(weight)) for i, weight in result.as_map()[label]]
    return sorted(pairs, key=lambda pair: abs(pair[1]), reverse=True)


@dataclass(frozen=True)
class FeatureAgreement:
    """How SHAP and LIME see one feature of one row."""

    feature: str
    shap_value: float
    shap_rank: int
    """1 = the largest |SHAP value| of the row, among all features."""
    lime_weight: float | None
    """None when LIME did not pick the feature."""
    lime_rank: int | None
    same_sign: bool | None
    """Whether both push the prediction the same way; None when LIME did not pick it."""
    disagreement: str | None
    """Why the two disagree, in one sentence; None when they agree."""

    @property
    def agrees(self) -> bool:
        return self.disagreement is None


def _pairs(values: Any, what: str) -> dict[str, float]:
    if hasattr(values, "values") and hasattr(values, "feature_names"):
        row = values.values
        if getattr(row, "ndim", 1) != 1:
            raise UsageError(f"Pass one row of the SHAP explanation as {what}, e.g. expl[0].")
        return {str(n): float(v) for n, v in zip(values.feature_names, row, strict=True)}
    if isinstance(values, Mapping):
        return {str(n): float(v) for n, v in values.items()}
    return {str(n): float(v) for n, v in values}


def _direction(value: float) -> str:
    return "up" if value > 0 else "down" if value < 0 else "nowhere"


def compare_local(shap_row_values: Any, lime_weights: Any) -> list[FeatureAgreement]:
    """Line up one row's SHAP values with LIME's weights, feature by feature.

    ``shap_row_values`` is one row of a SHAP explanation (``expl[i]``) or a
    ``{feature: value}`` mapping; ``lime_weights`` is what
    :func:`lime_explanation` returns (plain names) or a mapping. With ``k``
    LIME features, the rows cover LIME's ``k`` features and SHAP's top
    ``k``, ordered by SHAP rank. They disagree on a feature when it pushes
    the prediction in opposite directions, or when only one of them counts
    it among the ``k`` most important.
    """
    shap_values = _pairs(shap_row_values, "shap_row_values")
    lime = _pairs(lime_weights, "lime_weights")
    unknown = [name for name in lime if name not in shap_values]
    if unknown:
        raise IntegrationError(
            f"LIME names {unknown[:3]} are not SHAP feature names. Call "
            "lime_explanation(..., conditions=False) so both use plain feature names."
        )
    k = len(lime)
    shap_order = sorted(shap_values, key=lambda n: abs(shap_values[n]), reverse=True)
    shap_rank = {name: i + 1 for i, name in enumerate(shap_order)}
    lime_rank = {
        name: i + 1 for i, name in enumerate(sorted(lime, key=lambda n: abs(lime[n]), reverse=True))
    }
    features = sorted(set(lime) | set(shap_order[:k]), key=shap_rank.__getitem__)

    rows = []
    for name in features:
        value, rank = shap_values[name], shap_rank[name]
        weight = lime.get(name)
        same_sign = None if weight is None else _direction(value) == _direction(weight)
        reason = None
        if weight is None:
            reason = f"LIME left it out of its {k} features; SHAP ranks it #{rank}."
        elif not same_sign:
            reason = (
                f"They disagree on direction: SHAP pushes the prediction {_direction(value)}, "
                f"LIME {_direction(weight)}."
            )
        elif rank > k:
            reason = f"LIME ranks it #{lime_rank[name]}; SHAP only #{rank}, outside its top {k}."
        rows.append(
            FeatureAgreement(
                feature=name,
                shap_value=value,
                shap_rank=rank,
                lime_weight=weight,
                lime_rank=lime_rank.get(name),
                same_sign=same_sign,
                disagreement=reason,
            )
        )
    return rows

"""Reading the learner's stores from the judge: logged models without pickle, studies as data.

An MLflow model is loaded only from its skops file, with the judge's trusted types (classes
from scikit-learn), never through ``mlflow.sklearn.load_model``, which would trust whatever
types the learner listed when logging it, or unpickle a pickled model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from sandbox.grading.outcome import Fail

if TYPE_CHECKING:
    from sandbox.grading.context import CheckContext
    from sandbox.grading.records import StudyRecord


def _model_id(ctx: CheckContext, model: Any, name: str) -> str:
    """The LoggedModel id behind an id, a ``models:/…`` URI, a registry URI or a record."""
    from mlflow.exceptions import MlflowException

    for attribute in ("model_id", "model_uri"):
        found = (
            getattr(model, "attributes", {}).get(attribute)
            if hasattr(model, "attributes")
            else None
        )
        if isinstance(found, str) and found:
            model = found
            break
    if not isinstance(model, str) or not model:
        raise Fail(f"{name} is not a model id or a `models:/…` URI.")
    text = model.strip()
    if text.startswith("models:/"):
        text = text[len("models:/") :]
    if text.startswith("m-") and "/" not in text and "@" not in text:
        return text
    client = ctx.tracking_client()
    try:
        if "@" in text:
            registered, alias = text.split("@", 1)
            version = client.get_model_version_by_alias(registered, alias)
        elif "/" in text:
            registered, number = text.split("/", 1)
            version = client.get_model_version(registered, number)
        else:
            raise Fail(f"{name} ({model!r}) is not a model id or a `models:/…` URI.")
    except MlflowException:
        raise Fail(f"{name} ({model!r}) is not in the model registry of your data home.") from None
    model_id = getattr(version, "model_id", None)
    if not model_id and str(version.source).startswith("models:/"):
        model_id = str(version.source)[len("models:/") :]
    if not model_id:
        raise Fail(f"{name} ({model!r}) has no logged model behind it.")
    return str(model_id)


def load_logged_model(ctx: CheckContext, model: Any, name: str) -> Any:
    """The scikit-learn model logged to the learner's store (skops only, trusted types only)."""
    import yaml
    from mlflow.exceptions import MlflowException

    model_id = _model_id(ctx, model, name)
    client = ctx.tracking_client()
    try:
        logged = client.get_logged_model(model_id)
    except MlflowException:
        raise Fail(
            f"{name} ({model_id}) is not a logged model in your data home's MLflow store."
        ) from None
    location = urlparse(str(logged.artifact_location))
    folder = Path(unquote(location.path)) if location.scheme in ("", "file") else None
    if folder is None or not (folder / "MLmodel").is_file():
        raise Fail(
            f"{name} ({model_id}) has no saved model files: log it with "
            '`mlflow.sklearn.log_model(model, name="model", ...)` inside the run.'
        )
    try:
        meta = yaml.safe_load((folder / "MLmodel").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        raise Fail(f"The MLmodel file of {name} ({model_id}) cannot be read.") from None
    flavor = (meta.get("flavors") or {}).get("sklearn") or {}
    if not flavor:
        raise Fail(f"{name} ({model_id}) was not logged with `mlflow.sklearn.log_model`.")
    if flavor.get("serialization_format") != "skops":
        raise Fail(
            f"{name} ({model_id}) was saved with {flavor.get('serialization_format')!r}; the judge "
            "never unpickles files. Log it with `mlflow.sklearn.log_model(...)` and its default "
            '`serialization_format="skops"`.'
        )
    path = folder / str(flavor.get("pickled_model", "model.skops"))
    if path.is_symlink() or not path.is_file() or folder not in path.resolve().parents:
        raise Fail(f"The saved model file of {name} ({model_id}) is missing.")
    return load_skops(path.read_bytes(), name)


def load_skops(data: bytes, name: str) -> Any:
    """A scikit-learn object from skops bytes, refusing every type the judge does not trust."""
    import skops.io

    from sandbox.grading.artifacts import _trusted_type

    try:
        types = skops.io.get_untrusted_types(data=data)
    except Exception as exc:
        raise Fail(f"{name} is not a readable skops file ({type(exc).__name__}).") from None
    untrusted = [t for t in types if not _trusted_type(t)]
    if untrusted:
        raise Fail(
            f"{name} contains {', '.join(untrusted)}, which the judge does not load: it accepts "
            "scikit-learn's own classes only."
        )
    return skops.io.loads(data, trusted=types)


def untrusted_message(name: str, model: Any) -> str:
    """The learner-facing reason an estimator could not be handed to the judge."""
    kinds = ", ".join(f"`{t}`" for t in getattr(model, "untrusted", ()))
    learner_made = any(t.startswith("__main__.") for t in getattr(model, "untrusted", ()))
    advice = (
        " It holds a function defined in your notebook; the judge runs no code from the notebook, "
        "so use scikit-learn's own transformers for this task."
        if learner_made
        else " The judge loads scikit-learn's own classes only."
    )
    return f"`{name}` could not be handed to the judge: it contains {kinds}.{advice}"


def stored_study(home: Path, study_name: str) -> StudyRecord | None:
    """The study of that name in the learner's ``optuna.db``, read as data (None if absent)."""
    import tempfile

    from sandbox.grading.artifacts import Artifacts, write_artifacts
    from sandbox.grading.records import StudyRecord
    from sandbox.integrations import tuning

    if not tuning.db_path(home).is_file():
        return None
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.load_study(study_name=study_name, storage=tuning.storage_url(home))
    except KeyError:
        return None
    with tempfile.TemporaryDirectory(prefix="sandbox-study-") as folder:
        write_artifacts(Path(folder), {"study": study})
        record = Artifacts(Path(folder)).get("study")
    return record if isinstance(record, StudyRecord) else None

"""Plain-data stand-ins for values the judge must not rebuild as live objects.

The learner's kernel exports task variables as data (see :mod:`sandbox.grading.artifacts`).
Frames, arrays, numbers, plotly figures and scikit-learn estimators come back as the real
objects. Everything that carries behaviour or points into a process that is gone (a matplotlib
figure, an Optuna study, an MLflow entity, a SHAP explanation, a Pandera schema, a Polars
LazyFrame, a function) comes back as one of the frozen records below: the numbers and names a
check needs, nothing that can run.

Every record knows the type it stands for (``source_type``, e.g. ``"optuna.study.study.Study"``)
so messages can say "`study` is an optuna Study" exactly as they would for the live object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Record:
    """Base of every record: the fully qualified type of the value it stands for."""

    source_type: str

    @property
    def type_name(self) -> str:
        return self.source_type.rsplit(".", 1)[-1]

    @property
    def library(self) -> str:
        return self.source_type.split(".", 1)[0]


@dataclass(frozen=True)
class UnsupportedValue(Record):
    """A value of a type the exporter does not translate into data (``text`` is a short repr)."""

    text: str = ""
    reason: str = ""


@dataclass(frozen=True)
class FunctionValue(Record):
    """A function or other callable; the judge never calls learner code, so only its name."""

    name: str = ""
    module: str = ""


@dataclass(frozen=True)
class UntrustedEstimator(Record):
    """A scikit-learn object whose saved form names types outside the judge's trusted list
    (typically a function the learner defined, inside a FunctionTransformer)."""

    untrusted: tuple[str, ...] = ()


# ------------------------------------------------------------------------------- matplotlib


@dataclass(frozen=True)
class TextRecord:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class LineRecord:
    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class AxesRecord:
    """What one matplotlib Axes shows: titles, labels, texts, legend, and the drawn numbers."""

    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    texts: tuple[TextRecord, ...] = ()
    legend: tuple[str, ...] = ()
    lines: tuple[LineRecord, ...] = ()
    images: tuple[Any, ...] = ()  # numpy arrays (e.g. a confusion matrix drawn with imshow)
    collections: tuple[Any, ...] = ()  # numpy arrays of point offsets (scatter plots)
    bars: tuple[tuple[float, float, float, float], ...] = ()  # x, y, width, height
    xticklabels: tuple[str, ...] = ()
    yticklabels: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureRecord(Record):
    """A matplotlib figure (or a Yellowbrick visualizer's figure) as the numbers it shows."""

    suptitle: str = ""
    axes: tuple[AxesRecord, ...] = ()

    def all_texts(self) -> list[str]:
        return [t.text for ax in self.axes for t in ax.texts]


# ------------------------------------------------------------------------------------ optuna


@dataclass(frozen=True)
class TrialRecord:
    number: int
    state: str  # COMPLETE, PRUNED, FAIL, RUNNING, WAITING
    values: tuple[float, ...] | None
    params: Mapping[str, Any]
    distributions: Mapping[str, str]  # optuna's JSON form of each distribution
    intermediate_values: Mapping[int, float]
    user_attrs: Mapping[str, Any]

    @property
    def value(self) -> float | None:
        return self.values[0] if self.values else None


@dataclass(frozen=True)
class StudyRecord(Record):
    """An Optuna study: its name, where it is stored, its sampler and pruner, and its trials."""

    study_name: str = ""
    storage: str | None = None  # the storage URL for RDB-backed studies, None in memory
    directions: tuple[str, ...] = ()  # "MAXIMIZE" / "MINIMIZE"
    sampler: str = ""  # class name, e.g. "TPESampler"
    sampler_params: Mapping[str, Any] = field(default_factory=dict)
    pruner: str = ""  # class name, e.g. "MedianPruner"
    pruner_params: Mapping[str, Any] = field(default_factory=dict)
    trials: tuple[TrialRecord, ...] = ()

    @property
    def direction(self) -> str:
        return self.directions[0] if self.directions else ""

    def complete_trials(self) -> list[TrialRecord]:
        return [t for t in self.trials if t.state == "COMPLETE"]

    @property
    def best_trial(self) -> TrialRecord | None:
        done = [t for t in self.complete_trials() if t.value is not None]
        if not done:
            return None
        pick = max if self.direction == "MAXIMIZE" else min
        return pick(done, key=lambda t: float(t.value or 0.0))


# ------------------------------------------------------------------------------------ mlflow


@dataclass(frozen=True)
class ObjectRecord(Record):
    """An object read as its public attributes (MLflow entities: runs, model versions, model
    infos). Attribute access works as on the original: ``version.run_id``, ``run.info.status``."""

    attributes: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        attributes = object.__getattribute__(self, "attributes")
        if name in attributes:
            return attributes[name]
        raise AttributeError(f"{self.source_type} record has no attribute {name!r}")


# -------------------------------------------------------------------------------------- shap


@dataclass(frozen=True)
class ExplanationRecord(Record):
    """A SHAP Explanation: its arrays and names."""

    values: Any = None
    base_values: Any = None
    data: Any = None
    feature_names: tuple[str, ...] | None = None
    output_names: tuple[str, ...] | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(getattr(self.values, "shape", ()))


# ----------------------------------------------------------------------------------- pandera


@dataclass(frozen=True)
class CheckRecord:
    name: str
    statistics: Mapping[str, Any]


@dataclass(frozen=True)
class ColumnRecord:
    name: str
    dtype: str | None
    nullable: bool
    unique: bool
    coerce: bool
    required: bool
    checks: tuple[CheckRecord, ...]


@dataclass(frozen=True)
class SchemaRecord(Record):
    """A Pandera DataFrameSchema (pandas or polars backend) or DataFrameModel, as declared.

    What the schema *does* to data is measured in the kernel by the challenge's probes."""

    backend: str = ""  # "pandas" or "polars"
    columns: Mapping[str, ColumnRecord] = field(default_factory=dict)
    checks: tuple[CheckRecord, ...] = ()
    strict: Any = False
    unique: tuple[str, ...] = ()
    from_model: bool = False


# ------------------------------------------------------------------------------------ polars


@dataclass(frozen=True)
class LazyFrameRecord(Record):
    """A Polars LazyFrame: its query plans, its schema and, when it could be run, its result."""

    plan: str = ""  # explain() of the optimised plan
    unoptimized_plan: str = ""
    schema: Mapping[str, str] = field(default_factory=dict)
    result: Any = None  # the collected polars DataFrame, or None
    error: str = ""


def records_in(value: Any) -> Iterator[Record]:
    """Every record inside ``value`` (itself, or items of a list/tuple/dict)."""
    if isinstance(value, Record):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from records_in(item)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for item in value:
            yield from records_in(item)

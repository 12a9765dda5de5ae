"""The artifact format: how the learner's kernel hands its answers to the judge as pure data.

The kernel *writes* artifacts (:func:`write_artifacts`); the judge *reads* them
(:class:`Artifacts`). Nothing in the format can carry code: the judge never unpickles,
imports or calls anything the learner's process produced.

Folder layout::

    manifest.json          {"format": 1, "variables": {name: node}, "probes": {name: node}}
    blobs/<n>.arrow        Arrow IPC files (pandas frames/series/indexes with their pandas
                           metadata, polars frames/series, pyarrow tables)
    blobs/<n>.npy          numpy arrays (``allow_pickle=False`` both ways)
    blobs/<n>.skops        scikit-learn estimators (skops; loaded with an explicit trusted list)

A *node* is tagged JSON, so a set stays a set, a tuple a tuple, an int an int and a numpy
float64 a numpy float64::

    {"t": "int", "v": 3}            {"t": "float", "v": "nan"}       {"t": "set", "items": [...]}
    {"t": "dict", "items": [[key node, value node], ...]}            {"t": "np", "dtype": "float64", "v": ...}
    {"t": "pandas.DataFrame", "blob": "blobs/0.arrow"}               {"t": "placeholder"}
    {"t": "plotly.Figure", "figure": {...}}                          {"t": "record", "kind": "study", ...}
    {"t": "error", "message": "..."}                                 {"t": "unsupported", "type": "...", "text": "..."}

Values that carry behaviour (matplotlib figures, Optuna studies, MLflow entities, SHAP
explanations, Pandera schemas, Polars LazyFrames, functions) become the records of
:mod:`sandbox.grading.records`.

Limits (the judge refuses more): a manifest of 64 MB, 1 GB of blobs, nesting 64 levels deep,
1,000,000 items in one container.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import fractions
import io
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from sandbox.errors import GradingError
from sandbox.grading import records as rec
from sandbox.grading.outcome import is_placeholder

FORMAT = 1
MANIFEST = "manifest.json"
BLOBS = "blobs"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_BLOB_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 64
MAX_ITEMS = 1_000_000
_TEXT_LIMIT = 200

#: Modules whose classes the judge may rebuild from a skops file, besides skops' own defaults.
TRUSTED_ESTIMATOR_MODULES = ("sklearn.",)
#: Plain data types skops asks about that carry no code (a fitted SimpleImputer stores a dtype).
TRUSTED_DATA_TYPES = frozenset({"numpy.dtype"})


def _qualified(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a learner's __repr__ may raise anything
        text = f"<repr failed: {type(exc).__name__}>"
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


# ============================================================================ writing (kernel)


class _Writer:
    """Encodes values into nodes, writing large parts as blob files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blobs = folder / BLOBS
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def _blob(self, suffix: str, data: bytes) -> str:
        name = f"{BLOBS}/{self.count}{suffix}"
        self.count += 1
        (self.folder / name).write_bytes(data)
        return name

    # -- dispatch ---------------------------------------------------------------------------

    def encode(self, value: Any, depth: int = 0) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            return {
                "t": "unsupported",
                "type": _qualified(value),
                "text": "",
                "reason": "nested too deeply",
            }
        if is_placeholder(value):
            return {"t": "placeholder"}
        if value is None:
            return {"t": "none"}
        if isinstance(value, bool):
            return {"t": "bool", "v": value}
        module = type(value).__module__.split(".")[0]
        if module == "numpy":
            return self._numpy(value, depth)
        if isinstance(value, int):
            return {"t": "int", "v": int(value)}
        if isinstance(value, float):
            return {"t": "float", "v": _float_out(value)}
        if isinstance(value, str):
            return {"t": "str", "v": str(value)}
        if isinstance(value, bytes):
            return {"t": "bytes", "v": base64.b64encode(value).decode("ascii")}
        if isinstance(value, complex):
            return {"t": "complex", "v": [_float_out(value.real), _float_out(value.imag)]}
        if isinstance(value, decimal.Decimal):
            return {"t": "decimal", "v": str(value)}
        if isinstance(value, fractions.Fraction):
            return {"t": "fraction", "v": [value.numerator, value.denominator]}
        # By the library of the type or of one of its bases (a learner's DataFrame subclass).
        libraries = dict.fromkeys(k.__module__.split(".")[0] for k in type(value).__mro__)
        for library in libraries:
            handler = _HANDLERS.get(library)
            if handler is not None:
                node = handler(self, value, depth)
                if node is not None:
                    return node
        if isinstance(value, dt.datetime):
            return {"t": "datetime", "v": value.isoformat()}
        if isinstance(value, dt.date):
            return {"t": "date", "v": value.isoformat()}
        if isinstance(value, dt.time):
            return {"t": "time", "v": value.isoformat()}
        if isinstance(value, dt.timedelta):
            return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, Mapping):
            return self._mapping(value, depth)
        for kind, tag in ((tuple, "tuple"), (list, "list"), (frozenset, "frozenset"), (set, "set")):
            if isinstance(value, kind):
                return self._items(tag, value, depth)
        if callable(value) and not isinstance(value, type):
            return self._function(value)
        if isinstance(value, type):
            return self._class(value)
        return {
            "t": "unsupported",
            "type": _qualified(value),
            "text": _short_repr(value),
            "reason": "",
        }

    def _items(self, tag: str, values: Iterable[Any], depth: int) -> dict[str, Any]:
        items = []
        for i, item in enumerate(values):
            if i >= MAX_ITEMS:
                return {
                    "t": "unsupported",
                    "type": tag,
                    "text": "",
                    "reason": f"more than {MAX_ITEMS:,} items",
                }
            items.append(self.encode(item, depth + 1))
        return {"t": tag, "items": items}

    def _mapping(self, value: Mapping[Any, Any], depth: int) -> dict[str, Any]:
        items = []
        for i, (key, item) in enumerate(value.items()):
            if i >= MAX_ITEMS:
                return {
                    "t": "unsupported",
                    "type": "dict",
                    "text": "",
                    "reason": f"more than {MAX_ITEMS:,} items",
                }
            items.append([self.encode(key, depth + 1), self.encode(item, depth + 1)])
        return {"t": "dict", "items": items}

    def _function(self, value: Any) -> dict[str, Any]:
        return {
            "t": "record",
            "kind": "function",
            "type": _qualified(value),
            "name": str(getattr(value, "__qualname__", getattr(value, "__name__", ""))),
            "module": str(getattr(value, "__module__", "") or ""),
        }

    def _class(self, value: type) -> dict[str, Any]:
        # A pandera DataFrameModel is declared as a class; it stands for its schema.
        for base in getattr(value, "__mro__", ()):
            if base.__name__ == "DataFrameModel" and base.__module__.startswith("pandera"):
                return _pandera_schema(value.to_schema(), from_model=True)  # type: ignore[attr-defined]
        return {
            "t": "unsupported",
            "type": "builtins.type",
            "text": _short_repr(value),
            "reason": "a class",
        }

    # -- numpy ------------------------------------------------------------------------------

    def _numpy(self, value: Any, depth: int) -> dict[str, Any]:
        import numpy as np

        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                return {
                    "t": "ndarray.object",
                    "shape": list(value.shape),
                    "items": self._items("list", value.ravel().tolist(), depth)["items"],
                }
            buffer = io.BytesIO()
            np.save(buffer, value, allow_pickle=False)
            return {"t": "ndarray", "blob": self._blob(".npy", buffer.getvalue())}
        if isinstance(value, np.generic):
            if isinstance(value, (np.datetime64, np.timedelta64)):
                return {"t": "np.time", "dtype": str(value.dtype), "v": str(value)}
            return {"t": "np", "dtype": str(value.dtype), "v": self.encode(value.item(), depth + 1)}
        return {
            "t": "unsupported",
            "type": _qualified(value),
            "text": _short_repr(value),
            "reason": "",
        }

    # -- arrow-backed frames ------------------------------------------------------------------

    def arrow_blob(self, table: Any) -> str:
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        return self._blob(".arrow", sink.getvalue().to_pybytes())


def _float_out(value: float) -> float | str:
    return value if math.isfinite(value) else repr(value)  # 'nan', 'inf', '-inf'


def _float_in(value: Any) -> float:
    return float(value)


# -- pandas -------------------------------------------------------------------------------------


def _pandas(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return _pandas_frame(writer, value, depth, "pandas.DataFrame")
    if isinstance(value, pd.Series):
        node = _pandas_frame(writer, value.to_frame(name="__series__"), depth, "pandas.Series")
        node["name"] = writer.encode(value.name, depth + 1)
        return node
    if isinstance(value, pd.Index):
        node = _pandas_frame(writer, pd.DataFrame(index=value), depth, "pandas.Index")
        return node
    if value is pd.NaT:
        return {"t": "pandas.NaT"}
    if value is pd.NA:
        return {"t": "pandas.NA"}
    if isinstance(value, pd.Timestamp):
        return {"t": "pandas.Timestamp", "v": value.isoformat(), "unit": value.unit}
    if isinstance(value, pd.Timedelta):
        return {"t": "pandas.Timedelta", "v": value.value, "unit": value.unit}
    if isinstance(value, pd.Categorical):
        return _pandas_frame(
            writer, pd.Series(value).to_frame(name="__series__"), depth, "pandas.Categorical"
        )
    if isinstance(value, pd.Interval):
        return {
            "t": "pandas.Interval",
            "left": writer.encode(value.left, depth + 1),
            "right": writer.encode(value.right, depth + 1),
            "closed": value.closed,
        }
    if isinstance(value, pd.Period):
        return {"t": "pandas.Period", "v": str(value), "freq": value.freqstr}
    return None


def _pandas_frame(writer: _Writer, frame: Any, depth: int, tag: str) -> dict[str, Any]:
    import pandas as pd
    import pyarrow as pa

    try:
        table = pa.Table.from_pandas(frame, preserve_index=None)  # a RangeIndex stays one
        return {"t": tag, "blob": writer.arrow_blob(table)}
    except (pa.ArrowException, TypeError, ValueError):
        pass  # mixed-type object columns and a few exotic dtypes: write the cells as nodes
    return {
        "t": tag,
        "cells": {
            "columns": [writer.encode(c, depth + 1) for c in frame.columns],
            "dtypes": [str(d) for d in frame.dtypes],
            "data": [
                writer._items("list", frame[c].tolist(), depth)["items"] for c in frame.columns
            ]
            if frame.columns.is_unique
            else [
                writer._items("list", frame.iloc[:, i].tolist(), depth)["items"]
                for i in range(frame.shape[1])
            ],
            "index": writer._items("list", frame.index.tolist(), depth)["items"],
            "range": [frame.index.start, frame.index.stop, frame.index.step]
            if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
            else None,
            "index_names": [writer.encode(n, depth + 1) for n in frame.index.names],
        },
    }


# -- polars / pyarrow ---------------------------------------------------------------------------


def _polars(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    import polars as pl

    if isinstance(value, pl.DataFrame):
        return {"t": "polars.DataFrame", "blob": writer.arrow_blob(value.to_arrow())}
    if isinstance(value, pl.Series):
        return {
            "t": "polars.Series",
            "name": value.name,
            "blob": writer.arrow_blob(value.to_frame().to_arrow()),
        }
    if isinstance(value, pl.LazyFrame):
        node: dict[str, Any] = {"t": "record", "kind": "lazyframe", "type": _qualified(value)}
        try:
            node["plan"] = value.explain()
            node["unoptimized_plan"] = value.explain(optimized=False)
            node["schema"] = {k: str(v) for k, v in value.collect_schema().items()}
            node["result"] = writer.encode(value.collect(), depth + 1)
        except Exception as exc:
            node["error"] = f"{type(exc).__name__}: {exc}"[:500]
        return node
    return None


def _pyarrow(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    import pyarrow as pa

    if isinstance(value, pa.Table):
        return {"t": "pyarrow.Table", "blob": writer.arrow_blob(value)}
    if isinstance(value, pa.RecordBatch):
        return {
            "t": "pyarrow.RecordBatch",
            "blob": writer.arrow_blob(pa.Table.from_batches([value])),
        }
    if isinstance(value, (pa.Array, pa.ChunkedArray)):
        return {"t": "pyarrow.Array", "blob": writer.arrow_blob(pa.table({"values": value}))}
    return None


# -- plotly / matplotlib --------------------------------------------------------------------------


def _plotly(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    from plotly.basedatatypes import BaseFigure

    if isinstance(value, BaseFigure):
        return {"t": "plotly.Figure", "figure": _plain_json(value.to_plotly_json())}
    return None


_TYPED_ARRAY_DTYPES = ("i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8")


def _plain_json(value: Any) -> Any:
    """plotly's figure dict with numpy arrays, plotly's base64 "typed arrays" and numpy scalars
    as plain lists and numbers, as a learner would read them from ``fig.data``."""
    if isinstance(value, Mapping):
        if set(value) <= {"dtype", "bdata", "shape"} and {"dtype", "bdata"} <= set(value):
            import numpy as np

            dtype = str(value["dtype"])
            if dtype in _TYPED_ARRAY_DTYPES:
                array = np.frombuffer(base64.b64decode(str(value["bdata"])), dtype=dtype)
                shape = value.get("shape")
                if shape:
                    dims = (
                        [int(s) for s in str(shape).split(",")]
                        if isinstance(shape, str)
                        else list(shape)
                    )
                    array = array.reshape(dims)
                return _plain_json(array.tolist())
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_json(v) for v in value]
    if hasattr(value, "tolist") and type(value).__module__.split(".")[0] in ("numpy", "pandas"):
        return _plain_json(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _matplotlib(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(value, Axes):
        return _figure_node(writer, value.figure, _qualified(value), [value])
    if isinstance(value, (Figure, SubFigure)):
        return _figure_node(writer, value, _qualified(value), list(value.axes))
    return None


def _yellowbrick(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    figure = getattr(value, "fig", None)
    if figure is None and getattr(value, "ax", None) is not None:
        figure = value.ax.figure
    if figure is None:
        return None
    return _figure_node(writer, figure, _qualified(value), list(figure.axes))


def _figure_node(writer: _Writer, figure: Any, source_type: str, axes: list[Any]) -> dict[str, Any]:
    import numpy as np

    def text(value: Any) -> str:
        return str(value) if value is not None else ""

    def array(value: Any) -> dict[str, Any]:
        return writer.encode(np.asarray(value, dtype=float), 0)

    drawn = []
    for ax in axes:
        legend = ax.get_legend()
        drawn.append(
            {
                "title": text(ax.get_title()),
                "xlabel": text(ax.get_xlabel()),
                "ylabel": text(ax.get_ylabel()),
                "texts": [
                    [float(t.get_position()[0]), float(t.get_position()[1]), text(t.get_text())]
                    for t in ax.texts
                ],
                "legend": [text(t.get_text()) for t in legend.get_texts()] if legend else [],
                "lines": [
                    {
                        "label": text(line.get_label()),
                        "x": array(np.asarray(line.get_xdata(), dtype=float)),
                        "y": array(np.asarray(line.get_ydata(), dtype=float)),
                    }
                    for line in ax.get_lines()
                ],
                "images": [array(np.ma.filled(image.get_array(), np.nan)) for image in ax.images],
                "collections": [
                    array(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets")
                ],
                "bars": [
                    [
                        float(p.get_x()),
                        float(p.get_y()),
                        float(p.get_width()),
                        float(p.get_height()),
                    ]
                    for p in ax.patches
                    if type(p).__name__ == "Rectangle"
                ],
                "xticklabels": [text(t.get_text()) for t in ax.get_xticklabels()],
                "yticklabels": [text(t.get_text()) for t in ax.get_yticklabels()],
            }
        )
    suptitle = getattr(figure, "_suptitle", None)
    return {
        "t": "record",
        "kind": "figure",
        "type": source_type,
        "suptitle": text(suptitle.get_text()) if suptitle is not None else "",
        "axes": drawn,
    }


# -- scikit-learn ---------------------------------------------------------------------------------


def _sklearn(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    from sklearn.base import BaseEstimator

    if not isinstance(value, BaseEstimator):
        return None
    import skops.io

    try:
        data = skops.io.dumps(value)
    except Exception as exc:
        return {
            "t": "unsupported",
            "type": _qualified(value),
            "text": _short_repr(value),
            "reason": f"could not be saved with skops ({type(exc).__name__}: {exc})",
        }
    return {"t": "sklearn", "type": _qualified(value), "blob": writer._blob(".skops", data)}


# -- optuna -----------------------------------------------------------------------------------------


def _optuna(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    import optuna

    if not isinstance(value, optuna.Study):
        return None
    storage = value._storage  # the public API has no accessor; the URL says where it lives
    url = getattr(getattr(storage, "_backend", storage), "url", None)
    if url is None:
        url = getattr(storage, "url", None)
    trials = []
    for trial in value.get_trials(deepcopy=False):
        trials.append(
            {
                "number": trial.number,
                "state": trial.state.name,
                "values": [_float_out(float(v)) for v in trial.values] if trial.values else None,
                "params": writer.encode(dict(trial.params), depth + 1),
                "distributions": {
                    k: optuna.distributions.distribution_to_json(d)
                    for k, d in trial.distributions.items()
                },
                "intermediate_values": [
                    [int(step), _float_out(float(v))]
                    for step, v in trial.intermediate_values.items()
                ],
                "user_attrs": writer.encode(dict(trial.user_attrs), depth + 1),
            }
        )
    return {
        "t": "record",
        "kind": "study",
        "type": _qualified(value),
        "study_name": value.study_name,
        "storage": str(url) if url else None,
        "directions": [d.name for d in value.directions],
        "sampler": type(value.sampler).__name__,
        "sampler_params": writer.encode(_public_numbers(value.sampler), depth + 1),
        "pruner": type(value.pruner).__name__,
        "pruner_params": writer.encode(_public_numbers(value.pruner), depth + 1),
        "trials": trials,
    }


def _public_numbers(obj: Any) -> dict[str, Any]:
    """Numeric and text settings an object keeps in its attributes (``_n_startup_trials`` → ``n_startup_trials``)."""
    found: dict[str, Any] = {}
    for key, item in vars(obj).items():
        if isinstance(item, (bool, int, float, str)) or item is None:
            found[key.lstrip("_")] = item
    return found


# -- mlflow ----------------------------------------------------------------------------------------


def _mlflow(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    if depth > 6:
        return {
            "t": "unsupported",
            "type": _qualified(value),
            "text": _short_repr(value),
            "reason": "",
        }
    attributes: dict[str, Any] = {}
    for name in dir(type(value)):
        if name.startswith("_") or not isinstance(getattr(type(value), name, None), property):
            continue
        try:
            item = getattr(value, name)
        except Exception:
            continue
        if callable(item) and not isinstance(item, type):
            continue
        attributes[name] = writer.encode(item, depth + 1)
    return {"t": "record", "kind": "object", "type": _qualified(value), "attributes": attributes}


# -- shap ---------------------------------------------------------------------------------------------


def _shap(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    if type(value).__name__ != "Explanation":
        return None

    def names(item: Any) -> Any:
        return None if item is None else [str(n) for n in list(item)]

    return {
        "t": "record",
        "kind": "explanation",
        "type": _qualified(value),
        "values": writer.encode(value.values, depth + 1),
        "base_values": writer.encode(value.base_values, depth + 1),
        "data": writer.encode(value.data, depth + 1),
        "feature_names": names(value.feature_names),
        "output_names": names(getattr(value, "output_names", None)),
    }


# -- pandera ---------------------------------------------------------------------------------------------


def _pandera(writer: _Writer, value: Any, depth: int) -> dict[str, Any] | None:
    if type(value).__name__ not in ("DataFrameSchema",):
        return None
    return _pandera_schema(value, from_model=False)


def _pandera_schema(schema: Any, from_model: bool) -> dict[str, Any]:
    backend = "polars" if ".polars." in type(schema).__module__ else "pandas"

    def checks(items: Any) -> list[dict[str, Any]]:
        found = []
        for check in items or []:
            stats = getattr(check, "statistics", None) or {}
            found.append(
                {
                    "name": str(getattr(check, "name", None) or type(check).__name__),
                    "statistics": {str(k): _plain_json(_jsonable(v)) for k, v in stats.items()},
                }
            )
        return found

    columns = {}
    for name, column in (schema.columns or {}).items():
        columns[str(name)] = {
            "dtype": None if column.dtype is None else str(column.dtype),
            "nullable": bool(column.nullable),
            "unique": bool(column.unique),
            "coerce": bool(column.coerce),
            "required": bool(getattr(column, "required", True)),
            "checks": checks(column.checks),
        }
    unique = schema.unique
    return {
        "t": "record",
        "kind": "schema",
        "type": _qualified(schema),
        "backend": backend,
        "columns": columns,
        "checks": checks(schema.checks),
        "strict": schema.strict if isinstance(schema.strict, (bool, str)) else bool(schema.strict),
        "unique": [str(u) for u in ([unique] if isinstance(unique, str) else unique or [])],
        "from_model": from_model,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "pattern"):  # a compiled regular expression
        return str(value.pattern)
    return str(value)


_HANDLERS: dict[str, Callable[[_Writer, Any, int], dict[str, Any] | None]] = {
    "pandas": _pandas,
    "polars": _polars,
    "pyarrow": _pyarrow,
    "plotly": _plotly,
    "matplotlib": _matplotlib,
    "yellowbrick": _yellowbrick,
    "sklearn": _sklearn,
    "optuna": _optuna,
    "mlflow": _mlflow,
    "shap": _shap,
    "pandera": _pandera,
}


def write_artifacts(
    folder: Path,
    variables: Mapping[str, Any],
    missing: Iterable[str] = (),
    probes: Mapping[str, Any] | None = None,
) -> None:
    """Write ``variables`` (and probe results) into ``folder`` as data artifacts.

    A variable that cannot be encoded becomes an ``error`` node naming the problem; the
    others are still written. ``missing`` names variables that are not defined at all.
    """
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(folder)

    def safe(value: Any) -> dict[str, Any]:
        try:
            return writer.encode(value)
        except Exception as exc:
            return {"t": "error", "message": f"{type(exc).__name__}: {exc}"[:500]}

    manifest = {
        "format": FORMAT,
        "variables": {name: safe(value) for name, value in variables.items()},
        "missing": sorted(set(missing)),
        "probes": {name: safe(value) for name, value in (probes or {}).items()},
    }
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, allow_nan=False), encoding="utf-8")
    tmp.replace(folder / MANIFEST)


# ============================================================================== reading (judge)


class ArtifactError(GradingError):
    """An artifact folder that cannot be read (missing, too large, malformed)."""


class ExportFailure:
    """A variable that the kernel could not export; the judge reports it as an ERROR."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"<export failed: {self.message}>"


_MISSING = object()


class Artifacts:
    """A folder of artifacts, decoded lazily: ``artifacts.get("total")``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        path = self.folder / MANIFEST
        try:
            size = path.stat().st_size
        except OSError:
            raise ArtifactError(f"No artifacts were written ({path} is missing).") from None
        if size > MAX_MANIFEST_BYTES:
            raise ArtifactError(f"{path} is larger than {MAX_MANIFEST_BYTES // 2**20} MB.")
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError, UnicodeDecodeError) as exc:
            raise ArtifactError(f"{path} is not valid artifact JSON: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArtifactError(f"{path} is not an artifact manifest of format {FORMAT}.")
        variables, probes = manifest.get("variables"), manifest.get("probes", {})
        if not isinstance(variables, dict) or not isinstance(probes, dict):
            raise ArtifactError(f"{path} has malformed 'variables' or 'probes'.")
        self._nodes: dict[str, Any] = variables
        self._probe_nodes: dict[str, Any] = probes
        missing = manifest.get("missing", [])
        self.missing = (
            frozenset(str(m) for m in missing) if isinstance(missing, list) else frozenset()
        )
        self._decoded: dict[str, Any] = {}
        self._probes: dict[str, Any] = {}
        self._blob_bytes = 0

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._nodes)

    def has(self, name: str) -> bool:
        return name in self._nodes

    def get(self, name: str, default: Any = _MISSING) -> Any:
        """The decoded value of ``name`` (KeyError when it was not exported)."""
        if name not in self._nodes:
            if default is _MISSING:
                raise KeyError(name)
            return default
        if name not in self._decoded:
            self._decoded[name] = self._decode_top(self._nodes[name])
        return self._decoded[name]

    def probe(self, name: str) -> Any:
        """What the challenge's probe measured on the variable ``name`` (None if nothing)."""
        if name not in self._probe_nodes:
            return None
        if name not in self._probes:
            self._probes[name] = self._decode_top(self._probe_nodes[name])
        return self._probes[name]

    def is_placeholder(self, name: str) -> bool:
        node = self._nodes.get(name)
        return isinstance(node, dict) and node.get("t") == "placeholder"

    def _decode_top(self, node: Any) -> Any:
        if isinstance(node, dict) and node.get("t") == "error":
            return ExportFailure(str(node.get("message", "")))
        try:
            return _Reader(self).decode(node, 0)
        except ArtifactError:
            raise
        except Exception as exc:
            raise ArtifactError(
                f"A value in {self.folder} cannot be read: {type(exc).__name__}: {exc}"
            ) from None

    def blob(self, name: Any) -> bytes:
        if (
            not isinstance(name, str)
            or not name.startswith(f"{BLOBS}/")
            or ".." in name
            or "\\" in name
        ):
            raise ArtifactError(f"Malformed blob reference {name!r}.")
        path = self.folder / name
        if path.is_symlink():
            raise ArtifactError(f"{path} is a symbolic link; artifacts are plain files.")
        size = path.stat().st_size
        self._blob_bytes += size
        if size > MAX_BLOB_BYTES or self._blob_bytes > MAX_BLOB_BYTES:
            raise ArtifactError(
                f"The artifacts are larger than {MAX_BLOB_BYTES // 2**30} GB in all."
            )
        return path.read_bytes()


class _Reader:
    def __init__(self, artifacts: Artifacts) -> None:
        self.artifacts = artifacts

    def decode(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 8:
            raise ArtifactError("Artifact values are nested too deeply.")
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise ArtifactError(f"Malformed artifact node {str(node)[:80]!r}.")
        tag = node["t"]
        simple = _SIMPLE.get(tag)
        if simple is not None:
            return simple(node)
        if tag in ("list", "tuple", "set", "frozenset"):
            items = [self.decode(item, depth + 1) for item in _list(node.get("items"))]
            if tag == "list":
                return items
            if tag == "tuple":
                return tuple(items)
            return set(items) if tag == "set" else frozenset(items)
        if tag == "dict":
            result = {}
            for pair in _list(node.get("items")):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise ArtifactError("Malformed dict item in an artifact.")
                result[self.decode(pair[0], depth + 1)] = self.decode(pair[1], depth + 1)
            return result
        if tag == "np":
            import numpy as np

            return np.dtype(_numpy_dtype(node.get("dtype"))).type(
                self.decode(node.get("v"), depth + 1)
            )
        if tag == "np.time":
            import numpy as np

            dtype = np.dtype(_numpy_dtype(node.get("dtype")))
            kind = np.datetime64 if dtype.kind == "M" else np.timedelta64
            return kind(str(node.get("v")))
        if tag == "ndarray":
            import numpy as np

            return np.load(io.BytesIO(self.artifacts.blob(node.get("blob"))), allow_pickle=False)
        if tag == "ndarray.object":
            import numpy as np

            items = [self.decode(i, depth + 1) for i in _list(node.get("items"))]
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array.reshape([int(s) for s in _list(node.get("shape"))])
        if tag.startswith("pandas."):
            return self._pandas(node, depth)
        if tag.startswith(("polars.", "pyarrow.")):
            return self._arrow(node)
        if tag == "plotly.Figure":
            import plotly.graph_objects as go

            return go.Figure(node.get("figure"), skip_invalid=True)
        if tag == "sklearn":
            return self._estimator(node)
        if tag == "record":
            return self._record(node, depth)
        if tag == "unsupported":
            return rec.UnsupportedValue(
                str(node.get("type", "")), str(node.get("text", "")), str(node.get("reason", ""))
            )
        raise ArtifactError(f"Unknown artifact tag {tag!r}.")

    # -- pandas / arrow -----------------------------------------------------------------------

    def _table(self, node: dict[str, Any]) -> Any:
        import pyarrow as pa

        data = self.artifacts.blob(node.get("blob"))
        return pa.ipc.open_file(pa.BufferReader(data)).read_all()

    def _pandas(self, node: dict[str, Any], depth: int) -> Any:
        import pandas as pd

        tag = node["t"]
        if tag == "pandas.NaT":
            return pd.NaT
        if tag == "pandas.NA":
            return pd.NA
        if tag == "pandas.Timestamp":
            return pd.Timestamp(str(node.get("v"))).as_unit(str(node.get("unit", "ns")))
        if tag == "pandas.Timedelta":
            return pd.Timedelta(int(node.get("v", 0)), unit="ns").as_unit(
                str(node.get("unit", "ns"))
            )
        if tag == "pandas.Interval":
            return pd.Interval(
                self.decode(node.get("left"), depth + 1),
                self.decode(node.get("right"), depth + 1),
                closed=str(node.get("closed", "right")),
            )
        if tag == "pandas.Period":
            return pd.Period(str(node.get("v")), freq=str(node.get("freq")))
        if "blob" in node:
            frame = self._table(node).to_pandas()
        else:
            frame = self._cells(node.get("cells"), depth)
        if tag == "pandas.DataFrame":
            return frame
        if tag == "pandas.Series":
            series = frame["__series__"]
            series.name = self.decode(node.get("name", {"t": "none"}), depth + 1)
            return series
        if tag == "pandas.Categorical":
            return frame["__series__"].array
        if tag == "pandas.Index":
            return frame.index
        raise ArtifactError(f"Unknown artifact tag {tag!r}.")

    def _cells(self, cells: Any, depth: int) -> Any:
        import pandas as pd

        if not isinstance(cells, dict):
            raise ArtifactError("Malformed frame cells in an artifact.")
        columns = [self.decode(c, depth + 1) for c in _list(cells.get("columns"))]
        data = [[self.decode(v, depth + 1) for v in _list(col)] for col in _list(cells.get("data"))]
        index_values = [self.decode(v, depth + 1) for v in _list(cells.get("index"))]
        names = [self.decode(v, depth + 1) for v in _list(cells.get("index_names"))]
        span = cells.get("range")
        if isinstance(span, list) and len(span) == 3:
            index = pd.RangeIndex(int(span[0]), int(span[1]), int(span[2]))
        elif len(names) > 1:
            index = pd.MultiIndex.from_tuples(index_values, names=names)
        else:
            index = pd.Index(index_values, name=names[0] if names else None)
        frame = pd.DataFrame(dict(enumerate(data)), index=index)
        frame.columns = pd.Index(columns)
        for position, dtype in enumerate(_list(cells.get("dtypes"))):
            if dtype != "object":
                with contextlib.suppress(TypeError, ValueError):
                    frame[frame.columns[position]] = frame.iloc[:, position].astype(str(dtype))
        return frame

    def _arrow(self, node: dict[str, Any]) -> Any:
        tag = node["t"]
        table = self._table(node)
        if tag == "pyarrow.Table":
            return table
        if tag == "pyarrow.RecordBatch":
            return table.to_batches()[0] if table.num_rows else table.to_batches()
        if tag == "pyarrow.Array":
            return table.column("values")
        import polars as pl

        frame = pl.from_arrow(table)
        if tag == "polars.Series":
            return frame.to_series(0).alias(str(node.get("name", "")))  # type: ignore[union-attr]
        return frame

    # -- estimators ---------------------------------------------------------------------------

    def _estimator(self, node: dict[str, Any]) -> Any:
        import skops.io

        data = self.artifacts.blob(node.get("blob"))
        source_type = str(node.get("type", ""))
        untrusted = [t for t in skops.io.get_untrusted_types(data=data) if not _trusted_type(t)]
        if untrusted:
            return rec.UntrustedEstimator(source_type, tuple(untrusted))
        trusted = skops.io.get_untrusted_types(data=data)
        return skops.io.loads(data, trusted=trusted)

    # -- records --------------------------------------------------------------------------------

    def _record(self, node: dict[str, Any], depth: int) -> Any:
        kind, source = node.get("kind"), str(node.get("type", ""))
        if kind == "function":
            return rec.FunctionValue(source, str(node.get("name", "")), str(node.get("module", "")))
        if kind == "figure":
            return rec.FigureRecord(
                source,
                str(node.get("suptitle", "")),
                tuple(self._axes(a) for a in _list(node.get("axes"))),
            )
        if kind == "study":
            return self._study(node, source, depth)
        if kind == "object":
            attributes = node.get("attributes")
            if not isinstance(attributes, dict):
                raise ArtifactError("Malformed object record.")
            return rec.ObjectRecord(
                source, {str(k): self.decode(v, depth + 1) for k, v in attributes.items()}
            )
        if kind == "explanation":
            return rec.ExplanationRecord(
                source,
                self.decode(node.get("values"), depth + 1),
                self.decode(node.get("base_values"), depth + 1),
                self.decode(node.get("data"), depth + 1),
                _names(node.get("feature_names")),
                _names(node.get("output_names")),
            )
        if kind == "schema":
            return self._schema(node, source)
        if kind == "lazyframe":
            return rec.LazyFrameRecord(
                source,
                str(node.get("plan", "")),
                str(node.get("unoptimized_plan", "")),
                {str(k): str(v) for k, v in dict(node.get("schema") or {}).items()},
                self.decode(node["result"], depth + 1) if "result" in node else None,
                str(node.get("error", "")),
            )
        raise ArtifactError(f"Unknown record kind {kind!r}.")

    def _axes(self, node: Any) -> rec.AxesRecord:
        if not isinstance(node, dict):
            raise ArtifactError("Malformed axes record.")

        def arrays(key: str) -> tuple[Any, ...]:
            return tuple(self.decode(a, 1) for a in _list(node.get(key)))

        return rec.AxesRecord(
            title=str(node.get("title", "")),
            xlabel=str(node.get("xlabel", "")),
            ylabel=str(node.get("ylabel", "")),
            texts=tuple(
                rec.TextRecord(float(t[0]), float(t[1]), str(t[2]))
                for t in _list(node.get("texts"))
            ),
            legend=tuple(str(t) for t in _list(node.get("legend"))),
            lines=tuple(
                rec.LineRecord(
                    str(line.get("label", "")),
                    tuple(float(v) for v in self.decode(line.get("x"), 1)),
                    tuple(float(v) for v in self.decode(line.get("y"), 1)),
                )
                for line in _list(node.get("lines"))
            ),
            images=arrays("images"),
            collections=arrays("collections"),
            bars=tuple(
                (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
                for b in _list(node.get("bars"))
            ),
            xticklabels=tuple(str(t) for t in _list(node.get("xticklabels"))),
            yticklabels=tuple(str(t) for t in _list(node.get("yticklabels"))),
        )

    def _study(self, node: dict[str, Any], source: str, depth: int) -> rec.StudyRecord:
        trials = []
        for raw in _list(node.get("trials")):
            values = raw.get("values")
            trials.append(
                rec.TrialRecord(
                    number=int(raw.get("number", 0)),
                    state=str(raw.get("state", "")),
                    values=tuple(_float_in(v) for v in values)
                    if isinstance(values, list)
                    else None,
                    params=self.decode(raw.get("params"), depth + 1),
                    distributions={
                        str(k): str(v) for k, v in dict(raw.get("distributions") or {}).items()
                    },
                    intermediate_values={
                        int(step): _float_in(value)
                        for step, value in _list(raw.get("intermediate_values"))
                    },
                    user_attrs=self.decode(raw.get("user_attrs"), depth + 1),
                )
            )
        storage = node.get("storage")
        return rec.StudyRecord(
            source,
            study_name=str(node.get("study_name", "")),
            storage=str(storage) if storage else None,
            directions=tuple(str(d) for d in _list(node.get("directions"))),
            sampler=str(node.get("sampler", "")),
            sampler_params=self.decode(
                node.get("sampler_params", {"t": "dict", "items": []}), depth + 1
            ),
            pruner=str(node.get("pruner", "")),
            pruner_params=self.decode(
                node.get("pruner_params", {"t": "dict", "items": []}), depth + 1
            ),
            trials=tuple(trials),
        )

    def _schema(self, node: dict[str, Any], source: str) -> rec.SchemaRecord:
        def checks(items: Any) -> tuple[rec.CheckRecord, ...]:
            return tuple(
                rec.CheckRecord(str(c.get("name", "")), dict(c.get("statistics") or {}))
                for c in _list(items)
            )

        columns = {}
        for name, column in dict(node.get("columns") or {}).items():
            columns[str(name)] = rec.ColumnRecord(
                str(name),
                None if column.get("dtype") is None else str(column.get("dtype")),
                bool(column.get("nullable")),
                bool(column.get("unique")),
                bool(column.get("coerce")),
                bool(column.get("required", True)),
                checks(column.get("checks")),
            )
        return rec.SchemaRecord(
            source,
            backend=str(node.get("backend", "")),
            columns=columns,
            checks=checks(node.get("checks")),
            strict=node.get("strict", False),
            unique=tuple(str(u) for u in _list(node.get("unique"))),
            from_model=bool(node.get("from_model")),
        )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ArtifactError("Malformed artifact: expected a list.")
    return value


def _names(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in _list(value))


def _numpy_dtype(name: Any) -> str:
    text = str(name)
    if not text.replace("[", "").replace("]", "").replace("<", "").isalnum():
        raise ArtifactError(f"Malformed numpy dtype {text!r}.")
    return text


def _trusted_type(name: str) -> bool:
    """A class from scikit-learn (never a function: a FunctionTransformer's func is learner code
    unless skops itself trusts it, as it does numpy ufuncs)."""
    if name in TRUSTED_DATA_TYPES:
        return True
    if not name.startswith(TRUSTED_ESTIMATOR_MODULES):
        return False
    import importlib

    module_name, _, attribute = name.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError):
        return False
    return isinstance(found, type)


def _simple_timestamp(node: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(str(node.get("v")))


_SIMPLE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "none": lambda n: None,
    "placeholder": lambda n: _placeholder(),
    "bool": lambda n: bool(n.get("v")),
    "int": lambda n: int(n.get("v")),  # type: ignore[arg-type]
    "float": lambda n: _float_in(n.get("v")),
    "str": lambda n: str(n.get("v")),
    "bytes": lambda n: base64.b64decode(str(n.get("v"))),
    "complex": lambda n: complex(_float_in(n["v"][0]), _float_in(n["v"][1])),
    "decimal": lambda n: decimal.Decimal(str(n.get("v"))),
    "fraction": lambda n: fractions.Fraction(int(n["v"][0]), int(n["v"][1])),
    "datetime": _simple_timestamp,
    "date": lambda n: dt.date.fromisoformat(str(n.get("v"))),
    "time": lambda n: dt.time.fromisoformat(str(n.get("v"))),
    "timedelta": lambda n: dt.timedelta(days=n["v"][0], seconds=n["v"][1], microseconds=n["v"][2]),
}


def _placeholder() -> Any:
    from sandbox.grading.outcome import PLACEHOLDER

    return PLACEHOLDER

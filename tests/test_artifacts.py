"""The artifact format: what the kernel hands the judge comes back as the same data, and
nothing in it can make the judge run code."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from sandbox.grading import records
from sandbox.grading.artifacts import ArtifactError, Artifacts, ExportFailure, write_artifacts
from sandbox.grading.outcome import PLACEHOLDER


def roundtrip(tmp_path: Path, value: Any) -> Any:
    folder = tmp_path / "artifacts"
    write_artifacts(folder, {"value": value})
    return Artifacts(folder).get("value")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(3, id="int"),
        pytest.param(2**80, id="big-int"),
        pytest.param(2.5, id="float"),
        pytest.param(True, id="bool"),
        pytest.param(None, id="none"),
        pytest.param("text", id="str"),
        pytest.param(b"\x00\x01", id="bytes"),
        pytest.param((1, "a"), id="tuple"),
        pytest.param([1, [2, 3]], id="list"),
        pytest.param({1, 2, 3}, id="set"),
        pytest.param(frozenset({"a"}), id="frozenset"),
        pytest.param({"a": 1, 2: (3,)}, id="dict-with-int-key"),
        pytest.param(dt.date(2024, 2, 29), id="date"),
        pytest.param(dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.UTC), id="datetime"),
        pytest.param(dt.timedelta(days=2, seconds=3), id="timedelta"),
        pytest.param(pd.Timestamp("2024-01-02 03:04:05"), id="timestamp"),
    ],
)
def test_plain_values_keep_their_type(tmp_path: Path, value: Any) -> None:
    back = roundtrip(tmp_path, value)
    assert back == value and type(back) is type(value)


def test_numpy_values_keep_their_type_and_nan_survives(tmp_path: Path) -> None:
    for value in (np.float64(1.5), np.int32(7), np.bool_(True)):
        back = roundtrip(tmp_path, value)
        assert back == value and type(back) is type(value)
    assert math.isnan(roundtrip(tmp_path, float("nan")))
    assert roundtrip(tmp_path, float("-inf")) == float("-inf")
    array = np.arange(12, dtype="int16").reshape(3, 4)
    back = roundtrip(tmp_path, array)
    assert back.dtype == array.dtype and (back == array).all()
    mixed = np.array([1, "a", None], dtype=object)
    assert list(roundtrip(tmp_path, mixed)) == [1, "a", None]


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param(
            pd.DataFrame(
                {
                    "when": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                    "name": pd.array(["a", None], dtype="str"),
                    "n": pd.array([1, None], dtype="Int64"),
                    "x": [1.5, float("nan")],
                }
            ),
            id="mixed-dtypes-range-index",
        ),
        pytest.param(
            pd.DataFrame({"v": [1, 2]}, index=pd.Index(["b", "a"], name="key")), id="named-index"
        ),
        pytest.param(
            pd.DataFrame({"v": [1.0, 2.0]}, index=pd.date_range("2024-01-01", periods=2, freq="W")),
            id="datetime-index",
        ),
        pytest.param(
            pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])),
            id="multi-index",
        ),
        pytest.param(pd.DataFrame({0: [1], 1: [2]}), id="int-column-labels"),
        pytest.param(
            pd.DataFrame({"d": pd.array([1.5, None], dtype="double[pyarrow]")}), id="arrow-dtype"
        ),
        pytest.param(pd.DataFrame({"o": [1, "a"]}), id="mixed-object-column"),
    ],
)
def test_pandas_frames_keep_dtypes_index_and_labels(tmp_path: Path, frame: pd.DataFrame) -> None:
    back = roundtrip(tmp_path, frame)
    pd.testing.assert_frame_equal(back, frame, check_freq=False)  # Arrow keeps no index freq
    assert type(back.index) is type(frame.index)


def test_series_keep_their_name_or_lack_of_one(tmp_path: Path) -> None:
    named = pd.Series([1.0, 2.0], index=pd.CategoricalIndex(["x", "y"], name="bin"), name="rate")
    back = roundtrip(tmp_path, named)
    pd.testing.assert_series_equal(back, named)
    unnamed = pd.Series([1, 2])
    assert roundtrip(tmp_path, unnamed).name is None


def test_polars_and_arrow_values(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", None]})
    assert roundtrip(tmp_path, frame).equals(frame)
    series = pl.Series("s", [1.0, 2.0])
    assert roundtrip(tmp_path, series).equals(series)
    table = pa.table({"c": pa.array(["u", "v"], type=pa.large_string())})
    assert roundtrip(tmp_path, table).equals(table)
    lazy = roundtrip(tmp_path, frame.lazy().filter(pl.col("a") > 1))
    assert isinstance(lazy, records.LazyFrameRecord) and "FILTER" in lazy.plan.upper()
    assert lazy.result.equals(frame.filter(pl.col("a") > 1))


def test_plotly_figures_come_back_with_plain_numbers(tmp_path: Path) -> None:
    import plotly.express as px

    fig = px.bar(pd.DataFrame({"k": ["a", "b"], "v": [1.5, 2.5]}), x="k", y="v", title="T")
    back = roundtrip(tmp_path, fig)
    assert type(back).__name__ == "Figure"
    assert list(back.data[0].y) == [1.5, 2.5] and list(back.data[0].x) == ["a", "b"]
    assert back.layout.title.text == "T"


def test_matplotlib_figures_become_the_numbers_they_show(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.imshow(np.array([[5, 1], [2, 7]]))
    ax.text(0, 0, "5")
    ax.set_title("Confusion")
    ax.plot([1, 2], [3, 4], label="line")
    ax.legend()
    back = roundtrip(tmp_path, fig)
    plt.close(fig)
    assert isinstance(back, records.FigureRecord)
    (axes,) = back.axes
    assert axes.title == "Confusion" and axes.legend == ("line",)
    assert [t.text for t in axes.texts] == ["5"] and axes.lines[0].y == (3.0, 4.0)
    assert (axes.images[0] == np.array([[5, 1], [2, 7]])).all()


def test_sklearn_models_load_with_trusted_types_only(tmp_path: Path) -> None:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y = np.arange(20.0).reshape(10, 2), [0, 1] * 5
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    back = roundtrip(tmp_path, forest)
    assert type(back) is RandomForestClassifier
    assert (back.predict_proba(X) == forest.predict_proba(X)).all()

    from sklearn.impute import SimpleImputer

    imputer = SimpleImputer(strategy="median").fit(X)  # stores a numpy dtype: plain data
    assert (roundtrip(tmp_path, imputer).statistics_ == imputer.statistics_).all()

    def learner_function(frame: Any) -> Any:
        return frame

    piped = make_pipeline(FunctionTransformer(learner_function), forest).fit(X, y)
    refused = roundtrip(tmp_path, piped)
    assert isinstance(refused, records.UntrustedEstimator)
    assert any("learner_function" in t for t in refused.untrusted)


def test_the_placeholder_and_missing_and_failed_variables(tmp_path: Path) -> None:
    class Unexportable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    folder = tmp_path / "a"
    write_artifacts(folder, {"todo": PLACEHOLDER, "odd": Unexportable()}, missing=["gone"])
    artifacts = Artifacts(folder)
    assert artifacts.is_placeholder("todo") and artifacts.get("todo") is PLACEHOLDER
    assert "gone" in artifacts.missing and not artifacts.has("gone")
    odd = artifacts.get("odd")
    assert isinstance(odd, records.UnsupportedValue) and odd.source_type.endswith("Unexportable")


def test_an_exporter_that_fails_on_one_variable_still_writes_the_others(tmp_path: Path) -> None:
    class Explodes(pd.Series):  # type: ignore[misc]
        def to_frame(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    folder = tmp_path / "a"
    write_artifacts(folder, {"ok": 1, "bad": Explodes([1])})
    artifacts = Artifacts(folder)
    assert artifacts.get("ok") == 1
    bad = artifacts.get("bad")
    assert isinstance(bad, ExportFailure) and "boom" in bad.message


# ------------------------------------------------------------------------- hostile artifacts


def write_manifest(folder: Path, variables: dict[str, Any]) -> Artifacts:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "variables": variables}))
    return Artifacts(folder)


def test_blob_references_cannot_leave_the_artifact_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.npy"
    np.save(secret, np.arange(3))
    artifacts = write_manifest(
        tmp_path / "a", {"x": {"t": "ndarray", "blob": "blobs/../../secret.npy"}}
    )
    with pytest.raises(ArtifactError, match="Malformed blob"):
        artifacts.get("x")


def test_symlinked_blobs_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    (folder / "blobs").mkdir(parents=True)
    np.save(tmp_path / "elsewhere.npy", np.arange(3))
    os.symlink(tmp_path / "elsewhere.npy", folder / "blobs" / "0.npy")
    artifacts = write_manifest(folder, {"x": {"t": "ndarray", "blob": "blobs/0.npy"}})
    with pytest.raises(ArtifactError, match="symbolic link"):
        artifacts.get("x")


def test_pickled_numpy_arrays_are_never_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    (folder / "blobs").mkdir(parents=True)
    np.save(folder / "blobs" / "0.npy", np.array([object()], dtype=object), allow_pickle=True)
    artifacts = write_manifest(folder, {"x": {"t": "ndarray", "blob": "blobs/0.npy"}})
    with pytest.raises(ArtifactError, match="cannot be read"):
        artifacts.get("x")


def test_malformed_manifests_are_clear_errors(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    with pytest.raises(ArtifactError, match="missing"):
        Artifacts(folder)
    (folder / "manifest.json").write_text("[" * 100_000)
    with pytest.raises(ArtifactError, match="not valid artifact JSON"):
        Artifacts(folder)
    (folder / "manifest.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(ArtifactError, match="format 1"):
        Artifacts(folder)
    artifacts = write_manifest(folder, {"x": {"t": "no-such-tag"}})
    with pytest.raises(ArtifactError, match="Unknown artifact tag"):
        artifacts.get("x")
    deep: dict[str, Any] = {"t": "none"}
    for _ in range(200):
        deep = {"t": "list", "items": [deep]}
    artifacts = write_manifest(folder, {"x": deep})
    with pytest.raises(ArtifactError, match="nested too deeply"):
        artifacts.get("x")


def test_an_untrusted_skops_type_is_a_record_never_a_load(tmp_path: Path) -> None:
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    folder = tmp_path / "a"
    (folder / "blobs").mkdir(parents=True)
    data = skops.io.dumps(FunctionTransformer(func=os.system))
    (folder / "blobs" / "0.skops").write_bytes(data)
    artifacts = write_manifest(
        folder, {"m": {"t": "sklearn", "type": "x.Y", "blob": "blobs/0.skops"}}
    )
    value = artifacts.get("m")
    assert isinstance(value, records.UntrustedEstimator)
    assert any("system" in t for t in value.untrusted)

"""Expected values are computed from the reference once and reused from the data home."""

from __future__ import annotations

import pickle
from pathlib import Path

import plotly.express as px
import pytest

from sandbox.grading import reference
from sandbox.learner import Learner


@pytest.fixture(autouse=True)
def private_memory_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests tamper with cached values: keep them out of the process-wide cache."""
    monkeypatch.setattr(reference, "_CACHE", {})


def test_expected_values_are_cached_in_the_data_home(fixture_content: Path, home: Path) -> None:
    challenge = Learner.open().catalogue.get("alpha")
    values = reference.expected_values(challenge)
    assert values["count"] == 8 and values["total"] == sum([3, 1, 4, 1, 5, 9, 2, 6])
    files = list((home / "cache" / "expected").glob("alpha-*.pickle"))
    assert len(files) == 1
    # A fresh process would read the file: prove it by reading through a cleared memory cache.
    files[0].write_bytes(pickle.dumps({"total": -1, "count": -1}))
    reference._CACHE.clear()
    assert reference.expected_values(challenge)["total"] == -1


def test_changing_the_solution_changes_the_key(fixture_content: Path) -> None:
    challenge = Learner.open().catalogue.get("alpha")
    before = reference.reference_key(challenge)
    challenge.solution_file.write_text(challenge.solution_file.read_text() + "\n# edited\n")
    assert reference.reference_key(challenge) != before


def test_figures_are_not_cached_on_disk(home: Path) -> None:
    reference._store_cached("figure-probe", {"fig": px.bar(x=[1, 2], y=[3, 4])})
    assert not (home / "cache" / "expected" / "figure-probe.pickle").exists()
    reference._store_cached("plain-probe", {"n": 3})
    assert (home / "cache" / "expected" / "plain-probe.pickle").exists()


@pytest.mark.slow  # over ~20 s: second tier
def test_reference_run_leaves_the_learners_mlflow_state_alone(home: Path) -> None:
    """The reference of an MLflow challenge runs in a throwaway home; the learner's tracking
    URI, registry URI and active experiment are as they were afterwards."""
    import mlflow
    from mlflow.tracking import fluent

    from sandbox.catalogue import load_catalogue
    from sandbox.integrations import tracking
    from sandbox.paths import repo_root

    tracking.configure(home, experiment="churn-sweep")
    before = (mlflow.get_tracking_uri(), mlflow.get_registry_uri(), fluent._active_experiment_id)
    values = reference.expected_values(load_catalogue(repo_root()).get("compare-and-register"))
    assert values  # the reference ran
    after = (mlflow.get_tracking_uri(), mlflow.get_registry_uri(), fluent._active_experiment_id)
    assert after == before and str(home) in before[0]
    assert not any(p.name.startswith("sandbox-reference-") for p in home.iterdir())

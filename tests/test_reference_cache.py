"""Expected values: computed by the reference in its own process, cached as sealed data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sandbox.catalogue import Challenge
from sandbox.grading import expected
from sandbox.grading.artifacts import Artifacts
from sandbox.learner import Learner


def alpha() -> Challenge:
    return Learner.open().catalogue.get("alpha")


def test_expected_values_are_cached_as_sealed_data(fixture_content: Path, home: Path) -> None:
    entry = expected.ensure_expected(alpha(), home)
    assert entry.computed and entry.folder.parent == home / "cache" / "expected" / "alpha"
    values = Artifacts(entry.folder)
    assert values.get("count") == 8 and values.get("total") == 31
    suffixes = {p.suffix for p in entry.folder.rglob("*") if p.is_file()}
    assert ".pickle" not in suffixes and ".pkl" not in suffixes
    again = expected.ensure_expected(alpha(), home)
    assert not again.computed and again.folder == entry.folder
    assert (home / "cache" / "seal.key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("tamper", ["edit", "add", "remove", "reseal-without-key"])
def test_an_entry_changed_by_hand_is_detected_and_recomputed(
    fixture_content: Path, home: Path, tamper: str
) -> None:
    folder = expected.ensure_expected(alpha(), home).folder
    manifest = folder / "manifest.json"
    if tamper == "edit":
        data = json.loads(manifest.read_text())
        data["variables"]["total"] = {"t": "int", "v": -1}
        manifest.write_text(json.dumps(data))
    elif tamper == "add":
        (folder / "blobs" / "extra.npy").write_bytes(b"x")
    elif tamper == "remove":
        manifest.unlink()
    else:
        seal = json.loads((folder / "seal.json").read_text())
        seal["mac"] = "0" * 64
        (folder / "seal.json").write_text(json.dumps(seal))
    assert not expected.seal_holds(home, folder, "alpha", folder.name)
    entry = expected.ensure_expected(alpha(), home)
    assert entry.computed and Artifacts(entry.folder).get("total") == 31


def test_a_new_seal_key_invalidates_old_entries(fixture_content: Path, home: Path) -> None:
    folder = expected.ensure_expected(alpha(), home).folder
    (home / "cache" / "seal.key").unlink()
    assert not expected.seal_holds(home, folder, "alpha", folder.name)
    assert expected.ensure_expected(alpha(), home).computed


def test_the_key_covers_challenge_files_datasets_and_library_versions(
    fixture_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    challenge = alpha()
    before = expected.cache_key(challenge)
    challenge.solution_file.write_text(challenge.solution_file.read_text() + "\n# edited\n")
    edited = expected.cache_key(challenge)
    assert edited != before
    monkeypatch.setattr(expected, "_VERSIONS", "pandas==0.0")
    assert expected.cache_key(challenge) != edited
    monkeypatch.setattr(expected, "datasets_dir", lambda: fixture_content / "challenges")
    assert expected.cache_key(challenge) not in (before, edited)


def test_old_pickle_caches_are_removed_and_never_read(fixture_content: Path, home: Path) -> None:
    root = home / "cache" / "expected"
    root.mkdir(parents=True)
    stale = root / "alpha-0123456789abcdef.pickle"
    stale.write_bytes(b"\x80\x04not really a pickle")
    expected.remove_legacy_cache(home)
    assert not stale.exists()


def test_a_broken_reference_is_a_clear_grading_error(fixture_content: Path, home: Path) -> None:
    challenge = alpha()
    challenge.solution_file.write_text("# %% q1\ntotal = undefined_name\n# %% q2\ncount = 1\n")
    with pytest.raises(
        expected.GradingError, match=r"reference solution of 'alpha' failed in task q1"
    ):
        expected.ensure_expected(challenge, home)


@pytest.mark.slow  # over ~20 s: second tier
@pytest.mark.kernel
def test_the_reference_runs_in_its_own_process_and_leaves_this_one_alone(home: Path) -> None:
    """An MLflow challenge's reference logs runs in a throwaway home of its own process: the
    learner's store and this process's MLflow state are untouched."""
    import mlflow
    from mlflow.tracking import fluent

    from sandbox.catalogue import load_catalogue
    from sandbox.integrations import tracking
    from sandbox.paths import repo_root

    tracking.configure(home, experiment="churn-sweep")
    before = (mlflow.get_tracking_uri(), mlflow.get_registry_uri(), fluent._active_experiment_id)
    runs_before = len(tracking.find_runs(home=home, experiment="churn-sweep"))
    challenge = load_catalogue(repo_root()).get("compare-and-register")
    entry = expected.ensure_expected(challenge, home)
    assert Artifacts(entry.folder).get("sweep_run_ids")  # the reference ran
    after = (mlflow.get_tracking_uri(), mlflow.get_registry_uri(), fluent._active_experiment_id)
    assert after == before and str(home) in before[0]
    assert len(tracking.find_runs(home=home, experiment="churn-sweep")) == runs_before
    assert not any(p.name.startswith("sandbox-reference-") for p in home.iterdir())
    assert os.getcwd() != str(home / "workspace")


def test_verifications_starting_together_agree_on_one_seal_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: expected._seal_key(tmp_path), range(64)))
    assert len(keys) == 1
    key_file = tmp_path / "cache" / expected.KEY_FILE
    assert key_file.read_bytes() in keys and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in key_file.parent.iterdir()) == [expected.KEY_FILE]


def test_a_damaged_seal_key_is_replaced(tmp_path: Path) -> None:
    key_file = tmp_path / "cache" / expected.KEY_FILE
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"short")
    key = expected._seal_key(tmp_path)
    assert len(key) == 32 and key_file.read_bytes() == key


def test_a_reference_run_leaves_no_scratch_folder_even_when_stopped_at_its_timeout(
    fixture_content: Path, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.errors import GradingError

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)  # asked again, so this process uses it too
    expected.compute_reference(alpha(), tmp_path / "done")
    assert list(temp.iterdir()) == []
    solution = fixture_content / "challenges" / "level_1" / "alpha" / "solution.py"
    started = temp / "started"
    solution.write_text(
        solution.read_text().replace(
            "# %% q2\n",
            f"# %% q2\nimport pathlib, time\npathlib.Path({str(started)!r}).touch()\n"
            "time.sleep(120)\n",
        )
    )
    with pytest.raises(GradingError, match="did not finish within"):
        expected.compute_reference(alpha(), tmp_path / "stopped", timeout=10)
    assert started.exists(), "the reference was stopped while it ran, its folders made"
    assert [p.name for p in temp.iterdir()] == ["started"]

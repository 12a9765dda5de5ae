"""Profiles, export/import and Open Badges credentials."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from sandbox.cli import app
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

runner = CliRunner()
SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "ob_v3p0_achievementcredential_schema.json").read_text()
)


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_profiles_are_separate_stores_under_the_data_home(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    assert cli("--profile", "ada", "open", "beta", "--no-launch")[0] == 0
    ada = json.loads(cli("--profile", "ada", "status", "--json")[1])
    assert ada["xp"] == 0 and ada["data_home"] == str(home / "profiles" / "ada")
    assert json.loads(cli("status", "--json")[1])["xp"] == 120
    listed = json.loads(cli("profiles", "--json")[1])["profiles"]
    assert [(p["name"], p["xp"]) for p in listed] == [("default", 120), ("ada", 0)]
    assert (home / "profiles" / "ada" / "workspace" / "level_1" / "beta.ipynb").is_file()


@pytest.mark.parametrize("name", ["../escape", "/etc", "Ada", "a/b", ".."])
def test_profile_names_are_validated(name: str, home: Path) -> None:
    code, _, err = cli("--profile", name, "status")
    assert code == 2 and "not a valid profile name" in err
    assert not home.exists() or not (home / "profiles").exists()


def test_export_import_round_trip_keeps_the_log_but_claims_earn_nothing(
    home: Path, tmp_path: Path
) -> None:
    store = ProgressStore(home)
    store.set_learner_name("Ada")
    store.append("hint", "alpha", "q1", {"index": 0})
    store.append("verified", "alpha")
    out = tmp_path / "export.json"
    assert cli("export", "--format", "json", "--output", str(out))[0] == 0
    code, stdout, _ = cli("--profile", "laptop", "import", str(out))
    assert code == 0 and "Imported 2 new event(s)" in stdout
    assert "Imported, not re-verified" in stdout and "alpha" in stdout
    original, restored = Learner.open(home), Learner.open(home, "laptop")
    assert [(e.id, e.ts, e.kind, e.challenge, e.task) for e in restored.progress().events] == [
        (e.id, e.ts, e.kind, e.challenge, e.task) for e in original.progress().events
    ]
    assert all(e.details.get("imported") is True for e in restored.progress().events)
    assert restored.progress().learner_name == "Ada"
    assert original.engine().xp == 100 and restored.engine().xp == 0
    assert restored.engine().status("alpha").state.value == "in_progress"


def test_import_refuses_a_non_empty_profile_without_force_then_merges_with_backup(
    home: Path, tmp_path: Path
) -> None:
    ProgressStore(home).append("verified", "alpha")
    out = tmp_path / "export.json"
    cli("export", "--output", str(out))
    target = Learner.open(home, "other")
    target.store.append("opened", "beta")
    before = target.store.path.read_text()
    code, _, err = cli("--profile", "other", "import", str(out))
    assert code == 1 and "already has 1 events" in err and "--force" in err
    assert target.store.path.read_text() == before
    code, stdout, _ = cli("--profile", "other", "import", str(out), "--force")
    assert code == 0 and "Imported 1 new event(s)" in stdout
    backup = Path(stdout.split("Backup of the previous progress: ")[1].splitlines()[0].strip())
    assert backup.read_text() == before
    # Imported events go after what the profile already holds: the log keeps its order.
    assert [e.kind for e in target.progress().events] == ["opened", "verified"]
    assert cli("--profile", "other", "import", str(out), "--force")[1].startswith(
        "Imported 0 new event(s)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("not json", "is not a readable sandbox export", id="not-json"),
        pytest.param('{"format": "something-else"}', "is not a sandbox export", id="other-format"),
        pytest.param(
            '{"format": "data-science-sandbox-export", "format_version": 1, "progress": {"format_version": 1, "events": [{"id": 1}]}}',
            "event 0",
            id="bad-event",
        ),
    ],
)
def test_import_rejects_bad_files_and_changes_nothing(
    content: str, message: str, home: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = cli("import", str(bad))
    assert code == 1 and message in err and str(bad) in err
    assert not (home / "progress.json").exists()


def test_open_badges_export_matches_the_ob3_schema(home: Path, tmp_path: Path) -> None:
    store = ProgressStore(home)
    store.append("verified", "alpha")
    store.append("verified", "beta")
    folder = tmp_path / "badges"
    code, out, _ = cli("export", "--format", "openbadges", "--output", str(folder))
    earned = {b["id"] for b in json.loads(cli("badges", "--json")[1])["badges"] if b["earned"]}
    files = sorted(folder.glob("*.json"))
    assert code == 0 and f"Wrote {len(earned)} unsigned" in out
    assert {f.stem for f in files} == earned and len(earned) >= 2
    validator = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for path in files:
        credential = json.loads(path.read_text())
        errors = sorted(validator.iter_errors(credential), key=str)
        assert not errors, f"{path.name}: {errors[0].message}"
        assert "proof" not in credential and "UNSIGNED" in credential["description"]


def test_schema_fixture_rejects_a_malformed_credential() -> None:
    """The fixture can fail: a credential missing required parts does not validate."""
    validator = jsonschema.Draft201909Validator(SCHEMA)
    broken = {"@context": [], "type": ["VerifiableCredential"], "credentialSubject": {"name": "x"}}
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "'issuer' is a required property" in messages and "achievement" in messages

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandbox.cli import app
from sandbox.progress import ProgressStore

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def test_status_json_shape_for_a_new_learner(home: Path) -> None:
    code, out, _ = run("status", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["xp"] == 0 and data["level"] == 1 and data["level_name"] == "Explorer"
    assert data["xp_to_next_level"] == 150 and data["streak_days"] == 0 and data["badges"] == 0
    assert data["next_challenge"] == "alpha" and data["data_home"] == str(home)
    assert not (home / "progress.json").exists()  # reading never creates the store


def test_status_reflects_the_store(home: Path) -> None:
    store = ProgressStore(home)
    store.append("verified", "alpha")
    data = json.loads(run("status", "--json")[1])
    assert data["xp"] == 120 and data["badges"] == 1 and data["badges_earned"] == ["first-verified"]
    code, out, _ = run("status")
    assert code == 0 and "XP 120" in out and "30 XP to level 2" in out


def test_home_option_overrides_env(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ProgressStore(other).append("verified", "alpha")
    assert json.loads(run("--home", str(other), "status", "--json")[1])["xp"] == 120
    assert json.loads(run("status", "--json")[1])["xp"] == 0


def test_list_json_and_level_filter(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    data = json.loads(run("list", "--json")[1])["challenges"]
    assert [(c["id"], c["level"], c["state"]) for c in data] == [
        ("alpha", 1, "verified"),
        ("beta", 1, "available"),
        ("gamma", 2, "locked"),
    ]
    assert {c["title"] for c in data} == {"Add up a list", "Query with SQL", "Unique values"}
    only2 = json.loads(run("list", "--level", "2", "--json")[1])["challenges"]
    assert [c["id"] for c in only2] == ["gamma"]
    code, _, err = run("list", "--level", "9")
    assert code == 1 and "No level 9" in err  # an unknown level is a domain error, like an id


def test_log_and_badges_json(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("verified", "alpha")
    events = json.loads(run("log", "--json")[1])["events"]
    assert [e["kind"] for e in events] == ["opened", "verified"]
    badges = json.loads(run("badges", "--json")[1])["badges"]
    first = next(b for b in badges if b["id"] == "first-verified")
    assert first["earned"] and first["earned_at"] == events[1]["ts"]
    assert next(b for b in badges if b["id"] == "xp-300")["current"] == 120


def test_reset_requires_exactly_one_scope() -> None:
    code, _, err = run("reset", "--yes")
    assert code == 2 and "exactly one" in err
    code, _, err = run("reset", "--all", "--level", "1", "--yes")
    assert code == 2


def test_reset_asks_and_does_nothing_when_declined(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    code, out, _ = run("reset", "--all", input="n\n")
    assert code == 0 and "Nothing was reset" in out  # declining is the learner's choice
    assert json.loads(run("status", "--json")[1])["xp"] == 120


def test_reset_challenge_backs_up_and_withdraws_xp(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    code, out, _ = run("reset", "--challenge", "alpha", "--yes")
    assert code == 0
    backup = Path(out.split("Progress backup: ")[1].splitlines()[0])
    assert backup.is_file() and backup.parent == home / "backups"
    assert json.loads(run("status", "--json")[1])["xp"] == 0


def test_reset_level(home: Path) -> None:
    store = ProgressStore(home)
    store.append("verified", "alpha")
    store.append("verified", "gamma")
    assert run("reset", "--level", "1", "--yes")[0] == 0
    assert json.loads(run("status", "--json")[1])["xp"] == 180  # gamma's 150 + bonus stays


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "/etc/passwd", "Alpha", "a b"])
def test_path_like_ids_are_usage_errors(bad_id: str, home: Path) -> None:
    code, _, err = run("reset", "--challenge", bad_id, "--yes")
    assert code == 2 and "not a valid challenge id" in err
    assert not (home / "backups").exists()


def test_unknown_challenge_is_a_domain_error() -> None:
    code, _, err = run("reset", "--challenge", "alpah", "--yes")
    assert code == 1 and "No challenge 'alpah'" in err and "Did you mean alpha" in err


def test_corrupt_store_gives_one_clear_line_and_exit_1(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "progress.json").write_text("{not json")
    for command in (["status"], ["list"], ["log"], ["badges"], ["reset", "--all", "--yes"]):
        code, out, err = run(*command)
        assert code == 1, command
        assert "Traceback" not in out + err and str(home / "progress.json") in err
    assert (home / "progress.json").read_text() == "{not json"


def test_unknown_option_is_a_usage_error() -> None:
    assert run("status", "--frobnicate")[0] == 2


def test_doctor_reports_checks_json(home: Path) -> None:
    code, out, _ = run("doctor", "--json")
    data = json.loads(out)
    names = {c["name"] for c in data["checks"]}
    assert {"data home writable", "progress store readable", "jupyter kernel"} <= names
    assert data["versions"]["pandas"]
    assert code == (0 if data["ok"] else 1)


def test_doctor_fails_on_a_corrupt_store(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "progress.json").write_text("[")
    code, out, _ = run("doctor", "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert not next(c for c in data["checks"] if c["name"] == "progress store readable")["ok"]


def test_python_dash_m_and_console_script_agree(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    module = subprocess.run(
        [sys.executable, "-m", "sandbox", "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    script = Path(sys.executable).parent / "sandbox"
    console = subprocess.run(
        [str(script), "status", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(module.stdout)["xp"] == json.loads(console.stdout)["xp"] == 120

"""`sandbox status`: the Typer-free path, and the snapshot that keeps it quick on long logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sandbox import status
from sandbox.catalogue import load_catalogue
from sandbox.cli import app
from sandbox.console import plain_status_args
from sandbox.errors import ProgressCorruptError
from sandbox.game import GameEngine
from sandbox.progress import ProgressStore

SCRIPT = Path(sys.executable).parent / "sandbox"

pytestmark = pytest.mark.usefixtures("fixture_content")


def typer_output(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def script_output(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    return done.returncode, done.stdout, done.stderr


def store_at(home: Path, when: datetime) -> ProgressStore:
    return ProgressStore(home, clock=lambda: when)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["status"], (None, None, False), id="plain"),
        pytest.param(["status", "--json"], (None, None, True), id="json"),
        pytest.param(["--home", "/h", "status"], (Path("/h"), None, False), id="home"),
        pytest.param(["--home=/h", "--profile", "ada", "status", "--json"], (Path("/h"), "ada", True), id="both"),
        pytest.param(["--help"], None, id="help"),
        pytest.param(["status", "--help"], None, id="status-help"),
        pytest.param(["status", "--json", "--json"], None, id="twice"),
        pytest.param(["status", "extra"], None, id="argument"),
        pytest.param(["--home", "status"], None, id="home-without-value"),
        pytest.param(["--home", "--json", "status"], None, id="dash-value"),
        pytest.param(["--home", "/a", "--home", "/b", "status"], None, id="repeated-option"),
        pytest.param(["status", "--home", "/h"], (Path("/h"), None, False), id="home-after"),
        pytest.param(["status", "--json", "--profile=ada"], (None, "ada", True), id="profile-after"),
        pytest.param(["--home", "/h", "status", "--home", "/h"], None, id="home-on-both-sides"),
        pytest.param(["--json", "status"], None, id="json-before"),
        pytest.param(["status", "status"], None, id="status-twice"),
        pytest.param(["--verbose", "status"], None, id="unknown-option"),
        pytest.param(["list"], None, id="other-command"),
        pytest.param([], None, id="nothing"),
    ],
)  # fmt: skip
def test_only_plain_status_calls_skip_typer(
    args: list[str], expected: tuple[Path | None, str | None, bool] | None
) -> None:
    assert plain_status_args(args) == expected


def test_console_script_prints_what_the_typer_command_prints(home: Path) -> None:
    store = ProgressStore(home)
    store.set_learner_name("Ada")
    store.append("verified", "alpha")
    store.append("hint", "beta", "q1", {"index": 0})
    for args in (["status"], ["status", "--json"]):
        typer_code, typer_text = typer_output(*args)
        for _ in range(2):  # a replay, then the snapshot
            code, out, err = script_output(*args)
            assert (code, out, err) == (typer_code, typer_text, "")
    assert (home / status.SNAPSHOT_FILE).is_file()
    assert json.loads(script_output("status", "--json")[1])["xp"] == 120


def test_profile_and_home_options_reach_the_quick_path(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ProgressStore(other / "profiles" / "ada").append("verified", "alpha")
    args = ("--home", str(other), "--profile", "ada", "status", "--json")
    data = json.loads(script_output(*args)[1])
    assert data["xp"] == 120 and data["data_home"] == str(other / "profiles" / "ada")
    assert script_output(*args)[1] == typer_output(*args)[1]


def test_plain_status_does_not_load_typer(home: Path) -> None:
    probe = (
        "import sys; sys.argv = ['sandbox', 'status', '--json']\n"
        "from sandbox.console import main\n"
        "main()\n"
        "print(sorted(m for m in ('typer', 'click', 'pydantic') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["xp"] == 0
    assert done.stderr.strip() == "[]"


def test_errors_are_reported_by_the_typer_path(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "progress.json").write_text("[")
    code, out, err = script_output("status")
    assert code == 1 and out == "" and err.startswith("error: The progress file")
    code, _, err = script_output("--profile", "Not A Slug", "status")
    assert code == 2 and "not a valid profile name" in err


def test_help_still_comes_from_typer(home: Path) -> None:
    code, out, _ = script_output("status", "--help")
    assert code == 0 and "Your XP, level, streak and badges." in out and "--json" in out


# -- the snapshot --------------------------------------------------------------------------


def replayed(home: Path, today: date) -> dict[str, object]:
    """What a full replay says, whatever snapshot is on disk."""
    (home / status.SNAPSHOT_FILE).unlink(missing_ok=True)
    data = status.current(home, today=today)
    (home / status.SNAPSHOT_FILE).unlink()
    return data


def test_snapshot_is_written_only_into_an_existing_home(home: Path) -> None:
    assert status.current()["xp"] == 0
    assert not home.exists(), "reading never creates the data home"
    home.mkdir(parents=True)
    status.current()
    assert (home / status.SNAPSHOT_FILE).is_file()
    assert not (home / "progress.json").exists()


def test_every_change_to_the_log_is_seen(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    assert status.current()["xp"] == 0
    store.append("verified", "alpha")
    assert status.current()["xp"] == 120
    store.set_learner_name("Bo")  # same events, different file
    assert status.current()["learner"] == "Bo"
    store.reset("all", None)
    assert status.current()["xp"] == 0


def test_a_corrupt_log_is_never_hidden_by_the_snapshot(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    status.current()
    (home / "progress.json").write_text("{}")
    with pytest.raises(ProgressCorruptError):
        status.current()


def test_a_catalogue_change_invalidates_the_snapshot(home: Path, fixture_content: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    assert status.current()["xp"] == 120
    manifest = fixture_content / "challenges" / "level_1" / "alpha" / "challenge.toml"
    text = manifest.read_text()
    assert "xp = 100" in text
    manifest.write_text(text.replace("xp = 100", "xp = 50"))
    assert status.current()["xp"] == 60


def test_an_unreadable_snapshot_is_replaced(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    snapshot = home / status.SNAPSHOT_FILE
    for garbage in ("not json", "[]", '{"format": 1}', json.dumps({"format": 1, "key": None})):
        snapshot.write_text(garbage)
        assert status.current()["xp"] == 120
        assert json.loads(snapshot.read_text())["format"] == status.SNAPSHOT_FORMAT


def test_the_streak_moves_with_the_calendar_as_a_replay_does(home: Path) -> None:
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    first = noon.astimezone().date()
    for offset in range(8):  # eight active days in a row earn a freeze on the 7th
        store_at(home, noon + timedelta(days=offset)).append(
            "checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"}
        )
    # And one passed check far in the future: it counts only once its day has come.
    store_at(home, noon + timedelta(days=11)).append(
        "checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"}
    )
    made_on = first + timedelta(days=7)
    status.current(today=made_on)  # the snapshot is made on the last active day
    assert json.loads((home / status.SNAPSHOT_FILE).read_text())["later_days"]
    for offset in (7, 8, 9, 10, 11, 12, 20):
        today = first + timedelta(days=offset)
        quick = status.current(today=today)
        assert json.loads((home / status.SNAPSHOT_FILE).read_text())["made_on"] == str(made_on)
        full = replayed(home, today)
        status.current(today=made_on)  # put the day-7 snapshot back for the next day
        assert quick == full, offset
    catalogue = load_catalogue(Path(os.environ["SANDBOX_CONTENT"]))
    engine = GameEngine(catalogue, ProgressStore(home).load().events, today=first + timedelta(9))
    assert (
        status.current(today=first + timedelta(days=9))["streak_days"] == engine.streak().days == 8
    )


def test_a_clock_set_back_replays(home: Path) -> None:
    ProgressStore(home).append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    today = date.today()
    status.current(today=today + timedelta(days=3))
    assert status.current(today=today) == replayed(home, today)


def test_shell_completion_goes_to_typer(home: Path) -> None:
    env = {"_SANDBOX_COMPLETE": "complete_bash", "COMP_WORDS": "sandbox sta", "COMP_CWORD": "1"}
    code, out, _ = script_output(env=env)
    assert code == 0 and out.split() == ["status"]
    words = {"COMP_WORDS": "sandbox status --js", "COMP_CWORD": "2"}
    code, out, _ = script_output("status", env={**env, **words})
    assert code == 0 and "--json" in out.split()


# -- a log that grew: the snapshot's checkpoint is resumed ------------------------------------

PASS = {"source": "inline", "outcome": "PASS"}
#: Every kind of event and every rule that carries state from one event to the next: help and
#: the bonus, prerequisites, resets of one challenge and of all, an import, the own-data lab,
#: passed checks on many days (streaks and freezes).
GROWTH: list[tuple[str, str | None, str | None, dict[str, object]]] = [
    ("opened", "alpha", None, {}),
    ("checked", "alpha", "q1", {"source": "inline", "outcome": "FAIL"}),
    ("hint", "alpha", "q1", {"index": 0}),
    ("checked", "alpha", "q1", PASS),
    ("checked", "alpha", None, {"source": "verify", "outcome": "PASS", "tasks": {"q1": "PASS"}}),
    ("verified", "alpha", None, {"tasks": {"q1": "PASS", "q2": "PASS"}, "seconds": 2.0}),
    ("opened", "beta", None, {}),
    ("solution", "beta", "q1", {}),
    ("verified", "beta", None, {"tasks": {"q1": "PASS"}}),
    ("own_data", None, None, {"action": "profiled", "dataset": "a.csv", "rows": 3}),
    ("verified", "gamma", None, {"tasks": {"q1": "PASS"}, "imported": True}),
    ("reset", "alpha", None, {"scope": "challenge", "challenges": ["alpha"], "backup": None}),
    ("checked", "alpha", "q1", PASS),
    ("verified", "alpha", None, {"tasks": {"q1": "PASS"}}),
    ("reset", None, None, {"scope": "all", "challenges": None, "backup": None}),
    ("checked", "gamma", "q1", PASS),
    ("verified", "gamma", None, {"tasks": {"q1": "PASS"}}),
    ("checked", "alpha", "q2", PASS),
]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _write(home: Path, steps: range) -> None:
    for step in steps:
        kind, challenge, task, details = GROWTH[step]
        # One or two events a day, with a gap of two days now and then.
        when = START + timedelta(days=step + 2 * (step // 5), hours=step % 3)
        store_at(home, when).append(kind, challenge, task, details)


def _full(home: Path, today: date) -> tuple[dict[str, object], dict[str, object]]:
    """The summary and the engine's checkpoint of a replay of the whole log."""
    catalogue = load_catalogue(Path(os.environ["SANDBOX_CONTENT"]))
    progress = ProgressStore(home).load()
    engine = GameEngine(catalogue, progress.events, today=today)
    return status.summary(home, progress.learner_name, catalogue, engine), engine.checkpoint()


@pytest.mark.parametrize("split", range(1, len(GROWTH)))
def test_a_grown_log_resumes_from_the_snapshot_and_says_what_a_replay_says(
    tmp_path: Path, split: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / f"home-{split}"
    today = START.date() + timedelta(days=len(GROWTH) * 2)
    _write(home, range(split))
    status.current(home, today=today)
    full_reads: list[int] = []
    real_load = ProgressStore.load
    for step in range(split, len(GROWTH)):
        _write(home, range(step, step + 1))
        with monkeypatch.context() as patch:
            patch.setattr(
                ProgressStore, "load", lambda self, *a: full_reads.append(1) or real_load(self, *a)
            )
            quick = status.current(home, today=today)
        summary, checkpoint = _full(home, today)
        assert quick == summary, step
        saved = json.loads((home / status.SNAPSHOT_FILE).read_text())
        assert saved["resume"]["checkpoint"] == checkpoint, step
        assert saved["resume"]["ids"].split() == [e.id for e in ProgressStore(home).load().events]
    assert full_reads == [], "every grown log was read from its new events only"


def test_a_log_changed_before_its_end_is_replayed_in_full(home: Path) -> None:
    _write(home, range(6))
    assert status.current(home)["xp"] == 100  # alpha, with a hint: no bonus
    path = home / "progress.json"
    # An edit inside the log (the hint becomes an open), then an event appended after it.
    path.write_text(path.read_text().replace('"kind": "hint"', '"kind": "opened"'))
    _write(home, range(6, 7))
    assert status.current(home) == _full(home, date.today())[0]
    assert status.current(home)["xp"] == 120, "the edit is seen: the bonus is back"


def test_a_bad_event_appended_by_hand_is_reported_as_a_full_read_reports_it(home: Path) -> None:
    _write(home, range(4))
    status.current(home)
    path = home / "progress.json"
    text = path.read_text()
    end = "\n ]\n}\n"
    path.write_text(text[: -len(end)] + ',{"id": "x", "ts": "yesterday", "kind": "opened"}' + end)
    before = path.read_bytes()
    with pytest.raises(ProgressCorruptError, match="event 4: its timestamp 'yesterday'"):
        status.current(home)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda resume: resume.update(checkpoint={"xp": "lots"}), id="checkpoint"),
        pytest.param(lambda resume: resume.update(end=[1, 2]), id="end"),
        pytest.param(lambda resume: resume.update(end=[-6, 0]), id="end-negative"),
        pytest.param(lambda resume: resume.update(ids=""), id="ids-none-known"),
        pytest.param(lambda resume: resume.update(ids=7), id="ids"),
        pytest.param(lambda resume: resume.update(learner=["Ada"]), id="learner"),
        pytest.param(lambda resume: resume.clear(), id="empty"),
    ],
)
def test_a_damaged_checkpoint_is_replaced_by_a_replay(home: Path, damage: Any) -> None:
    _write(home, range(6))
    status.current(home)
    snapshot = home / status.SNAPSHOT_FILE
    saved = json.loads(snapshot.read_text())
    damage(saved["resume"])
    snapshot.write_text(json.dumps(saved))
    _write(home, range(6, 9))
    assert status.current(home) == _full(home, date.today())[0]
    assert json.loads(snapshot.read_text())["resume"]["checkpoint"] == _full(home, date.today())[1]

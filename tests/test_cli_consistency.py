"""Every command behaves the same way: --home/--profile on either side, one exit-code rule.

0 done; 1 a domain error or a failed check; 2 a usage error (the command line itself is
malformed). The walk below visits every command of the app (a new command without an entry
in ``DOMAIN_ERRORS`` fails the test) and each of its error paths.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from sandbox.cli import app
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

runner = CliRunner()
SCRIPT = Path(sys.executable).parent / "sandbox"


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def commands() -> Iterator[tuple[str, ...]]:
    """Every leaf command of the app, as the words that name it (`dev check` → ("dev", "check"))."""
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            for sub in command.commands:
                yield (name, sub)
        else:
            yield (name,)


def required_arguments(words: tuple[str, ...]) -> bool:
    root = typer.main.get_command(app)
    command: Any = root
    for word in words:
        command = command.commands[word]
    return any(p.required and p.param_type_name == "argument" for p in command.params)


# -- --home and --profile on either side of the command ------------------------------------------


def test_home_after_the_command_is_the_same_as_before(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ProgressStore(other).append("verified", "alpha")
    before = run("--home", str(other), "status", "--json")
    after = run("status", "--home", str(other), "--json")
    assert before == after and json.loads(after[1])["xp"] == 120
    assert json.loads(run("status", "--json")[1])["xp"] == 0, "the default home is untouched"
    listed = json.loads(run("list", "--json", "--home", str(other))[1])["challenges"]
    assert listed[0]["state"] == "verified"
    assert run("log", f"--home={other}", "--json")[0] == 0


def test_profile_after_the_command(home: Path) -> None:
    ProgressStore(home / "profiles" / "ada").append("verified", "alpha")
    data = json.loads(run("status", "--profile", "ada", "--json")[1])
    assert data["xp"] == 120 and data["data_home"] == str(home / "profiles" / "ada")
    code, _, err = run("hint", "alpha", "--profile", "Not A Slug", "--yes")
    assert code == 2 and "not a valid profile name" in err and "'ada'" in err


def test_home_given_twice_must_agree(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("--home", str(a), "status", "--home", str(a))[0] == 0
    code, _, err = run("--home", str(a), "status", "--home", str(b))
    assert code == 2 and "--home" in err


def test_the_quick_status_path_takes_home_after_the_command(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ProgressStore(other).append("verified", "alpha")
    for args in (["status", "--home", str(other), "--json"], ["status", f"--home={other}"]):
        done = subprocess.run(
            [str(SCRIPT), *args], capture_output=True, text=True, env=dict(os.environ), check=True
        )
        assert done.stdout == run(*args)[1] and done.stderr == ""
    quick = subprocess.run(
        [str(SCRIPT), "status", "--home", str(other), "--json"], capture_output=True, text=True
    )
    assert json.loads(quick.stdout)["xp"] == 120


# -- one exit-code rule, walked command by command -------------------------------------------------


def test_an_unknown_option_is_a_usage_error_for_every_command() -> None:
    for words in commands():
        code, _, err = run(*words, "--no-such-option")
        assert code == 2, (words, err)


def test_a_missing_argument_is_a_usage_error_for_every_command() -> None:
    needing = [words for words in commands() if required_arguments(words)]
    assert ("check",) in needing and ("import",) in needing
    for words in needing:
        code, _, err = run(*words)
        assert code == 2 and "Missing" in err, (words, err)


def an_export(tmp_path: Path) -> dict[str, str]:
    """A valid export of another learner's log, to import."""
    source = ProgressStore(tmp_path / "elsewhere")
    source.append("opened", "alpha")
    export = tmp_path / "export.json"
    document = {
        "format": "data-science-sandbox-export",
        "format_version": 1,
        "progress": json.loads(source.path.read_text()),
    }
    export.write_text(json.dumps(document))
    return {"EXPORT": str(export)}


def corrupt_store(home: Path, tmp_path: Path) -> dict[str, str]:
    home.mkdir(parents=True)
    (home / "progress.json").write_text("{not json")
    return an_export(tmp_path)


def data_home_is_a_file(home: Path, tmp_path: Path) -> dict[str, str]:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a folder")
    return {}


def non_empty_profile(home: Path, tmp_path: Path) -> dict[str, str]:
    ProgressStore(home).append("opened", "alpha")
    return an_export(tmp_path)


def passed_and_verified(home: Path, tmp_path: Path) -> dict[str, str]:
    ProgressStore(home).append("verified", "alpha", None, {"tasks": {"q1": "PASS", "q2": "PASS"}})
    return {}


def nothing(home: Path, tmp_path: Path) -> dict[str, str]:
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n")
    return {"TABLE": str(table), "MISSING": str(tmp_path / "missing.yaml")}


# command → [(what makes it fail, the arguments, words the message holds)], all exit 1.
DOMAIN_ERRORS: dict[tuple[str, ...], list[tuple[Any, list[str], str]]] = {
    ("status",): [(corrupt_store, [], "progress.json")],
    ("list",): [(corrupt_store, [], "progress.json"), (nothing, ["--level", "9"], "No level 9")],
    ("badges",): [(corrupt_store, [], "progress.json")],
    ("log",): [(corrupt_store, [], "progress.json")],
    ("reset",): [
        (corrupt_store, ["--all", "-y"], "progress.json"),
        (nothing, ["--challenge", "alpah", "-y"], "Did you mean alpha"),
        (nothing, ["--level", "9", "-y"], "No level 9"),
    ],
    ("check",): [
        (nothing, ["alpah"], "No challenge 'alpah'"),
        (nothing, ["alpha"], "sandbox open alpha"),
    ],
    ("open",): [(nothing, ["nope", "--no-launch"], "No challenge 'nope'")],
    ("hint",): [
        (nothing, ["alpha", "q9", "-y"], "no task 'q9'"),
        (passed_and_verified, ["alpha", "-y"], "no hint needed"),
        (passed_and_verified, ["alpha", "q1", "-y"], "already passed — no hint needed"),
        (corrupt_store, ["alpha", "-y"], "progress.json"),
    ],
    ("solution",): [
        (nothing, ["alpha", "q1", "-y"], "unlocks after all 2 hints"),
        (nothing, ["alpha", "q9", "-y"], "no task 'q9'"),
    ],
    ("watch",): [(nothing, ["nope"], "No challenge 'nope'")],
    ("dashboard",): [(data_home_is_a_file, ["--port", "1"], "Could not create the folder")],
    ("mlflow",): [(data_home_is_a_file, ["--port", "1"], "could not use")],
    ("profile",): [(nothing, ["{MISSING}"], "there is no file")],
    ("validate",): [(nothing, ["{TABLE}", "--schema", "{MISSING}"], "no schema file")],
    ("profiles",): [(data_home_is_a_file, [], "Cannot read")],
    ("export",): [(corrupt_store, [], "progress.json")],
    ("import",): [
        (non_empty_profile, ["{EXPORT}"], "already has 1 events"),
        (corrupt_store, ["{EXPORT}"], "progress.json"),
    ],
    ("doctor",): [(corrupt_store, ["--json"], "")],
    ("dev", "check"): [(nothing, ["nope"], "No challenge 'nope'")],
    ("dev", "build"): [(nothing, ["nope"], "No challenge 'nope'")],
    ("dev", "readme"): [(nothing, ["--check"], "out of date")],  # the fixture's catalogue
}

# command → arguments that make a malformed request (exit 2), beyond unknown options.
USAGE_ERRORS: dict[tuple[str, ...], list[list[str]]] = {
    ("reset",): [["-y"], ["--all", "--level", "1", "-y"], ["--challenge", "../etc", "-y"]],
    ("check",): [["../etc"], ["alpha", "--timeout", "0"]],
    ("hint",): [["Alpha"]],
    ("open",): [["a b", "--no-launch"]],
    ("export",): [
        ["--format", "xml"],
        ["--format", "openbadges", "--with-notebooks"],
        ["--with-notebooks", "-o", "-"],
    ],
    ("import",): [["{NOWHERE}"]],
    ("profile",): [["{TABLE}", "--schema-out", "schema.txt"]],
    ("log",): [["--limit", "0"]],
}


def test_every_command_has_its_domain_errors_listed() -> None:
    assert set(DOMAIN_ERRORS) == set(commands()), "a new command needs its error paths here"


@pytest.mark.parametrize(
    ("words", "index"),
    [(words, i) for words, cases in DOMAIN_ERRORS.items() for i in range(len(cases))],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else str(v),
)
def test_domain_errors_exit_1(
    words: tuple[str, ...], index: int, home: Path, tmp_path: Path
) -> None:
    make, args, words_in_message = DOMAIN_ERRORS[words][index]
    names = make(home, tmp_path)
    code, out, err = run(*words, *(a.format(**names) for a in args))
    assert code == 1, (words, args, out, err)
    assert words_in_message in out + err, (words, args, out, err)
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("words", "args"),
    [(words, args) for words, cases in USAGE_ERRORS.items() for args in cases],
    ids=lambda v: " ".join(v),
)
def test_usage_errors_exit_2(
    words: tuple[str, ...], args: list[str], home: Path, tmp_path: Path
) -> None:
    names = nothing(home, tmp_path) | {"NOWHERE": str(tmp_path / "nowhere.json")}
    before = sorted(home.rglob("*")) if home.exists() else []
    code, out, err = run(*words, *(a.format(**names) for a in args))
    assert code == 2, (words, args, out, err)
    assert (sorted(home.rglob("*")) if home.exists() else []) == before, "nothing written"


def test_declining_a_question_is_not_an_error(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    assert run("reset", "--all", input="n\n")[0] == 0
    ProgressStore(home).append("opened", "beta")
    code, out, _ = run("hint", "beta", input="n\n")
    assert code == 0 and "No hint shown" in out
    code, out, _ = run("hint", "beta")  # no answer at all (end of input) is a no
    assert code == 0 and "No hint shown" in out
    assert [e.kind for e in ProgressStore(home).load().events] == ["verified", "opened"]


# -- hints never spent by accident ------------------------------------------------------------


def test_hint_goes_to_the_first_task_that_does_not_pass(home: Path) -> None:
    store = ProgressStore(home)
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    code, out, _ = run("hint", "alpha", "--yes")
    assert code == 0 and out.startswith("Hint 1 for q2: ")
    store.append("checked", "alpha", "q2", {"source": "inline", "outcome": "PASS"})
    code, _, err = run("hint", "alpha", "--yes")
    assert code == 1 and "Every task of alpha passes: no hint needed" in err
    assert "sandbox check alpha" in err, "the next step instead"
    assert [e.kind for e in store.load().events].count("hint") == 1


def test_hint_asks_once_per_challenge(home: Path) -> None:
    code, out, _ = run("hint", "alpha", input="y\n")
    assert code == 0 and "(+20 XP)" in out and "Hint 1 for q1" in out
    code, out, _ = run("hint", "alpha")  # the bonus is gone: nothing to ask
    assert code == 0 and "bonus" not in out and out.startswith("Hint 2 for q1")
    assert "(that was the last hint; the solution is now available)" in out
    code, out, _ = run("solution", "alpha", "q1")
    assert code == 0 and "sum(numbers)" in out


def test_solution_of_a_passed_task_asks_while_the_bonus_is_to_be_won(home: Path) -> None:
    ProgressStore(home).append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    code, out, _ = run("solution", "alpha", "q1", input="n\n")
    assert code == 0 and "A solution gives up the 20 % no-help bonus" in out
    assert "sum(numbers)" not in out and Learner.open(home).engine().bonus_at_stake("alpha") == 20
    code, out, _ = run("solution", "alpha", "q1", "--yes")
    assert code == 0 and "sum(numbers)" in out
    assert Learner.open(home).engine().bonus_at_stake("alpha") == 0


# -- what the commands print ------------------------------------------------------------------


def test_list_json_gives_each_tasks_latest_outcome(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "FAIL"})
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    store.append("checked", "alpha", "q2", {"source": "inline", "outcome": "NOT_ATTEMPTED"})
    rows = {c["id"]: c for c in json.loads(run("list", "--json")[1])["challenges"]}
    assert rows["alpha"]["tasks"] == [
        {"id": "q1", "title": "Total", "outcome": "PASS"},
        {"id": "q2", "title": "Count", "outcome": "NOT_ATTEMPTED"},
    ]
    assert rows["beta"]["tasks"] == [{"id": "q1", "title": "Largest", "outcome": None}]
    text = run("list")[1]
    assert "Add up a list  q1✓ q2○" in text
    store.reset("challenge", ["alpha"])  # outcomes start over with the challenge
    rows = {c["id"]: c for c in json.loads(run("list", "--json")[1])["challenges"]}
    assert [t["outcome"] for t in rows["alpha"]["tasks"]] == [None, None]


def test_list_shows_the_xp_a_verified_challenge_earned(home: Path) -> None:
    ProgressStore(home).append("verified", "alpha")
    line = next(line for line in run("list")[1].splitlines() if " alpha " in line)
    assert " 120 XP " in line


def test_open_prints_the_path_and_the_next_step(home: Path) -> None:
    code, out, err = run("open", "alpha", "--no-launch")
    path = Path(out.strip())
    assert code == 0 and path.is_file() and path.is_relative_to(home)
    assert "Next: replace each ____" in err and "sandbox check alpha" in err


def test_check_names_an_unknown_challenge_before_doing_anything(home: Path) -> None:
    code, out, err = run("check", "alpah")
    assert code == 1 and "Did you mean alpha" in err
    assert "Verifying" not in out


def test_exports_go_to_the_data_home_by_default(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ProgressStore(home).append("verified", "alpha")
    monkeypatch.chdir(tmp_path)
    for args, suffix in (
        ([], ".json"),
        (["--with-notebooks"], ".zip"),
        (["--format", "openbadges"], ""),
    ):
        code, out, _ = run("export", *args)
        assert code == 0, out
        written = Path(out.rsplit(" to ", 1)[1].strip())
        assert written.parent == home / "exports" and written.name.endswith(suffix), written
        assert written.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "home"], (
        "nothing in the current folder"
    )
    code, out, _ = run("export", "-o", "-")
    assert code == 0 and json.loads(out)["progress"]["events"][0]["kind"] == "verified"


def test_help_is_complete() -> None:
    for words in commands():
        code, out, _ = run(*words, "--help")
        assert code == 0 and "<bool>" not in out, words
        assert "--home" in out and "--profile" in out, words
    root = typer.main.get_command(app)
    for words in commands():
        command: Any = root
        for word in words:
            command = command.commands[word]
        assert command.help, words
        for param in command.params:
            assert param.help, (words, param.name)

"""Clean verification, the notebook API and the CLI around them, with real Jupyter kernels."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from typer.testing import CliRunner

from sandbox import workspace
from sandbox.cli import app
from sandbox.grading.outcome import Outcome
from sandbox.grading.reference import notebook_with_answers, parse_sections
from sandbox.grading.verify import run_notebook, verify
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

pytestmark = pytest.mark.kernel
runner = CliRunner()
NUMBERS = [3, 1, 4, 1, 5, 9, 2, 6]  # the fixture notebook's data cell


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def learner() -> Learner:
    return Learner.open()


def write_workspace(
    answers: dict[str, str], challenge_id: str = "alpha", extra_cells: list[str] | None = None
) -> Path:
    """The learner's notebook: the starter with these task cells filled in."""
    lr = learner()
    challenge = lr.catalogue.get(challenge_id)
    path, _ = workspace.prepare(lr.home, challenge)
    nb = notebook_with_answers(challenge, answers)
    for source in extra_cells or []:
        nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, str(path))
    return path


def outcomes(result: Any) -> dict[str, str]:
    return {t.task: t.outcome.value for t in result.tasks}


def test_each_outcome_in_a_real_kernel() -> None:
    write_workspace({"q1": "total = sum(numbers) - 1", "q2": "count = ____"})
    result = verify(learner(), "alpha")
    assert outcomes(result) == {"q1": "FAIL", "q2": "NOT_ATTEMPTED"}
    assert f"`total` is {sum(NUMBERS) - 1}, which is too low" in result.tasks[0].message
    write_workspace({"q1": "total = sum(numbers)", "q2": "count = len(numbers) / 0"})
    result = verify(learner(), "alpha")
    assert outcomes(result) == {"q1": "PASS", "q2": "ERROR"}
    message = result.tasks[1].message
    assert (
        "task q2" in message
        and "line 1" in message
        and "ZeroDivisionError" in message
        and "Traceback" not in message
    )
    assert not result.passed and learner().engine().xp == 0


def test_a_raising_cell_names_its_cell_and_line() -> None:
    write_workspace({"q1": "x = 1\ntotal = sum(numbrs)", "q2": "count = len(numbers)"})
    result = verify(learner(), "alpha")
    q1 = result.tasks[0]
    assert q1.outcome is Outcome.ERROR
    assert "line 2 `total = sum(numbrs)`" in q1.message and "NameError" in q1.message
    assert result.tasks[1].outcome is Outcome.PASS


def test_a_deleted_variable_fails_with_a_message() -> None:
    write_workspace(
        {"q1": "total = sum(numbers)", "q2": "count = len(numbers)"}, extra_cells=["del total"]
    )
    result = verify(learner(), "alpha")
    assert outcomes(result) == {"q1": "FAIL", "q2": "PASS"}
    assert "`total` is not defined" in result.tasks[0].message


def test_verifying_twice_awards_xp_once_and_records_events() -> None:
    write_workspace(parse_sections(learner().catalogue.get("alpha").solution_file))
    first = verify(learner(), "alpha")
    second = verify(learner(), "alpha")
    assert first.passed and second.passed
    challenge_xp = learner().catalogue.get("alpha").xp
    assert first.xp_awarded == challenge_xp + round(challenge_xp * 0.2) and second.xp_awarded == 0
    kinds = [e.kind for e in ProgressStore(learner().home).load().events]
    assert kinds.count("verified") == 2 and kinds.count("checked") == 2
    assert learner().engine().xp == first.xp_awarded


def kernel_pids() -> set[int]:
    """Jupyter kernels started by this test process (not by anything else on the machine)."""
    pids = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                pids.add(child.pid)
        except psutil.Error:  # ended (or a zombie) while we looked: not a running kernel
            pass
    return pids


def test_a_notebook_that_never_ends_is_stopped_and_its_kernel_is_gone() -> None:
    before = kernel_pids()
    write_workspace({"q1": "total = sum(numbers)", "q2": "while True:\n    pass"})
    started = time.monotonic()
    result = verify(learner(), "alpha", timeout=6)
    assert time.monotonic() - started < 30
    assert result.error is not None and "timed out" in result.error
    assert outcomes(result)["q2"] == "ERROR" and not result.passed
    deadline = time.monotonic() + 10
    while kernel_pids() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert kernel_pids() - before == set()


def test_inline_check_records_a_check_and_awards_no_xp(capsys: pytest.CaptureFixture[str]) -> None:
    """The notebook API in-process: bind, check, hint, solution."""
    namespace: dict[str, Any] = {}
    exec(
        f"from sandbox.grading import ____, challenge\nch = challenge('alpha')\nnumbers = {NUMBERS}\ntotal = ____",
        namespace,
    )
    ch = namespace["ch"]
    assert ch.q1.result().outcome is Outcome.NOT_ATTEMPTED
    namespace["total"] = sum(NUMBERS)
    capsys.readouterr()
    ch.q1.check()
    # The verdict, then every task's latest outcome as the event log has it.
    assert capsys.readouterr().out.splitlines()[:2] == [
        "✓ q1: `total` is correct.",
        "Tasks: ✓ q1 · ○ q2",
    ]
    namespace["total"] = sum(NUMBERS) + 1
    assert ch.q1.result().outcome is Outcome.FAIL
    events = ProgressStore(learner().home).load().events
    assert [(e.kind, e.details.get("outcome"), e.details.get("source")) for e in events] == [
        ("checked", "PASS", "inline")
    ]
    assert learner().engine().xp == 0
    capsys.readouterr()
    ch.q1.hint()  # q1 passed: no hint, nothing recorded
    assert "q1 of alpha already passed — no hint needed" in capsys.readouterr().out
    ch.q2.solution()  # locked: no hints seen, not passed
    ch.q2.hint()  # the bonus is still to be won: only what the hint would cost
    assert "gives up the 20 % no-help bonus of alpha (+20 XP)" in capsys.readouterr().out
    assert [e.kind for e in ProgressStore(learner().home).load().events] == ["checked"]
    ch.q2.hint(confirm=True)
    assert capsys.readouterr().out.startswith("Hint 1 for q2: ")
    ch.q2.hint()  # the bonus is gone: no question any more
    assert "that was the last hint" in capsys.readouterr().out
    ch.q2.solution()
    kinds = [e.kind for e in ProgressStore(learner().home).load().events]
    assert kinds == ["checked", "hint", "hint", "solution"]


def test_inline_check_inside_a_kernel_records_nothing_during_verification() -> None:
    """The starter's check cells run during verification without writing events."""
    write_workspace(parse_sections(learner().catalogue.get("alpha").solution_file))
    result = verify(learner(), "alpha")
    assert result.passed
    events = ProgressStore(learner().home).load().events
    assert all(e.details.get("source") != "inline" for e in events)


def test_verify_refuses_a_missing_workspace_notebook() -> None:
    code = runner.invoke(app, ["check", "alpha"])
    assert code.exit_code == 1 and "sandbox open alpha" in code.stderr


def test_cli_check_exit_codes_and_json() -> None:
    write_workspace({"q1": "total = sum(numbers)", "q2": "count = len(numbers)"})
    result = runner.invoke(app, ["check", "alpha", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["passed"] and data["xp_awarded"] == 120
    write_workspace({"q1": "total = 0", "q2": "count = len(numbers)"})
    result = runner.invoke(app, ["check", "alpha"])
    assert result.exit_code == 1 and "too low" in result.stdout and "[100%]" in result.stdout


def test_open_no_launch_copies_once_and_never_overwrites(home: Path) -> None:
    result = runner.invoke(app, ["open", "alpha", "--no-launch"])
    path = Path(result.stdout.strip())
    assert result.exit_code == 0 and path.is_file() and path.is_relative_to(home)
    path.write_text(path.read_text().replace("total = ____", "total = 42"))
    mine = path.read_text()
    runner.invoke(app, ["open", "alpha", "--no-launch"])
    assert path.read_text() == mine
    assert [e.kind for e in ProgressStore(home).load().events] == ["opened", "opened"]


def test_reset_challenge_restores_the_starter_and_backs_up_the_notebook(home: Path) -> None:
    path = write_workspace({"q1": "total = 1", "q2": "count = 2"})
    mine = path.read_text()
    result = runner.invoke(app, ["reset", "--challenge", "alpha", "--yes"])
    assert result.exit_code == 0
    backup = Path(result.stdout.split("Notebook backup: ")[1].split(" (")[0])
    assert backup.read_text() == mine
    assert path.read_text() == learner().catalogue.get("alpha").notebook.read_text()


def test_hint_and_solution_commands() -> None:
    declined = runner.invoke(app, ["hint", "alpha"], input="n\n")
    assert declined.exit_code == 0 and "no-help bonus of alpha (+20 XP)" in declined.stdout
    assert "No hint shown" in declined.stdout and not learner().progress().events
    first = runner.invoke(app, ["hint", "alpha"], input="y\n")
    assert first.exit_code == 0 and "Hint 1 for q1: " in first.stdout
    assert "1/2" not in first.stdout, "the rung, not how many remain"
    locked = runner.invoke(app, ["solution", "alpha", "q1"])
    assert locked.exit_code == 1 and "unlocks after all 2 hints" in locked.stderr
    runner.invoke(app, ["hint", "alpha", "q1"])  # the bonus is gone: no question
    unlocked = runner.invoke(app, ["solution", "alpha", "q1"])
    assert unlocked.exit_code == 0 and "total = sum(numbers)" in unlocked.stdout
    assert runner.invoke(app, ["hint", "alpha", "q9"]).exit_code == 1
    assert [e.kind for e in learner().progress().events] == ["hint", "hint", "solution"]


@pytest.mark.slow  # over ~20 s: second tier
def test_eight_processes_hinting_at_once_record_every_hint(home: Path) -> None:
    env = dict(os.environ)
    script = "import sys, subprocess\nfor _ in range(10):\n    subprocess.run([sys.executable, '-m', 'sandbox', 'hint', 'alpha', 'q1', '--yes'], check=True, capture_output=True)\n"
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env) for _ in range(8)]
    assert [p.wait(timeout=240) for p in procs] == [0] * 8
    hints = [e for e in ProgressStore(home).load().events if e.kind == "hint"]
    assert len(hints) == 80


def test_watch_rechecks_on_save_and_stops_cleanly_on_ctrl_c(home: Path) -> None:
    path = write_workspace({"q1": "total = 0", "q2": "count = len(numbers)"})
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "watch", "alpha", "--interval", "0.2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:

        def wait_for(kind: str, count: int, timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                found = [e for e in ProgressStore(home).load().events if e.kind == kind]
                if len(found) >= count:
                    return
                time.sleep(0.2)
            raise AssertionError(f"watch did not record {count} {kind} event(s)")

        wait_for("checked", 1)
        write_workspace({"q1": "total = sum(numbers)", "q2": "count = len(numbers)"})
        # The passing run records its checks before its verification: wait for the latter.
        wait_for("verified", 1)
        time.sleep(1)  # and for the verdict to be printed
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Stopped watching" in out and "Traceback" not in out
    assert "Verified" in out and path.exists()
    assert any(e.kind == "verified" for e in ProgressStore(home).load().events)


def test_dev_check_proves_the_fixture_grader() -> None:
    result = runner.invoke(app, ["dev", "check", "alpha", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0, data
    # starter, reference, two wrong answers, two fabricated, two alternatives
    assert data["challenges"][0]["runs"] == 8


def test_dev_check_proves_alternatives_pass_and_fabrications_fail(fixture_content: Path) -> None:
    folder = fixture_content / "challenges" / "level_1" / "alpha"
    # An alternative the grader refuses, and a fabrication it accepts, are both reported.
    (folder / "alternatives" / "wrong_way.py").write_text("# targets: q1\n# %% q1\ntotal = 30\n")
    (folder / "fabricated" / "real.py").write_text(
        "# targets: q1\n# expect: anything\n# %% q1\ntotal = sum(numbers)\n"
    )
    result = runner.invoke(app, ["dev", "check", "alpha", "--json"])
    problems = json.loads(result.stdout)["challenges"][0]["problems"]
    assert result.exit_code == 1
    assert any(p.startswith("alternatives/wrong_way.py should PASS") for p in problems)
    assert any("fabricated/real.py: q1 should FAIL but was PASS" in p for p in problems)
    # Too few of either is a problem too.
    for name in ("wrong_way.py", "loop.py", "numpy.py"):
        (folder / "alternatives" / name).unlink()
    for name in ("real.py", "typed_total.py"):
        (folder / "fabricated" / name).unlink()
    result = runner.invoke(app, ["dev", "check", "alpha", "--json"])
    problems = json.loads(result.stdout)["challenges"][0]["problems"]
    assert result.exit_code == 1
    assert "alternatives/ has 0 answer(s); needs at least 2." in problems
    assert "fabricated/ has 1 answer(s); needs at least 2." in problems


def test_dev_check_catches_a_broken_grader(fixture_content: Path) -> None:
    wrong = fixture_content / "challenges" / "level_1" / "alpha" / "wrong" / "q1_off_by_one.py"
    wrong.write_text("# targets: q1\n# %% q1\ntotal = sum(numbers)\n")  # not wrong at all
    result = runner.invoke(app, ["dev", "check", "alpha", "--json"])
    problems = json.loads(result.stdout)["challenges"][0]["problems"]
    assert result.exit_code == 1
    assert any("q1_off_by_one.py: q1 should FAIL but was PASS" in p for p in problems)


def test_run_notebook_on_the_starter_is_not_attempted() -> None:
    lr = learner()
    challenge = lr.catalogue.get("alpha")
    result = run_notebook(challenge, notebook_with_answers(challenge, {}), lr.home)
    assert {t.outcome for t in result.tasks} == {Outcome.NOT_ATTEMPTED} and not result.notes


def test_registering_the_kernel_leaves_no_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.grading.verify import install_kernel

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    where = Path(install_kernel(prefix=str(tmp_path / "prefix")))
    assert where == tmp_path / "prefix" / "share" / "jupyter" / "kernels" / "data-science-sandbox"
    spec = json.loads((where / "kernel.json").read_text())
    assert spec["display_name"] == "Python (Data Science Sandbox)"
    assert spec["argv"][:4] == [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher"]
    assert list(temp.iterdir()) == [], "nothing is left in the temp folder"

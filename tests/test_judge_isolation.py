"""The judged never holds the judge: attacks from inside the notebook, in real kernels.

Each attack comes with *wrong* answers (``total = 0``). Whatever the notebook does, it must
earn no XP, end in a FAIL or a refusal that says what happened, leave the progress store as
it was (apart from the verifier's own ``checked`` event), and leave no process behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest

from sandbox import workspace
from sandbox.grading.artifacts import Artifacts
from sandbox.grading.expected import cache_root, ensure_expected
from sandbox.grading.outcome import Outcome
from sandbox.grading.reference import notebook_with_answers
from sandbox.grading.verify import CACHE_REFUSED, REFUSED, verify
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

pytestmark = pytest.mark.kernel
WRONG = {"q1": "total = 0", "q2": "count = 0"}
RIGHT = {"q1": "total = sum(numbers)", "q2": "count = len(numbers)"}


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def learner() -> Learner:
    return Learner.open()


def write_workspace(answers: dict[str, str], extra_cells: list[str] | None = None) -> Path:
    lr = learner()
    challenge = lr.catalogue.get("alpha")
    path, _ = workspace.prepare(lr.home, challenge)
    nb = notebook_with_answers(challenge, answers)
    for source in extra_cells or []:
        nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(source)))
    nbformat.write(nb, str(path))
    return path


def seed_store(home: Path) -> bytes:
    """A store with some history, so that tampering has something to damage."""
    store = ProgressStore(home)
    store.append("opened", "beta")
    store.append("hint", "beta", "q1", {"index": 0})
    return (home / "progress.json").read_bytes()


def assert_failed_without_xp(home: Path, before: bytes, result: Any) -> None:
    assert not result.passed and result.xp_awarded == 0
    assert learner().engine().xp == 0
    events = ProgressStore(home).load().events
    assert not [e for e in events if e.kind == "verified"]
    text = (home / "progress.json").read_text(encoding="utf-8")
    # The verifier's own FAIL event is the only addition.
    before_events = json.loads(before)["events"]
    after_events = json.loads(text)["events"]
    assert after_events[: len(before_events)] == before_events
    assert [
        (e["kind"], e["details"].get("outcome")) for e in after_events[len(before_events) :]
    ] == [("checked", "FAIL")]


def assert_refused(home: Path, before: bytes, result: Any, reason: str) -> None:
    assert result.refused and not result.passed and result.xp_awarded == 0
    assert result.error == reason
    assert (home / "progress.json").read_bytes() == before
    assert learner().engine().xp == 0


# ------------------------------------------------------------------------- patching the grader


@pytest.mark.parametrize(
    "attack",
    [
        pytest.param(
            """
            import sandbox.grading.judge as judge
            from sandbox.grading.outcome import Outcome, TaskResult
            judge.evaluate_task = lambda challenge, task, *a, **k: TaskResult(task.id, Outcome.PASS, "ok")
            judge.Judge.judge = lambda self, folder, task_ids=None: [
                TaskResult(t.id, Outcome.PASS, "ok") for t in self.challenge.tasks
            ]
            """,
            id="evaluate_task-and-Judge",
        ),
        pytest.param(
            """
            import sandbox.grading.compare as compare
            compare.compare_value = lambda *a, **k: None
            for kind in list(compare.COMPARATORS):
                compare.COMPARATORS[kind] = lambda *a, **k: None
            """,
            id="comparisons",
        ),
        pytest.param(
            """
            import sandbox.grading.expected as expected
            import sandbox.grading.artifacts as artifacts
            expected.ensure_expected = lambda *a, **k: (_ for _ in ()).throw(RuntimeError())
            artifacts.Artifacts.get = lambda self, name, default=None: 0
            expected.expected_values = lambda *a, **k: {"total": 0, "count": 0}
            """,
            id="expected-value-functions-and-in-memory-reads",
        ),
        pytest.param(
            """
            import builtins
            report = '[{"task": "q1", "outcome": "PASS", "message": ""}, {"task": "q2", "outcome": "PASS", "message": ""}]'
            print("SANDBOX-REPORT:" + report)
            print('{"result": {"cell_errors": [], "error": null}}')
            import os
            os.write(1, b'{"result": {"cell_errors": [], "error": null, "seconds": 0}}\\n')
            builtins.print = lambda *a, **k: None
            """,
            id="builtins-print-and-forged-protocol-lines",
        ),
    ],
)
def test_patching_the_grader_in_the_kernel_changes_nothing(home: Path, attack: str) -> None:
    before = seed_store(home)
    write_workspace(WRONG, [attack])
    result = verify(learner(), "alpha")
    assert {t.outcome for t in result.tasks} == {Outcome.FAIL}
    assert "too low" in result.tasks[0].message
    assert_failed_without_xp(home, before, result)


# ------------------------------------------------------------------- the expected-value cache


def _poison(entry: Path) -> None:
    """Make the cached answer key say total = 0 and count = 0."""
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["variables"] = {
        "total": {"t": "int", "v": 0},
        "count": {"t": "int", "v": 0},
    }
    (entry / "manifest.json").write_text(json.dumps(manifest))


def test_a_cache_changed_by_hand_is_recomputed_and_never_changes_a_verdict(home: Path) -> None:
    challenge = learner().catalogue.get("alpha")
    entry = ensure_expected(challenge, home).folder
    _poison(entry)
    before = seed_store(home)
    write_workspace(WRONG)
    wrong = verify(learner(), "alpha")
    assert {t.outcome for t in wrong.tasks} == {Outcome.FAIL}
    assert_failed_without_xp(home, before, wrong)
    assert Artifacts(ensure_expected(challenge, home).folder).get("total") == 31
    write_workspace(RIGHT)
    assert verify(learner(), "alpha").passed


POISON_DURING_RUN = """
import json, os, pathlib, hmac, hashlib
root = pathlib.Path(os.environ["SANDBOX_HOME"]) / "cache"
key = (root / "seal.key").read_bytes()
for entry in (root / "expected" / "alpha").iterdir():
    if not (entry / "manifest.json").exists():
        continue
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["variables"] = {"total": {"t": "int", "v": 0}, "count": {"t": "int", "v": 0}}
    (entry / "manifest.json").write_text(json.dumps(manifest))
    # Re-seal with the key, as a determined notebook could.
    files = {}
    for p in sorted(entry.rglob("*")):
        if p.is_file() and p.name != "seal.json":
            files[str(p.relative_to(entry))] = hashlib.sha256(p.read_bytes()).hexdigest()
    message = json.dumps(["alpha", entry.name, files], sort_keys=True).encode()
    mac = hmac.new(key, message, hashlib.sha256).hexdigest()
    (entry / "seal.json").write_text(json.dumps({"files": files, "mac": mac}))
"""


def test_a_notebook_that_poisons_the_cache_is_refused_and_the_honest_one_then_passes(
    home: Path,
) -> None:
    ensure_expected(learner().catalogue.get("alpha"), home)
    before = seed_store(home)
    write_workspace(WRONG, [POISON_DURING_RUN])
    result = verify(learner(), "alpha")
    assert_refused(home, before, result, CACHE_REFUSED)
    # The poisoned entry is gone: a later honest notebook in the same home passes...
    assert not list((cache_root(home) / "alpha").iterdir())
    write_workspace(RIGHT)
    assert verify(learner(), "alpha").passed
    # ...and the wrong one still fails.
    write_workspace(WRONG)
    assert not verify(learner(), "alpha").passed


# ------------------------------------------------------------------------ the progress store


APPEND_VERIFIED = """
import json, os, pathlib, uuid, datetime
path = pathlib.Path(os.environ["SANDBOX_HOME"]) / "progress.json"
doc = json.loads(path.read_text())
for cid in ("alpha", "beta", "gamma"):
    doc["events"].append({"id": uuid.uuid4().hex, "ts": datetime.datetime.now(datetime.UTC).isoformat(),
                          "kind": "verified", "challenge": cid, "task": None,
                          "details": {"tasks": {"q1": "PASS"}}})
path.write_text(json.dumps(doc))
"""

DELETE_STORE = """
import os, pathlib, shutil
home = pathlib.Path(os.environ["SANDBOX_HOME"])
(home / "progress.json").unlink()
shutil.rmtree(home / "backups", ignore_errors=True)
"""


@pytest.mark.parametrize(
    "attack", [pytest.param(APPEND_VERIFIED, id="append"), pytest.param(DELETE_STORE, id="delete")]
)
def test_a_notebook_that_writes_the_progress_store_is_refused_and_undone(
    home: Path, attack: str
) -> None:
    before = seed_store(home)
    ProgressStore(home).backup("test")
    backups = {p.name: p.read_bytes() for p in (home / "backups").iterdir()}
    write_workspace(WRONG, [attack])
    result = verify(learner(), "alpha")
    assert_refused(home, before, result, REFUSED)
    assert {p.name: p.read_bytes() for p in (home / "backups").iterdir()} == backups


def test_the_refusal_also_holds_when_the_answers_are_right(home: Path) -> None:
    before = seed_store(home)
    write_workspace(RIGHT, [APPEND_VERIFIED])
    result = verify(learner(), "alpha")
    assert_refused(home, before, result, REFUSED)
    assert all(t.outcome is not Outcome.PASS for t in result.tasks)


POISON_STATUS_SNAPSHOT = """
import json, os, pathlib
from sandbox import status
home = pathlib.Path(os.environ["SANDBOX_HOME"])
status.current(home)  # a genuine snapshot of the log as it is now
snapshot = home / status.SNAPSHOT_FILE
forged = json.loads(snapshot.read_text())
# The summary, for a log left as it is; the checkpoint, resumed once events are appended.
forged["status"].update(xp=99999, level=5, verified=3)
forged["resume"]["checkpoint"]["xp"] = 99999
forged["resume"]["checkpoint"]["verified"] = ["alpha", "beta", "gamma"]
snapshot.write_text(json.dumps(forged))
"""
# Get the run refused, so that the verifier appends nothing and the log stays as forged for.
TOUCH_STORE = """
store = home / "progress.json"
store.write_text(store.read_text() + " ")
"""


@pytest.mark.parametrize("refused", [True, False], ids=["refused", "failed"])
def test_a_notebook_cannot_plant_the_summary_sandbox_status_prints(
    home: Path, refused: bool
) -> None:
    from sandbox import status

    before = seed_store(home)
    attack = POISON_STATUS_SNAPSHOT + (TOUCH_STORE if refused else "")
    write_workspace(WRONG, [attack])
    result = verify(learner(), "alpha")
    if refused:
        assert_refused(home, before, result, REFUSED)
    else:
        assert_failed_without_xp(home, before, result)
    shown = status.current(home)
    assert shown["xp"] == 0 and shown["verified"] == 0


# ------------------------------------------------------------------------------- processes


def test_no_process_started_by_the_notebook_survives_verification(home: Path) -> None:
    marker = uuid.uuid4().hex
    witness = home / "escaped.txt"
    # A setsid child, and a double-forked daemon that clears its environment.
    attack = f"""
    import os, subprocess, sys, time
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)", "{marker}-setsid"],
        start_new_session=True,
    )
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            code = "import time, pathlib; time.sleep(8); pathlib.Path({str(witness)!r}).write_text('escaped')"
            os.execve(sys.executable, [sys.executable, "-c", code, "{marker}-daemon"], {{}})
        os._exit(0)
    time.sleep(0.5)
    """
    write_workspace(WRONG, [attack])
    result = verify(learner(), "alpha")
    assert not result.passed

    def survivors() -> list[int]:
        found = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            try:
                if any(marker in part for part in proc.info["cmdline"] or []):
                    found.append(proc.pid)
            except psutil.Error:
                continue
        return found

    assert survivors() == []
    time.sleep(9)
    assert not witness.exists()
    assert survivors() == []


# ------------------------------------------------------------------- one NOT_ATTEMPTED rule


def test_a_comment_mentioning_the_placeholder_is_not_mistaken_for_an_untouched_task(
    home: Path,
) -> None:
    answers = {
        "q1": "total = sum(numbers)  # was: total = ____",
        "q2": "# ____ replaced\ncount = len(numbers)",
    }
    write_workspace(answers)
    result = verify(learner(), "alpha")
    assert result.passed, result.tasks
    namespace: dict[str, Any] = {}
    exec(
        "from sandbox.grading import ____, challenge\nch = challenge('alpha')\n"
        "numbers = [3, 1, 4, 1, 5, 9, 2, 6]\n" + answers["q1"] + "\n",
        namespace,
    )
    assert namespace["ch"].q1.result().outcome is Outcome.PASS


def test_the_placeholder_value_is_not_attempted_inline_and_in_verification() -> None:
    write_workspace({"q1": "total = ____", "q2": "count = len(numbers)"})
    result = verify(learner(), "alpha")
    assert [t.outcome for t in result.tasks] == [Outcome.NOT_ATTEMPTED, Outcome.PASS]
    namespace: dict[str, Any] = {}
    exec(
        "from sandbox.grading import ____, challenge\nch = challenge('alpha')\ntotal = ____\n",
        namespace,
    )
    assert namespace["ch"].q1.result().outcome is Outcome.NOT_ATTEMPTED


# ------------------------------------------------------------------------- help is counted


def test_reading_the_answer_key_counts_as_seeing_every_solution(home: Path) -> None:
    code = (
        "from sandbox.grading.expected import expected_values\n"
        "print(expected_values('alpha')['total'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ), capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "31"
    solutions = [e for e in ProgressStore(home).load().events if e.kind == "solution"]
    assert {(e.challenge, e.task) for e in solutions} == {("alpha", "q1"), ("alpha", "q2")}

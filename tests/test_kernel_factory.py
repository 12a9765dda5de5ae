"""Warm kernels of the authoring check: each run gets a new process with the run's environment,
nothing survives a run, and the grades are the ones a kernel started from scratch gives."""

from __future__ import annotations

import os
import textwrap
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest

from sandbox.catalogue import default_catalogue
from sandbox.grading.kernel_factory import KernelFactory, modules_to_preload
from sandbox.grading.outcome import Outcome
from sandbox.grading.reference import notebook_with_answers
from sandbox.grading.verify import VERIFYING_ENV, run_notebook
from sandbox.paths import repo_root

pytestmark = pytest.mark.kernel
RIGHT = {"q1": "total = sum(numbers)", "q2": "count = len(numbers)"}


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def _notebook(extra: str, answers: dict[str, str] = RIGHT) -> nbformat.NotebookNode:
    challenge = default_catalogue().get("alpha")
    nb = notebook_with_answers(challenge, answers)
    nb.cells.insert(1, nbformat.v4.new_code_cell(textwrap.dedent(extra)))
    return nb


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_each_run_is_a_new_process_with_its_own_environment_and_leaves_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    challenge = default_catalogue().get("alpha")
    temp = tmp_path / "temp"  # the runners', the factory's and the kernels' temp files
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    marker = uuid.uuid4().hex
    facts = tmp_path / "facts"
    facts.mkdir()
    # What the kernel reports about itself, and a setsid child plus a double-forked daemon that
    # try to outlive the run.
    cell = f"""
    import json, os, subprocess, sys, time, pathlib
    import numpy
    pathlib.Path({str(facts)!r}, str(os.getpid())).write_text(json.dumps({{
        "verifying": os.environ.get({VERIFYING_ENV!r}),
        "home": os.environ.get("SANDBOX_HOME"),
        "cwd": os.getcwd(),
        "marked": hasattr(numpy, "_marked_by_an_earlier_run"),
        "draw": numpy.random.random(),
    }}))
    numpy._marked_by_an_earlier_run = True
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{marker}"],
                     start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", "{marker}"])
        os._exit(0)
    time.sleep(0.5)
    """
    factory = KernelFactory(challenge, home)
    try:
        results = [
            run_notebook(challenge, _notebook(cell), home, kernel_factory=factory.socket)
            for _ in range(2)
        ]
        assert factory.process.poll() is None, "the factory serves every run"
        assert _descendants(factory.process.pid) == [], "a run's kernel and its children are gone"
    finally:
        factory.close()
    assert all(r.passed for r in results), [r.tasks for r in results]
    reports = [__import__("json").loads(p.read_text()) for p in sorted(facts.iterdir())]
    assert len(reports) == 2, "each run had a process of its own"
    assert all(r["verifying"] == "1" and r["home"] == str(home) for r in reports)
    assert all(Path(r["cwd"]).is_relative_to(home) for r in reports)
    assert not any(r["marked"] for r in reports), "nothing one run did is seen by the next"
    assert reports[0]["draw"] != reports[1]["draw"], "each kernel draws its own random numbers"
    time.sleep(0.5)
    survivors = [
        p for p in psutil.process_iter(["cmdline"]) if marker in " ".join(p.info["cmdline"] or [])
    ]
    assert survivors == []
    assert list(temp.iterdir()) == [], "no connection file or other temp file is left"


def test_grades_match_a_kernel_started_from_scratch(home: Path) -> None:
    challenge = default_catalogue().get("alpha")
    wrong = {"q1": "total = 0", "q2": "count = len(numbers)"}
    factory = KernelFactory(challenge, home)
    try:
        warm = run_notebook(
            challenge, _notebook("x = 1", wrong), home, kernel_factory=factory.socket
        )
    finally:
        factory.close()
    cold = run_notebook(challenge, _notebook("x = 1", wrong), home)
    assert warm.outcomes == cold.outcomes == {"q1": "FAIL", "q2": "PASS"}
    assert [t.message for t in warm.tasks] == [t.message for t in cold.tasks]


def test_a_kernel_that_runs_too_long_is_stopped_and_the_factory_serves_the_next(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    challenge = default_catalogue().get("alpha")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    factory = KernelFactory(challenge, home)
    try:
        slow = run_notebook(
            challenge, _notebook("import time; time.sleep(60)"), home, timeout=3,
            kernel_factory=factory.socket,
        )  # fmt: skip
        assert slow.error and "timed out" in slow.error
        assert all(t.outcome is Outcome.ERROR for t in slow.tasks)
        after = run_notebook(challenge, _notebook("x = 1"), home, kernel_factory=factory.socket)
        assert after.passed
    finally:
        factory.close()
    assert not psutil.pid_exists(factory.process.pid) or (
        psutil.Process(factory.process.pid).status() == psutil.STATUS_ZOMBIE
    )
    assert list(temp.iterdir()) == [], "the stopped kernel's connection file is gone too"


def test_the_factory_imports_the_notebooks_libraries_but_not_the_sandboxs_own() -> None:
    os.environ.pop("SANDBOX_CONTENT", None)  # the real catalogue (the fixture's has no imports)
    from sandbox.catalogue import load_catalogue

    challenge = load_catalogue(repo_root()).get("compare-and-register")
    modules = modules_to_preload(challenge)
    assert {"mlflow", "mlflow.sklearn", "sklearn.ensemble"} <= set(modules)
    assert not [m for m in modules if m.split(".")[0] == "sandbox"]
    # shap loads inside the sandbox's explain module, optuna.visualization on first attribute use
    assert "shap" in modules_to_preload(load_catalogue(repo_root()).get("find-the-leak"))
    tuning = modules_to_preload(load_catalogue(repo_root()).get("optuna-tuning"))
    assert {"optuna", "optuna.visualization"} <= set(tuning)


def test_the_factory_signals_only_kernels_it_has_not_reaped(home: Path) -> None:
    """Once the factory reaps a kernel, its pid may be any new process's (pids wrap around
    quickly on a busy machine): the kernel manager's late kill must not reach that process."""
    import signal
    import subprocess
    import sys

    from sandbox.grading.kernel_factory import ForkedKernel, request

    challenge = default_catalogue().get("alpha")
    bystander = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True
    )
    factory = KernelFactory(challenge, home)
    try:
        # A "kernel" that ends at once: the factory refuses anything but ipykernel_launcher.
        spawned = request(
            factory.socket,
            {"op": "spawn", "argv": [sys.executable, "-m", "nothing"], "env": {}, "cwd": "/"},
        )
        kernel = ForkedKernel(int(spawned["pid"]), str(factory.socket))
        assert kernel.wait(timeout=30) == -1, "the factory saw it end and reaped it"
        assert not Path(f"/proc/{kernel.pid}").exists(), "reaped, not a zombie"
        # Its number reused by an unrelated process: asking to signal it reaches nothing.
        stale = ForkedKernel(bystander.pid, str(factory.socket))
        assert stale.poll() == -1
        stale.kill()
        stale.terminate()
        reply = request(
            factory.socket, {"op": "signal", "pid": bystander.pid, "signum": signal.SIGKILL}
        )
        assert reply == {"sent": False}
        time.sleep(0.5)
        assert bystander.poll() is None, "a process that is not the factory's kernel lives on"
    finally:
        factory.close()
        bystander.kill()
        bystander.wait()

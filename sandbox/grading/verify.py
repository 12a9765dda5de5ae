"""Clean verification: run a notebook top to bottom in a fresh kernel and grade every task there.

This is the only way XP is earned. :func:`verify` (behind ``sandbox check``, the
dashboard's Verify button and ``ch.submit()``) runs the learner's workspace
notebook with nbclient in a new kernel whose working directory is the workspace
and whose environment carries the data home. After the last cell, one extra cell
evaluates every task in that kernel and prints a JSON report. Then one ``checked``
event is recorded, and one ``verified`` event when every task passed.

Limits: the whole run has a time budget (default 120 s). A notebook still running
at the end is stopped, its kernel shut down, and the result is an ERROR whose
message says it timed out. A dead kernel is an ERROR too, never a hang.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.catalogue import Challenge
from sandbox.errors import VerificationError
from sandbox.grading.outcome import PLACEHOLDER_TEXT, Outcome, TaskResult
from sandbox.grading.reference import CHECK_TAG, read_notebook, task_of
from sandbox.learner import Learner
from sandbox.paths import CONTENT_ENV, KERNEL_NAME, local_env, workspace_dir

DEFAULT_TIMEOUT = 120.0
VERIFYING_ENV = "SANDBOX_VERIFYING"
REPORT_MARKER = "SANDBOX-REPORT:"
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE_RE = re.compile(r"Cell In\[\d*\], line (\d+)")


@dataclass(frozen=True)
class ProgressUpdate:
    """A step of a running verification, for live progress displays."""

    message: str
    fraction: float


@dataclass(frozen=True)
class VerificationResult:
    challenge: str
    notebook: Path
    tasks: tuple[TaskResult, ...]
    seconds: float
    error: str | None = None
    notes: tuple[str, ...] = ()
    xp_awarded: int = 0
    recorded: bool = False

    @property
    def passed(self) -> bool:
        return (
            self.error is None
            and bool(self.tasks)
            and all(t.outcome is Outcome.PASS for t in self.tasks)
        )

    @property
    def outcomes(self) -> dict[str, str]:
        return {t.task: t.outcome.value for t in self.tasks}

    def to_json(self) -> dict[str, Any]:
        return {
            "challenge": self.challenge,
            "notebook": str(self.notebook),
            "passed": self.passed,
            "tasks": [t.to_json() for t in self.tasks],
            "seconds": round(self.seconds, 2),
            "error": self.error,
            "notes": list(self.notes),
            "xp_awarded": self.xp_awarded,
        }


@dataclass
class _CellError:
    index: int
    task: str | None
    ename: str
    evalue: str
    line: int | None
    code_line: str | None = None

    def message(self) -> str:
        where = f"cell {self.index + 1}" + (f" (task {self.task})" if self.task else "")
        if self.line is not None:
            where += f", line {self.line}"
            if self.code_line:
                where += f" `{self.code_line.strip()}`"
        evalue = self.evalue if len(self.evalue) < 200 else self.evalue[:199] + "…"
        return f"{where} raised {self.ename}: {evalue}"


@dataclass
class _Run:
    cell_errors: list[_CellError] = field(default_factory=list)
    report: list[dict[str, Any]] | None = None
    report_error: str | None = None


def kernel_report(challenge_id: str) -> str:
    """Evaluate every task in this (fresh) kernel; called by the cell verification appends."""
    from IPython import get_ipython

    from sandbox.catalogue import default_catalogue
    from sandbox.grading.evaluate import evaluate_task
    from sandbox.paths import data_home

    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else {}
    challenge = default_catalogue().get(challenge_id)
    results = [
        evaluate_task(challenge, task, namespace, data_home()).to_json() for task in challenge.tasks
    ]
    return REPORT_MARKER + json.dumps(results)


def _report_cell_source(challenge_id: str) -> str:
    return f"from sandbox.grading.verify import kernel_report as _sandbox_report\nprint(_sandbox_report({challenge_id!r}))\n"


def _error_line(cell: Any, output: Any) -> tuple[int | None, str | None]:
    """The line of the learner's cell where the exception surfaced, from IPython's traceback."""
    text = _ANSI_RE.sub("", "\n".join(output.get("traceback", [])))
    lines = _CELL_LINE_RE.findall(text)
    if not lines:
        return None, None
    number = int(lines[0])
    source_lines = str(cell.source).splitlines()
    code = source_lines[number - 1] if 0 < number <= len(source_lines) else None
    return number, code


def _collect(nb: Any, report_index: int) -> _Run:
    run = _Run()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if index == report_index:
                if output.get("output_type") == "stream":
                    for line in str(output.get("text", "")).splitlines():
                        if line.startswith(REPORT_MARKER):
                            run.report = json.loads(line[len(REPORT_MARKER) :])
                elif output.get("output_type") == "error":
                    run.report_error = f"{output.get('ename')}: {output.get('evalue')}"
            elif output.get("output_type") == "error":
                line_number, code_line = _error_line(cell, output)
                run.cell_errors.append(
                    _CellError(
                        index,
                        task_of(cell),
                        str(output.get("ename")),
                        str(output.get("evalue")),
                        line_number,
                        code_line,
                    )
                )
    return run


def kernel_env(home: Path) -> dict[str, str]:
    """The environment of a verification kernel: the caller's, plus the data home and a flag."""
    env = local_env(home)
    env[VERIFYING_ENV] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONUNBUFFERED"] = "1"
    content = os.environ.get(CONTENT_ENV)
    if content:
        env[CONTENT_ENV] = content
    return env


def ensure_kernel() -> None:
    """Register the sandbox's Jupyter kernel (inside this Python's prefix) if it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL_NAME in KernelSpecManager().find_kernel_specs():
        return
    from ipykernel.kernelspec import install

    install(
        kernel_name=KERNEL_NAME, display_name="Python (Data Science Sandbox)", prefix=sys.prefix
    )


def run_notebook(
    challenge: Challenge,
    nb: Any,
    home: Path,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressUpdate], None] | None = None,
    notebook_path: Path | None = None,
) -> VerificationResult:
    """Execute ``nb`` in a fresh kernel and grade it; records nothing."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_code_cell

    ensure_kernel()
    started = time.monotonic()
    deadline = started + timeout
    notify = on_progress or (lambda update: None)
    task_ids = [t.id for t in challenge.tasks]
    task_cells = {
        task_of(cell): cell for cell in nb.cells if cell.cell_type == "code" and task_of(cell)
    }
    untouched = {tid for tid, cell in task_cells.items() if PLACEHOLDER_TEXT in str(cell.source)}

    nb.cells.append(new_code_cell(_report_cell_source(challenge.id)))  # type: ignore[no-untyped-call]
    report_index = len(nb.cells) - 1
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    done = {"cells": 0}

    def on_cell_executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        done["cells"] += 1
        fraction = min(done["cells"] / code_cells, 1.0)
        if cell_index == report_index:
            notify(ProgressUpdate("graded every task", 1.0))
            return
        task = task_of(cell)
        failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if task:
            notify(
                ProgressUpdate(f"{task}: cell {'raised an error' if failed else 'ran'}", fraction)
            )
        elif task_of(cell, CHECK_TAG) is None:
            notify(
                ProgressUpdate(
                    f"cell {cell_index + 1} {'raised an error' if failed else 'ran'}", fraction
                )
            )

    workdir = workspace_dir(home)
    workdir.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(workdir)}},
        on_cell_executed=on_cell_executed,
    )
    notify(ProgressUpdate("starting a fresh kernel", 0.0))
    error: str | None = None
    try:
        # The kernel's own stderr only carries Jupyter's transport warnings; learner output
        # (prints, errors) travels over the messaging channels and is collected from the cells.
        client.execute(env=kernel_env(home), stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        error = f"The notebook timed out after {timeout:.0f} s and was stopped. Look for a loop that never ends or work that is too slow."
    except DeadKernelError:
        error = (
            "The kernel died while running the notebook (out of memory, or the process was killed)."
        )
    except Exception as exc:  # kernel start-up failures surface as assorted exception types
        raise VerificationError(
            f"Could not run the notebook in a fresh kernel: {type(exc).__name__}: {exc}"
        ) from None
    seconds = time.monotonic() - started
    run = _collect(nb, report_index)
    path = notebook_path or Path(str(challenge.notebook))

    errors_by_task = {e.task: e for e in run.cell_errors if e.task}
    notes = tuple(e.message() for e in run.cell_errors if not e.task)
    reported = {r["task"]: TaskResult.from_json(r) for r in (run.report or [])}
    results: list[TaskResult] = []
    for tid in task_ids:
        if tid in untouched:
            results.append(
                TaskResult(tid, Outcome.NOT_ATTEMPTED, "The task cell still contains ____.")
            )
        elif tid in errors_by_task:
            results.append(TaskResult(tid, Outcome.ERROR, errors_by_task[tid].message()))
        elif error is not None:
            results.append(TaskResult(tid, Outcome.ERROR, error))
        elif tid in reported:
            result = reported[tid]
            if result.outcome is Outcome.FAIL and notes:
                result = TaskResult(tid, Outcome.FAIL, f"{result.message} (Earlier, {notes[0]}.)")
            results.append(result)
        else:
            detail = run.report_error or "no report came back from the kernel"
            results.append(TaskResult(tid, Outcome.ERROR, f"Could not grade the task: {detail}."))
    return VerificationResult(challenge.id, path, tuple(results), seconds, error, notes)


def verify(
    learner: Learner,
    challenge_id: str,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressUpdate], None] | None = None,
) -> VerificationResult:
    """Clean-verify the learner's workspace notebook and record the outcome (XP on a full pass)."""
    from sandbox import workspace
    from sandbox.paths import validate_slug

    challenge = learner.catalogue.get(validate_slug(challenge_id))
    path = workspace.notebook_path(learner.home, challenge)
    if not path.exists():
        raise VerificationError(
            f"There is no workspace notebook for {challenge.id!r} yet ({path}). Open the challenge "
            f"first (`sandbox open {challenge.id}`, or Open in JupyterLab on the dashboard) to get a "
            "copy of the starter."
        )
    learner.progress()  # refuse early, before minutes of work, if the store is unreadable
    result = run_notebook(challenge, read_notebook(path), learner.home, timeout, on_progress, path)
    xp_before = learner.engine().xp
    outcome = "PASS" if result.passed else "FAIL"
    events: list[tuple[str, str | None, str | None, dict[str, Any] | None]] = [
        (
            "checked",
            challenge.id,
            None,
            {"source": "verify", "outcome": outcome, "tasks": result.outcomes},
        )
    ]
    if result.passed:
        events.append(
            (
                "verified",
                challenge.id,
                None,
                {"tasks": result.outcomes, "seconds": round(result.seconds, 2)},
            )
        )
    learner.store.append_many(events)
    xp_awarded = learner.engine().xp - xp_before
    return VerificationResult(
        result.challenge,
        result.notebook,
        result.tasks,
        result.seconds,
        result.error,
        result.notes,
        xp_awarded,
        True,
    )

"""Clean verification: run a notebook in a fresh kernel, then let a separate judge decide.

This is the only way XP is earned. :func:`verify` (behind ``sandbox check``, the dashboard's
Verify button and ``ch.submit()``) takes the learner's workspace notebook through named steps:

1. **prepare** — pick the data variant (:mod:`sandbox.grading.seeds`): the kernel, the
   reference and the judge all read the same fresh variant of every dataset, so typed-in
   answers fail; append one cell that exports every task variable as data artifacts
   (:mod:`sandbox.grading.export`), into a private folder outside the data home;
2. **judge warm-up** — start the judge process (:mod:`sandbox.grading.judge`), which loads or
   computes the expected values while the kernel runs;
3. **run** — the runner process (:mod:`sandbox.grading.runner`) executes the notebook with
   nbclient in a fresh kernel whose working directory is the workspace, within one time
   budget (default 120 s), and kills every process the notebook started;
4. **guard** — the progress stores, their backups and the expected-value cache are compared
   with their state before the run (:mod:`sandbox.grading.guard`); a run that changed them
   is undone and refused;
5. **judge** — the judge reads the artifacts as data and returns one verdict per task;
6. **record** — one ``checked`` event, and one ``verified`` event when every task passed.

The learner's kernel only produces; nothing it runs can reach the code that decides.
A notebook still running at the end of its budget is stopped and every task is an ERROR
saying it timed out; a dead kernel is an ERROR too, never a hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.catalogue import Challenge
from sandbox.datasets.registry import VARIANT_ENV
from sandbox.errors import GradingError, VerificationError
from sandbox.grading.outcome import Outcome, TaskResult
from sandbox.grading.reference import read_notebook
from sandbox.learner import Learner
from sandbox.paths import CONTENT_ENV, KERNEL_NAME, local_env, workspace_dir

DEFAULT_TIMEOUT = 120.0
VERIFYING_ENV = "SANDBOX_VERIFYING"
REFUSED = (
    "The notebook wrote to your progress store during verification; nothing was recorded, and "
    "the store is back as it was before the run. Remove the code that writes to the data home "
    "(progress.json, backups/) and verify again."
)
CACHE_REFUSED = (
    "The notebook changed the grader's expected-value cache during verification; nothing was "
    "recorded and the changed entries were deleted (they are recomputed next time). Remove the "
    "code that writes to the cache folder of your data home and verify again."
)


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
    refused: bool = False
    #: The expected-value cache entries the judge sealed during this run (none when cached).
    computed_entries: tuple[Path, ...] = ()
    #: The data variant the notebook ran on (None: the shipped files).
    seed: int | None = None

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
            "refused": self.refused,
            "seed": self.seed,
        }


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

    if KERNEL_NAME not in KernelSpecManager().find_kernel_specs():
        install_kernel()


def install_kernel(prefix: str = sys.prefix) -> str:
    """Register (or refresh) the sandbox's Jupyter kernel inside ``prefix`` (this Python's),
    as ``python -m ipykernel install --sys-prefix`` does; return where it went.

    The kernel spec is staged in a folder removed afterwards: ipykernel's own ``install``
    leaves an empty ``tmp…_kernels`` folder in the temp directory each time.
    """
    import tempfile

    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory(prefix="sandbox-kernelspec-") as staging:
        spec = write_kernel_spec(
            Path(staging) / KERNEL_NAME,
            overrides={"display_name": "Python (Data Science Sandbox)"},
            # As ipykernel installs it: no frozen modules, so a debugger sees the stdlib.
            python_arguments=["-Xfrozen_modules=off"],
        )
        destination: str = KernelSpecManager().install_kernel_spec(
            spec, kernel_name=KERNEL_NAME, prefix=prefix
        )
    return destination


def _runner_env(home: Path) -> dict[str, str]:
    env = local_env(home)
    env.pop("SANDBOX_RUN_TOKEN", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_kernel(
    nb: Any,
    export_cell: int,
    workdir: Path,
    env: dict[str, str],
    timeout: float,
    notify: Callable[[ProgressUpdate], None],
    kernel_factory: Path | None = None,
) -> Any:
    """Execute ``nb`` in the runner process (see :mod:`sandbox.grading.runner`)."""
    from sandbox.grading.runner import KernelRun

    request = {
        "notebook": nb,
        "workdir": str(workdir),
        "timeout": timeout,
        "env": env,
        "export_cell": export_cell,
        "kernel_factory": None if kernel_factory is None else str(kernel_factory),
    }
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox.grading.runner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=_runner_env(Path(env["SANDBOX_HOME"])),
            text=True,
            encoding="utf-8",
        )
        # The runner enforces the budget itself; this watchdog only covers a runner that hangs
        # (kernel start-up included, which has its own 60 s limit).
        watchdog = threading.Timer(timeout + 90, process.terminate)
        watchdog.daemon = True
        watchdog.start()
        result: KernelRun | None = None
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(request))
            process.stdin.close()
            for line in process.stdout:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if "progress" in message:
                    update = message["progress"]
                    notify(ProgressUpdate(str(update["message"]), float(update["fraction"])))
                elif "result" in message:
                    result = KernelRun.from_json(message["result"])
            process.wait()
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if result is None:
            stderr.seek(0)
            lines = [line for line in stderr.read().splitlines() if line.strip()]
            detail = lines[-1] if lines else f"exit code {process.returncode}"
            return KernelRun(error=f"The verification run stopped unexpectedly ({detail}).")
        return result


def run_notebook(
    challenge: Challenge,
    nb: Any,
    home: Path,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressUpdate], None] | None = None,
    notebook_path: Path | None = None,
    judge: Any = None,
    seed: int | None = None,
    kernel_factory: Path | None = None,
) -> VerificationResult:
    """Run ``nb`` in a fresh kernel and have the judge grade it; records nothing.

    ``seed`` picks the data variant the kernel, the reference and the judge read (None: the
    shipped files). ``judge`` may be a running :class:`~sandbox.grading.judge.JudgeClient` for
    this challenge and home to reuse (the authoring check runs many notebooks of one
    challenge); by default a new judge process is started for this run and stopped after it.
    ``kernel_factory``, the socket of a :class:`~sandbox.grading.kernel_factory.KernelFactory`
    for this challenge and home, forks the kernel with its libraries imported already.
    """
    from nbformat.v4 import new_code_cell

    from sandbox.grading.export import export_cell_source
    from sandbox.grading.guard import RUN_TOKEN_ENV, sweep_processes
    from sandbox.grading.judge import JudgeClient

    ensure_kernel()
    notify = on_progress or (lambda update: None)
    path = notebook_path or Path(str(challenge.notebook))
    task_ids = [t.id for t in challenge.tasks]
    workdir = workspace_dir(home)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    token = uuid.uuid4().hex
    env = kernel_env(home)
    env[RUN_TOKEN_ENV] = token
    with tempfile.TemporaryDirectory(prefix="sandbox-verify-") as scratch:
        artifacts = Path(scratch) / "artifacts"
        if seed is not None:
            # The kernel writes the variant's files here on first use: a private copy per run
            # that nothing before the run could have prepared or changed.
            (Path(scratch) / "data").mkdir()
            env[VARIANT_ENV] = f"{seed}:{Path(scratch) / 'data'}"
        nb.cells.append(new_code_cell(export_cell_source(challenge.id, artifacts)))  # type: ignore[no-untyped-call]
        export_cell = len(nb.cells) - 1
        own_judge = judge is None
        if own_judge:
            # It loads (or computes) the expected values while the kernel runs.
            judge = JudgeClient(challenge.id, home, seed)
        try:
            try:
                run = run_kernel(nb, export_cell, workdir, env, timeout, notify, kernel_factory)
            finally:
                sweep_processes(token)
            if run.start_failure:
                raise VerificationError(
                    f"Could not run the notebook in a fresh kernel: {run.start_failure}"
                )
            verdicts: dict[str, TaskResult] = {}
            computed: list[Path] = []
            grading_error: str | None = None
            try:
                info = judge.wait_ready()
                if own_judge and info.get("computed"):
                    computed.append(Path(str(info["expected"])))
                if run.error is None:
                    notify(ProgressUpdate("judging every task", 1.0))
                    known = len(judge.computed)
                    verdicts = {r.task: r for r in judge.judge(artifacts, seed=seed)}
                    computed.extend(judge.computed[known:])
            except GradingError as exc:
                grading_error = str(exc)
        finally:
            if own_judge:
                judge.close()
    seconds = time.monotonic() - started

    errors_by_task: dict[str, Any] = {}
    for cell_error in run.cell_errors:
        if cell_error.task and cell_error.task not in errors_by_task:
            errors_by_task[cell_error.task] = cell_error
    notes = tuple(e.message() for e in run.cell_errors if not e.task)
    results: list[TaskResult] = []
    for tid in task_ids:
        if tid in errors_by_task:
            results.append(TaskResult(tid, Outcome.ERROR, errors_by_task[tid].message()))
        elif run.error is not None:
            results.append(TaskResult(tid, Outcome.ERROR, run.error))
        elif grading_error is not None:
            results.append(TaskResult(tid, Outcome.ERROR, grading_error))
        elif tid in verdicts:
            verdict = verdicts[tid]
            if verdict.outcome is Outcome.ERROR and run.export_error:
                verdict = TaskResult(
                    tid,
                    Outcome.ERROR,
                    f"Your answers could not be handed to the judge ({run.export_error}).",
                )
            elif verdict.outcome is Outcome.FAIL and notes:
                verdict = TaskResult(tid, Outcome.FAIL, f"{verdict.message} (Earlier, {notes[0]}.)")
            results.append(verdict)
        else:
            results.append(
                TaskResult(
                    tid, Outcome.ERROR, "Could not grade the task: the judge gave no verdict."
                )
            )
    return VerificationResult(
        challenge.id,
        path,
        tuple(results),
        seconds,
        run.error,
        notes,
        computed_entries=tuple(computed),
        seed=seed,
    )


def verify(
    learner: Learner,
    challenge_id: str,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressUpdate], None] | None = None,
    seed: int | None = None,
) -> VerificationResult:
    """Clean-verify the learner's workspace notebook and record the outcome (XP on a full pass).

    The notebook runs on a fresh variant of its data, picked from the challenge's pool
    (:mod:`sandbox.grading.seeds`); ``seed`` runs that variant instead, to reproduce a run.
    """
    from sandbox import workspace
    from sandbox.grading import seeds
    from sandbox.grading.expected import ensure_seal_key, seal_holds
    from sandbox.grading.guard import CacheWatch, StoreGuard
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
    nb = read_notebook(path)
    ensure_seal_key(learner.home)
    if seed is None:
        seed = seeds.pick(learner.home, challenge)
    elif not seeds.varies(challenge):
        seed = None  # nothing to vary: the shipped files are what it reads
    # Other writers wait (a second verification waits for this one): any change found afterwards
    # is the notebook's.
    with learner.store.hold(timeout=timeout + 300):
        store_guard = StoreGuard.capture(learner.home)
        cache_watch = CacheWatch.capture(learner.home)
        result = run_notebook(challenge, nb, learner.home, timeout, on_progress, path, seed=seed)
        store_changed = store_guard.restore()
        entries = result.computed_entries
        cache_changed = cache_watch.tampered(entries)
        for entry in entries:
            if entry.is_dir() and not seal_holds(learner.home, entry, challenge.id, entry.name):
                cache_changed.append(entry)
        if cache_changed:
            cache_watch.discard(cache_changed)
        if store_changed or cache_changed:
            reason = REFUSED if store_changed else CACHE_REFUSED
            refused = tuple(
                TaskResult(t.task, Outcome.ERROR, reason) if t.outcome is Outcome.PASS else t
                for t in result.tasks
            )
            return VerificationResult(
                result.challenge, result.notebook, refused, result.seconds, reason,
                result.notes, 0, False, True, seed=seed,
            )  # fmt: skip
        xp_before = learner.engine().xp
        outcome = "PASS" if result.passed else "FAIL"
        events: list[tuple[str, str | None, str | None, dict[str, Any] | None]] = [
            (
                "checked",
                challenge.id,
                None,
                {"source": "verify", "outcome": outcome, "tasks": result.outcomes, "seed": seed},
            )
        ]
        if result.passed:
            events.append(
                (
                    "verified",
                    challenge.id,
                    None,
                    {
                        "tasks": result.outcomes,
                        "seconds": round(result.seconds, 2),
                        "seed": seed,
                    },
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
        seed=seed,
    )

"""The kernel runner: one process per clean verification that runs the notebook and then
makes sure nothing the notebook started survives.

``python -m sandbox.grading.runner`` reads a JSON request on stdin::

    {"notebook": {...nbformat JSON...}, "workdir": "...", "timeout": 120.0,
     "env": {...}, "export_cell": 17, "kernel_factory": "/path/socket" | null}

and writes JSON lines on stdout: ``{"progress": {"message": ..., "fraction": ...}}`` while
cells run, then one ``{"result": {...}}`` (see :class:`KernelRun`). It executes the notebook
with nbclient in a fresh kernel, whose last cell (``export_cell``) exports the task variables
as artifacts. It never judges anything. With ``kernel_factory`` (the authoring check), the kernel
is forked by a :mod:`~sandbox.grading.kernel_factory` that has the notebook's libraries
imported already, and the factory is told to end it and all it started.

Containment: on Linux the runner makes itself a *child subreaper*
(``prctl(PR_SET_CHILD_SUBREAPER)``), so every process the kernel starts — including ones
that call ``setsid`` or double-fork to detach — stays its descendant. When the run ends, or
times out, or the runner is told to stop, it freezes (SIGSTOP) and kills (SIGKILL) every
descendant and reaps them. The runner also asks to be killed with its parent
(``PR_SET_PDEATHSIG``), so a verifier that dies does not leave a kernel behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import IO, Any

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE_RE = re.compile(r"Cell In\[\d*\], line (\d+)")
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


@dataclass
class CellError:
    """An exception a cell of the learner's notebook raised during the run."""

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
class KernelRun:
    """What happened in the kernel: errors per cell, a timeout or a dead kernel, timing."""

    cell_errors: list[CellError] = field(default_factory=list)
    error: str | None = None  # timed out / kernel died / could not start
    export_error: str | None = None  # the appended export cell itself failed
    seconds: float = 0.0
    start_failure: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KernelRun:
        errors = [CellError(**e) for e in data.get("cell_errors", [])]
        return cls(
            errors,
            data.get("error"),
            data.get("export_error"),
            float(data.get("seconds", 0.0)),
            data.get("start_failure"),
        )


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def kill_descendants(grace: float = 3.0) -> int:
    """Freeze, then kill and reap every descendant of this process; return how many there were."""
    import psutil

    me = psutil.Process()
    seen: dict[int, psutil.Process] = {}
    for _ in range(20):  # a process may fork while we walk; freeze until the tree stops growing
        fresh = [p for p in me.children(recursive=True) if p.pid not in seen]
        if not fresh:
            break
        for proc in fresh:
            seen[proc.pid] = proc
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGSTOP)
    for proc in seen.values():
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(list(seen.values()), timeout=grace)
    # Orphans adopted by this subreaper after the walk are reaped too.
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    return len(seen)


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


def collect_errors(nb: Any, export_cell: int) -> tuple[list[CellError], str | None]:
    from sandbox.grading.reference import task_of

    errors: list[CellError] = []
    export_error: str | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if index == export_cell:
                export_error = f"{output.get('ename')}: {output.get('evalue')}"
                continue
            line, code_line = _error_line(cell, output)
            errors.append(
                CellError(
                    index,
                    task_of(cell),
                    str(output.get("ename")),
                    str(output.get("evalue")),
                    line,
                    code_line,
                )
            )
    return errors, export_error


def run(request: dict[str, Any], emit: Any) -> KernelRun:
    """Execute the notebook of ``request``; ``emit`` receives progress dicts."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from sandbox.grading.reference import CHECK_TAG, task_of
    from sandbox.paths import KERNEL_NAME

    nb = nbformat.from_dict(request["notebook"])  # type: ignore[no-untyped-call]
    timeout = float(request["timeout"])
    export_cell = int(request["export_cell"])
    started = time.monotonic()
    deadline = started + timeout
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    done = {"cells": 0}

    def on_cell_executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        done["cells"] += 1
        fraction = min(done["cells"] / code_cells, 1.0)
        if cell_index == export_cell:
            emit({"message": "handed the answers to the judge", "fraction": 1.0})
            return
        task = task_of(cell)
        failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        outcome = "raised an error" if failed else "ran"
        if task:
            emit({"message": f"{task}: cell {outcome}", "fraction": fraction})
        elif task_of(cell, CHECK_TAG) is None:
            emit({"message": f"cell {cell_index + 1} {outcome}", "fraction": fraction})

    manager = None
    if request.get("kernel_factory"):  # the authoring check's warm kernels
        from sandbox.grading.kernel_factory import kernel_manager

        manager = kernel_manager(str(request["kernel_factory"]), KERNEL_NAME)
    client = NotebookClient(
        nb,
        km=manager,
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": request["workdir"]}},
        on_cell_executed=on_cell_executed,
    )
    emit({"message": "starting a fresh kernel", "fraction": 0.0})
    result = KernelRun()
    try:
        # The kernel's own stderr carries only Jupyter's transport warnings; the learner's output
        # travels over the messaging channels and is collected from the cells.
        client.execute(env=request["env"], stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        result.error = (
            f"The notebook timed out after {timeout:.0f} s and was stopped. Look for a loop that "
            "never ends or work that is too slow."
        )
    except DeadKernelError:
        result.error = (
            "The kernel died while running the notebook (out of memory, or the process was killed)."
        )
    except Exception as exc:  # kernel start-up failures surface as assorted exception types
        result.start_failure = f"{type(exc).__name__}: {exc}"
    finally:
        if manager is not None:
            # nbclient cleans up only a kernel manager it made itself. The factory's kernel is
            # ended with the run (see main); its connection file is removed here.
            manager.cleanup_connection_file()
    result.seconds = time.monotonic() - started
    result.cell_errors, result.export_error = collect_errors(nb, export_cell)
    return result


def main() -> int:
    from sandbox.grading.reference import skip_iri_grammar

    skip_iri_grammar()
    # Protocol lines go to the real stdout; anything else printed in this process goes to stderr.
    protocol: IO[str] = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # child processes inherit stderr as their stdout, never the protocol pipe
    sys.stdout = sys.stderr
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    factory: str | None = None

    def kill_everything(grace: float = 3.0) -> None:
        kill_descendants(grace)
        if factory:  # a forked kernel is the factory's child, not this process's
            with contextlib.suppress(Exception):
                from sandbox.grading.kernel_factory import request as ask_factory

                ask_factory(factory, {"op": "kill"})

    def stop(signum: int, frame: Any) -> None:
        kill_everything(grace=1.0)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def emit(progress: dict[str, Any]) -> None:
        protocol.write(json.dumps({"progress": progress}) + "\n")

    request = json.loads(sys.stdin.read())
    factory = request.get("kernel_factory")
    try:
        outcome = run(request, emit)
    finally:
        kill_everything()
    protocol.write(json.dumps({"result": outcome.to_json()}) + "\n")
    protocol.flush()
    os._exit(0)  # every descendant is gone; skip the interpreter's teardown


if __name__ == "__main__":
    sys.exit(main())

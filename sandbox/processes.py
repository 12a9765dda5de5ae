"""Stopping the servers the sandbox starts, so none is left running or left a zombie.

The MLflow UI and JupyterLab run in process groups of their own (they outlive a page
rerun); the dashboard runs Streamlit as a child. Stopping one means: SIGTERM to its
group, wait for it to end (and reap it when it is our child, so no zombie stays in
the process table), SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

GRACE_SECONDS = 10.0

# The background servers this process started, by pid: kept so that stopping one reaps it
# through its Popen (which then knows it ended) and none is garbage-collected while running.
_started: dict[int, subprocess.Popen[bytes]] = {}


def start_group(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` as the leader of a new process group (a background server that
    outlives a page rerun); :func:`stop_group` stops and reaps it."""
    process = subprocess.Popen(command, start_new_session=True, **options)
    _started[process.pid] = process
    return process


def has_ended(pid: int) -> bool:
    """Whether ``pid`` has ended; reaps it when it is our child."""
    started = _started.get(pid)
    if started is not None:
        if started.poll() is None:
            return False
        del _started[pid]
        return True
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        return finished != 0
    except ChildProcessError:
        pass  # not our child: ask the OS (its parent reaps it)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def wait_ended(pid: int, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``pid`` to end; return whether it did."""
    deadline = time.monotonic() + seconds
    while True:
        if has_ended(pid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def stop_group(pid: int, grace: float = GRACE_SECONDS) -> bool:
    """Stop the process group led by ``pid``: SIGTERM, wait, SIGKILL after ``grace`` seconds.

    Returns whether a live group was signalled. The leader is reaped when it is our child.
    """
    if has_ended(pid):  # the leader exited already (and is reaped now, if it was our child)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # members that outlived it
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return False
    if not wait_ended(pid, grace):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        wait_ended(pid, grace)
    # Members of the group that outlive their leader get SIGKILL too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    return True


def command_mentions(pid: int, word: bytes) -> bool:
    """Whether ``pid``'s command line contains ``word`` (Linux; elsewhere a live pid is trusted).

    A recorded pid may have been reused by an unrelated process: only signal what still
    runs the server that was started.
    """
    deadline = time.monotonic() + 1.0
    while True:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                command = fh.read()
        except FileNotFoundError:
            return not os.path.isdir("/proc")
        except OSError:
            return True
        # A process that has just been started can show an empty command line for a moment
        # (seen in about 1 of 60 starts right after Popen returned); a zombie's stays empty.
        if command or _is_zombie(pid) or time.monotonic() >= deadline:
            return word in command
        time.sleep(0.01)


def reap_children() -> None:
    """Reap every child that has ended (orphans adopted by a subreaper included)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so the servers a child started can be reaped here.

    Without it, a server orphaned when Streamlit exits is reparented to PID 1 — in a
    container, that is this very process, which must then reap it anyway.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_child_subreaper = 36
        return bool(libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def run_forwarding_signals(
    command: list[str],
    env: dict[str, str],
    cleanup: Callable[[], object] | None = None,
    cwd: Path | None = None,
) -> int:
    """Run ``command`` in the foreground until it exits; return its exit code.

    SIGTERM and SIGINT sent to this process are passed on to the child (a second one
    ends it with SIGKILL), so ``docker stop`` or a service manager stopping this process
    stops the child too. Afterwards ``cleanup`` runs and every ended descendant is reaped.
    A child ended by signal N gives 128 + N, as a shell would.
    """
    become_subreaper()
    child = subprocess.Popen(command, env=env, cwd=cwd)
    forwarded = 0

    def forward(signum: int, _frame: object) -> None:
        nonlocal forwarded
        forwarded += 1
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signal.SIGKILL if forwarded > 1 else signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            # Wait for any child: orphans this subreaper adopted (or, as PID 1 in a container,
            # inherits) are reaped as they end instead of piling up as zombies.
            pid, status = os.wait()
            if pid == child.pid:
                code = child.returncode = os.waitstatus_to_exitcode(status)
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        try:
            if cleanup is not None:
                cleanup()
        finally:
            reap_children()
    return code if code >= 0 else 128 - code

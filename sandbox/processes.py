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
import time

GRACE_SECONDS = 10.0


def _ended(pid: int) -> bool:
    """Whether ``pid`` has ended; reaps it when it is our child."""
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
        if _ended(pid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def stop_group(pid: int, grace: float = GRACE_SECONDS) -> bool:
    """Stop the process group led by ``pid``: SIGTERM, wait, SIGKILL after ``grace`` seconds.

    Returns whether a live group was signalled. The leader is reaped when it is our child.
    """
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        _ended(pid)  # reap a leader that already exited
        return False
    if not wait_ended(pid, grace):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        wait_ended(pid, grace)
    # Members of the group that outlive their leader get SIGKILL too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    return True


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

"""The MLflow UI the Experiments page starts in the background, one per data home.

The server is ``tracking.ui_command`` bound to 127.0.0.1 on a free port, started
in its own process group so it outlives a page rerun. Its pid, port and start
time are recorded in ``ui_state.json`` (see :mod:`sandbox.ui_state`), so a
refresh, another tab or another page finds it instead of starting a second one.
Its output goes to ``<data home>/mlflow-ui.log``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from sandbox import processes, ui_state
from sandbox.errors import IntegrationError
from sandbox.integrations import tracking

HOST = "127.0.0.1"
LOG_FILE = "mlflow-ui.log"
# A server that has not answered this long after its start is reported as failed (its log says
# why) rather than shown as "starting" for ever.
STARTUP_SECONDS = 120.0


class ServerState(Enum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    FAILED = "failed"


@dataclass(frozen=True)
class ServerStatus:
    state: ServerState
    url: str | None = None
    pid: int | None = None
    log: Path | None = None
    # Why a FAILED server failed, in words for the page (its log may be empty).
    reason: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _url(port: int) -> str:
    return f"http://{HOST}:{port}"


def answers(port: int) -> bool:
    """Whether an MLflow server answers its health check on this port."""
    try:
        with urllib.request.urlopen(f"{_url(port)}/health", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    return not processes.has_ended(pid)  # reaps it if it is our child and has exited


def _is_mlflow(pid: int) -> bool:
    return processes.command_mentions(pid, b"mlflow")


def _seconds_since(started: str) -> float:
    try:
        return (datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds()
    except ValueError:
        return float("inf")


def status(home: Path) -> ServerStatus:
    """Where the recorded MLflow UI of this home stands (a failed start is forgotten)."""
    record = ui_state.load_mlflow_ui(home)
    log = home / LOG_FILE
    if record is None:
        return ServerStatus(ServerState.STOPPED)
    pid, port = record["pid"], record["port"]
    if answers(port):
        return ServerStatus(ServerState.RUNNING, _url(port), pid, log)
    running = _alive(pid) and _is_mlflow(pid)
    waited = _seconds_since(record["started"])
    if running and waited < STARTUP_SECONDS:
        return ServerStatus(ServerState.STARTING, _url(port), pid, log)
    # Silence after a stop is normal; silence from a process that went away on its own is not.
    # A record is forgotten only once nothing of its process group runs any more, so a failed
    # start never leaves a server running that no page knows of.
    if running:
        reason = f"it did not answer within {STARTUP_SECONDS:.0f} s, so it was stopped"
        processes.stop_group(pid)
    else:
        reason = "its process ended before it answered"
        if processes.has_ended(pid):  # (a live pid is another program's now: left alone)
            processes.stop_group(pid)  # ends the members of its group that outlived it
    with contextlib.suppress(OSError):
        ui_state.save_mlflow_ui(home, None)
    return ServerStatus(ServerState.FAILED, None, pid, log, reason)


def start(home: Path) -> ServerStatus:
    """Start the MLflow UI on this home's store unless one is already running or starting."""
    current = status(home)
    if current.state in (ServerState.RUNNING, ServerState.STARTING):
        return current
    tracking.ensure_store(home)
    port = free_port()
    env = tracking.ui_env(home)
    log_path = home / LOG_FILE
    try:
        with log_path.open("ab") as log:
            # Its own process group: stopped as one, outlives reruns.
            process = processes.start_group(
                tracking.ui_command(home, port=port, host=HOST),
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                cwd=home,  # anything MLflow writes next to itself lands in the data home
                env=env,
            )
    except OSError as exc:
        raise IntegrationError(f"The MLflow UI could not be started: {exc}.") from exc
    record = {"pid": process.pid, "port": port, "started": datetime.now(UTC).isoformat()}
    ui_state.save_mlflow_ui(home, record)
    return ServerStatus(ServerState.STARTING, _url(port), process.pid, log_path)


def stop(home: Path) -> bool:
    """Stop the recorded MLflow UI (its whole process group) and wait until it has ended
    (reaped, when this process started it); return whether one was stopped."""
    record = ui_state.load_mlflow_ui(home)
    if record is None:
        return False
    ui_state.save_mlflow_ui(home, None)
    pid = record["pid"]
    # Only a live MLflow process is signalled: a stale record may name a reused pid.
    if not (_alive(pid) and _is_mlflow(pid)):
        return False
    return processes.stop_group(pid)

"""Starting JupyterLab on the learner's workspace: loopback only, always with a token.

The token travels in the server's environment (``JUPYTER_TOKEN``), never on its command
line: any user of the machine can read a process's arguments, only its owner its
environment. ``jupyterlab.json``, which records it for reuse, is written mode 600.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from sandbox import processes
from sandbox.errors import SandboxError
from sandbox.files import atomic_write_text
from sandbox.paths import local_env, workspace_dir

HOST = "127.0.0.1"
# In a container JupyterLab must listen beyond loopback on a known port for `docker run -p` to
# reach it; the image sets these. Everywhere else the defaults keep it on loopback.
LAB_HOST_ENV = "SANDBOX_LAB_HOST"
LAB_PORT_ENV = "SANDBOX_LAB_PORT"


def lab_bind() -> tuple[str, int]:
    """The address and port JupyterLab should listen on."""
    host = os.environ.get(LAB_HOST_ENV) or HOST
    port = os.environ.get(LAB_PORT_ENV)
    return host, int(port) if port else free_port()


def _url_host(bind_host: str) -> str:
    return HOST if bind_host in ("0.0.0.0", "::", "localhost", HOST) else bind_host


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def lab_command(home: Path, port: int, open_browser: bool, host: str = HOST) -> list[str]:
    """The JupyterLab command line; the token goes in the environment (see :func:`lab_env`)."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={workspace_dir(home)}",
        f"--ServerApp.open_browser={open_browser}",
        # Local-first: no extension search on PyPI from the learner's machine.
        "--LabApp.extension_manager=readonly",
        # Containers commonly run as root; the server still binds to loopback behind a token.
        f"--ServerApp.allow_root={hasattr(os, 'geteuid') and os.geteuid() == 0}",
    ]


def lab_url(home: Path, notebook: Path, port: int, token: str, host: str = HOST) -> str:
    relative = notebook.relative_to(workspace_dir(home)).as_posix()
    return f"http://{_url_host(host)}:{port}/lab/tree/{urllib.parse.quote(relative)}?token={token}"


TOKEN_ENV = "JUPYTER_TOKEN"


def lab_env(home: Path, token: str) -> dict[str, str]:
    """The server's environment: the data home (kernels record progress there) and the token."""
    env = local_env(home)
    env[TOKEN_ENV] = token
    return env


SERVER_FILE = "jupyterlab.json"


def _answers(port: int, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/status?token={token}", timeout=1):
            return True
    except OSError:
        return False


def _running_server(home: Path) -> tuple[int, str] | None:
    """The background JupyterLab recorded in the data home, if it still answers."""
    try:
        record = json.loads((home / SERVER_FILE).read_text(encoding="utf-8"))
        port, token = int(record["port"]), str(record["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (port, token) if _answers(port, token) else None


def launch_lab(home: Path, notebook: Path, wait_seconds: float = 30.0) -> str:
    """Open ``notebook`` in the learner's background JupyterLab, starting it if none answers.

    One server per data home: its port and token are recorded in ``jupyterlab.json`` so
    that every "Open in JupyterLab" click reuses it instead of starting another.
    """
    running = _running_server(home)
    if running is not None:
        return lab_url(home, notebook, *running)
    (host, port), token = lab_bind(), secrets.token_hex(16)
    workspace_dir(home).mkdir(parents=True, exist_ok=True)
    with (home / "jupyterlab.log").open("ab") as log:  # the server keeps its own copy
        process = processes.start_group(  # outlives a dashboard rerun
            lab_command(home, port, open_browser=False, host=host),
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            env=lab_env(home, token),
        )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SandboxError(f"JupyterLab exited at start-up; see {home / 'jupyterlab.log'}.")
        if _answers(port, token):
            record = {"pid": process.pid, "port": port, "token": token}
            atomic_write_text(home / SERVER_FILE, json.dumps(record))
            return lab_url(home, notebook, port, token, host)
        time.sleep(0.3)
    processes.stop_group(process.pid)
    raise SandboxError(
        f"JupyterLab did not answer within {wait_seconds:.0f} s; see {home / 'jupyterlab.log'}."
    )


def stop_lab(home: Path) -> bool:
    """Stop the recorded background JupyterLab and wait until it has ended (reaped, when this
    process started it); return whether one was running."""
    try:
        record = json.loads((home / SERVER_FILE).read_text(encoding="utf-8"))
        pid = int(record["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    (home / SERVER_FILE).unlink(missing_ok=True)
    # A stale record may name a pid reused by another program: leave that one alone.
    if not processes.command_mentions(pid, b"jupyter"):
        return False
    return processes.stop_group(pid)


def run_lab(home: Path, notebook: Path) -> int:
    """Run JupyterLab in the foreground (the CLI's ``open``), opening the browser at the notebook."""
    (host, port), token = lab_bind(), secrets.token_hex(16)
    url = lab_url(home, notebook, port, token, host)
    print(f"JupyterLab: {url}\nPress Ctrl+C to stop.", flush=True)
    command = [
        *lab_command(home, port, open_browser=True, host=host),
        f"--ServerApp.default_url=/lab/tree/{notebook.relative_to(workspace_dir(home)).as_posix()}",
    ]
    try:
        return subprocess.call(command, env=lab_env(home, token))
    except KeyboardInterrupt:
        return 0

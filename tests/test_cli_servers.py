"""Commands that start servers bind to loopback and answer (real processes, real HTTP)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from sandbox.jupyter import free_port, launch_lab, stop_lab


def wait_http(url: str, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return int(response.status)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.mark.slow  # over ~20 s: second tier
def test_mlflow_command_serves_the_learners_store(home: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "mlflow", "--port", str(port)],
        env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert wait_http(f"http://127.0.0.1:{port}/health") == 200
        assert (home / "mlflow.db").is_file()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == 0, "Ctrl+C stops the MLflow UI within 30 s"


def test_launch_lab_opens_the_notebook_behind_a_token(home: Path) -> None:
    notebook = home / "workspace" / "level_1" / "probe.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    url = launch_lab(home, notebook, wait_seconds=90)
    pid = json.loads((home / "jupyterlab.json").read_text())["pid"]
    open_files = [os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.exists()]
    assert str(home / "jupyterlab.log") not in open_files, "the log file is the server's alone"
    try:
        assert launch_lab(home, notebook) == url  # a second click reuses the running server
        assert url.startswith("http://127.0.0.1:") and "/lab/tree/level_1/probe.ipynb?token=" in url
        base, token = url.split("/lab/")[0], url.split("token=")[1]
        assert wait_http(f"{base}/api/contents/level_1/probe.ipynb?token={token}") == 200
        # Other users of the machine can read command lines, not the environment.
        record = home / "jupyterlab.json"
        assert stat.S_IMODE(record.stat().st_mode) == 0o600
        server = psutil.Process(json.loads(record.read_text())["pid"])
        for process in (server, *server.children(recursive=True)):
            assert token not in " ".join(process.cmdline())
        try:
            urllib.request.urlopen(f"{base}/api/contents/level_1/probe.ipynb", timeout=5)
            raise AssertionError("JupyterLab answered without the token")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
    finally:
        assert stop_lab(home)
    assert not Path(f"/proc/{pid}").exists(), "stopped and reaped: no zombie"
    assert not stop_lab(home)

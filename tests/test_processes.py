"""Process hygiene: no server outlives the dashboard, no zombie, no temp file after a crash."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sandbox import mlflow_ui, processes, ui_state
from sandbox.jupyter import free_port
from sandbox.progress import STALE_TEMP_SECONDS, ProgressStore, atomic_write_text
from sandbox.servers import dashboard_command


def gone(pid: int) -> bool:
    """No such process, not even a zombie (a zombie still has /proc/<pid>)."""
    return not Path(f"/proc/{pid}").exists()


def wait_gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return gone(pid)


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.mark.slow  # creating the MLflow store takes ~20 s
def test_stopping_the_mlflow_ui_leaves_no_zombie(home: Path) -> None:
    # Stopped once it serves, as from the dashboard's button (a loaded machine takes a while).
    started = mlflow_ui.start(home)
    assert started.pid is not None and Path(f"/proc/{started.pid}").exists()
    deadline = time.monotonic() + 90
    while (now := mlflow_ui.status(home)).state is mlflow_ui.ServerState.STARTING:
        assert time.monotonic() < deadline, "the MLflow UI did not start within 90 s"
        time.sleep(0.2)
    log = (home / mlflow_ui.LOG_FILE).read_text(errors="replace")[-2000:]
    assert now.state is mlflow_ui.ServerState.RUNNING, (now.reason, log)
    assert mlflow_ui.stop(home), log
    assert gone(started.pid), "the stopped MLflow UI was reaped, not left a zombie"
    assert ui_state.load_mlflow_ui(home) is None
    assert not mlflow_ui.stop(home)


def test_a_ui_reported_failed_leaves_nothing_of_its_group_running(home: Path) -> None:
    """A record is forgotten only with its processes: a start that never answered is stopped,
    and the members of a group whose leader died are ended (no server runs unknown to the page)."""
    home.mkdir(parents=True)
    long_ago = "2000-01-01T00:00:00+00:00"
    silent = processes.start_group([sys.executable, "-c", "import time; time.sleep(120)", "mlflow"])
    ui_state.save_mlflow_ui(home, {"pid": silent.pid, "port": free_port(), "started": long_ago})
    try:
        failed = mlflow_ui.status(home)
        assert failed.state is mlflow_ui.ServerState.FAILED
        assert failed.reason is not None and "did not answer" in failed.reason
        assert gone(silent.pid), "stopped and reaped"
        assert ui_state.load_mlflow_ui(home) is None
    finally:
        processes.stop_group(silent.pid, grace=1)  # no zombie left for later tests if it failed

    # The leader exits and leaves a worker behind in its group (as a killed `mlflow ui` would).
    leaves_a_worker = (
        "import subprocess, sys; "
        "w = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        "print(w.pid, flush=True)"
    )
    leader = processes.start_group(
        [sys.executable, "-c", leaves_a_worker, "mlflow"], stdout=subprocess.PIPE
    )
    assert leader.stdout is not None
    with leader.stdout:
        worker = int(leader.stdout.readline())
    leader.wait()
    now = datetime.now(UTC).isoformat()
    ui_state.save_mlflow_ui(home, {"pid": leader.pid, "port": free_port(), "started": now})
    try:
        failed = mlflow_ui.status(home)
        assert failed.state is mlflow_ui.ServerState.FAILED
        assert failed.reason is not None and "ended" in failed.reason
        assert wait_gone(worker, 10), "the worker its leader left behind is ended"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)


def test_a_just_started_server_is_recognised_by_its_command_line() -> None:
    """Right after Popen returns, /proc/<pid>/cmdline is empty now and then (1 in 60 here):
    a server checked at once must not be taken for another program, and then forgotten."""
    for _ in range(100):
        server = processes.start_group(
            [sys.executable, "-c", "import time; time.sleep(30)", "marker"]
        )
        try:
            assert processes.command_mentions(server.pid, b"marker")
        finally:
            processes.stop_group(server.pid, grace=1)


def test_stopping_a_group_waits_for_it_and_reaps_it() -> None:
    sleeper = processes.start_group([sys.executable, "-c", "import time; time.sleep(60)"])
    assert processes.stop_group(sleeper.pid)
    assert gone(sleeper.pid), "stopped and reaped: no zombie"
    assert sleeper.returncode == -signal.SIGTERM
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print(1, flush=True); time.sleep(60)"
    )
    ignoring = processes.start_group([sys.executable, "-c", stubborn], stdout=subprocess.PIPE)
    assert ignoring.stdout is not None
    with ignoring.stdout:
        assert ignoring.stdout.readline()  # its handler is set
    assert processes.stop_group(ignoring.pid, grace=1)
    assert gone(ignoring.pid), "SIGKILL after the grace period"
    assert ignoring.returncode == -signal.SIGKILL


def test_an_exited_group_leader_is_reaped_when_stopped() -> None:
    quick = processes.start_group([sys.executable, "-c", "pass"])
    time.sleep(1)  # it has exited: a zombie until someone waits for it
    assert Path(f"/proc/{quick.pid}").exists()
    assert not processes.stop_group(quick.pid)
    assert gone(quick.pid)


@pytest.mark.slow  # creating the MLflow store and starting Streamlit take ~20 s
def test_the_dashboard_follows_sigterm_and_stops_what_it_started(
    home: Path, fixture_content: Path
) -> None:
    home.mkdir(parents=True)
    server = mlflow_ui.start(home)  # as the Experiments page would
    assert server.pid is not None
    port = free_port()
    dashboard = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not answers(f"http://127.0.0.1:{port}/_stcore/health"):
            assert dashboard.poll() is None, "the dashboard exited"
            assert time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.5)
        streamlit = children(dashboard.pid)
        assert streamlit, "Streamlit runs as the dashboard's child"
        dashboard.send_signal(signal.SIGTERM)  # as `docker stop` does
        assert dashboard.wait(timeout=60) in (0, 128 + signal.SIGTERM)
        assert all(wait_gone(pid) for pid in streamlit), "no Streamlit process is left"
        assert not answers(f"http://127.0.0.1:{port}/_stcore/health")
        # The MLflow UI the dashboard's page started is stopped with it (this test started
        # it, so this test reaps it).
        assert processes.wait_ended(server.pid, 30)
        assert gone(server.pid) and ui_state.load_mlflow_ui(home) is None
    finally:
        if dashboard.poll() is None:
            dashboard.kill()
            dashboard.wait()
        processes.stop_group(server.pid, grace=1)


def test_learners_run_streamlit_without_its_file_watcher() -> None:
    def watcher(command: list[str]) -> str:
        return command[command.index("--server.fileWatcherType") + 1]

    assert watcher(dashboard_command(8501, "127.0.0.1")) == "none"
    assert watcher(dashboard_command(8501, "127.0.0.1", develop=True)) == "auto"


INTERRUPTED_WRITE = """
import os, sys
from pathlib import Path
from sandbox.progress import atomic_write_text
os.replace = lambda *args: os._exit(9)  # the process dies between writing and renaming
atomic_write_text(Path(sys.argv[1]), "half of a new file")
"""


def test_a_write_after_an_interrupted_one_removes_its_temp_file(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    crashed = subprocess.run([sys.executable, "-c", INTERRUPTED_WRITE, str(store.path)])
    assert crashed.returncode == 9
    left = list(home.glob(".progress.json.*.tmp"))
    assert len(left) == 1, "the interrupted write left its temp file"
    old = time.time() - STALE_TEMP_SECONDS - 1
    os.utime(left[0], (old, old))
    in_progress = home / ".progress.json.abcd1234.tmp"  # another process, writing right now
    in_progress.write_text("{")
    unrelated = home / ".ui_state.json.abcd1234.tmp"
    unrelated.write_text("{")
    os.utime(unrelated, (old, old))

    store.append("opened", "beta")
    assert [e.challenge for e in store.load().events] == ["alpha", "beta"]
    assert not left[0].exists()
    assert in_progress.exists(), "a young temp file may belong to a write in progress"
    assert unrelated.exists(), "only temp files of the file being written are touched"
    atomic_write_text(home / "ui_state.json", "{}")
    assert not unrelated.exists()


@pytest.mark.parametrize("text", ["a", "b" * 10])
def test_atomic_writes_leave_nothing_beside_the_file(tmp_path: Path, text: str) -> None:
    target = tmp_path / "file.json"
    atomic_write_text(target, text)
    assert target.read_text() == text and sorted(tmp_path.iterdir()) == [target]

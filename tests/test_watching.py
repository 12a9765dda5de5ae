"""watch_file re-runs on saves with file events and, where they are missing, by polling."""

from __future__ import annotations

import builtins
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sandbox.watching import notebook_fingerprint, watch_file


def run_watch(path: Path, saves: int) -> list[float]:
    """Watch ``path``, save it ``saves`` times from another thread; return the call times."""
    calls: list[float] = []

    def on_change() -> bool:
        calls.append(time.monotonic())
        return len(calls) > saves

    def saver() -> None:
        for n in range(saves):
            while len(calls) < n + 1:
                time.sleep(0.05)
            time.sleep(0.3)
            path.write_text(f"version {n + 1}")

    thread = threading.Thread(target=saver, daemon=True)
    thread.start()
    watch_file(path, on_change, interval=0.1, settle=0.05)
    thread.join(timeout=10)
    return calls


def test_rechecks_after_each_save(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("version 0")
    assert len(run_watch(path, saves=2)) == 3  # once at start, once per save


def test_polling_alone_works_without_file_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_watchdog(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("watchdog"):
            raise ImportError("no file events here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_watchdog)
    path = tmp_path / "nb.ipynb"
    path.write_text("version 0")
    assert len(run_watch(path, saves=2)) == 3


def test_an_unchanged_file_is_not_rechecked(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("same")
    calls: list[int] = []
    deadline = time.monotonic() + 1.0

    def on_change() -> bool:
        calls.append(1)
        return False

    def stop_after_deadline() -> None:
        while time.monotonic() < deadline:
            time.sleep(0.05)
        path.write_text("changed")  # the one real change ends the loop below

    threading.Thread(target=stop_after_deadline, daemon=True).start()
    watch_file(path, lambda: on_change() or len(calls) >= 2, interval=0.05, settle=0.05)
    assert len(calls) == 2 and time.monotonic() >= deadline


# -- only a change to the code counts -------------------------------------------------------------


def notebook(source: str, outputs: list[Any] | None = None, tags: list[str] | None = None) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 3 if outputs else None,
        "id": "c1",
        "metadata": {"tags": tags or ["sandbox:task:q1"]},
        "outputs": outputs or [],
        "source": source,
    }
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_the_fingerprint_follows_code_and_tags_not_outputs(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook("total = 1"))
    first = notebook_fingerprint(path)
    path.write_text(notebook("total = 1", outputs=[{"output_type": "stream", "text": "1"}]))
    assert notebook_fingerprint(path) == first
    path.write_text(notebook("total = 2"))
    assert notebook_fingerprint(path) != first
    path.write_text(notebook("total = 1", tags=["sandbox:task:q2"]))
    assert notebook_fingerprint(path) != first
    path.write_text("{ half a save")
    assert notebook_fingerprint(path) is not None  # hashed whole
    assert notebook_fingerprint(tmp_path / "gone.ipynb") is None


def test_saves_that_change_no_code_run_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook("total = 1"))
    calls: list[float] = []

    def saver() -> None:
        while not calls:
            time.sleep(0.05)
        for n in range(3):  # a touch, an autosave with outputs, the verifier's own write
            time.sleep(0.3)
            path.write_text(
                notebook("total = 1", outputs=[{"output_type": "stream", "text": str(n)}])
            )
        time.sleep(0.3)
        path.write_text(notebook("total = sum(numbers)"))  # the one real change

    threading.Thread(target=saver, daemon=True).start()
    watch_file(
        path,
        lambda: calls.append(time.monotonic()) or len(calls) >= 2,
        interval=0.05,
        settle=0.05,
        fingerprint=notebook_fingerprint,
    )
    assert len(calls) == 2


@pytest.mark.kernel
def test_watch_verifies_once_until_the_code_changes(
    fixture_content: Path, home: Path, tmp_path: Path
) -> None:
    """The real command: no save, no second run; one edit, one more run."""
    import os
    import subprocess
    import sys

    from sandbox import workspace
    from sandbox.learner import Learner

    learner = Learner.open()
    path, _ = workspace.prepare(home, learner.catalogue.get("alpha"))
    log = tmp_path / "watch.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "watch", "alpha", "--interval", "0.2",
             "--max-checks", "2"],
            stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ),
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "Not verified" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(6)  # the time the old watcher needed for several runs without a save
        assert log.read_text().count("checking alpha") == 1, log.read_text()
        path.write_text(path.read_text().replace("____", "sum(numbers)", 1))
        proc.wait(timeout=120)
    finally:
        proc.kill()
    assert log.read_text().count("checking alpha") == 2, log.read_text()

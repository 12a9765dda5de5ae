"""watch_file re-runs on saves with file events and, where they are missing, by polling."""

from __future__ import annotations

import builtins
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sandbox.watching import watch_file


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

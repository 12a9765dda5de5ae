"""Calling back when a file is saved: file-system events where available, polling otherwise."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path


def _signature(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime, stat.st_size


def watch_file(
    path: Path, on_change: Callable[[], bool], interval: float = 1.0, settle: float = 0.3
) -> None:
    """Call ``on_change`` now and after every save of ``path`` until it returns True.

    Editors save by writing a temp file and renaming it, so the parent folder is
    watched. Events only wake the loop early; the loop itself compares the file's
    mtime and size, which also works on file systems without events (network
    drives, some containers).
    """
    wake = threading.Event()
    observer = None
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        class _Wake(FileSystemEventHandler):
            def on_any_event(self, event: object) -> None:
                wake.set()

        observer = Observer()
        observer.schedule(_Wake(), str(path.parent), recursive=False)
        observer.start()
    except Exception:  # no inotify, too many watches, …: polling alone still works
        observer = None
    try:
        last = _signature(path)
        if on_change():
            return
        while True:
            wake.wait(interval)
            wake.clear()
            current = _signature(path)
            if current is None or current == last:
                continue
            time.sleep(settle)  # let the editor finish writing
            settled = _signature(path)
            if settled != current:
                continue
            last = settled
            if on_change():
                return
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)

"""Calling back when a file's content changes: file-system events where available, polling otherwise."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path


def _signature(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime, stat.st_size


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes; None when it cannot be read (gone, mid-rename)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def notebook_fingerprint(path: Path) -> str | None:
    """A hash of what verification depends on: each cell's type, tags and source.

    Outputs, execution counts and other metadata are left out, so a save that only
    changes them (Jupyter's autosave after running cells, a verifier writing results)
    does not count as a change. A file that is not a readable notebook (mid-save) is
    hashed whole.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        cells = json.loads(data)["cells"]
        basis = json.dumps(
            [
                [cell.get("cell_type"), cell.get("metadata", {}).get("tags"), cell.get("source")]
                for cell in cells
            ],
            sort_keys=True,
        ).encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        basis = data
    return hashlib.sha256(basis).hexdigest()


def watch_file(
    path: Path,
    on_change: Callable[[], bool],
    interval: float = 1.0,
    settle: float = 0.3,
    fingerprint: Callable[[Path], Hashable | None] = file_digest,
) -> None:
    """Call ``on_change`` now and after every save that changes ``path``, until it returns True.

    Editors save by writing a temp file and renaming it, so the parent folder is
    watched. Events only wake the loop early; the loop itself compares the file's
    mtime and size, which also works on file systems without events (network
    drives, some containers). A new mtime alone is not a change: ``on_change`` runs
    only when ``fingerprint`` differs from the one taken before the last call, so
    writes that leave the content the same (a touch, an autosave, the verifier's own
    output) run nothing.
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
        checked = fingerprint(path)
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
            content = fingerprint(path)
            if content is None or content == checked:
                continue
            checked = content  # taken before the run: a save during it triggers the next
            if on_change():
                return
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)

"""Protection of the data home while a learner's notebook runs for clean verification.

The verification kernel runs as the learner's own user, so it *can* write anywhere the
learner can. Instead of trusting it not to, the verifier:

- snapshots the progress stores (``progress.json`` of every profile) and their ``backups/``
  byte for byte before the kernel starts and compares afterwards (:class:`StoreGuard`); any
  change is undone and the run refused. What is derived from a store (the summary
  ``sandbox status`` keeps beside it) is deleted if it changed, so it is derived afresh: a
  ``sandbox status`` run meanwhile may rewrite it honestly, so that change refuses nothing;
- records the state of the expected-value cache (:class:`CacheWatch`); a cache file that
  the kernel changed or added is deleted and the run refused;
- ends every process the run started (:func:`sweep_processes`): the runner kills its own
  descendants; this sweep also finds escapees by the run token in their environment.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.paths import PROFILES_DIR, backups_dir
from sandbox.status import SNAPSHOT_FILE

RUN_TOKEN_ENV = "SANDBOX_RUN_TOKEN"
_PROGRESS_FILES = ("progress.json",)
#: Files derived from a profile's store, trusted when their key matches the store.
_DERIVED_FILES = (SNAPSHOT_FILE,)


def _base(home: Path) -> Path:
    """The data home that holds every profile (a profile home lives in ``<base>/profiles/<name>``)."""
    return home.parent.parent if home.parent.name == PROFILES_DIR else home


def _profile_homes(home: Path) -> list[Path]:
    base = _base(home)
    homes = [base]
    profiles = base / PROFILES_DIR
    if profiles.is_dir():
        homes.extend(p for p in sorted(profiles.iterdir()) if p.is_dir() and not p.is_symlink())
    return homes


def _derived(home: Path) -> list[Path]:
    return [each / name for each in _profile_homes(home) for name in _DERIVED_FILES]


def _protected(home: Path) -> list[Path]:
    files: list[Path] = []
    for each in _profile_homes(home):
        files.extend(each / name for name in _PROGRESS_FILES)
        folder = backups_dir(each)
        if folder.is_dir():
            files.extend(p for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink())
    return files


@dataclass
class StoreGuard:
    """A byte-for-byte snapshot of every progress store and backup under the data home."""

    home: Path
    snapshot: dict[Path, bytes | None] = field(default_factory=dict)
    derived: dict[Path, bytes | None] = field(default_factory=dict)

    @classmethod
    def capture(cls, home: Path) -> StoreGuard:
        guard = cls(home)
        for path in _protected(home):
            guard.snapshot[path] = _read(path)
        for path in _derived(home):
            guard.derived[path] = _read(path)
        return guard

    def changed(self) -> list[Path]:
        """Paths that differ from the snapshot (changed, deleted or new)."""
        now = {path: _read(path) for path in _protected(self.home)}
        paths = set(now) | set(self.snapshot)
        return sorted(p for p in paths if now.get(p) != self.snapshot.get(p))

    def restore(self) -> list[Path]:
        """Put every changed path back as it was; return what was restored.

        A derived file that changed is deleted instead (and not returned): it is derived
        afresh from the restored store when next needed.
        """
        for path in _derived(self.home):
            if _read(path) != self.derived.get(path):
                with contextlib.suppress(OSError):
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink(missing_ok=True)
        changed = self.changed()
        for path in changed:
            before = self.snapshot.get(path)
            with contextlib.suppress(OSError):
                if path.is_symlink() or (path.exists() and not path.is_file()):
                    path.unlink()
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_name(f".{path.name}.restore.tmp")
                    tmp.write_bytes(before)
                    os.replace(tmp, path)
        return changed


def _read(path: Path) -> bytes | None:
    try:
        if path.is_symlink():
            return b"symlink:" + os.readlink(path).encode()
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    except OSError:
        return b"<unreadable>"


_Stat = tuple[int, int, int, int]


def _stat(path: Path) -> _Stat | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class CacheWatch:
    """The state of ``<home>/cache`` before the run (sizes, times, inodes of every file)."""

    root: Path
    before: dict[Path, _Stat] = field(default_factory=dict)

    @classmethod
    def capture(cls, home: Path) -> CacheWatch:
        watch = cls(home / "cache")
        for path in _files(watch.root):
            found = _stat(path)
            if found is not None:
                watch.before[path] = found
        return watch

    def tampered(self, written_by_judge: Iterable[Path] = ()) -> list[Path]:
        """Files changed in place or added during the run, other than the judge's new entries."""
        judged = list(written_by_judge)
        found = []
        for path in _files(self.root):
            if any(entry in path.parents for entry in judged):
                continue
            now, then = _stat(path), self.before.get(path)
            if then is None or (now is not None and now != then):
                found.append(path)
        return found

    def discard(self, paths: list[Path]) -> None:
        """Delete the cache entries (or the seal key) holding these paths."""
        import shutil

        expected = self.root / "expected"
        for path in paths:
            if expected in path.parents:
                parts = path.relative_to(expected).parts
                target = expected.joinpath(*parts[:2]) if len(parts) >= 2 else path
            else:
                target = path
            with contextlib.suppress(OSError):
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                else:
                    target.unlink()


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in root.rglob("*") if p.is_file() or p.is_symlink()]


def sweep_processes(token: str) -> int:
    """Kill every process of this user whose environment carries the run ``token``."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == os.getpid():
            continue
        try:
            if proc.environ().get(RUN_TOKEN_ENV) == token:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    for proc in found:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signal.SIGSTOP)
    for proc in found:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(found, timeout=3)
    return len(found)

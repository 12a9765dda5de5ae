"""Writing the learner's files so that a full disk or a permission problem leaves nothing half-done.

Every file the sandbox writes in the data home — the progress store, backups, workspace
notebooks, exports, small state files — goes through :func:`atomic_write_bytes` (or its text
and copy variants). The bytes go to a temp file in the target's folder, are fsynced, and only
then is the temp file renamed over the target, so a reader sees the old file or the new one,
never a part. On any failure the temp file is removed and the ``OSError`` becomes a
:class:`~sandbox.errors.StorageError` that names the file, the reason (disk full, permission,
read-only) and the way out; the target keeps its previous content, or stays absent.

The low-level steps (``_create_temp``, ``_write_chunk``, ``_fsync``, ``_rename``,
``_make_dir``) are module functions so that tests can inject a fault such as ``ENOSPC`` at
each of them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sandbox.errors import StorageError

CHUNK_BYTES = 1 << 20


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or type(exc).__name__


def _way_out(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Free some disk space and try again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Make {path.parent} writable, or choose another data home with --home or "
            "$SANDBOX_HOME."
        )
    return "Try again; if it keeps failing, check the disk."


def storage_error(path: Path, exc: OSError, action: str = "write") -> StorageError:
    """The learner-facing error for an ``OSError`` raised while working on ``path``."""
    return StorageError(
        f"Could not {action} {path}: {_reason(exc)}. Nothing was changed there. "
        f"{_way_out(path, exc)}"
    )


# -- the steps that touch the disk (patched by fault-injection tests) -------------------------


def _make_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)


def _create_temp(folder: Path, name: str) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)


def _write_chunk(fd: int, data: memoryview) -> int:
    return os.write(fd, data)


def _fsync(fd: int) -> None:
    os.fsync(fd)


def _rename(source: str, target: Path) -> None:
    os.replace(source, target)


# -- the public helpers ---------------------------------------------------------------------


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed; StorageError instead of OSError."""
    try:
        _make_dir(path)
    except OSError as exc:
        raise storage_error(path, exc, "create the folder") from None
    return path


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_all(fd: int, chunks: Iterable[bytes | memoryview]) -> None:
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            written = _write_chunk(fd, view[:CHUNK_BYTES])
            view = view[written:]


class Staged:
    """A complete, fsynced temp file waiting to be renamed over its target.

    Lets a caller write everything that needs disk space first and commit with renames
    (which need none) only once every write has succeeded.
    """

    def __init__(self, temp: str, target: Path) -> None:
        self.temp = temp
        self.target = target

    def commit(self) -> None:
        """Rename the temp file over the target; StorageError (and no temp file) on failure."""
        try:
            _rename(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise storage_error(self.target, exc) from None
        _sync_dir(self.target.parent)

    def discard(self) -> None:
        """Remove the temp file; the target stays as it was."""
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


#: A temp file of an atomic write older than this was left by an interrupted write (a killed
#: process, a power cut): the next write of the same file removes it. Younger ones may belong
#: to a write in progress in another process.
STALE_TEMP_SECONDS = 60.0


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove the temp files that interrupted atomic writes of ``path`` left; return them."""
    import glob
    import time

    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = []
    # mkstemp names are the prefix, eight random characters and the suffix.
    pattern = glob.escape(str(path.parent / f".{path.name}.")) + "?" * 8 + ".tmp"
    for name in glob.glob(pattern, include_hidden=True):
        stale = Path(name)
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
                removed.append(stale)
    return removed


def _stage(path: Path, chunks: Iterable[bytes | memoryview], durable: bool = True) -> Staged:
    ensure_dir(path.parent)
    remove_stale_temp_files(path)
    try:
        fd, tmp = _create_temp(path.parent, path.name)
    except OSError as exc:
        raise storage_error(path, exc) from None
    try:
        try:
            _write_all(fd, chunks)
            if durable:
                _fsync(fd)
        finally:
            os.close(fd)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, _SourceError):
            raise storage_error(path, exc) from None
        raise
    return Staged(tmp, path)


def atomic_write_chunks(
    path: Path, chunks: Iterable[bytes | memoryview], durable: bool = True
) -> None:
    """Replace ``path`` with the bytes of ``chunks``, one after another, all at once (temp
    file, fsync, rename); a large file need not be joined into one bytes object first.

    ``durable=False`` skips the fsync: for a cache that is rebuilt when lost.
    """
    _stage(Path(path), chunks, durable).commit()


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once (see :func:`atomic_write_chunks`)."""
    atomic_write_chunks(path, [data], durable)


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` (UTF-8) all at once; readers never see half a file."""
    atomic_write_bytes(path, text.encode("utf-8"), durable)


class _SourceError(OSError):
    """Reading the source of a copy failed (not writing its target)."""


def _read_chunks(source: Path) -> Iterator[bytes]:
    try:
        with source.open("rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk
    except OSError as exc:
        raise _SourceError(exc.errno, exc.strerror, exc.filename) from None


def stage_copy(source: Path, target: Path) -> Staged:
    """A complete copy of ``source`` beside ``target``, renamed over it by ``commit()``."""
    try:
        return _stage(Path(target), _read_chunks(Path(source)))
    except _SourceError as exc:
        raise storage_error(Path(source), exc, "read") from None


def atomic_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` so that ``target`` is complete or absent, never partial."""
    stage_copy(source, target).commit()

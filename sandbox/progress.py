"""The learner's progress: an append-only event log in ``<data home>/progress.json``.

The event log is the only source of truth for the game. XP, levels, badges and
streaks are derived from it by :mod:`sandbox.game` and never stored, so they
cannot drift from what the learner did.

File format (``format_version`` 1)
----------------------------------
.. code-block:: json

    {
      "format_version": 1,
      "learner": {"name": "Ada"},
      "events": [
        {"id": "3f2a…", "ts": "2026-11-23T17:02:54.123456+00:00", "kind": "verified",
         "challenge": "pandas-first-look", "task": null, "details": {"tasks": {"q1": "PASS"}}}
      ]
    }

``learner``
    Profile settings shown on the dashboard; ``name`` may be null.
``events[]``
    ``id``: 32 hex characters, unique. ``ts``: ISO 8601 UTC timestamp. ``kind``: one of
    ``EVENT_KINDS``. ``challenge``: a challenge id or null. ``task``: ``q1``… or null.
    ``details``: a JSON object whose keys depend on the kind:

    - ``opened``: ``{}`` — the learner opened the challenge's notebook.
    - ``checked``: ``{"source": "inline" | "verify", "outcome": "PASS" | "FAIL" | …}``;
      verify checks also carry ``"tasks": {"q1": outcome, …}``.
    - ``hint``: ``{"index": n}`` — the n-th hint (0-based) was shown.
    - ``solution``: ``{}`` — the reference solution of the task was revealed.
    - ``verified``: ``{"tasks": {"q1": "PASS", …}, "seconds": s}`` — clean verification passed.
    - ``reset``: ``{"scope": "challenge" | "level" | "all", "challenges": [ids] | null,
      "backup": path}`` — earlier events of those challenges (all, when null) stop counting.

Safety
------
Every read-modify-write holds a cross-process ``filelock`` on ``progress.json.lock`` and
replaces the file atomically (temp file in the same folder, fsync, ``os.replace``). A
file that is not valid JSON, lacks required fields or has an unknown ``format_version``
raises :class:`ProgressCorruptError` naming the file and the way out; it is never
modified. Before a reset or a migration a copy is written to ``backups/``.

Migrations
----------
``MIGRATIONS[v]`` turns a version-``v`` document into version ``v + 1``. The store backs
up the file, applies the chain up to ``FORMAT_VERSION`` and writes the result. A
version above ``FORMAT_VERSION`` comes from a newer sandbox and is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.errors import ProgressCorruptError, ProgressError
from sandbox.paths import PROGRESS_FILE, backups_dir

FORMAT_VERSION = 1
EVENT_KINDS = ("opened", "checked", "hint", "solution", "verified", "reset")
LOCK_TIMEOUT_SECONDS = 30.0

Document = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Document], Document]] = {}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing the learner did."""

    id: str
    ts: datetime
    kind: str
    challenge: str | None = None
    task: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ts": self.ts.isoformat(),
            "kind": self.kind,
            "challenge": self.challenge,
            "task": self.task,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class Progress:
    """What progress.json holds, parsed and validated."""

    learner_name: str | None
    events: tuple[Event, ...]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _corrupt(path: Path, problem: str) -> ProgressCorruptError:
    return ProgressCorruptError(
        f"The progress file {path} cannot be read: {problem}. It has not been changed. "
        f"To recover, restore a copy from {path.parent / 'backups'} (newest first), fix the file "
        f"by hand, or move it aside (for example to {path.name}.broken) to start afresh."
    )


_KINDS = frozenset(EVENT_KINDS)
_from_iso = datetime.fromisoformat


def _parse_event(path: Path, index: int, raw: Any) -> Event:
    """One event of the log; the common, valid case takes the shortest path (logs get long)."""
    if type(raw) is dict:
        try:
            ts = _from_iso(raw["ts"])
            kind, event_id = raw["kind"], raw["id"]
        except (KeyError, TypeError, ValueError):
            pass
        else:
            challenge, task = raw.get("challenge"), raw.get("task")
            details = raw.get("details")
            if (
                ts.tzinfo is not None
                and kind in _KINDS
                and type(event_id) is str
                and (challenge is None or type(challenge) is str)
                and (task is None or type(task) is str)
                and type(details) is dict
            ):
                if ts.tzinfo is not UTC:
                    ts = ts.astimezone(UTC)
                return Event(event_id, ts, kind, challenge, task, details)
    return _parse_event_checked(path, index, raw)


def _parse_event_checked(path: Path, index: int, raw: Any) -> Event:
    """The field-by-field path: returns the event or names what is wrong with it."""
    where = f"event {index}"
    if not isinstance(raw, dict):
        raise _corrupt(path, f"{where} is not an object")
    try:
        ts = datetime.fromisoformat(raw["ts"])
        kind = raw["kind"]
        event_id = raw["id"]
    except (KeyError, TypeError, ValueError) as exc:
        raise _corrupt(path, f"{where} has a missing or malformed field ({exc})") from None
    if ts.tzinfo is None:
        raise _corrupt(path, f"{where} has a timestamp without a time zone")
    if kind not in EVENT_KINDS:
        raise _corrupt(path, f"{where} has unknown kind {kind!r}")
    challenge, task, details = raw.get("challenge"), raw.get("task"), raw.get("details", {})
    if not isinstance(event_id, str) or not (challenge is None or isinstance(challenge, str)):
        raise _corrupt(path, f"{where} has a malformed id or challenge")
    if not (task is None or isinstance(task, str)) or not isinstance(details, dict):
        raise _corrupt(path, f"{where} has a malformed task or details")
    return Event(event_id, ts.astimezone(UTC), kind, challenge, task, details)


def parse_document(path: Path, doc: Any) -> Progress:
    """Validate a version-``FORMAT_VERSION`` document; raise ProgressCorruptError if invalid."""
    if not isinstance(doc, dict):
        raise _corrupt(path, "the top level is not a JSON object")
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        raise _corrupt(path, f"format_version is {version!r}, expected {FORMAT_VERSION}")
    events = doc.get("events")
    if not isinstance(events, list):
        raise _corrupt(path, "'events' is missing or not a list")
    learner = doc.get("learner", {})
    if not isinstance(learner, dict):
        raise _corrupt(path, "'learner' is not an object")
    name = learner.get("name")
    if name is not None and not isinstance(name, str):
        raise _corrupt(path, "'learner.name' is not a string")
    parsed = tuple(_parse_event(path, i, raw) for i, raw in enumerate(events))
    ids = [e.id for e in parsed]
    if len(set(ids)) != len(ids):
        raise _corrupt(path, "two events share an id")
    return Progress(learner_name=name, events=parsed)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a log is parsed.

    A long log is a few hundred thousand dicts and events without any reference cycle;
    the collector would scan them again and again as they are created (about 40 % of the
    load time of a 100,000-event log) and could never free one of them.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def empty_document() -> Document:
    return {"format_version": FORMAT_VERSION, "learner": {"name": None}, "events": []}


#: A temp file of an atomic write older than this was left by an interrupted write (a killed
#: process, a power cut): the next write of the same file removes it. Younger ones may belong
#: to a write in progress in another process.
STALE_TEMP_SECONDS = 60.0


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove the temp files that interrupted atomic writes of ``path`` left; return them."""
    import glob
    import time

    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = []
    # mkstemp names are the prefix, eight random characters and the suffix.
    pattern = glob.escape(str(path.parent / _temp_prefix(path))) + "?" * 8 + ".tmp"
    for name in glob.glob(pattern, include_hidden=True):
        stale = Path(name)
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
                removed.append(stale)
    return removed


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.

    Temp files that earlier, interrupted writes of ``path`` left behind are removed first.
    ``durable`` (the default) also flushes the data to disk before the rename, so a power
    cut cannot leave an empty file; a cache that is rebuilt when lost can skip that.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class ProgressStore:
    """The event log of one learner, in ``home/progress.json``."""

    def __init__(self, home: Path, clock: Callable[[], datetime] = _utcnow) -> None:
        self.home = Path(home)
        self.path = self.home / PROGRESS_FILE
        self.lock_path = self.home / f"{PROGRESS_FILE}.lock"
        self._clock = clock

    # -- reading ---------------------------------------------------------------------------

    def _read_document(self, data: bytes | None = None) -> Document | None:
        """The raw document, migrated in memory; None when there is no file yet.

        ``data``: the file's bytes, when the caller has read them already.
        """
        if data is None:
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise ProgressError(
                    f"Cannot read {self.path}: {exc.strerror}. Check its permissions."
                ) from None
        try:
            doc = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise _corrupt(self.path, "it is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise _corrupt(
                self.path,
                f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            ) from None
        if not isinstance(doc, dict):
            raise _corrupt(self.path, "the top level is not a JSON object")
        version = doc.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise _corrupt(
                self.path,
                f"it was written by a newer sandbox (format_version {version}; this one reads "
                f"{FORMAT_VERSION}). Upgrade the sandbox",
            )
        return doc

    def load(self, data: bytes | None = None) -> Progress:
        """Read and validate the store; a missing file is an empty log.

        ``data``: the file's content, when the caller has read it already (and wants exactly
        those bytes parsed, as the status snapshot does).
        """
        with _collector_paused():
            doc = self._read_document(data)
            if doc is None:
                return parse_document(self.path, empty_document())
            return parse_document(self.path, self._migrated(doc, write=False))

    def _migrated(self, doc: Document, write: bool) -> Document:
        version = doc.get("format_version")
        if version == FORMAT_VERSION:
            return doc
        if not isinstance(version, int) or version not in MIGRATIONS:
            raise _corrupt(self.path, f"format_version is {version!r}, expected {FORMAT_VERSION}")
        if write:
            self._backup_unlocked(f"before-migration-from-v{version}")
        while doc.get("format_version") != FORMAT_VERSION:
            doc = MIGRATIONS[int(doc["format_version"])](doc)
        return doc

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # only writers pay for it

        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(
                f"Cannot create the data home {self.home}: {exc.strerror}."
            ) from None
        lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS)
        try:
            with lock:
                yield
        except Timeout:
            raise ProgressError(
                f"Another sandbox process has held {self.lock_path} for {LOCK_TIMEOUT_SECONDS:.0f} s. "
                "Close other sandbox commands and try again."
            ) from None

    def _transaction(self, change: Callable[[Document], None]) -> None:
        """Read, change and write the document under the lock."""
        with self._locked(), _collector_paused():
            raw = self._read_document()
            doc = empty_document() if raw is None else self._migrated(raw, write=True)
            parse_document(self.path, doc)  # never build on a document we could not read back
            change(doc)
            atomic_write_text(self.path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

    def append(
        self,
        kind: str,
        challenge: str | None = None,
        task: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> Event:
        """Record one event and return it."""
        return self.append_many([(kind, challenge, task, details)])[0]

    def append_many(
        self, items: Sequence[tuple[str, str | None, str | None, Mapping[str, Any] | None]]
    ) -> list[Event]:
        """Record several events in one locked write (they share a timestamp order)."""
        import uuid

        events: list[Event] = []
        for kind, challenge, task, details in items:
            if kind not in EVENT_KINDS:
                raise ValueError(f"unknown event kind {kind!r}")
            events.append(
                Event(uuid.uuid4().hex, self._clock(), kind, challenge, task, dict(details or {}))
            )

        def change(doc: Document) -> None:
            doc["events"].extend(e.to_json() for e in events)

        self._transaction(change)
        return events

    def merge_events(self, events: Sequence[Event], learner_name: str | None = None) -> None:
        """Add events recorded elsewhere (an import), keeping their ids and times; skip known ids."""

        def change(doc: Document) -> None:
            known = {raw["id"] for raw in doc["events"]}
            doc["events"].extend(e.to_json() for e in events if e.id not in known)
            doc["events"].sort(key=lambda raw: datetime.fromisoformat(raw["ts"]))
            if learner_name:
                doc.setdefault("learner", {})["name"] = learner_name

        self._transaction(change)

    def set_learner_name(self, name: str | None) -> None:
        cleaned = name.strip() if name else None
        if cleaned is not None and (len(cleaned) > 60 or not cleaned.isprintable()):
            raise ProgressError("A learner name is at most 60 printable characters.")

        def change(doc: Document) -> None:
            doc.setdefault("learner", {})["name"] = cleaned or None

        self._transaction(change)

    def _backup_unlocked(self, reason: str) -> Path | None:
        import shutil

        if not self.path.exists():
            return None
        folder = backups_dir(self.home)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = self._clock().strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"progress-{stamp}-{reason}.json"
        shutil.copy2(self.path, target)
        return target

    def backup(self, reason: str) -> Path | None:
        """Copy progress.json to backups/; None when there is nothing to copy yet."""
        with self._locked():
            self._read_document()  # refuse to back up garbage as if it were progress
            return self._backup_unlocked(reason)

    def reset(self, scope: str, challenges: Sequence[str] | None) -> tuple[Event, Path | None]:
        """Back up the store, then record a reset of ``challenges`` (all when None)."""
        if scope not in ("challenge", "level", "all"):
            raise ValueError(f"unknown reset scope {scope!r}")
        import uuid

        holder: dict[str, Any] = {}

        def change(doc: Document) -> None:
            backup = self._backup_unlocked(f"before-reset-{scope}")
            event = Event(
                uuid.uuid4().hex,
                self._clock(),
                "reset",
                challenges[0] if challenges is not None and len(challenges) == 1 else None,
                None,
                {
                    "scope": scope,
                    "challenges": list(challenges) if challenges is not None else None,
                    "backup": str(backup) if backup else None,
                },
            )
            doc["events"].append(event.to_json())
            holder["event"], holder["backup"] = event, backup

        self._transaction(change)
        return holder["event"], holder["backup"]

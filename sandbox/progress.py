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
    Profile settings shown on the dashboard; ``name`` is null or at most
    ``MAX_NAME_CHARS`` printable characters.
``events[]``
    In the order they were recorded: the position in the log, not the timestamp, decides
    what a ``reset`` cuts. ``id``: 1–64 characters of ``[A-Za-z0-9_-]`` (32 hex when written
    here), unique. ``ts``: ISO 8601 timestamp with a UTC offset. ``kind``: one of
    ``EVENT_KINDS``. ``challenge``: a challenge id (a slug) or null. ``task``: ``q1``… or
    null. ``details``: a JSON object (nested at most ``MAX_DETAILS_DEPTH`` deep) whose keys
    depend on the kind:

    - ``opened``: ``{}`` — the learner opened the challenge's notebook.
    - ``checked``: ``{"source": "inline" | "verify", "outcome": "PASS" | "FAIL" | …}``;
      verify checks also carry ``"tasks": {"q1": outcome, …}``.
    - ``hint``: ``{"index": n}`` — the n-th hint (0-based) was shown.
    - ``solution``: ``{}`` — the reference solution of the task was revealed.
    - ``verified``: ``{"tasks": {"q1": "PASS", …}, "seconds": s}`` — clean verification passed.
    - ``reset``: ``{"scope": "challenge" | "level" | "all", "challenges": [ids] | null,
      "backup": path}`` — earlier events of those challenges (all, when null) stop counting.
    - ``own_data``: ``{"action": "profiled" | "validated" | "baseline", "dataset": file name,
      …}`` — work in the own-data lab (``challenge`` is null; it earns badges, never XP).
      ``profiled`` adds ``rows``, ``columns``, ``quality``; ``validated`` adds ``passed``,
      ``failing_rows``, ``schema``; ``baseline`` adds ``target``, ``task``, ``run_ids``
      (the MLflow runs that hold the logged models).

    Any event added by :meth:`ProgressStore.merge_events` (an import) also carries
    ``"imported": true``: it is a claim made elsewhere. An imported ``verified`` event earns
    nothing (see :func:`sandbox.game.countable_events`) until the challenge is verified here.

Reading
-------
One reader, :meth:`ProgressStore.load`, never crashes on a damaged file: bytes that are
not UTF-8, JSON that is invalid or nested deeper than ``MAX_JSON_DEPTH``, a file above
``MAX_STORE_BYTES`` or with more than ``MAX_EVENTS`` events, wrong types, unknown kinds,
timestamps without an offset or outside ``EARLIEST_TS``–``LATEST_TS``, duplicate ids or an
unknown ``format_version`` all raise :class:`ProgressCorruptError` naming the file, the
event index and the way out. The file is never modified.

Safety
------
Every read-modify-write holds a cross-process ``filelock`` on ``progress.json.lock`` and
replaces the file atomically (:mod:`sandbox.files`: temp file in the same folder, fsync,
rename). Before a reset, an import or a migration a copy is written to ``backups/``, also
through a temp file, so no empty or partial backup ever carries a final name. A full disk
or a permission problem raises :class:`~sandbox.errors.StorageError` and changes nothing.

Migrations
----------
``MIGRATIONS[v]`` turns a version-``v`` document into version ``v + 1``. The store backs
up the file, applies the chain up to ``FORMAT_VERSION`` and writes the result. A
version above ``FORMAT_VERSION`` comes from a newer sandbox and is refused.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import ProgressCorruptError, ProgressError, StoreBusyError
from sandbox.files import (
    STALE_TEMP_SECONDS,
    atomic_copy,
    atomic_write_chunks,
    atomic_write_text,
    ensure_dir,
    storage_error,
)
from sandbox.paths import PROGRESS_FILE, SLUG_RE, backups_dir

__all__ = [
    "EVENT_KINDS",
    "FORMAT_VERSION",
    "STALE_TEMP_SECONDS",
    "Event",
    "InvalidDocument",
    "LogEnd",
    "Progress",
    "ProgressStore",
    "atomic_write_text",
    "decode_json",
    "implausible_time",
    "learner_name_problem",
    "parse_document",
    "parse_event",
]

FORMAT_VERSION = 1
EVENT_KINDS = ("opened", "checked", "hint", "solution", "verified", "reset", "own_data")
LOCK_TIMEOUT_SECONDS = 30.0

# Explicit caps, far above any honest log (a learner who verifies all 29 challenges writes a
# few hundred events), so that a damaged or hostile file is refused before it costs minutes
# and gigabytes.
MAX_STORE_BYTES = 64 * 1024 * 1024
MAX_EVENTS = 250_000
MAX_JSON_DEPTH = 32
MAX_DETAILS_DEPTH = 8
MAX_NAME_CHARS = 60
# The range in which every date computation (local time zones included) is safe. Narrower
# plausibility (not before the product, not in the future) is judged by implausible_time.
EARLIEST_TS = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_TS = datetime(9000, 1, 1, tzinfo=UTC)
# No sandbox event can predate the product; a clock may run a little ahead of another's.
PRODUCT_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=10)

_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TASK_RE = re.compile(r"[a-z0-9_-]{1,32}")

if TYPE_CHECKING:
    from filelock import FileLock

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

    @property
    def imported(self) -> bool:
        """Whether the event came from an import (a claim, not something done here)."""
        return self.details.get("imported") is True


@dataclass(frozen=True)
class Progress:
    """What progress.json holds, parsed and validated."""

    learner_name: str | None
    events: tuple[Event, ...]


class InvalidDocument(ValueError):
    """A problem found in a JSON document; the caller says which file it is."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def shown(value: Any, limit: int = 40) -> str:
    """``value`` for a message: repr'd (so control characters cannot reach a terminal), short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- decoding ----------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise InvalidDocument(f"it holds {name}, which is not JSON")


def decode_json(data: bytes) -> Any:
    """Parse ``data`` as strict UTF-8 JSON nested at most ``MAX_JSON_DEPTH`` deep."""
    return _decode_json(data)[0]


def _decode_json(data: bytes) -> tuple[Any, int]:
    """:func:`decode_json`'s value and how deep its brackets nest."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidDocument(
            f"it is not UTF-8 text (byte {exc.start} is {data[exc.start : exc.start + 1]!r}; "
            "binary data, or another encoding such as UTF-16)"
        ) from None
    if text.startswith("\ufeff"):
        raise InvalidDocument("it starts with a byte-order mark, which JSON does not allow")
    depth = _nesting_depth(data, MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        raise InvalidDocument(f"its JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text, parse_constant=_refuse_constant), depth
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:  # a second guard; _nesting_depth should have caught it
        raise InvalidDocument(
            f"its JSON is nested more than {MAX_JSON_DEPTH} levels deep"
        ) from None


#: Every byte but a quote or a bracket, and braces made brackets: nesting depth is all that
#: counts, and a mismatched pair is invalid JSON, which json.loads reports.
_NOT_QUOTES_OR_BRACKETS = bytes(c for c in range(256) if c not in b'"[]{}')
_BRACES_AS_BRACKETS = bytes.maketrans(b"{}", b"[]")


def _nesting_depth(data: bytes, limit: int) -> int:
    """How deep brackets outside strings nest in ``data``, counted up to ``limit + 1``.

    Only bytes operations, so it costs a few milliseconds per megabyte: escaped backslashes
    and quotes go first, then everything but quotes and brackets, then every quote-delimited
    part (a string). For JSON that is not valid the figure is meaningless (json.loads refuses
    it).
    """
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in data else data
    skeleton = plain.translate(_BRACES_AS_BRACKETS, _NOT_QUOTES_OR_BRACKETS)
    # Two adjacent quotes are an empty string, or the end of one string and the start of the
    # next: removing them leaves what lies outside strings as it was. Most strings hold no
    # bracket, so this leaves few parts to split.
    skeleton = skeleton.replace(b'""', b"")
    brackets = b"".join(skeleton.split(b'"')[0::2])
    # Each pass removes every innermost pair: a structure of depth d is gone after d passes.
    depth = 0
    while brackets and depth <= limit:
        shorter = brackets.replace(b"[]", b"")
        if shorter == brackets:
            break  # unbalanced: json.loads reports it with a position
        brackets = shorter
        depth += 1
    return depth


def _nesting_exceeds(data: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``."""
    return _nesting_depth(data, limit) > limit


#: The bracket level of an event's details in a log: the document, its events array, the
#: event, the details.
_DETAILS_LEVEL = 4
#: A JSON escape of a UTF-16 surrogate (text in UTF-8 bytes can hold none otherwise).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _details_known_valid(data: bytes, depth: int) -> bool:
    """Whether every event's details in the log decoded from ``data`` (brackets nested
    ``depth`` deep) would pass :func:`_details_problem`, found from the bytes alone.

    Details sit at a fixed bracket level, so the document's depth bounds theirs: with
    containers at most ``MAX_DETAILS_DEPTH - 1`` levels into the details, every value lies
    within ``MAX_DETAILS_DEPTH``. Text decoded from UTF-8 holds a lone surrogate only where the
    JSON escapes one. A log with deeper brackets or any surrogate escape is checked event by
    event instead.
    """
    deepest = _DETAILS_LEVEL + MAX_DETAILS_DEPTH - 2
    return depth <= deepest and _SURROGATE_ESCAPE.search(data) is None


# -- validating ----------------------------------------------------------------------------------


def learner_name_problem(name: Any) -> str | None:
    """Why ``name`` cannot be a learner name, or None when it can (None itself is allowed)."""
    if name is None:
        return None
    if not isinstance(name, str):
        return f"the learner name must be text, not {type(name).__name__}"
    if len(name) > MAX_NAME_CHARS:
        return (
            f"the learner name has {len(name):,} characters; at most {MAX_NAME_CHARS} are allowed"
        )
    if not name.isprintable():
        return "the learner name holds control or other unprintable characters"
    return None


def _is_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")  # lone surrogates parse from JSON but cannot be written back
    except UnicodeEncodeError:
        return False
    return True


def _details_problem(details: Any) -> str | None:
    """Nesting depth and text of a details object, checked without recursion."""
    stack: list[tuple[Any, int]] = [(details, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DETAILS_DEPTH:
            return f"its details are nested more than {MAX_DETAILS_DEPTH} levels deep"
        if isinstance(value, dict):
            for key, item in value.items():
                if not _is_text(key):
                    return "its details hold a key that is not valid text"
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not _is_text(value):
            return "its details hold text that is not valid Unicode"
    return None


def _kind_details_problem(kind: str, details: Mapping[str, Any]) -> str | None:
    """The details fields that code indexes into must have the shape it expects.

    Only shapes whose absence would crash a reader are checked (a ``tasks`` map that is
    looked up by task id, a list of reset targets that is searched); values the game only
    compares (an outcome, a hint index) may be anything.
    """
    if "imported" in details and not isinstance(details["imported"], bool):
        return "details.imported must be true or false"
    if kind in ("checked", "verified") and not isinstance(details.get("tasks", {}), dict):
        return "details.tasks must map task ids to outcomes"
    if kind == "reset":
        targets = details.get("challenges")
        if targets is not None and (
            not isinstance(targets, list) or not all(isinstance(t, str) for t in targets)
        ):
            return "details.challenges must be a list of challenge ids or null"
    return None


def parse_timestamp(value: Any) -> datetime:
    """An aware UTC datetime from an ISO 8601 string with an offset, in the safe range."""
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidDocument(f"its timestamp {shown(value)} is not an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidDocument(f"its timestamp {shown(value)} is not ISO 8601") from None
    if parsed.tzinfo is UTC:  # as the store writes them: nothing to convert
        utc: datetime | None = parsed
    elif parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidDocument(f"its timestamp {shown(value)} has no UTC offset (time zone)")
    else:
        try:
            utc = parsed.astimezone(UTC)
        except OverflowError:
            utc = None
    if utc is None or not EARLIEST_TS <= utc < LATEST_TS:
        raise InvalidDocument(
            f"its timestamp {shown(value)} is out of range "
            f"({EARLIEST_TS.year}–{LATEST_TS.year - 1})"
        )
    return utc


#: Challenge and task ids already found valid. A log names the same few dozen again and again,
#: so most events are checked by a set lookup instead of a pattern match.
_valid_challenge_ids: set[str] = set()
_valid_task_ids: set[str] = set()
_VALID_IDS_REMEMBERED = 4096


def _remember_valid(known: set[str], value: str) -> None:
    if len(known) < _VALID_IDS_REMEMBERED:  # a hostile log cannot make it grow without end
        known.add(value)


def parse_event(raw: Any, details_checked: bool = False) -> Event:
    """One event from its JSON form; InvalidDocument says what is wrong with it.

    ``details_checked``: the details' nesting and text are known to be valid already (see
    :func:`_details_known_valid`).
    """
    if not isinstance(raw, dict):
        raise InvalidDocument(f"it is {type(raw).__name__}, not an object")
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not _ID_RE.fullmatch(event_id):
        raise InvalidDocument(f"its id {shown(event_id)} is not 1–64 letters, digits, - or _")
    kind = raw.get("kind")
    if kind not in EVENT_KINDS:
        raise InvalidDocument(f"it has unknown kind {shown(kind)}")
    ts = parse_timestamp(raw.get("ts"))
    challenge, task = raw.get("challenge"), raw.get("task")
    if challenge is not None and not (
        isinstance(challenge, str) and challenge in _valid_challenge_ids
    ):
        if not (
            isinstance(challenge, str) and len(challenge) <= 100 and SLUG_RE.fullmatch(challenge)
        ):
            raise InvalidDocument(f"its challenge {shown(challenge)} is not a challenge id")
        _remember_valid(_valid_challenge_ids, challenge)
    if task is not None and not (isinstance(task, str) and task in _valid_task_ids):
        if not (isinstance(task, str) and _TASK_RE.fullmatch(task)):
            raise InvalidDocument(f"its task {shown(task)} is not a task id")
        _remember_valid(_valid_task_ids, task)
    details = raw.get("details", {})
    if not isinstance(details, dict):
        raise InvalidDocument(f"its details are {type(details).__name__}, not an object")
    problem = (None if details_checked else _details_problem(details)) or _kind_details_problem(
        kind, details
    )
    if problem:
        raise InvalidDocument(problem)
    return Event(event_id, ts, kind, challenge, task, details)


def implausible_time(ts: datetime, now: datetime) -> str | None:
    """Why a recorded time cannot be true (in the future, or before the product existed)."""
    if ts > now + CLOCK_SKEW:
        return f"it is dated {ts:%Y-%m-%d %H:%M} UTC, in the future"
    if ts < PRODUCT_EPOCH:
        return f"it is dated {ts:%Y-%m-%d}, before the sandbox existed ({PRODUCT_EPOCH:%Y-%m-%d})"
    return None


def _newest_backup(folder: Path) -> Path | None:
    with contextlib.suppress(OSError):
        found = sorted(folder.glob("progress-*.json"))
        return found[-1] if found else None
    return None


def _corrupt(path: Path, problem: str) -> ProgressCorruptError:
    backups = path.parent / "backups"
    newest = _newest_backup(backups)
    where = f"{backups} (the newest is {newest.name})" if newest else str(backups)
    return ProgressCorruptError(
        f"The progress file {path} cannot be read: {problem}. It has not been changed. "
        f"To recover, restore a copy from {where}, fix the file by hand, or move it aside "
        f"(for example to {path.name}.broken) to start afresh."
    )


@dataclass(frozen=True)
class _Read:
    """A log as :meth:`ProgressStore.load` last read it."""

    data: bytes | None  # the file's bytes (None for a document not read from a file)
    doc: dict[str, Any]  # as decoded
    events: tuple[Event, ...]  # its raw events, parsed


#: Per store path, the last read of its log. A log grows by appending, so the next read checks
#: only the events after the prefix it shares with the last one; the prefix is compared as
#: decoded JSON (or, for a file that only grew, as bytes), so a hand edit anywhere in the log is
#: seen. The dashboard reads the same log on every page run.
_last_read: dict[Path, _Read] = {}
_LOGS_REMEMBERED = 4  # a few profiles' logs
_last_read_lock = threading.Lock()
#: How the store writes the end of a non-empty log (``json.dumps(doc, indent=1)``).
_LOG_END = b"\n ]\n}\n"
_DOCUMENT_KEYS = ["format_version", "learner", "events"]


def _shared_prefix(before: list[Any], now: list[Any]) -> int:
    """How many leading raw events ``now`` shares with ``before``."""
    shared = 0
    for old, new in zip(before, now, strict=False):
        if old is not new and old != new:
            break
        shared += 1
    return shared


def _extendable(read: _Read) -> bool:
    """Whether events appended after the last event of the log ``read`` was read from are read
    alone exactly as a full decode reads them.

    The log must hold an event, end as the store ends it, and have exactly the keys
    format_version, learner, events: then the array that ends there is the events' (json
    keeps the last of repeated keys, so that holds even for a document with a repeated key).
    """
    return (
        read.data is not None
        and read.data.endswith(_LOG_END)
        and list(read.doc) == _DOCUMENT_KEYS
        and bool(read.doc["events"])
    )


def _events_after(data: bytes, cut: int) -> list[Any] | None:
    """The raw events ``data`` holds after byte ``cut``, where the last event of an extendable
    log that ``data`` starts with ended; None when anything but a JSON array's worth of new
    events follows before the store's end."""
    if len(data) <= cut + len(_LOG_END) or not data.endswith(_LOG_END):
        return None
    if data[cut : cut + 1] != b",":
        return None
    try:
        appended = decode_json(b"[" + data[cut + 1 : len(data) - len(_LOG_END)] + b"]")
    except InvalidDocument:
        return None
    return appended if isinstance(appended, list) else None


def _grown_document(path: Path, data: bytes) -> dict[str, Any] | None:
    """The document in ``data`` decoded from the last read of ``path``, when ``data`` is that
    read's bytes with events appended; None when it is anything else (then it is decoded in
    full)."""
    last = _last_read.get(path)
    if last is None or last.data is None:
        return None
    if data == last.data:
        return last.doc
    if not _extendable(last):
        return None
    cut = len(last.data) - len(_LOG_END)
    if not data.startswith(memoryview(last.data)[:cut]):
        return None
    appended = _events_after(data, cut)
    return None if appended is None else {**last.doc, "events": [*last.doc["events"], *appended]}


@dataclass(frozen=True)
class LogEnd:
    """Where the events of a log end: the length and CRC-32 of its bytes up to the end of its
    last event. What a reader derived from those events still holds for a log that only grew
    since, by events appended as the store appends them (see
    :meth:`ProgressStore.events_appended`)."""

    length: int
    crc: int


def parse_document(
    path: Path,
    doc: Any,
    remember: bool = False,
    data: bytes | None = None,
    details_checked: bool = False,
) -> Progress:
    """Validate a version-``FORMAT_VERSION`` document; raise ProgressCorruptError if invalid.

    ``remember``: keep this document's events for the next read of ``path`` (for a document
    nothing changes after it is parsed: a read, not one being written); ``data``: the bytes
    it was decoded from, if it is the file's content as is; ``details_checked``: every
    event's details are known to be valid (:func:`_details_known_valid` of those bytes)."""
    if not isinstance(doc, dict):
        raise _corrupt(path, "the top level is not a JSON object")
    version = doc.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise _corrupt(path, f"format_version is {shown(version)}, expected {FORMAT_VERSION}")
    events = doc.get("events")
    if not isinstance(events, list):
        raise _corrupt(path, "'events' is missing or not a list")
    if len(events) > MAX_EVENTS:
        raise _corrupt(
            path, f"it holds {len(events):,} events, more than the {MAX_EVENTS:,} allowed"
        )
    learner = doc.get("learner", {})
    if not isinstance(learner, dict):
        raise _corrupt(path, "'learner' is not an object")
    name = learner.get("name")
    problem = learner_name_problem(name)
    if problem:
        raise _corrupt(path, problem)
    last = _last_read.get(path)
    shared = _shared_prefix(last.doc["events"], events) if last else 0
    parsed = list(last.events[:shared]) if last else []  # checked when read, ids distinct
    seen = {event.id: index for index, event in enumerate(parsed)}
    for index in range(shared, len(events)):
        try:
            event = parse_event(events[index], details_checked)
        except InvalidDocument as exc:
            raise _corrupt(path, f"event {index}: {exc}") from None
        if event.id in seen:
            raise _corrupt(path, f"events {seen[event.id]} and {index} share the id {event.id!r}")
        seen[event.id] = index
        parsed.append(event)
    progress = Progress(learner_name=name, events=tuple(parsed))
    if remember:
        with _last_read_lock:  # the dashboard's sessions read in threads of one process
            _last_read.pop(path, None)
            _last_read[path] = _Read(data, doc, progress.events)
            while len(_last_read) > _LOGS_REMEMBERED:
                del _last_read[next(iter(_last_read))]  # the least recently read
    return progress


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


class ProgressStore:
    """The event log of one learner, in ``home/progress.json``."""

    def __init__(self, home: Path, clock: Callable[[], datetime] = _utcnow) -> None:
        self.home = Path(home)
        self.path = self.home / PROGRESS_FILE
        self.lock_path = self.home / f"{PROGRESS_FILE}.lock"
        self._clock = clock
        self._lock: FileLock | None = None

    # -- reading ---------------------------------------------------------------------------

    def _read_bytes(self) -> bytes | None:
        """The file's bytes (at most one more than a store may hold); None when it is missing."""
        try:
            with self.path.open("rb") as fh:
                return fh.read(MAX_STORE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ProgressError(
                f"Cannot read {self.path}: {exc.strerror or type(exc).__name__}. It has not "
                "been changed. Check that it is a file you may read (or choose another data "
                "home with --home)."
            ) from None

    def _read_document(self, data: bytes | None = None) -> Document | None:
        """The raw document, migrated in memory; None when there is no file yet.

        Only decoding happens here (size, bytes, JSON, nesting, version); parse_document
        validates the content. ``data``: the file's bytes, when the caller has read them.
        """
        if data is None:
            data = self._read_bytes()
            if data is None:
                return None
        return self._decode_document(data)[0]

    def _decode_document(self, data: bytes) -> tuple[Document, int]:
        """:meth:`_read_document` of bytes read, and how deep its brackets nest."""
        if len(data) > MAX_STORE_BYTES:
            raise _corrupt(
                self.path,
                f"it is larger than {MAX_STORE_BYTES // (1024 * 1024)} MB, far more than any "
                "progress log",
            )
        try:
            doc, depth = _decode_json(data)
        except InvalidDocument as exc:
            raise _corrupt(self.path, str(exc)) from None
        if not isinstance(doc, dict):
            raise _corrupt(self.path, "the top level is not a JSON object")
        version = doc.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise _corrupt(
                self.path,
                f"it was written by a newer sandbox (format_version {version}; this one reads "
                f"{FORMAT_VERSION}). Upgrade the sandbox",
            )
        return doc, depth

    def load(self, data: bytes | None = None) -> Progress:
        """Read and validate the store; a missing file is an empty log.

        ``data``: the file's content, when the caller has read it already (and wants exactly
        those bytes parsed, as the status snapshot does).
        """
        with _collector_paused():
            if data is None:
                data = self._read_bytes()
            if data is None:
                return parse_document(self.path, empty_document())
            grown = None if len(data) > MAX_STORE_BYTES else _grown_document(self.path, data)
            details_checked = False
            if grown is not None:
                doc = grown  # only its appended events are parsed, each checked in full
            else:
                doc, depth = self._decode_document(data)
                details_checked = _details_known_valid(data, depth)
            current = self._migrated(doc, write=False)
            as_is = current is doc
            # Only a document that is the file as is can be extended by the next read's bytes.
            return parse_document(
                self.path,
                current,
                remember=True,
                data=data if as_is else None,
                details_checked=details_checked and as_is,
            )

    def _migrated(self, doc: Document, write: bool) -> Document:
        version = doc.get("format_version")
        if version == FORMAT_VERSION:
            return doc
        if not isinstance(version, int) or version not in MIGRATIONS:
            raise _corrupt(
                self.path, f"format_version is {shown(version)}, expected {FORMAT_VERSION}"
            )
        if write:
            self._backup_unlocked(f"before-migration-from-v{version}")
        while doc.get("format_version") != FORMAT_VERSION:
            doc = MIGRATIONS[int(doc["format_version"])](doc)
        return doc

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        from filelock import FileLock, Timeout  # only writers pay for it

        ensure_dir(self.home)
        if self._lock is None:
            # One lock object per store: re-entering it from the same thread does not wait, so
            # a verification can hold the lock for its whole run and still record its events.
            self._lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS)
        lock = self._lock
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise StoreBusyError(
                f"Another sandbox process has held {self.lock_path} for {timeout or LOCK_TIMEOUT_SECONDS:.0f} s "
                "(a clean verification holds it while it runs). Wait for it to finish, or close "
                "other sandbox commands, and try again."
            ) from None
        except OSError as exc:  # an unwritable data home: the lock file cannot be created
            raise storage_error(self.lock_path, exc, "create the lock file") from None
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def hold(self, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
        """Hold the store's lock for a whole operation; this store's own writes inside do not wait.

        Clean verification holds it while the learner's notebook runs, so no other writer
        changes the store meanwhile and any change found afterwards came from the notebook.
        ``timeout`` is how long to wait for another holder (a verification waits for another).
        """
        with self._locked(timeout):
            yield

    def _transaction(
        self, change: Callable[[Document], None], timeout: float | None = None
    ) -> None:
        """Read, change and write the document under the lock."""
        with self._locked(timeout), _collector_paused():
            self._rewrite(change)

    def _rewrite(self, change: Callable[[Document], None]) -> None:
        """Read, change and write the whole document (the caller holds the lock)."""
        raw = self._read_document()
        doc = empty_document() if raw is None else self._migrated(raw, write=True)
        parse_document(self.path, doc)  # never build on a document we could not read back
        change(doc)
        atomic_write_text(self.path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

    def _append_after_last_event(self, new: list[Document]) -> bool:
        """Write the raw events ``new`` after the log's last event, without encoding the log
        again (the caller holds the lock); False, having written nothing, when the log is not
        one this can extend (then it is rewritten in full).

        The log must read as valid (a damaged one is refused, as a rewrite refuses it), be of
        this format with exactly the keys format_version, learner and events, hold an event
        and end as the store ends it (see :func:`_grown_document` for why the array that ends
        there is the events'). The new events' text is what ``json.dumps(indent=1)`` gives
        them inside the log, so a log the store wrote gets the very bytes a rewrite would give.
        A 100,000-event log takes a second to encode; its appended event, a few microseconds.
        """
        data = self._read_bytes()
        if not new or data is None or len(data) > MAX_STORE_BYTES or not data.endswith(_LOG_END):
            return False
        self.load(data)
        end = self.log_end(data)
        if end is None:
            return False
        wrapped = json.dumps({"events": new}, indent=1, ensure_ascii=False)
        items = wrapped[len('{\n "events": [') : -len("\n ]\n}")]
        atomic_write_chunks(
            self.path, [memoryview(data)[: end.length], b",", items.encode("utf-8"), _LOG_END]
        )
        return True

    def log_end(self, data: bytes) -> LogEnd | None:
        """Where the events of the log ``data`` end, when :meth:`load` last read exactly
        ``data`` and events appended to it are read alone as a full read reads them; None for
        any other log (one migrated in memory, laid out otherwise, without events)."""
        last = _last_read.get(self.path)
        if last is None or last.data is not data or not _extendable(last):
            return None
        length = len(data) - len(_LOG_END)
        return LogEnd(length, zlib.crc32(memoryview(data)[:length]))

    def events_appended(
        self, data: bytes, end: LogEnd, ids: Sequence[str]
    ) -> tuple[list[Event], LogEnd] | None:
        """The events the log ``data`` holds after ``end``, checked as :meth:`load` checks them,
        and where they end, when ``data`` is the log ``end`` was taken of with events appended;
        ``ids``: the ids of the events up to ``end``. None for any other log, and for appended
        events that are not valid: :meth:`load` reads those in full (and says what is wrong).
        """
        if len(data) > MAX_STORE_BYTES or not 0 < end.length < len(data):
            return None
        if zlib.crc32(memoryview(data)[: end.length]) != end.crc:
            return None
        appended = _events_after(data, end.length)
        if appended is None or len(ids) + len(appended) > MAX_EVENTS:
            return None
        seen = set(ids)
        events = []
        for raw in appended:
            try:
                event = parse_event(raw)
            except InvalidDocument:
                return None
            if event.id in seen:
                return None
            seen.add(event.id)
            events.append(event)
        length = len(data) - len(_LOG_END)
        return events, LogEnd(length, zlib.crc32(memoryview(data)[end.length : length], end.crc))

    def append(
        self,
        kind: str,
        challenge: str | None = None,
        task: str | None = None,
        details: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Event:
        """Record one event and return it (``timeout``: seconds to wait for the lock)."""
        return self.append_many([(kind, challenge, task, details)], timeout)[0]

    def append_many(
        self,
        items: Sequence[tuple[str, str | None, str | None, Mapping[str, Any] | None]],
        timeout: float | None = None,
    ) -> list[Event]:
        """Record several events in one locked write (they share a timestamp order)."""

        events: list[Event] = []
        for kind, challenge, task, details in items:
            if kind not in EVENT_KINDS:
                raise ValueError(f"unknown event kind {kind!r}")
            events.append(
                Event(uuid.uuid4().hex, self._clock(), kind, challenge, task, dict(details or {}))
            )

        new = [e.to_json() for e in events]
        with self._locked(timeout), _collector_paused():
            if not self._append_after_last_event(new):
                self._rewrite(lambda doc: doc["events"].extend(new))
        return events

    def merge_events(self, events: Sequence[Event], learner_name: str | None = None) -> None:
        """Add events recorded elsewhere (an import) at the end of the log; skip known ids.

        They keep their ids, times and order, and are marked ``"imported": true``. They go
        after every event already here, so a reset recorded here earlier does not cut them
        and one recorded later does.
        """
        problem = learner_name_problem(learner_name)
        if problem:
            raise ProgressError(f"Cannot import: {problem}.")

        def change(doc: Document) -> None:
            known = {raw["id"] for raw in doc["events"]}
            for event in events:
                if event.id not in known:
                    marked = event.to_json()
                    marked["details"]["imported"] = True
                    doc["events"].append(marked)
                    known.add(event.id)
            if learner_name:
                doc.setdefault("learner", {})["name"] = learner_name

        self._transaction(change)

    def set_learner_name(self, name: str | None) -> None:
        cleaned = name.strip() if name else None
        problem = learner_name_problem(cleaned)
        if problem:
            raise ProgressError(
                f"A learner name is at most {MAX_NAME_CHARS} printable characters ({problem})."
            )

        def change(doc: Document) -> None:
            doc.setdefault("learner", {})["name"] = cleaned or None

        self._transaction(change)

    def _backup_unlocked(self, reason: str) -> Path | None:

        if not self.path.exists():
            return None
        stamp = self._clock().strftime("%Y%m%dT%H%M%S%fZ")
        target = backups_dir(self.home) / f"progress-{stamp}-{reason}.json"
        atomic_copy(self.path, target)  # complete under its final name, or absent
        return target

    def backup(self, reason: str) -> Path | None:
        """Copy progress.json to backups/; None when there is nothing to copy yet."""
        with self._locked():
            raw = self._read_document()  # refuse to back up garbage as if it were progress
            if raw is not None:
                parse_document(self.path, self._migrated(raw, write=False))
            return self._backup_unlocked(reason)

    def reset(self, scope: str, challenges: Sequence[str] | None) -> tuple[Event, Path | None]:
        """Back up the store, then record a reset of ``challenges`` (all when None)."""
        if scope not in ("challenge", "level", "all"):
            raise ValueError(f"unknown reset scope {scope!r}")

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

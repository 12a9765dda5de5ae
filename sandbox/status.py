"""``sandbox status``: the learner's summary, and a snapshot of it next to the event log.

:func:`summary` derives the summary from a :class:`~sandbox.game.GameEngine` replay of the
log. :func:`current` answers ``sandbox status`` so that it stays quick however long the log
grows: with the log unchanged since the last answer it reads the snapshot; with events
appended since (as every command appends them) it checks and replays only those, resuming
the engine from the checkpoint the snapshot keeps; anything else replays the whole log. The
log stays the only truth: the snapshot is derived from it, carries the exact identity of what
it was derived from, and is thrown away on any difference.

Snapshot file ``progress.status.json`` (in the profile's data home, beside ``progress.json``)
------------------------------------------------------------------------------------------
.. code-block:: json

    {"format": 2,
     "key": {"log": [size, crc32] | null, "content": "/path", "catalogue": [files, crc32],
             "code": [crc32], "tz": [...]},
     "made_on": "2026-11-30",
     "run": ["2026-11-29" | null, days, freezes],
     "later_days": ["8999-12-30"],
     "status": {... the ``status --json`` shape ...},
     "resume": {"end": [length, crc32], "ids": "id id …", "learner": "Ada" | null,
                "checkpoint": {... GameEngine.checkpoint() ...}} | null}

``key``
    What the summary was derived from: the log's size and CRC-32 (null: no log yet), the
    content root, the size and modification time of every catalogue manifest, the engine's
    source files and the local time zone. A snapshot whose key differs is not answered from.
``made_on``, ``run``, ``later_days``
    The streak depends on today: ``run`` is the streak run (see :mod:`sandbox.streak`) over
    the active days up to ``made_on``; ``later_days`` are active days after it (events dated
    in the future). On a later day the run is brought up to today; a clock set back before
    ``made_on`` replays the log instead.
``status``
    The summary as of ``made_on``; ``data_home`` and the streak figures are filled in anew.
``resume``
    For a log the store can append to (see :class:`~sandbox.progress.LogEnd`): where its
    events end (length and CRC-32 of the bytes up to there), the ids of its events (so an
    appended event that repeats one is caught), the learner name, and the engine's state
    after the last event. When everything but the log is as ``key`` says and the log is
    these bytes with events appended, only the new events are checked and replayed.

The snapshot is written only into a data home that already exists (reading never creates
one), atomically, and a snapshot that cannot be read is simply replaced. Clean verification
deletes it if the learner's notebook changed it (:mod:`sandbox.grading.guard`).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import zlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import StorageError
from sandbox.paths import PROGRESS_FILE, content_root, data_home, manifests_stamp, profile_home
from sandbox.streak import Run

if TYPE_CHECKING:
    from sandbox.catalogue import Catalogue
    from sandbox.game import GameEngine
    from sandbox.learner import Learner
    from sandbox.progress import LogEnd

SNAPSHOT_FILE = "progress.status.json"
SNAPSHOT_FORMAT = 2
# The sources whose rules the summary follows: editing one invalidates every snapshot.
_RULE_SOURCES = ("game.py", "catalogue.py", "progress.py", "streak.py", "status.py")


def summary(
    home: Path, learner_name: str | None, catalogue: Catalogue, engine: GameEngine
) -> dict[str, Any]:
    """The ``status --json`` shape for one learner."""
    level, nxt, streak = engine.level, engine.next_level, engine.streak()
    upcoming = engine.next_challenge()
    earned = engine.earned_badges()
    return {
        "learner": learner_name,
        "data_home": str(home),
        "xp": engine.xp,
        "level": level.number,
        "level_name": level.name,
        "next_level": nxt.number if nxt else None,
        "xp_to_next_level": engine.xp_to_next_level,
        "level_progress": round(engine.level_progress, 4),
        "streak_days": streak.days,
        "streak_freezes": streak.freezes_left,
        "badges": len(earned),
        "badges_earned": [b.badge.id for b in earned],
        "verified": engine.verified_count(),
        "challenges": len(catalogue.challenges),
        "next_challenge": upcoming.id if upcoming else None,
    }


def render(data: dict[str, Any]) -> str:
    """The summary as the lines ``sandbox status`` prints."""
    name = data["learner"] or "Learner"
    lines = [f"{name} — level {data['level']} · {data['level_name']}"]
    if data["xp_to_next_level"] is None:
        lines.append(f"XP {data['xp']} (top level reached)")
    else:
        lines.append(
            f"XP {data['xp']} · {data['xp_to_next_level']} XP to level {data['next_level']}"
        )
    lines.append(f"Streak {data['streak_days']} day(s) · freezes {data['streak_freezes']}")
    lines.append(
        f"Verified {data['verified']}/{data['challenges']} challenges · badges {data['badges']}"
    )
    if data["next_challenge"]:
        lines.append(f"Next: sandbox open {data['next_challenge']}")
    return "\n".join(lines)


def current(
    home: Path | str | None = None, profile: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """The summary of the learner of ``profile`` in the data home ``home`` (as Learner.open).

    ``today`` (default: the local date) is the day the streak is counted on. Raises what
    replaying the log raises (a corrupt store, a broken catalogue) whenever the snapshot
    does not match, so a damaged file is never hidden behind it.
    """
    resolved = profile_home(data_home(home), profile)
    today = today or date.today()
    log = _read_log(resolved)
    key = _key(log)
    snapshot = _read_snapshot(resolved) if key is not None else None
    if snapshot is not None and snapshot["key"] == key:
        cached = _from_snapshot(resolved, snapshot, today)
        if cached is not None:
            return cached

    from sandbox.game import GameEngine
    from sandbox.learner import Learner

    learner = Learner.open(home, profile)
    resumed = None
    end: LogEnd | None
    if isinstance(log, bytes) and key is not None and snapshot is not None:
        resumed = _resumed(learner, snapshot, key, log, today)
    if resumed is not None:
        engine, name, ids, end = resumed
    else:
        # Exactly the bytes the key was made of are replayed, so the snapshot matches them.
        progress = learner.store.load(log if isinstance(log, bytes) else None)
        engine = GameEngine(learner.catalogue, progress.events, today=today)
        name, ids = progress.learner_name, [event.id for event in progress.events]
        end = learner.store.log_end(log) if isinstance(log, bytes) else None
    data = summary(learner.home, name, learner.catalogue, engine)
    # Remember it unless something it was derived from changed meanwhile (a log that appeared,
    # a manifest edited during the replay).
    appeared = log is None and _read_log(resolved) is not None
    if (
        key is not None
        and resolved.is_dir()
        and not appeared
        and _sources_key() == _without_log(key)
    ):
        resume = None
        if end is not None:
            resume = {
                "end": [end.length, end.crc],
                "ids": " ".join(ids),
                "learner": name,
                "checkpoint": engine.checkpoint(),
            }
        _write_snapshot(resolved, key, today, engine, data, resume)
    return data


def _resumed(
    learner: Learner, snapshot: dict[str, Any], key: dict[str, Any], log: bytes, today: date
) -> tuple[GameEngine, str | None, list[str], LogEnd] | None:
    """The engine of ``log`` resumed from the snapshot's checkpoint, with the learner name,
    the event ids and where the events end, when ``log`` is the snapshot's log with events
    appended (and nothing else it was derived from changed); None otherwise."""
    from sandbox.game import GameEngine
    from sandbox.progress import LogEnd, learner_name_problem

    try:
        resume = snapshot["resume"]
        if resume is None or _without_log(snapshot["key"]) != _without_log(key):
            return None
        length, crc = resume["end"]
        end = LogEnd(int(length), int(crc))
        ids, name = resume["ids"], resume["learner"]
        if not isinstance(ids, str) or learner_name_problem(name):
            return None
        checkpoint = resume["checkpoint"]
    except (KeyError, TypeError, ValueError):
        return None
    known = ids.split()
    appended = learner.store.events_appended(log, end, known)
    if appended is None:
        return None
    events, new_end = appended
    try:
        engine = GameEngine(learner.catalogue, events, today=today, checkpoint=checkpoint)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # not a checkpoint this sandbox wrote: replay the log
    return engine, name, [*known, *(event.id for event in events)], new_end


# -- the snapshot ----------------------------------------------------------------------------


def _read_log(home: Path) -> bytes | OSError | None:
    """The log's bytes; None when there is none yet; the error when it cannot be read."""
    try:
        return (home / PROGRESS_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc


def _key(log: bytes | OSError | None) -> dict[str, Any] | None:
    """The identity of everything the summary is derived from; None when it cannot be known."""
    if isinstance(log, OSError):
        return None  # the replay reports it
    sources = _sources_key()
    if sources is None:
        return None
    return {"log": None if log is None else [len(log), zlib.crc32(log)], **sources}


def _without_log(key: Any) -> dict[str, Any]:
    return {part: value for part, value in dict(key).items() if part != "log"}


def _sources_key() -> dict[str, Any] | None:
    """The part of the key that is not the log: the catalogue, the rules, the time zone."""
    root = content_root()
    try:
        catalogue = list(manifests_stamp(root))
    except OSError:
        return None
    here = Path(__file__).parent
    code = [os.stat(here / name) for name in _RULE_SOURCES]
    return {
        "content": str(root),
        "catalogue": catalogue,
        "code": [zlib.crc32(repr([(s.st_size, s.st_mtime_ns) for s in code]).encode())],
        "tz": [list(time.tzname), time.timezone, time.altzone, os.environ.get("TZ")],
    }


def _snapshot_path(home: Path) -> Path:
    return home / SNAPSHOT_FILE


def _read_snapshot(home: Path) -> dict[str, Any] | None:
    """The snapshot beside the log, when there is one this sandbox can read."""
    try:
        snapshot = json.loads(_snapshot_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        return None
    return snapshot if "key" in snapshot else None


def _from_snapshot(home: Path, snapshot: dict[str, Any], today: date) -> dict[str, Any] | None:
    """The stored summary brought up to ``today``; None when it cannot be."""
    try:
        if date.fromisoformat(snapshot["made_on"]) > today:
            return None  # the clock went back: replay
        last_day, days, freezes = snapshot["run"]
        run = Run(date.fromisoformat(last_day) if last_day else None, int(days), int(freezes))
        for later in snapshot["later_days"]:
            day = date.fromisoformat(later)
            if day <= today:
                run.add(day)
        data: dict[str, Any] = dict(snapshot["status"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    data["data_home"] = str(home)
    data["streak_days"], data["streak_freezes"], _ = run.on(today)
    return data


def _write_snapshot(
    home: Path,
    key: dict[str, Any],
    today: date,
    engine: GameEngine,
    data: dict[str, Any],
    resume: dict[str, Any] | None,
) -> None:
    from sandbox.progress import atomic_write_text

    run = engine.streak_run(today)
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "key": key,
        "made_on": today.isoformat(),
        "run": [run.last_day.isoformat() if run.last_day else None, run.days, run.freezes],
        "later_days": sorted(d.isoformat() for d in engine.active_days() if d > today),
        "status": data,
        "resume": resume,
    }
    # A read-only data home is no error: status still works, it only replays every time.
    with contextlib.suppress(OSError, StorageError):
        text = json.dumps(snapshot, ensure_ascii=False) + "\n"
        atomic_write_text(_snapshot_path(home), text, durable=False)  # rebuilt when lost

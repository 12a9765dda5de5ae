"""Moving progress between machines and profiles, and sharing earned badges.

Export
------
``export_document`` (``format = "data-science-sandbox-export"``, ``format_version`` 1) is
the whole event log plus the learner's name: portable, because everything else is derived
from events. ``export_archive`` (``sandbox export --with-notebooks``) writes a zip holding
that document as ``export.json``, the learner's workspace notebooks as
``workspace/level_N/<id>.ipynb`` and ``manifest.json``::

    {"format": "data-science-sandbox-archive", "format_version": 1,
     "files": {"export.json": "<sha256 hex>", "workspace/level_1/alpha.ipynb": "<sha256 hex>"}}

Import: claims, not proof
-------------------------
An import file is read whole and judged before anything changes (:func:`load_import`):
at most ``MAX_IMPORT_BYTES`` and ``MAX_IMPORT_EVENTS``; every event as the store reads it,
plus timestamps neither in the future (beyond ``CLOCK_SKEW``) nor before the sandbox
existed, challenge and task ids that exist in this catalogue, and a valid learner name;
in an archive, only the expected members, each matching its SHA-256 in the manifest. Any
problem rejects the whole file with a :class:`~sandbox.errors.TransferError` that lists
them; nothing is written.

:func:`apply_import` then restores into an empty profile, or, with ``force``, backs up and
merges by id (importing the same file twice changes nothing). Events are appended to the
log marked ``"imported": true``. An imported ``verified`` event earns nothing
(:func:`sandbox.game.countable_events`): the challenges the export shows as verified are
*claims*. When the archive carries their notebooks, :func:`reverify` runs a clean
verification of each (several at a time); a pass records a fresh ``verified`` event here,
which earns as usual. The rest stay "imported, not re-verified" until ``sandbox check``.

Earned badges can also be written as Open Badges 3.0–shaped ``OpenBadgeCredential``
documents. They are **unsigned** (no ``proof``): a local sandbox has no issuer key,
so they describe an achievement for a portfolio, not a verifiable credential, and
say so in their description.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox import workspace
from sandbox.catalogue import Catalogue
from sandbox.errors import RefusedError, SandboxError, TransferError, UsageError
from sandbox.files import atomic_write_bytes, atomic_write_text, storage_error
from sandbox.game import ChallengeState, GameEngine
from sandbox.learner import Learner
from sandbox.progress import (
    FORMAT_VERSION,
    MAX_NAME_CHARS,
    Event,
    InvalidDocument,
    decode_json,
    implausible_time,
    learner_name_problem,
    parse_event,
    shown,
)

if TYPE_CHECKING:
    from sandbox.grading.verify import VerificationResult

EXPORT_FORMAT = "data-science-sandbox-export"
EXPORT_VERSION = 1
ARCHIVE_FORMAT = "data-science-sandbox-archive"
ARCHIVE_VERSION = 1
EXPORT_MEMBER = "export.json"
MANIFEST_MEMBER = "manifest.json"
# Caps on what an import may cost. An honest export of the whole catalogue is a few hundred
# events and well under 1 MB of log; notebooks are rarely above a few MB each.
MAX_IMPORT_BYTES = 16 * 1024 * 1024
MAX_IMPORT_EVENTS = 50_000
MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_BYTES = 128 * 1024 * 1024
MAX_LISTED_PROBLEMS = 10
_MEMBER_RE = re.compile(r"workspace/level_([0-9]{1,3})/([a-z0-9-]{1,100})\.ipynb")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
# A stable namespace, so the same badge earned by the same profile always gets the same ids.
_BADGE_NAMESPACE = uuid.UUID("6f0d3c3e-9a52-4d4b-8f0e-5d1f4a4f7c21")
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def export_document(learner: Learner) -> dict[str, Any]:
    """The whole event log and the learner's name, as a portable JSON document."""
    progress = learner.progress()
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "progress": {
            "format_version": FORMAT_VERSION,
            "learner": {"name": progress.learner_name},
            "events": [e.to_json() for e in progress.events],
        },
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ArchiveSummary:
    """What ``export_archive`` wrote."""

    path: Path
    events: int
    notebooks: tuple[str, ...]


def export_archive(learner: Learner, path: Path) -> ArchiveSummary:
    """Write the export with the learner's workspace notebooks and a SHA-256 manifest (a zip)."""
    document = export_document(learner)
    members: dict[str, bytes] = {
        EXPORT_MEMBER: (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    }
    notebooks = []
    for challenge in learner.catalogue:
        source = workspace.notebook_path(learner.home, challenge)
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise storage_error(source, exc, "read") from None
        members[source.relative_to(learner.home).as_posix()] = data
        notebooks.append(challenge.id)
    manifest = {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_VERSION,
        "files": {name: _sha256(data) for name, data in members.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=2) + "\n")
        for name, data in members.items():
            archive.writestr(name, data)
    atomic_write_bytes(path, buffer.getvalue())
    return ArchiveSummary(path, len(document["progress"]["events"]), tuple(notebooks))


# -- reading an import ----------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A judged import file: events to merge, the name, and notebooks by challenge id."""

    source: Path
    events: tuple[Event, ...]
    learner_name: str | None
    notebooks: dict[str, bytes] = field(default_factory=dict)


def _rejected(source: Path, problems: Sequence[str]) -> TransferError:
    listed = list(problems[:MAX_LISTED_PROBLEMS])
    if len(problems) > MAX_LISTED_PROBLEMS:
        listed.append(f"and {len(problems) - MAX_LISTED_PROBLEMS} more")
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return TransferError(
        f"The import file {source} was not imported (nothing changed): {count}: "
        f"{'; '.join(listed)}. Export again with `sandbox export` on the machine it came from; "
        "an export is not meant to be edited."
    )


def _unreadable(source: Path, problem: str) -> TransferError:
    return TransferError(
        f"{source} is not a readable sandbox export: {problem}. Nothing was imported. "
        "Use a file written by `sandbox export` (JSON, or a zip with --with-notebooks)."
    )


def _too_large(source: Path, what: str) -> TransferError:
    return TransferError(
        f"{source} is too large to import: {what}. An import holds at most "
        f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB and {MAX_IMPORT_EVENTS:,} events (notebooks at "
        f"most {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB each). Nothing was imported."
    )


def load_import(source: Path, catalogue: Catalogue, now: datetime | None = None) -> Incoming:
    """Read and judge an export (JSON or zip); TransferError lists everything wrong with it."""
    source = Path(source)
    try:
        with source.open("rb") as fh:
            data = fh.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{source} does not exist.") from None
    except OSError as exc:
        raise TransferError(
            f"Cannot read {source}: {exc.strerror or type(exc).__name__}. Nothing was imported."
        ) from None
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(source, f"it is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    notebooks: dict[str, bytes] = {}
    if data[:4] == b"PK\x03\x04":
        export_bytes, notebooks = _read_archive(source, data, catalogue)
    else:
        export_bytes = data
    try:
        document = decode_json(export_bytes)
    except InvalidDocument as exc:
        raise _unreadable(source, str(exc)) from None
    events, name = _judge_export(source, document, catalogue, now or datetime.now(UTC))
    return Incoming(source, events, name, notebooks)


def _read_archive(
    source: Path, data: bytes, catalogue: Catalogue
) -> tuple[bytes, dict[str, bytes]]:
    """The export document's bytes and the notebooks, after checking members and hashes."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if len(names) > len(catalogue.challenges) + 2 or len(set(names)) != len(names):
                raise _unreadable(source, "the zip holds more or other files than an export")
            if MANIFEST_MEMBER not in names or EXPORT_MEMBER not in names:
                raise _unreadable(source, f"the zip lacks {MANIFEST_MEMBER} or {EXPORT_MEMBER}")
            budget = {"left": MAX_ARCHIVE_BYTES}

            def read(name: str, cap: int) -> bytes:
                with archive.open(name) as member:
                    content = member.read(cap + 1)
                if len(content) > cap or len(content) > budget["left"]:
                    raise _too_large(
                        source, f"{name} unpacks to more than {cap // (1024 * 1024)} MB"
                    )
                budget["left"] -= len(content)
                return content

            try:
                manifest = decode_json(read(MANIFEST_MEMBER, 1024 * 1024))
            except InvalidDocument as exc:
                raise _unreadable(source, f"{MANIFEST_MEMBER}: {exc}") from None
            hashes = _manifest_hashes(source, manifest)
            members = {name for name in names if name != MANIFEST_MEMBER}
            if set(hashes) != members:
                problems.append(
                    f"{MANIFEST_MEMBER} lists {sorted(hashes)} but the zip holds {sorted(members)}"
                )
            export_bytes = b""
            notebooks: dict[str, bytes] = {}
            for name in sorted(members):
                if name == EXPORT_MEMBER:
                    content = read(name, MAX_IMPORT_BYTES)
                    export_bytes = content
                else:
                    challenge_id = _notebook_member(name, catalogue)
                    if challenge_id is None:
                        problems.append(f"{shown(name, 80)} is not a notebook of this catalogue")
                        continue
                    content = read(name, MAX_NOTEBOOK_BYTES)
                    problem = _notebook_problem(content)
                    if problem:
                        problems.append(f"{name} {problem}")
                    notebooks[challenge_id] = content
                if name in hashes and _sha256(content) != hashes[name]:
                    problems.append(
                        f"{name} does not match its SHA-256 in {MANIFEST_MEMBER} "
                        "(changed after the export, or damaged)"
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _unreadable(
            source, f"the zip is damaged or uses an unsupported feature ({exc})"
        ) from None
    if problems:
        raise _rejected(source, problems)
    return export_bytes, notebooks


def _manifest_hashes(source: Path, manifest: Any) -> dict[str, str]:
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != ARCHIVE_FORMAT
        or manifest.get("format_version") != ARCHIVE_VERSION
        or not isinstance(manifest.get("files"), dict)
    ):
        raise _unreadable(source, f"{MANIFEST_MEMBER} is not a sandbox archive manifest")
    files: dict[str, Any] = manifest["files"]
    if not all(isinstance(v, str) and _SHA256_RE.fullmatch(v) for v in files.values()):
        raise _unreadable(source, f"{MANIFEST_MEMBER} holds something other than SHA-256 hashes")
    return {str(k): str(v) for k, v in files.items()}


def _notebook_member(name: str, catalogue: Catalogue) -> str | None:
    """The challenge id of ``workspace/level_N/<id>.ipynb``, when it is one of this catalogue."""
    match = _MEMBER_RE.fullmatch(name)
    if not match:
        return None
    challenge = catalogue.challenges.get(match.group(2))
    if challenge is None or challenge.level != int(match.group(1)):
        return None
    return challenge.id


def _notebook_problem(content: bytes) -> str | None:
    try:
        notebook = decode_json(content)
    except InvalidDocument as exc:
        return f"is not a notebook: {exc}"
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return "is not a Jupyter notebook (no list of cells)"
    return None


def _judge_export(
    source: Path, document: Any, catalogue: Catalogue, now: datetime
) -> tuple[tuple[Event, ...], str | None]:
    """The export's events and learner name; TransferError listing every problem."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise _unreadable(source, "it is not a sandbox export (made by `sandbox export`)")
    if document.get("format_version") != EXPORT_VERSION:
        raise _unreadable(
            source,
            f"export format_version is {shown(document.get('format_version'))}; this sandbox "
            f"reads {EXPORT_VERSION}",
        )
    progress = document.get("progress")
    if not isinstance(progress, dict) or progress.get("format_version") != FORMAT_VERSION:
        raise _unreadable(source, f"its 'progress' is not a format_version {FORMAT_VERSION} log")
    raw_events = progress.get("events")
    if not isinstance(raw_events, list):
        raise _unreadable(source, "its 'progress.events' is missing or not a list")
    if len(raw_events) > MAX_IMPORT_EVENTS:
        raise _too_large(source, f"it holds {len(raw_events):,} events")
    problems: list[str] = []
    learner = progress.get("learner", {})
    name = learner.get("name") if isinstance(learner, dict) else None
    if not isinstance(learner, dict):
        problems.append("'progress.learner' is not an object")
    elif learner_name_problem(name):
        problems.append(f"{learner_name_problem(name)} (names are at most {MAX_NAME_CHARS})")
    events: list[Event] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_events):
        try:
            event = parse_event(raw)
        except InvalidDocument as exc:
            problems.append(f"event {index}: {exc}")
            continue
        label = f"event {index} ({event.kind}{' ' + event.challenge if event.challenge else ''})"
        for problem in _claim_problems(event, catalogue, now):
            problems.append(f"{label}: {problem}")
        if event.id in seen:
            problems.append(f"{label} repeats the id of event {seen[event.id]}")
        seen[event.id] = index
        events.append(event)
    if problems:
        raise _rejected(source, problems)
    return tuple(events), name


def _claim_problems(event: Event, catalogue: Catalogue, now: datetime) -> list[str]:
    problems = []
    when = implausible_time(event.ts, now)
    if when:
        problems.append(when)
    if event.kind == "reset":
        targets = event.details.get("challenges") or []
        unknown = [t for t in targets if t not in catalogue.challenges]
        if unknown:
            problems.append(f"resets challenges that do not exist: {shown(unknown, 80)}")
        return problems
    challenge = catalogue.challenges.get(event.challenge or "")
    if challenge is None:
        problems.append(
            "it names no challenge"
            if event.challenge is None
            else f"challenge {event.challenge!r} does not exist here"
        )
    elif event.task is not None and event.task not in {t.id for t in challenge.tasks}:
        problems.append(f"challenge {challenge.id!r} has no task {event.task!r}")
    return problems


# -- applying an import ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What ``apply_import`` changed."""

    added: int
    backup: Path | None
    notebooks_written: tuple[str, ...]
    notebook_backups: tuple[Path, ...]


def apply_import(learner: Learner, incoming: Incoming, force: bool = False) -> ImportResult:
    """Put the notebooks in the workspace and append the events (marked imported).

    Into a profile with events only with ``force``; the store is backed up first, and a
    workspace notebook that would be replaced by a different one is backed up too.
    """
    current = learner.progress()
    if current.events and not force:
        raise RefusedError(
            f"The profile at {learner.home} already has {len(current.events)} events. Import into an empty "
            "profile (`--profile NEW`), or pass --force to merge (a backup is taken first)."
        )
    backup = learner.store.backup("before-import")
    written, notebook_backups = [], []
    for challenge_id, content in incoming.notebooks.items():
        challenge = learner.catalogue.get(challenge_id)
        target = workspace.notebook_path(learner.home, challenge)
        try:
            if target.read_bytes() == content:
                continue
            saved = workspace.backup_notebook(learner.home, challenge)
            if saved is not None:
                notebook_backups.append(saved)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise storage_error(target, exc, "read") from None
        atomic_write_bytes(target, content)
        written.append(challenge_id)
    known = {e.id for e in current.events}
    added = [e for e in incoming.events if e.id not in known]
    learner.store.merge_events(
        added, learner_name=incoming.learner_name if current.learner_name is None else None
    )
    return ImportResult(len(added), backup, tuple(written), tuple(notebook_backups))


def claimed_verified(catalogue: Catalogue, events: Sequence[Event]) -> list[str]:
    """The challenges an export shows as verified where it was made (its claims)."""
    if not any(e.kind == "verified" for e in events):
        return []  # no claim: spare a replay of the whole log
    engine = GameEngine(catalogue, events)
    return [s.challenge.id for s in engine.statuses() if s.state is ChallengeState.VERIFIED]


def unconfirmed(engine: GameEngine, claims: Sequence[str]) -> list[str]:
    """The claimed challenges that ``engine`` (the learner here) does not show as verified."""
    return [cid for cid in claims if engine.status(cid).state is not ChallengeState.VERIFIED]


def imported_not_reverified(learner: Learner) -> list[str]:
    """Challenges with an imported ``verified`` event that are not verified here."""
    events = learner.progress().events
    engine = GameEngine(learner.catalogue, events)
    claimed = {e.challenge for e in events if e.kind == "verified" and e.imported}
    return [
        c.id
        for c in learner.catalogue
        if c.id in claimed and engine.status(c.id).state is not ChallengeState.VERIFIED
    ]


def reverify_workers(count: int) -> int:
    """Clean verifications to run at once: one per core, at most ``count``."""
    return max(1, min(count, os.cpu_count() or 1))


def reverify(
    learner: Learner,
    challenge_ids: Sequence[str],
    timeout: float,
    workers: int | None = None,
    on_done: Callable[[str, VerificationResult | None, str | None], None] | None = None,
) -> dict[str, bool]:
    """Clean-verify each challenge's workspace notebook, several at a time; pass/fail by id.

    Each pass records a fresh ``verified`` event here (that is what earns). ``on_done`` is
    called as each one finishes, with its result or the error that stopped it.
    """
    from sandbox.grading.verify import verify

    outcome: dict[str, bool] = {}
    if not challenge_ids:
        return outcome
    with ThreadPoolExecutor(max_workers=workers or reverify_workers(len(challenge_ids))) as pool:
        futures = {pool.submit(verify, learner, cid, timeout=timeout): cid for cid in challenge_ids}
        for future in as_completed(futures):
            challenge_id = futures[future]
            try:
                result = future.result()
            except (SandboxError, OSError) as exc:
                outcome[challenge_id] = False
                if on_done:
                    on_done(challenge_id, None, str(exc))
                continue
            outcome[challenge_id] = result.passed
            if on_done:
                on_done(challenge_id, result, None)
    return outcome


def _credential_id(learner: Learner, badge_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_BADGE_NAMESPACE, f'{learner.home}/{badge_id}')}"


def open_badges(learner: Learner, engine: GameEngine) -> list[dict[str, Any]]:
    """One unsigned OpenBadgeCredential per earned badge."""
    name = learner.progress().learner_name or "Data Science Sandbox learner"
    issuer = {
        "id": f"urn:uuid:{uuid.uuid5(_BADGE_NAMESPACE, str(learner.home))}",
        "type": ["Profile"],
        "name": "Data Science Sandbox (local, unsigned)",
    }
    credentials = []
    for status in engine.earned_badges():
        badge = status.badge
        earned = (
            (status.earned_at or datetime.now(UTC))
            .astimezone(UTC)
            .isoformat()
            .replace("+00:00", "Z")
        )
        credentials.append(
            {
                "@context": OB3_CONTEXT,
                "id": _credential_id(learner, badge.id),
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "name": f"{badge.name} — Data Science Sandbox",
                "description": (
                    f"{badge.description} Earned by {name} in a local Data Science Sandbox. "
                    "UNSIGNED: this document carries no proof and cannot be verified cryptographically."
                ),
                "issuer": issuer,
                "validFrom": earned,
                "issuanceDate": earned,
                "awardedDate": earned,
                "credentialSubject": {
                    "type": ["AchievementSubject"],
                    "achievement": {
                        "id": f"urn:data-science-sandbox:badge:{badge.id}",
                        "type": ["Achievement"],
                        "name": badge.name,
                        "description": badge.description,
                        "criteria": {"narrative": _criteria(engine, badge.rule.kind, badge.rule)},
                    },
                },
            }
        )
    return credentials


def _criteria(engine: GameEngine, kind: str, rule: Any) -> str:
    if kind == "verified_count":
        return f"Verify {rule.count} challenge(s) by clean re-execution of the notebook in a fresh kernel."
    if kind == "level_complete":
        return f"Verify every challenge of level {rule.level} ({engine.catalogue.level(rule.level).name})."
    if kind == "tag_complete":
        return f"Verify every challenge tagged '{rule.tag}'."
    if kind == "no_help_count":
        return f"Verify {rule.count} challenge(s) without using hints or solutions."
    if kind == "streak_days":
        return f"Make verified progress on {rule.days} consecutive days."
    return f"Earn {rule.xp} XP from verified challenges."


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON all at once (StorageError, never a partial file)."""
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

"""Moving progress between machines and profiles, and sharing earned badges.

Export (``format = "data-science-sandbox-export"``, ``format_version`` 1) is the
whole event log plus the learner's name: portable, because everything else is
derived from events. Import restores it into an empty profile; into a non-empty
one only with ``force``, which backs up first and merges events by id, so
importing the same file twice changes nothing.

Earned badges can also be written as Open Badges 3.0–shaped ``OpenBadgeCredential``
documents. They are **unsigned** (no ``proof``): a local sandbox has no issuer key,
so they describe an achievement for a portfolio, not a verifiable credential, and
say so in their description.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.errors import UsageError
from sandbox.game import GameEngine
from sandbox.learner import Learner
from sandbox.progress import FORMAT_VERSION, Document, parse_document

EXPORT_FORMAT = "data-science-sandbox-export"
EXPORT_VERSION = 1
# A stable namespace, so the same badge earned by the same profile always gets the same ids.
_BADGE_NAMESPACE = uuid.UUID("6f0d3c3e-9a52-4d4b-8f0e-5d1f4a4f7c21")
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def export_document(learner: Learner) -> dict[str, Any]:
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


def import_document(
    learner: Learner, data: Any, source: Path, force: bool = False
) -> tuple[int, Path | None]:
    """Restore an export into ``learner``'s store; return (events added, backup path)."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UsageError(
            f"{source} is not a sandbox export (made by `sandbox export --format json`)."
        )
    if data.get("format_version") != EXPORT_VERSION:
        raise UsageError(
            f"{source} has export format_version {data.get('format_version')!r}; this sandbox reads {EXPORT_VERSION}."
        )
    incoming_doc: Document = data.get("progress")  # type: ignore[assignment]
    incoming = parse_document(source, incoming_doc)  # validates every event; raises naming the file
    current = learner.progress()
    if current.events and not force:
        raise UsageError(
            f"The profile at {learner.home} already has {len(current.events)} events. Import into an empty "
            "profile (`--profile NEW`), or pass --force to merge (a backup is taken first)."
        )
    backup = learner.store.backup("before-import")
    known = {e.id for e in current.events}
    added = [e for e in incoming.events if e.id not in known]
    learner.store.merge_events(
        added, learner_name=incoming.learner_name if current.learner_name is None else None
    )
    return len(added), backup


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
    from sandbox.progress import atomic_write_text

    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

"""Plain summaries of the learner's events and challenge states, for the dashboard's pages.

Pure functions over :class:`~sandbox.game.GameEngine` data: no Streamlit and no
I/O, so what a page shows can be checked against the store in tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sandbox.catalogue import Catalogue
from sandbox.game import ChallengeState, GameEngine, local_day
from sandbox.progress import Event


@dataclass(frozen=True)
class Completion:
    """How many of a group of challenges (a level, a tag) are verified."""

    label: str
    verified: int
    total: int


def local_time(ts: datetime, tz: tzinfo | None = None) -> str:
    return ts.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def xp_gains(engine: GameEngine) -> dict[tuple[datetime, str | None], int]:
    """XP each verification added (or a reset took back), keyed by the event's time and challenge."""
    gains: dict[tuple[datetime, str | None], int] = {}
    previous = 0
    for point in engine.xp_history():
        gains[(point.ts, point.challenge)] = point.xp - previous
        previous = point.xp
    return gains


def describe_event(event: Event, catalogue: Catalogue, xp_gain: int | None = None) -> str:
    """One line of recent activity, written for the learner."""
    challenge = catalogue.challenges.get(event.challenge or "")
    title = f"**{challenge.title}**" if challenge else f"`{event.challenge}`"
    task = f" {event.task}" if event.task else ""
    if event.kind == "opened":
        return f"Opened {title}"
    if event.kind == "checked":
        outcome = str(event.details.get("outcome", "")).replace("_", " ").lower()
        how = "Verified run of" if event.details.get("source") == "verify" else "Checked"
        return f"{how} {title}{task}: {outcome}"
    if event.kind == "hint":
        index = event.details.get("index")
        number = f" {index + 1}" if isinstance(index, int) else ""
        return f"Hint{number} for {title}{task}"
    if event.kind == "solution":
        return f"Revealed the solution of {title}{task}"
    if event.kind == "verified":
        gained = f" (+{xp_gain} XP)" if xp_gain else ""
        return f"Verified {title}{gained}"
    if event.kind == "reset":
        scope = event.details.get("scope")
        if scope == "all":
            return "Reset all progress"
        targets = event.details.get("challenges") or []
        names = ", ".join(
            catalogue.challenges[c].title if c in catalogue.challenges else str(c) for c in targets
        )
        return f"Reset {names}" if names else "Reset"
    return f"{event.kind} {title}{task}"


def recent_events(events: Sequence[Event], limit: int) -> list[Event]:
    """The newest ``limit`` events, newest first."""
    return sorted(events, key=lambda e: e.ts, reverse=True)[:limit]


def events_per_day(events: Iterable[Event], tz: tzinfo | None) -> Counter[date]:
    """How many events the learner recorded on each local calendar day."""
    return Counter(local_day(event.ts, tz) for event in events)


def completion_by_level(engine: GameEngine) -> list[Completion]:
    """Verified versus all challenges, per level, in level order."""
    statuses = engine.statuses()
    rows = []
    for level in engine.catalogue.levels:
        in_level = [s for s in statuses if s.challenge.level == level.number]
        verified = sum(1 for s in in_level if s.state is ChallengeState.VERIFIED)
        rows.append(Completion(f"Level {level.number} · {level.name}", verified, len(in_level)))
    return rows


def completion_by_tag(engine: GameEngine) -> list[Completion]:
    """Verified versus all challenges, per skill tag, most challenges first."""
    verified: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for status in engine.statuses():
        for tag in status.challenge.tags:
            total[tag] += 1
            if status.state is ChallengeState.VERIFIED:
                verified[tag] += 1
    ordered = sorted(total, key=lambda tag: (-total[tag], tag))
    return [Completion(tag, verified[tag], total[tag]) for tag in ordered]

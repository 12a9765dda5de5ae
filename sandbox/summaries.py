"""Plain summaries of the learner's events and challenge states, for the dashboard's pages.

Pure functions over :class:`~sandbox.game.GameEngine` data: no Streamlit and no
I/O, so what a page shows can be checked against the store in tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from sandbox.catalogue import Catalogue, Challenge, Level
from sandbox.game import BadgeStatus, ChallengeState, ChallengeStatus, GameEngine, local_day
from sandbox.progress import Event

#: How a task's latest outcome is shown at every door: passes, does not pass (a failed check
#: or code that raised), not yet (never checked, or its ``____`` still there).
TASK_MARKS = {"PASS": "✓", "FAIL": "✗", "ERROR": "✗"}
NOT_YET_MARK = "○"


def task_mark(outcome: str | None) -> str:
    """✓, ✗ or ○ for a task's latest outcome (None: never checked)."""
    return TASK_MARKS.get(outcome or "", NOT_YET_MARK)


def task_marks(challenge: Challenge, outcomes: Mapping[str, str]) -> list[tuple[str, str]]:
    """(task id, mark) for every task of ``challenge``, in order, from its latest outcomes."""
    return [(task.id, task_mark(outcomes.get(task.id))) for task in challenge.tasks]


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
        if event.details.get("source") == "verify":
            tasks = event.details.get("tasks")
            failing = (
                [t for t, outcome in tasks.items() if outcome != "PASS"]
                if isinstance(tasks, dict)
                else []
            )
            which = f" ({', '.join(failing)} to fix)" if failing else ""
            return f"Verification of {title} did not pass{which}"
        outcome = str(event.details.get("outcome", "")).replace("_", " ").lower()
        return f"Checked {title}{task}: {outcome}"
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


def is_inline_check(event: Event) -> bool:
    return event.kind == "checked" and event.details.get("source") != "verify"


def recent_events(events: Sequence[Event], limit: int, include_inline: bool = False) -> list[Event]:
    """The newest ``limit`` events worth a line, newest first: one per verification (a passing
    run's ``checked`` event is left out, its ``verified`` event says it) and, unless
    ``include_inline``, no inline checks."""

    def shown(event: Event) -> bool:
        if event.kind != "checked":
            return True
        if event.details.get("source") == "verify":
            return event.details.get("outcome") != "PASS"
        return include_inline

    return sorted((e for e in events if shown(e)), key=lambda e: e.ts, reverse=True)[:limit]


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


def nearest_badge(engine: GameEngine) -> BadgeStatus | None:
    """The badge not yet earned that is closest: the largest share done, then the fewest
    steps left (catalogue order breaks ties); None when every badge is earned."""
    locked = [b for b in engine.badges() if not b.earned and b.target > 0]
    if not locked:
        return None
    return max(locked, key=lambda b: (b.current / b.target, -(b.target - b.current)))


def streak_nudge(engine: GameEngine) -> str | None:
    """A line that keeps the learner going: how to keep the streak today, or a friendly
    restart after a lapse; None for a learner with no active day yet or one active today."""
    active = engine.active_days()
    if not active:
        return None
    streak = engine.streak()
    if streak.active_today:
        return None
    if streak.days == 0:
        last = max(active)
        ago = (engine.today - last).days
        when = "yesterday" if ago == 1 else f"{ago} days ago"
        return (
            f"Welcome back! Your last active day was {when}. A passed check or a verified "
            "challenge today starts a new streak."
        )
    return (
        f"Keep your {streak.days}-day streak going: a passed check or a verified challenge "
        "today counts."
    )


@dataclass(frozen=True)
class LevelPath:
    """One level of the learning path as the Challenges page groups it."""

    level: Level
    statuses: tuple[ChallengeStatus, ...]
    verified: int
    xp_earned: int
    finished: bool  # every challenge verified: shown as one summary line
    current: bool  # where the learner works now: shown open


def learning_path(engine: GameEngine) -> list[LevelPath]:
    """The levels in order with their challenges' states. The current level is the learner's
    level and the level of the challenge to continue (unless finished); when neither is
    open, the first unfinished level."""
    statuses = engine.statuses()
    upcoming = engine.next_challenge()
    focus = {engine.level.number} | ({upcoming.level} if upcoming is not None else set())
    rows = []
    for level in engine.catalogue.levels:
        in_level = tuple(s for s in statuses if s.challenge.level == level.number)
        verified = sum(1 for s in in_level if s.state is ChallengeState.VERIFIED)
        finished = bool(in_level) and verified == len(in_level)
        rows.append(
            LevelPath(
                level,
                in_level,
                verified,
                sum(s.xp_awarded for s in in_level),
                finished,
                level.number in focus and not finished,
            )
        )
    if not any(r.current for r in rows):
        first_open = next((i for i, r in enumerate(rows) if not r.finished), None)
        if first_open is not None:
            rows[first_open] = replace(rows[first_open], current=True)
    return rows

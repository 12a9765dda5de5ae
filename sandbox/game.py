"""The game: XP, levels, badges, streaks and challenge states, derived from the event log.

:class:`GameEngine` does no I/O. It replays the learner's events (in time order)
against the catalogue, so every number it gives can be traced back to events.

Rules
-----
XP
    A challenge's XP is awarded on its first ``verified`` event, plus
    ``no_help_bonus_percent`` of it (rounded) when no hint and no solution of
    that challenge was recorded before. Verifying again awards nothing.
Order
    Events are replayed in the order of the log, not by timestamp: clocks can be wrong
    and imported files can claim any date, but the position of an event is where it
    was recorded.
Imported claims
    An imported ``verified`` event (``details.imported``) earns nothing: see
    :func:`countable_events`. Verifying the challenge here records a fresh event that does.
Reset
    A ``reset`` event makes the events before it in the log stop counting for its
    challenges: their XP is withdrawn and they can be earned again (with a fresh bonus).
Level
    The highest catalogue level whose XP threshold the learner's XP reaches.
Challenge state
    ``verified`` once verified; else ``in_progress`` once opened, checked,
    hinted or solved; else ``locked`` while its level is above the learner's
    or a prerequisite is not verified; else ``available``. Locked is advice:
    a learner may still open and verify a locked challenge.
Badges
    Re-evaluated after every event; ``earned_at`` is when the rule last became
    true. A reset that makes a rule false takes the badge back until it is
    earned again.
Streak
    A local calendar day is *active* when it has a ``verified`` event or a
    ``checked`` event whose outcome is PASS (inline or in verification), so a
    day of honest progress on a long challenge counts. The streak is the number
    of active days in the current run. Today not being active yet does not
    break it. A streak badge counts the best run so far. Freezes: every 7th active day of a run earns one freeze (holding
    at most ``MAX_FREEZES``); a missed day spends one instead of breaking the
    run. Frozen days keep the run alive but do not add to it. Resets do not
    change the streak: they undo challenges, not days of work.
Own-data lab
    ``own_data`` events earn no XP and do not make a day active. The ``own_data_*`` badge
    rules count distinct datasets: profiled; validated with no failure; with a baseline
    model logged to MLflow (see :func:`own_data_progress`). Resets leave them: they undo
    challenges, not lab work.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from sandbox.catalogue import Badge, BadgeRule, Catalogue, Challenge, Level
from sandbox.progress import Event

FREEZE_EVERY_DAYS = 7
MAX_FREEZES = 2
_PASS = "PASS"


#: Badge rule kind → the own-data action it counts.
OWN_DATA_RULES = {
    "own_data_profiled": "profiled",
    "own_data_validated": "validated",
    "own_data_baseline": "baseline",
}


def record_own_data(records: dict[str, set[str]], event: Event) -> None:
    """Note an ``own_data`` event: which dataset reached which step (a failed validation
    or a baseline without a logged run counts for nothing)."""
    action, dataset = event.details.get("action"), event.details.get("dataset")
    if not isinstance(action, str) or not isinstance(dataset, str):
        return
    if action == "validated" and event.details.get("passed") is not True:
        return
    if action == "baseline" and not event.details.get("run_ids"):
        return
    records.setdefault(action, set()).add(dataset)


def own_data_progress(records: dict[str, set[str]], rule: BadgeRule) -> tuple[int, int]:
    """(datasets so far, datasets needed) for an ``own_data_*`` badge rule."""
    return len(records.get(OWN_DATA_RULES[rule.kind], set())), rule.count or 0


class ChallengeState(enum.StrEnum):
    LOCKED = "locked"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    VERIFIED = "verified"


@dataclass
class _ChallengeRecord:
    """Per-challenge facts since its last reset (mutable only during replay)."""

    touched: bool = False
    hints: int = 0
    solutions: int = 0
    verified_at: datetime | None = None
    xp_awarded: int = 0
    no_help: bool = False


@dataclass(frozen=True)
class ChallengeStatus:
    challenge: Challenge
    state: ChallengeState
    verified_at: datetime | None
    xp_awarded: int
    hints_used: int
    solutions_used: int


@dataclass(frozen=True)
class BadgeStatus:
    badge: Badge
    earned_at: datetime | None
    current: int
    target: int

    @property
    def earned(self) -> bool:
        return self.earned_at is not None


@dataclass(frozen=True)
class Streak:
    days: int
    freezes_left: int
    active_today: bool


@dataclass(frozen=True)
class XpPoint:
    """The XP total right after an event that changed it."""

    ts: datetime
    xp: int
    challenge: str | None
    kind: str


def compute_streak(active_days: Iterable[date], today: date) -> Streak:
    """The streak on ``today`` given the set of active local days (see module rules).

    Steps from active day to active day and treats each gap as a whole, so the cost
    follows the number of active days, never the calendar span since the oldest one.
    """
    days = sorted(d for d in set(active_days) if d <= today)
    if not days:
        return Streak(0, 0, False)
    run, freezes = 0, 0
    previous: date | None = None
    for day in days:
        if previous is not None:
            run, freezes = _after_missed_days((day - previous).days - 1, run, freezes)
        run += 1
        if run % FREEZE_EVERY_DAYS == 0:
            freezes = min(freezes + 1, MAX_FREEZES)
        previous = day
    # Days missed since the last active one; today itself may still become active.
    run, freezes = _after_missed_days(max((today - days[-1]).days - 1, 0), run, freezes)
    return Streak(run, freezes, days[-1] == today)


def _after_missed_days(missed: int, run: int, freezes: int) -> tuple[int, int]:
    """Each missed day spends a freeze; one missed day without a freeze ends the run."""
    if missed <= freezes:
        return run, freezes - missed
    return 0, 0


def countable_events(events: Iterable[Event]) -> list[Event]:
    """The events the game counts, in log order: imported ``verified`` events are left out.

    An import is a claim made elsewhere; only a verification run here proves the work.
    """
    return [e for e in events if not (e.kind == "verified" and e.imported)]


@dataclass
class _Replay:
    records: dict[str, _ChallengeRecord] = field(default_factory=dict)
    active_days: set[date] = field(default_factory=set)
    xp: int = 0
    history: list[XpPoint] = field(default_factory=list)
    earned: dict[str, datetime] = field(default_factory=dict)
    best_streak: int = 0
    own_data: dict[str, set[str]] = field(default_factory=dict)  # action → datasets


class GameEngine:
    """Everything the game shows, derived from a catalogue and an event log."""

    def __init__(
        self,
        catalogue: Catalogue,
        events: Sequence[Event],
        tz: tzinfo | None = None,
        today: date | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.events = tuple(countable_events(events))
        self.tz = tz
        self._today = today
        self._replay = self._run()

    # -- replay ------------------------------------------------------------------------------

    def _local_day(self, ts: datetime) -> date:
        return ts.astimezone(self.tz).date()

    @property
    def today(self) -> date:
        return self._today or datetime.now(self.tz).astimezone(self.tz).date()

    def _run(self) -> _Replay:
        state = _Replay()
        for event in self.events:
            changed_xp = self._apply(state, event)
            if changed_xp:
                state.history.append(XpPoint(event.ts, state.xp, event.challenge, event.kind))
            streak_then = compute_streak(state.active_days, self._local_day(event.ts)).days
            state.best_streak = max(state.best_streak, streak_then)
            self._evaluate_badges(state, event)
        return state

    def _apply(self, state: _Replay, event: Event) -> bool:
        """Apply one event; return whether the XP total changed."""
        if event.kind == "own_data":
            record_own_data(state.own_data, event)
            return False
        if event.kind == "reset":
            ids = event.details.get("challenges")
            targets = list(state.records) if ids is None else [i for i in ids if isinstance(i, str)]
            withdrawn = sum(state.records[i].xp_awarded for i in targets if i in state.records)
            for challenge_id in targets:
                state.records.pop(challenge_id, None)
            state.xp -= withdrawn
            return withdrawn != 0
        if event.kind == "checked" and event.details.get("outcome") == _PASS:
            state.active_days.add(self._local_day(event.ts))
        if event.challenge is None or event.challenge not in self.catalogue.challenges:
            return False  # events of challenges since removed from the catalogue earn nothing
        record = state.records.setdefault(event.challenge, _ChallengeRecord())
        record.touched = True
        if event.kind == "hint":
            record.hints += 1
        elif event.kind == "solution":
            record.solutions += 1
        elif event.kind == "verified":
            state.active_days.add(self._local_day(event.ts))
            if record.verified_at is None:
                challenge = self.catalogue.challenges[event.challenge]
                record.no_help = record.hints == 0 and record.solutions == 0
                bonus = (
                    round(challenge.xp * self.catalogue.no_help_bonus_percent / 100)
                    if record.no_help
                    else 0
                )
                record.verified_at = event.ts
                record.xp_awarded = challenge.xp + bonus
                state.xp += record.xp_awarded
                return True
        return False

    def _rule_progress(self, state: _Replay, rule: BadgeRule) -> tuple[int, int]:
        verified = {cid for cid, r in state.records.items() if r.verified_at is not None}
        if rule.kind == "verified_count":
            return len(verified), rule.count or 0
        if rule.kind == "no_help_count":
            return sum(1 for cid in verified if state.records[cid].no_help), rule.count or 0
        if rule.kind == "level_complete":
            ids = {c.id for c in self.catalogue.in_level(rule.level or 0)}
            return len(ids & verified), len(ids)
        if rule.kind == "tag_complete":
            ids = {c.id for c in self.catalogue.with_tag(rule.tag or "")}
            return len(ids & verified), len(ids)
        if rule.kind == "streak_days":
            # The best run so far: a streak badge, once earned, survives the streak ending.
            return state.best_streak, rule.days or 0
        if rule.kind == "xp_total":
            return state.xp, rule.xp or 0
        if rule.kind in OWN_DATA_RULES:
            return own_data_progress(state.own_data, rule)
        raise AssertionError(
            f"unhandled badge rule kind {rule.kind!r}"
        )  # the catalogue rejects these

    def _evaluate_badges(self, state: _Replay, event: Event) -> None:
        for badge in self.catalogue.badges:
            current, target = self._rule_progress(state, badge.rule)
            holds = target > 0 and current >= target
            if holds and badge.id not in state.earned:
                state.earned[badge.id] = event.ts
            elif not holds and badge.id in state.earned:
                del state.earned[badge.id]

    # -- XP and levels ---------------------------------------------------------------------

    @property
    def xp(self) -> int:
        return self._replay.xp

    @property
    def level(self) -> Level:
        reached = [lv for lv in self.catalogue.levels if lv.xp <= self.xp]
        return reached[-1]

    @property
    def next_level(self) -> Level | None:
        higher = [lv for lv in self.catalogue.levels if lv.xp > self.xp]
        return higher[0] if higher else None

    @property
    def xp_to_next_level(self) -> int | None:
        """XP still needed for the next level; None at the top level."""
        nxt = self.next_level
        return None if nxt is None else nxt.xp - self.xp

    @property
    def level_progress(self) -> float:
        """Fraction of the way from this level's threshold to the next (1.0 at the top)."""
        nxt = self.next_level
        if nxt is None:
            return 1.0
        span = nxt.xp - self.level.xp
        return (self.xp - self.level.xp) / span

    def xp_history(self) -> list[XpPoint]:
        return list(self._replay.history)

    # -- challenges --------------------------------------------------------------------------

    def status(self, challenge_id: str) -> ChallengeStatus:
        challenge = self.catalogue.get(challenge_id)
        record = self._replay.records.get(challenge.id, _ChallengeRecord())
        if record.verified_at is not None:
            state = ChallengeState.VERIFIED
        elif record.touched:
            state = ChallengeState.IN_PROGRESS
        elif challenge.level > self.level.number or not all(
            self._is_verified(p) for p in challenge.prerequisites
        ):
            state = ChallengeState.LOCKED
        else:
            state = ChallengeState.AVAILABLE
        return ChallengeStatus(
            challenge, state, record.verified_at, record.xp_awarded, record.hints, record.solutions
        )

    def _is_verified(self, challenge_id: str) -> bool:
        record = self._replay.records.get(challenge_id)
        return record is not None and record.verified_at is not None

    def statuses(self) -> list[ChallengeStatus]:
        return [self.status(c.id) for c in self.catalogue]

    def verified_count(self) -> int:
        return sum(1 for r in self._replay.records.values() if r.verified_at is not None)

    def next_challenge(self) -> Challenge | None:
        """The challenge to continue: the first in progress, else the first available."""
        statuses = self.statuses()
        for wanted in (ChallengeState.IN_PROGRESS, ChallengeState.AVAILABLE):
            for status in statuses:
                if status.state is wanted:
                    return status.challenge
        return None

    # -- badges and streak ---------------------------------------------------------------------

    def badges(self) -> list[BadgeStatus]:
        """Every badge of the catalogue with its progress and, when earned, the date."""
        result = []
        for badge in self.catalogue.badges:
            current, target = self._rule_progress(self._replay, badge.rule)
            result.append(
                BadgeStatus(badge, self._replay.earned.get(badge.id), min(current, target), target)
            )
        return result

    def earned_badges(self) -> list[BadgeStatus]:
        return sorted(
            (b for b in self.badges() if b.earned), key=lambda b: b.earned_at or datetime.min
        )

    def streak(self) -> Streak:
        return compute_streak(self._replay.active_days, self.today)

    def active_days(self) -> set[date]:
        return set(self._replay.active_days)

"""The game: XP, levels, badges, streaks and challenge states, derived from the event log.

:class:`GameEngine` does no I/O. It replays the learner's events (in time order)
against the catalogue, so every number it gives can be traced back to events.

Rules
-----
XP
    A challenge's XP is awarded on its first ``verified`` event, plus
    ``no_help_bonus_percent`` of it (rounded) when no hint and no solution of
    that challenge was ever recorded before. Verifying again awards nothing.
Order
    Events are replayed in the order of the log, not by timestamp: clocks can be wrong
    and imported files can claim any date, but the position of an event is where it
    was recorded.
Imported claims
    An imported ``verified`` event (``details.imported``) earns nothing: see
    :func:`countable_events`. Verifying the challenge here records a fresh event that does.
Reset
    A ``reset`` event makes the events before it in the log stop counting for its
    challenges: their XP is withdrawn, they can be earned again and their hint ladders start
    over. Help seen before a reset still counts for the bonus: a hint or a
    solution forfeits the challenge's no-help bonus for good, so resetting is not
    a way to see the answers and then earn the bonus.
Level
    The highest catalogue level whose XP threshold the learner's XP reaches.
Task outcomes
    Each task's outcome is the latest one recorded for it since its challenge's last reset:
    an inline check of the task, or the task's entry in a clean verification (``checked``
    with ``tasks``, or ``verified``). A task never checked has none.
Challenge state
    ``verified`` once verified; else ``in_progress`` once opened, checked,
    hinted or solved; else ``locked`` while its level is above the learner's
    or a prerequisite is not verified; else ``available``. Locked is advice:
    a learner may still open and verify a locked challenge.
Badges
    Re-evaluated after every event that changes what a rule reads; ``earned_at``
    is when the rule last became true. A reset that makes a rule false takes the
    badge back until it is earned again.
Streak
    A local calendar day is *active* when it has a ``verified`` event or a
    ``checked`` event whose outcome is PASS (inline or in verification), so a
    day of honest progress on a long challenge counts. The streak is the number
    of active days in the current run. Today not being active yet does not
    break it. A streak badge counts the best run so far. Freezes: every 7th
    active day of a run earns one freeze (holding at most ``MAX_FREEZES``); a
    missed day spends one instead of breaking the run. Frozen days keep the run
    alive but do not add to it. Resets do not change the streak: they undo
    challenges, not days of work.
Own-data lab
    ``own_data`` events earn no XP and do not make a day active. The ``own_data_*`` badge
    rules count distinct datasets: profiled; validated with no failure; with a baseline
    model logged to MLflow (see :func:`own_data_progress`). Resets leave them: they undo
    challenges, not lab work.

Cost
----
One pass over the events, in log order, computes everything: each
event costs a constant amount of work, the streak advances from active day to
active day (a gap of any length is one subtraction, so an event dated year 1 or
9999 costs what any other event costs), and badge rules read running counters.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from sandbox.catalogue import Badge, BadgeRule, Catalogue, Challenge, Level
from sandbox.progress import Event
from sandbox.streak import FREEZE_EVERY_DAYS, MAX_FREEZES, Run, run_until

__all__ = [
    "FREEZE_EVERY_DAYS",
    "MAX_FREEZES",
    "BadgeStatus",
    "ChallengeState",
    "ChallengeStatus",
    "GameEngine",
    "Streak",
    "XpPoint",
    "compute_streak",
    "local_day",
]

_PASS = "PASS"


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
    hints_by_task: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # task → latest outcome


@dataclass(frozen=True)
class ChallengeStatus:
    challenge: Challenge
    state: ChallengeState
    verified_at: datetime | None
    xp_awarded: int
    hints_used: int
    solutions_used: int
    #: A hint or solution was recorded at some time, even before a reset: no no-help bonus.
    help_seen: bool = False


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


def local_day(ts: datetime, tz: tzinfo | None) -> date:
    """The learner's calendar day of a UTC timestamp (``tz`` None: this machine's zone)."""
    return ts.astimezone(tz).date()


def compute_streak(active_days: Iterable[date], today: date) -> Streak:
    """The streak on ``today`` given the set of active local days (see module rules).

    Linear in the number of active days, whatever the calendar distance between them.
    """
    return Streak(*run_until(active_days, today).on(today))


def countable_events(events: Iterable[Event]) -> list[Event]:
    """The events the game counts, in log order: imported ``verified`` events are left out.

    An import is a claim made elsewhere; only a verification run here proves the work.
    """
    return [e for e in events if not (e.kind == "verified" and e.imported)]


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


def _note_outcomes(record: _ChallengeRecord, event: Event) -> None:
    """Keep each task's latest outcome: an inline check names one task, a verification all."""
    tasks = event.details.get("tasks")
    if isinstance(tasks, dict):
        for task_id, outcome in tasks.items():
            if isinstance(task_id, str) and isinstance(outcome, str):
                record.outcomes[task_id] = outcome
    outcome = event.details.get("outcome")
    if event.task is not None and isinstance(outcome, str):
        record.outcomes[event.task] = outcome


@dataclass
class _Replay:
    records: dict[str, _ChallengeRecord] = field(default_factory=dict)
    active_days: set[date] = field(default_factory=set)
    run: Run = field(default_factory=Run)
    xp: int = 0
    history: list[XpPoint] = field(default_factory=list)
    earned: dict[str, datetime] = field(default_factory=dict)
    best_streak: int = 0
    # Challenges with a hint or solution at any time: their no-help bonus is gone for good.
    helped: set[str] = field(default_factory=set)
    # Running counters the badge rules read (kept in step with `records`).
    verified: set[str] = field(default_factory=set)
    no_help_verified: int = 0
    verified_per_level: Counter[int] = field(default_factory=Counter)
    verified_per_tag: Counter[str] = field(default_factory=Counter)
    own_data: dict[str, set[str]] = field(default_factory=dict)  # action → datasets

    def to_json(self) -> dict[str, Any]:
        """Everything replayed so far as JSON data (see :meth:`GameEngine.checkpoint`)."""

        def moment(ts: datetime | None) -> str | None:
            return None if ts is None else ts.isoformat()

        run = self.run
        return {
            "records": {
                cid: [
                    r.touched,
                    r.hints,
                    r.solutions,
                    moment(r.verified_at),
                    r.xp_awarded,
                    r.no_help,
                    r.hints_by_task,
                    r.outcomes,
                ]
                for cid, r in self.records.items()
            },
            "active_days": sorted(day.isoformat() for day in self.active_days),
            "run": [run.last_day.isoformat() if run.last_day else None, run.days, run.freezes],
            "xp": self.xp,
            "history": [[p.ts.isoformat(), p.xp, p.challenge, p.kind] for p in self.history],
            "earned": {badge: ts.isoformat() for badge, ts in self.earned.items()},
            "best_streak": self.best_streak,
            "helped": sorted(self.helped),
            "verified": sorted(self.verified),
            "no_help_verified": self.no_help_verified,
            "verified_per_level": [[lv, n] for lv, n in sorted(self.verified_per_level.items())],
            "verified_per_tag": dict(self.verified_per_tag),
            "own_data": {action: sorted(sets) for action, sets in self.own_data.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> _Replay:
        """The state :meth:`to_json` gave; ValueError, TypeError or KeyError for anything else."""

        def moment(text: Any) -> datetime:
            ts = datetime.fromisoformat(_text(text))
            if ts.utcoffset() is None:
                raise ValueError("a time without a UTC offset")
            return ts

        def counts(mapping: Any) -> dict[str, int]:
            return {_text(key): int(value) for key, value in dict(mapping).items()}

        records = {}
        for cid, fields in dict(data["records"]).items():
            touched, hints, solutions, verified_at, xp_awarded, no_help, by_task, outcomes = fields
            records[_text(cid)] = _ChallengeRecord(
                bool(touched), int(hints), int(solutions),
                None if verified_at is None else moment(verified_at), int(xp_awarded),
                bool(no_help), counts(by_task),
                {_text(task): _text(outcome) for task, outcome in dict(outcomes).items()},
            )  # fmt: skip
        last_day, days, freezes = data["run"]
        return cls(
            records=records,
            active_days={date.fromisoformat(_text(day)) for day in data["active_days"]},
            run=Run(
                None if last_day is None else date.fromisoformat(_text(last_day)),
                int(days),
                int(freezes),
            ),
            xp=int(data["xp"]),
            history=[
                XpPoint(moment(ts), int(xp), None if cid is None else _text(cid), _text(kind))
                for ts, xp, cid, kind in data["history"]
            ],
            earned={_text(badge): moment(ts) for badge, ts in dict(data["earned"]).items()},
            best_streak=int(data["best_streak"]),
            helped={_text(cid) for cid in data["helped"]},
            verified={_text(cid) for cid in data["verified"]},
            no_help_verified=int(data["no_help_verified"]),
            verified_per_level=Counter({int(lv): int(n) for lv, n in data["verified_per_level"]}),
            verified_per_tag=Counter(counts(data["verified_per_tag"])),
            own_data={
                _text(action): {_text(name) for name in names}
                for action, names in dict(data["own_data"]).items()
            },
        )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


class GameEngine:
    """Everything the game shows, derived from a catalogue and an event log."""

    def __init__(
        self,
        catalogue: Catalogue,
        events: Sequence[Event],
        tz: tzinfo | None = None,
        today: date | None = None,
        checkpoint: Any = None,
    ) -> None:
        """Replay ``events``; or, with a ``checkpoint`` (see :meth:`checkpoint`, taken with the
        same catalogue and time zone), replay only ``events``, the ones appended to the log it
        was taken of: every figure is then the one a replay of the whole log gives.

        Raises ValueError, TypeError or KeyError for a checkpoint that is not one.
        """
        self.catalogue = catalogue
        #: The events this engine replayed (after its checkpoint, when it has one).
        self.events = tuple(countable_events(events))
        self.tz = tz
        self._today = today
        self._level_sizes = Counter(c.level for c in catalogue)
        self._tag_sizes = Counter(tag for c in catalogue for tag in c.tags)
        start = _Replay() if checkpoint is None else _Replay.from_json(checkpoint)
        self._replay = self._run(start)

    def checkpoint(self) -> dict[str, Any]:
        """The replay's state as JSON data, for a later engine to continue from.

        It holds no events, only what replaying them left (XP, records, active days, badges
        and the rest), so the ``sandbox status`` snapshot can carry it for a long log.
        """
        return self._replay.to_json()

    # -- replay ------------------------------------------------------------------------------

    def _local_day(self, ts: datetime) -> date:
        return local_day(ts, self.tz)

    @property
    def today(self) -> date:
        return self._today or datetime.now(self.tz).astimezone(self.tz).date()

    def _run(self, state: _Replay) -> _Replay:
        for event in self.events:
            xp_before = state.xp
            if self._apply(state, event):
                if state.xp != xp_before:
                    state.history.append(XpPoint(event.ts, state.xp, event.challenge, event.kind))
                self._evaluate_badges(state, event)
        return state

    def _apply(self, state: _Replay, event: Event) -> bool:
        """Apply one event; return whether anything a badge rule reads changed."""
        kind = event.kind
        if kind == "own_data":
            record_own_data(state.own_data, event)
            return True
        if kind == "reset":
            return self._on_reset(state, event)
        changed = False
        if kind == "checked" and event.details.get("outcome") == _PASS:
            changed = self._add_active_day(state, event.ts)
        challenge_id = event.challenge
        if challenge_id is None or challenge_id not in self.catalogue.challenges:
            return changed  # events of challenges since removed from the catalogue earn nothing
        record = state.records.get(challenge_id)
        if record is None:
            record = state.records[challenge_id] = _ChallengeRecord()
        record.touched = True
        if kind == "hint":
            record.hints += 1
            if event.task is not None:
                record.hints_by_task[event.task] = record.hints_by_task.get(event.task, 0) + 1
            state.helped.add(challenge_id)
        elif kind == "solution":
            record.solutions += 1
            state.helped.add(challenge_id)
        if kind in ("checked", "verified"):
            _note_outcomes(record, event)
        if kind == "verified":
            # Every rule about which verifications count (and when) is decided here, once.
            changed = self._add_active_day(state, event.ts) or changed
            if record.verified_at is None:
                self._on_first_verification(state, event, record)
                changed = True
        return changed

    def _on_first_verification(
        self, state: _Replay, event: Event, record: _ChallengeRecord
    ) -> None:
        """Award a challenge's XP (and the bonus when no help was ever seen)."""
        challenge = self.catalogue.challenges[str(event.challenge)]
        record.no_help = challenge.id not in state.helped
        bonus = (
            round(challenge.xp * self.catalogue.no_help_bonus_percent / 100)
            if record.no_help
            else 0
        )
        record.verified_at = event.ts
        record.xp_awarded = challenge.xp + bonus
        state.xp += record.xp_awarded
        state.verified.add(challenge.id)
        state.no_help_verified += record.no_help
        state.verified_per_level[challenge.level] += 1
        state.verified_per_tag.update(challenge.tags)

    def _on_reset(self, state: _Replay, event: Event) -> bool:
        ids = event.details.get("challenges")
        targets = list(state.records) if ids is None else [i for i in ids if isinstance(i, str)]
        changed = False
        for challenge_id in targets:
            record = state.records.pop(challenge_id, None)
            if record is None or record.verified_at is None:
                continue
            challenge = self.catalogue.challenges[challenge_id]
            state.xp -= record.xp_awarded
            state.verified.discard(challenge_id)
            state.no_help_verified -= record.no_help
            state.verified_per_level[challenge.level] -= 1
            state.verified_per_tag.subtract(challenge.tags)
            changed = True
        return changed

    def _add_active_day(self, state: _Replay, ts: datetime) -> bool:
        """Mark ts's local day active; return whether the best streak grew."""
        day = self._local_day(ts)
        if day in state.active_days:
            return False
        state.active_days.add(day)
        run = state.run
        if run.last_day is None or day > run.last_day:
            run.add(day)
            streak_then = run.days
        else:
            # Local days run backwards only across an unusual time-zone change: rebuild the run.
            state.run = run_until(state.active_days, max(state.active_days))
            streak_then = compute_streak(state.active_days, day).days
        if streak_then > state.best_streak:
            state.best_streak = streak_then
            return True
        return False

    def _rule_progress(self, state: _Replay, rule: BadgeRule) -> tuple[int, int]:
        if rule.kind == "verified_count":
            return len(state.verified), rule.count or 0
        if rule.kind == "no_help_count":
            return state.no_help_verified, rule.count or 0
        if rule.kind == "level_complete":
            level = rule.level or 0
            return state.verified_per_level[level], self._level_sizes[level]
        if rule.kind == "tag_complete":
            tag = rule.tag or ""
            return state.verified_per_tag[tag], self._tag_sizes[tag]
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
            challenge,
            state,
            record.verified_at,
            record.xp_awarded,
            record.hints,
            record.solutions,
            challenge.id in self._replay.helped,
        )

    def _is_verified(self, challenge_id: str) -> bool:
        return challenge_id in self._replay.verified

    def statuses(self) -> list[ChallengeStatus]:
        return [self.status(c.id) for c in self.catalogue]

    def verified_count(self) -> int:
        return len(self._replay.verified)

    def hints_seen(self, challenge_id: str, task_id: str) -> int:
        """How many hints of a task were shown since the challenge's last reset.

        The hint ladder of a task starts over after a reset (the bonus does not: see
        ``ChallengeStatus.help_seen``).
        """
        record = self._replay.records.get(challenge_id)
        return 0 if record is None else record.hints_by_task.get(task_id, 0)

    def task_outcomes(self, challenge_id: str) -> dict[str, str]:
        """Each task's latest outcome (``PASS``, ``FAIL``, …) since the challenge's last reset;
        a task never checked is absent."""
        record = self._replay.records.get(challenge_id)
        return {} if record is None else dict(record.outcomes)

    def bonus_at_stake(self, challenge_id: str) -> int:
        """The no-help bonus XP a hint or a solution would give up now: 0 once help was seen
        (even before a reset), once the challenge is verified (its XP is settled) or when the
        catalogue has no bonus."""
        challenge = self.catalogue.get(challenge_id)
        if challenge.id in self._replay.helped or self._is_verified(challenge.id):
            return 0
        return round(challenge.xp * self.catalogue.no_help_bonus_percent / 100)

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

    def streak_run(self, until: date) -> Run:
        """The streak run over the active days up to ``until`` (for the status snapshot)."""
        return run_until(self._replay.active_days, until)

    def active_days(self) -> set[date]:
        return set(self._replay.active_days)

"""The hint ladder and the solution gate, shared by the notebook API, the CLI and the dashboard.

Each ``hint`` call shows the next hint of the task, from gentle to specific, and is
recorded as a ``hint`` event (forfeiting the no-help bonus, even across a reset). After
the last hint the last one is shown again. How many hints a task has shown since its
challenge's last reset comes from :meth:`sandbox.game.GameEngine.hints_seen`.

Help is never spent by accident. A task whose latest outcome is PASS gets no hint (it is
refused, and nothing is recorded), and a hint with no task named goes to the first task
that does not pass, or is refused when every task passes. While the challenge's no-help
bonus is still to be won, every door asks before the first hint or solution gives it up
(:func:`help_warning`), unless the learner chose not to be asked
(:func:`sandbox.ui_state.ask_before_help`). A hint names its rung, not how many remain.

A task's reference solution is available once the learner has seen every hint of
the task, or once the task has passed a check — so it is a last resort or a
comparison, never a shortcut. Revealing it is recorded as a ``solution`` event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sandbox.catalogue import Challenge, Task
from sandbox.errors import GradingError, RefusedError
from sandbox.game import GameEngine
from sandbox.grading.reference import parse_sections
from sandbox.learner import Learner
from sandbox.progress import Event

_PASS = "PASS"


@dataclass(frozen=True)
class Hint:
    task: str
    number: int  # 1-based
    total: int
    text: str

    @property
    def last(self) -> bool:
        return self.number == self.total

    def render(self) -> str:
        last = " (that was the last hint; the solution is now available)" if self.last else ""
        return f"Hint {self.number} for {self.task}: {self.text}{last}"


def events_since_reset(events: Sequence[Event], challenge_id: str) -> list[Event]:
    """The challenge's events after its latest reset, in log order (as the game replays them:
    a timestamp can be wrong, a position in the log cannot)."""
    kept: list[Event] = []
    for event in events:
        if event.kind == "reset":
            ids = event.details.get("challenges")
            if ids is None or challenge_id in ids:
                kept = []
            continue
        if event.challenge == challenge_id:
            kept.append(event)
    return kept


def task_passed(events: Sequence[Event], challenge_id: str, task_id: str) -> bool:
    for event in events_since_reset(events, challenge_id):
        if event.kind == "verified" and not event.imported:  # an imported claim proves nothing
            return True
        if event.kind == "checked":
            if event.task == task_id and event.details.get("outcome") == "PASS":
                return True
            if event.details.get("tasks", {}).get(task_id) == "PASS":
                return True
    return False


def default_task(learner: Learner, challenge: Challenge) -> Task:
    """The first task that has not passed yet (the first task when all have)."""
    events = learner.progress().events
    for task in challenge.tasks:
        if not task_passed(events, challenge.id, task.id):
            return task
    return challenge.tasks[0]


def task_to_hint(learner: Learner, challenge: Challenge) -> Task:
    """The first task whose latest outcome is not PASS; RefusedError when every task passes."""
    engine = learner.engine()
    outcomes = engine.task_outcomes(challenge.id)
    for task in challenge.tasks:
        if outcomes.get(task.id) != _PASS:
            return task
    raise RefusedError(_all_pass_message(engine, challenge))


def _all_pass_message(engine: GameEngine, challenge: Challenge) -> str:
    if engine.status(challenge.id).verified_at is not None:
        return f"Every task of {challenge.id} passes and it is verified: no hint needed."
    return (
        f"Every task of {challenge.id} passes: no hint needed. Verify it now "
        f"(`sandbox check {challenge.id}`, or ch.submit() in the notebook) to earn its XP."
    )


def help_warning(learner: Learner, challenge: Challenge, what: str = "hint") -> str | None:
    """The question to ask before a ``what`` (hint or solution) gives up the no-help bonus;
    None when there is nothing to lose or the learner chose not to be asked."""
    from sandbox.ui_state import ask_before_help

    bonus = learner.engine().bonus_at_stake(challenge.id)
    if not bonus or not ask_before_help(learner.home):
        return None
    percent = learner.catalogue.no_help_bonus_percent
    return (
        f"A {what} gives up the {percent} % no-help bonus of {challenge.id} (+{bonus} XP) for "
        "good, even after a reset."
    )


def _refuse_needless_hint(engine: GameEngine, challenge: Challenge, task: Task) -> None:
    if not task.hints:
        raise RefusedError(f"Task {task.id} of {challenge.id!r} has no hints.")
    if engine.task_outcomes(challenge.id).get(task.id) == _PASS:
        raise RefusedError(f"{task.id} of {challenge.id} already passed — no hint needed.")


def ensure_hint_needed(learner: Learner, challenge: Challenge, task: Task) -> None:
    """RefusedError when ``task`` gets no hint (its latest outcome is PASS, or it has none):
    asked before the question about the bonus, so a needless hint is refused, not offered."""
    _refuse_needless_hint(learner.engine(), challenge, task)


def next_hint(learner: Learner, challenge: Challenge, task: Task, record: bool = True) -> Hint:
    """Show the next hint of ``task`` and record it; RefusedError (nothing recorded) when the
    task's latest outcome is PASS."""
    engine = learner.engine()
    _refuse_needless_hint(engine, challenge, task)
    seen = engine.hints_seen(challenge.id, task.id)
    index = min(seen, len(task.hints) - 1)
    if record:
        learner.store.append("hint", challenge.id, task.id, {"index": index})
    return Hint(task.id, index + 1, len(task.hints), task.hints[index])


def solution_available(learner: Learner, challenge: Challenge, task: Task) -> tuple[bool, str]:
    engine = learner.engine()
    seen = engine.hints_seen(challenge.id, task.id)
    if seen >= len(task.hints) or task_passed(engine.events, challenge.id, task.id):
        return True, ""
    return False, (
        f"The solution of {task.id} unlocks after all {len(task.hints)} hints (you have seen {seen}) "
        "or once the task passes. Try the next hint first."
    )


def reveal_solution(learner: Learner, challenge: Challenge, task: Task, record: bool = True) -> str:
    """The reference code of ``task``; records a ``solution`` event. Raises UsageError when locked."""
    available, why = solution_available(learner, challenge, task)
    if not available:
        raise RefusedError(why)
    code = parse_sections(challenge.solution_file).get(task.id)
    if code is None:
        raise GradingError(f"{challenge.id!r} has no reference solution for {task.id}.")
    if record:
        learner.store.append("solution", challenge.id, task.id)
    return code

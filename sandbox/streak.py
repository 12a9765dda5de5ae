"""The streak rule's arithmetic: a run of active local days, advanced one active day at a time.

The rule itself (what makes a day active, freezes, what today means) is documented in
:mod:`sandbox.game`. This module holds only the stepping, with no other imports, so the
``sandbox status`` snapshot (:mod:`sandbox.status`) can bring a stored run up to today
without loading the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

FREEZE_EVERY_DAYS = 7
MAX_FREEZES = 2


class Run:
    """A streak run as of its last active day."""

    __slots__ = ("days", "freezes", "last_day")

    def __init__(self, last_day: date | None = None, days: int = 0, freezes: int = 0) -> None:
        self.last_day = last_day
        self.days = days
        self.freezes = freezes

    def after_gap(self, day: date) -> tuple[int, int]:
        """(days, freezes) on ``day`` (not before ``last_day``) when no day between was active.

        A gap of any length costs one subtraction: each missed day spends a freeze, and
        when the freezes run out the run is broken.
        """
        if self.last_day is None:
            return 0, 0
        missed = (day - self.last_day).days - 1
        if missed <= 0:
            return self.days, self.freezes
        if missed <= self.freezes:
            return self.days, self.freezes - missed
        return 0, 0

    def add(self, day: date) -> None:
        """Count ``day``, an active day later than ``last_day``."""
        days, freezes = self.after_gap(day)
        days += 1
        if days % FREEZE_EVERY_DAYS == 0:
            freezes = min(freezes + 1, MAX_FREEZES)
        self.last_day, self.days, self.freezes = day, days, freezes

    def on(self, today: date) -> tuple[int, int, bool]:
        """(streak days, freezes left, active today) on ``today``, the day after or of ``last_day``.

        Today not being active yet breaks nothing: only the days before it count as missed.
        """
        if self.last_day == today:
            return self.days, self.freezes, True
        days, freezes = self.after_gap(today)
        return days, freezes, False

    def copy(self) -> Run:
        return Run(self.last_day, self.days, self.freezes)


def run_until(active_days: Iterable[date], until: date) -> Run:
    """The run over the active days up to and including ``until`` (linear in their number)."""
    run = Run()
    for day in sorted(d for d in set(active_days) if d <= until):
        run.add(day)
    return run

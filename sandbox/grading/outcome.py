"""Outcomes of a check (a closed set) and the placeholder a starter notebook leaves for the learner."""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass
from typing import Any, NoReturn


class Outcome(enum.StrEnum):
    """What a check found. NOT_ATTEMPTED is not a failure: the learner has not started."""

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_ATTEMPTED = "NOT_ATTEMPTED"
    ERROR = "ERROR"

    @property
    def mark(self) -> str:
        return {"PASS": "✓", "FAIL": "✗", "NOT_ATTEMPTED": "○", "ERROR": "⚠"}[self.value]


_COLOURS = {"PASS": "#1a7f37", "FAIL": "#cf222e", "NOT_ATTEMPTED": "#6e7781", "ERROR": "#9a6700"}


@dataclass(frozen=True)
class TaskResult:
    """The outcome of one task with a message written for the learner."""

    task: str
    outcome: Outcome
    message: str

    def to_json(self) -> dict[str, str]:
        return {"task": self.task, "outcome": self.outcome.value, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaskResult:
        return cls(str(data["task"]), Outcome(data["outcome"]), str(data["message"]))

    def text(self) -> str:
        return f"{self.outcome.mark} {self.task}: {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.outcome.value]
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
            f'<b style="color:{colour}">{self.outcome.mark} {html.escape(self.task)} '
            f"{html.escape(self.outcome.value.replace('_', ' ').lower())}</b> — "
            f"{html.escape(self.message)}</div>"
        )

    def __repr__(self) -> str:
        return self.text()


class Fail(Exception):
    """Raised by a comparison or a custom check: the learner's answer is wrong, and why."""


class PlaceholderError(TypeError):
    """The learner used the ``____`` placeholder as if it were a value."""


class _Placeholder:
    """The ``____`` a starter notebook leaves where the learner's answer goes.

    Assigning it (``total = ____``) runs fine, so a notebook runs top to bottom
    before it is filled in; the check then reports NOT_ATTEMPTED. Using it in
    an expression fails with a message that says what to do.
    """

    _instance: _Placeholder | None = None

    def __new__(cls) -> _Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PlaceholderError("Replace ____ with your answer before using it.")

    __call__ = __getattr__ = __getitem__ = __iter__ = __len__ = __bool__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __mod__ = __pow__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __float__ = __int__ = _refuse
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return other is self

    def __reduce__(self) -> str:
        return "PLACEHOLDER"


PLACEHOLDER = _Placeholder()


def is_placeholder(value: Any) -> bool:
    return value is PLACEHOLDER

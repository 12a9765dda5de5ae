"""Checking learners' work: the notebook API, comparisons, the judge and clean verification.

Notebooks use ``from sandbox.grading import ____, challenge``; a challenge's ``checks.py``
uses ``from sandbox.grading import CheckContext, Fail``. The rest of the package is imported
lazily by the CLI and the dashboard.
"""

from sandbox.grading.api import challenge
from sandbox.grading.context import CheckContext, DataSpec, Split
from sandbox.grading.outcome import PLACEHOLDER as ____
from sandbox.grading.outcome import Fail, Outcome, TaskResult

__all__ = [
    "CheckContext",
    "DataSpec",
    "Fail",
    "Outcome",
    "Split",
    "TaskResult",
    "____",
    "challenge",
]

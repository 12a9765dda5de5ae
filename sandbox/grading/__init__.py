"""Checking learners' work: the notebook API, comparisons and clean verification.

Notebooks use ``from sandbox.grading import ____, challenge``; the rest of the
package is imported lazily by the CLI and the dashboard.
"""

from sandbox.grading.api import challenge
from sandbox.grading.outcome import PLACEHOLDER as ____
from sandbox.grading.outcome import Fail, Outcome, TaskResult

__all__ = ["Fail", "Outcome", "TaskResult", "____", "challenge"]

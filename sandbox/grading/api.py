"""The check API used inside challenge notebooks (learntools-style)::

    from sandbox.grading import ____, challenge
    ch = challenge("pandas-first-look")   # binds to this notebook's globals

    ch.q1.check()      # ✓ / ✗ with a message naming the variable and the difference
    ch.q1.hint()       # the next hint on the ladder (recorded)
    ch.q1.solution()   # the reference answer, once unlocked (recorded; forfeits the bonus)
    ch.submit()        # clean verification of the saved notebook: the only way to earn XP

Inline checks record a ``checked`` event (for the streak and the dashboard) but never
award XP. Inside clean verification (``SANDBOX_VERIFYING=1``) nothing is recorded and
``submit()`` does nothing, so a notebook that calls it does not verify itself forever.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import MutableMapping
from typing import Any

from sandbox.catalogue import Challenge, Task, default_catalogue
from sandbox.errors import SandboxError
from sandbox.grading.outcome import Outcome, TaskResult
from sandbox.learner import Learner
from sandbox.paths import validate_slug


def _verifying() -> bool:
    from sandbox.grading.verify import VERIFYING_ENV

    return os.environ.get(VERIFYING_ENV) == "1"


def _show(obj: Any) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(obj)  # type: ignore[no-untyped-call]
            return
    except ImportError:
        pass
    print(obj.text() if hasattr(obj, "text") else obj)


class _Note:
    """A short message for the learner, shown as text or Markdown."""

    def __init__(self, text: str, markdown: str | None = None) -> None:
        self._text, self._markdown = text, markdown or text

    def text(self) -> str:
        return self._text

    def _repr_markdown_(self) -> str:
        return self._markdown

    def __repr__(self) -> str:
        return self._text


class TaskHandle:
    """``ch.qN``: check, hint and solution for one task."""

    def __init__(self, binding: ChallengeBinding, task: Task) -> None:
        self._binding = binding
        self.task = task

    def __repr__(self) -> str:
        return f"<task {self.task.id} of {self._binding.challenge.id}: {self.task.title}>"

    def result(self) -> TaskResult:
        """The verdict for this task, without showing or recording it."""
        from sandbox.grading.evaluate import evaluate_task

        return evaluate_task(
            self._binding.challenge, self.task, self._binding.namespace, self._binding.learner.home
        )

    def check(self) -> None:
        """Check the task's variable(s) now and show the verdict (records a check, never XP)."""
        result = self.result()
        if not _verifying():
            try:
                self._binding.learner.store.append(
                    "checked",
                    self._binding.challenge.id,
                    self.task.id,
                    {"source": "inline", "outcome": result.outcome.value},
                )
            except SandboxError as exc:  # the verdict still matters when the store is unhappy
                _show(_Note(f"(Your progress could not be recorded: {exc})"))
        _show(result)
        if result.outcome is Outcome.PASS and not _verifying():
            _show(
                _Note(
                    "Inline checks give feedback only; run ch.submit() to verify the whole notebook and earn XP."
                )
            )

    def hint(self) -> None:
        """Show the next hint (recorded)."""
        from sandbox.grading.hints import next_hint

        hint = next_hint(
            self._binding.learner, self._binding.challenge, self.task, record=not _verifying()
        )
        _show(_Note(hint.render(), f"💡 **{hint.render()}**"))

    def solution(self) -> None:
        """Show the reference answer once unlocked (recorded; forfeits the no-help bonus)."""
        from sandbox.grading.hints import reveal_solution

        try:
            code = reveal_solution(
                self._binding.learner, self._binding.challenge, self.task, record=not _verifying()
            )
        except SandboxError as exc:
            _show(_Note(str(exc)))
            return
        _show(
            _Note(
                f"Solution of {self.task.id}:\n{code}",
                f"Solution of {self.task.id}:\n```python\n{code}```",
            )
        )


class ChallengeBinding:
    """``ch``: a challenge bound to the notebook's global namespace."""

    def __init__(
        self, challenge: Challenge, namespace: MutableMapping[str, Any], learner: Learner
    ) -> None:
        self.challenge = challenge
        self.namespace = namespace
        self.learner = learner
        for task in challenge.tasks:
            setattr(self, task.id, TaskHandle(self, task))

    def __repr__(self) -> str:
        tasks = ", ".join(t.id for t in self.challenge.tasks)
        return f"<challenge {self.challenge.id}: {self.challenge.title} — tasks {tasks}>"

    def check_all(self) -> None:
        """Check every task now (feedback only)."""
        for task in self.challenge.tasks:
            getattr(self, task.id).check()

    def submit(self, timeout: float | None = None) -> None:
        """Clean-verify the saved workspace notebook in a fresh kernel; earns XP when all pass."""
        if _verifying():
            return
        from sandbox.grading.verify import DEFAULT_TIMEOUT, verify

        _show(_Note("Verifying the saved notebook in a fresh kernel (save it first: Ctrl+S)…"))
        try:
            result = verify(self.learner, self.challenge.id, timeout=timeout or DEFAULT_TIMEOUT)
        except SandboxError as exc:
            _show(_Note(f"Verification could not run: {exc}"))
            return
        for task_result in result.tasks:
            _show(task_result)
        if result.error:
            _show(_Note(result.error))
        if result.passed:
            won = (
                f"+{result.xp_awarded} XP" if result.xp_awarded else "no new XP (already verified)"
            )
            _show(
                _Note(
                    f"Verified in {result.seconds:.1f} s — {won}.",
                    f"🎉 **Verified** in {result.seconds:.1f} s — {won}.",
                )
            )
        else:
            _show(
                _Note(
                    f"Not verified yet ({result.seconds:.1f} s). Fix the tasks above and submit again."
                )
            )


def challenge(challenge_id: str) -> ChallengeBinding:
    """Bind the challenge to the calling notebook's globals."""
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    namespace: MutableMapping[str, Any] = caller.f_globals if caller is not None else {}
    catalogue = default_catalogue()
    found = catalogue.get(validate_slug(challenge_id))
    return ChallengeBinding(found, namespace, Learner.open())

"""The check API used inside challenge notebooks (learntools-style)::

    from sandbox.grading import ____, challenge
    ch = challenge("pandas-first-look")   # binds to this notebook's globals

    ch.q1.check()      # ✓ / ✗ with a message naming the variable and the difference,
                       # then every task's latest outcome (✓ ✗ ○) from the event log
    ch.q1.hint()       # the next hint on the ladder (recorded); none for a task that passes
    ch.q1.solution()   # the reference answer, once unlocked (recorded; forfeits the bonus)
    ch.submit()        # clean verification of the saved notebook: the only way to earn XP

While the no-help bonus is still to be won, the first ``hint()`` or ``solution()`` only says
what it would cost; ``hint(confirm=True)`` shows it (see :mod:`sandbox.grading.hints`).

Every verdict comes from the judge process (:mod:`sandbox.grading.judge`): a check exports
the task's variables as data and asks the judge, exactly as clean verification does. Inline
checks record a ``checked`` event (for the streak and the dashboard) but never award XP.
``submit()`` runs ``sandbox check`` in a separate process. Inside clean verification
(``SANDBOX_VERIFYING=1``) nothing is recorded and ``submit()`` does nothing, so a notebook
that calls it does not verify itself forever.
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
        """The verdict for this task, without showing or recording it (decided by the judge)."""
        return self._binding.judge_tasks([self.task.id])[0]

    def check(self) -> None:
        """Check the task's variable(s) now and show the verdict (records a check, never XP)."""
        if _verifying():
            return  # clean verification judges every task once, after the last cell
        result = self.result()
        recorded = self._binding.record_in_background(
            "checked",
            self.task.id,
            {"source": "inline", "outcome": result.outcome.value},
        )
        _show(result)
        # Read back from the log, as every door does; a check still waiting to be recorded
        # (a verification holds the store) is added by hand.
        self._binding.show_task_states({} if recorded else {self.task.id: result.outcome.value})
        if result.outcome is Outcome.PASS:
            _show(
                _Note(
                    "Inline checks give feedback only; run ch.submit() to verify the whole notebook and earn XP."
                )
            )

    def _costs_bonus(self, what: str, confirm: bool) -> bool:
        """Say what a hint or solution would give up, unless confirmed; True when it did."""
        from sandbox.grading.hints import help_warning

        if confirm or _verifying():
            return False
        warning = help_warning(self._binding.learner, self._binding.challenge, what)
        if warning is None:
            return False
        _show(_Note(f"{warning} To see it anyway: ch.{self.task.id}.{what}(confirm=True)"))
        return True

    def hint(self, confirm: bool = False) -> None:
        """Show the next hint (recorded). None for a task that passes; while the no-help bonus
        is still to be won, only what it would cost unless ``confirm``."""
        from sandbox.grading.hints import ensure_hint_needed, next_hint

        try:
            ensure_hint_needed(self._binding.learner, self._binding.challenge, self.task)
            if self._costs_bonus("hint", confirm):
                return
            hint = next_hint(
                self._binding.learner, self._binding.challenge, self.task, record=not _verifying()
            )
        except SandboxError as exc:
            _show(_Note(str(exc)))
            return
        _show(_Note(hint.render(), f"💡 **{hint.render()}**"))

    def solution(self, confirm: bool = False) -> None:
        """Show the reference answer once unlocked (recorded; forfeits the no-help bonus, so
        while that is still to be won, only what it would cost unless ``confirm``)."""
        from sandbox.grading.hints import reveal_solution, solution_available

        try:
            available, _ = solution_available(
                self._binding.learner, self._binding.challenge, self.task
            )
            if available and self._costs_bonus("solution", confirm):
                return
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


#: One judge process per (challenge, data home) for the life of this kernel, shared by every
#: binding (re-running the binding cell does not start another). It exits with the kernel.
_JUDGES: dict[tuple[str, str], Any] = {}


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

    def judge_tasks(self, task_ids: list[str]) -> list[TaskResult]:
        """Export the tasks' variables from the notebook and have the judge process grade them.

        The judge runs in its own process (started on the first check and kept for the life
        of this kernel), the same judge clean verification uses, so an inline check and clean
        verification give the same verdict for the same values.
        """
        import tempfile
        from pathlib import Path

        from sandbox.errors import GradingError
        from sandbox.grading.export import export_namespace, task_variables
        from sandbox.grading.judge import JudgeClient

        with tempfile.TemporaryDirectory(prefix="sandbox-check-") as scratch:
            folder = Path(scratch) / "artifacts"
            export_namespace(
                self.challenge, self.namespace, folder, task_variables(self.challenge, task_ids)
            )
            key = (self.challenge.id, str(self.learner.home))
            for attempt in (1, 2):
                judge = _JUDGES.get(key)
                if judge is None or not judge.alive:
                    judge = _JUDGES[key] = JudgeClient(self.challenge.id, self.learner.home)
                try:
                    results: list[TaskResult] = judge.judge(folder, task_ids)
                    return results
                except GradingError as exc:
                    judge.close()
                    _JUDGES.pop(key, None)
                    if attempt == 2 or "stopped unexpectedly" not in str(exc):
                        return [TaskResult(t, Outcome.ERROR, str(exc)) for t in task_ids]
        raise AssertionError("unreachable")

    def show_task_states(self, pending: dict[str, str]) -> None:
        """Show every task's latest outcome from the event log (``pending``: outcomes not
        recorded yet), e.g. ``Tasks: ✓ q1 · ✗ q2 · ○ q3``."""
        from sandbox.summaries import task_marks

        try:
            outcomes = self.learner.engine().task_outcomes(self.challenge.id)
        except SandboxError:
            return  # the verdict above is what matters; the store's problem was shown
        line = " · ".join(
            f"{mark} {task}" for task, mark in task_marks(self.challenge, outcomes | pending)
        )
        _show(_Note(f"Tasks: {line}"))

    def record_in_background(self, kind: str, task: str | None, details: dict[str, Any]) -> bool:
        """Record an inline event now, or, when a running verification holds the store (it
        does until it finishes), in the background, so the learner never waits for it.
        True when it was recorded now."""
        import threading

        from sandbox.errors import StoreBusyError

        def record(timeout: float | None) -> None:
            try:
                self.learner.store.append(kind, self.challenge.id, task, details, timeout=timeout)
            except SandboxError as exc:  # the verdict still matters when the store is unhappy
                _show(_Note(f"(Your progress could not be recorded: {exc})"))

        try:
            self.learner.store.append(kind, self.challenge.id, task, details, timeout=1.0)
        except StoreBusyError:
            threading.Thread(target=record, args=(None,), daemon=True).start()
        except SandboxError as exc:
            _show(_Note(f"(Your progress could not be recorded: {exc})"))
        else:
            return True
        return False

    def __repr__(self) -> str:
        tasks = ", ".join(t.id for t in self.challenge.tasks)
        return f"<challenge {self.challenge.id}: {self.challenge.title} — tasks {tasks}>"

    def check_all(self) -> None:
        """Check every task now (feedback only)."""
        for task in self.challenge.tasks:
            getattr(self, task.id).check()

    def submit(self, timeout: float | None = None) -> None:
        """Clean-verify the saved workspace notebook in a fresh kernel; earns XP when all pass.

        Verification runs as ``sandbox check`` in a separate process: nothing in this kernel
        takes part in deciding or recording the result.
        """
        if _verifying():
            return
        import json
        import subprocess
        import sys

        from sandbox.grading.verify import DEFAULT_TIMEOUT
        from sandbox.paths import local_env

        budget = timeout or DEFAULT_TIMEOUT
        _show(_Note("Verifying the saved notebook in a fresh kernel (save it first: Ctrl+S)…"))
        command = [
            sys.executable, "-m", "sandbox", "--home", str(self.learner.home),
            "check", self.challenge.id, "--json", "--timeout", str(budget),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command,
                env=local_env(self.learner.home),
                capture_output=True,
                text=True,
                timeout=budget + 600,
            )
            data = json.loads(done.stdout)
        except (subprocess.SubprocessError, ValueError, OSError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            _show(_Note(f"Verification could not run: {str(detail).strip()[:500]}"))
            return
        if not isinstance(data, dict) or "tasks" not in data:
            _show(_Note(f"Verification could not run: {done.stderr.strip()[:500]}"))
            return
        for task_result in data["tasks"]:
            _show(TaskResult.from_json(task_result))
        if data.get("error"):
            _show(_Note(str(data["error"])))
        seconds = float(data.get("seconds", 0.0))
        seed = data.get("seed")
        on = "" if seed is None else f" on fresh data (variant {seed})"
        if data.get("passed"):
            xp = int(data.get("xp_awarded", 0))
            won = f"+{xp} XP" if xp else "no new XP (already verified)"
            _show(
                _Note(
                    f"Verified in {seconds:.1f} s{on} — {won}.",
                    f"🎉 **Verified** in {seconds:.1f} s{on} — {won}.",
                )
            )
        else:
            _show(
                _Note(
                    f"Not verified yet ({seconds:.1f} s{on}). Fix the tasks above and submit again."
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

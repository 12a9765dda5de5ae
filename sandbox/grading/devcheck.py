"""Authoring check (``sandbox dev check``): every challenge proves its grader.

For each challenge: the manifest is valid (the catalogue loaded); every task has at
least two non-empty hints; the starter gives NOT_ATTEMPTED on every task; the
reference solution passes clean verification; each answer in ``wrong/`` FAILs the
task(s) it targets, with a message containing its ``# expect:`` words, and there are
at least two of them; each answer in ``fabricated/`` (typed-in, leaky or fake work) FAILs
likewise, at least two; each answer in ``alternatives/`` (a valid solution written another
way, at least two) PASSes every task of the notebook. A challenge verified on fresh data
(:mod:`sandbox.grading.seeds`) runs all of that on data variant 1, proves its reference passes
on variant 2 as well, and that the shipped data's answers typed in FAIL on variant 2
(every task but those marked ``same_on_every_variant``), with a message saying they look typed
in. Challenges run in parallel across cores, each in its own throwaway data home.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.catalogue import Catalogue, Challenge
from sandbox.errors import GradingError
from sandbox.grading import seeds
from sandbox.grading.judge import JudgeClient
from sandbox.grading.kernel_factory import KernelFactory
from sandbox.grading.outcome import Outcome
from sandbox.grading.reference import (
    WrongAnswer,
    load_answers,
    load_wrong_answers,
    notebook_with_answers,
    parse_sections,
    read_notebook,
)
from sandbox.grading.verify import DEFAULT_TIMEOUT, VerificationResult, run_notebook

MIN_HINTS = 2
MIN_WRONG_ANSWERS = 2
#: Valid alternatives each challenge must prove pass, and fabricated answers it must prove fail.
MIN_ALTERNATIVES = 2
MIN_FABRICATED = 2
#: Data variants the authoring check runs on: the starter, wrong, fabricated and alternative
#: answers on the first; the reference on both; the shipped answers typed in on the second.
#: (A third variant proved nothing the second does not, for a run and a reference per challenge.)
DEV_SEEDS = (1, 2)


@dataclass
class ChallengeReport:
    challenge: str
    problems: list[str] = field(default_factory=list)
    runs: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {
            "challenge": self.challenge,
            "ok": self.ok,
            "problems": self.problems,
            "runs": self.runs,
            "seconds": round(self.seconds, 1),
        }


def _summary(result: VerificationResult) -> str:
    parts = [f"{t.task} {t.outcome.value}: {t.message}" for t in result.tasks]
    if result.error:
        parts.append(result.error)
    return "; ".join(parts)


def scratch_root() -> str | None:
    """Where throwaway data homes go: a RAM disk when the machine has one. Optuna commits its
    study to SQLite at every trial step, and a commit costs 5 ms of fsync on a disk."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def check_challenge(challenge: Challenge, timeout: float = DEFAULT_TIMEOUT) -> ChallengeReport:
    report = ChallengeReport(challenge.id)
    for task in challenge.tasks:
        hints = [h for h in task.hints if h.strip()]
        if len(hints) < MIN_HINTS:
            report.problems.append(
                f"{task.id} has {len(hints)} non-empty hint(s); needs at least {MIN_HINTS}."
            )
    solution = parse_sections(challenge.solution_file)
    missing = [t.id for t in challenge.tasks if t.id not in solution]
    if missing:
        report.problems.append(
            f"solution.py has no '# %% {missing[0]}' section (missing: {', '.join(missing)})."
        )
        return report
    wrong_answers = load_wrong_answers(challenge)
    if len(wrong_answers) < MIN_WRONG_ANSWERS:
        report.problems.append(
            f"wrong/ has {len(wrong_answers)} answer(s); needs at least {MIN_WRONG_ANSWERS} near misses."
        )

    with tempfile.TemporaryDirectory(prefix=f"devcheck-{challenge.id}-", dir=scratch_root()) as tmp:
        home = Path(tmp)
        varies = seeds.varies(challenge)
        seed = DEV_SEEDS[0] if varies else None
        judge = JudgeClient(challenge.id, home, seed)  # one judge for every run of this challenge
        # and one factory of kernels with the notebook's libraries imported once
        kernels = KernelFactory(challenge, home)

        def run(nb: object, on: int | None = seed) -> VerificationResult:
            if not judge.alive:
                raise GradingError(f"The judge of {challenge.id} stopped unexpectedly.")
            result = run_notebook(
                challenge, nb, home, timeout, judge=judge, seed=on, kernel_factory=kernels.socket
            )
            report.runs += 1
            report.seconds += result.seconds
            return result

        try:
            _prove(challenge, report, run, solution, wrong_answers)
            fabricated = load_answers(challenge.fabricated_dir)
            if len(fabricated) < MIN_FABRICATED:
                report.problems.append(
                    f"fabricated/ has {len(fabricated)} answer(s); needs at least {MIN_FABRICATED}."
                )
            _prove_failing(challenge, report, run, solution, fabricated, "fabricated")
            _prove_alternatives(challenge, report, run, solution)
            if varies:
                _prove_variants(challenge, report, run, solution, home)
        finally:
            kernels.close()
            judge.close()
    return report


def _prove(
    challenge: Challenge,
    report: ChallengeReport,
    run: Callable[..., VerificationResult],
    solution: dict[str, str],
    wrong_answers: list[WrongAnswer],
) -> None:
    starter = run(read_notebook(challenge.notebook))
    not_attempted = [t.task for t in starter.tasks if t.outcome is not Outcome.NOT_ATTEMPTED]
    if not_attempted or starter.error or starter.notes:
        detail = starter.error or "; ".join(starter.notes) or _summary(starter)
        report.problems.append(
            f"the starter should be NOT_ATTEMPTED on every task and run without error: {detail}"
        )

    reference = run(notebook_with_answers(challenge, solution))
    if not reference.passed or reference.notes:
        report.problems.append(
            f"the reference solution does not pass clean verification{_on(reference.seed)}: {_summary(reference)} {' '.join(reference.notes)}".rstrip()
        )

    _prove_failing(challenge, report, run, solution, wrong_answers, "wrong")


def _on(seed: int | None) -> str:
    return "" if seed is None else f" on data variant {seed}"


def typed_in_answers(challenge: Challenge, home: Path) -> dict[str, str]:
    """Task cells that type in the shipped data's answers: each variable set to the reference's
    value on the shipped files, copied rather than computed (what a learner who pastes numbers
    from their own session hands in). A task whose answer is the same on every variant keeps
    the reference's code: copying it is as good as computing it."""
    from sandbox.grading.expected import ensure_expected

    entry = ensure_expected(challenge, home).folder
    solution = parse_sections(challenge.solution_file)
    # Variables a same-on-every-variant task makes stay computed when a later task lists them.
    kept = {v for t in challenge.tasks if t.same_on_every_variant is not None for v in t.variables}
    cells = {}
    for task in challenge.tasks:
        if task.same_on_every_variant is not None:
            cells[task.id] = solution[task.id]
            continue
        copied = [name for name in task.variables if name not in kept]
        lines = ["from sandbox.grading.artifacts import Artifacts as _Copied", ""]
        lines += [f"{name} = _Copied({str(entry)!r}).get({name!r})" for name in copied]
        cells[task.id] = "\n".join(lines) + "\n"
    return cells


def _prove_variants(
    challenge: Challenge,
    report: ChallengeReport,
    run: Callable[..., VerificationResult],
    solution: dict[str, str],
    home: Path,
) -> None:
    """The reference passes on every data variant of :data:`DEV_SEEDS` (the first was run
    already), and the shipped data's answers typed in fail with the words "typed in"."""
    for seed in DEV_SEEDS[1:]:
        reference = run(notebook_with_answers(challenge, solution), seed)
        if not reference.passed or reference.notes:
            report.problems.append(
                f"the reference solution does not pass clean verification{_on(seed)}: {_summary(reference)} {' '.join(reference.notes)}".rstrip()
            )
    copied = run(notebook_with_answers(challenge, typed_in_answers(challenge, home)), DEV_SEEDS[1])
    by_task = {t.task: t for t in copied.tasks}
    said = False
    for task in challenge.tasks:
        verdict = by_task[task.id]
        said = said or "typed in" in verdict.message
        if task.same_on_every_variant is None and verdict.outcome is not Outcome.FAIL:
            report.problems.append(
                f"the shipped data's answers typed in should FAIL {task.id}{_on(DEV_SEEDS[1])} "
                f"but it was {verdict.outcome.value} ({verdict.message}); if the answer cannot "
                "differ between variants, say why in the task's same_on_every_variant"
            )
    if not said:
        report.problems.append(
            f"the shipped data's answers typed in{_on(DEV_SEEDS[1])}: no message says they look "
            f"typed in ({_summary(copied)})"
        )


def _usable(
    challenge: Challenge, report: ChallengeReport, answer: WrongAnswer, folder: str
) -> bool:
    name = answer.path.name
    known_tasks = {t.id for t in challenge.tasks}
    if not answer.targets or not set(answer.targets) <= known_tasks:
        report.problems.append(
            f"{folder}/{name}: needs a '# targets: qN' line naming existing tasks."
        )
        return False
    if not set(answer.sections) & set(answer.targets):
        report.problems.append(f"{folder}/{name}: has no '# %% qN' section for its target(s).")
        return False
    return True


def _prove_failing(
    challenge: Challenge,
    report: ChallengeReport,
    run: Callable[..., VerificationResult],
    solution: dict[str, str],
    answers: list[WrongAnswer],
    folder: str,
) -> None:
    """Each answer must FAIL the tasks it targets, with its ``# expect:`` words."""
    for wrong in answers:
        name = wrong.path.name
        if not _usable(challenge, report, wrong, folder):
            continue
        result = run(notebook_with_answers(challenge, {**solution, **wrong.sections}))
        by_task = {t.task: t for t in result.tasks}
        for target in wrong.targets:
            verdict = by_task[target]
            if verdict.outcome is not Outcome.FAIL:
                report.problems.append(
                    f"{folder}/{name}: {target} should FAIL but was {verdict.outcome.value} ({verdict.message})"
                )
            elif wrong.expect and wrong.expect.lower() not in verdict.message.lower():
                report.problems.append(
                    f"{folder}/{name}: {target}'s message {verdict.message!r} does not mention {wrong.expect!r}"
                )


def _prove_alternatives(
    challenge: Challenge,
    report: ChallengeReport,
    run: Callable[..., VerificationResult],
    solution: dict[str, str],
) -> None:
    """Each valid alternative must pass clean verification as a whole."""
    alternatives = load_answers(challenge.alternatives_dir)
    if len(alternatives) < MIN_ALTERNATIVES:
        report.problems.append(
            f"alternatives/ has {len(alternatives)} answer(s); needs at least {MIN_ALTERNATIVES}."
        )
    for alternative in alternatives:
        if not _usable(challenge, report, alternative, "alternatives"):
            continue
        result = run(notebook_with_answers(challenge, {**solution, **alternative.sections}))
        if not result.passed or result.notes:
            report.problems.append(
                f"alternatives/{alternative.path.name} should PASS but did not: {_summary(result)}"
            )


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


#: Thread pools of the math libraries a kernel loads; see :func:`_authoring_environment`.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _authoring_environment(workers: int) -> Iterator[None]:
    """The environment the check's processes inherit, for as long as it runs (a variable
    someone set is kept):

    - TMPDIR on :func:`scratch_root`: the judge's reference runs and the kernels make their own
      scratch homes with ``tempfile``, and an Optuna or MLflow SQLite commit costs 5 ms on a
      disk, 0.1 ms on a RAM disk;
    - one thread per math library when challenges run side by side: each worker already keeps
      a core busy, and scikit-learn's OpenMP loops that wait for a busy core ran up to 4 times
      slower. The references run with the same setting as the notebooks they judge.
    """
    wanted: dict[str, str] = {}
    scratch = scratch_root()
    if scratch is not None:
        wanted["TMPDIR"] = scratch
    if workers > 1:
        wanted.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    added = [name for name in wanted if name not in os.environ]
    for name in added:
        os.environ[name] = wanted[name]
    tempfile.tempdir = None  # asked again on next use
    try:
        yield
    finally:
        for name in added:
            del os.environ[name]
        tempfile.tempdir = None


def run_dev_check(
    catalogue: Catalogue,
    ids: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    workers: int | None = None,
    on_report: Callable[[ChallengeReport], None] | None = None,
) -> list[ChallengeReport]:
    """Check the given challenges (all when empty) in parallel; ``on_report`` hears each report
    as it is ready, and the list returned is in catalogue order."""
    challenges = [catalogue.get(i) for i in ids] if ids else list(catalogue)
    results: dict[str, ChallengeReport] = {}
    # Threads suffice: the work happens in kernel subprocesses, one per verification. Higher
    # levels train models and take longest: started first, they do not leave one worker busy
    # long after the others are done.
    longest_first = sorted(challenges, key=lambda c: -c.level)
    workers = workers or default_workers()
    with _authoring_environment(workers), ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(check_challenge, c, timeout): c for c in longest_first}
        for future in as_completed(futures):  # each report as soon as it is ready
            challenge = futures[future]
            try:
                report = future.result()
            except Exception as exc:  # a broken challenge must not hide the others' reports
                report = ChallengeReport(
                    challenge.id, [f"could not be checked: {type(exc).__name__}: {exc}"]
                )
            results[challenge.id] = report
            if on_report:
                on_report(report)
    return [results[c.id] for c in challenges]

"""The judge: a process that runs no learner code and decides every verdict.

``python -m sandbox.grading.judge CHALLENGE HOME [SEED]`` loads the challenge's expected
values (computed by the reference in its own process and sealed in the cache, see
:mod:`sandbox.grading.expected`) on the shipped data or on the data variant ``SEED``, imports
the challenge's ``checks.py``, says ``{"ready": …}`` on stdout, then answers requests on
stdin, one JSON object per line::

    {"op": "judge", "artifacts": "/path/to/artifacts", "tasks": ["q1"] | null, "seed": 7 | null}
    → {"results": [{"task": "q1", "outcome": "PASS", "message": "…"}, …],
       "computed": ["/path/of/a/cache/entry/computed/for/this/request", …]}

A request's checks see the same data variant as the notebook did (``datasets.load`` in
``checks.py`` and :class:`~sandbox.grading.context.CheckContext` read it). When a task fails
on a variant but its answer passes against the shipped data, the answer was copied, not
computed, and the message says so.

It reads the learner's answers only as data (:class:`sandbox.grading.artifacts.Artifacts`)
and the learner's stores (MLflow, Optuna) from the data home, and never imports, unpickles or
calls anything the learner's process made. :class:`JudgeClient` starts and talks to it; clean
verification starts one per run (warming up while the kernel runs), and a notebook's inline
checks keep one for the life of the kernel.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from sandbox.catalogue import Challenge, Task
from sandbox.errors import GradingError
from sandbox.grading.compare import COMPARATORS, describe_type
from sandbox.grading.context import CheckContext, DataSpec
from sandbox.grading.outcome import Fail, Outcome, TaskResult, is_placeholder
from sandbox.paths import local_env

READY_TIMEOUT = 900.0  # the reference of an ML challenge may train for a while on a busy machine
JUDGE_TIMEOUT = 600.0


def load_checks_module(challenge: Challenge, seed: int | None = None) -> ModuleType | None:
    """Import the challenge's checks.py under a private module name (None when it has none).

    One module per data variant ``seed``: whatever a check keeps at module level (a fitted
    model, loaded rows) then belongs to the data it was made from, never to another variant's.
    """
    if not challenge.checks_file.is_file():
        return None
    name = f"_sandbox_checks_{challenge.id.replace('-', '_')}_{'shipped' if seed is None else seed}"
    spec = importlib.util.spec_from_file_location(name, challenge.checks_file)
    if spec is None or spec.loader is None:
        raise GradingError(f"Cannot load {challenge.checks_file}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _function(challenge: Challenge, module: ModuleType | None, name: str) -> Callable[..., Any]:
    found = getattr(module, name, None) if module is not None else None
    if not callable(found):
        raise GradingError(f"{challenge.checks_file} has no function {name!r}.")
    return found  # type: ignore[no-any-return]


def _estimator_check(
    challenge: Challenge,
    task: Task,
    answer: Mapping[str, Any],
    expected: Mapping[str, Any],
    module: ModuleType | None,
    ctx: CheckContext,
) -> None:
    """A fitted scikit-learn estimator: of the class and parameters the prompt names
    (``estimator``), fitted on the rows it prescribes (``fitted_on``, proven by refitting, see
    :mod:`sandbox.grading.provenance`), and scoring on rows the judge keeps (``holdout``)."""
    from sklearn.base import is_classifier, is_regressor
    from sklearn.metrics import get_scorer

    from sandbox.grading import provenance
    from sandbox.grading.models import untrusted_message
    from sandbox.grading.records import UntrustedEstimator

    name = task.variables[0]
    model, reference = answer[name], expected[name]
    options = task.check.options
    if isinstance(model, UntrustedEstimator):
        raise Fail(untrusted_message(name, model))
    if not hasattr(model, "fit") or not hasattr(model, "predict"):
        raise Fail(
            f"`{name}` is {describe_type(model)}; expected a scikit-learn estimator or Pipeline."
        )
    if options.get("estimator"):
        if options.get("fitted_on"):
            ctx.require_estimator(name, model, str(options["estimator"]))
        else:
            provenance.require_estimator(name, model, str(options["estimator"]))
    provenance.require_fitted(name, model, f"call `{name}.fit(X_train, y_train)`")
    if is_classifier(reference) and not is_classifier(model):
        raise Fail(f"`{name}` is not a classifier, but this task predicts a category.")
    if is_regressor(reference) and not is_regressor(model):
        raise Fail(f"`{name}` is not a regressor, but this task predicts a number.")
    holdout = options.get("holdout")
    held_out: tuple[Any, Any] | None = None
    if holdout:
        rows = _function(challenge, module, str(holdout))
        X_rows, y_rows = rows(ctx) if inspect.signature(rows).parameters else rows()
        held_out = (X_rows, y_rows)
    if options.get("fitted_on"):
        # "train": the training rows of the DataSpec's split; the judge's rows to compare on
        # are the held-out rows when the task has them.
        ctx.require_fitted_on(name, model, on=None if held_out is None else held_out[0])
    if held_out is None:
        return
    X_holdout, y_holdout = held_out
    metric = str(options.get("metric", "accuracy"))
    scorer = get_scorer(metric)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score = float(scorer(model, X_holdout, y_holdout))
    except Exception as exc:
        raise Fail(
            f"`{name}` could not score the held-out rows: {type(exc).__name__}: {exc}"
        ) from None
    floor = options.get("min_score")
    if floor is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            floor = float(scorer(reference, X_holdout, y_holdout)) - 0.02
    if score < float(floor):
        raise Fail(
            f"`{name}` scores {metric} = {score:.3f} on held-out rows it never saw; it needs at least {float(floor):.3f}."
        )


def evaluate_task(
    challenge: Challenge,
    task: Task,
    artifacts: Any,
    expected_artifacts: Any,
    home: Path,
    module: ModuleType | None = None,
    earlier: Mapping[str, bool] | None = None,
) -> TaskResult:
    """The verdict for one task, from the learner's and the reference's artifacts."""
    from sandbox.grading.artifacts import ArtifactError, ExportFailure

    answer: dict[str, Any] = {}
    for name in task.variables:
        if name in artifacts.missing or not artifacts.has(name):
            return TaskResult(
                task.id,
                Outcome.FAIL,
                f"`{name}` is not defined. Run the cell that assigns it (and the cells above it).",
            )
        if artifacts.is_placeholder(name):
            return TaskResult(
                task.id, Outcome.NOT_ATTEMPTED, f"Replace ____ with your answer for `{name}`."
            )
    try:
        for name in task.variables:
            value = artifacts.get(name)
            if isinstance(value, ExportFailure):
                return TaskResult(
                    task.id,
                    Outcome.ERROR,
                    f"`{name}` could not be handed to the judge: {value.message}",
                )
            if is_placeholder(value):
                return TaskResult(
                    task.id, Outcome.NOT_ATTEMPTED, f"Replace ____ with your answer for `{name}`."
                )
            answer[name] = value
    except ArtifactError as exc:
        return TaskResult(task.id, Outcome.ERROR, f"Your answer could not be read: {exc}")
    try:
        expected = {name: expected_artifacts.get(name, None) for name in task.variables}
        kind, options = task.check.kind, task.check.options
        data = getattr(module, "DATA", None) if module is not None else None
        ctx = CheckContext(
            challenge,
            task,
            home,
            artifacts,
            expected_artifacts,
            data if isinstance(data, DataSpec) else None,
            earlier if earlier is not None else {},
        )
        with ctx.builds_on(*options.get("builds_on", ())):
            if kind == "custom":
                _function(challenge, module, str(options["function"]))(answer, expected, ctx)
            elif kind == "estimator":
                _estimator_check(challenge, task, answer, expected, module, ctx)
            else:
                compare = COMPARATORS[kind]
                for name in task.variables:
                    compare(name, answer[name], expected[name], options)
    except Fail as failure:
        return TaskResult(task.id, Outcome.FAIL, str(failure))
    except GradingError as exc:
        return TaskResult(task.id, Outcome.ERROR, str(exc))
    except Exception as exc:  # a learner value that breaks a comparison is an error, not a crash
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return TaskResult(
            task.id,
            Outcome.ERROR,
            f"Checking `{', '.join(task.variables)}` raised {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno}).",
        )
    return TaskResult(task.id, Outcome.PASS, _praise(task))


def _praise(task: Task) -> str:
    names = ", ".join(f"`{n}`" for n in task.variables)
    return f"{names} {'is' if len(task.variables) == 1 else 'are'} correct."


#: What a check's use of a CheckContext helper imports when it first runs.
_HELPER_IMPORTS = {
    "tracking_client": ("mlflow",),
    "load_logged_model": ("mlflow", "skops.io", "yaml"),
    "stored_study": ("optuna",),
    "split": ("sklearn.model_selection",),
    "require_fitted_on": ("sklearn.base", "sklearn.pipeline", "sklearn.compose"),
}


def modules_checks_use(challenge: Challenge) -> list[str]:
    """Every module the challenge's ``checks.py`` imports (at the top or inside functions),
    and those the CheckContext helpers it calls import."""
    import ast

    if not challenge.checks_file.is_file():
        return []
    tree = ast.parse(challenge.checks_file.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Attribute) and node.attr in _HELPER_IMPORTS:
            found.extend(_HELPER_IMPORTS[node.attr])
    if any(name.split(".")[0] == "sklearn" for name in found):
        found.append("skops.io")  # the learner's estimators arrive as skops files
    return list(dict.fromkeys(found))


def warm_up(challenge: Challenge) -> None:
    """Import now what the checks will import, while the learner's kernel is still running
    (MLflow and skops cost seconds each): the verdict after the run then comes at once."""
    import importlib

    for name in modules_checks_use(challenge):
        if name.split(".")[0] in ("sandbox", "__future__"):
            continue
        with contextlib.suppress(Exception):  # a check that fails to import reports it itself
            importlib.import_module(name)


#: Added to a failure on a data variant when the answer is right for the shipped data.
TYPED_IN = (
    "Your answer is what the shipped data gives, but clean verification runs your notebook on "
    "fresh data (variant {seed}), where the answer differs: it looks typed in rather than "
    "computed. Compute it from the data in the notebook instead of copying a result."
)


def _decoded(folder: Path) -> Any:
    from sandbox.grading.artifacts import Artifacts

    artifacts = Artifacts(folder)
    for name in artifacts.names:  # decode now: imports what the checks will need
        artifacts.get(name)
    return artifacts


class Judge:
    """Judges the tasks of one challenge for one data home (in the judge process)."""

    def __init__(self, challenge: Challenge, home: Path, seed: int | None = None) -> None:
        from sandbox.grading.expected import remove_legacy_cache

        self.challenge = challenge
        self.home = home
        self.seed = seed
        self._expected: dict[int | None, Any] = {}
        self._folders: dict[int, Path] = {}
        self.computed: list[Path] = []  # cache entries this judge wrote, reported to the verifier
        remove_legacy_cache(home)
        self.entry = self._ensure(seed)
        self._expected[seed] = _decoded(self.entry.folder)
        self.expected = self._expected[seed]
        self._modules: dict[int | None, ModuleType | None] = {}
        self.module = self.module_for(seed)
        warm_up(challenge)
        if seed is not None:  # write the variant's files now, while the kernel still runs
            from sandbox import datasets

            with contextlib.suppress(Exception):  # reading them later reports any problem
                datasets.write_variant(self._folder(seed), seed, challenge.datasets)

    def module_for(self, seed: int | None) -> ModuleType | None:
        """The challenge's checks, loaded for the data variant ``seed`` alone."""
        if seed not in self._modules:
            self._modules[seed] = load_checks_module(self.challenge, seed)
        return self._modules[seed]

    def _ensure(self, seed: int | None) -> Any:
        from sandbox.grading.expected import ensure_expected

        entry = ensure_expected(self.challenge, self.home, seed)
        if entry.computed:
            self.computed.append(entry.folder)
        return entry

    def expected_for(self, seed: int | None) -> Any:
        """The reference's artifacts on the data variant ``seed`` (None: the shipped data)."""
        if seed not in self._expected:
            self._expected[seed] = _decoded(self._ensure(seed).folder)
        return self._expected[seed]

    @contextlib.contextmanager
    def data(self, seed: int | None) -> Iterator[None]:
        """``datasets.path``/``load`` give the variant ``seed`` inside (the shipped files for None)."""
        from sandbox import datasets

        with datasets.use_variant(seed, None if seed is None else self._folder(seed)):
            yield

    def _folder(self, seed: int) -> Path:
        """This judge's private folder of the variant ``seed``'s files."""
        if seed not in self._folders:
            self._folders[seed] = Path(tempfile.mkdtemp(prefix="sandbox-judge-data-"))
        return self._folders[seed]

    def close(self) -> None:
        import shutil

        for folder in self._folders.values():
            shutil.rmtree(folder, ignore_errors=True)

    def judge(
        self, folder: Path, task_ids: Iterable[str] | None = None, seed: int | None = None
    ) -> list[TaskResult]:
        from sandbox.grading.artifacts import ArtifactError, Artifacts

        wanted = None if task_ids is None else set(task_ids)
        tasks = [t for t in self.challenge.tasks if wanted is None or t.id in wanted]
        try:
            artifacts = Artifacts(folder)
        except ArtifactError as exc:
            return [
                TaskResult(t.id, Outcome.ERROR, f"Could not grade the task: {exc}") for t in tasks
            ]
        expected = self.expected_for(seed)
        module = self.module_for(seed)
        verdicts: dict[str, bool] = {}

        def judge_one(task: Task) -> TaskResult:
            earlier = _EarlierVerdicts(
                self.challenge.tasks,
                task,
                verdicts,
                judge_one,
                lambda t: all(artifacts.has(name) for name in t.variables),
            )
            result = evaluate_task(
                self.challenge, task, artifacts, expected, self.home, module, earlier
            )
            verdicts[task.id] = result.outcome is Outcome.PASS
            return result

        with self.data(seed):
            results = [judge_one(task) for task in tasks]
        if seed is not None:
            results = [self._typed_in(r, artifacts, seed) for r in results]
        return results

    def _typed_in(self, result: TaskResult, artifacts: Any, seed: int) -> TaskResult:
        """A failure whose answer passes against the shipped data: say it looks typed in."""
        if result.outcome is not Outcome.FAIL:
            return result
        task = self.challenge.task(result.task)
        try:
            shipped = self.expected_for(None)
            with self.data(None):
                again = evaluate_task(
                    self.challenge, task, artifacts, shipped, self.home, self.module_for(None), {}
                )
        except Exception:  # the diagnosis is a courtesy: the verdict stands without it
            return result
        if again.outcome is not Outcome.PASS:
            return result
        return TaskResult(
            result.task, Outcome.FAIL, f"{result.message} {TYPED_IN.format(seed=seed)}"
        )


class _EarlierVerdicts(Mapping[str, bool]):
    """Whether each task before ``task`` passed in this judgement, for ``ctx.passed_earlier``.

    A task the request did not include (an inline check of one task) is judged when a check
    first asks about it, so a later task can say its input came from a failed earlier one;
    when its variables were not handed over, it is unknown (``passed_earlier`` gives None).
    """

    def __init__(
        self,
        tasks: Iterable[Task],
        task: Task,
        verdicts: dict[str, bool],
        judge_one: Callable[[Task], TaskResult],
        available: Callable[[Task], bool],
    ) -> None:
        ordered = list(tasks)
        self._before = {t.id: t for t in ordered[: ordered.index(task)]}
        self._available = available
        self._verdicts = verdicts
        self._judge_one = judge_one

    def __getitem__(self, task_id: str) -> bool:
        if task_id not in self._before:
            raise KeyError(task_id)
        if task_id not in self._verdicts:
            if not self._available(self._before[task_id]):
                raise KeyError(task_id)
            self._judge_one(self._before[task_id])
        return self._verdicts[task_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._before)

    def __len__(self) -> int:
        return len(self._before)


# ------------------------------------------------------------------------------------ process


def serve(
    challenge_id: str,
    home: Path,
    requests: IO[str],
    replies: IO[str],
    seed: int | None = None,
) -> int:
    from sandbox.catalogue import default_catalogue

    def say(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    try:
        judge = Judge(default_catalogue().get(challenge_id), home, seed)
    except Exception as exc:
        say(
            {
                "failed": str(exc)
                if isinstance(exc, GradingError)
                else f"{type(exc).__name__}: {exc}"
            }
        )
        return 1
    say(
        {
            "ready": {
                "expected": str(judge.entry.folder),
                "computed": judge.entry.computed,
                "seal": judge.entry.seal,
                "seed": seed,
            }
        }
    )
    try:
        return _answer(judge, requests, say)
    finally:
        judge.close()


def _answer(judge: Judge, requests: IO[str], say: Callable[[dict[str, Any]], None]) -> int:
    for line in requests:
        try:
            request = json.loads(line)
        except ValueError:
            say({"failed": "malformed request"})
            continue
        if not isinstance(request, dict) or request.get("op") == "quit":
            break
        if request.get("op") != "judge":
            say({"failed": f"unknown request {request.get('op')!r}"})
            continue
        tasks = request.get("tasks")
        seed = request.get("seed", judge.seed)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            say({"failed": f"malformed seed {seed!r}"})
            continue
        known = len(judge.computed)
        try:
            results = judge.judge(Path(str(request.get("artifacts"))), tasks, seed)
        except Exception as exc:
            say({"failed": f"{type(exc).__name__}: {exc}"})
            continue
        computed = [str(p) for p in judge.computed[known:]]
        say({"results": [r.to_json() for r in results], "computed": computed})
    return 0


def main(argv: list[str]) -> int:
    challenge_id, home, *rest = argv
    seed = int(rest[0]) if rest else None
    # Replies travel on the real stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # child processes inherit stderr as their stdout, never the protocol pipe
    sys.stdout = sys.stderr
    os.environ.setdefault("MPLBACKEND", "Agg")
    with contextlib.suppress(Exception):
        import warnings

        warnings.simplefilter("ignore")
    code = serve(challenge_id, Path(home), sys.stdin, replies, seed)
    replies.flush()
    # Skip the interpreter's teardown of pandas, scikit-learn, MLflow...: nearly a second the
    # verifier would otherwise wait for, with nothing left to write.
    os._exit(code)


class _Default:
    """The type of :data:`DEFAULT`: "the judge's own seed", as opposed to None (shipped data)."""


DEFAULT = _Default()


class JudgeClient:
    """Starts a judge process for one challenge and data home, and talks to it."""

    def __init__(self, challenge_id: str, home: Path, seed: int | None = None) -> None:
        self.seed = seed
        self.computed: list[Path] = []  # cache entries the judge wrote, for the cache watch
        env = local_env(home)
        env.setdefault("MPLBACKEND", "Agg")
        env["PYTHONUNBUFFERED"] = "1"
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox.grading.judge",
                challenge_id,
                str(home),
                *([] if seed is None else [str(seed)]),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self._replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready_info: dict[str, Any] | None = None

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._replies.put(line)
        self._replies.put(None)

    def _reply(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise GradingError(f"The judge did not answer within {timeout:.0f} s.")
            try:
                line = self._replies.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise GradingError(f"The judge stopped unexpectedly. {self._last_stderr()}".strip())
            with contextlib.suppress(ValueError):
                message = json.loads(line)
                if isinstance(message, dict):
                    return message

    def _last_stderr(self) -> str:
        with contextlib.suppress(Exception):
            self._stderr.seek(0)
            lines = [line for line in self._stderr.read().splitlines() if line.strip()]
            return lines[-1] if lines else ""
        return ""

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> dict[str, Any]:
        if self.ready_info is None:
            message = self._reply(timeout)
            if "failed" in message:
                self.close()
                raise GradingError(str(message["failed"]))
            self.ready_info = dict(message.get("ready") or {})
        return self.ready_info

    def judge(
        self,
        folder: Path,
        task_ids: Iterable[str] | None = None,
        timeout: float = JUDGE_TIMEOUT,
        seed: int | _Default | None = DEFAULT,
    ) -> list[TaskResult]:
        """Verdicts for the artifacts in ``folder``, judged on the data variant ``seed`` (by
        default the one this judge was started with; None: the shipped data)."""
        self.wait_ready()
        request = {
            "op": "judge",
            "artifacts": str(folder),
            "tasks": None if task_ids is None else list(task_ids),
            "seed": self.seed if isinstance(seed, _Default) else seed,
        }
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise GradingError(
                f"The judge stopped unexpectedly. {self._last_stderr()}".strip()
            ) from None
        message = self._reply(timeout)
        if "failed" in message:
            raise GradingError(f"The judge could not grade the notebook: {message['failed']}")
        self.computed.extend(Path(str(p)) for p in message.get("computed") or [])
        return [TaskResult.from_json(r) for r in message.get("results", [])]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.process.stdin is not None:
                self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(Exception):
            self._stderr.close()
        if self.process.stdout is not None:
            with contextlib.suppress(Exception):
                self.process.stdout.close()  # the reader thread has seen EOF


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

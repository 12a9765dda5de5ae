"""The reference side of a check: solution sections, solved notebooks and expected values.

Notebook cell tags (in cell metadata ``tags``):

``sandbox:binding``  the imports and ``ch = challenge("<id>")``.
``task:qN``          the learner's answer cell for task qN (``name = ____`` in the starter).
``check:qN``         the cell calling ``ch.qN.check()``; skipped when computing expected values.
``sandbox:submit``   the cell calling ``ch.submit()``; skipped likewise.

``solution.py`` holds one ``# %% qN`` section per task: the code that replaces the
task cell. Expected values are computed by running the starter's other code cells
with the solution sections in place of the task cells, in a fresh namespace and a
throwaway data home — never typed in by hand, so a change to a dataset changes them too.

``wrong/<name>.py`` files hold near-miss answers: a ``# targets: qN`` header line, an
optional ``# expect: <words the failure message must contain>`` line, and ``# %% qN``
sections replacing the named tasks' cells.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.catalogue import Challenge
from sandbox.errors import GradingError
from sandbox.grading.outcome import PLACEHOLDER

TAG_BINDING = "sandbox:binding"
TAG_SUBMIT = "sandbox:submit"
TASK_TAG = "task:"
CHECK_TAG = "check:"
_SECTION_RE = re.compile(r"^# %% (q\d+)\s*$", re.MULTILINE)


def parse_sections(path: Path) -> dict[str, str]:
    """``# %% qN`` sections of a solution or wrong-answer file, keyed by task id."""
    text = path.read_text(encoding="utf-8")
    matches = list(_SECTION_RE.finditer(text))
    sections: dict[str, str] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections[match.group(1)] = text[match.end() : end].strip("\n") + "\n"
    return sections


@dataclass(frozen=True)
class WrongAnswer:
    path: Path
    targets: tuple[str, ...]
    expect: str | None
    sections: dict[str, str]


def load_wrong_answers(challenge: Challenge) -> list[WrongAnswer]:
    answers = []
    for path in sorted(challenge.wrong_dir.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        targets_match = re.search(r"^# targets:\s*(.+)$", text, re.MULTILINE)
        expect_match = re.search(r"^# expect:\s*(.+)$", text, re.MULTILINE)
        targets = (
            tuple(t.strip() for t in targets_match.group(1).split(",")) if targets_match else ()
        )
        answers.append(
            WrongAnswer(
                path,
                targets,
                expect_match.group(1).strip() if expect_match else None,
                parse_sections(path),
            )
        )
    return answers


def cell_tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def task_of(cell: Any, prefix: str = TASK_TAG) -> str | None:
    for tag in cell_tags(cell):
        if tag.startswith(prefix):
            return str(tag[len(prefix) :])
    return None


def read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    except FileNotFoundError:
        raise GradingError(f"Notebook {path} does not exist.") from None
    except Exception as exc:  # nbformat raises several unrelated types for damaged files
        raise GradingError(f"Notebook {path} cannot be read as a Jupyter notebook: {exc}") from None


def notebook_with_answers(challenge: Challenge, answers: dict[str, str]) -> Any:
    """The starter notebook with the given task cells replaced by ``answers``."""
    nb = copy.deepcopy(read_notebook(challenge.notebook))
    for cell in nb.cells:
        task = task_of(cell)
        if cell.cell_type == "code" and task in answers:
            cell.source = answers[task].rstrip("\n")
    return nb


def solved_notebook(challenge: Challenge) -> Any:
    return notebook_with_answers(challenge, parse_sections(challenge.solution_file))


def _reference_sources(challenge: Challenge) -> Iterator[tuple[str, str]]:
    solution = parse_sections(challenge.solution_file)
    missing = [t.id for t in challenge.tasks if t.id not in solution]
    if missing:
        raise GradingError(
            f"{challenge.solution_file} has no section for {', '.join(missing)} (add '# %% {missing[0]}')."
        )
    nb = read_notebook(challenge.notebook)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell_tags(cell)
        if TAG_SUBMIT in tags or any(t.startswith(CHECK_TAG) for t in tags):
            continue
        task = task_of(cell)
        yield (
            (f"task {task}" if task else f"cell {index + 1}"),
            (solution[task] if task else cell.source),
        )


@contextlib.contextmanager
def _quiet_displays() -> Iterator[None]:
    """Keep the reference run from printing or displaying anything in the learner's notebook."""
    shell = None
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        shell = get_ipython()
    publisher = getattr(shell, "display_pub", None)
    original = getattr(publisher, "publish", None)
    if publisher is not None:
        publisher.publish = lambda *args, **kwargs: None
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        if publisher is not None:
            publisher.publish = original
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


@contextlib.contextmanager
def _isolated_home() -> Iterator[Path]:
    """Run the reference against a throwaway data home and working directory.

    The reference may log MLflow runs, create Optuna studies or write files; none of
    that may land in the learner's stores or workspace. Process-wide state that such
    code changes (environment, working directory, MLflow's tracking URI) is restored.
    """
    import atexit
    import shutil
    import tempfile

    from sandbox.paths import HOME_ENV

    saved_env = os.environ.get(HOME_ENV)
    saved_cwd = os.getcwd()
    mlflow = sys.modules.get("mlflow")
    saved_uri = mlflow.get_tracking_uri() if mlflow is not None else None
    saved_registry = mlflow.get_registry_uri() if mlflow is not None else None
    # MLflow keeps the active experiment in a module global of its fluent API.
    fluent = sys.modules.get("mlflow.tracking.fluent")
    saved_experiment = getattr(fluent, "_active_experiment_id", None)
    home = Path(tempfile.mkdtemp(prefix="sandbox-reference-"))
    # Kept while the process lives: the reference namespace may still point at files in it.
    atexit.register(shutil.rmtree, home, True)
    (home / "workspace").mkdir()
    os.environ[HOME_ENV] = str(home)
    os.chdir(home / "workspace")
    try:
        yield home
    finally:
        os.chdir(saved_cwd)
        if saved_env is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = saved_env
        mlflow = sys.modules.get("mlflow")
        if mlflow is not None:
            while mlflow.active_run() is not None:
                mlflow.end_run()
            if saved_uri is not None:
                mlflow.set_tracking_uri(saved_uri)
                if saved_registry is not None:
                    mlflow.set_registry_uri(saved_registry)
                fluent = sys.modules.get("mlflow.tracking.fluent")
                if fluent is not None and hasattr(fluent, "_active_experiment_id"):
                    fluent._active_experiment_id = saved_experiment  # type: ignore[attr-defined]
            else:
                # Point MLflow back at the learner's store, as sandbox.integrations would.
                with contextlib.suppress(Exception):
                    from sandbox.integrations.tracking import configure

                    configure()


def _transform(source: str) -> str:
    """Turn IPython syntax (magics, ``!cmd``) into plain Python where IPython is present."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return str(TransformerManager().transform_cell(source))  # type: ignore[no-untyped-call]


_CACHE: dict[str, dict[str, Any]] = {}


def reference_key(challenge: Challenge) -> str:
    """A digest of everything the expected values depend on: the challenge's files and the data registry."""
    import hashlib

    from sandbox.paths import datasets_dir

    digest = hashlib.sha256()
    for path in (
        challenge.folder / "challenge.toml",
        challenge.solution_file,
        challenge.notebook,
        datasets_dir() / "datasets.toml",
    ):
        digest.update(path.read_bytes() if path.exists() else b"")
    return f"{challenge.id}-{digest.hexdigest()[:16]}"


def _cache_file(key: str) -> Path:
    from sandbox.paths import data_home

    return data_home() / "cache" / "expected" / f"{key}.pickle"


def _load_cached(key: str) -> dict[str, Any] | None:
    import pickle

    try:
        with _cache_file(key).open("rb") as fh:
            values = pickle.load(fh)
    except Exception:  # missing, unreadable or from an incompatible library version: recompute
        return None
    return values if isinstance(values, dict) else None


#: Values from these libraries do not survive a pickle round trip faithfully (plotly figures
#: come back with binary-encoded arrays; Optuna studies and MLflow objects point at stores
#: that are gone), so challenges holding them are recomputed rather than cached on disk.
_NOT_DISK_CACHED = {"plotly", "matplotlib", "optuna", "mlflow"}


def _store_cached(key: str, values: dict[str, Any]) -> None:
    import pickle

    if any(type(v).__module__.split(".")[0] in _NOT_DISK_CACHED for v in values.values()):
        return
    try:
        payload = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an expected value that cannot be pickled is simply recomputed next time
        return
    target = _cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(target)
    except OSError:
        return


def expected_values(challenge: Challenge) -> dict[str, Any]:
    """The reference's value of every task variable.

    Computed by running the reference in a fresh namespace and a throwaway data home,
    then cached in memory and in ``<data home>/cache/expected/`` (keyed by a digest of
    the challenge's files), so a verification kernel reuses what an inline check
    already computed instead of training the reference model again.
    """
    key = reference_key(challenge)
    if key in _CACHE:
        return _CACHE[key]
    cached = _load_cached(key)
    if cached is not None:
        _CACHE[key] = cached
        return cached
    namespace: dict[str, Any] = {
        "__name__": "__sandbox_reference__",
        "____": PLACEHOLDER,
        "display": lambda *args, **kwargs: None,
    }
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        namespace["get_ipython"] = get_ipython
    with _isolated_home(), _quiet_displays():
        for where, source in _reference_sources(challenge):
            try:
                exec(
                    compile(_transform(source), f"<reference {challenge.id} {where}>", "exec"),
                    namespace,
                )
            except Exception as exc:
                raise GradingError(
                    f"The reference solution of {challenge.id!r} failed in {where}: {type(exc).__name__}: {exc}. "
                    "This is a problem with the challenge, not your answer; `sandbox dev check` shows it too."
                ) from exc
    values = {name: namespace.get(name) for task in challenge.tasks for name in task.variables}
    _CACHE[key] = values
    _store_cached(key, values)
    return values

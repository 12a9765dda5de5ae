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
sections replacing the named tasks' cells. ``fabricated/<name>.py`` files have the same
form (typed-in, leaky or fake answers that must FAIL); ``alternatives/<name>.py`` files hold
valid, different solutions of their target tasks that must PASS.
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
    """The near misses in ``wrong/`` (each must FAIL its targets)."""
    return load_answers(challenge.wrong_dir)


def load_answers(folder: Path) -> list[WrongAnswer]:
    """Answer files of one folder (``wrong/``, ``alternatives/`` or ``fabricated/``): each a
    ``# targets: qN, …`` line, an optional ``# expect: …`` line and ``# %% qN`` sections."""
    answers = []
    for path in sorted(folder.glob("*.py")):
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


def skip_iri_grammar() -> None:
    """Spare this process a second of start-up: nbformat imports jsonschema, whose optional
    ``rfc3987_syntax`` helper builds a parser at import time (about 1 s, 5 s on a busy machine)
    for IRI formats that notebooks never use. Called by the sandbox's own processes before they
    import nbformat; never in a learner's kernel."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def read_notebook(path: Path) -> Any:
    skip_iri_grammar()
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


def _transform(source: str) -> str:
    """Turn IPython syntax (magics, ``!cmd``) into plain Python where IPython is present."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return str(TransformerManager().transform_cell(source))  # type: ignore[no-untyped-call]


def run_reference(challenge: Challenge, out_dir: Path) -> None:
    """Run the reference solution in *this* process and export its task variables to ``out_dir``.

    Meant for a fresh process (``python -m sandbox.grading.reference``): the caller gives it a
    throwaway data home and working directory, so the MLflow runs, Optuna studies and files
    the reference makes land there and nowhere else.
    """

    from sandbox.grading.export import export_namespace

    namespace: dict[str, Any] = {
        "__name__": "__sandbox_reference__",
        "____": PLACEHOLDER,
        "display": lambda *args, **kwargs: None,
    }
    with contextlib.suppress(ImportError):
        from IPython import get_ipython

        namespace["get_ipython"] = get_ipython
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        for where, source in _reference_sources(challenge):
            try:
                exec(
                    compile(_transform(source), f"<reference {challenge.id} {where}>", "exec"),
                    namespace,
                )
            except Exception as exc:
                raise GradingError(
                    f"The reference solution of {challenge.id!r} failed in {where}: "
                    f"{type(exc).__name__}: {exc}. This is a problem with the challenge, not your "
                    "answer; `sandbox dev check` shows it too."
                ) from exc
        export_namespace(challenge, namespace, out_dir)


def main(argv: list[str]) -> int:
    """``python -m sandbox.grading.reference CHALLENGE OUT_DIR SCRATCH [SEED]``: exit 0, or 1
    with the reason on stderr. ``SCRATCH``: an empty folder the caller removes afterwards, for
    the run's data home and working directory. With ``SEED`` the solution reads that variant of
    every dataset."""
    import json
    import sys
    import tempfile

    from sandbox import datasets
    from sandbox.catalogue import default_catalogue
    from sandbox.paths import HOME_ENV

    challenge_id, out_dir, scratch_dir, *rest = argv
    seed = int(rest[0]) if rest else None
    scratch = Path(scratch_dir)
    (scratch / "workspace").mkdir()
    (scratch / "data").mkdir()
    os.environ[HOME_ENV] = str(scratch)
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.chdir(scratch / "workspace")
    try:
        with datasets.use_variant(seed, scratch / "data" if seed is not None else None):
            run_reference(default_catalogue().get(challenge_id), Path(out_dir))
    except Exception as exc:
        message = str(exc) if isinstance(exc, GradingError) else f"{type(exc).__name__}: {exc}"
        sys.stderr.write(json.dumps({"error": message}) + "\n")
        return 1
    finally:
        os.chdir(tempfile.gettempdir())  # out of the scratch folder its caller removes
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))

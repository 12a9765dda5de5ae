"""The producing side of a check: hand a namespace's task variables to the judge as data.

Runs wherever answers are produced and nowhere else: at the end of a clean-verification
kernel (the cell the verifier appends), inside the learner's own kernel for an inline
``ch.qN.check()``, and in the reference process for the expected values. It only *writes*
artifacts (:mod:`sandbox.grading.artifacts`); it decides nothing. Code that patches it can
only change what is handed over, which is no more than assigning other values to the
variables — the verdict is reached in the judge process.

Probes
------
Some answers are behaviour, not data: a Pandera schema, a function, a model whose pipeline
calls a function the learner wrote. A challenge may ship ``probes.py`` beside its manifest
with one function per such variable, ``probe_<variable>(value)``, returning a dict of plain
data (frames, numbers, text) measured by running the value on the challenge's data; the
exporter writes that dict next to the variable and the judge's checks read it with
``ctx.probe("<variable>")``. Probes run in the producing process, never in the judge, and
hold no secrets: everything in ``probes.py`` is visible to the learner.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.catalogue import Challenge

PROBES_FILE = "probes.py"
_MISSING = object()


def task_variables(challenge: Challenge, task_ids: Iterable[str] | None = None) -> list[str]:
    """The variable names of the given tasks (all tasks when None), in order, without repeats."""
    wanted = None if task_ids is None else set(task_ids)
    names: list[str] = []
    for task in challenge.tasks:
        if wanted is not None and task.id not in wanted:
            continue
        names.extend(n for n in task.variables if n not in names)
    return names


def load_probes(challenge: Challenge) -> ModuleType | None:
    path = challenge.folder / PROBES_FILE
    if not path.is_file():
        return None
    name = f"_sandbox_probes_{challenge.id.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def export_namespace(
    challenge: Challenge,
    namespace: Mapping[str, Any],
    folder: Path,
    names: Iterable[str] | None = None,
) -> None:
    """Write ``names`` (default: every task variable) from ``namespace`` into ``folder``."""
    from sandbox.grading.artifacts import write_artifacts
    from sandbox.grading.outcome import is_placeholder

    wanted = list(names) if names is not None else task_variables(challenge)
    values: dict[str, Any] = {}
    missing: list[str] = []
    for name in wanted:
        value = namespace.get(name, _MISSING)
        if value is _MISSING:
            missing.append(name)
        else:
            values[name] = value
    probes: dict[str, Any] = {}
    module = load_probes(challenge) if values else None
    for name, value in values.items():
        probe = getattr(module, f"probe_{name}", None) if module is not None else None
        if probe is None or is_placeholder(value):
            continue
        try:
            probes[name] = probe(value)
        except Exception as exc:  # the learner's value broke the probe: the check says so
            probes[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    write_artifacts(folder, values, missing, probes)


def export_from_kernel(challenge_id: str, folder: str) -> None:
    """Called by the cell clean verification appends: export this kernel's task variables."""
    from IPython import get_ipython

    from sandbox.catalogue import default_catalogue

    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else {}
    export_namespace(default_catalogue().get(challenge_id), namespace, Path(folder))


def export_cell_source(challenge_id: str, folder: Path) -> str:
    """The source of the cell appended to the learner's notebook for clean verification."""
    return (
        "from sandbox.grading.export import export_from_kernel as _sandbox_export\n"
        f"_sandbox_export({challenge_id!r}, {str(folder)!r})\n"
    )

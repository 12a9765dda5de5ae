"""Starter notebooks are written as plain text (``starter.py``) and built into ``.ipynb``.

Authors edit ``challenges/level_N/<id>/starter.py``; ``sandbox dev build`` writes
``notebooks/level_N/<id>.ipynb`` from it, and a test fails when the two drift.
Text diffs review well; notebook JSON does not.

``starter.py`` format: cells separated by ``# %%`` lines.

``# %% [markdown]``  a Markdown cell; each following line starts with ``#`` (``# `` is stripped).
``# %%``             a plain code cell (explanations, worked examples, setup).
``# %% binding``     the ``ch = challenge("<id>")`` cell.
``# %% task:qN``     the learner's answer cell for qN, usually ``name = ____``.
``# %% check:qN``    the ``ch.qN.check()`` cell.
``# %% submit``      the ``ch.submit()`` cell.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sandbox.catalogue import Challenge
from sandbox.errors import CatalogueError
from sandbox.grading.reference import TAG_BINDING, TAG_SUBMIT
from sandbox.paths import KERNEL_NAME

STARTER_FILE = "starter.py"
_HEADER_RE = re.compile(r"^# %%(?P<rest>.*)$")


def starter_source(challenge: Challenge) -> Path:
    return challenge.folder / STARTER_FILE


def parse_starter(text: str, where: str = STARTER_FILE) -> list[tuple[str, list[str], str]]:
    """Cells as (cell_type, tags, source)."""
    cells: list[tuple[str, list[str], str]] = []
    header: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if header is None:
            if any(line.strip() for line in lines):
                raise CatalogueError(f"{where}: text before the first '# %%' line")
            return
        rest = header.strip()
        body = "\n".join(lines).strip("\n")
        if rest == "[markdown]":
            md = [
                re.sub(r"^# ?", "", line) if line.startswith("#") else line
                for line in body.splitlines()
            ]
            cells.append(("markdown", [], "\n".join(md)))
        elif rest == "":
            cells.append(("code", [], body))
        elif rest == "binding":
            cells.append(("code", [TAG_BINDING], body))
        elif rest == "submit":
            cells.append(("code", [TAG_SUBMIT], body))
        elif re.fullmatch(r"(task|check):q\d+", rest):
            cells.append(("code", [rest], body))
        else:
            raise CatalogueError(f"{where}: unknown cell header '# %%{header}'")

    for line in text.splitlines():
        match = _HEADER_RE.match(line)
        if match:
            flush()
            header, lines = match.group("rest"), []
        else:
            lines.append(line)
    flush()
    return cells


def build_notebook(challenge: Challenge) -> Any:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    source = starter_source(challenge)
    cells = []
    for index, (kind, tags, body) in enumerate(
        parse_starter(source.read_text(encoding="utf-8"), str(source))
    ):
        # Stable ids keep rebuilt notebooks byte-identical.
        cell_id = f"cell-{index:02d}"
        metadata = {"tags": tags} if tags else {}
        if kind == "markdown":
            cell = new_markdown_cell(body, metadata=metadata)  # type: ignore[no-untyped-call]
        else:
            cell = new_code_cell(body, metadata=metadata)  # type: ignore[no-untyped-call]
        cell["id"] = cell_id
        cells.append(cell)
    nb = new_notebook(cells=cells)  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python (Data Science Sandbox)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["sandbox"] = {"challenge": challenge.id}
    nbformat.validate(nb)
    return nb


def notebook_text(challenge: Challenge) -> str:
    import nbformat

    return str(nbformat.writes(build_notebook(challenge))) + "\n"  # type: ignore[no-untyped-call]


def build(challenge: Challenge) -> bool:
    """Write the challenge's starter notebook from starter.py; return whether it changed."""
    text = notebook_text(challenge)
    target = challenge.notebook
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True

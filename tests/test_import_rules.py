"""The dependency direction is enforced by lint, and the CLI starts without heavy imports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def ruff_codes(path: str, source: str) -> set[str]:
    """Lint ``source`` as if it lived at ``path`` in the repository; return the rule codes hit."""
    done = subprocess.run(
        [RUFF, "check", "--output-format", "json", "--stdin-filename", path, "-"],
        input=source, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return {item["code"] for item in json.loads(done.stdout)}


@pytest.mark.parametrize(
    ("path", "source", "banned"),
    [
        pytest.param("sandbox/game.py", "import streamlit\n", True, id="streamlit-in-core"),
        pytest.param(
            "sandbox/grading/probe.py",
            "from streamlit import write\n",
            True,
            id="streamlit-from-import",
        ),
        pytest.param(
            "sandbox/ui/pages/probe.py", "import streamlit\n", False, id="streamlit-in-ui"
        ),
        pytest.param("app.py", "import streamlit\n", False, id="streamlit-in-app"),
        pytest.param("sandbox/progress.py", "import typer\n", True, id="typer-in-core"),
        pytest.param("sandbox/cli.py", "import typer\n", False, id="typer-in-cli"),
    ],
)
def test_ui_libraries_are_banned_outside_their_modules(
    path: str, source: str, banned: bool
) -> None:
    assert ("TID251" in ruff_codes(path, source)) is banned


@pytest.mark.parametrize(
    "module", ["shap", "mlflow", "optuna", "sklearn", "lime", "yellowbrick", "matplotlib"]
)
def test_heavy_libraries_only_inside_functions_in_the_core(module: str) -> None:
    assert "TID253" in ruff_codes("sandbox/game.py", f"import {module}\n")
    assert "TID253" in ruff_codes("sandbox/integrations/probe.py", f"from {module} import x\n")
    assert "TID253" not in ruff_codes(
        "sandbox/game.py", f"def f():\n    import {module}\n    return {module}\n"
    )


def test_cli_and_notebook_api_start_without_heavy_imports() -> None:
    heavy = [
        "pandas",
        "polars",
        "sklearn",
        "mlflow",
        "shap",
        "optuna",
        "streamlit",
        "nbclient",
        "matplotlib",
        "plotly",
    ]
    probe = f"import sys, sandbox.cli, sandbox.grading; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_ui_package_holds_only_streamlit_code() -> None:
    """What a page computes without Streamlit lives in the core, where it is tested alone."""
    ui = ROOT / "sandbox" / "ui"
    modules = [p for p in ui.rglob("*.py") if p.name != "__init__.py"]
    assert modules
    plain = [
        str(p.relative_to(ROOT))
        for p in modules
        if "import streamlit" not in p.read_text(encoding="utf-8")
        and "from streamlit" not in p.read_text(encoding="utf-8")
    ]
    assert plain == [], "move these into the core"

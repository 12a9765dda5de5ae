"""The README's generated sections match the catalogue and the CLI, and its first lines hold the two commands."""

from __future__ import annotations

from pathlib import Path

from sandbox.catalogue import load_catalogue
from sandbox.cli import render_readme

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_sections_are_up_to_date() -> None:
    assert render_readme(README) == README, "README.md drifted: run `sandbox dev readme`"


def test_learning_path_lists_every_challenge() -> None:
    section = README.split("<!-- learning-path:start -->")[1].split("<!-- learning-path:end -->")[0]
    for challenge in load_catalogue(ROOT):
        assert f"`{challenge.id}`" in section


def test_first_lines_give_the_commands() -> None:
    head = README.splitlines()[:7]
    assert any(line.startswith("bash scripts/dashboard ") for line in head)
    assert any(line.startswith("bash scripts/test ") for line in head)
    assert any(line.startswith("bash scripts/test --all ") for line in head)
    # CI runs the README's test command, both tiers.
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("bash scripts/test --all")

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


def test_every_picture_exists_and_comes_from_the_screenshot_script() -> None:
    import re

    pictures = re.findall(r"\]\((docs/images/[^)]+\.png)\)", README)
    assert {"docs/images/notebook-feedback.png", "docs/images/sandbox-check.png"} <= set(pictures)
    script = (ROOT / "scripts" / "screenshots.py").read_text(encoding="utf-8")
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture
        assert Path(picture).name in script, f"{picture} is not made by scripts/screenshots"


def test_quick_start_comes_before_the_reference() -> None:
    assert README.index("## Before you start") < README.index("## Quick start")
    assert README.index("## Quick start") < README.index("## CLI reference")
    assert README.index("## Troubleshooting") < README.index("## CLI reference")

"""Shared fixtures: every test gets its own data home; nothing touches the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data home for each test, exported as SANDBOX_HOME."""
    data_home = tmp_path / "home"
    monkeypatch.setenv("SANDBOX_HOME", str(data_home))
    return data_home


@pytest.fixture
def fixture_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the small fixture catalogue, set as the content root."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    monkeypatch.setenv("SANDBOX_CONTENT", str(root))
    return root

"""The authoring check's own plumbing (the proofs themselves are in test_challenges.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sandbox.grading import devcheck


def test_the_check_puts_temp_files_of_its_processes_on_the_scratch_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setattr(devcheck, "scratch_root", lambda: str(tmp_path))
    tempfile.tempdir = None
    try:
        with devcheck._temp_files_on_scratch():
            assert tempfile.gettempdir() == str(tmp_path)
            child = subprocess.run(
                [sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"],
                capture_output=True,
                text=True,
                check=True,
            )
            assert child.stdout.strip() == str(tmp_path), "reference runs and kernels too"
        assert "TMPDIR" not in os.environ
        assert tempfile.gettempdir() != str(tmp_path)
        # A TMPDIR someone chose is kept.
        monkeypatch.setenv("TMPDIR", str(tmp_path / "chosen"))
        (tmp_path / "chosen").mkdir()
        with devcheck._temp_files_on_scratch():
            assert os.environ["TMPDIR"] == str(tmp_path / "chosen")
    finally:
        tempfile.tempdir = None

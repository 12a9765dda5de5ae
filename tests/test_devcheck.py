"""The authoring check's own plumbing (the proofs themselves are in test_challenges.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sandbox.grading import devcheck


def test_the_checks_processes_keep_temp_files_on_the_scratch_disk_and_use_one_thread_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMPDIR", raising=False)
    for name in devcheck.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(devcheck, "scratch_root", lambda: str(tmp_path))
    tempfile.tempdir = None
    try:
        with devcheck._authoring_environment(workers=2):
            assert tempfile.gettempdir() == str(tmp_path)
            seen = (
                "import os, tempfile; print(tempfile.gettempdir(), os.environ['OMP_NUM_THREADS'])"
            )
            child = subprocess.run(
                [sys.executable, "-c", seen], capture_output=True, text=True, check=True
            )
            assert child.stdout.split() == [str(tmp_path), "1"], "reference runs and kernels too"
        assert "TMPDIR" not in os.environ and "OMP_NUM_THREADS" not in os.environ
        with devcheck._authoring_environment(workers=1):
            assert "OMP_NUM_THREADS" not in os.environ, "one challenge at a time: all cores"
        assert tempfile.gettempdir() != str(tmp_path)
        # A TMPDIR someone chose is kept.
        monkeypatch.setenv("TMPDIR", str(tmp_path / "chosen"))
        (tmp_path / "chosen").mkdir()
        with devcheck._authoring_environment(workers=2):
            assert os.environ["TMPDIR"] == str(tmp_path / "chosen")
    finally:
        tempfile.tempdir = None

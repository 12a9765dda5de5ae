"""A full disk (and a read-only one) at every write site: clear errors, nothing half-written.

Two ways: fault injection raises ENOSPC at the n-th low-level write step of
sandbox.files (folder creation, temp file, each chunk, fsync, rename) for n = 1, 2, …
until a command runs through, so every write site of every command fails once; and,
as root, a real 1 MB tmpfs filled up, and a read-only one.

After every failure: exit code 1, one line naming the file and the way out, no
traceback, the store byte-identical, no empty or partial file under backups/ and no
temp file anywhere.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sandbox import files, workspace
from sandbox.catalogue import default_catalogue
from sandbox.cli import app
from sandbox.errors import StorageError
from sandbox.progress import ProgressStore

runner = CliRunner()
SITES = ("_make_dir", "_create_temp", "_write_chunk", "_fsync", "_rename")


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


class DiskFull:
    """Raise ENOSPC at the ``fail_at``-th call of any low-level write step of sandbox.files."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
        self.calls: list[str] = []
        self.fail_at = fail_at
        for site in SITES:
            monkeypatch.setattr(files, site, self._wrap(site, getattr(files, site)))

    def _wrap(self, site: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any) -> Any:
            self.calls.append(site)
            if len(self.calls) == self.fail_at:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args)

        return step

    @property
    def struck(self) -> str | None:
        return self.calls[self.fail_at - 1] if len(self.calls) >= self.fail_at else None


def build_world(home: Path, out: Path) -> dict[str, str]:
    """A learner mid-way (events, a hinted notebook) plus an export and a notebook archive."""
    catalogue = default_catalogue()
    store = ProgressStore(home)
    store.set_learner_name("Ada")
    for challenge_id in ("alpha", "beta"):
        store.append("opened", challenge_id)
        workspace.prepare(home, catalogue.get(challenge_id))
    store.append("hint", "alpha", "q1", {"index": 0})
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "FAIL"})
    # A verified challenge earns badges to export; it has no notebook, so no import re-verifies.
    store.append("verified", "gamma", None, {"tasks": {"q1": "PASS"}})
    notebook = workspace.notebook_path(home, catalogue.get("alpha"))
    notebook.write_text(notebook.read_text().replace("____", "sum(numbers)", 1))
    out.mkdir(parents=True, exist_ok=True)
    export, archive = out / "export.json", out / "archive.zip"
    assert runner.invoke(app, ["export", "-o", str(export)]).exit_code == 0
    assert runner.invoke(app, ["export", "--with-notebooks", "-o", str(archive)]).exit_code == 0
    return {"EXPORT": str(export), "ARCHIVE": str(archive)}


SCENARIOS: dict[str, list[str]] = {
    "hint": ["hint", "alpha"],
    "open": ["open", "gamma", "--no-launch"],
    "reset-all": ["reset", "--all", "-y"],
    "reset-challenge": ["reset", "--challenge", "alpha", "-y"],
    "import-into-empty-profile": ["--profile", "fresh", "import", "{EXPORT}"],
    "import-archive-into-empty-profile": ["--profile", "fresh", "import", "{ARCHIVE}"],
    "import-force-merge": ["import", "{ARCHIVE}", "--force"],
    "export-json": ["export", "-o", "{OUT}/again.json"],
    "export-archive": ["export", "--with-notebooks", "-o", "{OUT}/again.zip"],
    "export-badges": ["export", "--format", "openbadges", "-o", "{OUT}/badges"],
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def assert_nothing_half_written(home: Path, out: Path) -> None:
    for folder in (home, out):
        temps = [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
        assert temps == [], f"temp files left: {temps}"
    for backup in home.rglob("backups/**/*"):
        if backup.is_file():
            content = backup.read_bytes()
            assert content, f"an empty backup: {backup}"
            json.loads(content)  # complete: a partial copy would not parse


@pytest.fixture
def template(tmp_path: Path, home: Path) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """A built world, kept aside; each attempt starts from a fresh copy of it."""
    out = tmp_path / "out"
    names = build_world(home, out)
    kept = tmp_path / "template"
    shutil.copytree(home, kept)
    yield kept, out, names


@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=list(SCENARIOS))
def test_enospc_at_every_write_site(
    scenario: str,
    template: tuple[Path, Path, dict[str, str]],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, out, names = template
    args = [part.format(OUT=out, **names) for part in SCENARIOS[scenario]]
    struck_sites: set[str] = set()
    for fail_at in range(1, 200):
        shutil.rmtree(home)
        shutil.copytree(kept, home)
        for leftover in ("again.json", "again.zip", "badges"):
            shutil.rmtree(out / leftover, ignore_errors=True)
            (out / leftover).unlink(missing_ok=True)
        before = snapshot(home)
        with monkeypatch.context() as patch:
            disk = DiskFull(patch, fail_at)
            result = runner.invoke(app, args)
        output = result.stdout + result.stderr
        unexpected = None if isinstance(result.exception, SystemExit) else result.exception
        assert unexpected is None, f"{scenario} at step {fail_at} raised {unexpected!r}"
        if disk.struck is None:
            assert result.exit_code == 0, output
            break
        struck_sites.add(disk.struck)
        where = f"{scenario}, ENOSPC at step {fail_at} ({disk.struck})"
        assert result.exit_code == 1, f"{where}: exit {result.exit_code}: {output}"
        assert "the disk is full" in output and "Free some disk space" in output, where
        assert "Traceback" not in output, where
        assert_nothing_half_written(home, out)
        after = snapshot(home)
        stores = [name for name in before if name.endswith("progress.json")]
        if "Progress is reset, but" in output:
            # Past the reset event only renames remain: the one that failed left its notebook
            # as it was; the others hold their starter, the learner's copy in backups/.
            saved = {p.read_bytes() for p in (home / "backups" / "notebooks").glob("*.ipynb")}
            for name in (n for n in before if n.startswith("workspace/")):
                challenge_id = Path(name).stem
                if f"the starter of {challenge_id} was not put back" in output:
                    assert after[name] == before[name], where
                elif after[name] != before[name]:
                    starter = default_catalogue().get(challenge_id).notebook.read_bytes()
                    assert after[name] == starter and before[name] in saved, where
        else:
            assert {n: after.get(n) for n in stores} == {n: before[n] for n in stores}, where
            changed = [n for n in before if n.endswith(".ipynb") and after.get(n) != before[n]]
            assert changed == [], f"{where}: notebooks changed: {changed}"
            assert not (home / "profiles" / "fresh" / "progress.json").exists(), where
    else:
        pytest.fail(f"{scenario} never succeeded")
    assert {"_create_temp", "_write_chunk", "_fsync", "_rename"} <= struck_sites, struck_sites


def test_a_failed_copy_leaves_neither_target_nor_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(3 * files.CHUNK_BYTES + 7))
    target = tmp_path / "sub" / "target.bin"
    with monkeypatch.context() as patch:
        DiskFull(patch, fail_at=5)  # mkdir, temp, chunk 1, chunk 2, chunk 3 → fails
        with pytest.raises(StorageError, match=r"target\.bin: the disk is full"):
            files.atomic_copy(source, target)
    assert list((tmp_path / "sub").iterdir()) == []
    files.atomic_copy(source, target)
    assert target.read_bytes() == source.read_bytes()


def test_an_unreadable_source_names_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    with pytest.raises(StorageError, match=r"Could not read .*missing\.ipynb"):
        files.atomic_copy(folder / "missing.ipynb", folder / "copy.ipynb")
    assert list(folder.iterdir()) == []


# -- a real file system ---------------------------------------------------------------------


def mount_tmpfs(folder: Path, options: str) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the fault-injection tests cover this")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    mount_tmpfs(folder, "size=1m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill the file system until about ``leave`` bytes are free."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("wb") as fh:
        fh.write(b"\0" * max(free - leave, 0))


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, as a learner runs it."""
    return subprocess.run(
        [sys.executable, "-m", "sandbox", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )


def test_a_really_full_disk(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    store = ProgressStore(home)
    # A log of about 100 KB, so a backup or a rewrite needs more room than is left.
    store.append_many([("hint", "alpha", "q1", {"index": i % 2}) for i in range(600)])
    workspace.prepare(home, default_catalogue().get("alpha"))
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps(
            {
                "format": "data-science-sandbox-export",
                "format_version": 1,
                "progress": json.loads(store.path.read_text()),
            }
        )
    )
    fill(small_disk, leave=16 * 1024)
    before = store.path.read_bytes()
    for args in (
        ["reset", "--all", "-y"],
        ["reset", "--challenge", "alpha", "-y"],
        ["hint", "alpha"],
        ["open", "beta", "--no-launch"],
        ["--profile", "copy", "import", str(export)],
        ["import", str(export), "--force"],
        ["export", "-o", str(small_disk / "export.json")],
    ):
        done = cli(home, *args)
        output = done.stdout + done.stderr
        assert done.returncode == 1, (args, output)
        assert "the disk is full" in output and "Traceback" not in output, (args, output)
        assert store.path.read_bytes() == before, args
        assert_nothing_half_written(home, small_disk)
    assert not (small_disk / "export.json").exists()
    (small_disk / "filler").unlink()
    assert cli(home, "reset", "--all", "-y").returncode == 0


def test_a_read_only_disk(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    seed = tmp_path / "seed"
    ProgressStore(seed).append("opened", "alpha")
    mount_tmpfs(folder, "size=1m")
    try:
        shutil.copytree(seed, folder / "home")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = (folder / "home" / "progress.json").read_bytes()
        for args in (["hint", "alpha", "-y"], ["reset", "--all", "-y"], ["status"]):
            done = cli(folder / "home", *args)
            output = done.stdout + done.stderr
            if args == ["status"]:
                assert done.returncode == 0, output  # reading still works
                continue
            assert done.returncode == 1 and "read-only" in output, (args, output)
            assert "Traceback" not in output, output
        assert (folder / "home" / "progress.json").read_bytes() == before
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)

"""The data-home guards of clean verification, without a kernel: snapshots, restores, sweeps."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil

from sandbox.grading.guard import RUN_TOKEN_ENV, CacheWatch, StoreGuard, sweep_processes
from sandbox.progress import ProgressStore


def make_home(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.backup("before-test")
    bob = home / "profiles" / "bob"
    ProgressStore(bob).append("hint", "alpha", "q1", {"index": 0})


def test_every_store_and_backup_of_every_profile_is_restored(home: Path) -> None:
    make_home(home)
    bob = home / "profiles" / "bob"
    guard = StoreGuard.capture(home)
    before = {p: p.read_bytes() for p in home.rglob("*.json")}
    (home / "progress.json").write_text("{}")
    (bob / "progress.json").unlink()
    next((home / "backups").iterdir()).write_text("garbage")
    (home / "backups" / "forged.json").write_text("{}")
    os.symlink("/etc/passwd", bob / "backups-link")  # outside the protected set: left alone
    restored = guard.restore()
    assert len(restored) == 4
    after = {p: p.read_bytes() for p in home.rglob("*.json")}
    assert after == before
    assert guard.changed() == []


def test_a_profile_home_guards_its_siblings_too(home: Path) -> None:
    make_home(home)
    bob = home / "profiles" / "bob"
    guard = StoreGuard.capture(bob)
    original = (home / "progress.json").read_bytes()
    (home / "progress.json").write_text("tampered")
    assert guard.restore() == [home / "progress.json"]
    assert (home / "progress.json").read_bytes() == original


def test_a_changed_summary_snapshot_is_deleted_and_an_unchanged_one_kept(home: Path) -> None:
    from sandbox import status

    make_home(home)
    bob = home / "profiles" / "bob"
    status.current(home)
    status.current(home, "bob")
    kept = (bob / status.SNAPSHOT_FILE).read_bytes()
    guard = StoreGuard.capture(home)
    planted = home / status.SNAPSHOT_FILE
    planted.write_text(planted.read_text().replace('"xp": 0', '"xp": 99999'))
    # Derived, and possibly rewritten by an honest `sandbox status` meanwhile: no refusal.
    assert guard.restore() == []
    assert not planted.exists()
    assert (bob / status.SNAPSHOT_FILE).read_bytes() == kept
    assert status.current(home)["xp"] == 0


def test_an_untouched_home_reports_no_change(home: Path) -> None:
    make_home(home)
    guard = StoreGuard.capture(home)
    assert guard.changed() == [] and guard.restore() == []


def test_cache_changes_are_found_and_discarded(home: Path) -> None:
    entry = home / "cache" / "expected" / "alpha" / "k1"
    entry.mkdir(parents=True)
    (entry / "manifest.json").write_text("{}")
    other = home / "cache" / "expected" / "beta" / "k2"
    other.mkdir(parents=True)
    (other / "manifest.json").write_text("{}")
    watch = CacheWatch.capture(home)
    assert watch.tampered() == []
    time.sleep(0.01)
    (entry / "manifest.json").write_text('{"poisoned": 1}')
    forged = home / "cache" / "expected" / "gamma" / "k3" / "manifest.json"
    forged.parent.mkdir(parents=True)
    forged.write_text("{}")
    judges = home / "cache" / "expected" / "beta" / "k9"
    judges.mkdir()
    (judges / "manifest.json").write_text("{}")  # written by the judge this run: not tampering
    found = watch.tampered([judges])
    assert set(found) == {entry / "manifest.json", forged}
    watch.discard(found)
    assert not entry.exists() and not forged.parent.exists() and other.exists() and judges.exists()


def test_the_sweep_ends_processes_carrying_the_run_token_and_no_others() -> None:
    token = uuid.uuid4().hex
    env = {**os.environ, RUN_TOKEN_ENV: token}
    tagged = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], env=env, start_new_session=True
    )
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the environment is readable once exec is done
            try:
                if psutil.Process(tagged.pid).environ().get(RUN_TOKEN_ENV) == token:
                    break
            except psutil.Error:
                pass
            time.sleep(0.05)
        assert sweep_processes(token) == 1
        tagged.wait(timeout=10)  # already reaped by the sweep, or now
        assert not psutil.pid_exists(tagged.pid)
        assert other.poll() is None
    finally:
        for proc in (tagged, other):
            if proc.poll() is None:
                proc.kill()
                proc.wait()

"""What hostile input costs now: big imports, ancient events, damaged stores, runaway SQL.

Prints figures, asserts nothing. Each CLI figure is one fresh process (wall time and its
peak resident memory).

Run: .venv/bin/python benchmarks/hostile.py [--skip-sql]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

# One CLI run in a child that reports its own peak memory on stderr's last line.
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the forking parent.
_RUN = (
    "import sys\n"
    "from sandbox.cli import main\n"
    "sys.argv = ['sandbox', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "print(f'PEAK {hwm}', file=sys.stderr)\n"
)


def cli(home: Path, *args: str) -> tuple[float, float, str]:
    """(seconds, peak MB, first line of the message) of one `sandbox` command."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "--home", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SANDBOX_HOME": str(home)},
        check=False,
    )
    seconds = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    peak = float(lines[-1].split()[1]) / 1024 if lines and lines[-1].startswith("PEAK") else 0.0
    said = (done.stdout + "\n".join(lines[:-1])).strip().splitlines()
    return seconds, peak, (said[0][:110] if said else "")


def event(
    ts: datetime, kind: str = "hint", challenge: str = "pandas-first-look"
) -> dict[str, object]:
    return {
        "id": uuid.uuid4().hex,
        "ts": ts.isoformat(),
        "kind": kind,
        "challenge": challenge,
        "task": "q1" if kind == "hint" else None,
        "details": {"index": 0} if kind == "hint" else {"tasks": {"q1": "PASS"}},
    }


def export_file(path: Path, count: int) -> Path:
    start = datetime.now(UTC) - timedelta(days=30)
    events = [event(start + timedelta(seconds=i)) for i in range(count)]
    doc = {
        "format": "data-science-sandbox-export",
        "format_version": 1,
        "progress": {"format_version": 1, "learner": {"name": "Ada"}, "events": events},
    }
    path.write_text(json.dumps(doc))
    return path


def show(label: str, seconds: float, peak: float, said: str) -> None:
    print(f"{label:<52} {seconds:6.2f} s  {peak:7.0f} MB  {said}")


def imports(root: Path) -> None:
    print("== imports")
    for count in (1_000, 50_000, 1_000_000):
        source = export_file(root / f"export-{count}.json", count)
        size = source.stat().st_size / 1e6
        seconds, peak, said = cli(root / f"import-{count}", "import", str(source))
        show(f"import {count:,} events ({size:.0f} MB)", seconds, peak, said)


def stores(root: Path) -> None:
    print("== damaged and odd stores: `sandbox status`")
    now = datetime.now(UTC)
    cases = {
        "a year-1970 event and 30 checks of today": [
            event(datetime(1970, 1, 2, tzinfo=UTC), "verified"),
            *(
                event(now - timedelta(minutes=i), "verified", "select-filter-sort")
                for i in range(30)
            ),
        ],
        "10,000 events": [event(now - timedelta(minutes=i)) for i in range(10_000)],
    }
    for label, events in cases.items():
        home = root / f"store-{len(events)}"
        home.mkdir()
        (home / "progress.json").write_text(
            json.dumps({"format_version": 1, "learner": {"name": None}, "events": events})
        )
        show(label, *cli(home, "status"))
    for label, content in {
        "JSON nested 1,000 deep": b'{"format_version": 1, "events": ['
        + b"[" * 1000
        + b"]" * 1000
        + b"]}",
        "UTF-16 file": json.dumps({"format_version": 1, "events": []}).encode("utf-16"),
        "year 9999 with an offset": json.dumps(
            {"format_version": 1, "events": [{**event(now), "ts": "9999-12-31T23:00:00-05:00"}]}
        ).encode(),
    }.items():
        home = root / f"bad-{abs(hash(label))}"
        home.mkdir()
        (home / "progress.json").write_bytes(content)
        show(label, *cli(home, "status"))


def sql_lab() -> None:
    from sandbox.sql_lab import SqlSession

    print("== SQL lab")
    started = time.perf_counter()
    with SqlSession() as lab:
        print(
            f"{'start the worker and load every dataset':<52} {time.perf_counter() - started:6.2f} s"
        )
        query = (
            "SELECT sum(levenshtein(repeat('ab', 3000) || i::VARCHAR, repeat('ba', 3000))) "
            "FROM range(400) t(i)"
        )
        started = time.perf_counter()
        try:
            lab.query(query)
        except Exception as exc:  # the time limit, as designed
            message = str(exc)[:60]
        print(
            f"{'levenshtein on long strings (limit 10 s)':<52} {time.perf_counter() - started:6.2f} s  {message}"
        )
        started = time.perf_counter()
        lab.query("SELECT 1")
        print(
            f"{'next query (a fresh worker loads meanwhile)':<52} {time.perf_counter() - started:6.2f} s"
        )
        started = time.perf_counter()
        result = lab.query("SELECT repeat('x', 50000) || i::VARCHAR AS s FROM range(10000) t(i)")
        seconds = time.perf_counter() - started
        worker = lab._worker
        assert worker is not None
        status = Path(f"/proc/{worker.process.pid}/status").read_text()
        hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        print(
            f"{'10,000 rows of 50 KB strings':<52} {seconds:6.2f} s  worker peak {hwm / 1024:.0f} MB, "
            f"{result.rows:,} rows kept ({result.summary()[:40]}…)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-sql", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        root = Path(tmp)
        imports(root)
        stores(root)
    if not options.skip_sql:
        sql_lab()


if __name__ == "__main__":
    main()

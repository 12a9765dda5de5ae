"""How the game scales with the event log: `sandbox status` on generated logs (prints, asserts nothing).

For each log size a throwaway data home gets a `progress.json` written in the store's own
format: a learner who practises most days — opens, inline checks (pass and fail), hints,
solutions, verifications, re-verifications and the odd reset — spread over the years the
size implies. The `outliers` case adds one event dated on the first and one on the last day
the store accepts (1970 and 8999; a year-1 event is refused as corrupt): the engine must not
walk the calendar between them.

Each case runs `python -c pass` and `sandbox status` alternately in the same loop (so both
see the same machine load) and prints the medians side by side with their ratio, and the
peak memory (maximum resident set size) of `sandbox status`. `status` is measured three
times: *cold* is a run without a status snapshot (a full replay of the log: the first
`status` ever, or after a change inside the log); *new event* is the run after one event was
appended, as every learner action appends one (the snapshot of the log before it is resumed:
only the new event is checked and replayed); *again* is a repeat with the log unchanged
(answered from the snapshot). Goals (issue 13): 10,000 events ≤ 2.5× `python -c pass`;
100,000 events ≤ 1 s and ≤ 300 MB.

Then, in one long-lived process as the dashboard's server is, the store's own read
(`ProgressStore.load`): the first read, a read of the unchanged log, and a read after each of
a few appended events (the log is decoded from its appended bytes).

    .venv/bin/python benchmarks/event_log.py [--sizes 10000 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox.progress import EARLIEST_TS, LATEST_TS
from sandbox.status import SNAPSHOT_FILE

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
EARLIEST = EARLIEST_TS + timedelta(hours=12)
LATEST = LATEST_TS - timedelta(days=1, hours=12)
SANDBOX = VENV_BIN / "sandbox"


def challenge_tasks() -> list[tuple[str, list[str]]]:
    """(challenge id, task ids) in learning order, from the real catalogue."""
    from sandbox.catalogue import default_catalogue

    return [(c.id, [t.id for t in c.tasks]) for c in default_catalogue()]


def generate_events(count: int, seed: int = 13) -> list[dict[str, object]]:
    """``count`` events of a plausible, long-practising learner, oldest first."""
    rng = random.Random(seed)
    catalogue = challenge_tasks()
    events: list[dict[str, object]] = []
    # About 25 events per active day; the log ends today.
    days = max(1, count // 25)
    ts = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=days)
    position = 0

    def add(kind: str, challenge: str | None, task: str | None, details: dict[str, object]) -> None:
        nonlocal ts
        ts += timedelta(seconds=rng.randint(20, 400))
        events.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "ts": ts.isoformat(),
                "kind": kind,
                "challenge": challenge,
                "task": task,
                "details": details,
            }
        )

    while len(events) < count:
        if rng.random() < 0.15:  # a day off now and then
            ts += timedelta(days=1)
        ts = ts.replace(hour=8) + timedelta(days=1)
        cid, tasks = catalogue[position % len(catalogue)]
        add("opened", cid, None, {})
        for task in tasks:
            for _ in range(rng.randint(0, 3)):
                add("checked", cid, task, {"source": "inline", "outcome": "FAIL"})
            if rng.random() < 0.2:
                add("hint", cid, task, {"index": 0})
            if rng.random() < 0.03:
                add("solution", cid, task, {})
            add("checked", cid, task, {"source": "inline", "outcome": "PASS"})
        outcomes = dict.fromkeys(tasks, "PASS")
        add("checked", cid, None, {"source": "verify", "outcome": "PASS", "tasks": outcomes})
        add("verified", cid, None, {"tasks": outcomes, "seconds": round(rng.uniform(2, 30), 2)})
        position += 1
        if rng.random() < 0.02:
            add("reset", cid, None, {"scope": "challenge", "challenges": [cid], "backup": None})
        elif position % (len(catalogue) * 3) == 0:
            add("reset", None, None, {"scope": "all", "challenges": None, "backup": None})
    return events[:count]


def with_outliers(events: list[dict[str, object]]) -> list[dict[str, object]]:
    """The log plus a verification and a passed check on the first and last days the store
    accepts (a gap of seven thousand years)."""
    first = dict(events[0], id=uuid.uuid4().hex, kind="verified", ts=EARLIEST.isoformat())
    last = dict(
        events[-1],
        id=uuid.uuid4().hex,
        kind="checked",
        ts=LATEST.isoformat(),
        details={"source": "inline", "outcome": "PASS"},
    )
    return [first, *events, last]


def write_log(home: Path, events: list[dict[str, object]]) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "progress.json"
    document = {"format_version": 1, "learner": {"name": "Bench"}, "events": events}
    # The store writes indent=1; a generated log has the same size and shape as a real one.
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path


PASSED = {"source": "inline", "outcome": "PASS"}


class TooSlow(Exception):
    pass


def run(command: list[str], env: dict[str, str], timeout: float) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB and exit code of one run of ``command``.

    Linux keeps a process's peak RSS across exec, so a child reports at least what this
    process held when it started it: this process never holds a log.
    """
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            child.kill()
            child.wait()
            raise TooSlow
        time.sleep(0.001)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss // 1024, child.returncode


def prepare(home: Path, size: int, outliers: bool) -> None:
    """Write the log from a child process, so this one stays small (see ``run``)."""
    command = [sys.executable, __file__, "--write-log", str(home), str(size)]
    subprocess.run([*command, *(["--outliers"] if outliers else [])], check=True)


def measure(label: str, home: Path, repeat: int, timeout: float) -> None:
    env = {**os.environ, "SANDBOX_HOME": str(home)}
    status = [str(SANDBOX), "status"]
    baseline = [sys.executable, "-c", "pass"]
    append = [sys.executable, __file__, "--append", str(home)]
    firsts, grown, agains, passes, peaks = [], [], [], [], []
    try:
        for _ in range(repeat):
            # No snapshot at all: the status replays the whole log.
            (home / SNAPSHOT_FILE).unlink(missing_ok=True)
            seconds, peak, code = run(status, env, timeout)
            if code != 0:
                print(f"{label}: sandbox status failed (exit {code})")
                return
            firsts.append(seconds)
            peaks.append(peak)
            passes.append(run(baseline, env, timeout)[0])
            subprocess.run(append, env=env, check=True)  # a learner action, not timed
            seconds, peak, _ = run(status, env, timeout)
            grown.append(seconds)
            peaks.append(peak)
            agains.append(run(status, env, timeout)[0])
    except TooSlow:
        print(f"{label:<22} sandbox status did not finish in {timeout:.0f} s (stopped)")
        return
    base, first, new, again = (statistics.median(x) for x in (passes, firsts, grown, agains))
    size = (home / "progress.json").stat().st_size / 1e6
    print(
        f"{label:<22} {size:6.1f} MB  python -c pass {base * 1000:5.1f} ms  status: "
        f"cold {first * 1000:6.1f} ms ({first / base:4.1f}×)  "
        f"new event {new * 1000:6.1f} ms ({new / base:4.1f}×)  "
        f"again {again * 1000:6.1f} ms ({again / base:4.1f}×)  peak {max(peaks):4d} MB"
    )


def reads(home: Path, repeat: int) -> None:
    """Time ``ProgressStore.load`` in this process: first, unchanged, after one new event."""
    from sandbox.progress import ProgressStore

    def timed() -> float:
        start = time.perf_counter()
        ProgressStore(home).load()
        return time.perf_counter() - start

    first = timed()
    unchanged = [timed() for _ in range(repeat)]
    grown = []
    challenge = challenge_tasks()[0][0]
    for _ in range(repeat):
        ProgressStore(home).append("opened", challenge)
        grown.append(timed())
    print(
        f"{'':<22} store read in a long-lived process: first {first * 1000:7.1f} ms  "
        f"unchanged {statistics.median(unchanged) * 1000:7.1f} ms  "
        f"after a new event {statistics.median(grown) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, default=120, help="Stop a run after this many seconds."
    )
    parser.add_argument("--write-log", nargs=2, metavar=("HOME", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--outliers", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reads", metavar="HOME", help=argparse.SUPPRESS)
    parser.add_argument("--append", metavar="HOME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.append:
        from sandbox.progress import ProgressStore

        challenge = challenge_tasks()[0][0]
        ProgressStore(Path(args.append)).append("checked", challenge, "q1", PASSED)
        return
    if args.reads:
        reads(Path(args.reads), args.repeat)
        return
    if args.write_log:
        home, size = Path(args.write_log[0]), int(args.write_log[1])
        events = generate_events(size) if size else []
        write_log(home, with_outliers(events) if args.outliers else events)
        return
    if not SANDBOX.exists():
        sys.exit(f"{SANDBOX} not found: run with the sandbox's .venv/bin/python")
    root = Path(tempfile.mkdtemp(prefix="sandbox-bench-log-"))
    try:
        for size in args.sizes:
            repeat = args.repeat if size < 100_000 else max(1, args.repeat // 2)
            cases = [(f"{size:,} events", False)]
            if size == 10_000:
                cases.append((f"{size:,} + 1970/8999", True))
            for label, outliers in cases:
                home = root / f"{size}-{outliers}"
                prepare(home, size, outliers)
                measure(label, home, repeat, args.timeout)
                if size and not outliers:  # in a child process, so this one stays small
                    command = [sys.executable, __file__, "--reads", str(home)]
                    subprocess.run([*command, "--repeat", str(repeat)], check=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

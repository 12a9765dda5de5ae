"""How long a learner waits for the CLI (prints, asserts nothing).

`sandbox status` is measured side by side with `python -c pass` (goal, issue 13: ≤ 2×):
the two run alternately in one loop, so both see the same machine load, and the medians
and their ratio are printed. Then `list`, `badges` and a `check` of a starter notebook.
The data home is a fresh folder: `status` runs first after a change (a full replay) and
again with nothing changed (answered from the status snapshot).

Run: .venv/bin/python benchmarks/cli.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.status import SNAPSHOT_FILE

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "sandbox"


def once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def side_by_side(env: dict[str, str], home: Path, repeat: int) -> None:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sandbox status": [str(SCRIPT), "status"],
        "sandbox status --json": [str(SCRIPT), "status", "--json"],
        "python -m sandbox status": [sys.executable, "-m", "sandbox", "status"],
        "sandbox status, replay": [str(SCRIPT), "status"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            if name.endswith("replay"):
                (home / SNAPSHOT_FILE).unlink(missing_ok=True)
            times[name].append(once(command, env))
    base = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<26} median {median * 1000:7.1f} ms  ({median / base:4.1f}× python -c pass; "
            f"min {min(values) * 1000:.1f} ms, n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SANDBOX_HOME": home}
        side_by_side(env, Path(home), args.repeat)
        for command in (["list", "--json"], ["badges", "--json"]):
            times = [once([str(SCRIPT), *command], env) for _ in range(5)]
            print(
                f"sandbox {' '.join(command):<17} median {statistics.median(times):.3f} s  "
                f"(min {min(times):.3f}, n={len(times)})"
            )
        first = next(iter(_challenge_ids(env)), None)
        if first:
            prep = subprocess.run(
                [str(SCRIPT), "open", first, "--no-launch"], env=env, capture_output=True
            )
            if prep.returncode == 0:
                times = [once([str(SCRIPT), "check", first], env) for _ in range(3)]
                print(f"sandbox check {first} (starter) median {statistics.median(times):.2f} s")


def _challenge_ids(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [str(SCRIPT), "list", "--json"], env=env, capture_output=True, text=True, check=False
    )
    return [c["id"] for c in json.loads(done.stdout)["challenges"]] if done.returncode == 0 else []


if __name__ == "__main__":
    main()

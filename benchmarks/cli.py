"""How long a learner waits for the CLI: `sandbox status`, `list` and `check` (prints, asserts nothing).

Run: .venv/bin/python benchmarks/cli.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(args: list[str], env: dict[str, str], repeat: int = 5) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sandbox", *args], env=env, capture_output=True, check=False
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SANDBOX_HOME": home}
        for args in (["status", "--json"], ["list", "--json"], ["badges", "--json"]):
            times = timed(args, env)
            print(
                f"sandbox {' '.join(args):<16} median {statistics.median(times):.3f} s  (min {min(times):.3f}, n={len(times)})"
            )
        first = next(iter(_challenge_ids(env)), None)
        if first:
            prep = subprocess.run(
                [sys.executable, "-m", "sandbox", "open", first, "--no-launch"],
                env=env,
                capture_output=True,
                text=True,
            )
            if prep.returncode == 0:
                times = timed(["check", first], env, repeat=3)
                print(f"sandbox check {first} (starter) median {statistics.median(times):.2f} s")


def _challenge_ids(env: dict[str, str]) -> list[str]:
    import json

    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "list", "--json"], env=env, capture_output=True, text=True
    )
    return [c["id"] for c in json.loads(done.stdout)["challenges"]] if done.returncode == 0 else []


if __name__ == "__main__":
    main()

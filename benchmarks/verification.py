"""Clean verification time of each challenge's reference solution (prints, asserts nothing).

Each challenge gets a fresh data home, so nothing is cached: the kernel starts, the whole
notebook runs, and the reference is recomputed inside the kernel, as on a learner's first
`sandbox check`. Run: .venv/bin/python benchmarks/verification.py [LEVEL ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sandbox.catalogue import default_catalogue
from sandbox.grading.reference import solved_notebook
from sandbox.grading.verify import run_notebook


def main(levels: list[int]) -> None:
    catalogue = default_catalogue()
    rows = []
    for challenge in catalogue:
        if levels and challenge.level not in levels:
            continue
        with tempfile.TemporaryDirectory() as home:
            started = time.perf_counter()
            result = run_notebook(challenge, solved_notebook(challenge), Path(home))
            wall = time.perf_counter() - started
        rows.append((challenge.level, challenge.id, wall, result.passed))
        print(
            f"level {challenge.level}  {challenge.id:<34} {wall:6.1f} s  {'pass' if result.passed else 'NOT PASSING'}",
            flush=True,
        )
    if rows:
        worst = max(rows, key=lambda r: r[2])
        print(f"\n{len(rows)} challenges; slowest {worst[1]} at {worst[2]:.1f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]])

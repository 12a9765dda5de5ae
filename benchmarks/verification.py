"""Clean verification time per challenge, beside a bare ``jupyter execute`` of the same notebook.

For each challenge (all, or the ids and level numbers given), in a fresh data home:

- **bare**: ``jupyter execute`` of the solved notebook in the sandbox's kernel — the floor any
  clean verification pays (kernel start and the learner's code);
- **check cold**: ``sandbox check <id>`` on that notebook with nothing cached (the expected
  values are computed by the reference first);
- **check warm**: ``sandbox check <id>`` again (the expected values come from the cache);
- the ratio warm / bare.

Each figure is the median of ``--repeat`` runs (default 3; cold runs use a new home each time).
Clean verification runs on a data variant picked from a pool of five; ``--seed N`` makes both
checks use variant N, so the warm check finds the expected values the cold one cached (without
it, a warm check may pick another variant of the pool and compute its reference first).
Prints figures, asserts nothing. Run:

    .venv/bin/python benchmarks/verification.py [--repeat N] [--seed N] [ID | LEVEL ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox import workspace
from sandbox.catalogue import Challenge, default_catalogue
from sandbox.grading.reference import solved_notebook
from sandbox.paths import KERNEL_NAME

BIN = Path(sys.executable).parent


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode


def _prepare(challenge: Challenge, home: Path) -> Path:
    """The solved notebook as the learner's workspace copy in ``home``."""
    import nbformat

    env = {**os.environ, "SANDBOX_HOME": str(home)}
    subprocess.run(
        [str(BIN / "sandbox"), "open", challenge.id, "--no-launch"],
        env=env,
        capture_output=True,
        check=True,
    )
    path = workspace.notebook_path(home, challenge)
    nbformat.write(solved_notebook(challenge), str(path))
    return path


def measure(challenge: Challenge, repeat: int, seed: int | None = None) -> dict[str, float]:
    bare, cold, warm = [], [], []
    for _ in range(repeat):
        home = Path(tempfile.mkdtemp(prefix="bench-verify-"))
        try:
            path = _prepare(challenge, home)
            env = {**os.environ, "SANDBOX_HOME": str(home), "MPLBACKEND": "Agg"}
            # The check and submit cells do nothing under this flag, as in clean verification.
            bare_env = {**env, "SANDBOX_VERIFYING": "1"}
            copy = home / "bare.ipynb"
            shutil.copy(path, copy)
            seconds, _ = _timed(
                [str(BIN / "jupyter"), "execute", f"--kernel_name={KERNEL_NAME}", str(copy)],
                bare_env,
            )
            bare.append(seconds)
            check = [str(BIN / "sandbox"), "check", challenge.id, "--json"]
            if seed is not None:
                check += ["--seed", str(seed)]
            seconds, code = _timed(check, env)
            cold.append(seconds if code == 0 else float("nan"))
            seconds, code = _timed(check, env)
            warm.append(seconds if code == 0 else float("nan"))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return {
        "bare": statistics.median(bare),
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None, help="the data variant of both checks")
    parser.add_argument("targets", nargs="*", help="challenge ids or level numbers")
    args = parser.parse_args()
    catalogue = default_catalogue()
    levels = {int(t) for t in args.targets if t.isdigit()}
    ids = {t for t in args.targets if not t.isdigit()}
    chosen = [c for c in catalogue if not args.targets or c.level in levels or c.id in ids]
    print(f"{'challenge':<34} {'bare':>7} {'cold':>7} {'warm':>7} {'warm/bare':>10}", flush=True)
    for challenge in chosen:
        figures = measure(challenge, args.repeat, args.seed)
        ratio = figures["warm"] / figures["bare"]
        print(
            f"{challenge.id:<34} {figures['bare']:6.2f}s {figures['cold']:6.2f}s "
            f"{figures['warm']:6.2f}s {ratio:9.2f}×",
            flush=True,
        )
    load = os.getloadavg()
    print(f"\nload average while measuring: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()

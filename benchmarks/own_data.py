"""Profiling a generated 1-million-row × 20-column CSV: time and peak memory, side by side with
ydata-profiling in minimal mode (prints figures, asserts nothing).

The table comes from :func:`sandbox.owndata.synthetic.wide_table` (seeded; planted defects).
Each profiler runs in its own fresh process pinned to two cores (``taskset -c 0,1`` when
available), which reports the wall time of the profiling call (reading included, imports
excluded), the CPU time, and its own peak resident memory.

ydata-profiling 4.18 needs pandas < 3, numpy < 2.4 and matplotlib ≤ 3.10, so it cannot share
the sandbox's pinned environment: give the Python of a separate venv that has it::

    python3.11 -m venv /tmp/ydata && /tmp/ydata/bin/pip install ydata-profiling==4.18.4
    .venv/bin/python benchmarks/own_data.py --ydata-python /tmp/ydata/bin/python

Its side computes ``ProfileReport(pd.read_csv(path), minimal=True).get_description()``: the
statistics, without rendering the HTML report (the sandbox's profile renders nothing either).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

OURS = textwrap.dedent(
    """
    import json, resource, sys, time
    from sandbox.owndata.profile import profile
    import polars  # imported before the clock starts, like pandas on the other side
    started, cpu = time.perf_counter(), time.process_time()
    result = profile(sys.argv[1])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": wall, "cpu": cpu, "peak_mb": peak, "warnings": len(result.warnings)}))
    """
)
YDATA = textwrap.dedent(
    """
    import json, resource, sys, time, warnings
    warnings.filterwarnings("ignore")
    import pandas as pd
    from ydata_profiling import ProfileReport
    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(sys.argv[1])
    read = time.perf_counter() - started
    description = ProfileReport(frame, minimal=True, progress_bar=False).get_description()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": wall, "cpu": cpu, "peak_mb": peak, "read_seconds": read,
                      "alerts": len(description.alerts)}))
    """
)


def run(python: str, code: str, csv: Path) -> dict[str, float]:
    pin = ["taskset", "-c", "0,1"] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else []
    done = subprocess.run(
        [*pin, python, "-c", code, str(csv)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{python} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each profiler; the best is kept"
    )
    parser.add_argument("--ydata-python", help="python of a venv with ydata-profiling installed")
    args = parser.parse_args()

    from sandbox.owndata.synthetic import wide_table

    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "wide.csv"
        planted = wide_table(csv, rows=args.rows)
        size = csv.stat().st_size / 1e6
        print(f"table: {args.rows:,} rows × 20 columns, {size:,.0f} MB CSV; planted {planted}")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        ours = min(
            (run(sys.executable, OURS, csv) for _ in range(args.repeat)), key=lambda r: r["seconds"]
        )
        print(
            f"sandbox profile:        {ours['seconds']:6.2f} s wall, {ours['cpu']:6.2f} s CPU, "
            f"peak {ours['peak_mb']:,.0f} MB, {ours['warnings']:.0f} warnings"
        )
        if args.ydata_python:
            theirs = min(
                (run(args.ydata_python, YDATA, csv) for _ in range(args.repeat)),
                key=lambda r: r["seconds"],
            )
            print(
                f"ydata-profiling minimal: {theirs['seconds']:6.2f} s wall ({theirs['read_seconds']:.2f} s "
                f"pandas.read_csv), {theirs['cpu']:6.2f} s CPU, peak {theirs['peak_mb']:,.0f} MB, "
                f"{theirs['alerts']:.0f} alerts"
            )
            print(
                f"ratio (ydata / sandbox): time {theirs['seconds'] / ours['seconds']:.1f}×, "
                f"CPU {theirs['cpu'] / ours['cpu']:.1f}×, peak memory {theirs['peak_mb'] / ours['peak_mb']:.1f}×"
            )
        else:
            print("ydata-profiling: not measured (pass --ydata-python, see the module docstring)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

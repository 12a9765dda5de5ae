"""How long dataset variants take to build and write (prints figures, asserts nothing).

Clean verification writes a seeded variant of every dataset a challenge reads before it runs
the notebook, so that cost is added to each verification. Goal (issue 12): at most 1 s for
all the datasets of one challenge.

Three tables:

1. every dataset on its own: generate the variant and write it (median over ``--repeat``
   seeds, in this process with its libraries already imported and no cached build);
2. all datasets at once with ``write_variant(folder, seed)``: warm (as above) and cold (a
   fresh Python process, so imports of numpy, pandas, pyarrow and scikit-learn are included);
3. per challenge (``datasets = [...]`` of each ``challenges/*/*/challenge.toml``): warm, and
   cold unless ``--no-cold``.

    .venv/bin/python benchmarks/variants.py [--repeat 5] [--no-cold]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

from sandbox import datasets
from sandbox.datasets import generators

REPO = Path(__file__).resolve().parent.parent
FIRST_SEED = 1_000


def challenge_datasets() -> list[tuple[str, list[str]]]:
    """(challenge id, dataset names) for every challenge folder, in path order."""
    found = []
    for manifest in sorted((REPO / "challenges").glob("*/*/challenge.toml")):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        found.append((str(data.get("id", manifest.parent.name)), list(data.get("datasets", []))))
    return found


def warm_seconds(names: Sequence[str] | None, repeat: int) -> float:
    """Median time to write the variants of ``names`` (None: all), a new seed each time."""
    times = []
    for i in range(repeat):
        generators._retail.cache_clear()  # no build left over from an earlier seed
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            datasets.write_variant(folder, FIRST_SEED + i, names)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_seconds(names: Sequence[str] | None) -> tuple[float, float]:
    """(whole process, write only) seconds for a fresh process to write the variants."""
    code = (
        "import sys, time, tempfile\n"
        "start = time.perf_counter()\n"
        "from sandbox import datasets\n"
        "names = sys.argv[1:] or None\n"
        "with tempfile.TemporaryDirectory() as folder:\n"
        "    datasets.write_variant(folder, 7, names)\n"
        "print(time.perf_counter() - start)\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *(names or [])],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, float(result.stdout.strip())


def main() -> None:
    """Print the three tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="seeds per warm figure")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process figures")
    args = parser.parse_args()

    # Import the heavy libraries once, so warm figures measure only the variants.
    with tempfile.TemporaryDirectory() as folder:
        datasets.write_variant(folder, 0)

    print(f"1. per dataset (warm, median of {args.repeat} seeds)")
    print(f"   {'dataset':<20} {'rows':>6} {'bytes':>9} {'seconds':>8}")
    for name in datasets.names():
        with tempfile.TemporaryDirectory() as folder:
            (file,) = datasets.write_variant(folder, FIRST_SEED, [name])
            size = file.stat().st_size
            if datasets.info(name).is_bundled:
                rows = len(datasets.variant_frame(name, FIRST_SEED))
            else:
                rows = file.read_bytes().count(b"\n") - 1
        seconds = warm_seconds([name], args.repeat)
        print(f"   {name:<20} {rows:>6} {size:>9,} {seconds:>8.3f}")

    print("\n2. every dataset at once")
    print(f"   warm: {warm_seconds(None, args.repeat):.3f} s")
    if not args.no_cold:
        whole, inside = cold_seconds(None)
        print(f"   cold: {whole:.3f} s for the process ({inside:.3f} s from import to written)")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sklearn.datasets"], check=True)
        print(
            f"   for scale, a fresh `import sklearn.datasets`: {time.perf_counter() - start:.3f} s"
        )

    print("\n3. per challenge, one seed (goal: <= 1 s)")
    header = f"   {'challenge':<34} {'warm s':>7}"
    if not args.no_cold:
        header += f" {'cold s':>7} {'in-proc s':>9}"
    print(header + "  datasets")
    worst = 0.0
    for challenge, names in challenge_datasets():
        warm = warm_seconds(names, args.repeat)
        line = f"   {challenge:<34} {warm:>7.3f}"
        if not args.no_cold:
            whole, inside = cold_seconds(names)
            line += f" {whole:>7.3f} {inside:>9.3f}"
            worst = max(worst, inside)
        else:
            worst = max(worst, warm)
        print(f"{line}  {', '.join(names)}")
    label = "cold, from import to written" if not args.no_cold else "warm"
    print(f"\n   slowest challenge ({label}): {worst:.3f} s")


if __name__ == "__main__":
    main()

"""How fast the dashboard is: prints figures against the goals, asserts nothing.

- cold start: `streamlit run app.py` process start → Home rendered in Chromium (goal ≤ 6 s)
- each page's first AppTest run, each in a fresh Python process (goal ≤ 1.5 s); the lab
  pages both with the learner's MLflow runs and Optuna study and without them, the Explain
  page before an explanation is requested
- what the lab buttons cost the first time in a process: the SQL Lab's first query (it loads
  the datasets) and Explain on a built-in model, cold and after the warm-up thread that
  `sandbox dashboard` starts in the server (goal ≤ 2 s once warmed up)
- a warm rerun of Home (goal ≤ 0.3 s)

The learner is mid-way through the fixture catalogue (tests/fixtures/content) with a few
hundred events spread over past weeks, two MLflow runs and a 20-trial Optuna study, in a
throwaway data home. Use --content to point at another content tree (for example the
repository root).

    .venv/bin/python benchmarks/dashboard.py [--content PATH] [--events N] [--skip-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "content"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = ("home", "challenges", "badges", "progress", "settings")
LAB_PAGES = ("sql_lab", "experiments", "tuning", "explain")
# What a first click does on a lab page, as AppTest steps run after the page's first run.
LAB_ACTIONS = {
    "SQL Lab first query": (
        "sql_lab",
        'next(b for b in at.button if b.label == "Run query").click()',
    ),
    "Explain, built-in model": ("explain", 'at.button(key="explain-compute").click()'),
}
GOAL_COLD_START = 6.0
GOAL_FIRST_RUN = 1.5
GOAL_WARM_RERUN = 0.3
GOAL_LAB_ACTION = 2.0


def fixed_clock(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def make_learner(home: Path, extra_events: int) -> None:
    """A mid-way learner: the first challenge verified, the next started, a history of checks."""
    from sandbox.catalogue import default_catalogue
    from sandbox.progress import ProgressStore

    ids = [c.id for c in default_catalogue()]
    start = datetime.now(UTC) - timedelta(days=60)
    for n in range(extra_events):
        when = start + timedelta(minutes=n * 60 * 24 * 60 // max(extra_events, 1))
        ProgressStore(home, clock=fixed_clock(when)).append(
            "checked", ids[n % len(ids)], "q1", {"source": "inline", "outcome": "FAIL"}
        )
    store = ProgressStore(home)
    store.append("opened", ids[0])
    store.append("verified", ids[0], None, {"tasks": {"q1": "PASS"}})
    if len(ids) > 1:
        store.append("opened", ids[1])
        store.append("hint", ids[1], "q1", {"index": 0})


def make_lab_data(home: Path) -> None:
    """Two MLflow runs and a seeded 20-trial Optuna study, written through the integrations."""
    import mlflow

    from sandbox.integrations import tracking, tuning

    tracking.configure(home, experiment="first-model")
    for name, depth, accuracy in (("shallow", 2, 0.84), ("deep", 8, 0.91)):
        with mlflow.start_run(run_name=name):
            mlflow.log_param("max_depth", depth)
            mlflow.log_metric("accuracy", accuracy)

    def objective(trial: object) -> float:
        x = trial.suggest_float("x", -5.0, 5.0)  # type: ignore[attr-defined]
        depth = trial.suggest_int("depth", 1, 8)  # type: ignore[attr-defined]
        return float(-((x - 1.0) ** 2) - (depth - 3) ** 2)

    tuning.create_study("search", seed=0, home=home).optimize(objective, n_trials=20)


def verdict(seconds: float, goal: float) -> str:
    return f"{seconds:6.2f} s  (goal ≤ {goal} s: {'ok' if seconds <= goal else 'OVER'})"


# -- AppTest -----------------------------------------------------------------------------------


WARM_UP = "from sandbox import warmup; warmup.start_once(delay=0); warmup.wait()"


def first_run_in_fresh_process(page: str, env: dict[str, str], warm: bool = False) -> float:
    """Time one page's first AppTest run in a new interpreter (streamlit.testing pre-imported).

    ``warm``: as under ``sandbox dashboard``, the server's warm-up thread has run first.
    """
    child = f"""
import time
from streamlit.testing.v1 import AppTest
{WARM_UP if warm else ""}
at = AppTest.from_file({str(APP)!r}, default_timeout=60)
if {page!r} != "home":
    at.switch_page("sandbox/ui/pages/{page}.py")
started = time.perf_counter()
at.run()
elapsed = time.perf_counter() - started
assert not at.exception, [e.value for e in at.exception]
print(elapsed)
"""
    done = subprocess.run(
        [sys.executable, "-c", child], env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def first_click_in_fresh_process(
    page: str, action: str, env: dict[str, str], warm: bool = False
) -> float:
    """Time one lab button's first use in a new interpreter, after the page's first run.

    ``warm``: as under ``sandbox dashboard``, the server's warm-up thread has run first.
    """
    child = f"""
import time
from streamlit.testing.v1 import AppTest
{WARM_UP if warm else ""}
at = AppTest.from_file({str(APP)!r}, default_timeout=600)
at.switch_page("sandbox/ui/pages/{page}.py")
at.run()
{action}
started = time.perf_counter()
at.run()
elapsed = time.perf_counter() - started
assert not at.exception, [e.value for e in at.exception]
assert not at.error, [e.value for e in at.error]
print(elapsed)
"""
    done = subprocess.run(
        [sys.executable, "-c", child], env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def warm_home_reruns(env: dict[str, str], repeats: int = 10) -> list[float]:
    child = f"""
import time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(APP)!r}, default_timeout=60).run()
times = []
for _ in range({repeats}):
    started = time.perf_counter()
    at.run()
    times.append(time.perf_counter() - started)
print(times)
"""
    done = subprocess.run(
        [sys.executable, "-c", child], env=env, capture_output=True, text=True, check=True
    )
    times: list[float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


# -- a real server and browser ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cold_start(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from process start to a healthy server, and to Home drawn in Chromium."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.headless", "true", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        started = time.perf_counter()
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.perf_counter() - started > 60:
                        raise RuntimeError("streamlit did not start") from None
                    time.sleep(0.05)
            healthy = time.perf_counter() - started
            page.goto(url)
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
            )
            rendered = time.perf_counter() - started
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            browser.close()
    return healthy, rendered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=None, help="content root to use")
    parser.add_argument("--events", type=int, default=300, help="extra past events to add")
    parser.add_argument("--skip-browser", action="store_true", help="only the AppTest figures")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        if args.content is None:
            content = Path(tmp) / "content"
            shutil.copytree(FIXTURE_CONTENT, content)
        else:
            content = args.content.resolve()
        home = Path(tmp) / "home"
        os.environ["SANDBOX_CONTENT"] = str(content)
        os.environ["SANDBOX_HOME"] = str(home)
        make_learner(home, args.events)
        make_lab_data(home)
        env = dict(os.environ)
        events = len(json.loads((home / "progress.json").read_text())["events"])
        print(f"learner: {events} events, 2 MLflow runs, a 20-trial study · content {content}")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

        print("\nfirst AppTest run per page (fresh process each)")
        for page in (*PAGES, *LAB_PAGES):
            print(f"  {page:<11} {verdict(first_run_in_fresh_process(page, env), GOAL_FIRST_RUN)}")

        print("\nlab pages after the server's warm-up thread (as under `sandbox dashboard`)")
        for page in LAB_PAGES:
            seconds = first_run_in_fresh_process(page, env, warm=True)
            print(f"  {page:<11} {verdict(seconds, GOAL_FIRST_RUN)}")

        new_learner = dict(env, SANDBOX_HOME=str(Path(tmp) / "new-learner"))
        print("\nlab pages of a new learner (no MLflow or Optuna store)")
        for page in LAB_PAGES:
            seconds = first_run_in_fresh_process(page, new_learner)
            print(f"  {page:<11} {verdict(seconds, GOAL_FIRST_RUN)}")

        print("\nfirst click in a fresh process: cold, and after the server's warm-up thread")
        for label, (page, action) in LAB_ACTIONS.items():
            cold = first_click_in_fresh_process(page, action, env)
            warm = first_click_in_fresh_process(page, action, env, warm=True)
            print(f"  {label:<24} cold {cold:6.2f} s   warmed up {verdict(warm, GOAL_LAB_ACTION)}")

        times = warm_home_reruns(env)
        median = statistics.median(times)
        print(f"\nwarm Home rerun, median of {len(times)}: {verdict(median, GOAL_WARM_RERUN)}")
        print(f"  (min {min(times):.3f} s, max {max(times):.3f} s)")

        if args.skip_browser:
            return
        if not CHROMIUM.exists():
            print(f"\ncold start: skipped, no Chromium at {CHROMIUM} (apt-get install -y chromium)")
            return
        healthy, rendered = cold_start(env)
        print("\ncold start (process start → …)")
        print(f"  server healthy        {healthy:6.2f} s")
        print(f"  Home drawn (Chromium) {verdict(rendered, GOAL_COLD_START)}")


if __name__ == "__main__":
    main()

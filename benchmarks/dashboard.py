"""How fast the dashboard is: prints figures against the goals, asserts nothing.

- cold start: `streamlit run app.py` process start → Home rendered in Chromium (goal ≤ 6 s)
- each page's first AppTest run, each in a fresh Python process (goal ≤ 1.5 s); the lab
  pages both with the learner's MLflow runs and Optuna study and without them, the Explain
  page before an explanation is requested
- what the lab buttons cost the first time in a process: the SQL Lab's first query (it loads
  the datasets) and Explain on a built-in model, cold and after the warm-up thread that
  `sandbox dashboard` starts in the server (goal ≤ 2 s once warmed up)
- a warm rerun of Home (goal ≤ 0.3 s)
- full page loads in Chromium, side by side with a trivial Streamlit page (a title and one
  line) served from the same venv in the same run: every page of the app's navigation
  against the trivial page (goals: Home ≤ 1.5×, every page ≤ 2.5× the trivial page), and
  Home with a 100,000-event log (written by `benchmarks/event_log.py`'s generator) against
  Home with an empty store (goal ≤ 2×): once with the log as the previous load left it, and
  once with one more event written before each load (the page must read the log again, as
  after a check in a notebook)

The learner is mid-way through the fixture catalogue (tests/fixtures/content) with a few
hundred events spread over past weeks, two MLflow runs and a 20-trial Optuna study, in a
throwaway data home. Use --content to point at another content tree (for example the
repository root).

A full page load is timed from navigating a new browser context (nothing cached, a new
Streamlit session) until the page's own content is drawn (a page-specific element, no
placeholder left, every chart's marks drawn) and its script run has finished. The servers
run `streamlit run` with the flags `sandbox dashboard` gives it (loopback, headless, no file
watcher) but without its warm-up thread: each serves every page once before timing starts,
so the figures are those of a running dashboard, not of a fresh process (the cold start
covers that). Page and baseline loads
alternate in one loop (the first of each pair swaps every round), so both see the same
machine load; the figures are medians of --repeat loads, and the ratios (of the drawn
times) are what to compare between runs. "(ran)" is when the page's script run had
finished: what comes after it is the browser drawing, mostly charts whose code loads on
first use.

    .venv/bin/python benchmarks/dashboard.py [--content PATH] [--events N] [--repeat N]
                                             [--log-events N] [--skip-browser | --only-browser]
"""

from __future__ import annotations

import argparse
import contextlib
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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
GOAL_HOME_RATIO = 1.5  # Home's full load against the trivial page's
GOAL_PAGE_RATIO = 2.5  # every other page's
GOAL_LARGE_LOG_RATIO = 2.0  # Home with the large log against Home with an empty store

# A Vega-Lite chart with its marks drawn (before its rows arrive, its mark groups are empty).
DRAWN_CHART = '[data-testid="stVegaLiteChart"] g.role-mark > *'
# Sidebar title → (URL path, a selector that appears once the page's own content is drawn),
# for the mid-way learner below; as in tests/test_ui_browser.py.
APP_PAGES = {
    "Home": ("", '[data-testid="stMetricValue"]'),
    "Challenges": ("challenges", '[data-testid="stExpander"]'),
    "Badges": ("badges", "text=Still to earn"),
    "Progress": ("progress", DRAWN_CHART),
    "Settings": ("settings", "text=Reset everything"),
    "SQL Lab": ("sql_lab", "text=Run query"),
    "Experiments": ("experiments", DRAWN_CHART),
    "Tuning": ("tuning", DRAWN_CHART),
    "Explain": ("explain", "text=Press Explain"),
    "Your data": ("own_data", '[data-testid="stFileUploaderDropzone"]'),
}
TRIVIAL_PAGE = 'import streamlit as st\n\nst.title("Trivial")\nst.write("hello")\n'
TRIVIAL_READY = "text=hello"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
NAV_LINK = '[data-testid="stSidebarNav"] a'
# Charts (and other elements whose code loads on first use) are drawn after the script has
# finished: until then a skeleton holds their place. A Vega-Lite chart is drawn once its marks
# are (its first render, before its rows arrive, has empty mark groups); a Plotly chart (none
# of the app's pages has one any more) once its SVG is.
DRAWN = (
    "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
    " && [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
    ".every(chart => chart.querySelector('g.role-mark > *'))"
    " && [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
    ".every(chart => chart.querySelector('.main-svg'))"
)
PAGE_TIMEOUT_MS = 60_000


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


def start_server(script: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run script`` on a free loopback port, from the repository (its config)."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return server, f"http://127.0.0.1:{port}"


def wait_until_healthy(server: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    started = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            if server.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError(f"streamlit did not start at {url}") from None
            time.sleep(0.05)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextlib.contextmanager
def serving(script: Path, env: dict[str, str]) -> Iterator[str]:
    """A healthy server for ``script``; yields its base URL, stops it on the way out."""
    server, url = start_server(script, env)
    try:
        wait_until_healthy(server, url)
        yield url
    finally:
        stop_server(server)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def cold_start(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from process start to a healthy server, and to Home drawn in Chromium."""
    with chromium() as browser:
        page = browser.new_page()
        started = time.perf_counter()
        server, url = start_server(APP, env)
        try:
            wait_until_healthy(server, url)
            healthy = time.perf_counter() - started
            page.goto(url)
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            rendered = time.perf_counter() - started
        finally:
            stop_server(server)
    return healthy, rendered


# -- full page loads in Chromium, side by side --------------------------------------------------


@dataclass(frozen=True)
class Load:
    """One page to load: its label, full URL and the selector drawn once its content is.

    ``before``: run before each load, untimed (for example, a new event in the log).
    """

    label: str
    url: str
    ready: str
    before: Callable[[], object] | None = None


def navigation(browser: Browser, base_url: str) -> dict[str, str]:
    """The app's navigation as the browser sees it: sidebar title → URL path."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url)
        page.wait_for_selector(NAV_LINK, timeout=PAGE_TIMEOUT_MS)
        links = page.locator(NAV_LINK)
        found = {}
        for index in range(links.count()):
            link = links.nth(index)
            href = link.get_attribute("href") or ""
            title = link.locator("[label]").get_attribute("label") or ""  # not the icon's name
            found[title] = href.removeprefix(base_url).strip("/")
        return found
    finally:
        context.close()


def app_pages(browser: Browser, base_url: str) -> list[Load]:
    """Every page of the navigation; one missing from ``APP_PAGES`` waits for its heading."""
    loads = []
    for title, path in navigation(browser, base_url).items():
        known = APP_PAGES.get(title)
        if known is None:
            print(f"  (no selector for {title!r} in APP_PAGES: waiting for its heading)")
        elif known[0] != path:
            print(f"  ({title!r} is served at /{path}, APP_PAGES says /{known[0]})")
        ready = known[1] if known else "h1"  # every page has a title
        loads.append(Load(title, f"{base_url}/{path}", ready))
    return loads


@dataclass(frozen=True)
class Timing:
    """One full load: seconds until the script run finished, and until the page was drawn."""

    ran: float
    drawn: float


def full_load(browser: Browser, load: Load) -> Timing:
    """Time navigating a new browser context until the page is drawn and its run finished."""
    if load.before is not None:
        load.before()
    context = browser.new_context()
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(load.url)
        # Every page starts with its title: once it is there, the run under way is this page's.
        page.wait_for_selector("h1", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=PAGE_TIMEOUT_MS)
        ran = time.perf_counter() - started
        page.wait_for_selector(load.ready, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(DRAWN, timeout=PAGE_TIMEOUT_MS)
        drawn = time.perf_counter() - started
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{load.label} shows an exception")
        return Timing(ran, drawn)
    finally:
        context.close()


def side_by_side(
    browser: Browser, loads: list[Load], baseline: Load, repeat: int
) -> dict[str, tuple[list[Timing], list[Timing]]]:
    """Each load's timings and the baseline's, loaded alternately, after one untimed load of
    each. Every load is paired with a baseline load next to it; the pair's order swaps every
    round."""
    for load in (baseline, *loads):
        full_load(browser, load)
    times: dict[str, tuple[list[Timing], list[Timing]]] = {load.label: ([], []) for load in loads}
    for round_ in range(repeat):
        for load in loads:
            own, base = times[load.label]
            if round_ % 2:
                base.append(full_load(browser, baseline))
                own.append(full_load(browser, load))
            else:
                own.append(full_load(browser, load))
                base.append(full_load(browser, baseline))
    return times


def ratio_verdict(ratio: float, goal: float) -> str:
    return f"{ratio:5.2f}×  (goal ≤ {goal}×: {'ok' if ratio <= goal else 'OVER'})"


def print_side_by_side(
    times: dict[str, tuple[list[Timing], list[Timing]]],
    baseline: str,
    goals: Callable[[str], float],
) -> None:
    """Medians of the drawn times and their ratio (and when the page's script run finished)."""
    print(f"  {'':<13} {'drawn':>8} {'(ran)':>8} {baseline:>12}   ratio")
    for label, (own, base) in times.items():
        drawn = statistics.median(t.drawn for t in own)
        ran = statistics.median(t.ran for t in own)
        base_drawn = statistics.median(t.drawn for t in base)
        print(
            f"  {label:<13} {drawn:6.2f} s {f'({ran:.2f} s)':>8} {base_drawn:10.2f} s   "
            f"{ratio_verdict(drawn / base_drawn, goals(label))}"
        )


def write_large_log(home: Path, events: int) -> None:
    """A long-practising learner's log, from the generator of benchmarks/event_log.py."""
    from event_log import generate_events, write_log  # the script's folder is on sys.path

    write_log(home, generate_events(events))


def add_check(home: Path) -> None:
    """One more inline check in the log, as when the learner checks a task in a notebook."""
    from sandbox.catalogue import default_catalogue
    from sandbox.progress import ProgressStore

    first = next(iter(default_catalogue()))
    ProgressStore(home).append(
        "checked", first.id, first.tasks[0].id, {"source": "inline", "outcome": "FAIL"}
    )


def browser_figures(env: dict[str, str], root: Path, repeat: int, log_events: int) -> None:
    trivial_script = root / "trivial.py"
    trivial_script.write_text(TRIVIAL_PAGE, encoding="utf-8")
    with chromium() as browser:
        print(f"\nfull page load in Chromium, median of {repeat}, alternating with a trivial page")
        with serving(APP, env) as app_url, serving(trivial_script, env) as trivial_url:
            trivial = Load("trivial", trivial_url, TRIVIAL_READY)
            times = side_by_side(browser, app_pages(browser, app_url), trivial, repeat)
        print_side_by_side(
            times, "trivial", lambda label: GOAL_HOME_RATIO if label == "Home" else GOAL_PAGE_RATIO
        )

        large, empty = root / "large-log", root / "empty-store"
        write_large_log(large, log_events)
        size = (large / "progress.json").stat().st_size / 1e6
        print(
            f"\nHome with {log_events:,} events ({size:.0f} MB log) against an empty store, "
            f"median of {repeat}, alternating: the log as the last page left it, and with one "
            "more event before each load"
        )
        with (
            serving(APP, dict(env, SANDBOX_HOME=str(large))) as large_url,
            serving(APP, dict(env, SANDBOX_HOME=str(empty))) as empty_url,
        ):
            home_ready = APP_PAGES["Home"][1]
            loads = [
                Load("log unchanged", large_url, home_ready),
                Load("a new event", large_url, home_ready, before=lambda: add_check(large)),
            ]
            times = side_by_side(browser, loads, Load("empty", empty_url, home_ready), repeat)
        print_side_by_side(times, "empty store", lambda _: GOAL_LARGE_LOG_RATIO)


def apptest_figures(env: dict[str, str], new_learner: dict[str, str]) -> None:
    print("\nfirst AppTest run per page (fresh process each)")
    for page in (*PAGES, *LAB_PAGES):
        print(f"  {page:<11} {verdict(first_run_in_fresh_process(page, env), GOAL_FIRST_RUN)}")

    print("\nlab pages after the server's warm-up thread (as under `sandbox dashboard`)")
    for page in LAB_PAGES:
        seconds = first_run_in_fresh_process(page, env, warm=True)
        print(f"  {page:<11} {verdict(seconds, GOAL_FIRST_RUN)}")

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=None, help="content root to use")
    parser.add_argument("--events", type=int, default=300, help="extra past events to add")
    parser.add_argument("--repeat", type=int, default=5, help="timed loads per browser figure")
    parser.add_argument(
        "--log-events", type=int, default=100_000, help="events in the large log for Home"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--skip-browser", action="store_true", help="only the AppTest figures")
    which.add_argument("--only-browser", action="store_true", help="only the Chromium figures")
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

        if not args.only_browser:
            new_learner = dict(env, SANDBOX_HOME=str(Path(tmp) / "new-learner"))
            apptest_figures(env, new_learner)
        if args.skip_browser:
            return
        if not CHROMIUM.exists():
            print(
                f"\nbrowser figures: skipped, no Chromium at {CHROMIUM} (apt-get install -y chromium)"
            )
            return
        healthy, rendered = cold_start(env)
        print("\ncold start (process start → …)")
        print(f"  server healthy        {healthy:6.2f} s")
        print(f"  Home drawn (Chromium) {verdict(rendered, GOAL_COLD_START)}")
        browser_figures(env, Path(tmp), args.repeat, args.log_events)


if __name__ == "__main__":
    main()

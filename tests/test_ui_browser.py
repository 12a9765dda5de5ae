"""End to end: a real `streamlit run app.py` server driven by Debian's Chromium through Playwright.

The learner is mid-way (one challenge verified, one started) and has two MLflow
runs and an Optuna study. A second server shows the real catalogue to a learner at
level 3, whose Challenges page must stay short on a desktop and on a phone.
Screenshots of each page go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox.catalogue import default_catalogue
from sandbox.progress import ProgressStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_SECONDS = 60.0
PAGE_TIMEOUT_MS = 30_000

# A Vega-Lite chart with its marks drawn (before its rows arrive, its mark groups are empty).
DRAWN_CHART = '[data-testid="stVegaLiteChart"] g.role-mark > *'
# title in the sidebar → (URL path, a selector that appears once the page's content is drawn)
PAGES = {
    "Home": ("", '[data-testid="stMetric"]'),
    "Challenges": ("challenges", '[data-testid="stExpander"]'),
    "Badges": ("badges", "text=Still to earn"),
    "Progress": ("progress", DRAWN_CHART),
    "Settings": ("settings", "text=Reset everything"),
    "SQL Lab": ("sql_lab", "text=Run query"),
    "Experiments": ("experiments", DRAWN_CHART),
    "Tuning": ("tuning", DRAWN_CHART),
    "Explain": ("explain", "text=Press Explain"),
}
EXPLAIN_TIMEOUT_MS = 180_000
# The pages that draw charts without a click, and how many (Vega-Lite: no page loads Plotly).
CHARTS_DRAWN = {"Progress": 4, "Experiments": 1, "Tuning": 1}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not answer /_stcore/health in time:\n{log.read_text()}")


@pytest.fixture(scope="module")
def learner_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A mid-way learner on the fixture catalogue, as environment variables for subprocesses."""
    root = tmp_path_factory.mktemp("browser")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    home = root / "home"
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("verified", "alpha", None, {"tasks": {"q1": "PASS", "q2": "PASS"}})
    store.append("opened", "beta")
    store.append("hint", "beta", "q1", {"index": 0})
    add_lab_data(home)
    return {**os.environ, "SANDBOX_HOME": str(home), "SANDBOX_CONTENT": str(content)}


def add_lab_data(home: Path) -> None:
    """Two MLflow runs and a six-trial Optuna study, written through the integrations."""
    import mlflow

    from sandbox.integrations import tracking, tuning

    previous = os.environ.get("MLFLOW_TRACKING_URI")
    tracking.configure(home, experiment="first-model")
    try:
        for name, depth, accuracy in (("shallow", 2, 0.84), ("deep", 8, 0.91)):
            with mlflow.start_run(run_name=name):
                mlflow.log_param("max_depth", depth)
                mlflow.log_metric("accuracy", accuracy)
    finally:
        mlflow.set_tracking_uri(previous)  # type: ignore[arg-type]
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]

    def objective(trial: Any) -> float:
        x = trial.suggest_float("x", -5.0, 5.0)
        depth = trial.suggest_int("depth", 1, 8)
        return float(-((x - 1.0) ** 2) - (depth - 3) ** 2)

    tuning.create_study("search", seed=0, home=home).optimize(objective, n_trials=6)


@contextmanager
def streamlit_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with ``env``; yields its address."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.headless", "true", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def dashboard_url(
    learner_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with streamlit_server(learner_env, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


def require_chromium() -> None:
    """A missing browser fails the test (never skips it): CI must install Chromium."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(Playwright cannot download browsers here)."
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module (Playwright's sync API runs one instance at a time)."""
    if not CHROMIUM.exists():
        yield None  # each test fails with the install message, see require_chromium
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def browser_page(browser: Any) -> Iterator[Any]:
    if browser is None:
        yield None
        return
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    page.close()


def cli_status(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    status: dict[str, Any] = json.loads(done.stdout)
    return status


def wait_for_page(page: Any, title: str) -> None:
    """Wait until the page's own content is drawn and its script run has finished."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.get_by_role("heading", name=re.compile(title if title != "Home" else "Welcome")).wait_for()
    page.wait_for_selector(PAGES[title][1])
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def metric_value(page: Any, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{label}$"))
    )
    text: str = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return text.strip()


def charts_drawn(page: Any, title: str) -> int:
    """How many Vega-Lite charts show their marks; a Plotly chart fails the test (its 4.6 MB
    bundle is what the pages stopped loading)."""
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0, f"{title} draws Plotly"
    count: int = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .filter(chart => chart.querySelector('g.role-mark > *')).length"""
    )
    return count


def assert_no_exception(page: Any, title: str) -> None:
    shown = page.locator('[data-testid="stException"]')
    assert shown.count() == 0, f"{title} shows an exception: {shown.first.inner_text()}"


def test_every_page_renders_and_home_matches_the_cli(
    dashboard_url: str, browser_page: Any, learner_env: dict[str, str]
) -> None:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto(dashboard_url)
    wait_for_page(page, "Home")
    assert_no_exception(page, "Home")
    status = cli_status(learner_env)
    assert metric_value(page, "XP") == str(status["xp"])
    assert metric_value(page, "Streak \\(days\\)") == str(status["streak_days"])
    level = page.get_by_role("heading", name=f"Level {status['level']} · {status['level_name']}")
    assert level.count() == 1
    # Badges earned before the learner first looked at Home are not celebrated as new.
    assert page.get_by_text("New badge").count() == 0

    # Then through the sidebar, as a learner would.
    for title, (url_path, _) in PAGES.items():
        if title == "Home":
            continue
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
        page.wait_for_url(re.compile(f"/{url_path}$"))
        wait_for_page(page, title)
        assert_no_exception(page, title)
        expected = CHARTS_DRAWN.get(title, 0)
        if expected:
            page.wait_for_function(
                """n => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                    .filter(chart => chart.querySelector('g.role-mark > *')).length >= n""",
                arg=expected,
            )
        assert charts_drawn(page, title) == expected, title
        page.screenshot(path=str(SCREENSHOTS / f"{title.lower()}.png"), full_page=True)

    # A refresh loses Streamlit's session state; the badges must not be celebrated again.
    page.goto(dashboard_url)
    wait_for_page(page, "Home")
    assert page.get_by_text("New badge").count() == 0
    assert metric_value(page, "XP") == str(status["xp"])
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)


def test_continue_opens_the_next_challenge(
    dashboard_url: str, browser_page: Any, learner_env: dict[str, str]
) -> None:
    require_chromium()
    status = cli_status(learner_env)
    page = browser_page
    page.goto(dashboard_url)
    wait_for_page(page, "Home")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(f"/challenges\\?challenge={status['next_challenge']}$"))
    page.get_by_role("button", name="Verify").wait_for()
    assert_no_exception(page, "challenge detail")
    page.screenshot(path=str(SCREENSHOTS / "challenge-detail.png"), full_page=True)


def test_the_labs_compute_in_the_browser(dashboard_url: str, browser_page: Any) -> None:
    """A query runs in the SQL Lab, and the Explain page draws SHAP and LIME after the click."""
    require_chromium()
    page = browser_page
    page.goto(f"{dashboard_url}/sql_lab")
    wait_for_page(page, "SQL Lab")
    page.get_by_role("button", name="Run query").click()
    page.get_by_text(re.compile(r"^\d+ rows? in ")).wait_for()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    assert_no_exception(page, "SQL Lab")
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    page.wait_for_selector(DRAWN_CHART)
    assert charts_drawn(page, "SQL Lab") == 1, "the quick chart of the result"
    page.screenshot(path=str(SCREENSHOTS / "sql_lab-result.png"), full_page=True)

    page.goto(f"{dashboard_url}/explain")
    wait_for_page(page, "Explain")
    page.get_by_role("button", name="Explain", exact=True).click()
    page.get_by_text("Do SHAP and LIME agree?").wait_for(timeout=EXPLAIN_TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=EXPLAIN_TIMEOUT_MS
    )
    assert_no_exception(page, "Explain")
    assert page.locator('[data-testid="stImage"]').count() == 2, "a beeswarm and a waterfall"
    page.wait_for_selector(DRAWN_CHART)
    assert charts_drawn(page, "Explain") == 1, "LIME's weights"
    page.screenshot(path=str(SCREENSHOTS / "explain-result.png"), full_page=True)


# -- the real catalogue for a learner at level 3 -----------------------------------------------------

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CHALLENGES_MAX_PX = {"desktop": 2500, "phone": 5000}


@pytest.fixture(scope="module")
def level_three_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Levels 1 and 2 verified, one level-3 challenge verified and one started."""
    root = tmp_path_factory.mktemp("level3")
    home = root / "home"
    catalogue = default_catalogue()
    done = [c.id for c in catalogue if c.level <= 2] + ["describe-and-correlate"]
    start = datetime.now(UTC) - timedelta(days=len(done))
    for day, challenge_id in enumerate(done):
        store = ProgressStore(home, clock=lambda day=day: start + timedelta(days=day))
        store.append("opened", challenge_id)
        tasks = {t.id: "PASS" for t in catalogue.get(challenge_id).tasks}
        store.append("verified", challenge_id, None, {"tasks": tasks})
    store = ProgressStore(home)
    store.append("opened", "hypothesis-test")
    store.append("checked", "hypothesis-test", "q1", {"source": "inline", "outcome": "PASS"})
    env = {**os.environ, "SANDBOX_HOME": str(home)}
    env.pop("SANDBOX_CONTENT", None)
    with streamlit_server(env, root / "streamlit.log") as url:
        yield url


def main_height(page: Any) -> int:
    """The height of the page's content (Streamlit scrolls it inside its main section)."""
    height: int = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    return height


def fully_visible(locator: Any) -> bool:
    """The element's text is neither clipped (no ellipsis, no overflow) nor off the screen."""
    visible: bool = locator.evaluate(
        """el => {
            const box = el.getBoundingClientRect();
            return el.scrollWidth <= el.clientWidth + 1 && box.left >= 0
                && box.right <= window.innerWidth;
        }"""
    )
    return visible


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_challenges_page_stays_short_for_a_level_three_learner(
    level_three_url: str, browser: Any, label: str, viewport: dict[str, int]
) -> None:
    require_chromium()
    page = browser.new_page(viewport=viewport)
    try:
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(level_three_url)
        wait_for_page(page, "Home")
        # The level's full name, and the next one's, wrap on a phone: never cut.
        level = page.get_by_role("heading", name="Level 3 · Analyst")
        assert level.inner_text() == "Level 3 · Analyst" and fully_visible(level)
        goal = page.get_by_text("XP to level 4 · Modern Data Engineer")
        assert fully_visible(goal)

        page.goto(f"{level_three_url}/challenges")
        wait_for_page(page, "Challenges")
        assert_no_exception(page, "Challenges")
        height = main_height(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"challenges-level3-{label}.png"))
        print(f"Challenges page, level-3 learner, {label}: {height} px")
        assert height <= CHALLENGES_MAX_PX[label], f"{height} px on a {label}"
        # The finished levels fold into one line each; the current level is open.
        assert page.get_by_text("Level 1 · Data Explorer — all 4 verified").is_visible()
        assert page.get_by_role("button", name="Is the difference real?").is_visible()
        assert not page.get_by_role("button", name="First look at a sales table").is_visible()
    finally:
        page.close()

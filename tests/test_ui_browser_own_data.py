"""The "Your data" page end to end: a real Streamlit server, Debian's Chromium, a real upload.

Upload the messy sales, profile them, download the generated schema, write the cleaning
notebook; then upload the churn table and train the baseline, which shows the SHAP chart and
the leak warning. Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_ui_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE_CONTENT,
    PAGE_TIMEOUT_MS,
    REPO,
    SCREENSHOTS,
    assert_no_exception,
    charts_drawn,
    free_port,
    require_chromium,
    wait_until_healthy,
)

from sandbox import datasets
from sandbox.owndata import dashboard, lab
from sandbox.owndata.profile import profile

pytestmark = pytest.mark.browser

TRAIN_TIMEOUT_MS = 300_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("own-data") / "home"


@pytest.fixture(scope="module")
def server(lab_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    env = {**os.environ, "SANDBOX_HOME": str(lab_home), "SANDBOX_CONTENT": str(content)}
    env.pop("MLFLOW_TRACKING_URI", None)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.headless", "true", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(base_url, process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not CHROMIUM.exists():
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, accept_downloads=True
            )
            tab = context.new_page()
            tab.set_default_timeout(PAGE_TIMEOUT_MS)
            yield tab
        finally:
            browser.close()


def open_lab(page: Any, server: str) -> None:
    page.goto(f"{server}/own_data")
    page.wait_for_selector('[data-testid="stApp"]')
    # The first visit to a page imports its modules: allow for a busy machine.
    page.get_by_role("heading", name="Your data").wait_for(timeout=TRAIN_TIMEOUT_MS)
    page.wait_for_selector(IDLE)


def choose_section(page: Any, name: str) -> None:
    page.locator('[data-testid="stRadio"]').get_by_text(name, exact=True).click()
    page.wait_for_selector(IDLE)


def upload_and_profile(page: Any, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text(f"Press Profile to read {path.name}").wait_for()
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Profile", exact=True).click()
    page.get_by_text(f"Profile of {path.name}").wait_for(timeout=TRAIN_TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TRAIN_TIMEOUT_MS)


def test_upload_profile_download_the_schema_and_write_the_notebook(
    server: str, page: Any, lab_home: Path, tmp_path: Path
) -> None:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    messy = datasets.path("retail_sales_messy")
    open_lab(page, server)
    upload_and_profile(page, messy)
    assert_no_exception(page, "Your data")
    assert (lab_home / "my-data" / messy.name).read_bytes() == messy.read_bytes()
    page.get_by_text("30 row(s) are exact copies of an earlier row.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "own-data-profile.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download schema (.yaml)").click()
    saved = tmp_path / "schema.yaml"
    download.value.save_as(saved)
    out = lab.outputs(lab_home, messy.name)
    assert saved.read_text() == out.schema_yaml.read_text() and "isin" in saved.read_text()

    choose_section(page, "Cleaning")
    page.get_by_role("button", name="Apply and write the notebook").click()
    page.get_by_text(re.compile(r"Cleaned: 2,030 → [\d,]+ rows")).wait_for(timeout=TRAIN_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    assert_no_exception(page, "Your data")
    assert out.notebook.is_file() and out.cleaned.is_file()
    page.screenshot(path=str(SCREENSHOTS / "own-data-cleaning.png"), full_page=True)

    # The automatic dashboard: every chart the core chose is drawn (Vega-Lite, no Plotly).
    choose_section(page, "Dashboard")
    expected = len(dashboard.choose_charts(profile(messy)))
    page.wait_for_function(
        """n => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .filter(chart => chart.querySelector('g.role-mark > *')).length >= n""",
        arg=expected,
        timeout=TRAIN_TIMEOUT_MS,
    )
    assert charts_drawn(page, "Your data") == expected == 8
    assert_no_exception(page, "Your data")
    page.screenshot(path=str(SCREENSHOTS / "own-data-dashboard.png"), full_page=True)


def test_baseline_and_shap_in_the_browser(server: str, page: Any, lab_home: Path) -> None:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    churn = datasets.path("churn")
    open_lab(page, server)
    upload_and_profile(page, churn)
    choose_section(page, "Baseline model")
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Column to predict")
    combo = box.get_by_role("combobox")
    combo.click()
    page.get_by_role("listbox").wait_for()
    combo.fill("churned")  # the list is virtual: filter it so the option is drawn
    page.get_by_role("option", name="churned", exact=True).click()
    page.get_by_text("Task: classification").wait_for()
    page.get_by_role("button", name="Train baselines").click()
    page.get_by_text(re.compile(f"{datasets.CHURN_LEAK} alone scores")).wait_for(
        timeout=TRAIN_TIMEOUT_MS
    )
    page.wait_for_selector(IDLE, timeout=TRAIN_TIMEOUT_MS)
    page.get_by_text("SHAP importance of").wait_for()
    page.wait_for_selector('[data-testid="stVegaLiteChart"] g.role-mark > *')
    assert charts_drawn(page, "Your data") == 1, "the SHAP importances"
    assert_no_exception(page, "Your data")
    assert (lab_home / "mlflow.db").is_file()
    page.screenshot(path=str(SCREENSHOTS / "own-data-baseline.png"), full_page=True)

"""Regenerate the README's screenshots from the real product (run by `bash scripts/screenshots`).

Each picture comes from the product itself, in a throwaway data home:

* ``dashboard-home.png`` and ``dashboard-challenges.png``: ``sandbox dashboard`` (behind
  its access token) driven by Debian's Chromium through Playwright at 1366×900, for two
  learners (mid-way through level 1; at level 3) whose event logs are written through the
  progress store; the Challenges page is also measured on a 390×844 phone;
* ``notebook-feedback.png``: the challenge notebook ``pandas-first-look`` with two tasks
  answered and one near miss, run by Jupyter in a fresh kernel (its ``ch.qN.check()``
  cells ask the real judge) and drawn by nbconvert's JupyterLab template;
* ``sandbox-check.png``: the output of ``sandbox check pandas-first-look`` once the near
  miss is fixed, captured in a terminal (a pty, so its colours show) and drawn as HTML.

``--all`` also shoots every dashboard page into ``artifacts/screenshots/`` (git-ignored) to
review. Prints each page's height. Emoji need a colour emoji font in Chromium's reach
(Debian: ``apt-get install fonts-noto-color-emoji``).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import pty
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
REVIEW = REPO / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NOTEBOOK_CHALLENGE = "pandas-first-look"
PAGES = ("", "challenges", "badges", "progress", "settings", "sql_lab", "tuning", "explain")

sys.path.insert(0, str(REPO))

from sandbox.catalogue import default_catalogue  # noqa: E402
from sandbox.progress import ProgressStore  # noqa: E402


def log(message: str) -> None:
    print(f"screenshots: {message}", flush=True)


# -- learners -----------------------------------------------------------------------------------


def write_learner(home: Path, days: list[list[tuple[Any, ...]]], name: str) -> None:
    """Events day by day (the last list is today), each written through the store at its time."""
    now = datetime.now(UTC).replace(microsecond=0)
    ProgressStore(home).set_learner_name(name)
    for offset, events in enumerate(days):
        when = now - timedelta(days=len(days) - 1 - offset, hours=2)
        for step, (kind, challenge, task, details) in enumerate(events):
            at = when + timedelta(minutes=7 * step)
            ProgressStore(home, clock=lambda at=at: at).append(kind, challenge, task, details)


def solved(challenge_id: str) -> list[tuple[Any, ...]]:
    """Open, check every task, verify: a challenge done without help."""
    challenge = default_catalogue().get(challenge_id)
    outcomes = {t.id: "PASS" for t in challenge.tasks}
    events: list[tuple[Any, ...]] = [("opened", challenge_id, None, {})]
    events += [
        ("checked", challenge_id, t, {"source": "inline", "outcome": "PASS"}) for t in outcomes
    ]
    events.append(
        ("checked", challenge_id, None, {"source": "verify", "outcome": "PASS", "tasks": outcomes})
    )
    events.append(("verified", challenge_id, None, {"tasks": outcomes, "seconds": 4.2}))
    return events


def started(challenge_id: str, passed: int) -> list[tuple[Any, ...]]:
    """Opened, the first ``passed`` tasks pass, the next one fails once."""
    tasks = [t.id for t in default_catalogue().get(challenge_id).tasks]
    events: list[tuple[Any, ...]] = [("opened", challenge_id, None, {})]
    for index, task in enumerate(tasks[: passed + 1]):
        outcome = "PASS" if index < passed else "FAIL"
        events.append(("checked", challenge_id, task, {"source": "inline", "outcome": outcome}))
    return events


def midway_learner(home: Path) -> None:
    """Four days in: three level-1 challenges verified (one with a hint), the fourth started."""
    hinted = solved("select-filter-sort")
    hinted.insert(1, ("hint", "select-filter-sort", "q2", {"index": 0}))
    write_learner(
        home,
        [
            solved("pandas-first-look"),
            hinted,
            started("groupby-aggregate", 2),
            solved("groupby-aggregate") + started("first-plotly-chart", 1),
        ],
        "Ada",
    )


def level_three_learner(home: Path) -> None:
    """Levels 1 and 2 verified over nine days, one level-3 challenge verified, one started."""
    catalogue = default_catalogue()
    done = [c.id for c in catalogue if c.level <= 2] + ["describe-and-correlate"]
    days = [solved(cid) for cid in done]
    days[-1] += started("hypothesis-test", 1)
    write_learner(home, days, "Grace")


# -- servers and the browser ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dashboard(home: Path) -> Iterator[str]:
    """``sandbox dashboard`` on ``home``; yields its address with the access token."""
    port = free_port()
    env = {**os.environ, "SANDBOX_HOME": str(home)}
    env.pop("SANDBOX_CONTENT", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "dashboard", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"(http://\S+\?token=\S+)", first)
        if not match:
            raise SystemExit(f"sandbox dashboard did not print its address: {first!r}")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit("the dashboard did not answer /_stcore/health in 90 s")
        yield match.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def settle(page: Any) -> None:
    """Wait until Streamlit has drawn the page and finished its script run."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_timeout(1500)  # charts and fonts finish drawing


def content_height(page: Any) -> int:
    """The height of the page's content, which Streamlit scrolls inside its main section."""
    height: int = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    return height


def shoot(page: Any, path: Path) -> int:
    """Screenshot the whole content (not only the viewport); return its height."""
    height = content_height(page)
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.wait_for_timeout(800)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    return height


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def visit(browser: Any, address: str, viewport: dict[str, int], path: str = "") -> Any:
    page = browser.new_page(viewport=viewport, device_scale_factor=1)
    page.set_default_timeout(60_000)
    page.goto(address)  # the token becomes a cookie; the gate redirects to the bare address
    settle(page)
    if path:
        base = address.split("?", 1)[0].rstrip("/")
        page.goto(f"{base}/{path}")
        settle(page)
    return page


def dashboard_pictures(work: Path, review: bool) -> None:
    midway, level3 = work / "midway", work / "level3"
    midway_learner(midway)
    level_three_learner(level3)
    with chromium() as browser:
        with dashboard(midway) as address:
            page = visit(browser, address, DESKTOP)
            # Home remembers when it was seen; a second look shows it as a learner sees it daily.
            page.reload()
            settle(page)
            log(
                f"Home, mid-way learner, 1366 wide: {shoot(page, IMAGES / 'dashboard-home.png')} px"
            )
            page.close()
            if review:
                for name in PAGES:
                    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                        page = visit(browser, address, viewport, name)
                        height = shoot(page, REVIEW / f"midway-{name or 'home'}-{label}.png")
                        log(f"review: {name or 'home'} ({label}) {height} px")
                        page.close()
        with dashboard(level3) as address:
            for label, viewport, image in (
                ("1366×900", DESKTOP, IMAGES / "dashboard-challenges.png"),
                ("390×844", PHONE, REVIEW / "level3-challenges-phone.png"),
            ):
                page = visit(browser, address, viewport, "challenges")
                log(f"Challenges, level-3 learner, {label}: {shoot(page, image)} px")
                page.close()
            if review:
                for name in PAGES:
                    page = visit(browser, address, PHONE, name)
                    height = shoot(page, REVIEW / f"level3-{name or 'home'}-phone.png")
                    log(f"review: level 3 {name or 'home'} (phone) {height} px")
                    page.close()


# -- the notebook and the command line ------------------------------------------------------------


def sandbox(home: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANDBOX_HOME": str(home)}
    env.pop("SANDBOX_CONTENT", None)
    return subprocess.run(
        [sys.executable, "-m", "sandbox", *args],
        env=env,
        cwd=REPO,
        text=True,
        capture_output=True,
        check=True,
        **kwargs,
    )


def with_answers(notebook: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    for cell in notebook["cells"]:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("task:") and tag.removeprefix("task:") in answers:
                cell["source"] = answers[tag.removeprefix("task:")]
    return notebook


def notebook_answers() -> tuple[dict[str, str], str]:
    """The reference answers of the notebook challenge, and q3's near miss (the top five)."""
    from sandbox.grading.reference import parse_sections

    challenge = default_catalogue().get(NOTEBOOK_CHALLENGE)
    answers = parse_sections(challenge.solution_file)
    near_miss = parse_sections(challenge.folder / "wrong" / "q3_top_five.py")["q3"]
    return answers, near_miss


def notebook_picture(work: Path, browser: Any) -> Path:
    """Run the learner's notebook in a fresh kernel and picture its task cells and checks."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    home = work / "notebook"
    path = Path(sandbox(home, "open", NOTEBOOK_CHALLENGE, "--no-launch").stdout.strip())
    answers, near_miss = notebook_answers()
    notebook = with_answers(json.loads(path.read_text()), {**answers, "q3": near_miss})
    path.write_text(json.dumps(notebook, indent=1))
    run = nbformat.reads(json.dumps(notebook), as_version=4)
    # The submit cell would start a clean verification: the next picture shows that.
    run.cells = [c for c in run.cells if "sandbox:submit" not in c.metadata.get("tags", [])]
    env_home = os.environ.get("SANDBOX_HOME")
    os.environ["SANDBOX_HOME"] = str(home)
    try:
        NotebookClient(
            run, timeout=180, kernel_name="data-science-sandbox",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()  # fmt: skip
    finally:
        if env_home is None:
            os.environ.pop("SANDBOX_HOME", None)
        else:
            os.environ["SANDBOX_HOME"] = env_home
    first_task = next(
        i for i, c in enumerate(run.cells) if c.cell_type == "markdown" and "Task 1" in c.source
    )
    last_check = max(
        i
        for i, c in enumerate(run.cells)
        if any(t.startswith("check:") for t in c.metadata.get("tags", []))
    )
    run.cells = run.cells[first_task : last_check + 1]
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(run)
    page_file = work / "notebook.html"
    page_file.write_text(body, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 900}, device_scale_factor=1)
    page.goto(page_file.as_uri())
    page.wait_for_timeout(1000)
    target = IMAGES / "notebook-feedback.png"
    page.locator("main").first.screenshot(path=str(target))
    page.close()
    return path


# A dark terminal's palette (the light one's green and red are too dim on a dark background).
ANSI_COLOURS = {"31": "#ff7b72", "32": "#56d364", "33": "#e3b341"}


def ansi_to_html(text: str) -> str:
    """A terminal's coloured output as HTML spans (the few SGR codes click emits)."""
    out, open_spans = [], 0
    for part in re.split(r"(\x1b\[[0-9;]*m)", text):
        codes = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if codes is None:
            out.append(html.escape(part))
            continue
        for code in codes.group(1).split(";"):
            if code in ("", "0"):
                out.append("</span>" * open_spans)
                open_spans = 0
            elif code == "1":
                out.append('<span style="font-weight:700">')
                open_spans += 1
            elif code in ANSI_COLOURS:
                out.append(f'<span style="color:{ANSI_COLOURS[code]}">')
                open_spans += 1
    return "".join(out) + "</span>" * open_spans


def in_terminal(home: Path, *args: str) -> str:
    """Run ``sandbox`` in a pseudo-terminal (so it colours its output); return what it wrote."""
    env = {**os.environ, "SANDBOX_HOME": str(home), "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("SANDBOX_CONTENT", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", *args],
        env=env, cwd=REPO, stdin=follower, stdout=follower, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def check_picture(notebook: Path, home: Path, browser: Any) -> None:
    answers, _ = notebook_answers()
    notebook.write_text(
        json.dumps(with_answers(json.loads(notebook.read_text()), answers), indent=1)
    )
    output = in_terminal(home, "check", NOTEBOOK_CHALLENGE)
    page_html = (
        '<html><body style="margin:0;background:#1f2a2e">'
        '<pre style="margin:0;padding:18px 22px;color:#e8ecea;background:#1f2a2e;'
        'font:15px/1.45 DejaVu Sans Mono,monospace;white-space:pre-wrap;width:920px">'
        f'<span style="color:#8fd1b9">$</span> sandbox check {NOTEBOOK_CHALLENGE}\n'
        f"{ansi_to_html(output.rstrip())}</pre></body></html>"
    )
    page = browser.new_page(viewport={"width": 964, "height": 600}, device_scale_factor=1)
    page.set_content(page_html)
    page.locator("pre").screenshot(path=str(IMAGES / "sandbox-check.png"))
    page.close()
    log(f"sandbox check output:\n{output.rstrip()}")


def notebook_and_check_pictures(work: Path) -> None:
    with chromium() as browser:
        notebook = notebook_picture(work, browser)
        log("notebook feedback drawn")
        check_picture(notebook, work / "notebook", browser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--all", action="store_true", help="Also shoot every page into artifacts/screenshots/."
    )
    parser.add_argument("--only", choices=("dashboard", "notebook"), help="Only these pictures.")
    options = parser.parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sandbox-screenshots-"))
    try:
        if options.only in (None, "dashboard"):
            dashboard_pictures(work, options.all)
        if options.only in (None, "notebook"):
            notebook_and_check_pictures(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log(f"written to {IMAGES.relative_to(REPO)}/")


if __name__ == "__main__":
    main()

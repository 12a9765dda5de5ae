"""The dashboard refuses foreign hosts and origins (DNS rebinding) and anyone without its token.

A real `sandbox dashboard` process, driven over HTTP and websocket from Python (and
once from Chromium).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from sandbox.jupyter import free_port

STARTUP_SECONDS = 90.0


@dataclass
class Dashboard:
    port: int
    token: str
    process: subprocess.Popen[bytes]
    home: Path
    log: Path

    @property
    def cookie(self) -> str:
        return f"sandbox_dashboard_{self.port}={self.token}"


def start(home: Path, log: Path, *extra: str) -> Dashboard:
    port = free_port()
    env = {**os.environ, "SANDBOX_HOME": str(home)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "dashboard", "--port", str(port), *extra],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the dashboard exited:\n{log.read_text()}")
        if request(port, "/_stcore/health")[0] == 200:
            break
        time.sleep(0.3)
    else:
        stop(process)
        pytest.fail(f"the dashboard did not answer:\n{log.read_text()}")
    printed = re.search(r"\?token=([A-Za-z0-9_-]+)", log.read_text())
    assert printed, log.read_text()
    return Dashboard(port, printed.group(1), process, home, log)


def stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def request(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], str]:
    """One HTTP request with exactly these headers (Host included); (0, {}, "") if refused."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except OSError:
        return 0, {}, ""
    finally:
        connection.close()


def websocket_status(port: int, headers: dict[str, str]) -> int:
    """The HTTP status of a websocket handshake on /_stcore/stream (101 = accepted)."""
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = sock.recv(1024).decode("latin-1")
    return int(reply.split(" ", 2)[1])


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    root = tmp_path_factory.mktemp("gate")
    running = start(root / "home", root / "dashboard.log")
    try:
        yield running
    finally:
        stop(running.process)


def test_the_token_is_printed_kept_private_and_off_the_command_line(dashboard: Dashboard) -> None:
    token_file = dashboard.home / "dashboard-token"
    assert token_file.read_text().strip() == dashboard.token and len(dashboard.token) >= 32
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    processes = [
        psutil.Process(dashboard.process.pid),
        *psutil.Process(dashboard.process.pid).children(recursive=True),
    ]
    assert len(processes) >= 2
    for process in processes:
        assert dashboard.token not in " ".join(process.cmdline())


def test_http_needs_a_loopback_host_the_same_origin_and_the_token(dashboard: Dashboard) -> None:
    port, cookie = dashboard.port, {"Cookie": dashboard.cookie}
    status, _, body = request(port, "/")
    assert status == 403 and "access token" in body
    assert request(port, "/?token=wrong-token-of-the-right-length-xxxxxxxxxxxx")[0] == 403

    status, headers, _ = request(port, f"/challenges?challenge=alpha&token={dashboard.token}")
    assert status == 303 and headers["location"] == "/challenges?challenge=alpha"
    assert dashboard.cookie in headers["set-cookie"]
    assert "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"]

    status, _, body = request(port, "/", cookie)
    assert status == 200 and "<html" in body.lower()
    assert request(port, "/", {**cookie, "Host": f"localhost:{port}"})[0] == 200
    assert request(port, "/", {**cookie, "Host": f"[::1]:{port}"})[0] == 200

    status, _, body = request(port, "/", {**cookie, "Host": f"evil.example:{port}"})
    assert status == 403 and "answers only to" in body
    status, _, body = request(port, "/", {**cookie, "Origin": "http://evil.example"})
    assert status == 403 and "evil.example" in body
    assert request(port, "/", {**cookie, "Origin": f"http://127.0.0.1:{port}"})[0] == 200

    # Health checks (Docker's HEALTHCHECK) need no token and learn nothing.
    status, _, body = request(port, "/_stcore/health")
    assert status == 200 and body.strip() == "ok"
    # Behind the gate Streamlit's own XSRF protection still refuses an upload without its token.
    status, _, body = request(port, "/_stcore/upload_file/session/file", cookie, method="PUT")
    assert status == 403 and "XSRF" in body


def test_websockets_refuse_dns_rebinding_foreign_origins_and_strangers(
    dashboard: Dashboard,
) -> None:
    port, own = dashboard.port, f"127.0.0.1:{dashboard.port}"
    good = {"Host": own, "Origin": f"http://{own}", "Cookie": dashboard.cookie}
    assert websocket_status(port, good) == 101
    rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert websocket_status(port, {**good, **rebound}) == 403  # same-origin for Streamlit alone
    assert websocket_status(port, {**good, "Origin": "http://evil.example"}) == 403
    assert websocket_status(port, {**good, "Origin": "null"}) == 403
    assert websocket_status(port, {"Host": own, "Origin": f"http://{own}"}) == 403  # no token


def test_an_admitted_websocket_runs_the_app(dashboard: Dashboard) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def session() -> list[str | None]:
        url = f"ws://127.0.0.1:{dashboard.port}/_stcore/stream"
        headers = {"Cookie": dashboard.cookie, "Origin": f"http://127.0.0.1:{dashboard.port}"}
        async with websockets.connect(
            url, additional_headers=headers, subprotocols=["streamlit"]
        ) as ws:  # type: ignore[list-item]
            rerun = BackMsg()
            rerun.rerun_script.query_string = ""
            await ws.send(rerun.SerializeToString())
            kinds: list[str | None] = []
            while "script_finished" not in kinds:
                message = ForwardMsg()
                message.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                kinds.append(message.WhichOneof("type"))
            return kinds

    kinds = asyncio.run(session())
    assert kinds[0] == "new_session" and "delta" in kinds


def test_bound_beyond_loopback_it_still_answers_only_known_names(tmp_path: Path) -> None:
    running = start(
        tmp_path / "home", tmp_path / "wide.log", "--host", "0.0.0.0", "--allow-host", "sandbox.lan"
    )
    try:
        port, cookie = running.port, {"Cookie": running.cookie}
        assert f"http://127.0.0.1:{port}/?token={running.token}" in running.log.read_text()
        assert request(port, "/")[0] == 403
        assert request(port, "/", cookie)[0] == 200
        assert request(port, "/", {**cookie, "Host": f"sandbox.lan:{port}"})[0] == 200
        assert request(port, "/", {**cookie, "Host": f"192.0.2.7:{port}"})[0] == 403
        assert request(port, "/", {**cookie, "Host": f"0.0.0.0:{port}"})[0] == 403
    finally:
        stop(running.process)
    # The token survives a restart (bookmarks keep working) and stays private.
    again = start(tmp_path / "home", tmp_path / "again.log")
    try:
        assert again.token == running.token
    finally:
        stop(again.process)


@pytest.mark.browser
def test_the_printed_address_opens_the_dashboard_in_a_browser(dashboard: Dashboard) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium: `apt-get install -y chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{dashboard.port}/?token={dashboard.token}")
            page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
            assert "token=" not in page.url
            page.reload()
            page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
            stranger = browser.new_page()
            stranger.goto(f"http://127.0.0.1:{dashboard.port}/")
            assert "access token" in stranger.inner_text("body")
        finally:
            browser.close()

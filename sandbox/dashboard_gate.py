"""The dashboard's front door: only this machine's browser, with the dashboard's token, gets in.

Streamlit compares a websocket's ``Origin`` with its ``Host`` and nothing else, so a web
page whose domain was rebound to 127.0.0.1 (DNS rebinding) is "same-origin" and could
drive the dashboard (reset progress, run queries); and anything on the machine that can
open a TCP connection — another OS user included — can use it. This ASGI middleware
stands in front of every HTTP request and websocket that ``sandbox dashboard`` serves:

* the ``Host`` must be a loopback name (``localhost``, ``127.0.0.1``, ``::1``) or one of
  the names in ``$SANDBOX_DASHBOARD_HOSTS`` (the bound address and ``--allow-host``);
* an ``Origin``, when sent (browsers always send one on websockets and POSTs), must be
  ``http(s)://`` + that same Host;
* when ``$SANDBOX_DASHBOARD_TOKEN`` is set, the request must carry the token: the address
  that ``sandbox dashboard`` prints ends in ``?token=…``; that first visit gets an
  HttpOnly, SameSite=Strict cookie and is redirected to the same address without the
  token, and every later request (the websocket included) carries the cookie.
  ``/_stcore/health`` stays open for health checks: it answers "ok" and nothing more.

Refusals are plain 403 responses (a websocket is closed before it is accepted) that say
what to do. Streamlit's own XSRF protection stays on behind this.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

TOKEN_ENV = "SANDBOX_DASHBOARD_TOKEN"
HOSTS_ENV = "SANDBOX_DASHBOARD_HOSTS"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
OPEN_PATHS = frozenset({"/_stcore/health", "/healthz"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _hostname(host: str) -> str | None:
    """The name in a Host header (``[::1]:8501`` → ``::1``); None when it is malformed."""
    try:
        parts = urlsplit(f"//{host}")
        _ = parts.port  # validates the port
    except ValueError:
        return None
    if parts.username or parts.password or parts.path or parts.query or not parts.hostname:
        return None
    return parts.hostname.rstrip(".").lower()


def allowed_hosts(extra: str | None = None) -> frozenset[str]:
    """Loopback names plus the comma-separated names in ``extra`` (or ``$SANDBOX_DASHBOARD_HOSTS``)."""
    listed = os.environ.get(HOSTS_ENV, "") if extra is None else extra
    names = {n.strip().strip("[]").rstrip(".").lower() for n in listed.split(",") if n.strip()}
    return LOOPBACK_NAMES | {n for n in names if n not in ("0.0.0.0", "::")}


class Gate:
    """ASGI middleware: Host and Origin checks, and the dashboard token (see the module doc)."""

    def __init__(
        self, app: ASGIApp, token: str | None = None, hosts: frozenset[str] | None = None
    ) -> None:
        self.app = app
        self.token = token if token is not None else os.environ.get(TOKEN_ENV) or None
        self.hosts = hosts if hosts is not None else allowed_hosts()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._refusal(scope, headers)
        if problem is not None:
            await self._refuse(scope, send, problem)
            return
        if self.token and scope["type"] == "http" and self._token_in_query(scope):
            await self._redirect_with_cookie(scope, headers, send)
            return
        await self.app(scope, receive, send)

    # -- the checks ------------------------------------------------------------------------------

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> str | None:
        host = headers.get("host", "")
        name = _hostname(host)
        if name is None or name not in self.hosts:
            return (
                f"This dashboard answers only to {', '.join(sorted(self.hosts))}, not to the "
                f"host {host[:80]!r}. Open it at the address `sandbox dashboard` printed "
                "(or start it with --allow-host NAME)."
            )
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
                return (
                    f"Requests from the page at {origin[:80]!r} are refused: only the dashboard's "
                    "own pages may use it."
                )
        if self.token and scope["path"] not in OPEN_PATHS:
            supplied = self._cookie(scope, headers) or self._query_token(scope)
            if supplied is None or not hmac.compare_digest(supplied, self.token):
                return (
                    "This dashboard needs its access token: open the address that "
                    "`sandbox dashboard` printed (it ends in ?token=…)."
                )
        return None

    def _cookie_name(self, scope: Scope) -> str:
        server = scope.get("server") or ("", 0)
        return f"sandbox_dashboard_{server[1]}"  # cookies ignore ports: one name per dashboard

    def _cookie(self, scope: Scope, headers: dict[str, str]) -> str | None:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no token
            return None
        morsel = jar.get(self._cookie_name(scope))
        return morsel.value if morsel else None

    def _query_token(self, scope: Scope) -> str | None:
        query = scope.get("query_string", b"").decode("latin-1")
        return next((v for k, v in parse_qsl(query) if k == "token"), None)

    def _token_in_query(self, scope: Scope) -> bool:
        return self._query_token(scope) is not None

    # -- the answers ---------------------------------------------------------------------------

    async def _refuse(self, scope: Scope, send: Send, problem: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": problem[:120]})
            return
        body = (problem + "\n").encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _redirect_with_cookie(
        self, scope: Scope, headers: dict[str, str], send: Send
    ) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        kept = urlencode([(k, v) for k, v in parse_qsl(query) if k != "token"])
        location = scope.get("root_path", "") + scope["path"] + (f"?{kept}" if kept else "")
        cookie = f"{self._cookie_name(scope)}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

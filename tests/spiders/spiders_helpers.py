"""Provides the spiders' test helpers: fixture files, and a real HTTP server on 127.0.0.1 (routes + request log)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from waiting import wait_until  # noqa: F401 - re-exported for the tests here

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spiders"
# DOWNLOAD_DELAY must not be 0: Scrapy 2.19 then ignores CONCURRENT_REQUESTS_PER_DOMAIN (see spiders/settings.py).
FAST = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": "False", "RETRY_BACKOFF_BASE": 0}


def fixture_path(name: str) -> Path:
    """Path of a fixture file: `real/greenhouse.json`, `synthetic/recruitee.json`, …"""
    return FIXTURES / name


def load(name: str) -> Any:
    """Load a JSON fixture."""
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


def replay_body(name: str) -> str:
    """The response body of a PyGithub replay file (line 10 of its request/response block)."""
    return fixture_path(f"real/{name}").read_text(encoding="utf-8").split("\n")[9]


Route = tuple[int, dict[str, str], bytes] | Callable[["Handler"], tuple[int, dict[str, str], bytes]]


class Site:
    """Routes served by the local server, and the log of every request it got."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, float, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.url = ""

    def add(self, path: str, body: Any, status: int = 200, content_type: str = "application/json",
            headers: dict[str, str] | None = None) -> None:
        """Serve `body` (bytes, str, or JSON-able) at `path` (with its query string, or the bare path)."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, body)

    def handle(self, path: str, fn: Callable[["Handler"], tuple[int, dict[str, str], bytes]]) -> None:
        """Serve `path` with a function of the request handler."""
        self.routes[path] = fn

    def hits(self, prefix: str) -> list[str]:
        """Requested paths starting with `prefix`, in order."""
        with self.lock:
            return [p for p, _, _ in self.log if p.startswith(prefix)]


class Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.site  # type: ignore[attr-defined]
        with site.lock:
            site.log.append((self.path, time.monotonic(), dict(self.headers)))
        route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
        if route is None and self.path == "/robots.txt":
            route = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        if route is None:
            route = (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
        status, headers, body = route(self) if callable(route) else route
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler went away (killed on purpose in the resume test)

    def log_message(self, *args: Any) -> None:
        pass


def start_site() -> tuple[Site, ThreadingHTTPServer]:
    """Start a server on a random port serving a new `Site`; stop it with `server.shutdown()`."""
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = s  # type: ignore[attr-defined]
    s.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return s, server


def gated_postings_site(site: Any, n: int, gate_after: int) -> tuple[threading.Event, threading.Event, list[str]]:
    """SmartRecruiters-shaped company with n postings; detail requests after `gate_after` block until released."""
    summaries = [{"id": f"9{i:05d}", "name": f"Role {i}", "location": {"city": "Lyon", "country": "fr"}} for i in range(n)]
    site.add("/v1/companies/acme/postings?limit=100&offset=0", {"offset": 0, "limit": 100, "totalFound": n, "content": summaries})
    reached, release = threading.Event(), threading.Event()
    details: list[str] = []

    def detail(handler: Any) -> tuple[int, dict[str, str], bytes]:
        pid = handler.path.rsplit("/", 1)[-1]
        details.append(pid)
        if len(details) > gate_after:
            reached.set()
            release.wait(60)
        return 200, {"Content-Type": "application/json"}, b'{"jobAd": {"sections": {"jobDescription": {"text": "<p>Do things.</p>"}}}}'

    for s in summaries:
        site.handle(f"/v1/companies/acme/postings/{s['id']}", detail)
    return reached, release, details

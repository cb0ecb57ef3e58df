"""Provides `LocalBoard`: recorded job-board and API payloads served on 127.0.0.1, shared by the test areas.

One handler answers every path of a `pytest-httpserver` server: `/robots.txt`, the recorded
payloads (JSON), paths in `broken` with a 500 HTML page, anything else with 404. Tests
change `payloads`/`broken` between runs, read `hits`, and hold a path with `hold[path]`
(answered only once that event is set; `reached` is set when a held path is requested).
Used by tests/cli (`board`) and tests/nightly (`sources`).
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from werkzeug import Request, Response

ALLOW_ALL = "User-agent: *\nAllow: /\n"


class LocalBoard:
    """The payloads a local server answers with, and what it was asked."""

    def __init__(self, payloads: dict[str, Any], *, robots: str = ALLOW_ALL, broken: set[str] | None = None) -> None:
        self.payloads = payloads
        self.robots = robots
        self.broken: set[str] = set(broken or ())  # paths answering 500
        self.hits: list[str] = []
        self.hold: dict[str, threading.Event] = {}  # path -> answered only once the event is set
        self.reached = threading.Event()  # set when a held path is requested
        self.base_url = ""

    def handle(self, request: Request) -> Response:
        self.hits.append(request.path)
        if request.path in self.hold:
            self.reached.set()
            self.hold[request.path].wait(60)  # bounded: a test that forgets to release fails instead of hanging
        if request.path == "/robots.txt":
            return Response(self.robots, content_type="text/plain")
        if request.path in self.broken:
            return Response("<html><body>Internal Server Error</body></html>", status=500, content_type="text/html")
        if request.path not in self.payloads:
            return Response("not found", status=404)
        return Response(json.dumps(self.payloads[request.path]), content_type="application/json")

    def serve(self, httpserver: Any) -> "LocalBoard":
        """Answer every path of `httpserver` (a pytest-httpserver server) from this board; sets `base_url`."""
        httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(self.handle)
        self.base_url = httpserver.url_for("").rstrip("/")
        return self

"""Fixtures for the CLI tests: the installed `sourcing` run as a child process, and a local job board."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cli"


class Board:
    """A Greenhouse-style board on 127.0.0.1: /v1/boards/acme/jobs answers, `broken` paths answer 500."""

    def __init__(self) -> None:
        self.payloads = {"/v1/boards/acme/jobs": json.loads((FIXTURES / "greenhouse.json").read_text())}
        self.broken = {"/v1/boards/broken/jobs"}

    def handle(self, request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        if request.path in self.broken:
            return Response("<html><body>Internal Server Error</body></html>", status=500, content_type="text/html")
        if request.path not in self.payloads:
            return Response("not found", status=404)
        return Response(json.dumps(self.payloads[request.path]), content_type="application/json")


@pytest.fixture
def board(httpserver) -> Board:
    state = Board()
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(state.handle)
    state.base_url = httpserver.url_for("").rstrip("/")
    return state


@pytest.fixture
def workspace(tmp_path, board):
    """`workspace(*boards)` -> a config path whose greenhouse sources are the local board, fast politeness."""

    def make(*boards: str) -> Path:
        lines = [
            f'db = "{tmp_path / "sourcing.db"}"',
            "[crawl]", 'contact = "talent@example.com"', "download_delay = 0", "autothrottle = false",
            "retry_times = 0", f'jobdir = "{tmp_path / "crawls"}"',
            "[nightly]", f'reports_dir = "{tmp_path / "reports"}"',
            "[ranking]", 'model = "fake"', 'multilingual_model = "fake"',
        ]
        for name in boards:
            lines += ["[[sources]]", 'kind = "greenhouse"', f'board = "{name}"', f'base_url = "{board.base_url}"']
        path = tmp_path / "config.toml"
        path.write_text("\n".join(lines) + "\n")
        return path

    return make

"""Fixtures for the CLI tests: the installed `sourcing` run as a child process, and a local job board."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from local_board import LocalBoard

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cli"


@pytest.fixture
def board(httpserver) -> LocalBoard:
    """A Greenhouse-style board on 127.0.0.1: /v1/boards/acme/jobs answers, /v1/boards/broken/jobs answers 500."""
    payloads = {"/v1/boards/acme/jobs": json.loads((FIXTURES / "greenhouse.json").read_text())}
    return LocalBoard(payloads, robots="User-agent: *\nDisallow: /private/\n", broken={"/v1/boards/broken/jobs"}).serve(httpserver)


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

"""Fixtures for the nightly tests: recorded sources served on 127.0.0.1, a config pointing at them."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from local_board import LocalBoard

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nightly"


@pytest.fixture
def sources(httpserver) -> LocalBoard:
    """A local HTTP server with the recorded Greenhouse, Lever and GitHub API payloads; tests change them between runs."""
    return LocalBoard({
        "/v1/boards/acme/jobs": json.loads((FIXTURES / "greenhouse.json").read_text()),
        "/v0/postings/acme": json.loads((FIXTURES / "lever.json").read_text()),
        "/users/jacquev6": json.loads((FIXTURES / "github_user_jacquev6.json").read_text()),
        "/users/jacquev6/repos": json.loads((FIXTURES / "github_repos_jacquev6.json").read_text()),
        "/users/nvie": json.loads((FIXTURES / "github_user_nvie.json").read_text()),
        "/users/nvie/repos": [],
    }).serve(httpserver)


def write_config(tmp_path: Path, base_url: str, entries: list[dict[str, Any]], db: str | None = None, **extra: str) -> Path:
    """A config file: the test's sources, database (default a temp SQLite file), reports and crawl state, fast politeness."""
    lines = [
        f'db = "{db or tmp_path / "sourcing.db"}"',
        "[crawl]", 'contact = "talent@example.com"', "download_delay = 0", "autothrottle = false", "retry_times = 1",
        f'jobdir = "{tmp_path / "crawls"}"',
        "[nightly]", f'reports_dir = "{tmp_path / "reports"}"', "top = 5",
        "[ranking]", 'model = "fake"', 'multilingual_model = "fake"',
    ]
    for section, body in extra.items():
        lines += [f"[{section}]", body]
    for entry in entries:
        lines.append("[[sources]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in {**entry, "base_url": base_url}.items()]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


GREENHOUSE = {"kind": "greenhouse", "board": "acme"}
LEVER = {"kind": "lever", "site": "acme"}
GITHUB = {"kind": "github", "key": "github:people", "login": "jacquev6,nvie", "hireable_only": "false"}
ENTRIES = {"greenhouse": GREENHOUSE, "lever": LEVER, "github": GITHUB}


@pytest.fixture
def nightly_config(tmp_path, sources, db_url):
    """`nightly_config("greenhouse", "lever", ...)` -> a loaded Config whose sources are the local server, its store `db_url`."""
    from sourcing.config import load_config

    def make(*kinds: str, more: list[dict[str, Any]] = (), **extra: str):
        entries = [ENTRIES[k] for k in kinds] + list(more)
        return load_config(write_config(tmp_path, sources.base_url, entries, db=db_url, **extra), env={})

    return make


@pytest.fixture
def crawl():
    """The real `run_crawl`, with the GitHub spider's token-less 60 s delay turned off for the test."""
    from sourcing.crawler import run_crawl

    return functools.partial(run_crawl, extra_settings={"DOWNLOAD_DELAY": 0}, timeout=120)

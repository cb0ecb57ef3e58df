"""Provides small store-filling helpers for the CLI tests (through the real Store API)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sourcing.models import ProfileRecord
from sourcing.storage import Store

SOURCING = str(Path(sys.executable).with_name("sourcing"))  # the console script `pip install` wrote


def run_sourcing(*args: str, input: str | None = None, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `sourcing` executable, as cron or a shell would (not CliRunner)."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    full_env.pop("SOURCING_CONFIG", None)
    return subprocess.run([SOURCING, *args], capture_output=True, text=True, input=input, env=full_env,
                          timeout=300, cwd=cwd)


def add_job(db: Path, title: str = "Python developer", text: str = "Python, Django, PostgreSQL. Must have: Python.") -> int:
    """Add one of our jobs; return its id."""
    with Store.open(str(db)) as store:
        return store.add_job(title, text, company="Acme")


def add_people(db: Path) -> list[int]:
    """Add three profiles; return their candidate ids."""
    people = [
        ProfileRecord(source_kind="github", external_id="ada", github_login="ada", name="Ada Lovelace",
                      headline="Django developer", skills=["Python", "Django"], location="Paris"),
        ProfileRecord(source_kind="github", external_id="grace", github_login="grace", name="Grace Hopper",
                      headline="COBOL engineer", skills=["COBOL"], location="Lyon"),
        ProfileRecord(source_kind="github", external_id="alan", github_login="alan", name="Alan Turing",
                      headline="Python and PostgreSQL", skills=["Python", "PostgreSQL"]),
    ]
    with Store.open(str(db)) as store:
        return [store.upsert_profile(p).candidate_id for p in people]

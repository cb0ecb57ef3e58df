"""Docs tests: the README is built from the guides, and it shows every command a user can type."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from sourcing.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_readme_is_in_sync_with_the_guides():
    r = subprocess.run([sys.executable, "docs/build_readme.py", "--check"], cwd=ROOT)
    assert r.returncode == 0, "README.md is stale: run `python docs/build_readme.py`"


def test_readme_names_every_command_and_the_two_make_targets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name, cmd in cli.commands.items():
        assert f"sourcing {name}" in readme, name
        if isinstance(cmd, click.Group):
            for sub in cmd.commands:
                assert f"`{sub}`" in readme or f"{name} {sub}" in readme, f"{name} {sub}"

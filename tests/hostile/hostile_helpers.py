"""Provides helpers for the hostile-input tests: the real `sourcing` console script, run as a child."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOURCING = str(Path(sys.executable).with_name("sourcing"))  # the installed console script


def run_cli(*args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `sourcing ARGS...` in a child process and return it (never raises on a non-zero exit)."""
    return subprocess.run([SOURCING, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)

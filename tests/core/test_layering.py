"""Layering is checked: import-linter contracts, and a cheap, model-free core at import time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    r = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_core_import_pulls_no_heavy_library():
    code = (
        "import sys, sourcing.storage, sourcing.config, sourcing.cli\n"
        "heavy = [m for m in ('torch', 'textual', 'scrapy', 'sentence_transformers', 'sklearn') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_help_does_not_import_torch():
    code = "import sys; sys.argv=['sourcing','--help']\ntry:\n from sourcing.cli import main; main()\nexcept SystemExit: pass\nprint('torch' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip().endswith("False"), r.stdout + r.stderr

"""Tests `sourcing candidates import|list|show` through the console entry point (exit codes included)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from importexport_helpers import make_pdf

from sourcing.cli import main
from sourcing.errors import ExitStatus

pytestmark = pytest.mark.postgres

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "core"


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    """Run `sourcing --db DB ARGS` in-process through `main`; return (exit code, stdout, stderr)."""
    try:
        main(["--db", str(db), *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cvs(tmp_path):
    d = tmp_path / "cvs"
    d.mkdir()
    for name in ("sample.resume.json", "people.csv", "ada.md"):
        shutil.copy(FIX / name, d / name)
    make_pdf(d / "locked.pdf", ["Someone Locked"], password="pw")
    return d


def test_import_cli_partial_failure_then_reimport_adds_nobody(capsys, tmp_path, db_url, cvs):
    db = db_url
    code, out, err = run(capsys, db, "candidates", "import", str(cvs))
    assert code == ExitStatus.PARTIAL
    lines = out.splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["new"] * 5
    assert lines[0] == f"new\t1\t{cvs / 'ada.md'}"
    assert f"{cvs / 'locked.pdf'}: encrypted PDF (password-protected)" in err
    assert "4 files: 5 new, 0 updated, 0 unchanged, 0 skipped, 1 failed" in err
    assert err.rstrip().endswith("Error: 1 import failed (listed above); the rest were imported")
    (cvs / "locked.pdf").unlink()
    code, out, err = run(capsys, db, "candidates", "import", "--quiet", str(cvs))
    assert (code, out) == (0, "")
    assert "3 files: 0 new, 0 updated, 5 unchanged, 0 skipped, 0 failed" in err


def test_import_cli_size_limit_and_usage_errors(capsys, tmp_path, db_url):
    db = db_url
    big = tmp_path / "big.md"
    big.write_text("Ada Lovelace\n" + "x" * 300_000, encoding="utf-8")
    code, _, err = run(capsys, db, "candidates", "import", "--max-mb", "0.1", str(big), str(FIX / "ada.md"))
    assert code == ExitStatus.PARTIAL
    assert f"{big}: file is 293.0 KB, over the 102.4 KB import limit" in err
    code, _, err = run(capsys, db, "candidates", "import", "--max-mb", "0.1", str(big))
    assert code == ExitStatus.ERROR
    assert err.rstrip().endswith("Error: nothing was imported: 1 import failed (listed above)")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, db, "candidates", "import", str(empty))
    assert code == ExitStatus.USAGE and "no importable files" in err


def test_import_cli_size_limit_from_config(capsys, tmp_path, db_url):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[import]\nmax_file_mb = 0.001\n", encoding="utf-8")
    code, _, err = run(capsys, db_url, "--config", str(cfg), "candidates", "import", str(FIX / "sample.resume.json"))
    assert code == ExitStatus.ERROR
    assert "over the 1.0 KB import limit (setting import.max_file_mb)" in err


def test_candidates_list_and_show_with_provenance(capsys, tmp_path, db_url):
    db = db_url
    assert run(capsys, db, "candidates", "import", str(FIX / "sample.resume.json"), str(FIX / "people.csv"))[0] == 0
    code, out, _ = run(capsys, db, "candidates", "list", "--nl")
    assert code == 0
    assert [json.loads(ln)["name"] for ln in out.splitlines()] == ["Richard Hendriks", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton"]
    code, out, _ = run(capsys, db, "candidates", "list", "--blind", "--nl")
    assert all(json.loads(ln)["name"].startswith("Candidate ") for ln in out.splitlines())
    code, out, _ = run(capsys, db, "candidates", "show", "1")
    assert code == 0
    assert out.splitlines()[0] == "#1 Richard Hendriks"
    assert "Sources (1):" in out
    assert "- import:jsonresume  id email:richard.hendriks@mail.com  fetched 20" in out
    assert "  url: http://richardhendricks.example.com" in out
    assert "555-4321" not in out  # the phone number was never stored
    code, _, err = run(capsys, db, "candidates", "show", "99")
    assert code == ExitStatus.NOT_FOUND and "no candidate with id 99" in err


def test_candidates_list_empty(capsys, tmp_path, db_url):
    code, out, err = run(capsys, db_url, "candidates", "list")
    assert (code, out) == (0, "") and "No candidates yet" in err

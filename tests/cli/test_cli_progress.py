"""Tests progress output: bars on a terminal (a real pty), none in pipes, cron mail or with --quiet.

The no-noise checks read the bytes a cron job would mail: no carriage returns, no escape
codes, no bar glyphs, no third-party "Loading weights … it/s" lines.
"""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from cli_helpers import SOURCING, add_job
from cli_helpers import run_sourcing as sourcing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOISE = ("\r", "\x1b", "━", "it/s", "Loading weights", "items/s", "files/s")


def resumes(tmp_path: Path, n: int = 6) -> Path:
    folder = tmp_path / "cvs"
    folder.mkdir()
    text = (FIXTURES / "core" / "sample.resume.json").read_text()
    for i in range(n):
        body = text.replace("Richard Hendriks", f"Person {i}").replace("richard.hendriks@mail.com", f"p{i}@example.com")
        (folder / f"p{i}.json").write_text(body.replace("http://richardhendricks.example.com", f"http://p{i}.example.com"))
    return folder


def run_in_pty(*args: str) -> tuple[int, str]:
    """Run `sourcing` with stderr on a pseudo-terminal (as in a shell); return (exit code, stderr text)."""
    master, slave = pty.openpty()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "120"}
    proc = subprocess.Popen([SOURCING, *args], stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def assert_quiet(stderr: str) -> None:
    for noise in NOISE:
        assert noise not in stderr, (noise, stderr)


def test_import_bar_on_a_terminal_with_files_and_eta(tmp_path):
    folder = resumes(tmp_path)
    code, err = run_in_pty("--db", str(tmp_path / "s.db"), "candidates", "import", str(folder))
    assert code == 0, err
    assert "Importing" in err and "━" in err and "6/6" in err and "files/s" in err
    code, err = run_in_pty("--quiet", "--db", str(tmp_path / "s.db"), "candidates", "import", str(folder))
    assert code == 0 and "━" not in err and "6 files: 0 new, 0 updated, 6 unchanged" in err


def test_no_progress_noise_when_stderr_is_not_a_terminal(tmp_path, workspace):
    folder = resumes(tmp_path)
    cfg = str(workspace("acme"))
    imported = sourcing("--config", cfg, "candidates", "import", str(folder))
    assert imported.returncode == 0 and imported.stderr.strip().endswith("6 files: 6 new, 0 updated, 0 unchanged, 0 skipped, 0 failed")
    assert_quiet(imported.stderr)
    crawled = sourcing("--config", cfg, "crawl", "--all")
    assert crawled.returncode == 0, crawled.stderr
    assert "greenhouse:acme: ok - 2 items (2 new), 0 errors" in crawled.stderr
    assert_quiet(crawled.stderr)
    job = add_job(tmp_path / "sourcing.db")
    ranked = sourcing("--config", cfg, "rank", str(job))
    assert ranked.returncode == 0 and ranked.stderr == ""
    nightly = sourcing("--config", cfg, "nightly", "--lock-file", str(tmp_path / "l"), "--log-file", str(tmp_path / "n.log"))
    assert nightly.returncode == 0 and nightly.stderr.startswith("Report written to ")
    assert_quiet(nightly.stderr)


def test_crawl_and_nightly_bars_on_a_terminal(tmp_path, workspace):
    cfg = str(workspace("acme"))
    code, err = run_in_pty("--config", cfg, "crawl", "--all")
    assert code == 0, err
    assert "greenhouse:acme: ok" in err and "2/2" in err and "items/s" in err and "2 new" in err
    code, err = run_in_pty("--config", cfg, "nightly", "--lock-file", str(tmp_path / "l"), "--log-file", str(tmp_path / "n.log"))
    assert code == 0, err
    assert "Crawling sources" in err and "Nightly run done" in err and "6/6" in err


@pytest.mark.model
def test_real_model_loading_prints_no_third_party_progress(tmp_path, workspace):
    """`brand insights` loads the packaged sentence model: transformers' tqdm line must not leak."""
    cfg = workspace("acme")
    cfg.write_text(cfg.read_text().replace('model = "fake"', 'model = "default"'))
    assert sourcing("--config", str(cfg), "crawl", "--all").returncode == 0
    insights = sourcing("--config", str(cfg), "brand", "insights", env={"SOURCING_BRAND__COMPANY": "Other Corp"})
    assert insights.returncode == 0, insights.stderr
    assert "Loading the sentence model" in insights.stderr
    assert_quiet(insights.stderr)

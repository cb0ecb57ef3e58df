"""Tests the nightly report files (Markdown/JSON) and the log's secret redaction."""

from __future__ import annotations

import json
import logging
import stat

from sourcing.nightly_log import RedactSecrets, nightly_logging
from sourcing.nightly_report import render_markdown, write_report

REPORT = {
    "run_id": 7, "started_at": "2026-11-27T02:30:00+00:00", "status": "partial", "exit_code": 3, "duration_s": 12.5,
    "top": 20, "recovered_crashed_runs": [6],
    "sources": [
        {"key": "greenhouse:acme", "status": "ok", "new": 2, "updated": 1, "unchanged": 5, "errors": 0, "resumed": True},
        {"key": "lever:b|ad", "status": "failed", "new": 0, "updated": 0, "unchanged": 0, "errors": 4,
         "reason": "HTTP 500 on http://127.0.0.1/v0/postings"},
    ],
    "jobs": [
        {"job_id": 1, "title": "Backend | *engineer*", "reranked": True,
         "entered": [{"candidate_id": 12, "pseudonym": "Candidate 3F2A1B", "rank": 2, "score": 0.8123}]},
        {"job_id": 2, "title": "Designer", "reranked": False, "entered": []},
    ],
    "purge": {"erased": 1, "counts": {"rejected": 1, "pool": 0}, "rejected_days": 90, "pool_days": 730},
    "failures": [{"step": "crawl", "target": "lever:b|ad", "reason": "HTTP 500 on http://127.0.0.1/v0/postings"}],
    "totals": {"new": 2, "updated": 1, "embedded": 3, "entered_top": 1, "purged": 1},
}


def test_markdown_report_reads_well_and_escapes_scraped_text():
    md = render_markdown(REPORT)
    assert md.startswith("# Nightly report — 2026-11-27 02:30 UTC (run 7)\n")
    assert "Status: **partial** (exit 3)" in md and "3 texts embedded" in md and "1 candidate entered a top 20" in md
    assert "| greenhouse:acme | ok | 2 | 1 | 5 | 0 | resumed |" in md
    assert "| lever:b\\|ad | failed | 0 | 0 | 0 | 4 | HTTP 500 on http://127.0.0.1/v0/postings |" in md
    assert "### Job 1 — Backend \\| \\*engineer\\*" in md
    assert "| 2 | Candidate 3F2A1B (#12) | 0.812 |" in md and "sourcing review 1" in md
    assert "Job 2" not in md and "1 other open job: nobody new in the top (0 re-ranked, 1 unchanged since the last run)." in md
    assert "Erased 1 person (1 rejected more than 90 days ago, 0 inactive for more than 730 days)" in md
    assert "- crawl · lever:b\\|ad: HTTP 500" in md
    assert "did not finish" in md


def test_report_files_are_private_and_latest_points_at_the_newest(tmp_path):
    paths = write_report(REPORT, tmp_path / "reports")
    assert [p.name for p in paths] == ["nightly-20261127T023000-run7.json", "nightly-20261127T023000-run7.md"]
    assert json.loads(paths[0].read_text()) == REPORT
    assert (tmp_path / "reports" / "latest.md").read_text() == paths[1].read_text()
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600


def test_log_file_never_holds_the_github_token(tmp_path, monkeypatch):
    token = "ghp_" + "x1Y2z3" * 6
    monkeypatch.setenv("GITHUB_TOKEN", token)
    log_path = tmp_path / "state" / "nightly.log"
    with nightly_logging(log_path):
        log = logging.getLogger("sourcing.nightly")
        log.info("calling api with token %s", token)
        log.warning("headers: {'Authorization': 'token %s'}", "another-secret-value")
        log.info("url https://api.github.com/users?access_token=abcdef123456&x=1")
        try:
            raise RuntimeError(f"bad credentials {token}")
        except RuntimeError:
            log.exception("crawl failed")
    text = log_path.read_text()
    assert token not in text and "another-secret-value" not in text and "abcdef123456" not in text
    assert "calling api with token ***" in text and "crawl failed" in text and "bad credentials ***" in text
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600
    # The handler is gone after the run: nothing more is written.
    logging.getLogger("sourcing.nightly").error("after")
    assert "after" not in log_path.read_text()


def test_redaction_leaves_ordinary_text_alone():
    r = RedactSecrets(env={"GITHUB_TOKEN": "short", "HOME": "/home/x"})
    assert r.redact("short words stay; /home/x too") == "short words stay; /home/x too"


def test_profile_urls_are_reduced_to_their_host():
    from sourcing.nightly_steps import scrub_urls

    assert scrub_urls("http://127.0.0.1:8000/users/nvie: HTTP 500") == "http://127.0.0.1:8000/…: HTTP 500"
    assert scrub_urls("'https://registry.jsonresume.org/ada.json' and https://x.org/a:b/c") == (
        "'https://registry.jsonresume.org/…' and https://x.org/…")

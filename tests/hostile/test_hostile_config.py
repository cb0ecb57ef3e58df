"""Tests that bad config, secrets, missing folders and read-only files end in one line and the right exit code.

Every case runs the real `sourcing` console script in a child process on a real SQLite file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_helpers import run_cli

from sourcing.sources import redact_url


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ('[[sources]]\nkind = "nosuch"\nboard = "x"\n', ["#1", "unknown source kind 'nosuch'"]),
        ('[[sources]]\nkind = "greenhouse"\n', ["#1", "needs board"]),
        ('[[sources]]\nkind = "greenhouse"\nboard = "a"\n\n[[sources]]\nkind = "greenhouse"\nboard = "b"\nbase_url = "ftp://x"\n',
         ["#2", "base_url must start with http"]),
        ('[[sources]]\nkind = "greenhouse"\nboard = 7\n', ["board must be text"]),
        ('[[sources]]\nkind = "greenhouse"\nboard = "a"\ndownload_delay = -1\n', ["download_delay must be a non-negative"]),
        ('[tui]\nkeymap = {shortlist = 5}\n', ["'tui.keymap.shortlist' must be a key name", "got 5"]),
        ('[tui]\nkeymap = {shortlist = "ctrl s"}\n', ["tui.keymap.shortlist", "key name"]),
        ('[tui]\nkeymap = {shortlistt = "S"}\n', ["'tui.keymap.shortlistt' names no binding", "shortlist,"]),
        ('[tui]\nkeymap = {reject = "ctrl+nosuchkey"}\n', ["'tui.keymap.reject' must be a key name", "unknown key 'nosuchkey'"]),
        ('[tui]\nkeymap = {reject = "cmd+x"}\n', ["'tui.keymap.reject'", "unknown modifier 'cmd'"]),
        ('[tui]\nkeymap = {filter = "f, "}\n', ["'tui.keymap.filter'", "empty key name"]),
        ('[privacy]\nrejected_retention_days = 0\n', ["privacy.rejected_retention_days", "at least 1"]),
        ('[privacy]\npool_retention_days = -5\n', ["privacy.pool_retention_days", "at least 1"]),
        ('[crawl]\nconcurrent_per_domain = 8\n', ["crawl.concurrent_per_domain", "between 1 and 2"]),
    ],
)
def test_hostile_invalid_config_fails_on_load_with_exit_2_naming_the_key(tmp_path, body, fragments):
    cfg = _config(tmp_path, body)
    for args in (["config", "show"], ["sources", "list"]):
        proc = run_cli("--config", str(cfg), "--db", str(tmp_path / "s.db"), *args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and str(cfg) in proc.stderr
        for fragment in fragments:
            assert fragment in proc.stderr, (fragment, proc.stderr)


@pytest.mark.parametrize(
    ("body", "secret", "hint"),
    [
        ('[[sources]]\nkind = "github"\nlogin = "octocat"\ntoken = "ghp_s3cr3tvalue"\n', "ghp_s3cr3tvalue", "GITHUB_TOKEN="),
        ('[[sources]]\nkind = "greenhouse"\nboard = "acme"\nbase_url = "http://user:PW-s3cr3t@127.0.0.1:9/"\n', "PW-s3cr3t", "credentials in URLs"),
    ],
)
def test_hostile_secrets_in_source_tables_are_refused_and_never_printed(tmp_path, body, secret, hint):
    cfg = _config(tmp_path, body)
    for args in (["sources", "list"], ["crawl", "--all"], ["config", "show"]):
        proc = run_cli("--config", str(cfg), "--db", str(tmp_path / "s.db"), *args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert secret not in proc.stdout + proc.stderr
        assert hint in proc.stderr
    assert not (tmp_path / "s.db").exists() or secret.encode() not in (tmp_path / "s.db").read_bytes()


def test_hostile_credentials_in_a_typed_url_are_refused_before_any_crawl(tmp_path):
    proc = run_cli("--db", str(tmp_path / "s.db"), "crawl", "https://bob:PW-s3cr3t@jobs.lever.co/acme", cwd=tmp_path)
    assert proc.returncode in (2, 3, 1), proc.stderr
    assert "PW-s3cr3t" not in proc.stdout + proc.stderr
    crawls = list(Path(os.environ.get("XDG_STATE_HOME", tmp_path)).rglob("crawl.log"))
    assert all(b"PW-s3cr3t" not in log.read_bytes() for log in crawls)


def test_hostile_crawl_run_rows_never_store_url_credentials(store):
    assert redact_url("GET http://u:p@h:1/x and mailto a@b.c") == "GET http://***@h:1/x and mailto a@b.c"
    run = store.start_crawl_run("careers", "careers:x", {"url": "http://u:PW@127.0.0.1/jobs"})
    store.finish_crawl_run(run, status="failed", error_details=[{"where": "http://u:PW@127.0.0.1/jobs", "reason": "x"}])
    (row,) = store.list_crawl_runs()
    assert "PW" not in repr(row["args"]) + repr(row["error_details"])


def test_hostile_db_in_a_missing_folder_is_an_error_and_creates_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    proc = run_cli("--db", str(missing), "candidates", "list", cwd=tmp_path)
    assert proc.returncode == 6
    assert f"the folder {missing.parent} does not exist" in proc.stderr
    assert not (tmp_path / "no").exists()


def test_hostile_default_data_dir_is_created(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    proc = run_cli("candidates", "list", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "xdg-data" / "sourcing" / "sourcing.db").is_file()


def _make_read_only(path: Path) -> str:
    """chattr +i when we are root on a file system that supports it (root ignores file modes), else chmod 0400."""
    if os.geteuid() == 0 and shutil.which("chattr"):
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0:
            return "immutable"
        pytest.skip("running as root where chattr +i is not supported: a read-only file cannot be made")
    path.chmod(0o400)
    return "read-only"


def test_hostile_writes_to_a_read_only_database_exit_6_and_reads_still_work(tmp_path, db_path):
    jd = tmp_path / "jd.txt"
    jd.write_text("Backend developer, Python", encoding="utf-8")
    assert run_cli("--db", str(db_path), "jobs", "add", "--title", "Dev", "--file", str(jd), cwd=tmp_path).returncode == 0
    assert run_cli("--db", str(db_path), "candidates", "import", str(Path(__file__).resolve().parents[1] / "fixtures" / "core" / "ada.md"),
                   cwd=tmp_path).returncode == 0
    _make_read_only(db_path)
    try:
        for args in (["jobs", "add", "--title", "Dev 2", "--file", str(jd)], ["jobs", "close", "1"], ["forget", "1", "--yes"]):
            proc = run_cli("--db", str(db_path), *args, cwd=tmp_path)
            assert proc.returncode == 6, (args, proc.stderr)
            assert "Traceback" not in proc.stderr and "the database cannot be written" in proc.stderr, (args, proc.stderr)
        proc = run_cli("--db", str(db_path), "jobs", "list", cwd=tmp_path)
        assert proc.returncode == 0 and "Dev" in proc.stdout
    finally:
        subprocess.run(["chattr", "-i", str(db_path)], capture_output=True)
        db_path.chmod(0o600)


def test_hostile_export_into_an_unwritable_folder_and_a_bad_suffix_exit_2(tmp_path, db_path):
    jd = tmp_path / "jd.txt"
    jd.write_text("Backend developer, Python", encoding="utf-8")
    run_cli("--db", str(db_path), "jobs", "add", "--title", "Dev", "--file", str(jd), cwd=tmp_path)
    proc = run_cli("--db", str(db_path), "export", "1", "--out", "x.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "--format txt" not in proc.stderr and "use .csv, .xlsx or .json" in proc.stderr
    proc = run_cli("--db", str(db_path), "export", "1", "--out", str(tmp_path / "nowhere" / "x.csv"), cwd=tmp_path)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    _make_read_only(locked)
    try:
        proc = run_cli("--db", str(db_path), "export", "1", "--out", str(locked / "x.csv"), cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and str(locked) in proc.stderr
    finally:
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
        locked.chmod(0o700)


def test_hostile_demo_never_crawls_with_a_zero_download_delay(tmp_path):
    """Point 12: the demo uses the spiders' 0.001 s minimum against its local site, as the README says."""
    import tomllib

    from sourcing.demo import DEMO_CRAWL_SETTINGS, demo_sources, own_sources, write_demo_config
    from sourcing.sources import source_key

    base = "http://127.0.0.1:1"
    write_demo_config(tmp_path / "config.toml", tmp_path / "demo.db", demo_sources(base),
                      [source_key(e) for e in own_sources(base)])
    written = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
    assert written["crawl"]["download_delay"] == 0.001 and DEMO_CRAWL_SETTINGS["DOWNLOAD_DELAY"] == 0.001
    assert all(e.get("download_delay", 0.001) > 0 for e in written.get("sources", []))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "0 is raised to 0.001 s, the value `sourcing demo` uses against its local site" in readme

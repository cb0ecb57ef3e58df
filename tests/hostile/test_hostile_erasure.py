"""Tests that `forget` leaves no trace on disk or in the config, and that do-not-collect hashes are keyed.

Real SQLite files, real crawl folders as the crawler lays them out, the real `sourcing` process.
"""

from __future__ import annotations

import sqlite3
import stat

from hostile_helpers import run_cli

from sourcing.crawler import _slug, pick_jobdir
from sourcing.models import ProfileRecord
from sourcing.storage import Store
from sourcing.storage.candidates import normalise_url
from sourcing.storage.crawl import dnc_hashes, is_blocked
from sourcing.storage.dnc import key_path, legacy_hash

URL = "https://cv.example/people/zorblax/resume.json"


def _person(store, url=URL, source_key=None) -> int:
    return store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id=url, url=url,
                                              source_key=source_key or f"jsonresume:{url}", name="Zorblax Quux")).candidate_id


def test_hostile_forget_scrubs_done_txt_and_crawl_log_of_other_crawls(store, tmp_path):
    cid = _person(store, source_key="jsonresume:registry")
    shared = tmp_path / "crawls" / "jsonresume_registry" / "20261201T000000Z"
    shared.mkdir(parents=True)
    (shared / "done.txt").write_text(f"{URL}\nhttps://cv.example/people/other/resume.json\n", encoding="utf-8")
    (shared / "crawl.log").write_text(f"DEBUG: Crawled (200) <GET {URL}>\nDEBUG: Crawled (200) <GET https://cv.example/x>\n", encoding="utf-8")
    run = store.start_crawl_run("jsonresume", "jsonresume:registry", {}, jobdir=str(shared))
    store.finish_crawl_run(run, status="ok", new=2)
    counts = store.forget_candidate(cid, actor="dpo")
    assert counts["crawl_files"] == 2
    assert (shared / "done.txt").read_text(encoding="utf-8") == "https://cv.example/people/other/resume.json\n"
    log = (shared / "crawl.log").read_text(encoding="utf-8")
    assert URL not in log and "<GET [erased]>" in log and "https://cv.example/x" in log


def test_hostile_forget_removes_the_empty_per_person_folder(store, tmp_path):
    cid = _person(store)
    root = tmp_path / "crawls"
    jobdir, _ = pick_jobdir(root, f"jsonresume:{URL}", resume=False)
    (jobdir / "done.txt").write_text(URL + "\n", encoding="utf-8")
    run = store.start_crawl_run("jsonresume", f"jsonresume:{URL}", {"url": URL}, jobdir=str(jobdir))
    store.finish_crawl_run(run, status="ok", new=1)
    store.forget_candidate(cid, actor="dpo")
    assert not jobdir.exists() and not jobdir.parent.exists()
    assert list(root.iterdir()) == []


def test_hostile_crawls_root_is_private(tmp_path):
    root = tmp_path / "state" / "crawls"
    pick_jobdir(root, "greenhouse:acme", resume=False)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    root.chmod(0o755)  # a root made by an older version is tightened on the next crawl
    pick_jobdir(root, "greenhouse:acme", resume=False)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_hostile_forget_command_removes_the_persons_source_table_and_folder(tmp_path, db_path):
    cfg = tmp_path / "config.toml"
    crawls = tmp_path / "crawls"
    cfg.write_text(f'[crawl]\njobdir = "{crawls}"\n\n[[sources]]\nkind = "jsonresume"\nurl = "{URL}"\n\n'
                   '[[sources]]\nkind = "greenhouse"\nboard = "acme"\n', encoding="utf-8")
    store = Store.open(str(db_path))
    cid = _person(store)
    store.close()
    folder = crawls / _slug(f"jsonresume:{URL}")
    (folder / "20261201T000000Z").mkdir(parents=True)
    before = run_cli("--config", str(cfg), "--db", str(db_path), "sources", "list", cwd=tmp_path)
    assert URL in before.stdout
    proc = run_cli("--config", str(cfg), "--db", str(db_path), "forget", str(cid), "--yes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "1 config_sources" in proc.stdout
    after = run_cli("--config", str(cfg), "--db", str(db_path), "sources", "list", cwd=tmp_path)
    assert after.returncode == 0 and URL not in after.stdout and "greenhouse:acme" in after.stdout
    assert URL not in cfg.read_text(encoding="utf-8") and not folder.exists()


def test_hostile_do_not_collect_is_keyed_with_a_private_secret(store, db_path):
    cid = _person(store)
    store.forget_candidate(cid, actor="dpo")
    key = key_path(store)
    assert key == db_path.with_name(db_path.name + ".dnc-key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    raw = sqlite3.connect(db_path)
    stored = {h for (h,) in raw.execute("SELECT value_hash FROM do_not_collect")}
    raw.close()
    assert stored and legacy_hash("jsonresume", normalise_url(URL)) not in stored and legacy_hash("jsonresume", URL) not in stored  # a guessed URL cannot be confirmed without the key
    assert store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id=URL, url=URL)).status == "blocked"
    assert is_blocked(dnc_hashes(store, "jsonresume"), "jsonresume", url=URL)
    # Another installation (another secret) cannot match these hashes.
    other = Store.open(str(db_path.with_name("other.db")))
    assert not other.is_do_not_collect("jsonresume", url=URL)
    other.close()


def test_hostile_legacy_unkeyed_entries_are_still_honoured(store, db_path):
    raw = sqlite3.connect(db_path)
    raw.execute("INSERT INTO do_not_collect (source_kind, value_hash, added_at) VALUES (?, ?, '2026-01-01 00:00:00')",
                ("jsonresume", legacy_hash("jsonresume", normalise_url(URL))))
    raw.commit()
    raw.close()
    assert store.is_do_not_collect("jsonresume", url=URL)
    assert is_blocked(dnc_hashes(store, "jsonresume"), "jsonresume", url=URL)
    # Reading the list (what every crawl does) creates no secret: only writing an entry does.
    # Mutant killed: `load_key(store, create=True)` in `dnc_hashes`.
    assert not key_path(store).exists()
    assert store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id=URL, url=URL)).status == "blocked"

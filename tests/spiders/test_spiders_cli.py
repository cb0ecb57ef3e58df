"""`sourcing sources add|list|remove` and `sourcing crawl`, run as the console script would (exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from spiders_helpers import fixture_path, load


def fixture_bytes(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def run(args: list[str], cfg: Path, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from sourcing.cli import main; main()", "--config", str(cfg), "--db", db, *args],
                          capture_output=True, text=True, timeout=300)


def test_refused_source_exits_5_with_reason(private_config, db):
    r = run(["sources", "add", "https://www.linkedin.com/in/someone"], private_config, db)
    assert r.returncode == 5
    assert r.stderr.strip() == ("Error: https://www.linkedin.com/in/someone: refused. "
                                "LinkedIn's User Agreement bans bots, crawlers and scraping of its members' data.")
    assert "linkedin" not in private_config.read_text()


def test_add_list_remove(private_config, db):
    assert run(["sources", "add", "greenhouse:acme"], private_config, db).stdout == "greenhouse:acme\n"
    r = run(["sources", "add", "https://jobs.lever.co/acme", "--base-url", "http://127.0.0.1:9"], private_config, db)
    assert (r.returncode, r.stdout) == (0, "lever:acme\n")
    dup = run(["sources", "add", "greenhouse:acme"], private_config, db)
    assert dup.returncode == 2 and "already configured" in dup.stderr
    bad = run(["sources", "add", "greenhouse"], private_config, db)
    assert bad.returncode == 2 and "needs board" in bad.stderr
    listing = run(["sources", "list"], private_config, db).stdout.splitlines()
    assert listing[0].split() == ["KEY", "KIND", "YIELDS", "BASE_URL", "HISTORY", "ERROR_HISTORY", "LAST_STATUS"]
    assert listing[1].split() == ["greenhouse:acme", "greenhouse", "jobs"]
    assert listing[2].split() == ["lever:acme", "lever", "jobs", "http://127.0.0.1:9"]
    assert run(["sources", "remove", "greenhouse:acme"], private_config, db).returncode == 0
    assert [ln.split()[0] for ln in run(["sources", "list"], private_config, db).stdout.splitlines()] == ["KEY", "lever:acme"]
    assert "contact" in private_config.read_text()  # the rest of the file is kept
    missing = run(["sources", "remove", "greenhouse:acme"], private_config, db)
    assert missing.returncode == 4 and "no such source" in missing.stderr
    kinds = run(["sources", "list", "--kinds"], private_config, db).stdout
    assert "greenhouse" in kinds and "REFUSED" in kinds and "We Work Remotely's API terms exclude use by hiring tools." in kinds


def test_careers_url_refused_when_robots_disallows(site, private_config, db):
    site.add("/robots.txt", "User-agent: *\nDisallow: /careers\n", content_type="text/plain")
    r = run(["sources", "add", "https://acme.example/careers", "--base-url", site.url], private_config, db)
    assert r.returncode == 5 and "robots.txt disallows" in r.stderr
    site.add("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    r = run(["sources", "add", "https://acme.example/careers", "--base-url", site.url], private_config, db)
    assert (r.returncode, r.stdout) == (0, "careers:https://acme.example/careers\n")


def test_crawl_cli_summary_and_exit_codes(site, private_config, db):
    site.add("/v1/boards/acme/jobs", load("real/greenhouse.json"))
    for spec in ("greenhouse:acme", "greenhouse:gone"):
        assert run(["sources", "add", spec, "--base-url", site.url], private_config, db).returncode == 0
    fast = ["-s", "DOWNLOAD_DELAY=0.001", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0"]
    r = run(["crawl", "--all", *fast], private_config, db)
    assert r.returncode == 3, r.stderr  # one source failed, the other went on
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["SOURCE", "STATUS", "NEW", "UPDATED", "UNCHANGED", "DROPPED", "ERRORS", "SECONDS", "NOTE"]
    ok, failed = lines[1].split(), lines[2].split()
    assert ok[:7] == ["greenhouse:acme", "ok", "2", "0", "0", "0", "0"]
    assert failed[:7] == ["greenhouse:gone", "failed", "0", "0", "0", "0", "1"] and "HTTP 404" in lines[2]
    assert "greenhouse:acme: started" in r.stderr and "not ok: greenhouse:gone (failed)" in r.stderr
    again = run(["crawl", "greenhouse:acme", *fast], private_config, db)
    assert again.returncode == 0 and again.stdout.splitlines()[1].split()[:5] == ["greenhouse:acme", "ok", "0", "0", "2"]
    allbad = run(["crawl", "greenhouse:gone", *fast], private_config, db)
    assert allbad.returncode == 1 and "every source failed: greenhouse:gone" in allbad.stderr
    # A partial source (some items stored, one error) alone is exit 3, never "every source failed".
    site.add("/v1/companies/LumenHealth/postings?limit=100&offset=0", load("synthetic/smartrecruiters-list.json"))
    site.add("/v1/companies/LumenHealth/postings/744000012345678", load("synthetic/smartrecruiters-744000012345678.json"))
    assert run(["sources", "add", "smartrecruiters:LumenHealth", "--base-url", site.url], private_config, db).returncode == 0
    partial = run(["crawl", "smartrecruiters:LumenHealth", *fast], private_config, db)
    assert partial.returncode == 3 and "every source failed" not in partial.stderr, partial.stderr
    assert partial.stdout.splitlines()[1].split()[:7] == ["smartrecruiters:LumenHealth", "partial", "2", "0", "0", "0", "1"]
    assert "smartrecruiters:LumenHealth: 2 postings: date 2, salary 0, location 2, description 1," in partial.stderr
    quality = run(["sources", "list", "--quality"], private_config, db).stdout.splitlines()
    assert quality[0].split() == ["SOURCE", "STATUS", "POSTS", "DATE", "SALARY", "LOCATION", "DESCR", "WORKPLACE", "COMPANY", "URL"]
    rows = {line.split()[0]: line.split()[1:] for line in quality[1:]}
    assert rows["greenhouse:acme"][:6] == ["ok", "2", "2", "2", "2", "2"]  # both have date, salary, location, description
    assert rows["smartrecruiters:LumenHealth"][:6] == ["partial", "2", "2", "0", "2", "1"]
    assert rows["greenhouse:gone"] == ["failed"]  # nothing stored: no counts
    assert run(["crawl"], private_config, db).returncode == 2
    assert run(["crawl", "https://www.indeed.com/jobs"], private_config, db).returncode == 5


def test_sources_add_no_robots_check_skips_reading_robots(site, private_config, db):
    """`--no-robots-check` adds a careers page without fetching robots.txt now (the crawl still obeys it).

    Mutant caught: ignoring the flag (robots.txt is fetched, disallows, and the add exits 5).
    """
    site.add("/robots.txt", "User-agent: *\nDisallow: /careers\n", content_type="text/plain")
    r = run(["sources", "add", "https://acme.example/careers", "--base-url", site.url, "--no-robots-check"], private_config, db)
    assert (r.returncode, r.stdout) == (0, "careers:https://acme.example/careers\n"), r.stderr
    assert site.hits("/robots.txt") == []
    assert "careers:https://acme.example/careers" in run(["sources", "list"], private_config, db).stdout


def test_crawl_cli_parallel_runs_two_sources_at_once(site, private_config, db):
    """`--parallel 2` crawls both sources at the same time.

    Each board's server answer waits until the other board has been asked for too, so the
    crawl can only succeed if both children run at once. Mutant caught: `run_crawls`
    ignoring `parallel` (one after the other: the first board waits 120 s for the other,
    answers 503, its crawl fails and the exit code is 3).
    """
    import threading

    asked = {"greenhouse": threading.Event(), "lever": threading.Event()}
    bodies = {"greenhouse": fixture_bytes("real/greenhouse.json"), "lever": fixture_bytes("real/lever.json")}

    def board(kind: str, other: str):
        def answer(_handler):
            asked[kind].set()
            if not asked[other].wait(120):
                return 503, {"Content-Type": "text/plain"}, b"the other crawl never started"
            return 200, {"Content-Type": "application/json"}, bodies[kind]
        return answer

    site.handle("/v1/boards/acme/jobs", board("greenhouse", "lever"))
    site.handle("/v0/postings/acme", board("lever", "greenhouse"))
    for spec in ("greenhouse:acme", "lever:acme"):
        assert run(["sources", "add", spec, "--base-url", site.url], private_config, db).returncode == 0
    fast = ["-s", "DOWNLOAD_DELAY=0.001", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0"]
    r = run(["crawl", "--all", "--parallel", "2", *fast], private_config, db)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = sorted(line.split()[:3] for line in r.stdout.splitlines()[1:])
    assert rows == [["greenhouse:acme", "ok", "2"], ["lever:acme", "ok", str(len(json.loads(bodies["lever"])))]]
    assert run(["crawl", "--all", "--parallel", "5"], private_config, db).returncode == 2  # 1..4


def test_crawl_cli_timeout_then_resume(site, private_config, db, tmp_path):
    """`--timeout` stops a crawl that cannot finish; `--resume` then finishes it in the same folder.

    Every detail page is held until the test releases it, so nothing is stored before the
    timeout whatever the machine's speed (the timeout can only fire; what it cuts is fixed).
    Mutants caught: `--timeout` not passed to `run_crawls` (the crawl waits on the held pages,
    they answer 503 after 120 s and the note is not "timed out"); `--resume` not passed (a
    new crawl folder replaces the interrupted one).
    """
    import threading

    n = 3
    summaries = [{"id": f"9{i:05d}", "name": f"Role {i}", "location": {"city": "Lyon", "country": "fr"}} for i in range(n)]
    site.add("/v1/companies/acme/postings?limit=100&offset=0", {"offset": 0, "limit": 100, "totalFound": n, "content": summaries})
    release = threading.Event()

    def detail(_handler):
        if not release.wait(120):
            return 503, {"Content-Type": "text/plain"}, b"held too long"
        return 200, {"Content-Type": "application/json"}, b'{"jobAd": {"sections": {"jobDescription": {"text": "<p>Do.</p>"}}}}'

    for s in summaries:
        site.handle(f"/v1/companies/acme/postings/{s['id']}", detail)
    jobs = tmp_path / "crawls"
    private_config.write_text(private_config.read_text() + f'jobdir = "{jobs}"\n', encoding="utf-8")
    assert run(["sources", "add", "smartrecruiters:acme", "--base-url", site.url], private_config, db).returncode == 0
    fast = ["-s", "DOWNLOAD_DELAY=0.001", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=300"]
    try:
        first = run(["crawl", "smartrecruiters:acme", "--timeout", "2", *fast], private_config, db)
    finally:
        release.set()
    assert first.returncode == 1, first.stdout + first.stderr  # the only source did not finish
    # Held pages keep the child busy past SIGTERM's 10 s grace, so it is always killed: "failed".
    row = first.stdout.splitlines()[1]
    assert row.split()[:3] == ["smartrecruiters:acme", "failed", "0"] and "timed out" in row
    folders = list((jobs / "smartrecruiters_acme").iterdir())
    assert len(folders) == 1

    again = run(["crawl", "smartrecruiters:acme", "--resume", *fast], private_config, db)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines()[1].split()[:3] == ["smartrecruiters:acme", "ok", str(n)]
    assert [p.name for p in (jobs / "smartrecruiters_acme").iterdir()] == [folders[0].name]  # resumed in place

"""Tests every command's exit status through the installed `sourcing` executable (a child process).

Codes (sourcing.errors.ExitStatus): 0 ok, 1 failed, 2 bad arguments or config, 3 partial
(some of a batch failed, the rest went through), 4 not found, 5 refused source, 7 locked.
Each test runs one command for success, partial failure, bad input and not found, where
the command has such a case. Every run is recorded by command; the last test walks the
Click tree and fails when a command was not run for every case it has (CASES, with the
reasons a case does not apply).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
from collections import defaultdict
from pathlib import Path

import click
import pytest

from cli_helpers import SOURCING, add_job, add_people, run_sourcing
from sourcing.cli import cli
from sourcing.errors import ExitStatus
from sourcing.models import ProfileRecord
from sourcing.storage import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TINY = FIXTURES / "ranking" / "tiny"
SEEN: dict[str, set[int]] = defaultdict(set)  # command name -> exit codes seen in this module's runs


def command_of(args: tuple[str, ...]) -> str:
    """The full command name ("jobs list") that `sourcing ARGS` runs; "" for the root (--version)."""
    group: click.Command = cli
    names: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token.startswith("-"):
            takes_value = {o for p in group.params if isinstance(p, click.Option) and not p.is_flag for o in p.opts}
            if token in takes_value:
                rest.pop(0)
            continue
        if not isinstance(group, click.Group) or token not in group.commands:
            break
        group = group.commands[token]
        names.append(token)
        if not isinstance(group, click.Group):
            break
    return " ".join(names)


def sourcing(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run the installed `sourcing` (cli_helpers.run_sourcing) and record its exit code under its command."""
    proc = run_sourcing(*args, **kwargs)
    SEEN[command_of(args)].add(proc.returncode)
    return proc


def test_init_and_config_show(tmp_path):
    cfg = tmp_path / "config.toml"
    db = tmp_path / "s.db"
    ok = sourcing("--config", str(cfg), "--db", str(db), "init", "--contact", "hr@acme.example")
    assert ok.returncode == 0, ok.stderr
    assert sourcing("--config", str(cfg), "config", "show").returncode == 0
    missing = sourcing("--config", str(tmp_path / "nope.toml"), "config", "show")
    assert missing.returncode == 2 and "config file not found" in missing.stderr
    cfg.write_text("[ranking\n")
    bad = sourcing("--config", str(cfg), "config", "show")
    assert bad.returncode == 2 and "not valid TOML" in bad.stderr
    assert sourcing("--config", str(tmp_path), "init").returncode == 2  # a directory is not a config file


def test_jobs_commands(tmp_path):
    db = str(tmp_path / "s.db")
    jd = tmp_path / "jd.txt"
    jd.write_text("We need a Django developer. Python, PostgreSQL.\n")
    added = sourcing("--db", db, "jobs", "add", "--title", "Django dev", "--file", str(jd))
    assert (added.returncode, added.stdout.strip()) == (0, "1")
    assert sourcing("--db", db, "jobs", "add", "--title", "No text").returncode == 2
    nofile = sourcing("--db", db, "jobs", "add", "--title", "X", "--file", str(tmp_path / "missing.txt"))
    assert nofile.returncode == 2 and "does not exist" in nofile.stderr
    assert sourcing("--db", db, "jobs", "list").returncode == 0
    assert sourcing("--db", db, "jobs", "list", "--bogus").returncode == 2
    assert sourcing("--db", db, "jobs", "show", "1").returncode == 0
    assert sourcing("--db", db, "jobs", "show", "one").returncode == 2
    gone = sourcing("--db", db, "jobs", "show", "99")
    assert gone.returncode == 4 and "99" in gone.stderr
    assert sourcing("--db", db, "jobs", "close", "1").returncode == 0
    assert sourcing("--db", db, "jobs", "close", "99").returncode == 4
    assert sourcing("--db", db, "jobs", "close").returncode == 2


def test_candidates_commands(tmp_path):
    db = str(tmp_path / "s.db")
    good = FIXTURES / "core" / "sample.resume.json"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    ok = sourcing("--db", db, "candidates", "import", str(good))
    assert ok.returncode == 0, ok.stderr
    partial = sourcing("--db", db, "candidates", "import", str(good), str(broken))
    assert partial.returncode == 3 and f"{broken}:" in partial.stderr
    failed = sourcing("--db", db, "candidates", "import", str(broken))
    assert failed.returncode == 1 and "nothing was imported" in failed.stderr
    typo = sourcing("--db", db, "candidates", "import", str(tmp_path / "resumes"))
    assert typo.returncode == 1 and f"{tmp_path / 'resumes'}: cannot read the file: it does not exist" in typo.stderr
    assert "(none)" not in typo.stderr
    assert sourcing("--db", db, "candidates", "import", str(good), "--max-mb", "0").returncode == 2
    assert sourcing("--db", db, "candidates", "list").returncode == 0
    assert sourcing("--db", db, "candidates", "list", "--since", "x").returncode == 2
    assert sourcing("--db", db, "candidates", "show", "1").returncode == 0
    assert sourcing("--db", db, "candidates", "show", "99").returncode == 4
    assert sourcing("--db", db, "candidates", "show", "one").returncode == 2


def test_rank_export_forget(tmp_path, workspace):
    cfg = str(workspace())
    job = add_job(tmp_path / "sourcing.db")
    people = add_people(tmp_path / "sourcing.db")
    ranked = sourcing("--config", cfg, "rank", str(job), "--json")
    assert ranked.returncode == 0, ranked.stderr
    assert sourcing("--config", cfg, "rank", "99").returncode == 4
    assert sourcing("--config", cfg, "rank", "x").returncode == 2
    exported = sourcing("--config", cfg, "export", str(job), "--format", "csv")
    assert exported.returncode == 0 and exported.stdout.startswith("\"rank\",")
    assert sourcing("--config", cfg, "export", "99").returncode == 4
    assert sourcing("--config", cfg, "export", str(job), "--format", "pdf").returncode == 2
    assert sourcing("--config", cfg, "export", str(job), "--out", str(tmp_path / "a.xlsx"), "--format", "csv").returncode == 2
    assert sourcing("--config", cfg, "forget", str(people[0]), "--yes").returncode == 0
    assert sourcing("--config", cfg, "forget", str(people[0]), "--yes").returncode == 4
    assert sourcing("--config", cfg, "forget", str(people[1]), input="n\n").returncode == 130  # answered no
    assert sourcing("--config", cfg, "forget", "someone", "--yes").returncode == 2


def test_eval_ok_and_bad_input(tmp_path):
    tiny = ("--queries", str(TINY / "queries.tsv"), "--corpus", str(TINY / "corpus.tsv"), "--qrels", str(TINY / "qrels.txt"))
    ok = sourcing("--db", str(tmp_path / "s.db"), "eval", *tiny, "--method", "bm25")
    assert ok.returncode == 0 and ok.stdout.split()[:2] == ["METRIC", "BM25"], ok.stderr
    missing = sourcing("eval", "--queries", str(tmp_path / "q.tsv"), "--corpus", str(tmp_path), "--qrels", str(tmp_path / "r"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    bad = sourcing("--db", str(tmp_path / "s.db"), "eval", *tiny, "--metrics", "p@5")
    assert bad.returncode == 2 and "unknown metric 'p@5'" in bad.stderr


def test_audit_export(tmp_path):
    db = str(tmp_path / "s.db")
    add_job(tmp_path / "s.db")
    ok = sourcing("--db", db, "audit", "export", "--since", "2026-01-01", "--csv")
    assert ok.returncode == 0 and ok.stdout.startswith("type,id,at,actor,action,target,details\naudit,1,"), ok.stderr
    bad = sourcing("--db", db, "audit", "export", "--since", "last week")
    assert bad.returncode == 2 and "give a date like 2026-01-01" in bad.stderr


def test_completion():
    assert "complete" in sourcing("completion", "bash").stdout
    assert sourcing("completion", "tcsh").returncode == 2


def test_notices_commands(tmp_path):
    db = str(tmp_path / "s.db")
    _, two, _ = add_people(tmp_path / "s.db")
    with Store.open(db) as store:  # a notice needs an address to go to
        one = store.upsert_profile(ProfileRecord(source_kind="jsonresume", external_id="eve", name="Eve Example",
                                                 email="eve@example.org")).candidate_id
    cfg = tmp_path / "config.toml"
    cfg.write_text('[privacy]\ncontroller = "Acme SAS, 1 rue X, Paris, privacy@acme.example"\n')
    base = ("--config", str(cfg), "--db", db)
    assert sourcing(*base, "notices", "due").returncode == 0
    assert sourcing(*base, "notices", "due", "--within", "soon").returncode == 2
    assert sourcing(*base, "notices", "show", str(one)).returncode == 0
    assert sourcing(*base, "notices", "show", "99").returncode == 4
    assert sourcing(*base, "notices", "show", "x").returncode == 2
    drafts = str(tmp_path / "drafts")
    assert sourcing(*base, "notices", "draft", str(one), "--out", drafts).returncode == 0
    partial = sourcing(*base, "notices", "draft", str(one), "99", "--out", drafts)
    assert partial.returncode == 3 and "99: no candidate with id 99" in partial.stderr
    assert sourcing(*base, "notices", "draft", "99", "--out", drafts).returncode == 1  # all of the batch failed
    assert sourcing(*base, "notices", "draft", str(one), "--lang", "de").returncode == 2
    assert sourcing(*base, "notices", "mark-sent", str(one), "--channel", "email").returncode == 0
    assert sourcing(*base, "notices", "mark-sent", str(one), "98", "--channel", "email").returncode == 3
    assert sourcing(*base, "notices", "mark-sent", str(one)).returncode == 2  # no --channel
    assert sourcing(*base, "notices", "exempt", str(two), "--reason", "14(5)(a): told in person").returncode == 0
    assert sourcing(*base, "notices", "exempt", str(two), "97", "--reason", "14(5)(a)").returncode == 3
    assert sourcing(*base, "notices", "exempt", str(two)).returncode == 2  # no --reason


def test_fairness_commands(tmp_path):
    db = str(tmp_path / "s.db")
    job = add_job(tmp_path / "s.db")
    one, two, _ = add_people(tmp_path / "s.db")
    good = tmp_path / "self.csv"
    good.write_text(f"candidate_id,sex\n{one},female\n{two},male\n")
    assert sourcing("--db", db, "fairness", "import", str(good)).returncode == 0
    partly = tmp_path / "partly.csv"
    partly.write_text(f"candidate_id,sex\n{one},female\n999,male\n")
    assert sourcing("--db", db, "fairness", "import", str(partly)).returncode == 3
    no_cols = tmp_path / "bad.csv"
    no_cols.write_text("name\nAda\n")
    assert sourcing("--db", db, "fairness", "import", str(no_cols)).returncode == 1  # the file cannot be used
    assert sourcing("--db", db, "fairness", "import", str(tmp_path / "missing.csv")).returncode == 2
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ranking]\nmodel = "fake"\nmultilingual_model = "fake"\n')
    assert sourcing("--config", str(cfg), "--db", db, "rank", str(job)).returncode == 0
    assert sourcing("--db", db, "fairness", "report", str(job)).returncode == 0
    assert sourcing("--db", db, "fairness", "report", "99").returncode == 4
    assert sourcing("--db", db, "fairness", "report").returncode == 2  # a job or --all


def test_review_ok_on_a_terminal_not_found_and_bad_input(tmp_path):
    db = str(tmp_path / "s.db")
    job = add_job(tmp_path / "s.db")
    gone = sourcing("--db", db, "review", "5")
    assert gone.returncode == 4 and "5" in gone.stderr
    assert sourcing("--db", db, "review", "five").returncode == 2
    # The app itself needs a terminal: run it on a pseudo-terminal, wait for its jobs screen, press q.
    main, child = pty.openpty()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("SOURCING_CONFIG", None)
    proc = subprocess.Popen([SOURCING, "--db", db, "review"], stdin=child, stdout=child, stderr=child, env=env,
                            cwd=tmp_path, close_fds=True)
    os.close(child)
    screen = b""
    try:
        while b"Python developer" not in screen:  # the job's title on the jobs screen
            ready, _, _ = select.select([main], [], [], 120)
            assert ready, screen[-2000:]  # a guard against a hang, not a timing assertion
            screen += os.read(main, 65536)
        os.write(main, b"q")
        while proc.poll() is None:
            if select.select([main], [], [], 1)[0]:
                try:
                    os.read(main, 65536)
                except OSError:
                    break
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    SEEN["review"].add(code)
    assert code == 0 and job == 1


def test_demo_bad_input():
    assert sourcing("demo", "--top", "0").returncode == 2


@pytest.mark.model
def test_demo_with_one_source_failing_exits_3_and_runs_on_the_others(tmp_path):
    ws = tmp_path / "ws"
    (ws / "crawls").mkdir(parents=True)
    (ws / "crawls" / "jsonresume_demo").write_text("a file where the crawl folder goes")
    proc = sourcing("demo", "--no-tui", "--top", "3", "--workdir", str(ws), env={"TMPDIR": str(tmp_path)})
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert "jsonresume:demo" in proc.stderr and "cannot create its crawl folder" in proc.stderr
    assert "Error: not ok: jsonresume:demo; the demo ran on the other sources" in proc.stderr
    assert proc.stdout.startswith("#1 ")  # the shortlists were printed from the sources that worked


def test_brand_commands(tmp_path, workspace):
    cfg = str(workspace())
    add_job(tmp_path / "sourcing.db")
    ok = sourcing("--config", cfg, "brand", "insights", "--tfidf")
    assert ok.returncode == 0, ok.stderr
    assert sourcing("--config", cfg, "brand", "insights", "--tfidf", "--role").returncode == 2  # --role needs a value
    assert sourcing("--config", cfg, "brand", "ideas", "--tfidf", "--weeks", "1").returncode == 0
    assert sourcing("--config", cfg, "brand", "ideas", "--export", "ics", "--tfidf").returncode == 2
    assert sourcing("--config", cfg, "brand", "ideas", "--weeks", "99").returncode == 2


def test_sources_commands(tmp_path, board):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    base = ("--config", str(cfg))
    assert sourcing(*base, "sources", "add", "greenhouse:acme").returncode == 0
    dup = sourcing(*base, "sources", "add", "greenhouse:acme")
    assert dup.returncode == 2 and "already configured" in dup.stderr
    refused = sourcing(*base, "sources", "add", "https://www.linkedin.com/in/someone")
    assert refused.returncode == 5 and "LinkedIn" in refused.stderr
    robots = sourcing(*base, "sources", "add", f"{board.base_url}/private/careers")
    assert robots.returncode == 5 and "robots.txt" in robots.stderr
    assert sourcing(*base, "sources", "add", "nosuchkind:x").returncode == 2
    assert sourcing(*base, "sources", "list").returncode == 0
    assert sourcing(*base, "sources", "list", "--kinds").returncode == 0
    assert sourcing(*base, "sources", "list", "--kind").returncode == 2  # a typo of --kinds
    assert sourcing(*base, "sources", "remove", "greenhouse:acme").returncode == 0
    gone = sourcing(*base, "sources", "remove", "greenhouse:acme")
    assert gone.returncode == 4 and "no such source" in gone.stderr
    assert sourcing(*base, "sources", "remove").returncode == 2


def test_crawl_ok_partial_failed_bad_input(tmp_path, workspace):
    cfg = str(workspace("acme", "broken"))
    ok = sourcing("--config", cfg, "crawl", "greenhouse:acme")
    assert ok.returncode == 0, ok.stderr
    partial = sourcing("--config", cfg, "crawl", "--all")
    assert partial.returncode == 3, partial.stderr
    assert "greenhouse:broken (failed)" in partial.stderr
    failed = sourcing("--config", cfg, "crawl", "greenhouse:broken")
    assert failed.returncode == 1 and "every source failed" in failed.stderr
    assert sourcing("--config", cfg, "crawl").returncode == 2
    assert sourcing("--config", cfg, "crawl", "-s", "NOEQUALS").returncode == 2
    assert sourcing("--config", cfg, "crawl", "linkedin:someone").returncode in (2, 5)


def test_nightly_ok_partial_and_not_found(tmp_path, workspace):
    args = ("nightly", "--lock-file", str(tmp_path / "l"), "--log-file", str(tmp_path / "n.log"))
    none_yet = sourcing("--config", str(workspace("acme")), "nightly", "--last")
    assert none_yet.returncode == 4 and "no nightly run has finished yet" in none_yet.stderr
    ok = sourcing("--config", str(workspace("acme")), *args)
    assert ok.returncode == 0, ok.stderr
    assert "Status: **ok** (exit 0)" in ok.stdout
    partial = sourcing("--config", str(workspace("acme", "broken")), *args)
    assert "Status: **partial** (exit 3)" in partial.stdout
    assert partial.returncode == 3  # what cron and systemd see: the same as the report says
    assert sourcing("--config", str(workspace("acme")), "nightly", "--no-such-flag").returncode == 2


def test_schedule_and_purge(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    units, crontab = str(tmp_path / "units"), str(tmp_path / "crontab")
    assert sourcing("--config", str(cfg), "schedule", "install", "--unit-dir", units).returncode == 0
    assert sourcing("schedule", "show", "--unit-dir", units, "--crontab-file", crontab).returncode == 0
    assert sourcing("schedule", "install", "--at", "25:00", "--unit-dir", units).returncode == 2
    assert sourcing("schedule", "show", "--unit-dir", units, "--crontab-file", crontab, "--format", "x").returncode == 2
    assert sourcing("schedule", "remove", "--unit-dir", units, "--crontab-file", crontab).returncode == 0
    assert sourcing("schedule", "remove", "--unit-dir", units, "--crontab-file", crontab, "--at", "04:00").returncode == 2
    assert sourcing("--db", str(tmp_path / "s.db"), "purge", "--dry-run").returncode == 0
    assert sourcing("--db", str(tmp_path / "s.db"), "purge", "--days", "3").returncode == 2


def test_scrapyd_deploy_without_nodes_or_with_a_bad_node_url(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[crawl]\ncontact = "hr@acme.example"\n', encoding="utf-8")
    empty = sourcing("--config", str(cfg), "scrapyd", "deploy")
    assert empty.returncode == 2 and "crawl.scrapyd is empty" in empty.stderr
    cfg.write_text('[crawl]\nscrapyd = ["ftp://node:6800"]\n', encoding="utf-8")
    bad = sourcing("--config", str(cfg), "scrapyd", "deploy")
    assert bad.returncode == 2 and "'ftp://node:6800' is not a scrapyd URL" in bad.stderr


def test_unknown_command_and_version():
    assert sourcing("frobnicate").returncode == 2
    assert sourcing("--version").returncode == 0


# For each command, the outcomes it has beyond success (0) and bad input (2). A command
# missing here is expected to show 0 and 2 alone; NOT_APPLICABLE says why a case is absent.
PARTIAL = {"candidates import", "crawl", "nightly", "demo", "notices draft", "notices mark-sent", "notices exempt",
           "fairness import"}
NOT_FOUND = {"jobs show", "jobs close", "candidates show", "rank", "export", "forget", "review", "nightly",
             "sources remove", "notices show", "fairness report"}
ELSEWHERE = {  # a case run through the installed executable in another test module
    ("demo", 0): "tests/tui/test_tui_demo.py::test_sourcing_demo_no_tui_end_to_end_then_brand",
    ("scrapyd deploy", 0): "tests/scrapyd/test_scrapyd_crawls.py (needs two real scrapyd nodes)",
}
NOT_APPLICABLE = {
    ("purge", 3): "an erasure that fails half-way cannot be provoked from outside without damaging the file",
    ("eval", 3): "one computation over the files given: it succeeds or fails as a whole (bad files exit 2)",
    ("review", 3): "an interactive app: a decision that fails is shown in the app and retried, not an exit code",
}


def test_every_command_was_run_for_each_of_its_cases(request):
    module_tests = [i for i in request.session.items if i.module is request.module and i.name != request.node.name]
    ran = {i.name for i in module_tests if not any(m.name == "skip" for m in i.iter_markers())}
    if {f.__name__ for f in (test_init_and_config_show, test_jobs_commands)} - ran or len(ran) < len(module_tests):
        pytest.skip("only meaningful when the whole module runs")
    leaves = []

    def walk(group: click.Group, prefix: str = "") -> None:
        for name, cmd in group.commands.items():
            full = f"{prefix}{name}"
            walk(cmd, full + " ") if isinstance(cmd, click.Group) else leaves.append(full)

    walk(cli)
    assert len(leaves) > 30 and "notices show" in leaves
    missing = {}
    for name in leaves:
        wanted = {ExitStatus.OK, ExitStatus.USAGE} | ({ExitStatus.PARTIAL} if name in PARTIAL else set()) \
            | ({ExitStatus.NOT_FOUND} if name in NOT_FOUND else set())
        lacking = {int(c) for c in wanted if int(c) not in SEEN.get(name, set()) and (name, int(c)) not in ELSEWHERE}
        if lacking:
            missing[name] = sorted(lacking)
    assert missing == {}, f"commands not run for these exit codes: {missing} (seen: {dict(SEEN)})"
    assert not (PARTIAL | NOT_FOUND | {n for n, _ in NOT_APPLICABLE}) - set(leaves)  # no stale names


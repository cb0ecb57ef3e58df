"""Tests that hostile files become one-line failures while good files next to them are imported.

The big files (ZIP/PDF bombs, a 1 GB text node, a 300,000-character CSV cell) are built
once per session in a temporary folder by `hostile_corpus.write_bombs`; the small ones
are committed in tests/fixtures/hostile/ (written by `hostile_corpus.write_small`).
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
from hostile_corpus import EXPECTED, FIXTURES, write_bombs
from hostile_helpers import run_cli

from sourcing.importers import import_paths
from sourcing.importers.batch import COMMIT_EVERY

CORE = Path(__file__).resolve().parents[1] / "fixtures" / "core"
GOOD = ("sample.resume.json", "people.csv", "ada.md")  # 1 + 3 + 1 candidates


@pytest.fixture(scope="session")
def bombs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    write_bombs(folder, full=False)
    return folder


@pytest.fixture
def corpus(tmp_path, bombs) -> Path:
    """Good files interleaved with every hostile one, in one folder."""
    d = tmp_path / "batch"
    d.mkdir()
    for i, name in enumerate(GOOD):
        shutil.copy(CORE / name, d / f"{i}_{name}")
    for f in list(FIXTURES.iterdir()) + list(bombs.iterdir()):
        (d / f.name).symlink_to(f)
    return d


def test_hostile_every_bad_file_is_one_line_and_every_good_file_is_imported(store, corpus):
    report = import_paths(store, [corpus])
    failed = {Path(o.where.split(":")[0] if o.where.endswith(tuple("0123456789")) else o.where).name: o.reason
              for o in report.failures}
    assert set(failed) == set(EXPECTED)
    for name, fragment in EXPECTED.items():
        assert fragment in failed[name], (name, failed[name])
        assert "\n" not in failed[name] and len(failed[name]) < 300, (name, failed[name])
    imported = [o for o in report.outcomes if o.status == "new"]
    # 5 from the good files and the escape-sequence JSON; Grace Hopper's row after the huge cell is not read
    assert len(imported) == 6
    assert len(store.list_candidates()) == 6


def test_hostile_cli_batch_reports_each_file_and_exits_partial(tmp_path, corpus):
    db = tmp_path / "cli.db"
    proc = run_cli("--db", str(db), "candidates", "import", "-q", str(corpus), cwd=tmp_path, timeout=600)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    files = len(list(corpus.iterdir()))
    assert lines[-2].startswith(f"{files} files: 6 new, 0 updated, 0 unchanged, 0 skipped, 16 failed"), lines[-2:]
    assert lines[-1].startswith("Error: 16 imports failed")
    for name in EXPECTED:
        assert sum(1 for ln in lines if name in ln) == 1, name


def test_hostile_big_csv_commits_in_groups_and_keeps_the_groups_before_a_failure(store, db_path, tmp_path):
    rows = [f"Person {i:05d},p{i}@example.org" for i in range(COMMIT_EVERY + 100)]
    boom = COMMIT_EVERY + 50
    rows[boom] = "Boom Person,boom@example.org"
    f = tmp_path / "many.csv"
    f.write_text("name,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    raw = sqlite3.connect(db_path)
    # A real SQLite failure in the middle of the file: the trigger aborts the insert of one row.
    raw.execute("CREATE TRIGGER boom BEFORE INSERT ON profile WHEN NEW.external_id = 'email:boom@example.org' "
                "BEGIN SELECT RAISE(ABORT, 'boom'); END")
    raw.commit()
    raw.close()
    report = import_paths(store, [f])
    assert report.new == COMMIT_EVERY
    (failure,) = report.failures
    assert failure.where == str(f)
    assert f"the {COMMIT_EVERY} records before {f}:{COMMIT_EVERY + 2} were kept" in failure.reason
    assert len(store.list_candidates()) == COMMIT_EVERY


def test_hostile_read_command_runs_while_an_import_holds_the_write_lock(store, db_path, tmp_path):
    import_paths(store, [CORE / "people.csv"])
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # what an import's transaction holds
    writer.execute("UPDATE candidate SET headline = headline")
    try:
        for args in (["candidates", "list"], ["jobs", "list"]):
            # The busy timeout is 30 s: a command that needed the write lock would end with
            # "database is locked" (exit 6); one that only reads finishes while we hold it.
            proc = run_cli("--db", str(db_path), *args, cwd=tmp_path, timeout=120)
            assert proc.returncode == 0, (args, proc.stderr)
        assert "Grace Hopper" in run_cli("--db", str(db_path), "candidates", "list", cwd=tmp_path).stdout
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def _never_ending_reader(swallow_first: bool):
    """A reader that never finishes by itself: it blocks until the time budget interrupts it.

    Timing-free: whatever the machine's speed, the file cannot be read within its budget.
    (This test once read a 50,000-row CSV under a 10 ms budget; in one run of four the file
    was read to the end because the one alarm landed in a finaliser, which drops exceptions:
    the bug `REFIRE_SECONDS` fixes.) With `swallow_first` the reader eats the first
    `OutOfTime`, as a finaliser would, and blocks again. The 60 s wait is
    only there so that a broken budget fails the test instead of hanging it.
    """
    from sourcing.importers.limits import OutOfTime

    caught: list[str] = []

    def read(_path, _data):
        if swallow_first:
            try:
                threading.Event().wait(60)
            except OutOfTime:
                caught.append("swallowed")
        threading.Event().wait(60)
        caught.append("finished unbounded")
        raise AssertionError("the time budget never interrupted the reader")

    return read, caught


@pytest.mark.parametrize("swallow_first", [False, True], ids=["plain", "first-signal-lost-in-a-finaliser"])
def test_hostile_a_file_over_its_time_budget_is_refused_and_the_next_one_read(tmp_path, monkeypatch, swallow_first):
    """Mutants this kills: no signal handler/timer (the reader's AssertionError surfaces instead
    of the refusal); a single, non-repeating alarm (`first-signal-lost-in-a-finaliser`: the
    second wait runs its full 60 s and the test fails); the timer or the handler left in place
    after the file (the `getitimer`/`getsignal` checks)."""
    from sourcing.errors import ImportFailed
    from sourcing.importers import parse_file, registry

    read, caught = _never_ending_reader(swallow_first)
    monkeypatch.setitem(registry.FORMATS, ".slow", read)
    hostile = tmp_path / "endless.slow"
    hostile.write_text("anything", encoding="utf-8")
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(ImportFailed) as exc:
        parse_file(hostile, seconds=0.01)
    assert exc.value.reason == "refused: reading it took more than 0.01 s (a hostile or broken file?)"
    assert caught == (["swallowed"] if swallow_first else [])
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left to hit the next file
    assert signal.getsignal(signal.SIGALRM) is before
    assert len(parse_file(CORE / "people.csv").records) == 3  # the next file reads normally

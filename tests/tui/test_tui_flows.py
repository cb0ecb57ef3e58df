"""Pilot tests of the review app: decisions, undo, filter, blind mode, export, literal markup, keys."""

from __future__ import annotations

import csv
import json

import pytest
from pilot_helpers import keys, notifications, screen_text, settle, write_config
from textual.widgets import DataTable

from sourcing import notices
from tui.messages import DecisionFailed, DecisionSaved
from tui.screens.candidate import CandidateScreen
from tui.screens.shortlist import ShortlistScreen
from tui.widgets.shortlist_table import ShortlistTable

NAMES = ["Inès Marchand", "Tomasz Kowal", "Julie Bernard", "Amélie Dubois", "[bold red]X[/]"]
EMAILS = ["ines@example.org", "tomasz@example.org", "julie@example.org", "amelie@example.org", "x@example.org"]


async def open_shortlist(app, pilot):
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ShortlistScreen)
    return app.screen


def decision_audit(store, ids):
    rows = []
    for cid in ids:
        for e in store.audit_entries(target_type="candidate", target_id=cid):
            if e["action"].startswith("decision"):
                after = e["after"] or {}
                rows.append((cid, e["action"], e["actor"], (after.get("state") or {}).get("status"),
                             (after.get("state") or {}).get("note"), (after.get("state") or {}).get("reason"),
                             after.get("score_shown")))
    return rows


@pytest.mark.postgres
async def test_open_job_decide_note_reject_undo_writes_exactly_these_rows(review_store, make_review_app):
    store, job_id, ids = review_store
    ines, tomasz = ids[0], ids[1]
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shortlist = await open_shortlist(app, pilot)
        assert "Inès Marchand" in screen_text(app)
        # shortlist → candidate → shortlist key
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CandidateScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert store.get_decisions(job_id)[ines]["status"] == "shortlisted"
        # note, from the candidate screen
        await pilot.press("n", *keys("strong Django"), "enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "strong Django" in text and "(score shown 0.842)" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is shortlist
        # reject the second row with a reason, then undo it
        await pilot.press("down", "r", *keys("no Django"), "enter")
        await settle(app, pilot)
        assert store.get_decisions(job_id)[tomasz]["reason"] == "no Django"
        table = shortlist.query_one("#shortlist", ShortlistTable)
        assert table.cursor_row == 2  # a status key moves on to the next person
        await pilot.press("up", "u")
        await settle(app, pilot)
        status_cells = [table.cell_text(i, "status") for i in range(2)]
    decisions = store.get_decisions(job_id)
    assert set(decisions) == {ines}
    assert (decisions[ines]["status"], decisions[ines]["note"]) == ("shortlisted", "strong Django")
    assert decision_audit(store, ids) == [
        (ines, "decision", "tester", "shortlisted", None, None, 0.842),
        (ines, "decision", "tester", "shortlisted", "strong Django", None, 0.842),
        (tomasz, "decision", "tester", "rejected", None, "no Django", 0.731),
        (tomasz, "decision.undo", "tester", None, None, None, None),
    ]
    assert status_cells == ["shortlisted ✎", "·"]


async def test_escape_in_reject_prompt_writes_nothing(review_store, make_review_app):
    store, job_id, _ids = review_store
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        await pilot.press("r", *keys("oops"), "escape")
        await settle(app, pilot)
    assert store.get_decisions(job_id) == {}
    assert store.audit_entries(target_type="candidate") == []


async def test_undo_with_nothing_to_undo_says_so(review_store, make_review_app):
    store, job_id, _ids = review_store
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert "Nothing to undo" in notifications(app)
    assert store.get_decisions(job_id) == {}


async def test_filter_by_status_location_and_score(review_store, make_review_app):
    store, job_id, ids = review_store
    store.set_decision(job_id, ids[0], "shortlisted", actor="someone")
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shortlist = await open_shortlist(app, pilot)
        table = shortlist.query_one("#shortlist", ShortlistTable)
        assert table.row_count == 5
        await pilot.press("slash", *keys("status:none loc:lyon"), "enter")
        await pilot.pause()
        assert [r.name for r in shortlist.view] == ["Tomasz Kowal", "Julie Bernard"]
        assert table.row_count == 2
        assert "2 of 5 shown" in screen_text(app)
        # a malformed term is reported and leaves the view as it was
        await pilot.press("slash", "ctrl+u", *keys("score>=abc"), "enter")
        await pilot.pause()
        assert "minimum score must be a number" in notifications(app)
        assert table.row_count == 2
        await pilot.press("slash", "ctrl+u", *keys("remote score>=0.6"), "enter")
        await pilot.pause()
        assert [r.name for r in shortlist.view] == ["Inès Marchand", "[bold red]X[/]"]
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert table.row_count == 5


async def test_blind_mode_hides_names_and_emails_on_every_screen(review_store, make_review_app):
    store, job_id, ids = review_store
    pseudonyms = [store.get_candidate(c)["pseudonym"] for c in ids]
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        assert "Inès Marchand" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        for name in NAMES:
            assert name not in text
        for alias in pseudonyms:
            assert alias[:14] in text  # the Name column is 16 cells wide
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert pseudonyms[0] in text
        for secret in [*NAMES, *EMAILS, "Marchand", "Inès", "https://resumes.example.org"]:
            assert secret not in text, secret
        await pilot.press("b")  # and back
        await pilot.pause()
        assert "Inès Marchand" in screen_text(app)


async def test_blind_config_starts_blind(review_store, tmp_path):
    from tui.app import make_app

    store, _job_id, _ids = review_store
    app = make_app(write_config(tmp_path, "[privacy]\nblind = true\n"), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        assert "Inès" not in screen_text(app)


async def test_rich_markup_in_scraped_text_renders_literally(review_store, make_review_app):
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        assert "[bold red]X[/]" in screen_text(app)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "[bold red]X[/]" in text
        assert "Python dev [link=https://evil.example]click[/link]" in text
        assert "I write [bold]Django[/bold] apps." in text


async def test_export_key_writes_the_rows_shown(review_store, make_review_app, tmp_path):
    app = make_review_app()
    out = tmp_path / "exports"
    out.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        await pilot.press("slash", *keys("score>=0.6"), "enter", "e")
        await pilot.pause()
        await pilot.press("enter")  # accept the proposed path
        await settle(app, pilot)
        assert "3 rows" in notifications(app)
        await pilot.press("b", "e", "ctrl+u", *keys(str(out / "blind.json")), "enter")
        await settle(app, pilot)
    with open(out / "shortlist-job1.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["Inès Marchand", "Tomasz Kowal", "'[bold red]X[/]"[1:]]
    assert rows[0]["email"] == "ines@example.org"
    blind = json.loads((out / "blind.json").read_text(encoding="utf-8"))
    assert len(blind) == 3 and all(r["email"] == "" and r["name"].startswith("C") for r in blind)
    assert "Inès" not in (out / "blind.json").read_text(encoding="utf-8")


async def test_keymap_remaps_a_decision_key(review_store, tmp_path):
    from tui.app import make_app

    store, job_id, ids = review_store
    app = make_app(write_config(tmp_path, '[tui]\nkeymap = {shortlist = "x"}\n'), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_shortlist(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert store.get_decisions(job_id) == {}
        await pilot.press("x")
        await settle(app, pilot)
        assert store.get_decisions(job_id)[ids[0]]["status"] == "shortlisted"
        await pilot.press("question_mark")
        await pilot.pause()
        shown = {b.id: key for key, b, _d, _t in app.screen.rows}
        assert shown["shortlist"] == "x"
        assert any(line.split()[:2] == ["x", "Shortlist"] for line in
                   (ln.strip("│ ") for ln in screen_text(app).splitlines()))


async def test_every_key_listed_in_help_has_an_action(review_store, make_review_app):
    from tui.screens.help import binding_rows

    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for step in ([], ["enter"], ["enter"]):  # jobs, shortlist, candidate
            await pilot.press(*step)
            await settle(app, pilot)
            rows = binding_rows(app.screen)
            assert len(rows) >= 5
            for _key, binding, _desc, _tip in rows:
                name = binding.action.split("(")[0]
                owner = app if hasattr(app, f"action_{name}") else app.screen
                assert hasattr(owner, f"action_{name}"), (type(app.screen).__name__, binding.action)
            await pilot.press("question_mark")
            await pilot.pause()
            assert "Keys on this screen" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()


async def test_crawls_screen_lists_runs_and_their_errors(review_store, make_review_app):
    store, _job_id, _ids = review_store
    run = store.start_crawl_run("greenhouse", "greenhouse:brightwave", {"board": "brightwave"})
    store.finish_crawl_run(run, status="partial", new=4, errors=1,
                           error_details=[{"url": "http://127.0.0.1/v1/boards/x", "reason": "malformed JSON [bold]"}])
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        text = screen_text(app)
        assert "greenhouse:brightwave" in text and "partial" in text
        assert "malformed JSON [bold]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Open jobs" in screen_text(app)


@pytest.mark.postgres
async def test_jobs_screen_counts_follow_decisions(review_store, make_review_app):
    store, job_id, ids = review_store
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)[4:8]] == ["5", "5", "0", "0"]
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("s", "s")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        # reviewed: nothing new any more; two shortlisted
        assert [str(c) for c in table.get_row_at(0)[4:8]] == ["5", "0", "0", "2"]


async def test_a_large_pool_pages_in_and_stays_a_handful_of_widgets(store, review_config):
    from review_data import populate_many

    from tui.app import make_app
    from tui.messages import ShortlistLoaded

    job_id, ids = populate_many(store, 1000)
    loads = {}
    app = make_app(review_config, store, job_id=job_id)

    def hook(message):  # the hook may see one message more than once (post and dispatch)
        if isinstance(message, ShortlistLoaded):
            loads[id(message)] = (len(message.rows), message.total, message.complete, message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ShortlistScreen)
        assert [v[:3] for v in loads.values()] == [(200, 1000, False), (1000, 1000, True)]  # first page painted, then the rest
        table = screen.query_one("#shortlist", ShortlistTable)
        assert table.row_count == 1000
        assert len(screen.query("*")) < 50  # rows are painted lines, not widgets
        await pilot.press("end", "s")
        await settle(app, pilot)
        assert table.cursor_row == 999
        assert table.cell_text(999, "status") == "shortlisted"
        await pilot.press("home", "pagedown")
        assert table.cursor_row > 20
    assert store.get_decisions(job_id)[ids[-1]]["status"] == "shortlisted"


async def test_blind_mode_masks_a_name_inside_a_headline(store, review_config):
    from review_data import PEOPLE, populate

    from tui.app import make_app

    extra = {**PEOPLE[0], "name": "Zed Quux", "email": "zed@example.org", "score": 0.99,
             "headline": "Zed Quux — Python developer, zed@example.org"}
    job_id, _ids = populate(store, [*PEOPLE, extra])
    app = make_app(review_config, store, job_id=job_id, blind=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "[name] — Python dev" in text  # the Headline column is 20 cells wide
        assert "Zed" not in text and "Quux" not in text and "zed@" not in text


@pytest.mark.postgres
async def test_an_acknowledged_decision_is_already_committed(review_store, make_review_app, tmp_path):
    """When the screen shows a decision, another connection to the file already sees it."""
    from sourcing.storage import Store
    from tui.messages import DecisionSaved

    store, job_id, ids = review_store
    seen_by_other_connection = {}

    def hook(message):
        if isinstance(message, DecisionSaved) and not seen_by_other_connection:
            other = Store.open(store.url)
            try:
                seen_by_other_connection.update(other.get_decisions(job_id))
            finally:
                other.close()

    # Contacting needs the GDPR notice: `c` asks for its channel and records both in one commit.
    config = write_config(tmp_path, '[privacy]\ncontroller = "Brightwave Labs, Paris, privacy@brightwave.example"\n')
    app = make_review_app(config)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter")  # the notice goes by e-mail with this contact
        await settle(app, pilot)
    assert seen_by_other_connection[ids[0]]["status"] == "contacted"
    assert notices.status_of(store, ids[0]).state == "sent"


async def test_a_decision_key_moves_on_at_once_and_paints_the_step_with_the_commit(review_store, make_review_app):
    store, job_id, ids = review_store
    app = make_review_app(job_id=job_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#shortlist", ShortlistTable)
        await pilot.press("s")
        assert table.cursor_row == 1  # the next key already acts on the next person
        await settle(app, pilot)
        assert not table.cursor_paint_pending
        assert table.cell_text(0, "status") == "shortlisted"
        assert store.get_decisions(job_id)[ids[0]]["status"] == "shortlisted"
        # The step waits for the commit, whose handler paints it (not only the fallback timer).
        table.move_cursor(1, paint_later=True)
        assert table.cursor_row == 2 and table.cursor_paint_pending
        # The commit this message reports is a real one: the state painted is the store's.
        store.set_decision(job_id, ids[1], "maybe", actor="tester")
        stored = store.get_decisions(job_id)[ids[1]]
        app.on_decision_saved(DecisionSaved(job_id, ids[1], "maybe", stored))
        assert not table.cursor_paint_pending and table.cell_text(1, "status") == stored["status"] == "maybe"


async def test_a_failed_decision_is_reported_and_the_cursor_still_moves(review_store, make_review_app):
    store, job_id, ids = review_store
    app = make_review_app(job_id=job_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#shortlist", ShortlistTable)
        store.forget_candidate(ids[0], actor="dpo")  # erased while the recruiter looks at the row
        await pilot.press("m")
        await settle(app, pilot)
        assert "Decision NOT saved (maybe)" in notifications(app)
        assert table.cursor_row == 1 and not table.cursor_paint_pending
        assert table.cell_text(0, "status") == "·"  # never shown as saved
        # A failure paints the step at once (no status change is coming).
        table.move_cursor(1, paint_later=True)
        app.on_decision_failed(DecisionFailed(job_id, ids[1], "maybe", "StoreError: disk full"))
        assert not table.cursor_paint_pending
    assert ids[0] not in store.get_decisions(job_id)


@pytest.mark.postgres
async def test_a_writer_that_dies_is_reported_and_replaced_without_losing_the_queued_decision(review_store, make_review_app):
    from tui.decisions import DecisionQueue

    store, job_id, ids = review_store

    class CrashingOnce(DecisionQueue):
        """A writer with a bug on its first wake-up (the request stays queued)."""

        crashed = False

        def drain(self, post):
            if not self.crashed and self.pending:
                CrashingOnce.crashed = True
                raise RuntimeError("writer bug")
            return super().drain(post)

    app = make_review_app(job_id=job_id)
    app.decisions = CrashingOnce(store, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)  # does not hang: the dead writer is reported
        assert "decision writer stopped" in notifications(app) and "1 decision(s) NOT confirmed saved" in notifications(app)
        await pilot.press("m")  # a new writer starts and writes both, in order
        await settle(app, pilot)
    decisions = store.get_decisions(job_id)
    assert (decisions[ids[0]]["status"], decisions[ids[1]]["status"]) == ("shortlisted", "maybe")

"""Pilot tests of the remaining keys: sort, open source link, blind link guard; the review command."""

from __future__ import annotations

from click.testing import CliRunner
from pilot_helpers import notifications, settle

from tui.screens.shortlist import ShortlistScreen


async def test_sort_key_cycles_orders(review_store, make_review_app):
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ShortlistScreen)
        assert [r.rank for r in screen.view] == [1, 2, 3, 4, 5]
        await pilot.press("t")
        assert screen.sort_key == "name"
        assert [r.name for r in screen.view] == ["[bold red]X[/]", "Amélie Dubois", "Inès Marchand", "Julie Bernard", "Tomasz Kowal"]
        await pilot.press("t", "t", "t")
        assert screen.sort_key == "rank" and [r.rank for r in screen.view] == [1, 2, 3, 4, 5]


async def test_open_source_shows_and_copies_the_link_without_a_browser(review_store, make_review_app, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_review_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("down", "o")  # from the shortlist row
        await settle(app, pilot)
        assert "https://resumes.example.org/person-1.json" in notifications(app)
        assert app.clipboard == "https://resumes.example.org/person-1.json"
        await pilot.press("enter")  # and from the candidate screen
        await settle(app, pilot)
        await pilot.press("b", "o")
        await settle(app, pilot)
        assert "hidden in blind mode" in notifications(app)
        assert app.clipboard == "https://resumes.example.org/person-1.json"  # nothing new copied


def test_review_command_refuses_an_unknown_job_before_starting_the_ui(tmp_path):
    from sourcing.cli import cli
    from sourcing.errors import NotFoundError

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "review", "42"])
    assert isinstance(result.exception, NotFoundError)
    assert "no job with id 42" in result.exception.msg
    assert int(result.exception.exit_status) == 4


def test_review_and_demo_commands_have_help_with_examples():
    from sourcing.cli import cli

    for name in ("review", "demo"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


async def test_rerank_key_ranks_again_in_a_worker_and_keeps_decisions(review_store, make_review_app):
    from ranking.encoders import FakeEncoder

    store, job_id, ids = review_store
    store.set_decision(job_id, ids[3], "shortlisted", actor="someone")
    assert {r["model"] for r in store.get_ranking(job_id)} == {"fake"}
    app = make_review_app(ranker=FakeEncoder())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        assert "5 candidates ranked" in notifications(app)
        screen = app.screen
        assert len(screen.rows) == 5 and screen.by_id[ids[3]].status == "shortlisted"
        assert screen.rows[0].explanation.get("model") == "fake-64"
    assert {r["model"] for r in store.get_ranking(job_id)} == {"fake-64"}
    assert store.get_decisions(job_id)[ids[3]]["status"] == "shortlisted"


async def test_opened_on_a_job_escape_goes_to_the_jobs_screen(review_store, make_review_app):
    from tui.screens.jobs import JobsScreen

    _store, job_id, _ids = review_store
    app = make_review_app(job_id=job_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ShortlistScreen)
        assert not any(isinstance(s, JobsScreen) for s in app.screen_stack)  # built only when needed
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, JobsScreen)
        assert app.screen.jobs and app.screen.jobs[0]["id"] == job_id
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ShortlistScreen)


async def test_a_job_without_ranking_says_how_to_rank_it(review_store, make_review_app):
    from pilot_helpers import screen_text

    store, _job_id, _ids = review_store
    new_job = store.add_job("Product Designer", "Figma and user research.", company="Brightwave Labs")
    app = make_review_app(job_id=new_job)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "No ranked candidates for this job yet: press R to rank it" in screen_text(app)
        await pilot.press("s", "enter", "e")  # nothing to act on: no error, nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, ShortlistScreen)
        assert "Nothing to export" in notifications(app)
    assert store.get_decisions(new_job) == {}

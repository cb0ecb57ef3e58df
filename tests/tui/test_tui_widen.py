"""The review app on a ranking that holds the best K of a larger pool: it says so, W widens it."""

from __future__ import annotations

from pilot_helpers import settle, write_config

from tui.screens.shortlist import ShortlistScreen


def _status(app) -> str:
    return str(app.screen.query_one("#shortlist-status").render())


async def test_best_k_of_n_is_shown_and_w_widens_it(review_store, make_review_app, tmp_path):
    from ranking.encoders import FakeEncoder
    from ranking.service import rank_job

    store, job_id, ids = review_store
    enc = FakeEncoder()
    rank_job(store, job_id, encoder=enc, retrieve=2)
    assert len(store.get_ranking(job_id)) == 2
    app = make_review_app(config=write_config(tmp_path, "[ranking]\nretrieve = 2\n"), ranker=enc, job_id=job_id)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ShortlistScreen)
        assert "best 2 of 5 — press W to widen" in _status(app)
        await pilot.press("W")
        await settle(app, pilot)
        assert len(app.screen.rows) == 4
        assert "best 4 of 5 — press W to widen" in _status(app)
        await pilot.press("W")
        await settle(app, pilot)
        assert len(app.screen.rows) == 5 and "press W" not in _status(app)
    assert len(store.get_ranking(job_id)) == 5

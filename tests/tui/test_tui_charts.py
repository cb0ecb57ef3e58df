"""Tests the shortlist's score distribution (histogram + cut-off) and the re-rank progress bar."""

from __future__ import annotations

import pytest
from pilot_helpers import notifications, screen_text, settle
from textual.widgets import ProgressBar

from tui.widgets.score_chart import cutoff_score, histogram_text


def test_histogram_bins_scores_and_marks_the_cutoff():
    scores = [0.95, 0.91, 0.9, 0.52, 0.5, 0.49, 0.1]
    assert cutoff_score(scores, 3) == 0.9 and cutoff_score(scores, 50) == 0.1 and cutoff_score([], 3) is None
    bars, axis = histogram_text(scores, 3, bins=10).plain.split("\n")
    assert bars == "scores  ▃  ▃▅   █  7 ranked"  # bins 1, 4 (0.49), 5 (0.5, 0.52), 9 (0.9–0.95)
    assert axis.strip().startswith("0") and axis.endswith("▲ top 3 ≥ 0.90") and axis.index("▲") == 7 + 9
    text = histogram_text(scores, 3, bins=10)
    styles = {text.plain[s.start:s.end]: str(s.style) for s in text.spans if s.end - s.start == 1}
    assert styles["█"] == "bold green" and styles["▅"] == "dim"  # shortlisted bins bright, the rest dim
    assert histogram_text([], 30).plain.split("\n")[1].strip() == "0" + " " * 38 + "1"


async def test_shortlist_shows_the_pool_distribution(review_store, make_review_app):
    _store, job_id, _ids = review_store
    app = make_review_app(job_id=job_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "5 ranked" in text and "▲ top 5 ≥ " in text  # ranking.top (30) > pool: every candidate is in


async def test_rerank_shows_a_progress_bar_of_texts_embedded_then_hides_it(review_store, make_review_app):
    from ranking.encoders import FakeEncoder

    _store, job_id, _ids = review_store
    app = make_review_app(job_id=job_id, ranker=FakeEncoder())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one("#rank-progress", ProgressBar)
        assert bar.display is False and bar.total is None
        await pilot.press("R")  # shows the bar; a fast fake ranking may already be done when press returns
        await settle(app, pilot)
        assert "5 candidates ranked" in notifications(app)
        assert bar.display is False
        assert bar.total is not None and bar.total > 0 and bar.progress == bar.total  # fed by rank_job's progress


async def test_learned_fusion_scores_show_as_0_to_1_with_bars_and_filter_by_that_scale(review_store, make_review_app):
    """R ranks with the packaged learned fusion: the list, the chart and `score>=` all use its 0-1 display score."""
    from pilot_helpers import keys

    from ranking.encoders import FakeEncoder
    from tui.widgets.score_bar import score_cell

    store, job_id, _ids = review_store
    app = make_review_app(job_id=job_id, ranker=FakeEncoder())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        screen = app.screen
        saved = store.get_ranking(job_id)
        assert {r["explanation"].get("fusion") for r in saved} == {"learned"}
        scores = [r.score for r in screen.rows]
        assert all(0.0 < s < 1.0 for s in scores) and scores == sorted(scores, reverse=True)
        # Fusion scores are unbounded (some are negative); the shown score is their 0-1 form.
        assert any(r["explanation"]["fusion_score"] != pytest.approx(r["score"], abs=1e-3) for r in saved)
        text = screen_text(app)
        for s in scores:
            cell = score_cell(s, 5).plain
            assert cell.strip() in text and len(cell) == 11  # fits the 11-cell Score column: no "…"
        assert f"▲ top {len(scores)} ≥ {min(scores):.2f}" in text
        cut = sorted(scores)[len(scores) // 2]
        await pilot.press("slash", *keys(f"score>={cut}"), "enter")
        await settle(app, pilot)
        assert [r.score for r in screen.view] == [s for s in scores if s >= cut]
        await pilot.press("enter")  # the candidate screen names the fusion score the components add up to
        await settle(app, pilot)
        assert "fusion score" in screen_text(app)

"""Tests the shortlist's score distribution (histogram + cut-off) and the re-rank progress bar."""

from __future__ import annotations

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

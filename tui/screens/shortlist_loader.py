"""Provides `ShortlistLoading`: the shortlist screen's loading and re-ranking workers.

The rows are read in a worker thread (the first page at once, the rest right behind it)
and posted as `ShortlistLoaded`; R and W rank the job again in a worker (R learning from
the decisions taken so far) and reload the list when it is done. A mixin of
`tui.screens.shortlist.ShortlistScreen`, kept apart so the screen module stays about the
table and the keys.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import work
from textual.widgets import ProgressBar, Static

from tui.messages import LoadFailed, RankingFinished, ShortlistLoaded
from tui.oversight import attach_notices, clock_or_now
from tui.rows import ShortlistRow, build_rows

FIRST_PAGE = 200  # rows painted before the rest of a large pool has loaded


class ShortlistLoading:
    """Loading and re-ranking of `ShortlistScreen` (expects its `job_id`, `scope`, `retrieve`, `_first_painted`, `loaded`)."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="shortlist")
    def load_shortlist(self) -> None:
        from sourcing.storage import rank_index
        from sourcing.storage.review import shortlist_page
        from sourcing.textsafe import terminal_tree

        store = self.app.store
        try:
            job = terminal_tree(store.get_job(self.job_id))  # control codes escaped
            self.scope = rank_index.get_scope(store, self.job_id)
            first, total = shortlist_page(store, self.job_id, limit=FIRST_PAGE)
            self.post_message(ShortlistLoaded(job, self._rows(first), total, len(first) >= total))
            # Let the first page reach the screen before reading the rest or writing the
            # "reviewed" mark: this thread would otherwise hold the GIL while the UI paints.
            self._first_painted.wait(timeout=2.0)
            if len(first) < total:
                every, total = shortlist_page(store, self.job_id, limit=None)  # one consistent read of the pool
                self.post_message(ShortlistLoaded(job, self._rows(every), total, True))
            store.mark_job_reviewed(self.job_id)
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(LoadFailed(f"job {self.job_id}", f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"))

    def _rows(self, items: list[dict[str, Any]]) -> list[ShortlistRow]:
        rows = build_rows(items)
        attach_notices(self.app.store, rows, clock_or_now(self.app.clock))  # worker thread: reads the store
        return rows

    def action_rerank(self) -> None:
        """R: rank this job again, learning from the decisions taken on it."""
        self.query_one("#shortlist-status", Static).update("Ranking… (the first time loads the model)")
        bar = self.query_one("#rank-progress", ProgressBar)
        bar.update(total=None, progress=0)  # pulses until the texts to embed are counted
        bar.display = True
        self.rerank()

    def action_widen(self) -> None:
        """W: the ranking holds the best K of the pool; re-rank keeping 2K."""
        scope = self.scope
        if not scope or scope["pool"] <= scope["saved"]:
            self.notify("The ranking already holds the whole pool.", title="Widen")
            return
        self.retrieve = min(scope["pool"], max(scope["saved"], 1) * 2)
        self.query_one("#shortlist-status", Static).update(f"Ranking the best {self.retrieve:,} of {scope['pool']:,}…")
        self.rerank()

    @work(thread=True, exclusive=True, exit_on_error=False, group="rank")
    def rerank(self) -> None:
        import time

        from ranking.service import rank_job

        started = time.perf_counter()
        bar = self.query_one("#rank-progress", ProgressBar)
        try:
            # R learns from the decisions taken so far (`ranking.feedback`; off with [ranking] feedback = false).
            results = rank_job(self.app.store, self.job_id, config=self.app.config, encoder=self.app.ranker,
                               retrieve=self.retrieve, feedback=True,
                               progress=lambda done, total: self.app.call_from_thread(bar.update, total=total, progress=done))
        except Exception as exc:  # shown to the user, never swallowed
            self.app.call_from_thread(setattr, bar, "display", False)
            self.post_message(LoadFailed(f"a ranking of job {self.job_id}", f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"))
            return
        self.post_message(RankingFinished(self.job_id, len(results), time.perf_counter() - started))

    def on_ranking_finished(self, message: RankingFinished) -> None:
        self.query_one("#rank-progress", ProgressBar).display = False
        self.notify(f"{message.count:,} candidates ranked in {message.seconds:.1f} s", title="Re-ranked")
        self.loaded = False
        self._first_painted = threading.Event()
        self.load_shortlist()


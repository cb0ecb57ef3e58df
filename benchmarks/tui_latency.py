"""Benchmark: review-app latency on a 10,000-candidate shortlist vs a 100-candidate one, same run.

Measures, with Textual's Pilot on a real SQLite file (headless, 120x40):
  1. start → shortlist painted: from creating the app (opened on the job) to the first
     repaint after the rows arrived (target < 0.5 s at 10,000); and to every row loaded;
  2. key press → decision stored → row updated: from the app receiving `s`/`m` to the
     repaint after the store committed it (target < 50 ms median), measured inside the
     app (message hook); the Pilot round trip (press → idle) is shown too;
  3. filter applied: typing a filter and Enter until the table is rebuilt;
  4. (10,000 only) key → shown for `s` pressed as soon as the first page is painted, while
     the rest of the pool is still loading.
The 100-candidate numbers are the baseline: the costs should not grow with the pool.
Each app run starts from a collected heap (`gc.collect()` before it, outside the timing),
as a fresh `sourcing review` process does: otherwise the previous run's 10,000 rows and
widgets are garbage-collected in the middle of the next one.

Run: .venv/bin/python benchmarks/tui_latency.py [--repeat 5] [--presses 30]
     .venv/bin/python benchmarks/tui_latency.py --store /path/pool-1000000.db --job 1   # (1), (2) on a kept store
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "tui"))  # the fixed review data the TUI tests use

from review_data import populate_many  # noqa: E402

from sourcing.config import load_config  # noqa: E402
from sourcing.storage import Store  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.screens.shortlist import ShortlistScreen  # noqa: E402


class Stamps:
    """Times at which messages reached the app, and of the repaint that followed them."""

    def __init__(self) -> None:
        self.app = None
        self.times: dict[str, list[float]] = {}
        self.seen: dict[int, object] = {}

    def mark(self, name: str) -> None:
        self.times.setdefault(name, []).append(time.perf_counter())

    def hook(self, message) -> None:
        if id(message) in self.seen:  # the hook sees a message once per node it passes through
            return
        self.seen[id(message)] = message  # kept alive so its id is not reused
        name = type(message).__name__
        if name == "Key" and getattr(message, "key", "") in ("s", "m"):
            self.mark("key")
        elif name in ("ShortlistLoaded", "DecisionSaved"):
            self.mark(name)
            # Runs after the handler and the refresh it triggers: the moment it is on screen.
            self.app.call_after_refresh(self.mark, name + ".painted")


async def wait_loaded(app, pilot, complete: bool = True) -> None:
    while not (isinstance(app.screen, ShortlistScreen) and app.screen.loaded and (app.screen.complete or not complete)):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def start_to_painted(config, store, job_id: int, n: int) -> tuple[float, float]:
    """Seconds from building the app to the first page painted, and to every row loaded and painted."""
    stamps = Stamps()
    gc.collect()
    started = time.perf_counter()
    app = stamps.app = make_app(config, store, job_id=job_id)
    async with app.run_test(size=(120, 40), message_hook=stamps.hook) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        table = app.screen.query_one("#shortlist")
        assert table.row_count == n, (table.row_count, n)
        assert len(app.screen.query("*")) < 50  # virtualised: a handful of widgets, not one per row
        painted = stamps.times["ShortlistLoaded.painted"]
    return painted[0] - started, painted[-1] - started


async def decision_latencies(config, store, job_id: int, presses: int):
    """Per decision key: seconds to shown (in app), to committed, and Pilot's round trip; one filter's seconds."""
    stamps = Stamps()
    gc.collect()
    app = stamps.app = make_app(config, store, job_id=job_id)
    roundtrip = []
    set_decision = store.set_decision

    def timed_set_decision(*args, **kwargs):  # stamps the moment SQLite has committed
        result = set_decision(*args, **kwargs)
        stamps.mark("committed")
        return result

    store.set_decision = timed_set_decision
    async with app.run_test(size=(120, 40), message_hook=stamps.hook) as pilot:
        await wait_loaded(app, pilot)
        screen = app.screen
        table = screen.query_one("#shortlist")
        for i in range(presses):
            key, status = ("s", "shortlisted") if i % 2 == 0 else ("m", "maybe")
            if i:
                await pilot.press("up")  # stay on one person: s, m, s, m …
            row = screen.current_row()
            started = time.perf_counter()
            await pilot.press(key)
            while row.status != status or len(stamps.times.get("DecisionSaved.painted", [])) <= i:
                await app.wait_for_decisions()
                await pilot.pause()
            roundtrip.append(time.perf_counter() - started)
            assert table.cell_text(screen.view.index(row), "status").startswith(status)
        in_app = [p - k for k, p in zip(stamps.times["key"], stamps.times["DecisionSaved.painted"])]
        committed = [c - k for k, c in zip(stamps.times["key"], stamps.times["committed"])]
        # filter: rebuild the view in the app (typing is Pilot's cost, not the app's)
        started = time.perf_counter()
        screen.filter_text = "remote score>=0.3"
        screen.refresh_table()
        app.call_after_refresh(stamps.mark, "filtered")
        await pilot.pause()
        while "filtered" not in stamps.times:
            await pilot.pause()
        filtered = stamps.times["filtered"][0] - started
    del store.set_decision  # back to the class method
    return in_app, committed, roundtrip, filtered


async def decision_while_loading(config, store, job_id: int) -> float | None:
    """Seconds from `s` on the first row, pressed as soon as the first page is painted, to that row shown decided.

    None when the whole pool was loaded by then (small pools): nothing was loading.
    """
    stamps = Stamps()
    gc.collect()
    app = stamps.app = make_app(config, store, job_id=job_id)
    async with app.run_test(size=(120, 40), message_hook=stamps.hook) as pilot:
        while not stamps.times.get("ShortlistLoaded.painted"):
            await asyncio.sleep(0.001)  # polls without waiting for the loader (Pilot would wait for idle)
        loading = not app.screen.complete
        await pilot.press("s")
        while not stamps.times.get("DecisionSaved.painted"):
            await asyncio.sleep(0.001)
        await app.wait_for_decisions()
        await wait_loaded(app, pilot)
        store.undo_decision(job_id, app.screen.rows[0].candidate_id, actor="bench")  # leave the pool undecided
    return stamps.times["DecisionSaved.painted"][0] - stamps.times["key"][0] if loading else None


async def bare_textual_start() -> float:
    """Seconds for a one-widget Textual app to paint under the same harness: the floor for (1)."""
    from textual.app import App
    from textual.widgets import Static

    painted: list[float] = []

    class Bare(App[None]):
        def compose(self):
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    gc.collect()
    started = time.perf_counter()
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        while not painted:
            await pilot.pause()
    return painted[0] - started


def measure(n: int, repeat: int, presses: int, workdir: Path) -> dict[str, float]:
    db = workdir / f"bench-{n}.db"
    cfg_path = workdir / "config.toml"
    cfg_path.write_text('actor = "bench"\n', encoding="utf-8")
    store = Store.open(str(db))
    try:
        t0 = time.perf_counter()
        job_id, _ids = populate_many(store, n)
        setup = time.perf_counter() - t0
        config = load_config(cfg_path, db=str(db))
        starts = [asyncio.run(start_to_painted(config, store, job_id, n)) for _ in range(repeat)]
        early = [asyncio.run(decision_while_loading(config, store, job_id)) for _ in range(repeat)]
        early_decisions = len(early)
        in_app, committed, roundtrip, filtered = asyncio.run(decision_latencies(config, store, job_id, presses))
        audit = [e for e in store.audit_entries(target_type="candidate") if e["action"] == "decision"]
        assert len(audit) == presses + early_decisions, (len(audit), presses)  # every press reached the database
    finally:
        store.close()
    return {"n": n, "setup_s": setup,
            "first_paint_ms": statistics.median(s[0] for s in starts) * 1000,
            "all_rows_ms": statistics.median(s[1] for s in starts) * 1000,
            "decide_median_ms": statistics.median(in_app) * 1000,
            "decide_p90_ms": sorted(in_app)[max(0, int(0.9 * len(in_app)) - 1)] * 1000,
            "committed_median_ms": statistics.median(committed) * 1000,
            "roundtrip_median_ms": statistics.median(roundtrip) * 1000, "filter_ms": filtered * 1000,
            "decide_while_loading_ms": statistics.median(early) * 1000 if None not in early else None}


def measure_store(db: Path, job_id: int, repeat: int, presses: int, workdir: Path) -> dict[str, float]:
    """(1) and (2) on an existing store (e.g. a 1M-candidate one from benchmarks/ranking_scale.py --keep)."""
    cfg_path = workdir / "config.toml"
    cfg_path.write_text('actor = "bench"\n', encoding="utf-8")
    store = Store.open(str(db))
    try:
        n = len(store.get_ranking(job_id))
        config = load_config(cfg_path, db=str(db))
        starts = [asyncio.run(start_to_painted(config, store, job_id, n)) for _ in range(repeat)]
        in_app, committed, roundtrip, _ = asyncio.run(decision_latencies(config, store, job_id, presses))
        pool = store.count_candidates()
    finally:
        store.close()
    return {"n": n, "pool": pool, "first_paint_ms": statistics.median(s[0] for s in starts) * 1000,
            "all_rows_ms": statistics.median(s[1] for s in starts) * 1000,
            "decide_median_ms": statistics.median(in_app) * 1000,
            "decide_p90_ms": sorted(in_app)[max(0, int(0.9 * len(in_app)) - 1)] * 1000,
            "committed_median_ms": statistics.median(committed) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="app starts measured per size")
    parser.add_argument("--presses", type=int, default=30, help="decision key presses measured per size")
    parser.add_argument("--store", type=Path, help="measure (1) and (2) on this existing store instead (its saved ranking)")
    parser.add_argument("--job", type=int, default=1, help="with --store: the job whose saved ranking is reviewed")
    args = parser.parse_args()
    if args.store:
        with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
            floor = statistics.median(asyncio.run(bare_textual_start()) for _ in range(args.repeat)) * 1000
            r = measure_store(args.store, args.job, args.repeat, args.presses, Path(tmp))
        print(f"{args.store.name}: pool {r['pool']:,}, ranking rows {r['n']:,}: start→first paint {r['first_paint_ms']:.0f} ms, "
              f"→ all rows {r['all_rows_ms']:.0f} ms; key→committed {r['committed_median_ms']:.1f} ms; "
              f"key→stored→shown {r['decide_median_ms']:.1f} ms median / {r['decide_p90_ms']:.1f} ms p90; "
              f"bare Textual app {floor:.0f} ms; load average {os.getloadavg()[0]:.1f}")
        return
    floor = statistics.median(asyncio.run(bare_textual_start()) for _ in range(args.repeat)) * 1000
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        results = [measure(n, args.repeat, args.presses, Path(tmp)) for n in (100, 10_000)]
    small, big = results
    print(f"{'candidates':>10} | {'start→first paint':>17} | {'→ all rows':>10} | "
          f"{'key→committed':>13} | {'key→stored→shown med/p90':>25} | {'Pilot round trip':>16} | {'filter':>7}")
    for r in results:
        print(f"{r['n']:>10,} | {r['first_paint_ms']:>14.0f} ms | {r['all_rows_ms']:>7.0f} ms | "
              f"{r['committed_median_ms']:>10.1f} ms | "
              f"{r['decide_median_ms']:>10.1f} ms / {r['decide_p90_ms']:>6.1f} ms | {r['roundtrip_median_ms']:>13.1f} ms | "
              f"{r['filter_ms']:>4.0f} ms")
    if big["decide_while_loading_ms"] is not None:
        print(f"10,000: key→stored→shown for a decision made while the rest of the pool is still loading: "
              f"{big['decide_while_loading_ms']:.1f} ms (median of {args.repeat})")
    print(f"floor: a one-widget Textual app paints in {floor:.0f} ms on this machine right now "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"ratio 10,000 / 100: first paint ×{big['first_paint_ms'] / small['first_paint_ms']:.2f}, "
          f"decision ×{big['decide_median_ms'] / small['decide_median_ms']:.2f}")
    print(f"targets at 10,000: start < 500 ms {'OK' if big['first_paint_ms'] < 500 else 'MISSED'}; "
          f"decision < 50 ms median {'OK' if big['decide_median_ms'] < 50 else 'MISSED'}")


if __name__ == "__main__":
    main()

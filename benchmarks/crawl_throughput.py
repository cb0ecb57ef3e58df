"""Provides the crawl throughput benchmark: the store pipeline's cost, and memory against crawl size.

A local HTTP server on 127.0.0.1 serves N Lever-shaped postings (~2 KB of text
each, 100 per page). The real `python -m scrapy crawl lever` child crawls them
with the store pipeline disabled (`SOURCING_PIPELINE_ENABLED=False`: items are
only counted; the baseline), with it writing inline (SQLite upserts in the
crawl process) and with the writer process (the default), in the same run, in
rotated order, median (and best) of `--repeat`; each repeat runs the three back to back, so the
median of the per-repeat ratios (paired) is given too: on a shared machine whose load drifts
between repeats it is the steadier estimate. Reported: items/s (time inside the crawl,
from the child's own clock, after the store is open and the writer started,
including waiting for the writer's last commit; the one-off opening is printed
apart), the ratio to the baseline (target: the pipeline costs <= 15 %), the
same per CPU-second of both processes (steady on a shared, loaded machine,
where wall-clock rates swing), the CPU per item in the crawl and writer
processes, and the peak RSS of both at N=1,000 vs N=5,000 (target: flat in N).

    .venv/bin/python benchmarks/crawl_throughput.py [--n 5000] [--small 1000] [--repeat 5]
        [--store postgresql+psycopg://user@127.0.0.1:5432/db]

With `--store URL` (PostgreSQL) every crawl writes a fresh schema of that database
instead of a fresh SQLite file (`make test-postgres`'s throwaway cluster will do:
`.ci/pg-cluster start DIR`, then the URL in DIR/env).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pg_schema import drop_schemas, fresh_schema_url  # noqa: E402 - benchmarks/, the script's own directory
from sourcing.crawler import CrawlOutcome, run_crawl  # noqa: E402
from sourcing.storage import Store  # noqa: E402

PAGE = 100
WORDS = ("python data pipeline service latency customers reliability kubernetes observability design review "
         "ownership mentoring product roadmap testing incident postgres api security performance").split()


def posting(i: int) -> dict:
    """One Lever-shaped posting; the text varies with i so every payload hash differs."""
    body = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(300))
    return {
        "id": f"bench-{i:06d}", "text": f"Engineer {i}", "hostedUrl": f"https://jobs.lever.co/bench/bench-{i:06d}",
        "categories": {"location": ["Paris", "Lyon", "Berlin", "Remote"][i % 4], "commitment": "Full-time", "team": "Eng"},
        "descriptionPlain": body, "lists": [{"text": "Requirements", "content": "<li>Python</li><li>SQL</li>"}],
        "additionalPlain": "Benefits and more.", "workplaceType": "remote" if i % 4 == 3 else "hybrid", "createdAt": 1711403416463 + i,
    }


class Board:
    """Pre-rendered pages (so the server's own work stays out of the measurement)."""

    def __init__(self, n: int) -> None:
        self.pages = {skip: json.dumps([posting(i) for i in range(skip, min(n, skip + PAGE))]).encode()
                      for skip in range(0, n + PAGE, PAGE)}


def serve(boards: dict[str, Board], latency: float = 0.0) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if latency:
                threading.Event().wait(latency)  # a real API's response time, per page
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                site = self.path.split("/v0/postings/", 1)[-1].split("?", 1)[0]
                skip = int(self.path.split("skip=", 1)[1].split("&", 1)[0]) if "skip=" in self.path else 0
                body, ctype = boards[site].pages.get(skip, b"[]"), "application/json"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


CONFIGS = {  # label -> extra settings; "off" is the baseline
    "off": {"SOURCING_PIPELINE_ENABLED": "False"},
    "inline": {"SOURCING_PIPELINE_ENABLED": "True", "SOURCING_WRITER": "inline"},
    "process": {"SOURCING_PIPELINE_ENABLED": "True", "SOURCING_WRITER": "process"},
}


STORE: str | None = None  # --store: a PostgreSQL URL; None: SQLite files


def fresh_store(workdir: Path, label: str) -> str:
    """An empty, migrated store for one crawl: a new SQLite file, or a new schema of the --store database."""
    if STORE is None:
        db = workdir / f"{label}.db"
        db.unlink(missing_ok=True)
        url = str(db)
    else:
        url = fresh_schema_url(STORE, label)
    # An existing store, as in every crawl but the first: creating the schema (Alembic, ~0.5 s)
    # is a one-off cost that would otherwise be charged to the pipeline.
    Store.open(url).close()
    return url


def drop_stores() -> None:
    """Remove the benchmark's schemas from the --store database."""
    if STORE is not None:
        drop_schemas(STORE)


def crawl(url: str, site: str, workdir: Path, label: str, config: str) -> CrawlOutcome:
    db = fresh_store(workdir, label)
    settings = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING", **CONFIGS[config]}
    out = run_crawl({"kind": "lever", "site": site, "base_url": url}, db_url=db, jobdir_root=str(workdir / "jobs"),
                    extra_settings=settings, timeout=1800)
    if out.status != "ok":
        raise SystemExit(f"benchmark crawl {label} failed: {out.error_summary}")
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--latency", type=float, default=0.05, help="server latency per page for the realistic comparison (s)")
    ap.add_argument("--store", default=None, help="a PostgreSQL URL: crawls write fresh schemas of it instead of SQLite files")
    args = ap.parse_args()
    global STORE
    STORE = args.store
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    order = list(CONFIGS)
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        work = Path(tmp)
        cfg = work / "config.toml"
        cfg.write_text('[crawl]\ncontact = "bench@example.org"\n', encoding="utf-8")
        os.environ["SOURCING_CONFIG"] = str(cfg)
        boards_big = Board(args.n)
        server, url = serve({"big": boards_big, "small": Board(args.small)})
        try:
            runs: dict[str, list[CrawlOutcome]] = {c: [] for c in order}
            for r in range(args.repeat):
                for config in order[r % len(order):] + order[:r % len(order)]:  # rotated: no configuration always first
                    out = crawl(url, "big", work, f"big-{r}-{config}", config)
                    assert out.new == out.items == args.n, (config, out.new, args.n)
                    runs[config].append(out)
                    print(f"  run {r + 1}: {config:8s} {args.n} items in {out.crawl_seconds:6.2f} s = {args.n / out.crawl_seconds:7.1f} items/s"
                          f"  ({args.n / out.cpu_seconds:7.1f} items/CPU-s)  peak RSS {out.peak_rss_mb:.1f} MB"
                          + (f" + writer {out.writer_peak_rss_mb:.1f} MB" if out.writer_peak_rss_mb else ""), flush=True)
            small = [crawl(url, "small", work, f"small-{r}", "process") for r in range(args.repeat)]
            assert all(o.new == args.small for o in small)
            slow_server, slow_url = serve({"big": boards_big}, latency=args.latency)
            try:
                slow = {c: args.n / crawl(slow_url, "big", work, f"slow-{c}", c).crawl_seconds for c in order}
            finally:
                slow_server.shutdown()
        finally:
            server.shutdown()
            drop_stores()
    report(args, runs, small, slow)


def report(args: argparse.Namespace, runs: dict[str, list[CrawlOutcome]], small: list[CrawlOutcome], slow: dict[str, float]) -> None:
    from sqlalchemy.engine import make_url

    n = args.n
    rate = {c: _median([n / o.crawl_seconds for o in outs]) for c, outs in runs.items()}
    best = {c: max(n / o.crawl_seconds for o in outs) for c, outs in runs.items()}
    cpu = {c: _median([n / o.cpu_seconds for o in outs]) for c, outs in runs.items()}
    us = {c: (_median([o.crawl_cpu_seconds / n * 1e6 for o in outs]), _median([o.writer_cpu_seconds / n * 1e6 for o in outs]))
          for c, outs in runs.items()}
    where = "PostgreSQL " + make_url(args.store).render_as_string(hide_password=True) if args.store else "SQLite files"
    print(f"crawl throughput, N={n} Lever-shaped postings from 127.0.0.1 into {where} "
          f"(median of {args.repeat}, same server, same run; CPU figures are medians):")
    print(f"  {'configuration':38s} {'items/s':>9s} {'vs off':>7s} {'(best':>8s} {'vs off)':>7s}  {'items/CPU-s':>11s} {'vs off':>7s}"
          "   CPU per item: crawl + writer")
    names = {"off": "pipeline off (baseline)", "inline": "pipeline on, written inline",
             "process": "pipeline on, writer process (default)"}
    for c in runs:
        print(f"  {names[c]:38s} {rate[c]:9.1f} {rate[c] / rate['off']:7.3f} {best[c]:8.1f} {best[c] / best['off']:7.3f}"
              f"  {cpu[c]:11.1f} {cpu[c] / cpu['off']:7.3f}"
              f"   {us[c][0]:6.1f} + {us[c][1]:5.1f} us")
    paired = {c: _median([o_off.crawl_seconds / o.crawl_seconds for o_off, o in zip(runs["off"], runs[c])])
              for c in ("inline", "process")}
    for c in ("inline", "process"):
        cost = 1 - rate[c] / rate["off"]
        print(f"  {c:8s}: the store pipeline costs {cost * 100:5.1f} % of throughput (median; best of "
              f"{args.repeat}: {(1 - best[c] / best['off']) * 100:.1f} %; target <= 15 %) "
              f"{'OK' if cost <= 0.15 else 'OVER TARGET'}; {(1 - cpu[c] / cpu['off']) * 100:5.1f} % of the CPU budget "
              f"(load-independent; the writer's CPU included)")
        print(f"            paired (median of the {args.repeat} per-repeat ratios to the off run of the same repeat): "
              f"costs {(1 - paired[c]) * 100:5.1f} %")
    pipe_us = {c: us[c][0] + us[c][1] - us["off"][0] for c in ("inline", "process")}
    print(f"  pipeline CPU per item (on - off): inline {pipe_us['inline']:.1f} us, writer process {pipe_us['process']:.1f} us of which "
          f"{us['process'][0] - us['off'][0]:.1f} us in the crawl process (batching, pickling) and {us['process'][1]:.1f} us in the writer")
    waited = _median([o.writer_wait_seconds or 0.0 for o in runs["process"]])
    print(f"  of the writer process run's crawl time, waiting for the writer (a full window of batches, the last "
          f"commits at the end): {waited:.3f} s of {_median([o.crawl_seconds for o in runs['process']]):.2f} s (median)")
    setup = _median([o.setup_seconds for o in runs["process"]])
    print(f"  one-off store opening in the child, writer start included (not in the rates above): {setup:.2f} s")
    print(f"  with {args.latency * 1000:.0f} ms server latency per page of {PAGE} (a fast real API): "
          + "  ".join(f"{c} {slow[c]:7.1f}" for c in slow) + f" items/s  -> ratio process/off {slow['process'] / slow['off']:.3f}")
    big = runs["process"]
    rss_small = min(o.peak_rss_mb for o in small), min(o.writer_peak_rss_mb for o in small)
    rss_n = min(o.peak_rss_mb for o in big), min(o.writer_peak_rss_mb for o in big)
    print(f"  peak RSS N={args.small}: crawl {rss_small[0]:.1f} + writer {rss_small[1]:.1f} MB   N={n}: crawl {rss_n[0]:.1f} + writer "
          f"{rss_n[1]:.1f} MB   growth {sum(rss_n) - sum(rss_small):+.1f} MB ({(sum(rss_n) / sum(rss_small) - 1) * 100:+.1f} %)"
          "  (target: flat in N)")


if __name__ == "__main__":
    main()

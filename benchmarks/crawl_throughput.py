"""Provides the crawl throughput benchmark: the store pipeline's cost, and memory against crawl size.

A local HTTP server on 127.0.0.1 serves N Lever-shaped postings (~2 KB of text
each, 100 per page). The real `python -m scrapy crawl lever` child crawls them,
once with the store pipeline (SQLite upserts, batched) and once with it disabled
(`SOURCING_PIPELINE_ENABLED=False`: items are only counted), in the same run, in
alternating order, best of `--repeat`. Reported: items/s (time inside the crawl,
from the child's own clock, after the store is open; the one-off opening is
printed apart) for both, the ratio (target: the pipeline costs
<= 15 %), the same per CPU-second (steady on a shared, loaded machine, where
wall-clock rates swing), and the child's peak RSS at N=1,000 vs N=5,000
(target: flat in N).

    .venv/bin/python benchmarks/crawl_throughput.py [--n 5000] [--small 1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def crawl(url: str, site: str, workdir: Path, label: str, pipeline: bool) -> CrawlOutcome:
    db = workdir / f"{label}.db"
    db.unlink(missing_ok=True)
    # An existing store, as in every crawl but the first: creating the schema (Alembic, ~0.5 s)
    # is a one-off cost that would otherwise be charged to the pipeline.
    Store.open(str(db)).close()
    settings = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": "False", "SOURCING_PIPELINE_ENABLED": str(pipeline),
                "LOG_LEVEL": "WARNING"}
    out = run_crawl({"kind": "lever", "site": site, "base_url": url}, db_url=str(db), jobdir_root=str(workdir / "jobs"),
                    extra_settings=settings, timeout=1800)
    if out.status != "ok":
        raise SystemExit(f"benchmark crawl {label} failed: {out.error_summary}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--latency", type=float, default=0.05, help="server latency per page for the realistic comparison (s)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        work = Path(tmp)
        cfg = work / "config.toml"
        cfg.write_text('[crawl]\ncontact = "bench@example.org"\n', encoding="utf-8")
        os.environ["SOURCING_CONFIG"] = str(cfg)
        boards_big = Board(args.n)
        server, url = serve({"big": boards_big, "small": Board(args.small)})
        try:
            rate: dict[bool, list[float]] = {True: [], False: []}
            cpu: dict[bool, list[float]] = {True: [], False: []}
            rss_big = []
            setup = []
            for r in range(args.repeat):
                for pipeline in ((False, True) if r % 2 == 0 else (True, False)):
                    out = crawl(url, "big", work, f"big-{r}-{pipeline}", pipeline)
                    assert out.new == args.n, (out.new, args.n)
                    rate[pipeline].append(args.n / out.crawl_seconds)
                    cpu[pipeline].append(args.n / out.cpu_seconds)
                    if pipeline:
                        rss_big.append(out.peak_rss_mb)
                        setup.append(out.setup_seconds)
                    print(f"  run {r + 1}: pipeline {'on ' if pipeline else 'off'}  {args.n} items in {out.crawl_seconds:6.2f} s "
                          f"= {args.n / out.crawl_seconds:7.1f} items/s  ({args.n / out.cpu_seconds:7.1f} items/CPU-s)  peak RSS {out.peak_rss_mb:.1f} MB", flush=True)
            small = [crawl(url, "small", work, f"small-{r}", True) for r in range(args.repeat)]
            assert all(o.new == args.small for o in small)
            slow_server, slow_url = serve({"big": boards_big}, latency=args.latency)
            try:
                slow = {p: args.n / crawl(slow_url, "big", work, f"slow-{p}", p).crawl_seconds for p in (False, True)}
            finally:
                slow_server.shutdown()
        finally:
            server.shutdown()
    on, off = max(rate[True]), max(rate[False])
    cost = 1 - on / off
    cpu_on, cpu_off = max(cpu[True]), max(cpu[False])
    rss_small, rss_n = min(o.peak_rss_mb for o in small), min(rss_big)
    print(f"crawl throughput, N={args.n} Lever-shaped postings from 127.0.0.1 (best of {args.repeat}):")
    print(f"  pipeline off (baseline): {off:8.1f} items/s")
    print(f"  pipeline on  (SQLite)  : {on:8.1f} items/s")
    print(f"  ratio on/off           : {on / off:8.3f}  -> the store pipeline costs {cost * 100:.1f} % (target <= 15 %)"
          f"  {'OK' if cost <= 0.15 else 'OVER TARGET'}")
    # Wall-clock rates swing with other processes on a shared machine; CPU time does not.
    print(f"  per CPU-second         : off {cpu_off:8.1f}  on {cpu_on:8.1f}  -> the pipeline costs {(1 - cpu_on / cpu_off) * 100:.1f} % "
          "of the CPU budget (load-independent)")
    print(f"  one-off store opening in the child (not in the rates above): {min(setup):.2f} s")
    print(f"  with {args.latency * 1000:.0f} ms server latency per page of {PAGE} (a fast real API): off {slow[False]:7.1f}  "
          f"on {slow[True]:7.1f} items/s  -> ratio {slow[True] / slow[False]:.3f}")
    print(f"  peak RSS N={args.small}: {rss_small:.1f} MB   N={args.n}: {rss_n:.1f} MB   "
          f"growth {rss_n - rss_small:+.1f} MB ({(rss_n / rss_small - 1) * 100:+.1f} %)  (target: flat in N)")


if __name__ == "__main__":
    main()

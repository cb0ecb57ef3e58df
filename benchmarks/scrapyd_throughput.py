"""Provides the distributed crawl benchmark: items/s of a crawl spread over two scrapyd nodes vs one.

Local boards on 127.0.0.1 (SmartRecruiters-shaped: listing pages of 100 and one detail page
per posting, each answered after `--latency` seconds, as a remote board would) are crawled
through `sourcing.crawler.run_crawls` with `crawl.scrapyd` naming one node, then two
(real `python -m scrapyd` processes, each `max_proc = --max-proc`), in rotated order, median
of `--repeat`. Reported: items/s (all postings stored / wall time from scheduling to the last
job's crawl_run row), the two-node / one-node ratio, and the load average.

    .venv/bin/python benchmarks/scrapyd_throughput.py [--boards 4] [--n 500] [--latency 0.02]
        [--repeat 2] [--store postgresql+psycopg://user:pw@127.0.0.1:5432/db]

Without `--store` every run writes a fresh SQLite file (the nodes are on this machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # waiting.py, which scrapyd_helpers imports
sys.path.insert(0, str(ROOT / "tests" / "scrapyd"))

from pg_schema import drop_schemas, fresh_schema_url  # noqa: E402
from scrapyd_helpers import Board, ScrapydNode, node_env, wait_until  # noqa: E402
from sourcing.crawler import run_crawls  # noqa: E402
from sourcing.scrapyd import Node  # noqa: E402
from sourcing.scrapyd_deploy import build_egg, deploy  # noqa: E402
from sourcing.storage import Store  # noqa: E402

SETTINGS = {"DOWNLOAD_DELAY": 0.001, "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "WARNING"}


def fresh_store(base: str | None, workdir: Path, label: str) -> str:
    if base is None:
        return str(workdir / f"{label}.db")
    return fresh_schema_url(base, label)


def run(nodes: list[ScrapydNode], boards: list[Board], db: str, workdir: Path, label: str) -> float:
    Store.open(db).close()  # migrated before the clock starts, as an existing team store is
    cfg = workdir / f"{label}.toml"
    urls = ", ".join(f'"{n.url}"' for n in nodes)
    cfg.write_text(f'[crawl]\ncontact = "bench@example.org"\nscrapyd = [{urls}]\n', encoding="utf-8")
    entries = [{"kind": "smartrecruiters", "company": b.company, "base_url": b.url} for b in boards]
    started = time.monotonic()
    outs = run_crawls(entries, db_url=db, config_path=str(cfg), extra_settings=SETTINGS, timeout=3600)
    seconds = time.monotonic() - started
    bad = [o for o in outs if o.status != "ok"]
    if bad:
        raise SystemExit(f"{label}: {bad[0].source_key}: {bad[0].error_summary}")
    store = Store.open(db)
    stored = len(store.list_jobs(open_only=False))
    store.close()
    expected = sum(b.n for b in boards)
    if stored != expected:
        raise SystemExit(f"{label}: {stored} postings stored, expected {expected}")
    return stored / seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boards", type=int, default=4)
    ap.add_argument("--n", type=int, default=500, help="postings per board")
    ap.add_argument("--latency", type=float, default=0.02, help="seconds per request on the boards")
    ap.add_argument("--max-proc", type=int, default=1, help="crawls at once per node")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--store", default=None, help="a PostgreSQL URL (fresh schemas); default: SQLite files")
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="scrapyd-bench-"))
    os.environ["XDG_DATA_HOME"] = str(workdir / "data")  # one do-not-collect secret for this machine and its nodes
    node_cfg = workdir / "node.toml"
    node_cfg.write_text("", encoding="utf-8")
    env = node_env(node_cfg, args.store or "")
    nodes = []
    for _ in range(2):
        nodes.append(ScrapydNode(workdir / "nodes", env, max_proc=args.max_proc))
    boards = [Board(args.n, f"board{i}", latency=args.latency) for i in range(args.boards)]
    rates: dict[str, list[float]] = {"one node": [], "two nodes": []}
    try:
        for n in nodes:
            wait_until(n.up, timeout=120, what=n.url)
            deploy(Node(n.url), build_egg("1"), "1")
        for r in range(args.repeat):
            order = ["one node", "two nodes"] if r % 2 == 0 else ["two nodes", "one node"]
            for label in order:
                used = nodes[:1] if label == "one node" else nodes
                db = fresh_store(args.store, workdir, f"{label.replace(' ', '-')}-{r}")
                rates[label].append(run(used, boards, db, workdir, f"{label.replace(' ', '-')}-{r}"))
                print(f"  {label:9} run {r + 1}: {rates[label][-1]:7.1f} items/s", flush=True)
    finally:
        for b in boards:
            b.close()
        for n in nodes:
            n.stop()
        if args.store:
            drop_schemas(args.store)
    one, two = statistics.median(rates["one node"]), statistics.median(rates["two nodes"])
    print(f"store: {'PostgreSQL' if args.store else 'SQLite'}; {args.boards} boards x {args.n} postings, "
          f"{args.latency * 1000:.0f} ms per request, max_proc {args.max_proc} per node")
    print(f"one node:  {one:7.1f} items/s (median of {args.repeat})")
    print(f"two nodes: {two:7.1f} items/s (median of {args.repeat}); ratio {two / one:.2f}x")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

"""Provides the scrapyd tests' parts: scrapyd nodes on 127.0.0.1, a SmartRecruiters-shaped job board, waits."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil

from waiting import wait_until  # noqa: F401 - re-exported for the tests here

PAGE = 100


class Board:
    """A SmartRecruiters-shaped company board with `n` postings on 127.0.0.1.

    Listing pages of 100, one detail page per posting, each answered after `latency`
    seconds (0 in the tests). Every detail request is logged
    (posting id, User-Agent) as it arrives; once `gate_after` detail requests have
    arrived, later ones wait for `release` (so a crawl can be caught mid-way).
    """

    def __init__(self, n: int, company: str = "acme", gate_after: int | None = None, latency: float = 0.0) -> None:
        self.n, self.company, self.gate_after, self.latency = n, company, gate_after, latency
        self.release = threading.Event()
        self.details: list[str] = []
        self.agents: set[str] = set()
        self.lock = threading.Lock()
        board = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                board.agents.add(self.headers.get("User-Agent", ""))
                code, body = board.answer(self.path)
                data = json.dumps(body).encode() if body is not None else b"not found"
                self.send_response(code)
                self.send_header("Content-Type", "application/json" if body is not None else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the crawler died while we waited at the gate

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pid(self, i: int) -> str:
        return f"{self.company[:2]}{i:06d}"

    def answer(self, path: str) -> tuple[int, Any]:
        if self.latency:  # a remote board's round trip (the benchmark's; the tests use none)
            threading.Event().wait(self.latency)
        if path == "/robots.txt":
            return 404, None
        prefix = f"/v1/companies/{self.company}/postings"
        if path.startswith(prefix + "?"):
            offset = int(path.rsplit("offset=", 1)[1])
            content = [{"id": self.pid(i), "name": f"Role {i}", "location": {"city": "Lyon", "country": "fr"}}
                       for i in range(offset, min(offset + PAGE, self.n))]
            return 200, {"offset": offset, "limit": PAGE, "totalFound": self.n, "content": content}
        if path.startswith(prefix + "/"):
            with self.lock:
                self.details.append(path.rsplit("/", 1)[1])
                gated = self.gate_after is not None and len(self.details) > self.gate_after
            if gated:
                self.release.wait(120)
            return 200, {"jobAd": {"sections": {"jobDescription": {"text": "<p>Do things.</p>"}}}}
        return 404, None

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScrapydNode:
    """A real `python -m scrapyd` on 127.0.0.1 in its own folder (its eggs, logs and queue)."""

    def __init__(self, root: Path, env: dict[str, str], max_proc: int = 2) -> None:
        self.port = free_port()
        self.dir = root / f"node-{self.port}"
        self.dir.mkdir(parents=True)
        (self.dir / "scrapyd.conf").write_text(
            "[scrapyd]\nbind_address = 127.0.0.1\n"
            f"http_port = {self.port}\npoll_interval = 0.2\nmax_proc = {max_proc}\n"
            "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\n", encoding="utf-8")
        self.log = open(self.dir / "scrapyd.out", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=self.dir, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def up(self) -> bool:
        from sourcing.scrapyd import Node, NodeDown

        try:
            Node(self.url).call("daemonstatus.json", timeout=2)
        except NodeDown:
            if self.proc.poll() is not None:
                raise AssertionError(f"scrapyd exited: {(self.dir / 'scrapyd.out').read_text()[-2000:]}") from None
            return False
        return True

    def tree(self) -> list[psutil.Process]:
        try:
            me = psutil.Process(self.proc.pid)
            return [me, *me.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        """SIGKILL the node and every process under it (its crawls, their store writers): a machine dying."""
        for p in self.tree():
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        self.proc.wait()

    def stop(self) -> None:
        self.kill()
        self.log.close()


def node_env(node_config: Path, db_url: str) -> dict[str, str]:
    """The nodes' environment: a local config of their own (which must not be used), the store password."""
    from sqlalchemy.engine import make_url

    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCING_")}
    env["SOURCING_CONFIG"] = str(node_config)
    env["HF_HUB_OFFLINE"] = "1"
    if "://" in db_url and make_url(db_url).password:
        env["PGPASSWORD"] = str(make_url(db_url).password)
    return env

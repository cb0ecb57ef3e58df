"""The store's URL (a server URL may carry its password) is on no crawl child's command line: `ps` shows argv."""

from __future__ import annotations

from typing import Any

import psutil
import pytest

from spiders_helpers import load

pytestmark = pytest.mark.postgres


def test_the_crawl_and_its_writer_get_the_store_url_in_their_environment_not_their_argv(site, db, crawl):
    site.add("/v1/boards/acme/jobs", load("real/greenhouse.json"))
    seen: list[dict[str, Any]] = []

    def snapshot(_key: str, counts: dict[str, Any]) -> None:
        if counts.get("event") == "started":  # the crawl child and its store writer are both up by now
            for p in psutil.Process().children(recursive=True):
                seen.append({"argv": " ".join(p.cmdline()), "env": p.environ()})

    out = crawl({"kind": "greenhouse", "board": "acme", "base_url": site.url}, db, progress=snapshot)
    assert (out.status, out.new) == ("ok", 2)
    kinds = {("spiders.writer" in s["argv"], "scrapy crawl" in s["argv"]) for s in seen}
    assert (True, False) in kinds and (False, True) in kinds  # both processes were looked at
    for s in seen:
        assert db not in s["argv"]
    assert any(s["env"].get("SOURCING_DB") == db for s in seen if "scrapy crawl" in s["argv"])
    assert any(s["env"].get("SOURCING_WRITER_DB") == db for s in seen if "spiders.writer" in s["argv"])

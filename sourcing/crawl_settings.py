"""Provides the crawl's politeness settings (User-Agent, delays, retries) as Scrapy settings, from a config.

One place for both ways a crawl runs: `spiders.settings` reads them from the local config
for a crawl on this machine, and `sourcing.scrapyd` sends them with each job to a scrapyd
node, whose own user config is never read (see `spiders/settings.py`).
"""

from __future__ import annotations

from typing import Any


def politeness_settings(cfg: Any) -> dict[str, Any]:
    """The Scrapy settings that `cfg`'s `crawl.*` keys decide.

    Args:
        cfg: a `sourcing.config.Config` (its `get("crawl.…")`).

    Returns:
        {"USER_AGENT": ..., "DOWNLOAD_DELAY": ..., ...}: plain values, also valid as `-s NAME=VALUE`.
    """
    contact = cfg.get("crawl.contact")
    # Never 0: with DOWNLOAD_DELAY = 0, Scrapy 2.19's downloader dequeues a whole slot's queue before any
    # request is marked as transferring, so CONCURRENT_REQUESTS_PER_DOMAIN is not enforced (measured: 8 at once).
    delay = max(0.001, float(cfg.get("crawl.download_delay")))
    return {
        "USER_AGENT": f"{cfg.get('crawl.user_agent')} ({'contact: ' + contact if contact else 'contact not configured'})",
        "SOURCING_CONTACT": contact,  # empty -> the pipeline warns loudly at start
        "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, min(2, int(cfg.get("crawl.concurrent_per_domain")))),
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": bool(cfg.get("crawl.autothrottle")),
        "AUTOTHROTTLE_START_DELAY": max(delay, 1.0),
        "RETRY_TIMES": int(cfg.get("crawl.retry_times")),
        "SOURCING_MAX_RETRY_AFTER": float(cfg.get("crawl.max_retry_after")),
        "HTTPCACHE_ENABLED": bool(cfg.get("crawl.httpcache")),
        "SOURCING_GITHUB_HIREABLE_ONLY": bool(cfg.get("crawl.github_hireable_only")),
    }

"""Provides the Scrapy settings of the sourcing spiders: polite by default, values from the config.

Politeness comes from the user's config (`crawl.*` settings, see `sourcing config`):
robots.txt obeyed, a User-Agent naming the product and the operator's contact,
AutoThrottle, one request at a time per domain, retries honouring Retry-After.
`sourcing.crawler` passes the database and the resumable-state folder as `-s`
overrides; a spider may tighten its own rate in `custom_settings`.
"""

from __future__ import annotations

from sourcing.config import load_config

_cfg = load_config()
_contact = _cfg.get("crawl.contact")

BOT_NAME = "sourcing"
SPIDER_MODULES = ["spiders.sites"]
NEWSPIDER_MODULE = "spiders.sites"

USER_AGENT = f"{_cfg.get('crawl.user_agent')} ({'contact: ' + _contact if _contact else 'contact not configured'})"
SOURCING_CONTACT = _contact  # empty -> the pipeline warns loudly at start
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = max(1, min(2, int(_cfg.get("crawl.concurrent_per_domain"))))
# Never 0: with DOWNLOAD_DELAY = 0, Scrapy 2.19's downloader dequeues a whole slot's queue before any
# request is marked as transferring, so CONCURRENT_REQUESTS_PER_DOMAIN is not enforced (measured: 8 at once).
DOWNLOAD_DELAY = max(0.001, float(_cfg.get("crawl.download_delay")))
AUTOTHROTTLE_ENABLED = bool(_cfg.get("crawl.autothrottle"))
AUTOTHROTTLE_START_DELAY = max(DOWNLOAD_DELAY, 1.0)
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60

RETRY_ENABLED = True
RETRY_TIMES = int(_cfg.get("crawl.retry_times"))
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled at each retry when the server gives no Retry-After
RETRY_BACKOFF_MAX = 120.0
SOURCING_MAX_RETRY_AFTER = float(_cfg.get("crawl.max_retry_after"))

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    "spiders.middlewares.ResumeSkipMiddleware": 90,
}
ITEM_PIPELINES = {"spiders.pipelines.StorePipeline": 300}
LOG_FORMATTER = "spiders.middlewares.PrivateLogFormatter"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = bool(_cfg.get("crawl.httpcache"))
HTTPCACHE_DIR = "httpcache"

# Store and run bookkeeping (overridden by sourcing.crawler with -s).
SOURCING_DB = _cfg.db_url
SOURCING_BATCH_SIZE = 100  # upserts per transaction
SOURCING_WRITER = "process"  # batches committed by a writer child process ("inline": in the crawl process)
SOURCING_JOBDIR = ""  # resumable state of this run (done.txt); empty = not resumable
SOURCING_RESULT_FILE = ""  # JSON summary written at close for the parent process
SOURCING_PROGRESS = False  # print progress lines on stdout for the parent process
SOURCING_PIPELINE_ENABLED = True  # benchmarks turn the store off to measure its cost
SOURCING_GITHUB_HIREABLE_ONLY = bool(_cfg.get("crawl.github_hireable_only"))
REMOTE_CONTROL_ENABLED = False  # no control server listening during crawls

"""Provides the Scrapy settings of the sourcing spiders: polite by default, values from the config.

Politeness comes from the user's config (`crawl.*` settings, see `sourcing config`):
robots.txt obeyed, a User-Agent naming the product and the operator's contact,
AutoThrottle, one request at a time per domain, retries honouring Retry-After.
`sourcing.crawler` passes the database and the resumable-state folder as `-s`
overrides; a spider may tighten its own rate in `custom_settings`. On a scrapyd node
every one of these comes from the job (`sourcing.scrapyd`), not from the node.
"""

from __future__ import annotations

import os

from sourcing.config import load_config
from sourcing.crawl_settings import politeness_settings

# On a scrapyd node (its launcher sets SCRAPY_PROJECT for every job) the node's own user config
# and SOURCING_* environment are never read: the defaults here, and every value that matters sent
# with the job as settings by the machine that scheduled it (sourcing.scrapyd). An empty file and
# an empty environment give exactly the built-in defaults.
_on_scrapyd = bool(os.environ.get("SCRAPY_PROJECT"))
_cfg = load_config(os.devnull, env={}) if _on_scrapyd else load_config()
_polite = politeness_settings(_cfg)

BOT_NAME = "sourcing"
SPIDER_MODULES = ["spiders.sites"]
NEWSPIDER_MODULE = "spiders.sites"

USER_AGENT = _polite["USER_AGENT"]
SOURCING_CONTACT = _polite["SOURCING_CONTACT"]  # empty -> the pipeline warns loudly at start
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = _polite["CONCURRENT_REQUESTS_PER_DOMAIN"]
DOWNLOAD_DELAY = _polite["DOWNLOAD_DELAY"]  # never 0: see sourcing/crawl_settings.py
AUTOTHROTTLE_ENABLED = _polite["AUTOTHROTTLE_ENABLED"]
AUTOTHROTTLE_START_DELAY = _polite["AUTOTHROTTLE_START_DELAY"]
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60

RETRY_ENABLED = True
RETRY_TIMES = _polite["RETRY_TIMES"]
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled at each retry when the server gives no Retry-After
RETRY_BACKOFF_MAX = 120.0
SOURCING_MAX_RETRY_AFTER = _polite["SOURCING_MAX_RETRY_AFTER"]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    "spiders.middlewares.ResumeSkipMiddleware": 90,
}
ITEM_PIPELINES = {"spiders.pipelines.StorePipeline": 300}
LOG_FORMATTER = "spiders.middlewares.PrivateLogFormatter"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = _polite["HTTPCACHE_ENABLED"]
HTTPCACHE_DIR = "httpcache"

# Store and run bookkeeping (overridden by sourcing.crawler with -s).
SOURCING_DB = "" if _on_scrapyd else _cfg.db_url  # a node writes only the store its job names
SOURCING_BATCH_SIZE = 100  # upserts per transaction
SOURCING_WRITER = "process"  # batches committed by a writer child process ("inline": in the crawl process)
SOURCING_JOBDIR = ""  # resumable state of this run (done.txt); empty = not resumable
SOURCING_RESUME_TOKEN = ""  # a scrapyd run's token: resume state kept in the store (crawl_resume), not done.txt
SOURCING_RESULT_FILE = ""  # JSON summary written at close for the parent process
SOURCING_PROGRESS = False  # print progress lines on stdout for the parent process
SOURCING_PIPELINE_ENABLED = True  # benchmarks turn the store off to measure its cost
SOURCING_GITHUB_HIREABLE_ONLY = _polite["SOURCING_GITHUB_HIREABLE_ONLY"]
REMOTE_CONTROL_ENABLED = False  # no control server listening during crawls

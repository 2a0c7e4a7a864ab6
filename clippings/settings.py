"""The one documented settings module for Scrapy runs (scrapy.cfg points here).

Every value can be overridden per run, as in Scrapy: `scrapy crawl feeds -s NAME=VALUE` or
`clippings crawl -s NAME=VALUE`. Command-line values beat these project values.

Politeness is a per-site policy, not a capacity: each outlet's host gets a small concurrency and
AutoThrottle's delay, while throughput comes from crawling many outlets at once
(CONCURRENT_REQUESTS across hosts).
"""

from __future__ import annotations

import os

from clippings import __version__

# --- Project -----------------------------------------------------------------------------------
BOT_NAME = "clippings"
NEWSPIDER_MODULE = "spiders"
SPIDER_MODULES = ["spiders"]

# --- clippings' own settings ---------------------------------------------------------------------
# Where clippings are stored: a SQLAlchemy URL (SQLite file by default, postgresql+psycopg://...).
CLIPPINGS_DB = os.environ.get("CLIPPINGS_DB", "sqlite:///clippings.db")
# Skip article URLs already stored or already dropped as irrelevant (set False to refetch them).
CLIPPINGS_SKIP_KNOWN = True
# Print a progress line to stderr every this many seconds (0: never). `clippings crawl` sets 5.
CLIPPINGS_PROGRESS_INTERVAL = 0
# The crawl-run row to count into; `clippings crawl` creates one and passes its id. When unset,
# each spider run records a run of its own.
CLIPPINGS_RUN_ID = None
# When this crawl's source polls happened (ISO 8601); `clippings watch` passes its clock's time, so
# that each source's next due time follows the scheduler's clock. Unset: each poll is dated when it ends.
CLIPPINGS_POLL_TIME = None
# Where clippings wait when the database is away (retried with back-off, then spooled; replayed when it
# returns or by the next crawl): "" is next to a SQLite file, else ~/.local/state/clippings/spool (clippings.spool).
CLIPPINGS_SPOOL_DIR = ""
# Worker processes for extraction, relevance, language detection and claims of candidate pages (the few
# that pass the prefilter), so that fetching never waits on them; 0 runs them in the crawl process.
CLIPPINGS_WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))
# The first threshold of Python's garbage collector while the crawl runs (Python's own: 700);
# startup's objects are frozen too. 0 leaves the collector alone. See GarbageCollectorTuning.
CLIPPINGS_GC_THRESHOLD = 10_000

# --- Distributed mode (clippings.distributed: `clippings worker`, `clippings crawl --redis`) -------------
# The Redis server of the frontier workers share; `clippings worker --redis URL` sets it (None: a local crawl).
CLIPPINGS_REDIS_URL = None
# The prefix of the frontier's Redis keys (None: $CLIPPINGS_REDIS_PREFIX, else clippings:<campaign hash>).
CLIPPINGS_REDIS_PREFIX = None
# How often a worker reads its start list and looks for requests queued by others (seconds).
CLIPPINGS_REDIS_POLL_INTERVAL = 0.5
# scrapy-redis's setting, set on purpose: a worker stops after no work, in it or in Redis, for this many
# seconds from the last work (0: never). `clippings worker --idle` overrides it.
MAX_IDLE_TIME_BEFORE_CLOSE = 30

# --- Politeness (per site) ---------------------------------------------------------------------
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
ROBOTSTXT_OBEY = True
USER_AGENT = f"clippings/{__version__} (news-coverage tracker; +https://github.com/clippings-project/clippings)"

# --- Capacity and bounds -----------------------------------------------------------------------
CONCURRENT_REQUESTS = 64
# Items processed at once per response. An article response yields at most one item, and
# Scrapy starts this many asyncio tasks for every response: the default of 100 cost a fifth of
# the crawl's time in `make bench`.
CONCURRENT_ITEMS = 4
COOKIES_ENABLED = False
DNS_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # a bigger page is cancelled and counted as too_large
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10  # a longer chain fails as too_many_redirects (a loop at once as redirect_loop)
# A 429 or 503 whose Retry-After asks for more seconds than this is not retried in this crawl.
CLIPPINGS_RETRY_AFTER_MAX = 30.0
RETRY_TIMES = 2
TELNETCONSOLE_ENABLED = False

# --- Components --------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's offsite filter knows hosts only; ours knows the campaign's outlets (and ports).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "spiders.middlewares.CampaignOffsiteMiddleware": 50,
    # Scrapy's robots.txt middleware lets requests that wait for a host's robots.txt go unchecked
    # but for the first; ours checks them all (spiders/robots.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.robots.CheckedRobotsTxtMiddleware": 100,
    # Private, loopback and link-local addresses only where the campaign names the host (spiders/ssrf.py).
    "spiders.ssrf.PrivateAddressMiddleware": 40,  # before the offsite filter (50): counted as private_address
    # Redirect loops and Retry-After, before Scrapy's redirect (600) and retry (550) see the response.
    "spiders.faults.RedirectLoopMiddleware": 610,
    "spiders.faults.RetryAfterMiddleware": 560,
    "spiders.faults.CharsetMiddleware": 580,  # after decompression (590): a lying <meta charset>
}
EXTENSIONS = {
    "spiders.middlewares.CrawlProgress": 500,
    "spiders.middlewares.GarbageCollectorTuning": 0,
}
ITEM_PIPELINES = {  # the prefilter runs before these, in the spiders' parse_article (raw bytes)
    "pipelines.extract.ExtractPipeline": 200,
    "pipelines.relevance.RelevancePipeline": 300,
    "pipelines.language.LanguagePipeline": 400,
    "pipelines.claims.ClaimsPipeline": 500,  # count claims and quotes; a page it cannot read is stored without
    "pipelines.store.StorePipeline": 900,
    # "pipelines.watch.WatchPipeline": 900 is the watch spider's only pipeline (spiders/watch.py custom_settings)
}

# --- Logging -----------------------------------------------------------------------------------
# Most pages never mention the campaign: dropping them is routine, not a warning.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 60.0

# --- Checks ------------------------------------------------------------------------------------
# Scrapy re-reads and re-parses a generator callback's source on every response to warn about
# `return value` in generators (its cache is keyed weakly on bound methods, which die at once):
# about 0.1 ms per page, 0.5 s of a 5,000-page crawl. Our callbacks return nothing from generators.
WARN_ON_GENERATOR_RETURN_VALUE = False

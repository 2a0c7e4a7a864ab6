"""Distributed mode: many worker processes, on any machines, share one crawl frontier in Redis.

`clippings crawl --redis URL` (or CLIPPINGS_REDIS_URL) does not crawl: `enqueue_sources` pushes the
campaign's sources (feeds, sitemaps, urls, sections) onto Redis lists, one per spider, as one *round*.
`clippings worker --campaign FILE --redis URL --db URL` runs the campaign's spiders concurrently in
one process with scrapy-redis's scheduler and dupefilter (`configure`): every request any worker
makes goes into the spider's shared Redis queue and through one shared dupefilter, so each page is
fetched by one worker once. Clippings go to the one database (PostgreSQL, or one SQLite file on one
machine), whose writes are safe under concurrent writers (see clippings.store.db).

Keys (all under one prefix, `CLIPPINGS_REDIS_PREFIX`, else the environment variable of that name,
else `clippings:<hash of the campaign name>`, so that campaigns and test runs never collide):
`<prefix>:<spider>:start` (sources of the rounds, JSON), `<prefix>:<spider>:requests` (the shared
scheduler queue), `<prefix>:dupefilter` (request fingerprints, one set for all spiders: an article
found by a feed and by a sitemap is fetched once), `<prefix>:round` (the round counter).

Three behaviours of scrapy-redis 0.9.1 with Scrapy 2.19 are handled here, explicitly:

1. **The stats warning.** Its scheduler calls `stats.inc_value(..., spider=...)`; Scrapy 2.19
   deprecates that argument (a ScrapyDeprecationWarning per request). `RedisScheduler` overrides
   `enqueue_request` and `next_request` to count without it (same keys, same behaviour).
2. **Start URLs are not marked as seen.** A RedisSpider makes its start requests with
   `dont_filter=True` (and our spiders make every source request so, for conditional polls): they
   skip the dupefilter, so a start page reached again (by another worker's copy of the round, a
   sitemap index naming it, a retry pushed twice) is fetched twice. Workers clear `dont_filter` on
   source requests (`WorkerSpiderMixin.source_request`; retries keep it) and `RoundDupeFilter` adds
   the round to a source request's fingerprint, so a source is fetched once per round, and again in
   the next round.
3. **Idle workers.** RedisMixin's idle clock (`spider_idle_start_time`) is a class attribute set at
   import, so a worker busy longer than MAX_IDLE_TIME_BEFORE_CLOSE closes at its first idle moment,
   and it reads Redis only on `spider_idle`, which Scrapy's engine sends every 5 s (its heartbeat)
   when nothing happens locally. Workers here do not use RedisMixin's idle logic: a worker spider's
   `start()` runs for the worker's life, reads its start list every CLIPPINGS_REDIS_POLL_INTERVAL
   (0.5 s), wakes the engine when the shared queue has requests, and ends when the whole process
   has seen no work (nothing in its downloader or pipelines, nothing in Redis) for
   MAX_IDLE_TIME_BEFORE_CLOSE seconds, counted from the last work (default 30 s, set on purpose
   well above the 5 s heartbeat and a slow page; 0 never ends), or on SIGTERM.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_IDLE_SECONDS = 30
DEFAULT_POLL_INTERVAL = 0.5
PREFIX_ENV = "CLIPPINGS_REDIS_PREFIX"
SOURCE_SPIDERS = {"feeds": "feeds", "sitemaps": "sitemaps", "urls": "urls", "sections": "sections"}


def default_prefix(campaign_name: str) -> str:
    """$CLIPPINGS_REDIS_PREFIX, else `clippings:` and a hash of the campaign's name."""
    env = os.environ.get(PREFIX_ENV, "").strip()
    if env:
        return env
    return "clippings:" + hashlib.sha256(campaign_name.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one campaign's frontier."""

    prefix: str

    def start(self, spider: str) -> str:
        return f"{self.prefix}:{spider}:start"

    def requests(self, spider: str) -> str:
        return f"{self.prefix}:{spider}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:dupefilter"

    @property
    def round(self) -> str:
        return f"{self.prefix}:round"

    def all(self, spiders: Iterable[str] = SOURCE_SPIDERS) -> list[str]:
        names = list(spiders)
        return [*(self.start(n) for n in names), *(self.requests(n) for n in names), self.dupefilter, self.round]


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30)


def frontier_size(client: Any, keys: Keys, spiders: Iterable[str] = SOURCE_SPIDERS) -> int:
    """Sources and requests waiting in Redis for any worker."""
    with client.pipeline() as pipe:
        for name in spiders:
            pipe.llen(keys.start(name))
            pipe.zcard(keys.requests(name))  # scrapy-redis's PriorityQueue is a sorted set
        return sum(int(n) for n in pipe.execute())


@dataclass(frozen=True)
class Enqueued:
    round: int
    sources: dict[str, int]  # spider -> sources pushed
    prefix: str


def enqueue_sources(campaign: Any, redis_url: str, prefix: str | None = None, only: str | None = None) -> Enqueued:
    """Push every source of the campaign (a new round; with `only`, of that spider) for the workers.

    When nothing of an earlier round is left in Redis, the shared dupefilter is cleared first, so
    that pages which failed (or were not stored) in that round are tried again, as in a local crawl.
    """
    keys = Keys(prefix or default_prefix(campaign.name))
    client = redis_client(redis_url)
    try:
        if frontier_size(client, keys) == 0:
            client.delete(keys.dupefilter)
        number = int(client.incr(keys.round))
        pushed: dict[str, int] = {}
        with client.pipeline() as pipe:
            for spider, attribute in SOURCE_SPIDERS.items():
                if only and spider != only:
                    continue
                for outlet in campaign.outlets:
                    for url in getattr(outlet, attribute):
                        pipe.rpush(keys.start(spider), json.dumps({"url": url, "outlet": outlet.name,
                                                                   "round": number}))
                        pushed[spider] = pushed.get(spider, 0) + 1
            pipe.execute()
        return Enqueued(number, pushed, keys.prefix)
    finally:
        client.close()


def configure(settings: Any, campaign_name: str) -> Keys:
    """Switch a crawl's settings to the shared Redis scheduler and dupefilter (a worker)."""
    keys = Keys(settings.get("CLIPPINGS_REDIS_PREFIX") or default_prefix(campaign_name))
    priority = "cmdline"
    settings.set("REDIS_URL", settings["CLIPPINGS_REDIS_URL"], priority=priority)
    settings.set("SCHEDULER", "clippings.distributed.RedisScheduler", priority=priority)
    settings.set("DUPEFILTER_CLASS", "clippings.distributed.RoundDupeFilter", priority=priority)
    settings.set("SCHEDULER_QUEUE_KEY", f"{keys.prefix}:%(spider)s:requests", priority=priority)
    settings.set("SCHEDULER_DUPEFILTER_KEY", keys.dupefilter, priority=priority)
    # Never flush the shared queue and fingerprints when one worker stops: the others go on.
    settings.set("SCHEDULER_PERSIST", True, priority=priority)
    settings.set("SCHEDULER_FLUSH_ON_START", False, priority=priority)
    settings.set("CLIPPINGS_REDIS_PREFIX", keys.prefix, priority=priority)
    if settings.get("MAX_IDLE_TIME_BEFORE_CLOSE") is None:
        settings.set("MAX_IDLE_TIME_BEFORE_CLOSE", DEFAULT_IDLE_SECONDS, priority="project")
    return keys


# --- scrapy-redis components -------------------------------------------------------------------------------
def _scheduler_base() -> type:
    from scrapy_redis.scheduler import Scheduler

    return Scheduler


def _dupefilter_base() -> type:
    from scrapy_redis.dupefilter import RFPDupeFilter

    return RFPDupeFilter


class RedisScheduler(_scheduler_base()):  # type: ignore[misc]
    """scrapy-redis's scheduler, counting its stats without the deprecated `spider` argument."""

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class RoundDupeFilter(_dupefilter_base()):  # type: ignore[misc]
    """scrapy-redis's shared dupefilter; a source request's fingerprint carries its round, so a
    source is fetched once per round while an article is fetched once."""

    def request_fingerprint(self, request: Any) -> str:
        fingerprint: str = super().request_fingerprint(request)
        round_number = request.meta.get("clippings_round")
        if round_number is not None and request.meta.get("clippings_source"):
            fingerprint = hashlib.sha1(f"{fingerprint}:{round_number}".encode()).hexdigest()
        return fingerprint


# --- the worker --------------------------------------------------------------------------------------------
class _Process:
    """What all spiders of one worker process share: when work was last seen, and a stop request."""

    last_work = time.monotonic()
    stopping = False

    @classmethod
    def touch(cls) -> None:
        cls.last_work = time.monotonic()


class WorkerSpiderMixin:
    """Put before a CampaignSpider class (`worker_spider`): its sources come from Redis, for as long
    as the frontier has work (see the module's doc, point 3)."""

    crawler: Any
    name: str
    logger: Any
    keys: Keys
    redis: Any
    max_idle: float
    poll_interval: float
    known: set[str]
    only_sources: frozenset[str] | None

    round_number: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        from scrapy import signals

        spider.keys = Keys(crawler.settings["CLIPPINGS_REDIS_PREFIX"])
        spider.redis = redis_client(crawler.settings["CLIPPINGS_REDIS_URL"])
        spider.max_idle = float(crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE", DEFAULT_IDLE_SECONDS))
        spider.poll_interval = crawler.settings.getfloat("CLIPPINGS_REDIS_POLL_INTERVAL", DEFAULT_POLL_INTERVAL)
        crawler.signals.connect(spider.worked, signal=signals.response_received)  # (weak: a method, no lambda)
        _Process.touch()  # the idle clock starts when the worker opens, not at import
        return spider

    def worked(self, **_: Any) -> None:
        _Process.touch()

    def source_request(self, url: str, callback: Any, outlet: str, poll: str | None = None) -> Any:
        request = super().source_request(url, callback, outlet, poll)  # type: ignore[misc]
        request.meta["clippings_round"] = self.round_number
        request.dont_filter = False  # into the shared dupefilter (point 2); Scrapy's retries set it again
        return request

    def _reload_known(self) -> None:
        """A new round: what other workers stored since this one opened is known now."""
        if not self.crawler.settings.getbool("CLIPPINGS_SKIP_KNOWN"):
            return
        from clippings.store.repository import Store

        store = Store.open(self.crawler.settings["CLIPPINGS_DB"])
        try:
            self.known = store.known_urls()
        finally:
            store.close()

    def _busy(self) -> bool:
        engine = self.crawler.engine
        if engine is None:
            return False
        if engine.downloader.active:
            return True
        slot = getattr(engine.scraper, "slot", None)
        if slot is not None and not slot.is_idle():
            return True
        return frontier_size(self.redis, self.keys, [self.name]) > 0

    def _wake_engine(self) -> None:
        """Ask the engine for the shared queue's requests now, not at its next 5 s heartbeat."""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    async def start(self) -> AsyncIterator[Any]:
        """Read this spider's sources from Redis until the worker has been idle for the idle time."""
        start_key = self.keys.start(self.name)
        base_start = super().start  # type: ignore[misc]
        while not _Process.stopping:
            raw = self.redis.lpop(start_key)
            if raw is not None:
                _Process.touch()
                message = json.loads(raw)
                if message.get("round") != self.round_number:
                    self.round_number = message.get("round")
                    self._reload_known()
                self.only_sources = frozenset([message["url"]])
                async for request in base_start():
                    yield request
                continue
            if self._busy():
                _Process.touch()
                if self.redis.zcard(self.keys.requests(self.name)):
                    self._wake_engine()
            elif self.max_idle > 0 and time.monotonic() - _Process.last_work >= self.max_idle:
                self.logger.info("%s: no work for %.0f s, closing", self.name, self.max_idle)
                return
            await asyncio.sleep(self.poll_interval)

    def closed(self, reason: str) -> None:
        super().closed(reason)  # type: ignore[misc]
        self.redis.close()


def worker_spider(spidercls: type) -> type:
    """The worker's version of a campaign spider class."""
    return type(f"Worker{spidercls.__name__}", (WorkerSpiderMixin, spidercls), {})


def stop_on_sigterm(runner: Any) -> None:
    """SIGTERM (and SIGINT) stop the worker: no new sources are read, then the crawlers stop
    (requests in flight finish; what is queued in Redis stays for the other workers)."""
    loop = asyncio.get_event_loop()

    def stop() -> None:
        if _Process.stopping:
            return
        _Process.stopping = True
        loop.create_task(runner.stop())

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)


async def crawl_as_workers(runner: Any, names: Iterable[str], failures: list[str], **spider_kwargs: Any) -> None:
    """Run the source spiders among `names` together as workers until the frontier stays empty."""
    stop_on_sigterm(runner)
    chosen = [n for n in names if n in SOURCE_SPIDERS]
    tasks = [runner.crawl(worker_spider(runner.spider_loader.load(n)), **spider_kwargs) for n in chosen]
    for name, result in zip(chosen, await asyncio.gather(*tasks, return_exceptions=True), strict=True):
        if isinstance(result, BaseException):
            failures.append(f"{name}: {result}")
            print(f"clippings: spider {name} failed: {result}", file=sys.stderr)

"""Pipeline 4: the wire agency (clippings.agency), upsert the clipping; remember dropped pages; count the run.

When the database is away (clippings.spool): each write is retried with back-off, then spooled to
disk; the spool is replayed when the pipeline opens and as soon as a write succeeds again. The run
counts what happened among its errors: `db_unavailable` (failed write attempts), `spooled`
(clippings written to the spool) and `replayed` (spooled clippings stored since).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Coroutine
from typing import Any

from scrapy import signals

from clippings.agency import detect_agency
from clippings.article import Clipping, DroppedPage, Page, to_clipping
from clippings.spool import PROBE_SECONDS, RETRY_DELAYS, Spool, is_unavailable, open_store, spool_path
from clippings.store.db import check_connection
from clippings.store.repository import Store
from clippings.urls import choose_canonical
from pipelines.base import CrawlerPipeline

_REMEMBERED_DROPS = ("irrelevant", "unreadable")  # pages not worth fetching again
DROPS_PER_WRITE = 200  # dropped pages are remembered in batches (and at the end of the crawl)
_BAD_INPUT = {  # stats of bad input that did not stop anything -> error kinds in the run summary
    "clippings/feeds/malformed": "malformed_feed",
    "clippings/skipped/feed_entry": "bad_feed_entry",
    "clippings/skipped/not_html": "not_html",
    "clippings/skipped/empty": "empty_page",
}
logger = logging.getLogger(__name__)


class StorePipeline(CrawlerPipeline):
    """Writes clippings through the store, one transaction per page, and the run's counts at the end.

    Dropped pages (by the spider's prefilter or by a pipeline) are remembered in batches of
    DROPS_PER_WRITE: a crawl killed mid-way refetches at most that many pages next time.
    """

    store: Store
    run_id: int
    pending: list[tuple[str, str, str | None]]

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        settings = self.crawler.settings
        self.store = open_store(settings["CLIPPINGS_DB"])  # waits a little for a database that is away
        self.store.sync_campaign(self.campaign)
        run_id = settings.get("CLIPPINGS_RUN_ID")
        self.own_run = not run_id
        self.run_id = int(run_id) if run_id else self.store.start_run(self.campaign.name, [self.crawler.spider.name])
        self.pending = []
        self.crawler.spider.drop_sink = self.remember
        self.spool = Spool(spool_path(settings["CLIPPINGS_DB"], settings.get("CLIPPINGS_SPOOL_DIR") or None))
        self.away_since: float | None = None  # the database is away: writes go to the spool
        self.prober: asyncio.Future[None] | None = None
        self.last_probe = 0.0
        self.replay()

    def remember(self, page: DroppedPage) -> None:
        """Queue a dropped page's URLs for the store; write when a batch is full."""
        self.pending.extend((url, page.reason, page.outlet) for url in page.urls)  # the store canonicalises
        if len(self.pending) >= DROPS_PER_WRITE:
            self.flush_drops()

    def flush_drops(self, final: bool = False) -> None:
        """Write the queued dropped pages; while the database is away they wait (spooled at the end)."""
        if not self.pending or (self.away_since is not None and not final):
            return
        try:
            self.store.record_dropped_many(self.pending)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            self.went_away(exc)
            if final:
                self.spool.add_drops(self.pending)
            else:
                return
        self.pending = []

    def went_away(self, exc: BaseException) -> None:
        self.count("errors/db_unavailable")
        if self.away_since is None:
            self.away_since = time.monotonic()
            logger.warning("The database is unavailable (%s); retrying, then spooling to %s",
                           str(exc).splitlines()[0][:200], self.spool.path)
            self.prober = asyncio.ensure_future(self.probe())

    async def probe(self) -> None:
        """While the database is away, try it every PROBE_SECONDS; when it answers, replay the spool."""
        while self.away_since is not None:
            await asyncio.sleep(PROBE_SECONDS)
            if self.away_since is None or time.monotonic() - self.last_probe < PROBE_SECONDS:
                continue  # back, or a write tried it a moment ago
            self.last_probe = time.monotonic()
            try:
                check_connection(self.store.engine)
            except Exception as exc:
                if is_unavailable(exc):
                    continue
                raise
            self.back()

    def back(self) -> None:
        if self.away_since is not None:
            logger.warning("The database is back after %.1f s", time.monotonic() - self.away_since)
            self.away_since = None
        self.replay()
        self.flush_drops()

    def replay(self) -> None:
        """Store what the spool holds (an earlier run's, or this run's once the database is back)."""
        if not self.spool.pending():
            return
        try:
            done = self.spool.replay(self.store)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            self.went_away(exc)
            return
        self.count("errors/replayed", done.clippings)
        for outcome, n in done.outcomes.items():
            self.count(outcome, n)  # new, updated or unchanged, as if written at once
        if done.unreadable:
            self.count("errors/spool_unreadable", done.unreadable)
        logger.warning("Replayed the spool %s: %d clippings, %d dropped pages, %d run counts",
                       self.spool.path, done.clippings, done.drops, done.runs)

    def try_write(self, clipping: Clipping) -> str | None:
        """Upsert once: "new", "updated" or "unchanged", or None when the database is unavailable."""
        self.last_probe = time.monotonic()
        try:
            outcome = self.store.upsert_clipping(clipping)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            self.went_away(exc)
            return None
        if self.away_since is not None:
            self.back()
        return outcome

    def spool_clipping(self, clipping: Clipping) -> None:
        self.spool.add_clipping(clipping)
        self.count("errors/spooled")

    async def write_later(self, item: Page, clipping: Clipping) -> Page:
        """A write the database did not take: retried with back-off (unless others already wait in
        the spool: then at once, keeping their order), then spooled."""
        for delay in RETRY_DELAYS:
            if self.spool.pending():
                break
            await asyncio.sleep(delay)
            if (outcome := self.try_write(clipping)) is not None:
                self.count(outcome)
                return item
        self.spool_clipping(clipping)
        return item

    def process_item(self, item: Page) -> Page | Coroutine[Any, Any, Page]:
        """Store the page's clipping; while the database is away, a coroutine that retries or spools it
        (Scrapy awaits what a pipeline returns)."""
        index = self.crawler.spider.outlet_index
        ex = item.extracted
        url = choose_canonical(
            item.url,
            ex.canonical_url if ex else None,
            lambda a, b: index.outlet_for(a) is not None and index.outlet_for(a) == index.outlet_for(b),
        )
        found = detect_agency(  # the story's wire agency (a few tenths of a millisecond, relevant pages only)
            item.html,
            ex.authors if ex else (),
            ex.lede if ex else None,
            ex.body if ex else None,
            site_agency=index.resolve(item.url).agency,
            known=index.agencies,
        )
        clipping = to_clipping(item, url, agency=found.name if found else None)
        if self.away_since is not None and time.monotonic() - self.last_probe < PROBE_SECONDS:
            self.spool_clipping(clipping)  # away: no wait; a write tries the database now and then
            return item
        outcome = self.try_write(clipping)
        if outcome is None:
            return self.write_later(item, clipping)
        self.count(outcome)  # new, updated or unchanged
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        reason = str(exception).partition(":")[0]
        if isinstance(item, Page) and reason in _REMEMBERED_DROPS and not item.forced:
            self.remember(DroppedPage((*item.alias_urls, item.url), item.outlet, reason))

    def close_spider(self) -> None:
        if self.prober is not None:
            self.prober.cancel()
        if self.away_since is not None:
            self.last_probe = 0.0
            self.flush_drops()  # a last try: the database may be back
            self.replay()
        self.flush_drops(final=True)
        stats = self.crawler.stats.get_stats()
        counts = {
            "pages_fetched": stats.get("downloader/response_count", 0),
            "articles_seen": stats.get("clippings/articles_seen", 0),
            "relevant": stats.get("clippings/relevant", 0),
            "new_clippings": stats.get("clippings/new", 0),
            "updated_clippings": stats.get("clippings/updated", 0),
            "dropped": sum(v for k, v in stats.items() if k.startswith("clippings/dropped/")),
        }
        errors = {k.rpartition("/")[2]: v for k, v in stats.items() if k.startswith("clippings/errors/")}
        for key, kind in _BAD_INPUT.items():  # read leniently or skipped, but the user should know
            if stats.get(key):
                errors[kind] = errors.get(kind, 0) + stats[key]
        try:
            self.store.add_run_counts(self.run_id, counts, errors)
            if self.own_run:
                self.store.finish_run(self.run_id, "finished")
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            self.spool.add_run_counts(self.run_id, counts, errors)
        finally:
            self.store.close()
        if self.spool.pending():
            print(f"clippings: the database was unavailable; {errors.get('spooled', 0)} clippings of this run "
                  f"wait in the spool {self.spool.path}, stored by the next crawl", file=sys.stderr)

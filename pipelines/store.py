"""Pipeline 4: the wire agency (clippings.agency), upsert the clipping; remember dropped pages; count the run."""

from __future__ import annotations

from typing import Any

from scrapy import signals

from clippings.agency import detect_agency
from clippings.article import DroppedPage, Page, to_clipping
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
        self.store = Store.open(settings["CLIPPINGS_DB"])
        self.store.sync_campaign(self.campaign)
        run_id = settings.get("CLIPPINGS_RUN_ID")
        self.own_run = not run_id
        self.run_id = int(run_id) if run_id else self.store.start_run(self.campaign.name, [self.crawler.spider.name])
        self.pending = []
        self.crawler.spider.drop_sink = self.remember

    def remember(self, page: DroppedPage) -> None:
        """Queue a dropped page's URLs for the store; write when a batch is full."""
        self.pending.extend((url, page.reason, page.outlet) for url in page.urls)  # the store canonicalises
        if len(self.pending) >= DROPS_PER_WRITE:
            self.flush_drops()

    def flush_drops(self) -> None:
        if self.pending:
            self.store.record_dropped_many(self.pending)
            self.pending = []

    def process_item(self, item: Page) -> Page:
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
        outcome = self.store.upsert_clipping(to_clipping(item, url, agency=found.name if found else None))
        self.count(outcome)  # new, updated or unchanged
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        reason = str(exception).partition(":")[0]
        if isinstance(item, Page) and reason in _REMEMBERED_DROPS and not item.forced:
            self.remember(DroppedPage((*item.alias_urls, item.url), item.outlet, reason))

    def close_spider(self) -> None:
        self.flush_drops()
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
        self.store.add_run_counts(self.run_id, counts, errors)
        if self.own_run:
            self.store.finish_run(self.run_id, "finished")
        self.store.close()

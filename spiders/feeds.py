"""The `feeds` spider: RSS and Atom feeds of the campaign's outlets -> article pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.http import Response

from clippings.article import SourceHints
from clippings.feeds import parse_feed
from spiders.base import CampaignSpider, meta_of


class FeedsSpider(CampaignSpider):
    """Reads every feed listed in the campaign file and follows its entries' links."""

    name = "feeds"
    source_kind = "feeds"

    async def start(self) -> AsyncIterator[Any]:
        for outlet, url in self.outlets_with("feeds"):
            yield self.source_request(url, self.parse_feed, outlet)

    def parse_feed(self, response: Response) -> Iterable[scrapy.Request]:
        if self.poll_unchanged(response):  # 304, or the body it had: nothing to parse
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        doc = parse_feed(response.body, response.url, content_type)
        stats = self.crawler.stats
        if doc.error:
            self.count_error("parse", response.url, doc.error, meta_of(response))
            return
        if doc.malformed:
            stats.inc_value("clippings/feeds/malformed")
        if doc.skipped:
            stats.inc_value("clippings/skipped/feed_entry", doc.skipped)
            self.logger.info("%s: skipped %d entries without a usable link", response.url, doc.skipped)
        stats.inc_value("clippings/feeds/entries", len(doc.entries))
        links = (
            (e.url, SourceHints("feeds", response.url, e.title, e.published_at, e.language))
            for e in doc.entries
        )
        requests = list(self.article_requests(links))
        self.poll_done(meta_of(response), entries=len(doc.entries), new_items=len(requests))
        yield from requests

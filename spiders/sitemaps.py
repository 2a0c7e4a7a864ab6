"""The `sitemaps` spider: sitemap indexes, sitemaps and Google News sitemaps -> article pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.http import Response

from clippings.article import SourceHints
from clippings.sitemaps import parse_sitemap
from spiders.base import CampaignSpider, meta_of

MAX_DEPTH = 3  # index -> index -> sitemap is the deepest nesting followed


class SitemapsSpider(CampaignSpider):
    """Reads every sitemap listed in the campaign file, following indexes, and fetches the pages."""

    name = "sitemaps"
    source_kind = "sitemaps"

    async def start(self) -> AsyncIterator[Any]:
        for outlet, url in self.outlets_with("sitemaps"):
            yield self.source_request(url, self.parse_sitemap, outlet)

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        if self.poll_unchanged(response):  # 304, or the body it had: nothing to parse
            return
        doc = parse_sitemap(response.body, response.url)
        if doc.error:
            self.count_error("parse", response.url, doc.error, meta_of(response))
            return
        depth = response.meta.get("sitemap_depth", 0)
        if doc.kind == "index":
            if depth >= MAX_DEPTH:
                self.count_error("parse", response.url, "sitemap index nested too deep", meta_of(response))
                return
            children = []
            for entry in doc.entries:
                request = self.source_request(entry.url, self.parse_sitemap, response.meta["outlet"],
                                              poll=meta_of(response).get("clippings_poll"))
                request.meta["sitemap_depth"] = depth + 1
                children.append(request)
            self.poll_done(meta_of(response))  # this index is read; the poll waits for its sitemaps
            yield from children
            return
        self.crawler.stats.inc_value("clippings/sitemaps/entries", len(doc.entries))
        links = (
            (e.url, SourceHints("sitemaps", response.url, e.title, e.published_at or e.lastmod, e.language))
            for e in doc.entries
        )
        requests = list(self.article_requests(links))
        self.poll_done(meta_of(response), entries=len(doc.entries), new_items=len(requests))
        yield from requests

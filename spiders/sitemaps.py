"""The `sitemaps` spider: sitemap indexes, sitemaps and Google News sitemaps -> article pages.

A backfill (`-a since=2020-10-01`, what `clippings crawl --since` passes) reads every sitemap the
campaign lists whole, unchanged or not, follows an index's sitemaps whose lastmod is on or after
that day (and those without one), and fetches the entries dated on or after it (and those without
a date); older ones are counted as `clippings/sitemaps/older_than_since`.
"""

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
                if self.since is not None and entry.lastmod is not None and entry.lastmod < self.since:
                    self.crawler.stats.inc_value("clippings/sitemaps/older_than_since")
                    continue  # a backfill reads the index's sitemaps back to its date, no further
                request = self.source_request(entry.url, self.parse_sitemap, response.meta["outlet"],
                                              poll=meta_of(response).get("clippings_poll"))
                request.meta["sitemap_depth"] = depth + 1
                children.append(request)
            self.poll_done(meta_of(response))  # this index is read; the poll waits for its sitemaps
            yield from children
            return
        self.crawler.stats.inc_value("clippings/sitemaps/entries", len(doc.entries))
        entries = doc.entries
        if self.since is not None:
            since = self.since
            entries = [e for e in entries if (when := e.published_at or e.lastmod) is None or when >= since]
            self.crawler.stats.inc_value("clippings/sitemaps/older_than_since", len(doc.entries) - len(entries))
        links = (
            (e.url, SourceHints("sitemaps", response.url, e.title, e.published_at or e.lastmod, e.language))
            for e in entries
        )
        requests = list(self.article_requests(links))
        self.poll_done(meta_of(response), entries=len(doc.entries), new_items=len(requests))
        yield from requests

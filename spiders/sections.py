"""The `sections` spider: an outlet's section (listing) pages -> the article links on them.

For outlets without usable feeds or sitemaps the campaign lists section pages (`sections = [...]`).
Each is polled like a feed (conditional GET, an unchanged body is not read again), its links are
sorted by `clippings.sections.section_links` (same outlet, article-like URLs; the rule is written
there), the articles are fetched like any others, and the section's own next pages are followed up
to `CLIPPINGS_SECTION_DEPTH` listing pages deep (default 1).
Stats: `clippings/sections/pages`, `clippings/sections/articles`, `clippings/sections/truncated`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from clippings.article import SourceHints
from clippings.sections import section_links
from spiders.base import CampaignSpider, meta_of

DEFAULT_DEPTH = 1


class SectionsSpider(CampaignSpider):
    """Reads every section page the campaign lists and fetches the article pages it links to."""

    name = "sections"
    source_kind = "sections"

    async def start(self) -> AsyncIterator[Any]:
        for outlet, url in self.outlets_with("sections"):
            request = self.source_request(url, self.parse_section, outlet)
            request.meta["clippings_section"] = url
            yield request

    def parse_section(self, response: Response) -> Iterable[scrapy.Request]:
        if self.poll_unchanged(response):  # 304, or the body it had: nothing to read
            return
        meta = meta_of(response)
        if not isinstance(response, TextResponse):
            self.count_error("not_html", response.url, "a section page that is not HTML", meta)
            self.poll_done(meta, failure_kind="not_html")
            return
        outlet = meta["outlet"]
        section = meta.get("clippings_section", response.url)
        depth = meta.get("section_depth", 0)
        stats = self.crawler.stats
        stats.inc_value("clippings/sections/pages")

        def same_outlet(url: str) -> bool:
            found = self.outlet_index.outlet_for(url)
            return found is not None and found.name == outlet

        links = section_links(response.body, response.url, same_outlet, section_url=section)
        if links.truncated:
            stats.inc_value("clippings/sections/truncated")
        stats.inc_value("clippings/sections/articles", len(links.articles))
        hints = (SourceHints("sections", response.url) for _ in links.articles)
        requests = list(self.article_requests(zip(links.articles, hints, strict=True)))
        children = []
        if depth < self.settings.getint("CLIPPINGS_SECTION_DEPTH", DEFAULT_DEPTH):
            for url in links.listings:
                child = self.source_request(url, self.parse_section, outlet, poll=meta.get("clippings_poll"))
                child.meta["section_depth"] = depth + 1
                child.meta["clippings_section"] = section
                children.append(child)
        self.poll_done(meta, entries=len(links.articles), new_items=len(requests))
        yield from children
        yield from requests

"""Pipeline 1: headline, authors, date, lede, body and canonical URL from the page."""

from __future__ import annotations

from clippings.article import Page
from pipelines.base import CrawlerPipeline
from pipelines.offload import offload


class ExtractPipeline(CrawlerPipeline):
    """Fills `item.extracted`; a page with neither headline nor body is dropped as unreadable."""

    async def process_item(self, item: Page) -> Page:
        item.extracted = await offload(self.crawler).run(
            "clippings.extract:extract_article", item.html, item.url, now=item.fetched_at
        )
        if not (item.extracted.headline or item.extracted.body):
            raise self.drop("unreadable", "no headline and no article text found")
        return item

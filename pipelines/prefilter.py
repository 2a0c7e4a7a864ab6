"""Pipeline 0: the cheap necessary-condition check on the raw page, before any parsing."""

from __future__ import annotations

from clippings.article import Page
from clippings.relevance import Matcher
from pipelines.base import CrawlerPipeline


class PrefilterPipeline(CrawlerPipeline):
    """Drops pages on which no campaign term can possibly occur (most of them), unparsed."""

    matcher: Matcher

    def open_spider(self) -> None:
        self.matcher = Matcher(self.campaign)

    def process_item(self, item: Page) -> Page:
        if item.forced or self.matcher.could_match(item.html):
            return item
        raise self.drop("irrelevant", "no campaign term anywhere on the page")

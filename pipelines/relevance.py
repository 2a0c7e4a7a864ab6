"""Pipeline 2: keep only articles whose own text names the campaign, its organisations or people."""

from __future__ import annotations

from clippings.article import Page
from clippings.relevance import Matcher
from pipelines.base import CrawlerPipeline


class RelevancePipeline(CrawlerPipeline):
    """Records every mention in headline, lede and body; drops the page when there is none."""

    matcher: Matcher

    def open_spider(self) -> None:
        self.matcher = Matcher(self.campaign)

    def process_item(self, item: Page) -> Page:
        ex = item.extracted
        assert ex is not None, "ExtractPipeline must run before RelevancePipeline"
        item.mentions = self.matcher.assess(ex.headline, ex.lede, ex.body)
        if item.mentions or item.forced:
            self.count("relevant")
            return item
        raise self.drop("irrelevant", "the article text names no campaign term")

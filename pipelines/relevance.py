"""Pipeline 2: keep only articles whose own text names the campaign, its organisations or people."""

from __future__ import annotations

from clippings.article import Page
from clippings.relevance import assess_article
from pipelines.base import CrawlerPipeline
from pipelines.offload import offload


class RelevancePipeline(CrawlerPipeline):
    """Records every mention in headline, lede and body; drops the page when there is none."""

    async def process_item(self, item: Page) -> Page:
        ex = item.extracted
        assert ex is not None, "ExtractPipeline must run before RelevancePipeline"
        item.mentions = await offload(self.crawler).run(assess_article, self.campaign, ex.headline, ex.lede, ex.body)
        if item.mentions or item.forced:
            self.count("relevant")
            return item
        raise self.drop("irrelevant", "the article text names no campaign term")

"""Pipeline 3: the article's language, from its text and every declared hint (one rule: `clippings.language`)."""

from __future__ import annotations

from clippings.article import Page
from clippings.language import Hints, language_sample
from pipelines.base import CrawlerPipeline
from pipelines.offload import offload


class LanguagePipeline(CrawlerPipeline):
    """Sets `item.language` and records which evidence decided it."""

    async def process_item(self, item: Page) -> Page:
        ex = item.extracted
        assert ex is not None, "ExtractPipeline must run before LanguagePipeline"
        outlet = self.campaign.outlet(item.outlet)
        hints = Hints(
            page=ex.declared_language or item.content_language,
            feed=item.hints.language,
            outlet=outlet.language if outlet else None,
            campaign=tuple(self.campaign.languages),
        )
        decision = await offload(self.crawler).run(
            "clippings.language:detect", language_sample(ex.headline, ex.lede, ex.body), hints
        )
        item.language, item.language_source = decision.code, decision.source
        return item

"""The claims step (after language, before store): the numbers a relevant article prints, its quotations.

One call, `clippings.claims.article_claims`, in a worker process.

A page that breaks the extractors is stored all the same, without claims: the failure is counted
(`clippings/errors/claims`, reported as the run's `claims` errors) and the crawl goes on. A page
given by hand (`clippings add`) that names no campaign term gets no claims: they would be
counted in the campaign's timeline.
"""

from __future__ import annotations

import logging

from clippings.article import Page
from pipelines.base import CrawlerPipeline
from pipelines.offload import offload

CLAIMS_FUNCTION = "clippings.claims:article_claims"
logger = logging.getLogger(__name__)


class ClaimsPipeline(CrawlerPipeline):
    """Fills `item.counts` (headline, lede, body; `field` set) and `item.quotes` (body)."""

    function = CLAIMS_FUNCTION  # "module:function", run in a worker process

    async def process_item(self, item: Page) -> Page:
        ex = item.extracted
        assert ex is not None, "ExtractPipeline must run before ClaimsPipeline"
        if not item.mentions:
            return item
        try:
            item.counts, item.quotes = await offload(self.crawler).run(
                self.function, ex.headline, ex.lede, ex.body, tuple(self.campaign.people), item.language
            )
        except Exception as exc:  # noqa: BLE001 - a bad page must never stop the crawl
            item.counts, item.quotes = [], []
            self.count("errors/claims")
            logger.warning("claims of %s not read: %s: %s", item.url, type(exc).__name__, exc)
        return item

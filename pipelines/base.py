"""What the item pipelines share: the crawler, its stats, and the drop helper."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem


class CrawlerPipeline:
    """A pipeline that keeps its crawler (Scrapy 2.13+ passes no spider to the pipeline methods)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler)

    @property
    def campaign(self) -> Any:
        return self.crawler.spider.campaign

    def count(self, key: str, by: int = 1) -> None:
        self.crawler.stats.inc_value(f"clippings/{key}", by)

    def drop(self, reason: str, message: str) -> DropItem:
        """Count a dropped page under `dropped/<reason>` and make the DropItem to raise."""
        self.count(f"dropped/{reason}")
        return DropItem(f"{reason}: {message}")

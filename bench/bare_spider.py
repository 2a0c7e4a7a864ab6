"""The framework's own limit: a bare Scrapy spider that reads a sitemap index and fetches pages.

No parsing beyond the sitemaps, no items, no pipelines. Run it outside the project (so that
scrapy.cfg does not load the project's settings) with the same network settings as our crawl:

    scrapy runspider bench/bare_spider.py -a index=http://127.0.0.1:PORT/sitemap-index.xml \
        -a stats_file=/tmp/bare.json -s ROBOTSTXT_OBEY=True -s AUTOTHROTTLE_ENABLED=False \
        -s DOWNLOAD_DELAY=0 -s CONCURRENT_REQUESTS_PER_DOMAIN=32 -s LOG_LEVEL=INFO
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSitemapSpider(SitemapSpider):
    """Follows the sitemap index to every page and counts the answers."""

    name = "bare"

    def __init__(self, index: str, stats_file: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.sitemap_urls = [index]
        self.stats_file = stats_file
        self.pages = 0
        self.page_bytes = 0

    def parse(self, response: Response) -> None:
        """Count the page; nothing else."""
        self.pages += 1
        self.page_bytes += len(response.body)

    def closed(self, reason: str) -> None:
        """Write the page count and Scrapy's stats to stats_file."""
        if not self.stats_file:
            return
        stats = {
            k: v if isinstance(v, int | float | str) else str(v)
            for k, v in self.crawler.stats.get_stats().items()
        }
        with open(self.stats_file, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "reason": reason,
                    "pages": self.pages,
                    "page_bytes": self.page_bytes,
                    "stats": stats,
                },
                out,
            )

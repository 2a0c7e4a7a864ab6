"""The `urls` spider: a given list of article URLs (the campaign's `urls`, `-a urls=...`)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from clippings.article import SourceHints
from spiders.base import CampaignSpider

_LIST_SEP = re.compile(r",\s*(?=https?://)", re.IGNORECASE)  # a comma inside a URL stays


def read_url_list(value: str | None) -> list[str]:
    """URLs from a comma- or newline-separated string, or `@FILE` with one URL per line."""
    if not value:
        return []
    if value.startswith("@"):
        value = Path(value[1:]).read_text(encoding="utf-8")
    items = (part.strip() for line in value.splitlines() for part in _LIST_SEP.split(line))
    return [item for item in items if item and not item.startswith("#")]


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes")


class UrlsSpider(CampaignSpider):
    """Fetches the article URLs the campaign lists, plus any passed with `-a urls=...`.

    `-a force=1` (what `clippings add` passes) refetches known URLs and stores the pages even
    when no campaign term is found in them: the user vouched for them. `-a listed=0` (also passed
    by `clippings add`) leaves out the URLs the campaign file lists.
    """

    name = "urls"
    source_kind = "urls"

    def __init__(
        self, campaign: str | None = None, urls: str | None = None, force: str = "", listed: str = "1",
        **kwargs: Any,
    ):
        super().__init__(campaign, **kwargs)
        self.extra_urls = read_url_list(urls)
        self.force = _flag(force)
        self.listed = _flag(listed)

    async def start(self) -> AsyncIterator[Any]:
        listed = [(url, SourceHints("urls", None)) for _, url in self.outlets_with("urls") if self.listed]
        given = [(url, SourceHints("urls", None)) for url in self.extra_urls]
        for request in self.article_requests(listed):
            yield request
        for request in self.article_requests(given, forced=self.force):
            yield request

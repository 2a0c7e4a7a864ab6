"""What every campaign spider shares: the campaign, outlet lookup, known-URL skipping, article requests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from clippings.article import DroppedPage, Page, SourceHints
from clippings.campaign import load_campaign
from clippings.outlets import OutletIndex
from clippings.relevance import Matcher
from clippings.urls import canonicalize, host_port
from spiders.errors import classify_failure

_HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"text/plain", b"")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")  # UTF-16 and UTF-32 byte order marks


def prefilter_input(response: TextResponse) -> str | bytes:
    """What the prefilter reads: the raw bytes, or the decoded text for UTF-16/32 pages."""
    body = response.body
    if body.startswith(_WIDE_BOMS) or b"\x00" in body[:512]:
        return response.text
    return body


class CampaignSpider(scrapy.Spider):
    """A spider driven by a campaign file (`-a campaign=FILE`); subclasses read one source type."""

    source_kind: ClassVar[str] = ""

    def __init__(self, campaign: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not campaign:
            raise ValueError(f"{self.name}: pass the campaign file, as in: scrapy crawl {self.name} -a campaign=FILE")
        self.campaign = load_campaign(campaign)
        self.outlet_index = OutletIndex(self.campaign)
        self.known: set[str] = set()
        self.matcher = Matcher(self.campaign)
        # Where pages the prefilter drops are reported (StorePipeline remembers them; tests collect them).
        self.drop_sink: Callable[[DroppedPage], None] | None = None
        self.source_hosts: set[tuple[str, int | None]] = set()
        self._queued: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> CampaignSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.getbool("CLIPPINGS_SKIP_KNOWN"):
            from clippings.store.repository import Store

            store = Store.open(crawler.settings["CLIPPINGS_DB"])
            try:
                spider.known = store.known_urls()
            finally:
                store.close()
        return spider

    # --- requests ---------------------------------------------------------------------------------
    def source_request(self, url: str, callback: Any, outlet: str) -> scrapy.Request:
        """A request for a source the campaign lists (feed, sitemap, section): allowed on any host."""
        self.source_hosts.add(host_port(url))
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"clippings_source": True, "outlet": outlet},
            dont_filter=True,
        )

    def article_request(self, link: str, hints: SourceHints, forced: bool = False) -> scrapy.Request | None:
        """A request for an article link, or None when it is off the outlets, known or already queued.

        A forced link (given by hand to `clippings add`) may be on any host and is fetched even if known.
        """
        stats = self.crawler.stats
        url = canonicalize(link)
        outlet = self.outlet_index.outlet_for(url)
        outlet_name = outlet.name if outlet else self.outlet_index.name_for(url)  # registry, else host
        if outlet is None and not forced:
            stats.inc_value("clippings/skipped/offsite_link")
            return None
        if not forced and (url in self.known or link in self.known):
            stats.inc_value("clippings/skipped/known")
            return None
        if url in self._queued:
            if link not in self._queued[url]:
                self._queued[url].append(link)  # the queued request's own alias list
            stats.inc_value("clippings/skipped/duplicate_link")
            return None
        aliases = list(dict.fromkeys([link, url]))
        self._queued[url] = aliases
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"hints": hints, "aliases": aliases, "outlet": outlet_name,
                  "clippings_forced": forced, "clippings_source": forced},
        )

    def article_requests(
        self, links: Iterable[tuple[str, SourceHints]], forced: bool = False
    ) -> Iterable[scrapy.Request]:
        for link, hints in links:
            request = self.article_request(link, hints, forced)
            if request is not None:
                yield request

    # --- responses --------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> list[Page]:
        """Wrap an article response into a Page item for the pipelines ([] when it is not worth it).

        A list, not a generator: Scrapy runs each generator callback's output through a chain of
        async generators, which costs more per page than the prefilter on most (dropped) pages.
        """
        stats = self.crawler.stats
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or content_type not in _HTML_TYPES:
            stats.inc_value("clippings/skipped/not_html")
            self.logger.info("Skipped %s: not an HTML page (%s)", response.url, content_type.decode("latin-1"))
            return []
        if not response.body or response.body.isspace():  # (strip() would copy the page)
            stats.inc_value("clippings/skipped/empty")
            return []
        outlet = self.outlet_index.outlet_for(response.url)
        outlet_name = outlet.name if outlet else self.outlet_index.name_for(response.url)
        aliases = list(response.meta.get("aliases", []))
        if response.url not in aliases:
            aliases.append(response.url)
        stats.inc_value("clippings/articles_seen")
        forced = bool(response.meta.get("clippings_forced"))
        # The prefilter runs here, on the raw bytes: most pages never mention the campaign, and
        # those never become items (no decoding, no pipelines). Candidates go on to the pipelines.
        if not forced and not self.matcher.could_match(prefilter_input(response)):
            stats.inc_value("clippings/dropped/irrelevant")
            stats.inc_value("clippings/prefilter/dropped")
            if self.drop_sink is not None:
                self.drop_sink(DroppedPage(tuple(aliases), outlet_name, "irrelevant"))
            return []
        stats.inc_value("clippings/prefilter/passed")
        language = response.headers.get(b"Content-Language")
        return [Page(
            url=response.url,
            outlet=outlet_name,
            html=response.text,
            fetched_at=datetime.now(UTC),
            hints=response.meta.get("hints") or SourceHints(kind=self.source_kind),
            alias_urls=aliases,
            content_language=language.decode("latin-1") if language else None,
            forced=forced,
        )]

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind; one page never stops the crawl."""
        kind = classify_failure(failure.value)
        self.crawler.stats.inc_value(f"clippings/errors/{kind}")
        request = getattr(failure, "request", None)
        self.logger.warning("Failed %s (%s): %s", getattr(request, "url", "?"), kind, failure.getErrorMessage())

    def count_error(self, kind: str, url: str, message: str) -> None:
        """Count a failure found while reading a response (e.g. a feed that does not parse)."""
        self.crawler.stats.inc_value(f"clippings/errors/{kind}")
        self.logger.warning("Failed %s (%s): %s", url, kind, message)

    def outlets_with(self, attribute: str) -> Iterable[tuple[str, str]]:
        """(outlet name, url) for every URL the campaign's outlets list under `attribute`."""
        for outlet in self.campaign.outlets:
            for url in getattr(outlet, attribute):
                yield outlet.name, url

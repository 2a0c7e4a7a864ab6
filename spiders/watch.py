"""The `watch` spider: read every `[[watch]]` counter page of the campaign once per crawl.

Each watch yields one `WatchObservation` per crawl, unchanged values included, so that the series
has no holes:

- `found`: the page was fetched and `clippings.watch.read_counter` read its number;
- `missing`: the page was fetched but shows no counter (value None, `detail` says why); never
  recorded as zero;
- `error`: the page could not be fetched (dead host, HTTP 404, robots.txt forbids it...): `detail`
  names the failure kind (`spiders.errors`) and message.

Watched pages may live on any host (a petition site is rarely a news outlet): their requests are
marked as campaign sources for the offsite filter, robots.txt is obeyed as everywhere, and each is
fetched even if another watch names the same URL (`dont_filter`). The watch spider's items are
observations, not article pages, so it runs with its own item pipeline only
(`pipelines.watch.WatchPipeline`, see `custom_settings`), and skips loading known article URLs.
Run stats: `clippings/watch/found|missing|error`, and `clippings/errors/watch_missing` or
`clippings/errors/watch_<kind>` (`watch_http_404`, `watch_dns`...) for the run's errors by kind.
When the spider closes, each reading and the totals go to the Scrapy log (INFO), which is what
`scrapy crawl watch` shows; `clippings crawl` prints them once, in its run summary:

    Watch: Petition: 1,284 ("1,284 have signed")
    Watch: Event map: missing (selector '.event-total' matched nothing)
    Watch: 2 watched counters: 1 found, 1 missing, 0 errors
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from clippings.article import WatchObservation, status_counts
from clippings.campaign import Watch
from clippings.urls import host_port
from clippings.watch import Found, read_counter
from spiders.base import CampaignSpider
from spiders.errors import classify_failure

# A counter may also come from a JSON endpoint (read with a regex): `{"signatures": 1284}`.
_READABLE = (b"text/html", b"application/xhtml+xml", b"text/plain", b"application/json", b"")


class WatchSpider(CampaignSpider):
    """Fetches each `[[watch]]` URL once and yields one observation per watch."""

    name = "watch"
    source_kind = "watch"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {"pipelines.watch.WatchPipeline": 900},
        "CLIPPINGS_SKIP_KNOWN": False,  # no article links here: the known-URL set is not needed
    }

    def __init__(self, campaign: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(campaign, *args, **kwargs)
        self.readings: list[WatchObservation] = []

    async def start(self) -> AsyncIterator[Any]:
        for watch in self.campaign.watch:
            yield self.watch_request(watch)

    def watch_request(self, watch: Watch) -> scrapy.Request:
        self.source_hosts.add(host_port(watch.url))  # its robots.txt may be fetched off the outlets
        return scrapy.Request(
            watch.url,
            callback=self.parse_watch,
            errback=self.watch_failed,
            meta={"clippings_source": True, "watch": watch},
            dont_filter=True,
        )

    def parse_watch(self, response: Response) -> list[WatchObservation]:
        watch: Watch = response.meta["watch"]
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or content_type not in _READABLE:
            reading = None
            detail = f"not an HTML page ({content_type.decode('latin-1') or 'no content type'})"
        else:
            reading = read_counter(response.text, response.url, watch)
            detail = None if isinstance(reading, Found) else reading.reason
        if isinstance(reading, Found):
            return [self.observe(watch, "found", value=reading.value, text=reading.text)]
        self.logger.warning("Watch %r (%s): no counter: %s", watch.name, watch.url, detail)
        return [self.observe(watch, "missing", detail=detail)]

    def watch_failed(self, failure: Failure) -> list[WatchObservation]:
        request = getattr(failure, "request", None)
        watch: Watch | None = request.meta.get("watch") if request is not None else None
        kind = classify_failure(failure.value)
        message = failure.getErrorMessage()
        if watch is None:  # not one of ours (cannot happen: every request carries its watch)
            self.count_error(kind, getattr(request, "url", "?"), message)
            return []
        self.logger.warning("Watch %r (%s) failed (%s): %s", watch.name, watch.url, kind, message)
        return [self.observe(watch, "error", detail=f"{kind}: {message}"[:500], kind=kind)]

    def observe(
        self, watch: Watch, status: str, value: int | None = None, text: str | None = None,
        detail: str | None = None, kind: str | None = None,
    ) -> WatchObservation:
        """The observation, counted in the crawl's stats."""
        stats = self.crawler.stats
        stats.inc_value(f"clippings/watch/{status}")
        if status == "missing":
            stats.inc_value("clippings/errors/watch_missing")
        elif status == "error":
            stats.inc_value(f"clippings/errors/watch_{kind or 'other'}")
        reading = WatchObservation(
            name=watch.name, url=watch.url, observed_at=datetime.now(UTC), status=status,
            value=value, text=text, detail=detail, kind=watch.kind,
        )
        self.readings.append(reading)
        return reading

    def closed(self, reason: str) -> None:
        """Log each reading and the totals (the run summary of `clippings crawl` prints them too)."""
        for line in report_lines(self.readings):
            self.logger.info("Watch: %s", line)


def report_lines(readings: list[WatchObservation]) -> list[str]:
    """One line per reading, then the totals: what a crawl tells the user about its watched counters."""
    lines = []
    for o in readings:
        if o.status == "found":
            lines.append(f'{o.name}: {o.value:,} ("{o.text}")')
        else:
            lines.append(f"{o.name}: {o.status} ({o.detail})")
    counts = status_counts(readings)
    lines.append(
        f"{len(readings)} watched counters: {counts['found']} found, {counts['missing']} missing, "
        f"{counts['error']} errors"
    )
    return lines

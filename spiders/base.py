"""What every campaign spider shares: the campaign, outlet lookup, known-URL skipping, article requests,
and the polling of sources (conditional GET, the body-hash backstop, one recorded poll per source).

Polling: every source the campaign lists (a feed, a sitemap) is requested with the validators its
last poll stored (`If-None-Match` from the ETag, `If-Modified-Since` from Last-Modified). A 304, or
a 200 whose body hashes (SHA-256) to the stored hash, is `unchanged`: nothing is parsed and no
link followed. A 200 with the same ETag but another body is read (some servers keep their ETag
after a change). When a source's poll is over (its response read, or for a sitemap index every
sitemap it names), the result goes through `clippings.store.sources.record_poll`, which applies
the poll policy of `clippings.sources` (interval, back-off, health). `-a sources=URL,URL` limits a
spider to those of the campaign's sources (what `clippings watch` passes); `CLIPPINGS_POLL_TIME`
(ISO 8601) dates the polls, else the clock does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from clippings.article import DroppedPage, Page, SourceHints
from clippings.campaign import SCHEDULE_KINDS, load_campaign
from clippings.outlets import OutletIndex
from clippings.relevance import Matcher
from clippings.sources import PollResult, SourceState, policy_for
from clippings.urls import canonicalize, host_port, variant_key_or_none
from spiders.errors import classify_failure

_HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"text/plain", b"")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")  # UTF-16 and UTF-32 byte order marks


def prefilter_input(response: TextResponse) -> str | bytes:
    """What the prefilter reads: the raw bytes, or the decoded text for UTF-16/32 pages."""
    body = response.body
    if body.startswith(_WIDE_BOMS) or b"\x00" in body[:512]:
        return response.text
    return body


@dataclass
class _Poll:
    """One source's poll in progress: requests outstanding and what was found so far."""

    outlet: str
    outstanding: int = 0
    status: str | None = None  # "unchanged", "read" or "failed" once its own response is in
    entries: int = 0
    new_items: int = 0
    failure_kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    recorded: bool = False


def _leaves_work(poll: _Poll) -> bool:
    """True for a read poll that queued article requests: it is recorded (with the body hash and
    validators that would make the next poll skip the source) only once the spider has finished,
    that is once those articles are stored or dropped; a crawl killed before then reads it again."""
    return poll.status == "read" and poll.new_items > 0


def parse_since(value: str | None) -> datetime | None:
    """`-a since=YYYY-MM-DD` (or an ISO datetime) as aware UTC; ValueError with the expected form."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"since={value!r}: expected a date such as 2020-10-01 or an ISO 8601 datetime") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def meta_of(response: Response) -> dict[str, Any]:
    """A response's request meta; {} for a response built without a request (as in tests)."""
    try:
        return response.meta
    except AttributeError:
        return {}


def parse_sources_arg(value: str | None) -> frozenset[str] | None:
    """`-a sources=URL,URL` (commas or newlines) -> the set of URLs; None when not given."""
    if value is None:
        return None
    return frozenset(u.strip() for u in value.replace("\n", ",").split(",") if u.strip())


class CampaignSpider(scrapy.Spider):
    """A spider driven by a campaign file (`-a campaign=FILE`); subclasses read one source type.

    `-a sources=URL,URL` limits it to those of the campaign's sources.
    """

    source_kind: ClassVar[str] = ""

    def __init__(self, campaign: str | None = None, *args: Any, sources: str | None = None,
                 since: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.since = parse_since(since)  # a backfill: read every source whole, back to this day
        if not campaign:
            raise ValueError(f"{self.name}: pass the campaign file, as in: scrapy crawl {self.name} -a campaign=FILE")
        self.campaign = load_campaign(campaign)
        self.only_sources = parse_sources_arg(sources)
        self.poll_states: dict[str, SourceState] = {}
        self.polls: dict[str, _Poll] = {}
        self.poll_store: Any = None  # the Store polls are recorded in (opened by from_crawler)
        self.poll_time: datetime | None = None
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
        from clippings.spool import open_store
        from clippings.store.sources import source_states

        skip_known = crawler.settings.getbool("CLIPPINGS_SKIP_KNOWN")
        polling = spider.source_kind in SCHEDULE_KINDS and crawler.settings.get("CLIPPINGS_DB")
        if not (skip_known or polling):
            return spider  # nothing to read (a spider built by hand, without a database)
        store = open_store(crawler.settings["CLIPPINGS_DB"])  # waits a little for a database that is away
        if skip_known:
            spider.known = store.known_urls()
        if polling:
            store.sync_campaign(spider.campaign)
            spider.poll_states = {s.url: s for s in source_states(store, kinds=[spider.source_kind])}
            spider.poll_store = store
        else:
            store.close()
        when = crawler.settings.get("CLIPPINGS_POLL_TIME")
        if when:
            parsed = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
            spider.poll_time = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return spider

    def closed(self, reason: str) -> None:
        """Record the polls not recorded yet. A crawl that finished (reason "finished": every
        request, response and item is done) records them all; one stopped early records only the
        polls that left no work behind (unchanged, failed, or read with nothing new and nothing
        outstanding), so a source whose articles may not all be stored stays due and is read again
        (crash safety: its links are found again). A poll whose source never answered is not recorded."""
        for url, poll in self.polls.items():
            if poll.recorded or poll.status is None:
                continue
            if reason == "finished" or (poll.outstanding <= 0 and not _leaves_work(poll)):
                self._record_poll(url, poll)
        if self.poll_store is not None:
            self.poll_store.close()
            self.poll_store = None

    # --- requests ---------------------------------------------------------------------------------
    def source_request(self, url: str, callback: Any, outlet: str, poll: str | None = None) -> scrapy.Request:
        """A request for a source (feed, sitemap, section): allowed on any host.

        A source the campaign lists starts a poll: conditional headers from its stored state. A
        request made for a poll in progress (a sitemap an index names) gives `poll`, the listed URL.
        """
        self.source_hosts.add(host_port(url))
        headers = {}
        meta = {"clippings_source": True, "outlet": outlet, "clippings_poll": poll or url}
        if poll is None:
            state = self.poll_states.get(url) if self.since is None else None  # a backfill asks for everything
            if state is not None and state.etag:
                headers["If-None-Match"] = state.etag
            if state is not None and state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            meta["handle_httpstatus_list"] = [304]
            meta["clippings_poll_root"] = True
            self.polls[url] = _Poll(outlet=outlet)
        self.polls[poll or url].outstanding += 1
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, meta=meta, headers=headers, dont_filter=True,
        )

    # --- polls --------------------------------------------------------------------------------
    def poll_unchanged(self, response: Response) -> bool:
        """True (and the poll is over) when a listed source's response is a 304 or the body it had.

        Otherwise the response's validators and body hash are kept for the poll's record.
        """
        meta = meta_of(response)
        url = meta.get("clippings_poll")
        if not meta.get("clippings_poll_root") or url not in self.polls:
            return False
        poll = self.polls[url]
        if response.status == 304:
            poll.status = "unchanged"
            self.crawler.stats.inc_value("clippings/polls/not_modified")
        else:
            digest = hashlib.sha256(response.body).hexdigest()
            poll.body_hash = digest
            state = self.poll_states.get(url)
            # a backfill (`since`) reads a source even when it has not changed
            same = state is not None and state.body_hash == digest and self.since is None
            poll.status = "unchanged" if same else "read"
            if poll.status == "unchanged":
                self.crawler.stats.inc_value("clippings/polls/same_body")
        # a 200's validators replace the stored ones ("" clears); a 304 without them keeps them (None)
        missing = None if response.status == 304 else ""
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        poll.etag = etag.decode("latin-1") if etag else missing
        poll.last_modified = modified.decode("latin-1") if modified else missing
        if poll.status == "unchanged":
            self.poll_done(meta)
            return True
        return False

    def poll_done(
        self, meta: dict[str, Any], entries: int = 0, new_items: int = 0, failure_kind: str | None = None
    ) -> None:
        """One request of a poll is over; the poll is recorded when none is left."""
        url = meta.get("clippings_poll")
        poll = self.polls.get(url) if url else None
        if poll is None or url is None:
            return
        poll.entries += entries
        poll.new_items += new_items
        if failure_kind is not None and meta.get("clippings_poll_root"):
            poll.status, poll.failure_kind = "failed", failure_kind
        elif poll.status is None and meta.get("clippings_poll_root"):
            poll.status = "read"
        poll.outstanding -= 1
        if poll.outstanding <= 0 and not poll.recorded and not _leaves_work(poll):
            self._record_poll(url, poll)  # a poll that queued articles waits for the spider's end (closed)

    def _record_poll(self, url: str, poll: _Poll) -> None:
        poll.recorded = True
        if self.poll_store is None or url not in self.poll_states:
            return
        if poll.status == "failed":
            status = "failed"
        elif poll.status == "unchanged":
            status = "unchanged"
        else:
            status = "new" if poll.new_items else "no_new"
        result = PollResult(
            status=status, at=self.poll_time or datetime.now(UTC), new_items=poll.new_items,
            entries=poll.entries, failure_kind=poll.failure_kind if status == "failed" else None,
            etag=poll.etag, last_modified=poll.last_modified,
            body_hash=poll.body_hash if status != "failed" else None,
        )
        from clippings.store.sources import record_poll

        policy = policy_for(self.campaign.interval(poll.outlet, self.source_kind))
        from clippings.spool import is_unavailable

        try:
            self.poll_states[url] = record_poll(self.poll_store, url, result, policy)
        except Exception as exc:  # the database is away: the poll stays unrecorded, the source due
            if not is_unavailable(exc):
                raise
            self.crawler.stats.inc_value("clippings/errors/db_unavailable")
            self.logger.warning("Poll of %s not recorded, the database is unavailable: %s", url, exc)
            return
        self.crawler.stats.inc_value(f"clippings/polls/{status}")

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
        known = self.known
        if not forced and known and (url in known or link in known or variant_key_or_none(url) in known):
            stats.inc_value("clippings/skipped/known")  # another spelling of a known article counts too
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
        if request is not None and request.meta.get("clippings_poll"):
            self.poll_done(request.meta, failure_kind=kind)

    def count_error(self, kind: str, url: str, message: str, meta: dict[str, Any] | None = None) -> None:
        """Count a failure found while reading a response (e.g. a feed that does not parse); with the
        response's `meta`, a source's poll ends failed."""
        self.crawler.stats.inc_value(f"clippings/errors/{kind}")
        self.logger.warning("Failed %s (%s): %s", url, kind, message)
        if meta is not None and meta.get("clippings_poll"):
            self.poll_done(meta, failure_kind=kind)

    def outlets_with(self, attribute: str) -> Iterable[tuple[str, str]]:
        """(outlet name, url) for every URL the campaign's outlets list under `attribute` (those
        given with `-a sources=...` only, when given)."""
        for outlet in self.campaign.outlets:
            for url in getattr(outlet, attribute):
                if self.only_sources is None or url in self.only_sources:
                    yield outlet.name, url

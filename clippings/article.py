"""The typed records that travel from the spiders through the pipelines to the store.

A spider yields a `Page` (the Scrapy item). Pipelines fill `extracted`, `mentions` and `language`
in place through pure functions in this package; the store pipeline turns the page into a
`Clipping` with `to_clipping` and writes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FIELDS = ("headline", "lede", "body")  # the article text that relevance reads, in this order


@dataclass
class SourceHints:
    """What the source that led to a page said about it (feed entry, sitemap entry, URL list)."""

    kind: str  # "feeds", "sitemaps", "urls" or "sections"
    source_url: str | None = None
    title: str | None = None
    published_at: datetime | None = None  # timezone-aware UTC
    language: str | None = None  # ISO 639-1


@dataclass
class Extracted:
    """What extraction read from one article page."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # timezone-aware (the page's offset if it gives one), never future
    lede: str | None = None
    body: str = ""
    canonical_url: str | None = None  # rel=canonical or og:url, absolute
    site_name: str | None = None
    declared_language: str | None = None  # <html lang>, og:locale or content-language meta


@dataclass(frozen=True)
class Mention:
    """One place where article text names a tracked term as that entity."""

    term: str  # the term as the campaign file spells it
    kind: str  # "phrase", "organization" or "person"
    field: str  # "headline", "lede" or "body"
    start: int  # character offsets into that field's text
    end: int
    text: str  # the words as written

    def as_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "kind": self.kind,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


COUNT_KINDS = ("events", "organizations", "participants", "locations", "signatures")
QUALIFIERS = ("exactly", "over", "at_least", "up_to", "about", "approx", "range")


@dataclass(frozen=True)
class CountClaim:
    """A number the text claims about the campaign's activity: "Over 200 protests" -> 200, over, protests.

    Found by `clippings.counts.extract_counts`; offsets are into the text it was given.
    """

    value: int  # the number claimed (for "approx", the vague word's minimum: "hundreds" -> 200)
    low: int | None  # the bounds the wording allows (None: open)
    high: int | None
    qualifier: str  # one of QUALIFIERS
    unit: str  # the head noun, normalised to English plural: "protests", "groups", "signatures"
    kind: str  # one of COUNT_KINDS
    span: str  # the quantity words as written: "Over 200", "más de doscientas", "Hunderte"
    start: int  # character offset of `span`
    field: str = ""  # where the text came from when stored: "headline", "lede" or "body"

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("value", "low", "high", "qualifier", "unit", "kind", "span", "start",
                                               "field")}


@dataclass(frozen=True)
class Quote:
    """A direct quotation and who said it, found by `clippings.quotes.extract_quotes`."""

    text: str  # the quoted words, without the quotation marks
    speaker: str | None  # the speaker as written ("Eldridge", "Ezra Levin, Indivisible's co-founder"), if found
    person: str | None  # the campaign's person (as the campaign file spells the name) when the speaker is one
    start: int  # character offset of the opening quotation mark
    end: int  # offset just past the closing mark

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "speaker": self.speaker, "person": self.person, "start": self.start,
                "end": self.end}


_QUALIFIER_SIGNS = {"exactly": "", "over": ">", "at_least": "≥", "up_to": "≤", "about": "~", "approx": "~"}


def claim_label(claim: CountClaim | Mapping[str, Any]) -> str:
    """A count claim in a few characters: ">370 events", "~200 protests", "120–150 events"."""
    c = claim.as_dict() if isinstance(claim, CountClaim) else claim
    if c["qualifier"] == "range" and c.get("low") is not None and c.get("high") is not None:
        number = f"{c['low']:,}–{c['high']:,}"
    else:
        number = _QUALIFIER_SIGNS.get(str(c["qualifier"]), "") + f"{c['value']:,}"
    return f"{number} {c['unit']}"


WATCH_STATUSES = ("found", "missing", "error")


@dataclass(frozen=True)
class WatchObservation:
    """One reading of a watched counter page ("0 have signed", "370 events") at one crawl."""

    name: str  # the [[watch]] entry's name
    url: str
    observed_at: datetime  # timezone-aware UTC
    status: str  # "found", "missing" (the page no longer shows the counter) or "error" (not fetched)
    value: int | None = None  # the counter's number when found
    text: str | None = None  # the words it was read from, as written
    detail: str | None = None  # why missing/error: "selector matched nothing", "http 404"...
    kind: str | None = None  # what the counter counts (one of COUNT_KINDS: the watch's `kind`), when known


def status_counts(readings: Iterable[WatchObservation]) -> dict[str, int]:
    """How many readings found their counter, found none ("missing") and failed ("error")."""
    counts = dict.fromkeys(WATCH_STATUSES, 0)
    for o in readings:
        counts[o.status] = counts.get(o.status, 0) + 1
    return counts


@dataclass(frozen=True)
class DroppedPage:
    """A fetched page that is not a clipping, remembered so that it is not fetched again."""

    urls: tuple[str, ...]  # every URL that led to it
    outlet: str
    reason: str  # "irrelevant" or "unreadable"


@dataclass(repr=False)
class Page:
    """A fetched article page: the Scrapy item that the pipelines fill in."""

    url: str  # the URL that answered (after redirects)
    outlet: str
    html: str
    fetched_at: datetime
    hints: SourceHints
    alias_urls: list[str] = field(default_factory=list)  # every URL that led here
    content_language: str | None = None  # the HTTP Content-Language header
    forced: bool = False  # given by hand (`clippings add`): stored even without a campaign term
    extracted: Extracted | None = None
    mentions: list[Mention] = field(default_factory=list)
    language: str | None = None
    language_source: str | None = None  # which evidence decided the language
    counts: list[CountClaim] = field(default_factory=list)  # from headline, lede and body (`field` set)
    quotes: list[Quote] = field(default_factory=list)  # from the body

    def __repr__(self) -> str:  # Scrapy logs items: keep the page's HTML out of the log
        return f"Page(url={self.url!r}, outlet={self.outlet!r}, html=<{len(self.html)} chars>)"


@dataclass
class Clipping:
    """A relevant article as stored: one per story URL."""

    url: str  # canonical URL
    outlet: str
    headline: str
    lede: str | None
    authors: list[str]
    published_at: datetime | None
    language: str | None
    body: str
    mentions: list[Mention]
    alias_urls: list[str]
    source_kind: str
    fetched_at: datetime
    agency: str | None = None  # the wire agency the story comes from (AFP, Associated Press...), when known
    counts: list[CountClaim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def matched_terms(self) -> list[str]:
        """The distinct terms matched, in the order first seen."""
        return list(dict.fromkeys(m.term for m in self.mentions))


def to_clipping(page: Page, url: str, agency: str | None = None) -> Clipping:
    """The clipping to store for a page that passed the pipelines, under canonical `url`.

    `agency` is the wire agency found on the page (`clippings.agency.detect_agency`), if any.
    """
    ex = page.extracted or Extracted()
    aliases = list(dict.fromkeys([*page.alias_urls, page.url, url]))
    return Clipping(
        url=url,
        outlet=page.outlet,
        headline=ex.headline or page.hints.title or "",
        lede=ex.lede,
        authors=list(ex.authors),
        published_at=ex.published_at or page.hints.published_at,
        language=page.language,
        body=ex.body,
        mentions=list(page.mentions),
        alias_urls=aliases,
        source_kind=page.hints.kind,
        fetched_at=page.fetched_at,
        agency=agency,
        counts=list(page.counts),
        quotes=list(page.quotes),
    )

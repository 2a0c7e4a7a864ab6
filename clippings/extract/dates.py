"""Publication time: structured dates, then HTML <time>, then htmldate; always UTC, never future."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as dateutil_parser
from dateutil import tz
from htmldate import find_date

from clippings.extract.document import Document, load_json, text_of

# A naive time this far past `now` is taken as local time ahead of UTC and clamped to `now`.
NAIVE_SLACK = timedelta(hours=14)
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
HTMLDATE_EXTENSIVE = False  # htmldate's free-text search finds more dates, and more wrong ones

_PUBLISHED_METAS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "originalpublicationdate",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "date_published",
)
_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_TIME_XPATHS = (
    '//*[@itemprop="datePublished"]',
    "//time[@pubdate]",
    '//article//time[@datetime][not(contains(@itemprop, "dateModified"))]',
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|\.html?|$)"
)
_TZINFOS = {
    name: tz.tzoffset(name, int(hours * 3600))
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "MEZ": 1,
        "MESZ": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "IST": 5.5,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }.items()
}


def find_published(doc: Document, article: dict[str, Any] | None, now: datetime) -> datetime | None:
    """The first plausible publication time among the page's date sources, in UTC.

    htmldate is asked only when the page offers no readable date at all: it reads the same tags,
    and a date dropped here (before 1995, or in the future) must stay dropped.
    """
    readable = False
    for value in _candidates(doc, article):
        when = parse_datetime(value)
        if when is not None:
            readable = True
            when = bound_datetime(when, now, naive=_is_naive(value))
            if when is not None:
                return when
    return None if readable else _find_with_htmldate(doc, now)


def _candidates(doc: Document, article: dict[str, Any] | None) -> Iterator[str]:
    """Raw date strings, best first: JSON-LD, meta, microdata, article <time>, URL, any <time>."""
    if article is not None:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            value = text_of(article.get(key))
            if value:
                yield value
    for name in _PUBLISHED_METAS:
        yield from doc.meta.get(name, ())
    for blob in doc.meta.get("parsely-page", ())[:1]:
        parsely = load_json(blob)
        if isinstance(parsely, dict) and isinstance(parsely.get("pub_date"), str):
            yield parsely["pub_date"]
    for xpath in _TIME_XPATHS:
        for element in doc.tree.xpath(xpath)[:2]:
            value = element.get("datetime") or element.get("content") or element.text_content()
            if value and value.strip():
                yield value.strip()
    url_date = _URL_DATE.search(doc.url)
    if url_date:
        day = "-".join(f"{int(part):02d}" for part in url_date.groups())
        # A <time> anywhere on the page that agrees with the URL's day adds the time of day.
        for stamp in doc.tree.xpath("//time/@datetime")[:10]:
            if str(stamp).strip().startswith(day):
                yield str(stamp).strip()
        yield day
    yield from (
        str(v)
        for v in doc.tree.xpath('//time[not(contains(@itemprop, "dateModified"))]/@datetime')[:1]
    )


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO 8601, RFC 2822 or common written date into an aware datetime (naive -> UTC)."""
    value = value.strip()[:100]
    if not value or not any(c.isdigit() for c in value):
        return None
    try:
        parsed = _parse_iso(value) or _parse_rfc2822(value) or _parse_loose(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def bound_datetime(when: datetime, now: datetime, *, naive: bool = False) -> datetime | None:
    """Drop times before 1995 or after `now`; a naive time up to NAIVE_SLACK ahead becomes `now`."""
    if when < EARLIEST:
        return None
    if when > now:
        return now if naive and when - now <= NAIVE_SLACK else None
    return when


def _is_naive(value: str) -> bool:
    parsed = _ISO.match(value.strip())
    return parsed is not None and parsed.group(7) is None


def _parse_iso(value: str) -> datetime | None:
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = None
    if zone:
        zone = zone.upper()
        if zone in ("Z", "UTC", "GMT"):
            offset = UTC
        else:
            digits = zone[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
            offset = timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes))
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=offset,
    )


def _parse_rfc2822(value: str) -> datetime | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_loose(value: str) -> datetime | None:
    if len(value) < 8 or not re.search(r"\d{4}", value):
        return None  # no year: too ambiguous to guess
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return dateutil_parser.parse(value, tzinfos=_TZINFOS, default=datetime(2000, 1, 1))
        except (dateutil_parser.ParserError, ValueError, OverflowError, TypeError):
            return None


def _find_with_htmldate(doc: Document, now: datetime) -> datetime | None:
    """htmldate's original-date guess (fast mode, URL included) as a last resort, midnight UTC."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = find_date(
                doc.tree,
                extensive_search=HTMLDATE_EXTENSIVE,
                original_date=True,
                url=doc.url,
                min_date=EARLIEST.replace(tzinfo=None),
                max_date=_htmldate_max(now),
            )
        except Exception:  # noqa: BLE001 - a third-party heuristic must never break extraction
            return None
    when = parse_datetime(found) if found else None
    return bound_datetime(when, now) if when else None


def _htmldate_max(now: datetime) -> datetime:
    """A day past `now`: htmldate clamps later dates to its maximum; those must stay droppable."""
    return (now.astimezone(UTC) + timedelta(days=1)).replace(tzinfo=None)

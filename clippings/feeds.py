"""Feed documents (RSS 0.9x/1.0/2.0, Atom) -> article links with hints, through feedparser.

feedparser only ever parses bytes handed to it here; it never fetches anything itself.

No entity expansion: feedparser strips a feed's `<!ENTITY>` declarations (keeping only those whose
value is plain text or one character reference) but found them only at the start of a line, so a
billion-laughs feed declaring its entities on one line reached expat, which expanded ~1 million of
them (2 s of CPU per feed) before its own amplification limit stopped it. Its pattern is widened here
to find every declaration wherever it stands, quoted `>` included: a hostile feed's references stay
unexpanded text, and external entities (`SYSTEM "file:///etc/passwd"`) are never declared, let alone
read (feedparser also turns expat's external entities off).
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
import feedparser.sanitizer

from clippings.language import normalize_code

# Every <!ENTITY ...> declaration, anywhere in the prolog (feedparser's own pattern wants it at a line's start).
feedparser.sanitizer.RE_ENTITY_PATTERN = re.compile(rb"""<!ENTITY((?:[^>"']|"[^"]*"|'[^']*')*)>""")

MAX_ENTRIES = 5000  # a feed with more entries than this is cut (and the cut is reported)


@dataclass(frozen=True)
class FeedEntry:
    """One feed item that points at an article."""

    url: str
    title: str | None
    published_at: datetime | None
    language: str | None


@dataclass
class FeedDocument:
    """What a feed held: its entries with links, and how many entries had to be skipped."""

    entries: list[FeedEntry] = field(default_factory=list)
    skipped: int = 0  # entries without a usable link
    malformed: bool = False  # feedparser's bozo flag: not well-formed, read leniently
    error: str | None = None  # why nothing could be read, when nothing could


def _struct_to_utc(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> FeedDocument:
    """Parse a feed's bytes; relative links resolve against `url`."""
    # Without a Content-Type, feedparser would flag every such feed as not well-formed (NonXMLContentType):
    # application/xml lets the XML declaration (or a byte order mark) name the encoding, as with no headers.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    doc = FeedDocument(malformed=bool(parsed.get("bozo")))
    if not parsed.entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        doc.error = f"not a feed: {reason}" if reason else "not a feed"
        return doc
    feed_language = normalize_code(parsed.feed.get("language"))
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = entry.get("feedburner_origlink") or entry.get("link")
        if not link:
            link = next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
        if not link or not isinstance(link, str):
            doc.skipped += 1
            continue
        absolute = urljoin(url, link.strip())
        if not absolute.startswith(("http://", "https://")):
            doc.skipped += 1
            continue
        title = (entry.get("title") or "").strip() or None
        # dict.get: feedparser's own get() maps a missing published date to the updated one with a warning
        published = _struct_to_utc(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
        language = normalize_code(entry.get("language")) or feed_language
        doc.entries.append(FeedEntry(absolute, title, published, language))
    doc.skipped += max(0, len(parsed.entries) - MAX_ENTRIES)
    return doc

"""Stored clippings as files for other tools: CSV, JSON Lines and an Atom 1.0 feed.

Pure functions over `StoredClipping` records (what `Store.query` returns): no database, no I/O.
Each returns the whole document as text ending with a newline (an empty JSON Lines export is "");
write it as is. Clippings come out in the order given.

CSV (`export_csv`): RFC 4180 (comma, double quotes, CRLF line ends): a header row, then one row per
clipping, with the columns `EXPORT_COLUMNS`:

    url, outlet, headline, published_at, language, authors, lede, matched_terms, first_seen_at,
    alias_urls, agency, counts, quotes, earlier_headlines

Dates are ISO 8601 with their UTC offset; an unknown value is an empty cell. Lists (authors,
matched_terms, alias_urls, counts, quotes) are joined with "; " in one cell. A count claim reads
"over 200 events (Over 200) [headline]": the qualifier in words ("over", "at least", "up to",
"about", "approx."; nothing for an exact number; a range as "120–150"), the number, the unit, the
words as written and the field (headline, lede or body) it is in. A quote reads
"“text” — speaker", with the campaign's person in parentheses when the speaker is written
differently ("“…” — Eldridge (Sean Eldridge)"). Every cell that a spreadsheet could run as a
formula (one starting with = + - @, a tab or a carriage return) gets a leading apostrophe, the
rule of `clippings.formats` (`'=HYPERLINK(...)`, `'-2`): reading the file back gives the cell
with that apostrophe. Text is otherwise kept as stored.

JSON Lines (`export_jsonl`): one JSON object per line, `StoredClipping.to_json()`: url, outlet,
headline, published_at, language, authors, lede, matched_terms, first_seen_at, alias_urls,
agency, counts (objects: value, low, high, qualifier, unit, kind, span, start, field), quotes
(objects: text, speaker, person, start, end) and earlier_headlines (an updated article's former
headlines, oldest first), the same record as `clippings query --format
jsonl`. Non-ASCII is written as is (UTF-8), never as \\u escapes.

Atom (`export_atom`): a valid Atom 1.0 feed (RFC 4287), built with ElementTree, so every text and
attribute is escaped. The feed has the given id and title, `updated` (the newest entry's
`updated`, so the same clippings give the same feed; `generated`, else the current time, only when
there are no entries), a `link rel="self"` when `self_url` is given, and the generator
"clippings". One entry per clipping:

    id          the clipping's URL (percent-encoded where an IRI cannot hold a character)
    title       the headline (type text); the URL when the headline is empty
    link        rel="alternate", href the URL
    updated     published_at, else first_seen_at (RFC 3339 with its offset)
    published   published_at, when known
    author      one per author (name); with no authors, the outlet's name
    summary     the lede (type text), when there is one
    category    term= each matched term
    source      <source><title>the outlet</title></source>
    xml:lang    the clipping's language, on the entry, when known

A clipping whose URL is not an absolute http(s) URL (`javascript:alert(1)`; the store never keeps
one, as crawled URLs are canonicalised http(s) URLs) has no page a feed reader could open, and
RFC 4287 requires an entry without content to have an alternate link: it gets no entry (the CSV
and JSON Lines exports keep it). Characters XML 1.0 forbids (control characters other than tab,
newline and carriage return; U+FFFE, U+FFFF; lone surrogates) are removed from every text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from clippings.article import CountClaim, Quote
from clippings.formats import csv_cell

if TYPE_CHECKING:
    from clippings.store.repository import StoredClipping

__all__ = [
    "ATOM_NS", "EXPORT_COLUMNS", "atom_entries_skipped", "count_text", "export_atom", "export_csv", "export_jsonl",
    "quote_text",
]

EXPORT_COLUMNS: tuple[str, ...] = (
    "url", "outlet", "headline", "published_at", "language", "authors", "lede", "matched_terms",
    "first_seen_at", "alias_urls", "agency", "counts", "quotes", "earlier_headlines",
)
ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_GENERATOR = "clippings"

_QUALIFIER_WORDS = {"exactly": "", "over": "over ", "at_least": "at least ", "up_to": "up to ", "about": "about ",
                    "approx": "approx. "}
# Characters outside XML 1.0's Char production: C0 controls but tab, LF, CR; surrogates; U+FFFE, U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
# What an IRI may hold as is (RFC 3987: reserved, unreserved, '%', and any non-ASCII character).
_IRI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


# -- CSV ------------------------------------------------------------------------------------------


def count_text(claim: CountClaim) -> str:
    """A count claim as words: "over 200 events (Over 200) [headline]", "120–150 protests (120 to 150)"."""
    if claim.qualifier == "range" and claim.low is not None and claim.high is not None:
        number = f"{claim.low:,}–{claim.high:,}"
    else:
        words = _QUALIFIER_WORDS.get(claim.qualifier, claim.qualifier.replace("_", " ") + " ")
        number = f"{words}{claim.value:,}"
    text = f"{number} {claim.unit}".strip()
    if claim.span:
        text += f" ({claim.span})"
    if claim.field:
        text += f" [{claim.field}]"
    return text


def quote_text(q: Quote) -> str:
    """A quotation as words: "“text” — speaker", "“text” — Eldridge (Sean Eldridge)", "“text”"."""
    text = f"“{q.text}”"
    if q.speaker:
        text += f" — {q.speaker}"
        if q.person and q.person != q.speaker:
            text += f" ({q.person})"
    elif q.person:
        text += f" — {q.person}"
    return text


def _csv_row(c: StoredClipping) -> dict[str, Any]:
    return {
        "url": c.url, "outlet": c.outlet, "headline": c.headline, "published_at": c.published_at,
        "language": c.language, "authors": list(c.authors), "lede": c.lede,
        "matched_terms": list(c.matched_terms), "first_seen_at": c.first_seen_at,
        "alias_urls": list(c.alias_urls), "agency": c.agency,
        "counts": [count_text(n) for n in c.counts], "quotes": [quote_text(q) for q in c.quotes],
        "earlier_headlines": list(c.earlier_headlines),
    }


def export_csv(clippings: Iterable[StoredClipping]) -> str:
    """A header row and one row per clipping (`EXPORT_COLUMNS`), every cell safe from formula injection."""
    out = io.StringIO(newline="")
    # RFC 4180's CRLF: the writer quotes a cell holding any line-terminator character, so a stray
    # carriage return in scraped text (which a "\n" terminator would leave bare) cannot split a row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for c in clippings:
        row = _csv_row(c)
        writer.writerow([csv_cell(row[name]) for name in EXPORT_COLUMNS])
    return out.getvalue()


# -- JSON Lines -----------------------------------------------------------------------------------


def export_jsonl(clippings: Iterable[StoredClipping]) -> str:
    """One `to_json()` record per line, non-ASCII kept as is."""
    return "".join(json.dumps(c.to_json(), ensure_ascii=False) + "\n" for c in clippings)


# -- Atom -----------------------------------------------------------------------------------------


def _xml_text(value: str) -> str:
    """The text without the characters XML 1.0 cannot hold."""
    return _XML_FORBIDDEN.sub("", value)


def _http_url(url: str) -> str | None:
    """The URL as an IRI-safe absolute http(s) URL, or None when it is not one (javascript:, relative...)."""
    url = _xml_text(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=_IRI_SAFE)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _rfc3339(value: datetime) -> str:
    """An RFC 3339 timestamp with its offset (a naive datetime is taken to be UTC)."""
    return _as_utc(value).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Atom's elements are written unqualified under the root's default namespace declaration (ElementTree's
    # `default_namespace` would reject the unqualified attributes: rel, href, term...).
    element = ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _entry(feed: ET.Element, c: StoredClipping, url: str) -> datetime:
    """Append the clipping's entry to the feed; its `updated` instant."""
    entry = _sub(feed, "entry")
    language = (c.language or "").strip()
    if _LANGUAGE_TAG.fullmatch(language):
        entry.set(f"{{{_XML_NS}}}lang", language)
    _sub(entry, "id", url)
    headline = _xml_text(c.headline or "").strip()
    _sub(entry, "title", headline or url, type="text")
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    updated = _as_utc(c.published_at or c.first_seen_at)
    _sub(entry, "updated", _rfc3339(updated))
    if c.published_at is not None:
        _sub(entry, "published", _rfc3339(c.published_at))
    names = [n for n in (_xml_text(a).strip() for a in c.authors) if n]
    for name in names or [_xml_text(c.outlet).strip() or urlsplit(url).hostname or url]:
        author = _sub(entry, "author")
        _sub(author, "name", name)
    lede = _xml_text(c.lede or "").strip()
    if lede:
        _sub(entry, "summary", lede, type="text")
    for term in c.matched_terms:
        if _xml_text(term).strip():
            _sub(entry, "category", term=term.strip())
    outlet = _xml_text(c.outlet).strip()
    if outlet:
        source = _sub(entry, "source")
        _sub(source, "title", outlet, type="text")
    return updated


def export_atom(
    clippings: Iterable[StoredClipping],
    *,
    title: str,
    feed_id: str,
    self_url: str | None = None,
    generated: datetime | None = None,
) -> str:
    """An Atom 1.0 feed (RFC 4287) with one entry per clipping whose URL is absolute http(s), in order.

    `feed_id` is the feed's permanent IRI (a URL or a tag: URI); `self_url`, when given, the
    http(s) URL the feed is served at. The feed's `updated` is its newest entry's, so the same
    clippings always give the same text; `generated` (else the current time) only dates a feed
    without entries. ValueError for an empty title or feed id, or a `self_url` that is not http(s).
    """
    if not _xml_text(title).strip():
        raise ValueError("an Atom feed needs a title")
    if not _xml_text(feed_id).strip():
        raise ValueError("an Atom feed needs an id")
    self_href = None
    if self_url is not None:
        self_href = _http_url(self_url)
        if self_href is None:
            raise ValueError(f"self_url {self_url!r} is not an absolute http(s) URL")
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(feed, "id", feed_id.strip())
    _sub(feed, "title", title.strip(), type="text")
    updated_element = _sub(feed, "updated")
    if self_href is not None:
        _sub(feed, "link", rel="self", type="application/atom+xml", href=self_href)
    _sub(feed, "generator", _GENERATOR)
    newest: datetime | None = None
    for c in clippings:
        url = _http_url(c.url)
        if url is None:
            continue
        updated = _entry(feed, c, url)
        newest = updated if newest is None or updated > newest else newest
    if newest is None:
        newest = _as_utc(generated) if generated is not None else datetime.now(UTC)
    updated_element.text = _rfc3339(newest)
    ET.indent(feed, space="  ")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def atom_entries_skipped(clippings: Sequence[StoredClipping]) -> list[str]:
    """The URLs of the clippings `export_atom` leaves out (not absolute http(s) URLs)."""
    return [c.url for c in clippings if _http_url(c.url) is None]

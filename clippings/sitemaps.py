"""Sitemaps, sitemap indexes and Google News sitemaps -> links with hints.

Parsed with lxml without entity expansion, DTD loading or network access.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree

from clippings.language import normalize_code

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_URLS = 50_000  # likewise


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> (or, in an index, one <sitemap>) of a sitemap."""

    url: str
    lastmod: datetime | None = None
    title: str | None = None  # <news:title>
    published_at: datetime | None = None  # <news:publication_date>
    language: str | None = None  # <news:language>


@dataclass
class SitemapDocument:
    """A parsed sitemap: an index of sitemaps or a set of page URLs."""

    kind: str  # "index", "urlset" or "invalid"
    entries: list[SitemapEntry] = field(default_factory=list)
    error: str | None = None


def parse_datetime(value: str | None) -> datetime | None:
    """A W3C datetime (2020-11-03, 2020-11-03T10:00:00+01:00, ...Z) as UTC; naive means UTC."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def maybe_gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip a body that starts with the gzip magic bytes, reading at most `limit` bytes."""
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"sitemap larger than {limit} bytes uncompressed")
    return data


def parse_sitemap(body: bytes, url: str) -> SitemapDocument:
    """Parse sitemap bytes (plain or gzipped); relative locations resolve against `url`."""
    try:
        data = maybe_gunzip(body)
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            recover=True, remove_comments=True, remove_pis=True,
        )
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError, OSError, EOFError) as exc:
        return SitemapDocument("invalid", error=f"not a sitemap: {exc}")
    if root is None:
        return SitemapDocument("invalid", error="not a sitemap: empty document")
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        return SitemapDocument("invalid", error=f"not a sitemap: root element <{kind}>")
    doc = SitemapDocument("index" if kind == "sitemapindex" else "urlset")
    for element in root:
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in element.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "title", "publication_date", "language") and child.text:
                fields.setdefault(name, child.text.strip())
        loc = fields.get("loc")
        if not loc:
            continue
        absolute = urljoin(url, loc)
        if not absolute.startswith(("http://", "https://")):
            continue
        doc.entries.append(
            SitemapEntry(
                url=absolute,
                lastmod=parse_datetime(fields.get("lastmod")),
                title=fields.get("title"),
                published_at=parse_datetime(fields.get("publication_date")),
                language=normalize_code(fields.get("language")),
            )
        )
        if len(doc.entries) >= MAX_URLS:
            break
    return doc

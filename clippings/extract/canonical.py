"""Canonical URL (rel=canonical, then og:url) and the page's declared language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from clippings.extract.document import Document, text_of
from clippings.language import normalize_code


def find_canonical_url(doc: Document) -> str | None:
    """An absolute http(s) canonical URL; one pointing an article at the home page is ignored."""
    base = doc.url
    for href in doc.tree.xpath("//base/@href")[:1]:
        base = _absolute(str(href), base) or base
    for href in [*doc.links.get("canonical", ()), *doc.meta.get("og:url", ())]:
        url = _absolute(href, base)
        if url and not (_is_home(url) and not _is_home(doc.url)):
            return url
    return None


def find_declared_language(doc: Document, article: dict[str, Any] | None) -> str | None:
    """<html lang>, content-language meta, og:locale, then JSON-LD inLanguage; as ISO 639-1."""
    values = [
        doc.lang,
        doc.first_meta("content-language", "language", "dc.language"),
        doc.first_meta("og:locale"),
        text_of(article.get("inLanguage")) if article else None,
    ]
    return next((code for code in map(normalize_code, values) if code), None)


def _absolute(href: str, base: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _is_home(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query

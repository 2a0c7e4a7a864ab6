"""Authors: a clean list of people (no "By", roles or outlet name) from the best source."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from clippings.extract.document import Document, clean_text, type_names
from clippings.extract.headline import compact

MAX_AUTHORS = 12

_AUTHOR_METAS = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "twitter:creator:name",
)
# Byline places in order of trust; the first that gives names is used, all its matches together.
_BYLINE_XPATHS = (
    '//*[@itemprop="author" or @itemprop="author creator"]',
    '//a[@rel="author"]',
    '//*[contains(@class, "byline")]',
    '//*[@class="author" or @id="author" or contains(@class, "author-name")'
    ' or contains(@class, "author__name") or contains(@class, "authorName")'
    ' or contains(@class, "AuthorName") or @class="signature"] | //author',
)
_OUTSIDE_COMMENTS = '[not(ancestor::*[contains(@class, "comment") or contains(@id, "comment")])]'
_BY = re.compile(
    r"^(?:~\s*)?(?:(?:written|posted|published|reported)\s+by|veröffentlicht\s+von|geschrieben\s+von|"
    r"(?:story\s+|words\s+)?by|author|autor|autorin|автор|от)(?:\s*:\s*|\s+)",
    re.IGNORECASE,
)
_GLUED_BY = re.compile(r"^(?:By|Author|Autor|Veröffentlicht von|Von)(?=[A-ZÄÖÜ][a-zäöüß])")
_WEAK_BY = re.compile(r"^(?:von|por|par|di|door|av|de)\s+(?=[A-ZÄÖÜÉ]\S*\s+\S)", re.IGNORECASE)
_SPLIT = re.compile(
    r"\s*(?:,|;|/|\|)\s*|\s+[-–—]\s+|\s+(?:and|und|&|y|et|e|i|en|og|och)\s+", re.IGNORECASE
)
_ROLE = re.compile(
    r"^(?:(?:senior|chief|special|contributing|political|staff|guest|deputy|news|associate|"
    r"managing|executive)\s+)*(?:staff|writer|reporter|correspondent|editor|contributor|"
    r"columnist|journalist|photographer|producer|redakteur(?:in)?|redaktion|autor(?:in)?|"
    r"staff writer|wire|wires|newsroom|editorial staff|editors|admin|administrator|"
    r"anonymous|unknown|no author|guest|team|desk|by|story by|von|par|por)s?$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|admin|\w\.[a-z]{2,}\b|\d", re.IGNORECASE)
_DESK = re.compile(
    r"\b(?:staff|desk|wires?|newsroom|team|redaktion|agencies|reports?|writer|reporter|"
    r"correspondent|editor|columnist|contributor|journalist|photographer|producer)s?$",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"\b(?:updated|published|posted|am|pm|gmt|edt|est)\b.*$", re.IGNORECASE)


def find_authors(doc: Document, article: dict[str, Any] | None, site_name: str | None) -> list[str]:
    """The first non-empty cleaned author list from JSON-LD, then meta tags, then HTML bylines."""
    outlet = {compact(n) for n in (site_name, _publisher(article)) if n}
    sources: list[Iterable[str]] = []
    if article is not None:
        sources.append(_jsonld_names(article.get("author") or article.get("creator"), outlet))
    sources.append(v for name in _AUTHOR_METAS for v in doc.meta.get(name, ()))
    for raw in sources:
        names = clean_authors(raw, outlet)
        if names:
            return names
    for rank, xpath in enumerate(_BYLINE_XPATHS):
        names = clean_authors(_byline_texts(doc, xpath, 6 if rank < 2 else 2), outlet)
        if names:
            return names
    return []


def clean_authors(raw: Iterable[str], outlet: AbstractSet[str] = frozenset()) -> list[str]:
    """Split "A and B", drop "By", roles, URLs and the outlet's own name; dedupe, keep order."""
    seen: dict[str, str] = {}
    for value in raw:
        value = _UPDATED.sub("", clean_text(value)) if not _NOT_A_NAME.match(value) else ""
        value = strip_by(value)
        for part in _SPLIT.split(value):
            name = _clean_name(part, outlet)
            if name and compact(name) not in seen:
                seen[compact(name)] = name
        if len(seen) >= MAX_AUTHORS:
            break
    return list(seen.values())[:MAX_AUTHORS]


def strip_by(text: str) -> str:
    """Remove a leading "By", "Author:" or "Von Max …" (not the "Di" of "Di Maio")."""
    text = text.strip()
    match = _BY.match(text) or _GLUED_BY.match(text)  # glued: "AuthorJane Doe"
    if match:
        return text[match.end() :]
    weak = _WEAK_BY.match(text)
    return text[weak.end() :] if weak and text[weak.end() :][:1].isupper() else text


def _clean_name(part: str, outlet: AbstractSet[str]) -> str | None:
    name = strip_by(part.strip(" -–—:·•~\"'()[]")).strip(" -–—:,")
    if not name or len(name) > 60 or len(name.split()) > 5 or not any(c.isalpha() for c in name):
        return None
    if _NOT_A_NAME.search(name) or _ROLE.match(name) or _DESK.search(name):
        return None
    key = compact(name)
    if key in outlet or (key.startswith("the") and key[3:] in outlet):
        return None
    if any(len(o) >= 5 and o in key for o in outlet):
        return None  # "Ediciones El País", "The Hill Staff"
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def _jsonld_names(value: Any, outlet: AbstractSet[str]) -> list[str]:
    """Names from a JSON-LD author: a string, a Person/Organization dict, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[: MAX_AUTHORS * 2]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if not isinstance(name, str):
                continue
            if "Organization" in type_names(item) and compact(name) in outlet:
                continue
            names.append(name)
    return names


def _publisher(article: dict[str, Any] | None) -> str | None:
    publisher = article.get("publisher") if article else None
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    return publisher if isinstance(publisher, str) else None


def _byline_texts(doc: Document, xpath: str, limit: int) -> Iterable[str]:
    """Byline texts of the outermost elements an XPath finds outside comment sections."""
    found = doc.tree.xpath(f"({xpath}){_OUTSIDE_COMMENTS}")
    chosen = set(found)
    outermost = [e for e in found if not any(a in chosen for a in e.iterancestors())]
    for element in outermost[:limit]:
        names = element.xpath('.//*[@itemprop="name"]')
        if names:
            yield from (n.get("content") or n.text_content() for n in names)
            continue
        text = element.get("content") or element.text_content()
        if text and len(text) <= 120:
            yield text

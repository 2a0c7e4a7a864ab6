"""Decode and parse a page once, and read its structured data: JSON-LD, meta tags, links, <h1>."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree
from lxml.html import HtmlElement
from w3lib.encoding import html_body_declared_encoding, read_bom, to_unicode

MAX_HTML_BYTES = 5_000_000  # bytes (or characters, for str input) parsed per page
MAX_JSONLD_CHARS = 1_000_000  # a larger JSON-LD blob is skipped
MAX_JSONLD_BLOBS = 20
MAX_JSONLD_NODES = 2_000  # objects visited across all blobs

# The same options trafilatura's own loader uses, so the tree suits its extractor.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_JSON_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_SPACE = re.compile(r"\s+")


@dataclass
class Document:
    """One parsed page and the structured data read from it."""

    tree: HtmlElement
    url: str
    jsonld: list[dict[str, Any]] = field(
        default_factory=list
    )  # every typed JSON-LD object, in order
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-case name/property -> contents
    links: dict[str, list[str]] = field(default_factory=dict)  # lower-case rel -> hrefs
    title: str | None = None  # <title>
    lang: str | None = None  # <html lang> as written

    def first_meta(self, *names: str) -> str | None:
        """The first non-empty content among these meta names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, then the declared charset if it decodes, then UTF-8, then a guess."""
    data = data[:MAX_HTML_BYTES]
    bom_encoding, bom = read_bom(data)
    if bom_encoding and bom is not None:
        return to_unicode(data[len(bom) :], bom_encoding)
    declared = html_body_declared_encoding(data)
    for encoding in dict.fromkeys(e for e in (declared, "utf-8") if e):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    if declared and declared not in ("utf-8", "utf8"):
        return to_unicode(
            data, declared
        )  # declared but with a few bad bytes: keep it, replace them
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    if sum(1 for c in lenient if ord(c) > 127) > 5 * bad:
        return lenient  # mostly UTF-8 with a few stray bytes
    guess = from_bytes(data[:65536]).best()
    return to_unicode(data, guess.encoding if guess else "cp1252")


def looks_binary(text: str) -> bool:
    """True when the start of the text is mostly control or replacement characters."""
    head = text[:4096]
    return bool(head) and len(_CONTROL.findall(head)) > len(head) * 0.05


def parse_html(html: str | bytes) -> HtmlElement | None:
    """Parse a page into an lxml tree; None for empty, binary or unparsable input."""
    text = decode_html(html) if isinstance(html, bytes) else html[:MAX_HTML_BYTES]
    if not text.strip() or looks_binary(text):
        return None
    text = _XML_DECL.sub("", text, count=1)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def read_document(tree: HtmlElement, url: str) -> Document:
    """Read JSON-LD, meta tags, link rels, <title> and <html lang> from a parsed tree."""
    doc = Document(tree=tree, url=url, lang=(tree.get("lang") or tree.get("xml:lang") or None))
    blobs = 0
    for element in tree.iter("meta", "link", "script", "title"):
        tag = element.tag
        if tag == "meta":
            key = element.get("property") or element.get("name") or element.get("itemprop")
            key = key or element.get("http-equiv")
            content = element.get("content")
            if key and content is not None:
                doc.meta.setdefault(key.strip().lower(), []).append(clean_text(content))
        elif tag == "link":
            href = element.get("href")
            for rel in (element.get("rel") or "").lower().split():
                if href:
                    doc.links.setdefault(rel, []).append(href.strip())
        elif tag == "title":
            if doc.title is None:
                doc.title = clean_text(element.text_content()) or None
        elif (element.get("type") or "").strip().lower() == "application/ld+json":
            blobs += 1
            if blobs <= MAX_JSONLD_BLOBS and element.text and len(element.text) <= MAX_JSONLD_CHARS:
                doc.jsonld.extend(typed_objects(load_json(element.text)))
                del doc.jsonld[MAX_JSONLD_NODES:]
    return doc


def load_json(text: str) -> Any:
    """Parse a JSON-LD blob leniently (comment wrappers, trailing commas, raw control chars)."""
    text = _JSON_WRAPPER.sub("", text.strip())
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def typed_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object with an @type, depth-first, through lists, @graph and nested values."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data[:200]:
            yield from typed_objects(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if isinstance(value, dict | list) and key not in ("author", "creator", "publisher"):
                yield from typed_objects(value, depth + 1)


def type_names(obj: dict[str, Any]) -> set[str]:
    """The bare schema.org type names of an object ("schema:NewsArticle" -> "NewsArticle")."""
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:#]", v)[-1] for v in values if isinstance(v, str)}


def clean_text(text: str) -> str:
    """Collapse whitespace, decode left-over (double-escaped) entities and trim."""
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def text_of(value: Any) -> str | None:
    """A JSON-LD value as one clean string: a string, {"@value"}, {"name"} or a list's first."""
    if isinstance(value, list):
        return next((t for t in (text_of(v) for v in value) if t), None)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return clean_text(str(value)) or None
    return None


# schema.org types that describe the article itself; lower rank wins.
_ARTICLE_RANK = {
    **dict.fromkeys(
        (
            "NewsArticle",
            "ReportageNewsArticle",
            "AnalysisNewsArticle",
            "OpinionNewsArticle",
            "BackgroundNewsArticle",
            "ReviewNewsArticle",
            "AskPublicNewsArticle",
            "LiveBlogPosting",
        ),
        0,
    ),
    **dict.fromkeys(
        (
            "Article",
            "BlogPosting",
            "Report",
            "ScholarlyArticle",
            "TechArticle",
            "SocialMediaPosting",
            "SatiricalArticle",
            "AdvertiserContentArticle",
            "Blog",
        ),
        1,
    ),
    **dict.fromkeys(("WebPage", "ItemPage", "AboutPage", "CollectionPage", "VideoObject"), 2),
}


def article_objects(doc: Document) -> list[dict[str, Any]]:
    """The JSON-LD objects that describe this page's article, best first.

    News types come before generic articles, which come before web pages; among equals, an object
    whose url matches the page's comes first, then document order.
    """
    ranked = []
    for index, obj in enumerate(doc.jsonld):
        ranks = [_ARTICLE_RANK[t] for t in type_names(obj) if t in _ARTICLE_RANK]
        if ranks:
            own = _same_page(obj, doc.url)
            ranked.append((min(ranks), not own, index, obj))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked]


def _same_page(obj: dict[str, Any], url: str) -> bool:
    """True if the object's url or mainEntityOfPage is the page's URL (ignoring scheme, slash)."""
    page = _bare_url(url)
    for key in ("url", "mainEntityOfPage", "@id"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and _bare_url(value) == page:
            return True
    return False


def _bare_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?|[#?].*$|/$", "", url.strip().lower())

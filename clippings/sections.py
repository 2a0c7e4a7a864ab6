"""Section (listing) pages -> the article links on them, and the listing pages worth following.

For outlets without a usable feed or sitemap, the campaign names section pages ("/local/",
"/politics/"). `section_links` reads one such page and sorts its links:

- only `<a href>` links, resolved against the page (and its `<base href>`), http(s), fragment
  dropped, canonicalised (`clippings.urls.canonicalize`), each once, in page order, on the same
  outlet (`same_outlet(url)`, the campaign's host and port rule);
- never followed: site furniture and files (paths with a segment such as tag, topic, category,
  author, search, login, subscribe, newsletter, about, contact, privacy, terms, feed, rss, account,
  static, assets, wp-content; files ending .jpg, .png, .pdf, .css, .js, .xml, .json, .zip, .mp3,
  .mp4 …) and the page itself;
- an **article** link looks like one: its path holds a date (`/2020/11/04/`, `/2020/11/`,
  `20201104`, `2020-11-04`), or its last segment is a slug of three or more words joined by
  hyphens or underscores (`hundreds-rally-at-city-hall`, with or without `.html`), or ends in a
  numeric id of five or more digits after a slug (`/news/rally-planned-123456`);
- a **listing** link is the section's own next page: under the section's path and shaped like
  pagination (`/page/2/`, `?page=2`, `?p=2`, a last segment of one to four digits). The spider
  follows listings up to `CLIPPINGS_SECTION_DEPTH` pages deep (default 1: the section page and its
  next page), so a section crawl stays small.

At most `MAX_LINKS` links are read from a page (a huge page is cut there, counted by the spider).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from clippings.urls import canonicalize

MAX_LINKS = 2_000
MAX_HTML_BYTES = 5_000_000  # a listing page bigger than this is read up to here

_FURNITURE = re.compile(
    r"/(?:tags?|topics?|category|categories|authors?|search|login|signin|sign-in|register|subscribe|"
    r"subscription|newsletters?|about|about-us|contact|contact-us|privacy|privacy-policy|terms|legal|"
    r"cookies?|feeds?|rss|account|profile|help|faq|advertise|advertising|careers|jobs|static|assets|"
    r"wp-content|wp-admin|wp-json|cdn-cgi|video|videos|podcasts?|galleries|photos)(?:/|$)",
    re.IGNORECASE,
)
_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|css|js|xml|json|zip|gz|mp3|mp4|m4a|mov|avi|docx?|xlsx?)$",
                   re.IGNORECASE)
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/|$)|(?<!\d)(?:19|20)\d\d-?(?:0[1-9]|1[0-2])-?"
                        r"(?:0[1-9]|[12]\d|3[01])(?!\d)")
_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+){2,}(?:\.(?:html?|shtml|php|aspx?))?$")
_ID_AFTER_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+)*[-_]\d{5,}(?:\.(?:html?|shtml))?$")
_PAGE_PATH = re.compile(r"/(?:page/)?\d{1,4}/?$")
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|p|pg)=\d{1,4}(?:&|$)")


@dataclass(frozen=True)
class SectionLinks:
    """The links of one section page: articles to fetch and listing pages to follow."""

    articles: tuple[str, ...]
    listings: tuple[str, ...]
    truncated: bool = False  # the page had more than MAX_LINKS links


def is_article_url(url: str) -> bool:
    """Whether a URL looks like an article (the rule in the module docstring)."""
    path = urlsplit(url).path
    if _FURNITURE.search(path) or _FILE.search(path):
        return False
    if _DATE_PATH.search(path):
        return path.rstrip("/").count("/") >= 2 or bool(_SLUG.match(path.rstrip("/").rsplit("/", 1)[-1]))
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_SLUG.match(last) or _ID_AFTER_SLUG.match(last))


def _is_listing(url: str, section_path: str) -> bool:
    parts = urlsplit(url)
    if _FURNITURE.search(parts.path) or _FILE.search(parts.path):
        return False
    if not parts.path.startswith(section_path.rstrip("/")):
        return False
    return bool(_PAGE_PATH.search(parts.path[len(section_path.rstrip("/")):]) or _PAGE_QUERY.search(parts.query))


def section_links(html: str | bytes, page_url: str, same_outlet: Callable[[str], bool],
                  section_url: str | None = None) -> SectionLinks:
    """The article and listing links of a section page (see the module docstring).

    `section_url` is the section the campaign names (listings must lie under its path); by default
    the page itself.
    """
    html = html[:MAX_HTML_BYTES]
    if not html.strip():
        return SectionLinks((), ())
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return SectionLinks((), ())
    base = page_url
    for href in doc.xpath("//base/@href")[:1]:
        base = urljoin(page_url, str(href).strip())
    here = canonicalize(page_url)
    section_path = urlsplit(section_url or page_url).path or "/"
    articles: dict[str, None] = {}
    listings: dict[str, None] = {}
    hrefs = doc.xpath("//a/@href")
    truncated = len(hrefs) > MAX_LINKS
    for raw in hrefs[:MAX_LINKS]:
        href = str(raw).strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        absolute = urljoin(base, href)
        if not absolute.startswith(("http://", "https://")):
            continue
        try:
            url = canonicalize(absolute)
        except ValueError:
            continue
        if url == here or not same_outlet(url):
            continue
        if is_article_url(url):
            articles[url] = None
        elif _is_listing(url, section_path):
            listings[url] = None
    return SectionLinks(tuple(articles), tuple(listings), truncated)

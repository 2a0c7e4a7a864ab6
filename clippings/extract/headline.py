"""Headline and site name: structured titles first, site decoration removed, checked with <h1>."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from clippings.extract.document import Document, clean_text, text_of, type_names

MAX_HEADLINE_CHARS = 400

# " | Site", " - Site", " – Site", " — Site", " :: Site", " · Site", " • Site", " » Site"
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|:|·|•|»|›|/|//|~)\s+|\s*(?:\||·|•|»|›)\s*")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")
_HOST_NOISE = {"www", "m", "amp", "mobile", "edition", "en", "com", "org", "net", "co", "uk", "de"}
_SITE_NAME_TYPES = {"WebSite", "NewsMediaOrganization", "Organization", "Corporation"}


def find_site_name(doc: Document, article: dict[str, Any] | None) -> str | None:
    """og:site_name, then the JSON-LD publisher or WebSite name, then application-name."""
    name = doc.first_meta("og:site_name")
    if not name and article is not None:
        name = text_of(article.get("publisher"))
    if not name:
        name = next(
            (text_of(o.get("name")) for o in doc.jsonld if type_names(o) & _SITE_NAME_TYPES), None
        )
    name = name or doc.first_meta("application-name", "apple-mobile-web-app-title")
    if name and _URL_LIKE.match(name):
        name = urlsplit(name if "//" in name else "//" + name).hostname or name
        name = name.removeprefix("www.")
    return name[:200] if name else None


def find_headline(
    doc: Document, article: dict[str, Any] | None, site_name: str | None
) -> str | None:
    """The article's headline, without " | Site" decoration, reconciled with the page's <h1>.

    Candidates in order: JSON-LD headline (or name), og:title, twitter:title, title metas, <title>.
    Each has a site-name prefix or suffix stripped; the first wins, unless it is cut short ("…")
    and a later one is whole. If the page's <h1> is one of the candidates, or a separator-delimited
    part of one (the rest being decoration), the <h1> wins: it is the headline that readers see and
    the metadata confirms it. With no candidate at all, the <h1> is the headline.
    """
    candidates = []
    if article is not None:
        candidates.append(text_of(article.get("headline")) or text_of(article.get("name")))
    candidates += [
        doc.first_meta("og:title"),
        doc.first_meta("twitter:title"),
        doc.first_meta("title", "sailthru.title", "parsely-title", "dc.title"),
        doc.title,
    ]
    names = site_names(site_name, doc.url)
    present = [strip_site_name(c, names) for c in candidates if c]
    present = [c for c in present if c]
    best = next((c for c in present if not _ELLIPSIS.search(c)), present[0] if present else None)
    best = next((c for c in present if best and _is_truncation(best, c)), best)
    h1 = find_h1(doc)
    if h1 and (best is None or any(_matches_part(h1, c) for c in present)):
        best = h1
    return best[:MAX_HEADLINE_CHARS] if best else None


def find_h1(doc: Document) -> str | None:
    """The article's <h1>: one marked as the headline or inside <article> first, else the first."""
    found: list[tuple[bool, int, str]] = []
    for h1 in doc.tree.iter("h1"):
        text = clean_text(h1.text_content())
        if text and len(text) <= MAX_HEADLINE_CHARS:
            marked = h1.get("itemprop") == "headline" or any(
                a.tag == "article" for a in h1.iterancestors()
            )
            found.append((not marked, len(found), text))
        if len(found) >= 5:
            break
    return min(found)[2] if found else None


def site_names(site_name: str | None, url: str) -> set[str]:
    """Compact spellings that stand for the site: its name and the meaningful labels of its host."""
    names = {compact(site_name)} if site_name else set()
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label and label not in _HOST_NOISE]
    names.update(label for label in labels if len(label) >= 3)
    names.add("".join(labels))
    names.discard("")
    return names


def strip_site_name(title: str, names: set[str]) -> str:
    """Remove a leading or trailing part naming the site ("Headline | The Hill" -> "Headline")."""
    title = clean_text(title)
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _SEPARATOR.findall(title)
    if _is_site(parts[-1], names):
        return title[: len(title) - len(parts[-1]) - len(separators[-1])].strip()
    if _is_site(parts[0], names):
        return title[len(parts[0]) + len(separators[0]) :].strip()
    return title


def compact(text: str) -> str:
    """Lower-case letters and digits only, for loose comparison."""
    return _NON_WORD.sub("", text.casefold())


def _is_site(segment: str, names: set[str]) -> bool:
    seg = compact(segment)
    if not seg:
        return False
    bare = seg[3:] if seg.startswith("the") else seg
    return any(
        seg == n or bare == n or (len(seg) >= 4 and len(n) >= 4 and _near_prefix(seg, n))
        for n in names
    )


def _near_prefix(a: str, b: str) -> bool:
    """True if one string starts with the other and they differ by at most 3 characters."""
    return abs(len(a) - len(b)) <= 3 and (a.startswith(b) or b.startswith(a))


def _is_truncation(short: str, full: str) -> bool:
    """True if `short` is `full` cut off (JSON-LD headlines can be), not `full` minus decoration."""
    rest = full[len(short) :]
    return len(short) >= 40 and full.startswith(short) and bool(rest) and not _SEPARATOR.match(rest)


def _matches_part(h1: str, title: str) -> bool:
    """True if the <h1> is the title or a run of its separator-delimited parts (rest: decor)."""
    h = compact(h1)
    if not h:
        return False
    parts = [compact(p) for p in _SEPARATOR.split(title)]
    return any(
        "".join(parts[i:j]) == h for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)
    )

"""Headline and site name, as a press team would quote them.

The rule (one, applied to every page): **the headline is the text the reader sees in the page's
<h1>, provided the page's metadata confirms it; otherwise it is the metadata title, undecorated.**

1. Metadata titles, in order: JSON-LD headline (or name), og:title, twitter:title, title metas,
   <title>. Each loses its decoration: the site's name at either end (og:site_name, the JSON-LD
   publisher, the host's labels, the text of links to the home page, the name the page's first
   feed link gives: "Site » Feed", "Site RSS Feed"), or inside with the tagline that follows it, and
   section or column labels at either end ("| Opinion", "Politik -"), split off by | - – — : · • »
   and similar separators; also a leading "Site: ". A site name may hold a separator itself
   ("Headline - Salsa-Figuren - Rueda in Berlin"), a long one may be glued to the headline's last
   letter by a template that lost the separator ("Truckwash A31Das etwas andere Branchenbuch"), and
   a separator left dangling at an end goes ("National Rail Enquiries -"). A title that is nothing
   but decoration (the site's name, "Home", "blog") names no article and is set aside.
2. Each <h1> (marked as the headline or inside <article> first; logo <h1>s that only link to the
   home page skipped) is cut into pieces where an element starts or ends, so a kicker in its own
   <span> is a piece of its own; screen-reader-only text is dropped.
3. A run of consecutive pieces is confirmed when its words overlap (Dice) by 0.5 or more a whole
   metadata title, or a run of a title's separator-delimited parts ("Kicker: Headline" gives
   "Headline"); both sides need two words for a part match, and an <h1> marked as the site's banner
   (logo, brand) needs a whole title (the site's name is a part of every title). The best-confirmed
   run is the headline; ties go to the earlier <h1>, then the run that ends last, then the shorter
   (kicker dropped). <h1>s in a breadcrumb trail wait for step 5.
4. With no confirmed <h1>: the page's only <h1> if it has three words or more (readers see it as
   the headline; metadata titles are often written for search engines), unless it is the site's
   banner: in <nav>, marked logo, brand or site title (on it, in it or around it), or its text is
   the site's name, a domain, a section label, an edge part of a title, or the name and a tagline;
   or a teaser: it links to another page.
5. Still nothing: the <h2> (of the first 12, those no banner or teaser) that the titles confirm as
   in step 3, sharing two words or more with the title or part: blog themes keep <h1> for the
   site's name and give the post's title an <h2>, and an <h2> that is a run of the title's parts
   shows which part is the headline. Between that <h2> and an <h1> in a breadcrumb trail (where
   some sites repeat a headline as the trail's last label, over an <h2> headline of their own),
   the better confirmed wins, the <h1> on a tie.
6. Otherwise the first metadata title not cut short ("…"), or the whole version of a truncated
   one; when every title is only decoration, the page's only <h1> (unless it is a banner or links
   to another page of the site); with no metadata at all, the first <h1>; last, the site's name
   when the title is nothing else.

So an <h1> that says more than a shortened og:title wins (readers see it), a site-name or
navigation <h1> never does (no title confirms it), and a kicker shown above the headline goes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from lxml.html import HtmlElement

from clippings.extract.document import Document, clean_text, text_of, type_names

MAX_HEADLINE_CHARS = 400

# " | Site", " - Site", " – Site", " — Site", " :: Site", " · Site", " • Site", " » Site"
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|:|·|•|»|›|/|//|~)\s+|\s*(?:\||·|•|»|›)\s*")
# A separator left dangling at either end: "National Rail Enquiries -", "| Headline" (not » or ›,
# which are also quotation marks: »Zitat«, « citation »).
_LOOSE_SEPARATOR = re.compile(r"^(?:[|\-–—:·•/~]+\s+)+|(?:\s+[|\-–—:·•/~]+)+$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")
_HOST_NOISE = {"www", "m", "amp", "mobile", "edition", "en", "com", "org", "net", "co", "uk", "de"}
_INLINE = {"em", "i", "b", "strong", "u", "mark", "abbr", "q", "sup", "sub", "s", "code", "font", "wbr", "nobr"}
_HIDDEN_CLASS = re.compile(r"sr-only|screen-reader|visually-?hidden", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_PARTS = re.compile(_SEPARATOR.pattern + r"|:\s+")  # also "Kicker: Headline"
MAX_HOME_LINKS = 10  # links to the home page read for the site's name
MIN_SOLE_WORDS = 3  # an unconfirmed only <h1> needs this many words to be the headline
MAX_H1S = 5  # <h1>s looked at
MAX_H2S = 12  # <h2>s looked at (blog themes put sidebar widget titles before the post's)
MIN_GLUED = 12  # compact length of a site name found glued to a title's end
MAX_FEEDS = 10  # feed <link>s read for the site's name
MAX_PIECES = 6  # pieces kept per <h1>
CONFIRM = 0.5  # word overlap (Dice) at which a title confirms an <h1>
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)  # "jan-grosser.de"
_BANNER_CLASS = re.compile(r"logo|brand|site-?title|site-?name|masthead|navbar", re.IGNORECASE)
_BREADCRUMB = re.compile(r"breadcrumb", re.IGNORECASE)
# Words of a feed's title that name the feed, not the site: "Site » Kommentar-Feed", "Site RSS Feed".
_FEED_WORDS = re.compile(
    r"\b(?:rss|atom)\s*(?:\d?\.\d+)?\b|\b(?:feeds?|kommentar-?feed|comments?|kommentare|flux|des commentaires)\b",
    re.IGNORECASE,
)
_COLON_PREFIX = re.compile(r"^([^:]{2,60}):\s+")
# Section and column labels that sites put next to the headline in <title> ("| Opinion").
_SECTION_WORDS = """
    opinion opinions meinung kommentar kommentare commentary editorial editorials column columns
    kolumne analysis analyse news nachrichten aktuelles aktuell politics politik world welt business
    wirtschaft sport sports culture kultur tech technology technik science wissenschaft health
    gesundheit lifestyle entertainment video videos blog blogarchiv blogarchive forum magazine magazin
    localnews lokales international national feuilleton panorama travel reise money finance finanzen
    home startseite archive archiv us uk europe europa deutschland ausland inland regional local
    economy details detailansicht
"""
_SECTIONS = frozenset(_SECTION_WORDS.split())
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
    """The article's headline: the rule is in the module docstring."""
    candidates = []
    if article is not None:
        candidates.append(text_of(article.get("headline")) or text_of(article.get("name")))
    candidates += [
        doc.first_meta("og:title"),
        doc.first_meta("twitter:title"),
        doc.first_meta("title", "sailthru.title", "parsely-title", "dc.title"),
        doc.title,
    ]
    names = site_names(site_name, doc.url) | home_link_names(doc) | feed_names(doc)
    stripped = [strip_site_name(c, names) for c in candidates if c]
    present = [c for c in stripped if c and not _is_decoration(c, names)]
    best = next((c for c in present if not _ELLIPSIS.search(c)), present[0] if present else None)
    best = next((c for c in present if best and _is_truncation(best, c)), best)
    found = headings(doc, "h1")
    h1s = [(h1, pieces) for h1, pieces in found if not _in_breadcrumb(h1)]
    crumbs = [(h1, pieces) for h1, pieces in found if _in_breadcrumb(h1)]
    confirmed = confirmed_run(h1s, present, names)
    sole = strip_site_name(" ".join(found[0][1]), names) if len(found) == 1 and h1s else None
    if confirmed:
        return _cut(confirmed[1])
    if (
        sole
        and len(_WORD.findall(sole)) >= MIN_SOLE_WORDS
        and not _in_banner(found[0][0], doc.url)
        and not _is_banner(sole, names, _edge_parts(c for c in candidates if c))
    ):
        return _cut(sole)
    h2s = [(h2, pieces) for h2, pieces in headings(doc, "h2") if not _in_banner(h2, doc.url)]
    second = confirmed_run(h2s, present, names, shared=2)
    crumb = confirmed_run(crumbs, present, names)
    if second and (crumb is None or second[0] > crumb[0]):
        return _cut(second[1])
    if crumb:
        return _cut(crumb[1])
    if best is None and sole and not _is_banner(sole, names, set()) and not _site_link(found[0][0], doc.url):
        best = sole  # the page's only <h1>, when its titles are only the site's name
    return _cut(best or next((c for c in stripped if c), None))


def _cut(headline: str | None) -> str | None:
    return headline[:MAX_HEADLINE_CHARS] if headline else None


def headings(doc: Document, tag: str) -> list[tuple[HtmlElement, list[str]]]:
    """The page's <h1>s (or <h2>s), marked or in <article> first, each as its pieces of text.

    A piece ends where an element that is not inline formatting starts or ends, so a kicker in its
    own <span> is a piece apart from the headline. Screen-reader-only text is left out, and so are
    headings that only link to the home page (a logo).
    """
    found: list[tuple[bool, int, HtmlElement, list[str]]] = []
    limit = MAX_H1S if tag == "h1" else MAX_H2S
    for h in doc.tree.iter(tag):
        pieces = [p for p in (clean_text(p) for p in _pieces(h)) if _WORD.search(p)]
        text = " ".join(pieces)
        if text and len(text) <= MAX_HEADLINE_CHARS and not _is_home_link(h, text):
            marked = h.get("itemprop") == "headline" or any(
                a.tag == "article" for a in h.iterancestors()
            )
            found.append((not marked, len(found), h, pieces[:MAX_PIECES]))
        if len(found) >= limit:
            break
    return [(f[2], f[3]) for f in sorted(found, key=lambda f: (f[0], f[1]))]


def _in_breadcrumb(h: HtmlElement) -> bool:
    """True if a heading sits in a breadcrumb trail (marked on it or on a container up to <article>)."""
    for el in (h, *h.iterancestors()):
        if el.tag in ("article", "main", "body"):
            return False
        if _BREADCRUMB.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    return False


def _pieces(h1: HtmlElement) -> list[str]:
    pieces = [h1.text or ""]

    def walk(el: HtmlElement) -> None:
        if isinstance(el.tag, str) and not _is_hidden(el):
            inline = el.tag in _INLINE
            if not inline:
                pieces.append("")
            pieces[-1] += el.text or ""
            for child in el:
                walk(child)
            if not inline:
                pieces.append("")
        pieces[-1] += el.tail or ""

    for child in h1:
        walk(child)
    return pieces


def home_link_names(doc: Document) -> set[str]:
    """Compact spellings of the site's name as its links to the home page give it (logo, banner)."""
    names: set[str] = set()
    host = urlsplit(doc.url).hostname
    seen = 0
    for a in doc.tree.iter("a"):
        raw = (a.get("href") or "").strip()
        if not _maybe_home(raw):
            continue
        href = _split(raw)
        if href is None or href.path not in ("", "/") or href.query or href.fragment:
            continue
        if href.hostname not in (None, host):
            continue
        if not href.hostname and not href.path:
            continue
        texts = [a.text_content(), a.get("title") or ""] + [img.get("alt") or "" for img in a.iter("img")]
        names.update(n for n in (compact(t) for t in texts) if 3 <= len(n) <= 60)
        seen += 1
        if seen >= MAX_HOME_LINKS:
            break
    return names


def _maybe_home(href: str) -> bool:
    """A quick test, before parsing, that an href could be the home page: "/", "//host/", "https://host"."""
    return href == "/" or ("//" in href[:8] and href.rstrip("/").count("/") <= 2)


def feed_names(doc: Document) -> set[str]:
    """The site's name, compact, from the title of the page's first feed link ("Site » Feed").

    Blog and news software lists the site's own feed first and names it after the site, so the
    first part of that title, feed words ("Feed", "RSS", "Kommentar-Feed") taken out, is the site's
    name, when the title has a separator ("Site » Feed", "Feed - Site") or a second feed's title
    starts the same ("Site RSS Feed", "Site » Headline Kommentar-Feed"). A lone "Headline RSS" is one
    article's comment feed, and feeds without a feed word in their title say nothing.
    """
    found: list[tuple[str, bool]] = []
    if "alternate" not in doc.links:
        return set()
    for link in doc.tree.iter("link"):  # in <head>, or in <body> where stray text closed it early
        title = clean_text(link.get("title") or "")
        kind = (link.get("type") or "").lower()
        if "alternate" not in (link.get("rel") or "").lower() or not ("rss" in kind or "atom" in kind):
            continue
        if _FEED_WORDS.search(title):
            parts = [p for p in (compact(_FEED_WORDS.sub(" ", p)) for p in _SEPARATOR.split(title)) if p]
            found.append((parts[0] if parts else "", bool(_SEPARATOR.search(title))))
        if len(found) >= MAX_FEEDS:
            break
    if not found or not 3 <= len(found[0][0]) <= 60:
        return set()
    name, separated = found[0]
    return {name} if separated or any(other == name for other, _ in found[1:]) else set()


def _is_home_link(h1: HtmlElement, text: str) -> bool:
    """True if the <h1> is the site's logo: all its text is a link to the home page.

    A link to "#" or with no href stays on the page: it is not a link home.
    """
    for a in h1.iter("a"):
        href = _split(a.get("href") or "")
        if href is None or href.path not in ("", "/") or href.query or not (href.hostname or href.path):
            continue
        if clean_text(a.text_content()) == text:
            return True
    return False


def _split(href: str) -> SplitResult | None:
    try:
        return urlsplit(href.strip())
    except ValueError:
        return None


def _is_hidden(el: HtmlElement) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_CLASS.search(el.get("class") or ""))


def confirmed_run(
    found: list[tuple[HtmlElement, list[str]]],
    titles: list[str],
    names: set[str],
    shared: int = 1,
) -> tuple[float, str] | None:
    """The run of heading pieces that the metadata titles confirm best, with its score, if any.

    A run is confirmed by a title, or by a run of the title's separator-delimited parts (the rest
    being kicker, section or site), when their word sets overlap (Dice) by CONFIRM or more. A
    one-word run must match a whole title, and a part-run needs two words too; so does a heading
    marked as the site's banner (logo, brand: the site's name is a part of its titles). Within a
    heading, best score wins, ties going to the run that ends last (a kicker comes before the
    headline), then to the shorter run (the headline without its kicker). Across headings, best
    score wins, ties going to the heading that matched the longer title or part (a banner heading
    matches the short site part), then to the earlier heading.
    """
    wholes = [_words(t) for t in titles]
    parts = []
    for title in titles:
        split = _PARTS.split(title)
        runs = (" ".join(split[i:j]) for i in range(len(split)) for j in range(i + 1, len(split) + 1))
        parts += [w for w in (_words(r) for r in runs if len(split) > 1) if len(w) > 1]
    best: tuple[float, int, int, str] | None = None  # (-score, -title words, rank, run)
    for rank, (heading, pieces) in enumerate(found):
        banner = _marked_banner(heading)
        mine: tuple[float, int, int, int, str] | None = None  # (-score, -end, length, title words, run)
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces) + 1):
                text = strip_site_name(" ".join(pieces[i:j]), names)
                words = _words(text)
                if not words or _is_decoration(text, names):
                    continue
                targets = wholes + ([] if len(words) < 2 or banner else parts)
                if shared > 1:
                    targets = [t for t in targets if len(words & t) >= shared]
                score, size = max(((_dice(words, t), len(t)) for t in targets), default=(0.0, 0))
                key = (-score, -j, len(text), size, text)
                if score >= CONFIRM and (mine is None or key < mine):
                    mine = key
        if mine is not None and (best is None or (mine[0], -mine[3], rank) < best[:3]):
            best = (mine[0], -mine[3], rank, mine[4])
    return (-best[0], best[3]) if best else None


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def site_names(site_name: str | None, url: str) -> set[str]:
    """Compact spellings that stand for the site: its name and the meaningful labels of its host."""
    names = {compact(site_name)} if site_name else set()
    split = _split(url)
    host = (split.hostname if split else None) or ""
    labels = [compact(label) for label in host.split(".") if label and label not in _HOST_NOISE]
    names.update(label for label in labels if len(label) >= 3)
    names.add("".join(labels))
    names.discard("")
    return names


def strip_site_name(title: str, names: set[str]) -> str:
    """Remove the site's name and section labels from the ends of a title.

    "Headline | Opinion | The Hill" -> "Headline", "THE HILL - Headline" -> "Headline",
    "The Hill: Headline" -> "Headline", "Headline | The Hill | News first" -> "Headline" (a tagline
    after the name goes with it). Only the site's name (never a section label) is taken off before
    a bare colon, and a title that is nothing but decoration is left as it is.
    """
    title = clean_text(title)
    for _ in range(4):
        seps = list(_SEPARATOR.finditer(title))
        parts = _SEPARATOR.split(title)
        inner = next((k for k in range(1, len(parts) - 1) if _is_site(parts[k], names)), 0)
        # a site name that itself holds a separator: "Headline - Salsa-Figuren - Rueda in Berlin"
        tail = next((s for s in seps[:-1] if _is_site(title[s.end() :], names)), None)
        head = next((s for s in seps[:0:-1] if _is_site(title[: s.start()], names)), None)
        if seps and _is_decoration(parts[-1], names):
            title = title[: seps[-1].start()].strip()
        elif seps and _is_decoration(parts[0], names):
            title = title[seps[0].end() :].strip()
        elif tail:
            title = title[: tail.start()].strip()
        elif head:
            title = title[head.end() :].strip()
        elif inner:  # "Headline | Site | its tagline"
            title = title[: seps[inner - 1].start()].strip()
        elif (m := _COLON_PREFIX.match(title)) and _is_site(m.group(1), names) and title[m.end() :]:
            title = title[m.end() :].strip()
        elif glued := _glued_name(title, names):  # "Truckwash A31Das etwas andere Branchenbuch"
            title = title[:glued].strip()
        else:
            break
    return _LOOSE_SEPARATOR.sub("", title) or title


def _glued_name(title: str, names: set[str]) -> int:
    """Where a long site name glued to the end of a title begins ("A31Das etwas andere ..."), or 0.

    Some templates drop the separator between headline and site name; the name then starts right
    after a letter or digit of the headline, with no space, which a headline never does.
    """
    text = compact(title)
    for name in names:
        if len(name) >= MIN_GLUED and len(text) > len(name) and text.endswith(name):
            count, start = 0, len(title)
            while start > 0 and count < len(name):
                start -= 1
                count += bool(compact(title[start]))
            if start > 0 and title[start - 1].isalnum() and title[start].isupper():
                return start
    return 0


def _is_decoration(segment: str, names: set[str]) -> bool:
    return compact(segment) in _SECTIONS or bool(_DOMAIN.match(segment)) or _is_site(segment, names)


def _in_banner(h1: HtmlElement, url: str) -> bool:
    """True if an <h1> is marked as the site's banner, or links away.

    A headline that is a link to another page is a teaser for that page, not this page's headline.
    """
    if _marked_banner(h1):
        return True
    page = _split(url)
    for a in h1.iter("a"):
        href = _split(a.get("href") or "")
        if page and href and href.path and _same_path(href.path) != _same_path(page.path):
            return True
    return False


def _site_link(h1: HtmlElement, url: str) -> bool:
    """True if an <h1> is marked as banner or links to another page of the same site (home, section)."""
    if _marked_banner(h1):
        return True
    page = _split(url)
    for a in h1.iter("a"):
        href = _split(a.get("href") or "")
        if page and href and href.hostname in (None, page.hostname) and href.path and (
            _same_path(href.path) != _same_path(page.path)
        ):
            return True
    return False


def _same_path(path: str) -> str:
    return unquote(path).rstrip("/")


def _marked_banner(h1: HtmlElement) -> bool:
    """True if a heading sits in <nav> or is marked as logo, brand or site title (on, in or around it)."""
    for el in (*h1.iter(), *h1.iterancestors("div", "header", "nav", "a", "span", "section")):
        if el.tag == "nav" or _BANNER_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    return False


def _is_banner(h1: str, names: set[str], edges: set[str]) -> bool:
    """True if an <h1> is the site's banner: its name, a label or a title's edge, or name and tagline."""
    text = compact(h1)
    return _is_decoration(h1, names | edges) or any(len(n) >= 4 and text.startswith(n) for n in names)


def _edge_parts(titles: Iterable[str]) -> set[str]:
    """Compact first and last separator-delimited parts of titles: where site names sit."""
    edges: set[str] = set()
    for title in titles:
        parts = _SEPARATOR.split(clean_text(title))
        if len(parts) > 1:
            edges.update((compact(parts[0]), compact(parts[-1])))
    edges.discard("")
    return edges


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
    """True if the two differ only in their last 3 characters or fewer ("...bayernev", "...bayerngvb")."""
    return len(os.path.commonprefix([a, b])) >= max(len(a), len(b)) - 3


def _is_truncation(short: str, full: str) -> bool:
    """True if `short` is `full` cut off (JSON-LD headlines can be), not `full` minus decoration."""
    rest = full[len(short) :]
    return len(short) >= 40 and full.startswith(short) and bool(rest) and not _SEPARATOR.match(rest)

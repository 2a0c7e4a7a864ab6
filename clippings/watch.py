r"""Read a watched counter ("0 have signed", "370 events") from a page: a pure function, no fetching.

`read_counter(html, url, watch)` returns `Found(value, text)` or `Missing(reason)`; the crawl turns
either into a `WatchObservation`. The rules, in order:

1. **Bounds.** Only the first `MAX_HTML_CHARS` characters of the page are parsed; the page's text
   is read from `<body>` (the whole document when there is none), without scripts, styles,
   templates, `<noscript>`, `<select>`, inline SVG or comments; block elements (p, div, li, td, h1...) end a
   line; runs of whitespace (no-break and narrow no-break spaces included) become one space.
   Text kept for an observation is cut to `MAX_TEXT_CHARS`. The HTML parser (libxml2) does not
   read elements nested deeper than about 250 levels.
2. **A selector** (`[[watch]] selector`, CSS): the first matching element in document order. Its
   text is the counter's text; the number is the first numeral in it (or, with a regex too, the
   regex's group in it). No element, or no numeral in it: missing.
3. **A regex** (`[[watch]] regex`, one capture group): the first match in the page's text (or the
   selected element's text). The group must hold a numeral; the whole match is the counter's text.
4. **Neither: the default rule.** The first counter phrase of the watch's `kind` in the page's
   text, in document order, on one line:
   - `N <words>`: the numeral directly before the kind's words, with at most one
     "verified/total/…", one "people/supporters/others/…" and one quoted name ('370 "Count Every Vote" events') between:
     signatures "0 have signed", "1,284 people have signed", "5,210 signatures", "12 signers",
     "1.234 firmas", "1 234 signatures", "1.234 Unterschriften";
     events "370 events", "212 rallies"; organizations "135 groups"; participants "4,000 RSVPs",
     "900 people attending"; locations "48 states", "300 cities";
   - `<label> N`: "Signatures: 1,284", "signed by 1,284", "Events: 370";
   - `N of M <words>` ("1,284 of 2,000 signatures", "1284/2000 signatures"): N, the count so far.
   A numeral that a goal introduces ("Let's get to 1,000!", "Goal: 2,000 signatures", "help us
   reach 500 signatures", "1,000 signatures needed", "N more signatures") is a target, not the
   counter, and is skipped. No phrase: missing ("no counter found").
5. **Numerals** are digits with optional thousands separators in every local form, each group
   of exactly three digits: `1,234`, `1.234`, `1 234` (plain, no-break or narrow no-break space),
   `1'234` / `1’234`. A numeral followed by a decimal part (`2.5`, `1,5`) is not a count. Values
   above `MAX_VALUE` are refused (missing): no petition has more signers than people alive.

A JSON or plain-text answer is read as the text of one paragraph (a regex such as
`"signatures":\s*(\d+)` reads a counter endpoint). The page's URL serves as the document's base
URL only; nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from clippings.campaign import Watch

MAX_HTML_CHARS = 2_000_000  # parsed from a page (a petition page is rarely a tenth of that)
MAX_TEXT_CHARS = 200  # kept of the text a counter was read from
MAX_VALUE = 10_000_000_000

_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title", "select", "option", "svg"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button",
    "label", "body", "html",
})
_WS = re.compile(r"[^\S\n]+")
_NL = re.compile(r" ?\n[\s]*")

# A numeral: thousands groups of exactly three digits, or a plain run of digits.
_SEP = "[,.'’ \u00a0\u202f\u2009]"
NUMERAL = rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?![\d])(?![.,]\d)"
_NUMERAL_RE = re.compile(NUMERAL)

# "N of M": the count so far, then the goal.
_OF = r"(?:\s+(?:of|out\s+of|de|sur|von|di)\s+|\s*/\s*)"
# A quoted name between the numeral and its words: 370 "Count Every Vote" events.
_NAMED = r"(?:[\"“'‘«„][^\"”'’»“\n]{1,60}[\"”'’»“][ ]+)?"
# The default rule's words, per kind (English, Spanish, French, German, Portuguese, Italian).
_FILLER = (
    r"(?:(?:verified|confirmed|total|online)\s+)?"
    r"(?:(?:people|persons|supporters|others|members|friends|personas|personnes|Menschen|Personen|pessoas|persone)"
    r"\s+)?"
)
_AFTER: dict[str, str] = {
    "signatures": (
        r"(?:ha(?:ve|s)\s+(?:already\s+)?signed|signed\b|signatures?|signers|signatories|"
        r"han\s+firmado|firmas|firmantes|ont\s+sign[ée]|signataires|haben\s+unterschrieben|"
        r"Unterschriften|Unterzeichner(?:innen)?|assinaturas|assinaram|firme|hanno\s+firmato)"
    ),
    "events": (
        r"(?:events?|rallies|protests|actions|vigils|marches|demonstrations|gatherings|"
        r"eventos|manifestaciones|movilizaciones|[ée]v[ée]nements|manifestations|rassemblements|"
        r"Veranstaltungen|Aktionen|Kundgebungen|Demonstrationen|atos|eventi|manifestazioni|presidi)"
    ),
    "organizations": (
        r"(?:groups|organi[sz]ations|partners|partner\s+organi[sz]ations|unions|chapters|"
        r"grupos|organizaciones|organisations\s+partenaires|associations|Organisationen|Gruppen|"
        r"organiza[cç][õo]es|organizzazioni|gruppi)"
    ),
    "participants": (
        r"(?:RSVPs|have\s+RSVP'?d|participants|attendees|volunteers|(?:are\s+)?attending|"
        r"(?:have\s+)?registered|participantes|voluntarios|inscritos|participants|b[ée]n[ée]voles|"
        r"Teilnehmende|Teilnehmer(?:innen)?|Freiwillige|participanti|volontari)"
    ),
    "locations": (
        r"(?:cities|states|towns|communities|locations|counties|ciudades|estados|villes|"
        r"communes|St[äa]dte|Orten|cidades|citt[àa])"
    ),
}
_LABEL: dict[str, str] = {
    "signatures": r"(?:signatures|signers|signed\s+by|firmas|Unterschriften|assinaturas|firme)",
    "events": r"(?:events|eventos|[ée]v[ée]nements|Veranstaltungen|eventi)",
    "organizations": r"(?:groups|organi[sz]ations|partners)",
    "participants": r"(?:RSVPs|participants|attendees|volunteers)",
    "locations": r"(?:cities|states|locations)",
}
# Words that make the numeral after them a target: "Let's get to 1,000!", "Goal: 2,000".
_GOAL_BEFORE = re.compile(
    r"(?:\bgoal|\btarget|\bget\s+(?:us\s+)?to|\breach|\bneed|\bneeds|\bup\s+to|\btowards?|\baim|"
    r"\bmeta|\bobjetivo|\bllegar\s+a|\bobjectif|\batteindre|\bZiel|\bobiettivo|/)"
    r"(?:\s+(?:is|of|was|to))?\s*:?\s*$",
    re.IGNORECASE,
)
_GOAL_AFTER = re.compile(
    r"^\s*(?:more\b|needed\b|required\b|to\s+go\b|left\b|goal\b|away\b|faltan\b|manquantes\b|fehlen\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """The counter's number and the words it was read from."""

    value: int
    text: str


@dataclass(frozen=True)
class Missing:
    """The page was read but shows no counter; why."""

    reason: str


def read_counter(html: str, url: str, watch: Watch) -> Found | Missing:
    """The counter on a watched page (see the module docstring for the rules)."""
    root = _parse(html[:MAX_HTML_CHARS], url)
    if root is None:
        return Missing("the page has no HTML to read")
    if watch.selector:
        element = next(iter(_css(watch.selector)(root)), None)
        if element is None:
            return Missing(f"selector {watch.selector!r} matched nothing")
        text = page_text(element).strip()
        if watch.regex:
            return _by_regex(text, watch.regex, f"in the text of {watch.selector!r}")
        match = _NUMERAL_RE.search(text)
        if match is None:
            return Missing(f"no number in the element {watch.selector!r} matched: {_clip(text)!r}")
        return _found(match.group(0), text)
    text = page_text(_body(root))
    if watch.regex:
        return _by_regex(text, watch.regex, "in the page's text")
    return _by_default_rule(text, watch.kind)


def parse_numeral(numeral: str) -> int | None:
    """The value of a numeral with optional thousands separators ("1,234", "1 234"), or None."""
    match = _NUMERAL_RE.search(numeral.strip())
    if match is None or match.group(0) != numeral.strip():
        return None
    value = int(re.sub(r"\D", "", match.group(0)))
    return value if value <= MAX_VALUE else None


def page_text(element: Any) -> str:
    """An element's visible text: block elements end lines, whitespace collapsed (rule 1)."""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event in ("comment", "pi"):
            if el.tail:
                parts.append(el.tail)
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if el is not element and tag in _SKIPPED:
                walker.skip_subtree()  # its "end" still comes, with its tail
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if el is not element and el.tail:
                parts.append(el.tail)
    text = _WS.sub(" ", "".join(parts))
    return _NL.sub("\n", text).strip()


# --- the rules ------------------------------------------------------------------------------------


def _by_regex(text: str, regex: str, where: str) -> Found | Missing:
    match = _regex(regex).search(text)
    if match is None:
        return Missing(f"regex {regex!r} matched nothing {where}")
    group = (match.group(1) or "").strip()
    if parse_numeral(group) is None:
        return Missing(f"regex {regex!r} captured {_clip(group)!r}, not a number")
    return _found(group, match.group(0))


def _by_default_rule(text: str, kind: str) -> Found | Missing:
    best: tuple[int, str, str] | None = None  # (position, numeral, text)
    for pattern in _default_patterns(kind):
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            numeral = match.group("n")
            before = text[max(0, match.start("n") - 40):match.start("n")]
            after = text[match.end("n"):match.end("n") + 30]
            if _GOAL_BEFORE.search(before) and not match.group("of"):
                continue
            if _GOAL_AFTER.match(after) or _GOAL_AFTER.match(text[match.end():match.end() + 30]):
                continue
            if parse_numeral(numeral) is None:
                continue
            best = (match.start(), numeral, match.group(0))
            break
    if best is None:
        return Missing(f"no counter found (no numeral before {kind} words)")
    return _found(best[1], best[2])


@lru_cache(maxsize=16)
def _default_patterns(kind: str) -> tuple[re.Pattern[str], ...]:
    after, label = _AFTER[kind], _LABEL[kind]
    flags = re.IGNORECASE
    return (
        re.compile(
            rf"(?P<n>{NUMERAL})(?P<of>{_OF}{NUMERAL})?[ ]+{_FILLER}{_NAMED}{after}\b",
            flags,
        ),
        re.compile(rf"(?:\b{label}[ ]*:|\bsigned[ ]+by)[ ]*(?P<n>{NUMERAL})(?P<of>)", flags),
    )


@lru_cache(maxsize=64)
def _regex(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


@lru_cache(maxsize=64)
def _css(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


def _found(numeral: str, text: str) -> Found | Missing:
    value = parse_numeral(numeral)
    if value is None:
        return Missing(f"{_clip(numeral)!r} is not a count")
    return Found(value, _clip(" ".join(text.split())))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _parse(html: str, url: str) -> Any:
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html, base_url=url)
    except (etree.ParserError, ValueError):
        return None


def _body(root: Any) -> Any:
    body = root.find("body")
    return body if body is not None else root

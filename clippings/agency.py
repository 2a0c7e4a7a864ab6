"""Which wire agency (AFP, AP, Reuters, EFE, dpa...) a story comes from, read from its page.

The agencies and the names they are credited by are the registry's (`clippings/data/outlets.toml`,
entries with `agency = true` and their `aliases`), plus the campaign's outlets declared with
`agency = true` (`OutletIndex.agencies`). The rule, first answer wins:

1. **site**: the page is on an agency's own site (reuters.com, apnews.com...): that agency.
2. **json-ld**: an article object of the page's JSON-LD (`@type` ending in "Article", also inside
   `@graph`) names an agency as its `sourceOrganization`, `provider`, `author` or `creator`
   (an object's `name`, or a plain string), the whole name being one of the agency's aliases.
   Images and publishers are not read: an AFP photo does not make an AFP story.
3. **byline**: an extracted author is an agency, alone or as one part of the byline
   ("AFP", "By The Associated Press", "Jane Doe/AFP", "Redacción | EFE", "dpa/tmn").
4. **dateline**: the lede, or one of the body's first three lines (the body may open with the
   headline), starts with a dateline crediting an agency within 200 characters:
   "WASHINGTON (AP) —", "(Reuters) -", "PARIS (AFP) -", "Madrid, 5 nov (EFE).-",
   "Berlin (dpa/lnw) -", "MADRID, 3 (EUROPA PRESS) -".
5. **credit**: one of the body's first three lines is a source line ("Quelle: dpa-AFX",
   "Fuente: EFE"), or its last 400 characters carry a copyright line naming an agency
   ("© Agence France-Presse", "Copyright 2020 The Associated Press. All rights reserved.",
   "© Thomson Reuters 2020"), a sign-off ("(FR mit dpa)", "(con EFE)", "(with AFP)") or a
   syndication note ("This story was first published by Reuters.", "Originally published by AFP").
   Photo credits ("© AFP / JEFF PACHOUD", "© KCNA/dpa") are not credits of the story, nor is a
   line that names several agencies ("(Con información de AFP, EFE y Reuters)").

Aliases match without regard to case, as whole words. Nothing here fetches or parses HTML beyond
finding the JSON-LD scripts; it runs on pages that passed the relevance check only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from clippings.outlets import Registry, registry

DATELINE_CHARS = 200  # how far into the lede or body a dateline may end
CREDIT_CHARS = 400  # how much of the body's end a copyright line is looked for in
MAX_JSON_LD = 20  # JSON-LD scripts read per page, at most
MAX_HTML = 2_000_000  # characters of the page searched for a syndication note
_JSON_LD_RE = re.compile(
    r"<script\b[^>]*?type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_CREDIT_KEYS = ("sourceOrganization", "provider", "author", "creator")
# Where a byline splits into parts: "Jane Doe/AFP", "Staff | EFE", "AP and Reuters", "with AFP".
_BYLINE_SPLIT_RE = re.compile(r"\s*(?:[/|,;:()\[\]·•–—]|\s-\s|\band\b|\bwith\b|\bvia\b|\bfrom\b|\by\b|\bcon\b)\s*",
                              re.IGNORECASE)
_BY_RE = re.compile(r"^(?:by|por|par|von|di|de)\s+", re.IGNORECASE)
# "Jordan Robertson, AP Technology Writers AP": an agency's name after its staff title.
_STAFF_RE = re.compile(r"\b(?:writers?|correspondents?|reporters?|staff|editors?)\s+(?P<agency>\S+(?:\s+\S+)?)\s*$",
                       re.IGNORECASE)
_LEAD_LINES = 3  # body lines a dateline or source line may be on


@dataclass(frozen=True)
class AgencyFound:
    """The agency a story comes from and the evidence that said so."""

    name: str  # the registry's name: "AFP", "Associated Press", "Reuters", "EFE", "dpa"...
    evidence: str  # "site", "json-ld", "byline", "dateline" or "credit"


@dataclass(frozen=True)
class _Agencies:
    """The registry's agencies compiled for matching."""

    by_alias: dict[str, str]  # casefolded alias (with and without a leading "the ") -> agency name
    dateline: re.Pattern[str]
    credit: re.Pattern[str]
    source_line: re.Pattern[str]
    any_alias: re.Pattern[str]
    syndication: re.Pattern[str]

    def named(self, text: str) -> str | None:
        """The agency whose alias is this whole text (case, spacing and a leading "the" ignored)."""
        key = " ".join(text.split()).casefold()
        return self.by_alias.get(key) or self.by_alias.get(key.removeprefix("the "))


@cache
def _compiled(known: Registry) -> _Agencies:
    by_alias: dict[str, str] = {}
    for agency in known.agencies:
        for alias in (agency.name, *agency.aliases):
            by_alias.setdefault(" ".join(alias.split()).casefold(), agency.name)
    # Longest alias first, so "Agence France-Presse" is tried before "AFP".
    words = sorted(by_alias, key=len, reverse=True)
    named = "(?P<agency>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"
    dateline = re.compile(
        # a place and date (one line), then "(AGENCY)" or "(AGENCY/desk)", then a dash
        r"^[^\n]{0," + str(DATELINE_CHARS) + r"}?\(\s*" + named + r"\s*(?:/[^)\n]{0,20})?\)\s*\.?\s*[-–—:\"]",
        re.IGNORECASE,
    )
    credit = re.compile(
        # "© AFP", "Copyright 2020 The Associated Press", "© Thomson Reuters 2020", "(FR mit dpa)", "(con EFE)";
        # not a photo credit ("© AFP / JEFF PACHOUD", "© KCNA/dpa"): no slash on either side
        r"(?:(?:©|\(c\)|copyright\b)[^\n/]{0,40}?(?<![\w-])(?:the\s+)?"
        r"|\([^()\n/]{0,30}\b(?:mit|with|con|avec|und|and|y|et)\s+(?:material\s+(?:von|der)\s+)?"
        # "This story was first published by Global Wire Service.", "Originally published by AFP"
        r"|\b(?:first|originally)\s+(?:published|appeared)\s+(?:by|in|on|at)\s+(?:the\s+)?)"
        + named + r"(?![\w-])(?!\s*/)",
        re.IGNORECASE,
    )
    source_line = re.compile(
        r"^(?:quelle|fuente|source|fonte|fonti)\s*:\s*(?:the\s+)?" + named + r"(?![\w-])", re.IGNORECASE
    )
    any_alias = re.compile(r"(?<![\w-])" + named + r"(?![\w-])", re.IGNORECASE)
    # the same syndication note in the page's HTML, where the body extractor may have left it out
    # ("<em>This story was first published by <a href=...>Global Wire Service</a>.</em>")
    syndication = re.compile(
        r"\b(?:first|originally)\s+(?:published|appeared)\s+(?:by|in|on|at)\s+(?:<[^<>]{0,500}>\s*){0,3}(?:the\s+)?"
        + named + r"(?![\w-])",
        re.IGNORECASE,
    )
    return _Agencies(by_alias, dateline, credit, source_line, any_alias, syndication)


def detect_agency(
    html: str | None = None,
    authors: list[str] | tuple[str, ...] = (),
    lede: str | None = None,
    body: str | None = None,
    site_agency: str | None = None,
    known: Registry | None = None,
) -> AgencyFound | None:
    """The wire agency of a story by the rule above, or None when nothing credits one.

    `site_agency` is the agency whose own site the page is on (`ResolvedOutlet.agency`).
    """
    if site_agency:
        return AgencyFound(site_agency, "site")
    agencies = _compiled(known or registry())
    if html:
        for name in _json_ld_credits(html):
            found = agencies.named(name)
            if found:
                return AgencyFound(found, "json-ld")
    for author in authors:
        found = _byline_agency(agencies, author)
        if found:
            return AgencyFound(found, "byline")
    lines = [lede.strip()] if lede and lede.strip() else []
    if body:
        lines += [line.strip() for line in body[: (DATELINE_CHARS + 60) * _LEAD_LINES].splitlines() if line.strip()][
            :_LEAD_LINES
        ]
    for line in lines:
        found = _first_named(agencies, agencies.dateline.match(line[: DATELINE_CHARS + 60]))
        if found:
            return AgencyFound(found, "dateline")
    for line in lines:
        found = _first_named(agencies, agencies.source_line.match(line))
        if found:
            return AgencyFound(found, "credit")
    if body:
        for match in agencies.credit.finditer(body[-CREDIT_CHARS:]):
            found = _first_named(agencies, match)
            named = {agencies.named(m["agency"]) for m in agencies.any_alias.finditer(match.group(0))}
            if found and len(named) == 1:  # "(Con información de AFP, EFE y Reuters)" credits no one agency
                return AgencyFound(found, "credit")
    if html:
        found = _first_named(agencies, agencies.syndication.search(html, 0, MAX_HTML))
        if found:
            return AgencyFound(found, "credit")
    return None


def _first_named(agencies: _Agencies, match: re.Match[str] | None) -> str | None:
    return agencies.named(match["agency"]) if match else None


def _byline_agency(agencies: _Agencies, author: str) -> str | None:
    whole = agencies.named(_BY_RE.sub("", author.strip()))
    if whole:
        return whole
    staff = _STAFF_RE.search(author)
    if staff and (found := agencies.named(staff["agency"]) or agencies.named(staff["agency"].split()[-1])):
        return found
    for part in _BYLINE_SPLIT_RE.split(author):
        part = _BY_RE.sub("", part.strip())
        if part:
            found = agencies.named(part)
            if found:
                return found
    return None


def _json_ld_credits(html: str) -> Iterator[str]:
    """The names an article's JSON-LD credits it to (sourceOrganization, provider, author, creator)."""
    for number, match in enumerate(_JSON_LD_RE.finditer(html)):
        if number >= MAX_JSON_LD:
            return
        try:
            data = json.loads(match.group(1).strip().removeprefix("<!--").removesuffix("-->"), strict=False)
        except ValueError:
            continue
        for article in _articles(data):
            for key in _CREDIT_KEYS:
                yield from _names(article.get(key))


def _articles(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The article objects in a JSON-LD document (top level, lists, @graph)."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _articles(item, depth + 1)
    elif isinstance(data, dict):
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
            yield data
        if "@graph" in data:
            yield from _articles(data["@graph"], depth + 1)


def _names(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            yield name
    elif isinstance(value, list):
        for item in value[:10]:
            yield from _names(item)

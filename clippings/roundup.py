"""The roundup: "what folks are saying", one line per outlet, written from stored clippings.

The shape is the press release's block in `../shared/seeds/`:

    From CNN: "We see these mobilizations as a critical way to counter any misinformation," said Sean Eldridge.

    Newsweek: Over 200 Protests Already Planned If Trump Attempts to Dispute Election Results

    AFP: «Si Trump rechaza el veredicto de las urnas, los manifestantes ya estan listos» (es)

`build_roundup` picks the lines; `render_roundup` writes them as txt (what a person pastes into a
press release: no markup, the seed's shape, a blank line between lines), md, html or json.

The rules:

1. Stories, not pages. Syndicated copies of one story form one story (`story_groups`): the store's
   story groups (`story_id`, `is_original`: near-duplicate bodies and agency evidence,
   `clippings.stories`), the store's original first. Clippings stored before story groups existed
   (no `story_id`) fall back to a heuristic among themselves: the same headline (compared case- and
   punctuation-blind), or crediting the same wire agency with the same lede; the original is the
   agency's own clipping when there is one, else the earliest published. Only originals give their
   outlet a line; the copies are listed under it (those in the clippings given, and the store's
   `copies` of the story).
2. One line per outlet, best outlets first: the campaign's order (`[roundup] outlets = [...]`) for
   the outlets it names, then by prominence: wire agencies, then by reach (international, national,
   regional, local; registry outlets count as national; campaign outlets that do not say, and
   unknown hosts, as regional), then more stories before fewer, then the earlier first story, then
   by name.
3. Each line takes that outlet's best story: one with a direct quote of one of the campaign's
   `people` before one without, then more distinct matched terms, then more count claims, then the
   earliest published. A quote line quotes the first such quotation of six words or more (else the
   first); a headline line gives the headline as published.
4. Languages: a line whose clipping is not in the campaign's first language (`languages[0]`; with
   none, the most common language of the clippings) keeps its original words and says which
   language it is in: `AFP: «Si Trump rechaza el veredicto…» (es)`.
5. `--with-counts` adds the clipping's UTC day and its highest count claim of each kind (a numeral
   before a vague word of the same value, then the earlier field): `[2020-11-02; 370 rallies, 135
   groups]`.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from clippings.article import COUNT_KINDS, CountClaim, Quote, claim_label
from clippings.formats import printable, safe_href

if TYPE_CHECKING:
    from clippings.campaign import Campaign
    from clippings.store.repository import StoredClipping

ROUNDUP_FORMATS = ("txt", "md", "html", "json")
REACH_ORDER = {"international": 1, "national": 2, "regional": 3, "local": 4}
DEFAULT_REACH = 3  # an outlet whose reach nobody said: after national, before local
_MIN_QUOTE_WORDS = 6


@dataclass(frozen=True)
class RoundupLine:
    """One outlet's line: its best clipping's quote of a campaign person, else that clipping's headline."""

    outlet: str
    kind: Literal["quote", "headline"]
    text: str  # the quoted words (no quotation marks), or the headline as published
    url: str  # the clipping the line comes from
    published_at: datetime | None
    language: str | None  # the clipping's language (ISO 639-1)
    foreign: bool  # the language is not the campaign's first language: the line says which
    person: str | None = None  # for a quote: the campaign's person who said it, as the campaign spells the name
    headline: str = ""  # the clipping's headline (also for quote lines)
    counts: tuple[CountClaim, ...] = ()  # the clipping's count claims (for --with-counts)
    copies: tuple[tuple[str, str], ...] = field(default=())  # (outlet, url) of syndicated copies of the story
    agency: str | None = None  # the wire agency of the story, when known

    def as_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "kind": self.kind,
            "text": self.text,
            "person": self.person,
            "headline": self.headline,
            "url": self.url,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "foreign": self.foreign,
            "agency": self.agency,
            "counts": [c.as_dict() for c in self.counts],
            "copies": [{"outlet": o, "url": u} for o, u in self.copies],
        }

    def txt(self, with_counts: bool = False) -> str:
        """The line as a person pastes it: `From CNN: "…," said Sean Eldridge.` or `Newsweek: <headline>`."""
        if self.kind == "quote":
            line = f"From {self.outlet}: {quoted(self.text)} said {self.person}."
            if self.foreign and self.language:
                line += f" ({self.language})"
        elif self.foreign and self.language:
            line = f"{self.outlet}: «{self.text}» ({self.language})"
        else:
            line = f"{self.outlet}: {self.text}"
        return line + (f" [{self.details()}]" if with_counts and self.details() else "")

    def details(self) -> str:
        """The UTC day and the highest claim of each kind: "2020-11-02; >370 events, 135 groups"."""
        parts = []
        if self.published_at:
            parts.append(self.published_at.date().isoformat())
        labels = [claim_label(c) for c in top_claims(self.counts)]
        if labels:
            parts.append(", ".join(labels))
        return "; ".join(parts)


def top_claims(counts: Iterable[CountClaim]) -> list[CountClaim]:
    """The highest claim of each kind, in COUNT_KINDS order (ties: a numeral before a vague word, then
    the earlier field, headline first)."""
    fields = {"headline": 0, "lede": 1, "body": 2}

    def rank(c: CountClaim) -> tuple[int, bool, int]:
        return (c.value, c.qualifier != "approx", -fields.get(c.field, 3))

    best: dict[str, CountClaim] = {}
    for c in counts:
        held = best.get(c.kind)
        if held is None or rank(c) > rank(held):
            best[c.kind] = c
    return [best[k] for k in COUNT_KINDS if k in best]


def quoted(text: str) -> str:
    """A quotation as press releases print it before "said": `"We are ready,"`; `"Why?"` keeps its mark."""
    words = " ".join(text.split())
    if words.endswith(("?", "!")):
        return f'"{words}"'
    return f'"{words.rstrip(".,;: ")},"'


# --- stories: syndicated copies grouped -------------------------------------------------------------


def _folded(text: str | None) -> str:
    """Text compared case-, accent-spacing- and punctuation-blind."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", t).split())


def _when(c: StoredClipping) -> datetime:
    return c.published_at or c.first_seen_at


def story_groups(clippings: Iterable[StoredClipping], agencies: Iterable[str] = ()) -> list[list[StoredClipping]]:
    """The clippings grouped into stories, each list its original first, then its copies by time.

    Clippings with a `story_id` are grouped by it, the store's original (`is_original`) first when it
    is among them, else the earliest. The others (stored before story groups) by the fallback
    heuristic, among themselves: the same folded headline, or the same agency and the same folded lede
    (of 40 characters or more); the original: the agency's own clipping (its outlet is the story's
    agency, or one of `agencies` when the story names none), else the earliest published.
    """
    everything = list(clippings)
    stored: dict[int, list[StoredClipping]] = {}
    for c in everything:
        if c.story_id is not None:
            stored.setdefault(c.story_id, []).append(c)
    out = []
    for members in stored.values():
        members.sort(key=lambda c: (_when(c), c.url))
        original = next((c for c in members if c.is_original), members[0])
        out.append([original] + [c for c in members if c is not original])
    out.extend(_heuristic_groups([c for c in everything if c.story_id is None], agencies))
    out.sort(key=lambda g: (_when(g[0]), g[0].url))
    return out


def _heuristic_groups(items: list[StoredClipping], agencies: Iterable[str]) -> list[list[StoredClipping]]:
    """The fallback for clippings without a story id: same headline, or same agency and lede."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, ...], int] = {}
    for i, c in enumerate(items):
        keys: list[tuple[str, ...]] = [("headline", _folded(c.headline))] if _folded(c.headline) else []
        lede = _folded(c.lede)
        if c.agency and len(lede) >= 40:
            keys.append(("lede", _folded(c.agency), lede))
        for key in keys:
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[StoredClipping]] = {}
    for i, c in enumerate(items):
        groups.setdefault(find(i), []).append(c)
    wire = {_folded(a) for a in agencies}
    out = []
    for members in groups.values():
        members.sort(key=lambda c: (_when(c), c.url))
        named = {_folded(c.agency) for c in members if c.agency}

        own = [c for c in members if _folded(c.outlet) in named or (not named and _folded(c.outlet) in wire)]
        original = own[0] if own and len(members) > 1 else members[0]
        out.append([original] + [c for c in members if c is not original])
    return out


# --- picking the lines ----------------------------------------------------------------------------


def _person_quote(c: StoredClipping) -> Quote | None:
    said = [q for q in c.quotes if q.person and q.text.strip()]
    if not said:
        return None
    return next((q for q in said if len(q.text.split()) >= _MIN_QUOTE_WORDS), said[0])


def _story_rank(c: StoredClipping) -> tuple[Any, ...]:
    """Smaller is better: a person's quote, more matched terms, more claims, earlier."""
    return (_person_quote(c) is None, -len(set(c.matched_terms)), -len(c.counts), _when(c), c.url)


def primary_language(languages: Sequence[str], clippings: Iterable[StoredClipping]) -> str | None:
    """The campaign's first language, else the most common language of the clippings."""
    if languages:
        return languages[0]
    common = Counter(c.language for c in clippings if c.language).most_common(1)
    return common[0][0] if common else None


def build_roundup(
    clippings: Iterable[StoredClipping],
    *,
    languages: Sequence[str] = (),
    outlet_order: Sequence[str] = (),
    reach: Mapping[str, str | None] | None = None,
    agencies: Iterable[str] = (),
    registry_outlets: Iterable[str] = (),
    max_lines: int | None = None,
) -> list[RoundupLine]:
    """One line per outlet, best outlets first (the rules are the module docstring's).

    `reach` maps outlet names to international/national/regional/local (the campaign's); `agencies`
    names the wire agencies (campaign outlets with `agency = true` and the registry's); outlets in
    `registry_outlets` (the bundled registry's names) count as national when `reach` does not say.
    """
    items = list(clippings)
    main = primary_language(languages, items)
    wire = {_folded(a) for a in agencies}
    known = {_folded(n) for n in registry_outlets}
    reach_of = {_folded(k): v for k, v in (reach or {}).items()}
    order = {_folded(n): i for i, n in enumerate(outlet_order)}
    by_outlet: dict[str, list[list[StoredClipping]]] = {}
    for group in story_groups(items, agencies):
        by_outlet.setdefault(group[0].outlet, []).append(group)

    def tier(name: str) -> tuple[Any, ...]:
        f = _folded(name)
        if f in order:
            return (0, order[f])
        stories = by_outlet[name]
        if f in wire:
            level = 0
        elif reach_of.get(f):
            level = REACH_ORDER[str(reach_of[f])]
        else:
            level = REACH_ORDER["national"] if f in known else DEFAULT_REACH
        first = min(_when(g[0]) for g in stories)
        return (1, level, -len(stories), first, name.casefold())

    lines = []
    for name in sorted(by_outlet, key=tier):
        group = min(by_outlet[name], key=lambda g: _story_rank(g[0]))
        best = group[0]
        said = _person_quote(best)
        foreign = bool(best.language and main and best.language != main)
        lines.append(RoundupLine(
            outlet=best.outlet,
            kind="quote" if said else "headline",
            text=" ".join(said.text.split()) if said else best.headline,
            person=said.person if said else None,
            headline=best.headline,
            url=best.url,
            published_at=best.published_at,
            language=best.language,
            foreign=foreign,
            counts=best.counts,
            copies=_copies(group),
            agency=best.agency,
        ))
    return lines[:max_lines] if max_lines is not None else lines


def _copies(group: list[StoredClipping]) -> tuple[tuple[str, str], ...]:
    """(outlet, url) of a story's copies: the group's, then those the store knows of (`copies`), once each."""
    seen = {group[0].url}
    out = []
    for outlet, url in [(c.outlet, c.url) for c in group[1:]] + list(group[0].copies):
        if url not in seen:
            seen.add(url)
            out.append((outlet, url))
    return tuple(out)


def campaign_roundup(
    clippings: Iterable[StoredClipping], campaign: Campaign | None = None, max_lines: int | None = None
) -> list[RoundupLine]:
    """`build_roundup` with what the campaign file says (languages, `[roundup] outlets`, each outlet's
    `reach` and `agency`) and the bundled registry's agencies and outlets."""
    from clippings.outlets import registry

    known = registry()
    agencies = [o.name for o in known.agencies]
    if campaign is None:
        return build_roundup(clippings, agencies=agencies, registry_outlets=[o.name for o in known.outlets],
                             max_lines=max_lines)
    return build_roundup(
        clippings,
        languages=campaign.languages,
        outlet_order=campaign.roundup_outlets,
        reach={o.name: o.reach for o in campaign.outlets},
        agencies=agencies + [o.name for o in campaign.outlets if o.agency],
        registry_outlets=[o.name for o in known.outlets],
        max_lines=max_lines,
    )


# --- formats ----------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    """Markdown text that renders as itself: markup characters and HTML escaped."""
    text = html.escape(" ".join(text.split()), quote=False).replace("&gt;", ">")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


def _md_line(line: RoundupLine, with_counts: bool) -> str:
    href = safe_href(line.url)
    outlet = _md_escape(line.outlet)
    if line.kind == "quote":
        body = f"From **{outlet}**: {_md_escape(quoted(line.text))} said {_md_escape(line.person or '')}."
    elif line.foreign:
        body = f"**{outlet}**: «{_md_escape(line.text)}»"
    else:
        body = f"**{outlet}**: {_md_escape(line.text)}"
    if line.foreign and line.language:
        body += f" ({_md_escape(line.language)})"
    if href:
        body += f" ([link](<{href.replace('>', '%3E').replace('<', '%3C').replace(' ', '%20')}>))"
    if with_counts and line.details():
        body += f" [{_md_escape(line.details())}]"
    if line.copies:
        body += " — also in " + ", ".join(_md_escape(o) for o, _ in line.copies)
    return f"- {body}"


def _html_line(line: RoundupLine, with_counts: bool) -> str:
    e = html.escape
    if line.kind == "quote":
        words = f"From <strong>{e(line.outlet)}</strong>: {e(quoted(line.text))} said {e(line.person or '')}."
    elif line.foreign:
        words = f"<strong>{e(line.outlet)}</strong>: «{e(line.text)}»"
    else:
        words = f"<strong>{e(line.outlet)}</strong>: {e(line.text)}"
    if line.foreign and line.language:
        words += f' <span class="lang">({e(line.language)})</span>'
    href = safe_href(line.url)
    if href:
        words = (f'{words} <a href="{e(href, quote=True)}" rel="noopener noreferrer">link</a>')
    if with_counts and line.details():
        words += f' <span class="details">[{e(line.details())}]</span>'
    if line.copies:
        words += ' <span class="copies">also in ' + ", ".join(e(o) for o, _ in line.copies) + "</span>"
    return f"  <li>{words}</li>"


def render_roundup(lines: Sequence[RoundupLine], fmt: str, with_counts: bool = False, title: str | None = None) -> str:
    """The roundup in one of ROUNDUP_FORMATS. txt has no markup at all (paste it as it is)."""
    if fmt == "txt":  # (printable: no terminal escape sequences from scraped text)
        return printable("\n\n".join(line.txt(with_counts) for line in lines))
    if fmt == "md":
        md_head = [f"## {_md_escape(title)}", ""] if title else []
        return printable("\n".join(md_head + [_md_line(line, with_counts) for line in lines]))
    if fmt == "html":
        html_head = f"<h2>{html.escape(title)}</h2>\n" if title else ""
        return html_head + '<ul class="roundup">\n' + "\n".join(_html_line(x, with_counts) for x in lines) + "\n</ul>"
    if fmt == "json":
        return json.dumps([x.as_dict() for x in lines], ensure_ascii=False, indent=2)
    raise ValueError(f"unknown roundup format {fmt!r} (expected one of: {', '.join(ROUNDUP_FORMATS)})")

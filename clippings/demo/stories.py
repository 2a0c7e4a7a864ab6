"""The demo site's content as typed records, read from `stories/<outlet>.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

STORIES_DIR = Path(__file__).parent / "stories"


@dataclass(frozen=True)
class Count:
    """A number of events or groups that an article states, with the words as written."""

    value: int
    kind: str  # "events" or "groups"
    text: str


@dataclass(frozen=True)
class Quote:
    """Words an article attributes to a tracked person, without the quotation marks."""

    speaker: str
    text: str


@dataclass(frozen=True)
class Story:
    """One article page of the demo site."""

    slug: str  # the outlet's slug
    path: str
    section: str
    headline: str
    dek: str
    authors: tuple[str, ...]
    published: datetime
    body: str
    relevant: bool
    mentions: tuple[str, ...] = ()
    near_miss: tuple[str, ...] = ()
    modified: datetime | None = None
    author_kind: str = "Person"
    credit: str | None = None  # the agency a republished story is credited to
    wire: str | None = None  # the agency a story comes from when its byline is the agency itself
    dateline: str | None = None
    in_feed: bool = False
    feed_query: str = ""  # appended to the link in the feed (tracking parameters)
    in_sitemap: str | None = None  # "news" or "archive"
    counts: tuple[Count, ...] = ()
    quotes: tuple[Quote, ...] = ()
    syndicated_from: tuple[str, str] | None = None  # (outlet slug, path)

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs; those starting with '## ' are subheadings."""
        return [p.strip() for p in self.body.strip().split("\n\n") if p.strip()]


@dataclass(frozen=True)
class DeadLink:
    """A feed item whose link answers 404."""

    path: str
    title: str
    published: datetime


@dataclass(frozen=True)
class MalformedItem:
    """A feed item that breaks the feed's XML and has no usable link or date."""

    title: str
    published: str
    description: str
    problem: str


@dataclass(frozen=True)
class OutletSpec:
    """One outlet of the demo site: its identity, page style, sources and stories."""

    slug: str
    name: str
    language: str
    style: str  # jsonld, opengraph, microdata, bare or graph
    tagline: str
    sections: tuple[tuple[str, str], ...]
    rss: str | None = None
    atom: str | None = None
    news_sitemap: str | None = None
    archive_sitemap: str | None = None
    sitemap_index: str | None = None
    urls: bool = False
    agency: bool = False  # a wire agency: the campaign declares it with `agency = true`
    reach: str | None = None  # international, national, regional or local: the campaign's `reach`
    section_pages: tuple[str, ...] = ()
    dead_links: tuple[DeadLink, ...] = ()
    malformed_items: tuple[MalformedItem, ...] = ()
    stories: tuple[Story, ...] = ()
    private: tuple[Story, ...] = ()  # pages under /private/ that robots.txt forbids

    @property
    def feed(self) -> str | None:
        """The path of the outlet's feed, if it has one."""
        return self.rss or self.atom

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """The sitemap paths a crawler should start from."""
        if self.sitemap_index:
            return (self.sitemap_index,)
        return tuple(p for p in (self.news_sitemap, self.archive_sitemap) if p)

    def section_name(self, key: str) -> str:
        """The display name of a section."""
        return dict(self.sections)[key]


def _story(slug: str, raw: dict) -> Story:
    syndicated = raw.get("syndicated_from")
    return Story(
        slug=slug,
        path=raw["path"],
        section=raw["section"],
        headline=raw.get("headline", ""),
        dek=raw.get("dek", ""),
        authors=tuple(raw.get("authors", ())),
        published=datetime.fromisoformat(raw["published"]),
        body=raw.get("body", ""),
        relevant=raw["relevant"],
        mentions=tuple(raw.get("mentions", ())),
        near_miss=tuple(raw.get("near_miss", ())),
        modified=datetime.fromisoformat(raw["modified"]) if "modified" in raw else None,
        author_kind=raw.get("author_kind", "Person"),
        credit=raw.get("credit"),
        wire=raw.get("wire"),
        dateline=raw.get("dateline"),
        in_feed=raw.get("in_feed", False),
        feed_query=raw.get("feed_query", ""),
        in_sitemap=raw.get("in_sitemap"),
        counts=tuple(Count(**c) for c in raw.get("counts", ())),
        quotes=tuple(Quote(**q) for q in raw.get("quotes", ())),
        syndicated_from=tuple(syndicated.split(":", 1)) if syndicated else None,  # type: ignore[arg-type]
    )


def _outlet(raw: dict) -> OutletSpec:
    meta = raw["outlet"]
    slug = meta["slug"]
    return OutletSpec(
        slug=slug,
        name=meta["name"],
        language=meta["language"],
        style=meta["style"],
        tagline=meta["tagline"],
        sections=tuple((k, v) for k, v in meta["sections"]),
        rss=meta.get("rss"),
        atom=meta.get("atom"),
        news_sitemap=meta.get("news_sitemap"),
        archive_sitemap=meta.get("archive_sitemap"),
        sitemap_index=meta.get("sitemap_index"),
        urls=meta.get("urls", False),
        agency=meta.get("agency", False),
        reach=meta.get("reach"),
        section_pages=tuple(meta.get("section_pages", ())),
        dead_links=tuple(
            DeadLink(d["path"], d["title"], datetime.fromisoformat(d["published"]))
            for d in meta.get("dead_links", ())
        ),
        malformed_items=tuple(MalformedItem(**m) for m in meta.get("malformed_items", ())),
        stories=tuple(_story(slug, a) for a in raw.get("articles", ())),
        private=tuple(_story(slug, a) for a in raw.get("private", ())),
    )


def _fill_syndicated(outlets: list[OutletSpec]) -> list[OutletSpec]:
    """Copy the text of republished stories from the original (headline, dek, body, terms)."""
    by_key = {(s.slug, s.path): s for o in outlets for s in o.stories}
    filled = []
    for outlet in outlets:
        stories = []
        for s in outlet.stories:
            if s.syndicated_from:
                original = by_key[s.syndicated_from]
                s = replace(
                    s,
                    headline=s.headline or original.headline,
                    dek=s.dek or original.dek,
                    body=original.body,
                    mentions=original.mentions,
                    near_miss=original.near_miss,
                    counts=original.counts,
                    quotes=original.quotes,
                )
            stories.append(s)
        filled.append(replace(outlet, stories=tuple(stories)))
    return filled


def load_outlets(stories_dir: Path = STORIES_DIR) -> list[OutletSpec]:
    """Every outlet with its stories, in file-name order."""
    raw = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(stories_dir.glob("*.toml"))]
    return _fill_syndicated([_outlet(r) for r in raw])

"""Feeds, sitemaps, robots.txt and static files of the demo site."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from clippings.demo.render_html import join_names, origin
from clippings.demo.stories import OutletSpec, Story

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_RSS_LANGS = {"en": "en-us", "es": "es-es", "fr": "fr-fr"}


def _newest(stories: list[Story]) -> list[Story]:
    return sorted(stories, key=lambda s: s.published, reverse=True)


def _feed_stories(outlet: OutletSpec) -> list[Story]:
    return _newest([s for s in outlet.stories + outlet.private if s.in_feed])


def render_rss(outlet: OutletSpec) -> str:
    """An RSS 2.0 feed: the stories marked in_feed, dead links and malformed items among them."""
    base = origin(outlet)
    entries: list[tuple[datetime | None, str]] = []
    for s in _feed_stories(outlet):
        link, by = base + s.path, join_names(s.authors, outlet.language)
        entries.append(
            (
                s.published,
                "\n".join(
                    [
                        "    <item>",
                        f"      <title>{escape(s.headline)}</title>",
                        f"      <link>{escape(link + s.feed_query)}</link>",
                        f'      <guid isPermaLink="true">{escape(link)}</guid>',
                        f"      <pubDate>{format_datetime(s.published)}</pubDate>",
                        f"      <dc:creator>{escape(by)}</dc:creator>",
                        f"      <category>{escape(outlet.section_name(s.section))}</category>",
                        f"      <description>{escape(s.dek)}</description>",
                        "    </item>",
                    ]
                ),
            )
        )
    for d in outlet.dead_links:
        entries.append(
            (
                d.published,
                "\n".join(
                    [
                        "    <item>",
                        f"      <title>{escape(d.title)}</title>",
                        f"      <link>{base}{d.path}</link>",
                        f'      <guid isPermaLink="true">{base}{d.path}</guid>',
                        f"      <pubDate>{format_datetime(d.published)}</pubDate>",
                        "    </item>",
                    ]
                ),
            )
        )
    ordered = sorted(entries, key=lambda e: e[0].timestamp() if e[0] else 0, reverse=True)
    items = [text for _, text in ordered]
    for m in outlet.malformed_items:  # deliberately broken: raw '&', no link, no date
        items.insert(
            2,
            "\n".join(
                [
                    "    <item>",
                    f"      <title>{m.title}</title>",
                    f"      <pubDate>{m.published}</pubDate>",
                    f"      <description>{escape(m.description)}</description>",
                    "    </item>",
                ]
            ),
        )
    newest = max(d for d, _ in entries if d)
    return (
        _XML_HEAD
        + "\n".join(
            [
                '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
                "  <channel>",
                f"    <title>{escape(outlet.name)}</title>",
                f"    <link>{base}/</link>",
                f"    <description>{escape(outlet.tagline)}</description>",
                f"    <language>{_RSS_LANGS[outlet.language]}</language>",
                f"    <lastBuildDate>{format_datetime(newest)}</lastBuildDate>",
                f'    <atom:link href="{base}{outlet.rss}" rel="self" type="application/rss+xml"/>',
                *items,
                "  </channel>",
                "</rss>",
            ]
        )
        + "\n"
    )


def render_atom(outlet: OutletSpec) -> str:
    """An Atom 1.0 feed of the stories marked in_feed."""
    base = origin(outlet)
    stories = _feed_stories(outlet)
    tag = f"tag:{outlet.slug}.example,2020"
    entries = []
    for s in stories:
        authors = "\n".join(f"    <author><name>{escape(a)}</name></author>" for a in s.authors)
        entries.append(
            "\n".join(
                [
                    "  <entry>",
                    f"    <title>{escape(s.headline)}</title>",
                    f'    <link rel="alternate" type="text/html" href="{base}{s.path}"/>',
                    f"    <id>{tag}:{s.path}</id>",
                    f"    <published>{s.published.isoformat()}</published>",
                    f"    <updated>{(s.modified or s.published).isoformat()}</updated>",
                    authors,
                    f"    <category term={quoteattr(outlet.section_name(s.section))}/>",
                    f"    <summary>{escape(s.dek)}</summary>",
                    "  </entry>",
                ]
            )
        )
    updated = max((s.modified or s.published) for s in stories)
    return (
        _XML_HEAD
        + "\n".join(
            [
                f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">',
                f"  <title>{escape(outlet.name)}</title>",
                f"  <subtitle>{escape(outlet.tagline)}</subtitle>",
                f'  <link rel="self" type="application/atom+xml" href="{base}{outlet.atom}"/>',
                f'  <link rel="alternate" type="text/html" href="{base}/"/>',
                f"  <id>{tag}:feed</id>",
                f"  <updated>{updated.isoformat()}</updated>",
                *entries,
                "</feed>",
            ]
        )
        + "\n"
    )


def render_news_sitemap(outlet: OutletSpec) -> str:
    """A Google News sitemap of the stories marked in_sitemap = "news"."""
    base = origin(outlet)
    urls = []
    for s in _newest([s for s in outlet.stories if s.in_sitemap == "news"]):
        urls.append(
            "\n".join(
                [
                    "  <url>",
                    f"    <loc>{base}{s.path}</loc>",
                    "    <news:news>",
                    "      <news:publication>",
                    f"        <news:name>{escape(outlet.name)}</news:name>",
                    f"        <news:language>{outlet.language}</news:language>",
                    "      </news:publication>",
                    f"      <news:publication_date>{s.published.isoformat()}"
                    "</news:publication_date>",
                    f"      <news:title>{escape(s.headline)}</news:title>",
                    "    </news:news>",
                    "  </url>",
                ]
            )
        )
    return (
        _XML_HEAD
        + "\n".join(
            [
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
                '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
                *urls,
                "</urlset>",
            ]
        )
        + "\n"
    )


def render_archive_sitemap(outlet: OutletSpec) -> str:
    """A plain sitemap (loc and lastmod) of the stories marked in_sitemap = "archive"."""
    base = origin(outlet)
    urls = [
        f"  <url>\n    <loc>{base}{s.path}</loc>\n"
        f"    <lastmod>{(s.modified or s.published).isoformat()}</lastmod>\n"
        "    <changefreq>monthly</changefreq>\n  </url>"
        for s in _newest([s for s in outlet.stories if s.in_sitemap == "archive"])
    ]
    return (
        _XML_HEAD
        + "\n".join(
            [
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                *urls,
                "</urlset>",
            ]
        )
        + "\n"
    )


def render_sitemap_index(outlet: OutletSpec) -> str:
    """A sitemap index pointing to the news and archive sitemaps."""
    base = origin(outlet)
    parts = []
    for path, kind in ((outlet.news_sitemap, "news"), (outlet.archive_sitemap, "archive")):
        if not path:
            continue
        latest = max((s.modified or s.published) for s in outlet.stories if s.in_sitemap == kind)
        parts.append(
            f"  <sitemap>\n    <loc>{base}{path}</loc>\n"
            f"    <lastmod>{latest.isoformat()}</lastmod>\n  </sitemap>"
        )
    return (
        _XML_HEAD
        + "\n".join(
            [
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                *parts,
                "</sitemapindex>",
            ]
        )
        + "\n"
    )


def render_robots(outlet: OutletSpec) -> str:
    """robots.txt: everything allowed except /private/, with the sitemaps listed."""
    lines = [
        f"# robots.txt for {outlet.name}",
        "User-agent: *",
        "Disallow: /private/",
        "Allow: /",
        "",
    ]
    lines += [f"Sitemap: {origin(outlet)}{p}" for p in outlet.sitemaps]
    return "\n".join(lines).rstrip("\n") + "\n"


_CSS = (Path(__file__).parent / "assets" / "site.css").read_text(encoding="utf-8")
_COLORS = {
    "capitol-ledger": "#1d3557",
    "daily-beacon": "#e76f51",
    "global-wire": "#2a9d8f",
    "diario-civico": "#9b2226",
    "courrier-civique": "#3a0ca3",
    "metro-gazette": "#386641",
}


def render_css(outlet: OutletSpec) -> str:
    """The outlet's stylesheet."""
    color = _COLORS.get(outlet.slug, "#333333")
    return f"/* {outlet.name} */\n:root {{ --accent: {color}; }}\n" + _CSS


def render_logo(outlet: OutletSpec) -> str:
    """A small SVG logo with the outlet's name."""
    color = _COLORS.get(outlet.slug, "#333333")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40" viewBox="0 0 240 40">'
        f'<rect width="240" height="40" fill="{color}"/>'
        '<text x="10" y="27" font-family="Georgia" font-size="18" fill="#ffffff">'
        f"{escape(outlet.name)}</text>"
        "</svg>\n"
    )

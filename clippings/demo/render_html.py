"""HTML pages of the demo site: articles in five metadata styles, home, section and static pages.

Every page carries the chrome of a real news site (navigation, trending bar, sidebar, newsletter
box, footer, cookie banner, scripts) so that extraction has boilerplate to strip. Absolute URLs
use the `{{ORIGIN:<slug>}}` placeholder, filled in by the server.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from datetime import datetime
from html import escape as _html_escape
from pathlib import Path

from clippings.demo.stories import OutletSpec, Story

_EN_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_ES_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def escape(text: str) -> str:
    """Text-node escaping: &, < and > only, as most news sites do."""
    return _html_escape(text, quote=False)


def attr(text: str) -> str:
    """Attribute-value escaping, quotes included."""
    return _html_escape(text, quote=True)


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(plain.lower().split())


_ZONES = {-4: "EDT", -5: "EST", 1: "CET"}

LABELS = tomllib.loads((Path(__file__).parent / "labels.toml").read_text(encoding="utf-8"))
_LOCALES = {"en": "en_US", "es": "es_ES", "fr": "fr_FR"}
_HTML_LANGS = {"en": "en-US", "es": "es", "fr": "fr"}


def format_visible_date(dt: datetime, language: str) -> str:
    """The date as a reader sees it on the page, in the outlet's language and local time."""
    offset = dt.utcoffset()
    zone = _ZONES.get(int(offset.total_seconds() // 3600)) if offset is not None else None
    if language == "es":
        return f"{dt.day} de {_ES_MONTHS[dt.month - 1]} de {dt.year}, {dt:%H:%M} {zone}"
    if language == "fr":
        return f"{dt.day} {_FR_MONTHS[dt.month - 1]} {dt.year} à {dt.hour}h{dt:%M}"
    hour = dt.hour % 12 or 12
    ampm = "a.m." if dt.hour < 12 else "p.m."
    return f"{_EN_MONTHS[dt.month - 1]} {dt.day}, {dt.year}, {hour}:{dt:%M} {ampm} {zone}"


def join_names(names: tuple[str, ...] | list[str], language: str) -> str:
    """Names joined as a byline writes them: 'A, B and C'."""
    word = LABELS[language]["and"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def origin(outlet: OutletSpec) -> str:
    """The outlet's base URL as a placeholder."""
    return "{{ORIGIN:" + outlet.slug + "}}"


def _ld_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _newest_first(stories: tuple[Story, ...]) -> list[Story]:
    return sorted(stories, key=lambda s: s.published, reverse=True)


# --- head metadata, one function per style ---------------------------------------------------


def _head_jsonld(outlet: OutletSpec, story: Story) -> str:
    url = origin(outlet) + story.path
    author = [{"@type": story.author_kind, "name": a} for a in story.authors]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": story.headline,
        "description": story.dek,
        "image": [origin(outlet) + "/static/logo.svg"],
        "datePublished": story.published.isoformat(),
        "dateModified": (story.modified or story.published).isoformat(),
        "author": author if len(author) > 1 else author[0],
        "publisher": {
            "@type": "Organization",
            "name": outlet.name,
            "logo": {"@type": "ImageObject", "url": origin(outlet) + "/static/logo.svg"},
        },
        "articleSection": outlet.section_name(story.section),
        "inLanguage": _HTML_LANGS[outlet.language],
        "isAccessibleForFree": True,
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 1,
                "name": LABELS[outlet.language]["home"],
                "item": origin(outlet) + "/",
            },
            {
                "@type": "ListItem",
                "position": 2,
                "name": outlet.section_name(story.section),
                "item": f"{origin(outlet)}/{story.section}/",
            },
        ],
    }
    return "\n".join(
        [
            f'<link rel="canonical" href="{url}">',
            f'<meta name="description" content="{attr(story.dek)}">',
            _ld_json(article),
            _ld_json(crumbs),
        ]
    )


def _og_tags(outlet: OutletSpec, story: Story) -> list[str]:
    tags = [
        ("og:type", "article"),
        ("og:site_name", outlet.name),
        ("og:title", story.headline),
        ("og:description", story.dek),
        ("og:url", origin(outlet) + story.path),
        ("og:image", origin(outlet) + "/static/logo.svg"),
        ("og:locale", _LOCALES[outlet.language]),
        ("article:published_time", story.published.isoformat()),
    ]
    if story.modified:
        tags.append(("article:modified_time", story.modified.isoformat()))
    tags.append(("article:section", outlet.section_name(story.section)))
    tags += [("article:author", a) for a in story.authors]
    return [f'<meta property="{k}" content="{attr(v)}">' for k, v in tags]


def _head_opengraph(outlet: OutletSpec, story: Story) -> str:
    return "\n".join(
        [
            f'<meta name="description" content="{attr(story.dek)}">',
            *_og_tags(outlet, story),
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:title" content="{attr(story.headline)}">',
            f'<meta name="twitter:description" content="{attr(story.dek)}">',
        ]
    )


def _head_microdata(outlet: OutletSpec, story: Story) -> str:
    return "\n".join(
        [
            f'<link rel="canonical" href="{origin(outlet)}{story.path}">',
            f'<meta name="description" content="{attr(story.dek)}">',
        ]
    )


def _head_bare(outlet: OutletSpec, story: Story) -> str:
    return ""


def _head_graph(outlet: OutletSpec, story: Story) -> str:
    base, url = origin(outlet), origin(outlet) + story.path
    people = [
        {"@type": "Person", "@id": f"{base}/#/schema/person/{_ascii_slug(a)}", "name": a}
        for a in story.authors
    ]
    graph = [
        {
            "@type": "Organization",
            "@id": f"{base}/#organization",
            "name": outlet.name,
            "url": f"{base}/",
            "logo": {"@type": "ImageObject", "url": f"{base}/static/logo.svg"},
        },
        {
            "@type": "WebSite",
            "@id": f"{base}/#website",
            "url": f"{base}/",
            "name": outlet.name,
            "publisher": {"@id": f"{base}/#organization"},
            "inLanguage": "en-US",
        },
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{story.headline} - {outlet.name}",
            "isPartOf": {"@id": f"{base}/#website"},
            "datePublished": story.published.isoformat(),
            "dateModified": (story.modified or story.published).isoformat(),
            "inLanguage": "en-US",
        },
        *people,
        {
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "author": [{"@id": p["@id"]} for p in people],
            "headline": story.headline,
            "datePublished": story.published.isoformat(),
            "dateModified": (story.modified or story.published).isoformat(),
            "mainEntityOfPage": {"@id": url},
            "publisher": {"@id": f"{base}/#organization"},
            "articleSection": [outlet.section_name(story.section)],
            "inLanguage": "en-US",
        },
    ]
    return "\n".join(
        [
            f'<link rel="canonical" href="{url}">',
            f'<meta name="description" content="{attr(story.dek)}">',
            *_og_tags(outlet, story),
            _ld_json({"@context": "https://schema.org", "@graph": graph}),
        ]
    )


_HEADS = {
    "jsonld": _head_jsonld,
    "opengraph": _head_opengraph,
    "microdata": _head_microdata,
    "bare": _head_bare,
    "graph": _head_graph,
}


# --- the article itself -----------------------------------------------------------------------


def _byline(outlet: OutletSpec, story: Story) -> str:
    lab = LABELS[outlet.language]
    if outlet.style == "bare":
        names = escape(join_names(story.authors, outlet.language))
        return f'<p class="signature">{lab["by"]} {names}</p>'
    if outlet.style == "microdata":
        people = [
            '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            f'<span itemprop="name">{escape(a)}</span></span>'
            for a in story.authors
        ]
        names = (
            people[0] if len(people) == 1 else f"{', '.join(people[:-1])} {lab['and']} {people[-1]}"
        )
        return f'<p class="byline">{lab["by"]} {names}</p>'
    links = [
        f'<a class="author" rel="author" href="/about/#staff">{escape(a)}</a>'
        for a in story.authors
    ]
    names = links[0] if len(links) == 1 else f"{', '.join(links[:-1])} {lab['and']} {links[-1]}"
    credit = f' <span class="credit">| {escape(story.credit)}</span>' if story.credit else ""
    return f'<div class="byline"><span class="by">{lab["by"]}</span> {names}{credit}</div>'


def _dates(outlet: OutletSpec, story: Story) -> str:
    lab, lang = LABELS[outlet.language], outlet.language
    prop = ' itemprop="datePublished"' if outlet.style == "microdata" else ""
    if outlet.style == "bare":
        return (
            f'<p class="date"><time datetime="{story.published.isoformat()}">'
            f"{lab['published']} {format_visible_date(story.published, lang)}</time></p>"
        )
    html = (
        f'<div class="timestamp"><time{prop} datetime="{story.published.isoformat()}">'
        f"{lab['published']} {format_visible_date(story.published, lang)}</time>"
    )
    if story.modified:
        mprop = ' itemprop="dateModified"' if outlet.style == "microdata" else ""
        html += (
            f' <span class="sep">|</span> <time{mprop} datetime="{story.modified.isoformat()}">'
            f"{lab['updated']} {format_visible_date(story.modified, lang)}</time>"
        )
    return html + "</div>"


def _read_more(outlet: OutletSpec, story: Story) -> Story | None:
    """Another story of the same relevance, same section first, for the in-body 'read more' box."""
    others = [s for s in outlet.stories if s.path != story.path and s.relevant == story.relevant]
    others.sort(key=lambda s: (s.section != story.section, -s.published.timestamp()))
    return others[0] if others else None


def _body(outlet: OutletSpec, story: Story) -> str:
    lab = LABELS[outlet.language]
    parts = []
    for i, para in enumerate(story.paragraphs):
        if para.startswith("## "):
            parts.append(f"<h2>{escape(para[3:])}</h2>")
            continue
        text = escape(para)
        if i == 0 and story.dateline and outlet.style == "microdata":
            text = f'<span class="dateline">{escape(story.dateline)} (GWS) —</span> {text}'
        parts.append(f"<p>{text}</p>")
        if i == 1:
            parts.append(
                '<div class="ad-slot" data-slot="in-article-1">'
                f'<span class="ad-label">{lab["advert"]}</span></div>'
            )
        if i == 2 and outlet.style != "bare" and (other := _read_more(outlet, story)):
            parts.append(
                f'<aside class="inline-related"><strong>{lab["read_more"]}</strong> '
                f'<a href="{other.path}">{escape(other.headline)}</a></aside>'
            )
    if story.syndicated_from:
        src_slug, src_path = story.syndicated_from
        parts.append(
            f'<p class="syndication"><em>{lab["first_published"]} '
            f'<a href="{{{{ORIGIN:{src_slug}}}}}{src_path}">'
            f"{escape(story.credit or '')}</a>.</em></p>"
        )
    return "\n".join(parts)


def _article(outlet: OutletSpec, story: Story) -> str:
    lab = LABELS[outlet.language]
    section = f'<a href="/{story.section}/">{escape(outlet.section_name(story.section))}</a>'
    body = _body(outlet, story)
    if outlet.style == "bare":
        return "\n".join(
            [
                '<div class="article">',
                f'<div class="rubrique">{section}</div>',
                f"<h1>{escape(story.headline)}</h1>",
                f'<p class="chapo">{escape(story.dek)}</p>',
                _byline(outlet, story),
                _dates(outlet, story),
                f'<div class="texte">\n{body}\n</div>',
                "</div>",
            ]
        )
    if outlet.style == "microdata":
        head = (
            '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">\n'
            f'<meta itemprop="mainEntityOfPage" content="{origin(outlet)}{story.path}">\n'
            '<span itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
            f'<meta itemprop="name" content="{attr(outlet.name)}"></span>'
        )
        body_div = f'<div class="story-text" itemprop="articleBody">\n{body}\n</div>'
        h1 = f'<h1 itemprop="headline">{escape(story.headline)}</h1>'
    else:
        body_class = {
            "jsonld": "article-body",
            "opengraph": "story-body",
            "graph": "entry-content",
        }[outlet.style]
        head = f'<article class="article {outlet.style}" id="article-main">'
        body_div = f'<div class="{body_class}">\n{body}\n</div>'
        h1 = f'<h1 class="headline">{escape(story.headline)}</h1>'
    share = " ".join(
        f'<a class="share-{n}" href="#share-{n}" title="{lab["share"]}">{n.title()}</a>'
        for n in ("facebook", "twitter", "email")
    )
    tags = ", ".join(
        f'<a href="/{k}/">{escape(v)}</a>' for k, v in outlet.sections if k == story.section
    )
    comments = (
        (
            f'<section class="comments" id="comments"><h3>{(len(story.body) % 47) + 3} '
            f"{lab['comments']}</h3>"
            '<p class="comments-note">Comments are closed.</p></section>'
        )
        if outlet.style == "opengraph"
        else ""
    )
    return "\n".join(
        [
            head,
            '<header class="article-header">',
            f'<p class="kicker">{section}</p>',
            h1,
            f'<p class="dek">{escape(story.dek)}</p>',
            _byline(outlet, story),
            _dates(outlet, story),
            f'<div class="share-tools"><span>{lab["share"]}:</span> {share}</div>',
            "</header>",
            body_div,
            f'<footer class="article-footer"><p class="tags">{lab["tags"]}: {tags}</p></footer>',
            comments,
            "</article>",
        ]
    )


# --- page chrome --------------------------------------------------------------------------------


def _nav(outlet: OutletSpec) -> str:
    lab = LABELS[outlet.language]
    items = [f'<li><a href="/">{lab["home"]}</a></li>']
    items += [f'<li><a href="/{k}/">{escape(v)}</a></li>' for k, v in outlet.sections]
    items.append(f'<li><a href="/about/">{lab["about"]}</a></li>')
    return '<nav class="main-nav" aria-label="Sections"><ul>\n' + "\n".join(items) + "\n</ul></nav>"


def _story_links(
    stories: list[Story], css: str, with_date: bool = False, language: str = "en"
) -> str:
    items = []
    for s in stories:
        when = (
            f' <span class="when">{format_visible_date(s.published, language)}</span>'
            if with_date
            else ""
        )
        items.append(f'<li><a href="{s.path}">{escape(s.headline)}</a>{when}</li>')
    return f'<ul class="{css}">\n' + "\n".join(items) + "\n</ul>"


def _header(outlet: OutletSpec) -> str:
    lab = LABELS[outlet.language]
    trending = _newest_first(outlet.stories)[:3]
    trend = " ".join(f'<a href="{s.path}">{escape(s.headline)}</a>' for s in trending)
    return "\n".join(
        [
            f'<div class="cookie-banner" id="cookie-banner"><p>{lab["cookies"]}</p>'
            f'<button type="button" onclick="acceptCookies()">{lab["accept"]}</button></div>',
            '<header class="site-header">',
            f'<div class="top-bar"><a href="/about/">{lab["subscribe"]}</a> '
            f'<a href="/about/">{lab["sign_in"]}</a></div>',
            f'<a class="logo" href="/"><img src="/static/logo.svg" alt="{attr(outlet.name)}" '
            'width="240" height="40"></a>',
            f'<p class="tagline">{escape(outlet.tagline)}</p>',
            _nav(outlet),
            f'<div class="trending"><span class="label">{lab["trending"]}:</span> {trend}</div>',
            "</header>",
        ]
    )


def _sidebar(outlet: OutletSpec, story: Story | None) -> str:
    lab = LABELS[outlet.language]
    others = [s for s in _newest_first(outlet.stories) if story is None or s.path != story.path]
    related = [s for s in others if story is not None and s.section == story.section][:3]
    parts = [
        '<aside class="sidebar">',
        f'<section class="most-read"><h2>{lab["most_read"]}</h2>',
        _story_links(others[:5], "ranked"),
        "</section>",
    ]
    if related and story is not None:
        section_name = outlet.section_name(story.section)
        parts += [
            f'<section class="related"><h2>{lab["more_in"]} {escape(section_name)}</h2>',
            _story_links(related, "related-links"),
            "</section>",
        ]
    parts += [
        f'<section class="newsletter"><h2>{lab["newsletter"]}</h2>',
        '<form action="/about/" method="get" class="newsletter-form">',
        f'<label for="nl-email">{lab["email"]}</label> '
        '<input id="nl-email" type="email" name="email">',
        f'<button type="submit">{lab["subscribe"]}</button></form></section>',
        '<div class="ad-slot" data-slot="sidebar-1">'
        f'<span class="ad-label">{lab["advert"]}</span></div>',
        "</aside>",
    ]
    return "\n".join(parts)


def _footer(outlet: OutletSpec) -> str:
    lab = LABELS[outlet.language]
    sections = " ".join(f'<a href="/{k}/">{escape(v)}</a>' for k, v in outlet.sections)
    anchors = ("newsletters", "podcasts", "corrections", "contact", "jobs")
    services = " ".join(
        f'<a href="/about/#{a}">{escape(name)}</a>'
        for a, name in zip(anchors, lab["services"], strict=True)
    )
    return "\n".join(
        [
            '<footer class="site-footer">',
            f'<nav class="footer-sections">{sections}</nav>',
            f'<p class="footer-links"><a href="/about/">{lab["about"]}</a> '
            f'<a href="/privacy/">{lab["privacy"]}</a> '
            f'<a href="/about/#staff">{lab["staff"]}</a></p>',
            f'<p class="services">{services}</p>',
            f'<p class="copyright">&copy; 2020 {escape(outlet.name)}. {lab["rights"]}</p>',
            f'<p class="demo-note">{lab["demo"]}</p>',
            "</footer>",
        ]
    )


_SCRIPTS = """<script>
function acceptCookies() { document.getElementById('cookie-banner').style.display = 'none'; }
(function () {
  var data = window.pageData || {};
  window.analyticsQueue = window.analyticsQueue || [];
  window.analyticsQueue.push(['pageview', data.section || 'home', data.type || 'page']);
})();
</script>"""


def render_page(
    outlet: OutletSpec,
    title: str,
    head: str,
    main: str,
    story: Story | None = None,
    page_type: str = "page",
    section: str = "home",
) -> str:
    """A complete HTML page in the outlet's chrome."""
    lang = "" if outlet.style == "bare" else f' lang="{_HTML_LANGS[outlet.language]}"'
    viewport = (
        ""
        if outlet.style == "bare"
        else '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    )
    page_data = json.dumps({"section": section, "type": page_type, "outlet": outlet.slug})
    return (
        f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n{viewport}'
        f"<title>{escape(title)}</title>\n"
        + (head + "\n" if head else "")
        + '<link rel="stylesheet" href="/static/site.css">\n'
        + (
            f'<link rel="alternate" type="application/{"rss" if outlet.rss else "atom"}+xml" '
            f'title="{attr(outlet.name)}" href="{origin(outlet)}{outlet.feed}">\n'
            if outlet.feed
            else ""
        )
        + f"<script>window.pageData = {page_data};</script>\n"
        + f'</head>\n<body class="{page_type} {outlet.style}">\n'
        + _header(outlet)
        + '\n<main class="layout">\n<div class="main-column">\n'
        + main
        + "\n</div>\n"
        + _sidebar(outlet, story)
        + "\n</main>\n"
        + _footer(outlet)
        + "\n"
        + _SCRIPTS
        + "\n</body>\n</html>\n"
    )


def render_article(outlet: OutletSpec, story: Story) -> str:
    """The article page of one story."""
    head = _HEADS[outlet.style](outlet, story)
    return render_page(
        outlet,
        f"{story.headline} | {outlet.name}",
        head,
        _article(outlet, story),
        story=story,
        page_type="article",
        section=story.section,
    )


def render_listing(
    outlet: OutletSpec, stories: list[Story], heading: str, section: str = "home"
) -> str:
    """A home or section page listing stories, newest first."""
    items = []
    for s in _newest_first(tuple(stories)):
        items.append(
            "\n".join(
                [
                    '<div class="teaser">',
                    f'<h3><a href="{s.path}">{escape(s.headline)}</a></h3>',
                    f'<p class="teaser-dek">{escape(s.dek)}</p>',
                    f'<p class="teaser-meta">{escape(join_names(s.authors, outlet.language))} · '
                    f'<time datetime="{s.published.isoformat()}">'
                    f"{format_visible_date(s.published, outlet.language)}</time></p>",
                    "</div>",
                ]
            )
        )
    main = (
        f'<section class="listing"><h1>{escape(heading)}</h1>\n' + "\n".join(items) + "\n</section>"
    )
    home = section == "home"
    title = outlet.name if home else f"{heading} | {outlet.name}"
    head = (
        ""
        if outlet.style == "bare"
        else (
            f'<link rel="canonical" href="{origin(outlet)}/{"" if home else section + "/"}">'
            "\n"
            f'<meta name="description" content="{attr(outlet.tagline)}">'
        )
    )
    return render_page(outlet, title, head, main, page_type="listing", section=section)


def render_static(outlet: OutletSpec, kind: str) -> str:
    """The 'about' or 'privacy' page."""
    lab = LABELS[outlet.language]
    if kind == "about":
        staff = sorted(
            {
                a
                for s in outlet.stories
                for a in s.authors
                if s.author_kind == "Person" and not s.credit
            }
        )
        main = (
            f'<section class="static"><h1>{lab["about"]}</h1>'
            f"<p>{escape(outlet.name)} {lab['about_text']}</p>"
            f'<h2 id="staff">{lab["staff"]}</h2>\n'
            + "\n".join(f"<p>{escape(a)}</p>" for a in staff)
            + "</section>"
        )
    else:
        main = (
            f'<section class="static"><h1>{lab["privacy"]}</h1>'
            f"<p>{lab['privacy_text']}</p></section>"
        )
    return render_page(
        outlet, f"{lab[kind]} | {outlet.name}", "", main, page_type="static", section=kind
    )

"""Deterministic generator of the benchmark news site: article pages, sitemaps, RSS and robots.txt.

Every article is a function of (seed, number): `plan_site` draws each article's metadata, and
`render_article` its page (50-150 KB of realistic news markup: meta and Open Graph tags, JSON-LD
NewsArticle, a mega-menu, sidebars, related stories, comments, a big footer, inline CSS and a
large inline state script). 5% of the articles are about the "Protect the Results" campaign; the
others never name its terms. Absolute URLs use `ORIGIN_PLACEHOLDER`, which the server replaces with
its own origin. `build_cache` writes the pages once under bench/.cache/ and reuses them.

Usage: python bench/sitegen.py [--pages 5000] [--seed 1] [--anchor YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import prose

SITE_NAME = "Bench News"
ORIGIN_PLACEHOLDER = "__BENCH_ORIGIN__"
RELEVANT_SHARE = 0.05
MIN_BYTES, MAX_BYTES = 52_000, 148_000  # inside 50-150 KB whether a KB is 1000 or 1024 bytes
SITEMAP_SIZE = 1000
RSS_SIZE = 50
CACHE_ROOT = Path(__file__).resolve().parent / ".cache"
CACHE_VERSION = 1
_POOL_SIZE = 4000
_CHUNK = 200  # articles per job of the generator's process pool


@dataclass(frozen=True)
class ArticleMeta:
    """What the sitemaps and the feed say about one article."""

    number: int
    path: str
    section: str
    headline: str
    author: str
    published: str  # ISO 8601, UTC
    relevant: bool


@dataclass
class SiteTemplate:
    """The parts shared by every page of the site (as on a real CMS), and the prose pools."""

    sentences: list[str]
    headlines: list[str]
    css: str
    nav: str
    footer: str
    analytics: str


def _slugify(text: str) -> str:
    """A URL slug from a headline."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words[:10])


def _article_rng(seed: int, number: int, stream: str) -> random.Random:
    """The random stream of one article (independent of every other article)."""
    return random.Random(f"{seed}:{number}:{stream}")


def plan_site(pages: int, seed: int, anchor: datetime) -> list[ArticleMeta]:
    """The metadata of every article: 5% relevant, published in the 48 hours before `anchor`."""
    chosen = set(
        random.Random(f"{seed}:relevant").sample(range(pages), round(pages * RELEVANT_SHARE))
    )
    metas = []
    for number in range(pages):
        rng = _article_rng(seed, number, "meta")
        relevant = number in chosen
        headline = prose.make_relevant_headline(rng) if relevant else prose.make_headline(rng)
        section = "politics" if relevant else rng.choice(prose.SECTIONS)
        when = anchor - timedelta(minutes=rng.randint(30, 48 * 60))
        path = f"/{section}/{when:%Y/%m/%d}/{_slugify(headline)}-n{number:06d}.html"
        metas.append(
            ArticleMeta(
                number=number,
                path=path,
                section=section,
                headline=headline,
                author=prose.make_person(rng),
                published=when.isoformat(timespec="seconds"),
                relevant=relevant,
            )
        )
    return metas


def make_template(seed: int) -> SiteTemplate:
    """The site-wide template and prose pools."""
    rng = random.Random(f"{seed}:template")
    sentences = prose.make_sentence_pool(rng, _POOL_SIZE)
    headlines = [prose.make_headline(rng) for _ in range(600)]
    return SiteTemplate(
        sentences=sentences,
        headlines=headlines,
        css=_make_css(rng),
        nav=_make_nav(rng, headlines),
        footer=_make_footer(rng, sentences),
        analytics=_make_analytics(rng),
    )


def _make_css(rng: random.Random) -> str:
    """An inline critical-CSS block of a few KB."""
    props = (
        "margin:0 auto",
        "padding:8px 12px",
        "display:flex",
        "font:16px/1.5 Georgia,serif",
        "color:#1a1a1a",
        "border-bottom:1px solid #e2e2e2",
        "grid-template-columns:1fr 300px",
        "text-transform:uppercase",
        "letter-spacing:.04em",
        "max-width:1200px",
        "gap:24px",
    )
    rules = []
    for i in range(70):
        name = (
            f".c-{rng.choice(('nav', 'card', 'story', 'rail', 'ad', 'promo', 'footer', 'btn'))}-{i}"
        )
        rules.append(f"{name}{{{';'.join(rng.sample(props, 4))}}}")
    media = "@media (max-width:768px){" + "".join(rules[:30]) + "}"
    return "\n".join(rules) + "\n" + media


def _make_nav(rng: random.Random, headlines: list[str]) -> str:
    """The header: top bar, logo, mega-menu of sections and subsections."""
    items = []
    for section in prose.SECTIONS:
        subs = "".join(
            f'<li><a href="/{section}/{_slugify(h)}/"'
            f' class="c-nav-sub">{html.escape(h.split(" ")[0])} '
            f"{html.escape(' '.join(h.split(' ')[1:3]))}</a></li>"
            for h in rng.sample(headlines, 9)
        )
        items.append(
            f'<li class="c-nav-item"><a href="/{section}/"'
            f' data-track="nav:{section}">{section.title()}</a>'
            f'<ul class="c-nav-menu">{subs}</ul></li>'
        )
    return (
        '<header class="site-header"><div class="top-bar"><a href="/subscribe"'
        ' class="c-btn">Subscribe</a>'
        '<a href="/account/login">Sign in</a><span class="date-line">Today\'s paper</span></div>'
        f'<a class="logo" href="/" aria-label="{SITE_NAME}"><svg width="180" height="32" viewBox="0'
        ' 0 180 32">'
        '<path d="M0 0h20v32H0zM30 0h8l12 20V0h8v32h-8L38 12v20h-8z"/></svg></a>'
        f'<nav class="primary-nav" aria-label="Sections"><ul>{"".join(items)}</ul></nav></header>'
    )


def _make_footer(rng: random.Random, sentences: list[str]) -> str:
    """A big footer: columns of links and legal text."""
    columns = []
    for title in ("News", "Opinion", "Lifestyle", "Company", "Services", "Follow us"):
        links = "".join(
            f'<li><a href="/{title.lower().replace(" ", "-")}/{i}">{title} link {i}</a></li>'
            for i in range(14)
        )
        columns.append(f'<div class="c-footer-col"><h4>{title}</h4><ul>{links}</ul></div>')
    legal = " ".join(rng.sample(sentences, 6))
    return (
        f'<footer class="site-footer"><div class="c-footer-grid">{"".join(columns)}</div>'
        f'<p class="legal">{html.escape(legal)}</p><p class="copyright">&copy; {SITE_NAME}. All'
        ' rights '
        "reserved. Use of this site constitutes acceptance of our User Agreement and Privacy"
        " Policy.</p>"
        "</footer>"
    )


def _make_analytics(rng: random.Random) -> str:
    """The tag-manager and consent snippets found in the head of real news pages."""
    ids = [f"G-{rng.randrange(16**8):08X}" for _ in range(3)]
    return (
        "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','{ids[0]}',{{send_page_view:false}});"
        "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new"
        " Date().getTime(),event:'gtm.js'});"
        "var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;"
        f"j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);}})"
        f"(window,document,'script','dataLayer','{ids[1]}');"
        "window.__consent={purposes:[1,2,3,4,7,9,10],vendors:"
        + json.dumps(list(range(1, 120)))
        + "};"
    )


def _card(meta_headline: str, rng: random.Random, template: SiteTemplate, summary: bool) -> str:
    """A related-story card."""
    href = (
        f"/{rng.choice(prose.SECTIONS)}/{_slugify(meta_headline)}-n{rng.randrange(10**6):06d}.html"
    )
    text = (
        f'<p class="c-card-dek">{html.escape(rng.choice(template.sentences))}</p>'
        if summary
        else ""
    )
    return (
        f'<li class="c-card"><a href="{href}" data-track="related"><img'
        f' src="/img/thumb/{rng.randrange(10**6)}.jpg"'
        f' alt="" loading="lazy" width="160" height="90"><h3>{html.escape(meta_headline)}</h3>'
        f'</a>{text}</li>'
    )


def _json_ld(meta: ArticleMeta, lede: str, words: int) -> str:
    """JSON-LD NewsArticle and BreadcrumbList."""
    url = f"{ORIGIN_PLACEHOLDER}{meta.path}"
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": meta.headline,
        "description": lede[:240],
        "datePublished": meta.published,
        "dateModified": meta.published,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": meta.section,
        "wordCount": words,
        "inLanguage": "en-US",
        "image": [f"{ORIGIN_PLACEHOLDER}/img/lead/{meta.number}.jpg"],
        "author": [
            {"@type": "Person", "name": meta.author, "url": f"/authors/{_slugify(meta.author)}"}
        ],
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": f"{ORIGIN_PLACEHOLDER}/img/logo.png"},
        },
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ORIGIN_PLACEHOLDER}/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": meta.section.title(),
                "item": f"{ORIGIN_PLACEHOLDER}/{meta.section}/",
            },
        ],
    }
    return (
        f'<script type="application/ld+json">{json.dumps(article)}</script>\n'
        f'<script type="application/ld+json">{json.dumps(crumbs)}</script>'
    )


def _head(meta: ArticleMeta, template: SiteTemplate, lede: str, words: int) -> str:
    """The <head>: title, meta, Open Graph, canonical, inline CSS, analytics and JSON-LD."""
    title, dek, url = (
        html.escape(meta.headline),
        html.escape(lede[:200]),
        f"{ORIGIN_PLACEHOLDER}{meta.path}",
    )
    return f"""<head>
<meta charset="utf-8">
<title>{title} | {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{dek}">
<meta name="author" content="{html.escape(meta.author)}">
<meta name="robots" content="max-image-preview:large">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{dek}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:locale" content="en_US">
<meta property="og:image" content="{ORIGIN_PLACEHOLDER}/img/lead/{meta.number}.jpg">
<meta property="article:published_time" content="{meta.published}">
<meta property="article:modified_time" content="{meta.published}">
<meta property="article:section" content="{meta.section.title()}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{title}">
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/rss.xml">
<link rel="preconnect" href="https://cdn.example-static.net">
<link rel="stylesheet" href="/static/css/main.4f9a1c.css">
<style>{template.css}</style>
<script>{template.analytics}</script>
{_json_ld(meta, lede, words)}
</head>"""


def _story(
    meta: ArticleMeta, paragraphs: list[str], rng: random.Random, template: SiteTemplate
) -> str:
    """The <article>: breadcrumbs, headline, byline, lead image, body with inline promos, tags."""
    published = datetime.fromisoformat(meta.published)
    body = []
    for i, text in enumerate(paragraphs):
        body.append(f"<p>{html.escape(text)}</p>")
        if i % 4 == 3:
            pick = rng.choice(template.headlines)
            body.append(
                f'<aside class="c-promo-inline"><strong>Read more:</strong> '
                f'<a href="/{meta.section}/{_slugify(pick)}.html">{html.escape(pick)}</a></aside>'
            )
        if i == 5:
            body.append(
                '<div class="c-ad-inline" id="ad-mid" data-ad-slot="mid-article"></div>'
                '<form class="c-newsletter" action="/newsletters/signup" method="post">'
                '<label>Get the morning briefing</label><input type="email" name="email">'
                "<button>Sign up</button></form>"
            )
    tags = "".join(f'<a href="/tag/{t}" rel="tag">{t}</a>' for t in rng.sample(prose.SECTIONS, 4))
    return (
        f'<article class="story" itemscope itemtype="https://schema.org/NewsArticle">'
        f'<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/{meta.section}/">'
        f"{meta.section.title()}</a></nav>"
        f'<h1 class="headline" itemprop="headline">{html.escape(meta.headline)}</h1>'
        f'<div class="byline">By <a rel="author" href="/authors/{_slugify(meta.author)}">'
        f'{html.escape(meta.author)}</a> <time datetime="{meta.published}"'
        ' itemprop="datePublished">'
        f"{published:%B %d, %Y %H:%M} UTC</time></div>"
        '<div class="c-share"><button data-share="facebook">Share</button><button'
        ' data-share="x">Post'
        '</button><button data-share="email">Email</button><button data-share="copy">Copy link'
        '</button></div>'
        f'<figure class="lead-image"><img src="/img/lead/{meta.number}.jpg" alt="" width="1200" '
        f'height="675"><figcaption>{html.escape(rng.choice(template.sentences))}</figcaption></figure>'
        f'<div class="story-body" itemprop="articleBody">{"".join(body)}</div>'
        f'<div class="tags">{tags}</div></article>'
    )


def _sidebar(rng: random.Random, template: SiteTemplate) -> str:
    """The right rail: most read, latest, newsletter, ads, sponsored links."""
    most = "".join(
        f'<li><a href="/{_slugify(h)}.html">{html.escape(h)}</a></li>'
        for h in rng.sample(template.headlines, 10)
    )
    latest = "".join(_card(h, rng, template, False) for h in rng.sample(template.headlines, 10))
    sponsored = "".join(
        '<li class="c-sponsored"><a'
        f' href="https://ads.example-partner.com/c/{rng.randrange(10**9)}" rel="sponsored">'
        f"{html.escape(rng.choice(template.sentences))}</a></li>"
        for _ in range(8)
    )
    return (
        f'<aside class="sidebar"><section class="most-read"><h2>Most read</h2><ol>{most}</ol>'
        '</section>'
        '<div class="c-ad-rail" data-ad-slot="rail-1"></div>'
        f'<section class="latest"><h2>Latest</h2><ul>{latest}</ul></section>'
        f'<section class="around-the-web"><h2>Around the web</h2><ul>{sponsored}</ul></section>'
        '</aside>'
    )


def _comments(rng: random.Random, template: SiteTemplate, count: int) -> str:
    """A comments block with `count` reader comments."""
    items = []
    for i in range(count):
        user = f"{rng.choice(prose.FIRST).lower()}{rng.randrange(1000)}"
        items.append(
            f'<li class="c-comment" id="comment-{i}"><div class="c-comment-meta"><span'
            f' class="user">{user}</span>'
            f" <time>{rng.randint(1, 23)}h ago</time></div>"
            f"<p>{html.escape(prose.make_comment(rng, template.sentences))}"
            '</p><div class="c-comment-actions"><button>Reply</button><button>Like'
            f' {rng.randrange(200)}</button>'
            "<button>Report</button></div></li>"
        )
    return (
        f'<section class="comments" id="comments"><h2>{count} Comments</h2>'
        f'<ol>{"".join(items)}</ol></section>'
    )


def _state_script(rng: random.Random, template: SiteTemplate, budget: int) -> str:
    """A __INITIAL_STATE__ script of about `budget` bytes, as single-page-app news sites ship."""
    cards: list[dict[str, object]] = []
    text = '<script>window.__INITIAL_STATE__={"cards":[]};</script>'
    size = len(text)
    while size < budget - 400:
        headline = rng.choice(template.headlines)
        card = {
            "id": rng.randrange(10**8),
            "headline": headline,
            "url": f"/{_slugify(headline)}.html",
            "section": rng.choice(prose.SECTIONS),
            "summary": rng.choice(template.sentences),
            "image": {"src": f"/img/thumb/{rng.randrange(10**6)}.jpg", "w": 320, "h": 180},
            "flags": {"premium": rng.random() < 0.2, "video": rng.random() < 0.1},
        }
        cards.append(card)
        size += len(json.dumps(card)) + 1
    state = json.dumps(
        {"cards": cards, "ads": {"slots": ["top", "mid-article", "rail-1"], "refresh": 30}}
    )
    pad = max(0, budget - len(state) - 60)
    return f'<script>window.__INITIAL_STATE__={state};window.__PAD="{"x" * pad}";</script>'


def render_article(meta: ArticleMeta, seed: int, template: SiteTemplate) -> str:
    """The full HTML of one article page, sized between MIN_BYTES and MAX_BYTES."""
    rng = _article_rng(seed, meta.number, "body")
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    paragraphs = [prose.make_paragraph(rng, template.sentences) for _ in range(rng.randint(6, 20))]
    if meta.relevant:
        extra = prose.relevant_paragraphs(rng)
        paragraphs.insert(rng.randint(0, 1), extra[0])
        for text in extra[1:]:
            paragraphs.insert(rng.randint(2, len(paragraphs)), text)
    words = sum(len(p.split()) for p in paragraphs)
    related = "".join(_card(h, rng, template, True) for h in rng.sample(template.headlines, 12))
    before = (
        f'<!DOCTYPE html>\n<html lang="en-US">\n{_head(meta, template, paragraphs[0], words)}\n'
        f'<body class="article-page section-{meta.section}"><div id="cookie-banner" hidden>We use'
        ' cookies '
        "to improve your experience. <button>Accept</button></div>"
        f'{template.nav}<div class="c-ad-top" data-ad-slot="top"></div><main id="main"><div'
        ' class="layout">'
        f"{_story(meta, paragraphs, rng, template)}{_sidebar(rng, template)}</div>"
        f'<section class="related"><h2>More in {meta.section.title()}</h2><ul>{related}</ul>'
        '</section>'
    )
    after = (
        f"</main>{template.footer}"
        '<script src="/static/js/vendor.8c1d2e.js" defer></script><script'
        ' src="/static/js/app.19ab77.js" '
        "defer></script></body>\n</html>\n"
    )
    left = target - len(before.encode()) - len(after.encode())
    comments = _comments(rng, template, max(0, min(80, int(left * 0.4) // 260)))
    left -= len(comments.encode())
    page = before + comments + _state_script(rng, template, left) + after
    if not meta.relevant and prose.FORBIDDEN_RE.search(page):
        raise AssertionError(f"non-relevant page {meta.number} names a campaign term")
    return page


def _render_chunk(seed: int, metas: list[ArticleMeta]) -> list[bytes]:
    """Render some articles (in a worker process: the template is rebuilt, deterministically)."""
    template = make_template(seed)
    return [render_article(meta, seed, template).encode() for meta in metas]


def render_robots(origin: str) -> str:
    """robots.txt: everything but search and accounts, with the sitemap index."""
    return (
        "User-agent: *\nDisallow: /search\nDisallow: /account/\nDisallow: /newsletters/signup\n"
        f"\nUser-agent: GPTBot\nDisallow: /\n\nSitemap: {origin}/sitemap-index.xml\n"
    )


def sitemap_parts(metas: list[ArticleMeta]) -> list[list[ArticleMeta]]:
    """The articles split into sitemaps of at most SITEMAP_SIZE URLs."""
    return [metas[i : i + SITEMAP_SIZE] for i in range(0, len(metas), SITEMAP_SIZE)]


def render_sitemap_index(origin: str, metas: list[ArticleMeta]) -> str:
    """The sitemap index pointing at /sitemaps/news-N.xml."""
    entries = "".join(
        f"<sitemap><loc>{origin}/sitemaps/news-{i + 1}.xml</loc>"
        f"<lastmod>{max(m.published for m in part)}"
        "</lastmod></sitemap>\n"
        for i, part in enumerate(sitemap_parts(metas))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n'
    )


def render_sitemap(origin: str, part: list[ArticleMeta]) -> str:
    """A news sitemap (urlset with news:publication_date and news:title)."""
    entries = "".join(
        f"<url><loc>{origin}{m.path}</loc><lastmod>{m.published}</lastmod><news:news><news:publication>"
        f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{m.published}</news:publication_date><news:title>{escape(m.headline)}"
        "</news:title></news:news></url>\n"
        for m in part
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset'
        ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n{entries}</urlset>\n'
    )


def render_rss(origin: str, metas: list[ArticleMeta]) -> str:
    """An RSS 2.0 feed of the latest RSS_SIZE articles."""
    latest = sorted(metas, key=lambda m: m.published, reverse=True)[:RSS_SIZE]
    items = "".join(
        f'<item><title>{escape(m.headline)}</title><link>{origin}{m.path}</link><guid'
        ' isPermaLink="true">'
        f"{origin}{m.path}</guid><pubDate>{format_datetime(datetime.fromisoformat(m.published))}</pubDate>"
        f"<category>{m.section.title()}</category><dc:creator>{escape(m.author)}</dc:creator></item>\n"
        for m in latest
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{SITE_NAME}</title><link>{origin}/</link><description>Latest news"
        "</description>"
        f"<language>en-us</language>\n{items}</channel></rss>\n"
    )


def default_anchor() -> datetime:
    """Midnight UTC today: articles are dated in the two days before it."""
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def cache_dir_for(pages: int, seed: int, anchor: datetime, root: Path = CACHE_ROOT) -> Path:
    """The cache folder of one site."""
    return root / f"site-v{CACHE_VERSION}-p{pages}-s{seed}-{anchor:%Y%m%d}"


def build_cache(pages: int, seed: int, anchor: datetime, root: Path = CACHE_ROOT) -> Path:
    """Write the site once (pages.bin + manifest.json); reuse it when already there."""
    folder = cache_dir_for(pages, seed, anchor, root)
    if (folder / "manifest.json").exists():
        return folder
    for stale in root.glob(f"site-v*-p{pages}-s{seed}-*"):  # older days or versions of this site
        shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    metas = plan_site(pages, seed, anchor)
    chunks = [metas[i : i + _CHUNK] for i in range(0, len(metas), _CHUNK)]
    sizes = []
    with (
        open(folder / "pages.bin.tmp", "wb") as out,
        ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        for rendered in pool.map(_render_chunk, [seed] * len(chunks), chunks):
            sizes.extend(len(data) for data in rendered)
            out.write(b"".join(rendered))
    (folder / "pages.bin.tmp").rename(folder / "pages.bin")
    manifest = {
        "pages": pages,
        "seed": seed,
        "anchor": anchor.isoformat(),
        "sizes": sizes,
        "articles": [asdict(m) for m in metas],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def load_manifest(folder: Path) -> tuple[list[ArticleMeta], list[int]]:
    """The articles and page sizes of a cached site."""
    manifest = json.loads((folder / "manifest.json").read_text())
    return [ArticleMeta(**a) for a in manifest["articles"]], manifest["sizes"]


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) a cached site and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", type=lambda s: datetime.fromisoformat(s).replace(tzinfo=UTC))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build_cache(args.pages, args.seed, args.anchor or default_anchor())
    metas, sizes = load_manifest(folder)
    print(
        f"{folder}: {len(metas)} pages, {sum(m.relevant for m in metas)} relevant, sizes "
        f"{min(sizes)}..{max(sizes)} bytes (median {statistics.median(sizes):.0f}), "
        f"{sum(sizes) / 1e6:.0f} MB, {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

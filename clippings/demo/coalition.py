"""The coalition's own site in the demo: the pages whose counters the demo campaign watches.

Read from `coalition.toml` beside this file. It is not a news outlet (the campaign lists no source
on it, `DemoSite.others` serves it); each page may carry a counter ("370 events in 48 states",
"1,284 have signed. Let's get to 2,000!") and the `[[watch]]` entry that reads it, with the value
and words a correct reading gives (the ground truth in `expected.json`).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from clippings.demo.render_html import escape

COALITION_FILE = Path(__file__).parent / "coalition.toml"


@dataclass(frozen=True)
class WatchSpec:
    """The `[[watch]]` entry for one page, and what reading it must give."""

    name: str
    kind: str
    value: int
    text: str
    selector: str | None = None
    regex: str | None = None


@dataclass(frozen=True)
class CoalitionPage:
    """One page of the coalition site."""

    path: str
    title: str
    counter: str  # the counter's HTML, as the page prints it
    body: str
    events: tuple[str, ...]
    watch: WatchSpec

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.strip().split("\n\n") if p.strip()]


@dataclass(frozen=True)
class CoalitionSite:
    """The coalition's site: name, home page text and watched pages."""

    slug: str
    name: str
    tagline: str
    intro: str
    pages: tuple[CoalitionPage, ...]


def load_coalition(path: Path = COALITION_FILE) -> CoalitionSite:
    """The coalition site described by `coalition.toml`."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    site = raw["site"]
    return CoalitionSite(
        slug=site["slug"],
        name=site["name"],
        tagline=site["tagline"],
        intro=site["intro"],
        pages=tuple(
            CoalitionPage(
                path=p["path"], title=p["title"], counter=p["counter"], body=p["body"],
                events=tuple(p.get("events", ())), watch=WatchSpec(**p["watch"]),
            )
            for p in raw.get("pages", ())
        ),
    )


def origin(site: CoalitionSite) -> str:
    return f"{{{{ORIGIN:{site.slug}}}}}"


def _page(site: CoalitionSite, title: str, main: str) -> str:
    nav = "".join(f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in site.pages)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/static/site.css">\n</head>\n<body>\n'
        f'<header class="site-header"><a class="brand" href="/">{escape(site.name)}</a>'
        f'<p class="tagline">{escape(site.tagline)}</p>\n<nav><ul>{nav}</ul></nav></header>\n'
        f'<main>\n{main}\n</main>\n'
        '<footer class="site-footer"><p class="demo-note">A fictional page of the clippings demo site.</p>'
        "</footer>\n</body>\n</html>\n"
    )


def render_home(site: CoalitionSite) -> str:
    """The home page: no counter on it."""
    paragraphs = [p.strip() for p in site.intro.strip().split("\n\n") if p.strip()]
    main = f"<h1>{escape(site.name)}</h1>\n" + "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return _page(site, site.name, main)


def render_watched(site: CoalitionSite, page: CoalitionPage) -> str:
    """A page with a counter: the counter's HTML as written, then the text and any event list."""
    events = (
        '<ul class="event-list">' + "".join(f"<li>{escape(e)}</li>" for e in page.events) + "</ul>"
        if page.events
        else ""
    )
    main = (
        f"<h1>{escape(page.title)}</h1>\n{page.counter}\n"
        + "\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
        + ("\n" + events if events else "")
        + '\n<form class="sign" action="#" method="get"><label>Your name <input name="name"></label>'
        "<button>Add your name</button></form>"
    )
    return _page(site, f"{page.title} | {site.name}", main)


def render_site(site: CoalitionSite) -> dict[str, str]:
    """Every file of the coalition site: relative path -> text."""
    files = {"index.html": render_home(site)}
    for page in site.pages:
        files[page.path.lstrip("/") + "index.html"] = render_watched(site, page)
    files["robots.txt"] = f"# robots.txt for {site.name}\nUser-agent: *\nDisallow: /private/\nAllow: /\n"
    files["static/site.css"] = (
        "/* The coalition's stylesheet. */\nbody { font-family: sans-serif; margin: 0 auto; max-width: 760px; }\n"
        ".event-total, .petition-progress { font-size: 1.6rem; font-weight: bold; color: #8a1c1c; }\n"
        ".demo-note { color: #777; font-style: italic; }\n"
    )
    return files


def watch_tables(site: CoalitionSite) -> list[str]:
    """The campaign's `[[watch]]` tables for the coalition's pages (lines of TOML)."""
    lines: list[str] = []
    for page in site.pages:
        w = page.watch
        lines += ["", "[[watch]]", f"name = {json.dumps(w.name)}", f'url = "{origin(site)}{page.path}"']
        if w.selector:
            lines.append(f"selector = {json.dumps(w.selector)}")
        if w.regex:
            lines.append(f"regex = {json.dumps(w.regex)}")
        lines.append(f"kind = {json.dumps(w.kind)}")
    return lines


def watch_truth(site: CoalitionSite) -> list[dict[str, object]]:
    """expected.json's `watch`: each watched page and the reading it must give."""
    return [
        {
            "name": p.watch.name,
            "slug": site.slug,
            "path": p.path,
            "selector": p.watch.selector,
            "regex": p.watch.regex,
            "kind": p.watch.kind,
            "value": p.watch.value,
            "text": p.watch.text,
        }
        for p in site.pages
    ]

"""The bundled demo site: its server, its feeds and sitemaps, its campaign and its ground truth."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import urllib.robotparser
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree, html

from clippings.campaign import load_campaign
from clippings.demo.build import build, list_differences
from clippings.demo.server import DEMO_DIR, EXPECTED_PATH, SITE_DIR, DemoSite, serve_demo

EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
ARTICLES = EXPECTED["articles"]
SLUGS = sorted(EXPECTED["outlets"])
OTHERS = sorted({w["slug"] for w in EXPECTED["watch"]})  # sites that are not outlets: the coalition's
TERMS = [t for k in ("phrases", "organizations", "people") for t in EXPECTED["campaign"][k]]
BODY_XPATH = (
    "//*[@itemprop='articleBody' or "
    + " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
        for name in ("article-body", "story-body", "entry-content", "texte")
    )
    + "]"
)
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SM_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with serve_demo(tmp_path_factory.mktemp("demo")) as site:
        yield site


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed: status, headers (lower-case names), body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def article_id(article: dict) -> str:
    return f"{article['slug']}{article['path']}"


def article_text(page: html.HtmlElement) -> str:
    """Headline, dek and body of an article page, without in-body boxes, ads and credits."""
    body = page.xpath(BODY_XPATH)[0]
    for junk in body.xpath(
        ".//aside | .//*[contains(@class, 'ad-slot')] | .//*[@class='syndication']"
    ):
        junk.getparent().remove(junk)
    dek = page.xpath("//*[@class='dek' or @class='chapo']")[0]
    return "\n".join(
        [page.xpath("//h1")[0].text_content(), dek.text_content(), body.text_content()]
    )


# --- the server ---------------------------------------------------------------------------------


def test_every_outlet_is_served_on_its_own_port(demo: DemoSite) -> None:
    assert sorted(demo.outlets) == SLUGS
    ports = {urlsplit(origin).port for origin in demo.outlets.values()}
    assert len(ports) == len(SLUGS)
    for origin in demo.outlets.values():
        assert urlsplit(origin).hostname == "127.0.0.1"
        status, headers, body = fetch(origin + "/")
        assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
        assert b"<h1>" in body


@pytest.mark.parametrize("slug", SLUGS)
def test_sources_are_served_with_their_content_types(demo: DemoSite, slug: str) -> None:
    outlet = EXPECTED["outlets"][slug]
    want = {
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".xml": "application/xml",
    }
    for path in outlet["feeds"] + outlet["sitemaps"]:
        status, headers, _ = fetch(demo.url(slug, path))
        assert status == 200, path
        assert headers["content-type"].split(";")[0] == want[Path(path).suffix]
    status, headers, body = fetch(demo.url(slug, "/robots.txt"))
    assert (status, headers["content-type"]) == (200, "text/plain; charset=utf-8")
    assert b"Disallow: /private/" in body
    status, headers, _ = fetch(demo.url(slug, "/static/logo.svg"))
    assert (status, headers["content-type"]) == (200, "image/svg+xml")


def test_missing_files_directories_and_escapes_answer_404(demo: DemoSite) -> None:
    for dead in EXPECTED["dead_links"]:
        status, headers, body = fetch(demo.url(dead["slug"], dead["path"]))
        assert status == 404 and headers["content-type"].startswith("text/html")
        assert b"not found" in body.lower()
    base = demo.outlets["capitol-ledger"]
    for path in (
        "/no-such-page.html",
        "/static/",
        "/politics/2020/",
        "/../global-wire/robots.txt",
        "/%2e%2e/global-wire/robots.txt",
        "/static/../../global-wire/robots.txt",
    ):
        assert fetch(base + path)[0] == 404, path


def test_head_requests_and_query_strings(demo: DemoSite) -> None:
    url = demo.url("global-wire", "/robots.txt")
    status, headers, body = fetch(url, "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert fetch(url + "?x=1")[2] == fetch(url)[2]


def test_a_folder_without_its_slash_redirects(demo: DemoSite) -> None:
    status, headers, _ = fetch(demo.url("capitol-ledger", "/politics"))
    assert status == 301 and headers["location"] == "/politics/"


def test_serving_writes_nothing_to_stderr(
    demo: DemoSite, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    fetch(demo.url("daily-beacon", "/"))
    fetch(demo.url("daily-beacon", "/missing"))
    assert capfd.readouterr().err == ""


def test_servers_stop_on_exit(tmp_path: Path) -> None:
    with serve_demo(tmp_path) as site:
        origin = site.outlets["metro-gazette"]
        assert fetch(origin + "/")[0] == 200
    with pytest.raises(OSError):
        fetch(origin + "/")


def test_placeholders_are_replaced_in_everything_served(demo: DemoSite) -> None:
    origins = set(demo.outlets.values())
    for slug in SLUGS:
        root = SITE_DIR / slug
        for file in root.rglob("*"):
            if not file.is_file():
                continue
            rel = "/" + file.relative_to(root).as_posix()
            status, _, body = fetch(demo.url(slug, rel.removesuffix("index.html")))
            assert status == 200, rel
            text = body.decode("utf-8")
            assert "{{" not in text, rel
            for url in re.findall(r"https?://[^\s\"'<>]+", text):
                if urlsplit(url).hostname == "127.0.0.1":
                    assert f"http://{urlsplit(url).netloc}" in origins, (rel, url)
    assert "{{" not in demo.campaign_path.read_text(encoding="utf-8")


def test_internal_links_all_work(demo: DemoSite) -> None:
    """Every link and image on every page answers 200: the only dead link is the one in a feed."""
    pages = [demo.url(a["slug"], a["path"]) for a in ARTICLES] + [
        o + "/" for o in demo.outlets.values()
    ]
    seen: set[str] = set()
    for page_url in pages:
        doc = html.fromstring(fetch(page_url)[2])
        for ref in doc.xpath("//a/@href | //img/@src | //link/@href"):
            url = urljoin(page_url, str(ref)).split("#")[0]
            if url and url not in seen:
                seen.add(url)
                assert fetch(url)[0] == 200, (page_url, ref)
    assert len(seen) > 80


def test_the_module_runs_in_the_foreground(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "clippings.demo.server", "--workdir", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(len(SLUGS) + len(OTHERS) + 2)]
        urls = dict(line.split()[:2] for line in lines[: len(SLUGS) + len(OTHERS)])
        assert sorted(urls) == sorted(SLUGS + OTHERS)
        assert fetch(urls["diario-civico"] + "robots.txt")[0] == 200
        assert (tmp_path / "campaign.toml").is_file() and "Ctrl-C" in lines[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


# --- the campaign ---------------------------------------------------------------------------------


def test_the_rendered_campaign_loads_and_points_at_the_servers(demo: DemoSite) -> None:
    campaign = load_campaign(demo.campaign_path)
    assert campaign.name == "Protect the Results"
    assert campaign.phrases == ("Protect the Results", "Count Every Vote")
    assert campaign.organizations == ("Stand Up America", "Indivisible")
    assert "Sean Eldridge" in campaign.people and campaign.languages == ("en", "es", "fr")
    assert {o.name for o in campaign.outlets} == {o["name"] for o in EXPECTED["outlets"].values()}
    for slug, truth in EXPECTED["outlets"].items():
        outlet = campaign.outlet(truth["name"])
        assert outlet is not None and outlet.language == truth["language"]
        assert outlet.domains == (urlsplit(demo.outlets[slug]).netloc,)
        for kind in ("feeds", "sitemaps", "sections", "urls"):
            assert getattr(outlet, kind) == tuple(demo.url(slug, p) for p in truth[kind])
            for url in getattr(outlet, kind):
                assert fetch(url)[0] == 200, url
    assert any(o.urls for o in campaign.outlets)


# --- feeds and sitemaps ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", [s for s in SLUGS if EXPECTED["outlets"][s]["feeds"]])
def test_feeds_parse_and_list_their_articles(demo: DemoSite, slug: str) -> None:
    feed_path = EXPECTED["outlets"][slug]["feeds"][0]
    parsed = feedparser.parse(fetch(demo.url(slug, feed_path))[2])
    malformed = [m for m in EXPECTED["malformed_entries"] if m["slug"] == slug]
    assert bool(parsed.bozo) == bool(malformed), parsed.get("bozo_exception")
    links = [e["link"] for e in parsed.entries if e.get("link")]
    assert all(e.get("published_parsed") for e in parsed.entries if e.get("link"))
    want = {
        demo.url(slug, a["path"])
        for a in ARTICLES
        if a["slug"] == slug and "feeds" in a["found_via"]
    }
    want |= {demo.url(slug, d["path"]) for d in EXPECTED["dead_links"] if d["slug"] == slug}
    want |= {demo.url(slug, p["path"]) for p in EXPECTED["robots_forbidden"] if p["slug"] == slug}
    aliases = {
        demo.url(slug, t["feed_link"]): demo.url(slug, t["path"])
        for t in EXPECTED["tracking_aliases"]
        if t["slug"] == slug
    }
    assert {aliases.get(link, link) for link in links} == want
    assert len(links) == len(want)
    for m in malformed:
        broken = [e for e in parsed.entries if not e.get("link")]
        assert len(broken) == 1 and not broken[0].get("published_parsed")
        assert broken[0]["title"] == m["title"]


def _sitemap_urls(demo: DemoSite, url: str) -> list[etree._Element]:
    """The <url> elements of a sitemap, following an index; every file must be well-formed XML."""
    root = etree.fromstring(fetch(url)[2])
    if root.tag == f"{SM_NS}sitemapindex":
        return [u for loc in root.iter(f"{SM_NS}loc") for u in _sitemap_urls(demo, loc.text)]
    assert root.tag == f"{SM_NS}urlset"
    return list(root.iter(f"{SM_NS}url"))


@pytest.mark.parametrize("slug", [s for s in SLUGS if EXPECTED["outlets"][s]["sitemaps"]])
def test_sitemaps_are_well_formed_and_list_their_articles(demo: DemoSite, slug: str) -> None:
    urls = [
        u
        for p in EXPECTED["outlets"][slug]["sitemaps"]
        for u in _sitemap_urls(demo, demo.url(slug, p))
    ]
    locs = [u.findtext(f"{SM_NS}loc") for u in urls]
    truth = {
        demo.url(slug, a["path"]): a
        for a in ARTICLES
        if a["slug"] == slug and "sitemaps" in a["found_via"]
    }
    assert sorted(locs) == sorted(truth)
    news = [u for u in urls if u.find(f"{NEWS_NS}news") is not None]
    assert news, "every sitemap outlet has a news sitemap"
    for u in news:
        article = truth[u.findtext(f"{SM_NS}loc")]
        assert u.findtext(f"{NEWS_NS}news/{NEWS_NS}publication_date") == article["published_at"]
        assert u.findtext(f"{NEWS_NS}news/{NEWS_NS}title") == article["headline"]
        assert (
            u.findtext(f"{NEWS_NS}news/{NEWS_NS}publication/{NEWS_NS}language")
            == article["language"]
        )


def test_one_article_is_in_a_feed_with_tracking_and_in_a_sitemap_without(demo: DemoSite) -> None:
    (alias,) = EXPECTED["tracking_aliases"]
    assert "utm_source=" in alias["feed_link"] and "utm_medium=" in alias["feed_link"]
    feed = fetch(demo.url(alias["slug"], alias["feed"]))[2].decode()
    sitemap = fetch(demo.url(alias["slug"], alias["sitemap"]))[2].decode()
    assert demo.url(alias["slug"], alias["feed_link"]).replace("&", "&amp;") in feed
    assert f"<loc>{demo.url(alias['slug'], alias['path'])}</loc>" in sitemap
    assert (
        fetch(demo.url(alias["slug"], alias["feed_link"]))[2]
        == fetch(demo.url(alias["slug"], alias["path"]))[2]
    )


def test_robots_forbids_the_private_page_listed_in_a_feed(demo: DemoSite) -> None:
    (private,) = EXPECTED["robots_forbidden"]
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(fetch(demo.url(private["slug"], "/robots.txt"))[2].decode().splitlines())
    assert not robots.can_fetch("clippings", demo.url(private["slug"], private["path"]))
    assert fetch(demo.url(private["slug"], private["path"]))[0] == 200
    for article in ARTICLES:
        assert robots.can_fetch("clippings", demo.url(private["slug"], article["path"]))
    assert private["path"] not in {a["path"] for a in ARTICLES}


# --- the ground truth -----------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=article_id)
def test_each_article_page_says_what_expected_json_says(demo: DemoSite, article: dict) -> None:
    status, headers, body = fetch(demo.url(article["slug"], article["path"]))
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert 5_000 <= len(body) <= 30_000
    page = html.fromstring(body.decode("utf-8"))
    raw = body.decode("utf-8")
    assert page.xpath("//h1")[0].text_content() == article["headline"]
    assert f'"{article["published_at"]}"' in raw
    for author in article["authors"]:
        assert author in page.text_content()
    lang = page.get("lang")
    assert lang is None if article["metadata"] == "bare" else lang.startswith(article["language"])
    text = article_text(page)
    found = {t for t in TERMS if t.casefold() in text.casefold()}
    assert found == set(article["mentions"]) | set(article["near_miss"])
    assert article["relevant"] == bool(article["mentions"])
    for count in article["counts"]:
        assert count["text"] in text and str(count["value"]) in count["text"].replace("cien", "100")
    for quote in article["quotes"]:
        assert quote["text"] in text and quote["speaker"] in text


def test_ground_truth_covers_the_demo_scenario() -> None:
    relevant = [a for a in ARTICLES if a["relevant"]]
    assert 0.3 <= len(relevant) / len(ARTICLES) <= 0.5
    assert {a["language"] for a in relevant} == {"en", "es", "fr"}
    assert {a["metadata"] for a in ARTICLES} >= {"jsonld", "opengraph", "bare"}
    per_outlet = {slug: sum(a["slug"] == slug for a in ARTICLES) for slug in SLUGS}
    assert all(4 <= n <= 8 for n in per_outlet.values()) and len(SLUGS) >= 5
    near = [a for a in ARTICLES if a["near_miss"]]
    assert len(near) >= 2 and not any(a["relevant"] for a in near)
    assert {t for a in near for t in a["near_miss"]} >= {
        "Protect the Results",
        "Stand Up America",
        "Indivisible",
    }
    assert set(TERMS) == {t for a in relevant for t in a["mentions"]}
    first = {}
    for a in sorted(relevant, key=lambda a: a["published_at"]):
        for c in a["counts"]:
            if c["kind"] == "events":
                first.setdefault(c["value"], a["published_at"])
    assert first[170] < first[200] < first[370]
    assert any(q["speaker"] == "Sean Eldridge" for a in relevant for q in a["quotes"])
    assert any(a["syndicated_from"] for a in ARTICLES)
    assert EXPECTED["dead_links"] and EXPECTED["robots_forbidden"] and EXPECTED["malformed_entries"]


# --- the coalition's watched pages ----------------------------------------------------------------


def test_the_coalition_site_is_served_but_is_no_outlet(demo: DemoSite) -> None:
    assert sorted(demo.others) == OTHERS == ["coalition"]
    assert not set(demo.others) & set(demo.outlets)
    campaign = load_campaign(demo.campaign_path)
    hosts = {d for o in campaign.outlets for d in o.domains}
    assert urlsplit(demo.others["coalition"]).netloc not in hosts
    root = SITE_DIR / "coalition"
    for file in (f for f in root.rglob("*") if f.is_file()):
        rel = "/" + file.relative_to(root).as_posix()
        status, _, body = fetch(demo.url("coalition", rel.removesuffix("index.html")))
        assert status == 200 and b"{{" not in body, rel
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(fetch(demo.url("coalition", "/robots.txt"))[2].decode().splitlines())
    assert not robots.can_fetch("clippings", demo.url("coalition", "/private/petition/"))
    home = html.fromstring(fetch(demo.url("coalition", "/"))[2])
    links = {urljoin(demo.url("coalition", "/"), str(h)) for h in home.xpath("//a/@href")}
    assert {demo.url("coalition", w["path"]) for w in EXPECTED["watch"]} <= links
    for link in links:
        assert fetch(link)[0] == 200, link


@pytest.mark.parametrize("watch", EXPECTED["watch"], ids=lambda w: w["name"])
def test_each_watched_page_shows_its_counter_and_the_campaign_watches_it(demo: DemoSite, watch: dict) -> None:
    status, headers, body = fetch(demo.url(watch["slug"], watch["path"]))
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    page = html.fromstring(body.decode("utf-8"))
    text = " ".join(page.text_content().split())
    assert watch["text"] in text and f"{watch['value']:,}" in watch["text"]
    if watch["selector"]:
        (first, *_) = page.cssselect(watch["selector"])
        assert " ".join(first.text_content().split()) == watch["text"]
    (entry,) = [w for w in load_campaign(demo.campaign_path).watch if w.name == watch["name"]]
    assert entry.url == demo.url(watch["slug"], watch["path"])
    assert (entry.selector, entry.regex, entry.kind) == (watch["selector"], watch["regex"], watch["kind"])


def test_committed_site_matches_its_stories(tmp_path: Path) -> None:
    build(tmp_path)
    assert list_differences(tmp_path, DEMO_DIR) == []

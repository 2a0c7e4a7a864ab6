"""Feeds, sitemaps, URL canonicalisation and outlet lookup: the pure functions under the spiders."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clippings.campaign import parse_campaign
from clippings.feeds import parse_feed
from clippings.outlets import OutletIndex
from clippings.sitemaps import parse_sitemap
from clippings.urls import canonicalize, choose_canonical

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def test_rss2_feed_from_a_real_site() -> None:
    doc = parse_feed((FEEDS / "guardian.rss").read_bytes(), "https://www.theguardian.com/us/rss")
    assert len(doc.entries) == 55 and doc.skipped == 0
    first = doc.entries[0]
    assert first.url.startswith("https://www.theguardian.com/us-news/2018/jan/31/")
    assert first.title == "Trump State of the Union address promised unity but emphasized discord"
    assert first.published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert first.language == "en"


def test_atom_feed() -> None:
    doc = parse_feed((FEEDS / "heise.atom").read_bytes(), "https://www.heise.de/developer/rss/news-atom.xml")
    assert len(doc.entries) == 15
    assert doc.entries[0].title == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"
    assert doc.entries[0].published_at == datetime(2016, 2, 1, 16, 22, tzinfo=UTC)


def test_rss1_rdf_feed() -> None:
    doc = parse_feed((FEEDS / "rss-1.rss").read_bytes(), "http://science.sciencemag.org/rss")
    assert len(doc.entries) == 69 and doc.entries[0].title == "Food for fungi"


def test_latin1_feed_without_declaration_keeps_accents() -> None:
    doc = parse_feed((FEEDS / "uolNoticias.rss").read_bytes(), "https://noticias.uol.com.br/")
    assert len(doc.entries) == 15
    assert doc.entries[0].title == "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"


def test_entries_without_links_are_counted_not_fatal() -> None:
    doc = parse_feed((FEEDS / "missing-fields.atom").read_bytes(), "http://example.com/feed")
    assert doc.entries == [] and doc.skipped == 1


@pytest.mark.parametrize("name", ["unrecognized.rss"])
def test_not_a_feed_is_reported(name: str) -> None:
    doc = parse_feed((FEEDS / name).read_bytes(), "http://example.com/feed")
    assert doc.error and doc.error.startswith("not a feed") and doc.entries == []


@pytest.mark.parametrize(
    "name", ["aaa_illformed.xml", "rss_incomplete_cdata.xml", "rss_item_link_corrupted_ampersands.xml"]
)
def test_illformed_feeds_parse_without_crash(name: str) -> None:
    doc = parse_feed((FEEDS / name).read_bytes(), "http://link/")
    assert doc.malformed


def test_relative_links_resolve_against_the_feed() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>es-ES</language>
    <item><title>Uno</title><link>/noticias/uno.html</link><pubDate>Tue, 03 Nov 2020 10:00:00 +0100</pubDate></item>
    <item><title>Sin enlace</title></item>
    <item><title>Mail</title><link>mailto:x@example.com</link></item></channel></rss>"""
    doc = parse_feed(body, "http://127.0.0.1:8001/rss.xml")
    assert [e.url for e in doc.entries] == ["http://127.0.0.1:8001/noticias/uno.html"]
    assert doc.entries[0].published_at == datetime(2020, 11, 3, 9, 0, tzinfo=UTC)
    assert doc.entries[0].language == "es"
    assert doc.skipped == 2


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://example.com/a.html</loc>
    <news:news><news:publication><news:name>Ex</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2020-11-03T18:30:00+01:00</news:publication_date>
      <news:title>Les manifestations</news:title></news:news></url>
  <url><loc>/b.html</loc><lastmod>2020-11-04</lastmod></url>
  <url><lastmod>2020-11-04</lastmod></url>
</urlset>"""


def test_google_news_sitemap() -> None:
    doc = parse_sitemap(NEWS_SITEMAP, "https://example.com/news.xml")
    assert doc.kind == "urlset"
    a, b = doc.entries
    assert (a.url, a.title, a.language) == ("https://example.com/a.html", "Les manifestations", "fr")
    assert a.published_at == datetime(2020, 11, 3, 17, 30, tzinfo=UTC)
    assert b.url == "https://example.com/b.html" and b.lastmod == datetime(2020, 11, 4, tzinfo=UTC)


def test_gzipped_sitemap_index() -> None:
    body = gzip.compress(b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://example.com/s1.xml</loc></sitemap><sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap>
      </sitemapindex>""")
    doc = parse_sitemap(body, "https://example.com/index.xml.gz")
    assert doc.kind == "index" and [e.url for e in doc.entries] == ["https://example.com/s1.xml", "https://example.com/s2.xml.gz"]


def test_entities_are_not_expanded() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
      <!ENTITY x SYSTEM "file:///etc/passwd">]>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/&b;&x;</loc></url></urlset>"""
    doc = parse_sitemap(body, "https://example.com/s.xml")
    assert all("aaaa" not in e.url and "root:" not in e.url for e in doc.entries)


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>not a sitemap</body></html>", b"\x00\xff\xfe garbage", b"\x1f\x8bbroken gzip"]
)
def test_not_a_sitemap_is_reported(body: bytes) -> None:
    doc = parse_sitemap(body, "https://example.com/s.xml")
    assert doc.kind == "invalid" and doc.error


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://Example.COM:443/a/b?utm_source=x&utm_medium=rss&id=3#top", "https://example.com/a/b?id=3"),
        ("http://example.com", "http://example.com/"),
        ("http://127.0.0.1:8001/story.html?fbclid=abc", "http://127.0.0.1:8001/story.html"),
        ("https://example.com/a?page=2&gclid=z", "https://example.com/a?page=2"),
        ("https://example.com/a?", "https://example.com/a"),
        (" https://example.com/caf\u00e9 story?q=a b", "https://example.com/caf%C3%A9%20story?q=a+b"),
        ("https://EXAMPLE.com/x%zz?a=%41", "https://example.com/x%zz?a=A"),
        ("https://b\u00fccher.example/a", "https://xn--bcher-kva.example/a"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


@pytest.mark.parametrize(
    "url",
    ["https://Example.COM:443/a/b?id=3", "http://127.0.0.1:8001/x", "https://x.com/p?", "https://x.com/a%2Fb",
     "https://user:pw@x.com:81/a", "https://x.com/a b", "https://x.com/\u00e9?\u00e9=1", "http://[::1]:8080/a",
     "https://x.com/a?b=c d&utm_source=z#f", "https://x.com/~a/b.c-d_e?x=1&y=2"],
)
def test_plain_urls_skip_w3lib_with_the_same_result(url: str) -> None:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from w3lib.url import safe_url_string

    from clippings.urls import _TRACKING, host_port, origin_of

    parts = urlsplit(safe_url_string(url.strip()))  # the long way, for every URL
    host, port = host_port(safe_url_string(url.strip()))
    netloc = host if port is None else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    assert canonicalize(url) == urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))
    assert host_port(origin_of(url)) == host_port(url)


def test_declared_canonical_only_within_the_same_outlet() -> None:
    same = lambda a, b: a.split("/")[2] == b.split("/")[2]  # noqa: E731
    assert choose_canonical("https://a.com/x?utm_source=1", "https://a.com/story", same) == "https://a.com/story"
    assert choose_canonical("https://copy.com/x", "https://orig.com/story", same) == "https://copy.com/x"
    assert choose_canonical("https://a.com/x", "javascript:alert(1)", same) == "https://a.com/x"


def test_outlet_index_by_host_subdomain_and_port() -> None:
    campaign = parse_campaign("""
[campaign]
name = "c"
phrases = ["x"]
[[outlets]]
name = "Hill"
domains = ["thehill.com"]
[[outlets]]
name = "Local A"
domains = ["127.0.0.1:8001"]
[[outlets]]
name = "Local B"
domains = ["127.0.0.1:8002"]
""")
    index = OutletIndex(campaign)
    name = lambda u: (o.name if (o := index.outlet_for(u)) else None)  # noqa: E731
    assert name("https://thehill.com/a") == "Hill"
    assert name("https://www.thehill.com/a") == "Hill"
    assert name("https://notthehill.com/a") is None
    assert name("http://127.0.0.1:8001/a") == "Local A"
    assert name("http://127.0.0.1:8002/a") == "Local B"
    assert name("http://127.0.0.1:8003/a") is None
    assert name("not a url") is None

"""Billion laughs and external entities in feeds and sitemaps: nothing expands, no file is read, no
request leaves (a probe server on 127.0.0.1 counts any), and parsing stays fast."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from clippings.feeds import parse_feed
from clippings.sitemaps import parse_sitemap
from tests.faultserver import FaultServer

LAUGHS = '<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' + "".join(
    f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10)
)
# the same declarations one per line (feedparser's own pattern caught only these) and with a quoted ">"
LAUGHS_LINES = LAUGHS.replace("<!ENTITY", "\n<!ENTITY")
LAUGHS_QUOTED = LAUGHS.replace('"lol"', '">lol"')
SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture(scope="module")
def probe() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def rss(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{doctype}]><rss version="2.0"><channel><title>{text}</title>'
            f"<item><title>{text}</title><description>{text}</description><link>http://a.example/1</link></item>"
            "</channel></rss>").encode()


def atom(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE feed [{doctype}]><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{text}</title><entry><title>{text}</title><link href="http://a.example/2"/>'
            f"<summary>{text}</summary></entry></feed>").encode()


def urlset(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [{doctype}]><urlset xmlns="{SM_NS}">'
            f"<url><loc>http://a.example/{text}</loc></url></urlset>").encode()


def external(probe: FaultServer) -> list[tuple[str, str]]:
    """(internal subset, reference) pairs that would read a file or call the probe if resolved."""
    return [
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),
        (f'<!ENTITY xxe SYSTEM "{probe.url("/entity")}">', "&xxe;"),
        (f'<!ENTITY % dtd SYSTEM "{probe.url("/param.dtd")}"> %dtd;', "&evil;"),
    ]


@pytest.mark.parametrize("declarations", [LAUGHS, LAUGHS_LINES, LAUGHS_QUOTED], ids=["one-line", "lines", "quoted"])
@pytest.mark.parametrize("build", [rss, atom], ids=["rss", "atom"])
def test_billion_laughs_feed_does_not_expand(build, declarations: str) -> None:
    started = time.perf_counter()
    doc = parse_feed(build(declarations, "&lol9;"), "http://a.example/feed")
    assert time.perf_counter() - started < 0.5
    assert doc.error is None and len(doc.entries) == 1
    assert "lollol" not in (doc.entries[0].title or "")


def test_billion_laughs_sitemap_does_not_expand() -> None:
    started = time.perf_counter()
    doc = parse_sitemap(urlset(LAUGHS, "&lol9;"), "http://a.example/sitemap.xml")
    assert time.perf_counter() - started < 0.5
    assert all("lollol" not in e.url for e in doc.entries)


@pytest.mark.parametrize("build", [rss, atom], ids=["rss", "atom"])
def test_external_entities_in_feeds_are_never_resolved(build, probe: FaultServer) -> None:
    for subset, ref in external(probe):
        doc = parse_feed(build(subset, ref), "http://a.example/feed")
        texts = " ".join(e.title or "" for e in doc.entries)
        assert "root:" not in texts
        # a DOCTYPE naming an external DTD is not fetched either
        dtd = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{probe.url("/rss.dtd")}"><rss version="2.0"><channel>' \
              "<item><title>&ent;</title><link>http://a.example/3</link></item></channel></rss>"
        parse_feed(dtd.encode(), "http://a.example/feed")
    assert probe.total_hits == 0, probe.hits_by_path


def test_external_entities_in_sitemaps_are_never_resolved(probe: FaultServer) -> None:
    for subset, ref in external(probe):
        doc = parse_sitemap(urlset(subset, ref), "http://a.example/sitemap.xml")
        assert all("root:" not in e.url for e in doc.entries)
    dtd = f'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{probe.url("/s.dtd")}"><urlset xmlns="{SM_NS}">' \
          "<url><loc>http://a.example/4</loc></url></urlset>"
    assert [e.url for e in parse_sitemap(dtd.encode(), "http://a.example/s.xml").entries] == ["http://a.example/4"]
    assert probe.total_hits == 0, probe.hits_by_path


def test_a_gzipped_sitemap_bomb_is_cut_at_the_limit() -> None:
    import gzip
    import io

    from clippings.sitemaps import MAX_SITEMAP_BYTES

    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        gz.write(f'<?xml version="1.0"?><urlset xmlns="{SM_NS}"><url><loc>http://a.example/'.encode())
        chunk = b"a" * (1 << 20)
        for _ in range(MAX_SITEMAP_BYTES // len(chunk) + 8):
            gz.write(chunk)
        gz.write(b"</loc></url></urlset>")
    assert len(out.getvalue()) < MAX_SITEMAP_BYTES // 100
    doc = parse_sitemap(out.getvalue(), "http://a.example/sitemap.xml.gz")
    assert doc.error is not None and "larger than" in doc.error and doc.entries == []

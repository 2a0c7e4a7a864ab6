"""Spider callbacks on hand-built responses: what each source type requests, and with which hints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from clippings.article import DroppedPage, Page, SourceHints
from spiders.feeds import FeedsSpider
from spiders.middlewares import CampaignOffsiteMiddleware, GarbageCollectorTuning
from spiders.sitemaps import SitemapsSpider
from spiders.urls import UrlsSpider, read_url_list

CAMPAIGN = """
[campaign]
name = "Protect the Results"
phrases = ["Protect the Results"]
organizations = ["Indivisible"]

[[outlets]]
name = "Ledger"
domains = ["127.0.0.1:8001"]
feeds = ["http://127.0.0.1:8001/rss.xml"]
sitemaps = ["http://127.0.0.1:8001/sitemap.xml"]
urls = ["http://127.0.0.1:8001/listed.html"]

[[outlets]]
name = "Beacon"
domains = ["beacon.example"]
feeds = ["https://feeds.example.net/beacon.atom"]
"""


@pytest.fixture
def campaign_file(tmp_path: Path) -> str:
    path = tmp_path / "campaign.toml"
    path.write_text(CAMPAIGN)
    return str(path)


def make_spider(cls: type, campaign_file: str, **kwargs: Any) -> Any:
    crawler = get_crawler(cls, {"CLIPPINGS_SKIP_KNOWN": False})
    crawler.spider = crawler._create_spider(campaign=campaign_file, **kwargs)
    crawler.stats.open_spider()
    return crawler.spider


async def collect(agen: Any) -> list[Any]:
    return [x async for x in agen]


def run_start(spider: Any) -> list[Request]:
    import asyncio

    return asyncio.run(collect(spider.start()))


def stat(spider: Any, key: str) -> Any:
    return spider.crawler.stats.get_value(key)


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title><language>en-us</language>
<item><title>Coalition plans rallies</title><link>http://127.0.0.1:8001/rallies.html?utm_source=rss&amp;utm_medium=feed</link>
<pubDate>Mon, 02 Nov 2020 15:00:00 GMT</pubDate></item>
<item><title>Elsewhere</title><link>https://other.example/story.html</link></item>
<item><title>No link</title></item>
<item><title>Same story again</title><link>http://127.0.0.1:8001/rallies.html</link></item>
</channel></rss>"""


def test_feeds_spider_requests_sources_then_articles_with_hints(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    starts = run_start(spider)
    assert [r.url for r in starts] == ["http://127.0.0.1:8001/rss.xml", "https://feeds.example.net/beacon.atom"]
    assert all(r.meta["clippings_source"] for r in starts)

    response = XmlResponse(starts[0].url, body=RSS, request=starts[0],
                           headers={"Content-Type": "application/rss+xml"})
    requests = list(spider.parse_feed(response))
    assert [r.url for r in requests] == ["http://127.0.0.1:8001/rallies.html"]
    hints: SourceHints = requests[0].meta["hints"]
    assert (hints.kind, hints.title, hints.language) == ("feeds", "Coalition plans rallies", "en")
    assert hints.published_at is not None and hints.published_at.isoformat() == "2020-11-02T15:00:00+00:00"
    # The tracking link and the clean link are one request carrying both spellings.
    assert requests[0].meta["aliases"] == [
        "http://127.0.0.1:8001/rallies.html?utm_source=rss&utm_medium=feed", "http://127.0.0.1:8001/rallies.html"]
    assert stat(spider, "clippings/skipped/offsite_link") == 1
    assert stat(spider, "clippings/skipped/feed_entry") == 1
    assert stat(spider, "clippings/skipped/duplicate_link") == 1


def test_feed_that_does_not_parse_is_counted(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    response = TextResponse("http://127.0.0.1:8001/rss.xml", body=b"<html>oops</html><p>", encoding="utf-8")
    assert list(spider.parse_feed(response)) == []
    assert stat(spider, "clippings/errors/parse") == 1


def test_known_urls_are_not_requested_again(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    spider.known = {"http://127.0.0.1:8001/rallies.html"}
    response = XmlResponse("http://127.0.0.1:8001/rss.xml", body=RSS)
    assert list(spider.parse_feed(response)) == []
    assert stat(spider, "clippings/skipped/known") == 2  # the tracking link and the clean one


def test_sitemaps_spider_follows_index_then_pages(campaign_file: str) -> None:
    spider = make_spider(SitemapsSpider, campaign_file)
    (start,) = run_start(spider)
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>http://127.0.0.1:8001/news.xml</loc></sitemap></sitemapindex>"""
    (child,) = spider.parse_sitemap(XmlResponse(start.url, body=index, request=start))
    assert child.url == "http://127.0.0.1:8001/news.xml" and child.meta["sitemap_depth"] == 1
    news = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>http://127.0.0.1:8001/a.html</loc><news:news><news:publication><news:language>es</news:language>
      </news:publication><news:publication_date>2020-11-03</news:publication_date><news:title>Marchas</news:title></news:news></url>
      </urlset>"""
    (article,) = spider.parse_sitemap(XmlResponse(child.url, body=news, request=child))
    hints = article.meta["hints"]
    assert (article.url, hints.kind, hints.title, hints.language) == (
        "http://127.0.0.1:8001/a.html", "sitemaps", "Marchas", "es")


def test_urls_spider_reads_campaign_list_and_argument(campaign_file: str, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# mine\nhttp://127.0.0.1:8001/b.html\n\nhttps://beacon.example/c\n")
    spider = make_spider(UrlsSpider, campaign_file, urls="@" + str(listing))
    assert [r.url for r in run_start(spider)] == [
        "http://127.0.0.1:8001/listed.html", "http://127.0.0.1:8001/b.html", "https://beacon.example/c"]
    assert read_url_list("http://a/1, http://a/2") == ["http://a/1", "http://a/2"]


def test_forced_urls_may_be_anywhere_and_known(campaign_file: str) -> None:
    spider = make_spider(UrlsSpider, campaign_file, urls="https://elsewhere.example/x", force="1")
    spider.known = {"https://elsewhere.example/x"}
    requests = run_start(spider)
    forced = requests[-1]
    assert forced.url == "https://elsewhere.example/x"
    assert forced.meta["outlet"] == "elsewhere.example" and forced.meta["clippings_forced"]


def article_response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", **meta: Any) -> Response:
    hints = SourceHints("feeds", "http://127.0.0.1:8001/rss.xml")
    request = Request(url, meta={"hints": hints, "aliases": [url], **meta})
    cls = HtmlResponse if "html" in content_type else Response
    return cls(url, body=body, request=request, headers={"Content-Type": content_type, "Content-Language": "en"})


def test_article_response_becomes_a_page(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    html = "<html><h1>Indivisible rallies</h1></html>"
    (page,) = spider.parse_article(article_response("http://127.0.0.1:8001/a.html", html.encode()))
    assert isinstance(page, Page)
    assert (page.outlet, page.content_language, page.hints.kind) == ("Ledger", "en", "feeds")
    assert page.html == html and page.fetched_at.tzinfo is not None
    assert f"html=<{len(html)} chars>" in repr(page)
    assert stat(spider, "clippings/prefilter/passed") == 1


def test_prefilter_drops_pages_without_any_term_before_they_become_items(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    dropped: list[DroppedPage] = []
    spider.drop_sink = dropped.append
    url = "http://127.0.0.1:8001/weather.html"
    assert list(spider.parse_article(article_response(url, b"<html><h1>Mild weekend</h1></html>"))) == []
    assert dropped == [DroppedPage((url,), "Ledger", "irrelevant")]
    assert stat(spider, "clippings/dropped/irrelevant") == stat(spider, "clippings/articles_seen") == 1
    # UTF-16 pages are read as text: their bytes hide the words from a byte-level check.
    wide = "\ufeff<html><p>Indivisible said</p></html>".encode("utf-16-le")
    response = article_response(url, wide, "text/html; charset=utf-16")
    (page,) = spider.parse_article(response)
    assert "Indivisible said" in page.html


@pytest.mark.parametrize(("body", "ctype", "key"), [
    (b"%PDF-1.4 binary", "application/pdf", "clippings/skipped/not_html"),
    (b"   ", "text/html", "clippings/skipped/empty"),
])
def test_non_article_responses_are_counted_skips(campaign_file: str, body: bytes, ctype: str, key: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    assert list(spider.parse_article(article_response("http://127.0.0.1:8001/a", body, ctype))) == []
    assert stat(spider, key) == 1


def test_offsite_middleware_allows_outlets_and_listed_sources_only(campaign_file: str) -> None:
    spider = make_spider(FeedsSpider, campaign_file)
    run_start(spider)
    mw = CampaignOffsiteMiddleware(spider.crawler)

    def allowed(url: str, **meta: Any) -> bool:
        try:
            mw.process_request(Request(url, meta=meta))
            return True
        except IgnoreRequest:
            return False

    assert allowed("http://127.0.0.1:8001/story.html")
    assert allowed("https://www.beacon.example/story.html")
    assert not allowed("http://127.0.0.1:9999/story.html")
    assert not allowed("http://169.254.169.254/latest/meta-data/")
    assert allowed("https://feeds.example.net/beacon.atom", clippings_source=True)
    assert allowed("https://feeds.example.net/robots.txt")
    assert not allowed("https://feeds.example.net/other-story.html")
    assert stat(spider, "clippings/errors/offsite") == 3


def iter_errors() -> Iterator[tuple[BaseException, str]]:
    from scrapy.exceptions import CannotResolveHostError, DownloadCancelledError, DownloadTimeoutError
    from scrapy.spidermiddlewares.httperror import HttpError

    yield HttpError(Response("http://x/", status=404), "404"), "http_404"
    yield CannotResolveHostError("nope"), "dns"
    yield DownloadTimeoutError("slow"), "timeout"
    yield DownloadCancelledError("big"), "too_large"
    yield IgnoreRequest("Forbidden by robots.txt"), "robots"
    yield ValueError("odd"), "other"


@pytest.mark.parametrize(("exc", "kind"), list(iter_errors()))
def test_failures_are_classified(exc: BaseException, kind: str) -> None:
    from spiders.errors import classify_failure

    assert classify_failure(exc) == kind


def test_url_lists_split_on_commas_between_urls_only(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# coverage to add\nhttps://a.example/x,y.html\n\nhttps://b.example/z\n")
    assert read_url_list(f"@{listed}") == ["https://a.example/x,y.html", "https://b.example/z"]
    assert read_url_list("https://a.example/1,2, https://b.example/3") == [
        "https://a.example/1,2", "https://b.example/3"]


def test_gc_tuning_freezes_and_raises_the_threshold_while_the_engine_runs() -> None:
    import gc

    before = gc.get_threshold()
    tuning = GarbageCollectorTuning(12_345)
    tuning.engine_started()
    try:
        assert gc.get_threshold() == (12_345, *before[1:])
        assert gc.get_freeze_count() > 1000  # everything loaded so far is left out of collections
    finally:
        tuning.engine_stopped()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

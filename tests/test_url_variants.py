"""One article, many URLs: `clippings.urls.variant_key` folds the www/m/amp, AMP and trailing-slash
spellings of one article into one key, and keeps different articles apart."""

from __future__ import annotations

import pytest

from clippings.urls import variant_key

SAME = [
    "https://www.example.com/politics/2020/11/04/rally/",
    "http://example.com/politics/2020/11/04/rally",
    "https://m.example.com/politics/2020/11/04/rally/amp/",
    "https://amp.example.com/politics/2020/11/04/rally",
    "https://example.com/amp/politics/2020/11/04/rally",
    "https://EXAMPLE.com:443/politics/2020/11/04/rally?amp=1&utm_source=twitter#comments",
    "https://example.com/politics/2020/11/04/rally?outputType=amp",
    "https://mobile.example.com/politics/2020/11/04/rally/amp.html",
]


def test_variants_of_one_article_share_a_key() -> None:
    assert {variant_key(u) for u in SAME} == {"https://example.com/politics/2020/11/04/rally"}
    assert variant_key("https://www.example.com/a.amp.html") == variant_key("https://example.com/a.html")


@pytest.mark.parametrize(("a", "b"), [
    ("https://example.com/a", "https://example.com/b"),
    ("https://example.com/story?id=1", "https://example.com/story?id=2"),
    ("https://news.example.com/a", "https://example.com/a"),  # another host, not a variant label
    ("https://example.com/ampersand-story", "https://example.com/story"),
    ("https://www.co.uk/a", "https://co.uk/a"),  # www is the registrable name here: kept
    ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a"),  # ports kept
    ("https://example.com/", "https://example.com/amp.html"),  # the root's page named amp.html stays apart
])
def test_different_articles_keep_different_keys(a: str, b: str) -> None:
    assert variant_key(a) != variant_key(b)


def test_the_root_and_queries_survive() -> None:
    assert variant_key("https://www.example.com/") == "https://example.com/"
    assert variant_key("https://example.com/a/?page=2&amp=1") == "https://example.com/a?page=2"
    assert variant_key("https://m.bbc.co.uk/news/x") == "https://bbc.co.uk/news/x"


def test_the_store_finds_a_clipping_by_another_spelling_and_knows_it(sqlite_url: str) -> None:
    from datetime import UTC, datetime

    from clippings.article import Clipping
    from clippings.store.repository import Store

    def clipping(url: str, headline: str = "Rally") -> Clipping:
        return Clipping(url=url, outlet="Example", headline=headline, lede=None, authors=[],
                        published_at=datetime(2020, 11, 4, tzinfo=UTC), language="en", body="Body text.",
                        mentions=[], alias_urls=[], source_kind="feeds", fetched_at=datetime(2020, 11, 5, tzinfo=UTC))

    with Store.open(sqlite_url) as store:
        assert store.upsert_clipping(clipping("https://www.example.com/2020/11/04/rally")) == "new"
        # the AMP page of the same article, on the mobile host: the same clipping, updated
        assert store.upsert_clipping(clipping("https://m.example.com/2020/11/04/rally/amp/", "Rally!")) == "updated"
        [only] = store.query(all_copies=True)
        assert only.url == "https://www.example.com/2020/11/04/rally" and only.headline == "Rally!"
        assert "https://m.example.com/2020/11/04/rally/amp/" in only.alias_urls
        assert store.is_known("http://example.com/2020/11/04/rally/?outputType=amp")
        assert "https://example.com/2020/11/04/rally" in store.known_urls()  # the key the spiders check
        store.record_dropped("https://www.example.com/weather/today/", "irrelevant", "Example")
        assert store.is_known("https://example.com/weather/today")
        assert not store.is_known("https://example.com/2020/11/04/another-rally")

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

"""Every ill-formed and encoding test feed of feedparser's suite (tests/fixtures/feedparser, 101 files)
is read or reported, never a crash: through `clippings.feeds.parse_feed` and the feeds spider's parse.

Each file's `Expect:` header (feedparser's own label) says whether it is well-formed (`not bozo`) or
not (`bozo`): the well-formed ones are read without a malformed flag, the others are flagged or
reported. `Header: Content-type:` lines give the Content-Type it is served with.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from clippings.feeds import parse_feed
from spiders.feeds import FeedsSpider
from tests.test_spiders import make_spider

CORPUS = Path(__file__).parent / "fixtures" / "feedparser"
FILES = sorted(CORPUS.rglob("*.xml"))
FEED_URL = "http://127.0.0.1:8001/rss.xml"


def header(data: bytes, name: str) -> str | None:
    found = re.search(rf"^{name}:\s*(.+?)\s*$", data[:4000].decode("latin-1"), re.MULTILINE | re.IGNORECASE)
    return found.group(1) if found else None


def well_formed(data: bytes) -> bool | None:
    """feedparser's label: True for `not bozo ...`, False for `bozo ...`, None when it says neither."""
    expect = header(data, "Expect") or ""
    if expect.startswith("not bozo"):
        return True
    return False if expect.startswith("bozo") else None


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 101
    assert len([f for f in FILES if "illformed" in f.parts]) == 19


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(CORPUS)) for f in FILES])
def test_feed_is_read_or_reported(path: Path) -> None:
    data = path.read_bytes()
    doc = parse_feed(data, f"http://example.org/{path.name}", header(data, r"Header:\s*Content-type"))
    label = well_formed(data)
    if label is True:
        assert doc.error is None and not doc.malformed, doc.error
    elif label is False:
        assert doc.error is not None or doc.malformed
    assert all(e.url.startswith(("http://", "https://")) for e in doc.entries)


def test_feeds_spider_reads_or_counts_every_corpus_file(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.toml"
    campaign.write_text('[campaign]\nname = "C"\nphrases = ["x"]\n\n[[outlets]]\nname = "L"\n'
                        f'domains = ["127.0.0.1:8001"]\nfeeds = ["{FEED_URL}"]\n')
    outcomes: Counter[str] = Counter()
    for path in FILES:
        spider = make_spider(FeedsSpider, str(campaign))
        data = path.read_bytes()
        ctype = header(data, r"Header:\s*Content-type") or "application/xml"
        request = Request(FEED_URL, meta={"clippings_poll": FEED_URL, "clippings_poll_root": True, "outlet": "L"})
        response = TextResponse(FEED_URL, body=data, headers={"Content-Type": ctype}, request=request)
        list(spider.parse_feed(response))  # never raises
        stats = spider.crawler.stats
        if stats.get_value("clippings/errors/parse"):
            outcomes["reported"] += 1
        elif stats.get_value("clippings/feeds/malformed"):
            outcomes["read leniently"] += 1
        else:
            outcomes["read"] += 1
    assert sum(outcomes.values()) == len(FILES)
    assert outcomes["reported"] >= 1  # an empty document is not a feed
    print(dict(outcomes))

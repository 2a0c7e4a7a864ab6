"""The sections spider on the bundled demo site: Metro Gazette's /local/ section page leads to the
articles it links to (its own outlet only), the relevant ones are stored, and a second crawl of the
unchanged section page reads nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clippings.crawl import run_crawl
from clippings.demo.server import EXPECTED_PATH, serve_demo
from clippings.sections import section_links
from clippings.store.repository import Store

pytestmark = pytest.mark.e2e
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))


def test_a_section_page_leads_to_its_articles(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sections.db'}"
    with serve_demo(tmp_path / "site") as demo:
        section = demo.url("metro-gazette", "/local/")
        html = (tmp_path / "page.html")
        import urllib.request

        with urllib.request.urlopen(section, timeout=10) as answer:  # noqa: S310 (127.0.0.1)
            html.write_bytes(answer.read())
        origin = demo.url("metro-gazette", "")
        linked = section_links(html.read_bytes(), section, lambda u: u.startswith(origin)).articles
        relevant = {demo.url(a["slug"], a["path"]) for a in EXPECTED["articles"]
                    if a["relevant"] and a["slug"] == "metro-gazette"}
        assert linked and set(linked) >= relevant
        first = run_crawl(demo.campaign_path, db, only="sections", settings=FAST)
        second = run_crawl(demo.campaign_path, db, only="sections", settings=FAST)
    assert first.status == "finished" and first.spiders == ("sections",)
    assert first.articles_seen == len(linked) and first.new_clippings == len(relevant)
    with Store.open(db) as store:
        stored = {c.url for c in store.query(all_copies=True)}
    assert stored == relevant
    assert second.articles_seen == 0 and second.new_clippings == 0 and second.pages_fetched <= 2

"""`clippings crawl --since DATE`: a backfill reads every sitemap whole (unchanged or not), follows a
sitemap index back to that day and fetches the entries dated since then, on the bundled demo site."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from clippings.cli import main
from clippings.crawl import run_crawl
from clippings.demo.server import EXPECTED_PATH, serve_demo
from clippings.store.repository import Store

pytestmark = pytest.mark.e2e
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
NOV_1 = datetime(2020, 11, 1, tzinfo=UTC)


def stored(db: str) -> dict[str, datetime | None]:
    with Store.open(db) as store:
        return {c.url: c.published_at for c in store.query(all_copies=True)}


def test_a_backfill_goes_back_to_its_day_and_no_further(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'backfill.db'}"
    with serve_demo(tmp_path / "site") as demo:
        via_sitemaps = {demo.url(a["slug"], a["path"]): a for a in EXPECTED["articles"]
                        if a["relevant"] and "sitemaps" in a["found_via"]}
        recent = run_crawl(demo.campaign_path, db, only="sitemaps", settings=FAST,
                           spider_args={"since": NOV_1.isoformat()})
        first = stored(db)
        older = CliRunner().invoke(main, ["crawl", "--campaign", str(demo.campaign_path), "--db", db, "--only",
                                          "sitemaps", "--since", "2020-10-01", *[x for s in FAST for x in ("-s", s)]])
        second = stored(db)
        again = run_crawl(demo.campaign_path, db, only="sitemaps", settings=FAST)  # a normal poll afterwards
    assert recent.status == "finished" and older.exit_code == 0, older.output
    assert set(first) < set(via_sitemaps)
    for url in set(via_sitemaps) - set(first):  # left out: only what was published before the backfill's day
        assert datetime.fromisoformat(via_sitemaps[url]["published_at"]) < NOV_1, url
    assert all(when is None or when >= NOV_1 for when in first.values())
    assert set(second) == set(via_sitemaps)  # the October backfill fetched the rest, and stored each once
    assert again.articles_seen == 0 and again.new_clippings == 0  # the backfill left the sources' state current


def test_a_bad_since_is_refused_before_anything_runs(tmp_path: Path) -> None:
    campaign = tmp_path / "c.toml"
    campaign.write_text('[campaign]\nname = "C"\nphrases = ["x"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--db", f"sqlite:///{tmp_path / 'x.db'}",
                                       "--since", "last tuesday"])
    assert result.exit_code == 2 and "is not a date" in result.output

"""End to end: crawl the bundled demo site on 127.0.0.1 and check exactly what was stored.

The ground truth is `clippings/demo/expected.json`, written with the site. These tests run the
real path: campaign file -> Scrapy (in a child process, or in the console script's own) -> pipelines
-> SQLite or PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from clippings.cli import main
from clippings.crawl import run_crawl
from clippings.demo.server import EXPECTED_PATH, DemoSite, serve_demo
from clippings.store.repository import Store, StoredClipping

pytestmark = pytest.mark.e2e

REPO = Path(__file__).parent.parent
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
RELEVANT = [a for a in EXPECTED["articles"] if a["relevant"]]
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with serve_demo(tmp_path_factory.mktemp("demo")) as site:
        yield site


def stored(db_url: str) -> dict[str, StoredClipping]:
    with Store.open(db_url) as store:
        return {c.url: c for c in store.query()}


def expected_url(demo: DemoSite, article: dict) -> str:
    return demo.url(article["slug"], article["path"])


# The demo stories call the issue's `organizations` kind "groups".
KIND_OF_LABEL = {"groups": "organizations"}


def quote_words(text: str) -> str:
    """A quotation compared without its spacing or the punctuation before its closing mark."""
    return " ".join(text.split()).rstrip(",.;:!?")


def check_claims_match_ground_truth(article: dict, got: StoredClipping) -> None:
    """Every count the story's labels name is among the clipping's claims (value, kind), and every
    labelled quotation among its quotes with its speaker (the campaign's person, or as written)."""
    claimed = {(c.value, c.kind) for c in got.counts}
    for label in article["counts"]:
        assert (label["value"], KIND_OF_LABEL.get(label["kind"], label["kind"])) in claimed, (got.url, label)
    texts = " ".join(got.headline.split() + (got.lede or "").split() + got.body.split())
    assert all(" ".join(c.span.split()) in texts for c in got.counts), got.url
    quoted = [(q.person, q.speaker or "", quote_words(q.text)) for q in got.quotes]
    for label in article["quotes"]:
        speaker, words = label["speaker"], quote_words(label["text"])
        assert any(
            said == words and (person == speaker or (written and (speaker in written or written in speaker)))
            for person, written, said in quoted
        ), (got.url, label, quoted)


def check_timeline_matches_ground_truth(db_url: str) -> None:
    """The events timeline shows the stories' growth (170 -> 200 -> 370 ...): per UTC day the highest
    labelled count, the outlet that printed it first, and the event map's reading."""
    labelled: dict[date, int] = {}
    firsts: dict[int, tuple[datetime, str]] = {}
    for article in RELEVANT:
        published = datetime.fromisoformat(article["published_at"]).astimezone(UTC)
        for label in article["counts"]:
            if label["kind"] == "events":
                labelled[published.date()] = max(labelled.get(published.date(), 0), label["value"])
                firsts[label["value"]] = min(firsts.get(label["value"], (published, article["outlet"])),
                                             (published, article["outlet"]))
    with Store.open(db_url) as store:
        timeline = store.timeline(kind="events")
    assert {c.day: c.value for c in timeline.claims} == labelled
    assert [c.value for c in timeline.claims][:5] == [170, 200, 200, 250, 370]
    assert all(c.first_outlet == firsts[c.value][1] for c in timeline.claims)
    assert all(c.first == (c.outlet == firsts[c.value][1]) for c in timeline.claims)
    watched = {(w["name"], w["value"]) for w in EXPECTED["watch"] if w["kind"] == "events"}
    assert {(w.name, w.value) for w in timeline.watches} == watched and watched


def check_clippings_match_ground_truth(demo: DemoSite, clippings: dict[str, StoredClipping]) -> None:
    assert sorted(clippings) == sorted(expected_url(demo, a) for a in RELEVANT)
    for article in RELEVANT:
        got = clippings[expected_url(demo, article)]
        check_claims_match_ground_truth(article, got)
        assert got.outlet == article["outlet"]
        assert got.headline == article["headline"]
        assert got.published_at == datetime.fromisoformat(article["published_at"])
        assert got.published_at is not None and got.published_at.utcoffset().total_seconds() == 0
        assert list(got.authors) == article["authors"], got.url
        assert got.language == article["language"]
        assert got.agency == article["agency"], got.url
        assert set(got.matched_terms) == set(article["mentions"]), got.url
        assert got.lede and got.body


def test_crawl_stores_exactly_the_relevant_articles(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    summary = run_crawl(demo.campaign_path, db, settings=FAST, progress=False)
    assert summary.status == "finished"
    clippings = stored(db)
    check_clippings_match_ground_truth(demo, clippings)

    assert summary.articles_seen == len(EXPECTED["articles"])
    assert summary.relevant == summary.new_clippings == len(RELEVANT)
    assert summary.dropped == len(EXPECTED["articles"]) - len(RELEVANT)
    assert summary.errors == {"http_404": 1, "robots": 1, "malformed_feed": 1, "bad_feed_entry": 1}

    # The article in a feed (with utm_ parameters) and in a sitemap is one clipping, both addresses kept.
    alias = EXPECTED["tracking_aliases"][0]
    one = clippings[demo.url(alias["slug"], alias["path"])]
    assert demo.url(alias["slug"], alias["feed_link"]) in one.alias_urls
    # Neither the dead link nor the page robots.txt forbids became a clipping.
    for gone in (*EXPECTED["dead_links"], *EXPECTED["robots_forbidden"]):
        assert demo.url(gone["slug"], gone["path"]) not in clippings

    check_timeline_matches_ground_truth(db)

    # A second crawl fetches only the sources: known clippings and dropped pages are not refetched.
    again = run_crawl(demo.campaign_path, db, settings=FAST, progress=False)
    assert (again.articles_seen, again.new_clippings, again.updated_clippings) == (0, 0, 0)
    assert again.pages_fetched < summary.pages_fetched - len(EXPECTED["articles"]) + 3
    assert stored(db).keys() == clippings.keys()


def test_crawl_into_postgresql_stores_the_same(demo: DemoSite, postgres_url: str) -> None:
    summary = run_crawl(demo.campaign_path, postgres_url, settings=FAST, progress=False)
    assert summary.status == "finished" and summary.new_clippings == len(RELEVANT)
    check_clippings_match_ground_truth(demo, stored(postgres_url))


def test_cli_crawl_only_one_source_type_and_query(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'only.db'}"
    result = CliRunner().invoke(
        main, ["crawl", "--campaign", str(demo.campaign_path), "--db", db, "--only", "sitemaps",
               *[a for s in FAST for a in ("-s", s)]]
    )
    assert result.exit_code == 0, result.output
    assert "errors:" in result.output and "new and 0 updated clippings" in result.output
    via_sitemaps = {expected_url(demo, a) for a in RELEVANT if "sitemaps" in a["found_via"]}
    assert set(stored(db)) == via_sitemaps

    result = CliRunner().invoke(main, ["query", "--db", db, "--lang", "fr", "--format", "json"])
    assert result.exit_code == 0, result.output
    french = {expected_url(demo, a) for a in RELEVANT if a["language"] == "fr" and "sitemaps" in a["found_via"]}
    assert {row["url"] for row in json.loads(result.output)} == french and french


def test_add_fetches_and_stores_given_articles_even_without_a_term(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'add.db'}"
    relevant = RELEVANT[0]
    other = next(a for a in EXPECTED["articles"] if not a["relevant"] and not a["near_miss"])
    urls = [expected_url(demo, relevant) + "?utm_source=newsletter", expected_url(demo, other)]
    result = CliRunner().invoke(main, ["add", *urls, "--campaign", str(demo.campaign_path), "--db", db])
    assert result.exit_code == 0, result.output
    clippings = stored(db)
    assert set(clippings) == {expected_url(demo, relevant), expected_url(demo, other)}
    assert clippings[expected_url(demo, other)].matched_terms == ()
    assert clippings[expected_url(demo, relevant)].headline == relevant["headline"]


def test_scrapy_crawl_feeds_from_the_repo_root(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'scrapy.db'}"
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["feeds", "sections", "sitemaps", "urls", "watch"]
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "feeds", "-a", f"campaign={demo.campaign_path}",
         "-s", f"CLIPPINGS_DB={db}", *[a for s in FAST for a in ("-s", s)], "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CLIPPINGS_DB": ""},
    )
    assert done.returncode == 0, done.stderr
    via_feeds = {expected_url(demo, a) for a in RELEVANT if "feeds" in a["found_via"]}
    assert set(stored(db)) == via_feeds
    with Store.open(db) as store:
        run = store.get_run(1)
    assert run.spiders == ("feeds",) and run.status == "finished" and run.new_clippings == len(via_feeds)


def test_console_script_crawls_in_its_own_process(demo: DemoSite, tmp_path: Path) -> None:
    """`clippings crawl` as a user runs it: the crawl runs inside the CLI's process, no child."""
    db = f"sqlite:///{tmp_path / 'console.db'}"
    script = "import sys; from clippings.cli import run; sys.argv[0] = 'clippings'; run()"
    crawl_children = "import clippings.crawl, subprocess; clippings.crawl.subprocess = None; " + script
    done = subprocess.run(
        [sys.executable, "-c", crawl_children, "crawl", "--campaign", str(demo.campaign_path), "--db", db,
         *[a for s in FAST for a in ("-s", s)]],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CLIPPINGS_DB": ""},
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(RELEVANT)} new and 0 updated clippings" in done.stdout, done.stdout
    check_clippings_match_ground_truth(demo, stored(db))

"""The store on SQLite and PostgreSQL: upserts, aliases, dropped pages, queries, runs, schema."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from clippings.article import Clipping, Mention
from clippings.campaign import parse_campaign
from clippings.store.db import (
    DEFAULT_DB_URL,
    SCHEMA_REVISION,
    DatabaseUnavailable,
    StoreError,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    mask_url,
    resolve_db_url,
    upgrade,
    writer,
)
from clippings.store.models import Base, ClippingRow, ClippingUrlRow, MentionRow, SourceRow
from clippings.store.repository import Store
from clippings.urls import canonicalize

FETCHED = datetime(2020, 11, 3, 18, 0, tzinfo=UTC)
FEED_URL = "https://www.example-news.com/politics/protect-the-results-rallies/?utm_source=rss&utm_medium=feed"
SITEMAP_URL = "https://WWW.Example-News.com:443/politics/protect-the-results-rallies/"
SHARE_URL = "https://www.example-news.com/politics/protect-the-results-rallies/?utm_campaign=share#top"
CAMPAIGN = parse_campaign(
    """
[campaign]
name = "Protect the Results"
phrases = ["Protect the Results", "Count Every Vote"]
organizations = ["Stand Up America", "Indivisible"]
people = ["Sean Eldridge"]

[[outlets]]
name = "Example News"
domains = ["example-news.com"]
language = "en"
feeds = ["https://www.example-news.com/feed/"]
sitemaps = ["https://www.example-news.com/news-sitemap.xml"]

[[outlets]]
name = "Diario Ejemplo"
domains = ["diario-ejemplo.es"]
language = "es"
sections = ["https://diario-ejemplo.es/internacional/"]

[[outlets]]
name = "Quiet Gazette"
domains = ["quiet-gazette.org"]
urls = ["https://quiet-gazette.org/2020/11/04/story"]
"""
)


def mention(term: str, kind: str = "phrase", where: str = "body", start: int = 0) -> Mention:
    return Mention(term=term, kind=kind, field=where, start=start, end=start + len(term), text=term)


def clipping(url: str = SITEMAP_URL, **changes: object) -> Clipping:
    """A relevant article from the running example; `url` is canonicalised as the pipeline does."""
    base = Clipping(
        url=canonicalize(url),
        outlet="Example News",
        headline="370 'Count Every Vote' rallies planned if Trump contests the results",
        lede="The Protect the Results coalition is coordinating more than 370 events.",
        authors=["Jane Reporter"],
        published_at=datetime(2020, 11, 2, 15, 30, tzinfo=UTC),
        language="en",
        body="The Protect the Results coalition, led by Stand Up America and Indivisible, ...",
        mentions=[
            mention("Protect the Results", where="lede", start=4),
            mention("Stand Up America", "organization", start=46),
            mention("Indivisible", "organization", start=67),
        ],
        alias_urls=[url],
        source_kind="sitemaps",
        fetched_at=FETCHED,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL schema."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def count(store: Store, model: type[Base]) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


# -- upserts ------------------------------------------------------------------------------------


def test_upsert_reports_new_then_unchanged_then_updated(store: Store) -> None:
    first = clipping()
    assert store.upsert_clipping(first) == "new"
    again = replace(first, fetched_at=FETCHED + timedelta(hours=1))
    assert store.upsert_clipping(again) == "unchanged"

    later = FETCHED + timedelta(days=1)
    revised = replace(
        first,
        headline="More than 370 'Count Every Vote' rallies planned",
        authors=["Jane Reporter", "Sam Writer"],
        body=first.body + " Sean Eldridge said.",
        mentions=[*first.mentions, mention("Sean Eldridge", "person", start=80)],
        fetched_at=later,
    )
    assert store.upsert_clipping(revised) == "updated"
    again = replace(revised, fetched_at=later + timedelta(hours=2))
    assert store.upsert_clipping(again) == "unchanged"

    [stored] = store.query()
    assert stored.headline == revised.headline
    assert stored.authors == ("Jane Reporter", "Sam Writer")
    assert stored.body.endswith("Sean Eldridge said.")
    assert stored.matched_terms == (
        "Protect the Results", "Stand Up America", "Indivisible", "Sean Eldridge"
    )
    assert stored.mentions[-1] == mention("Sean Eldridge", "person", start=80)
    assert stored.first_seen_at == FETCHED  # never moves
    assert count(store, ClippingRow) == 1
    assert count(store, MentionRow) == 4


def test_missing_values_never_erase_known_ones(store: Store) -> None:
    store.upsert_clipping(clipping())
    poorer = clipping(published_at=None, lede=None, authors=[], language=None, body="", mentions=[])
    assert store.upsert_clipping(poorer) == "unchanged"
    [stored] = store.query()
    assert stored.published_at == datetime(2020, 11, 2, 15, 30, tzinfo=UTC)
    assert stored.lede and stored.authors and stored.language == "en" and stored.body
    assert len(stored.mentions) == 3


def test_feed_sitemap_and_tracking_links_make_one_clipping(store: Store) -> None:
    canonical = canonicalize(SITEMAP_URL)
    assert canonical == canonicalize(FEED_URL) == canonicalize(SHARE_URL)
    assert store.upsert_clipping(clipping(FEED_URL, source_kind="feeds")) == "new"
    assert store.upsert_clipping(clipping(SITEMAP_URL, source_kind="sitemaps")) == "unchanged"
    assert store.upsert_clipping(clipping(SHARE_URL, source_kind="urls")) == "unchanged"

    [stored] = store.query()
    assert stored.url == canonical
    assert set(stored.alias_urls) == {FEED_URL, SITEMAP_URL, SHARE_URL}
    assert count(store, ClippingRow) == 1
    for url in (canonical, FEED_URL, SITEMAP_URL, SHARE_URL):
        assert store.is_known(url)
    assert {canonical, FEED_URL, SITEMAP_URL, SHARE_URL} <= store.known_urls()
    assert stored.to_json()["alias_urls"] == list(stored.alias_urls)


def test_a_clipping_is_found_through_an_alias_under_another_canonical_url(store: Store) -> None:
    store.upsert_clipping(clipping(FEED_URL))
    amp = "https://www.example-news.com/amp/politics/protect-the-results-rallies/"
    # The AMP page names itself canonical but was reached through the same feed link.
    assert store.upsert_clipping(replace(clipping(FEED_URL), url=amp)) == "unchanged"
    [stored] = store.query()
    assert stored.url == canonicalize(FEED_URL)
    assert amp in stored.alias_urls and store.is_known(amp)


def test_dropped_pages_in_a_batch_fold_duplicates_and_keep_earlier_rows(store: Store) -> None:
    store.record_dropped("https://www.example-news.com/a", "unreadable", "Example News")
    batch = [
        (f"https://www.example-news.com/p{i}?utm_medium=feed", "irrelevant", "Example News") for i in range(450)
    ]
    batch += [(f"https://www.example-news.com/{path}", "irrelevant", None) for path in ("p1", "a")]
    store.record_dropped_many(batch)
    store.record_dropped_many([])
    with store.engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT url, outlet FROM dropped_pages")).all())
    assert len(rows) == 451 and rows["https://www.example-news.com/p1"] == "Example News"
    assert rows["https://www.example-news.com/a"] == "Example News"
    assert store.is_known("https://www.example-news.com/p449")


def test_dropped_pages_are_known_and_counted_once(store: Store) -> None:
    page = "https://www.example-news.com/about-us/?utm_source=newsletter"
    assert not store.is_known(page)
    store.record_dropped(page, "not-an-article", "Example News")
    store.record_dropped(page, "not-relevant", None)
    assert store.is_known(page)
    assert store.is_known("https://www.example-news.com/about-us/")
    assert canonicalize(page) in store.known_urls()
    assert not store.is_known("https://www.example-news.com/other/")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT url, reason, outlet FROM dropped_pages")).all()
    assert [tuple(r) for r in rows] == [
        ("https://www.example-news.com/about-us/", "not-relevant", "Example News")
    ]
    assert store.query() == []


def test_keep_bodies_off_stores_only_the_hash(db_url: str) -> None:
    with Store.open(db_url, keep_bodies=False) as store:
        store.upsert_clipping(clipping())
        assert store.upsert_clipping(clipping(body="A rewritten body.")) == "updated"
        [stored] = store.query()
        assert stored.body == ""
        with store.engine.connect() as conn:
            digest = conn.execute(sa.select(ClippingRow.body_hash)).scalar_one()
    assert len(digest) == 64 and digest != "0" * 64


# -- campaign sync, queries, summaries ----------------------------------------------------------


def test_sync_campaign_upserts_outlets_and_sources(store: Store) -> None:
    store.sync_campaign(CAMPAIGN)
    store.sync_campaign(CAMPAIGN)
    assert count(store, SourceRow) == 4
    with store.engine.connect() as conn:
        kinds = dict(conn.execute(sa.select(SourceRow.url, SourceRow.kind)).all())
        conn.execute(sa.update(SourceRow).values(etag='"abc"', failures=2))
        conn.commit()
    assert kinds["https://diario-ejemplo.es/internacional/"] == "sections"
    moved = parse_campaign(
        '[campaign]\nname = "x"\nphrases = ["y"]\n[[outlets]]\nname = "Example News"\n'
        'domains = ["example-news.com", "example-news.co.uk"]\nlanguage = "en"\n'
        'urls = ["https://www.example-news.com/feed/"]\n'
    )
    store.sync_campaign(moved)
    with store.engine.connect() as conn:
        source = conn.execute(
            sa.select(SourceRow.kind, SourceRow.etag, SourceRow.failures).where(
                SourceRow.url == "https://www.example-news.com/feed/"
            )
        ).one()
    assert tuple(source) == ("urls", '"abc"', 2)  # fetch state survives a campaign change
    names = [s.name for s in store.outlet_summary()]
    assert names == ["Diario Ejemplo", "Example News", "Quiet Gazette"]


def seed_query_data(store: Store) -> None:
    store.sync_campaign(CAMPAIGN)
    store.upsert_clipping(clipping("https://www.example-news.com/a"))  # 2020-11-02 15:30
    store.upsert_clipping(
        clipping(
            "https://www.example-news.com/b",
            headline="Indivisible and allies rally in 370 cities",
            published_at=datetime(2020, 11, 4, 23, 59, tzinfo=UTC),
            mentions=[mention("Indivisible", "organization")],
        )
    )
    store.upsert_clipping(
        clipping(
            "https://diario-ejemplo.es/internacional/protestas",
            outlet="Diario Ejemplo",
            headline="Cientos de protestas para contar cada voto",
            lede="La coalición Protect the Results convoca manifestaciones.",
            language="es",
            published_at=datetime(2020, 11, 5, 0, 0, tzinfo=UTC),
            mentions=[mention("Protect the Results", where="lede", start=13)],
        )
    )
    store.upsert_clipping(
        clipping(
            "https://www.example-news.com/undated",
            headline="Sean Eldridge on the coming week",
            published_at=None,
            fetched_at=datetime(2020, 11, 1, 9, 0, tzinfo=UTC),
            mentions=[mention("Sean Eldridge", "person")],
        )
    )


def urls_of(found: list) -> list[str]:
    return [c.url.rsplit("/", 1)[-1] for c in found]


def test_query_orders_newest_first_and_filters(store: Store) -> None:
    seed_query_data(store)
    assert urls_of(store.query()) == ["protestas", "b", "a", "undated"]
    assert urls_of(store.query(limit=2)) == ["protestas", "b"]
    assert urls_of(store.query(outlet="example NEWS")) == ["b", "a", "undated"]
    assert store.query(outlet="Quiet Gazette") == []
    assert urls_of(store.query(lang="ES")) == ["protestas"]
    # Days are inclusive: the 23:59 article is in "until 4 Nov", the midnight one in "since 5 Nov".
    assert urls_of(store.query(since=date(2020, 11, 2), until=date(2020, 11, 4))) == ["b", "a"]
    assert urls_of(store.query(since=date(2020, 11, 5))) == ["protestas"]
    assert urls_of(store.query(until=date(2020, 11, 1))) == ["undated"]  # dated by first seen
    noon = datetime(2020, 11, 2, 12, 0, tzinfo=timezone(timedelta(hours=-5)))  # 17:00 UTC
    assert urls_of(store.query(since=noon)) == ["protestas", "b"]
    assert urls_of(store.query(until=datetime(2020, 11, 2, 15, 30, tzinfo=UTC))) == ["a", "undated"]


def test_query_by_term_reads_matched_terms_headline_and_lede(store: Store) -> None:
    seed_query_data(store)
    assert urls_of(store.query(term="sean eldridge")) == ["undated"]
    assert urls_of(store.query(term="STAND UP AMERICA")) == ["a"]
    assert urls_of(store.query(term="Indivisible")) == ["b", "a"]  # headline and matched term
    assert urls_of(store.query(term="manifestaciones")) == ["protestas"]  # lede text
    assert urls_of(store.query(term="protect the results", lang="es")) == ["protestas"]
    assert store.query(term="100%_") == []  # LIKE wildcards are escaped


def test_query_loads_related_rows_in_bulk(store: Store) -> None:
    seed_query_data(store)
    for n in range(20):
        store.upsert_clipping(clipping(f"https://www.example-news.com/more-{n}?utm_source=rss"))
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    found = store.query()
    assert len(found) == 24 and all(c.mentions for c in found)
    assert sum(len(c.alias_urls) for c in found) == 20
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # clippings with outlets, then mentions, URLs, counts, quotes, headlines, the stories' members: no N+1
    assert len(selects) == 7


def test_stored_clipping_json(store: Store) -> None:
    store.upsert_clipping(clipping())
    [stored] = store.query()
    assert stored.to_json() == {
        "url": "https://www.example-news.com/politics/protect-the-results-rallies/",
        "outlet": "Example News",
        "headline": "370 'Count Every Vote' rallies planned if Trump contests the results",
        "published_at": "2020-11-02T15:30:00+00:00",
        "language": "en",
        "authors": ["Jane Reporter"],
        "lede": "The Protect the Results coalition is coordinating more than 370 events.",
        "matched_terms": ["Protect the Results", "Stand Up America", "Indivisible"],
        "first_seen_at": "2020-11-03T18:00:00+00:00",
        "alias_urls": [SITEMAP_URL],
        "agency": None,
        "counts": [],
        "quotes": [],
        "earlier_headlines": [],
        "story_id": stored.story_id,
        "is_original": True,
    }
    assert stored.story_id is not None and stored.copies == ()


def test_outlet_summary_includes_outlets_without_clippings(store: Store) -> None:
    seed_query_data(store)
    summary = {s.name: s for s in store.outlet_summary()}
    assert list(summary) == ["Diario Ejemplo", "Example News", "Quiet Gazette"]
    news = summary["Example News"]
    assert (news.clippings, news.first_date, news.last_date, news.languages) == (
        3, date(2020, 11, 1), date(2020, 11, 4), ("en",)
    )
    assert summary["Diario Ejemplo"].languages == ("es",)
    quiet = summary["Quiet Gazette"]
    assert (quiet.clippings, quiet.first_date, quiet.last_date) == (0, None, None)
    assert quiet.languages == ()


def test_timestamps_come_back_timezone_aware_utc(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    store.upsert_clipping(
        clipping(
            published_at=datetime(2020, 11, 4, 1, 30, tzinfo=paris),
            fetched_at=datetime(2020, 11, 4, 6, 0),  # naive: taken as UTC
        )
    )
    [stored] = store.query()
    assert stored.published_at == datetime(2020, 11, 4, 0, 30, tzinfo=UTC)
    assert stored.published_at.utcoffset() == timedelta(0)
    assert stored.first_seen_at == datetime(2020, 11, 4, 6, 0, tzinfo=UTC)
    assert stored.first_seen_at.tzinfo is not None
    assert store.upsert_clipping(
        clipping(published_at=datetime(2020, 11, 4, 0, 30, tzinfo=UTC))
    ) == "unchanged"  # the same instant in another zone is no change


# -- crawl runs ---------------------------------------------------------------------------------


def test_run_counters_add_up(store: Store) -> None:
    run_id = store.start_run("Protect the Results", ["feeds", "sitemaps"])
    started = store.get_run(run_id)
    assert started.status == "running" and started.finished_at is None
    assert started.started_at.tzinfo is not None and started.pages_fetched == 0
    store.add_run_counts(run_id, {"pages_fetched": 10, "relevant": 2}, {"http_404": 1})
    store.add_run_counts(run_id, {"pages_fetched": 5, "dropped": 3}, {"http_404": 2, "timeout": 1})
    store.add_run_counts(run_id, {}, {})
    store.finish_run(run_id, "finished")
    run = store.get_run(run_id)
    assert (run.pages_fetched, run.relevant, run.dropped, run.new_clippings) == (15, 2, 3, 0)
    assert run.errors == {"http_404": 3, "timeout": 1}
    assert run.status == "finished" and run.finished_at is not None
    assert run.spiders == ("feeds", "sitemaps") and run.campaign == "Protect the Results"
    other = store.start_run("Protect the Results", ["urls"])
    store.finish_run(other, "failed (exit code -15)")
    assert store.get_run(other).status == "failed (exit code -15)"
    assert store.get_run(run_id).errors == {"http_404": 3, "timeout": 1}
    with pytest.raises(ValueError, match="unknown run counters"):
        store.add_run_counts(run_id, {"pages": 1}, {})
    with pytest.raises(KeyError):
        store.get_run(run_id + 100)
    with pytest.raises(KeyError):
        store.add_run_counts(run_id + 100, {"relevant": 1}, {})


# -- migrations, engines, URLs ------------------------------------------------------------------


def test_migrated_schema_equals_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert current_revision(engine) == head_revision() == SCHEMA_REVISION
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, Base.metadata) == []
        with writer(engine).begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        upgrade(engine)
        assert set(sa.inspect(engine).get_table_names()) == set(Base.metadata.tables) | {
            "alembic_version"
        }
    finally:
        engine.dispose()


def test_open_without_migrating_refuses_an_empty_database(db_url: str) -> None:
    with pytest.raises(StoreError, match="is at schema none"):
        Store.open(db_url, migrate=False)
    Store.open(db_url).close()
    with Store.open(db_url, migrate=False) as store:
        assert store.query() == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }
    assert pragma == {"journal_mode": "wal", "busy_timeout": 30000, "foreign_keys": 1}


def test_writes_to_sqlite_take_the_lock_up_front(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        statements: list[str] = []
        sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        store.record_dropped("https://www.example-news.com/x", "not-relevant", None)
        store.is_known("https://www.example-news.com/x")
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements.count("BEGIN") == 1  # the read


def test_resolve_db_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLIPPINGS_DB", raising=False)
    assert resolve_db_url(None) == DEFAULT_DB_URL == "sqlite:///clippings.db"
    monkeypatch.setenv("CLIPPINGS_DB", "postgresql+psycopg://u@db/clips")
    assert resolve_db_url(None) == "postgresql+psycopg://u@db/clips"
    assert resolve_db_url("sqlite:///other.db") == "sqlite:///other.db"


def test_mask_url_hides_passwords() -> None:
    assert mask_url("postgresql+psycopg://clip:s3cret@db.example:5432/news") == (
        "postgresql+psycopg://clip:***@db.example:5432/news"
    )
    assert mask_url("sqlite:///clippings.db") == "sqlite:///clippings.db"
    assert "s3cret" not in mask_url("not a url://clip:s3cret@host/x")


def test_unreachable_database_is_reported_without_its_password() -> None:
    url = "postgresql+psycopg://clip:s3cret@127.0.0.1:1/news"
    with pytest.raises(DatabaseUnavailable) as caught:
        Store.open(url)
    message = str(caught.value)
    assert "s3cret" not in message
    assert "postgresql+psycopg://clip:***@127.0.0.1:1/news" in message
    with pytest.raises(DatabaseUnavailable, match="cannot open the database sqlite:///"):
        Store.open("sqlite:////nonexistent-dir/clippings.db")
    with pytest.raises(StoreError, match="unsupported database"):
        Store.open("mysql://clip:s3cret@127.0.0.1/news")


def test_plain_postgresql_urls_mean_psycopg() -> None:
    engine = make_engine("postgres://clip@127.0.0.1/news")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


# -- concurrent writers -------------------------------------------------------------------------


def test_concurrent_threads_upserting_one_article_make_one_clipping(db_url: str) -> None:
    workers = 6  # each opens (and migrates) the empty database at the same time
    barrier = threading.Barrier(workers, timeout=60)
    results: list[str] = []
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            with Store.open(db_url) as store:
                link = f"{canonicalize(SITEMAP_URL)}?utm_content=t{n}"
                barrier.wait()
                results.append(store.upsert_clipping(clipping(link)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == ["new"] + ["unchanged"] * (workers - 1)
    with Store.open(db_url) as store:
        assert count(store, ClippingRow) == 1
        [stored] = store.query()
        assert len(stored.alias_urls) == workers  # each thread's tracking link
        assert count(store, ClippingUrlRow) == workers + 1


def write_in_process(db_url: str, run_id: int, start: Any) -> None:
    """A crawl process: the same ten articles, every run counter bumped once per article."""
    with Store.open(db_url) as store:
        start.wait(60)  # a multiprocessing Barrier: all processes write at once
        for n in range(10):
            status = store.upsert_clipping(clipping(f"https://www.example-news.com/story-{n}"))
            counts = {"articles_seen": 1, "new_clippings": int(status == "new")}
            store.add_run_counts(run_id, counts, {"seen": 1})


def test_concurrent_processes_share_one_database(db_url: str) -> None:
    processes = 3
    with Store.open(db_url) as store:
        run_id = store.start_run("Protect the Results", ["feeds", "sitemaps", "urls"])
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    children = [
        context.Process(target=write_in_process, args=(db_url, run_id, start))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0] * processes
    with Store.open(db_url) as store:
        assert count(store, ClippingRow) == 10
        run = store.get_run(run_id)
    assert run.articles_seen == 10 * processes
    assert run.new_clippings == 10 and run.updated_clippings == 0
    assert run.errors == {"seen": 10 * processes}


def test_schema_revision_is_alembics_head_and_a_migrated_database_opens_without_alembic(tmp_path: Path) -> None:
    assert head_revision() == SCHEMA_REVISION
    url = f"sqlite:///{tmp_path / 'opened.db'}"
    Store.open(url).close()  # creates and migrates
    probe = (
        "import sys; from clippings.store.repository import Store; "
        f"Store.open({url!r}).close(); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"

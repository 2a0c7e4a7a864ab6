"""Count claims, quotes and watched-counter readings in the store, and the timeline of claims.

Claims and quotes here are written by hand as the extractors would report them for the text they
sit in (offsets checked against that text): these tests are about storing, reading and ordering
them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from clippings.article import Clipping, CountClaim, Quote, WatchObservation
from clippings.store.models import Base, ClippingRow, CountClaimRow, QuoteRow, WatchObservationRow
from clippings.store.repository import Store, Timeline
from clippings.urls import canonicalize

FETCHED = datetime(2020, 11, 5, 12, 0, tzinfo=UTC)
EASTERN = timezone(timedelta(hours=-5))
HEADLINE = "370 'Count Every Vote' events planned for Nov. 4"
BODY = (
    "The coalition has grown to 135 groups, up from just over 170 events a week ago. "
    "\u201cWe see these events as the public's response,\u201d said Sean Eldridge."
)


@pytest.fixture(params=["sqlite_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The same test on a SQLite file and on a fresh PostgreSQL schema."""
    with Store.open(request.getfixturevalue(request.param)) as opened:
        yield opened


def claim(text: str, span: str, value: int, kind: str, where: str, qualifier: str = "exactly",
          unit: str = "events", low: int | None = None, high: int | None = None) -> CountClaim:
    """A claim on `span` as it occurs in `text` (the offset is looked up, so it is right)."""
    start = text.index(span)
    if qualifier == "exactly":
        low = high = value
    return CountClaim(value=value, low=low, high=high, qualifier=qualifier, unit=unit, kind=kind, span=span,
                      start=start, field=where)


def quote(text: str, said: str, speaker: str | None, person: str | None) -> Quote:
    start = text.index(said) - 1  # the opening mark
    return Quote(text=said, speaker=speaker, person=person, start=start, end=start + len(said) + 2)


CLAIMS = [
    claim(HEADLINE, "370", 370, "events", "headline"),
    claim(BODY, "135", 135, "organizations", "body", unit="groups"),
    claim(BODY, "just over 170", 170, "events", "body", qualifier="over", low=170),
]
QUOTES = [quote(BODY, "We see these events as the public's response,", "Sean Eldridge", "Sean Eldridge")]


def story(slug: str = "370-rallies", outlet: str = "Capitol Ledger", **changes: object) -> Clipping:
    base = Clipping(
        url=canonicalize(f"https://capitol-ledger.example/politics/{slug}/"),
        outlet=outlet,
        headline=HEADLINE,
        lede="Organisers of the Count Every Vote coalition say they are ready.",
        authors=["Dana Cole"],
        published_at=datetime(2020, 11, 2, 8, 5, tzinfo=EASTERN),
        language="en",
        body=BODY,
        mentions=[],
        alias_urls=[],
        source_kind="sitemaps",
        fetched_at=FETCHED,
        counts=list(CLAIMS),
        quotes=list(QUOTES),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def rows(store: Store, model: type[Base]) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


# -- claims and quotes of a clipping ------------------------------------------------------------


def test_claims_and_quotes_are_stored_with_the_clipping_and_read_back(store: Store) -> None:
    assert store.upsert_clipping(story()) == "new"
    [stored] = store.query()
    assert stored.counts == tuple(CLAIMS)
    assert stored.quotes == tuple(QUOTES)
    assert BODY[stored.quotes[0].start:stored.quotes[0].end].startswith("\u201cWe see")
    record = stored.to_json()
    assert record["counts"][0] == {
        "value": 370, "low": 370, "high": 370, "qualifier": "exactly", "unit": "events", "kind": "events",
        "span": "370", "start": 0, "field": "headline",
    }
    assert [c["field"] for c in record["counts"]] == ["headline", "body", "body"]
    assert record["quotes"] == [{"text": "We see these events as the public's response,", "speaker": "Sean Eldridge",
                                 "person": "Sean Eldridge", "start": QUOTES[0].start, "end": QUOTES[0].end}]
    assert (rows(store, CountClaimRow), rows(store, QuoteRow)) == (3, 1)


def test_claims_stay_when_the_text_is_unchanged_and_follow_it_when_it_changes(store: Store) -> None:
    store.upsert_clipping(story())
    # The same text, claims not extracted this time (the step failed): what is stored stays.
    assert store.upsert_clipping(story(counts=[], quotes=[])) == "unchanged"
    # The same text, other claims (another extractor version): the stored ones stay too.
    assert store.upsert_clipping(story(counts=CLAIMS[:1])) == "unchanged"
    assert len(store.query()[0].counts) == 3

    # The body changes: claims and quotes are replaced by the new text's.
    body = "Organisers now count more than 500 events."
    more = claim(body, "more than 500", 500, "events", "body", qualifier="over", low=500)
    assert store.upsert_clipping(story(body=body, counts=[CLAIMS[0], more], quotes=[])) == "updated"
    [stored] = store.query()
    assert stored.counts == (CLAIMS[0], more) and stored.quotes == ()
    assert (rows(store, CountClaimRow), rows(store, QuoteRow)) == (2, 0)

    # Only the headline changes: replaced again (an empty list too: old offsets mean nothing now).
    assert store.upsert_clipping(story(body=body, headline="Coalition plans rallies", counts=[more])) == "updated"
    assert store.query()[0].counts == (more,)


def test_a_clipping_stored_without_claims_takes_them_later(store: Store) -> None:
    store.upsert_clipping(story(counts=[], quotes=[]))
    assert store.upsert_clipping(story()) == "updated"
    [stored] = store.query()
    assert stored.counts == tuple(CLAIMS) and stored.quotes == tuple(QUOTES)
    assert store.upsert_clipping(story()) == "unchanged"


def test_deleting_a_clipping_deletes_its_claims_and_quotes(store: Store) -> None:
    store.upsert_clipping(story())
    with store.engine.begin() as conn:
        conn.execute(sa.delete(ClippingRow))
    assert (rows(store, CountClaimRow), rows(store, QuoteRow)) == (0, 0)


# -- watched counters ---------------------------------------------------------------------------


def reading(at: datetime, value: int | None, name: str = "Event map", status: str = "found",
            detail: str | None = None) -> WatchObservation:
    return WatchObservation(
        name=name, url="https://www.mobilize.example/protecttheresults/", observed_at=at, status=status,
        value=value, text=None if value is None else f"{value} events", detail=detail,
        kind="events" if name == "Event map" else None,
    )


def test_observations_are_recorded_every_time_and_read_back_in_time_order(store: Store) -> None:
    t0 = datetime(2020, 11, 2, 9, 0, tzinfo=UTC)
    later = reading(t0 + timedelta(days=1), 370)
    store.record_observation(later)
    store.record_observation(reading(t0, 350))
    store.record_observation(reading(t0 + timedelta(days=1, hours=1), 370))  # unchanged: recorded all the same
    gone = reading(t0 + timedelta(days=2), None, status="missing", detail="selector matched nothing")
    store.record_observation(gone)
    petition = WatchObservation(name="Petition", url="https://act.example/sign", observed_at=t0, status="found",
                                value=0, text="0 have signed")
    store.record_observation(petition)

    everything = store.observations()
    assert [(o.name, o.value) for o in everything] == [
        ("Event map", 350), ("Petition", 0), ("Event map", 370), ("Event map", 370), ("Event map", None)]
    assert everything[2] == later and everything[-1] == gone
    assert all(o.observed_at.tzinfo is not None for o in everything)
    assert store.observations(name="Petition") == [petition]
    assert [o.value for o in store.observations(name="Event map", since=date(2020, 11, 3))] == [370, 370, None]
    paris = timezone(timedelta(hours=1))
    since = datetime(2020, 11, 3, 11, 0, tzinfo=paris)  # 10:00 UTC: after the 09:00 reading
    assert [o.value for o in store.observations(since=since)] == [370, None]
    assert rows(store, WatchObservationRow) == 5


def test_observations_are_checked(store: Store) -> None:
    now = datetime(2020, 11, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="unknown watch status"):
        store.record_observation(reading(now, 3, status="ok"))
    with pytest.raises(ValueError, match="needs its value"):
        store.record_observation(reading(now, None))
    assert store.observations() == []


# -- the timeline -------------------------------------------------------------------------------


def events(text: str, span: str, value: int, qualifier: str = "exactly") -> CountClaim:
    low = value if qualifier in ("over", "at_least") else None
    return claim(text, span, value, "events", "headline", qualifier=qualifier, low=low)


def headline_story(outlet: str, slug: str, published: datetime | None, headline: str,
                   spans: list[tuple[str, int, str]], fetched: datetime = FETCHED) -> Clipping:
    """A clipping whose headline carries event counts (span as written, value, qualifier)."""
    return story(
        slug=slug, outlet=outlet, published_at=published, headline=headline, body=f"{headline}. More soon.",
        counts=[events(headline, span, value, q) for span, value, q in spans], quotes=[], fetched_at=fetched,
    )


def seed_growth(store: Store) -> None:
    """The seeds' growth, 170 -> 200 -> 370, printed by several outlets in several time zones."""
    paris = timezone(timedelta(hours=1))
    edt = timezone(timedelta(hours=-4))
    for c in [
        headline_story("Capitol Ledger", "a", datetime(2020, 10, 27, 11, 30, tzinfo=edt),
                       "Over 170 Events Planned Nationwide", [("Over 170", 170, "over")]),
        headline_story("Daily Beacon", "b", datetime(2020, 10, 29, 16, 42, tzinfo=edt),
                       "More than 200 protests planned", [("More than 200", 200, "over")]),
        headline_story("Global Wire", "c", datetime(2020, 10, 30, 6, 12, tzinfo=edt),
                       "Activists map out 200 events, up from 170", [("200", 200, "exactly"), ("170", 170, "exactly")]),
        headline_story("Capitol Ledger", "d", datetime(2020, 11, 2, 8, 5, tzinfo=EASTERN),
                       "370 rallies planned, up from just over 170", [("370", 370, "exactly"),
                                                                     ("just over 170", 170, "over")]),
        # Two on 3 November: the earlier of the day (05:00 EST = 10:00 UTC) names the outlet.
        headline_story("Courrier Civique", "e", datetime(2020, 11, 3, 18, 40, tzinfo=paris),
                       "Plus de 370 rassemblements", [("Plus de 370", 370, "over")]),
        headline_story("Global Wire", "f", datetime(2020, 11, 3, 5, 0, tzinfo=EASTERN),
                       "Explainer: more than 370 events", [("more than 370", 370, "over")]),
        # 21:15 EST on 4 November is 02:15 UTC on the 5th.
        headline_story("Daily Beacon", "g", datetime(2020, 11, 4, 21, 15, tzinfo=EASTERN),
                       "Roughly 370 events from Philadelphia to Phoenix", [("Roughly 370", 370, "about")]),
        # No publication date: dated by when it was first seen.
        headline_story("Metro Gazette", "h", None, "About 120 vigils urge patience", [("About 120", 120, "about")],
                       fetched=datetime(2020, 11, 5, 23, 0, tzinfo=UTC)),
        # The outlet that printed 370 first prints it again: it still printed it first.
        headline_story("Capitol Ledger", "i", datetime(2020, 11, 6, 9, 0, tzinfo=UTC),
                       "370 events, and counting", [("370", 370, "exactly")]),
    ]:
        assert store.upsert_clipping(c) == "new"
    orgs = story(slug="orgs", outlet="Global Wire", published_at=datetime(2020, 11, 3, 12, 0, tzinfo=UTC))
    store.upsert_clipping(orgs)  # 370 events in its headline, 135 groups and 170 events in its body


def day_rows(timeline: Timeline) -> list[tuple[str, str, int, str, bool, str]]:
    return [(str(c.day), c.kind, c.value, c.outlet, c.first, c.first_outlet) for c in timeline.claims]


def test_timeline_gives_the_days_highest_claim_and_who_printed_it_first(store: Store) -> None:
    seed_growth(store)
    timeline = store.timeline(kind="events")
    assert day_rows(timeline) == [
        ("2020-10-27", "events", 170, "Capitol Ledger", True, "Capitol Ledger"),
        ("2020-10-29", "events", 200, "Daily Beacon", True, "Daily Beacon"),
        ("2020-10-30", "events", 200, "Global Wire", False, "Daily Beacon"),
        ("2020-11-02", "events", 370, "Capitol Ledger", True, "Capitol Ledger"),
        ("2020-11-03", "events", 370, "Global Wire", False, "Capitol Ledger"),
        ("2020-11-05", "events", 370, "Daily Beacon", False, "Capitol Ledger"),
        ("2020-11-06", "events", 370, "Capitol Ledger", True, "Capitol Ledger"),
    ]
    third = timeline.claims[4]
    assert third.url.endswith("/f/") and third.span == "more than 370" and third.qualifier == "over"
    assert third.published_at == datetime(2020, 11, 3, 10, 0, tzinfo=UTC)
    assert third.first_url.endswith("/d/") and third.first_published_at == datetime(2020, 11, 2, 13, 5, tzinfo=UTC)
    sixth = timeline.claims[6]
    assert sixth.url.endswith("/i/") and sixth.first_url.endswith("/d/")

    everything = store.timeline()
    assert ("2020-11-03", "organizations", 135, "Global Wire", True, "Global Wire") in day_rows(everything)
    assert [c for c in everything.claims if c.kind == "events"] == list(timeline.claims)


def test_timeline_days_are_inclusive_and_firsts_look_outside_them(store: Store) -> None:
    seed_growth(store)
    window = store.timeline(kind="events", since=date(2020, 11, 3), until=date(2020, 11, 5))
    assert day_rows(window) == [
        ("2020-11-03", "events", 370, "Global Wire", False, "Capitol Ledger"),
        ("2020-11-05", "events", 370, "Daily Beacon", False, "Capitol Ledger"),
    ]
    # An undated clipping counts on the day it was first seen (11-05 23:00 UTC): 120 < 370 there,
    # alone it is the day's claim.
    assert day_rows(store.timeline(since=datetime(2020, 11, 5, 12, 0, tzinfo=UTC), until=date(2020, 11, 5))) == [
        ("2020-11-05", "events", 120, "Metro Gazette", True, "Metro Gazette"),
    ]
    assert store.timeline(kind="signatures").claims == ()
    assert store.timeline(kind="events", until=date(2020, 10, 1)).claims == ()


def test_timeline_adds_the_days_highest_watched_counter(store: Store) -> None:
    seed_growth(store)
    t = datetime(2020, 11, 2, 9, 0, tzinfo=UTC)
    store.record_observation(reading(t, 350))
    store.record_observation(reading(t + timedelta(hours=11), 372))
    store.record_observation(reading(t + timedelta(hours=14), 371))  # 23:00: the same day
    store.record_observation(reading(t + timedelta(hours=16), 371))  # 01:00 on the 3rd
    store.record_observation(reading(t + timedelta(days=2), None, status="missing", detail="selector matched nothing"))
    store.record_observation(reading(t + timedelta(days=3), None, status="error", detail="http 503"))
    store.record_observation(replace(reading(t, 0, name="Petition"), kind="signatures"))
    store.record_observation(reading(t, 12, name="Partners page"))  # of no known kind: shown with every kind
    timeline = store.timeline(kind="events")
    assert [(str(w.day), w.name, w.value) for w in timeline.watches] == [
        ("2020-11-02", "Event map", 372), ("2020-11-02", "Partners page", 12), ("2020-11-03", "Event map", 371),
    ]
    assert [w.name for w in store.timeline().watches] == ["Event map", "Partners page", "Petition", "Event map"]
    assert [w.name for w in store.timeline(kind="signatures").watches] == ["Partners page", "Petition"]
    assert timeline.watches[0].observed_at == datetime(2020, 11, 2, 20, 0, tzinfo=UTC)
    assert [str(d) for d in timeline.days][3:6] == ["2020-11-02", "2020-11-03", "2020-11-05"]
    assert store.timeline(kind="events", since=date(2020, 11, 3), until=date(2020, 11, 3)).watches == (
        timeline.watches[2:])


def test_a_days_tie_in_one_clipping_is_shown_in_numerals(store: Store) -> None:
    headline = "Hundreds of protests planned"
    body = "Activists have mapped out more than 200 events."
    vague = claim(headline, "Hundreds", 200, "events", "headline", qualifier="approx", unit="protests", low=200)
    precise = claim(body, "more than 200", 200, "events", "body", qualifier="over", low=200)
    store.upsert_clipping(story(headline=headline, body=body, counts=[vague, precise], quotes=[]))
    [day] = store.timeline().claims
    assert (day.value, day.qualifier, day.span) == (200, "over", "more than 200")


def test_an_empty_store_has_an_empty_timeline(store: Store) -> None:
    timeline = store.timeline()
    assert timeline.claims == () and timeline.watches == () and timeline.days == []


# -- the migration ------------------------------------------------------------------------------


def test_migration_0003_adds_the_tables_and_keeps_clippings(request: pytest.FixtureRequest) -> None:
    from alembic import command

    from clippings.store.db import SCHEMA_REVISION, alembic_config, current_revision, make_engine, upgrade, writer

    engine = make_engine(request.getfixturevalue("sqlite_url"))
    try:
        with writer(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0002")
        old = story(counts=[], quotes=[])
        with writer(engine).begin() as conn:  # a clipping as the 0002 schema held it (today's Store writes more)
            conn.execute(sa.text("INSERT INTO outlets (name, domains, language) VALUES (:n, '[]', 'en')"),
                         {"n": old.outlet})
            conn.execute(sa.text(
                "INSERT INTO clippings (url, outlet_id, headline, lede, authors, published_at, first_seen_at, "
                "updated_at, language, body, body_hash, source_kind) VALUES (:url, 1, :headline, :lede, '[]', "
                ":published, :seen, :seen, 'en', :body, 'x', 'sitemaps')"),
                {"url": old.url, "headline": old.headline, "lede": old.lede, "published": old.published_at,
                 "seen": old.fetched_at if hasattr(old, "fetched_at") else old.published_at, "body": old.body})
            conn.execute(sa.text("INSERT INTO clipping_urls (url, clipping_id) VALUES (:url, 1)"), {"url": old.url})
        assert "count_claims" not in sa.inspect(engine).get_table_names()
        upgrade(engine)
        assert current_revision(engine) == SCHEMA_REVISION
        with Store(engine) as store:
            [old] = store.query()
            assert old.counts == () and old.quotes == () and old.to_json()["counts"] == []
            assert store.upsert_clipping(story()) == "updated"  # a clipping stored before claims takes them
            assert store.query()[0].counts == tuple(CLAIMS)
            store.record_observation(reading(FETCHED, 370))
        with writer(engine).begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
        tables = set(sa.inspect(engine).get_table_names())
        assert not tables & {"count_claims", "quotes", "watch_observations"} and "clippings" in tables
    finally:
        engine.dispose()


def test_migration_0004_keeps_every_row_of_the_clippings_children(request: pytest.FixtureRequest) -> None:
    """On SQLite a batch migration rebuilds a table, and dropping the old `clippings` would cascade to
    its URLs, mentions, claims and quotes: 0004 must only ADD (and, going down, DROP) columns."""
    from alembic import command

    from clippings.store.db import alembic_config, make_engine, upgrade, writer

    engine = make_engine(request.getfixturevalue("sqlite_url"))
    children = ("clipping_urls", "mentions", "count_claims", "quotes")

    def counted() -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in children}

    try:
        with writer(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0003")
            conn.execute(sa.text("INSERT INTO outlets (name, domains, language) VALUES ('O', '[]', 'en')"))
            conn.execute(sa.text(
                "INSERT INTO clippings (url, outlet_id, headline, authors, first_seen_at, updated_at, body, body_hash)"
                " VALUES ('https://o.example/a', 1, 'h', '[]', '2020-11-02', '2020-11-02', 'b', 'x')"))
            conn.execute(sa.text("INSERT INTO clipping_urls (url, clipping_id) VALUES ('https://o.example/a', 1)"))
            conn.execute(sa.text("INSERT INTO mentions (clipping_id, term, kind, field, start, \"end\", text) "
                                 "VALUES (1, 'Count Every Vote', 'phrase', 'body', 0, 16, 'Count Every Vote')"))
            conn.execute(sa.text("INSERT INTO count_claims (clipping_id, field, value, low, high, qualifier, unit, "
                                 "kind, span, start) VALUES (1, 'body', 370, 370, 370, 'exactly', 'events', "
                                 "'events', '370', 0)"))
            conn.execute(sa.text("INSERT INTO quotes (clipping_id, text, speaker, person, start, \"end\") "
                                 "VALUES (1, 'We are ready', 'Sean Eldridge', 'Sean Eldridge', 0, 14)"))
        before = counted()
        assert before == dict.fromkeys(children, 1)
        upgrade(engine)
        assert counted() == before
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT story_id, is_original FROM clippings")).one() == (None, True)
        with writer(engine).begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
        assert counted() == before
    finally:
        engine.dispose()


def test_an_updated_article_keeps_its_earlier_headlines(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        assert store.upsert_clipping(story()) == "new"
        assert store.upsert_clipping(story(headline="370 rallies: the count goes on")) == "updated"
        assert store.upsert_clipping(story(headline="370 rallies: the count goes on")) == "unchanged"
        assert store.upsert_clipping(story(headline="Final: 370 rallies held")) == "updated"
        [got] = store.query()
    assert got.headline == "Final: 370 rallies held"
    assert got.earlier_headlines == (HEADLINE, "370 rallies: the count goes on")
    assert got.to_json()["earlier_headlines"] == [HEADLINE, "370 rallies: the count goes on"]


def test_migration_0005_gives_known_urls_their_variant_keys(request: pytest.FixtureRequest) -> None:
    from alembic import command

    from clippings.store.db import alembic_config, make_engine, upgrade, writer

    engine = make_engine(request.getfixturevalue("sqlite_url"))
    try:
        with writer(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0004")
            conn.execute(sa.text("INSERT INTO outlets (name, domains, language) VALUES ('O', '[]', 'en')"))
            conn.execute(sa.text(
                "INSERT INTO clippings (url, outlet_id, headline, authors, first_seen_at, updated_at, body, body_hash)"
                " VALUES ('https://www.o-news.com/a/', 1, 'h', '[]', '2020-11-02', '2020-11-02', 'b', 'x')"))
            conn.execute(sa.text(
                "INSERT INTO clipping_urls (url, clipping_id) VALUES ('https://www.o-news.com/a/', 1)"))
            conn.execute(sa.text("INSERT INTO dropped_pages (url, reason, first_seen_at, last_seen_at) "
                                 "VALUES ('https://m.o-news.com/b/amp', 'irrelevant', '2020-11-02', '2020-11-02')"))
        upgrade(engine)
        with Store(engine) as store:
            assert store.is_known("https://o-news.com/a") and store.is_known("http://o-news.com/b")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT key FROM clipping_urls")).scalar_one() == "https://o-news.com/a"
    finally:
        engine.dispose()

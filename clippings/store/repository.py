"""The store's one door: upserts and queries over the models, returning frozen dataclasses.

Story groups (issue 6): a clipping stored new, or whose body changed, gets its body's fingerprint
(`clippings.stories`) and is compared with the clippings dated within `stories.WINDOW_DAYS` of it (a
bounded scan of that window, at most MAX_STORY_CANDIDATES, newest stored first; no index); when it is
the same story as some, it joins their group(s), and the group's original is chosen again (the agency's
own clipping, else the earliest; every member's `story_id` and `is_original` are rewritten).

Every write is one transaction. Writers may run in several processes at once: rows are matched by
unique URLs and names, inserted with `INSERT ... ON CONFLICT`, and a transaction that loses a race
(IntegrityError, deadlock) is retried, so the same article written twice is still one clipping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Engine, Table, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, contains_eager, selectinload, sessionmaker

from clippings import stories
from clippings.article import WATCH_STATUSES, Clipping, CountClaim, Mention, Quote, WatchObservation
from clippings.campaign import Campaign
from clippings.store.db import (
    SCHEMA_REVISION,
    StoreError,
    check_connection,
    current_revision,
    make_engine,
    mask_url,
    upgrade,
    writer,
)
from clippings.store.models import (
    RUN_COUNTERS,
    ClippingHeadlineRow,
    ClippingRow,
    ClippingUrlRow,
    CountClaimRow,
    CrawlRunRow,
    DroppedPageRow,
    MentionRow,
    OutletRow,
    QuoteRow,
    SourceRow,
    WatchObservationRow,
    as_utc,
    utc_now,
)
from clippings.urls import canonicalize, variant_key_or_none

T = TypeVar("T")
WRITE_ATTEMPTS = 5
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
# Core statements for the common write path (plain INSERTs cost half of the ORM's unit of work).
_CLIPPINGS: Table = ClippingRow.__table__  # type: ignore[assignment]
_INSERT_CLIPPING = insert(_CLIPPINGS).returning(_CLIPPINGS.c.id)
_INSERT_MENTION = insert(MentionRow.__table__)  # type: ignore[arg-type]
_INSERT_COUNT = insert(CountClaimRow.__table__)  # type: ignore[arg-type]
_INSERT_QUOTE = insert(QuoteRow.__table__)  # type: ignore[arg-type]
_INSERT_OBSERVATION = insert(WatchObservationRow.__table__)  # type: ignore[arg-type]
MAX_STORY_CANDIDATES = 5_000  # clippings in a new clipping's date window compared with it, at most


@dataclass(frozen=True)
class StoredClipping:
    """A clipping as read back from the store."""

    url: str
    outlet: str
    headline: str
    published_at: datetime | None
    language: str | None
    authors: tuple[str, ...]
    lede: str | None
    matched_terms: tuple[str, ...]
    mentions: tuple[Mention, ...]
    alias_urls: tuple[str, ...]
    first_seen_at: datetime
    body: str = field(repr=False)
    agency: str | None = None  # the wire agency of the story (AFP, Associated Press, Reuters...), when known
    counts: tuple[CountClaim, ...] = ()  # the numbers it claims, headline first, each with its `field`
    quotes: tuple[Quote, ...] = ()  # direct quotations in its body
    earlier_headlines: tuple[str, ...] = ()  # the headlines it had before, oldest first (updated articles)
    story_id: int | None = None  # its story: the original's id (its own for an original); None if stored before
    is_original: bool = True  # the story's original (the agency's own clipping, else the earliest)
    copies: tuple[tuple[str, str], ...] = ()  # (outlet, url) of the story's other clippings, earliest first

    def to_json(self) -> dict[str, Any]:
        """The public JSON record of this clipping."""
        return {
            "url": self.url,
            "outlet": self.outlet,
            "headline": self.headline,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "authors": list(self.authors),
            "lede": self.lede,
            "matched_terms": list(self.matched_terms),
            "first_seen_at": self.first_seen_at.isoformat(),
            "alias_urls": list(self.alias_urls),
            "agency": self.agency,
            "counts": [c.as_dict() for c in self.counts],
            "quotes": [q.as_dict() for q in self.quotes],
            "earlier_headlines": list(self.earlier_headlines),
            "story_id": self.story_id,
            "is_original": self.is_original,
        }


@dataclass(frozen=True)
class OutletSummary:
    """How many clippings one outlet has, over which days, in which languages."""

    name: str
    clippings: int
    first_date: date | None
    last_date: date | None
    languages: tuple[str, ...]


@dataclass(frozen=True)
class DayClaim:
    """The highest count of one kind that coverage printed on one UTC day, and who printed it first.

    `outlet`, `url` and `published_at` name the day's earliest clipping carrying that value; `first_*`
    the earliest clipping carrying it on any day. `first` is true when the day's outlet is the one
    that printed the value first.
    """

    day: date
    kind: str
    value: int
    qualifier: str
    unit: str
    span: str
    outlet: str
    url: str
    published_at: datetime
    first: bool
    first_outlet: str
    first_url: str
    first_published_at: datetime


@dataclass(frozen=True)
class DayWatch:
    """The highest value one watched counter showed on one UTC day, and when it was read."""

    day: date
    name: str
    value: int
    url: str
    observed_at: datetime
    kind: str | None = None  # what the counter counts, when the watch said


@dataclass(frozen=True)
class Timeline:
    """Claims over time: per day and kind the highest claim in coverage, per day and watch the highest reading."""

    claims: tuple[DayClaim, ...]
    watches: tuple[DayWatch, ...]

    @property
    def days(self) -> list[date]:
        """Every day with a claim or a reading, in order."""
        return sorted({c.day for c in self.claims} | {w.day for w in self.watches})


@dataclass(frozen=True)
class RunSummary:
    """One crawl run with its counters and errors by kind."""

    id: int
    campaign: str
    spiders: tuple[str, ...]
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    articles_seen: int
    relevant: int
    new_clippings: int
    updated_clippings: int
    dropped: int
    errors: dict[str, int]


class Store:
    """A clippings database: open with `Store.open(url)`, close with `close()` (or `with`)."""

    def __init__(self, engine: Engine, keep_bodies: bool = True):
        self.engine = engine
        self.keep_bodies = keep_bodies
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._outlet_ids: dict[str, int] = {}

    @classmethod
    def open(cls, url: str, migrate: bool = True, keep_bodies: bool = True) -> Store:
        """Connect and (by default) migrate; DatabaseUnavailable if the database is unreachable."""
        engine = make_engine(url)
        try:
            if migrate:
                upgrade(engine)
            else:
                check_connection(engine)
                _check_schema(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, keep_bodies=keep_bodies)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({mask_url(self.engine.url)!r})"

    # -- writes -------------------------------------------------------------------------------

    def sync_campaign(self, campaign: Campaign) -> None:
        """Insert or update the campaign's outlets and their sources (fetch state is kept)."""

        def work(session: Session) -> None:
            for outlet in campaign.outlets:
                values = {"domains": list(outlet.domains), "language": outlet.language}
                stmt = _insert(session, OutletRow).values(name=outlet.name, **values)
                session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=values))
                outlet_id = session.scalars(
                    select(OutletRow.id).where(OutletRow.name == outlet.name)
                ).one()
                for kind in ("feeds", "sitemaps", "sections", "urls"):
                    for url in getattr(outlet, kind):
                        stmt = _insert(session, SourceRow).values(
                            outlet_id=outlet_id, kind=kind, url=url, failures=0, items_found=0
                        )
                        session.execute(
                            stmt.on_conflict_do_update(
                                index_elements=["url"], set_={"outlet_id": outlet_id, "kind": kind}
                            )
                        )

        self._transact(work)

    def upsert_clipping(self, c: Clipping) -> str:
        """Store a clipping; "new", "updated" (its content changed) or "unchanged".

        The clipping is found by its canonical URL or any alias URL. An update replaces what
        differs (a missing value never erases a known one) and adds the new alias URLs;
        the stored canonical URL and first_seen_at never change.
        """
        urls = _url_spellings(c.url, c.alias_urls)
        return self._transact(lambda session: self._upsert(session, c, urls))

    def _upsert(self, session: Session, c: Clipping, urls: list[str]) -> str:
        body_hash = hashlib.sha256(c.body.encode("utf-8")).hexdigest()
        keys = _variant_keys(urls)
        known = select(ClippingUrlRow.clipping_id).where(
            or_(ClippingUrlRow.url.in_(urls), ClippingUrlRow.key.in_(keys))
        ).limit(1)
        if session.execute(known).first() is None:
            # A new clipping (the common case): plain INSERTs, no ORM unit of work (about 2x faster).
            # A concurrent insert of the same URL fails on the unique URL, and is retried.
            fp = stories.fingerprint(c.body) or None
            values = {
                "url": c.url, "outlet_id": self._outlet_id(session, c.outlet), "headline": c.headline,
                "lede": c.lede, "authors": list(c.authors), "published_at": c.published_at,
                "first_seen_at": c.fetched_at, "updated_at": c.fetched_at, "language": c.language,
                "body": c.body if self.keep_bodies else "", "body_hash": body_hash, "source_kind": c.source_kind,
                "agency": c.agency, "fingerprint": fp,
            }  # fmt: skip
            clipping_id = session.execute(_INSERT_CLIPPING, values).scalar_one()
            if c.mentions:
                rows = [{"clipping_id": clipping_id, **_mention_values(m)} for m in c.mentions]
                session.execute(_INSERT_MENTION, rows)
            if c.counts:
                session.execute(_INSERT_COUNT, [{"clipping_id": clipping_id, **_count_values(n)} for n in c.counts])
            if c.quotes:
                session.execute(_INSERT_QUOTE, [{"clipping_id": clipping_id, **_quote_values(q)} for q in c.quotes])
            _add_urls(session, clipping_id, urls)
            _join_story(session, clipping_id, fp, c.outlet, c.agency, c.published_at or c.fetched_at)
            return "new"
        row = _find_clipping(session, urls)
        assert row is not None
        before = row.headline
        grouped_by = (row.body_hash, row.published_at, row.agency)
        changed = _apply_changes(row, c, body_hash, self.keep_bodies)
        if row.headline != before:  # an updated article keeps the headline it had
            session.add(ClippingHeadlineRow(clipping_id=row.id, headline=before, replaced_at=as_utc(c.fetched_at)))
        if changed:
            row.updated_at = max(as_utc(c.fetched_at), row.updated_at)
        _add_urls(session, row.id, urls)
        if row.body_hash != grouped_by[0]:  # a new body: a new fingerprint, and its story decided again
            session.flush()
            old_story = row.story_id
            row.fingerprint = stories.fingerprint(c.body) or None
            session.flush()
            if old_story is not None:
                _settle_story(session, _story_members(session, {old_story}) - {row.id})
            _join_story(session, row.id, row.fingerprint, row.outlet.name, row.agency,
                        row.published_at or row.first_seen_at)
        elif (row.published_at, row.agency) != grouped_by[1:] and row.story_id is not None:
            session.flush()  # a new date or agency may change which clipping is the story's original
            _settle_story(session, _story_members(session, {row.story_id}))
        return "updated" if changed else "unchanged"

    def _outlet_id(self, session: Session, name: str) -> int:
        """The id of the outlet with this name, created (with no domains) if it is new."""
        if name not in self._outlet_ids:
            stmt = _insert(session, OutletRow).values(name=name, domains=[], language=None)
            session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
            self._outlet_ids[name] = session.scalars(
                select(OutletRow.id).where(OutletRow.name == name)
            ).one()
        return self._outlet_ids[name]

    def record_dropped(self, url: str, reason: str, outlet: str | None) -> None:
        """Remember a dropped page (by its canonical URL) so that it is not fetched again."""
        self.record_dropped_many([(url, reason, outlet)])

    def record_dropped_many(self, pages: Sequence[tuple[str, str, str | None]]) -> None:
        """Remember dropped pages, (url, reason, outlet) each, in one transaction."""
        now = utc_now()
        rows: dict[str, dict[str, str | None]] = {}  # one per canonical URL: the latest reason, a known outlet
        for url, reason, outlet in pages:
            key = _canonical_or_raw(url)
            rows[key] = {"reason": reason, "outlet": outlet or rows.get(key, {}).get("outlet")}
        if not rows:
            return

        values = [{"url": url, "key": variant_key_or_none(url), **row, "first_seen_at": now, "last_seen_at": now}
                  for url, row in rows.items()]

        def work(session: Session) -> None:
            stmt = _insert(session, DroppedPageRow)
            upsert = stmt.on_conflict_do_update(
                index_elements=["url"],
                set_={
                    "reason": stmt.excluded.reason,
                    "last_seen_at": stmt.excluded.last_seen_at,
                    "outlet": func.coalesce(stmt.excluded.outlet, DroppedPageRow.outlet),
                },
            )
            session.connection().execute(upsert, values)  # one cached statement, executemany

        self._transact(work)

    def start_run(self, campaign_name: str, spiders: Sequence[str]) -> int:
        """Open a crawl run and return its id."""

        def work(session: Session) -> int:
            run = CrawlRunRow(
                started_at=utc_now(), campaign=campaign_name, spiders=list(spiders),
                status="running", errors={},
            )
            session.add(run)
            session.flush()
            return run.id

        return self._transact(work)

    def add_run_counts(
        self, run_id: int, counts: dict[str, int], errors: dict[str, int] | None = None
    ) -> None:
        """Add to a run's counters and errors by kind, atomically (safe from several processes)."""
        unknown = set(counts) - set(RUN_COUNTERS)
        if unknown:
            raise ValueError(f"unknown run counters {sorted(unknown)}; known: {RUN_COUNTERS}")

        def work(session: Session) -> None:
            # Updating the row first takes its write lock, so the errors read below stay current.
            increments = {
                getattr(CrawlRunRow, name): getattr(CrawlRunRow, name) + int(n)
                for name, n in counts.items()
            } or {CrawlRunRow.status: CrawlRunRow.status}
            result = session.execute(
                _update_run().where(CrawlRunRow.id == run_id).values(increments)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise KeyError(f"no crawl run {run_id}")
            if errors:
                current = session.scalars(
                    select(CrawlRunRow.errors).where(CrawlRunRow.id == run_id)
                ).one()
                merged = dict(current or {})
                for kind, n in errors.items():
                    merged[kind] = merged.get(kind, 0) + int(n)
                session.execute(
                    _update_run().where(CrawlRunRow.id == run_id).values(errors=merged)
                )

        self._transact(work)

    def finish_run(self, run_id: int, status: str) -> None:
        """Close a crawl run with its final status ("finished", "failed", "interrupted"...)."""

        def work(session: Session) -> None:
            result = session.execute(
                _update_run()
                .where(CrawlRunRow.id == run_id)
                .values(status=status, finished_at=utc_now())
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise KeyError(f"no crawl run {run_id}")

        self._transact(work)

    def record_observation(self, obs: WatchObservation) -> None:
        """Store one reading of a watched counter (every reading, unchanged values included)."""
        if obs.status not in WATCH_STATUSES:
            raise ValueError(f"unknown watch status {obs.status!r}; known: {WATCH_STATUSES}")
        if obs.status == "found" and obs.value is None:
            raise ValueError(f"watch {obs.name!r}: a found counter needs its value")
        values = {
            "name": obs.name, "url": obs.url, "observed_at": obs.observed_at, "status": obs.status,
            "value": obs.value, "text": obs.text, "detail": obs.detail, "kind": obs.kind,
        }  # fmt: skip

        def work(session: Session) -> None:
            session.execute(_INSERT_OBSERVATION, values)

        self._transact(work)

    def _transact(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction, retrying when a concurrent writer won a race."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._write() as session, session.begin():
                    return work(session)
            except BaseException as exc:
                self._outlet_ids.clear()  # ids cached in a rolled-back transaction may not exist
                if attempt == WRITE_ATTEMPTS or not _is_race(exc):
                    raise
        raise AssertionError("unreachable")

    # -- reads --------------------------------------------------------------------------------

    def known_urls(self) -> set[str]:
        """Every URL that needs no fetching: clipping URLs, their aliases and dropped pages, and the
        variant keys of all of them (`clippings.urls.variant_key`: a spider checks a link's key too)."""
        with self._read() as session:
            known = set(session.scalars(select(ClippingUrlRow.url)))
            known.update(session.scalars(select(DroppedPageRow.url)))
            known.update(k for k in session.scalars(select(ClippingUrlRow.key)) if k)
            known.update(k for k in session.scalars(select(DroppedPageRow.key)) if k)
        return known

    def is_known(self, url: str) -> bool:
        """True if this URL (as written or canonicalised) leads to a clipping or a dropped page."""
        spellings = list(dict.fromkeys([url, _canonical_or_raw(url)]))
        keys = _variant_keys(spellings)
        stmt = select(
            or_(
                exists().where(or_(ClippingUrlRow.url.in_(spellings), ClippingUrlRow.key.in_(keys))),
                exists().where(or_(DroppedPageRow.url.in_(spellings), DroppedPageRow.key.in_(keys))),
            )
        )
        with self._read() as session:
            return bool(session.scalar(stmt))

    def get_run(self, run_id: int) -> RunSummary:
        """One crawl run; KeyError if there is none with this id."""
        with self._read() as session:
            run = session.get(CrawlRunRow, run_id)
            if run is None:
                raise KeyError(f"no crawl run {run_id}")
            return RunSummary(
                id=run.id,
                campaign=run.campaign,
                spiders=tuple(run.spiders or ()),
                status=run.status,
                started_at=run.started_at,
                finished_at=run.finished_at,
                errors=dict(run.errors or {}),
                **{name: getattr(run, name) for name in RUN_COUNTERS},
            )

    def query(
        self,
        outlet: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        lang: str | None = None,
        term: str | None = None,
        limit: int | None = None,
        all_copies: bool = True,
    ) -> list[StoredClipping]:
        """Clippings, newest first, filtered by outlet, days (inclusive), language and term.

        Dates are UTC days: `until=date(2024, 11, 6)` includes all of 6 November. A clipping
        without a publication date is dated by when it was first seen. `term` matches a
        matched term (any case) or text in the headline or lede.

        Every clipping carries its story (`story_id`, `is_original`) and `copies`, the story's other
        clippings. `all_copies=False` returns each story (syndicated copies, `clippings.stories`) once:
        its original when the original matches the filters, else its newest matching copy (what
        `clippings query` shows by default). The default returns every clipping, as exports, the
        timeline and the clip book's table want; the roundup groups them by story itself.
        """
        order = (ClippingRow.published_at.desc().nulls_last(), ClippingRow.first_seen_at.desc(), ClippingRow.id.desc())
        stmt = (
            select(ClippingRow)
            .join(ClippingRow.outlet)
            .options(
                contains_eager(ClippingRow.outlet),
                selectinload(ClippingRow.mentions),
                selectinload(ClippingRow.urls),
                selectinload(ClippingRow.counts),
                selectinload(ClippingRow.quotes),
                selectinload(ClippingRow.headlines),
            )
            .order_by(*order)
        )
        story = func.coalesce(ClippingRow.story_id, ClippingRow.id)
        with self._read() as session:
            if not all_copies:  # one clipping per story, chosen on the ids first, then loaded
                keys = self._filtered(
                    select(ClippingRow.id, story, ClippingRow.is_original).join(ClippingRow.outlet).order_by(*order),
                    outlet, since, until, lang, term)
                found = session.execute(keys).all()
                shown: dict[int, int] = {}
                for clipping_id, story_id, is_original in found:
                    if story_id not in shown or (is_original and clipping_id == story_id):
                        shown[story_id] = clipping_id
                chosen = [i for i, s, _ in found if shown[s] == i][:limit]
                stmt = stmt.where(ClippingRow.id.in_(chosen))
            else:
                stmt = self._filtered(stmt, outlet, since, until, lang, term)
                if limit is not None:
                    stmt = stmt.limit(limit)
            rows = list(session.scalars(stmt))
            members: dict[int, list[tuple[int, str, str]]] = {}  # story -> (id, outlet, url), earliest first
            if rows:
                in_stories = (
                    select(story, ClippingRow.id, OutletRow.name, ClippingRow.url)
                    .join(ClippingRow.outlet)
                    .where(story.in_({r.story_id or r.id for r in rows}))
                    .order_by(func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at), ClippingRow.id)
                )
                for story_id, clipping_id, name, url in session.execute(in_stories):
                    members.setdefault(story_id, []).append((clipping_id, name, url))
            out = []
            for r in rows:
                others = members.get(r.story_id or r.id, [])
                out.append(replace(_stored(r), copies=tuple((n, u) for i, n, u in others if i != r.id)))
            return out

    @staticmethod
    def _filtered(stmt: Any, outlet: str | None, since: date | datetime | None, until: date | datetime | None,
                  lang: str | None, term: str | None) -> Any:
        """`stmt` (over clippings joined to their outlet) with `query`'s filters."""
        when = func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at)
        if outlet:
            stmt = stmt.where(func.lower(OutletRow.name) == outlet.strip().lower())
        stmt = _in_days(stmt, when, since, until)
        if lang:
            stmt = stmt.where(func.lower(ClippingRow.language) == lang.strip().lower())
        if term and term.strip():
            wanted = term.strip()
            stmt = stmt.where(
                or_(
                    exists().where(
                        MentionRow.clipping_id == ClippingRow.id,
                        func.lower(MentionRow.term) == wanted.lower(),
                    ),
                    ClippingRow.headline.icontains(wanted, autoescape=True),
                    ClippingRow.lede.icontains(wanted, autoescape=True),
                )
            )
        return stmt

    def outlet_summary(self) -> list[OutletSummary]:
        """Per outlet (those with no clippings too): clippings, first and last day, languages."""
        when = func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at)
        counts = (
            select(
                OutletRow.id,
                OutletRow.name,
                func.count(ClippingRow.id),
                func.min(when),
                func.max(when),
            )
            .outerjoin(ClippingRow, ClippingRow.outlet_id == OutletRow.id)
            .group_by(OutletRow.id, OutletRow.name)
            .order_by(OutletRow.name)
        )
        languages = (
            select(ClippingRow.outlet_id, ClippingRow.language)
            .where(ClippingRow.language.is_not(None))
            .distinct()
        )
        with self._read() as session:
            by_outlet: dict[int, set[str]] = {}
            for outlet_id, language in session.execute(languages):
                if language:
                    by_outlet.setdefault(outlet_id, set()).add(language)
            return [
                OutletSummary(
                    name=name,
                    clippings=n,
                    first_date=_utc_date(first),
                    last_date=_utc_date(last),
                    languages=tuple(sorted(by_outlet.get(outlet_id, ()))),
                )
                for outlet_id, name, n, first, last in session.execute(counts)
            ]

    def observations(
        self, name: str | None = None, since: date | datetime | None = None
    ) -> list[WatchObservation]:
        """Readings of watched counters, oldest first (then by name): one watch's, and from a day or time on."""
        stmt = select(WatchObservationRow).order_by(
            WatchObservationRow.observed_at, WatchObservationRow.name, WatchObservationRow.id
        )
        if name is not None:
            stmt = stmt.where(WatchObservationRow.name == name)
        if since is not None:
            stmt = stmt.where(WatchObservationRow.observed_at >= _day_start(since))
        with self._read() as session:
            return [
                WatchObservation(
                    name=r.name, url=r.url, observed_at=r.observed_at, status=r.status, value=r.value,
                    text=r.text, detail=r.detail, kind=r.kind,
                )
                for r in session.scalars(stmt)
            ]

    def timeline(
        self,
        kind: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        outlet: str | None = None,
    ) -> Timeline:
        """Per UTC day: the highest claim of each kind in coverage, and the highest reading of each watch.

        A clipping is dated by its publication time, else by when it was first seen; the days and
        `since`/`until` (inclusive days, as in `query`) are UTC. Among clippings carrying the day's
        highest value the earliest names the outlet (and its claim in numerals, "more than 200
        events", rather than "hundreds" = 200); who printed a value first is looked up over all
        days, not only those asked for. Watched counters count only readings that found the counter;
        with `kind`, those of that kind and those whose kind is unknown. With `outlet`, only that
        outlet's clippings count (who printed a value first too).
        """
        when = func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at).label("dated")
        claims = (
            select(CountClaimRow.kind, CountClaimRow.value, CountClaimRow.qualifier, CountClaimRow.unit,
                   CountClaimRow.span, OutletRow.name, ClippingRow.url, when)
            .join(ClippingRow, CountClaimRow.clipping_id == ClippingRow.id)
            .join(OutletRow, ClippingRow.outlet_id == OutletRow.id)
            .order_by(when, ClippingRow.id, CountClaimRow.id)
        )  # fmt: skip
        if kind:
            claims = claims.where(CountClaimRow.kind == kind)
        if outlet:  # one outlet's claims (and who printed them first among its own clippings)
            claims = claims.where(func.lower(OutletRow.name) == outlet.strip().lower())
        windowed = _in_days(claims, when, since, until)
        readings = select(WatchObservationRow).where(
            WatchObservationRow.status == "found", WatchObservationRow.value.is_not(None)
        ).order_by(WatchObservationRow.observed_at, WatchObservationRow.id)
        if kind:
            readings = readings.where(or_(WatchObservationRow.kind == kind, WatchObservationRow.kind.is_(None)))
        readings = _in_days(readings, WatchObservationRow.observed_at, since, until)
        with self._read() as session:
            best: dict[tuple[date, str], Any] = {}
            for row in session.execute(windowed):
                key = (as_utc(row.dated).date(), row.kind)
                held = best.get(key)
                # Ties: the earliest clipping stays; within one clipping a numeral beats a vague word.
                if held is None or row.value > held.value or (
                    row.value == held.value and row.url == held.url and held.qualifier == "approx" != row.qualifier
                ):
                    best[key] = row
            wanted = {(row.kind, row.value) for row in best.values()}
            firsts: dict[tuple[str, int], Any] = {}
            if wanted:
                earliest = claims.where(
                    CountClaimRow.kind.in_({k for k, _ in wanted}), CountClaimRow.value.in_({v for _, v in wanted})
                )
                for row in session.execute(earliest):
                    firsts.setdefault((row.kind, row.value), row)
            watches: dict[tuple[date, str], WatchObservationRow] = {}
            for obs in session.scalars(readings):
                wkey = (as_utc(obs.observed_at).date(), obs.name)
                if wkey not in watches or (obs.value or 0) > (watches[wkey].value or 0):
                    watches[wkey] = obs
        day_claims = []
        for (day, claim_kind), row in sorted(best.items()):
            first = firsts[(row.kind, row.value)]
            day_claims.append(DayClaim(
                day=day, kind=claim_kind, value=row.value, qualifier=row.qualifier, unit=row.unit, span=row.span,
                outlet=row.name, url=row.url, published_at=as_utc(row.dated), first=row.name == first.name,
                first_outlet=first.name, first_url=first.url, first_published_at=as_utc(first.dated),
            ))  # fmt: skip
        day_watches = [
            DayWatch(day=day, name=name, value=obs.value or 0, url=obs.url, observed_at=obs.observed_at,
                     kind=obs.kind)
            for (day, name), obs in sorted(watches.items())
        ]
        return Timeline(claims=tuple(day_claims), watches=tuple(day_watches))


_DAY = timedelta(days=1)


def _in_days(stmt: Any, when: Any, since: date | datetime | None, until: date | datetime | None) -> Any:
    """`stmt` limited to `when` from `since` to `until` (whole UTC days, inclusive, for dates)."""
    if since is not None:
        stmt = stmt.where(when >= _day_start(since))
    if until is not None:
        stmt = stmt.where(when <= as_utc(until) if isinstance(until, datetime) else when < _day_start(until + _DAY))
    return stmt


def _update_run() -> Any:
    """An UPDATE of crawl_runs that leaves loaded objects alone (no session sync needed)."""
    return update(CrawlRunRow).execution_options(synchronize_session=False)


def _check_schema(engine: Engine) -> None:
    """Fail clearly when an unmigrated (or newer) database is opened without migrating."""
    found, wanted = current_revision(engine), SCHEMA_REVISION
    if found != wanted:
        raise StoreError(
            f"the database {mask_url(engine.url)} is at schema {found or 'none'}, "
            f"this clippings needs {wanted}: open it with migrations on"
        )


def _insert(session: Session, model: type[Any]) -> Any:
    """A dialect-specific INSERT that knows ON CONFLICT (SQLite and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def _is_race(exc: BaseException) -> bool:
    """True for errors that a retry of the whole transaction can get past."""
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, OperationalError) and (
        getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES
    )


def _canonical_or_raw(url: str) -> str:
    try:
        return canonicalize(url)
    except ValueError:
        return url


def _url_spellings(url: str, aliases: Iterable[str]) -> list[str]:
    """The canonical URL first, then each alias as written and canonicalised, without repeats."""
    spellings = [url]
    for alias in aliases:
        spellings += [alias, _canonical_or_raw(alias)]
    return list(dict.fromkeys(u for u in spellings if u))


def _find_clipping(session: Session, urls: list[str]) -> ClippingRow | None:
    """The clipping reached by any of these URLs, preferring the one whose canonical URL matches."""
    rows = session.scalars(
        select(ClippingRow)
        .join(ClippingUrlRow, ClippingUrlRow.clipping_id == ClippingRow.id)
        .where(or_(ClippingUrlRow.url.in_(urls), ClippingUrlRow.key.in_(_variant_keys(urls))))
        .options(
            selectinload(ClippingRow.mentions),
            selectinload(ClippingRow.counts),
            selectinload(ClippingRow.quotes),
        )
        .order_by(ClippingRow.id)
    ).all()
    if not rows:
        return None
    return next((r for r in rows if r.url == urls[0]), rows[0])


def _add_urls(session: Session, clipping_id: int, urls: list[str]) -> None:
    """Link URLs (with their variant keys) to a clipping; a URL that already leads to a clipping keeps its link."""
    stmt = _insert(session, ClippingUrlRow).on_conflict_do_nothing(index_elements=["url"])
    session.execute(stmt, [{"url": u, "clipping_id": clipping_id, "key": variant_key_or_none(u)} for u in urls])


def _variant_keys(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(k for k in map(variant_key_or_none, urls) if k))


def _apply_changes(row: ClippingRow, c: Clipping, body_hash: str, keep_bodies: bool) -> bool:
    """Copy what differs from the clipping onto the row; True if anything changed.

    Count claims and quotes are read from the text, so they follow it: when the headline, lede
    or body changes they are replaced by the clipping's (an empty list included: offsets into
    the old text mean nothing in the new one); otherwise they stay, except that a clipping
    stored without any (before they were extracted, or when extraction failed) takes the new ones.
    """
    changed = text_changed = False
    wanted: dict[str, Any] = {"headline": c.headline or None, "lede": c.lede,
                              "authors": list(c.authors) or None, "language": c.language,
                              "published_at": c.published_at and as_utc(c.published_at), "agency": c.agency}
    for name, value in wanted.items():
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
            text_changed = text_changed or name in ("headline", "lede")
    if c.body and row.body_hash != body_hash:
        row.body_hash, row.body = body_hash, c.body if keep_bodies else ""
        changed = text_changed = True
    new_mentions = [_mention_key(m) for m in c.mentions]
    if new_mentions and new_mentions != [_row_mention_key(m) for m in row.mentions]:
        row.mentions = [_mention_row(m) for m in c.mentions]
        changed = True
    new_counts = [_count_key(n) for n in c.counts]
    if (text_changed or not row.counts) and new_counts != [_count_key(n) for n in row.counts]:
        row.counts = [CountClaimRow(**_count_values(n)) for n in c.counts]
        changed = True
    new_quotes = [_quote_key(q) for q in c.quotes]
    if (text_changed or not row.quotes) and new_quotes != [_quote_key(q) for q in row.quotes]:
        row.quotes = [QuoteRow(**_quote_values(q)) for q in c.quotes]
        changed = True
    return changed


def _mention_values(m: Mention) -> dict[str, Any]:
    return {"term": m.term, "kind": m.kind, "field": m.field, "start": m.start, "end": m.end, "text": m.text}


def _mention_row(m: Mention) -> MentionRow:
    return MentionRow(**_mention_values(m))


def _mention_key(m: Mention) -> tuple[str, str, str, int, int, str]:
    return (m.term, m.kind, m.field, m.start, m.end, m.text)


def _row_mention_key(m: MentionRow) -> tuple[str, str, str, int, int, str]:
    return (m.term, m.kind, m.field, m.start, m.end, m.text)


_COUNT_COLUMNS = ("field", "value", "low", "high", "qualifier", "unit", "kind", "span", "start")
_QUOTE_COLUMNS = ("text", "speaker", "person", "start", "end")


def _count_values(n: CountClaim) -> dict[str, Any]:
    return {name: getattr(n, name) for name in _COUNT_COLUMNS}


def _count_key(n: CountClaim | CountClaimRow) -> tuple[Any, ...]:
    return tuple(getattr(n, name) for name in _COUNT_COLUMNS)



def _count_claim(n: CountClaimRow) -> CountClaim:
    return CountClaim(**{name: getattr(n, name) for name in _COUNT_COLUMNS})


def _quote_values(q: Quote) -> dict[str, Any]:
    return {name: getattr(q, name) for name in _QUOTE_COLUMNS}


def _quote_key(q: Quote | QuoteRow) -> tuple[Any, ...]:
    return tuple(getattr(q, name) for name in _QUOTE_COLUMNS)



def _stored(row: ClippingRow) -> StoredClipping:
    mentions = tuple(
        Mention(term=m.term, kind=m.kind, field=m.field, start=m.start, end=m.end, text=m.text)
        for m in row.mentions
    )
    return StoredClipping(
        url=row.url,
        outlet=row.outlet.name,
        headline=row.headline,
        published_at=row.published_at,
        language=row.language,
        authors=tuple(row.authors or ()),
        lede=row.lede,
        matched_terms=tuple(dict.fromkeys(m.term for m in mentions)),
        mentions=mentions,
        alias_urls=tuple(u.url for u in row.urls if u.url != row.url),
        first_seen_at=row.first_seen_at,
        body=row.body,
        agency=row.agency,
        counts=tuple(_count_claim(n) for n in row.counts),
        quotes=tuple(Quote(**{name: getattr(q, name) for name in _QUOTE_COLUMNS}) for q in row.quotes),
        earlier_headlines=tuple(h.headline for h in sorted(row.headlines, key=lambda h: (h.replaced_at, h.id))),
        story_id=row.story_id,  # None: stored before story groups (the roundup groups those by headline)
        is_original=bool(row.is_original) if row.story_id is not None else True,
    )


def _join_story(session: Session, clipping_id: int, fp: str | None, outlet: str, agency: str | None,
                when: datetime) -> None:
    """Put a clipping in its story: the groups of the clippings in its date window that are the same
    story (`stories.same_story`), merged, or a story of its own; then settle the story's original."""
    sig = stories.decode(fp)
    joined: set[int] = set()
    if sig is not None:
        dated = func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at)
        window = timedelta(days=stories.WINDOW_DAYS)
        candidates = session.execute(
            select(ClippingRow.id, ClippingRow.story_id, ClippingRow.fingerprint, OutletRow.name, ClippingRow.agency)
            .join(OutletRow, ClippingRow.outlet_id == OutletRow.id)
            .where(ClippingRow.fingerprint.is_not(None), ClippingRow.id != clipping_id,
                   dated >= as_utc(when) - window, dated <= as_utc(when) + window)
            .order_by(ClippingRow.id.desc())
            .limit(MAX_STORY_CANDIDATES)
        ).all()
        me = stories.StoryText(fp, outlet, agency)
        scores = stories.similarities_to(sig, [r.fingerprint for r in candidates])
        for i in np.flatnonzero(scores >= min(stories.THRESHOLD, stories.AGENCY_THRESHOLD)):  # the few close ones
            r = candidates[int(i)]
            if stories.decide(float(scores[i]), stories.agency_relation(me, stories.StoryText(None, r.name, r.agency))):
                joined.add(r.story_id or r.id)
    if not joined:  # the common case: a story of its own, one UPDATE
        session.execute(update(ClippingRow).where(ClippingRow.id == clipping_id)
                        .values(story_id=clipping_id, is_original=True)
                        .execution_options(synchronize_session="fetch"))
        return
    _settle_story(session, _story_members(session, joined) | {clipping_id})


def _story_members(session: Session, story_ids: set[int]) -> set[int]:
    """The ids of every clipping in these stories."""
    if not story_ids:
        return set()
    return set(session.scalars(select(ClippingRow.id).where(
        or_(ClippingRow.story_id.in_(story_ids), ClippingRow.id.in_(story_ids)))))


def _settle_story(session: Session, member_ids: set[int]) -> None:
    """Make these clippings one story: the original is the agency's own clipping (its outlet is the
    agency a member credits; the earliest such), else the earliest (by publication, else first seen,
    then id); every member's story_id and is_original are written."""
    if not member_ids:
        return
    rows = session.execute(
        select(ClippingRow.id, OutletRow.name, ClippingRow.agency,
               func.coalesce(ClippingRow.published_at, ClippingRow.first_seen_at).label("dated"))
        .join(OutletRow, ClippingRow.outlet_id == OutletRow.id)
        .where(ClippingRow.id.in_(member_ids))
    ).all()
    credited = {stories.folded(r.agency) for r in rows if r.agency}
    by_time = sorted(rows, key=lambda r: (as_utc(r.dated), r.id))
    own = [r for r in by_time if stories.folded(r.name) in credited]
    original = (own or by_time)[0].id
    session.execute(
        update(ClippingRow).where(ClippingRow.id.in_(member_ids))
        .values(story_id=original, is_original=ClippingRow.id == original)
        .execution_options(synchronize_session="fetch")
    )


def _day_start(value: date | datetime) -> datetime:
    """A datetime as aware UTC; a date as the start of that UTC day."""
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _utc_date(value: datetime | None) -> date | None:
    return None if value is None else as_utc(value).date()

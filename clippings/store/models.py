"""SQLAlchemy 2 typed models: the store's schema, mirrored exactly by the Alembic migrations.

Every timestamp is stored as timezone-aware UTC and read back timezone-aware UTC, on SQLite too
(`UtcDateTime`). Constraint and index names follow one naming convention, so the migrations can
name them and a later migration can drop them on any database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SOURCE_KINDS = ("feeds", "sitemaps", "sections", "urls")
RUN_COUNTERS = (
    "pages_fetched",
    "articles_seen",
    "relevant",
    "new_clippings",
    "updated_clippings",
    "dropped",
)


def as_utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime; a naive value is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps `timestamp with time zone`; SQLite, which has no time zones, keeps the naive
    UTC wall time, whose text sorts and compares in time order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = as_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """The declarative base of every table in the store."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime()}


class OutletRow(Base):
    """A news outlet named by a campaign (or met first through a clipping)."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(8))

    sources: Mapped[list[SourceRow]] = relationship(back_populates="outlet")


class SourceRow(Base):
    """A feed, sitemap, section page or URL list of an outlet, with its fetch state."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("kind IN ('feeds', 'sitemaps', 'sections', 'urls')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text, unique=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_fetched_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_new_item_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    items_found: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # poll state and health (migration 0004)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)  # the current poll interval
    next_due_at: Mapped[datetime | None]  # when the source should be polled next
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    failing_since: Mapped[datetime | None]  # the first failure of the current streak
    last_failure_kind: Mapped[str | None] = mapped_column(String(32))
    failures_by_kind: Mapped[dict[str, int] | None] = mapped_column(JSON)
    polls: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    unchanged_polls: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_entries_at: Mapped[datetime | None]  # the last poll that returned any entry
    last_status: Mapped[str | None] = mapped_column(String(32))  # "new", "no_new", "unchanged", "failed"

    outlet: Mapped[OutletRow] = relationship(back_populates="sources")


class ClippingRow(Base):
    """A relevant article, one row per story; `url` is its canonical URL."""

    __tablename__ = "clippings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    outlet_id: Mapped[int] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), index=True
    )
    headline: Mapped[str] = mapped_column(Text)
    lede: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    language: Mapped[str | None] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text, default="")
    body_hash: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str | None] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(100))  # the wire agency of the story, when known
    # story groups of syndicated copies (migration 0004): the original's id; its own for an original
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    is_original: Mapped[bool] = mapped_column(default=True, server_default=true())
    fingerprint: Mapped[str | None] = mapped_column(Text)  # the body's near-duplicate signature (clippings.stories)

    outlet: Mapped[OutletRow] = relationship()
    urls: Mapped[list[ClippingUrlRow]] = relationship(
        back_populates="clipping",
        order_by="ClippingUrlRow.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    mentions: Mapped[list[MentionRow]] = relationship(
        back_populates="clipping",
        order_by="MentionRow.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    counts: Mapped[list[CountClaimRow]] = relationship(
        back_populates="clipping",
        order_by="CountClaimRow.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    quotes: Mapped[list[QuoteRow]] = relationship(
        back_populates="clipping",
        order_by="QuoteRow.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    headlines: Mapped[list[ClippingHeadlineRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ClippingHeadlineRow.id"
    )


class ClippingHeadlineRow(Base):
    """A headline a clipping had before its current one (an updated article keeps its history)."""

    __tablename__ = "clipping_headlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clipping_id: Mapped[int] = mapped_column(ForeignKey("clippings.id", ondelete="CASCADE"), index=True)
    headline: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime]


class ClippingUrlRow(Base):
    """One URL that leads to a clipping: its canonical URL and every alias seen."""

    __tablename__ = "clipping_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    clipping_id: Mapped[int] = mapped_column(
        ForeignKey("clippings.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str | None] = mapped_column(Text, index=True)  # clippings.urls.variant_key(url) (migration 0005)

    clipping: Mapped[ClippingRow] = relationship(back_populates="urls")


class MentionRow(Base):
    """One place where a clipping names a tracked term."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clipping_id: Mapped[int] = mapped_column(
        ForeignKey("clippings.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    clipping: Mapped[ClippingRow] = relationship(back_populates="mentions")


class CountClaimRow(Base):
    """One number a clipping claims ("more than 370 events"), with the field it was read from."""

    __tablename__ = "count_claims"
    __table_args__ = (Index("ix_count_claims_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clipping_id: Mapped[int] = mapped_column(
        ForeignKey("clippings.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(16))  # "headline", "lede" or "body"
    value: Mapped[int] = mapped_column(BigInteger)
    low: Mapped[int | None] = mapped_column(BigInteger)
    high: Mapped[int | None] = mapped_column(BigInteger)
    qualifier: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    span: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)

    clipping: Mapped[ClippingRow] = relationship(back_populates="counts")


class QuoteRow(Base):
    """One direct quotation in a clipping's body and who said it."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clipping_id: Mapped[int] = mapped_column(
        ForeignKey("clippings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(Text)
    person: Mapped[str | None] = mapped_column(Text)  # the campaign's person, as the campaign file spells it
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    clipping: Mapped[ClippingRow] = relationship(back_populates="quotes")


class WatchObservationRow(Base):
    """One reading of a watched counter page at one crawl (found, missing or not fetched)."""

    __tablename__ = "watch_observations"
    __table_args__ = (
        CheckConstraint("status IN ('found', 'missing', 'error')", name="status"),
        Index("ix_watch_observations_name_observed_at", "name", "observed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    observed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    value: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))  # what the counter counts (COUNT_KINDS), when known


class DroppedPageRow(Base):
    """A page fetched and dropped (not an article, not relevant...): counted, never refetched."""

    __tablename__ = "dropped_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    key: Mapped[str | None] = mapped_column(Text, index=True)  # clippings.urls.variant_key(url) (migration 0005)
    reason: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str | None] = mapped_column(String(200))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class CrawlRunRow(Base):
    """One crawl: when, what, how it went; counters are incremented by every crawl process."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    campaign: Mapped[str] = mapped_column(Text)
    spiders: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(64), default="running")
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    articles_seen: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    relevant: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    new_clippings: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    updated_clippings: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    dropped: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    errors: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

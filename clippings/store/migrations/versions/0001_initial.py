"""The first schema: outlets, sources, clippings with their URLs and mentions, dropped pages, runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool) -> sa.Column:
    """A timezone-aware timestamp column (models.UtcDateTime keeps it UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _counter(name: str) -> sa.Column:
    """A non-negative integer counter starting at 0."""
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outlets")),
        sa.UniqueConstraint("name", name=op.f("uq_outlets_name")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body_hash", sa.String(length=64), nullable=True),
        _utc("last_fetched_at", nullable=True),
        _utc("last_success_at", nullable=True),
        _utc("last_new_item_at", nullable=True),
        _counter("failures"),
        _counter("items_found"),
        sa.CheckConstraint(
            "kind IN ('feeds', 'sitemaps', 'sections', 'urls')", name=op.f("ck_sources_kind")
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name=op.f("fk_sources_outlet_id_outlets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("url", name=op.f("uq_sources_url")),
    )
    op.create_index(op.f("ix_sources_outlet_id"), "sources", ["outlet_id"])
    op.create_table(
        "clippings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("lede", sa.Text(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        _utc("published_at", nullable=True),
        _utc("first_seen_at", nullable=False),
        _utc("updated_at", nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name=op.f("fk_clippings_outlet_id_outlets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clippings")),
        sa.UniqueConstraint("url", name=op.f("uq_clippings_url")),
    )
    op.create_index(op.f("ix_clippings_outlet_id"), "clippings", ["outlet_id"])
    op.create_index(op.f("ix_clippings_published_at"), "clippings", ["published_at"])
    op.create_table(
        "clipping_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("clipping_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clipping_id"], ["clippings.id"], name=op.f("fk_clipping_urls_clipping_id_clippings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clipping_urls")),
        sa.UniqueConstraint("url", name=op.f("uq_clipping_urls_url")),
    )
    op.create_index(op.f("ix_clipping_urls_clipping_id"), "clipping_urls", ["clipping_id"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clipping_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clipping_id"], ["clippings.id"], name=op.f("fk_mentions_clipping_id_clippings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
    )
    op.create_index(op.f("ix_mentions_clipping_id"), "mentions", ["clipping_id"])
    op.create_table(
        "dropped_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        _utc("first_seen_at", nullable=False),
        _utc("last_seen_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dropped_pages")),
        sa.UniqueConstraint("url", name=op.f("uq_dropped_pages_url")),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        _utc("started_at", nullable=False),
        _utc("finished_at", nullable=True),
        sa.Column("campaign", sa.Text(), nullable=False),
        sa.Column("spiders", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        _counter("pages_fetched"),
        _counter("articles_seen"),
        _counter("relevant"),
        _counter("new_clippings"),
        _counter("updated_clippings"),
        _counter("dropped"),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_table("dropped_pages")
    op.drop_index(op.f("ix_mentions_clipping_id"), table_name="mentions")
    op.drop_table("mentions")
    op.drop_index(op.f("ix_clipping_urls_clipping_id"), table_name="clipping_urls")
    op.drop_table("clipping_urls")
    op.drop_index(op.f("ix_clippings_published_at"), table_name="clippings")
    op.drop_index(op.f("ix_clippings_outlet_id"), table_name="clippings")
    op.drop_table("clippings")
    op.drop_index(op.f("ix_sources_outlet_id"), table_name="sources")
    op.drop_table("sources")
    op.drop_table("outlets")

"""Issue 6's schema: each source's poll state and health, story groups of syndicated copies, and the
earlier headlines of updated clippings.

sources: the poll interval and when the source is next due, the current failure streak (count, first
failure, last kind) and failures by kind over its life, polls and unchanged polls, when it last
returned any entry, and its last status.
clippings: `story_id` (the id of the story's original clipping; its own id for an original) and
`is_original`, and `fingerprint` (the body's near-duplicate signature, text; clippings.stories).
clipping_headlines: every headline a clipping had before its current one, with when it changed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("interval_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_failure_kind", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("failures_by_kind", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("polls", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("unchanged_polls", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_entries_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_status", sa.String(length=32), nullable=True))
    # plain ADD COLUMNs, never a batch: on SQLite a batch rebuilds the table, and dropping the old one
    # would cascade to clipping_urls, mentions and claims
    op.add_column("clippings", sa.Column("story_id", sa.Integer(), nullable=True))
    op.add_column("clippings", sa.Column("is_original", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("clippings", sa.Column("fingerprint", sa.Text(), nullable=True))
    op.create_index("ix_clippings_story_id", "clippings", ["story_id"])
    op.create_table(
        "clipping_headlines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clipping_id", sa.Integer(), sa.ForeignKey("clippings.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("clipping_headlines")
    op.drop_index("ix_clippings_story_id", table_name="clippings")
    for name in ("fingerprint", "is_original", "story_id"):  # ALTER TABLE DROP COLUMN (SQLite 3.35+), no rebuild
        op.drop_column("clippings", name)
    with op.batch_alter_table("sources") as batch:
        for name in ("last_status", "last_entries_at", "unchanged_polls", "polls", "failures_by_kind",
                     "last_failure_kind", "failing_since", "consecutive_failures", "next_due_at",
                     "interval_seconds"):
            batch.drop_column(name)

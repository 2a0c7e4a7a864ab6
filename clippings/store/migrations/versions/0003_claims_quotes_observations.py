"""Count claims and quotes found in clippings, and readings of watched counters (issue 4).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "count_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clipping_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=True),
        sa.Column("high", sa.BigInteger(), nullable=True),
        sa.Column("qualifier", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("span", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clipping_id"], ["clippings.id"], name=op.f("fk_count_claims_clipping_id_clippings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_claims")),
    )
    op.create_index(op.f("ix_count_claims_clipping_id"), "count_claims", ["clipping_id"])
    op.create_index("ix_count_claims_kind_value", "count_claims", ["kind", "value"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clipping_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clipping_id"], ["clippings.id"], name=op.f("fk_quotes_clipping_id_clippings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    op.create_index(op.f("ix_quotes_clipping_id"), "quotes", ["clipping_id"])
    op.create_table(
        "watch_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "status IN ('found', 'missing', 'error')", name=op.f("ck_watch_observations_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_observations")),
    )
    op.create_index("ix_watch_observations_name_observed_at", "watch_observations", ["name", "observed_at"])


def downgrade() -> None:
    op.drop_index("ix_watch_observations_name_observed_at", table_name="watch_observations")
    op.drop_table("watch_observations")
    op.drop_index(op.f("ix_quotes_clipping_id"), table_name="quotes")
    op.drop_table("quotes")
    op.drop_index("ix_count_claims_kind_value", table_name="count_claims")
    op.drop_index(op.f("ix_count_claims_clipping_id"), table_name="count_claims")
    op.drop_table("count_claims")

"""Clippings remember the wire agency their story comes from (AFP, AP, Reuters...), when known.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clippings") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clippings") as batch:
        batch.drop_column("agency")

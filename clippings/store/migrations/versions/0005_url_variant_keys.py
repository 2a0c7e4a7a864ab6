"""Every URL that leads to a clipping, and every dropped page, keeps its variant key
(`clippings.urls.variant_key`: www/m/amp hosts, AMP spellings and trailing slashes folded), so
that another spelling of a known article is recognised before it is fetched again. Existing rows
get their key here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = ("clipping_urls", "dropped_pages")


def _key(url: str) -> str | None:
    from clippings.urls import variant_key

    try:
        return variant_key(url)
    except ValueError:
        return None


def upgrade() -> None:
    conn = op.get_bind()
    for table in _TABLES:
        op.add_column(table, sa.Column("key", sa.Text(), nullable=True))  # plain ADD COLUMN: no rebuild
        rows = conn.execute(sa.text(f"SELECT id, url FROM {table}")).all()
        updates = [{"id": row_id, "key": _key(url)} for row_id, url in rows]
        if updates:
            conn.execute(sa.text(f"UPDATE {table} SET key = :key WHERE id = :id"), updates)
        op.create_index(f"ix_{table}_key", table, ["key"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_key", table_name=table)
        op.drop_column(table, "key")

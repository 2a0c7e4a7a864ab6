"""Alembic environment, configured in code: `clippings.store.db.upgrade` passes the connection."""

from __future__ import annotations

from alembic import context

from clippings.store.db import make_engine, resolve_db_url, writer
from clippings.store.models import Base

target_metadata = Base.metadata


def run_offline() -> None:
    """Emit the migration SQL for the configured (or default) database URL."""
    url = context.config.get_main_option("sqlalchemy.url") or resolve_db_url(None)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate through the connection given in the config's attributes, or open one."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or resolve_db_url(None)
    engine = make_engine(url)
    try:
        with writer(engine).begin() as conn:
            _migrate(conn)
    finally:
        engine.dispose()


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

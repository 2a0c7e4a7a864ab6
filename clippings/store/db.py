"""Which database, how to connect to it, and bringing its schema to the latest migration.

SQLite (the default, `sqlite:///clippings.db` in the working directory) runs in WAL mode with a
30 s busy timeout and foreign keys on; write transactions start with `BEGIN IMMEDIATE`, so several
crawl processes can write to one file. PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DB_URL = "sqlite:///clippings.db"
ENV_VAR = "CLIPPINGS_DB"
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10
MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration in MIGRATIONS (a test checks it against Alembic's own answer). Opening a
# database already at this schema never imports Alembic: ~75 ms and ~11 MB less per process.
SCHEMA_REVISION = "0005"
WRITE_OPTION = "clippings_write"  # execution option: this connection's transactions will write
_MIGRATION_LOCK_KEY = 0x636C6970  # "clip": a PostgreSQL advisory lock serialising migrations
_SECRET_IN_URL_RE = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


class StoreError(Exception):
    """A problem with the store that the CLI reports as a one-line error."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached or opened; the message masks the URL's password."""


def resolve_db_url(cli_value: str | None) -> str:
    """The database URL: the `--db` value, else $CLIPPINGS_DB, else `sqlite:///clippings.db`."""
    for value in (cli_value, os.environ.get(ENV_VAR)):
        if value and value.strip():
            return value.strip()
    return DEFAULT_DB_URL


def mask_url(url: str | URL) -> str:
    """The URL as text with any password replaced by `***`."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _SECRET_IN_URL_RE.sub(r"\1***@", url)


def parse_db_url(url: str | URL) -> URL:
    """The parsed URL, with plain `postgresql://` and `postgres://` meaning psycopg 3."""
    try:
        if isinstance(url, str) and url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {mask_url(url)}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database {mask_url(parsed)}: use sqlite:///FILE or postgresql+psycopg://..."
        )
    return parsed


def make_engine(url: str | URL) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, configured for several concurrent writers."""
    parsed = parse_db_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except NoSuchModuleError as exc:
        raise StoreError(f"no driver for {mask_url(parsed)}: {exc}") from None


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {}
    if in_memory:
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                _enable_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL mode (it stays so), waiting out other processes doing the same.

    Changing the journal mode does not wait on the busy timeout, so a fresh file opened by
    several processes at once is retried here until the timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that on SQLite each transaction takes the write lock up front."""
    return engine.execution_options(**{WRITE_OPTION: True})


@functools.cache
def migrations_dir() -> Path:
    """The migrations as a directory Alembic can read: MIGRATIONS itself, or, when clippings runs
    from a zipped egg (as Scrapyd runs a deployed project), a copy in a temporary directory."""
    if (MIGRATIONS / "env.py").is_file():
        return MIGRATIONS
    import atexit
    import shutil
    import tempfile
    from importlib import resources

    target = Path(tempfile.mkdtemp(prefix="clippings-migrations-")) / "migrations"
    atexit.register(shutil.rmtree, target.parent, True)

    def copy(node: Any, to: Path) -> None:
        to.mkdir(parents=True, exist_ok=True)
        for child in node.iterdir():
            if child.is_dir():
                if child.name != "__pycache__":
                    copy(child, to / child.name)
            elif child.name.endswith((".py", ".mako", ".ini")):
                (to / child.name).write_bytes(child.read_bytes())

    copy(resources.files("clippings.store").joinpath("migrations"), target)
    return target


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of clippings, as Alembic reads it."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database (Alembic's version table)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(target: str | URL | Engine) -> None:
    """Migrate the database to the newest schema; does nothing when it is already there."""
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        if current_revision(engine) == SCHEMA_REVISION:
            return
        from alembic import command

        with writer(engine).begin() as conn:
            if conn.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                conn.execute(lock, {"key": _MIGRATION_LOCK_KEY})
            command.upgrade(alembic_config(conn), "head")
    except OperationalError as exc:
        raise unavailable(engine.url, exc) from None
    finally:
        if engine is not target:
            engine.dispose()


def check_connection(engine: Engine) -> None:
    """Connect once, raising DatabaseUnavailable with a clear, password-free message on failure."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise unavailable(engine.url, exc) from None


def unavailable(url: URL, exc: DBAPIError) -> DatabaseUnavailable:
    """A DatabaseUnavailable for this URL and driver error, with every secret masked."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return DatabaseUnavailable(f"cannot open the database {mask_url(url)}: {reason}")

"""The crawl lock: two crawls of one campaign into one database never run at once.

`clippings crawl` (and each crawl `clippings watch` starts) holds it for the whole run; a second
crawl of the same campaign into the same database fails at once with `CrawlLocked` (the CLI prints
its message and exits with `EXIT_LOCKED`, 75, EX_TEMPFAIL: "try again later"), before anything is
fetched or recorded. A crawl of another campaign, or into another database, is not held back.

- SQLite: an exclusive `flock` on a lock file next to the database file,
  `<db file>.crawl-<campaign hash>.lock` (the file holds the holder's pid, for the message; the
  kernel drops the lock when the holder dies, so a stale file never blocks). An in-memory database
  needs no lock.
- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) keyed by a hash of the campaign's
  name, held on a connection of its own for the run; the server drops it if the holder dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl of this campaign into this database is running


class CrawlLocked(RuntimeError):
    """Another crawl of this campaign into this database holds the lock."""


def _key(campaign_name: str) -> bytes:
    return hashlib.sha256(f"clippings crawl\0{campaign_name}".encode()).digest()


def lock_path(db_url: str, campaign_name: str) -> Path | None:
    """The lock file of a SQLite database (None for an in-memory one or another database)."""
    if not db_url.startswith("sqlite:///"):
        return None
    db_file = db_url.removeprefix("sqlite:///").split("?", 1)[0]
    if not db_file or db_file == ":memory:":
        return None
    return Path(f"{db_file}.crawl-{_key(campaign_name).hex()[:12]}.lock")


@contextmanager
def crawl_lock(db_url: str, campaign_name: str) -> Iterator[None]:
    """Hold the crawl lock of this campaign and database for the `with` block; CrawlLocked if taken."""
    if db_url.startswith("postgresql"):
        with _advisory_lock(db_url, campaign_name):
            yield
        return
    path = lock_path(db_url, campaign_name)
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise CrawlLocked(
                f"another crawl of campaign {campaign_name!r} into this database is running "
                f"(pid {holder}, lock file {path}); not starting a second one"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _advisory_lock(db_url: str, campaign_name: str) -> Iterator[None]:
    from sqlalchemy import text

    from clippings.store.db import check_connection, make_engine

    key = int.from_bytes(_key(campaign_name)[:8], "big", signed=True)
    engine: Any = make_engine(db_url)
    try:
        check_connection(engine)  # DatabaseUnavailable, with the password masked
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            conn.commit()
            if not got:
                raise CrawlLocked(
                    f"another crawl of campaign {campaign_name!r} into this database is running "
                    f"(PostgreSQL advisory lock {key}); not starting a second one"
                )
            try:
                yield
            finally:
                from sqlalchemy.exc import DBAPIError

                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
                except DBAPIError:  # the connection died (the database went away): so did its lock
                    pass
    finally:
        engine.dispose()

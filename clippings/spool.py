"""The spool: what a crawl could not write because the database was away, kept on disk until it returns.

When a write finds the database unavailable (PostgreSQL unreachable or its connection cut, a SQLite
file locked past its busy timeout, read-only or on a failing disk: `is_unavailable`), the store
pipeline retries it with back-off (`RETRY_DELAYS`), then appends it to the spool, a JSON-lines file,
one record a line, flushed and fsynced before the item counts as done:

- `{"type": "clipping", "clipping": {...}}`: a clipping, every field (`clipping_to_json`);
- `{"type": "drops", "pages": [[url, reason, outlet], ...]}`: dropped pages to remember;
- `{"type": "run_counts", "run_id": n, "counts": {...}, "errors": {...}}`: a run's counters.

Where: `CLIPPINGS_SPOOL_DIR` when set; else next to a SQLite database (`<file>.spool.jsonl`); else
(PostgreSQL) `$XDG_STATE_HOME/clippings/spool/` (`~/.local/state/clippings/spool/`), one file per
database (`<host>-<hash of the URL without its password>.jsonl`).

`replay(store)` writes the spool's records through the store, oldest first, under an exclusive
`flock` (one replayer at a time), and removes them once written. It runs when a crawl opens its
store pipeline and again during a crawl as soon as a write succeeds after the database was away.
Replays are idempotent (a clipping is found by its URL, so replaying one twice stores it once),
so a replay killed half-way is simply done again. A line that does not parse (a write cut off by
a kill) is skipped and counted.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from clippings.article import Clipping, CountClaim, Mention, Quote
from clippings.store.db import DatabaseUnavailable, mask_url

RETRY_DELAYS = (0.5, 1.0, 2.0)  # seconds between the attempts of one write before it is spooled
OPEN_WAITS = (1.0, 2.0, 4.0, 8.0)  # seconds between tries to open a database that is away, when a spider opens
PROBE_SECONDS = 2.0  # while the database is away, one write tries it at most this often; others spool at once
_RACE_SQLSTATES = {"40001", "40P01"}  # retried by the store itself: not an outage
logger = logging.getLogger(__name__)


def is_unavailable(exc: BaseException) -> bool:
    """True when an error means the database cannot be written now (rather than a bug in the write)."""
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        return getattr(getattr(exc, "orig", None), "sqlstate", None) not in _RACE_SQLSTATES
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def open_store(url: str, waits: tuple[float, ...] = OPEN_WAITS) -> Any:
    """`Store.open(url)`, waiting out a database that is away (`waits`: seconds between the tries);
    the last DatabaseUnavailable when it stays away."""
    from clippings.store.repository import Store

    for wait in (*waits, None):
        try:
            return Store.open(url)
        except Exception as exc:
            if wait is None or not is_unavailable(exc):
                raise
            logger.warning("The database is unavailable (%s); trying again in %.0f s", exc, wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


def spool_dir_of(settings: Any) -> str | None:
    """CLIPPINGS_SPOOL_DIR from a list of "NAME=VALUE" settings (the last wins), None when not given."""
    found = None
    for setting in settings:
        name, _, value = setting.partition("=")
        if name.strip() == "CLIPPINGS_SPOOL_DIR":
            found = value.strip() or None
    return found


def spool_path(db_url: str, directory: str | None = None) -> Path:
    """Where this database's spool lives (see the module docstring)."""
    url = make_url(db_url)
    if not directory and url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(f"{url.database}.spool.jsonl")
    if directory:
        folder = Path(directory)
    else:
        state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        folder = Path(state) / "clippings" / "spool"
    digest = hashlib.sha256(mask_url(url).encode()).hexdigest()[:16]
    host = "".join(c if c.isalnum() or c in ".-" else "_" for c in (url.host or url.get_backend_name()))
    return folder / f"{host}-{digest}.jsonl"


# --- records ----------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot spool {type(value).__name__}")


def clipping_to_json(c: Clipping) -> dict[str, Any]:
    """Every field of a clipping, as JSON-ready values (datetimes as ISO 8601)."""
    return json.loads(json.dumps(asdict(c), default=_json_default))


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def clipping_from_json(data: dict[str, Any]) -> Clipping:
    """The clipping `clipping_to_json` wrote."""
    fields = dict(data)
    fields["published_at"] = _when(fields.get("published_at"))
    fields["fetched_at"] = _when(fields["fetched_at"])
    fields["mentions"] = [Mention(**m) for m in fields.get("mentions", [])]
    fields["counts"] = [CountClaim(**n) for n in fields.get("counts", [])]
    fields["quotes"] = [Quote(**q) for q in fields.get("quotes", [])]
    return Clipping(**fields)


@dataclass
class Replayed:
    """What one replay wrote: clippings (new, updated or unchanged), dropped pages, run counters,
    unreadable lines skipped, and records left in the spool (the database went away again)."""

    clippings: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # "new", "updated", "unchanged": how many each
    drops: int = 0
    runs: int = 0
    unreadable: int = 0
    left: int = 0


class Spool:
    """One database's spool file."""

    def __init__(self, path: Path):
        self.path = path
        self.replaying = path.with_name(path.name + ".replaying")
        self.lock_path = path.with_name(path.name + ".lock")

    def __repr__(self) -> str:
        return f"Spool({str(self.path)!r})"

    def pending(self) -> bool:
        """True when records wait to be replayed."""
        return any(p.exists() and p.stat().st_size > 0 for p in (self.replaying, self.path))

    def append(self, record: dict[str, Any]) -> None:
        """Add one record, on disk (fsynced) when this returns."""
        line = (json.dumps(record, default=_json_default, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)  # one write of one line: O_APPEND keeps lines of several writers whole
            os.fsync(fd)
        finally:
            os.close(fd)

    def add_clipping(self, c: Clipping) -> None:
        self.append({"type": "clipping", "clipping": clipping_to_json(c)})

    def add_drops(self, pages: list[tuple[str, str, str | None]]) -> None:
        self.append({"type": "drops", "pages": [list(p) for p in pages]})

    def add_run_counts(self, run_id: int, counts: dict[str, int], errors: dict[str, int]) -> None:
        self.append({"type": "run_counts", "run_id": run_id, "counts": counts, "errors": errors})

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def replay(self, store: Any) -> Replayed:
        """Write every spooled record through `store` and remove it; stops (records kept) when the
        database is away again, raising that error after putting the rest back."""
        done = Replayed()
        if not self.pending():
            return done
        with self._locked():
            if self.path.exists() and not self.replaying.exists():
                os.replace(self.path, self.replaying)  # new records go to a fresh spool meanwhile
            elif self.path.exists():  # a replay was cut off: its file first, then the newer records
                with open(self.path, "rb") as newer, open(self.replaying, "ab") as older:
                    older.write(newer.read())
                    older.flush()
                    os.fsync(older.fileno())
                os.unlink(self.path)
            lines = self.replaying.read_bytes().splitlines()
            for n, raw in enumerate(lines):
                try:
                    record = json.loads(raw)
                    kind = record["type"]
                except (ValueError, KeyError, TypeError):
                    done.unreadable += 1
                    continue
                try:
                    self._apply(store, kind, record, done)
                except Exception as exc:
                    if not is_unavailable(exc):
                        raise
                    rest = b"".join(line + b"\n" for line in lines[n:])
                    tmp = self.replaying.with_name(self.replaying.name + ".tmp")
                    tmp.write_bytes(rest)
                    os.replace(tmp, self.replaying)
                    done.left = len(lines) - n
                    raise
            os.unlink(self.replaying)
        return done

    @staticmethod
    def _apply(store: Any, kind: str, record: dict[str, Any], done: Replayed) -> None:
        if kind == "clipping":
            outcome = store.upsert_clipping(clipping_from_json(record["clipping"]))
            done.clippings += 1
            done.outcomes[outcome] = done.outcomes.get(outcome, 0) + 1
        elif kind == "drops":
            store.record_dropped_many([tuple(p) for p in record["pages"]])
            done.drops += len(record["pages"])
        elif kind == "run_counts":
            with contextlib.suppress(KeyError):  # the run is gone: nothing to add to
                store.add_run_counts(int(record["run_id"]), record["counts"], record.get("errors") or {})
            done.runs += 1
        else:
            done.unreadable += 1

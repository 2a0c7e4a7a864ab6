"""The database goes away mid-crawl (#7): items are retried, then spooled, never silently dropped.

PostgreSQL is reached through a small TCP proxy on 127.0.0.1 that the test cuts (every connection
closed, new ones refused) and restores, so the shared server itself never stops. A crawl of the
300-article site (tests/crashsite.py) loses its database mid-crawl:

- cut as the site gets its 100th article request, back 0.8 s later: the crawl spools meanwhile,
  replays the spool when a write gets through, and ends with every clipping stored once; the run's
  errors say `db_unavailable`, `spooled`, `replayed`;
- cut at the same point, away until the crawl ends: the crawl says where the spool is and fails;
  the next crawl, with the database back, replays it and stores exactly what an uninterrupted crawl
  stores.

The spool itself (clippings.spool) is tested on SQLite: a round trip of every field, idempotent
replays, a line cut off by a kill skipped, and a read-only database leaving the records in place.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from clippings.article import Clipping, CountClaim, Mention, Quote
from clippings.spool import Spool, clipping_from_json, clipping_to_json, is_unavailable, spool_path
from clippings.store.repository import Store
from tests.crashsite import FAST, CrashSite, Snapshot, clippings_count, run_to_end, serve_site, snapshot, start_crawl

CUT_AT = 10  # clippings stored when the database goes away: during the feeds spider (its 20)
CUT_AT_REQUEST = 100  # or as the site gets its 100th article request: mid sitemaps, 200 pages still to fetch


class TcpProxy:
    """127.0.0.1:port -> target; `cut()` closes every connection and refuses new ones, `restore()` reopens."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            conns, self.conns = self.conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, 5)
            except OSError:
                client.close()
                continue
            for conn in (client, upstream):  # no Nagle delays on the database's many small round trips
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


@pytest.fixture(scope="module")
def site() -> Iterator[CrashSite]:
    with serve_site(delay=0.2) as served:  # slower pages (8 at a time): the crawl outlasts a short outage
        yield served


@pytest.fixture(scope="module")
def reference(site: CrashSite, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    folder = tmp_path_factory.mktemp("reference")
    assert run_to_end(site.write_campaign(folder), f"sqlite:///{folder / 'ref.db'}") == 0
    return snapshot(f"sqlite:///{folder / 'ref.db'}")


def through(proxy: TcpProxy, url: str) -> str:
    parts = urlsplit(url)
    return url.replace(parts.netloc, f"{parts.netloc.rpartition('@')[0]}@127.0.0.1:{proxy.port}", 1)


def last_run_errors(db: str) -> tuple[str, dict[str, int]]:
    with Store.open(db) as store, store._read() as session:
        status, errors = session.execute(
            sa.text("SELECT status, errors FROM crawl_runs ORDER BY id DESC LIMIT 1")).one()
    return status, errors if isinstance(errors, dict) else json.loads(errors)


def crawl_losing_the_database(site: CrashSite, campaign: Path, db: str, proxy: TcpProxy, direct: str,
                              spool_dir: Path, log: Path, back_after: float | None,
                              cut_after: int = CUT_AT, cut_at_request: int | None = None) -> int:
    """Crawl through the proxy, cut it after `cut_after` clippings (or as the site gets its
    `cut_at_request`-th article request), restore it `back_after` seconds later (None: only once the
    crawl has ended); the crawl's exit code."""
    settings = (*FAST, "CONCURRENT_REQUESTS_PER_DOMAIN=8", f"CLIPPINGS_SPOOL_DIR={spool_dir}")
    cut: list[float] = []
    restored = None

    def cut_now() -> None:
        proxy.cut()
        cut.append(time.monotonic())

    def on_request(kind: str, _path: str, n: int) -> None:
        if kind == "article" and n == cut_at_request:
            cut_now()

    site.on_request(on_request if cut_at_request else None)
    proc = start_crawl(campaign, db, log=log, settings=settings)
    try:
        while proc.poll() is None:
            if not cut and not cut_at_request and clippings_count(direct) >= cut_after:
                cut_now()
            if back_after is not None and cut and proxy.listener is None and time.monotonic() - cut[0] >= back_after:
                proxy.restore()
                restored = time.monotonic() - cut[0]
            time.sleep(0.01)
        code = proc.wait()
        when = f"its {cut_at_request}th article request" if cut_at_request else f"{cut_after} clippings"
        with open(log, "a") as out:
            print(f"test: the database was cut at {when}, restored after {restored} s; crawl ended "
                  f"{time.monotonic() - (cut[0] if cut else 0):.1f} s after the cut", file=out)
        return code
    finally:
        site.on_request(None)
        assert cut, "the crawl ended before the database was cut"
        if proxy.listener is None:
            proxy.restore()


@pytest.mark.postgres
@pytest.mark.e2e
def test_database_away_for_a_moment_spooled_then_replayed_in_the_same_run(
    site: CrashSite, reference: Snapshot, postgres_url: str, tmp_path: Path,
) -> None:
    host, port = urlsplit(postgres_url).hostname or "127.0.0.1", urlsplit(postgres_url).port or 5432
    proxy = TcpProxy(host, port)
    db = through(proxy, postgres_url)
    Store.open(db).close()  # the schema, before the crawl
    log = tmp_path / "crawl.log"
    code = crawl_losing_the_database(site, site.write_campaign(tmp_path), db, proxy, postgres_url,
                                     tmp_path / "spool", log, back_after=0.8, cut_at_request=CUT_AT_REQUEST)
    text = log.read_text()
    assert code == 0, text[-3000:]
    lost, twice = snapshot(postgres_url).compare(reference)
    assert not lost and not twice
    status, errors = last_run_errors(postgres_url)
    print(f"\nDB AWAY (back after 0.8 s): {errors}")
    assert status == "finished"
    assert errors.get("db_unavailable", 0) >= 1 and errors.get("spooled", 0) >= 1, errors
    assert errors.get("replayed") == errors["spooled"], errors
    assert not Spool(spool_path(db, str(tmp_path / "spool"))).pending()
    assert "The database is unavailable" in text and "Replayed the spool" in text
    # Noticed mid-crawl (a write or the 2 s probe says "The database is back") or, when the crawl's last
    # writes all came before the restore (a loaded machine: the run ended 2.2 s after a 0.8 s cut), at the
    # spider's end: either way in this run, which the asserts above check.


@pytest.mark.postgres
@pytest.mark.e2e
def test_database_away_until_the_end_the_next_crawl_stores_the_spool(
    site: CrashSite, reference: Snapshot, postgres_url: str, tmp_path: Path,
) -> None:
    host, port = urlsplit(postgres_url).hostname or "127.0.0.1", urlsplit(postgres_url).port or 5432
    proxy = TcpProxy(host, port)
    db = through(proxy, postgres_url)
    Store.open(db).close()
    campaign, spool_dir, log = site.write_campaign(tmp_path), tmp_path / "spool", tmp_path / "crawl.log"
    code = crawl_losing_the_database(site, campaign, db, proxy, postgres_url, spool_dir, log, back_after=None,
                                     cut_at_request=CUT_AT_REQUEST)
    text = log.read_text()
    assert code == 2 and "database is unavailable" in text, text[-3000:]  # DatabaseUnavailable: exit code 2
    spool = Spool(spool_path(db, str(spool_dir)))
    assert spool.pending() and str(spool.path) in text
    lines = [line for f in (spool.replaying, spool.path) if f.exists() for line in f.read_text().splitlines()]
    spooled = sum(1 for line in lines if json.loads(line)["type"] == "clipping")  # (a replay tried at the end
    assert any(json.loads(line)["type"] == "run_counts" for line in lines)       # left its records in .replaying)
    assert spooled > 0 and clippings_count(postgres_url) < len(reference.rows)
    # the database is back: the next crawl replays the spool and finishes the work
    assert run_to_end(campaign, db, log=log, settings=(*FAST, f"CLIPPINGS_SPOOL_DIR={spool_dir}")) == 0
    lost, twice = snapshot(postgres_url).compare(reference)
    assert not lost and not twice
    status, errors = last_run_errors(postgres_url)
    print(f"\nDB AWAY (until the end): spooled {spooled}; next run {status}: {errors}")
    assert status == "finished" and errors.get("replayed") == spooled
    assert not spool.pending()


# --- the spool on its own (SQLite) ---------------------------------------------------------------------


def a_clipping(n: int) -> Clipping:
    when = datetime(2026, 11, 2, 10, n, tzinfo=UTC)
    return Clipping(
        url=f"https://news.example.com/story-{n}", outlet="Example News", headline=f"Protect the Results {n}",
        lede="Lede.", authors=["A. Writer"], published_at=when, language="en",
        body="More than 200 events were planned, said Sean Eldridge. " * 5,
        mentions=[Mention("Protect the Results", "phrase", "headline", 0, 19, "Protect the Results")],
        alias_urls=[f"https://news.example.com/story-{n}?utm_source=x"], source_kind="feeds", fetched_at=when,
        agency="AFP", counts=[CountClaim(200, 201, None, "over", "events", "events", "More than 200", 0, "body")],
        quotes=[Quote("More than 200", "Sean Eldridge", "Sean Eldridge", 0, 15)],
    )


def test_a_clipping_survives_the_spool_field_for_field() -> None:
    c = a_clipping(1)
    assert clipping_from_json(json.loads(json.dumps(clipping_to_json(c)))) == c


def test_replays_are_idempotent_and_a_cut_off_line_is_skipped(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    spool = Spool(spool_path(db))
    assert spool.path == tmp_path / "c.db.spool.jsonl"
    for n in range(3):
        spool.add_clipping(a_clipping(n))
    spool.add_drops([("https://news.example.com/other", "irrelevant", "Example News")])
    with open(spool.path, "ab") as f:
        f.write(b'{"type": "clipping", "clipping": {"url": "https://news.ex')  # a kill mid-write
    with Store.open(db) as store:
        done = spool.replay(store)
        assert (done.clippings, done.drops, done.unreadable, done.left) == (3, 1, 1, 0)
        assert not spool.pending()
        for n in range(3):  # spooled again (a replay killed before it removed them): still once each
            spool.add_clipping(a_clipping(n))
        assert spool.replay(store).clippings == 3
        assert len(store.query()) == 3 and store.is_known("https://news.example.com/other")
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM mentions")).scalar() == 3
        assert conn.execute(sa.text("SELECT count(*) FROM count_claims")).scalar() == 3
    engine.dispose()


def test_a_replay_into_a_database_that_cannot_be_written_keeps_the_records(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Store.open(f"sqlite:///{path}").close()
    spool = Spool(tmp_path / "spool.jsonl")
    for n in range(2):
        spool.add_clipping(a_clipping(n))
    readonly = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    try:
        with pytest.raises(sa.exc.OperationalError) as caught:
            spool.replay(readonly)
        assert is_unavailable(caught.value)
    finally:
        readonly.close()
    assert spool.pending()
    with Store.open(f"sqlite:///{path}") as store:
        assert spool.replay(store).clippings == 2 and len(store.query()) == 2

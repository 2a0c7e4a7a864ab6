"""The watch loop end to end: a fake clock drives the scheduler, real crawls (child processes) poll
feeds on a local server whose answers change between polls, and every request the server received
and every row written is checked.

The script of the live feed, poll by poll (minutes after T0): new items with an ETag and a
Last-Modified; a 304 for the validators sent; a changed body under the same ETag (the body-hash
backstop reads it); the same body without any validator (the hash says unchanged: nothing parsed);
HTTP 500 twice (back-off); the same body again. A second feed's port is closed: connection refused
at every poll, backing off exponentially.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from clippings.scheduler import Batch, Scheduler, crawl_function, due_batches
from clippings.store.repository import Store
from clippings.store.sources import source_states

REPO = Path(__file__).parent.parent
T0 = datetime(2026, 1, 1, tzinfo=UTC)
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CLIPPINGS_WORKERS=0")
LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT"


def rss(base: str, slugs: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {s}</title><link>{base}/{s}.html</link>"
        f"<pubDate>Thu, 01 Jan 2026 00:00:00 GMT</pubDate></item>"
        for s in slugs
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title><link>{base}/</link>'
            f"{items}</channel></rss>").encode()


def article(headline: str, words: str) -> bytes:
    paragraphs = "".join(f"<p>{words} This is paragraph {i} of the story, with enough words in it to be read "
                         f"as the body of an article by the extraction step.</p>" for i in range(6))
    return (f"<!doctype html><html lang=\"en\"><head><title>{headline}</title>"
            f'<meta property="og:title" content="{headline}"></head><body><article><h1>{headline}</h1>'
            f'<p class="byline">By Ana Ruiz</p>{paragraphs}</article></body></html>').encode()


ARTICLES = {
    "/a1.html": article("Volunteers rally to Count Every Vote", "Organisers said they will Count Every Vote."),
    "/a2.html": article("Weather turns cold", "The forecast calls for snow and wind."),
    "/a3.html": article("Count Every Vote rallies spread", "More towns joined the Count Every Vote rallies."),
}


@dataclass
class FeedServer:
    """A local server whose /feed.xml answers per `phase`; it logs every request it gets."""

    phase: str = "v1"
    delay: float = 0.0  # seconds to wait before answering the feed (a crawl in flight)
    log: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def body(self, slugs: list[str]) -> bytes:
        return rss(self.base, slugs)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.log.append((handler.command, handler.path, handler.headers.get("If-None-Match"),
                             handler.headers.get("If-Modified-Since")))
        if handler.path in ARTICLES:
            return send(handler, 200, ARTICLES[handler.path], {"Content-Type": "text/html; charset=utf-8"})
        if handler.path != "/feed.xml":
            return send(handler, 404, b"not here", {"Content-Type": "text/plain"})
        time.sleep(self.delay)
        xml = {"Content-Type": "application/rss+xml"}
        if self.phase == "v1":  # honours If-None-Match
            if handler.headers.get("If-None-Match") == '"v1"':
                return send(handler, 304, b"", {"ETag": '"v1"'})
            return send(handler, 200, self.body(["a1", "a2"]), {**xml, "ETag": '"v1"', "Last-Modified": LAST_MODIFIED})
        if self.phase == "changed-same-etag":  # a new item, the old ETag, conditional headers ignored
            return send(handler, 200, self.body(["a3", "a1", "a2"]), {**xml, "ETag": '"v1"'})
        if self.phase == "same-no-etag":  # the same body, no validators at all
            return send(handler, 200, self.body(["a3", "a1", "a2"]), xml)
        if self.phase == "error":
            return send(handler, 500, b"oops", {"Content-Type": "text/plain"})
        raise AssertionError(self.phase)


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    if status != 304:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if status != 304:
        handler.wfile.write(body)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.answer(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_campaign(tmp_path: Path, base: str, dead: int) -> Path:
    port = base.rsplit(":", 1)[1]
    path = tmp_path / "campaign.toml"
    path.write_text(f"""
[campaign]
name = "Scheduled"
phrases = ["Count Every Vote"]

[schedule]
feeds = "15m"

[[outlets]]
name = "Ledger"
domains = ["127.0.0.1:{port}"]
feeds = ["{base}/feed.xml"]

[[outlets]]
name = "Gone"
domains = ["127.0.0.1:{dead}"]
feeds = ["http://127.0.0.1:{dead}/feed.xml"]
""")
    return path


class FakeClock:
    def __init__(self, start: datetime):
        self.now, self.sleeps = start, []  # type: ignore[var-annotated]

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


# minutes after T0 -> what the live feed answers at that poll
SCRIPT = {0: "v1", 15: "v1", 30: "changed-same-etag", 45: "same-no-etag", 60: "error", 75: "error",
          105: "same-no-etag", 120: "same-no-etag"}


def minutes(t: datetime | None) -> float | None:
    return None if t is None else (t - T0).total_seconds() / 60


def test_scheduler_with_a_fake_clock_polls_each_source_on_its_own_interval(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str
) -> None:
    dead = closed_port()
    campaign = write_campaign(tmp_path, feed_server.base, dead)
    live_url, dead_url = f"{feed_server.base}/feed.xml", f"http://127.0.0.1:{dead}/feed.xml"
    real = crawl_function(campaign, sqlite_url, FAST)
    clock = FakeClock(T0)
    crawls: list[tuple[float, tuple[str, ...], list[Any]]] = []
    statuses: list[tuple[str | None, int | None]] = []  # the live feed's status and interval after each crawl

    def crawl(batch: Batch, now: datetime) -> Any:
        feed_server.phase = SCRIPT[int(minutes(now) or 0)]
        mark = len(feed_server.log)
        summary = real(batch, now)
        crawls.append((minutes(now) or 0, batch.urls, sorted(feed_server.log[mark:], key=str)))
        with Store.open(sqlite_url) as store:
            [state] = source_states(store, urls=[live_url])
        statuses.append((state.last_status, state.interval_seconds))
        return summary

    lines: list[str] = []
    scheduler = Scheduler(campaign, sqlite_url, crawl, clock=clock, sleep=clock.sleep, log=lines.append,
                          max_sleep=10**6)
    scheduler.run(until=T0 + timedelta(minutes=125))
    assert not [line for line in lines if "failing" in line or "silent" in line]  # not for a day, a week

    robots = ("GET", "/robots.txt", None, None)

    def feed(inm: str | None = None, ims: str | None = None) -> tuple[str, str, str | None, str | None]:
        return ("GET", "/feed.xml", inm, ims)

    def page(slug: str) -> tuple[str, str, None, None]:
        return ("GET", f"/{slug}.html", None, None)

    both, live = (live_url, dead_url), (live_url,)
    expected = [
        (0, both, [robots, feed(), page("a1"), page("a2")]),  # new: two items fetched
        (15, both, [robots, feed('"v1"', LAST_MODIFIED)]),  # 304: one request, nothing parsed
        (30, live, [robots, feed('"v1"', LAST_MODIFIED), page("a3")]),  # same ETag, new body: read, a3 only
        (45, both, [robots, feed('"v1"')]),  # same body, no validators: the hash says unchanged
        (60, live, [robots, feed(), feed(), feed()]),  # HTTP 500, retried twice by Scrapy
        (75, live, [robots, feed(), feed(), feed()]),  # again, after 15 minutes
        (105, both, [robots, feed()]),  # 30 minutes later (back-off), the same body: unchanged
        (120, live, [robots, feed()]),  # unchanged: the third quiet poll in a row slows the feed down
    ]
    assert [(m, urls, sorted(reqs, key=str)) for m, urls, reqs in expected] == crawls
    assert clock.sleeps == [900, 900, 900, 900, 900, 1800, 900, 1350]
    # "unchanged" (never "no_new") proves that the 304 and the same-hash bodies were not parsed
    assert statuses == [("new", 900), ("unchanged", 900), ("new", 900), ("unchanged", 900), ("failed", 900),
                        ("failed", 900), ("unchanged", 900), ("unchanged", 1350)]
    assert [r.status for r in scheduler.reports] == ["finished"] * 8

    with Store.open(sqlite_url) as store:
        states = {s.url: s for s in source_states(store)}
        clippings = {c.url: c for c in store.query()}
        runs = [store.get_run(i) for i in range(1, 9)]
    s = states[live_url]
    body = rss(feed_server.base, ["a3", "a1", "a2"])
    assert (s.outlet, s.kind, s.last_status, s.polls, s.items_found) == ("Ledger", "feeds", "unchanged", 8, 3)
    assert (s.interval_seconds, minutes(s.next_due_at), s.quiet_polls) == (1350, 142.5, 0)
    assert (minutes(s.last_success_at), minutes(s.last_new_item_at), minutes(s.last_entries_at)) == (120, 30, 30)
    assert (s.failures, dict(s.failures_by_kind), s.consecutive_failures, s.failing_since) == (
        2, {"http_500": 2}, 0, None)
    assert (s.etag, s.last_modified, s.body_hash) == (None, None, hashlib.sha256(body).hexdigest())
    d = states[dead_url]
    assert (d.outlet, d.last_status, d.polls, d.failures, dict(d.failures_by_kind)) == (
        "Gone", "failed", 4, 4, {"connect": 4})
    assert (d.consecutive_failures, minutes(d.failing_since), minutes(d.next_due_at)) == (4, 0, 225)
    assert (d.interval_seconds, d.last_success_at, minutes(d.last_entries_at), d.items_found) == (900, None, 0, 0)
    # the clippings written: the two relevant stories, each once
    assert sorted(clippings) == [f"{feed_server.base}/a1.html", f"{feed_server.base}/a3.html"]
    assert clippings[f"{feed_server.base}/a3.html"].headline == "Count Every Vote rallies spread"
    assert [(r.status, r.spiders, r.new_clippings, r.pages_fetched) for r in runs] == [
        ("finished", ("feeds",), 1, 4), ("finished", ("feeds",), 0, 2), ("finished", ("feeds",), 1, 3),
        ("finished", ("feeds",), 0, 2), ("finished", ("feeds",), 0, 4), ("finished", ("feeds",), 0, 4),
        ("finished", ("feeds",), 0, 2), ("finished", ("feeds",), 0, 2),
    ]


def test_due_batches_one_per_kind_in_campaign_order_and_held_sources_wait(tmp_path: Path) -> None:
    from clippings.campaign import parse_campaign
    from clippings.sources import SourceState

    campaign = parse_campaign("""
[campaign]
name = "C"
phrases = ["x"]
[[outlets]]
name = "A"
domains = ["a.example"]
feeds = ["https://a.example/1", "https://a.example/2"]
sitemaps = ["https://a.example/s"]
sections = ["https://a.example/news"]
""")
    later = SourceState(url="https://a.example/2", kind="feeds", outlet="A", next_due_at=T0 + timedelta(minutes=1))
    assert due_batches(campaign, {later.url: later}, T0) == [
        Batch("feeds", ("https://a.example/1",)), Batch("sitemaps", ("https://a.example/s",)),
        Batch("sections", ("https://a.example/news",))]
    assert due_batches(campaign, {}, T0, held={"https://a.example/s": T0 + timedelta(seconds=1),
                                               "https://a.example/news": T0 + timedelta(seconds=1)}) == [
        Batch("feeds", ("https://a.example/1", "https://a.example/2"))]
    assert due_batches(campaign, {later.url: later}, T0 + timedelta(minutes=1))[0].urls == (
        "https://a.example/1", "https://a.example/2")


def test_an_unrecorded_poll_is_held_back_for_its_interval_not_retried_at_once(tmp_path: Path,
                                                                                sqlite_url: str) -> None:
    campaign = write_campaign(tmp_path, "http://127.0.0.1:9", 9)
    clock = FakeClock(T0)
    calls: list[float | None] = []

    def crawl(batch: Batch, now: datetime) -> None:  # a crawl that dies before recording anything
        calls.append(minutes(now))

    Scheduler(campaign, sqlite_url, crawl, clock=clock, sleep=clock.sleep, log=lambda _: None,
              max_sleep=10**6).run(until=T0 + timedelta(minutes=40))
    assert calls == [0, 15, 30] and clock.sleeps == [900, 900, 900]

    def broken(batch: Batch, now: datetime) -> None:  # a crawl that raises: logged, and the loop goes on
        raise RuntimeError("database gone")

    lines: list[str] = []
    clock = FakeClock(T0)
    scheduler = Scheduler(campaign, sqlite_url, broken, clock=clock, sleep=clock.sleep, log=lines.append,
                          max_sleep=10**6)
    scheduler.run(until=T0 + timedelta(minutes=20))
    assert [r.status for r in scheduler.reports] == ["error: database gone"] * 2 and clock.sleeps == [900, 900]
    assert "clippings watch: the crawl of feeds (1 source) failed: database gone" in lines


def test_second_crawl_of_the_same_campaign_and_db_exits_75_with_a_message(tmp_path: Path, sqlite_url: str) -> None:
    from click.testing import CliRunner

    from clippings.cli import main
    from clippings.locks import CrawlLocked, crawl_lock, lock_path

    campaign = write_campaign(tmp_path, "http://127.0.0.1:9", 9)
    with crawl_lock(sqlite_url, "Scheduled"):
        path = lock_path(sqlite_url, "Scheduled")
        assert path is not None and path.read_text() == f"{os.getpid()}\n"
        result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--db", sqlite_url])
        assert result.exit_code == 75
        assert "another crawl of campaign 'Scheduled' into this database is running" in result.output
        assert f"pid {os.getpid()}" in result.output and "Run " not in result.output
        with pytest.raises(CrawlLocked), crawl_lock(sqlite_url, "Scheduled"):
            pass
        with crawl_lock(sqlite_url, "Another campaign"):  # another campaign is not held back
            pass
        # `clippings watch` waits and tries again
        clock = FakeClock(T0)
        scheduler = Scheduler(campaign, sqlite_url, crawl_function(campaign, sqlite_url, FAST), clock=clock,
                              sleep=clock.sleep, log=lambda _: None)
        scheduler.run(max_turns=1)
        assert [r.status for r in scheduler.reports] == ["locked"] and clock.sleeps == [60.0]
    with Store.open(sqlite_url) as store:  # nothing was recorded, not even a run
        with pytest.raises(KeyError):
            store.get_run(1)
        assert all(s.polls == 0 for s in source_states(store))
    with crawl_lock(sqlite_url, "Scheduled"):  # released
        pass
    with crawl_lock(sqlite_url, "Scheduled\0watch"):  # one `clippings watch` per campaign and database
        result = CliRunner().invoke(main, ["watch", "--campaign", str(campaign), "--db", sqlite_url])
        assert result.exit_code == 75
        assert "another clippings watch of campaign 'Scheduled' into this database is running" in result.output


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_a_signal_lets_the_running_crawl_finish_then_exits_cleanly(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, how: str
) -> None:
    """SIGTERM to the watch process, or SIGINT to its whole process group as a terminal's Ctrl-C does."""
    campaign = write_campaign(tmp_path, feed_server.base, closed_port())
    feed_server.delay = 3.0  # the feed answers slowly: the signal comes while the crawl is in flight
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-c", "from clippings.cli import run; run()", "watch", "--campaign", str(campaign),
           "--db", sqlite_url, *[a for s in FAST for a in ("-s", s)]]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(path == "/feed.xml" for _, path, _, _ in feed_server.log):
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        started = time.monotonic()
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    name = "SIGTERM" if how == "SIGTERM" else "SIGINT"
    assert f"received {name}; stopping after the crawl in progress" in err and "stopped" in err
    assert time.monotonic() - started >= 1.0  # it waited for the slow feed
    with Store.open(sqlite_url) as store:
        live = next(s for s in source_states(store) if s.url == f"{feed_server.base}/feed.xml")
        run = store.get_run(1)
    assert live.last_status == "new" and live.polls == 1 and live.items_found == 2  # the poll was recorded
    assert run.status == "finished" and run.new_clippings == 1
    assert [p for _, p, _, _ in feed_server.log].count("/feed.xml") == 1  # and no second crawl started


def test_postgres_crawl_lock_is_an_advisory_lock_per_campaign(postgres_url: str) -> None:
    from clippings.locks import CrawlLocked, crawl_lock

    with crawl_lock(postgres_url, "Scheduled"):
        with pytest.raises(CrawlLocked, match="PostgreSQL advisory lock"), crawl_lock(postgres_url, "Scheduled"):
            pass
        with crawl_lock(postgres_url, "Another campaign"):
            pass
    with crawl_lock(postgres_url, "Scheduled"):  # released
        pass


def test_poll_state_round_trips_on_postgres(postgres_url: str) -> None:
    from clippings.campaign import parse_campaign
    from clippings.sources import PollResult, policy_for
    from clippings.store.sources import record_poll

    campaign = parse_campaign('[campaign]\nname = "P"\nphrases = ["x"]\n[[outlets]]\nname = "O"\n'
                              'domains = ["o.example"]\nfeeds = ["https://o.example/rss"]\n')
    with Store.open(postgres_url) as store:
        store.sync_campaign(campaign)
        record_poll(store, "https://o.example/rss", PollResult("new", T0, new_items=2, entries=2, etag='"a"'),
                    policy_for(900))
        state = record_poll(store, "https://o.example/rss", PollResult("failed", T0 + timedelta(minutes=15),
                                                                        failure_kind="timeout"), policy_for(900))
        assert source_states(store) == [state]
        assert (state.next_due_at, dict(state.failures_by_kind), state.etag) == (
            T0 + timedelta(minutes=30), {"timeout": 1}, '"a"')


def test_a_source_failing_for_a_day_is_reported_once(tmp_path: Path, sqlite_url: str) -> None:
    from clippings.sources import PollResult, policy_for
    from clippings.store.sources import record_poll

    campaign = write_campaign(tmp_path, "http://127.0.0.1:9", 10)
    clock = FakeClock(T0)

    def crawl(batch: Batch, now: datetime) -> None:  # every poll fails to connect
        with Store.open(sqlite_url) as store:
            for url in batch.urls:
                record_poll(store, url, PollResult("failed", now, failure_kind="connect"), policy_for(900))

    with Store.open(sqlite_url) as store:
        from clippings.campaign import load_campaign

        store.sync_campaign(load_campaign(campaign))
    lines: list[str] = []
    Scheduler(campaign, sqlite_url, crawl, clock=clock, sleep=clock.sleep, log=lines.append,
              max_sleep=10**6).run(until=T0 + timedelta(hours=30))
    # back-off: 15, 30, 60 minutes, then the 2-hour ceiling; failing from the first poll past 24 hours
    assert clock.sleeps[:5] == [900, 1800, 3600, 7200, 7200]
    flagged = [line for line in lines if " is failing " in line]
    assert flagged == [f"clippings watch: {outlet} feeds http://127.0.0.1:{port}/feed.xml is failing "
                       "(failing since 2026-01-01 00:00 UTC, last: connect)" for outlet, port in (("Ledger", 9),
                                                                                                  ("Gone", 10))]

"""Distributed mode against the real Redis and PostgreSQL: workers share one frontier, every page is
fetched once, every relevant article stored once; concurrent writers never fail nor duplicate."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clippings.cli import main
from tests.conftest import REDIS_URL, REPO, need_service

BENCH = REPO / "bench"
CLI = Path(sys.executable).parent / "clippings"
PAGES = 2000  # bench/sitegen.py: 5% relevant, 50-150 KB each
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=16")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own (CLIPPINGS_REDIS_PREFIX), its keys deleted afterwards."""
    need_service("redis", REDIS_URL, 6379)
    from clippings.distributed import redis_client

    prefix = f"clippings-test:{uuid.uuid4().hex[:12]}"
    old = os.environ.get("CLIPPINGS_REDIS_PREFIX")
    os.environ["CLIPPINGS_REDIS_PREFIX"] = prefix
    try:
        yield prefix
    finally:
        if old is None:
            os.environ.pop("CLIPPINGS_REDIS_PREFIX", None)
        else:
            os.environ["CLIPPINGS_REDIS_PREFIX"] = old
        client = redis_client(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def start_site(pages: int, seed: int) -> tuple[subprocess.Popen[bytes], str, list[Any]]:
    """bench/sitegen.py's site (cached under bench/.cache), served by bench/server.py."""
    sys.path.insert(0, str(BENCH))
    try:
        import sitegen
    finally:
        sys.path.remove(str(BENCH))
    folder = sitegen.build_cache(pages, seed, sitegen.default_anchor())
    metas, _ = sitegen.load_manifest(folder)
    proc = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py"), "--site", str(folder), "--max-seconds", "900",
         "--stop-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    line = proc.stdout.readline() if ready else b""
    if not line.startswith(b"READY "):
        proc.kill()
        pytest.fail("bench/server.py did not start")
    return proc, line.split()[1].decode(), metas


def server_stats(origin: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{origin}/__bench/stats", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def write_campaign(path: Path, origin: str) -> Path:
    host = origin.removeprefix("http://")
    path.write_text(
        '[campaign]\nname = "Protect the Results"\n'
        'phrases = ["Protect the Results", "Count Every Vote"]\n'
        'organizations = ["Stand Up America", "Indivisible"]\npeople = ["Sean Eldridge"]\n\n'
        f'[[outlets]]\nname = "Bench News"\ndomains = ["{host}"]\nlanguage = "en"\n'
        f'sitemaps = ["{origin}/sitemap-index.xml"]\nfeeds = ["{origin}/rss.xml"]\n',
        encoding="utf-8",
    )
    return path


def start_worker(campaign: Path, db: str, idle: float, log: Path) -> subprocess.Popen[bytes]:
    settings = [arg for s in FAST for arg in ("-s", s)]
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(CLI), "worker", "--campaign", str(campaign), "--redis", REDIS_URL, "--db", db,
             "--idle", str(idle), *settings],
            stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
        )


@pytest.mark.e2e
@pytest.mark.postgres
def test_two_workers_share_one_frontier(tmp_path: Path, postgres_url: str, redis_prefix: str) -> None:
    import sqlalchemy as sa

    from clippings.distributed import Keys, frontier_size, redis_client

    server, origin, metas = start_site(PAGES, seed=7)
    try:
        campaign = write_campaign(tmp_path / "campaign.toml", origin)
        result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--redis", REDIS_URL])
        assert result.exit_code == 0, result.output
        assert "Round 1: queued 2 sources (feeds 1, sitemaps 1)" in result.output
        # the same round's sources pushed again (as by a second enqueuer): still fetched once each
        client = redis_client(REDIS_URL)
        keys = Keys(redis_prefix)
        for spider in ("feeds", "sitemaps"):
            for raw in client.lrange(keys.start(spider), 0, -1):
                client.rpush(keys.start(spider), raw)
        workers = [start_worker(campaign, postgres_url, 5, tmp_path / f"worker-{i}.log") for i in range(2)]
        for proc in workers:
            proc.wait(timeout=400)
        logs = [(tmp_path / f"worker-{i}.log").read_text() for i in range(2)]
        for proc, log in zip(workers, logs, strict=True):
            assert proc.returncode == 0, log
            assert "Deprecat" not in log, log  # scrapy-redis's `spider=` stats calls are not made
        stats = server_stats(origin)
        assert frontier_size(client, keys) == 0
        client.close()
    finally:
        server.communicate(timeout=30)

    # every page fetched once, over both workers: each article, the index and its 2 sitemaps, the feed
    assert stats["articles"] == PAGES
    assert stats["sitemaps"] == 1 + (PAGES + 999) // 1000
    assert stats["feeds"] == 1
    assert stats["not_found"] == 0
    relevant = {origin + m.path for m in metas if m.relevant}
    assert len(relevant) == PAGES // 20
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            stored = [r[0] for r in conn.execute(sa.text("SELECT url FROM clippings"))]
            dropped = {r[0] for r in conn.execute(sa.text("SELECT url FROM dropped_pages"))}
            runs = conn.execute(sa.text("SELECT pages_fetched FROM crawl_runs")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(stored) == sorted(relevant)  # every relevant article stored, once
    everything = {origin + m.path for m in metas}
    assert everything - relevant <= dropped  # every other article was read and remembered: nothing lost
    assert len(runs) == 2 and all(n > 0 for n in runs), runs  # both workers took part
    assert sum(runs) >= PAGES


@pytest.mark.e2e
def test_a_worker_stopped_mid_crawl_loses_nothing(tmp_path: Path, sqlite_url: str, redis_prefix: str) -> None:
    """SIGTERM mid-crawl: the requests in flight finish, the rest stays in Redis, and a worker started
    later finishes the crawl; every page is still fetched once and every relevant article stored once."""
    import signal

    import sqlalchemy as sa

    server, origin, metas = start_site(PAGES, seed=7)
    try:
        campaign = write_campaign(tmp_path / "campaign.toml", origin)
        result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--redis", REDIS_URL])
        assert result.exit_code == 0, result.output
        first = start_worker(campaign, sqlite_url, 5, tmp_path / "first.log")
        deadline = time.monotonic() + 120
        while server_stats(origin)["articles"] < PAGES // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0, (tmp_path / "first.log").read_text()
        served_first = server_stats(origin)["articles"]
        second = start_worker(campaign, sqlite_url, 5, tmp_path / "second.log")
        assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
        stats = server_stats(origin)
    finally:
        server.communicate(timeout=30)
    assert PAGES // 4 <= served_first < PAGES  # stopped mid-crawl
    assert stats["articles"] == PAGES  # nothing fetched twice, nothing left out
    engine = sa.create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            stored = [r[0] for r in conn.execute(sa.text("SELECT url FROM clippings"))]
    finally:
        engine.dispose()
    assert sorted(stored) == sorted(origin + m.path for m in metas if m.relevant)


@pytest.mark.e2e
def test_idle_worker_picks_up_work_quickly_and_stops_after_its_idle_time(
    tmp_path: Path, sqlite_url: str, redis_prefix: str
) -> None:
    """The idle clock starts when the worker opens and restarts with work; new work in Redis is
    picked up within a second (not at the engine's 5 s heartbeat)."""
    server, origin, _ = start_site(PAGES, seed=7)
    try:
        campaign = tmp_path / "campaign.toml"
        host = origin.removeprefix("http://")
        campaign.write_text(
            '[campaign]\nname = "Idle"\nphrases = ["Protect the Results"]\n\n'
            f'[[outlets]]\nname = "Bench News"\ndomains = ["{host}"]\nfeeds = ["{origin}/rss.xml"]\n',
            encoding="utf-8",
        )
        started = time.monotonic()
        worker = start_worker(campaign, sqlite_url, 6, tmp_path / "worker.log")
        time.sleep(4)  # open, nothing queued yet
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        before = server_stats(origin)["feeds"]
        result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--redis", REDIS_URL,
                                           "--only", "sitemaps"])
        assert result.exit_code == 0 and "queued 0 sources" in result.output, result.output  # no sitemaps
        result = CliRunner().invoke(main, ["crawl", "--campaign", str(campaign), "--redis", REDIS_URL])
        assert result.exit_code == 0, result.output
        queued = time.monotonic()
        while server_stats(origin)["feeds"] == before and time.monotonic() - queued < 10:
            time.sleep(0.05)
        picked_up = time.monotonic() - queued
        worker.wait(timeout=120)
        ended = time.monotonic()
        stats = server_stats(origin)
    finally:
        server.communicate(timeout=30)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()
    # the worker checks Redis every 0.5 s, scrapy-redis's own idle loop every 5 s: a bound between the
    # two (generous for a loaded machine) tells them apart without timing the machine
    assert picked_up < 4.5, picked_up
    assert stats["feeds"] == before + 1 and stats["articles"] == 50  # the feed's 50 entries, once
    assert ended - queued >= 6  # idle time counted from the last work, not from the worker's start
    assert ended - started < 60


@pytest.mark.e2e
def test_worker_stops_on_sigterm(tmp_path: Path, sqlite_url: str, redis_prefix: str) -> None:
    """With no idle limit (--idle 0) a worker runs until SIGTERM, then exits cleanly."""
    import signal

    campaign = tmp_path / "campaign.toml"
    campaign.write_text('[campaign]\nname = "Stop"\nphrases = ["Protect the Results"]\n\n[[outlets]]\n'
                        'name = "Ledger"\ndomains = ["ledger.example"]\nfeeds = ["https://ledger.example/feed"]\n',
                        encoding="utf-8")
    worker = start_worker(campaign, sqlite_url, 0, tmp_path / "worker.log")
    time.sleep(5)
    assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    stopped = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, (tmp_path / "worker.log").read_text()
    assert time.monotonic() - stopped < 10
    assert "Run 1 finished" in (tmp_path / "worker.log").read_text()


def test_scheduler_counts_without_the_deprecated_spider_argument(redis_prefix: str) -> None:
    """scrapy-redis 0.9.1's scheduler passes `spider=` to the stats; ours does not (no warning under
    filterwarnings=error), and a source request from Redis enters the shared dupefilter once per round."""
    from types import SimpleNamespace

    from scrapy import Request, Spider
    from scrapy.exceptions import ScrapyDeprecationWarning
    from scrapy.settings import Settings
    from scrapy.statscollectors import StatsCollector
    from scrapy_redis.scheduler import Scheduler

    from clippings.distributed import RedisScheduler, configure

    settings = Settings({"CLIPPINGS_REDIS_URL": REDIS_URL})
    configure(settings, "Unit")
    crawler: Any = SimpleNamespace(settings=settings)
    crawler.stats = StatsCollector(crawler)
    spider = Spider(name="feeds")
    spider.settings = settings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler = RedisScheduler.from_crawler(crawler)
        scheduler.open(spider)
        meta = {"clippings_source": True, "clippings_round": 1}
        assert scheduler.enqueue_request(Request("http://a.example/feed", meta=meta))
        assert not scheduler.enqueue_request(Request("http://a.example/feed", meta=dict(meta)))
        assert scheduler.enqueue_request(Request("http://a.example/feed", meta={**meta, "clippings_round": 2}))
        assert scheduler.enqueue_request(Request("http://a.example/story"))
        assert not scheduler.enqueue_request(Request("http://a.example/story", meta={"clippings_round": 2}))
        assert [scheduler.next_request() is not None for _ in range(3)] == [True, True, True]
        assert scheduler.next_request() is None
        scheduler.close("finished")
        # scrapy-redis's own scheduler warns on every request (the behaviour RedisScheduler removes)
        plain = Scheduler.from_crawler(crawler)
        plain.open(spider)
        with pytest.raises(ScrapyDeprecationWarning, match="spider"):
            plain.enqueue_request(Request("http://a.example/other"))
    assert crawler.stats.get_value("scheduler/enqueued/redis") == 3
    assert crawler.stats.get_value("scheduler/dequeued/redis") == 3
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == f"{redis_prefix}:dupefilter"
    assert settings.getbool("SCHEDULER_PERSIST")  # one worker stopping never flushes the others' frontier


# --- concurrent writers ---------------------------------------------------------------------------------------

WRITER = textwrap.dedent('''
    import random, sys
    from datetime import UTC, datetime
    from clippings.article import Clipping, Mention
    from clippings.store.repository import Store

    db, me, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store.open(db)
    numbers = list(range(n))
    random.Random(me).shuffle(numbers)  # every writer stores every URL, each in its own order
    for i in numbers:
        url = f"https://ledger.example/story-{i}"
        store.upsert_clipping(Clipping(
            url=url, outlet="Ledger", headline=f"Story {i} by writer {me}", lede="Protect the Results",
            authors=["Ana Ruiz"], published_at=datetime(2020, 11, 1 + i % 20, tzinfo=UTC), language="en",
            body=f"Story {i}: Protect the Results rallies in town {i}, writer {me}.",
            mentions=[Mention("Protect the Results", "phrase", "body", 0, 19, "Protect the Results")],
            alias_urls=[url, url + "?utm_source=w" + str(me)], source_kind="feeds",
            fetched_at=datetime(2020, 11, 21, me, tzinfo=UTC),
        ))
    store.close()
''')


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_concurrent_writers_never_fail_nor_duplicate(backend: str, tmp_path: Path, request: pytest.FixtureRequest,
                                                    ) -> None:
    import sqlalchemy as sa

    from clippings.store.repository import Store

    db = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    Store.open(db).close()  # migrated once (workers would each do it; the first wins)
    writers, n = 6, 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, str(me), str(n)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for me in range(writers)]
    outcomes = [(p.communicate(timeout=240)[1].decode(), p.returncode) for p in procs]
    for err, code in outcomes:
        assert code == 0 and "locked" not in err.lower(), err
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT url, COUNT(*) FROM clippings GROUP BY url")).all()
            twice = conn.execute(sa.text("SELECT url FROM clipping_urls GROUP BY url HAVING COUNT(*) > 1")).all()
    finally:
        engine.dispose()
    assert len(rows) == n and all(count == 1 for _, count in rows)
    assert twice == []  # every spelling of a URL belongs to one clipping, once

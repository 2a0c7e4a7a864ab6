"""Polling sitemaps with real crawls on a local server: conditional GET, the body hash, a sitemap
index's poll waiting for its sitemaps, failures by kind (parse, robots), `-a sources=...`, and
`clippings sources` showing it all."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clippings.cli import main
from clippings.crawl import run_crawl
from clippings.store.repository import Store
from clippings.store.sources import source_states

T0 = datetime(2026, 1, 1, tzinfo=UTC)
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CLIPPINGS_WORKERS=0")


def urlset(base: str, slugs: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}/{s}.html</loc></url>" for s in slugs)
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    return f'<?xml version="1.0"?><urlset xmlns="{ns}">{urls}</urlset>'.encode()


def index(base: str, names: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}/{n}</loc></sitemap>" for n in names)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}'
            f"</sitemapindex>").encode()


PAGE = b"<!doctype html><html><head><title>Weather</title></head><body><p>Snow and wind.</p></body></html>"


class Site:
    def __init__(self) -> None:
        self.log: list[tuple[str, str | None]] = []
        self.lock = threading.Lock()
        self.base = ""

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.log.append((h.path, h.headers.get("If-None-Match")))
        xml = {"Content-Type": "application/xml"}
        routes: dict[str, tuple[int, bytes, dict[str, str]]] = {
            "/robots.txt": (200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}),
            "/index.xml": (200, index(self.base, ["sm1.xml", "sm2.xml"]), xml),  # no validators: the hash decides
            "/sm1.xml": (200, urlset(self.base, ["p1", "p2"]), xml),
            "/sm2.xml": (200, urlset(self.base, ["p3"]), xml),
            "/news.xml": (200, urlset(self.base, ["p4"]), {**xml, "ETag": '"n1"'}),
            "/broken.xml": (200, b"<html><body>not a sitemap</body></html>", xml),
        }
        if h.path == "/slow.xml":
            time.sleep(3)  # longer than the test's DOWNLOAD_TIMEOUT
        if h.path == "/news.xml" and h.headers.get("If-None-Match") == '"n1"':
            status, body, headers = 304, b"", {"ETag": '"n1"'}
        elif h.path in routes:
            status, body, headers = routes[h.path]
        elif h.path.endswith(".html"):
            status, body, headers = 200, PAGE, {"Content-Type": "text/html"}
        else:
            status, body, headers = 404, b"", {}
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body)


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.answer(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def campaign_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "campaign.toml"
    path.write_text(f"""
[campaign]
name = "Sitemaps"
phrases = ["Count Every Vote"]

[[outlets]]
name = "Ledger"
domains = ["{base.removeprefix("http://")}"]
sitemaps = ["{base}/index.xml", "{base}/news.xml", "{base}/broken.xml", "{base}/private.xml"]
""")
    return path


def crawl(path: Path, db: str, when: datetime, sources: list[str] | None = None) -> Any:
    args = {"sources": ",".join(sources)} if sources is not None else None
    return run_crawl(path, db, only="sitemaps", settings=(*FAST, f"CLIPPINGS_POLL_TIME={when.isoformat()}"),
                     spider_args=args, progress=False)


def test_sitemap_polls_conditional_get_hash_index_and_failures(site: Site, tmp_path: Path, sqlite_url: str) -> None:
    path = campaign_file(tmp_path, site.base)
    b = site.base
    first = crawl(path, sqlite_url, T0)
    assert first.status == "finished"
    assert sorted(site.log, key=str) == sorted([
        ("/robots.txt", None), ("/index.xml", None), ("/sm1.xml", None), ("/sm2.xml", None), ("/news.xml", None),
        ("/broken.xml", None), ("/p1.html", None), ("/p2.html", None), ("/p3.html", None), ("/p4.html", None),
    ], key=str)  # /private.xml: refused by robots.txt, never requested
    with Store.open(sqlite_url) as store:
        states = {s.url.removeprefix(b): s for s in source_states(store)}
    idx = states["/index.xml"]  # one poll for the index and both of its sitemaps
    assert (idx.last_status, idx.polls, idx.items_found, idx.interval_seconds, idx.next_due_at) == (
        "new", 1, 3, 3600, T0 + timedelta(hours=1))
    assert idx.body_hash == hashlib.sha256(index(b, ["sm1.xml", "sm2.xml"])).hexdigest() and idx.etag is None
    news = states["/news.xml"]
    assert (news.last_status, news.items_found, news.etag) == ("new", 1, '"n1"')
    broken, private = states["/broken.xml"], states["/private.xml"]
    assert (broken.last_status, dict(broken.failures_by_kind), broken.failing_since) == ("failed", {"parse": 1}, T0)
    assert (private.last_status, dict(private.failures_by_kind)) == ("failed", {"robots": 1})
    assert first.errors == {"parse": 1, "robots": 1}

    site.log.clear()
    second = crawl(path, sqlite_url, T0 + timedelta(hours=1), sources=[f"{b}/index.xml", f"{b}/news.xml"])
    assert second.status == "finished" and second.pages_fetched == 3
    # the index's body is the same (its sitemaps are not fetched again); the news sitemap answers 304
    assert sorted(site.log, key=str) == [("/index.xml", None), ("/news.xml", '"n1"'), ("/robots.txt", None)]
    with Store.open(sqlite_url) as store:
        after = {s.url.removeprefix(b): s for s in source_states(store)}
    assert (after["/index.xml"].last_status, after["/index.xml"].polls, after["/index.xml"].items_found) == (
        "unchanged", 2, 3)
    assert (after["/news.xml"].last_status, after["/news.xml"].etag, after["/news.xml"].quiet_polls) == (
        "unchanged", '"n1"', 1)
    assert after["/broken.xml"] == states["/broken.xml"]  # not polled: not in -a sources

    # clippings sources: every source's health, as a table, JSON and CSV
    runner = CliRunner()
    result = runner.invoke(main, ["sources", "--db", sqlite_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["url"].removeprefix(b): r for r in json.loads(result.output)}
    assert list(rows["/index.xml"])[:11] == ["outlet", "kind", "url", "status", "last_success", "last_new_item",
                                             "failures", "failures_by_kind", "consecutive_failures", "interval",
                                             "next_due"]
    assert rows["/index.xml"]["status"] == "unchanged" and rows["/index.xml"]["interval"] == 3600
    assert rows["/index.xml"]["last_new_item"] == T0.isoformat() and rows["/index.xml"]["items_found"] == 3
    assert rows["/private.xml"]["failures_by_kind"] == {"robots": 1}
    # polled on 2026-01-01 (T0): failing for more than a day since, and no entries for more than a week
    assert rows["/broken.xml"]["flags"] == ["failing", "silent"] and rows["/index.xml"]["flags"] == ["silent"]
    result = runner.invoke(main, ["sources", "--db", sqlite_url, "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["url"].removeprefix(b) for r in table] == ["/broken.xml", "/index.xml", "/news.xml", "/private.xml"]
    assert table[0]["failures"] == "1 (parse 1)" and table[0]["flags"] == "failing, silent"
    assert table[1]["interval"] == "1h"
    result = runner.invoke(main, ["sources", "--db", sqlite_url])
    assert result.exit_code == 0 and "1 (robots 1)" in result.output and "unchanged" in result.output


def test_a_feed_that_times_out_is_a_timeout_failure(site: Site, tmp_path: Path, sqlite_url: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(f"""
[campaign]
name = "Slow"
phrases = ["Count Every Vote"]

[[outlets]]
name = "Ledger"
domains = ["{site.base.removeprefix("http://")}"]
feeds = ["{site.base}/slow.xml"]
""")
    summary = run_crawl(path, sqlite_url, only="feeds", settings=(*FAST, "DOWNLOAD_TIMEOUT=1", "RETRY_TIMES=0",
                                                                   f"CLIPPINGS_POLL_TIME={T0.isoformat()}"),
                        progress=False)
    assert summary.errors == {"timeout": 1}
    with Store.open(sqlite_url) as store:
        [state] = source_states(store)
    assert (state.last_status, dict(state.failures_by_kind), state.next_due_at) == (
        "failed", {"timeout": 1}, T0 + timedelta(minutes=15))

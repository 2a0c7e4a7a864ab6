"""Faults and bad input on a real crawl against a fault-injecting server (tests/faultserver.py).

The crawl always finishes, counts each failure under its kind in the run's errors and stores the
good pages around the faults, with pages in other charsets decoded right.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clippings.crawl import run_crawl
from clippings.store.repository import Store
from spiders.errors import classify_failure
from spiders.faults import retry_after_seconds
from tests.faultserver import ACCENTED, PHRASE, FaultServer

# Short timeouts so that the sleeping and trickling pages end in seconds; one retry.
SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
            "CLIPPINGS_WORKERS=0", "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=1", "REDIRECT_MAX_TIMES=5")

# path -> the failure kind it is counted under (each path fails once: its retries are not counted again)
FAULTS = {
    "/status/404": "http_404",
    "/status/410": "http_410",
    "/status/429": "http_429",  # Retry-After: 1, waited for, retried once, still 429
    "/status/429-later": "http_429",  # Retry-After: a day, not retried
    "/status/500": "http_500",
    "/status/503": "http_503",
    "/sleep": "timeout",
    "/slowloris": "timeout",
    "/reset": "connection_reset",
    "/truncated": "data_loss",
    "/loop/a": "redirect_loop",
    "/endless/0": "too_many_redirects",
    "/huge": "too_large",
    "/huge-stream": "too_large",
    "/bomb": "too_large",
    "/pdf": "not_html",
    "/png": "not_html",
    "/garbage": "not_html",
    "/empty": "empty_page",
}
GOOD = [f"/good/{i}" for i in range(6)]
CHARSETS = [f"/charset/{name}" for name in ACCENTED]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as s:
        yield s


def campaign(tmp_path: Path, server: FaultServer, urls: list[str]) -> Path:
    path = tmp_path / "campaign.toml"
    listed = ", ".join(f'"{server.url(u)}"' for u in urls)
    path.write_text(f"""
[campaign]
name = "Faults"
phrases = ["{PHRASE}"]

[[outlets]]
name = "Fault Gazette"
domains = ["127.0.0.1:{server.port}"]
urls = [{listed}]
""", encoding="utf-8")
    return path


def test_crawl_survives_every_fault_and_counts_it_by_kind(server: FaultServer, tmp_path: Path) -> None:
    urls = [*GOOD[:3], *FAULTS, *CHARSETS, "/garbage-html", *GOOD[3:]]
    db = f"sqlite:///{tmp_path / 'faults.db'}"
    started = time.monotonic()
    summary = run_crawl(campaign(tmp_path, server, urls), db, settings=SETTINGS, progress=False)
    elapsed = time.monotonic() - started

    assert summary.status == "finished"
    expected: dict[str, int] = {}
    for kind in FAULTS.values():
        expected[kind] = expected.get(kind, 0) + 1
    assert summary.errors == expected, summary.errors
    assert elapsed < 60

    with Store.open(db) as store:
        stored = {c.url: c for c in store.query()}
    # the good pages around the faults, and the pages in other charsets with their accents
    assert {server.url(u) for u in GOOD + CHARSETS} == set(stored)
    for name, headline in ACCENTED.items():
        assert stored[server.url(f"/charset/{name}")].headline == headline

    # Retry-After: 1 was waited for before the retry; a day's Retry-After was not retried
    first, second = server.times["/status/429"]
    assert second - first >= 1.0
    assert server.hits("/status/429-later") == 1
    # the loop went round once; the endless chain stopped at REDIRECT_MAX_TIMES
    assert server.hits("/loop/a") == 1 and server.hits("/loop/b") == 1
    assert server.hits("/endless/6") == 0 and server.hits("/endless/5") == 1


def test_retry_after_reads_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(b"Thu, 01 Jan 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds(b"Wed, 31 Dec 2025 00:00:00 GMT", now) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_unknown_failures_are_counted_as_other() -> None:
    assert classify_failure(RuntimeError("boom")) == "other"


@pytest.mark.parametrize(("mistake", "words"), [
    ('urls = "{url}"', "outlets[0].urls: must be an array of strings"),
    ('urls = ["{url}"]\nfeeds = [3]', "outlets[0].feeds[0]: a non-empty string is required"),
    ('urls = ["{url}"]\nschedule = {{ feeds = "soon" }}', "outlets[0].schedule.feeds: 'soon' is not a duration"),
    ('urls = ["{url}"]\n[[watch]]\nname = "W"', "watch[0].url: a non-empty string is required"),
])
def test_a_bad_campaign_stops_before_anything_runs(server: FaultServer, tmp_path: Path, mistake: str,
                                                   words: str) -> None:
    from click.testing import CliRunner

    from clippings.cli import main

    path = tmp_path / "bad.toml"
    path.write_text(f'[campaign]\nname = "Bad"\nphrases = ["{PHRASE}"]\n\n[[outlets]]\nname = "O"\n'
                    f'domains = ["127.0.0.1:{server.port}"]\n' + mistake.format(url=server.url("/good/99")) + "\n",
                    encoding="utf-8")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(main, ["crawl", "--campaign", str(path), "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    assert f"{path}:" in result.output and words in result.output, result.output
    assert server.hits("/good/99") == 0 and not db.exists()

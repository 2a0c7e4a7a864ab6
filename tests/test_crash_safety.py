"""Crash safety (#7): a crawl SIGKILLed at any point and started again stores exactly what an
uninterrupted crawl stores, none lost, none twice.

Against a local site of 300 articles (tests/crashsite.py: a feed, a sitemap index of three sitemaps,
every third article relevant), `clippings crawl` runs as cron runs it, in a process group of its
own, and is killed with SIGKILL (with its worker processes) at each kill point; then it is started
again, normally, until a run finishes. The stored clippings are compared with an uninterrupted
crawl of the same site into a fresh database: every URL, one row per URL, and no more mentions,
count claims or quotes per clipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crashsite import (
    KILL_POINTS,
    CrashSite,
    Snapshot,
    kill_and_restart,
    run_to_end,
    serve_site,
    snapshot,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site() -> Iterator[CrashSite]:
    with serve_site() as served:
        yield served


@pytest.fixture(scope="module")
def reference(site: CrashSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Snapshot]:
    """The uninterrupted crawl of the site into a fresh database."""
    folder = tmp_path_factory.mktemp("reference")
    campaign = site.write_campaign(folder)
    db = f"sqlite:///{folder / 'reference.db'}"
    assert run_to_end(campaign, db, log=folder / "crawl.log") == 0, (folder / "crawl.log").read_text()
    ref = snapshot(db)
    assert set(ref.rows) == site.relevant_urls()  # the site's every relevant article, and no other
    assert all(n > 0 for n in ref.mentions.values()) and all(n > 0 for n in ref.quotes.values())
    return campaign, ref


@pytest.mark.parametrize(("point", "trigger"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_a_killed_crawl_started_again_stores_exactly_what_an_uninterrupted_one_does(
    site: CrashSite, reference: tuple[Path, Snapshot], tmp_path: Path, point: str, trigger: tuple,
) -> None:
    campaign, ref = reference
    if trigger == ("stored", -1):
        trigger = ("stored", len(ref.rows))
    db = f"sqlite:///{tmp_path / 'killed.db'}"
    log = tmp_path / "crawl.log"
    result = kill_and_restart(site, campaign, db, point, trigger, reference=ref, log=log)
    print(f"\nKILL {point}: hit={result.hit} restarts={result.restarts} lost={len(result.lost)} "
          f"twice={len(result.twice)} {result.seconds:.1f}s")
    assert not result.lost, (point, sorted(result.lost)[:5], log.read_text()[-3000:])
    assert not result.twice, (point, sorted(result.twice)[:5])
    if trigger[0] == "request":  # a request-triggered kill always hits (the server kills before answering)
        assert result.hit, point


def test_killed_twice_in_a_row_then_finished(site: CrashSite, reference: tuple[Path, Snapshot],
                                             tmp_path: Path) -> None:
    """Two kills at different points before the crawl is allowed to finish."""
    campaign, ref = reference
    db = f"sqlite:///{tmp_path / 'killed.db'}"
    first = kill_and_restart(site, campaign, db, "articles in flight", ("request", "article", 20),
                             reference=ref, max_restarts=0)
    assert first.hit and first.lost  # nothing ran to the end yet
    second = kill_and_restart(site, campaign, db, "stored", ("request", "article", 40), reference=ref)
    assert second.hit
    assert not second.lost and not second.twice

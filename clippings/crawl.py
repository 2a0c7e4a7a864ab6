"""Run campaign crawls: `run_crawl` (used by the CLI) and the crawl process's `main`.

A crawl runs Scrapy's Twisted reactor, which starts once per process. The `clippings` console
script owns its process, so `clippings crawl` runs the crawl right there (`in_process=True`): one
process, one set of imports. Every other caller (tests, `clippings demo`, which serves the demo
site meanwhile, library use) gets a child process (`python -m clippings.crawl ...`), so that it
can crawl repeatedly and a crash of one crawl never takes it down. Either way `run_crawl` records
the run, the crawl counts into it, and the summary is read back from the store.

The spiders run one after another: `feeds`, `sitemaps`, `urls` (each when some outlet lists that
source type), then `watch` when the campaign has `[[watch]]` pages. The summary (`CrawlSummary`)
adds this run's watched-counter readings to the run's counts; a counter gone missing or a watched
page that failed also shows in the run's errors by kind (`watch_missing`, `watch_http_404`...).

With `lock=True` (what `clippings crawl` and `clippings watch` pass) the run holds the crawl lock of
its campaign and database (`clippings.locks`): a second such crawl raises `CrawlLocked` before
anything is recorded or fetched.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clippings.article import WatchObservation, status_counts
from clippings.campaign import Campaign, load_campaign
from clippings.locks import crawl_lock
from clippings.store.repository import RunSummary, Store

SPIDERS = ("feeds", "sitemaps", "urls", "sections", "watch")
_SOURCES = {"feeds": "feeds", "sitemaps": "sitemaps", "urls": "urls", "sections": "sections"}


@dataclass(frozen=True)
class CrawlSummary(RunSummary):
    """A crawl run's summary with the watched counters read during it."""

    watch: tuple[WatchObservation, ...] = ()  # this run's readings, oldest first

    @property
    def watch_counts(self) -> dict[str, int]:
        """How many watched pages were found, missing (no counter) and in error (not fetched)."""
        return status_counts(self.watch)


def spiders_for(campaign: Campaign, only: str | None = None, forced_urls: bool = False) -> list[str]:
    """The spiders worth running: `only` if given, else each source type some outlet lists, then
    `watch` if the campaign watches counter pages."""
    if only:
        return [only]
    names = [n for n in SPIDERS if n in _SOURCES and any(getattr(o, _SOURCES[n]) for o in campaign.outlets)]
    if campaign.watch:
        names.append("watch")
    return names or (["urls"] if forced_urls else [])


def run_crawl(
    campaign_path: str | Path,
    db_url: str,
    *,
    only: str | None = None,
    settings: Sequence[str] = (),
    spider_args: dict[str, str] | None = None,
    progress: bool = True,
    verbose: bool = False,
    in_process: bool = False,
    lock: bool = False,
    own_session: bool = False,
) -> CrawlSummary:
    """Validate, record a run, crawl (in a child process unless `in_process`), return the summary.

    `in_process` is for a process that runs nothing else afterwards (the console script): the
    reactor cannot start twice in one process. `lock` holds the crawl lock of this campaign and
    database for the run. `own_session` starts the child in a session of its own, so that a
    Ctrl-C meant for the caller (`clippings watch`) does not reach it: the caller decides.

    Raises CampaignError for a bad campaign file, DatabaseUnavailable for an unreachable
    database and CrawlLocked when `lock` and another crawl holds it, before anything is fetched.
    """
    campaign = load_campaign(campaign_path)
    if lock:
        with crawl_lock(db_url, campaign.name):
            return _run(campaign, campaign_path, db_url, only, settings, spider_args, progress, verbose,
                        in_process, own_session)
    return _run(campaign, campaign_path, db_url, only, settings, spider_args, progress, verbose, in_process,
                own_session)


def _run(
    campaign: Campaign, campaign_path: str | Path, db_url: str, only: str | None, settings: Sequence[str],
    spider_args: dict[str, str] | None, progress: bool, verbose: bool, in_process: bool, own_session: bool,
) -> CrawlSummary:
    spiders = spiders_for(campaign, only, forced_urls=bool(spider_args))
    store = Store.open(db_url)
    try:
        store.sync_campaign(campaign)
        run_id = store.start_run(campaign.name, spiders)
        argv = ["--campaign", str(campaign_path), "--db", db_url, "--run-id", str(run_id),
                "--log-level", "INFO" if verbose else "WARNING"]
        if progress:
            argv += ["-s", "CLIPPINGS_PROGRESS_INTERVAL=5"]
        for name in spiders:
            argv += ["--spider", name]
        for setting in settings:
            argv += ["-s", setting]
        for key, value in (spider_args or {}).items():
            argv += ["-a", f"{key}={value}"]
        if not spiders:
            code = 0
        elif in_process:
            code = _crawl_here(argv)
        else:
            cmd = [sys.executable, "-m", "clippings.crawl", *argv]
            code = subprocess.call(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=own_session)
        return _finish(store, run_id, code, db_url, settings, campaign if "watch" in spiders else None)
    finally:
        store.close()


def _finish(store: Store, run_id: int, code: int, db_url: str, settings: Sequence[str],
            watching: Campaign | None) -> CrawlSummary:
    """Close the run and read its summary; DatabaseUnavailable (naming the spool) when the database
    is away at the end: what the crawl could not write waits in the spool (clippings.spool)."""
    from clippings.spool import is_unavailable, spool_dir_of, spool_path
    from clippings.store.db import DatabaseUnavailable

    try:
        store.finish_run(run_id, "finished" if code == 0 else f"failed (exit code {code})")
        return _summary(store, run_id, watching)
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        raise DatabaseUnavailable(
            f"the crawl ended (exit code {code}) but the database is unavailable to record run {run_id}; "
            f"what it could not store waits in {spool_path(db_url, spool_dir_of(settings))} and is stored by "
            "the next crawl"
        ) from None


def _summary(store: Store, run_id: int, watching: Campaign | None) -> CrawlSummary:
    """The run as stored, with the readings of the campaign's watched pages taken during it."""
    run = store.get_run(run_id)
    readings: tuple[WatchObservation, ...] = ()
    if watching is not None:
        names = {w.name for w in watching.watch}
        end = run.finished_at
        readings = tuple(
            o for o in store.observations(since=run.started_at)
            if o.name in names and (end is None or o.observed_at <= end)
        )
    return CrawlSummary(**vars(run), watch=readings)


def _crawl_here(argv: list[str]) -> int:
    """`main(argv)` in this process; its exit code, also when it raises."""
    try:
        return main(argv)
    except SystemExit as exc:  # a bad argument or -s/-a pair
        if isinstance(exc.code, int):
            return exc.code  # argparse has printed why
        print(f"clippings: {exc.code}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the run is still recorded as failed
        print(f"clippings: the crawl failed: {exc}", file=sys.stderr)
        return 1


def _parse_pairs(pairs: Sequence[str], what: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"{what} must look like NAME=VALUE, not {pair!r}")
        out[key.strip()] = value
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """The child process: run the named spiders one after another in one reactor."""
    parser = argparse.ArgumentParser(prog="python -m clippings.crawl")
    parser.add_argument("--campaign", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--run-id", type=int)
    parser.add_argument("--spider", action="append", choices=SPIDERS, required=True)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("-s", dest="settings", action="append", default=[])
    parser.add_argument("-a", dest="args", action="append", default=[])
    ns = parser.parse_args(argv)

    from scrapy.crawler import AsyncCrawlerRunner
    from scrapy.settings import Settings
    from scrapy.utils.log import configure_logging
    from scrapy.utils.reactor import install_reactor

    settings = Settings()
    settings.setmodule("clippings.settings", priority="project")
    settings.set("LOG_LEVEL", ns.log_level, priority="cmdline")
    settings.set("CLIPPINGS_DB", ns.db, priority="cmdline")
    if ns.run_id:
        settings.set("CLIPPINGS_RUN_ID", ns.run_id, priority="cmdline")
    for key, value in _parse_pairs(ns.settings, "-s").items():
        settings.set(key, value, priority="cmdline")
    spider_args = _parse_pairs(ns.args, "-a")

    redis_url = settings.get("CLIPPINGS_REDIS_URL")
    if redis_url:  # a worker of distributed mode (clippings.distributed): Redis's scheduler and dupefilter
        from clippings.distributed import configure

        configure(settings, load_campaign(ns.campaign).name)

    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor

    configure_logging(settings)
    runner = AsyncCrawlerRunner(settings)
    failures: list[str] = []

    async def crawl_all() -> None:
        try:
            if redis_url:  # the source spiders at once, each for as long as the shared frontier has work
                from clippings.distributed import crawl_as_workers

                await crawl_as_workers(runner, ns.spider, failures, campaign=ns.campaign, **spider_args)
                return
            for name in ns.spider:
                try:
                    await runner.crawl(name, campaign=ns.campaign, **spider_args)
                except Exception as exc:  # one spider failing must not stop the others
                    failures.append(f"{name}: {exc}")
                    print(f"clippings: spider {name} failed: {exc}", file=sys.stderr)
        finally:
            reactor.stop()  # type: ignore[misc]

    from scrapy.utils.defer import deferred_from_coro

    reactor.callWhenRunning(lambda: deferred_from_coro(crawl_all()))
    reactor.run()  # type: ignore[misc]
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""`clippings watch`: poll each source on its own interval until stopped.

The loop, once per turn: read the campaign file (an edit takes effect at the next turn; a broken
file keeps the last good one and says why), read every source's state from the store, and crawl
the sources that are due, one crawl per source kind (`feeds`, then `sitemaps`...) with
`-a sources=URL,...` so that only those are fetched. A source is due when its `next_due_at` has
passed, or when it was never polled. Then sleep until the next source is due (at most
`max_sleep`). Crawls run one at a time, so a source is never crawled by two crawls at once; each
crawl holds the campaign's crawl lock (`clippings.locks`), and when a `clippings crawl` holds it
the turn waits `locked_retry` seconds and tries again.

When and how often comes from the store: each spider records every poll of a source, and
`clippings.sources.next_state` (the poll policy: adaptive interval, back-off) sets its
`next_due_at`. A source whose poll was not recorded (its crawl failed or raised, or it was stopped before the
source answered) is held back for its scheduled interval, never retried in a tight loop; a crawl
that raises (a database gone for a while) is logged and the loop goes on.

Sources of the kinds a crawl has a spider for are polled (`SCHEDULED_KINDS`: feeds and sitemaps,
and section pages once `clippings.crawl.SPIDERS` runs the `sections` spider); `[[watch]]` counter
pages and `urls` lists are read by `clippings crawl` only.

A source that becomes `failing` (every poll failed for 24 hours) or `silent` (no entries for 7 days)
is reported once in the log when its flag is raised; `clippings sources` shows the flags.

Stopping: SIGTERM or SIGINT (Ctrl-C) set a flag; a crawl in progress runs to its end (its child
process is in a session of its own, so a Ctrl-C at the terminal reaches only the scheduler), its
polls are recorded, and the loop exits. A second signal while a crawl runs is ignored: the crawl
process may be stopped by hand (Scrapy closes its spider and records what it read).

Everything that touches time or the outside is injected (`clock`, `sleep`, `crawl`), so the tests
drive the loop with a fake clock.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from clippings.campaign import SCHEDULE_KINDS, Campaign, CampaignError, load_campaign
from clippings.crawl import SPIDERS
from clippings.locks import CrawlLocked
from clippings.sources import flags

SCHEDULED_KINDS = tuple(k for k in SCHEDULE_KINDS if k in SPIDERS)  # the kinds a crawl has a spider for


@dataclass(frozen=True)
class Batch:
    """One crawl to run: the due sources of one kind."""

    kind: str
    urls: tuple[str, ...]


@dataclass(frozen=True)
class CrawlReport:
    """What one crawl of a batch did, as the loop reports it."""

    batch: Batch
    at: datetime
    status: str  # the crawl run's status ("finished", "failed (exit code 1)") or "locked"
    summary: Any = None


# crawl(batch, now) -> the run's summary (clippings.crawl.CrawlSummary); may raise CrawlLocked
CrawlFn = Callable[[Batch, datetime], Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


def due_batches(campaign: Campaign, states: dict[str, Any], now: datetime,
                held: dict[str, datetime] | None = None) -> list[Batch]:
    """The campaign's due sources, one batch per kind (in SCHEDULED_KINDS order), URLs in campaign order.

    `states` maps URL -> clippings.sources.SourceState (missing: never polled, hence due);
    `held` maps URL -> the time before which a source is not due whatever its state says.
    """
    held = held or {}
    batches = []
    for kind in SCHEDULED_KINDS:
        urls: list[str] = []
        for outlet in campaign.outlets:
            for url in getattr(outlet, kind):
                state = states.get(url)
                if url in urls or (url in held and held[url] > now):
                    continue
                if state is None or state.due(now):
                    urls.append(url)
        if urls:
            batches.append(Batch(kind, tuple(urls)))
    return batches


def next_wake(campaign: Campaign, states: dict[str, Any], held: dict[str, datetime]) -> datetime | None:
    """When the next of the campaign's scheduled sources is due (None: none is scheduled)."""
    times = []
    for kind in SCHEDULED_KINDS:
        for outlet in campaign.outlets:
            for url in getattr(outlet, kind):
                state = states.get(url)
                due = state.next_due_at if state is not None and state.next_due_at else datetime.min.replace(tzinfo=UTC)
                times.append(max(due, held.get(url, due)))
    return min(times) if times else None


@dataclass
class Scheduler:
    """The watch loop over one campaign file and one database (see the module docstring)."""

    campaign_path: Path
    db_url: str
    crawl: CrawlFn
    clock: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] | None = None  # default: an interruptible wait on the stop event
    log: Callable[[str], None] = print
    max_sleep: float = 60.0  # seconds: the longest nap, so that campaign edits are read
    locked_retry: float = 60.0  # seconds to wait when a `clippings crawl` holds the lock
    reports: list[CrawlReport] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _held: dict[str, datetime] = field(default_factory=dict)
    _campaign: Campaign | None = None
    _flagged: dict[str, set[str]] = field(default_factory=dict)  # URL -> flags already reported

    def stop(self, reason: str = "asked to stop") -> None:
        """Finish the crawl in progress (if any), then leave the loop."""
        if not self._stop.is_set():
            self.log(f"clippings watch: {reason}; stopping after the crawl in progress")
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _nap(self, seconds: float) -> None:
        if self.sleep is not None:
            self.sleep(seconds)
        else:
            self._stop.wait(seconds)

    def load(self) -> Campaign:
        """The campaign file as it is now; the last good one when it has become invalid."""
        try:
            self._campaign = load_campaign(self.campaign_path)
        except CampaignError as exc:
            if self._campaign is None:
                raise
            self.log(f"clippings watch: {exc} (keeping the campaign as it was)")
        assert self._campaign is not None
        return self._campaign

    def states(self) -> dict[str, Any]:
        from clippings.store.repository import Store
        from clippings.store.sources import source_states

        store = Store.open(self.db_url)
        try:
            return {s.url: s for s in source_states(store)}
        finally:
            store.close()

    def turn(self) -> float:
        """Crawl what is due now; the seconds until the next source is due (at most max_sleep)."""
        campaign = self.load()
        now = self.clock()
        states = self.states()
        for batch in due_batches(campaign, states, now, self._held):
            if self.stopping:
                return 0.0
            if not self._run(batch, self.clock(), campaign):  # the poll is dated when its crawl starts
                return self.locked_retry
            states = self.states()
        after = self.clock()
        wake = next_wake(campaign, states, self._held)
        if wake is None:
            return self.max_sleep
        return max(0.0, min(self.max_sleep, (wake - after).total_seconds()))

    def _run(self, batch: Batch, now: datetime, campaign: Campaign) -> bool:
        """Crawl one batch; False when the crawl lock is held by another crawl."""
        self.log(f"clippings watch: {now.isoformat(timespec='seconds')} polling {batch.kind}: {_count(batch)}")
        try:
            summary = self.crawl(batch, now)
        except CrawlLocked as exc:
            self.log(f"clippings watch: {exc}; trying again in {self.locked_retry:.0f} s")
            self.reports.append(CrawlReport(batch, now, "locked"))
            return False
        except Exception as exc:  # noqa: BLE001 - months of watching must outlive one bad crawl
            self.log(f"clippings watch: the crawl of {batch.kind} ({_count(batch)}) failed: {exc}")
            self.reports.append(CrawlReport(batch, now, f"error: {exc}"))
            summary = None
        else:
            self.reports.append(CrawlReport(batch, now, getattr(summary, "status", "finished"), summary))
        polled = self.states()
        for url in batch.urls:  # a source whose poll was not recorded waits its scheduled interval
            state = polled.get(url)
            if state is None or state.last_fetched_at is None or state.last_fetched_at < now:
                outlet = next((o.name for o in campaign.outlets if url in getattr(o, batch.kind)), "")
                self._held[url] = now + timedelta(seconds=campaign.interval(outlet, batch.kind))
            else:
                self._held.pop(url, None)
                raised = set(flags(state, now)) - self._flagged.get(url, set())
                for flag in sorted(raised):
                    self.log(f"clippings watch: {state.outlet} {batch.kind} {url} is {flag} ({_why(state, flag)})")
                self._flagged[url] = set(flags(state, now))
        if summary is not None and hasattr(summary, "status"):
            self.log(f"clippings watch: run {summary.id} {summary.status}: {summary.pages_fetched} pages, "
                     f"{summary.new_clippings} new clippings")
        return True

    def run(self, until: datetime | None = None, max_turns: int | None = None) -> None:
        """Loop until stopped (or, for tests, until the clock passes `until` or after `max_turns`)."""
        turns = 0
        while not self.stopping:
            if until is not None and self.clock() >= until:
                break
            if max_turns is not None and turns >= max_turns:
                break
            wait = self.turn()
            turns += 1
            if not self.stopping and wait > 0:
                self._nap(wait)


def _why(state: Any, flag: str) -> str:
    if flag == "failing":
        return f"failing since {state.failing_since:%Y-%m-%d %H:%M} UTC, last: {state.last_failure_kind}"
    return f"no entries since {state.last_entries_at:%Y-%m-%d %H:%M} UTC"


def _count(batch: Batch) -> str:
    return f"{len(batch.urls)} source" + ("" if len(batch.urls) == 1 else "s")


def crawl_function(campaign_path: Path, db_url: str, settings: Sequence[str] = (), verbose: bool = False) -> CrawlFn:
    """The real crawl: `clippings.crawl.run_crawl` of one batch, in a child process, holding the lock."""
    from clippings.crawl import run_crawl

    def crawl(batch: Batch, now: datetime) -> Any:
        return run_crawl(
            campaign_path, db_url, only=batch.kind, settings=(*settings, f"CLIPPINGS_POLL_TIME={now.isoformat()}"),
            spider_args={"sources": ",".join(batch.urls)}, progress=False, verbose=verbose, lock=True,
            own_session=True,
        )

    return crawl


def install_signal_handlers(scheduler: Scheduler) -> None:
    """SIGTERM and SIGINT stop the scheduler after the crawl in progress."""

    def handler(signum: int, frame: Any) -> None:
        scheduler.stop(f"received {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)

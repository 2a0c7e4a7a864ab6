"""The poll policy of a source (feed, sitemap, section page): pure functions, no I/O.

A scheduler polls each source on its own interval. After every poll, `next_state(state, result,
policy)` says what the source's state becomes: its interval, when it is due next, its failure
streak and its health. The numbers are `PollPolicy` fields (`policy_for` derives one from the
campaign's `[schedule]` interval of the source's kind), and these are the defaults:

- **The interval starts at the schedule's** (feeds 15 min, sitemaps 1 h, sections 6 h; see
  `clippings.campaign.DEFAULT_SCHEDULE`) and stays between a floor (a third of it, at least one
  minute: 5 min, 20 min, 2 h) and a ceiling (8 times it: 2 h, 8 h, 48 h).
- **Quiet sources slow down.** A poll that finds nothing new (`unchanged`: 304 or the same body;
  `no_new`: a changed body whose every link was known) adds one to the quiet streak; after 3 quiet
  polls in a row the interval is multiplied by 1.5 (up to the ceiling) and the streak restarts.
- **Busy sources speed up.** A poll that finds at least 5 new items halves the interval (down to
  the floor); any poll with a new item ends the quiet streak.
- **Failures back off.** The n-th failure in a row (DNS, connect, timeout, HTTP status, parse,
  robots...) puts the next poll `interval * 2 ** (n - 1)` away, at most the ceiling; the interval
  itself is kept, and the first success ends the streak.
- **Health flags.** `failing`: every poll has failed for 24 hours (since the streak's first
  failure). `silent`: no poll has returned a body with entries for 7 days (an unchanged body counts
  as nothing returned; a source never seen with entries counts from its first poll).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType

POLL_STATUSES = ("new", "no_new", "unchanged", "failed")


@dataclass(frozen=True)
class PollPolicy:
    """How a source's interval moves; every number documented in this module's docstring."""

    base: float  # seconds: the schedule's interval, where a source starts
    floor: float  # seconds: the shortest interval
    ceiling: float  # seconds: the longest interval, and the longest back-off
    slow_after: int = 3  # quiet polls in a row before slowing down
    slow_factor: float = 1.5
    speed_when: int = 5  # new items in one poll that speed the source up
    speed_factor: float = 0.5
    failing_after: timedelta = timedelta(hours=24)
    silent_after: timedelta = timedelta(days=7)

    def __post_init__(self) -> None:
        if not 0 < self.floor <= self.base <= self.ceiling:
            raise ValueError(f"need 0 < floor <= base <= ceiling, not {self.floor}, {self.base}, {self.ceiling}")


FLOOR_FRACTION = 1 / 3  # the floor is this fraction of the schedule's interval
MIN_FLOOR = 60.0  # seconds: no source is polled more often than once a minute
CEILING_FACTOR = 8.0  # the ceiling is this multiple of the schedule's interval


def policy_for(base_seconds: float) -> PollPolicy:
    """The default policy around a schedule interval: floor a third of it (>= 60 s), ceiling 8 times it."""
    floor = min(base_seconds, max(MIN_FLOOR, base_seconds * FLOOR_FRACTION))
    return PollPolicy(base=base_seconds, floor=floor, ceiling=base_seconds * CEILING_FACTOR)


@dataclass(frozen=True)
class PollResult:
    """What one poll of a source found."""

    status: str  # one of POLL_STATUSES
    at: datetime  # when the poll ran
    new_items: int = 0  # links not known before (articles to fetch)
    entries: int = 0  # entries in the body (0 when unchanged or failed)
    failure_kind: str | None = None  # dns, connect, timeout, http_500, parse, robots... (failed only)
    etag: str | None = None  # the response's validators: None keeps the stored one, "" clears it
    last_modified: str | None = None
    body_hash: str | None = None  # SHA-256 of the body (None: keep the stored one)

    def __post_init__(self) -> None:
        if self.status not in POLL_STATUSES:
            raise ValueError(f"poll status {self.status!r} is not one of {POLL_STATUSES}")
        if (self.status == "failed") != (self.failure_kind is not None):
            raise ValueError("a failed poll, and only a failed poll, has a failure kind")


@dataclass(frozen=True)
class SourceState:
    """A source's poll state and health, as the `sources` table keeps it."""

    url: str
    kind: str  # feeds, sitemaps, sections, urls
    outlet: str
    interval_seconds: int | None = None  # None: never polled (the schedule's interval applies)
    next_due_at: datetime | None = None  # None: due now
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_fetched_at: datetime | None = None
    last_success_at: datetime | None = None
    last_new_item_at: datetime | None = None
    last_entries_at: datetime | None = None
    last_status: str | None = None
    polls: int = 0
    quiet_polls: int = 0  # quiet polls in a row since the interval last moved (column unchanged_polls)
    failures: int = 0  # failed polls, all time
    consecutive_failures: int = 0
    failing_since: datetime | None = None
    last_failure_kind: str | None = None
    failures_by_kind: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    items_found: int = 0  # new items found, all time

    def due(self, now: datetime) -> bool:
        return self.next_due_at is None or self.next_due_at <= now


def next_state(state: SourceState, result: PollResult, policy: PollPolicy) -> SourceState:
    """The state after one poll (see the module docstring for the rules)."""
    now = result.at
    interval = clamp(state.interval_seconds or policy.base, policy)
    # a source never seen with entries counts as silent from its first poll
    entries_at = state.last_entries_at or (now if state.polls == 0 else None)
    if result.status == "failed":
        streak = state.consecutive_failures + 1
        kind = result.failure_kind or "other"
        by_kind = dict(state.failures_by_kind)
        by_kind[kind] = by_kind.get(kind, 0) + 1
        delay = min(policy.ceiling, interval * 2 ** (streak - 1))
        return replace(
            state, polls=state.polls + 1, last_fetched_at=now, last_status=result.status, last_entries_at=entries_at,
            interval_seconds=round(interval), next_due_at=now + timedelta(seconds=delay),
            failures=state.failures + 1, consecutive_failures=streak, failing_since=state.failing_since or now,
            last_failure_kind=kind, failures_by_kind=MappingProxyType(by_kind),
        )
    quiet = state.quiet_polls
    if result.new_items >= policy.speed_when:
        interval, quiet = max(policy.floor, interval * policy.speed_factor), 0
    elif result.new_items > 0:
        quiet = 0
    else:
        quiet += 1
        if quiet >= policy.slow_after:
            interval, quiet = min(policy.ceiling, interval * policy.slow_factor), 0
    seconds = round(interval)
    if result.status != "unchanged" and result.entries:
        entries_at = now
    return replace(
        state, polls=state.polls + 1, last_fetched_at=now, last_status=result.status, last_entries_at=entries_at,
        interval_seconds=seconds,
        next_due_at=now + timedelta(seconds=seconds),
        quiet_polls=quiet,
        consecutive_failures=0,
        failing_since=None,
        last_success_at=now,
        last_new_item_at=now if result.new_items else state.last_new_item_at,
        items_found=state.items_found + result.new_items,
        etag=_validator(state.etag, result.etag),
        last_modified=_validator(state.last_modified, result.last_modified),
        body_hash=result.body_hash or state.body_hash,
    )


def _validator(stored: str | None, given: str | None) -> str | None:
    """A response's validator: None keeps the stored one (a 304 without it), "" clears it (a 200 without it)."""
    if given is None:
        return stored
    return given or None


def clamp(seconds: float, policy: PollPolicy) -> float:
    """An interval held between the policy's floor and ceiling."""
    return min(policy.ceiling, max(policy.floor, seconds))


def flags(state: SourceState, now: datetime, policy: PollPolicy | None = None) -> tuple[str, ...]:
    """`failing` (every poll failed for 24 h) and/or `silent` (no entries for 7 days), in that order."""
    failing_after = policy.failing_after if policy else PollPolicy.failing_after
    silent_after = policy.silent_after if policy else PollPolicy.silent_after
    found = []
    if state.failing_since is not None and now - state.failing_since >= failing_after:
        found.append("failing")
    if state.last_entries_at is not None and now - state.last_entries_at >= silent_after:
        found.append("silent")
    return tuple(found)

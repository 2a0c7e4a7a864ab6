"""The poll policy (clippings.sources), the campaign's [schedule], and the poll state in the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clippings.campaign import DEFAULT_SCHEDULE, CampaignError, parse_campaign
from clippings.sources import PollPolicy, PollResult, SourceState, flags, next_state, policy_for

T0 = datetime(2026, 1, 1, tzinfo=UTC)
FEEDS = policy_for(900)  # the default feed schedule: 15 minutes


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def poll(state: SourceState, status: str, minutes: float, new: int = 0, entries: int = 0,
         kind: str | None = None, policy: PollPolicy = FEEDS, **validators: str | None) -> SourceState:
    return next_state(state, PollResult(status, at(minutes), new_items=new, entries=entries, failure_kind=kind,
                                        **validators), policy)  # type: ignore[arg-type]


def fresh() -> SourceState:
    return SourceState(url="https://o.example/feed", kind="feeds", outlet="O")


def test_default_policies_per_kind() -> None:
    assert (FEEDS.base, FEEDS.floor, FEEDS.ceiling) == (900, 300, 7200)
    sitemaps = policy_for(DEFAULT_SCHEDULE["sitemaps"])
    assert (sitemaps.floor, sitemaps.ceiling) == (1200, 8 * 3600)
    sections = policy_for(DEFAULT_SCHEDULE["sections"])
    assert (sections.floor, sections.ceiling) == (2 * 3600, 48 * 3600)
    assert policy_for(60).floor == 60  # never below a minute, never above the base
    with pytest.raises(ValueError):
        PollPolicy(base=100, floor=200, ceiling=300)


def test_first_poll_starts_at_the_schedule_and_records_everything() -> None:
    s = poll(fresh(), "new", 0, new=2, entries=4, etag='"v1"', last_modified="Thu, 01 Jan 2026 00:00:00 GMT",
             body_hash="ab" * 32)
    assert s.interval_seconds == 900 and s.next_due_at == at(15)
    assert (s.polls, s.items_found, s.last_new_item_at, s.last_success_at, s.last_entries_at) == (1, 2, T0, T0, T0)
    assert (s.etag, s.last_modified, s.body_hash) == ('"v1"', "Thu, 01 Jan 2026 00:00:00 GMT", "ab" * 32)
    assert s.last_status == "new" and s.quiet_polls == 0 and flags(s, at(60)) == ()


def test_quiet_sources_slow_down_by_half_again_every_third_quiet_poll_up_to_the_ceiling() -> None:
    s = poll(fresh(), "new", 0, new=1, entries=1)
    intervals = []
    t = 0.0
    for i in range(12):
        t += s.interval_seconds / 60  # type: ignore[operator]
        s = poll(s, "unchanged" if i % 2 else "no_new", t, entries=1)
        intervals.append(s.interval_seconds)
    assert intervals == [900, 900, 1350, 1350, 1350, 2025, 2025, 2025, 3038, 3038, 3038, 4557]
    for _ in range(9):
        s = poll(s, "unchanged", t)
    assert s.interval_seconds == 7200  # the ceiling
    s = poll(s, "new", t, new=1, entries=1)
    assert s.interval_seconds == 7200 and s.quiet_polls == 0  # one new item ends the quiet streak only


def test_busy_sources_speed_up_to_the_floor() -> None:
    s = poll(fresh(), "new", 0, new=5, entries=5)
    assert s.interval_seconds == 450
    s = poll(s, "new", 10, new=12, entries=20)
    assert s.interval_seconds == 300 and s.next_due_at == at(15)  # the floor
    s = poll(s, "new", 15, new=4, entries=20)
    assert s.interval_seconds == 300  # below the threshold: kept


def test_failures_back_off_exponentially_capped_counted_by_kind_then_recover() -> None:
    s = poll(fresh(), "new", 0, new=1, entries=1)
    dues = []
    t = 15.0
    for kind in ("connect", "connect", "http_500", "timeout", "dns", "dns"):
        s = poll(s, "failed", t, kind=kind)
        dues.append((s.next_due_at - at(t)).total_seconds())  # type: ignore[operator]
        t += dues[-1] / 60
    assert dues == [900, 1800, 3600, 7200, 7200, 7200]
    assert dict(s.failures_by_kind) == {"connect": 2, "http_500": 1, "timeout": 1, "dns": 2}
    assert (s.failures, s.consecutive_failures, s.failing_since, s.last_failure_kind) == (6, 6, at(15), "dns")
    assert s.interval_seconds == 900 and s.last_success_at == T0 and s.last_status == "failed"
    assert flags(s, at(15) + timedelta(hours=23, minutes=59)) == ()
    assert flags(s, at(15) + timedelta(hours=24)) == ("failing",)
    s = poll(s, "unchanged", t)
    assert (s.consecutive_failures, s.failing_since, s.failures) == (0, None, 6)
    assert dict(s.failures_by_kind) == {"connect": 2, "http_500": 1, "timeout": 1, "dns": 2}  # kept: all time
    assert s.next_due_at == at(t + 15) and flags(s, at(t) + timedelta(days=2)) == ()


def test_silent_after_a_week_without_entries() -> None:
    s = poll(fresh(), "no_new", 0, entries=3)
    s = poll(s, "unchanged", 60 * 24 * 3)  # an unchanged body returns nothing new
    assert s.last_entries_at == T0
    assert flags(s, T0 + timedelta(days=6, hours=23)) == ()
    assert flags(s, T0 + timedelta(days=7)) == ("silent",)
    s = poll(s, "no_new", 60 * 24 * 8, entries=0)  # a changed body with no entries
    assert flags(s, T0 + timedelta(days=8)) == ("silent",)
    s = poll(s, "no_new", 60 * 24 * 9, entries=2)
    assert flags(s, T0 + timedelta(days=9)) == ()
    empty = poll(fresh(), "no_new", 0, entries=0)  # never any entry: counts from the first poll
    assert empty.last_entries_at == T0 and flags(empty, T0 + timedelta(days=7)) == ("silent",)


def test_validators_a_304_keeps_them_a_200_without_them_clears_them() -> None:
    s = poll(fresh(), "new", 0, new=1, entries=1, etag='"v1"', last_modified="M1", body_hash="h1")
    s = poll(s, "unchanged", 15)  # a 304 without validators
    assert (s.etag, s.last_modified, s.body_hash) == ('"v1"', "M1", "h1")
    s = poll(s, "no_new", 30, entries=1, etag="", last_modified="", body_hash="h2")
    assert (s.etag, s.last_modified, s.body_hash) == (None, None, "h2")
    s = poll(s, "failed", 45, kind="http_500")
    assert s.body_hash == "h2"


def test_poll_result_checks() -> None:
    with pytest.raises(ValueError):
        PollResult("changed", T0)
    with pytest.raises(ValueError):
        PollResult("failed", T0)
    with pytest.raises(ValueError):
        PollResult("new", T0, failure_kind="dns")


CAMPAIGN = """
[campaign]
name = "C"
phrases = ["Count Every Vote"]

[schedule]
feeds = "5m"
sitemaps = 7200

[[outlets]]
name = "Fast"
domains = ["fast.example"]
feeds = ["https://fast.example/rss"]
schedule = { feeds = "1m", sections = "1h30m" }

[[outlets]]
name = "Plain"
domains = ["plain.example"]
"""


def test_campaign_schedule_and_outlet_overrides() -> None:
    c = parse_campaign(CAMPAIGN)
    assert dict(c.schedule) == {"feeds": 300, "sitemaps": 7200, "sections": 6 * 3600}
    assert (c.interval("Fast", "feeds"), c.interval("Fast", "sitemaps"), c.interval("Fast", "sections")) == (
        60, 7200, 5400)
    assert c.interval("Plain", "feeds") == 300 and c.interval("nobody", "sections") == 6 * 3600
    default = parse_campaign(CAMPAIGN.replace('feeds = "5m"\nsitemaps = 7200\n', ""))
    assert dict(default.schedule) == DEFAULT_SCHEDULE == {"feeds": 900, "sitemaps": 3600, "sections": 21600}


@pytest.mark.parametrize(("old", "new", "message"), [
    ('feeds = "5m"', 'feeds = "5 minutes"', ':7: schedule.feeds: \'5 minutes\' is not a duration such as "15m"'),
    ('feeds = "5m"', 'feeds = "30s"', ":7: schedule.feeds: '30s' is out of range: between 1 minute and 7 days"),
    ('feeds = "5m"', 'feeds = "8d"', ":7: schedule.feeds: '8d' is out of range"),
    ('feeds = "5m"', "feeds = true", ":7: schedule.feeds: must be a duration"),
    ('feeds = "5m"', 'feeds = ""', ":7: schedule.feeds: '' is not a duration"),
    ('feeds = "5m"', 'urls = "5m"', ":7: schedule.urls: unknown key (expected one of: feeds, sitemaps, sections)"),
    ('schedule = { feeds = "1m", sections = "1h30m" }', 'schedule = { feeds = "1x" }',
     ":14: outlets[0].schedule.feeds: '1x' is not a duration"),
    ('schedule = { feeds = "1m", sections = "1h30m" }', 'schedule = "1m"',
     ":14: outlets[0].schedule: must be a table, not str"),
])  # fmt: skip
def test_schedule_errors_name_the_line_and_key(old: str, new: str, message: str) -> None:
    with pytest.raises(CampaignError) as caught:
        parse_campaign(CAMPAIGN.replace(old, new, 1), "campaign.toml")
    assert message in str(caught.value), str(caught.value)


def test_store_records_polls_atomically_and_reads_them_back(sqlite_url: str, tmp_path: Path) -> None:
    from clippings.store.repository import Store
    from clippings.store.sources import record_poll, source_states

    campaign = parse_campaign(CAMPAIGN)
    store = Store.open(sqlite_url)
    try:
        store.sync_campaign(campaign)
        [before] = source_states(store)
        assert (before.url, before.outlet, before.kind, before.polls, before.next_due_at) == (
            "https://fast.example/rss", "Fast", "feeds", 0, None)
        policy = policy_for(campaign.interval("Fast", "feeds"))
        record_poll(store, before.url, PollResult("new", T0, new_items=3, entries=3, etag='"e"', body_hash="h"),
                    policy)
        after = record_poll(store, before.url, PollResult("failed", at(1), failure_kind="connect"), policy)
        [read] = source_states(store, urls=[before.url])
        assert read == after
        assert (read.polls, read.items_found, read.failures, dict(read.failures_by_kind)) == (2, 3, 1, {"connect": 1})
        assert (read.etag, read.body_hash, read.last_success_at, read.next_due_at) == ('"e"', "h", T0, at(2))
        store.sync_campaign(campaign)  # syncing the campaign again keeps the poll state
        assert source_states(store) == [read]
        assert source_states(store, kinds=["sitemaps"]) == []
        with pytest.raises(KeyError):
            record_poll(store, "https://nowhere.example/rss", PollResult("unchanged", T0), policy)
    finally:
        store.close()

"""Sources' poll state in the store: read it, and record a poll result atomically.

The rules that turn a poll result into the next state live in `clippings.sources` (pure); this
module only moves `SourceState` in and out of the `sources` table, one transaction per poll.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clippings.sources import PollPolicy, PollResult, SourceState, next_state
from clippings.store.models import OutletRow, SourceRow
from clippings.store.repository import Store

# SourceState field -> sources column, where the names differ
_COLUMNS = {"quiet_polls": "unchanged_polls"}
_STATE_FIELDS = (
    "interval_seconds", "next_due_at", "etag", "last_modified", "body_hash", "last_fetched_at", "last_success_at",
    "last_new_item_at", "last_entries_at", "last_status", "polls", "quiet_polls", "failures", "consecutive_failures",
    "failing_since", "last_failure_kind", "failures_by_kind", "items_found",
)  # fmt: skip


def _state(row: SourceRow, outlet: str) -> SourceState:
    values: dict[str, Any] = {name: getattr(row, _COLUMNS.get(name, name)) for name in _STATE_FIELDS}
    values["failures_by_kind"] = MappingProxyType(dict(row.failures_by_kind or {}))
    for name in ("polls", "quiet_polls", "failures", "consecutive_failures", "items_found"):
        values[name] = values[name] or 0
    return SourceState(url=row.url, kind=row.kind, outlet=outlet, **values)


def source_states(
    store: Store, urls: Iterable[str] | None = None, kinds: Iterable[str] | None = None
) -> list[SourceState]:
    """The stored state of every source (or of these URLs, of these kinds), by outlet, kind and URL."""
    stmt = (
        select(SourceRow, OutletRow.name)
        .join(OutletRow, SourceRow.outlet_id == OutletRow.id)
        .order_by(OutletRow.name, SourceRow.kind, SourceRow.url)
    )
    if urls is not None:
        stmt = stmt.where(SourceRow.url.in_(list(urls)))
    if kinds is not None:
        stmt = stmt.where(SourceRow.kind.in_(list(kinds)))
    with store._read() as session:
        return [_state(row, name) for row, name in session.execute(stmt)]


def record_poll(store: Store, url: str, result: PollResult, policy: PollPolicy) -> SourceState:
    """Apply one poll's result to a source's stored state (one transaction) and return the new state.

    KeyError when the store has no such source (`Store.sync_campaign` adds the campaign's).
    """

    def work(session: Session) -> SourceState:
        found = session.execute(
            select(SourceRow, OutletRow.name)
            .join(OutletRow, SourceRow.outlet_id == OutletRow.id)
            .where(SourceRow.url == url)
            .with_for_update()
        ).first()
        if found is None:
            raise KeyError(f"no source {url!r} in the store")
        row, outlet = found
        state = next_state(_state(row, outlet), result, policy)
        for name in _STATE_FIELDS:
            value = getattr(state, name)
            setattr(row, _COLUMNS.get(name, name), dict(value) if name == "failures_by_kind" else value)
        return state

    return store._transact(work)

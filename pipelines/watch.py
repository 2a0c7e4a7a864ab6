"""The watch spider's pipeline: store every `WatchObservation` (found, missing or error), count the run.

It is the store pipeline with observations instead of pages: the same store, crawl run and run
counts (pages fetched, errors by kind, where a counter gone missing counts as `watch_missing`).
Every reading is stored, unchanged values included; a missing counter is stored with status
"missing" and no value, never as zero. The watch spider names this pipeline in its
`custom_settings`: the article pipelines never see an observation.
"""

from __future__ import annotations

from clippings.article import WatchObservation
from pipelines.store import StorePipeline


class WatchPipeline(StorePipeline):
    """Writes observations through `Store.record_observation`, one transaction each."""

    def process_item(self, item: WatchObservation) -> WatchObservation:  # type: ignore[override]
        if not isinstance(item, WatchObservation):
            raise TypeError(f"the watch pipeline stores WatchObservation items, not {type(item).__name__}")
        self.store.record_observation(item)
        return item

"""Run the pipelines' CPU-heavy pure functions in worker processes, off the crawl's event loop.

Scrapy fetches, schedules and parses on one core. Extraction (trafilatura), language detection
(langdetect) and the precise relevance check cost tens of milliseconds per candidate page; run
inline they would stall fetching. `offload(crawler)` gives the crawl's one shared `Offload`: with
`CLIPPINGS_WORKERS = N > 0` it runs functions in a pool of N processes (started on first use with
"spawn", so no reactor or thread state is forked), with 0 it runs them inline. Only pages that
pass the prefilter get here, so the pool is idle for most of a crawl.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import signals


class Offload:
    """Runs functions inline (workers=0) or in a process pool, awaited from async pipelines."""

    def __init__(self, workers: int):
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, fn: Callable[..., Any] | str, *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs); fn may be named "module:function", imported only where it runs.

        Naming the function keeps heavy libraries (trafilatura, langdetect) out of the crawl
        process when workers do the work. In a worker, the arguments must pickle.
        """
        if isinstance(fn, str):
            args, fn = (fn, *args), call_by_name
        if not self.workers:
            return fn(*args, **kwargs)
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        call = functools.partial(fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def call_by_name(name: str, *args: Any, **kwargs: Any) -> Any:
    """Import "module:function" (once per process) and call it."""
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)(*args, **kwargs)


def offload(crawler: Any) -> Offload:
    """The crawler's shared Offload, created on first call and closed when the spider closes."""
    existing = getattr(crawler, "_clippings_offload", None)
    if existing is not None:
        return existing
    shared = Offload(crawler.settings.getint("CLIPPINGS_WORKERS"))
    crawler._clippings_offload = shared
    crawler.signals.connect(shared.close, signal=signals.spider_closed, weak=False)
    return shared

"""Run the pipelines' CPU-heavy pure functions in worker processes, off the crawl's event loop.

Scrapy fetches, schedules and parses on one core. Extraction (trafilatura), language detection
and the precise relevance check cost tens of milliseconds per candidate page; run
inline they would stall fetching. `offload(crawler)` gives the crawl's one shared `Offload`: with
`CLIPPINGS_WORKERS = N > 0` it runs functions in N worker processes, with 0 it runs them inline.
Only pages that pass the prefilter get here, so the workers are idle for most of a crawl.

A worker is `python -m pipelines.worker`, started on first use and fed over a pipe from the
event loop (see that module for the frames). Not `concurrent.futures.ProcessPoolExecutor`: its
"spawn" workers re-import the crawl's main module (the CLI, SQLAlchemy, Alembic: ~45 MB each),
it adds a resource-tracker process (~13 MB) and two threads in the crawl process; ours load
only what their calls need. A worker that dies fails its pending calls (the pages are counted as
failed by Scrapy) and the next call starts a new one.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import sys
from collections.abc import Callable
from typing import Any

from scrapy import signals

from pipelines.worker import HEADER, MAX_FRAME, call_by_name, frame

__all__ = ["Offload", "WorkerDied", "call_by_name", "offload"]
STOP_SECONDS = 10.0  # a worker still running this long after its input ends is killed


class WorkerDied(RuntimeError):
    """The worker process ended before answering."""


class _Worker:
    """One worker process: calls go out in order on its stdin, answers come back on its stdout."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.reader = asyncio.ensure_future(self._read_answers())

    @classmethod
    async def start(cls) -> _Worker:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "pipelines.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        return cls(proc)

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None and not self.reader.done()

    async def call(self, call_id: int, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        assert self.proc.stdin is not None
        payload = pickle.dumps((call_id, fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        try:
            self.proc.stdin.write(frame(payload))
            await self.proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            self.pending.pop(call_id, None)
            raise WorkerDied(f"worker {self.proc.pid} is gone: {exc}") from None
        return await future

    async def _read_answers(self) -> None:
        assert self.proc.stdout is not None
        error: BaseException = WorkerDied(f"worker {self.proc.pid} ended")
        try:
            while True:
                (size,) = HEADER.unpack(await self.proc.stdout.readexactly(HEADER.size))
                if size > MAX_FRAME:
                    raise WorkerDied(f"worker {self.proc.pid} sent a broken frame")
                call_id, ok, result = pickle.loads(await self.proc.stdout.readexactly(size))
                future = self.pending.pop(call_id, None)
                if future is None or future.done():
                    continue
                if ok:
                    future.set_result(result)
                else:
                    future.set_exception(result)
        except asyncio.IncompleteReadError:
            code = await self.proc.wait()
            error = WorkerDied(f"worker {self.proc.pid} ended (exit code {code})")
        except Exception as exc:  # noqa: BLE001 - whatever broke the stream ends this worker
            error = exc
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(error)
            self.pending.clear()

    async def stop(self) -> None:
        """End the worker's input and wait for it to finish (killing it after STOP_SECONDS)."""
        if self.proc.stdin is not None and not self.proc.stdin.is_closing():
            self.proc.stdin.close()
        try:
            await asyncio.wait_for(self.proc.wait(), STOP_SECONDS)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        await asyncio.gather(self.reader, return_exceptions=True)


class Offload:
    """Runs functions inline (workers=0) or in worker processes, awaited from async pipelines."""

    def __init__(self, workers: int):
        self.workers = max(0, workers)
        self._pool: list[_Worker] = []
        self._ids = itertools.count(1)
        self._starting: asyncio.Lock | None = None

    async def run(self, fn: Callable[..., Any] | str, *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs); fn may be named "module:function", imported only where it runs.

        Naming the function keeps heavy libraries (trafilatura, the language model) out of the crawl
        process when workers do the work. In a worker, the arguments and the result must pickle.
        """
        if isinstance(fn, str):
            args, fn = (fn, *args), call_by_name
        if not self.workers:
            return fn(*args, **kwargs)
        worker = await self._least_busy()
        return await worker.call(next(self._ids), fn, args, kwargs)

    async def _least_busy(self) -> _Worker:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:  # one start at a time; a dead worker is replaced
            self._pool = [w for w in self._pool if w.alive]
            idle = [w for w in self._pool if not w.pending]
            if not idle and len(self._pool) < self.workers:
                self._pool.append(await _Worker.start())
        return min(self._pool, key=lambda w: len(w.pending))

    async def close(self) -> None:
        """Stop every worker (each finishes the calls it has)."""
        pool, self._pool = self._pool, []
        await asyncio.gather(*(w.stop() for w in pool), return_exceptions=True)


def offload(crawler: Any) -> Offload:
    """The crawler's shared Offload, created on first call and closed when the spider closes."""
    existing = getattr(crawler, "_clippings_offload", None)
    if existing is not None:
        return existing
    shared = Offload(crawler.settings.getint("CLIPPINGS_WORKERS"))
    crawler._clippings_offload = shared

    async def close(**_: Any) -> None:
        await shared.close()

    crawler.signals.connect(close, signal=signals.spider_closed, weak=False)
    return shared

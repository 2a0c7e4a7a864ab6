"""The worker offload: the same answers inline and in a spawned worker, functions named or passed."""

from __future__ import annotations

import asyncio

from clippings.campaign import parse_campaign
from clippings.relevance import assess_article
from pipelines.offload import Offload, WorkerDied, call_by_name

CAMPAIGN = parse_campaign('[campaign]\nname = "P"\norganizations = ["Indivisible"]\n', "inline.toml")
TEXT = ("Indivisible rallies", None, "Leaders of Indivisible said volunteers were ready in every state.")


def test_call_by_name_imports_and_calls() -> None:
    assert call_by_name("clippings.urls:canonicalize", "HTTP://Example.com:80/a?utm_source=x#f") == (
        "http://example.com/a"
    )


def test_inline_and_worker_give_the_same_mentions() -> None:
    async def both() -> tuple[object, object, object]:
        inline, pooled = Offload(0), Offload(1)
        try:
            a = await inline.run(assess_article, CAMPAIGN, *TEXT)
            b = await pooled.run(assess_article, CAMPAIGN, *TEXT)
            c = await pooled.run("clippings.language:detect_language", TEXT[2], outlet_default="en")
            return a, b, c
        finally:
            await pooled.close()

    inline, pooled, language = asyncio.run(both())
    assert inline == pooled and [m.field for m in inline] == ["headline", "body"]  # type: ignore[attr-defined]
    assert language.code == "en"  # type: ignore[attr-defined]


def test_workers_answer_concurrent_calls_in_their_own_order() -> None:
    async def many() -> list[int]:
        pool = Offload(2)
        try:
            return list(await asyncio.gather(*(pool.run("math:factorial", n) for n in range(30))))
        finally:
            await pool.close()

    import math

    assert asyncio.run(many()) == [math.factorial(n) for n in range(30)]


def test_a_worker_error_reaches_the_caller_and_the_worker_lives_on() -> None:
    async def calls() -> tuple[str, object, object]:
        pool = Offload(1)
        try:
            try:
                await pool.run("builtins:int", "not a number")
            except ValueError as exc:
                message = str(exc)
            printed = await pool.run("builtins:print", "stray output goes to stderr, not into the frames")
            return message, printed, await pool.run("builtins:len", "four")
        finally:
            await pool.close()

    message, printed, length = asyncio.run(calls())
    assert "not a number" in message and printed is None and length == 4


def test_a_dead_worker_fails_its_call_and_is_replaced() -> None:
    async def calls() -> tuple[BaseException | None, object]:
        pool = Offload(1)
        try:
            died = None
            try:
                await pool.run("os:_exit", 3)
            except WorkerDied as exc:
                died = exc
            return died, await pool.run("builtins:len", "again")
        finally:
            await pool.close()

    died, after = asyncio.run(calls())
    assert isinstance(died, WorkerDied) and "exit code 3" in str(died) and after == 5


def test_a_worker_loads_only_what_its_calls_need() -> None:
    async def modules() -> list[str]:
        pool = Offload(1)
        try:
            await pool.run(assess_article, CAMPAIGN, *TEXT)
            return await pool.run("builtins:eval", "sorted(__import__('sys').modules)")
        finally:
            await pool.close()

    loaded = asyncio.run(modules())
    assert "clippings.relevance" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("scrapy", "twisted", "sqlalchemy", "alembic", "click")]

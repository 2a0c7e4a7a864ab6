"""The worker offload: the same answers inline and in a spawned worker, functions named or passed."""

from __future__ import annotations

import asyncio

from clippings.campaign import parse_campaign
from clippings.relevance import assess_article
from pipelines.offload import Offload, call_by_name

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
            pooled.close()

    inline, pooled, language = asyncio.run(both())
    assert inline == pooled and [m.field for m in inline] == ["headline", "body"]  # type: ignore[attr-defined]
    assert language.code == "en"  # type: ignore[attr-defined]

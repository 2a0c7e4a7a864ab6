"""The claims step of the crawl: counts and quotes of relevant pages, and a page that breaks it.

The step runs `clippings.claims:article_claims` in a worker process (or inline with
CLIPPINGS_WORKERS=0). A page that breaks it (the function raises, or the worker dies on it) must
not stop the crawl: the failure is counted as a `claims` error of the run and the clipping is
stored without claims.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clippings.article import Extracted, Mention, Page, SourceHints
from clippings.store.repository import Store
from pipelines.claims import CLAIMS_FUNCTION, ClaimsPipeline

HEADLINE = "Over 200 Protests Already Planned"
LEDE = "The Count Every Vote coalition says more than 100 groups have signed on."
BODY = (
    "Organizers of the Count Every Vote coalition said more than 200 protests were planned. "
    "\u201cWe hope we never need a single one of them,\u201d said Sean Eldridge, who leads Stand Up America."
)
CAMPAIGN = """
[campaign]
name = "Protect the Results"
phrases = ["Count Every Vote"]
organizations = ["Stand Up America"]
people = ["Sean Eldridge"]
"""


def raise_on_the_page(*args: Any) -> Any:
    """What a bug in an extractor does: raise on some page."""
    raise ValueError("an extractor choked on this page")


def end_the_worker(*args: Any) -> Any:
    """What a crash in an extractor's native code does: the worker process ends mid-call."""
    os._exit(3)


def make_crawler(tmp_path: Path, workers: int) -> Any:
    from scrapy.utils.test import get_crawler

    from spiders.urls import UrlsSpider

    campaign_file = tmp_path / "campaign.toml"
    campaign_file.write_text(CAMPAIGN)
    crawler = get_crawler(UrlsSpider, {
        "CLIPPINGS_SKIP_KNOWN": False, "CLIPPINGS_DB": f"sqlite:///{tmp_path / 'crawl.db'}",
        "CLIPPINGS_WORKERS": workers,
    })
    crawler.spider = crawler._create_spider(campaign=str(campaign_file))
    crawler.stats.open_spider()
    return crawler


def page(slug: str = "200-protests", mentions: bool = True) -> Page:
    found = [Mention("Count Every Vote", "phrase", "body", BODY.index("Count"), BODY.index("Count") + 16,
                     "Count Every Vote")] if mentions else []
    return Page(
        url=f"https://daily-beacon.example/politics/{slug}.html", outlet="Daily Beacon", html="<html></html>",
        fetched_at=datetime(2020, 10, 29, 21, 0, tzinfo=UTC), hints=SourceHints(kind="sitemaps"),
        extracted=Extracted(headline=HEADLINE, lede=LEDE, body=BODY,
                            published_at=datetime(2020, 10, 29, 20, 42, tzinfo=UTC)),
        mentions=found, language="en", forced=not mentions,
    )


async def through(crawler: Any, pipeline: ClaimsPipeline, items: list[Page]) -> list[Page]:
    from pipelines.offload import offload

    try:
        return [await pipeline.process_item(item) for item in items]
    finally:
        await offload(crawler).close()


def store_all(crawler: Any, items: list[Page]) -> Store:
    """The store step on the pages, as the crawl runs it; the store, opened again, to read them."""
    from pipelines.store import StorePipeline

    store_step = StorePipeline.from_crawler(crawler)
    store_step.open_spider()
    for item in items:
        store_step.process_item(item)
    store_step.close_spider()
    return Store.open(crawler.settings["CLIPPINGS_DB"])


@pytest.mark.parametrize(("workers", "function"), [
    (0, f"{__name__}:raise_on_the_page"),
    (1, f"{__name__}:raise_on_the_page"),
    (1, f"{__name__}:end_the_worker"),
])
def test_a_page_that_breaks_the_step_is_stored_without_claims_and_counted(
    tmp_path: Path, workers: int, function: str
) -> None:
    crawler = make_crawler(tmp_path, workers)

    class Breaking(ClaimsPipeline):
        pass

    Breaking.function = function
    items = asyncio.run(through(crawler, Breaking(crawler), [page("a"), page("b")]))
    assert all(i.counts == [] and i.quotes == [] for i in items)
    assert crawler.stats.get_value("clippings/errors/claims") == 2
    with store_all(crawler, items) as store:
        stored = store.query()
        assert len(stored) == 2 and all(c.counts == () and c.quotes == () for c in stored)
        run = store.get_run(1)
    assert run.new_clippings == 2 and run.errors == {"claims": 2}


def test_a_page_given_by_hand_that_names_no_term_gets_no_claims(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path, 0)

    class Breaking(ClaimsPipeline):
        pass

    Breaking.function = f"{__name__}:raise_on_the_page"  # never called
    [item] = asyncio.run(through(crawler, Breaking(crawler), [page(mentions=False)]))
    assert item.counts == [] and crawler.stats.get_value("clippings/errors/claims") is None


def test_the_step_names_the_pure_function_and_sits_between_language_and_store() -> None:
    from clippings import settings

    assert CLAIMS_FUNCTION == "clippings.claims:article_claims"
    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.__getitem__)
    assert order == ["pipelines.extract.ExtractPipeline", "pipelines.relevance.RelevancePipeline",
                     "pipelines.language.LanguagePipeline", "pipelines.claims.ClaimsPipeline",
                     "pipelines.store.StorePipeline"]


@pytest.mark.parametrize("workers", [0, 1])
def test_relevant_pages_get_the_counts_of_headline_lede_and_body_and_the_quotes_of_the_body(
    tmp_path: Path, workers: int
) -> None:
    crawler = make_crawler(tmp_path, workers)
    [item] = asyncio.run(through(crawler, ClaimsPipeline(crawler), [page()]))
    got = [(c.field, c.value, c.kind, c.qualifier, c.span) for c in item.counts]
    assert got == [
        ("headline", 200, "events", "over", "Over 200"),
        ("lede", 100, "organizations", "over", "more than 100"),
        ("body", 200, "events", "over", "more than 200"),
    ]
    texts = {"headline": HEADLINE, "lede": LEDE, "body": BODY}
    assert all(texts[c.field][c.start:].startswith(c.span) for c in item.counts)
    [said] = item.quotes
    assert (said.text.rstrip(","), said.speaker, said.person) == (
        "We hope we never need a single one of them", "Sean Eldridge", "Sean Eldridge")
    assert BODY[said.start] == "\u201c" and BODY[said.end - 1] == "\u201d"
    assert crawler.stats.get_value("clippings/errors/claims") is None
    with store_all(crawler, [item]) as store:
        [stored] = store.query()
    assert stored.counts == tuple(item.counts) and stored.quotes == tuple(item.quotes)


def test_a_lede_the_body_repeats_gives_its_claims_once() -> None:
    from clippings.claims import article_claims

    lede = "More than 300 rallies are planned in 45 states."
    body = f"{lede}\n\nOrganizers said 12,000 people had signed up, up from 4,000 last week."
    counts, _ = article_claims("Over 300 Rallies Planned", lede, body, lang="en")
    assert [(c.field, c.value, c.kind) for c in counts] == [
        ("headline", 300, "events"), ("lede", 300, "events"), ("lede", 45, "locations"),
        ("body", 12000, "participants"), ("body", 4000, "participants"),
    ]
    assert all(c.start >= len(lede) for c in counts if c.field == "body")
    # a lede the body does not repeat keeps the body's own claims
    counts, _ = article_claims(None, "A summary: 300 rallies.", body, lang="en")
    assert [(c.field, c.value) for c in counts][:3] == [("lede", 300), ("body", 300), ("body", 45)]

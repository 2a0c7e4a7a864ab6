"""Publication dates: a floor on real pages with hand-checked dates, and one test per rule.

The real pages are a fixed subset of two corpora (tests/fixtures/corpus/dates-subset.json):
120 dated trafilatura-eval pages and 80 htmldate-mediacloud-2020 pages, 5 of them with no
determinable date (gold null: any date predicted for them counts as wrong). A page counts as right
when `published_at.date()` (the page's own day: its offset is kept) is the gold day.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clippings.extract import extract_article
from clippings.extract.dates import parse_local

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
SUBSET = CORPUS / "dates-subset.json"
CRAWL = datetime(2026, 1, 1, tzinfo=UTC)  # after every gold date
NOW = datetime(2024, 6, 1, tzinfo=UTC)
# Measured on this subset when the floors were set: trafilatura-eval 107/120 (0.892), mediacloud
# 72/80 (0.900); on all 728 and 200 pages of the two sets: 651 (0.894) and 184 (0.920).
FLOORS = {"trafilatura-eval": 0.87, "htmldate-mediacloud-2020": 0.88}
PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story says that the coalition held rallies in many cities, "
    f"and that volunteers counted every single vote with great care and patience.</p>"
    for i in range(6)
)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body><article>'
        f"<h1>Groups rally to count every vote</h1>{body}{PARAGRAPHS}</article></body></html>"
    )


def published(head: str = "", body: str = "", *, url: str = "https://example.org/news/1", lang: str = "en",
              now: datetime = NOW) -> datetime | None:
    return extract_article(page(head, body, lang), url, now=now).published_at


def meta(prop: str, value: str) -> str:
    return f'<meta property="{prop}" content="{value}">'


# --- real pages -----------------------------------------------------------------------------------


def subset() -> list[dict[str, str | None]]:
    pages: list[dict[str, str | None]] = json.loads(SUBSET.read_text(encoding="utf-8"))["pages"]
    return pages


def test_subset_is_there_and_licensed() -> None:
    pages = subset()
    assert sum(p["source"] == "trafilatura-eval" for p in pages) == 120
    assert sum(p["source"] == "htmldate-mediacloud-2020" for p in pages) == 80
    assert sum(p["date"] is None for p in pages) == 5
    for source in FLOORS:
        assert (CORPUS / source / "LICENSE.txt").is_file()
    for p in pages:
        assert (CORPUS / str(p["file"])).is_file(), p["file"]


def test_publication_day_floor_on_real_pages() -> None:
    right = dict.fromkeys(FLOORS, 0)
    total = dict.fromkeys(FLOORS, 0)
    misses = []
    for p in subset():
        html = gzip.decompress((CORPUS / str(p["file"])).read_bytes())
        when = extract_article(html, str(p["url"]), now=CRAWL).published_at
        got = when.date().isoformat() if when else None
        source = str(p["source"])
        total[source] += 1
        if got == p["date"]:
            right[source] += 1
        else:
            misses.append((source, p["url"], p["date"], got))
        if when is not None:
            assert when.utcoffset() is not None and when <= CRAWL
    for source, floor in FLOORS.items():
        rate = right[source] / total[source]
        assert rate >= floor, (source, rate, misses)


# --- one rule each --------------------------------------------------------------------------------


def test_page_offset_is_kept() -> None:
    when = published(meta("article:published_time", "2020-11-07T22:15:00+09:00"), url="https://example.jp/n/1")
    assert when == datetime(2020, 11, 7, 13, 15, tzinfo=UTC)  # the instant
    assert when is not None and when.utcoffset() == timedelta(hours=9)
    assert when.date().isoformat() == "2020-11-07"  # the page's own day, not UTC's


def test_utc_time_is_shown_in_the_publishers_zone() -> None:
    # a German site stores midnight Berlin time as 23:00 UTC of the day before
    when = published(meta("article:published_time", "2022-01-27T23:00:00Z"), url="https://example.de/a", lang="de")
    assert when == datetime(2022, 1, 27, 23, tzinfo=UTC)
    assert when is not None and (when.date().isoformat(), when.utcoffset()) == ("2022-01-28", timedelta(hours=1))
    # the offset the page's other timestamps use comes first
    body = '<time datetime="2022-05-03T23:37:37-04:00">3 May, 2022</time>'
    when = published(meta("article:published_time", "2022-05-04T03:37:37+00:00"), body, url="https://example.com/b")
    assert when is not None and when.isoformat() == "2022-05-03T23:37:37-04:00"


def test_utc_time_stays_utc_without_a_known_zone() -> None:
    when = published(meta("article:published_time", "2020-11-07T22:15:00Z"), url="https://example.com/n")
    assert when == datetime(2020, 11, 7, 22, 15, tzinfo=UTC) and when.tzinfo is UTC


def test_date_only_is_midnight_utc() -> None:
    when = published(meta("article:published_time", "2020-11-07"), url="https://example.de/n", lang="de")
    assert when == datetime(2020, 11, 7, tzinfo=UTC) and when.tzinfo is UTC


def test_naive_time_keeps_its_wall_clock() -> None:
    when = published(meta("article:published_time", "2020-11-07T23:30:00"), url="https://example.de/n", lang="de")
    assert when == datetime(2020, 11, 7, 23, 30, tzinfo=UTC)


def test_future_dates_are_refused() -> None:
    head = meta("article:published_time", "2031-01-01T00:00:00Z") + '<meta name="pubdate" content="2024-05-30">'
    assert published(head) == datetime(2024, 5, 30, tzinfo=UTC)
    assert published(meta("article:published_time", "2024-06-03T00:00:00+00:00")) is None
    body = "<p>Published 05.06.2024</p>"  # a written date after the crawl
    assert published(body=body, lang="de") is None


def test_modified_is_not_published() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", ' \
         '"dateModified": "2020-11-09T10:00:00Z"}</script>'
    head = ld + meta("article:modified_time", "2020-11-09T10:00:00Z") + meta("og:updated_time", "2020-11-09")
    assert published(head) is None
    body = '<time class="updated" datetime="2020-11-09T10:00:00Z">9 Nov</time>' \
           '<time class="entry-date published" datetime="2020-11-07T10:00:00Z">7 Nov</time>'
    assert published(body=body) == datetime(2020, 11, 7, 10, tzinfo=UTC)


def test_update_line_is_not_the_byline_date() -> None:
    body = "<p>Aktualisiert: 11.04.2020</p><p>Von Anna Muster, 03.04.2020</p>"
    assert published(body=body, lang="de") == datetime(2020, 4, 3, tzinfo=UTC)


def test_byline_date_is_read_when_the_markup_has_none() -> None:
    assert published(body="<p>Datum: 03.11.2021</p>", lang="de") == datetime(2021, 11, 3, tzinfo=UTC)
    assert published(body="<p>3. Februar 2022</p>", lang="de") == datetime(2022, 2, 3, tzinfo=UTC)
    assert published(body="<p>January 27, 2022</p>") == datetime(2022, 1, 27, tzinfo=UTC)
    assert published(body="<p>3 de mayo de 2022</p>", lang="es") == datetime(2022, 5, 3, tzinfo=UTC)


def test_copyright_years_and_comment_dates_are_not_publication_dates() -> None:
    footer = "<footer><p>© 2019 Example Media. All rights reserved.</p></footer>"
    comments = "<section class='comments'><p>Anna, 12.03.2021</p><p>Great piece!</p></section>"
    assert published(body=PARAGRAPHS + comments + footer, lang="de") is None


def test_url_day_and_utc_time_of_the_next_day() -> None:
    # 02:25 UTC on the 25th is still the 24th where the site is; the URL says the 24th
    head = meta("article:published_time", "2020-02-25T02:25:54Z")
    when = published(head, url="https://example.com/2020/02/24/story/")
    assert when == datetime(2020, 2, 25, 2, 25, 54, tzinfo=UTC)
    assert when is not None and when.date().isoformat() == "2020-02-24"
    # a date well before the URL's day belongs to another item: the URL's day is taken
    body = '<time datetime="2009-04-11 18:06:36">11. April 2009</time>'
    assert published(body=body, url="https://example.de/2019/10/22/story/") == datetime(2019, 10, 22, tzinfo=UTC)


def test_url_day_when_the_page_has_no_date() -> None:
    assert published(url="https://example.org/2020/11/07/count-every-vote/") == datetime(2020, 11, 7, tzinfo=UTC)
    assert published(url="https://example.org/news/20201107/count-every-vote") == datetime(2020, 11, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "dayfirst", "want"),
    [
        ("10/05/2022 05:22 pm", True, datetime(2022, 5, 10, 17, 22, tzinfo=UTC)),
        ("10/05/2022 05:22 pm", False, datetime(2022, 10, 5, 17, 22, tzinfo=UTC)),
        ("10.12.2022, 07:00:03", False, datetime(2022, 12, 10, 7, 0, 3, tzinfo=UTC)),  # dots: always day first
        ("2022-11-01 12:43", True, datetime(2022, 11, 1, 12, 43, tzinfo=UTC)),
    ],
)
def test_written_dates(raw: str, dayfirst: bool, want: datetime) -> None:
    assert parse_local(raw, dayfirst=dayfirst) == want


def test_ambiguous_dates_follow_the_page_language() -> None:
    head = meta("article:published_time", "10/05/2022 05:22 pm")
    assert published(head, lang="es") == datetime(2022, 5, 10, 17, 22, tzinfo=UTC)
    assert published(head, lang="en-US") == datetime(2022, 10, 5, 17, 22, tzinfo=UTC)

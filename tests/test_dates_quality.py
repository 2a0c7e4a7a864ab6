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
from clippings.extract.dates import _dateline, parse_local

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
SUBSET = CORPUS / "dates-subset.json"
CRAWL = datetime(2026, 1, 1, tzinfo=UTC)  # after every gold date
NOW = datetime(2024, 6, 1, tzinfo=UTC)
# Measured on this subset when the floors were set: trafilatura-eval 108/120 (0.900), mediacloud
# 72/80 (0.900); on all 728 and 200 pages of the two sets: 665 (0.913) and 187 (0.935).
FLOORS = {"trafilatura-eval": 0.88, "htmldate-mediacloud-2020": 0.88}
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


def test_utc_time_stays_on_the_day_the_byline_shows() -> None:
    # 23:07 UTC is the next day in Zurich, but the site itself prints the UTC day beside the title
    head = meta("article:published_time", "2019-12-26T23:07:45+00:00")
    when = published(head, "<p>26/12/2019</p>", url="https://example.ch/p", lang="de-DE")
    assert when == datetime(2019, 12, 26, 23, 7, 45, tzinfo=UTC) and when.date().isoformat() == "2019-12-26"
    # without that byline the publisher's zone still gives its day
    when = published(head, url="https://example.ch/p", lang="de-DE")
    assert when is not None and when.date().isoformat() == "2019-12-27"


def test_times_of_related_stories_and_comments_are_not_the_storys() -> None:
    related = (
        '<ul class="related-posts"><li><article><h3>Older story</h3>'
        '<time class="published" datetime="2020-12-03 07:32:49">3. Dezember 2020</time></article></li></ul>'
    )
    body = "<p>von Anna · 31. Oktober 2023</p>" + PARAGRAPHS + related
    assert published(body=body, lang="de") == datetime(2023, 10, 31, tzinfo=UTC)
    comment = (
        '<article class="comment-body"><footer class="comment-meta">'
        '<time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time></footer><p>Toll!</p></article>'
    )
    body = "<p>16. August 2019</p>" + PARAGRAPHS + comment
    assert published(body=body, lang="de") == datetime(2019, 8, 16, tzinfo=UTC)


def test_a_time_on_the_bylines_day_beats_a_later_named_date() -> None:
    # the page hero's <time> and its byline say 9 March; the meta is a later re-publication
    html = (
        '<html lang="de"><head><title>Eignet sich eine Wärmepumpe im Altbau?</title>'
        + meta("article:published_time", "2022-11-17T10:33:13.258Z")
        + '</head><body><div class="hero"><h1>Eignet sich eine Wärmepumpe im Altbau?</h1>'
        '<p>von Alexander Rosenkranz <time datetime="2022-03-09">09.03.2022</time></p></div>'
        f"<div>{PARAGRAPHS}</div></body></html>"
    )
    when = extract_article(html, "https://example.de/waermepumpe", now=NOW).published_at
    assert when is not None and when.date().isoformat() == "2022-03-09"


def test_a_dateline_that_opens_the_story_is_its_date() -> None:
    lede = "<p>{} Traditionell gedenken evangelische Christinnen und Christen am Ewigkeitssonntag ihrer Toten.</p>"
    assert published(body=lede.format("Karlsruhe, (12.11.2021)."), lang="de") == datetime(2021, 11, 12, tzinfo=UTC)
    assert published(body=lede.format("29.11.2022 –"), lang="de") == datetime(2022, 11, 29, tzinfo=UTC)
    hamburg = lede.format("Hamburg, den 2. Dezember 2022 -")
    assert published(body=hamburg, lang="de") == datetime(2022, 12, 2, tzinfo=UTC)
    # a sentence that begins with a date tells of an event, it is no dateline
    assert _dateline("Am 9. Oktober 2023 wurde Karola Wille vom Rundfunkrat verabschiedet.", NOW, True) is None
    assert _dateline("On January 5, 2020, the company announced its results.", NOW, False) is None


def test_unix_time_in_json_ld() -> None:
    for stamp in ("1676551869", "1676551869000"):
        ld = f'<script type="application/ld+json">{{"@type": "Article", "datePublished": {stamp}}}</script>'
        assert published(ld) == datetime(2023, 2, 16, 12, 51, 9, tzinfo=UTC)


def test_an_ambiguous_slashed_date_follows_the_day_the_page_writes() -> None:
    # a German page whose CMS writes its date meta in American order; the story's foot says 1 November
    head = '<meta name="date" content="11/01/2023 12:43:42">'
    body = PARAGRAPHS + "<p>Erstellt am: 01.11.2023</p>"
    assert published(head, body, lang="de") == datetime(2023, 11, 1, 12, 43, 42, tzinfo=UTC)
    assert published(head, lang="de") == datetime(2023, 1, 11, 12, 43, 42, tzinfo=UTC)  # nothing says otherwise


def test_a_date_labelled_as_the_publication_anywhere_in_the_text() -> None:
    foot = '<p class="footer-line">Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p>'
    assert published(body=PARAGRAPHS + foot, lang="de") == datetime(2023, 11, 1, tzinfo=UTC)


def test_cjk_written_dates() -> None:
    assert published(body="<p>2020年07月12日 | 馬市</p>", lang="ja") == datetime(2020, 7, 12, tzinfo=UTC)
    assert published(body="<p>입력 2020년 7월 3일</p>", lang="ko") == datetime(2020, 7, 3, tzinfo=UTC)


def test_a_url_day_long_before_the_named_date_is_the_first_publication() -> None:
    # a blog moved to a new CMS in 2019 stamps its import day; its address still says 2017
    head = meta("article:published_time", "2019-06-17T18:28:00+0200")
    when = published(head, url="https://example.de/home/2017/7/12/unter-uns-montauk")
    assert when == datetime(2017, 7, 12, tzinfo=UTC)
    # a few days later is the story going out after its address was made: the named date stands
    when = published(head, url="https://example.de/home/2019/06/12/unter-uns-montauk")
    assert when is not None and when.date().isoformat() == "2019-06-17"


def test_a_date_standing_alone_in_the_headline() -> None:
    html = (
        '<html lang="de"><head><title>BAFA - Statistik - MineralölINFO November 2021</title></head><body>'
        "<h1>Bundesamt für Wirtschaft</h1><nav><ul><li>Beratung (bis 31.12.2018)</li></ul></nav>"
        '<h1><span class="date">27.01.2022</span>MineralölINFO November 2021</h1>'
        f"<div>{PARAGRAPHS}</div></body></html>"
    )
    when = extract_article(html, "https://example.de/info.html", now=NOW).published_at
    assert when == datetime(2022, 1, 27, tzinfo=UTC)
    # a date within the headline's words is what the story is about, not when it was published
    headline = "Die Wahl vom 27.01.2022 und ihre Folgen"
    html = html.replace('<span class="date">27.01.2022</span>MineralölINFO November 2021', headline)
    html = html.replace("MineralölINFO November 2021</title>", f"{headline}</title>")
    html = html.replace("<div><p>", "<div><p>3. Februar 2022</p><p>")
    when = extract_article(html, "https://example.de/info.html", now=NOW).published_at
    assert when == datetime(2022, 2, 3, tzinfo=UTC)


def test_the_storys_own_containers_and_markup_outside_any_article_still_count() -> None:
    # a wrapper whose class names comments holds the whole story: its <time> is the story's
    html = (
        '<html lang="en"><head><title>Groups rally to count every vote</title>'
        '<meta itemprop="datePublished" content="2020-11-07"></head><body>'
        '<div class="post has-comments"><article><h1>Groups rally to count every vote</h1>'
        f'<time datetime="2020-11-06T09:00:00-05:00">Nov 6</time>{PARAGRAPHS}</article></div></body></html>'
    )
    when = extract_article(html, "https://example.com/n", now=NOW).published_at
    assert when == datetime(2020, 11, 7, tzinfo=UTC)  # the microdata in <head>, outside any article
    html = html.replace('<meta itemprop="datePublished" content="2020-11-07">', "")
    when = extract_article(html, "https://example.com/n", now=NOW).published_at
    assert when is not None and when.isoformat() == "2020-11-06T09:00:00-05:00"


def test_the_headers_date_of_the_day_is_not_the_storys() -> None:
    # the site header prints the day the page was served next to a masthead <h1>
    html = (
        '<html lang="en"><head><title>Groups rally to count every vote</title></head><body>'
        '<header><div class="today-date">Wednesday, August 19, 2020</div></header>'
        "<h1>Groups rally to count every vote</h1>"
        '<div class="current-date">Thursday, August 20, 2020</div>'
        f"<p>By Jane Doe, August 3, 2020</p>{PARAGRAPHS}</body></html>"
    )
    when = extract_article(html, "https://example.com/n", now=NOW).published_at
    assert when == datetime(2020, 8, 3, tzinfo=UTC)


def test_utc_time_takes_the_offset_of_the_pages_inline_data() -> None:
    # a US site without a country domain: its player data writes its own zone's offset
    data = (
        '<script>var schedule = {"date": "Fri, 01 May 2020 23:00:00 -0400",'
        ' "next": "2020-05-02T06:00:00-04:00"};</script>'
    )
    when = published(meta("article:published_time", "2020-05-02T02:54:29.000Z"), data, url="https://example.com/n")
    assert when is not None and when.isoformat() == "2020-05-01T22:54:29-04:00"
    # a page's own <time> offsets and its country's zone come first
    utc = meta("article:published_time", "2020-05-02T02:54:29Z")
    when = published(utc, data, url="https://example.de/n", lang="de")
    assert when is not None and when.isoformat() == "2020-05-02T04:54:29+02:00"


def test_digits_of_any_script_and_more_month_names() -> None:
    bengali = "<p>১৬:২০, ১৬ ফেব্রুয়ারি ২০২০</p>"
    assert published(body=bengali, lang="bn") == datetime(2020, 2, 16, tzinfo=UTC)
    arabic = "<p>الجمعة ٢٤ أبريل ٢٠٢٠</p>"
    assert published(body=arabic, lang="ar") == datetime(2020, 4, 24, tzinfo=UTC)
    assert published(body="<p>7 अक्टूबर 2020</p>", lang="hi") == datetime(2020, 10, 7, tzinfo=UTC)
    assert published(body="<p>２０２０年７月１２日</p>", lang="ja") == datetime(2020, 7, 12, tzinfo=UTC)
    persian = meta("article:published_time", "۲۰۲۰-۰۵-۱۰T۱۸:۵۹:۰۰+04:30")
    when = published(persian, url="https://example.ir/n", lang="fa")
    assert when is not None and when.isoformat() == "2020-05-10T18:59:00+04:30"


def test_a_compact_day_glued_to_a_name_is_not_written() -> None:
    from clippings.extract.dates import _page_writes
    from clippings.extract.document import parse_html, read_document

    def writes(html: str) -> bool:
        tree = parse_html(f"<html><body>{html}</body></html>")
        assert tree is not None
        return _page_writes(read_document(tree, "https://example.com/"), datetime(2020, 7, 15).date())

    assert writes('<img src="/images/20200715120909561.jpg">')
    assert not writes('<input value="/hashflags/Emoji_mini4WD20200715_2020/x.png">')
    for written in ("15. Juli 2020", "July 15th, 2020", "15 de julio de 2020", "2020年7月15日", "15.7.2020"):
        assert writes(f"<p>Published {written}</p>"), written
    for other in ("25. Juli 2020", "July 5, 2020", "15. Juni 2020", "2021-07-15"):
        assert not writes(f"<p>Published {other}</p>"), other


def test_a_republished_story_is_dated_as_its_byline_shows() -> None:
    # published first in 2021 (JSON-LD), re-published on the day its byline and a meta show,
    # which is also its declared last change
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
        ' "datePublished": "2021-12-14T15:41:07+01:00", "dateModified": "2022-02-04T15:33:00+01:00"}</script>'
    )
    head = ld + meta("article:published_time", "2022-02-04T15:33:00+01:00")
    when = published(head, "<p>04.02.2022</p>", url="https://example.de/n", lang="de")
    assert when is not None and when.isoformat() == "2022-02-04T15:33:00+01:00"
    # but a byline that shows only the last change does not move the publication
    head = ld + meta("article:modified_time", "2022-02-04T15:33:00+01:00")
    when = published(head, "<p>04.02.2022</p>", url="https://example.de/n", lang="de")
    assert when is not None and when.isoformat() == "2021-12-14T15:41:07+01:00"


def test_an_h2_headline_on_a_page_without_h1_and_a_forum_members_join_date() -> None:
    # no <h1>: the <h2> the title starts with is the headline (its dash may differ from the title's)
    html = (
        "<html lang=\"de\"><head><title>Kolumne: Queer Royal – Über Dragqueens</title></head><body>"
        "<nav><p>Stand: 01.11.2023</p><p>Menü</p><p>Suche</p><p>Kontakt</p><p>Impressum</p></nav>"
        "<h2>Kolumne: Queer Royal - Über Dragqueens</h2>"
        f"<p>Von Georg Kasch 31. Oktober 2023.</p>{PARAGRAPHS}</body></html>"
    )
    when = extract_article(html, "https://example.de/kolumne", now=NOW).published_at
    assert when == datetime(2023, 10, 31, tzinfo=UTC)
    # a forum post: the member's registration day (its label a piece of its own) is not the post's
    html = (
        '<html lang="de"><head><title>Was ist Freie Software - Forum</title></head><body>'
        "<h2>Was ist Freie Software</h2><dl><dd><strong>Registriert:</strong> 18.09.2008, 05:56</dd></dl>"
        f"<p>Beitrag von r23 » 21.01.2009, 05:42</p>{PARAGRAPHS}</body></html>"
    )
    when = extract_article(html, "https://example.de/viewtopic.php?t=167", now=NOW).published_at
    assert when == datetime(2009, 1, 21, tzinfo=UTC)

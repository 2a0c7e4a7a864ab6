"""Watched counters: reading a counter from a page (pure), and the crawl that records every reading.

The reading tests use plain HTML strings and the seed's petition page ("0 have signed. Let's get
to 1,000!", saved as tests/fixtures/watch/petition.html): the counter is 0, the goal 1,000 is not
the counter. The crawl tests serve the bundled demo site on 127.0.0.1 (its coalition pages carry
the counters that expected.json states) and crawl it through Scrapy in a child process.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from clippings.campaign import Watch, load_campaign
from clippings.cli import main
from clippings.crawl import run_crawl, spiders_for
from clippings.demo.server import EXPECTED_PATH, DemoSite, serve_demo
from clippings.store.repository import Store
from clippings.watch import MAX_HTML_CHARS, Found, Missing, page_text, parse_numeral, read_counter
from spiders.watch import report_lines

FIXTURES = Path(__file__).parent / "fixtures" / "watch"
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
URL = "https://act.example.org/petition"


def read(html: str, **watch: str) -> Found | Missing:
    return read_counter(html, URL, Watch(name="w", url=URL, **watch))


# --- reading a counter ---------------------------------------------------------------------------


def test_the_seed_petition_reads_zero_signatures_not_its_goal() -> None:
    page = (FIXTURES / "petition.html").read_text(encoding="utf-8")
    assert "0 have signed. Let’s get to 1,000!" in page
    assert read_counter(page, URL, Watch("Petition", URL)) == Found(0, "0 have signed")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,284 have signed. Let's get to 2,000!", 1284),
        ("Let's get to 2,000! 1,284 have signed.", 1284),
        ("Goal: 2,000 signatures. 1,284 people have signed so far.", 1284),
        ("Help us reach 5,000 signatures: 4,312 signatures so far", 4312),
        ("1,284 of 2,000 signatures", 1284),
        ("1.284 firmas", 1284),
        ("1 284 signatures", 1284),
        ("1\u00a0284 signatures", 1284),
        ("1\u202f284 personnes ont signé", 1284),
        ("1’284 Unterschriften", 1284),
        ("Signatures: 12,345", 12345),
        ("This petition was signed by 987 people", 987),
        ("1,000 signatures needed. 12 have signed", 12),
        ("715 more signatures needed. 285 have signed", 285),
        ("1234567 signatures", 1234567),
        ("A total of 1,284 signatures", 1284),
        ("12,345 verified signatures", 12345),
        ("1284/2000 signatures", 1284),
        ("We reached 1,000 signatures!", 1000),
    ],
)
def test_default_rule_reads_the_signature_counter(text: str, value: int) -> None:
    result = read(f"<html><body><p>{text}</p></body></html>")
    assert isinstance(result, Found), result
    assert result.value == value


@pytest.mark.parametrize(
    "text",
    [
        "Let's get to 1,000!",  # a goal only
        "We, the undersigned, ask the Foreign Secretary",
        "1,000 signatures needed",
        "Our goal: 2,000 signatures",
        "2.5 signatures",  # a decimal is not a count
        "Only 0.0025% of mail-in ballots",
        "In 2020 the petition closed.",
    ],
)
def test_default_rule_finds_no_counter_where_there_is_none(text: str) -> None:
    result = read(f"<p>{text}</p>")
    assert isinstance(result, Missing) and "no counter found" in result.reason


def test_default_rule_reads_words_of_the_watch_kind() -> None:
    html = "<h1>Map</h1><p>370 'Count Every Vote' events in 48 states, hosted by 135 groups.</p>"
    assert read(html, kind="events") == Found(370, "370 'Count Every Vote' events")
    assert read(html, kind="locations") == Found(48, "48 states")
    assert read(html, kind="organizations") == Found(135, "135 groups")
    assert isinstance(read(html, kind="signatures"), Missing)
    assert read("<p>Our goal is 500 events. 212 rallies planned</p>", kind="events") == Found(212, "212 rallies")


def test_script_style_comments_and_head_are_not_read() -> None:
    html = (
        '<html><head><title>999 have signed</title><script>var c = "888 have signed";</script></head>'
        "<body><style>.x:after{content:'777 signatures'}</style><!-- 666 signatures -->"
        "<noscript>555 have signed</noscript><p>Be the first: 0 have signed</p></body></html>"
    )
    assert read(html) == Found(0, "0 have signed")


def test_block_elements_end_lines_and_inline_ones_do_not() -> None:
    html = "<div><span class=n>1,284</span> <em>have signed</em></div><div>2,000</div><div>signatures</div>"
    assert read(html) == Found(1284, "1,284 have signed")
    assert page_text(lxml.html.fromstring(html)) == "1,284 have signed\n2,000\nsignatures"


def test_a_selector_reads_the_first_matching_element() -> None:
    html = (
        "<p>Goal 2,000</p><div class='count'>Signatures <b>1,284</b> of 2,000</div>"
        "<div class='count'>99</div><div class='empty'>No signatures yet</div>"
    )
    assert read(html, selector=".count") == Found(1284, "Signatures 1,284 of 2,000")
    missing = read(html, selector="#total")
    assert isinstance(missing, Missing) and missing.reason == "selector '#total' matched nothing"
    no_number = read(html, selector=".empty")
    assert isinstance(no_number, Missing) and "no number" in no_number.reason


def test_a_regex_reads_its_group_in_the_page_text_or_the_selected_element() -> None:
    html = "<p>Target 2,000.</p><p id=p>Progress: 1.284 / 2.000 firmas</p><p>Progress: 7 / 9</p>"
    assert read(html, regex=r"Progress: ([\d.,]+)") == Found(1284, "Progress: 1.284")
    assert read(html, selector="#p", regex=r"/ ([\d.]+)") == Found(2000, "/ 2.000")
    nothing = read(html, regex=r"Signed: (\d+)")
    assert isinstance(nothing, Missing) and "matched nothing" in nothing.reason
    assert read('{"id": 7, "signatures": 1284}', regex=r'"signatures":\s*(\d+)') == Found(1284, '"signatures": 1284')
    not_a_number = read(html, regex=r"(Target)")
    assert isinstance(not_a_number, Missing) and "not a number" in not_a_number.reason


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("0", 0), ("1,234", 1234), ("1.234", 1234), ("1 234", 1234), ("12\u202f345\u202f678", 12345678),
     ("1'234", 1234), ("1,23", None), ("1,2345", None), ("2.5", None), ("12a", None), ("", None),
     ("99999999999", None)],
)
def test_numerals_with_local_thousands_separators(numeral: str, value: int | None) -> None:
    assert parse_numeral(numeral) == value


def test_input_is_bounded() -> None:
    late = "<p>" + "x " * (MAX_HTML_CHARS // 2) + "</p><p>1,284 have signed</p>"
    assert isinstance(read(late), Missing)
    deep = "<div>" * 200 + "42 have signed" + "</div>" * 200
    assert read(deep) == Found(42, "42 have signed")
    too_deep = "<div>" * 5_000 + "42 have signed" + "</div>" * 5_000  # past the parser's depth limit
    assert isinstance(read(too_deep), Missing)
    long_text = read("<div id=c>" + "7 " * 10_000 + "</div>", selector="#c")
    assert isinstance(long_text, Found) and long_text.value == 7 and len(long_text.text) <= 200
    for empty in ("", "   ", "<html></html>"):
        assert isinstance(read(empty), Missing)


# --- crawling ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with serve_demo(tmp_path_factory.mktemp("demo")) as site:
        yield site


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def watch_campaign(path: Path, watches: list[dict[str, str]]) -> Path:
    lines = ['[campaign]', 'name = "Protect the Results"', 'phrases = ["Protect the Results"]']
    for w in watches:
        lines += ["", "[[watch]]", *(f"{k} = {json.dumps(v)}" for k, v in w.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def observations(db: str) -> list:
    with Store.open(db) as store:
        return store.observations()


@pytest.mark.e2e
def test_each_crawl_records_every_watched_counter_with_its_time(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    truth = {w["name"]: w for w in EXPECTED["watch"]}
    assert {w.name for w in load_campaign(demo.campaign_path).watch} == set(truth)

    first = run_crawl(demo.campaign_path, db, only="watch", settings=FAST, progress=False)
    second = run_crawl(demo.campaign_path, db, only="watch", settings=FAST, progress=False)
    for run in (first, second):
        assert run.status == "finished" and run.spiders == ("watch",)
        assert run.watch_counts == {"found": len(truth), "missing": 0, "error": 0}
        assert run.errors == {} and run.articles_seen == 0
    stored = observations(db)
    assert len(stored) == 2 * len(truth)  # the unchanged second reading is stored too
    for run in (first, second):
        assert run.finished_at is not None
        mine = [o for o in stored if run.started_at <= o.observed_at <= run.finished_at]
        assert sorted(o.name for o in mine) == sorted(truth) and {o.name for o in run.watch} == set(truth)
        for o in mine:
            want = truth[o.name]
            assert (o.status, o.value, o.text, o.kind) == ("found", want["value"], want["text"], want["kind"])
            assert o.url == demo.url(want["slug"], want["path"]) and o.detail is None
            assert o.observed_at.tzinfo is not None and o.observed_at <= datetime.now(UTC)
    by_name: dict[str, list] = {}
    for o in stored:
        by_name.setdefault(o.name, []).append(o)
    for series in by_name.values():
        assert series[0].value == series[1].value and series[0].observed_at < series[1].observed_at


@pytest.mark.e2e
def test_missing_counters_and_dead_pages_are_reported_and_the_crawl_goes_on(
    demo: DemoSite, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'missing.db'}"
    petition = next(w for w in EXPECTED["watch"] if w["name"] == "Petition")
    campaign = watch_campaign(tmp_path / "c.toml", [
        {"name": "Dead host", "url": f"http://127.0.0.1:{closed_port()}/petition/"},
        {"name": "Gone", "url": demo.url("coalition", "/petition/closed/")},
        {"name": "Forbidden", "url": demo.url("coalition", "/private/petition/")},
        {"name": "Home", "url": demo.url("coalition", "/")},  # no counter on the home page
        {"name": "Moved counter", "url": demo.url("coalition", "/petition/"), "selector": "#signatures"},
        {"name": "Petition", "url": demo.url("coalition", "/petition/")},
    ])
    run = run_crawl(campaign, db, settings=FAST, progress=True)
    assert run.status == "finished" and run.spiders == ("watch",)
    assert run.watch_counts == {"found": 1, "missing": 2, "error": 3}
    lines = report_lines(list(run.watch))  # what the spider logs when it closes
    assert 'Petition: 1,284 ("1,284 have signed")' in lines
    assert "Moved counter: missing (selector '#signatures' matched nothing)" in lines
    assert any(line.startswith("Gone: error (http_404: ") for line in lines)
    assert lines[-1] == "6 watched counters: 1 found, 2 missing, 3 errors"
    printed = capfd.readouterr().err.splitlines()
    assert not [line for line in printed if line.startswith("[watch] Petition")]  # no second copy
    assert run.errors == {"watch_missing": 2, "watch_connect": 1, "watch_http_404": 1, "watch_robots": 1}

    stored = {o.name: o for o in observations(db)}
    assert len(stored) == 6
    assert (stored["Petition"].status, stored["Petition"].value) == ("found", petition["value"])
    for name in ("Home", "Moved counter"):
        o = stored[name]
        assert (o.status, o.value, o.text) == ("missing", None, None)  # never recorded as zero
    assert "no counter found" in (stored["Home"].detail or "")
    assert stored["Moved counter"].detail == "selector '#signatures' matched nothing"
    for name, kind in (("Dead host", "connect"), ("Gone", "http_404"), ("Forbidden", "robots")):
        o = stored[name]
        assert (o.status, o.value) == ("error", None) and (o.detail or "").startswith(f"{kind}: "), o
    assert not any(o.value == 0 for o in stored.values())


@pytest.mark.e2e
def test_cli_crawl_prints_watch_problems_in_the_summary(demo: DemoSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    campaign = watch_campaign(tmp_path / "c.toml", [
        {"name": "Home", "url": demo.url("coalition", "/")},
        {"name": "Event map", "url": demo.url("coalition", "/events/"), "selector": ".event-total",
         "kind": "events"},
    ])
    result = CliRunner().invoke(
        main, ["crawl", "--campaign", str(campaign), "--db", db, *[a for s in FAST for a in ("-s", s)]]
    )
    assert result.exit_code == 0, result.output
    assert "errors: watch_missing 1" in result.output
    assert "Watched counters: 1 found, 1 missing, 0 errors" in result.output
    assert "  Event map: found 370 (370 events in 48 states)" in result.output
    assert result.output.count("Event map") == 1  # each reading printed once
    assert sorted((o.name, o.status, o.value) for o in observations(db)) == [
        ("Event map", "found", 370), ("Home", "missing", None)
    ]
    only = CliRunner().invoke(
        main, ["crawl", "--campaign", str(campaign), "--db", db, "--only", "watch",
               *[a for s in FAST for a in ("-s", s)]]
    )
    assert only.exit_code == 0, only.output
    assert "0 pages fetched" not in only.output and "Watched counters: 1 found, 1 missing" in only.output
    assert len(observations(db)) == 4  # a second reading of each, unchanged values included


def test_the_watch_spider_runs_after_the_article_spiders_when_there_are_watches(demo: DemoSite) -> None:
    campaign = load_campaign(demo.campaign_path)
    assert spiders_for(campaign) == ["feeds", "sitemaps", "urls", "sections", "watch"]
    assert spiders_for(campaign, only="watch") == ["watch"]

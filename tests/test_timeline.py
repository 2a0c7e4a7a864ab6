"""The coverage timeline (clippings.timeline): periods, counts, claims, rows, PNG, SVG and HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree, html

from clippings.store.repository import DayClaim, Store, StoredClipping, Timeline
from clippings.timeline import (
    CoverageTimeline,
    Period,
    PeriodClaim,
    clipping_day,
    coverage_timeline,
    render_html,
    render_png,
    render_svg,
    render_text,
    timeline_columns,
    timeline_json,
    timeline_rows,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def clip(outlet: str, published: datetime | None, language: str | None = "en",
         seen: datetime | None = None, n: int = 0) -> StoredClipping:  # fmt: skip
    first_seen = seen or datetime(2020, 12, 1, 9, 0, tzinfo=UTC)
    return StoredClipping(
        url=f"https://{outlet.lower().replace(' ', '-')}.example/{n}-{published}", outlet=outlet,
        headline=f"Story {n}", published_at=published, language=language, authors=(), lede=None,
        matched_terms=(), mentions=(), alias_urls=(), first_seen_at=first_seen, body="",
    )  # fmt: skip


def at(day: int, hour: int = 12, month: int = 11) -> datetime:
    return datetime(2020, month, day, hour, 0, tzinfo=UTC)


def claim(day: date, value: int, kind: str = "events", outlet: str = "Beacon", span: str | None = None,
          qualifier: str = "over", unit: str = "events") -> DayClaim:  # fmt: skip
    when = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
    url = f"https://{outlet.lower()}.example/{day.isoformat()}"
    return DayClaim(
        day=day, kind=kind, value=value, qualifier=qualifier, unit=unit, span=span or f"more than {value}",
        outlet=outlet, url=url, published_at=when, first=True, first_outlet=outlet, first_url=url,
        first_published_at=when,
    )  # fmt: skip


def claims(*day_claims: DayClaim) -> Timeline:
    return Timeline(claims=tuple(day_claims), watches=())


# --- periods --------------------------------------------------------------------------------------


def test_days_are_utc_days_with_empty_days_as_zero() -> None:
    cet = timezone(timedelta(hours=1))
    items = [
        clip("Beacon", at(2, 10)),
        clip("Beacon", datetime(2020, 11, 3, 0, 30, tzinfo=cet), n=1),  # 2 Nov 23:30 UTC
        clip("Ledger", at(5), language="es"),
    ]
    tl = coverage_timeline(items)
    assert tl.by == "day"
    assert [p.start for p in tl.periods] == [date(2020, 11, d) for d in range(2, 6)]
    assert all(p.start == p.end for p in tl.periods)
    assert [p.clippings for p in tl.periods] == [2, 0, 0, 1]
    empty = tl.periods[1]
    assert (empty.by_outlet, empty.by_language, empty.claims) == ({}, {}, ())
    assert tl.clippings == 3


def test_naive_datetimes_are_utc() -> None:
    assert clipping_day(clip("Beacon", datetime(2020, 11, 2, 23, 59))) == date(2020, 11, 2)


def test_undated_clippings_use_first_seen_at() -> None:
    undated = clip("Beacon", None, seen=datetime(2020, 11, 4, 22, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert clipping_day(undated) == date(2020, 11, 5)  # 03:00 UTC the next day
    tl = coverage_timeline([clip("Ledger", at(3)), undated])
    assert [(p.start, p.clippings) for p in tl.periods] == [
        (date(2020, 11, 3), 1), (date(2020, 11, 4), 0), (date(2020, 11, 5), 1)]
    assert tl.periods[-1].by_outlet == {"Beacon": 1}


def test_weeks_are_iso_weeks_from_monday_to_sunday() -> None:
    items = [
        clip("Beacon", at(1)),  # Sunday 1 Nov 2020: ISO week 44
        clip("Beacon", at(2), n=1),  # Monday: week 45
        clip("Ledger", at(8), n=2),  # Sunday: week 45
        clip("Ledger", at(23), n=3),  # Monday: week 48 (46 and 47 empty)
    ]
    tl = coverage_timeline(items, by="week")
    assert tl.by == "week"
    assert [(p.start, p.end) for p in tl.periods] == [
        (date(2020, 10, 26), date(2020, 11, 1)), (date(2020, 11, 2), date(2020, 11, 8)),
        (date(2020, 11, 9), date(2020, 11, 15)), (date(2020, 11, 16), date(2020, 11, 22)),
        (date(2020, 11, 23), date(2020, 11, 29))]  # fmt: skip
    assert all(p.start.weekday() == 0 and p.end.weekday() == 6 for p in tl.periods)
    assert [p.clippings for p in tl.periods] == [1, 2, 0, 0, 1]
    assert [p.label("week") for p in tl.periods] == ["2020-W44", "2020-W45", "2020-W46", "2020-W47", "2020-W48"]
    assert tl.periods[1].by_outlet == {"Beacon": 1, "Ledger": 1}


def test_week_label_uses_the_iso_year() -> None:
    tl = coverage_timeline([clip("Beacon", datetime(2021, 1, 2, tzinfo=UTC))], by="week")
    assert [(p.label("week"), p.start, p.end) for p in tl.periods] == [
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3))]
    assert timeline_rows(tl)[0]["period"] == "2020-W53"


def test_by_outlet_and_by_language_sum_to_the_clippings() -> None:
    items = [clip("Beacon", at(2), "en"), clip("Ledger", at(2), "es", n=1), clip("Ledger", at(2), None, n=2),
             clip("Wire", at(3), "fr"), clip("Ledger", at(4), "en", n=3), clip("Wire", at(4), "en", n=4)]
    for by in ("day", "week"):
        tl = coverage_timeline(items, by=by)
        for p in tl.periods:
            assert sum(p.by_outlet.values()) == p.clippings
            assert sum(p.by_language.values()) == p.clippings
        assert sum(p.clippings for p in tl.periods) == len(items)
    tl = coverage_timeline(items)
    assert tl.periods[0].by_outlet == {"Ledger": 2, "Beacon": 1}  # most first
    assert tl.periods[0].by_language == {"en": 1, "es": 1, "und": 1}  # no language: "und"
    assert tl.outlets == ("Ledger", "Wire", "Beacon")  # 3, 2, 1
    assert tl.languages == ("en", "es", "fr", "und")  # 3, then 1 each by code


def test_outlets_tied_on_total_are_sorted_by_name() -> None:
    tl = coverage_timeline([clip("Zeta", at(2)), clip("Alpha", at(3)), clip("Mid", at(3), n=1)])
    assert tl.outlets == ("Alpha", "Mid", "Zeta")


def test_since_and_until_bound_the_periods_and_the_counts() -> None:
    items = [clip("Beacon", at(1)), clip("Beacon", at(4), n=1), clip("Ledger", at(9), n=2)]
    tl = coverage_timeline(items, since=date(2020, 11, 3), until=date(2020, 11, 6))
    assert [p.start for p in tl.periods] == [date(2020, 11, d) for d in (3, 4, 5, 6)]
    assert [p.clippings for p in tl.periods] == [0, 1, 0, 0]
    assert tl.outlets == ("Beacon",)
    # Bounds beyond the data add empty periods.
    tl = coverage_timeline([clip("Beacon", at(4))], since=date(2020, 11, 2), until=date(2020, 11, 5))
    assert [p.clippings for p in tl.periods] == [0, 0, 1, 0]
    # One bound: the other end comes from the data.
    assert [p.start for p in coverage_timeline(items, since=date(2020, 11, 8)).periods] == [
        date(2020, 11, 8), date(2020, 11, 9)]
    assert coverage_timeline(items, until=date(2020, 11, 2)).periods[-1].start == date(2020, 11, 2)
    # Edge weeks are whole weeks, counting only the days inside the bounds.
    tl = coverage_timeline(items, by="week", since=date(2020, 11, 4), until=date(2020, 11, 9))
    assert [(p.start, p.end, p.clippings) for p in tl.periods] == [
        (date(2020, 11, 2), date(2020, 11, 8), 1), (date(2020, 11, 9), date(2020, 11, 15), 1)]


def test_no_data_and_bad_arguments() -> None:
    assert coverage_timeline([]).periods == ()
    assert coverage_timeline([], claims(), by="week").outlets == ()
    only_since = coverage_timeline([], since=date(2020, 11, 2))
    assert [(p.start, p.clippings) for p in only_since.periods] == [(date(2020, 11, 2), 0)]
    with pytest.raises(ValueError, match=r"unknown period 'month'.*'day' or 'week'"):
        coverage_timeline([clip("Beacon", at(2))], by="month")
    with pytest.raises(ValueError, match="after until"):
        coverage_timeline([], since=date(2020, 11, 5), until=date(2020, 11, 4))


# --- claims ---------------------------------------------------------------------------------------


def test_claims_are_the_highest_per_period_and_kind() -> None:
    items = [clip("Beacon", at(2)), clip("Ledger", at(9))]
    tl_claims = claims(
        claim(date(2020, 11, 2), 170, outlet="Beacon"),
        claim(date(2020, 11, 3), 370, outlet="Ledger", span="More than 370"),
        claim(date(2020, 11, 4), 250),
        claim(date(2020, 11, 3), 135, kind="organizations", qualifier="exactly", unit="groups", span="135"),
        claim(date(2020, 11, 10), 500, outlet="Wire"),  # after the last clipping: extends the range
    )
    days = coverage_timeline(items, tl_claims)
    assert days.periods[-1].start == date(2020, 11, 10)
    assert days.periods[1].claims == (
        PeriodClaim(kind="events", value=370, qualifier="over", unit="events", span="More than 370",
                    outlet="Ledger", url="https://ledger.example/2020-11-03", day=date(2020, 11, 3)),
        PeriodClaim(kind="organizations", value=135, qualifier="exactly", unit="groups", span="135",
                    outlet="Beacon", url="https://beacon.example/2020-11-03", day=date(2020, 11, 3)),
    )  # fmt: skip
    assert days.periods[5].claims == ()  # 7 November: no claim
    assert days.kinds == ("events", "organizations")

    weeks = coverage_timeline(items, tl_claims, by="week")
    assert [(p.start, [(c.kind, c.value, c.day) for c in p.claims]) for p in weeks.periods] == [
        (date(2020, 11, 2), [("events", 370, date(2020, 11, 3)), ("organizations", 135, date(2020, 11, 3))]),
        (date(2020, 11, 9), [("events", 500, date(2020, 11, 10))]),
    ]
    assert weeks.periods[0].claim("events") is not None
    assert weeks.periods[1].claim("organizations") is None


def test_claim_ties_keep_the_earliest_day_and_bounds_apply() -> None:
    tl_claims = claims(claim(date(2020, 11, 5), 370, outlet="Later"), claim(date(2020, 11, 3), 370, outlet="Early"),
                       claim(date(2020, 11, 1), 999, outlet="Before"))  # fmt: skip
    tl = coverage_timeline([], tl_claims, by="week", since=date(2020, 11, 2))
    (week,) = tl.periods
    assert [(c.outlet, c.day) for c in week.claims] == [("Early", date(2020, 11, 3))]
    assert week.clippings == 0  # claims alone make periods, with no clippings


# --- rows and text formats ------------------------------------------------------------------------


def sample() -> CoverageTimeline:
    items = [clip("Beacon", at(2)), clip("Ledger", at(2), "es", n=1), clip("Beacon", at(4), n=2)]
    return coverage_timeline(items, claims(
        claim(date(2020, 11, 2), 370, span="More than 370"),
        claim(date(2020, 11, 2), 2000, kind="participants", qualifier="approx", unit="protesters", span="miles"),
    ))  # fmt: skip


def test_rows_and_columns() -> None:
    tl = sample()
    columns = timeline_columns(tl)
    assert columns == ["period", "start", "end", "clippings", "outlet:Beacon", "outlet:Ledger", "lang:en", "lang:es",
                       "top_events", "top_participants"]  # fmt: skip
    rows = timeline_rows(tl)
    assert [set(r) for r in rows] == [set(columns)] * 3
    assert rows[0] == {
        "period": "2020-11-02", "start": date(2020, 11, 2), "end": date(2020, 11, 2), "clippings": 2,
        "outlet:Beacon": 1, "outlet:Ledger": 1, "lang:en": 1, "lang:es": 1,
        "top_events": ">370 events (More than 370)", "top_participants": "~2,000 protesters (miles)",
    }  # fmt: skip
    assert rows[1]["clippings"] == 0 and rows[1]["outlet:Beacon"] == 0 and rows[1]["top_events"] is None
    # top_events is always a column, even with no claim at all.
    assert timeline_columns(coverage_timeline([clip("Beacon", at(2))]))[-1] == "top_events"


def test_text_formats() -> None:
    tl = sample()
    table = render_text(tl, "table").splitlines()
    assert table[0].split()[:4] == ["period", "start", "end", "clippings"]
    assert table[3].startswith("2020-11-03  2020-11-03  2020-11-03  0")
    parsed = list(csv.DictReader(io.StringIO(render_text(tl, "csv"))))
    assert [r["clippings"] for r in parsed] == ["2", "0", "1"]
    assert parsed[0]["top_events"] == ">370 events (More than 370)"
    data = json.loads(render_text(tl, "json"))
    assert data == timeline_json(tl)
    assert data["by"] == "day" and data["clippings"] == 3 and data["outlets"] == ["Beacon", "Ledger"]
    first = data["periods"][0]
    assert first["start"] == "2020-11-02" and first["by_outlet"] == {"Beacon": 1, "Ledger": 1}
    assert first["claims"][0] == {
        "kind": "events", "value": 370, "qualifier": "over", "unit": "events", "span": "More than 370",
        "outlet": "Beacon", "url": "https://beacon.example/2020-11-02", "day": "2020-11-02",
        "text": ">370 events (More than 370)",
    }  # fmt: skip
    assert data["periods"][1]["claims"] == [] and data["periods"][1]["by_outlet"] == {}
    with pytest.raises(ValueError, match="unknown format"):
        render_text(tl, "png")


def test_csv_neutralises_formulas_in_outlet_names() -> None:
    tl = coverage_timeline([clip("=HYPERLINK(1)", at(2))], claims(claim(date(2020, 11, 2), 5, span="=1+1")))
    header, row = list(csv.reader(io.StringIO(render_text(tl, "csv"))))
    assert "outlet:=HYPERLINK(1)" in header  # prefixed, so no cell starts with "="
    assert row[-1] == ">5 events (=1+1)"


# --- PNG, SVG and HTML ----------------------------------------------------------------------------


def test_png_is_a_real_chart(tmp_path: Path) -> None:
    import matplotlib.image

    path = tmp_path / "timeline.png"
    render_png(sample(), path, "Coverage")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = matplotlib.image.imread(path)
    height, width, channels = pixels.shape
    assert (height, width) == (500, 800) and channels in (3, 4)
    assert pixels[..., :3].std() > 0.05  # something is drawn, not a blank canvas

    two_months = coverage_timeline([clip("Beacon", at(2)), clip("Ledger", at(30, month=12))])
    render_png(two_months, tmp_path / "days.png", "Days")
    assert matplotlib.image.imread(tmp_path / "days.png").shape[1] > 800  # wider for many periods
    weeks = coverage_timeline([clip("Beacon", at(2)), clip("Ledger", at(30, month=12))], by="week")
    render_png(weeks, tmp_path / "weeks.png", "Weeks")
    assert matplotlib.image.imread(tmp_path / "weeks.png").shape[:2] == (500, 800)
    render_png(coverage_timeline([]), tmp_path / "empty.png", "Nothing")
    assert matplotlib.image.imread(tmp_path / "empty.png").shape[:2] == (500, 800)


def test_svg_is_inline_xml_with_text_kept_as_text() -> None:
    svg = render_svg(sample(), "Coverage of $5 & more")
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    for words in ("Coverage of $5 & more", "Beacon", "Ledger", "highest events claim", "clippings"):
        assert words in texts
    assert render_svg(sample(), "Coverage of $5 & more") == svg  # deterministic (no date, fixed ids)


def hostile_timeline() -> CoverageTimeline:
    return coverage_timeline(
        [clip(HOSTILE, at(2)), clip("_hidden?", at(3))],
        claims(claim(date(2020, 11, 2), 370, outlet=HOSTILE, span="<script>alert(2)</script>",
                     unit="<b>events</b>")),
    )  # fmt: skip


def test_svg_escapes_hostile_outlet_names() -> None:
    svg = render_svg(hostile_timeline(), "Title <img src=y>")
    root = etree.fromstring(svg.encode())
    assert not root.xpath("//*[local-name()='img' or local-name()='script']")
    texts = [t.strip() for t in root.itertext()]
    assert HOSTILE in texts and "Title <img src=y>" in texts
    assert "_hidden?" in texts  # the legend shows names starting with "_" too


def test_html_is_self_contained_and_escapes_hostile_text() -> None:
    page = render_html(hostile_timeline(), "Coverage <img src=z>")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", page, re.I)
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(?!#)", page)  # only references within the page: url(#clip)
    doc = html.fromstring(page)
    assert not doc.xpath("//img | //script | //*[local-name()='img' or local-name()='script']")
    assert not [el for el in doc.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
    assert doc.findtext(".//title") == "Coverage <img src=z>"
    assert doc.findtext(".//h1") == "Coverage <img src=z>"
    headers = [th.text_content() for th in doc.xpath("//table//th")]
    assert HOSTILE in headers
    cells = [td.text_content() for td in doc.xpath("//table//td")]
    assert ">370 <b>events</b> (<script>alert(2)</script>)" in cells
    svg_texts = [t.strip() for t in doc.xpath("//figure")[0].itertext()]
    assert HOSTILE in svg_texts


def test_html_table_has_every_period() -> None:
    tl = sample()
    doc = html.fromstring(render_html(tl, "Coverage"))
    assert len(doc.xpath("//figure/*[local-name()='svg']")) == 1
    body_rows = doc.xpath("//table/tbody/tr")
    assert [r.xpath("./td")[0].text_content() for r in body_rows] == ["2020-11-02", "2020-11-03", "2020-11-04"]
    assert [r.get("class") for r in body_rows] == [None, "empty", None]
    assert len(doc.xpath("//table/thead//th")) == len(timeline_columns(tl))


# --- the demo site's coverage ---------------------------------------------------------------------


def test_demo_coverage_by_day(demo_coverage) -> None:  # type: ignore[no-untyped-def]
    with Store.open(demo_coverage.db) as store:
        clippings = store.query()
        everything = store.timeline()
        events = store.timeline(kind="events")
    tl = coverage_timeline(clippings, everything, by="day")
    days = [date(2020, 10, 27) + timedelta(days=i) for i in range(12)]
    assert [p.start for p in tl.periods] == days  # 2020-10-27 .. 2020-11-07, every day
    assert tl.periods[-1].end == date(2020, 11, 7)
    assert tl.clippings == sum(p.clippings for p in tl.periods) == len(clippings) == 15
    covered = {clipping_day(c) for c in clippings}
    empty = [p for p in tl.periods if p.start not in covered]
    assert [p.start for p in empty] == [date(2020, 10, 28), date(2020, 10, 31), date(2020, 11, 6)]
    assert all(p.clippings == 0 and not p.by_outlet and not p.by_language for p in empty)
    for p in tl.periods:
        assert sum(p.by_outlet.values()) == sum(p.by_language.values()) == p.clippings
    by_day = {c.day: c for c in events.claims}
    assert by_day  # the demo's coverage claims events
    for p in tl.periods:
        mine, theirs = p.claim("events"), by_day.get(p.start)
        if theirs is None:
            assert mine is None
        else:
            assert mine is not None
            assert (mine.value, mine.qualifier, mine.unit, mine.span, mine.outlet, mine.url) == (
                theirs.value, theirs.qualifier, theirs.unit, theirs.span, theirs.outlet, theirs.url)
    weeks = coverage_timeline(clippings, everything, by="week")
    assert [(p.label("week"), p.clippings) for p in weeks.periods] == [
        ("2020-W44", sum(p.clippings for p in tl.periods[:6])), ("2020-W45", sum(p.clippings for p in tl.periods[6:]))]
    assert isinstance(weeks.periods[0], Period)

"""The roundup ("what folks are saying"): picking lines from stored clippings, ordering outlets,
syndicated copies, languages, the four formats (escaping included), and the demo coverage's roundup
compared with golden files (the txt one was read by eye: it is what a press release would carry).

Regenerate the golden files deliberately with CLIPPINGS_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from clippings.article import CountClaim, Quote
from clippings.campaign import CampaignError, parse_campaign
from clippings.cli import main
from clippings.roundup import build_roundup, campaign_roundup, render_roundup, story_groups
from clippings.store.repository import StoredClipping

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE = os.environ.get("CLIPPINGS_UPDATE_GOLDEN") == "1"


def clip(outlet: str, headline: str, day: int, *, lang: str = "en", quotes: tuple[Quote, ...] = (),
         terms: tuple[str, ...] = ("Count Every Vote",), agency: str | None = None, lede: str | None = None,
         counts: tuple[CountClaim, ...] = (), url: str | None = None) -> StoredClipping:
    slug = "-".join(headline.lower().split())[:40]
    return StoredClipping(
        url=url or f"https://{outlet.lower().replace(' ', '')}.example/{day}/{slug}",
        outlet=outlet, headline=headline, published_at=datetime(2020, 11, day, 12, tzinfo=UTC), language=lang,
        authors=(), lede=lede, matched_terms=terms, mentions=(), alias_urls=(),
        first_seen_at=datetime(2020, 11, 20, tzinfo=UTC), body="", agency=agency, counts=counts, quotes=quotes,
    )


def said(text: str, person: str | None = "Sean Eldridge", speaker: str | None = "Sean Eldridge") -> Quote:
    return Quote(text=text, speaker=speaker, person=person, start=0, end=len(text) + 2)


def claim(value: int, kind: str, qualifier: str = "exactly", unit: str = "events", field: str = "body") -> CountClaim:
    low, high = {"exactly": (value, value), "over": (value, None), "approx": (value, None)}[qualifier]
    return CountClaim(value, low, high, qualifier, unit, kind, str(value), 0, field)


QUOTE = "We see these mobilizations as a critical way to counter any misinformation from Trump."


def test_a_person_quote_wins_over_a_headline_and_the_line_has_the_seeds_shape() -> None:
    lines = build_roundup([
        clip("CNN", "Coalition forms to protect the results", 2, quotes=(said(QUOTE),)),
        clip("Newsweek", "Over 200 Protests Already Planned If Trump Attempts to Dispute Election Results", 3),
    ], languages=("en",))
    assert [x.txt() for x in lines] == [
        'From CNN: "We see these mobilizations as a critical way to counter any misinformation from Trump," '
        "said Sean Eldridge.",
        "Newsweek: Over 200 Protests Already Planned If Trump Attempts to Dispute Election Results",
    ]
    assert render_roundup(lines, "txt") == lines[0].txt() + "\n\n" + lines[1].txt()


def test_quotes_of_people_outside_the_campaign_do_not_count_and_short_ones_give_way() -> None:
    other = clip("The Hill", "Over 170 Events Planned Nationwide", 2,
                 quotes=(said("It is a long quotation by someone else entirely here", person=None, speaker="A Mayor"),))
    short_then_long = clip("CNN", "Headline", 3, quotes=(said("We are ready."), said(QUOTE)))
    [hill, cnn] = sorted(build_roundup([other, short_then_long]), key=lambda x: x.outlet, reverse=True)
    assert hill.kind == "headline" and hill.text == "Over 170 Events Planned Nationwide"
    assert cnn.kind == "quote" and cnn.text == QUOTE and cnn.person == "Sean Eldridge"


def test_a_question_keeps_its_mark() -> None:
    [line] = build_roundup([clip("CNN", "H", 2, quotes=(said("Who decides this election? The voters do?"),))])
    assert line.txt() == 'From CNN: "Who decides this election? The voters do?" said Sean Eldridge.'


def test_each_outlet_gets_its_best_story() -> None:
    plain = clip("Daily Beacon", "Rallies planned", 1, terms=("Count Every Vote",))
    richer = clip("Daily Beacon", "Count Every Vote rallies by Protect the Results", 4,
                  terms=("Count Every Vote", "Protect the Results"))
    quoted_one = clip("Daily Beacon", "Later story", 6, quotes=(said(QUOTE),))
    assert build_roundup([plain, richer])[0].url == richer.url  # more matched terms
    assert build_roundup([plain, richer, quoted_one])[0].url == quoted_one.url  # a person's quote first
    earlier = clip("Daily Beacon", "Another rallies story", 2, terms=("Count Every Vote",))
    assert build_roundup([plain, earlier])[0].url == plain.url  # then the earliest


def test_foreign_headlines_keep_their_language_and_say_which() -> None:
    lines = build_roundup([
        clip("AFP", "Si Trump rechaza el veredicto de las urnas, los manifestantes ya estan listos", 3, lang="es"),
        clip("The Hill", "Over 170 Events Planned", 2),
    ], languages=("en", "es"), agencies=("AFP",))
    assert lines[0].txt() == "AFP: «Si Trump rechaza el veredicto de las urnas, los manifestantes ya estan listos» (es)"
    assert lines[0].foreign and not lines[1].foreign
    # with no campaign languages, the most common language of the clippings is the main one
    assert not build_roundup([clip("AFP", "Titular", 3, lang="es")])[0].foreign


def test_outlet_order_campaign_then_agencies_then_reach_then_coverage() -> None:
    items = [
        clip("Riverton Post", "Local rally story", 1),
        clip("Riverton Post", "Second local story", 2),
        clip("Riverton Post", "Third local story", 3),
        clip("State Wire", "Wire story", 5),
        clip("National Daily", "National story", 4),
        clip("Regional Times", "Regional story", 2),
        clip("Newsweek", "Registry outlet story", 6),
        clip("Unknown Blog", "Blog story", 1),
        clip("Unknown Blog", "Another blog story", 2),
    ]
    reach = {"Riverton Post": "local", "National Daily": "national", "Regional Times": "regional"}
    lines = build_roundup(items, reach=reach, agencies=("State Wire",), registry_outlets=("Newsweek",))
    # agency; national (by reach, and a registry outlet: earlier first); regional and unknown (more
    # stories first); local last even with the most stories
    assert [x.outlet for x in lines] == ["State Wire", "National Daily", "Newsweek", "Unknown Blog",
                                         "Regional Times", "Riverton Post"]
    ordered = build_roundup(items, reach=reach, agencies=("State Wire",), outlet_order=("riverton post", "Newsweek"))
    assert [x.outlet for x in ordered][:3] == ["Riverton Post", "Newsweek", "State Wire"]
    assert [x.outlet for x in build_roundup(items, max_lines=2, agencies=("State Wire",))] == [
        "State Wire", "Riverton Post"]


def test_syndicated_copies_appear_once_under_the_original() -> None:
    wire = clip("Global Wire", "Protest organizers hold vigils", 5, agency="Global Wire", lede="x" * 50)
    reprint = clip("Metro Gazette", "Protest Organizers Hold Vigils!", 5, agency="Global Wire")
    reprint = StoredClipping(**{**reprint.__dict__, "published_at": datetime(2020, 11, 5, 13, tzinfo=UTC)})
    retitled = clip("Capital Times", "Vigils held as count goes on", 6, agency="Global Wire", lede="x" * 50)
    own = clip("Metro Gazette", "Hundreds rally at City Hall", 4)
    groups = story_groups([reprint, own, retitled, wire])
    assert [[c.outlet for c in g] for g in groups] == [["Metro Gazette"], ["Global Wire", "Metro Gazette",
                                                                          "Capital Times"]]
    lines = build_roundup([reprint, own, retitled, wire], agencies=("Global Wire",))
    assert [x.outlet for x in lines] == ["Global Wire", "Metro Gazette"]  # Capital Times has only a copy
    assert lines[0].copies == (("Metro Gazette", reprint.url), ("Capital Times", retitled.url))
    assert lines[1].headline == "Hundreds rally at City Hall"
    # without an agency among them, the earliest is the original
    a = clip("Paper A", "Same headline", 3)
    b = clip("Paper B", "Same  headline.", 2)
    assert [c.outlet for c in story_groups([a, b])[0]] == ["Paper B", "Paper A"]


def test_with_counts_adds_the_day_and_the_highest_claim_of_each_kind() -> None:
    counts = (claim(200, "events", "approx", "protests", "headline"), claim(200, "events", "over", "events"),
              claim(135, "organizations", unit="groups", field="lede"), claim(100, "organizations", unit="groups"))
    [line] = build_roundup([clip("Newsweek", "Hundreds of protests planned", 3, counts=counts)])
    assert line.txt(with_counts=True) == "Newsweek: Hundreds of protests planned [2020-11-03; >200 events, 135 groups]"
    assert json.loads(render_roundup([line], "json"))[0]["counts"][0]["value"] == 200


HOSTILE = "<img src=x onerror=alert(1)> & [link](javascript:alert(2)) *bold*"


def test_md_and_html_escape_everything_scraped_and_link_only_http() -> None:
    lines = build_roundup([
        clip("Evil <b>Outlet</b>", HOSTILE, 2, url="javascript:alert(3)"),
        clip("Good Outlet", "Fine headline", 3, quotes=(said('He said "<script>x</script>" twice and more words'),)),
    ])
    page = lxml.html.fromstring("<div>" + render_roundup(lines, "html", title="<i>T</i>") + "</div>")
    assert not page.xpath("//img | //script | //b | //i")
    assert HOSTILE in page.text_content() and "<i>T</i>" in page.text_content()
    hrefs = page.xpath("//a/@href")
    assert hrefs == [lines[1].url if lines[1].outlet == "Good Outlet" else lines[0].url]
    assert all(h.startswith("https://") for h in hrefs)
    md = render_roundup(lines, "md", title="T")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)>" in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # the bracket is escaped: no link
    assert "\\[link\\]" in md and "\\*bold\\*" in md
    assert HOSTILE in render_roundup(lines, "txt")  # txt is plain text, pasted as is


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown roundup format"):
        render_roundup([], "pdf")


# --- the campaign file: reach and [roundup] -----------------------------------------------------------

CAMPAIGN = """
[campaign]
name = "Protect the Results"
phrases = ["Count Every Vote"]
languages = ["en", "es"]

[[outlets]]
name = "Riverton Post"
domains = ["riverton.example"]
reach = "local"

[[outlets]]
name = "Wire"
domains = ["wire.example"]
agency = true

[roundup]
outlets = ["Newsweek", "Riverton Post"]
"""


def test_the_campaign_sets_reach_agencies_languages_and_order() -> None:
    campaign = parse_campaign(CAMPAIGN)
    assert campaign.outlets[0].reach == "local" and campaign.roundup_outlets == ("Newsweek", "Riverton Post")
    lines = campaign_roundup([
        clip("Wire", "Wire story", 4), clip("Riverton Post", "Local", 1), clip("Newsweek", "National", 5),
        clip("AFP", "Titular en español", 3, lang="es"), clip("Some Blog", "Blog", 2),
    ], campaign)
    # the campaign's order, then agencies (its own and the registry's: AFP), then the rest
    assert [x.outlet for x in lines] == ["Newsweek", "Riverton Post", "AFP", "Wire", "Some Blog"]
    assert lines[2].txt() == "AFP: «Titular en español» (es)"


@pytest.mark.parametrize(("snippet", "message"), [
    ('reach = "galactic"', "'galactic' is not one of: international, national, regional, local"),
    ("reach = 3", "must be a string"),
])
def test_a_bad_reach_is_refused(snippet: str, message: str) -> None:
    text = CAMPAIGN.replace('reach = "local"', snippet)
    with pytest.raises(CampaignError, match=message) as exc:
        parse_campaign(text, "c.toml")
    assert "outlets[0].reach" in str(exc.value)


def test_a_bad_roundup_table_is_refused() -> None:
    with pytest.raises(CampaignError, match="roundup.outlets"):
        parse_campaign(CAMPAIGN.replace('outlets = ["Newsweek", "Riverton Post"]', 'outlets = "Newsweek"'))
    with pytest.raises(CampaignError, match="listed twice"):
        parse_campaign(CAMPAIGN.replace('"Newsweek", "Riverton Post"', '"Newsweek", "newsweek"'))
    with pytest.raises(CampaignError, match="roundup.max"):
        parse_campaign(CAMPAIGN + "max = 3\n")


# --- the demo coverage: golden files ------------------------------------------------------------------


def roundup_output(demo_coverage, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["roundup", "--campaign", str(demo_coverage.campaign_path),
                                       "--db", demo_coverage.db, *args])
    assert result.exit_code == 0, result.output
    return demo_coverage.stable(result.output)


@pytest.mark.parametrize(("name", "args"), [
    ("roundup.txt", ("--format", "txt")),
    ("roundup-with-counts.txt", ("--format", "txt", "--with-counts")),
    ("roundup.md", ("--format", "md", "--with-counts")),
    ("roundup.html", ("--format", "html")),
    ("roundup.json", ("--format", "json")),
])
def test_the_demo_roundup_matches_its_golden_file(demo_coverage, name: str, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    got = roundup_output(demo_coverage, *args)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_the_demo_roundup_filters(demo_coverage) -> None:  # type: ignore[no-untyped-def]
    spanish = roundup_output(demo_coverage, "--lang", "es")
    assert spanish.startswith("From Diario del Pueblo Cívico: ") and spanish.count("\n\n") == 0
    two = roundup_output(demo_coverage, "--max", "2", "--outlet", "metro gazette", "--outlet", "Daily Beacon")
    # without the wire original among the clippings, Metro Gazette's reprint is its best story (a quote)
    assert [line.split(":")[0] for line in two.strip().split("\n\n")] == ["From Daily Beacon", "From Metro Gazette"]
    early = roundup_output(demo_coverage, "--until", "2020-10-29")
    # both national with one story each by then: the earlier first story first
    assert [line.split(":")[0].removeprefix("From ") for line in early.strip().split("\n\n")] == [
        "The Capitol Ledger", "Daily Beacon"]
    result = CliRunner().invoke(main, ["roundup", "--db", demo_coverage.db, "--since", "2030-01-01"])
    assert result.exit_code == 0 and "No clippings match." in result.output

"""The campaign file: a public interface; every mistake names the file, the key and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clippings.campaign import CampaignError, load_campaign, parse_campaign

GOOD = """\
[campaign]
name = "Protect the Results"
phrases = ["Protect the Results", "Count Every Vote"]
organizations = ["Stand Up America", "Indivisible"]
people = ["Sean Eldridge"]
languages = ["en", "es"]

[[outlets]]
name = "The Hill"
domains = ["thehill.com"]
language = "en"
feeds = ["https://thehill.com/feed"]
sitemaps = ["https://thehill.com/news-sitemap.xml"]
sections = []

[[outlets]]
name = "Local"
domains = ["127.0.0.1:8001"]
feeds = ["http://127.0.0.1:8001/rss.xml"]
"""


def test_good_campaign_loads_with_every_key(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD)
    c = load_campaign(path)
    assert c.name == "Protect the Results"
    assert [t.text for t in c.terms] == [
        "Protect the Results", "Count Every Vote", "Stand Up America", "Indivisible", "Sean Eldridge"]
    assert [t.kind for t in c.terms] == ["phrase", "phrase", "organization", "organization", "person"]
    assert c.languages == ("en", "es")
    hill, local = c.outlets
    assert hill.domains == ("thehill.com",) and hill.language == "en"
    assert hill.feeds == ("https://thehill.com/feed",)
    assert local.domains == ("127.0.0.1:8001",) and local.language is None
    assert c.outlet("the hill") is hill


def error(text: str) -> CampaignError:
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "camp.toml")
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "words"),
    [
        ('languages = ["en", "es"]', 'languages = ["en", "es"]\ncolour = "red"', "campaign.colour", 7, "unknown key"),
        ('sections = []', 'sections = []\nrss = []', "outlets[0].rss", 15, "unknown key"),
        ('people = ["Sean Eldridge"]', 'people = "Sean Eldridge"', "campaign.people", 5, "array of strings"),
        ('name = "The Hill"', 'name = 3', "outlets[0].name", 9, "must be a string"),
        ('name = "Local"', 'name = ""', "outlets[1].name", 17, "non-empty string"),
        ('feeds = ["https://thehill.com/feed"]', 'feeds = ["ftp://thehill.com/feed"]', "outlets[0].feeds[0]", 12,
         "not an http(s) URL"),
        ('feeds = ["http://127.0.0.1:8001/rss.xml"]', 'feeds = ["http://127.0.0.1:99999/rss.xml"]',
         "outlets[1].feeds[0]", 19, "bad port"),
        ('domains = ["thehill.com"]', 'domains = ["https://thehill.com/"]', "outlets[0].domains[0]", 10,
         "not a host name"),
        ('domains = ["thehill.com"]', 'domains = []', "outlets[0].domains", 10, "at least one domain"),
        ('language = "en"', 'language = "english"', "outlets[0].language", 11, "ISO 639-1"),
        ('name = "Local"', 'name = "The Hill"', "outlets[1].name", 17, "named twice"),
        ('language = "en"', 'language = "en"\nagency = "yes"', "outlets[0].agency", 12, "true or false"),
        ('language = "en"', 'language = "en"\naliases = ["TH"]', "outlets[0].aliases", 12, "agency = true"),
    ],
)
def test_mistakes_name_key_and_line(old: str, new: str, key: str, line: int, words: str) -> None:
    assert old in GOOD
    exc = error(GOOD.replace(old, new, 1))
    assert (exc.key, exc.line) == (key, line), str(exc)
    assert words in exc.message
    assert str(exc).startswith(f"camp.toml:{line}: {key}: ")


def test_missing_campaign_table() -> None:
    exc = error('[[outlets]]\nname = "X"\ndomains = ["x.com"]\n')
    assert exc.key == "campaign" and "required" in exc.message


def test_campaign_without_any_term() -> None:
    exc = error('[campaign]\nname = "Nothing"\n')
    assert exc.key == "campaign" and exc.line == 1


def test_missing_name() -> None:
    exc = error('[campaign]\nphrases = ["x"]\n')
    assert exc.key == "campaign.name"


def test_toml_syntax_error_gives_line() -> None:
    exc = error('[campaign]\nname = "x"\nphrases = ["a",\n\n[[outlets]]\n')
    assert exc.line is not None and "not valid TOML" in exc.message


def test_unknown_top_level_table() -> None:
    exc = error(GOOD + '\n[extras]\nx = 1\n')
    assert exc.key == "extras" and exc.line == 21


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="no such file"):
        load_campaign(tmp_path / "nope.toml")


def test_an_outlet_may_declare_itself_a_wire_agency() -> None:
    campaign = parse_campaign(GOOD.replace('language = "en"', 'language = "en"\nagency = true\naliases = ["TH"]', 1))
    hill = campaign.outlets[0]
    assert (hill.agency, hill.aliases) == (True, ("TH",))
    assert campaign.outlets[1].agency is False and campaign.outlets[1].aliases == ()


# --- [[watch]]: counter pages read at every crawl ---------------------------------------------------

WATCHED = GOOD + """
[[watch]]
name = "Petition"
url = "https://act.example.org/petition/count-every-vote"

[[watch]]
name = "Event map"
url = "https://act.example.org/map"
selector = "#map .event-total"
kind = "events"

[[watch]]
name = "Pledge"
url = "https://act.example.org/pledge"
regex = '([\\d,]+) people have pledged'
kind = "participants"
"""


def test_watch_tables_load_with_their_defaults() -> None:
    petition, events, pledge = parse_campaign(WATCHED).watch
    assert (petition.name, petition.url, petition.selector, petition.regex, petition.kind) == (
        "Petition", "https://act.example.org/petition/count-every-vote", None, None, "signatures")
    assert (events.selector, events.kind) == ("#map .event-total", "events")
    assert (pledge.regex, pledge.kind) == (r"([\d,]+) people have pledged", "participants")
    assert parse_campaign(GOOD).watch == ()


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "words"),
    [
        ('name = "Petition"', 'name = "Petition"\ninterval = 3', "watch[0].interval", 23, "unknown key"),
        ('name = "Petition"\n', '', "watch[0].name", 21, "non-empty string"),
        ('url = "https://act.example.org/map"', 'url = "act.example.org/map"', "watch[1].url", 27,
         "not an http(s) URL"),
        ('url = "https://act.example.org/map"', 'url = ["https://act.example.org/map"]', "watch[1].url", 27,
         "must be a string"),
        ('name = "Pledge"', 'name = "petition"', "watch[2].name", 32, "named twice"),
        ('selector = "#map .event-total"', 'selector = "#map >> .event-total"', "watch[1].selector", 28,
         "not a CSS selector"),
        ('selector = "#map .event-total"', 'selector = "div[data-x"', "watch[1].selector", 28, "not a CSS selector"),
        ('selector = "#map .event-total"', 'selector = ""', "watch[1].selector", 28, "non-empty string"),
        ('kind = "events"', 'kind = "protests"', "watch[1].kind", 29, "not one of: events, organizations"),
        ("regex = '([\\d,]+) people have pledged'", "regex = '([\\d,]+ people have pledged'", "watch[2].regex",
         34, "not a regular expression"),
        ("regex = '([\\d,]+) people have pledged'", "regex = '[\\d,]+ people have pledged'", "watch[2].regex",
         34, "exactly one capture group"),
        ("regex = '([\\d,]+) people have pledged'", "regex = '(\\d+) of (\\d+)'", "watch[2].regex", 34,
         "exactly one capture group"),
        ("regex = '([\\d,]+) people have pledged'", "regex = '(\\d*)'", "watch[2].regex", 34,
         "matches the empty string"),
        ("regex = '([\\d,]+) people have pledged'", f"regex = '({'x' * 600})'", "watch[2].regex", 34,
         "longer than 500"),
    ],
)
def test_watch_mistakes_name_key_and_line(old: str, new: str, key: str, line: int, words: str) -> None:
    assert old in WATCHED
    exc = error(WATCHED.replace(old, new, 1))
    assert (exc.key, exc.line) == (key, line), str(exc)
    assert words in exc.message
    assert str(exc).startswith(f"camp.toml:{line}: {key}: ")


def test_watch_must_be_an_array_of_tables() -> None:
    exc = error(GOOD + '\n[watch]\nname = "Petition"\n')
    assert exc.key == "watch" and exc.line == 21 and "[[watch]]" in exc.message

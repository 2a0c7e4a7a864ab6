"""The CLI: every command has help with an example, is documented, and behaves on real data."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from clippings.article import Clipping, CountClaim, Mention, Quote, WatchObservation
from clippings.cli import main
from clippings.store.repository import Store

REPO = Path(__file__).parent.parent
CAMPAIGN = """
[campaign]
name = "Protect the Results"
phrases = ["Protect the Results", "Count Every Vote"]
organizations = ["Stand Up America", "Indivisible"]
people = ["Sean Eldridge"]
languages = ["en", "es"]

[[outlets]]
name = "Ledger"
domains = ["ledger.example"]
language = "en"

[[outlets]]
name = "Diario"
domains = ["diario.example"]
language = "es"
"""


def all_commands() -> list[tuple[str, click.Command]]:
    found = []

    def walk(prefix: str, group: click.Group) -> None:
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                walk(f"{prefix}{name} ", cmd)
            else:
                found.append((f"{prefix}{name}", cmd))

    walk("", main)
    return found


@pytest.mark.parametrize(("name", "cmd"), all_commands())
def test_every_command_has_help_with_an_example_and_is_documented(name: str, cmd: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and f"clippings {name}" in result.output
    assert f"clippings {name}" in (REPO / "README.md").read_text(), f"README does not document `clippings {name}`"


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    path = tmp_path / "campaign.toml"
    path.write_text(CAMPAIGN)
    return path


def clip(url: str, outlet: str, headline: str, day: int, lang: str, terms: list[str]) -> Clipping:
    return Clipping(
        url=url, outlet=outlet, headline=headline, lede=f"Lede of {headline}", authors=["Ana Ruiz"],
        published_at=datetime(2020, 11, day, 12, 0, tzinfo=UTC), language=lang, body="Body text.",
        mentions=[Mention(t, "organization", "body", 0, len(t), t) for t in terms],
        alias_urls=[url], source_kind="feeds", fetched_at=datetime(2020, 11, day, 13, 0, tzinfo=UTC),
    )


@pytest.fixture
def filled_db(sqlite_url: str, campaign: Path) -> str:
    from clippings.campaign import load_campaign

    store = Store.open(sqlite_url)
    store.sync_campaign(load_campaign(campaign))
    store.upsert_clipping(
        clip("https://ledger.example/a", "Ledger", "Over 170 events planned", 1, "en", ["Indivisible"])
    )
    store.upsert_clipping(clip("https://ledger.example/b", "Ledger", "370 rallies as coalition grows", 3, "en",
                               ["Protect the Results", "Stand Up America"]))
    store.upsert_clipping(clip("https://diario.example/c", "Diario", "Los manifestantes ya están listos", 4, "es",
                               ["Protect the Results"]))
    store.close()
    return sqlite_url


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.output


def test_query_json_keys_order_and_filters(filled_db: str) -> None:
    code, out = run("query", "--db", filled_db, "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert [r["url"] for r in rows] == ["https://diario.example/c", "https://ledger.example/b", "https://ledger.example/a"]
    assert {"url", "outlet", "headline", "published_at", "language", "authors", "lede", "matched_terms"} <= set(rows[0])
    assert rows[1]["published_at"] == "2020-11-03T12:00:00+00:00"
    assert rows[1]["matched_terms"] == ["Protect the Results", "Stand Up America"]

    def urls(*flags: str) -> list[str]:
        code, out = run("query", "--db", filled_db, "--format", "jsonl", *flags)
        assert code == 0, out
        return [json.loads(line)["url"][-1] for line in out.splitlines() if line]

    assert urls("--outlet", "ledger") == ["b", "a"]
    assert urls("--lang", "es") == ["c"]
    assert urls("--since", "2020-11-03") == ["c", "b"]
    assert urls("--until", "2020-11-03") == ["b", "a"]
    assert urls("--term", "protect the results") == ["c", "b"]
    assert urls("--limit", "1") == ["c"]


def test_query_table_and_csv(filled_db: str) -> None:
    code, out = run("query", "--db", filled_db)
    assert code == 0 and "Los manifestantes ya están listos" in out and out.splitlines()[0].startswith("published_at")
    code, out = run("query", "--db", filled_db, "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "published_at,outlet,language,headline,matched_terms,url,authors,agency" and len(lines) == 4


def headline_claim(headline: str, span: str, value: int, kind: str, unit: str, qualifier: str) -> CountClaim:
    low = value if qualifier in ("exactly", "over") else None
    return CountClaim(value=value, low=low, high=value if qualifier == "exactly" else None, qualifier=qualifier,
                      unit=unit, kind=kind, span=span, start=headline.index(span), field="headline")


@pytest.fixture
def claims_db(sqlite_url: str) -> str:
    """Three stories whose headlines claim 170, then 370 events (and 135 groups), and an event map's readings."""
    with Store.open(sqlite_url) as store:
        for url, outlet, headline, day, claims in [
            ("https://ledger.example/a", "Ledger", "Over 170 events planned", 1,
             [("Over 170", 170, "events", "events", "over")]),
            ("https://ledger.example/b", "Ledger", "370 rallies as coalition grows to 135 groups", 3,
             [("370", 370, "events", "rallies", "exactly"), ("135", 135, "organizations", "groups", "exactly")]),
            ("https://diario.example/c", "Diario", "Más de 370 actos en todo el país", 4,
             [("Más de 370", 370, "events", "events", "over")]),
        ]:
            body = f"{headline}. “We are ready,” said Sean Eldridge."
            store.upsert_clipping(replace(
                clip(url, outlet, headline, day, "es" if outlet == "Diario" else "en", ["Protect the Results"]),
                body=body, counts=[headline_claim(headline, *c) for c in claims],
                quotes=[Quote("We are ready,", "Sean Eldridge", "Sean Eldridge", body.index("“"),
                              body.index("”") + 1)],
            ))
        for day, value in ((3, 350), (3, 372), (4, 371)):
            store.record_observation(WatchObservation(
                "Event map", "https://map.example/", datetime(2020, 11, day, 9 + value % 10, tzinfo=UTC), "found",
                value, f"{value} events", kind="events"))
    return sqlite_url


def test_query_shows_each_clippings_claims_and_quotes(claims_db: str) -> None:
    code, out = run("query", "--db", claims_db, "--format", "json")
    assert code == 0, out
    rows = {r["url"][-1]: r for r in json.loads(out)}
    assert [(c["value"], c["kind"], c["qualifier"], c["span"], c["field"]) for c in rows["b"]["counts"]] == [
        (370, "events", "exactly", "370", "headline"), (135, "organizations", "exactly", "135", "headline")]
    assert rows["c"]["quotes"] == [{"text": "We are ready,", "speaker": "Sean Eldridge", "person": "Sean Eldridge",
                                    "start": 34, "end": 49}]
    code, out = run("query", "--db", claims_db, "--format", "jsonl", "--limit", "1")
    assert json.loads(out)["counts"][0]["span"] == "Más de 370"
    code, out = run("query", "--db", claims_db)
    assert code == 0 and "claims" in out.splitlines()[0]
    assert ">370 events" in out and "370 rallies; 135 groups" in out


def test_counts_shows_the_days_highest_claims_who_printed_them_first_and_watched_counters(claims_db: str) -> None:
    code, out = run("counts", "--db", claims_db, "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["day"], r["kind"], r["value"], r["outlet"], r["first"], r["first_outlet"]) for r in rows] == [
        ("2020-11-01", "events", 170, "Ledger", True, "Ledger"),
        ("2020-11-03", "events", 370, "Ledger", True, "Ledger"),
        ("2020-11-03", "organizations", 135, "Ledger", True, "Ledger"),
        ("2020-11-04", "events", 370, "Diario", False, "Ledger"),
    ]
    assert rows[3]["span"] == "Más de 370" and rows[3]["url"] == "https://diario.example/c"
    assert rows[3]["first_url"] == "https://ledger.example/b"
    assert rows[3]["first_published_at"] == "2020-11-03T12:00:00+00:00"
    assert [(w["name"], w["value"]) for w in rows[1]["watched"]] == [("Event map", 372)]
    assert rows[1]["watched"] == rows[2]["watched"] and rows[0]["watched"] == []
    assert rows[3]["watched"][0]["observed_at"] == "2020-11-04T10:00:00+00:00"

    code, out = run("counts", "--db", claims_db, "--kind", "organizations", "--format", "json")
    assert [(r["day"], r["kind"], r["value"]) for r in json.loads(out)] == [("2020-11-03", "organizations", 135)]
    code, out = run("counts", "--db", claims_db, "--kind", "events", "--since", "2020-11-02", "--until", "2020-11-03",
                    "--format", "json")
    assert [(r["day"], r["value"], r["first"]) for r in json.loads(out)] == [("2020-11-03", 370, True)]

    code, out = run("counts", "--db", claims_db, "--kind", "events")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["day", "kind", "claim", "outlet", "printed_first", "watched", "url"]
    assert ">170 events (Over 170)" in lines[2] and "this outlet" in lines[2]
    assert ">370 events (Más de 370)" in lines[4] and "Ledger, 2020-11-03" in lines[4]
    assert "Event map 371" in lines[4]
    code, out = run("counts", "--db", claims_db, "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("day,kind,value,qualifier,span,unit,outlet,first,first_outlet") and len(lines) == 5
    assert lines[4].startswith("2020-11-04,events,370,over,Más de 370,events,Diario,False,Ledger,")


def test_counts_of_an_empty_database_and_bad_options(sqlite_url: str) -> None:
    code, out = run("counts", "--db", sqlite_url)
    assert code == 0 and "(none)" in out
    code, out = run("counts", "--db", sqlite_url, "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out = run("counts", "--db", sqlite_url, "--kind", "votes")
    assert code == 2 and "votes" in out
    code, out = run("counts", "--db", sqlite_url, "--since", "last week")
    assert code == 2 and "not a date" in out


def test_query_rejects_a_bad_date(filled_db: str) -> None:
    code, out = run("query", "--db", filled_db, "--since", "yesterday")
    assert code == 2 and "not a date" in out


def test_outlets(filled_db: str) -> None:
    code, out = run("outlets", "--db", filled_db, "--format", "json")
    assert code == 0, out
    rows = {r["outlet"]: r for r in json.loads(out)}
    assert rows["Ledger"] == {"outlet": "Ledger", "clippings": 2, "first": "2020-11-01", "last": "2020-11-03",
                              "languages": ["en"]}
    assert rows["Diario"]["clippings"] == 1 and rows["Diario"]["languages"] == ["es"]


def test_analyze_jsonl_and_plain_text(campaign: Path) -> None:
    lines = "\n".join(json.dumps(x) for x in [
        {"id": "a", "text": "Indivisible and Stand Up America have planned more than 370 rallies across the country "
                            "this week, organisers of the Protect the Results coalition said."},
        {"id": "b", "text": "The weather will be mild this weekend with light winds and a chance of rain."},
    ])
    code, out = run("analyze", "--campaign", str(campaign), input=lines)
    assert code == 0, out
    a, b = (json.loads(line) for line in out.splitlines())
    assert a["id"] == "a" and a["relevant"] is True and a["language"] == "en"
    [claim] = a["counts"]
    assert claim == {"value": 370, "low": 370, "high": None, "qualifier": "over", "unit": "rallies",
                     "kind": "events", "span": "more than 370", "start": 46}
    assert b["counts"] == []
    assert [m["term"] for m in a["mentions"]] == ["Indivisible", "Stand Up America", "Protect the Results"]
    text = json.loads(lines.splitlines()[0])["text"]
    assert text[claim["start"]:].startswith("more than 370 rallies")
    assert all(text[m["start"]:m["end"]].lower() == m["term"].lower() for m in a["mentions"])
    assert b["relevant"] is False and b["mentions"] == []
    code, out = run("analyze", "--campaign", str(campaign), input="La coalición Protect the Results convoca marchas.\n")
    (plain,) = (json.loads(line) for line in out.splitlines())
    assert plain["relevant"] is True and plain["id"] == 1 and plain["counts"] == []
    code, out = run("analyze", "--campaign", str(campaign),
                    input="La coalición Protect the Results convoca más de doscientas manifestaciones.\n")
    assert [(c["value"], c["kind"], c["qualifier"]) for c in json.loads(out)["counts"]] == [(200, "events", "over")]


def test_analyze_bad_input_is_exit_2(campaign: Path) -> None:
    code, out = run("analyze", "--campaign", str(campaign), input='{"id": 1, "text": "ok"}\n{broken\n')
    assert code == 2 and "line 2" in out


def test_extract_saved_page(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("""<html lang="en"><head><title>Rallies planned | The Ledger</title>
      <meta property="og:site_name" content="The Ledger">
      <link rel="canonical" href="https://ledger.example/story">
      <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rallies planned",
        "datePublished": "2020-11-02T10:00:00-05:00", "author": {"@type": "Person", "name": "Ana Ruiz"}}</script>
      </head><body><article><h1>Rallies planned</h1>
      <p>Organisers said on Monday that hundreds of rallies were being planned across the country this week.</p>
      <p>The groups said volunteers had been trained in every state and that more events would follow.</p>
      </article></body></html>""")
    code, out = run("extract", str(page), "--url", "https://ledger.example/story?utm_source=x")
    assert code == 0, out
    row = json.loads(out)
    assert row["headline"] == "Rallies planned" and row["authors"] == ["Ana Ruiz"]
    # the page's own offset is kept (its calendar day is the page's), the instant is 15:00 UTC
    assert row["published_at"] == "2020-11-02T10:00:00-05:00" and row["language"] == "en"
    assert datetime.fromisoformat(row["published_at"]) == datetime(2020, 11, 2, 15, tzinfo=UTC)
    assert row["canonical_url"] == "https://ledger.example/story" and "hundreds of rallies" in row["body"]
    code, out = run("extract", input=json.dumps({"path": str(page), "url": "https://ledger.example/story"}) + "\n")
    assert code == 0 and json.loads(out)["headline"] == "Rallies planned"


def test_extract_missing_file_is_reported(tmp_path: Path) -> None:
    code, out = run("extract", str(tmp_path / "nope.html"))
    assert code == 1 and "nope.html" in out


@pytest.mark.parametrize("command", [["crawl"], ["add", "https://ledger.example/x"]])
def test_bad_campaign_is_exit_2_and_writes_nothing(tmp_path: Path, command: list[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CAMPAIGN.replace('language = "es"', 'language = 5'))
    db = tmp_path / "never.db"
    code, out = run(*command, "--campaign", str(bad), "--db", f"sqlite:///{db}")
    assert code == 2
    assert re.search(r"bad\.toml:\d+: outlets\[1\]\.language: must be a string", out), out
    assert not db.exists()


def test_unreachable_database_is_exit_2_without_password(campaign: Path) -> None:
    url = "postgresql+psycopg://clip:s3cret@127.0.0.1:1/none"
    for args in (["crawl", "--campaign", str(campaign)], ["query"], ["outlets"], ["db", "upgrade"]):
        code, out = run(*args, "--db", url)
        assert code == 2, (args, out)
        assert "s3cret" not in out and "127.0.0.1:1" in out


def test_db_upgrade_then_empty_query(sqlite_url: str) -> None:
    code, out = run("db", "upgrade", "--db", sqlite_url)
    assert code == 0 and "newest schema" in out
    code, out = run("query", "--db", sqlite_url, "--format", "json")
    assert code == 0 and json.loads(out) == []

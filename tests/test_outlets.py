"""Outlets of any URL (campaign, bundled registry, host) and the wire agency of a story."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from clippings.agency import AgencyFound, detect_agency
from clippings.article import Extracted, Page, SourceHints, to_clipping
from clippings.campaign import parse_campaign
from clippings.cli import main
from clippings.extract import extract_article
from clippings.outlets import OutletIndex, ResolvedOutlet, parse_registry, registry
from clippings.store.db import SCHEMA_REVISION, alembic_config, current_revision, make_engine, upgrade, writer
from clippings.store.repository import Store
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus"
CAMPAIGN = parse_campaign(
    """
[campaign]
name = "Protect the Results"
phrases = ["Protect the Results"]

[[outlets]]
name = "CNN International"
domains = ["edition.cnn.com"]

[[outlets]]
name = "Wire Desk"
domains = ["reuters.com"]
language = "en"

[[outlets]]
name = "Local Demo"
domains = ["127.0.0.1:8001"]
"""
)


# -- the registry -------------------------------------------------------------------------------


def test_the_bundled_registry_is_large_unique_and_well_formed() -> None:
    known = registry()
    assert len(known.outlets) >= 150
    names = [o.name for o in known.outlets]
    assert len(names) == len(set(names))
    domains = [d for o in known.outlets for d in o.domains]
    assert len(domains) == len(set(domains))
    for outlet in known.outlets:
        assert re.fullmatch(r"[A-Z]{2}", outlet.country), outlet
        assert re.fullmatch(r"[a-z]{2}", outlet.language), outlet
        assert all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d) for d in outlet.domains), outlet
        assert outlet.agency == bool(outlet.aliases), outlet  # agencies, and only they, have aliases
    countries = {o.country for o in known.outlets}
    assert {"US", "GB", "FR", "DE", "ES", "IT", "MX", "AR", "BR", "CL", "CO"} <= countries
    agencies = {o.name for o in known.agencies}
    assert {"AFP", "Associated Press", "Reuters", "EFE", "dpa", "ANSA", "Europa Press", "Kyodo News", "Xinhua",
            "PA Media", "UPI", "Bloomberg"} <= agencies


@pytest.mark.parametrize(
    ("url", "name", "country", "language"),
    [
        ("https://edition.cnn.com/2020/11/04/politics/story/index.html", "CNN", "US", "en"),
        ("https://www.cnn.com/2020/11/04/politics/story/index.html", "CNN", "US", "en"),
        ("http://CNN.com./x", "CNN", "US", "en"),
        ("https://cnnespanol.cnn.com/2020/11/04/nota/", "CNN en Español", "US", "es"),  # the longest domain wins
        ("https://www.bbc.co.uk/news/world-us-canada-1", "BBC", "GB", "en"),
        ("https://elpais.com/internacional/2020-11-04/x.html", "El País", "ES", "es"),
        ("https://cincodias.elpais.com/mercados/x.html", "Cinco Días", "ES", "es"),
        ("https://www.lanacion.com.ar/politica/x", "La Nación", "AR", "es"),
        ("https://g1.globo.com/politica/x.ghtml", "g1", "BR", "pt"),
        ("https://www.afp.com/fr/actus/x", "AFP", "FR", "fr"),
        ("https://apnews.com/article/x", "Associated Press", "US", "en"),
    ],
)
def test_registry_names_outlets_of_any_url_by_domain_and_subdomain(url: str, name: str, country: str,
                                                                   language: str) -> None:
    found = OutletIndex(parse_campaign('[campaign]\nname = "x"\nphrases = ["x"]\n')).resolve(url)
    assert (found.name, found.source, found.country, found.language) == (name, "registry", country, language)


def test_unknown_hosts_are_named_by_host_and_lookalikes_do_not_match() -> None:
    index = OutletIndex(CAMPAIGN)
    assert index.resolve("https://www.notcnn.com/x") == ResolvedOutlet("notcnn.com", "host")
    assert index.resolve("https://cnn.com.evil.example/x").name == "cnn.com.evil.example"
    assert index.resolve("http://127.0.0.1:8002/a") == ResolvedOutlet("127.0.0.1:8002", "host")
    assert index.resolve("https://www.eluniversal.com/internacional/1").name == "eluniversal.com"  # not .com.mx
    no_outlets = OutletIndex(parse_campaign('[campaign]\nname = "c"\nphrases = ["x"]\n', "bare.toml"))
    assert no_outlets.name_for("https://edition.cnn.com/x") == "CNN"
    assert no_outlets.name_for("https://www.example.com:8443/x") == "example.com:8443"


def test_campaign_outlets_win_over_the_registry() -> None:
    index = OutletIndex(CAMPAIGN)
    international = index.resolve("https://edition.cnn.com/2020/11/04/x")
    assert (international.name, international.source, international.country) == ("CNN International", "campaign", "US")
    assert index.resolve("https://www.cnn.com/x").name == "CNN"  # the campaign names only edition.cnn.com
    wire = index.resolve("https://www.reuters.com/article/x")
    assert wire == ResolvedOutlet("Wire Desk", "campaign", "GB", "en", agency="Reuters")  # still the agency's site
    assert index.resolve("http://127.0.0.1:8001/story").source == "campaign"
    assert index.outlet_for("https://www.cnn.com/x") is None  # what the crawl may fetch is unchanged
    assert index.name_for("https://edition.cnn.com/y") == "CNN International"


WIRE_CAMPAIGN = parse_campaign(
    """
[campaign]
name = "Wires"
phrases = ["count every vote"]

[[outlets]]
name = "Global Wire Service"
domains = ["wire.example"]
agency = true
aliases = ["GWS"]

[[outlets]]
name = "Metro Gazette"
domains = ["metro.example"]
""",
    "wires.toml",
)


def test_a_campaign_outlet_declared_an_agency_is_credited_like_the_registrys() -> None:
    index = OutletIndex(WIRE_CAMPAIGN)
    assert index.resolve("https://wire.example/en/story").agency == "Global Wire Service"
    assert index.resolve("https://metro.example/story").agency is None
    known = index.agencies
    assert {"Global Wire Service", "AFP", "Reuters"} <= {a.name for a in known.agencies}
    assert known is index.agencies  # built once per index
    assert detect_agency(None, ["Ana Ruiz/GWS"], known=known) == AgencyFound("Global Wire Service", "byline")
    assert detect_agency(None, [], "RIVERTON (GWS) - Crowds gathered.", known=known) == AgencyFound(
        "Global Wire Service", "dateline")
    # a reprint whose only credit is a syndication note the body extractor left out
    html = ('<article><p>Crowds gathered.</p><p class="syndication"><em>This story was first published by '
            '<a href="https://wire.example/en/story">Global Wire Service</a>.</em></p></article>')
    assert detect_agency(html, ["Tomás Ferreira"], None, "Crowds gathered.", known=known) == AgencyFound(
        "Global Wire Service", "credit")
    assert detect_agency(html, ["Tomás Ferreira"], None, "Crowds gathered.") is None  # not an agency otherwise
    assert OutletIndex(CAMPAIGN).agencies is registry()  # no campaign agency: the registry itself


def test_answers_are_remembered_per_origin() -> None:
    index = OutletIndex(CAMPAIGN)
    first = index.resolve("https://edition.cnn.com/a")
    assert index.resolve("https://edition.cnn.com/b?c=d") is first
    assert registry() is registry()


def test_a_registry_file_with_a_missing_key_or_a_repeated_domain_is_refused() -> None:
    with pytest.raises(ValueError, match="outlet 1 has no country"):
        parse_registry('[[outlet]]\nname = "X"\ndomains = ["x.com"]\nlanguage = "en"\n')
    entry = '[[outlet]]\nname = "{}"\ndomains = ["x.com"]\ncountry = "US"\nlanguage = "en"\n'
    with pytest.raises(ValueError, match="x.com is listed twice"):
        parse_registry(entry.format("X") + entry.format("Y"))


# -- agency detection: hand-made -----------------------------------------------------------------


def article_json_ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Rallies", **fields}
    return f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body></body></html>'


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # JSON-LD: sourceOrganization, provider, author (object or string), in @graph too
        ({"html": article_json_ld(sourceOrganization={"@type": "Organization", "name": "Agence France-Presse"})},
         AgencyFound("AFP", "json-ld")),
        ({"html": article_json_ld(provider={"@type": "Organization", "name": "Reuters"})},
         AgencyFound("Reuters", "json-ld")),
        ({"html": article_json_ld(author=[{"@type": "Person", "name": "The Associated Press"}])},
         AgencyFound("Associated Press", "json-ld")),
        ({"html": '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
                  '{"@type": ["NewsArticle"], "author": "EFE"}]}</script>'}, AgencyFound("EFE", "json-ld")),
        # an agency photo or the publisher is not the story's source
        ({"html": article_json_ld(image={"@type": "ImageObject", "author": "AFP"},
                                  publisher={"@type": "Organization", "name": "Reuters"})}, None),
        ({"html": '<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>'}, None),
        # bylines
        ({"authors": ["AFP"]}, AgencyFound("AFP", "byline")),
        ({"authors": ["Jane Doe", "Jean Dupont/AFP"]}, AgencyFound("AFP", "byline")),
        ({"authors": ["By The Associated Press"]}, AgencyFound("Associated Press", "byline")),
        ({"authors": ["Redacción | Europa Press"]}, AgencyFound("Europa Press", "byline")),
        ({"authors": ["Jordan Robertson, AP Technology Writer AP"]}, AgencyFound("Associated Press", "byline")),
        ({"authors": ["Papa Smurf", "Apollo Creed", "Reutersson"]}, None),
        # datelines, in the lede or on one of the body's first lines
        ({"lede": "WASHINGTON (AP) — The Senate voted on Tuesday."}, AgencyFound("Associated Press", "dateline")),
        ({"body": "(Reuters) - Oil prices fell."}, AgencyFound("Reuters", "dateline")),
        ({"body": "Headline of the story\nPARIS (AFP) - Thousands marched."}, AgencyFound("AFP", "dateline")),
        ({"body": "Madrid, 5 nov (EFE).- El Gobierno aprobó hoy el plan."}, AgencyFound("EFE", "dateline")),
        ({"body": "Berlin (dpa/lnw) - Die Regierung hat beschlossen."}, AgencyFound("dpa", "dateline")),
        ({"body": "MADRID, 3 (EUROPA PRESS) - El Congreso ha aprobado."}, AgencyFound("Europa Press", "dateline")),
        ({"body": "ROMA, 28 LUG (ANSA) - Il governo ha deciso."}, AgencyFound("ANSA", "dateline")),
        ({"body": "AUSTIN (KXAN) — Texas voters approved an amendment."}, None),
        ({"body": "First line.\nSecond line.\nThird line.\nLONDON (Reuters) - Too far down."}, None),
        # credit lines
        ({"body": "Text of the story.\n© Agence France-Presse"}, AgencyFound("AFP", "credit")),
        ({"body": "Text.\nCopyright 2020 The Associated Press. All rights reserved."},
         AgencyFound("Associated Press", "credit")),
        ({"body": "Quelle: dpa-AFX\nNiedrige Zinsen ziehen junge Menschen an."}, AgencyFound("dpa", "credit")),
        ({"body": "Der Text der Geschichte. (FR mit dpa)"}, AgencyFound("dpa", "credit")),
        ({"body": "El texto.\n(Con información de AFP, EFE y Reuters)\nSeguir leyendo:"}, None),
        ({"body": "Bild: Mikaela Shiffrin. © AFP / JEFF PACHOUD\nText.\nRubriklistenbild: © KCNA/dpa"}, None),
        ({"body": "An agency story, quoted: the AFP reported that the AP and Reuters disagreed."}, None),
        ({"body": "Text.\nThis story was originally published by The Associated Press."},
         AgencyFound("Associated Press", "credit")),
        ({"body": "Text.\nFirst published in The Guardian."}, None),  # a newspaper, not an agency
        # the agency's own site
        ({"body": "Anything", "site_agency": "Reuters"}, AgencyFound("Reuters", "site")),
        ({}, None),
    ],
)
def test_agency_detection_by_the_documented_rule(kwargs: dict[str, object], expected: AgencyFound | None) -> None:
    assert detect_agency(**kwargs) == expected  # type: ignore[arg-type]


def test_earlier_evidence_wins() -> None:
    html = article_json_ld(author={"@type": "Organization", "name": "Reuters"})
    assert detect_agency(html, ["AFP"], "PARIS (EFE) - x") == AgencyFound("Reuters", "json-ld")
    assert detect_agency(None, ["AFP"], "PARIS (EFE) - x") == AgencyFound("AFP", "byline")
    assert detect_agency(html, site_agency="dpa") == AgencyFound("dpa", "site")


# -- agency detection: real pages -----------------------------------------------------------------

# (saved page, the address it was saved from, outlet, agency): each agency checked by hand on the page.
REAL_PAGES = [
    ("article-extraction-benchmark/html/06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85.html.gz",
     "https://venturebeat.com/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/",
     "venturebeat.com", "Reuters"),
    ("article-extraction-benchmark/html/359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea.html.gz",
     "https://www.sciencealert.com/we-finally-have-a-global-geological-map-of-saturn-s-moon-titan",
     "sciencealert.com", "Reuters"),
    ("article-extraction-benchmark/html/5a822960e9a2cb1e664d334b6c936c5cb6e41fb5331877538c2c8339cb59d57e.html.gz",
     "https://www.nbcnews.com/news/world/house-hitler-was-born-will-become-police-station-austria-says-n1086531",
     "NBC News", "Reuters"),
    ("article-extraction-benchmark/html/7a457a4f71735c17b8b34fafc88835d225cf879b2d812311857a64cfc891eee9.html.gz",
     "https://www.nbcnews.com/news/us-news/new-york-man-pleads-guilty-threatening-kill-rep-ilhan-omar-n1085406",
     "NBC News", None),
    ("article-extraction-benchmark/html/57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca.html.gz",
     "https://www.reuters.com/article/us-global-markets/asian-shares-soft-as-trade-doubts-creep-back-in-idUSKBN1XT00W",
     "Reuters", "Reuters"),
    ("article-extraction-benchmark/html/5caf91b8a4423735f866b089d2611ea14503584cf3b6f487c6d26eb7b9521fca.html.gz",
     "https://www.sfgate.com/news/crime/article/The-Latest-Man-stabbed-to-death-on-San-Francisco-14848218.php",
     "sfgate.com", "Associated Press"),
    ("article-extraction-benchmark/html/82b6d780c792df78dcfb00484d50c86fbc7f324a9eb5835b7615f028edb9a574.html.gz",
     "https://hosted.ap.org/berkshireeagle/article/6486944b076b4df99a583a3a7c85574d/"
     "unpredictable-sondland-faces-questions-about-trump-ukraine",
     "Associated Press", "Associated Press"),
    ("htmldate-mediacloud-2020/html/1608581255.html.gz",
     "https://www.monroenews.com/ZZ/news/20200516/italy-seeks-to-boost-tourism-by-opening-borders-june-3",
     "monroenews.com", "Associated Press"),
    ("htmldate-mediacloud-2020/html/1808011241.html.gz",
     "https://www.lexpress.fr/actualites/1/actualite/angleterre-manchester-united-rate-la-marche-arsenal-revit_2141546.html",
     "L'Express", "AFP"),
    ("htmldate-mediacloud-2020/html/1498311133.html.gz",
     "https://www.oann.com/protesters-gather-at-paris-theater-to-confront-macron-over-pension-reform/",
     "oann.com", "Reuters"),
    ("htmldate-mediacloud-2020/html/1684898837.html.gz",
     "https://www.lainformacion.com/mundo/opositores-partidarios-lukashenko-culminan-dias-tension-marchas/2812881/",
     "lainformacion.com", "EFE"),
    ("htmldate-mediacloud-2020/html/1808293409.html.gz",
     "https://www.infranken.de/ueberregional/boulevard/kultur/tatort-aus-muenchen-30-jahre-leitmayr-und-batic-art-5139057",
     "infranken.de", "dpa"),
    ("trafilatura-eval/html/finanztreff.de-Influencer.html.gz",
     "http://www.finanztreff.de/realtimenews/influencer-und-trading-apps-die-jungen-entdecken-die-boerse/24437626",
     "finanztreff.de", "dpa"),
    ("trafilatura-eval/html/d90b19386e2b48559082547016cbe5ec.html.gz",
     "https://www.welt.de/regionales/hamburg/article202159566/Verhaertete-Fronten-nach-Tumulten-bei-Luckes-Vorlesung.html",
     "Die Welt", "dpa"),
    ("trafilatura-eval/html/eluniversal.com-senador.html.gz",
     "https://www.eluniversal.com/internacional/125703/senador-republicano-califica-a-biden-de-incapacitado",
     "eluniversal.com", "AFP"),
    ("trafilatura-eval/html/vancouversun.com.microsoft.html.gz",
     "https://vancouversun.com/technology/microsoft-moves-to-erase-its-carbon-footprint-from-the-atmosphere-in-"
     "climate-push/wcm/76e426d9-56de-40ad-9504-18d5101013d2",
     "vancouversun.com", "Reuters"),
    ("trafilatura-eval/html/sportnews.bz-peking.html.gz",  # "Von: det/dpa", and AFP photo credits that don't count
     "https://www.sportnews.bz/artikel/wintersport/wintersport-mix/peking-sucht-den-superstar-7-moegliche-gesichter",
     "sportnews.bz", "dpa"),
    ("trafilatura-eval/html/kxan.com-Voters.html.gz",  # "AUSTIN (KXAN) —": a station, not an agency
     "https://www.kxan.com/news/texas/voters-pass-increase-for-retired-public-education-workers-but-future-"
     "shortfalls-likely-to-emerge/",
     "kxan.com", None),
    ("trafilatura-eval/html/bbc.com.52241221.html.gz",
     "https://www.bbc.com/news/world-us-canada-52241221", "BBC", None),
    ("trafilatura-eval/html/nytimes.com.blackouts.html.gz",
     "https://www.nytimes.com/2020/08/16/business/california-blackouts.html", "The New York Times", None),
]


def test_outlet_and_agency_of_real_pages() -> None:
    index = OutletIndex(parse_campaign('[campaign]\nname = "x"\nphrases = ["x"]\n'))
    got, wanted = [], []
    for path, url, outlet, agency in REAL_PAGES:
        html = gzip.decompress((CORPUS / path).read_bytes()).decode("utf-8", "replace")
        ex = extract_article(html, url)
        resolved = index.resolve(url)
        found = detect_agency(html, ex.authors, ex.lede, ex.body, site_agency=resolved.agency)
        got.append((Path(path).name, resolved.name, found.name if found else None))
        wanted.append((Path(path).name, outlet, agency))
    assert got == wanted
    assert sum(1 for *_, agency in wanted if agency) == 16


# -- storing and querying the agency ----------------------------------------------------------------


@pytest.fixture(params=["sqlite_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL schema."""
    return request.getfixturevalue(request.param)


def page(url: str, html: str, **extracted: object) -> Page:
    return Page(
        url=url, outlet="NBC News", html=html, fetched_at=datetime(2020, 11, 3, 18, tzinfo=UTC),
        hints=SourceHints(kind="feeds"), extracted=Extracted(headline="Rallies", body="Protect the Results.",
                                                              **extracted),  # type: ignore[arg-type]
    )


def test_migration_0002_adds_a_nullable_agency_and_keeps_clippings(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with writer(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
            conn.execute(sa.text("INSERT INTO outlets (id, name, domains) VALUES (1, 'NBC News', '[]')"))
            conn.execute(sa.text(
                "INSERT INTO clippings (id, url, outlet_id, headline, authors, first_seen_at, updated_at, body,"
                " body_hash) VALUES (1, 'https://www.nbcnews.com/a', 1, 'Old', '[]', :t, :t, '', 'h')"
            ), {"t": datetime(2020, 11, 3, 18)})
            conn.execute(sa.text("INSERT INTO clipping_urls (url, clipping_id) VALUES (:u, 1)"),
                         {"u": "https://www.nbcnews.com/a"})
        assert current_revision(engine) == "0001"
        assert "agency" not in {c["name"] for c in sa.inspect(engine).get_columns("clippings")}
        with writer(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0002")
        assert current_revision(engine) == "0002"
        column = next(c for c in sa.inspect(engine).get_columns("clippings") if c["name"] == "agency")
        assert column["nullable"]
        upgrade(engine)  # on to the current schema, which the store needs
        assert current_revision(engine) == SCHEMA_REVISION
        with Store(engine) as store:
            [old] = store.query()
            assert (old.headline, old.agency, old.to_json()["agency"]) == ("Old", None, None)
            reprint = to_clipping(page("https://www.nbcnews.com/a", ""), "https://www.nbcnews.com/a", agency="Reuters")
            assert store.upsert_clipping(reprint) == "updated"
            assert store.upsert_clipping(replace(reprint, agency=None)) == "unchanged"  # None never erases
            [stored] = store.query()
            assert (stored.outlet, stored.agency) == ("NBC News", "Reuters")
        with writer(engine).begin() as conn:
            command.downgrade(alembic_config(conn), "0001")
        assert "agency" not in {c["name"] for c in sa.inspect(engine).get_columns("clippings")}
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_query_json_carries_the_agency(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'q.db'}"
    story = article_json_ld(sourceOrganization={"@type": "Organization", "name": "AFP"})
    with Store.open(db) as store:
        for url, html in (("https://www.nbcnews.com/wire", story), ("https://www.nbcnews.com/own", "<html></html>")):
            item = page(url, html)
            found = detect_agency(item.html, site_agency=OutletIndex(CAMPAIGN).resolve(url).agency)
            store.upsert_clipping(to_clipping(item, url, agency=found.name if found else None))
    result = CliRunner().invoke(main, ["query", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["url"]: r for r in json.loads(result.output)}
    assert rows["https://www.nbcnews.com/wire"]["agency"] == "AFP"
    assert rows["https://www.nbcnews.com/own"]["agency"] is None
    assert rows["https://www.nbcnews.com/wire"]["outlet"] == "NBC News"
    result = CliRunner().invoke(main, ["query", "--db", db, "--format", "jsonl"])
    assert sorted(json.loads(line)["agency"] or "" for line in result.output.splitlines()) == ["", "AFP"]
    result = CliRunner().invoke(main, ["query", "--db", db, "--format", "csv"])  # new CSV columns come last
    assert result.output.splitlines()[0] == "published_at,outlet,language,headline,matched_terms,url,authors,agency"


# -- the crawl: spiders name outlets, the store pipeline records the agency ----------------------


def test_a_forced_url_and_its_page_take_the_registry_name(tmp_path: Path) -> None:
    from scrapy.http import HtmlResponse, Request

    from spiders.urls import UrlsSpider
    from tests.test_spiders import make_spider, run_start

    campaign_file = tmp_path / "campaign.toml"
    campaign_file.write_text('[campaign]\nname = "x"\nphrases = ["Protect the Results"]\n')
    spider = make_spider(UrlsSpider, str(campaign_file), urls="https://edition.cnn.com/2020/11/04/x", force="1")
    [request] = run_start(spider)
    assert request.meta["outlet"] == "CNN"
    # redirected to another registry host: the page is named after where it was found
    body = b"<html><body><p>Protect the Results</p></body></html>"
    response = HtmlResponse("https://cnnespanol.cnn.com/2020/11/04/x", body=body, request=Request(
        "https://cnnespanol.cnn.com/2020/11/04/x", meta=request.meta))
    [item] = spider.parse_article(response)
    assert item.outlet == "CNN en Español"


def test_the_store_pipeline_records_the_agency_of_a_reprint(tmp_path: Path) -> None:
    from scrapy.utils.test import get_crawler

    from pipelines.store import StorePipeline
    from spiders.urls import UrlsSpider

    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    campaign_file = tmp_path / "campaign.toml"
    campaign_file.write_text('[campaign]\nname = "x"\nphrases = ["Protect the Results"]\n')
    crawler = get_crawler(UrlsSpider, {"CLIPPINGS_SKIP_KNOWN": False, "CLIPPINGS_DB": db})
    crawler.spider = crawler._create_spider(campaign=str(campaign_file))
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    reprint = page("https://www.nbcnews.com/news/world/x", "<html></html>", lede="PARIS (AFP) - Thousands marched.")
    own = replace(page("https://www.reuters.com/article/x", "<html></html>"), outlet="Reuters")
    for item in (reprint, own):
        pipeline.process_item(item)
    pipeline.close_spider()
    with Store.open(db) as store:
        got = {(c.outlet, c.agency) for c in store.query()}
    assert got == {("NBC News", "AFP"), ("Reuters", "Reuters")}

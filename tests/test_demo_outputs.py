"""What `make demo` leaves behind (the roundup and the clip book), and the clip book of the demo coverage
compared with its golden file (regenerate deliberately with CLIPPINGS_UPDATE_GOLDEN=1)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from clippings.campaign import load_campaign
from clippings.cli import main
from clippings.report import clip_book
from clippings.store.repository import Store

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE = os.environ.get("CLIPPINGS_UPDATE_GOLDEN") == "1"


@pytest.mark.e2e
def test_the_demo_writes_the_roundup_and_the_clip_book_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "roundup.txt").read_text(encoding="utf-8") == (GOLDEN / "roundup.txt").read_text(encoding="utf-8")
    assert f"Roundup: {out / 'roundup.txt'}" in result.output
    assert f"Clip book: {out / 'clip-book' / 'index.html'}" in result.output
    assert "What folks are saying (the roundup)" in result.output
    page = lxml.html.parse(str(out / "clip-book" / "index.html")).getroot()
    assert page.xpath("string(//h1)") == "Protect the Results: clip book"
    assert len(page.xpath("//table//tbody/tr")) == 15
    assert load_campaign(out / "campaign.toml").name == "Protect the Results"


def test_the_demo_clip_book_matches_its_golden_file(demo_coverage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    campaign = load_campaign(demo_coverage.campaign_path)
    with Store.open(demo_coverage.db) as store:
        path = clip_book(store, tmp_path / "book", campaign=campaign, until=datetime(2020, 12, 31, tzinfo=UTC),
                         generated_at=datetime(2020, 12, 1, 9, 0, tzinfo=UTC))
    got = demo_coverage.stable(path.read_text(encoding="utf-8"))
    golden = GOLDEN / "clip-book.html"
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")

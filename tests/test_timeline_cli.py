"""`clippings timeline` and `clippings export` on the demo coverage: the exact outputs (golden files,
regenerated deliberately with CLIPPINGS_UPDATE_GOLDEN=1), the PNG, and the options."""

from __future__ import annotations

import json
import os
from pathlib import Path

import feedparser
import matplotlib.image
import pytest
from click.testing import CliRunner

from clippings.cli import main

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE = os.environ.get("CLIPPINGS_UPDATE_GOLDEN") == "1"


def run(demo_coverage, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, [*args, "--db", demo_coverage.db])
    assert result.exit_code == 0, result.output
    return demo_coverage.stable(result.output)


@pytest.mark.parametrize(("name", "args"), [
    ("timeline.txt", ("timeline",)),
    ("timeline-week.csv", ("timeline", "--by", "week", "--format", "csv")),
    ("timeline.json", ("timeline", "--format", "json")),
    ("timeline-outlet.txt", ("timeline", "--outlet", "the capitol ledger", "--since", "2020-10-26")),
    ("timeline.html", ("timeline", "--format", "html")),
])
def test_the_demo_timeline_matches_its_golden_file(demo_coverage, name: str, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    got = run(demo_coverage, *args)
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(got.encode("utf-8"))
    assert got == path.read_bytes().decode("utf-8")


def test_the_demo_timeline_counts_every_day_and_the_growth(demo_coverage) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(demo_coverage, "timeline", "--format", "json"))
    periods = data["periods"]
    assert [p["start"] for p in periods][0] == "2020-10-27" and periods[-1]["start"] == "2020-11-07"
    assert len(periods) == 12 and sum(p["clippings"] for p in periods) == 15
    assert [p["start"] for p in periods if p["clippings"] == 0] == ["2020-10-28", "2020-10-31", "2020-11-06"]
    events = [c["value"] for p in periods for c in p["claims"] if c["kind"] == "events"]
    assert events == sorted(events) and events[0] == 170 and events[-1] == 500  # 170 -> 200 -> 370 -> 500


def test_the_png_is_a_chart_a_person_can_open(demo_coverage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "coverage.png"
    assert "Wrote" in run(demo_coverage, "timeline", "--format", "png", "--out", str(out), "--by", "week")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(out).shape[:2]
    assert width >= 800 and height >= 400
    result = CliRunner().invoke(main, ["timeline", "--format", "png", "--db", demo_coverage.db])
    assert result.exit_code == 2 and "--format png needs --out FILE" in result.output


def test_export_atom_and_jsonl_carry_every_clipping(demo_coverage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    atom = run(demo_coverage, "export", "--format", "atom", "--campaign", str(demo_coverage.campaign_path))
    feed = feedparser.parse(atom)
    assert feed.bozo == 0 and len(feed.entries) == 15
    assert feed.feed.title == "Protect the Results: coverage" and feed.feed.id == "urn:clippings:protect-the-results"
    lines = run(demo_coverage, "export", "--format", "jsonl", "--lang", "fr").splitlines()
    assert [json.loads(x)["outlet"] for x in lines] == ["Le Courrier Civique"] * 2
    out = tmp_path / "all.csv"
    CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(out), "--db", demo_coverage.db])
    text = out.read_bytes().decode("utf-8")
    assert text.count("\r\n") == 16 and text.startswith("url,outlet,headline,published_at,language,authors,lede")


def test_the_demo_png_matches_its_golden_image(demo_coverage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Compared as matplotlib compares its own test images: decoded pixels, RMS tolerance (the
    golden PNG is in tests/fixtures/golden/ for a person to look at)."""
    from matplotlib.testing.compare import compare_images

    out = tmp_path / "timeline.png"
    run(demo_coverage, "timeline", "--format", "png", "--out", str(out))
    golden = GOLDEN / "timeline.png"
    if UPDATE:
        golden.write_bytes(out.read_bytes())
    assert compare_images(str(golden), str(out), tol=2) is None

"""Count-claim scoring (bench/counts_scoring.py) on hand-made predictions, and the quality harness's counts section."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from clippings.article import CountClaim

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import counts_scoring as cs  # noqa: E402
import quality  # noqa: E402


def gold(value: int, kind: str, qualifier: str = "exactly", low: int | None = -1,
         high: int | None = -1) -> dict[str, Any]:
    low = value if low == -1 else low
    high = value if high == -1 else high
    return {"value": value, "low": low, "high": high, "qualifier": qualifier, "unit": "x", "kind": kind,
            "span": str(value)}


def pred(value: int, kind: str, qualifier: str = "exactly", low: int | None = -1, high: int | None = -1) -> CountClaim:
    low = value if low == -1 else low
    high = value if high == -1 else high
    return CountClaim(value=value, low=low, high=high, qualifier=qualifier, unit="y", kind=kind, span="z", start=0)


def test_a_perfect_prediction_scores_one() -> None:
    s = cs.score_text([gold(200, "events", "over", 200, None)], [pred(200, "events", "over", 200, None)])
    assert (s.tp, s.fp, s.fn, s.exact) == (1, 0, 0, 1)


def test_value_and_kind_both_matter() -> None:
    s = cs.score_text([gold(200, "events")], [pred(200, "participants"), pred(201, "events")])
    assert (s.tp, s.fp, s.fn, s.exact) == (0, 2, 1, 0)


def test_claims_match_as_multisets() -> None:
    # "3 rallies in Ohio, 3 in Michigan": two gold claims (3, events) need two predictions
    s = cs.score_text([gold(3, "events"), gold(3, "events")], [pred(3, "events")])
    assert (s.tp, s.fp, s.fn) == (1, 0, 1)
    s = cs.score_text([gold(3, "events")], [pred(3, "events"), pred(3, "events")])
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_wrong_qualifier_or_bounds_still_counts_for_f1_but_not_for_bounds() -> None:
    g = [gold(200, "events", "over", 200, None), gold(500, "participants", "up_to", None, 500), gold(12, "groups")]
    p = [pred(200, "events"),  # exactly instead of over
         pred(500, "participants", "up_to", None, None),  # high missing
         pred(12, "groups")]
    s = cs.score_text(g, p)
    assert (s.tp, s.fp, s.fn, s.exact) == (3, 0, 0, 1)


def test_range_and_approx_bounds_are_compared_whole() -> None:
    g = [gold(5000, "participants", "range", 3000, 5000), gold(200, "events", "approx", 200, None)]
    right = [pred(5000, "participants", "range", 3000, 5000), pred(200, "events", "approx", 200, None)]
    assert cs.score_text(g, right).exact == 2
    wrong = [pred(5000, "participants", "range", 4000, 5000), pred(200, "events", "about", None, None)]
    assert cs.score_text(g, wrong).exact == 0


def test_micro_average_sums_counts_before_dividing() -> None:
    pairs = [
        ([gold(370, "events"), gold(135, "organizations")], [pred(370, "events"), pred(135, "organizations")]),
        ([gold(1, "events")], [pred(2, "events")]),
        ([], [pred(2024, "events")]),  # a year read as a count
        ([], []),  # a hard negative left alone
    ]
    s = cs.score(pairs)
    assert (s.tp, s.fp, s.fn, s.texts) == (2, 2, 1, 4)
    assert s.precision == pytest.approx(2 / 4)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert s.qualifier_bounds == pytest.approx(2 / 3)
    assert s.as_dict()["gold"] == 3


def test_edge_cases_of_precision_and_recall() -> None:
    assert cs.prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing expected, nothing found
    assert cs.prf(0, 0, 5) == (0.0, 0.0, 0.0)  # nothing found
    assert cs.prf(0, 3, 0) == (0.0, 0.0, 0.0)  # only false alarms
    assert cs.score([]).f1 == 1.0 and cs.score([]).qualifier_bounds == 1.0


def test_dicts_and_records_are_read_alike_and_float_values_that_are_integers_match() -> None:
    assert cs.claim_key(gold(5, "events")) == cs.claim_key(pred(5, "events")) == (5, "events")
    as_float = dict(gold(5, "events"), value=5.0, low=5.0, high=5.0)
    assert cs.claim_full_key(as_float) == cs.claim_full_key(pred(5, "events"))


def test_mismatches_name_what_was_missed_added_or_bounded_wrongly() -> None:
    g = [gold(200, "events", "over", 200, None), gold(135, "organizations")]
    p = [pred(200, "events"), pred(2020, "events")]
    diff = cs.mismatches(g, p)
    assert diff["missed"] == [(135, "organizations")]
    assert diff["extra"] == [(2020, "events")]
    assert diff["wrong_bounds"] == [((200, "events", "over", 200, None), [(200, "events", "exactly", 200, 200)])]


def test_load_set_skips_blank_lines(tmp_path: Path) -> None:
    f = tmp_path / "s.jsonl"
    f.write_text('{"id": "a", "claims": []}\n\n{"id": "b", "claims": []}\n', encoding="utf-8")
    assert [it["id"] for it in cs.load_set(f)] == ["a", "b"]


# ---------------------------------------------------------------- the harness's counts section


def _tiny_set(path: Path) -> list[dict[str, Any]]:
    items = [
        {"id": "en-1", "lang": "en", "headline": True, "text": "Over 200 Protests Planned",
         "claims": [gold(200, "events", "over", 200, None)]},
        {"id": "en-2", "lang": "en", "headline": False, "text": "Police arrest 12", "claims": []},
        {"id": "fr-1", "lang": "fr", "headline": True, "text": "Des milliers de manifestants",
         "claims": [gold(2000, "participants", "approx", 2000, None)]},
    ]
    path.write_text("".join(json.dumps(it) + "\n" for it in items), encoding="utf-8")
    return items


def _fake_counts_module(monkeypatch: pytest.MonkeyPatch, fn: Any) -> None:
    module = types.ModuleType("clippings.counts")
    module.extract_counts = fn  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clippings.counts", module)


def test_counts_section_scores_an_extractor_and_builds_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.jsonl"
    items = _tiny_set(path)
    by_text = {it["text"]: it["claims"] for it in items}
    seen_langs = []

    def extract_counts(text: str, lang: str | None = None) -> list[CountClaim]:
        seen_langs.append(lang)
        if text.startswith("Des milliers"):  # a hand-made mistake: right size, wrong qualifier
            return [pred(2000, "participants", "about", None, None)]
        return [pred(c["value"], c["kind"], c["qualifier"], c["low"], c["high"]) for c in by_text[text]]

    _fake_counts_module(monkeypatch, extract_counts)
    counts, why = quality.evaluate_counts(path)
    assert why == "" and counts is not None
    assert counts["f1"] == 1.0 and counts["qualifier_bounds"] == 0.5
    assert counts["f1_no_lang"] == 1.0 and None in seen_langs and "fr" in seen_langs
    assert counts["headlines"] == 2 and counts["headline_median_ms"] >= 0
    assert counts["mismatches"][0]["id"] == "fr-1"
    rows = {r["metric"]: r for r in quality.count_rows(counts)}
    assert rows["counts F1 (value, kind)"]["pass"] is True
    assert rows["counts with qualifier+bounds"]["pass"] is False
    assert rows["counts median per headline"]["target"] == "< 0.500 ms"
    assert "counts set" in quality.format_table(list(rows.values()))


def test_counts_section_survives_an_extractor_that_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.jsonl"
    _tiny_set(path)

    def extract_counts(text: str, lang: str | None = None) -> list[CountClaim]:
        if "Police" in text:
            raise ValueError("boom")
        return []

    _fake_counts_module(monkeypatch, extract_counts)
    counts, _ = quality.evaluate_counts(path)
    assert counts is not None and counts["errors"][0] == {"id": "en-2", "error": "ValueError: boom"}
    assert counts["recall"] == 0.0


def test_counts_section_says_why_it_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts, why = quality.evaluate_counts(tmp_path / "missing.jsonl")
    assert counts is None and "missing.jsonl" in why
    monkeypatch.setitem(sys.modules, "clippings.counts", None)  # makes the import fail
    path = tmp_path / "claims.jsonl"
    _tiny_set(path)
    counts, why = quality.evaluate_counts(path)
    assert counts is None and "does not import" in why

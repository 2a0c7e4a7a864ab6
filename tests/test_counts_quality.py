"""Count claims on the labelled sets: floors on the extractor's scores, and checks that the sets
themselves keep to their README's rules.

Three sets (tests/fixtures/counts/README.md): claims.jsonl, the tuning set (the extractor's rules were
tuned while reading its errors, so its scores are optimistic); heldout.jsonl, labelled by the same
rules, whose miss categories (not its lines) were then used to generalise the rules; heldout2.jsonl,
labelled by the same rules by someone else and never shown to the extractor's author until its first
run, whose miss categories then generalised the rules too; heldout3.jsonl, labelled by someone else
again and committed before any run: its floors are the honest ones (and must not be tuned on).

The extractor is called with each text's language, as the pipeline does; scoring is
bench/counts_scoring.py's (multiset match on (value, kind) per text, micro-averaged). When
``clippings.counts`` does not import, the floor test fails: it does not skip.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from clippings.article import COUNT_KINDS, QUALIFIERS

REPO = Path(__file__).resolve().parent.parent
SET = REPO / "tests" / "fixtures" / "counts" / "claims.jsonl"
HELDOUT = REPO / "tests" / "fixtures" / "counts" / "heldout.jsonl"
HELDOUT2 = REPO / "tests" / "fixtures" / "counts" / "heldout2.jsonl"
HELDOUT3 = REPO / "tests" / "fixtures" / "counts" / "heldout3.jsonl"
sys.path.insert(0, str(REPO / "bench"))

import counts_scoring  # noqa: E402

LANGS = ("en", "es", "fr", "de", "pt", "it")
# Tuning set: floors a little under the scores measured on 2026-11-30 at a7ec681: F1 0.983 (precision
# 1.000, recall 0.967), qualifier and bounds 0.962 (first committed extractor, a01e6dc: 0.851 and 0.819).
F1_FLOOR = 0.97
PRECISION_FLOOR = 0.98
BOUNDS_FLOOR = 0.95
# Held-out set: floors a little under the scores measured on 2026-11-30 at 28088a9, the first run of the
# extractor on it (after its labels were committed, 118cf47): F1 0.875 (precision 0.969, recall 0.797),
# qualifier and bounds 0.785; at a7ec681, after rules written for its miss categories: 0.987 (precision
# 0.987), 0.975. The targets are 0.95 and 0.90.
HELDOUT_F1_FLOOR = 0.97
HELDOUT_PRECISION_FLOOR = 0.97
HELDOUT_BOUNDS_FLOOR = 0.96
# Held-out set 2 (labels committed at 5fc2675 before any extractor run on them): at 47f20cf, before the
# rules were generalised, F1 0.852 (precision 0.896, recall 0.812), qualifier and bounds 0.812; at a7ec681
# F1 0.894 (precision 0.904, recall 0.884), qualifier and bounds 0.884.
# At bf9b9ce, after rules written for its miss categories: F1 1.000, qualifier and bounds 1.000.
HELDOUT2_F1_FLOOR = 0.98
HELDOUT2_PRECISION_FLOOR = 0.98
HELDOUT2_BOUNDS_FLOOR = 0.98
# Held-out set 3 (labels committed at 475a968 before any extractor run on them; measured once, at
# 7ab2dc1, with counts.py as of bf9b9ce): F1 0.870 (precision 0.924, recall 0.821), qualifier and
# bounds 0.816. The targets (0.95, 0.90) are not met on text the rules were not written from.
HELDOUT3_F1_FLOOR = 0.86
HELDOUT3_PRECISION_FLOOR = 0.91
HELDOUT3_BOUNDS_FLOOR = 0.80


def _items(path: Path = SET) -> list[dict[str, Any]]:
    return counts_scoring.load_set(path)


# ---------------------------------------------------------------- the set


def test_the_set_has_its_size_languages_and_hard_negatives() -> None:
    items = _items()
    langs = Counter(it["lang"] for it in items)
    assert len(items) >= 250
    assert set(langs) == set(LANGS) and all(langs[lang] >= 25 for lang in LANGS)
    assert 0.50 <= langs["en"] / len(items) <= 0.60
    assert len({it["id"] for it in items}) == len(items)
    assert len({it["text"] for it in items}) == len(items)
    no_claim = sum(not it["claims"] for it in items)
    assert no_claim >= len(items) / 3  # hard negatives, besides the texts that mix claims and other numbers
    assert sum(bool(it.get("headline")) for it in items) >= 50
    assert all(it["source"] for it in items)
    kinds = Counter(c["kind"] for it in items for c in it["claims"])
    qualifiers = Counter(c["qualifier"] for it in items for c in it["claims"])
    assert set(kinds) == set(COUNT_KINDS) and min(kinds.values()) >= 10
    assert set(qualifiers) == set(QUALIFIERS) and min(qualifiers.values()) >= 8


def test_the_held_out_set_is_new_and_keeps_the_proportions() -> None:
    items, tuning = _items(HELDOUT), _items(SET)
    langs = Counter(it["lang"] for it in items)
    assert len(items) >= 120
    assert set(langs) == set(LANGS) and all(langs[lang] >= 10 for lang in LANGS)
    assert 0.50 <= langs["en"] / len(items) <= 0.60
    assert all(it.get("split") == "heldout" for it in items)
    assert len({it["id"] for it in items}) == len(items)
    assert not {it["id"] for it in items} & {it["id"] for it in tuning}
    texts = {it["text"] for it in items}
    assert len(texts) == len(items) and not texts & {it["text"] for it in tuning}
    assert sum(not it["claims"] for it in items) >= len(items) / 3
    assert all(it["source"] for it in items)
    assert sum(it["source"] != "hand-written" for it in items) >= 30  # real sentences, quoted verbatim
    kinds = Counter(c["kind"] for it in items for c in it["claims"])
    qualifiers = Counter(c["qualifier"] for it in items for c in it["claims"])
    assert set(kinds) == set(COUNT_KINDS) and set(qualifiers) == set(QUALIFIERS)


def _expected_bounds(c: dict[str, Any]) -> set[tuple[int | None, int | None]]:
    v, q = c["value"], c["qualifier"]
    return {
        "exactly": {(v, v)},
        "over": {(v, None)},
        "at_least": {(v, None)},
        "up_to": {(None, v)},
        "about": {(None, None), (None, v)},  # (None, v): nearly, almost, casi, près de, fast, quase, quasi
        "approx": {(v, None)},
        "range": {(c["low"], v)} if isinstance(c["low"], int) and c["low"] < v else set(),  # value = Y
    }[q]


@pytest.mark.parametrize("path", [SET, HELDOUT, HELDOUT2, HELDOUT3], ids=["tuning", "heldout", "heldout2", "heldout3"])
def test_every_label_keeps_the_rules(path: Path) -> None:
    for it in _items(path):
        assert it["lang"] in LANGS
        for c in it["claims"]:
            where = f"{it['id']}: {c}"
            assert c["kind"] in COUNT_KINDS and c["qualifier"] in QUALIFIERS, where
            assert isinstance(c["value"], int) and c["value"] >= 0, where
            assert (c["low"], c["high"]) in _expected_bounds(c), where
            assert c["span"] and c["span"] in it["text"], where
            assert c["unit"], where


def test_the_set_holds_every_numeral_form() -> None:
    texts = [it["text"] for it in _items()]
    joined = "\n".join(texts)
    for form in ("1,200", "1.200", "1\u00a0200", "25\u202f000", "2 000", "2.5 million", "300K", "12k",
                 "Hunderte", "des centaines", "Decenas", "Centinaia", "Centenas", "Dozens", "Zweihundert",
                 "Doscientas", "Quatre-vingts", "Duzentas", "Duecento", "Twenty-five", "grew from 170 to 370",
                 "COVID-19", "G7", "Top 10", "Route 66"):
        assert form in joined, form


# ---------------------------------------------------------------- the extractor


def _extract_counts() -> Any:
    try:
        return importlib.import_module("clippings.counts").extract_counts
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"clippings.counts.extract_counts is missing ({exc}): the count-claims extractor of issue 4")


def _score_with_detail(path: Path) -> tuple[counts_scoring.Scores, str]:
    extract_counts = _extract_counts()
    items = _items(path)
    predicted = [list(extract_counts(it["text"], it["lang"])) for it in items]
    scores = counts_scoring.score((it["claims"], pred) for it, pred in zip(items, predicted, strict=True))
    worst = [
        {"id": it["id"], "text": it["text"], **counts_scoring.mismatches(it["claims"], pred)}
        for it, pred in zip(items, predicted, strict=True)
        if counts_scoring.mismatches(it["claims"], pred) != {"missed": [], "extra": [], "wrong_bounds": []}
    ][:15]
    detail = json.dumps(scores.as_dict()) + "\n" + "\n".join(json.dumps(w, ensure_ascii=False) for w in worst)
    return scores, detail


def test_extractor_meets_the_floors_on_the_labelled_set() -> None:
    scores, detail = _score_with_detail(SET)
    assert scores.f1 >= F1_FLOOR, detail
    assert scores.precision >= PRECISION_FLOOR, detail
    assert scores.qualifier_bounds >= BOUNDS_FLOOR, detail


def test_extractor_meets_the_floors_on_the_held_out_set() -> None:
    scores, detail = _score_with_detail(HELDOUT)
    assert scores.f1 >= HELDOUT_F1_FLOOR, detail
    assert scores.precision >= HELDOUT_PRECISION_FLOOR, detail
    assert scores.qualifier_bounds >= HELDOUT_BOUNDS_FLOOR, detail


def test_extractor_meets_the_floors_on_the_second_held_out_set() -> None:
    scores, detail = _score_with_detail(HELDOUT2)
    assert len(_items(HELDOUT2)) >= 150
    assert scores.f1 >= HELDOUT2_F1_FLOOR, detail
    assert scores.precision >= HELDOUT2_PRECISION_FLOOR, detail
    assert scores.qualifier_bounds >= HELDOUT2_BOUNDS_FLOOR, detail


def test_extractor_meets_the_floors_on_the_third_held_out_set() -> None:
    scores, detail = _score_with_detail(HELDOUT3)
    assert len(_items(HELDOUT3)) >= 250
    assert scores.f1 >= HELDOUT3_F1_FLOOR, detail
    assert scores.precision >= HELDOUT3_PRECISION_FLOOR, detail
    assert scores.qualifier_bounds >= HELDOUT3_BOUNDS_FLOOR, detail

"""Scoring count claims against the labelled set (tests/fixtures/counts/claims.jsonl): pure functions.

Rules (the set's README says the same):
- per text, predicted and gold claims are matched as multisets of ``(value, kind)``: a gold claim
  is found by at most one prediction, two equal gold claims need two predictions;
- precision, recall and F1 are micro-averaged: true positives, false positives and false negatives
  are summed over all texts before dividing;
- "qualifier and bounds" is the share of all gold claims matched by a prediction with the same
  ``(value, kind, qualifier, low, high)`` (again a multiset match per text);
- spans, units and offsets are not scored.

A claim is anything with those fields, as attributes (``clippings.article.CountClaim``) or as
mapping keys (the set's JSON objects).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Key = tuple[int, str]
FullKey = tuple[int, str, str, int | None, int | None]


def _get(claim: Any, name: str) -> Any:
    if isinstance(claim, Mapping):
        return claim.get(name)
    return getattr(claim, name, None)


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def claim_key(claim: Any) -> Key:
    """``(value, kind)``: what F1 is scored on."""
    return (_int(_get(claim, "value")), str(_get(claim, "kind")))  # type: ignore[return-value]


def claim_full_key(claim: Any) -> FullKey:
    """``(value, kind, qualifier, low, high)``: what "qualifier and bounds" is scored on."""
    return (_int(_get(claim, "value")), str(_get(claim, "kind")), str(_get(claim, "qualifier")),  # type: ignore[return-value]
            _int(_get(claim, "low")), _int(_get(claim, "high")))


@dataclass(frozen=True)
class TextScore:
    """One text's counts."""

    tp: int  # gold claims found, on (value, kind)
    fp: int  # predictions that match no gold claim
    fn: int  # gold claims not found
    exact: int  # gold claims found with the right qualifier and bounds too

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp


def score_text(gold: Iterable[Any], predicted: Iterable[Any]) -> TextScore:
    """Match one text's predicted claims to its gold claims (multisets)."""
    gold_list, pred_list = list(gold), list(predicted)
    g, p = Counter(map(claim_key, gold_list)), Counter(map(claim_key, pred_list))
    tp = sum((g & p).values())
    exact = sum((Counter(map(claim_full_key, gold_list)) & Counter(map(claim_full_key, pred_list))).values())
    return TextScore(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp, exact=exact)


@dataclass(frozen=True)
class Scores:
    """Micro-averaged scores over a set of texts."""

    precision: float
    recall: float
    f1: float
    qualifier_bounds: float  # share of gold claims matched with the right qualifier, low and high
    tp: int
    fp: int
    fn: int
    exact: int
    texts: int

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "qualifier_bounds": self.qualifier_bounds, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "exact": self.exact, "gold": self.gold, "texts": self.texts}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted is precision 1 only when nothing was expected either
    (and nothing expected is recall 1 only when nothing was predicted)."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def aggregate(per_text: Sequence[TextScore]) -> Scores:
    tp = sum(s.tp for s in per_text)
    fp = sum(s.fp for s in per_text)
    fn = sum(s.fn for s in per_text)
    exact = sum(s.exact for s in per_text)
    precision, recall, f1 = prf(tp, fp, fn)
    gold = tp + fn
    return Scores(precision=precision, recall=recall, f1=f1, qualifier_bounds=exact / gold if gold else 1.0,
                  tp=tp, fp=fp, fn=fn, exact=exact, texts=len(per_text))


def score(pairs: Iterable[tuple[Iterable[Any], Iterable[Any]]]) -> Scores:
    """Scores of ``(gold claims, predicted claims)`` pairs, one pair per text."""
    return aggregate([score_text(gold, pred) for gold, pred in pairs])


def mismatches(gold: Iterable[Any], predicted: Iterable[Any]) -> dict[str, list[Any]]:
    """For reading failures: the (value, kind) keys missed and extra, and the gold claims found with the
    wrong qualifier or bounds (as their full keys: gold and what was predicted for that key)."""
    gold_list, pred_list = list(gold), list(predicted)
    g, p = Counter(map(claim_key, gold_list)), Counter(map(claim_key, pred_list))
    missed = sorted((g - p).elements(), key=repr)
    extra = sorted((p - g).elements(), key=repr)
    gf, pf = Counter(map(claim_full_key, gold_list)), Counter(map(claim_full_key, pred_list))
    wrong = []
    for full in sorted((gf - pf).elements(), key=repr):
        if full[:2] in p:
            wrong.append((full, [k for k in pf if k[:2] == full[:2]]))
    return {"missed": missed, "extra": extra, "wrong_bounds": wrong}


def load_set(path: Path) -> list[dict[str, Any]]:
    """The labelled texts, one JSON object a line (blank lines skipped)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            items.append(json.loads(line))
    return items

"""Story grouping on the labelled pairs (tests/fixtures/stories/pairs.jsonl): scores, curve, threshold choice.

Every pair is fingerprinted and scored with `clippings.stories.similarity` and its agency relation; the
decision is `clippings.stories.decide` with the thresholds in `clippings.stories` (THRESHOLD,
AGENCY_THRESHOLD). Precision and recall count "same story" decisions: precision = same-labelled pairs
among those decided same, recall = pairs decided same among those labelled same. Both are reported for
the tuning half and the held-out half separately (`split` in each pair).

How the thresholds were chosen (`choose_threshold`, on the tuning half only): the thresholds that give
the best F1 form an interval between two consecutive scores; the choice is its midpoint, rounded down
to 0.05, the widest margin from both sides. THRESHOLD is chosen over all tuning pairs, AGENCY_THRESHOLD
over the tuning pairs whose sides have agency evidence ("same" relation).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clippings import stories

TARGET_PRECISION = 0.97
TARGET_RECALL = 0.90
CURVE = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def load_pairs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scored(pairs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pair with its similarity, Jaccard estimate and agency relation."""
    out = []
    for p in pairs:
        a, b = (stories.StoryText(stories.fingerprint(s["body"]), s["outlet"], s.get("agency"))
                for s in (p["a"], p["b"]))
        out.append({"id": p["id"], "split": p["split"], "category": p["category"], "same": p["label"] == "same",
                    "score": stories.similarity(a.fingerprint, b.fingerprint),
                    "jaccard": stories.jaccard(a.fingerprint, b.fingerprint),
                    "relation": stories.agency_relation(a, b)})
    return out


def precision_recall(rows: list[dict[str, Any]], threshold: float = stories.THRESHOLD,
                     agency_threshold: float = stories.AGENCY_THRESHOLD, key: str = "score") -> dict[str, Any]:
    tp = fp = fn = 0
    wrong = []
    for r in rows:
        said = stories.decide(r[key], r["relation"], threshold, agency_threshold)
        tp += said and r["same"]
        fp += said and not r["same"]
        fn += r["same"] and not said
        if said != r["same"]:
            wrong.append({"id": r["id"], "category": r["category"], "score": round(r[key], 3),
                          "relation": r["relation"]})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(rows), "same": tp + fn, "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0, "wrong": wrong}


def choose_threshold(rows: list[dict[str, Any]], key: str = "score") -> float:
    """The midpoint (rounded down to 0.05) of the interval of thresholds with the best F1 on these pairs."""
    cuts = sorted({0.0, *(r[key] for r in rows), 1.0})
    best, lo, hi = -1.0, 0.0, 1.0
    for low, high in zip(cuts, cuts[1:], strict=False):
        t = (low + high) / 2  # any threshold in (low, high] decides the same way
        tp = sum(1 for r in rows if r["same"] and r[key] >= t)
        fp = sum(1 for r in rows if not r["same"] and r[key] >= t)
        fn = sum(1 for r in rows if r["same"] and r[key] < t)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best + 1e-12:
            best, lo, hi = f1, low, high
        elif abs(f1 - best) <= 1e-12 and low == hi:
            hi = high  # the best interval goes on
    return math.floor((lo + hi) / 2 * 20) / 20


def evaluate(path: Path) -> dict[str, Any]:
    """The story-grouping section: per half precision/recall, the curve, the thresholds the tuning half picks."""
    pairs = load_pairs(path)
    t0 = time.perf_counter()
    rows = scored(pairs)
    per_text_ms = (time.perf_counter() - t0) / (2 * len(pairs)) * 1000
    tuning = [r for r in rows if r["split"] == "tuning"]
    held = [r for r in rows if r["split"] == "heldout"]
    categories: dict[str, dict[str, int]] = {}
    for r in rows:
        c = categories.setdefault(r["category"], {"pairs": 0, "same": 0})
        c["pairs"] += 1
        c["same"] += r["same"]
    return {
        "pairs": len(rows), "categories": categories,
        "threshold": stories.THRESHOLD, "agency_threshold": stories.AGENCY_THRESHOLD,
        "tuning_picks": {"threshold": choose_threshold(tuning),
                         "agency_threshold": choose_threshold([r for r in tuning if r["relation"] == "same"]),
                         "jaccard_threshold": choose_threshold(tuning, "jaccard")},
        "tuning": precision_recall(tuning), "heldout": precision_recall(held), "all": precision_recall(rows),
        "jaccard_heldout": precision_recall(held, choose_threshold(tuning, "jaccard"), 2.0, key="jaccard"),
        "curve": [{"threshold": t, **{half: {k: v for k, v in precision_recall(part, t, t).items() if k != "wrong"}
                                      for half, part in (("tuning", tuning), ("heldout", held))}} for t in CURVE],
        "closest": {"different_max": max((r["score"] for r in rows if not r["same"]), default=0.0),
                    "same_min": min((r["score"] for r in rows if r["same"]), default=1.0)},
        "ms_per_fingerprint_and_score": per_text_ms,
    }


def rows_for(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The quality table's rows (same shape as the other sections')."""
    out = []
    for half, label in (("tuning", "tuning half"), ("heldout", "held-out half")):
        r = result[half]
        for key, target in (("precision", TARGET_PRECISION), ("recall", TARGET_RECALL)):
            out.append({"metric": f"story grouping {key}, {label}", "set": "stories/pairs.jsonl", "n": r["pairs"],
                        "ours": r[key], "trafilatura": None, "target": f">= {target:.2f}",
                        "pass": r[key] >= target, "format": "f3"})
    out.append({"metric": "story grouping threshold (agency)", "set": "stories/pairs.jsonl", "n": result["pairs"],
                "ours": f"{result['threshold']:.2f} ({result['agency_threshold']:.2f})", "trafilatura": None,
                "target": f"tuning picks {result['tuning_picks']['threshold']:.2f} "
                          f"({result['tuning_picks']['agency_threshold']:.2f})",
                "pass": None, "format": "text"})
    return out


def curve_table(result: dict[str, Any]) -> str:
    lines = ["threshold  tuning P/R      held-out P/R"]
    for c in result["curve"]:
        t, h = c["tuning"], c["heldout"]
        lines.append(f"{c['threshold']:9.2f}  {t['precision']:.3f}/{t['recall']:.3f}"
                     f"  {h['precision']:.3f}/{h['recall']:.3f}")
    return "\n".join(lines)

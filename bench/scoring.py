"""Small pure scoring functions for the extraction quality evaluation (bench/quality.py).

Rules shared by every field:
- a page is scored for a field when its gold record has that key; an empty gold value (``""``,
  ``None``, an empty list or a float NaN as in htmldate's ``eval_mediacloud_2020.json``) expects
  the extractor to find NOTHING, and predicting something there is wrong;
- headlines are compared after whitespace normalisation (every run of whitespace becomes one
  space, ends stripped): exact equality, and ``difflib.SequenceMatcher`` ratio >= 0.9;
- dates are compared as calendar days (``YYYY-MM-DD``; a datetime is taken in its own timezone,
  so an aware UTC datetime gives its UTC day);
- authors are compared as sets of normalised names. Every gold or predicted string is first split
  into names on ``;`` ``,`` ``&`` ``|`` ``/`` and the words "and"/"und"; each name is NFKC-normalised,
  case-folded, stripped of a leading "by"/"von"/"from", every run of non-word characters (dots,
  hyphens, quotes) becomes one space, and whitespace is collapsed; empty names are dropped. Per
  page F1 is 2|G∩P| / (|G|+|P|), and 1.0 when both sets are empty;
- body text: the Zyte article-extraction-benchmark scoring, re-implemented from its README and
  evaluate.py: ``\\w+`` tokens, 4-token shingles as a multiset, per-page TP/FP/FN normalised to sum
  to 1; precision is the mean over pages with predictions (tp+fp > 0), recall the mean over pages
  with ground truth (tp+fn > 0), F1 the harmonic mean of those two means; "accuracy" is the share of
  pages whose token sequences are equal;
- trafilatura-eval snippets: a "with" snippet found in the extracted text is a true positive (else a
  false negative), a "without" snippet found is a false positive (else a true negative); accuracy is
  (tp+tn)/all. Text and snippets are whitespace-normalised before the substring test.
"""

from __future__ import annotations

import difflib
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

TpFpFn = tuple[float, float, float]

_WS_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
_NAME_SPLIT_RE = re.compile(r"\s*(?:[;,&|/]|\band\b|\bund\b)\s*", re.IGNORECASE)
_NAME_PREFIX_RE = re.compile(r"^(?:by|von|from)\s+", re.IGNORECASE)
_NON_WORD_RE = re.compile(r"[\W_]+")


def is_empty(value: object) -> bool:
    """True for a gold value that means "nothing expected": None, "", [], or a float NaN."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set)):
        return not any(not is_empty(v) for v in value)
    return False


def normalize_ws(text: str | None) -> str:
    """Collapse every run of whitespace to one space and strip the ends; None gives ""."""
    return _WS_RE.sub(" ", text or "").strip()


def title_exact(gold: str | None, pred: str | None) -> bool:
    """Exact headline match after whitespace normalisation (empty gold expects an empty prediction)."""
    return normalize_ws(gold) == normalize_ws(pred)


def title_similarity(gold: str | None, pred: str | None) -> float:
    """difflib ratio of the whitespace-normalised headlines; 1.0 when both are empty."""
    a, b = normalize_ws(gold), normalize_ws(pred)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def day_of(value: object) -> date | None:
    """The calendar day of a gold or predicted date: a date, a datetime or a string starting YYYY-MM-DD."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def same_day(gold: object, pred: object) -> bool:
    """Right when both name the same day, or when the gold has no date and nothing was predicted."""
    g, p = day_of(gold), day_of(pred)
    if g is None:
        return p is None
    return g == p


def normalize_author(name: str) -> str:
    """One author name in comparable form (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _NAME_PREFIX_RE.sub("", text)
    return normalize_ws(_NON_WORD_RE.sub(" ", text))


def author_set(names: str | Iterable[str] | None) -> set[str]:
    """Split and normalise gold or predicted author strings into a set of names."""
    if names is None or (isinstance(names, float) and math.isnan(names)):
        return set()
    items = [names] if isinstance(names, str) else list(names)
    out: set[str] = set()
    for item in items:
        for part in _NAME_SPLIT_RE.split(item or ""):
            norm = normalize_author(part)
            if norm:
                out.add(norm)
    return out


def author_f1(gold: str | Iterable[str] | None, pred: str | Iterable[str] | None) -> float:
    """Set F1 between gold and predicted author names; 1.0 when both are empty, 0.0 when one is."""
    g, p = author_set(gold), author_set(pred)
    if not g and not p:
        return 1.0
    if not g or not p:
        return 0.0
    return 2 * len(g & p) / (len(g) + len(p))


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: every ``\\w+`` run."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens gives one short shingle (as upstream)."""
    tokens = tokenize(text)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_tp_fp_fn(true: str | None, pred: str | None, n: int = 4) -> TpFpFn:
    """Per-page TP, FP, FN over shingles, scaled to sum to 1 (all zero when both texts are empty)."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def shingle_metrics(tp_fp_fns: Sequence[TpFpFn]) -> dict[str, float]:
    """Precision (mean over pages with predictions), recall (mean over pages with truth), F1 of the two."""
    precisions = [precision_score(*x) for x in tp_fp_fns if x[0] + x[1] > 0]
    recalls = [recall_score(*x) for x in tp_fp_fns if x[0] + x[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def token_accuracy(true: str | None, pred: str | None) -> bool:
    """The benchmark's "accuracy": equal token sequences."""
    return tokenize(true) == tokenize(pred)


def snippet_counts(text: str | None, with_: Iterable[str], without: Iterable[str]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of trafilatura-eval's must-have and must-not-have snippets in one text."""
    hay = normalize_ws(text)
    tp = fn = fp = tn = 0
    for snippet in with_:
        if normalize_ws(snippet) in hay:
            tp += 1
        else:
            fn += 1
    for snippet in without:
        if normalize_ws(snippet) in hay:
            fp += 1
        else:
            tn += 1
    return tp, fn, fp, tn


def snippet_metrics(counts: Iterable[tuple[int, int, int, int]]) -> dict[str, float]:
    """Precision, recall, F1 and accuracy over the summed snippet counts of many pages."""
    tp = fn = fp = tn = 0
    for a, b, c, d in counts:
        tp, fn, fp, tn = tp + a, fn + b, fp + c, tn + d
    total = tp + fn + fp + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": (tp + tn) / total if total else 0.0}


def language_code(value: str | None) -> str | None:
    """Primary language subtag, lower case: "en-US" and "EN_us" give "en"; empty gives None."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code or None

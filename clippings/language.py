"""Decide an article's language (ISO 639-1) from its text and what page, source and outlet declare.

The rule, first match wins:

1. Text. langdetect (seeded, so the same text always gives the same answer) reads the first
   SAMPLE_CHARS of the text (callers pass headline + lede + body, see `language_sample`). If the
   sample has at least LONG_LETTERS letters and langdetect's top language has probability at least
   CONFIDENT, the text wins, whatever the page declares: a CMS that says `en` on a Spanish wire
   story is common. Source "text".
2. Declared. Otherwise (short or uncertain text) the page's declared language (<html lang>,
   content-language, og:locale) wins: source "declared";
3. then the source's hint (the feed's or sitemap's language): source "hint";
4. then the outlet's default language from the campaign file: source "outlet".
5. Expected. With none of those, the campaign's languages break ties: the most probable langdetect
   candidate (probability at least TIE_FLOOR) that is in `expected`. Source "expected".
6. Guess. Else langdetect's top candidate if its probability is at least GUESS_FLOOR. Source "text".
7. Otherwise no language: code None, source "none".

Confidence is langdetect's probability for the chosen code, or for a declared/hint/outlet code the
larger of that probability and a fixed prior (0.7, 0.6, 0.5). Codes are normalised first: "en-US"
-> "en", "es_ES" -> "es", "zh-cn" -> "zh", "eng" -> "en", "iw" -> "he", "nb"/"nn" -> "no".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from langdetect import DetectorFactory, detect_langs, detector_factory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.lang_profile import LangProfile

DetectorFactory.seed = 0  # deterministic results

SAMPLE_CHARS = 2500
MIN_LETTERS = 20  # below this, langdetect is not asked at all
LONG_LETTERS = 200  # at least this many letters for the text to overrule declarations
CONFIDENT = 0.90
TIE_FLOOR = 0.20
GUESS_FLOOR = 0.50
PRIORS = {"declared": 0.7, "hint": 0.6, "outlet": 0.5}

_SUBTAG = re.compile(r"[-_\s]")
_OLD_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "nb": "no", "nn": "no"}
_THREE_LETTER = {
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "por": "pt",
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "ukr": "uk",
    "pol": "pl",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "ara": "ar",
    "tur": "tr",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "nob": "no",
    "nno": "no",
    "fin": "fi",
    "ces": "cs",
    "cze": "cs",
    "ell": "el",
    "gre": "el",
    "heb": "he",
    "hin": "hi",
    "ind": "id",
    "vie": "vi",
    "tha": "th",
    "cat": "ca",
    "ron": "ro",
    "rum": "ro",
    "hun": "hu",
    "fas": "fa",
    "per": "fa",
}


@dataclass(frozen=True)
class LanguageDecision:
    """The language chosen for an article, how sure, and which evidence decided it."""

    code: str | None
    confidence: float
    source: str  # "text", "declared", "hint", "outlet", "expected" or "none"


def normalize_code(value: str | None) -> str | None:
    """An ISO 639-1 code from a language tag ("en-US", "es_ES", "zh-cn", "eng"), or None."""
    if not value:
        return None
    primary = _SUBTAG.split(value.split(",")[0].strip().lower(), maxsplit=1)[0]
    if len(primary) == 3:
        return _THREE_LETTER.get(primary)
    if len(primary) != 2 or not primary.isascii() or not primary.isalpha():
        return None
    return _OLD_CODES.get(primary, primary)


def language_sample(headline: str | None, lede: str | None, body: str) -> str:
    """The text that language detection reads: headline, lede and the start of the body."""
    return "\n".join(part for part in (headline, lede, body[:2000]) if part)


class _OneLanguage(tuple[int, float]):
    """(language index, probability) of an n-gram seen in that one language only; zero in all others."""

    __slots__ = ()


_raw_row = dict.__getitem__  # the stored value, a pair or a full row (a module global: faster lookups)


class _CompactProbTable(dict[str, "list[float] | _OneLanguage"]):
    """langdetect's `word_lang_prob_map` (n-gram -> probability per language), in under half the memory.

    Why: langdetect's own loader gives each of its 87,598 n-grams a list of 55 floats (one slot per
    language), about 500 bytes each; loading it takes a process from 14 MB to 77 MB peak RSS, the largest
    single cost of the worker that runs detection. Yet 69,794 n-grams occur in one language only. Here
    those hold a shared `_OneLanguage` pair (35,552 distinct ones), expanded to a full row when the
    detector asks for it (about 2% of its lookups); the other n-grams keep their full row.
    Probabilities come from the same expression, in the same language order, so detection gives
    bit-for-bit the same results. Peak RSS: 42 MB instead of 77 MB; profile loading 0.19 s instead of
    0.25 s; detection 2-4% slower (the Python-level `table[word]`).

    langdetect's Detector only uses `word in table` (dict's own, as fast as before) and `table[word]`;
    `.get()`, `.values()` and `.items()` give the stored pairs and rows, not expanded rows.
    """

    __slots__ = ("_zeros",)

    def __init__(self, width: int) -> None:
        super().__init__()
        self._zeros = [0.0] * width

    def __getitem__(self, word: str) -> list[float]:
        row = _raw_row(self, word)
        if type(row) is list:  # faster than isinstance; most lookups end here
            return row
        lang, prob = cast(_OneLanguage, row)
        dense = self._zeros.copy()
        dense[lang] = prob
        return dense


def _compact_factory(directory: str) -> DetectorFactory:
    """A DetectorFactory like langdetect's `load_profile(directory)` builds, holding a `_CompactProbTable`.

    Reads the profiles one at a time, in the same (os.listdir) order, and stores each n-gram's
    probabilities in their compact form straight away, so the full-size table never exists.
    """
    names = os.listdir(directory)
    if not names:
        raise LangDetectException(ErrorCode.NeedLoadProfileError, "Not found profile: " + directory)
    width = len(names)  # as langdetect: one slot per directory entry
    table = _CompactProbTable(width)
    factory = DetectorFactory()
    factory.word_lang_prob_map = table
    index = 0
    for name in names:
        filename = os.path.join(directory, name)
        if name.startswith(".") or not os.path.isfile(filename):
            continue
        try:
            with open(filename, encoding="utf-8") as f:
                profile = LangProfile(**json.load(f))
        except OSError as e:
            raise LangDetectException(ErrorCode.FileLoadError, f'Cannot open "{filename}"') from e
        except Exception as e:
            raise LangDetectException(ErrorCode.FormatError, f'Profile format error in "{filename}"') from e
        if profile.name in factory.langlist:
            raise LangDetectException(ErrorCode.DuplicateLangError, "Duplicate the same language profile.")
        factory.langlist.append(profile.name)
        pairs: tuple[dict[int, _OneLanguage], ...] = ({}, {}, {})  # per n-gram length: count -> shared pair
        for word, count in profile.freq.items():
            row = table.get(word)  # dict.get: the stored value, a pair or a full row
            length = len(word)
            if not 1 <= length <= 3:  # langdetect keeps these, with no probabilities
                if row is None:
                    table[word] = [0.0] * width
                continue
            pair = pairs[length - 1].get(count)
            if pair is None:  # langdetect's own expression, for the same float
                pair = pairs[length - 1][count] = _OneLanguage((index, 1.0 * count / profile.n_words[length - 1]))
            if row is None:
                table[word] = pair
            elif isinstance(row, _OneLanguage):  # a second language: a full row from now on
                table[word] = dense = table[word]
                dense[index] = pair[1]
            else:
                row[index] = pair[1]
        index += 1
    return factory


def _load_profiles() -> None:
    """Install the compact factory as the one langdetect's `detect_langs` uses, unless it has one already.

    (A langdetect `detect`/`detect_langs` call made before ours would load langdetect's full-size table.)
    """
    if detector_factory._factory is None:
        detector_factory._factory = _compact_factory(detector_factory.PROFILES_DIRECTORY)


def detect_candidates(text: str) -> list[tuple[str, float]]:
    """langdetect's candidates as (ISO 639-1 code, probability), most probable first."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return []
    _load_profiles()
    try:
        found = detect_langs(sample)
    except LangDetectException:
        return []
    merged: dict[str, float] = {}
    for language in found:
        code = normalize_code(language.lang)
        if code:
            merged[code] = merged.get(code, 0.0) + language.prob
    return sorted(merged.items(), key=lambda item: -item[1])


def detect_language(
    text: str,
    *,
    declared: str | None = None,
    hint: str | None = None,
    outlet_default: str | None = None,
    expected: Sequence[str] = (),
) -> LanguageDecision:
    """Apply the module's rule to the text and the declared, hinted and outlet languages."""
    candidates = detect_candidates(text)
    probability = dict(candidates)
    long_text = sum(c.isalpha() for c in text[:SAMPLE_CHARS]) >= LONG_LETTERS
    if candidates and long_text and candidates[0][1] >= CONFIDENT:
        return LanguageDecision(candidates[0][0], round(candidates[0][1], 4), "text")
    for source, value in (("declared", declared), ("hint", hint), ("outlet", outlet_default)):
        code = normalize_code(value)
        if code:
            return LanguageDecision(
                code, round(max(PRIORS[source], probability.get(code, 0.0)), 4), source
            )
    wanted = {c for c in map(normalize_code, expected) if c}
    for code, prob in candidates:
        if prob >= TIE_FLOOR and code in wanted:
            return LanguageDecision(code, round(prob, 4), "expected")
    if candidates and candidates[0][1] >= GUESS_FLOOR:
        return LanguageDecision(candidates[0][0], round(candidates[0][1], 4), "text")
    return LanguageDecision(None, 0.0, "none")

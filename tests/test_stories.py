"""clippings.stories: the body fingerprint, similarity and the same-story decision; the labelled pairs' floors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from clippings import stories
from clippings.stories import StoryText, agency_relation, decode, fingerprint, same_story, similarity

STORY = (
    "Demonstrators gathered outside vote-counting centers in several US states for a second day on Thursday, "
    "holding candlelight vigils and urging patience as election officials worked through the remaining ballots "
    "in a presidential race that was still too close to call.\n\n"
    "The Protect the Results coalition said about 120 events were held on Thursday under its banner, most of "
    "them small and peaceful.\n\n"
    "In Philadelphia, several dozen people sang and held candles across the street from the convention center "
    "where officials were counting mail-in ballots. A smaller group of supporters of the president gathered "
    "nearby, separated by police barriers.\n\n"
    "Election officials in Pennsylvania, Georgia, Arizona and Nevada said they expected to finish counting most "
    "remaining ballots within days."
)
OTHER = (
    "Several hundred people filled the plaza in front of City Hall on Wednesday evening for a rally, calling on "
    "election officials across the country to finish counting ballots before anyone declares a winner. The rally "
    "was organized by a local chapter of a national network and was one of about 370 events planned nationwide. "
    "Police estimated the crowd at about 400 people at its peak. The rally ended shortly after 7 p.m."
)


def test_fingerprint_is_compact_text_and_stable() -> None:
    fp = fingerprint(STORY)
    assert fp.startswith("m1:") and len(fp) < 800
    assert fp == fingerprint(STORY)
    sig = decode(fp)
    assert sig is not None and sig.size == len(stories.shingles(STORY)) and len(sig.values) == stories.NUM_PERM


def test_normalisation_ignores_case_spacing_and_punctuation() -> None:
    assert fingerprint(STORY) == fingerprint(STORY.upper().replace("\n\n", "\n").replace(",", " ,"))


def test_empty_body_has_no_fingerprint_and_is_never_the_same_story() -> None:
    assert fingerprint("") == "" and fingerprint("  — … ") == ""
    stub = "This article is for subscribers only. Subscribe today to read every story on our site."
    assert len(stub.split()) < stories.MIN_WORDS and fingerprint(stub) == ""  # identical stubs never group
    assert decode("") is None and decode(None) is None and decode("x1:3:abc") is None
    assert similarity("", fingerprint(STORY)) == 0.0
    assert not same_story(StoryText("", "A"), StoryText("", "B"))


def test_similarity_of_copies_excerpts_and_other_stories() -> None:
    full = fingerprint(STORY)
    assert similarity(full, full) == 1.0
    trimmed = fingerprint(STORY.rsplit("\n\n", 1)[0])  # the last paragraph dropped
    assert similarity(full, trimmed) > 0.8
    local = fingerprint("RIVERTON — A local vigil is planned for Friday at the library.\n\n" + STORY)
    assert similarity(full, local) > 0.8
    assert similarity(full, fingerprint(OTHER)) < 0.2
    assert similarity(full, trimmed) == similarity(trimmed, full)


def test_similarities_vectorised_equals_pairwise() -> None:
    fps = [fingerprint(t) for t in (STORY, OTHER, STORY[:400], OTHER + " " + STORY[:300])]
    sigs = [decode(f) for f in fps]
    assert all(s is not None for s in sigs)
    got = stories.similarities(sigs[0], sigs)  # type: ignore[arg-type]
    assert list(got) == pytest.approx([similarity(fps[0], f) for f in fps])


def test_agency_relation() -> None:
    assert agency_relation(StoryText("", "Metro", "AFP"), StoryText("", "Beacon", "afp")) == "same"
    assert agency_relation(StoryText("", "AFP", None), StoryText("", "Beacon", "AFP")) == "same"
    assert agency_relation(StoryText("", "Metro", "AFP"), StoryText("", "Beacon", "Reuters")) == "conflict"
    assert agency_relation(StoryText("", "Metro", None), StoryText("", "Beacon", None)) == "none"


def test_same_story_decision() -> None:
    full, other = fingerprint(STORY), fingerprint(OTHER)
    assert same_story(StoryText(full, "Wire", "Wire"), StoryText(full, "Metro", "Wire"))
    assert same_story(StoryText(full, "Wire"), StoryText(full, "Metro"))  # a copy without any credit
    assert not same_story(StoryText(full, "Metro", "AFP"), StoryText(full, "Beacon", "Reuters"))  # two agencies
    assert not same_story(StoryText(full, "Wire", "Wire"), StoryText(other, "Metro", "Wire"))
    assert stories.decide(stories.AGENCY_THRESHOLD, "same") and not stories.decide(stories.AGENCY_THRESHOLD, "none")
    assert stories.decide(stories.THRESHOLD, "none") and not stories.decide(0.99, "conflict")


# --- the labelled pairs (tests/fixtures/stories/pairs.jsonl): floors a little below the measured values ----

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def pair_scores() -> dict[str, object]:
    sys.path.insert(0, str(BENCH))
    try:
        import stories_scoring
    finally:
        sys.path.remove(str(BENCH))
    return stories_scoring.evaluate(Path(__file__).parent / "fixtures" / "stories" / "pairs.jsonl")


def test_pair_set_size_and_categories(pair_scores: dict[str, Any]) -> None:
    assert pair_scores["pairs"] >= 60
    cats = pair_scores["categories"]
    for name in ("copy", "edited copy", "translation", "same-event-different-story", "unrelated"):
        assert cats[name]["pairs"] >= 10, name
    assert cats["translation"]["same"] == 0 and cats["same-event-different-story"]["same"] == 0


def test_grouping_precision_and_recall_floors(pair_scores: dict[str, Any]) -> None:
    # measured at 12:55 UTC: 1.000 / 1.000 on both halves (threshold 0.50, with agency evidence 0.40)
    for half in ("tuning", "heldout"):
        assert pair_scores[half]["precision"] >= 0.97, pair_scores[half]["wrong"]
        assert pair_scores[half]["recall"] >= 0.95, pair_scores[half]["wrong"]


def test_thresholds_are_those_the_tuning_half_picks(pair_scores: dict[str, Any]) -> None:
    picks = pair_scores["tuning_picks"]
    assert (picks["threshold"], picks["agency_threshold"]) == (stories.THRESHOLD, stories.AGENCY_THRESHOLD)

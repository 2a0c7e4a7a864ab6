"""Relevance: the labelled snippet set, one test per matching rule, and the raw-page prefilter."""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import random
import re
from pathlib import Path

import lxml.html
import pytest

from clippings import relevance
from clippings.campaign import Campaign
from clippings.relevance import Matcher, is_relevant

FIXTURES = Path(__file__).parent / "fixtures" / "relevance"
CAMPAIGN = Campaign(
    name="Protect the Results",
    phrases=("Protect the Results", "Count Every Vote"),
    organizations=("Stand Up America", "Indivisible"),
    people=("Sean Eldridge",),
)
MATCHER = Matcher(CAMPAIGN)
RE_MATCHER = Matcher(CAMPAIGN)  # the same prefilter scanning with Python's re, term by term
RE_MATCHER.scan = None
SNIPPETS = [
    json.loads(line)
    for line in (FIXTURES / "snippets.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
PAGES = ("thehill-471033.html.gz", "cleveland-doobie.html.gz")  # ~110 KB real pages, no mention


def terms_of(text: str) -> list[str]:
    """The distinct terms the matcher finds in one text, sorted."""
    return sorted({m.term for m in MATCHER.find(text)})


def read_page(name: str) -> str:
    """One saved real article page as text."""
    return gzip.decompress((FIXTURES / name).read_bytes()).decode("utf-8")


# ---------------------------------------------------------------- the labelled set


def test_snippet_set_is_big_balanced_and_well_formed():
    assert len(SNIPPETS) >= 120
    positives = [s for s in SNIPPETS if s["relevant"]]
    assert 0.4 <= len(positives) / len(SNIPPETS) <= 0.6
    terms = {t.text for t in CAMPAIGN.terms}
    for s in SNIPPETS:
        assert set(s) == {"text", "relevant", "terms", "note"}, s
        assert s["note"].strip()
        assert bool(s["terms"]) == s["relevant"], s
        assert set(s["terms"]) <= terms, s
    assert len({s["text"] for s in SNIPPETS}) == len(SNIPPETS)


def test_accuracy_on_the_labelled_set_is_at_least_95_percent():
    right = [is_relevant(MATCHER.find(s["text"])) == s["relevant"] for s in SNIPPETS]
    same_terms = [terms_of(s["text"]) == sorted(s["terms"]) for s in SNIPPETS]
    accuracy = sum(right) / len(SNIPPETS)
    term_accuracy = sum(same_terms) / len(SNIPPETS)
    wrong = [s["text"] for s, ok in zip(SNIPPETS, right, strict=True) if not ok]
    print(
        f"\nrelevance accuracy {accuracy:.3f} ({sum(right)}/{len(SNIPPETS)}), "
        f"exact term sets {term_accuracy:.3f}; wrong: {wrong}"
    )
    assert accuracy >= 0.95
    assert term_accuracy >= 0.93


def test_mentions_carry_offsets_into_the_original_text():
    for s in SNIPPETS:
        for m in MATCHER.find(s["text"]):
            assert s["text"][m.start : m.end] == m.text
            assert m.field == "body"
            assert m.kind == next(t.kind for t in CAMPAIGN.terms if t.text == m.term)


# ---------------------------------------------------------------- one rule at a time


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("Leaders of Indivi-\nsible said so.", "Indivisible", "Indivi-\nsible"),
        ("Stand Up Amer\u00adica said it was ready.", "Stand Up America", "Stand Up Amer\u00adica"),
        (
            "The coalition known as Protect\nthe Results met.",
            "Protect the Results",
            "Protect\nthe Results",
        ),
        ("The founder, Sean\nEldridge, spoke.", "Sean Eldridge", "Sean\nEldridge"),
        ("Sean Eld-\nridge spoke.", "Sean Eldridge", "Sean Eld-\nridge"),
        ("The event was hosted by Stand-Up America.", "Stand Up America", "Stand-Up America"),
    ],
)
def test_line_breaks_hyphenation_and_soft_hyphens_are_bridged(text, term, written):
    [m] = MATCHER.find(text)
    assert (m.term, m.text, text[m.start : m.end]) == (term, written, written)


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("Follow #ProtectTheResults for updates.", "Protect the Results", "#ProtectTheResults"),
        ("Share photos with #CountEveryVote today.", "Count Every Vote", "#CountEveryVote"),
        ("Posts tagged #CountEveryVote2020 spread.", "Count Every Vote", "#CountEveryVote2020"),
        ("In a post, @IndivisibleTeam listed events.", "Indivisible", "@IndivisibleTeam"),
        ("A spokesperson for @StandUpAmerica agreed.", "Stand Up America", "@StandUpAmerica"),
    ],
)
def test_hashtags_and_handles_are_mentions(text, term, written):
    [m] = MATCHER.find(text)
    assert (m.term, m.text) == (term, written)


def test_a_lowercase_one_word_hashtag_is_the_ordinary_word():
    assert MATCHER.find("Two hearts, one soul #indivisible #love") == []
    assert terms_of("#Indivisible trended on Tuesday night.") == ["Indivisible"]


@pytest.mark.parametrize(
    "text",
    [
        "Members of Indivisible Chicago gathered outside the Federal Building.",
        "Indivisible SF marched to the Ferry Building.",
        "The rally will be led by Indivisible Los Angeles and two unions.",
    ],
)
def test_local_chapters_are_mentions_of_the_organisation(text):
    assert terms_of(text) == ["Indivisible"]


@pytest.mark.parametrize(
    "text",
    [
        "Indivisible's co-founder spoke to reporters.",
        "Indivisible’s national office urged calm.",
        "INDIVISIBLE’S LEADERS CALL FOR CALM AS COUNT CONTINUES",
        "Sean Eldridge’s group says it has 20,000 volunteers.",
    ],
)
def test_possessives_are_mentions(text):
    assert len(MATCHER.find(text)) == 1


def test_possessive_of_ordinary_words_is_not_a_mention():
    assert MATCHER.find("Stand up America's manufacturing base, the candidate said.") == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Hundreds of “Count Every Vote” rallies are planned.", "Count Every Vote"),
        ("Le mot d’ordre «Count Every Vote» a été repris.", "Count Every Vote"),
        ("La coalition « Protect the Results » prévoit des rassemblements.", "Protect the Results"),
        ("„Count Every Vote“ heißt das Motto der Proteste.", "Count Every Vote"),
        ("La coalición Protect the Results convocó manifestaciones.", "Protect the Results"),
        ("Die Gruppe Indivisible mobilisiert ihre Mitglieder.", "Indivisible"),
        ("O movimento Indivisible também participa dos protestos.", "Indivisible"),
    ],
)
def test_quotes_guillemets_and_english_names_in_other_languages(text, term):
    assert terms_of(text) == [term]


@pytest.mark.parametrize(
    "text",
    [
        "Election officials said they would protect the results of the election.",
        "Judges have a duty to protect the results, the professor argued.",
        "“We will count every vote,” the governor said.",
        "State law requires officials to count every vote cast before certifying.",
        "Biden urged patience: “Count every vote.”",
        "Courts Vow to Protect the Results of the Election",
        "COUNT EVERY VOTE, BIDEN TELLS SUPPORTERS",
    ],
)
def test_ordinary_phrases_are_not_mentions(text):
    assert MATCHER.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Volunteers with the protect the results coalition handed out flyers.",
        "A coalition called protect the results has been organizing for weeks.",
        "Organizers expect the count every vote rallies to stay peaceful.",
    ],
)
def test_lowercase_phrases_with_entity_cues_are_mentions(text):
    assert len(MATCHER.find(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The pledge ends with “one nation under God, indivisible, with liberty.”",
        "Lincoln believed the Union was indivisible.",
        "One Nation, Indivisible: How the Pledge Was Written",
        "One Nation Under God Indivisible With Liberty",
        "Indivisible is the word the court used to describe the estate.",
    ],
)
def test_the_adjective_indivisible_is_not_a_mention(text):
    assert MATCHER.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Protesters chanted “Stand up, America!” as the motorcade passed.",
        "The crowd roared “Stand up America!” as the candidate took the stage.",
        "We need leaders who stand up. America deserves better.",
    ],
)
def test_chants_and_punctuated_words_are_not_mentions(text):
    assert MATCHER.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tickets for the Stand Up America comedy tour go on sale Monday.",
        "Lab Zero Games released Indivisible, its action RPG, on PlayStation 4.",
        "Indivisible, the 2018 war drama, is now streaming.",
        "Senators introduced the Count Every Vote Act to expand mail-in voting.",
        "The documentary Protect the Results follows three election clerks.",
    ],
)
def test_other_entities_of_the_same_name_are_not_mentions(text):
    assert MATCHER.find(text) == []


def test_organisation_cues_nearer_than_other_entity_cues_win():
    text = "After a comedy night on Friday, the progressive group Stand Up America held a rally."
    assert terms_of(text) == ["Stand Up America"]


def test_a_bare_surname_is_not_enough_but_follows_a_full_name():
    assert MATCHER.assess("Eldridge speaks", None, "Eldridge declined to comment.") == []
    mentions = MATCHER.assess(
        "Coalition readies rallies",
        "Sean Eldridge, founder of Stand Up America, spoke.",
        "Eldridge said the count must go on. Jazz great Roy Eldridge was not there.",
    )
    assert [(m.field, m.text) for m in mentions] == [
        ("lede", "Sean Eldridge"),
        ("lede", "Stand Up America"),
        ("body", "Eldridge"),
    ]
    assert is_relevant(mentions)
    assert not is_relevant([])


def test_assess_reads_headline_lede_and_body_in_that_order():
    mentions = MATCHER.assess(
        "Indivisible Plans Count Every Vote Rallies",
        None,
        "The Protect the Results coalition said Tuesday it was ready.",
    )
    assert [(m.field, m.term) for m in mentions] == [
        ("headline", "Indivisible"),
        ("headline", "Count Every Vote"),
        ("body", "Protect the Results"),
    ]
    assert MATCHER.assess(None, None, None) == []


def test_rules_are_driven_by_the_campaign_not_by_these_names():
    other = Matcher(
        Campaign(
            name="maps",
            phrases=("Fair Maps Now",),
            organizations=("Coalición Ciudadana",),
            people=("Ana Pérez",),
        )
    )
    found = other.find(
        "La Coalición Ciudadana y Ana Pérez lanzaron la campaña «Fair Maps Now» el lunes."
    )
    assert [m.term for m in found] == ["Coalición Ciudadana", "Ana Pérez", "Fair Maps Now"]
    assert other.find("Courts must draw fair maps now, the judge said.") == []
    assert other.could_match("<p>La coalici&oacute;n ciudadana y Ana P&eacute;rez</p>")
    assert not other.could_match("<p>Nothing to see here.</p>")


# ---------------------------------------------------------------- the prefilter


def to_html(text: str) -> str:
    """The text as a publisher might serve it: escaped, soft hyphens in long words, <br> lines."""
    escaped = html.escape(text, quote=True).replace("'", "&#39;")
    shy = re.sub(r"(\w{4})(\w{3,})", r"\1&shy;\2", escaped)
    return '<p class="story-body">' + shy.replace("\n", "<br>\n") + "</p>"


def extracted(fragment: str) -> str:
    """What text extraction makes of an HTML fragment (a <br> becomes a line break)."""
    root = lxml.html.fromstring(fragment)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content()


def could_match(raw: str) -> bool:
    """The prefilter's answer, the same for the text, its UTF-8 bytes and (if any) its Latin-1 bytes,
    scanning with Hyperscan or with re."""
    forms: list[str | bytes] = [raw, raw.encode("utf-8")]
    with contextlib.suppress(UnicodeEncodeError):  # not every text has Latin-1 bytes
        forms.append(raw.encode("latin-1"))
    answers = {m.could_match(form) for form in forms for m in (MATCHER, RE_MATCHER)}
    assert len(answers) == 1, f"text and bytes, or Hyperscan and re, disagree on {raw!r}"
    return answers.pop()


def test_prefilter_accepts_every_snippet_the_matcher_accepts_as_text_and_as_html():
    page = read_page("cleveland-doobie.html.gz")
    accepted = [s["text"] for s in SNIPPETS if MATCHER.find(s["text"])]
    assert len(accepted) >= 50
    for text in accepted:
        fragment = to_html(text)
        assert could_match(text), text
        assert could_match(fragment), fragment
        assert could_match(page.replace("</body>", fragment + "</body>")), text
        assert MATCHER.find(extracted(fragment)), fragment  # soft hyphens survive extraction


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Leaders of Indivi&shy;sible said</p>",
        "<p>Leaders of Indivi&#173;sible said</p>",
        "<p>Leaders of Indivi&#xAD;sible said</p>",
        "<p>Leaders of Indivi-<br>sible said</p>",
        "<p>Leaders of Indivi-<br />\n  sible said</p>",
        "<p>Leaders of Indivi-\n      sible said</p>",
        "<p>Leaders of Indi<wbr>visible said</p>",
        "<p>Leaders of Indivi\u00adsible said</p>",
        "<p>Leaders of Indivi\u200bsible said</p>",
        "<p>LEADERS OF INDIVISIBLE SAID</p>",
        '<p>Follow <a href="/t">#ProtectTheResults</a></p>',
        "<p>Posted by <a>@IndivisibleTeam</a></p>",
        "<p>Said Sean&nbsp;Eld&shy;ridge, the founder</p>",
        "<p>Stand&#32;Up&#x20;America&#39;s founder</p>",
    ],
)
def test_prefilter_sees_through_markup_breaks(raw):
    assert could_match(raw)
    assert MATCHER.find(extracted(raw)), extracted(raw)


def test_prefilter_holds_under_random_casing_and_breaks():
    rng = random.Random(7)
    breaks = ("\u00ad", "-\n", "\u200b", "-\n   ")
    checked = 0
    for s in SNIPPETS:
        for m in MATCHER.find(s["text"]):
            for _ in range(5):
                chars = []
                for ch in m.text:
                    chars.append(ch.upper() if rng.random() < 0.5 else ch.lower())
                    if ch.isalpha() and rng.random() < 0.15:
                        chars.append(rng.choice(breaks))
                text = s["text"][: m.start] + "".join(chars) + s["text"][m.end :]
                if MATCHER.find(text):
                    checked += 1
                    assert could_match(text), text
    assert checked > 100


def test_prefilter_rejects_text_without_the_words():
    for name in PAGES:  # The Hill's page has "count", "every" and "vote", never in a row
        assert not could_match(read_page(name)), name
    assert not could_match("")
    for text in (
        "Election officials in Pennsylvania continued counting mail-in ballots on Wednesday.",
        "Advocacy groups filed suit to extend the ballot deadline.",
        "<p>Lincoln believed the Union could not be divided.</p>",
        "<p>Indi-visible</p>",  # a hyphen without a line break is not hyphenation
        "<p>Please stand. Up next: America's best diners.</p>",
        "<p>Results are in: we protect the vote, every count matters.</p>",
    ):
        assert not could_match(text), text


@pytest.mark.parametrize(
    "raw",
    [
        "<b>Stand</b> <i>Up</i>&nbsp;America",
        "Stand\n  Up\n  America",
        "stand-up-america.org",
        "#StandUpAmerica",
        "@stand_up_america",
        "Count <!-- c --> Every <a href='/x'>Vote</a>",
        "Sean&#160;Eldridge",
    ],
)
def test_prefilter_lets_markup_stand_between_the_words(raw):
    assert could_match(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Count &am&shy;p; Every Vote</p>",  # a marker inside an entity between the words
        "<p>Stand <b<wbr>>Up America</p>",  # a <wbr> inside a tag between the words
        "<p>Protect <i -<br>>the Results</p>",  # a hyphen and a <br> inside a tag
        "<p>Sean &shy Eldridge</p>",  # a soft-hyphen entity without its ";"
        "<p>Coun- t every vote</p>",
        "<p>Stand Up Ame&#x200b;&shy;rica</p>",  # markers right after one another
        "<p>Indi<wbr>-\n<wbr>visible</p>",
        "<p>Kinder- und Jugendhilfe, Stand Up Ame-\nrica</p>",
    ],
)
def test_prefilter_sees_through_markers_inside_words_entities_and_tags(raw):
    assert could_match(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Indivi - sible</p>",  # a dash between words is no hyphenation
        "<p>Eld- ridge, Sean</p>",  # the runs, but not in order
        "<p>Count&nbsp&shy;Every Vote</p>",  # "&nbsp" without its ";" may not stand between words
        "<p>Bundes- und Landesregierung, Kinder- und Jugendhilfe</p>",
        "<p>Indi-\nvisi<!-- x -->ble</p>",  # a comment inside a word is not seen through
        "<p>Indivi<b>-\n</b>sible</p>",
    ],
)
def test_prefilter_rejects_markers_that_join_no_term(raw):
    assert not could_match(raw)


def test_prefilter_rejects_a_real_page_full_of_dashes_and_accepts_a_hyphenated_mention():
    page = read_page("cleveland-doobie.html.gz")
    dashes = "<p>Bundes- und Landesregierung - Kinder- und Jugendhilfe &shy; -<br> x- y</p>" * 20
    assert not could_match(page.replace("</body>", dashes + "</body>"))
    assert could_match(page.replace("</body>", dashes + "<p>Leaders of Indivi-\nsible</p></body>"))


def test_find_breaks_finds_what_the_marker_patterns_find():
    rng = random.Random(11)
    parts = ["-", " ", "\n", "<br>", "<br/>", "<wbr>", "&shy;", "&shy", "&#173;", "&#xad", "&amp;", "&#x27;", "&"]
    parts += ["<", "a"]  # many "&"s: past the first 64 a regex scan takes over
    for _ in range(500):
        data = "".join(rng.choice(parts) for _ in range(rng.randint(0, 400))).encode()
        expected = sorted(m.span() for rx in relevance._PRE_MARKER_RES for m in rx.finditer(data))
        assert relevance.find_breaks(data) == expected, data


def test_the_prefilter_scans_with_hyperscan_where_it_has_wheels() -> None:
    import platform

    from clippings import multiscan

    if platform.machine() in ("x86_64", "AMD64", "aarch64", "arm64"):
        assert multiscan.available() and MATCHER.scan is not None
    assert RE_MATCHER.scan is None


def test_hyperscan_and_re_agree_on_saved_real_pages() -> None:
    pages = sorted(Path(__file__).parent.glob("fixtures/**/*.html*"))
    assert len(pages) >= 10
    for path in pages:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for form in (raw, raw.decode("utf-8", "replace")):
            assert MATCHER.could_match(form) == RE_MATCHER.could_match(form), path.name
        for text in ("Indivi-\nsible", "Protect <b>the</b> Re&shy;sults", "count-<br>every vote", "Sean&#173;Eldridge"):
            page = raw.replace(b"</body>", text.encode() + b"</body>")
            assert MATCHER.could_match(page) == RE_MATCHER.could_match(page), (path.name, text)

"""Direct quotations and their speakers (clippings.quotes): one case per rule and language, the demo's truth."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

import clippings.demo
from clippings.demo.stories import load_outlets
from clippings.quotes import MAX_QUOTE, MAX_QUOTES, MAX_TEXT, extract_quotes

PEOPLE = ["Sean Eldridge", "Ezra Levin"]


def found(text: str, people: list[str] = PEOPLE) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.person) for q in extract_quotes(text, people)]


# --- English ------------------------------------------------------------------------------------------


def test_said_after_the_quote_with_offsets() -> None:
    text = ('Groups plan rallies. "Our job is to make sure every ballot is counted," said Sean Eldridge, '
            "the founder of Stand Up America, in an interview.")
    (quote,) = extract_quotes(text, PEOPLE)
    assert quote.text == "Our job is to make sure every ballot is counted"
    assert (quote.speaker, quote.person) == ("Sean Eldridge", "Sean Eldridge")
    assert text[quote.start] == '"' and text[quote.end - 1] == '"'
    assert text[quote.start + 1:quote.end - 2] == quote.text


def test_surname_after_the_full_name_and_only_then() -> None:
    earlier = 'Sean Eldridge founded Stand Up America in 2017.\n\n"We are ready," Eldridge said.'
    assert found(earlier) == [("We are ready", "Eldridge", "Sean Eldridge")]
    first = '"We are ready," Eldridge said.\n\nSean Eldridge founded Stand Up America in 2017.'
    assert found(first) == [("We are ready", "Eldridge", None)]
    honorific = 'Ezra Levin runs Indivisible. "Stay calm," Mr. Levin said.'
    assert found(honorific) == [("Stay calm", "Levin", "Ezra Levin")]


def test_another_given_name_is_another_person() -> None:
    text = 'Ezra Levin spoke first. "Count it all," said Jane Levin, a county clerk.'
    assert found(text) == [("Count it all", "Jane Levin", None)]


def test_speaker_then_colon_before_the_quote() -> None:
    text = "Sean Eldridge said: “The voters decide this election, not a candidate on election night.”"
    assert found(text) == [("The voters decide this election, not a candidate on election night.", "Sean Eldridge",
                            "Sean Eldridge")]
    told = "Ezra Levin told reporters on Monday: “We will be very happy to stay home.”"
    assert found(told)[0][2] == "Ezra Levin"


def test_appositive_between_speaker_and_verb() -> None:
    text = '"We hope we never need one," Sean Eldridge, who founded Stand Up America, told the Beacon.'
    assert found(text) == [("We hope we never need one", "Sean Eldridge", "Sean Eldridge")]


def test_pronoun_takes_the_last_named_speaker() -> None:
    text = ("Ezra Levin, a co-founder of Indivisible, said the group hoped the gatherings would prove unnecessary. "
            '"If nobody tries to short-circuit the count, we will be very happy to stay home," he said.')
    assert found(text) == [("If nobody tries to short-circuit the count, we will be very happy to stay home",
                            "Ezra Levin", "Ezra Levin")]


def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = ("Mary Steenburgen had surgery in 2007. Her son, filmmaker Charlie McDowell, remembers it. "
            "“It was a trying time,” McDowell said. “I had been somebody who liked music,” she said.")
    assert [s for _, s, _ in found(text)] == ["McDowell", "Mary Steenburgen"]
    told = "In 1997, Elise wrote, she interviewed Mike for a convention. “No,” he said."
    assert found(told) == [("No", "he", None)]


def test_unresolved_pronoun_stays_and_matches_nobody() -> None:
    assert found('"We are ready," she said.') == [("We are ready", "she", None)]


def test_quote_spanning_paragraphs() -> None:
    text = ("“We have trained thousands of volunteers to keep the peace.\n\n"
            "“If the count is attacked, people will be ready,” said Sean Eldridge.\n\n"
            "The coalition lists 370 events.")
    (quote,) = extract_quotes(text, PEOPLE)
    assert quote.text == ("We have trained thousands of volunteers to keep the peace.\n\n"
                          "If the count is attacked, people will be ready")
    assert quote.person == "Sean Eldridge"
    assert quote.start == 0 and quote.end == text.index("said") - 1


def test_unclosed_mark_without_continuation_is_no_quote() -> None:
    text = '"We have trained thousands of volunteers, said Sean Eldridge.\n\nThe coalition lists 370 events.'
    assert found(text) == []


def test_sentence_after_an_attributed_quote_keeps_its_speaker() -> None:
    text = ("Carla Jimenez, a nurse in Tucson, said she signed up after reading about the coalition. "
            '"I have never been political," she said. "But I want my vote to be counted."')
    assert found(text) == [("I have never been political", "Carla Jimenez", None),
                           ("But I want my vote to be counted.", "Carla Jimenez", None)]


def test_paragraph_after_indirect_speech_keeps_its_speaker() -> None:
    text = ("Sean Eldridge said the events would be called off if nobody interfered with the count.\n\n"
            "“We hope we never need a single one of these events.”")
    assert found(text) == [("We hope we never need a single one of these events.", "Sean Eldridge",
                            "Sean Eldridge")]


def test_interrupted_quote_has_one_speaker() -> None:
    text = '"We are not here for a candidate," said Ezra Levin, "we are here for the count."'
    assert [p for _, _, p in found(text)] == ["Ezra Levin", "Ezra Levin"]


def test_other_speakers_are_kept_without_person() -> None:
    text = ('"This election is rigged," Trump said on Wednesday. "We are monitoring the count," a spokeswoman '
            'for the county said. "Courts do not decide elections; voters do," the panel wrote.')
    assert found(text) == [("This election is rigged", "Trump", None),
                           ("We are monitoring the count", "a spokeswoman for the county", None),
                           ("Courts do not decide elections; voters do", "the panel", None)]


def test_verb_first_with_a_title_before_the_name() -> None:
    text = "“It depends on what Boeing is willing to invest,” responded NASA administrator Jim Bridenstine."
    assert found(text) == [("It depends on what Boeing is willing to invest", "Jim Bridenstine", None)]


def test_partial_quote_after_a_speech_verb() -> None:
    text = 'Ezra Levin said the rallies were "a way to make sure every vote is counted" in every state.'
    assert found(text) == [("a way to make sure every vote is counted", "Ezra Levin", "Ezra Levin")]


def test_a_short_term_according_to_a_source_is_no_quote() -> None:
    text = ('He was diagnosed with "feather-duvet lung," according to a new case report. Privacy is not '
            '"bolt-on things," Cook said.')
    assert found(text) == [("bolt-on things", "Cook", None)]


def test_titles_slogans_and_scare_quotes_are_no_quotes() -> None:
    text = ('The coalition is coordinating more than 370 "Count Every Vote" events, organizers said Monday. '
            'Demonstrators held signs reading "Every vote counts" across the street. Comedian Rick Delgado will '
            'bring his “Stand Up America” tour to town, and the phrase ‘one nation under God’ was read aloud.')
    assert found(text) == []


def test_single_curly_quotes_and_apostrophes() -> None:
    text = "‘It’s about the count, and the count isn’t over,’ said Sean Eldridge."
    assert found(text) == [("It’s about the count, and the count isn’t over", "Sean Eldridge", "Sean Eldridge")]
    plural = "‘It’s the voters’ right,’ said Sean Eldridge."
    assert found(plural) == [("It’s the voters’ right", "Sean Eldridge", "Sean Eldridge")]


def test_title_words_adverbs_and_possessive_descriptions_before_the_verb() -> None:
    text = ('"We performed diligent safety checks," Goddard planetary scientist Avi Mandell said. '
            '"We messed up; I messed up," Thomas allegedly told a supervisor. '
            "“The evidence is not strong enough,” Sweden’s deputy director of public prosecutions, Eva-Marie "
            "Persson, said on Tuesday.")
    assert [s for _, s, _ in found(text)] == ["Avi Mandell", "Thomas", "Eva-Marie Persson"]


def test_exclamation_then_a_capitalised_speaker() -> None:
    text = "“Governor Bevin has done a wonderful job!” Trump tweeted before Election Day."
    assert found(text) == [("Governor Bevin has done a wonderful job!", "Trump", None)]


def test_nested_single_quote_at_the_end() -> None:
    text = "“The script just said, ‘Rose-Lynn sings an incredible song. The end,’” Harper said."
    assert found(text) == [("The script just said, ‘Rose-Lynn sings an incredible song. The end,’", "Harper", None),
                           ("Rose-Lynn sings an incredible song. The end", "The script", None)]


def test_quote_inside_a_quote() -> None:
    text = ('From CNN: "Two groups formed a coalition called Protect the Results. \'We see these mobilizations as '
            "a critical way to counter any misinformation from Trump,' said Sean Eldridge, the founder of Stand Up "
            'America."')
    (quote,) = extract_quotes(text, PEOPLE)
    assert (quote.text, quote.person) == ("We see these mobilizations as a critical way to counter any "
                                          "misinformation from Trump", "Sean Eldridge")
    assert text[quote.start] == "'" and text[quote.end - 1] == "'"
    told = ("“We had $20 billion done,” Ezra Levin recounted. “And I said, ‘I want more.’ They said, ‘The "
            "farmers can’t handle it.’”")
    nested = [(q, s, p) for q, s, p in found(told) if not q.startswith(("We had", "And I"))]
    assert nested == [("I want more.", "Ezra Levin", "Ezra Levin"), ("The farmers can’t handle it.", "They", None)]
    assert found("I said, “We will count every vote.”") == []
    apostrophes = "\"It's the voters' choice and that's that,\" said Sean Eldridge."
    assert found(apostrophes) == [("It's the voters' choice and that's that", "Sean Eldridge", "Sean Eldridge")]


def test_mixed_curly_and_straight_marks() -> None:
    text = '“When all the evidence is presented," he said, "maybe you’ll see it.” Figgins declined to say more.'
    assert [q for q, _, _ in found(text)] == ["When all the evidence is presented", "maybe you’ll see it."]


def test_epigraph_dash_attribution() -> None:
    text = "“Had he written five books in that world, he would have been a household name.” — Neil Gaiman"
    assert found(text) == [("Had he written five books in that world, he would have been a household name.",
                            "Neil Gaiman", None)]


def test_added_comma_takes_the_sentence_subject() -> None:
    text = 'Ezra Levin said he never used the term "count party" and added, "I frankly cringe when I hear it."'
    assert found(text) == [("I frankly cringe when I hear it.", "Ezra Levin", "Ezra Levin")]


def test_modal_before_the_verb_and_two_speakers() -> None:
    text = ('As Sherlock would say, "Elementary, my dear Watson." Ford and Fry replied that I was threatening '
            "them with “the unsubstantiated beliefs of uncited individuals.”")
    assert [s for _, s, _ in found(text)] == ["Sherlock", "Ford and Fry"]


# --- Spanish ------------------------------------------------------------------------------------------


def test_spanish_dijo_and_pidio() -> None:
    text = ('"Que los funcionarios hagan su trabajo y terminen el recuento", pidió Ezra Levin, cofundador de '
            "Indivisible. «Los votantes eligen», dijo Sean Eldridge.")
    assert found(text) == [("Que los funcionarios hagan su trabajo y terminen el recuento", "Ezra Levin", "Ezra Levin"),
                           ("Los votantes eligen", "Sean Eldridge", "Sean Eldridge")]


def test_spanish_segun_before_and_after() -> None:
    before = 'Según Ezra Levin, "esta es una prueba para la democracia".'
    assert found(before) == [("esta es una prueba para la democracia", "Ezra Levin", "Ezra Levin")]
    after = 'Sean Eldridge habló el lunes. "Cada voto cuenta y será contado", según Eldridge.'
    assert found(after) == [("Cada voto cuenta y será contado", "Eldridge", "Sean Eldridge")]


def test_spanish_apposition_and_colon() -> None:
    text = 'El entrenador, Manuel Roig, elogió la reacción de su equipo: "No hemos jugado bien".'
    assert found(text) == [("No hemos jugado bien", "Manuel Roig", None)]
    partial = ('La alcaldesa, Rosa Medina, destacó que las cuentas "llegan a tiempo por primera vez en cuatro '
               'años".')
    assert found(partial) == [("llegan a tiempo por primera vez en cuatro años", "Rosa Medina", None)]


def test_spanish_slogan_is_no_quote() -> None:
    assert found("Cientos de personas marcharon en las marchas «Count Every Vote» este miércoles.") == []


# --- French -------------------------------------------------------------------------------------------


def test_french_guillemets_with_no_break_spaces() -> None:
    text = ("«\u00a0Ce sont les électeurs qui décident de cette élection\u00a0», a déclaré Sean Eldridge, "
            "fondateur de Stand Up America. «\u202fLaissez-les compter\u202f», a lancé Ezra Levin.")
    assert found(text) == [("Ce sont les électeurs qui décident de cette élection", "Sean Eldridge", "Sean Eldridge"),
                           ("Laissez-les compter", "Ezra Levin", "Ezra Levin")]


def test_french_inversion_and_selon() -> None:
    text = ("Ezra Levin, cofondateur d'Indivisible, a répondu aux questions. « Nous sommes prêts », a-t-il "
            "ajouté. « Chaque vote compte », estime-t-il. « Le décompte doit aller au bout », selon Levin.")
    assert [(s, p) for _, s, p in found(text)] == [("Ezra Levin", "Ezra Levin")] * 2 + [("Levin", "Ezra Levin")]


def test_french_description_then_name() -> None:
    text = "« Nous voulions un parcours exigeant », a expliqué le directeur de l'épreuve, Bernard Lacoste."
    assert found(text) == [("Nous voulions un parcours exigeant", "Bernard Lacoste", None)]


def test_french_slogan_and_short_phrase_are_no_quotes() -> None:
    text = ("Des centaines de personnes ont réclamé que « chaque vote soit compté ». Le slogan « Count Every "
            "Vote » est celui de la coalition.")
    assert found(text) == []


# --- German -------------------------------------------------------------------------------------------


def test_german_low_high_quotes() -> None:
    text = "„Wir werden jede Stimme zählen“, sagte Ezra Levin. Sean Eldridge sagte: „Die Wähler entscheiden.“"
    assert found(text) == [("Wir werden jede Stimme zählen", "Ezra Levin", "Ezra Levin"),
                           ("Die Wähler entscheiden.", "Sean Eldridge", "Sean Eldridge")]


def test_german_so_er_and_single_and_reversed_marks() -> None:
    text = ("Ezra Levin leitet Indivisible. „Das ist ein Test für die Demokratie“, so Levin. "
            "‚Jede Stimme zählt‘, sagte er. »Wir sind bereit«, erklärte Sean Eldridge.")
    assert found(text) == [("Das ist ein Test für die Demokratie", "Levin", "Ezra Levin"),
                           ("Jede Stimme zählt", "Levin", "Ezra Levin"),
                           ("Wir sind bereit", "Sean Eldridge", "Sean Eldridge")]


# --- Portuguese and Italian ----------------------------------------------------------------------------


def test_portuguese_disse_and_segundo() -> None:
    text = ('"Cada voto conta e será contado", disse Ezra Levin, cofundador do Indivisible. '
            '"Os eleitores decidem", segundo Sean Eldridge.')
    assert found(text) == [("Cada voto conta e será contado", "Ezra Levin", "Ezra Levin"),
                           ("Os eleitores decidem", "Sean Eldridge", "Sean Eldridge")]


def test_italian_ha_detto_and_secondo() -> None:
    text = ("«Ogni voto deve essere contato», ha detto Sean Eldridge, fondatore di Stand Up America. "
            "Ezra Levin è a Washington. “Siamo pronti a scendere in piazza”, ha dichiarato Levin. "
            '"Il conteggio deve finire", secondo il portavoce della coalizione.')
    assert found(text) == [("Ogni voto deve essere contato", "Sean Eldridge", "Sean Eldridge"),
                           ("Siamo pronti a scendere in piazza", "Levin", "Ezra Levin"),
                           ("Il conteggio deve finire", "il portavoce della coalizione", None)]


# --- bounds --------------------------------------------------------------------------------------------


def test_too_long_quote_is_none() -> None:
    words = "word " * (MAX_QUOTE // 5 + 10)
    assert found(f'"{words}," said Sean Eldridge.') == []


@pytest.mark.parametrize("text", [
    '"' * 100_000,
    "“" * 50_000 + "”" * 50_000,
    "‘a " * 60_000,
    " ‚a" * 60_000,
    "‘x " * 30_000 + "x’ " * 30_000,
    "“a\n\n" * 50_000,
    ("Sean Eldridge, " * 20_000) + 'said: "We are here."',
    'Ezra Levin said so. "We are fine," he said. ' * 5_000,
    ("A " * 40_000) + '"',
    ('"x," said ' * 20_000),
    ("Sean Eldridge, " * 20_000) + "said",
    ("«\u00a0" + "mot " * 50) * 2_000,
])
def test_adversarial_text_is_bounded(text: str) -> None:
    began = time.perf_counter()
    quotes = extract_quotes(text, PEOPLE)
    assert time.perf_counter() - began < 5.0
    assert all(q.end <= MAX_TEXT for q in quotes) and len(quotes) <= MAX_QUOTES


# --- the demo site's ground truth ----------------------------------------------------------------------


def _demo_stories():
    return [s for outlet in load_outlets() for s in outlet.stories]


def _demo_people() -> list[str]:
    template = Path(clippings.demo.__file__).parent / "campaign.toml.in"
    return list(tomllib.loads(template.read_text(encoding="utf-8"))["campaign"]["people"])


def test_demo_ground_truth_quotes_are_found_with_their_person() -> None:
    checked = 0
    for story in _demo_stories():
        got = {(q.person, q.text) for q in extract_quotes(story.body, _demo_people())}
        for truth in story.quotes:
            assert (truth.speaker, truth.text) in got, (story.path, truth)
            checked += 1
    assert checked >= 13


def test_demo_quotes_are_the_truth_or_someone_else() -> None:
    others = set()
    for story in _demo_stories():
        truth = {(q.speaker, q.text) for q in story.quotes}
        for quote in extract_quotes(story.body, _demo_people()):
            assert quote.speaker, (story.path, quote)
            if (quote.person, quote.text) not in truth:
                assert quote.person is None, (story.path, quote)
                others.add((quote.speaker, quote.text))
            assert "Count Every Vote" not in quote.text and quote.text != "Stand Up America"
    # the non-campaign speakers the demo quotes, by name where it gives one
    speakers = {s for s, _ in others}
    assert {"Carla Jimenez", "Gloria Tran", "Amara Quist", "Marta Jansen", "Paula Engstrom", "Dana Whitfield",
            "Esposito", "Brandt", "Hélène Morel", "Bernard Lacoste", "Manuel Roig", "Rosa Medina",
            "the panel"} <= speakers

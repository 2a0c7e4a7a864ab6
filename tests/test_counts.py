"""Count claims (`clippings.counts.extract_counts`): one focused case per rule and language, the seeds'
headlines, the demo site's ground truth, and the speed budget."""

from __future__ import annotations

import random
import statistics
import time

import pytest

from clippings.article import COUNT_KINDS, QUALIFIERS, CountClaim
from clippings.counts import extract_counts
from clippings.demo.stories import Count, Story, load_outlets


def claims(text: str, lang: str | None = "en") -> list[tuple[int, str]]:
    return [(c.value, c.kind) for c in extract_counts(text, lang)]


def one(text: str, lang: str | None = "en") -> CountClaim:
    found = extract_counts(text, lang)
    assert len(found) == 1, found
    return found[0]


# --- the seeds (../shared/seeds/): the coverage the issue quotes -------------------------------------

SEED_HEADLINES = [
    ('370 "Count Every Vote" Rallies Planned On Nov. 4 If Trump Contests Results, Prematurely Declares Victory',
     (370, "events", "exactly", "370")),
    ("Bipartisan coalition grows to 135 groups as organizations prepare for massive post-election mobilization.",
     (135, "organizations", "exactly", "135")),
    ("Newsweek: Over 200 Protests Already Planned If Trump Attempts to Dispute Election Results, Prematurely "
     "Declare Victory", (200, "events", "over", "Over 200")),
    ("The Hill: Over 170 Events Planned Nationwide By Advocacy Groups After Election To Make Sure All Ballots "
     "Are Counted", (170, "events", "over", "Over 170")),
    ("The Independent: Preparing For The Worst': Hundreds Of Protests Planned If Trump Disputes Election Result, "
     "Campaigners Say", (200, "events", "approx", "Hundreds")),
    ("0 have signed. Let’s get to 1,000!", (0, "signatures", "exactly", "0")),
]


@pytest.mark.parametrize(("text", "expected"), SEED_HEADLINES)
@pytest.mark.parametrize("lang", ["en", None])
def test_seed_headlines(text: str, expected: tuple[int, str, str, str], lang: str | None) -> None:
    c = one(text, lang)
    assert (c.value, c.kind, c.qualifier, c.span) == expected
    assert text[c.start: c.start + len(c.span)] == c.span


def test_seed_release_body() -> None:
    text = ('The Protect the Results coalition is coordinating more than 370 "Count Every Vote" events on November 4 '
            "should Donald Trump declare victory before millions of ballots are counted or otherwise contest the "
            "valid results.\n\nThe groundswell of grassroots activity being coordinated by Stand Up America, "
            "Indivisible, and more than 135 grassroots organizations--including progressive and conservative "
            "advocacy groups, government watchdogs, and labor unions--comes after both Trump and Pence continually "
            "refuse to say whether they will accept the results of the election.")
    found = extract_counts(text, "en")
    assert [(c.value, c.kind, c.qualifier, c.low, c.high, c.unit) for c in found] == [
        (370, "events", "over", 370, None, "events"),
        (135, "organizations", "over", 135, None, "organizations"),
    ]
    assert [c.span for c in found] == ["more than 370", "more than 135"]


def test_seed_never_counts() -> None:
    text = ("Stand Up America is a progressive advocacy organization with over two million community members "
            "across the country. Stand Up America has driven over 600,000 phone calls to Congress and mobilized "
            "tens of thousands of protestors across the country.")
    # membership size and outreach totals are no counts; the protesters are
    assert claims(text) == [(20_000, "participants")]
    c = one(text)
    assert (c.qualifier, c.low, c.high, c.span) == ("approx", 20_000, None, "tens of thousands")


def test_seed_quote_and_other_headlines() -> None:
    text = ("Two progressive advocacy groups, Stand up America and Indivisible, formed a bipartisan coalition of "
            "100 advocacy groups called Protect the Results that's organizing protests across the country")
    assert claims(text) == [(2, "organizations"), (100, "organizations")]
    assert claims("AFP: Si Trump rechaza el veredicto de las urnas, los manifestantes ya estan listos", "es") == []
    assert claims("Additional events are being added to the map daily") == []
    assert claims("possible cases of voter fraud have been found only to occur in 0.0025% of mail-in ballots") == []


# --- kinds and head nouns, per language -------------------------------------------------------------

KIND_CASES = [
    # en
    ("200 protests", "en", 200, "events", "protests"),
    ("35 vigils", "en", 35, "events", "vigils"),
    ("12 trainings", "en", 12, "events", "trainings"),
    ("40 sit-ins", "en", 40, "events", "sit-ins"),
    ("90 partners", "en", 90, "organizations", "partners"),
    ("25 local chapters", "en", 25, "organizations", "chapters"),
    ("14 unions", "en", 14, "organizations", "unions"),
    ("2,000 volunteers", "en", 2000, "participants", "volunteers"),
    ("500 RSVPs", "en", 500, "participants", "rsvps"),
    ("300 marchers", "en", 300, "participants", "marchers"),
    ("rallies in 45 cities", "en", 45, "locations", "cities"),
    ("protests in all 50 states", "en", 50, "locations", "states"),
    ("12,000 signatures", "en", 12000, "signatures", "signatures"),
    ("800 signers", "en", 800, "signatures", "signers"),
    # es
    ("200 manifestaciones", "es", 200, "events", "demonstrations"),
    ("370 actos", "es", 370, "events", "events"),
    ("40 concentraciones", "es", 40, "events", "rallies"),
    ("135 organizaciones", "es", 135, "organizations", "organizations"),
    ("12 sindicatos", "es", 12, "organizations", "unions"),
    ("500 voluntarios", "es", 500, "participants", "volunteers"),
    ("marchas en 30 ciudades", "es", 30, "locations", "cities"),
    ("4.000 firmas", "es", 4000, "signatures", "signatures"),
    # fr
    ("370 rassemblements", "fr", 370, "events", "rallies"),
    ("50 manifestations", "fr", 50, "events", "demonstrations"),
    ("135 organisations", "fr", 135, "organizations", "organizations"),
    ("20 syndicats", "fr", 20, "organizations", "unions"),
    ("300 manifestants", "fr", 300, "participants", "protesters"),
    ("80 bénévoles", "fr", 80, "participants", "volunteers"),
    ("des rassemblements dans 25 villes", "fr", 25, "locations", "cities"),
    ("1 500 signataires", "fr", 1500, "signatures", "signers"),
    # de
    ("200 Kundgebungen", "de", 200, "events", "rallies"),
    ("370 Veranstaltungen", "de", 370, "events", "events"),
    ("30 Mahnwachen", "de", 30, "events", "vigils"),
    ("135 Organisationen", "de", 135, "organizations", "organizations"),
    ("12 Gewerkschaften", "de", 12, "organizations", "unions"),
    ("400 Demonstranten", "de", 400, "participants", "protesters"),
    ("2.000 Menschen demonstrierten", "de", 2000, "participants", "people"),
    ("Kundgebungen in 40 Städten", "de", 40, "locations", "cities"),
    ("10.000 Unterschriften", "de", 10000, "signatures", "signatures"),
    # pt
    ("200 protestos", "pt", 200, "events", "protests"),
    ("80 atos", "pt", 80, "events", "events"),
    ("135 organizações", "pt", 135, "organizations", "organizations"),
    ("9 sindicatos", "pt", 9, "organizations", "unions"),
    ("600 pessoas protestaram", "pt", 600, "participants", "people"),
    ("protestos em 27 estados", "pt", 27, "locations", "states"),
    ("5.000 assinaturas", "pt", 5000, "signatures", "signatures"),
    # it
    ("200 manifestazioni", "it", 200, "events", "demonstrations"),
    ("15 cortei", "it", 15, "events", "marches"),
    ("40 presidi", "it", 40, "events", "rallies"),
    ("135 organizzazioni", "it", 135, "organizations", "organizations"),
    ("30 sigle", "it", 30, "organizations", "organizations"),
    ("700 persone in piazza", "it", 700, "participants", "people"),
    ("cortei in 100 città", "it", 100, "locations", "cities"),
    ("3.000 firme", "it", 3000, "signatures", "signatures"),
]


@pytest.mark.parametrize(("text", "lang", "value", "kind", "unit"), KIND_CASES)
def test_kinds_and_units(text: str, lang: str, value: int, kind: str, unit: str) -> None:
    c = one(text, lang)
    assert (c.value, c.kind, c.unit) == (value, kind, unit)
    # with no language the tables of all six are read (a "1.200" with three digits is a thousands group),
    # except the French words that are English words of another sense
    if "manifestations" in text:
        assert claims(text, None) == []
    else:
        c = one(text, None)
        assert (c.value, c.kind) == (value, kind)


def test_every_kind_and_qualifier_is_known() -> None:
    texts = ["more than 200 protests", "at least 30 groups", "up to 500 people marched", "rallies in about 40 cities",
             "hundreds of signatures", "between 10 and 20 rallies", "exactly 12 unions"]
    found = [c for t in texts for c in extract_counts(t, "en")]
    assert {c.kind for c in found} == set(COUNT_KINDS)
    assert {c.qualifier for c in found} == set(QUALIFIERS)


def test_german_compounds() -> None:
    assert claims("rund 50 Protestkundgebungen", "de") == [(50, "events")]
    assert claims("Proteste in 20 US-Bundesstaaten", "de") == [(20, "locations")]
    assert claims("mehr als 30 Partnerorganisationen", "de") == [(30, "organizations")]
    assert claims("40 Gegendemonstranten", "de") == []  # counter-protesters
    assert claims("5 Worte", "de") == []  # "orte" is a whole word only


def test_members_and_supporters_need_a_participation_verb() -> None:
    assert claims("a network of 2 million members") == []
    assert claims("over two million community members across the country") == []
    assert claims("200 members marched to city hall") == [(200, "participants")]
    assert claims("hundreds of supporters gathered outside") == [(200, "participants")]
    assert claims("la asociación tiene 5.000 miembros", "es") == []


def test_quantity_followed_by_a_participation_verb_counts_people() -> None:
    c = one("Hundreds rally at Riverton City Hall to 'Count Every Vote'")
    assert (c.value, c.kind, c.unit, c.qualifier) == (200, "participants", "people", "approx")
    assert claims("Thousands march in Detroit") == [(2000, "participants")]
    assert claims("Miles marchan en Madrid", "es") == [(2000, "participants")]
    assert claims("Hunderte demonstrieren vor dem Kapitol", "de") == [(200, "participants")]
    assert claims("Des milliers manifestent à Paris", "fr") == [(2000, "participants")]
    assert claims("Migliaia in piazza a Roma", "it") == [(2000, "participants")]
    # a verb that is part of a name before a table noun is not the head
    assert claims("200 protest events") == [(200, "events")]


def test_signatures_by_signing() -> None:
    assert claims("0 have signed") == [(0, "signatures")]
    assert claims("12,500 people have signed the petition") == [(12500, "signatures")]
    assert claims("Más de 3.000 personas han firmado", "es") == [(3000, "signatures")]
    assert claims("1 200 personnes ont signé la pétition", "fr") == [(1200, "signatures")]
    assert claims("500 Menschen haben unterschrieben", "de") == [(500, "signatures")]
    assert claims("800 pessoas assinaram", "pt") == [(800, "signatures")]
    assert claims("900 persone hanno firmato", "it") == [(900, "signatures")]
    # signing up to take part is no signature
    assert claims("Thousands of people have signed up for trainings") == [(2000, "participants")]
    assert claims("300 signed up to host events") == [(300, "participants")]


def test_people_need_a_sign_of_taking_part() -> None:
    assert claims("more than 4,000 people are expected to receive notice") == []
    assert claims("power was cut to some 375,000 people") == []
    assert claims("a study in 38 people") == []
    assert claims("Hundreds of people gathered outside election offices") == [(200, "participants")]
    assert claims("Police estimated the crowd at about 400 people") == [(400, "participants")]
    assert claims("Cientos de personas se concentraron frente al capitolio", "es") == [(200, "participants")]
    assert claims("plusieurs centaines de personnes se sont rassemblées", "fr") == [(300, "participants")]
    assert claims("Organizers expect between 5,000 and 10,000 people") == [(10_000, "participants")]
    # the specific nouns need no sign
    assert claims("300 demonstrators") == [(300, "participants")]


def test_locations_need_activity_in_the_sentence() -> None:
    assert claims("Marijuana has been legalized in 11 states.") == []
    assert claims("Election officials in several battleground states have warned") == []
    assert claims("Protests were held in 45 states.") == [(45, "locations")]
    assert claims("Crowds gathered in several cities by midafternoon.") == [(3, "locations")]
    # where people come from is no location of the activity
    assert claims("1,500 participants are expected from 140 countries") == [(1500, "participants")]


def test_open_nouns_before_a_participation_verb() -> None:
    c = one("Route 66 closed for hours as 200 bikers protest")
    assert (c.value, c.kind, c.unit) == (200, "participants", "bikers")
    assert claims("Between 300 and 400 students walked out of class.") == [(400, "participants")]
    assert claims("Millions of Americans took part in the marches") == [(2_000_000, "participants")]
    assert claims("Up to 10,000 expected at Capitol rally") == [(10_000, "participants")]
    assert claims("Hundreds of thousands sign pledge to accept only a full count") == [(200_000, "signatures")]
    assert claims("200 police officers marched") == []
    assert claims("Decenas de miles de bielorrusos se han reunido en Minsk", "es") == [(20_000, "participants")]


def test_a_few_named_people_are_no_turnout() -> None:
    assert claims("The two candidates attended the debate") == []
    assert claims("The two leaders signed an agreement") == []
    assert claims("12,000 voters signed the petition") == [(12_000, "signatures")]
    assert claims("500 people aged 18 to 25 marched") == [(500, "participants")]  # an age range is none
    assert claims("On March 3, 400 people lost power") == []  # the month is no march


def test_signs_of_activity_are_words_of_activity() -> None:
    # a study's participants, a supply chain, an assembly, air strikes are no signs of taking part
    assert claims("one 6-month study in 77 people showed benefits in 81% of participants") == []
    assert claims("The supply chain reaches 300 people") == []
    assert claims("The National Assembly represents 5 million people") == []
    assert claims("Air strikes hit 200 people") == []
    assert claims("Dreitausend Menschen bildeten eine Menschenkette.", "de") == [(3000, "participants")]


def test_groups_of_things_and_meetings() -> None:
    assert claims("Two groups of immune cells known as monocytes") == []
    assert claims("the Bruins beat the Devils for the eighth time in nine meetings") == []
    assert claims("Organizers held 40 meetings to plan the protests") == [(40, "events")]


def test_deaths_and_killings() -> None:
    assert (106, "participants") not in claims("At least 106 protesters in 21 cities have been killed")
    assert claims("the deaths of at least four members of the security forces during the protests") == []


def test_lines_addresses_and_signed_articles() -> None:
    assert claims("Röschibachstr. 24-26, 8037 Zürich\nTeilnehmende Vorstandsmitglieder: Dan", None) == []
    assert claims("nous avons dépouillé 1 636 articles, signés par 3 191 auteurs", "fr") == []
    assert claims("says the letter signed by seven physicians") == [(7, "signatures")]
    assert claims("die vor ungefähr 2500 Jahren hierhin kamen", "de") == []
    assert claims("die Menge auf 250 Gramm Mehl", "de") == []
    assert claims("This post is divided into two sections", None) == []
    assert claims("garnered some 85,000 members, while another called 'Fan Club' has 29,000 members") == []


def test_days_of_months_dozens_and_limits() -> None:
    assert claims("the lockdown came into effect on 23 March.\nFour years earlier") == []
    assert claims("la marcha del 4 de noviembre", "es") == []
    assert claims("about 30 may attend the protest") == [(30, "participants")]
    c = one("The letter was signed by more than two dozen lawmakers")
    assert (c.value, c.kind, c.qualifier, c.span) == (24, "signatures", "over", "more than two dozen")
    assert claims("3 dozen protesters") == [(36, "participants")]
    assert claims("Sweden also banned public gatherings of more than eight people.") == []
    assert claims("an airliner with 162 people on board lost contact, and rescue teams were mobilized") == []
    assert claims("a blog post that drew thousands of comments") == []
    assert claims("Square went on to attract millions of users") == []


def test_a_pronoun_counts_people() -> None:
    c = one("Teachers chanted as hundreds of them lined entrances to the Statehouse")
    assert (c.value, c.kind, c.unit) == (200, "participants", "people")


def test_subject_after_its_verb() -> None:
    c = one("In Sorge um ihre Arbeitsplätze demonstrierten am Montag etwa 500 Mitarbeiter von Airbus", "de")
    assert (c.value, c.kind, c.qualifier, c.unit, c.span) == (500, "participants", "about", "employees", "etwa 500")
    assert claims("marcharon unos 300 estudiantes por el centro", "es") == [(300, "participants")]
    assert claims("ont défilé quelque 3 000 salariés", "fr") == [(3000, "participants")]
    assert claims("protestaram cerca de 500 professores", "pt") == [(500, "participants")]
    assert claims("manifestano oltre 2.000 lavoratori", "it") == [(2000, "participants")]
    assert claims("Marcharon 5 amigos", "es") == []  # a named few
    assert claims("They marched 200 delegates to the hall") == []  # not in English


def test_noun_before_the_number() -> None:
    assert claims("A march of 3,000 and a vigil of 400 took place in Chicago.") == [
        (3000, "participants"), (400, "participants")]
    assert claims("Police estimated the crowd at 8,000; organizers said 15,000 attended.") == [
        (8000, "participants"), (15000, "participants")]
    assert claims("'Count Every Vote' rallies draw a few hundred in Atlanta") == [(300, "participants")]
    assert claims("The pledge has been signed by 85,000 voters.") == [(85_000, "signatures")]


def test_numbers_sharing_a_noun() -> None:
    assert claims("There are 3 rallies in Ohio, 4 in Michigan and 7 in Pennsylvania.") == [
        (3, "events"), (4, "events"), (7, "events")]
    assert claims("Three hundred people marched in Lansing and two hundred in Ann Arbor.") == [
        (300, "participants"), (200, "participants")]
    assert claims("By Friday the petition had 48,213 signatures, up from 12,000 on Monday.") == [
        (48_213, "signatures"), (12_000, "signatures")]
    assert claims("Nine of the 12 partners are labor unions.") == [(9, "organizations"), (12, "organizations")]


def test_verbs_of_passing_are_over() -> None:
    for text, lang in [("Petition tops 300K signatures", "en"),
                       ("La petición supera las 50.000 firmas", "es"),
                       ("Abaixo-assinado passa de 40 mil assinaturas", "pt"),
                       ("La petizione supera le 60.000 firme", "it"),
                       ("La pétition dépasse les 10 000 signatures", "fr"),
                       ("Petition übersteigt 5.000 Unterschriften", "de")]:
        c = one(text, lang)
        assert (c.qualifier, c.low, c.high) == ("over", c.value, None)


def test_copula_with_article() -> None:
    assert claims("Sono 45 i comitati che hanno aderito alla mobilitazione.", "it") == [(45, "organizations")]


def test_n_strong() -> None:
    assert claims("a 5,000-strong crowd marched to city hall") == [(5000, "participants")]
    assert claims("a 135-strong coalition of groups") == [(135, "organizations")]
    assert claims("a two-hundred-strong march", None) == [(200, "participants")]
    assert claims("the 10,000-strong union") == []  # a membership size


def test_fifty_state() -> None:
    c = one("the 50-state mobilization")
    assert (c.value, c.kind, c.unit, c.span) == (50, "locations", "states", "50")
    assert claims("a two-state solution") == []


# --- the quantity's attachment to its noun ----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('370 "Count Every Vote" events', [(370, "events")]),
    ("370 ‘Count Every Vote’ events", [(370, "events")]),
    ("more than 370 'Count Every Vote' events", [(370, "events")]),
    ("200 protests already planned", [(200, "events")]),
    ("more than 100 organizations", [(100, "organizations")]),
    ("grows to 135 groups", [(135, "organizations")]),
    ("135 progressive and conservative groups", [(135, "organizations")]),
    ("100 advocacy groups", [(100, "organizations")]),
    ("200 new pro-democracy events", [(200, "events")]),
    ("hundreds of protests", [(200, "events")]),
    ("200 protests and 100 groups", [(200, "events"), (100, "organizations")]),
])
def test_attachment(text: str, expected: list[tuple[int, str]]) -> None:
    assert claims(text) == expected


def test_attachment_in_other_languages() -> None:
    assert claims("plus de 370 rassemblements « Count Every Vote »", "fr") == [(370, "events")]
    assert claims("370 marchas «Count Every Vote»", "es") == [(370, "events")]
    assert claims("370 „Count Every Vote“-Kundgebungen", "de") == [(370, "events")]
    assert claims("centinaia di persone in piazza", "it") == [(200, "participants")]
    assert claims("des centaines de manifestants", "fr") == [(200, "participants")]


@pytest.mark.parametrize("text", [
    "200 of the groups",  # a partitive after a plain numeral
    "In 2021, protests spread",  # a year
    "about 200, protests",  # a comma breaks the gap
    "200 miles of protests",  # a measure noun breaks the gap
    "In the 200 years since, the protests",
    "5 days of events",
])
def test_gap_breaks(text: str) -> None:
    assert claims(text) == []


# --- numerals ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "value"), [
    ("1,200 protesters", "en", 1200),
    ("1,200 protesters", None, 1200),
    ("1.200 manifestantes", "es", 1200),
    ("1.200 Demonstranten", "de", 1200),
    ("1.200 manifestantes", "pt", 1200),
    ("1.200 manifestanti", "it", 1200),
    ("1.200 manifestantes", None, 1200),
    ("1 200 manifestants", "fr", 1200),
    ("1\u00a0200 manifestants", "fr", 1200),
    ("1\u202f200 manifestants", "fr", 1200),
    ("1\u202f200 manifestants", None, 1200),
    ("12 000 manifestants", "fr", 12000),
    ("1'200 Demonstranten", "de", 1200),
    ("2.5 million protesters", "en", 2_500_000),
    ("2,5 millions de manifestants", "fr", 2_500_000),
    ("1,2 millones de manifestantes", "es", 1_200_000),
    ("2,5 Millionen Demonstranten", "de", 2_500_000),
    ("2,5 Mio. Demonstranten", "de", 2_500_000),
    ("1,5 milhão de manifestantes", "pt", 1_500_000),
    ("2,5 milioni di manifestanti", "it", 2_500_000),
    ("2.5 million protesters", None, 2_500_000),
    ("2,5 millions de manifestants", None, 2_500_000),
    ("3 mil manifestantes", "es", 3000),
    ("10 mil manifestantes", "pt", 10000),
    ("300K signatures", "en", 300_000),
    ("300k signatures", "en", 300_000),
    ("1.5M signatures", "en", 1_500_000),
    ("10 mila manifestanti", "it", 10000),
])
def test_numerals(text: str, lang: str | None, value: int) -> None:
    c = one(text, lang)
    assert c.value == value
    assert text.startswith(c.span)


def test_english_dot_is_a_decimal() -> None:
    assert claims("1.200 protesters", "en") == []
    assert claims("2.5 protests", "en") == []


def test_plain_space_groups_in_every_language() -> None:
    assert claims("Organizers said 1 000 people joined the march.", "en") == [(1000, "participants")]
    assert claims("1 500 signataires", None) == [(1500, "signatures")]
    # "4 370" is read as one number, after a month name: a date, no count (English writes "Nov. 4, 370")
    assert claims("On Nov. 4 370 events", "en") == []
    assert claims("On Nov. 4, 370 events", "en") == [(370, "events")]


def test_leading_zeros_are_no_count() -> None:
    assert claims("code 007 protests") == []
    assert claims("0 have signed") == [(0, "signatures")]


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("two hundred protests", "en", 200),
    ("Two Hundred Protests", "en", 200),
    ("one hundred and thirty-five groups", "en", 135),
    ("rallies in twenty-five cities", "en", 25),
    ("a hundred groups", "en", 100),
    ("a dozen groups", "en", 12),
    ("doscientas manifestaciones", "es", 200),
    ("ciento treinta y cinco organizaciones", "es", 135),
    ("marchas en veintiún ciudades", "es", 21),
    ("cien organizaciones", "es", 100),
    ("trois cent soixante-dix rassemblements", "fr", 370),
    ("cent trente-cinq organisations", "fr", 135),
    ("vingt et un groupes", "fr", 21),
    ("dreihundertsiebzig Veranstaltungen", "de", 370),
    ("zwölf Gruppen", "de", 12),
    ("hundertfünfunddreißig Organisationen", "de", 135),
    ("cento e trinta e cinco grupos", "pt", 135),
    ("duzentos protestos", "pt", 200),
    ("centotrentacinque gruppi", "it", 135),
    ("duecento manifestazioni", "it", 200),
    ("tremila manifestanti", "it", 3000),
    ("two million protesters", "en", 2_000_000),
    ("dos millones de manifestantes", "es", 2_000_000),
])
def test_number_words(text: str, lang: str, value: int) -> None:
    c = one(text, lang)
    assert (c.value, c.qualifier) == (value, "exactly")
    assert c.low == c.high == value
    assert one(text, None).value == value


def test_articles_are_no_counts() -> None:
    assert claims("a rally in every city") == []
    assert claims("one of the groups") == []
    assert claims("una città", "it") == []
    assert claims("un partner", "it") == []
    assert claims("every event") == []


# --- qualifiers and bounds --------------------------------------------------------------------------

BOUNDS = [
    # (text, lang, value, qualifier, low, high, span)
    ("200 protests", "en", 200, "exactly", 200, 200, "200"),
    ("exactly 200 protests", "en", 200, "exactly", 200, 200, "exactly 200"),
    ("over 200 protests", "en", 200, "over", 200, None, "over 200"),
    ("more than 200 protests", "en", 200, "over", 200, None, "more than 200"),
    ("upwards of 200 protests", "en", 200, "over", 200, None, "upwards of 200"),
    ("just over 170 events", "en", 170, "over", 170, None, "just over 170"),
    ("más de 200 manifestaciones", "es", 200, "over", 200, None, "más de 200"),
    ("más de doscientas manifestaciones", "es", 200, "over", 200, None, "más de doscientas"),
    ("plus de 370 rassemblements", "fr", 370, "over", 370, None, "plus de 370"),
    ("plus d'une centaine de groupes", "fr", 100, "over", 100, None, "plus d'une centaine"),
    ("mehr als 200 Kundgebungen", "de", 200, "over", 200, None, "mehr als 200"),
    ("über 200 Demos", "de", 200, "over", 200, None, "über 200"),
    ("mais de 200 protestos", "pt", 200, "over", 200, None, "mais de 200"),
    ("oltre 200 manifestazioni", "it", 200, "over", 200, None, "oltre 200"),
    ("at least 30 groups", "en", 30, "at_least", 30, None, "at least 30"),
    ("300+ rallies", "en", 300, "at_least", 300, None, "300+"),
    ("300 or more rallies", "en", 300, "at_least", 300, None, "300 or more"),
    ("al menos 30 grupos", "es", 30, "at_least", 30, None, "al menos 30"),
    ("au moins 30 groupes", "fr", 30, "at_least", 30, None, "au moins 30"),
    ("mindestens 30 Gruppen", "de", 30, "at_least", 30, None, "mindestens 30"),
    ("pelo menos 30 grupos", "pt", 30, "at_least", 30, None, "pelo menos 30"),
    ("almeno 30 gruppi", "it", 30, "at_least", 30, None, "almeno 30"),
    ("up to 500 protesters", "en", 500, "up_to", None, 500, "up to 500"),
    ("as many as 500 protesters", "en", 500, "up_to", None, 500, "as many as 500"),
    ("fewer than 50 protesters", "en", 50, "up_to", None, 50, "fewer than 50"),
    ("hasta 500 manifestantes", "es", 500, "up_to", None, 500, "hasta 500"),
    ("jusqu'à 500 manifestants", "fr", 500, "up_to", None, 500, "jusqu'à 500"),
    ("jusqu’à 500 manifestants", "fr", 500, "up_to", None, 500, "jusqu’à 500"),
    ("bis zu 500 Demonstranten", "de", 500, "up_to", None, 500, "bis zu 500"),
    ("até 500 manifestantes", "pt", 500, "up_to", None, 500, "até 500"),
    ("fino a 500 manifestanti", "it", 500, "up_to", None, 500, "fino a 500"),
    ("about 250 events", "en", 250, "about", None, None, "about 250"),
    ("roughly 90 organizations", "en", 90, "about", None, None, "roughly 90"),
    ("some 300 protesters", "en", 300, "about", None, None, "some 300"),
    ("300 or so protesters", "en", 300, "about", None, None, "300 or so"),
    ("unos 370 actos", "es", 370, "about", None, None, "unos 370"),
    ("environ 370 rassemblements", "fr", 370, "about", None, None, "environ 370"),
    ("une centaine de manifestants", "fr", 100, "about", None, None, "une centaine"),
    ("un centenar de manifestantes", "es", 100, "about", None, None, "un centenar"),
    ("rund 370 Veranstaltungen", "de", 370, "about", None, None, "rund 370"),
    ("cerca de 300 manifestantes", "pt", 300, "about", None, None, "cerca de 300"),
    ("circa 300 manifestanti", "it", 300, "about", None, None, "circa 300"),
    ("un centinaio di manifestanti", "it", 100, "about", None, None, "un centinaio"),
    ("nearly 400 protesters", "en", 400, "about", None, 400, "nearly 400"),
    ("almost 400 protesters", "en", 400, "about", None, 400, "almost 400"),
    ("casi 400 manifestantes", "es", 400, "about", None, 400, "casi 400"),
    ("cerca de 400 manifestantes", "es", 400, "about", None, 400, "cerca de 400"),
    ("près de 400 manifestants", "fr", 400, "about", None, 400, "près de 400"),
    ("près d'un millier de manifestants", "fr", 1000, "about", None, 1000, "près d'un millier"),
    ("fast 400 Demonstranten", "de", 400, "about", None, 400, "fast 400"),
    ("knapp 400 Demonstranten", "de", 400, "about", None, 400, "knapp 400"),
    ("quase 400 manifestantes", "pt", 400, "about", None, 400, "quase 400"),
    ("quasi 400 manifestanti", "it", 400, "about", None, 400, "quasi 400"),
    ("between 200 and 300 protesters", "en", 300, "range", 200, 300, "between 200 and 300"),
    ("200-300 protesters", "en", 300, "range", 200, 300, "200-300"),
    ("200 to 300 protesters", "en", 300, "range", 200, 300, "200 to 300"),
    ("two or three groups", "en", 3, "range", 2, 3, "two or three"),
    ("entre 200 y 300 manifestantes", "es", 300, "range", 200, 300, "entre 200 y 300"),
    ("entre 200 et 300 manifestants", "fr", 300, "range", 200, 300, "entre 200 et 300"),
    ("zwischen 200 und 300 Demonstranten", "de", 300, "range", 200, 300, "zwischen 200 und 300"),
    ("entre 200 e 300 manifestantes", "pt", 300, "range", 200, 300, "entre 200 e 300"),
    ("tra 200 e 300 manifestanti", "it", 300, "range", 200, 300, "tra 200 e 300"),
]


@pytest.mark.parametrize(("text", "lang", "value", "qualifier", "low", "high", "span"), BOUNDS)
def test_qualifiers_and_bounds(text: str, lang: str, value: int, qualifier: str, low: int | None,
                               high: int | None, span: str) -> None:
    c = one(text, lang)
    assert (c.value, c.qualifier, c.low, c.high, c.span) == (value, qualifier, low, high, span)
    assert text[c.start: c.start + len(c.span)] == c.span


def test_cerca_de_is_about_in_portuguese_and_nearly_in_spanish() -> None:
    assert one("cerca de 300 manifestantes", "pt").high is None
    assert one("cerca de 300 manifestantes", "es").high == 300


def test_growth_is_two_exact_counts() -> None:
    found = extract_counts("The coalition grew from 170 to 370 events", "en")
    assert [(c.value, c.kind, c.qualifier, c.span) for c in found] == [
        (170, "events", "exactly", "170"), (370, "events", "exactly", "370")]
    assert claims("la coalición pasó de 100 a 135 organizaciones", "es") == [
        (100, "organizations"), (135, "organizations")]
    assert claims("von 100 auf 135 Gruppen", "de") == [(100, "organizations"), (135, "organizations")]


VAGUE = [
    ("a couple of rallies", "en", 2),
    ("a few groups", "en", 3),
    ("rallies in several cities", "en", 3),
    ("a handful of protests", "en", 3),
    ("dozens of groups", "en", 24),
    ("scores of volunteers", "en", 40),
    ("hundreds of protests", "en", 200),
    ("a few hundred protesters", "en", 300),
    ("several hundred protesters", "en", 300),
    ("thousands of protesters", "en", 2000),
    ("tens of thousands of protesters", "en", 20000),
    ("hundreds of thousands of protesters", "en", 200000),
    ("millions of protesters", "en", 2_000_000),
    ("marchas en decenas de ciudades", "es", 20),
    ("cientos de manifestantes", "es", 200),
    ("centenares de manifestantes", "es", 200),
    ("miles de manifestantes", "es", 2000),
    ("protestas en varias ciudades", "es", 3),
    ("unos cientos de manifestantes", "es", 300),
    ("des rassemblements dans des dizaines de villes", "fr", 20),
    ("des centaines de manifestants", "fr", 200),
    ("des milliers de manifestants", "fr", 2000),
    ("quelques centaines de manifestants", "fr", 300),
    ("des manifestations dans plusieurs villes", "fr", 3),
    ("Hunderte Demonstranten", "de", 200),
    ("Tausende Demonstranten", "de", 2000),
    ("Zehntausende Demonstranten", "de", 20000),
    ("Dutzende Gruppen", "de", 24),
    ("einige hundert Demonstranten", "de", 300),
    ("Kundgebungen in mehreren Städten", "de", 3),
    ("centenas de manifestantes", "pt", 200),
    ("milhares de manifestantes", "pt", 2000),
    ("protestos em dezenas de cidades", "pt", 20),
    ("protestos em várias cidades", "pt", 3),
    ("centinaia di manifestanti", "it", 200),
    ("migliaia di manifestanti", "it", 2000),
    ("cortei in decine di città", "it", 20),
    ("presidi in diverse città", "it", 3),
]


@pytest.mark.parametrize(("text", "lang", "value"), VAGUE)
def test_vague_words(text: str, lang: str, value: int) -> None:
    c = one(text, lang)
    assert (c.value, c.qualifier, c.low, c.high) == (value, "approx", value, None)


def test_hundreds_is_not_text2num_hundred() -> None:
    assert one("Hundreds of protests", "en").value == 200
    assert one("Hundreds of protests", None).value == 200


def test_miles_is_a_distance_in_english() -> None:
    assert claims("miles from the protests", None) == []
    assert claims("Miles de personas marcharon", None) == [(2000, "participants")]


def test_diverse_is_english_with_no_language() -> None:
    assert claims("diverse groups", None) == []
    assert claims("cortei in diverse città", "it") == [(3, "locations")]


# --- never a count ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang"), [
    ("In 2020 protests erupted", "en"),
    ("the 2020 protests", "en"),
    ("On Nov. 4 rallies are planned", "en"),
    ("November 4 rallies", "en"),
    ("COVID-19 protests", "en"),
    ("G7 protests", "en"),
    ("Top 10 protests of the year", "en"),
    ("Prop 22 rallies", "en"),
    ("$200 events", "en"),
    ("20% of groups", "en"),
    ("20 percent of groups", "en"),
    ("the 3rd rally", "en"),
    ("1/3 of groups", "en"),
    ("at 7:30 events begin", "en"),
    ("600,000 phone calls", "en"),
    ("two million community members", "en"),
    ("2 million votes", "en"),
    ("100 counter-protesters", "en"),
    ("100 counter protesters", "en"),
    ("police arrested more than 200 protesters", "en"),
    ("300 people were arrested", "en"),
    ("2 million people voted", "en"),
    ("Authorities evacuated more than 30,000 people", "en"),
    ("200 personas fueron detenidas", "es"),
    ("la police a interpellé 40 manifestants", "fr"),
    ("40 Demonstranten wurden festgenommen", "de"),
    ("die 3. Kundgebung", "de"),
    ("100 contramanifestantes", "es"),
    ("100 contre-manifestants", "fr"),
    ("Section 230 protests", "en"),
])
def test_never_counts(text: str, lang: str) -> None:
    assert claims(text, lang) == []


# --- the demo site's ground truth -------------------------------------------------------------------

_DEMO_KIND = {"groups": "organizations"}  # the demo's stories name the organizations kind "groups"


def _demo_cases() -> list[tuple[str, str, tuple[Story, Count]]]:
    cases = []
    for outlet in load_outlets():
        for story in outlet.stories:
            for count in story.counts:
                cases.append((outlet.language, f"{outlet.slug}{story.path}", (story, count)))
    return cases


DEMO = _demo_cases()


def test_demo_has_ground_truth() -> None:
    assert len(DEMO) >= 15


@pytest.mark.parametrize(("lang", "where", "case"), DEMO, ids=[f"{w}:{c[1].value}" for _, w, c in DEMO])
def test_demo_ground_truth_is_found(lang: str, where: str, case: tuple[Story, Count]) -> None:
    story, count = case
    for language in (lang, None):
        found = [c for text in (story.headline, story.dek, story.body) for c in extract_counts(text, language)]
        hits = [c for c in found if c.value == count.value and c.kind == _DEMO_KIND.get(count.kind, count.kind)
                and c.span in count.text]
        assert hits, (where, language, count, [(c.value, c.kind, c.span) for c in found])


# --- offsets, bounds on input, speed ----------------------------------------------------------------

def test_offsets_and_order() -> None:
    text = "Organizers said more than 200 protests and roughly 90 groups, with hundreds of volunteers."
    found = extract_counts(text, "en")
    assert [c.start for c in found] == sorted(c.start for c in found)
    for c in found:
        assert text[c.start: c.start + len(c.span)] == c.span
        assert c.field == ""


def test_empty_and_numberless_texts() -> None:
    assert extract_counts("") == []
    assert extract_counts("Protesters rallied outside the capitol", "en") == []
    assert extract_counts("1234567890 " * 50, None) == []


def test_unknown_language_reads_all_tables() -> None:
    assert claims("200 manifestaciones", "nl") == [(200, "events")]


def test_language_region_is_ignored() -> None:
    assert claims("1.200 pessoas protestaram", "pt-BR") == [(1200, "participants")]
    assert claims("1.200 people marched", "EN_us") == []  # English: a decimal


def test_long_text_is_bounded() -> None:
    text = "more than 200 protests. " + "word " * 100_000 + "300 rallies"
    found = extract_counts(text, "en")
    assert [(c.value, c.kind) for c in found] == [(200, "events")]  # read up to MAX_TEXT characters


@pytest.mark.parametrize("text", [
    "9" * 400 + " million protests",
    "9" * 30 + " protests",
    " ".join(["one"] * 5000) + " protests",
    " ".join(["hundred"] * 3000) + " groups",
    "1 " * 20000 + "protests",
    '"' * 10000 + "x protests",
    "between " * 5000 + "events",
    "a few " * 5000 + "cities",
    "\u0130" * 1000 + " 200 protests",  # a character whose lowercase is two characters long
])
def test_adversarial_inputs_are_bounded(text: str) -> None:
    start = time.process_time()
    found = extract_counts(text, None)
    assert time.process_time() - start < 2.0
    for c in found:
        assert 0 <= c.value <= 10_000_000_000
        assert text[c.start: c.start + len(c.span)] == c.span


def test_huge_and_lone_multipliers_are_no_counts() -> None:
    assert claims("9" * 30 + " protests") == []
    assert claims("Hundred protests") == []
    assert claims("a million people marched") == [(1_000_000, "participants")]
    assert claims("mil personas marcharon", "es") == [(1000, "participants")]


def test_claims_keep_their_invariants_on_random_word_salad() -> None:
    from clippings import counts as module

    vocab: list[str] = []
    for lang in module.LANGS:
        vocab += [*module.NOUNS[lang], *module._VERBS[lang], *module._NUMBER_WORDS[lang].split(),
                  *module._FEW[lang], *module._PLURAL[lang]]
    vocab += [*module._QUALIFIERS, "1,200", "1.200", "1 200", "2,5", "300K", "2.5M", "-", "–", '"', "«", "»",
              "\n", ".", ",", "of", "de", "between", "and", "from", "to", "une", "Nov.", "$5", "20%", "COVID-19",
              "3.", "1/3", "7:30", "0", "000", "+", "İ", "crowd of", "signed by", "drew", "petition"]
    rng = random.Random(7)
    bounds = {
        "exactly": lambda c: c.low == c.high == c.value,
        "over": lambda c: c.low == c.value and c.high is None,
        "at_least": lambda c: c.low == c.value and c.high is None,
        "up_to": lambda c: c.low is None and c.high == c.value,
        "about": lambda c: c.low is None and c.high in (None, c.value),
        "approx": lambda c: c.low == c.value and c.high is None,
        "range": lambda c: c.low is not None and c.high == c.value and c.low < c.high,
    }
    for _ in range(3000):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 25)))
        for c in extract_counts(text, rng.choice([None, *module.LANGS])):
            assert text[c.start: c.start + len(c.span)] == c.span
            assert c.kind in COUNT_KINDS and c.qualifier in QUALIFIERS
            assert 0 <= c.value <= module.MAX_VALUE
            assert bounds[c.qualifier](c), (text, c)


def _median_ms(texts: list[str], lang: str | None, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        for t in texts:
            start = time.process_time()
            extract_counts(t, lang)
            times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def test_headline_speed() -> None:
    headlines = [h for h, _ in SEED_HEADLINES] + [s.headline for o in load_outlets() for s in o.stories]
    extract_counts("warm up: 200 protests", "en")
    extract_counts("warm up: 200 protests", None)
    assert _median_ms(headlines, "en") < 0.5
    assert _median_ms(headlines, None) < 0.5


def test_body_speed() -> None:
    bodies = " ".join(s.body for o in load_outlets() for s in o.stories).split()
    body = " ".join((bodies * 10)[:5000])  # 5,000 words, dense with numbers
    extract_counts(body, "en")
    assert _median_ms([body], "en", rounds=3) < 25  # measured about 5 ms; the bound leaves room for load


# --- generalisation: new wordings of each rule, in every language -----------------------------------
# Written for the rules (README's labelling rules), not from any held-out text: each case is a new
# phrasing of a kind of miss (nouns and places, numbers without their noun, verbs as hedges, limits
# and arrests), so that the rules are tested in general form.

def full(text: str, lang: str | None) -> list[tuple[int, str, str]]:
    return [(c.value, c.kind, c.qualifier) for c in extract_counts(text, lang)]


GEN_NOUNS = [
    # en: strikes, teach-ins, canvasses, phone banks, caravans, pickets; people who take part; places
    ("Some 4,000 teachers walked off the job in Chicago on Monday.", "en", [(4000, "participants", "about")]),
    ("Upward of 900 strikers picketed outside the plant.", "en", [(900, "participants", "over")]),
    ("About 600 residents packed the town hall to protest the closure.", "en", [(600, "participants", "about")]),
    ("Hundreds of nurses joined the picket line.", "en", [(200, "participants", "approx")]),
    ("Organizers held 60 teach-ins and 45 phone banks over the weekend.", "en",
     [(60, "events", "exactly"), (45, "events", "exactly")]),
    ("Volunteers ran 12 canvasses and 8 car caravans across the county.", "en",
     [(12, "events", "exactly"), (8, "events", "exactly")]),
    ("Protesters gathered at 31 state capitols on Saturday.", "en", [(31, "locations", "exactly")]),
    ("Students rallied on more than 80 campuses.", "en", [(80, "locations", "over")]),
    ("Vigils were held in 40 counties and 12 congressional districts.", "en",
     [(40, "locations", "exactly"), (12, "locations", "exactly")]),
    ("Workers at the plant staged 3 walkouts and 2 sit-ins in May.", "en",
     [(3, "events", "exactly"), (2, "events", "exactly")]),
    ("Nearly 2,000 students marched through the campus.", "en", [(2000, "participants", "about")]),
    ("Thousands flooded the plazas of downtown Phoenix.", "en", [(2000, "participants", "approx")]),
    # es
    ("Más de 5.000 trabajadores secundaron la huelga en la planta.", "es", [(5000, "participants", "over")]),
    ("Un centenar de vecinos se concentró frente al ayuntamiento.", "es", [(100, "participants", "about")]),
    ("Hubo concentraciones en 40 plazas de todo el país.", "es", [(40, "locations", "exactly")]),
    ("Los sindicatos convocaron 12 huelgas y 30 piquetes.", "es",
     [(12, "events", "exactly"), (30, "events", "exactly")]),
    ("Unos 800 estudiantes ocuparon la facultad de Derecho.", "es", [(800, "participants", "about")]),
    ("Al menos 300 enfermeras protestaron ante el hospital.", "es", [(300, "participants", "at_least")]),
    # fr
    ("Au moins 300 salariés ont débrayé devant l'usine.", "fr", [(300, "participants", "at_least")]),
    ("Une cinquantaine d'enseignants se sont rassemblés devant le rectorat.", "fr",
     [(50, "participants", "about")]),
    ("Des veillées ont eu lieu dans 25 quartiers de Marseille.", "fr", [(25, "locations", "exactly")]),
    ("Plus de 2 000 grévistes ont défilé à Lyon.", "fr", [(2000, "participants", "over")]),
    ("Les syndicats ont organisé 15 piquets de grève et 8 occupations.", "fr",
     [(15, "events", "exactly"), (8, "events", "exactly")]),
    ("Près de 400 lycéens ont bloqué leur établissement.", "fr", [(400, "participants", "about")]),
    # de
    ("Rund 1.200 Pflegekräfte beteiligten sich am Warnstreik.", "de", [(1200, "participants", "about")]),
    ("Mehr als 30 Warnstreiks legten den Nahverkehr lahm.", "de", [(30, "events", "over")]),
    ("Die Initiative zählte über 50 Sitzblockaden und Mahnwachen.", "de", [(50, "events", "over")]),
    ("Etwa 400 Studierende besetzten den Hörsaal.", "de", [(400, "participants", "about")]),
    ("Tausende Beschäftigte streikten am Dienstag.", "de", [(2000, "participants", "approx")]),
    ("In 70 Landkreisen fanden Mahnwachen statt.", "de", [(70, "locations", "exactly")]),
    ("Mehr als 20 Musikevents und Lesungen sind geplant.", "de", [(20, "events", "over")]),
    ("Tausende zogen am Samstag durch die Innenstadt.", "de", [(2000, "participants", "approx")]),
    # pt
    ("Cerca de 3 mil professores entraram em greve.", "pt", [(3000, "participants", "about")]),
    ("Mais de 500 trabalhadores fizeram piquete na entrada da fábrica.", "pt",
     [(500, "participants", "over")]),
    ("Houve atos em 27 capitais e em 300 municípios.", "pt",
     [(27, "locations", "exactly"), (300, "locations", "exactly")]),
    ("Os estudantes fizeram 14 ocupações e 6 greves.", "pt",
     [(14, "events", "exactly"), (6, "events", "exactly")]),
    ("Centenas de moradores participaram do protesto.", "pt", [(200, "participants", "approx")]),
    # it
    ("Oltre 3.000 lavoratori hanno scioperato davanti ai cancelli.", "it", [(3000, "participants", "over")]),
    ("Una ventina di studenti ha occupato l'aula magna.", "it", [(20, "participants", "about")]),
    ("Presidi in 80 piazze e in 12 capoluoghi.", "it",
     [(80, "locations", "exactly"), (12, "locations", "exactly")]),
    ("I sindacati hanno indetto 20 scioperi e 35 assemblee.", "it",
     [(20, "events", "exactly"), (35, "events", "exactly")]),
    ("Almeno 500 infermieri hanno partecipato al presidio.", "it", [(500, "participants", "at_least")]),
    ("Migliaia sono scese in piazza a Torino.", "it", [(2000, "participants", "approx")]),
]

GEN_NO_NOUN = [
    # N-person / N-strong compounds
    ("A 2,000-person rally blocked the bridge.", "en", [(2000, "participants", "exactly")]),
    ("The 300-member delegation marched to city hall.", "en", [(300, "participants", "exactly")]),
    ("A 12-group coalition is planning the week of action.", "en", [(12, "organizations", "exactly")]),
    # the number of X / X double to N
    ("The number of protests rose to 230 on Friday.", "en", [(230, "events", "exactly")]),
    ("Signatures Triple To 45,000 In A Week", "en", [(45000, "signatures", "exactly")]),
    ("Rallies doubled to 400 after the ruling.", "en", [(400, "events", "exactly")]),
    ("Protests numbered 200 by nightfall.", "en", [(200, "events", "exactly")]),
    ("The coalition started with 40 groups.\u00a0It now counts 112.", "en",
     [(40, "organizations", "exactly"), (112, "organizations", "exactly")]),
    ("The petition has passed 75,000 in two days.", "en", [(75000, "signatures", "over")]),
    ("El número de manifestaciones subió a 120.", "es", [(120, "events", "exactly")]),
    ("Le nombre de rassemblements est passé à 90.", "fr", [(90, "events", "exactly")]),
    ("Die Zahl der Kundgebungen stieg auf 75.", "de", [(75, "events", "exactly")]),
    ("O número de atos chegou a 60.", "pt", [(60, "events", "exactly")]),
    ("Il numero dei presidi è salito a 45.", "it", [(45, "events", "exactly")]),
    # a number continuing the previous claim's unit in its sentence or paragraph
    ("There were 45 rallies on Saturday, up from 30 the week before.", "en",
     [(45, "events", "exactly"), (30, "events", "exactly")]),
    ("Organizers counted 12,000 marchers; police said 4,000.", "en",
     [(12000, "participants", "exactly"), (4000, "participants", "exactly")]),
    ("Los organizadores hablaron de 20.000 manifestantes; 8.000 según la policía.", "es",
     [(20000, "participants", "exactly"), (8000, "participants", "exactly")]),
    ("15 000 manifestants selon les syndicats, 6 000 selon la préfecture.", "fr",
     [(15000, "participants", "exactly"), (6000, "participants", "exactly")]),
    ("Die Polizei zählte 3.000 Teilnehmer, die Veranstalter sprachen von 8.000.", "de",
     [(3000, "participants", "exactly"), (8000, "participants", "exactly")]),
    ("Foram 40 mil manifestantes, segundo os organizadores, e 15 mil segundo a PM.", "pt",
     [(40000, "participants", "exactly"), (15000, "participants", "exactly")]),
    ("In piazza 10.000 persone per gli organizzatori, 4.000 per la questura.", "it",
     [(10000, "participants", "exactly"), (4000, "participants", "exactly")]),
    # an estimate with its noun after it ("cifró en N los asistentes")
    ("La Delegación del Gobierno calculó en 4.500 los participantes.", "es", [(4500, "participants", "exactly")]),
    ("La préfecture a chiffré à 1 200 le nombre de manifestants.", "fr", [(1200, "participants", "exactly")]),
    ("A PM estimou em 5 mil os manifestantes.", "pt", [(5000, "participants", "exactly")]),
    ("La questura ha stimato in 3.000 i partecipanti.", "it", [(3000, "participants", "exactly")]),
]

GEN_VERB_HEDGES = [
    ("The petition crossed 60,000 signatures overnight.", "en", [(60000, "signatures", "over")]),
    ("The campaign is nearing 500 events.", "en", [(500, "events", "about")]),
    ("La petición rebasa las 2.000 firmas.", "es", [(2000, "signatures", "over")]),
    ("La convocatoria ronda los 400 asistentes.", "es", [(400, "participants", "about")]),
    ("La pétition frôle les 5 000 signatures.", "fr", [(5000, "signatures", "about")]),
    ("L'appel dépasse désormais les 300 signataires.", "fr", [(300, "signatures", "over")]),
    ("Die Petition knackt 10.000 Unterschriften.", "de", [(10000, "signatures", "over")]),
    ("O abaixo-assinado ultrapassa as 20 mil assinaturas.", "pt", [(20000, "signatures", "over")]),
    ("A petição beira as 900 assinaturas.", "pt", [(900, "signatures", "about")]),
    ("La petizione supera quota 10 mila firme.", "it", [(10000, "signatures", "over")]),
    ("L'appello sfiora le 5.000 adesioni.", "it", [(5000, "signatures", "about")]),
    ("La campaña supera las 40.000 adhesiones.", "es", [(40000, "signatures", "over")]),
]

GEN_NEVER = [
    # limits and bans
    ("The order bans gatherings of more than 25 people.", "en"),
    ("No more than 10 people may gather outdoors under the new rules.", "en"),
    ("El decreto prohíbe las reuniones de más de 10 personas.", "es"),
    ("La préfecture a interdit tout rassemblement de plus de 6 personnes.", "fr"),
    ("Versammlungen mit mehr als 100 Teilnehmern sind verboten.", "de"),
    ("O decreto proíbe aglomerações de mais de 50 pessoas.", "pt"),
    ("Sono vietati gli assembramenti di oltre 20 persone.", "it"),
    # arrests and detentions
    ("Officers detained at least 12 demonstrators near the bridge.", "en"),
    ("La policía detuvo a 23 manifestantes.", "es"),
    ("Los agentes arrestaron a más de 40 activistas.", "es"),
    ("Les gendarmes ont interpellé 15 militants.", "fr"),
    ("Die Polizei nahm 30 Demonstranten fest.", "de"),
    ("A polícia prendeu 18 manifestantes.", "pt"),
    ("La polizia ha arrestato 12 attivisti.", "it"),
]


GEN_MORE = [  # a second batch, written after the first passed, to check the rules carry over
    ("More than 1,500 hospital workers struck on Tuesday.", "en", [(1500, "participants", "over")]),
    ("As many as 700 dockworkers walked out at the port.", "en", [(700, "participants", "up_to")]),
    ("Roughly 250 parents and students picketed the school board.", "en", [(250, "participants", "about")]),
    ("Demonstrators filled 14 public squares across the city.", "en", [(14, "locations", "exactly")]),
    ("Rallies took place in 48 state capitals and dozens of smaller towns.", "en",
     [(48, "locations", "exactly"), (24, "locations", "approx")]),
    ("The march drew 5,000, organizers said, up from 3,000 last year.", "en",
     [(5000, "participants", "exactly"), (3000, "participants", "exactly")]),
    ("A 600-strong picket line formed outside the depot.", "en", [(600, "participants", "exactly")]),
    ("Volunteers knocked on 40,000 doors and made 9,000 calls.", "en", []),
    ("Police arrested 45 people and detained dozens more.", "en", []),
    ("Gatherings of more than 50 people are prohibited.", "en", []),
    ("Unos 2.000 docentes pararon en toda la provincia.", "es", [(2000, "participants", "about")]),
    ("La marcha reunió a 15.000 personas, según los organizadores.", "es", [(15000, "participants", "exactly")]),
    ("Más de 300 vecinos firmaron la carta.", "es", [(300, "signatures", "over")]),
    ("La policía arrestó a 12 jóvenes durante la protesta.", "es", []),
    ("Plus de 800 salariés ont fait grève vendredi.", "fr", [(800, "participants", "over")]),
    ("Quelque 200 agriculteurs ont bloqué l'autoroute.", "fr", [(200, "participants", "about")]),
    ("La manifestation a réuni 4 000 personnes selon la police, 12 000 selon la CGT.", "fr",
     [(4000, "participants", "exactly"), (12000, "participants", "exactly")]),
    ("Des centaines d'étudiants ont occupé l'amphithéâtre.", "fr", [(200, "participants", "approx")]),
    ("Rund 5.000 Landwirte protestierten mit Traktoren.", "de", [(5000, "participants", "about")]),
    ("Mehrere hundert Schüler demonstrierten für das Klima.", "de", [(300, "participants", "approx")]),
    ("Die Polizei nahm 12 Aktivisten in Gewahrsam.", "de", []),
    ("Milhares de professores protestaram em Brasília.", "pt", [(2000, "participants", "approx")]),
    ("Cerca de 400 moradores fecharam a avenida.", "pt", [(400, "participants", "about")]),
    ("A polícia deteve 30 manifestantes.", "pt", []),
    ("Migliaia di studenti in piazza in 70 città.", "it",
     [(2000, "participants", "approx"), (70, "locations", "exactly")]),
    ("Il corteo ha raccolto 20 mila persone secondo gli organizzatori.", "it", [(20000, "participants", "exactly")]),
    ("La polizia ha fermato 8 manifestanti.", "it", []),
    # people named by who they are, with no sign of taking part after them: no turnout
    ("The city is home to 20 million residents.", "en", []),
    ("Se reconoció la labor de los 45 profesores del claustro.", "es", []),
    ("L'usine emploie 300 salariés.", "fr", []),
    ("Die Firma beschäftigt 800 Mitarbeiter in drei Werken.", "de", []),
    ("A escola tem 1.200 estudantes.", "pt", []),
    ("L'ateneo conta 40 mila studenti iscritti.", "it", []),
    # places that closed, air strikes
    ("Nearly 40 school districts closed ahead of the march.", "en", []),
    ("Air strikes hit several villages, and 300 residents fled.", "en", []),
    ("Six départements maintenus en vigilance orange.", "fr", []),
    # no noun after the number: a collective before a verb of growth, another estimate, "another N"
    ("La petizione ha superato quota 50 mila.", "it", [(50000, "signatures", "over")]),
    ("La petición ya supera las 120.000.", "es", [(120000, "signatures", "over")]),
    ("La pétition a dépassé les 30 000.", "fr", [(30000, "signatures", "over")]),
    ("O abaixo-assinado já passa de 8 mil.", "pt", [(8000, "signatures", "over")]),
    ("The petition has topped 250,000.", "en", [(250000, "signatures", "over")]),
    ("Attendance swelled to 20,000 by noon.", "en", [(20000, "participants", "exactly")]),
    ("Turnout rose to 67 percent.", "en", []),  # a vote's turnout, and a percentage
    ("The crowd grew to about 8,000 as the afternoon went on.", "en", [(8000, "participants", "about")]),
    ("More than 40 groups signed on, and another 25 joined Monday.", "en",
     [(40, "organizations", "over"), (25, "organizations", "exactly")]),
    ("Protests were held in 30 cities on Saturday and 12 more on Sunday.", "en",
     [(30, "locations", "exactly"), (12, "locations", "exactly")]),
    ("La manifestación congregó a unas 5.000 personas; la Guardia Urbana habló de 2.500.", "es",
     [(5000, "participants", "about"), (2500, "participants", "exactly")]),
    ("Les organisateurs revendiquent 10 000 participants, la police en a compté 3 500.", "fr",
     [(10000, "participants", "exactly"), (3500, "participants", "exactly")]),
    ("Die Veranstalter zählten 6.000 Teilnehmende, die Polizei 2.500.", "de",
     [(6000, "participants", "exactly"), (2500, "participants", "exactly")]),
    ("Os organizadores falaram em 30 mil pessoas; a PM, em 8 mil.", "pt",
     [(30000, "participants", "exactly"), (8000, "participants", "exactly")]),
    # limits, arrests and charges in other wordings
    ("The state limits indoor events to 25 people.", "en", []),
    ("Las autoridades prohibieron las concentraciones de más de 50 personas.", "es", []),
    ("Seit Montag sind Treffen von mehr als zehn Personen untersagt.", "de", []),
    ("As reuniões com mais de 20 pessoas estão proibidas.", "pt", []),
    ("Vietati gli assembramenti con più di 10 persone.", "it", []),
    ("Police said 14 officers were injured and 60 people arrested.", "en", []),
    ("Polizisten nahmen 25 Demonstranten vorläufig fest.", "de", []),
    ("La polizia ha denunciato 15 attivisti.", "it", []),
    ("Fueron detenidas 40 personas tras la marcha.", "es", []),
    ("Foram presos 22 manifestantes.", "pt", []),
    # a quantity alone before a protest idiom or "at the march"; heeding a call
    ("Hunderte gingen in Leipzig auf die Straße.", "de", [(200, "participants", "approx")]),
    ("Milhares tomaram as ruas do Rio.", "pt", [(2000, "participants", "approx")]),
    ("Thousands poured into the streets of Minneapolis.", "en", [(2000, "participants", "approx")]),
    ("Miles salieron a la calle en Madrid.", "es", [(2000, "participants", "approx")]),
    ("Centinaia in piazza a Milano contro la guerra.", "it", [(200, "participants", "approx")]),
    ("Organizers expect 50,000-plus at Saturday's march.", "en", [(50000, "participants", "at_least")]),
    ("The union brought 300 to the vigil.", "en", [(300, "participants", "exactly")]),
    ("Tausende Menschen folgten dem Aufruf.", "de", [(2000, "participants", "approx")]),
    ("At 10 p.m. marchers took to the streets.", "en", []),
    ("The union represents 60,000 nurses.", "en", []),
    ("The group has 4,000 members nationwide.", "en", []),
    # a fourth batch: copulas, people from places, striking wordings; numbers after nouns that are no claims
    ("I manifestanti erano circa 5.000.", "it", [(5000, "participants", "about")]),
    ("Según la Delegación del Gobierno, fueron 7.000 los asistentes.", "es", [(7000, "participants", "exactly")]),
    ("Mehr als 100 Beschäftigte der Klinik legten die Arbeit nieder.", "de", [(100, "participants", "over")]),
    ("Trabalhadores de 15 estados aderiram à greve.", "pt", []),
    ("Attendance topped 3,000, organizers said.", "en", [(3000, "participants", "over")]),
    ("Over 60 town halls are planned for August recess.", "en", [(60, "events", "over")]),
    ("Teach-ins took place on 40 campuses.", "en", [(40, "locations", "exactly")]),
    ("Rallies were held in 45 states, up from 30 in 2017.", "en",
     [(45, "locations", "exactly"), (30, "locations", "exactly")]),
    ("The death toll rose to 45.", "en", []),
    ("Cases rose to 3,000 on Friday.", "en", []),
    ("Membership grew to 40,000 last year.", "en", []),
    ("Sales of the book topped 100,000.", "en", []),
    ("The company's workforce shrank to 3,000 employees.", "en", []),
    ("He won 52 percent, up from 48 in 2016.", "en", []),
    ("The company said 200 employees joined in 2019.", "en", []),
    ("The university enrolls 30,000 students, up from 25,000 a decade ago.", "en", []),
    ("Cases rose to 4,500, while deaths climbed to 120.", "en", []),
    ("La ville compte 40 000 habitants, contre 35 000 en 2000.", "fr", []),
    ("Die Schule hat 800 Schüler und 60 Lehrer.", "de", []),
    ("Il numero dei contagi è salito a 300.", "it", []),
    ("Die Gewerkschaft hat 3.000 Mitglieder.", "de", []),
    # a fifth batch: which claim a bare number continues, comparisons with last year, and non-counts
    ("The coalition of 80 groups plans 12 rallies, compared with 5 in 2019.", "en",
     [(80, "organizations", "exactly"), (12, "events", "exactly"), (5, "events", "exactly")]),
    ("The vigil drew 300; a similar event last year drew 150.", "en",
     [(300, "participants", "exactly"), (150, "participants", "exactly")]),
    ("Organizers said 2,000 people marched; police put the number at 800.", "en",
     [(2000, "participants", "exactly"), (800, "participants", "exactly")]),
    ("Cerca de 500 personas se concentraron; el año pasado fueron 300.", "es",
     [(500, "participants", "about"), (300, "participants", "exactly")]),
    ("La manifestation a réuni 2 000 personnes, contre 5 000 l'an dernier.", "fr",
     [(2000, "participants", "exactly"), (5000, "participants", "exactly")]),
    ("Die Demo hatte 3.000 Teilnehmer, im Vorjahr waren es 1.500.", "de",
     [(3000, "participants", "exactly"), (1500, "participants", "exactly")]),
    ("O protesto reuniu 800 pessoas, ante 1.200 no ano passado.", "pt",
     [(800, "participants", "exactly"), (1200, "participants", "exactly")]),
    ("Al presidio 400 persone, contro le 600 dell'anno scorso.", "it",
     [(400, "participants", "exactly"), (600, "participants", "exactly")]),
    ("The protest lasted 4 hours, and 12 people were treated for heat.", "en", []),
    ("2,000 people marched on Saturday. Police said 15 were arrested.", "en", [(2000, "participants", "exactly")]),
    ("500 people rallied Sunday, and 20 went home early.", "en", [(500, "participants", "exactly")]),
    ("Protesters marched 3 miles to the capitol.", "en", []),
    ("Tickets cost 20 at the march.", "en", []),
    ("He sold 3,000 tickets to the rally.", "en", []),
    ("More than 300 people attended the vigil at 7 p.m. at the park.", "en", [(300, "participants", "over")]),
    # headlines
    ("Grève : plus de 1 500 enseignants mobilisés dans l'académie", "fr", [(1500, "participants", "over")]),
    ("Retraites : 3,5 millions de manifestants selon la CGT, 1,28 million selon l'Intérieur", "fr",
     [(3500000, "participants", "exactly"), (1280000, "participants", "exactly")]),
    ("Klimastreik: Zehntausende Schüler protestieren bundesweit", "de", [(20000, "participants", "approx")]),
    ("Mehr als 400 Orte beteiligen sich am Aktionstag", "de", [(400, "locations", "over")]),
    ("Más de 40 ciudades acogen marchas por el clima", "es", [(40, "locations", "over")]),
    ("Greve geral: mais de 150 cidades têm atos neste sábado", "pt", [(150, "locations", "over")]),
    ("Sciopero generale, adesione al 70%: cortei in 50 città", "it", [(50, "locations", "exactly")]),
    ("Fridays for Future, 180 piazze per il clima", "it", [(180, "locations", "exactly")]),
    ("Over 1,000 workers rally for union at Amazon warehouse", "en", [(1000, "participants", "over")]),
    ("Women's March: 500,000-plus expected in Washington", "en", [(500000, "participants", "at_least")]),
    ("RSVPs Soar Past 20,000 For Saturday", "en", [(20000, "participants", "over")]),
    ("Protests Top 500 Nationwide", "en", [(500, "events", "over")]),
    ("Signatures surged past 10,000 overnight.", "en", [(10000, "signatures", "over")]),
    ("Rallies have now passed 300.", "en", [(300, "events", "over")]),
    ("Signups Near 10,000", "en", [(10000, "participants", "about")]),
    ("More than 12,000 pledges have been collected.", "en", [(12000, "signatures", "over")]),
]


@pytest.mark.parametrize(("text", "lang", "expected"), GEN_NOUNS + GEN_NO_NOUN + GEN_VERB_HEDGES + GEN_MORE)
def test_generalisation(text: str, lang: str, expected: list[tuple[int, str, str]]) -> None:
    assert full(text, lang) == expected
    assert [(v, k) for v, k, _ in full(text, None)] == [(v, k) for v, k, _ in expected] or lang != "en"


@pytest.mark.parametrize(("text", "lang"), GEN_NEVER)
def test_generalisation_never(text: str, lang: str) -> None:
    assert claims(text, lang) == []


@pytest.mark.parametrize("text", [
    "300 rallies, up from 200, up from 100, " * 800,  # continuations
    "3 rallies in Ohio, 4 in Michigan, " * 900,  # numbers sharing a noun
    "protests rose to 5 rose to 6 " * 1000,  # growth after a noun
    "1 " + "took to the streets " * 1500,  # idioms
    "a 1-person 2-person " * 1500,  # hyphen compounds
])
def test_generalisation_dense_inputs_are_bounded(text: str) -> None:
    start = time.process_time()
    extract_counts(text, None)
    assert time.process_time() - start < 3.0  # about 0.3-0.5 s each, measured; linear in the text


# --- the rules added after held-out set 2 (new sentences, not the held-out ones) ------------------------

@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a fraction of a million is a number
    ("Half a million workers marched through Seoul.", "en", [(500_000, "participants")]),
    ("A quarter of a million people rallied in the capital.", "en", [(250_000, "participants")]),
    ("Medio millón de personas marcharon por Madrid.", "es", [(500_000, "participants")]),
    ("Eine halbe Million Menschen demonstrierten in Berlin.", "de", [(500_000, "participants")]),
    # people named by who they are: an event by or of them, or one that involves them
    ("The overnight strike by 900 hotel housekeepers ended at dawn.", "en", [(900, "participants")]),
    ("A vigil of about 60 students was held on the quad.", "en", [(60, "participants")]),
    ("The sit-in will involve up to 300 nurses, the union said.", "en", [(300, "participants")]),
    ("Dozens of tenants lined the hallway of the housing authority.", "en", [(24, "participants")]),
    ("Cien familias acampan frente al ayuntamiento.", "es", [(100, "participants")]),
    ("Rund 300 Mieter wollen in einen unbefristeten Mietstreik treten.", "de", [(300, "participants")]),
    # a forecast is a claim; a permission is a limit
    ("Up to 8,000 people could join the march, police said.", "en", [(8000, "participants")]),
    ("Up to 50 people may gather under the new rules.", "en", []),
    # from X unit to Y, and a verb of growth from X to Y: two counts
    ("The network went from 30 chapters to 110 this year.", "en", [(30, "organizations"), (110, "organizations")]),
    ("The count of watch parties jumped from 75 to 240 overnight.", "en", [(75, "events"), (240, "events")]),
    # an event that gathers a vague crowd with no noun
    ("Marcha reúne milhares em São Paulo", "pt", [(2000, "participants")]),
    ("La manifestation rassemble des centaines à Lyon", "fr", [(200, "participants")]),
    # German clause-final verbs
    ("Mehr als 40.000 Bürger haben den offenen Brief inzwischen unterzeichnet.", "de", [(40_000, "signatures")]),
    ("Am Samstag hatten Tausende Beschäftigte die Straßen gefüllt.", "de", [(2000, "participants")]),
    # places the marchers went through, not came from
    ("Jóvenes desfilaron en 25 ciudades contra la reforma.", "es", [(25, "locations")]),
    ("Delegates travelled from 9 states and more than 30 counties to the rally.", "en", []),
    # membership, representation, residents, surveys, goals, limits and the thresholds of rules
    ("The nurses' union, with more than 20,000 members, joined the strike.", "en", []),
    ("The federation represents 75,000 farm workers, who plan to strike.", "en", []),
    ("La CGT, qui revendique 600 000 adhérents, appelle à la grève.", "fr", []),
    ("A village of 900 residents staged a march of 300 people.", "en", [(300, "participants")]),
    ("Half of the 1,200 people polled said they would join a protest.", "en", []),
    ("Según una encuesta de 2.000 personas, la mayoría apoya la huelga.", "es", []),
    ("The campaign hoped for 10,000 marchers but only 3,000 came out.", "en", [(3000, "participants")]),
    ("The referendum petition requires 25,000 signatures by March.", "en", []),
    ("Police capped the protest at 500 people.", "en", []),
    ("Für Versammlungen mit mehr als 100 Teilnehmern gilt eine Maskenpflicht.", "de", []),
])
def test_rules_after_held_out_two(text: str, lang: str, expected: list[tuple[int, str]]) -> None:
    assert claims(text, lang) == expected

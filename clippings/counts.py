"""Count claims: the numbers of events, groups, people, places and signatures a text claims.

`extract_counts(text, lang=None) -> list[CountClaim]` reads a headline, lede or body in English,
Spanish, French, German, Portuguese or Italian ("en", "es", "fr", "de", "pt", "it"; a region is
ignored: "pt-BR" is "pt"); any other `lang`, or None, reads with the tables of all six at once (no
language is detected: the pipeline already knows it). Claims come in text order; `field` is left ""
(the pipeline sets it).

The head noun
-------------
A claim is a quantity attached to a head noun of one of the noun tables (`NOUNS`, one per language:
the word as written, lowercased -> (unit, kind), the unit an English plural). Kinds:

- events: protests, rallies, marches, vigils, demonstrations, events, actions, trainings, gatherings,
  meetings, sit-ins, walkouts, teach-ins, mobilizations, town halls (manifestaciones, rassemblements,
  Kundgebungen, atos, cortei...); "meetings" (reuniones, réunions, Treffen...) only in a sentence
  that shows the activity (below: "nine meetings" of two teams are games);
- organizations: groups, organizations, partners, unions, chapters, coalitions, associations,
  committees, collectives, NGOs (organizaciones, collectifs, Verbände, entidades, sigle...); "groups
  of ..." (grupos de, groupes de, Gruppen von, gruppi di) are groupings, no organizations;
- participants: protesters, demonstrators, marchers, participants, volunteers, attendees, activists,
  organizers, RSVPs (manifestantes, manifestants, Demonstranten, ativistas, manifestanti...) count as
  they stand. "people" (personas, personnes, Menschen, Personen, Leute, pessoas, persone), "members"
  and "supporters" (membres, Mitglieder, simpatizantes...) count only in a sentence that shows the
  activity (`_PART_CUE`: gather, rally, march, protest, attend, join, turn out, chant, crowd, vigil,
  strike, human chain, organizers, se concentraron, se sont rassemblés, demonstrierten, in piazza...;
  words of activity only: a study's "participants", "supply chain", "National Assembly", "air
  strikes", "March 3" are none): otherwise they are people affected, studied, served, or a
  membership size, never a count. People named by who they are (workers, nurses, teachers,
  students, residents, citizens, farmers, strikers' colleagues...: trabajadores, vecinos, salariés,
  lycéens, Beschäftigte, Pflegekräfte, Studierende, trabalhadores, moradores, lavoratori, studenti...,
  `_ROLE_UNITS`) count only with a sign of taking part *after* them in their sentence, within 80
  characters (`_ROLE_CUE`: "walked off the job", "struck", "picketed", "occupied", secundaron la
  huelga, ont débrayé, besetzten, fecharam a avenida, hanno scioperato...; a mention of an event or
  of organisers is not enough): "the 45 teachers of the faculty", "20 million residents of Delhi"
  are none;
- locations: cities, states, towns, communities, counties, countries, locations, sites, campuses,
  capitols, capitals, squares, plazas, districts, provinces, regions, villages (ciudades, plazas,
  villes, places, Städte, Landkreise, Plätze, cidades, praças, capitais, città, piazze, capoluoghi...),
  only in a sentence about events (a table event noun,
  or gather, rally, march, protest, vigil, mobilization, take part, streets... `event_cue`), and not
  after "from"/"aus" (where participants come from); "the 50-state mobilization" (a numeral or
  English number word of 10 or more joined to "-state"); places followed by "closed"/"shut"
  (cerraron, fermé, geschlossen, fecharam, chiuso) are none ("300 school districts closed");
- signatures: signatures, signers, signatories (firmas, signataires, Unterschriften...); a
  participants noun followed by "(have) signed" (firmaron, ont signé, haben unterschrieben,
  assinaram, hanno firmato) is counted as signatures, "signed up" is not.

Nouns are the plural forms (and words the same in both numbers: città, pays, partner, sit-in), matched
case-insensitively as whole words; a noun glued to a letter or a single hyphen before it is not one
("counter-protesters", "contramanifestantes"; a dash "--" is no glue). German nouns in
`_DE_COMPOUNDS` also close compounds ("Protestkundgebungen", "US-Bundesstaaten"), except after
"Gegen" (counter-). With lang None every table is read: a word of two languages reads as the first
table that has it (en, es, fr, de, pt, it), and the French "formations" and "manifestations"
(`_NOT_WITHOUT_LANGUAGE`: English words of another sense) are read only with lang "fr".

Who takes part: a participation verb (`_VERBS`: rally, march, protest, gather, attend, join, took
part, walked out, "expected at", "in attendance", marcharon, se concentraron, manifestent,
demonstrierten, auf die Straße gegangen, protestaram, in piazza...) after a quantity counts people,
with up to two words between them that name who ("200 bikers protest" -> unit "bikers", "Millions of
Americans took part", "Scores of faith leaders join"; none: "Hundreds rally", unit "people") and
auxiliaries ("have already signed", "are expected at"). "sign"/"signed"/firmaron/ont signé count
signatures that way ("0 have signed", "Hundreds of thousands sign pledge"; with a word between, only
a people-like one: "12,000 voters signed", `_SIGNERS`). Police, officers, agents, troops and
counter-anything never take part, and a named few (a number under 10 with a word between: "the two
candidates attended", "the two leaders signed") are individuals, no turnout. A verb right before a
table noun is part of a name ("200 protest events": events).

Attaching the quantity
----------------------
The quantity stands before its noun, at most `_WINDOW` characters away, with nothing in between but:
a partitive (of, de, d', di, des, del, dei, degli, delle) after a vague word, an approximate noun or
a million-word ("hundreds of protests", "des centaines de manifestants", "2,5 millions de
personnes"); up to two filler words (`_MAX_FILLERS`: adjectives, capitalised names, hyphenated words:
"135 grassroots organizations", "100 advocacy groups"), joined by and/y/et/und/e between two fillers;
one quoted name in straight or curly quotes, « », „ “ or ‘ ’ ("370 'Count Every Vote' events",
"370 „Count Every Vote“-Kundgebungen"); or, after a copula, a definite article ("Sono 45 i comitati").
A filler is never a function word or preposition, a number, a measure or time noun (`_STOP`),
"counter"/"contre"/"contra"/"gegen", nor another table noun: the quantity goes to the nearest noun
after it, and a quantity whose gap breaks (a comma, a period, a parenthesis, a line break, a stop
word) counts nothing. A quantity is read once: the window starts after the previous noun.

A number after its noun (`_BEFORE_PEOPLE`, `_SIGNED_BY`): "a crowd of 3,000", "a march/vigil/rally of
400", "the crowd was estimated at 8,000", "estimated the crowd at 8,000", "rallies draw/drew/attract a
few hundred" (people, unless a table noun or a partitive follows the number, which then decides;
after draw/attract any noun does: "drew thousands of comments", "attract millions of users"), and
"signed by 85,000 voters" (signatures, in a sentence about a petition, pledge, letter, appeal or
declaration: articles signed by their authors are none).

Numbers that share a claim's noun, in its sentence: "3 rallies in Ohio, 4 in Michigan and 7 in
Pennsylvania" (a number after a comma or "and" followed by "in/at/en/à/em/nel..." and a capitalised
place), "48,213 signatures, up from 12,000" (up/down from; frente a, contre, gegenüber, rispetto a),
and "Nine of the 12 partners" (a number before "of the/de los/des/der/dos/dei..." before the claim).

"N-strong": "a 5,000-strong crowd" (march, rally, protest, vigil, procession, delegation...: people)
and "a 135-strong coalition" (alliance, network, federation: organizations); English only.

A subject after its participation verb, in the five languages that put it there (not English):
"demonstrierten am Montag etwa 500 Mitarbeiter", "marcharon unos 300 estudiantes", "ont défilé
quelque 3 000 salariés" (the quantity within four words of the verb in its clause; the noun after it
is the unit; a named few under 10 are none).

"N-person" and kin: "a 2,000-person march", "the 300-member delegation", "a 12-group coalition",
"a 600-strong picket line" (person/people/member/man/woman/strong before a crowd or action noun:
people; group/organization/union/partner/member/strong before coalition/alliance/network: groups).

Numbers with no noun after them (`_bare_after`: what follows is the end, a punctuation mark, a
function or time word, "more", or a participation verb; never a clock time):

- after a table noun (or a collective: coalition, alliance, network, petition, crowd, turnout and
  their translations, `_COLLECTIVE`) and a verb of growth or of reaching a total (`_GROW_WORDS`:
  rose, grew, doubled, tripled, reached, topped, passed, numbers, now counts, stands at; subió, llegó,
  supera; est passé, atteint, dépasse; stieg, erreichte, liegt bei; chegou, passa de; è salito,
  ha superato...), within two auxiliaries: "The number of protests rose to 230", "Events Double To
  740", "Die Zahl der Kundgebungen stieg auf 75", "the petition has passed 75,000", "the coalition
  now counts 112" (the noun's unit and kind; not for places);
- continuing the previous claim's unit (`_continuation`), in its sentence: after "up/down from",
  "compared with", frente a, contre, gegenüber, rispetto a, "police said", "spoke of", hablaron de,
  parlent de, sprachen von, falaram em, parlano di, "another", otros, weitere, altri, a verb of
  growth, or "; police"/", die Polizei"/", a PM, em" ("12,000 marchers; police said 4,000", "45
  rallies, up from 30 the week before", "die Veranstalter sprachen von 8.000", "and another 25
  joined"); after a comma/semicolon/"and" when an attribution or "more" follows ("15 000 manifestants
  selon les syndicats, 6 000 selon la police", "30 cities on Saturday and 12 more on Sunday"); and in
  its paragraph after a verb of growth ("... 40 groups. It now counts 112.");
- an estimate with its noun after the number and an article (`_ESTIMATE`): "cifró en 2.000 los
  asistentes", "a chiffré à 1 200 le nombre de manifestants", "estimou em 5 mil os manifestantes",
  "ha stimato in 3.000 i partecipanti";
- people by a protest idiom (`_IDIOM`: auf die Straße, to/into the streets, a la calle, dans la rue,
  às ruas, in piazza...): the first quantity of its clause within 60 characters before it, whatever
  word follows unless a noun of another kind ("Hunderte gingen in Leipzig auf die Straße", "Milhares
  tomaram as ruas"); and a quantity right before "at/to (the) ... march/rally/vigil..." ("expect
  50,000-plus at Saturday's march", "brought 300 to the vigil"; not after cost, paid, sold, scored...).

A bare number continues the nearest claim before it, never one further back ("80 groups plan 12
rallies, compared with 5 in 2019": 5 rallies); comparisons with another time count too ("el año pasado
fueron 300", "im Vorjahr waren es 1.500", "ante 1.200 no ano passado", "contro le 600 dell'anno
scorso"). A copula after a noun reads like a verb of growth ("I manifestanti erano circa 5.000"), and
before a number, an article and a noun like an estimate ("fueron 7.000 los asistentes"). Places after
"<participants noun> de/di/da/aus/from" are where people come from, none ("Trabajadores de 15
estados"). Italian "piazze" need no other sign of an event ("180 piazze per il clima").

Not handled: a count split over two sentences other than by a verb of growth, three or more words
between a quantity and its noun or verb, a singular count ("at least one event"), German verbs that
end their clause ("die Marke von 10.000 überschritten"), and "200 of the groups" (a partitive after a
plain numeral breaks the gap).

Numerals
--------
- Digits, with thousands groups: "," in every language; "." in es, fr, de, pt, it and with lang
  None (so "1.200" is 1200 there when exactly three digits follow the dot; in English "1.200" is a
  decimal, no count); a plain, no-break (U+00A0) or narrow no-break (U+202F) space in every
  language ("1 000 people" is written in English too; so "On Nov. 4 370 events" reads "4 370" after
  a month name: a date, no count); a Swiss apostrophe ("1'200") in every language but English. A
  number with a leading zero ("000", "05") is no count; "0" is ("0 have signed").
- A decimal or whole number with a multiplier: "2.5 million", "2,5 millions", "1,2 millones",
  "2,5 Mio.", "3 mil personas" (es/pt: thousand), "10 mila", "300K", "2.5M"; "two dozen", "3 dozen"
  (docenas, douzaines, Dutzend, dúzias, dozzine) are 12 times the number. Before a multiplier the
  language's decimal mark is decimal (en "."; the others ","); with lang None a mark followed by one
  or two digits is decimal and by three a group. A decimal without a multiplier is no count.
- Number words in the six languages ("two hundred", "doscientas", "trois cent soixante-dix",
  "dreihundertsiebzig", "cento e trinta e cinco", "centotrentacinque"), found by `_NUMBER_WORDS`
  patterns and converted by text2num's `text2num(words, lang)` on that span alone (never on the whole
  text: a span is at most a few words, so the cost is bounded); with lang None the languages whose
  word pattern matches the span are tried in order. When the full span does not convert, leading
  words are dropped until it does. text2num is not used for digits, multipliers, vague words
  ("hundreds": text2num reads it as 100), approximate nouns, "a dozen", "a hundred", "a million",
  nor for Spanish "veintiún" (21, which it does not know).
- Articles are not counts: a lone "one"/"un"/"une"/"una"/"uno"/"um"/"uma"/"ein"/"eine", "a/an",
  "every"; nor is a lone "hundred", "thousand" or "million" (millones, Millionen, milhões, milioni)
  without a number or an article before it. Digit runs longer than 15 digits and values over
  `MAX_VALUE` (10 billion) are no counts; a written number has at most `_MAX_NUMBER_WORDS` words.
  With lang None the word numbers that are common words of another of the six languages are not
  read alone: "dos" (pt "of the"), "once" (en), "sei" (pt "I know"), "sept" (en month), "due" (en).

Never a count
-------------
A quantity is dropped when it is: a year (a bare four-digit number 1800-2199 without a qualifier);
part of a date: after a month name ("Nov. 4") or a day (1-31) before one ("on 23 March", "4 de
noviembre"; English "may" and "march" only capitalised: "30 may attend", "200 march" are counts);
glued to a letter, a hyphen, a slash, a colon or a currency/number sign before it ("COVID-19", "G7",
"$200", "#3", "7:30") or followed by "%", "°", ":", "/", a letter or a decimal mark and digit; after
"No.", "Nr.", "n°", "top", "section", "route", "highway", "amendment", "article", "chapter",
"district", "ward", "room", "suite", "page", "phase", "local", "prop"/"proposition", "aged"/"ages"
(and edad, âge, Alter, idade, età) ("Top 10 protests", "Prop 22 rallies", "people aged 18 to 25
marched"); an ordinal (glued suffix, or German "3." before its noun: a period breaks the gap);
money, percentages, durations, distances, ages (their nouns are not in the tables and `_STOP`
breaks the gap). Votes, ballots, turnout, phone calls, texts, emails, doors, arrests, police and
mailing lists are not table nouns. A participants noun followed within five words by arrested,
detained, killed, injured, died, voted, evacuated, on board... (and the same in the five other
languages: "200 personas fueron detenidas", "tausende Menschen ohne Anklage verhaftet"), or a
quantity right after "arrested/detained/evacuated" (detuvo a, interpellé, festgenommen, presos,
arrestati...) or after a limit, a ban or a capacity ("limit gatherings to 50", "banned public
gatherings of more than eight", "a capacity of 81,000", capacidad de, limitée à, begrenzt auf...),
or after "the deaths of", is no count (`_PRE_NEVER`, `_POST_NEVER`). Arrests read with the
preposition (detuvo a, arrestaron a más de), "nahm ... fest", "in Gewahrsam", presos, deteve,
detenidas, denunciati. A ban before ("prohíbe las reuniones de más de", "interdit tout rassemblement
de plus de", "vietati gli assembramenti di/con") or after ("... are banned", "sind verboten",
"estão proibidas") and "up to/no more than N people may/can/dürfen/pueden..." are rules, no counts
(`_BANNED_AFTER`, `_ALLOWED_AFTER`).

Qualifiers and bounds
---------------------
The words just before the quantity (`_QUALIFIERS`, six languages) and the marks just after it set
the qualifier; `low`/`high` follow from it:

- exactly: bare numerals and unhedged number words ("exactly", "genau"...): low = high = value;
- over ("over", "more than", "upwards of", "in excess of", "just/well over", más de, plus de/d',
  mehr als, über, gut, mais de, oltre, più di...; and verbs of passing, an article allowed after
  them: "tops", "passes", "surpasses", "exceeds", supera las, dépasse les, übersteigt, passa de,
  ultrapassa, supera le...): low = value; a verb qualifier (passing, nearing: "nearing", "approaches",
  roza, frôle, avoisine, beira, sfiora; about: ronda, tourne autour de) may be followed by up to four
  bridge words (`_BRIDGE`: articles, "now/already/désormais", "quota", "the mark of", "la barre
  des", "die Marke von"...): "ha superato quota 50 mila", "dépasse désormais les 300";
- at_least ("at least", "no fewer than", "N+", "N or more", "N-plus", al menos, au moins,
  mindestens, pelo menos, almeno...): low = value;
- up_to ("up to", "as many as", "fewer/less than", "under", "no more than", hasta, jusqu'à,
  bis zu, até, fino a...): high = value;
- about ("about", "around", "roughly", "approximately", "some", "an estimated", "N or so",
  "N-odd", unos, environ, rund, etwa, cerca de, circa...; "une centaine", "un centenar", "una
  decina", "uma dezena", "un millier" are about that number): low = high = None, except nearly-words
  ("nearly", "almost", "close to", "just shy of", casi, "cerca de" in Spanish only, près de,
  presque, fast, knapp, beinahe, quase, "perto de", quasi, "poco meno di") which set high = value;
- approx (a vague word, no numeral): "a couple" 2; "a few", "several", "a handful" 3 (unos pocos,
  varios, quelques, plusieurs, ein paar, mehrere, vários, qualche, diversi...); "dozens" 24,
  "scores" 40, tens/decenas/des dizaines/decine/dezenas 20; hundreds/cientos/centenares/des
  centaines/Hunderte/centenas/centinaia 200; thousands (miles, milliers, Tausende, milhares,
  migliaia) 2,000; millions 2,000,000; "tens of thousands"/Zehntausende 20,000; "hundreds of
  thousands"/Hunderttausende 200,000; "a few/several/some hundred" 300 (and thousand 3,000, dozen
  36, dizaines 30): value = low = that minimum, high None. A qualifier before a vague word is kept
  out of the bounds (still approx);
- range: "between X and Y", "X-Y", "X to Y", "two or three", entre X y/et/e Y, zwischen X und Y,
  tra/fra X e Y, "X bis Y": low = X, high = Y, value = Y (the claim's top). "from X to Y" (de X a Y,
  de X à Y, von X auf/bis Y, da X a Y, de X para/até Y) after a verb of change (grew, rose,
  increased, jumped, went, creció, pasó, aumentó, est passé, stieg, wuchs, passou, cresceu, è
  passato, salito...) or with "auf"/"para" is two exact counts, not a range ("grew from 170 to 370"
  -> 170 and 370); otherwise a range.

`span` is the quantity words as written, qualifier included ("Over 200", "más de doscientas",
"Hunderte"); `start` its offset in `text`. Texts longer than `MAX_TEXT` characters are read up to
that length.

Speed: one compiled regex per language setting (`_Grammar.scan`, a trie of every table noun, verb,
number word, vague word and trigger word, plus digits and German and Italian glued numbers) is the
prefilter: one pass over the lowercased text finds the heads and the quantity words, and a text
without both stops there (German compounds are found by substring search for their endings). Only
the heads with a quantity word within `_WINDOW` characters before them are parsed, the quantity
regex is tried only at those words and the word before each, and the signs of activity are searched
once per sentence that needs them. The idiom words (streets, Straße, calle, piazza...) are found by
the same scan; verbs of growth and continuation cues are tries (an alternation of 200 phrases
searched over a window cost 250 us a call). Measured (process time, on a shared machine, after the
generalisation, interleaved with the version before it): headlines about 0.01-0.3 ms each (median on
the labelled set's headlines 0.085-0.11 ms; 0.065-0.085 ms before); 5,000 words of real news text
(the article-extraction benchmark's bodies) 4.7-5.7 ms with a language (3.8-4.6 ms before) and 6-8.4
ms with lang None (5.1-7.7 ms before); dense adversarial text (a claim every 30 characters) about
12 us a character; the first call per language setting compiles the grammar (about 0.05 s for one
language, 0.25 s for all six).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from clippings.article import CountClaim

LANGS = ("en", "es", "fr", "de", "pt", "it")
MAX_TEXT = 200_000
MAX_VALUE = 10_000_000_000  # more than anyone on earth: a larger number is no count
_MAX_NUMBER_WORDS = 8  # words in one written number ("one hundred and thirty-five" is 5)
_WINDOW = 110  # characters before a noun where its quantity may start

# ---------------------------------------------------------------------------------------------------
# Noun tables: word as written (lowercase) -> (unit, kind)

_E, _O, _P, _L, _S = "events", "organizations", "participants", "locations", "signatures"


def _t(kind: str, pairs: str) -> dict[str, tuple[str, str]]:
    """'word=unit word2=unit2 word3' -> {word: (unit, kind)}; a word without '=' is its own unit."""
    out: dict[str, tuple[str, str]] = {}
    for item in pairs.split():
        word, _, unit = item.partition("=")
        out[word.replace("_", " ")] = (unit.replace("_", " ") or word.replace("_", " "), kind)
    return out


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _table(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for p in parts:
        out.update(p)
    return out


NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "en": _table(
        _t(_E, "protests rallies marches vigils demonstrations demos=demonstrations events actions trainings "
               "gatherings sit-ins walkouts teach-ins mobilizations mobilisations=mobilizations town_halls "
               "meetups meetings strikes walk-outs=walkouts die-ins pickets picket_lines=pickets canvasses "
               "phone_banks phonebanks=phone_banks caravans occupations blockades encampments assemblies forums "
               "town_hall_meetings=town_halls house_parties watch_parties"),
        _t(_O, "groups organizations organisations=organizations orgs=organizations partners unions chapters "
               "coalitions associations nonprofits non-profits=nonprofits ngos affiliates committees collectives"),
        _t(_P, "people persons=people protesters protestors=protesters demonstrators marchers participants "
               "volunteers attendees activists organizers organisers=organizers rsvps members supporters "
               "strikers picketers rallygoers rally-goers=rallygoers mourners workers nurses teachers "
               "signups=sign-ups sign-ups registrants=sign-ups "
               "educators doctors students residents citizens parents women youths farmers retirees veterans "
               "employees staffers neighbors neighbours=neighbors families tenants drivers miners pilots lawyers "
               "scientists dockworkers seniors"),
        _t(_L, "cities states towns communities counties countries locations sites campuses "
               "neighborhoods neighbourhoods=neighborhoods capitols state_capitols=capitols capitals squares "
               "plazas districts provinces regions parishes villages municipalities boroughs"),
        _t(_S, "signatures signers signatories pledges=signatures co-signers=signers cosigners=signers "
               "petitioners=signers"),
    ),
    "es": _table(
        _t(_E, "manifestaciones=demonstrations protestas=protests marchas=marches concentraciones=rallies "
               "mítines=rallies mitines=rallies actos=events eventos=events vigilias=vigils "
               "movilizaciones=mobilizations acciones=actions capacitaciones=trainings talleres=trainings "
               "reuniones=meetings asambleas=meetings huelgas=strikes paros=strikes piquetes=pickets "
               "cacerolazos=protests caceroladas=protests ocupaciones=occupations encierros=sit-ins "
               "caravanas=caravans cortes_de_ruta=blockades bloqueos=blockades"),
        _t(_O, "grupos=groups organizaciones=organizations entidades=organizations asociaciones=associations "
               "colectivos=groups sindicatos=unions capítulos=chapters agrupaciones=groups "
               "ong=ngos ongs=ngos oenegés=ngos comités=committees"),
        _t(_P, "personas=people manifestantes=protesters activistas=activists participantes=participants "
               "voluntarios=volunteers voluntarias=volunteers asistentes=attendees militantes=activists "
               "simpatizantes=supporters miembros=members afiliados=members socios=members huelguistas=strikers "
               "trabajadores=workers trabajadoras=workers estudiantes=students docentes=teachers maestros=teachers "
               "maestras=teachers profesores=teachers enfermeras=nurses enfermeros=nurses médicos=doctors "
               "vecinos=residents vecinas=residents ciudadanos=citizens jubilados=retirees pensionistas=retirees "
               "agricultores=farmers mujeres=women jóvenes=youths residentes=residents empleados=employees "
               "familias=families inquilinos=tenants conductores=drivers choferes=drivers mineros=miners"),
        _t(_L, "ciudades=cities estados=states localidades=towns municipios=municipalities pueblos=towns "
               "comunidades=communities condados=counties países=countries lugares=locations plazas=squares "
               "provincias=provinces regiones=regions barrios=neighborhoods capitales=capitals distritos=districts "
               "campus=campuses"),
        _t(_S, "firmas=signatures firmantes=signers adhesiones=signatures"),
    ),
    "fr": _table(
        _t(_E, "manifestations=demonstrations manifs=demonstrations rassemblements=rallies marches "
               "cortèges=marches défilés=marches veillées=vigils événements=events évènements=events "
               "actions formations=trainings mobilisations=mobilizations protestations=protests réunions=meetings "
               "assemblées=meetings grèves=strikes piquets=pickets occupations blocages=blockades "
               "débrayages=walkouts caravanes=caravans sit-in=sit-ins"),
        _t(_O, "groupes=groups organisations=organizations associations syndicats=unions partenaires=partners "
               "collectifs=groups ong=ngos comités=committees"),
        _t(_P, "personnes=people manifestants=protesters militants=activists participants bénévoles=volunteers "
               "volontaires=volunteers sympathisants=supporters membres=members adhérents=members grévistes=strikers "
               "salariés=workers travailleurs=workers employés=employees étudiants=students "
               "lycéens=students enseignants=teachers professeurs=teachers infirmières=nurses infirmiers=nurses "
               "soignants=nurses médecins=doctors agriculteurs=farmers habitants=residents riverains=residents "
               "citoyens=citizens femmes=women jeunes=youths retraités=retirees parents familles=families "
               "locataires=tenants chauffeurs=drivers conducteurs=drivers mineurs=miners"),
        _t(_L, "villes=cities états=states communes=municipalities localités=towns pays=countries "
               "lieux=locations sites comtés=counties places=squares régions=regions départements=departments "
               "quartiers=neighborhoods capitales=capitals villages campus=campuses universités=campuses"),
        _t(_S, "signatures signataires=signers adhésions=signatures"),
    ),
    "de": _table(
        _t(_E, "demonstrationen=demonstrations demos=demonstrations proteste=protests "
               "protestaktionen=protests kundgebungen=rallies märsche=marches mahnwachen=vigils "
               "veranstaltungen=events aktionen=actions schulungen=trainings trainings "
               "versammlungen=gatherings events "
               "treffen=meetings streiks=strikes warnstreiks=strikes blockaden=blockades sitzblockaden=sit-ins "
               "besetzungen=occupations menschenketten=human_chains"),
        _t(_O, "gruppen=groups organisationen=organizations verbände=associations vereine=associations "
               "gewerkschaften=unions partner=partners ortsgruppen=chapters initiativen=groups ngos "
               "komitees=committees"),
        _t(_P, "menschen=people personen=people leute=people teilnehmer=participants "
               "teilnehmende=participants teilnehmerinnen=participants teilnehmern=participants "
               "demonstranten=protesters "
               "demonstrierende=protesters protestierende=protesters aktivisten=activists "
               "aktivistinnen=activists freiwillige=volunteers helfer=volunteers unterstützer=supporters "
               "anhänger=supporters mitglieder=members streikende=strikers streikenden=strikers "
               "beschäftigte=workers beschäftigten=workers arbeiter=workers arbeiterinnen=workers "
               "mitarbeiter=employees mitarbeitende=employees angestellte=employees studierende=students "
               "studenten=students schüler=students schülerinnen=students lehrer=teachers lehrkräfte=teachers "
               "pflegekräfte=nurses ärzte=doctors bürger=citizens bürgerinnen=citizens einwohner=residents "
               "anwohner=residents bauern=farmers landwirte=farmers frauen=women jugendliche=youths "
               "rentner=retirees eltern=parents familien=families mieter=tenants mieterinnen=tenants "
               "fahrer=drivers bergleute=miners"),
        _t(_L, "städte=cities städten=cities staaten=states bundesstaaten=states orte=towns orten=towns "
               "ortschaften=towns gemeinden=communities länder=countries ländern=countries standorte=locations "
               "standorten=locations kommunen=municipalities landkreise=counties landkreisen=counties "
               "kreise=counties kreisen=counties bezirke=districts bezirken=districts regionen=regions "
               "bundesländer=states bundesländern=states plätze=squares plätzen=squares dörfer=villages "
               "dörfern=villages universitäten=campuses hochschulen=campuses"),
        _t(_S, "unterschriften=signatures unterzeichner=signers unterzeichnende=signers"),
    ),
    "pt": _table(
        _t(_E, "manifestações=demonstrations protestos=protests marchas=marches atos=events comícios=rallies "
               "concentrações=rallies vigílias=vigils eventos=events ações=actions mobilizações=mobilizations "
               "treinamentos=trainings capacitações=trainings passeatas=marches caminhadas=marches reuniões=meetings "
               "assembleias=meetings greves=strikes paralisações=strikes piquetes=pickets ocupações=occupations "
               "carreatas=caravans bloqueios=blockades panelaços=protests"),
        _t(_O, "grupos=groups organizações=organizations entidades=organizations associações=associations "
               "sindicatos=unions parceiros=partners coletivos=groups ongs=ngos comitês=committees"),
        _t(_P, "pessoas=people manifestantes=protesters ativistas=activists participantes=participants "
               "voluntários=volunteers apoiadores=supporters membros=members militantes=activists grevistas=strikers "
               "trabalhadores=workers trabalhadoras=workers estudantes=students professores=teachers "
               "professoras=teachers enfermeiros=nurses enfermeiras=nurses médicos=doctors moradores=residents "
               "cidadãos=citizens servidores=employees aposentados=retirees agricultores=farmers mulheres=women "
               "jovens=youths famílias=families inquilinos=tenants motoristas=drivers mineiros=miners"),
        _t(_L, "cidades=cities estados=states municípios=municipalities localidades=towns "
               "comunidades=communities países=countries locais=locations capitais=capitals praças=squares "
               "regiões=regions bairros=neighborhoods províncias=provinces universidades=campuses"),
        _t(_S, "assinaturas=signatures signatários=signers adesões=signatures"),
    ),
    "it": _table(
        _t(_E, "manifestazioni=demonstrations proteste=protests cortei=marches marce=marches "
               "fiaccolate=vigils veglie=vigils eventi=events iniziative=events azioni=actions presidi=rallies "
               "raduni=rallies mobilitazioni=mobilizations sit-in=sit-ins riunioni=meetings assemblee=meetings "
               "scioperi=strikes picchetti=pickets occupazioni=occupations blocchi=blockades flash-mob=flash_mobs"),
        _t(_O, "gruppi=groups organizzazioni=organizations associazioni=associations sindacati=unions "
               "partner=partners sigle=organizations enti=organizations ong=ngos comitati=groups"),
        _t(_P, "persone=people manifestanti=protesters attivisti=activists partecipanti=participants "
               "volontari=volunteers sostenitori=supporters iscritti=members membri=members scioperanti=strikers "
               "lavoratori=workers lavoratrici=workers dipendenti=employees studenti=students "
               "studentesse=students insegnanti=teachers docenti=teachers infermieri=nurses medici=doctors "
               "cittadini=citizens residenti=residents abitanti=residents agricoltori=farmers donne=women "
               "giovani=youths pensionati=retirees genitori=parents famiglie=families inquilini=tenants "
               "autisti=drivers minatori=miners"),
        _t(_L, "città=cities stati=states comuni=municipalities località=towns paesi=countries "
               "piazze=squares luoghi=locations capoluoghi=cities regioni=regions province=provinces "
               "quartieri=neighborhoods atenei=campuses università=campuses borghi=villages"),
        _t(_S, "firme=signatures firmatari=signers adesioni=signatures"),
    ),
}

# nouns read only when the language is given: with lang None they are English words of another sense
_NOT_WITHOUT_LANGUAGE = ("formations", "manifestations", "places", "occupations")

# German nouns that also close a compound ("Protestkundgebungen"); others are whole words only
# ("orte" would match "Worte", "aktionen" "Reaktionen").
_DE_COMPOUNDS = ("demonstrationen", "kundgebungen", "veranstaltungen", "mahnwachen", "märsche", "proteste",
                 "organisationen", "demonstranten", "staaten", "städte", "städten", "unterschriften", "events",
                 "streiks", "blockaden", "beschäftigte", "beschäftigten", "kreisen", "landkreise")

# A quantity directly followed by one of these counts people (participants) or signatures.
def _verbs(participate: str, sign: str) -> dict[str, tuple[str, str]]:
    """Verb forms ('_' joins a phrase's words) -> ("people", participants) or ("signatures", signatures)."""
    out = {w.replace("_", " "): ("people", _P) for w in participate.split()}
    out.update({w.replace("_", " "): ("signatures", _S) for w in sign.split()})
    return out


_VERBS: dict[str, dict[str, tuple[str, str]]] = {
    "en": _verbs("rally rallied march marched protest protested gather gathered gathers demonstrate demonstrated "
                 "turned_out turn_out turn_up turned_up showed_up show_up attend attended joined join took_part "
                 "take_part participated walked_out walk_out filled packed flooded lined chanted converged "
                 "descended assembled volunteered took_to_the_streets take_to_the_streets rsvped rsvp'd "
                 "in_attendance expected_at expected_in expected_to_attend expected_to_join expected_to_march "
                 "expected_to_rally walked_off_the_job walk_off_the_job walked_off_their_jobs went_on_strike "
                 "go_on_strike are_on_strike picketed occupied came_out come_out",
                 "sign signed signs signed_on"),
    "es": _verbs("marchan marcharon marcharán protestan protestaron se_manifiestan se_manifestaron se_concentran "
                 "se_concentraron se_reunieron se_reúnen se_han_reunido se_congregaron participaron participan "
                 "asistieron asisten acudieron acuden salieron_a_la_calle salen_a_la_calle llenaron ocuparon "
                 "secundaron hicieron_huelga se_movilizaron salieron_a_las_calles",
                 "firmaron firman han_firmado"),
    "fr": _verbs("manifestent manifestaient ont_manifesté défilent ont_défilé défilaient se_rassemblent "
                 "se_sont_rassemblés se_sont_rassemblées se_réunissent se_sont_réunis participent ont_participé "
                 "descendent_dans_la_rue sont_descendus sont_descendues ont_rejoint ont_marché marchent ont_débrayé "
                 "débrayent ont_fait_grève font_grève ont_occupé se_sont_mobilisés",
                 "ont_signé signent"),
    "de": _verbs("demonstrieren demonstrierten protestieren protestierten versammelten_sich versammeln_sich "
                 "gingen_auf_die_straße gehen_auf_die_straße auf_die_straße_gegangen marschierten nahmen_teil "
                 "nehmen_teil beteiligten_sich zogen strömten streikten streiken legten_die_arbeit_nieder",
                 "unterschrieben unterzeichneten haben_unterschrieben haben_unterzeichnet"),
    "pt": _verbs("protestam protestaram marcham marcharam se_manifestam se_manifestaram manifestaram se_reuniram "
                 "se_reúnem participaram participam compareceram saíram_às_ruas foram_às_ruas ocuparam "
                 "entraram_em_greve fizeram_greve paralisaram cruzaram_os_braços",
                 "assinaram assinam"),
    "it": _verbs("manifestano hanno_manifestato protestano hanno_protestato sfilano hanno_sfilato marciano "
                 "hanno_marciato in_piazza scesi_in_piazza scese_in_piazza partecipano hanno_partecipato "
                 "si_sono_radunati si_sono_radunate hanno_scioperato scioperano hanno_occupato occupano "
                 "sono_scesi_in_piazza sono_scese_in_piazza",
                 "hanno_firmato firmano"),
}
# between a quantity and its verb: auxiliaries ("have already signed", "are expected at")
_AUX = _wordset("are were have has had will would may might could should can must also already reportedly been be "
                "is was all still han ya se ont "
                "sont haben sind hanno sono já foram têm già bereits schon déjà")
# the open words that never name who takes part ("200 police officers marched")
_NOT_PARTICIPANTS = _wordset("police officers officer agents troops soldiers counter-protesters counterprotesters "
                             "policías agentes policiers gendarmes polizisten beamte polizei policiais poliziotti "
                             "agenti")

# ---------------------------------------------------------------------------------------------------
# Number words (patterns of one word; a number is one or more joined by a separator)

_NUMBER_WORDS = {  # the words of written numbers, one word each
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
          "million",
    "es": "un una uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
          "diecisiete dieciocho diecinueve veinte veintiuno veintiuna veintiún veintidós veintitrés veinticuatro "
          "veinticinco veintiséis veintisiete veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta "
          "ochenta noventa cien ciento doscientos doscientas trescientos trescientas cuatrocientos cuatrocientas "
          "quinientos quinientas seiscientos seiscientas setecientos setecientas ochocientos ochocientas "
          "novecientos novecientas mil millón millones",
    "fr": "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt "
          "vingts trente quarante cinquante soixante cent cents mille million millions",
    "de": "ein eins eine zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
          "sechzehn siebzehn achtzehn neunzehn zwanzig dreißig dreissig vierzig fünfzig sechzig siebzig achtzig "
          "neunzig hundert tausend million millionen",
    "pt": "um uma dois duas três quatro cinco seis sete oito nove dez onze doze treze catorze quatorze quinze "
          "dezesseis dezasseis dezessete dezassete dezoito dezenove dezanove vinte trinta quarenta cinquenta "
          "sessenta setenta oitenta noventa cem cento duzentos duzentas trezentos trezentas quatrocentos "
          "quatrocentas quinhentos quinhentas seiscentos seiscentas setecentos setecentas oitocentos oitocentas "
          "novecentos novecentas mil milhão milhões",
    "it": "uno una un due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
          "sedici diciassette diciotto diciannove venti trenta quaranta cinquanta sessanta settanta ottanta "
          "novanta cento mille mila milione milioni",
}
# German and Italian glue a number's words into one ("dreihundertsiebzig", "centotrentacinque")
_GLUED_PARTS = {
    "de": "ein eins zwei drei vier fünf sechs sech sieben sieb acht neun zehn elf zwölf zwanzig dreißig dreissig "
          "vierzig fünfzig sechzig siebzig achtzig neunzig hundert tausend und",
    "it": "uno un due tre tré quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
          "sedici diciassette diciotto diciannove venti vent trenta trent quaranta quarant cinquanta cinquant "
          "sessanta sessant settanta settant ottanta ottant novanta novant cento cent mille mila",
}


def _word_number_pattern(lang: str) -> str:
    """A regex of one number word of `lang` (glued compounds included for de and it)."""
    pat = _trie(_NUMBER_WORDS[lang].split())
    if lang in _GLUED_PARTS:
        pat = f"(?:{_trie(_GLUED_PARTS[lang].split())})+|{pat}"
    return pat


_WORD_JOIN = {
    "en": r"(?:\s+and\s+|[ \t\u00a0]*-[ \t\u00a0]*|[ \t\u00a0]+)",
    "es": r"(?:\s+y\s+|[ \t\u00a0]+)",
    "fr": r"(?:-et-|\s+et\s+|-|[ \t\u00a0]+)",
    "de": r"(?:[ \t\u00a0]+)",
    "pt": r"(?:\s+e\s+|[ \t\u00a0]+)",
    "it": r"(?:\s+e\s+|[ \t\u00a0]+)",
}
_ARTICLES = frozenset({"one", "un", "une", "una", "uno", "um", "uma", "ein", "eine", "eins"})
_AMBIGUOUS_ALONE = frozenset({"dos", "once", "sei", "sept", "due"})  # with lang None only
# multipliers that need a number or an article before them ("a hundred", "two million"; Spanish "mil"
# and Italian "mille" are counts alone)
_NOT_ALONE = frozenset({"hundred", "thousand", "million", "millions", "millón", "millones", "millionen",
                        "milhão", "milhões", "milione", "milioni"})
_SPECIAL_WORDS = {"veintiún": 21, "veintiun": 21}

# ---------------------------------------------------------------------------------------------------
# Vague words

# "a few" and friends: value alone, and as a factor before a base ("a few hundred" = 3 x 100)
_FEW = {
    "en": {"a couple of": 2, "a couple": 2, "a few": 3, "several": 3, "a handful of": 3, "a handful": 3},
    "es": {"un par de": 2, "unos pocos": 3, "unas pocas": 3, "unos cuantos": 3, "unas cuantas": 3,
           "varios": 3, "varias": 3, "un puñado de": 3},
    "fr": {"quelques": 3, "plusieurs": 3, "une poignée de": 3, "une poignée d'": 3},
    "de": {"ein paar": 3, "mehrere": 3, "mehreren": 3, "eine handvoll": 3},
    "pt": {"um par de": 2, "uns poucos": 3, "umas poucas": 3, "vários": 3, "várias": 3, "um punhado de": 3},
    "it": {"un paio di": 2, "qualche": 3, "diversi": 3, "diverse": 3, "una manciata di": 3},
}
# words that multiply a base only ("some hundred", "einige hundert"): not counts alone
_FEW_FACTOR_ONLY = {"en": {"some": 3}, "es": {"algunos": 3, "algunas": 3, "unos": 3, "unas": 3},
                    "fr": {}, "de": {"einige": 3}, "pt": {"alguns": 3, "algumas": 3},
                    "it": {"alcune": 3, "alcuni": 3}}
# the base a "few" word multiplies (singular or plural as the language writes it)
_FEW_BASE = {
    "en": {"hundred": 100, "thousand": 1000, "dozen": 12},
    "es": {"cientos": 100, "centenares": 100, "miles": 1000, "decenas": 10, "docenas": 12},
    "fr": {"centaines": 100, "milliers": 1000, "dizaines": 10, "douzaines": 12},
    "de": {"hundert": 100, "tausend": 1000, "dutzend": 12},
    "pt": {"centenas": 100, "milhares": 1000, "dezenas": 10, "dúzias": 12},
    "it": {"centinaia": 100, "centinaio": 100, "migliaia": 1000, "migliaio": 1000, "decine": 10,
           "dozzine": 12},
}
# plural vague words: value = 2 x base ("hundreds" = 200); "tens of thousands" = 2 x 10 x 1000
_PLURAL = {
    "en": {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "millions": 1_000_000},
    "es": {"decenas": 10, "docenas": 12, "cientos": 100, "centenares": 100, "miles": 1000,
           "millones": 1_000_000},
    "fr": {"dizaines": 10, "douzaines": 12, "centaines": 100, "milliers": 1000, "millions": 1_000_000},
    "de": {"dutzende": 12, "dutzenden": 12, "hunderte": 100, "hunderten": 100, "tausende": 1000,
           "tausenden": 1000, "zehntausende": 10_000, "zehntausenden": 10_000, "hunderttausende": 100_000,
           "hunderttausenden": 100_000, "millionen": 1_000_000},
    "pt": {"dezenas": 10, "dúzias": 12, "centenas": 100, "milhares": 1000, "milhões": 1_000_000},
    "it": {"decine": 10, "dozzine": 12, "centinaia": 100, "migliaia": 1000, "milioni": 1_000_000},
}
# a plural vague word that needs its partitive after it (Spanish "miles" is English "miles")
_NEEDS_PARTITIVE = frozenset({"tens", "scores"})  # and Spanish "miles" with no language (English "miles")
_PLURAL_SECOND = {"thousands": 1000, "miles": 1000, "milliers": 1000, "milhares": 1000, "migliaia": 1000,
                  "millions": 1_000_000, "millones": 1_000_000, "milhões": 1_000_000, "milioni": 1_000_000}
# approximate nouns after an article: value and qualifier ("une centaine" = about 100)
_ABOUT_NOUN = {
    "en": {"dozen": (12, "exactly"), "hundred": (100, "exactly"), "thousand": (1000, "exactly"),
           "million": (1_000_000, "exactly")},
    "es": {"decena": (10, "about"), "docena": (12, "exactly"), "veintena": (20, "about"),
           "treintena": (30, "about"), "cuarentena": (40, "about"), "centenar": (100, "about"),
           "millar": (1000, "about"), "millón": (1_000_000, "exactly")},
    "fr": {"dizaine": (10, "about"), "douzaine": (12, "about"), "quinzaine": (15, "about"),
           "vingtaine": (20, "about"), "trentaine": (30, "about"), "quarantaine": (40, "about"),
           "cinquantaine": (50, "about"), "soixantaine": (60, "about"), "centaine": (100, "about"),
           "millier": (1000, "about"), "million": (1_000_000, "exactly")},
    "de": {"dutzend": (12, "exactly"), "hundert": (100, "exactly"), "tausend": (1000, "exactly"),
           "million": (1_000_000, "exactly")},
    "pt": {"dezena": (10, "about"), "dúzia": (12, "exactly"), "vintena": (20, "about"),
           "centena": (100, "about"), "milhar": (1000, "about"), "milhão": (1_000_000, "exactly")},
    "it": {"decina": (10, "about"), "dozzina": (12, "exactly"), "ventina": (20, "about"),
           "trentina": (30, "about"), "quarantina": (40, "about"), "cinquantina": (50, "about"),
           "centinaio": (100, "about"), "migliaio": (1000, "about"), "milione": (1_000_000, "exactly")},
}
_ABOUT_ARTICLE = r"(?:a|an|one|un|une|una|uno|um|uma|ein|eine|einem|einer)"

# ---------------------------------------------------------------------------------------------------
# Qualifiers: phrase -> qualifier; _NEARLY phrases also set high = value

_QUALIFIERS: dict[str, str] = {}
for _q, _phrases in {
    "over": "more than|over|upwards of|upward of|in excess of|north of|above|just over|well over|far more than|"
            "más de|mas de|arriba de|por encima de|algo más de|poco más de|bastante más de|"
            "plus de|plus d'|au-delà de|au-delà d'|bien plus de|bien plus d'|un peu plus de|un peu plus d'|"
            "mehr als|über|gut|weit über|knapp über|etwas mehr als|deutlich mehr als|"
            "mais de|acima de|pouco mais de|bem mais de|oltre|ben oltre|più di|poco più di|oltre a",
    "over_verb": "tops|topped|has topped|passes|passed|has passed|surpasses|surpassed|has surpassed|exceeds|"
                 "exceeded|has exceeded|supera|superan|superó|superaron|ha superado|sobrepasa|sobrepasó|rebasa|"
                 "dépasse|dépassent|a dépassé|ont dépassé|übersteigt|überstieg|übertrifft|überschreitet|"
                 "überschritt|passa de|passou de|passam de|ultrapassa|ultrapassou|superou|superano|ha superato|"
                 "hanno superato|oltrepassa|crossed|has crossed|crosses|tops|topping|surpassing|passing|exceeding|"
                 "broke|has broken|breaks|rebasan|rebasó|han superado|sobrepasan|superando|dépassant|franchit|"
                 "a franchi|ont franchi|dépassé|knackt|knackte|geknackt|überschreiten|übersteigen|überstiegen|"
                 "ultrapassam|ultrapassaram|passa|superam|superaram|superando|superato|supera|superati|sorpassa|"
                 "surged past|soared past|climbed past|rose past|went past|pushed past|crept past|moved past|"
                 "shot past|jumped past|grew past|grows past|climbs past|rises past|is past|now past|soar past|"
                 "soars past|surge past|surges past|climb past|rise past|grow past|jump past|jumps past|push past|"
                 "pushes past|top|surpass|exceed|cross",
    "nearly_verb": "near|approach|nears|neared|nearing|approaches|approached|approaching|is nearing|is approaching|"
                   "roza|rozan|rozó|se acerca a|se acercan a|frôle|frôlent|a frôlé|avoisine|avoisinent|approche|"
                   "approchent|nähert sich|nähern sich|beira|beiram|se aproxima de|chega perto de|sfiora|sfiorano|"
                   "ha sfiorato|si avvicina a",
    "about_verb": "ronda|rondan|rondaba|rondó|tourne autour de|oscila en torno a|gira intorno a|beträgt rund",
    "at_least": "at least|no fewer than|no less than|a minimum of|not less than|"
                "al menos|por lo menos|como mínimo|no menos de|au moins|pas moins de|pas moins d'|au minimum|"
                "mindestens|wenigstens|zumindest|nicht weniger als|pelo menos|ao menos|no mínimo|não menos de|"
                "almeno|come minimo|non meno di|perlomeno|per lo meno",
    "up_to": "up to|as many as|fewer than|less than|under|no more than|at most|just under|"
             "hasta|menos de|como máximo|no más de|jusqu'à|jusqu'a|moins de|moins d'|au plus|au maximum|"
             "pas plus de|bis zu|weniger als|höchstens|maximal|unter|nicht mehr als|"
             "até|menos de|no máximo|não mais de|não mais que|fino a|fino ad|sino a|meno di|al massimo|"
             "non più di",
    "about": "about|around|roughly|approximately|some|an estimated|estimated|approx.|approx|circa|ca.|~|"
             "unos|unas|alrededor de|aproximadamente|en torno a|environ|quelque|autour de|approximativement|"
             "à peu près|rund|etwa|ungefähr|zirka|an die|schätzungsweise|uns|umas|cerca de|em torno de|"
             "por volta de|mais ou menos|intorno a|attorno a|all'incirca|qualcosa come|sui|sulle",
    "nearly": "nearly|almost|close to|just shy of|casi|près de|près d'|presque|quasiment|pas loin de|"
              "fast|knapp|beinahe|nahezu|quase|perto de|quasi|poco meno di",
    "exactly": "exactly|precisely|exactement|exactamente|exakt|genau|exatamente|esattamente",
}.items():
    for _p in _phrases.split("|"):
        _QUALIFIERS[_p] = _q

_POST_QUALIFIERS = {"+": "at_least", "plus": "at_least", "or more": "at_least", "o más": "at_least",
                    "ou plus": "at_least", "oder mehr": "at_least", "ou mais": "at_least", "o più": "at_least",
                    "and up": "at_least", "or so": "about", "odd": "about"}
_POST_WORDS = [w for w in _POST_QUALIFIERS if " " in w]

_GROWTH = (r"(?:gr[eo]w|grown|growing|grows|rose|risen|rises|increased|increases|jumped|jumps|climbed|climbs|"
           r"went|goes|swelled|expanded|creci[óo]|crecido|pas[óo]|pasado|aument[óo]|aumentado|subi[óo]|"
           r"pass[ée]e?|passés|passées|augment[ée]|grimp[ée]|stieg|gestiegen|wuchs|gewachsen|erhöhte|"
           r"passou|cresceu|aumentou|subiu|passat[oaie]|salit[oaie]|cresciut[oaie]|aumentat[oaie])")

# ---------------------------------------------------------------------------------------------------
# Guards

_MONTHS = (r"jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
           r"september|oct|october|nov|november|dec|december|enero|febrero|marzo|abril|mayo|junio|julio|"
           r"agosto|septiembre|setiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|"
           r"juillet|août|septembre|octobre|novembre|décembre|januar|jänner|februar|märz|juni|juli|"
           r"oktober|dezember|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
           r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre")
_MONTH_NEXT = re.compile(r"[ \t\u00a0]+(?:de\s+)?(" + _MONTHS + r")\b", re.IGNORECASE)
_PRE_GUARD = re.compile(
    r"(?:(?<![\w])(?:no\.|nr\.|n[°º]\.?|top|section|sec\.|route|highway|amendment|article|art\.|chapter|"
    r"district|ward|room|suite|page|phase|local|prop\.?|proposition|aged|ages|age|edad|âge|alter|idade|età|"
    + _MONTHS + r")\.?|[$€£¥#№])\s*\Z",
    re.IGNORECASE)
_PRE_NEVER = re.compile(
    r"(?<![\w])(?:arrest\w*|detain\w*|jailed|evacuat\w*|displac\w*|rescued|killed|kill|injured|wounded|"
    r"detuv\w*|detev\w*|detenid\w*|pres[oa]s|denunciat\w*|arrest[óo]\w*|arrêt\w*|interpell\w*|festgenommen|"
    r"festnahm\w*|verhaft\w*|prend\w*|pren[dr]\w*|arrestat\w*|arrestar\w*|fermat\w*|deti\w*|"
    r"limit\w*(?:\s+[^\W\d_]+){0,2}\s+to|capacity\s+(?:of|for)|cap(?:ped|s)?(?:\s+[^\W\d_]+){0,3}\s+at|max(?:imum)?\s+of|hop(?:ed|ing|es)?\s+for|aim(?:s|ed|ing)?\s+(?:for|at)|(?:goal|target|quota|threshold)\s+of|needs?|needed|needing|requires?|required|requiring|to\s+reach|to\s+collect|get\s+to|(?:objetivo|meta|objectif|ziel|obiettivo)\s+(?:de|d['’]|von|di)|necesita\w*|requier\w*|besoin\s+de|il\s+faut|benötigt|braucht|brauchen|precisa\w*(?:\s+de)?|necessita\w*|bisogno\s+di|servono|pour\s+atteindre|para\s+alcanzar|para\s+atingir|per\s+raggiungere|um\s+.{0,20}zu\s+erreichen|capacidad\s+(?:de|para)|"
    r"(?:ban(?:s|ned)?|prohibit\w*|forbid\w*|outlaw\w*|interdi\w*|prohíb\w*|prohib\w*|proíb\w*|proib\w*|vieta\w*|"
    r"verbiet\w*|verbot\w*|untersag\w*)(?:\s+[^\W\d_]+){0,3}\s+(?:of|de|d['’]|mit|von|di|da|com|à|a)|"
    r"rounded\s+up|took\s+into\s+custody|in\s+gewahrsam\s+genommen|"
    r"capacité\s+de|kapazität\s+von|capacidade\s+(?:de|para)|capienza\s+di|limitad[oa]s?\s+a|limitée?s?\s+à|"
    r"begrenzt\s+auf|limitat[oaie]\s+a|deaths?\s+of|killing\s+of|muertes?\s+de|morts?\s+de|tod\s+von|"
    r"mortes?\s+de|morti\s+di)"
    r"(?:\s+(?:a|à|ad|aos?|às))?(?:\s+(?:the|los|las|les|die|os|as|gli|le|i)\b)?\s*\Z",
    re.IGNORECASE)
_POST_NEVER = re.compile(
    r"\s*(?:[\w'’,-]+\s+){0,5}?"
    r"(?:arrested|detained|killed|injured|wounded|hurt|died|dead|voted|cast|evacuated|displaced|treated|"
    r"hospitali[sz]ed|taken\s+to\s+(?:the\s+)?hospital|hospitalizad|hospitalisé|"
    r"hospitalizzat|ins\s+krankenhaus|"
    r"detenid|arrestad|muert|herid|votaron|murieron|fallecieron|"
    r"arrêté|interpellé|tué|blessé|mort|voté|"
    r"festgenommen|verhaftet|getötet|verletzt|gestorben|gewählt|"
    r"pres[oa]s|detid|morreram|ferid|votaram|"
    r"arrestat|fermat|uccis|ferit|votato|on\s+board|aboard|a\s+bordo|à\s+bord|an\s+bord|fest(?![\w])|"
    r"in\s+gewahrsam)",
    re.IGNORECASE)
_POST_SIGNED = re.compile(
    r"\s*(?:(?:have|has|had|han|ya\s+han|ont|haben|hanno)\s+)?(?:already\s+|déjà\s+|bereits\s+|già\s+|já\s+)?"
    r"(?:signed|firmado|firmaron|signé|unterschrieben|unterzeichnet|assinaram|firmato)(?!\w)(?![ \t]+up\b)",
    re.IGNORECASE)
_SIGNED_UP = re.compile(r"[ \t]+up\b", re.IGNORECASE)
_STOP = _wordset("""
the a an of in on at to for from by with about and or but than as that this these those which who whom whose
is are was were be been being have has had will would can could should may might must do does did not no
its their his her our your my per each every all some any both either neither such only just also already
said says say according said when where while after before since until during across around over under into
onto upon than then there here it they them he she we you i me us against toward towards through outside inside
near among without within via like including versus vs
sobre entre sin hacia contra sans sous vers chez pendant durch ohne gegen seit während sem sob durante senza
verso durante
days day weeks week months month years year hours hour minutes minute seconds times time miles mile
kilometers kilometres km percent per cent votes ballots calls texts emails doors dollars euros pounds
jahre jahren tage tagen monate monaten wochen stunden minuten prozent euro años días meses semanas horas
minutos ans années jours mois semaines heures anos dias semanas anni giorni mesi settimane ore minuti
counter contre contra gegen air drone missile military israeli russian
el la los las lo de del en y o u que con por para al se su sus es son fue era han ha le les des du et ou
qui avec sur dans aux est sont ont der die das den dem und oder im an am auf mit von vom zu zum zur für bei
aus ist sind hat haben wurde wurden nach os as do da dos das em no na nos nas e um uma é são foi il gli di
della dei delle nel nella con dal è sono
""")
# measures, times and non-count nouns among the stop words: a number before one is no bare number ("67 percent")
_MEASURES = _wordset("""
days day weeks week months month years year hours hour minutes minute seconds times time miles mile
kilometers kilometres km percent cent votes ballots calls texts emails doors dollars euros pounds
jahre jahren tage tagen monate monaten wochen stunden minuten prozent euro años días meses semanas horas
minutos ans années jours mois semaines heures anos dias semanas anni giorni mesi settimane ore minuti
ciento cento points point pts
""")  # "per"/"por"/"pour" + cent/ciento/cento: see `_PERCENT`
_PARTITIVES = frozenset({"of", "de", "d'", "d’", "di", "des", "del", "dei", "degli", "delle", "do", "da",
                         "dos", "das"})
_AND = frozenset({"and", "y", "et", "und", "e"})
_GLUE = frozenset({"a", "an", "of", "de", "d", "di"})  # words of vague phrases that carry no quantity

# ---------------------------------------------------------------------------------------------------
# Regex assembly


def _alt(words: object) -> str:
    """An alternation of literal phrases, longest first; spaces match any run of whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in items)


def _trie(words: object) -> str:
    """A regex matching any of the literal lowercase words, factored as a trie (fast in Python's re)."""
    root: dict[str, dict] = {}
    for w in words:  # type: ignore[attr-defined]
        node = root
        for ch in str(w):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(root)


def _langs(lang: str | None) -> tuple[str, ...]:
    return (lang,) if lang in LANGS else LANGS


_MULT_WORDS = {
    "million": 1_000_000, "millions": 1_000_000, "millón": 1_000_000, "millones": 1_000_000,
    "millionen": 1_000_000, "mio.": 1_000_000, "mio": 1_000_000, "milhão": 1_000_000, "milhões": 1_000_000,
    "milione": 1_000_000, "milioni": 1_000_000, "thousand": 1000, "mil": 1000, "mila": 1000, "mille": 1000,
    "tausend": 1000, "tsd.": 1000, "k": 1000, "m": 1_000_000,
}
_MILLION_WORDS = frozenset(w for w, v in _MULT_WORDS.items() if v == 1_000_000 and len(w) > 1)


@dataclass(frozen=True)
class _Grammar:
    lang: str | None  # None: all six languages
    langs: tuple[str, ...]
    noun_table: dict[str, tuple[str, str]]
    verb_table: dict[str, tuple[str, str]]
    compounds: tuple[str, ...]  # German compound endings, when German is read
    head_words: frozenset[str]  # single-word nouns and verbs
    multi_phrases: tuple[str, ...]  # multi-word nouns and verbs
    single_word_number: re.Pattern[str]  # one number word (glued German/Italian compounds included)
    qwords: frozenset[str]  # the words that may start or carry a quantity
    scan: re.Pattern[str]  # the prefilter: digits, quantity words and head words, on the lowercased text
    event_cue: re.Pattern[str]  # a sign that a sentence is about events (for locations)
    triggers: frozenset[str]  # the first words of the number-after-noun patterns
    qty: re.Pattern[str]
    num: re.Pattern[str]
    few: dict[str, int]
    few_factor: dict[str, int]
    few_base: dict[str, int]
    plural: dict[str, int]
    about_noun: dict[str, tuple[int, str]]
    qcache: dict[str, bool]


def _digits(lang: str | None, after_dash: bool = False) -> str:
    """Whole numbers with thousands groups, or a plain/decimal number."""
    seps = [",", r"\u00a0", r"\u202f"]
    if lang != "en":
        seps.append(r"\.")
    seps.append(" ")
    if lang != "en":
        seps += ["'", "’"]
    sep = "(?:" + "|".join(seps) + ")"
    before = r"(?<![\w.,:'’/$€£#\-–])" if not after_dash else r"(?<![\w.,:'’/$€£#])"
    return (rf"{before}\d{{1,3}}(?:{sep}\d{{3}})+(?![\d\w%°])(?![.,]\d)"
            rf"|{before}\d+(?:[.,]\d+)?(?![\d%°/])(?![.,:]\d)")


@lru_cache(maxsize=8)
def _grammar(lang: str | None) -> _Grammar:
    langs = _langs(lang)
    key = lang if lang in LANGS else None
    noun_table: dict[str, tuple[str, str]] = {}
    verb_table: dict[str, tuple[str, str]] = {}
    for lg in reversed(langs):  # the first language's entry wins
        noun_table.update(NOUNS[lg])
        verb_table.update(_VERBS[lg])
    if key is None:  # with no language, French words that are other words in English are not read
        for w in _NOT_WITHOUT_LANGUAGE:
            noun_table.pop(w, None)
    multi = tuple(w for w in list(noun_table) + list(verb_table) if " " in w)
    head_words = frozenset(w for w in list(noun_table) + list(verb_table) if " " not in w)
    compounds = _DE_COMPOUNDS if "de" in langs else ()

    word_pats = {lg: _word_number_pattern(lg) for lg in langs}
    single = re.compile("|".join(f"(?:{p})" for p in word_pats.values()), re.IGNORECASE)
    word_num = "|".join(rf"(?:{p})(?:{_WORD_JOIN[lg]}(?:{p})){{0,{_MAX_NUMBER_WORDS - 1}}}"
                        for lg, p in word_pats.items())
    mult = _alt(w for w in _MULT_WORDS if len(w) > 1)
    digits = _digits(key)
    num = (rf"(?:(?:{digits})(?:[ \t\u00a0\u202f]*(?:{mult})(?![\w])|[kKM](?!\w))?(?![^\W\d_])"
           rf"|(?<![\w\-])(?:{word_num})(?!\w|-\w))")
    num2 = (rf"(?:(?:{_digits(key, True)})(?:[ \t\u00a0\u202f]*(?:{mult})(?![\w])|[kKM](?!\w))?(?![^\W\d_])"
            rf"|(?<![\w\-])(?:{word_num})(?!\w|-\w))")  # the second number of "200-300"

    few = {k: v for lg in langs for k, v in _FEW[lg].items()}
    few_factor = {k: v for lg in langs for k, v in _FEW_FACTOR_ONLY[lg].items()}
    few_base = {k: v for lg in langs for k, v in _FEW_BASE[lg].items()}
    plural = {k: v for lg in langs for k, v in _PLURAL[lg].items()}
    if key is None:
        few.pop("diverse", None)  # an English adjective
    about_noun = {k: v for lg in reversed(langs) for k, v in _ABOUT_NOUN[lg].items()}
    part = r"(?:of|de|d['’]|di)"
    sep = r"[ \t\u00a0\u202f]+"
    qty = re.compile(
        rf"(?P<between>(?<![\w])(?:between|entre|zwischen|tra|fra){sep}(?P<b1>{num}){sep}(?:and|y|e|et|und){sep}"
        rf"(?P<b2>{num}))"
        rf"|(?P<fromto>(?<![\w])(?:from|de|desde|von|da){sep}(?P<f1>{num}){sep}(?P<fw>to|a|à|hasta|auf|bis|até|"
        rf"para){sep}(?P<f2>{num}))"
        rf"|(?P<range>(?P<r1>{num})(?:[ \t\u00a0]*[-–—][ \t\u00a0]*|{sep}(?:to|a|à|bis|até|or|o|ou|oder){sep})"
        rf"(?P<r2>{num2}))"
        rf"|(?P<vmult>(?<![\w])(?P<vmf>{_alt(list(few) + list(few_factor))}){sep}(?P<vmb>{_alt(few_base)})"
        rf"(?![\w]))"
        rf"|(?P<vplural>(?<![\w])(?:des{sep})?(?P<vp1>{_alt(plural)})(?:{sep}{part}{sep}?(?P<vp2>"
        rf"{_alt(_PLURAL_SECOND)}))?(?![\w]))"
        rf"|(?P<anoun>(?<![\w])(?:{_ABOUT_ARTICLE}){sep}(?P<an>{_alt(about_noun)})(?![\w])"
        rf"(?![ \t\u00a0\-]+(?:(?:and|y|et|e|und)\s+)?(?:{word_num})(?!\w)))"
        rf"|(?P<half>(?<![\w])(?:half{sep}a|a{sep}quarter(?:{sep}of{sep}a)?|medio|un{sep}demi-?|eine{sep}halbe|"
        rf"einer{sep}halben|meio|mezzo){sep}(?:million|millón|millionen|milhão|milione)(?![\w]))"
        rf"|(?P<vague>(?<![\w])(?:{_alt(few)})(?![\w]))"
        rf"|(?P<num>{num})(?P<doz>[ \t\u00a0]+(?:dozen|docenas?|douzaines?|dutzend|dúzias?|dozzin[ae])(?!\w))?"
        rf"(?P<post>[ \t\u00a0]*\+|-plus(?!\w)|-odd(?!\w)|{sep}(?:{_alt(_POST_WORDS)})(?!\w))?",
        re.IGNORECASE)
    qwords: set[str] = set()
    for phrase in [*few, *few_factor, *few_base, *plural, *about_noun, *_PLURAL_SECOND]:
        qwords.update(w for w in phrase.replace("'", " ").split() if w not in _GLUE and w not in _ARTICLES)
    qwords.update(("half", "quarter", "medio", "demi", "halbe", "halben", "meio", "mezzo"))  # "Half a million"
    glued = [f"(?:{_trie(_GLUED_PARTS[lg].split())})+" for lg in langs if lg in _GLUED_PARTS]
    single_words = {w for lg in langs for w in _NUMBER_WORDS[lg].split()}
    triggers = _TRIGGERS | frozenset(_COLLECTIVE)
    literal = sorted(head_words | set(multi) | qwords | single_words | triggers | _IDIOM_WORDS)
    scan_alts = [r"\d+", rf"\b(?:{_trie(literal)})(?!\w)"]
    scan_alts += [rf"\b(?:{gl})(?!\w)" for gl in glued]
    scan = re.compile("|".join(scan_alts))
    event_words = [w for lg in LANGS for w, (_, k) in NOUNS[lg].items() if k == _E and w != "strikes"]
    event_cue = re.compile(rf"\b(?:{_trie(event_words)})(?!\w)|\b(?:gather|rall(?:y|ied)|march(?!é|\s*\d)|protest|"
                           rf"demonstr|vigil(?!an)|mobili[sz]|manifest|rassembl|kundgeb|versammel|piazza|"
                           rf"the\s+streets|(?:a|en)\s+la\s+calle|dans\s+la\s+rue|straßen?\b|(?:às|nas)\s+ruas|"
                           rf"aktion(?:en|stag)?\b|beteilig|particip(?!ant)|take\s+part|took\s+part|demos?\b|"
                           rf"atos?\b|actos?\b|piazz|plaza|(?<!air\s)(?<!drone\s)(?<!missile\s)strik|streik|huelga|grève|greve|"
                           rf"scioper|picket|walkout|"
                           rf"teach-in|sit-in|occup|ocupa|sfil|défil|desfil|marsch)")
    return _Grammar(key, langs, noun_table, verb_table, compounds, head_words, multi, single, frozenset(qwords),
                    scan, event_cue, triggers, qty, re.compile(num, re.IGNORECASE), few, few_factor, few_base, plural,
                    about_noun, {})


def _is_q(g: _Grammar, low: str) -> bool:
    """Whether a lowercased word may carry a quantity (a digit, a number word, a vague word)."""
    if low[0].isdigit():
        return True
    hit = g.qcache.get(low)
    if hit is None:
        hit = low in g.qwords or bool(g.single_word_number.fullmatch(low))
        if len(g.qcache) < 50_000:
            g.qcache[low] = hit
    return hit


def _is_noun(g: _Grammar, low: str) -> bool:
    if low in g.noun_table:
        return True
    return bool(g.compounds) and low.endswith(g.compounds) and not low.startswith("gegen")


# ---------------------------------------------------------------------------------------------------
# Numbers


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").lower().split())


_LETTERS = re.compile(r"[^\W\d_]+")
_MULT_END = re.compile(r"[ ]*([^\d\s.,' ][\w.]*|[kKM])$")
_SEPS = re.compile(r"[ ,.']")


@lru_cache(maxsize=4096)
def _words_value(words: str, langs: tuple[str, ...]) -> tuple[int, int] | None:
    """(value, characters dropped from the left) of a word number, or None."""
    tokens = list(_LETTERS.finditer(words))
    for i, tok in enumerate(tokens):
        tail = words[tok.start():].lower()
        if tail in _SPECIAL_WORDS:
            return _SPECIAL_WORDS[tail], tok.start()
        if i == len(tokens) - 1 and (tail in _ARTICLES or tail in _NOT_ALONE
                                     or (len(langs) > 1 and tail in _AMBIGUOUS_ALONE)):
            return None
        if tail in ("und", "y", "e", "et", "and"):
            continue
        for lg in langs:
            try:
                v = text2num(tail, lg)
            except (ValueError, KeyError):
                continue
            return int(v), tok.start()
    return None


def _digits_value(raw: str, lang: str | None) -> float | None:
    """The number a digit string writes, per the language's conventions (see the module docstring)."""
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    mult = 1
    m = _MULT_END.search(s)
    if m:
        word = m.group(1).lower() if m.group(1) not in ("M",) else "m"
        mult = _MULT_WORDS.get(word, 1)
        s = s[: m.start()]
    s = s.strip()
    has_mult = mult > 1
    groups = _SEPS.split(s)
    seps = _SEPS.findall(s)
    if not seps:
        return float(s) * mult
    if has_mult:
        if len(seps) == 1:
            sep, frac = seps[0], groups[1]
            if lang == "en":
                decimal = sep == "."
            elif lang in LANGS:
                decimal = sep == ","
            else:
                decimal = len(frac) < 3
            if decimal:
                return float(groups[0] + "." + frac) * mult
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups)) * mult
        return None
    if all(len(g) == 3 for g in groups[1:]) and not (lang == "en" and "." in seps):
        return float("".join(groups))
    return None  # a decimal without a multiplier: no count


def _num_value(text: str, g: _Grammar) -> int | None:
    t = text.strip()
    if t[:1] == "0" and t[1:2].isdigit():
        return None  # "000", "05": a code or a part of a number, no count
    if t[:1].isdigit():
        if sum(c.isdigit() for c in t) > 15:
            return None
        v = _digits_value(t, g.lang)
        value = None if v is None else int(round(v))
    else:
        wv = _words_value(t, _langs(g.lang))
        value = wv[0] if wv else None
    return value if value is None or value <= MAX_VALUE else None


# ---------------------------------------------------------------------------------------------------
# The gap between a quantity and its noun

_GAP_TOKEN = re.compile(
    r"\s+|[\"“”«»„‚‘][^\"“”«»„‚‘’]{1,60}[\"“”«»‘’]|'[^'\n]{1,60}'(?!\w)|[^\W\d_][\w'’\-]*|\d+|\S")


_MAX_FILLERS = 2


def _gap_ok(gap: str, g: _Grammar, partitive: bool, copula: bool = False) -> bool:
    """Whether only filler lies between a quantity and its noun (see 'Attaching the quantity')."""
    if not gap.strip():
        return "\n" not in gap
    if "\n" in gap:
        return False  # a line break: a heading, a list item, an address
    toks = [t for t in _GAP_TOKEN.findall(gap) if not t.isspace()]
    if copula and len(toks) == 1 and toks[0].lower() in _ARTICLES_DEF:
        return True  # "Sono 45 i comitati", "Son 200 las organizaciones", "cifró en 2.000 los asistentes"
    if copula and _NUMBER_OF.fullmatch(gap):
        return True  # "a chiffré à 1 200 le nombre de manifestants"
    if partitive and toks and toks[0].lower() in _PARTITIVES:
        toks = toks[1:]
    elif partitive and toks and toks[0].lower()[:2] in ("d'", "d’"):
        toks[0] = toks[0][2:]
    fillers = 0
    quotes = 0
    kinds: list[str] = []
    for t in toks:
        if not t:
            continue
        first = t[0]
        if first in "\"“”«»„‚‘'" and len(t) > 2:
            quotes += 1
            kinds.append("q")
            continue
        low = t.lower()
        if t == "-" and kinds and kinds[-1] == "q":
            continue  # „Count Every Vote“-Kundgebungen
        if not first.isalpha():
            return False
        if low in _AND:
            kinds.append("and")
            continue
        if low in _STOP or _is_noun(g, low) or _is_q(g, low):
            return False
        if low in g.verb_table and t is not toks[-1]:
            return False  # a verb word is filler only right before the noun ("200 protest events")
        fillers += 1
        kinds.append("w")
    if fillers > _MAX_FILLERS or quotes > 1:
        return False
    for i, k in enumerate(kinds):
        if k == "and" and (i == 0 or i == len(kinds) - 1 or kinds[i - 1] != "w" or kinds[i + 1] != "w"):
            return False
    return True


# ---------------------------------------------------------------------------------------------------
# Quantities and qualifiers


@dataclass
class _Qty:
    start: int
    end: int
    claims: list[tuple[int, int | None, int | None, str]]  # (value, low, high, qualifier)
    partitive: bool  # may be followed by of/de/di


def _bounds(value: int, qualifier: str) -> tuple[int, int | None, int | None, str]:
    if qualifier == "exactly":
        return value, value, value, "exactly"
    if qualifier in ("over", "at_least", "approx"):
        return value, value, None, qualifier
    if qualifier == "up_to":
        return value, None, value, "up_to"
    if qualifier == "nearly":
        return value, None, value, "about"
    return value, None, None, "about"


_ARTICLES_DEF = frozenset({"i", "los", "las", "les", "die", "os", "as", "le", "gli", "the"})
_QUAL_TOKEN = re.compile(r"[^\W\d_]+(?:['’]|\.(?!\w))?|~")
_QUAL_MAX_WORDS = max(len(p.split()) for p in _QUALIFIERS) + 1


def _qualifier(text: str, start: int, g: _Grammar) -> tuple[str | None, int]:
    """The qualifier right before `start` (its last words, longest phrase first) and where it starts."""
    lo = max(0, start - 40)
    before = text[lo:start]
    if before and not before[-1].isspace() and before[-1] not in "'’~":
        return None, start
    toks = list(_QUAL_TOKEN.finditer(before))[-(_QUAL_MAX_WORDS + _MAX_BRIDGE):]
    # the words between a verb of passing and its number ("supera las", "supera quota", "dépasse
    # désormais les", "knackt die Marke von", "crossed the 10,000 mark"): a verb qualifier only
    nb = 0
    while nb < min(_MAX_BRIDGE, len(toks) - 1) and _norm(toks[-1 - nb].group()) in _BRIDGE:
        nb += 1
    for k in range(len(toks)):
        phrase = _norm(before[toks[k].start():])
        q = _QUALIFIERS.get(phrase) if k < len(toks) - nb or nb == 0 else None
        if q is None:
            for cut in range(len(toks) - nb, len(toks)):
                if k < cut:
                    q = _QUALIFIERS.get(_norm(before[toks[k].start(): toks[cut].start()]))
                    if q is not None:
                        break
            if q not in _VERB_QUALIFIERS:
                q = None
        if q is None:
            continue
        if phrase == "cerca de":
            q = "nearly" if g.lang == "es" else "about"
        return _VERB_QUALIFIERS.get(q, q), lo + toks[k].start()
    return None, start


_VERB_QUALIFIERS = {"over_verb": "over", "nearly_verb": "nearly", "about_verb": "about"}
_BRIDGE = _wordset("the la le les l' el los las lo die der den das a as os o il i gli lo quota mark milestone "
                   "threshold barrier cap barre seuil barrera cifra marca marke schwelle grenze soglia of de des "
                   "von di dei delle da dos das now already ya já già bereits schon déjà désormais ahora "
                   "maintenant jetzt agora ora")
_MAX_BRIDGE = 4


def _read_qty(m: re.Match[str], text: str, g: _Grammar) -> _Qty | None:
    """The claims a quantity match makes (before qualifiers), or None when it is no count."""
    s, e = m.start(), m.end()
    if m.group("between") or m.group("range"):
        a, b = (m.group("b1"), m.group("b2")) if m.group("between") else (m.group("r1"), m.group("r2"))
        va, vb = _num_value(a, g), _num_value(b, g)
        if va is None or vb is None or va >= vb:
            return None
        return _Qty(s, e, [(vb, va, vb, "range")], _partitive_num(b))
    if m.group("fromto"):
        va, vb = _num_value(m.group("f1"), g), _num_value(m.group("f2"), g)
        if va is None or vb is None:
            return None
        before = text[max(0, s - 40): s]
        if m.group("fw").lower() in ("auf", "para") or _GROWTH_RE.search(before):
            return _Qty(s, e, [(va, va, va, "exactly"), (vb, vb, vb, "exactly")], _partitive_num(m.group("f2")))
        if va >= vb:
            return None
        return _Qty(s, e, [(vb, va, vb, "range")], _partitive_num(m.group("f2")))
    if m.group("vmult"):
        f = _norm(m.group("vmf"))
        factor = g.few.get(f) or g.few_factor.get(f) or 3
        v = factor * g.few_base[_norm(m.group("vmb"))]
        return _Qty(s, e, [(v, v, None, "approx")], True)
    if m.group("vplural"):
        w1 = _norm(m.group("vp1"))
        v = 2 * g.plural[w1]
        if m.group("vp2"):
            v *= _PLURAL_SECOND[_norm(m.group("vp2"))]
        elif (w1 in _NEEDS_PARTITIVE or (w1 == "miles" and g.lang is None)) and not _PARTITIVE_NEXT.match(text, e):
            return None
        return _Qty(s, e, [(v, v, None, "approx")], True)
    if m.group("anoun"):
        v, q = g.about_noun[_norm(m.group("an"))]
        return _Qty(s, e, [_bounds(v, q)], True)
    if m.group("half"):  # "Half a million", "a quarter million", "eine halbe Million", "medio millón"
        v = 250_000 if "quarter" in m.group("half").lower() else 500_000
        return _Qty(s, e, [(v, v, v, "exactly")], True)
    if m.group("vague"):
        v = g.few[_norm(m.group("vague"))]
        return _Qty(s, e, [(v, v, None, "approx")], True)
    raw = m.group("num")
    value = _num_value(raw, g)
    if value is None:
        return None
    if m.group("doz"):
        value *= 12  # "two dozen" = 24
    elif raw.isdigit() and value <= 31 and (mm := _MONTH_NEXT.match(text, m.end("num"))) and (
            mm.group(1).lower() not in ("may", "march", "mar") or mm.group(1)[0].isupper()):
        return None  # a day of a month: "on 23 March", "4 de noviembre"
    if raw[:1].isalpha():
        wv = _words_value(raw.strip(), g.langs)
        if wv and wv[1]:
            s += wv[1]
    if len(raw) == 4 and raw.isdigit() and 1800 <= value <= 2199:
        return _Qty(s, e, [(value, value, value, "year")], False)
    post = m.group("post")
    q = "exactly"
    if post:
        q = _POST_QUALIFIERS.get(_norm(post).lstrip("-"), "at_least")
    return _Qty(s, e, [_bounds(value, q)], _partitive_num(raw))


_GROWTH_RE = re.compile(_GROWTH + r"\W+(?:\w+\W+)?\Z", re.IGNORECASE)
_PARTITIVE_NEXT = re.compile(r"[ \t\u00a0]+(?:of|de|d['’]|di)\b", re.IGNORECASE)


def _partitive_num(raw: str) -> bool:
    words = _norm(raw).split()
    return bool(words) and words[-1] in _MILLION_WORDS


def _apply_qualifier(q: _Qty, text: str, g: _Grammar) -> tuple[list[tuple[int, int | None, int | None, str]], int]:
    """The claims with the qualifier before the quantity applied, and where the span starts."""
    qual, qs = _qualifier(text, q.start, g)
    claims = q.claims
    if claims[0][3] == "year":
        if qual is None or qual == "exactly":
            return [], q.start
        claims = [_bounds(claims[0][0], "exactly")]
    if qual is None:
        return claims, q.start
    if len(claims) != 1 or claims[0][3] in ("range", "approx"):
        return claims, qs
    value, _, _, current = claims[0]
    if current not in ("exactly", "about"):
        return claims, qs
    return [_bounds(value, qual)], qs


# ---------------------------------------------------------------------------------------------------
# Extraction

_TOKEN = re.compile(r"\d+|[^\W\d_][\w'’\-]*")
_DIGITS = re.compile(r"(?<!\d)\d")
_PREV_WORD = re.compile(r"[^\W\d_][\w'’\-]*[ \t\u00a0\u202f]+\Z")


def _with_compounds(low: str, heads: list[tuple[int, int, str, bool]], g: _Grammar) -> list[tuple[int, int, str, bool]]:
    """The heads plus the German compounds that end in a compound noun ("Protestkundgebungen",
    "US-Bundesstaaten"), found by substring search (much faster than a regex over every word)."""
    starts = {h[0] for h in heads}
    extra = []
    for suffix in g.compounds:
        i = low.find(suffix)
        while i >= 0:
            e = i + len(suffix)
            if i and (low[i - 1].isalpha() or low[i - 1] == "-") and not (e < len(low) and low[e].isalnum()):
                j = i
                while j and (low[j - 1].isalpha() or (low[j - 1] == "-" and j > 1 and low[j - 2].isalpha())):
                    j -= 1
                word = low[j:e]
                if j not in starts and not word.startswith("gegen") and not _glued_before(low, j):
                    starts.add(j)
                    extra.append((j, e, word, False))
            i = low.find(suffix, e)
    return sorted(heads + extra) if extra else heads


def _glued_before(low: str, s: int) -> bool:
    """Whether a letter, digit or single hyphen ("counter-protesters") is glued before low[s]."""
    if not s:
        return False
    c = low[s - 1]
    return c.isalnum() or c == "_" or (c == "-" and not (s > 1 and low[s - 2] == "-"))


def extract_counts(text: str, lang: str | None = None) -> list[CountClaim]:
    """The count claims in `text` (a headline, lede or body), in text order. See the module docstring."""
    if not text:
        return []
    text = text[:MAX_TEXT]
    code = lang.lower().replace("_", "-").split("-")[0] if lang else None  # "pt-BR" -> "pt"
    g = _grammar(code if code in LANGS else None)
    low = text.lower()
    if len(low) != len(text):  # a character whose lowercase is longer ("İ"): keep the offsets
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # the prefilter: one pass of one regex finds the digits, quantity words and head words
    heads: list[tuple[int, int, str, bool]] = []  # (start, end, head words, is_verb)
    qstarts: list[int] = []
    triggers: list[int] = []
    idioms: list[int] = []
    for m in g.scan.finditer(low):
        w, st = m.group(), m.start()
        if w[0].isdigit():
            if not (st and low[st - 1].isalpha()):
                qstarts.append(st)
            continue
        if _glued_before(low, st) and not (low[st - 1] == "-" and g.compounds and w.endswith(g.compounds)):
            continue
        if " " in w or "\t" in w or "\n" in w or "\u00a0" in w:
            w = _norm(w)
        if w in g.triggers:
            triggers.append(st)
        elif w in _IDIOM_WORDS:
            idioms.append(st)
            continue
        if _is_q(g, w):
            qstarts.append(st)
        elif _is_noun(g, w):
            heads.append((st, m.end(), w, False))
        elif w in g.verb_table:
            heads.append((st, m.end(), w, True))
    if g.compounds and qstarts:
        heads = _with_compounds(low, heads, g)
    if not qstarts:
        return []
    if not (heads or triggers):
        found = _compounds(text, low, g) + _people_at(text, low, qstarts, g, idioms)
        return sorted(found, key=lambda c: c.start) if found else []
    claims: list[CountClaim] = []
    cues = _Cues(text, low, g, {})
    prev_end = 0
    anchors: list[tuple[CountClaim, int]] = []  # claims and where their noun ends
    for h, (start, end, word, is_verb) in enumerate(heads):
        lo = max(prev_end, start - _WINDOW)
        k = bisect_left(qstarts, lo)
        if k < len(qstarts) and qstarts[k] < start:
            nxt = heads[h + 1] if h + 1 < len(heads) else None
            if is_verb and nxt is not None and not nxt[3] and not text[end: nxt[0]].strip():
                continue  # a verb before a table noun is part of a name ("200 protest events")
            k2 = bisect_left(qstarts, start, k)
            found = _claims_for(text, start, end, word, is_verb, lo, qstarts[k:k2], g, cues)
            if found:
                claims.extend(found)
                claims.extend(_shared_unit(text, found[0], end, qstarts, g))
                anchors.append((found[-1], end))
                prev_end = end
                continue
        if is_verb and word not in _VERBS["en"] and g.verb_table[word][1] == _P:
            claims.extend(_subject_after(text, end, qstarts, g))
        elif not is_verb and (k3 := bisect_left(qstarts, end)) < len(qstarts) and qstarts[k3] < end + 60:
            uk = _unit_kind(word, g)
            if uk and uk[1] != _L and (uk[0] not in _CUED_UNITS or cues.near("part", start, end)):
                claims.extend(_after_noun(text, end, uk, qstarts, g))
        prev_end = end
    n_main = len(claims)
    anchored = {a[0].start for a in anchors}
    anchors += [(c, c.start + len(c.span)) for c in claims if c.start not in anchored]
    claims.extend(_people_at(text, low, qstarts, g, idioms))
    if triggers:
        claims.extend(_noun_before(text, triggers, qstarts, g))
        for t in triggers:
            tm = _WORD_AT.match(low, t)
            uk = _COLLECTIVE.get(tm.group()) if tm else None
            if uk and tm:
                claims.extend(_after_noun(text, tm.end(), uk, qstarts, g))
    claims.extend(_compounds(text, low, g))
    anchors += [(c, c.start + len(c.span)) for c in claims[n_main:]]
    # numbers that continue a claim's unit, each up to the next claim ("The march drew 5,000, organizers said,
    # up from 3,000 last year"; "80 groups plan 12 rallies, compared with 5": rallies)
    anchors.sort(key=lambda a: a[0].start)
    for i, (c, end) in enumerate(anchors):
        limit = anchors[i + 1][0].start if i + 1 < len(anchors) else len(text)
        claims.extend(_continuation(text, c, end, qstarts, g, limit))
    seen: set[int] = set()
    out = []
    for c in sorted(claims, key=lambda c: c.start):
        if c.start not in seen:
            seen.add(c.start)
            out.append(c)
    return out


_ELLIPSIS = re.compile(r"\s*(?:,|;|\band\b|\by\b|\bet\b|\bund\b|\be\b)\s*(?:(?:and|y|et|und|e)\s+)?", re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+(?:in|at|en|à|au|aux|em|no|na|nel|nella|a|im|bei)\s+[A-ZÀ-Þ]")
_UP_FROM = re.compile(r"\s*[,(]?\s*(?:up|down)\s+from\s+|\s*[,(]?\s*(?:frente\s+a|contre|gegenüber|contra|rispetto\s+a)"
                      r"\s+(?:l[oa]s\s+|les\s+|os\s+|as\s+|le\s+)?", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"(?<!\w)(?:from|de|desde|von|da)\s+\Z", re.IGNORECASE)
_TO_AFTER = re.compile(r"\s+(?:to|a|à|hasta|auf|bis|até|para)\s+", re.IGNORECASE)
_OF_THE = re.compile(r"(?<!\w)(?:of\s+the|de\s+l[oa]s|des|der|dos|das|dei|degli|delle)\s+\Z", re.IGNORECASE)


def _claim_at(text: str, pos: int, hi: int, unit: str, kind: str, qstarts: list[int], g: _Grammar,
              bare: bool = False) -> CountClaim | None:
    """The claim of the quantity (with its qualifier) starting at `pos`, counted as `unit`/`kind`."""
    k = bisect_left(qstarts, pos)
    k2 = bisect_left(qstarts, min(hi, pos + 40), k)  # only the first quantity, within 30 characters, is read
    if k >= k2:
        return None
    for m in _quantities(text, pos, hi, qstarts[k:k2], g):
        if m.start() - pos > 30:
            return None
        q = _read_qty(m, text, g)
        if q is None or len(q.claims) != 1:
            return None
        values, span_start = _apply_qualifier(q, text, g)
        if not values or (span_start > pos and text[pos:span_start].strip()):
            return None
        if bare and text[m.end(): m.end() + 1].isalpha():
            return None
        value, low, high, qual = values[0]
        return CountClaim(value, low, high, qual, unit, kind, text[span_start: q.end].rstrip(), span_start)
    return None


def _shared_unit(text: str, c: CountClaim, end: int, qstarts: list[int], g: _Grammar) -> list[CountClaim]:
    """Numbers that share a claim's noun: "3 rallies in Ohio, 4 in Michigan", "48,213 signatures, up from
    12,000", "Nine of the 12 partners"."""
    out = []
    a, b = _sentence(text, c.start, end)
    m = _OF_THE.search(text, max(a, c.start - 12), c.start)
    if m:
        for q in reversed(_quantities(text, max(a, m.start() - 40), m.start(), [p for p in qstarts
                                                                                 if a <= p < m.start()], g)):
            if not text[q.end(): m.start()].strip():
                qq = _read_qty(q, text, g)
                if qq and len(qq.claims) == 1 and qq.claims[0][3] != "year":
                    v, lo_, hi_, ql = _bounds(qq.claims[0][0], qq.claims[0][3])
                    out.append(CountClaim(v, lo_, hi_, ql, c.unit, c.kind, text[q.start(): q.end()], q.start()))
            break
    if _FROM_BEFORE.search(text, max(0, c.start - 12), c.start) and (tm := _TO_AFTER.match(text, end, b)):
        found = _claim_at(text, tm.end(), b, c.unit, c.kind, qstarts, g, bare=True)
        if found and found.qualifier == "exactly" and _bare_after(text, found.start + len(found.span), g):
            # "grew from 12 partners to 85": two counts
            out.append(found)
    um = _UP_FROM.match(text, end)
    if um:
        found = _claim_at(text, um.end(), b, c.unit, c.kind, qstarts, g, bare=True)
        if found:
            out.append(found)
    pos = end
    while pos < b:
        m = _ELLIPSIS.search(text, pos, b)
        if not m:
            break
        pos = m.end() if m.end() > pos else pos + 1
        k = bisect_left(qstarts, m.end())
        if k >= len(qstarts) or qstarts[k] > m.end() + 20:
            continue
        found = _claim_at(text, m.end(), b, c.unit, c.kind, qstarts, g, bare=True)
        if not (found and _IN_PLACE.match(text, found.start + len(found.span))):
            break  # the list of places ends at the first number that is not "N in <Place>"
        out.append(found)
        pos = found.start + len(found.span)
    return out


_BEFORE_PEOPLE = re.compile(
    r"(?<!\w)(?:(?:strike|walkout|sit-in|picket|occupation|blockade|march|vigil|rally|protest|demonstration)\s+by\s+"
    r"|(?:crowds?|march|vigil|rally|protest|demonstration|gathering|turnout|multitud|manifestación|"
    r"concentración|marcha|foule|manifestation|rassemblement|marche|menschenmenge|kundgebung|demonstration|demo|"
    r"multidão|manifestação|passeata|folla|corteo|manifestazione)\s+(?:of|de|d['’]|von|di|da)\s+"
    r"|(?:crowds?|turnout|multitud|foule|menschenmenge|multidão|folla)\s+(?:was\s+|were\s+)?(?:estimated\s+)?"
    r"(?:at|en|à|auf|em|in)\s+|(?:estimated|put|estim[óo]|estimé|schätzte|estimou|stimato)\s+(?:the|la|die|a)\s+"
    r"(?:crowd|multitud|foule|menschenmenge|multidão|folla)\s+(?:at|en|à|auf|em|in)\s+"
    r"|(?:draws?|drew|drawn|drawing|attracts?|attracted|brought\s+out|brings\s+out|reúne|reuniu|reunió|réunit|"
    r"rassemble|congrega|congregó|versammelt|versammelte|riunisce|raduna)\s+)",
    re.IGNORECASE)
# the words the two patterns above start with (found by the scan)
_TRIGGERS = _wordset(
    "strike walkout sit-in picket occupation blockade "
    "crowd crowds march vigil rally protest demonstration gathering turnout multitud manifestación concentración "
    "marcha foule manifestation rassemblement marche menschenmenge kundgebung demo multidão manifestação passeata "
    "folla "
    "corteo manifestazione estimated put estimó estimo estimé schätzte estimou stimato draws draw drew drawn "
    "drawing attracts attract attracted brought brings reúne reuniu reunió réunit rassemble congrega congregó "
    "versammelt versammelte riunisce raduna signed signée signé signés signées firmado firmada "
    "firmados firmadas unterzeichnet unterschrieben assinado assinada assinados assinadas firmato firmata")
_SIGNED_BY = re.compile(r"(?<!\w)(?:signed|signée?s?|firmad[oa]s?|unterzeichnet|unterschrieben|assinad[oa]s?|"
                        r"firmat[oa])\s+(?:by|por|par|von|da)\s+", re.IGNORECASE)
_DRAW = ("draw", "drew", "attract", "brought", "bring", "reún", "reun", "réun", "rassembl", "congreg", "versammel",
         "riunisc", "radun")
_PETITION = re.compile(
    r"\b(?:petition|pledge|letter|appeal|declaration|statement|manifesto|pétition|lettre|tribune|appel|petición|"
    r"carta|manifiesto|declaración|brief|aufruf|erklärung|petição|abaixo-assinado|petizione|lettera|appello)",
    re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w'’]*)?")


def _noun_next(text: str, pos: int, g: _Grammar, strict: bool) -> bool:
    """Whether a noun follows a quantity: a table noun (then the main pass reads the claim) or a
    partitive; with `strict` (after draw/attract: "drew thousands of comments", "attract millions of
    users") any word but a function word or a verb."""
    m = _NEXT_WORD.match(text, pos)
    word = m.group(1) if m else None
    if word is None:
        return False
    low = word.lower()
    if low in _PARTITIVES or _is_noun(g, low) or low in _NOT_PARTICIPANTS or low in _MEASURES:
        return True  # a noun the main pass reads, or a measure ("a strike by 3 percent"): no people here
    return strict and not (low in _STOP or low in _AND or low in _AUX or low in _PLACE_PREPS or low in g.verb_table)


_PLACE_PREPS = frozenset({"à", "au", "aux", "em", "no", "na", "nel", "nella", "a", "en", "in", "im", "bei", "across",
                          "around", "outside", "dans", "nas", "nos"})


def _noun_before(text: str, triggers: list[int], qstarts: list[int], g: _Grammar) -> list[CountClaim]:
    """Quantities after their noun: "a crowd of 3,000", "estimated the crowd at 8,000", "rallies draw a few
    hundred in Atlanta" (people), "signed by 85,000 voters" (signatures); tried at the trigger words."""
    out = []
    for rx, unit, kind in ((_BEFORE_PEOPLE, "people", _P), (_SIGNED_BY, "signatures", _S)):
        for t in triggers:
            m = rx.match(text, t)
            if not m:
                continue
            c = _claim_at(text, m.end(), min(len(text), m.end() + 60), unit, kind, qstarts, g)
            if c is None:
                continue
            rest = c.start + len(c.span)
            if kind == _P and _noun_next(text, rest, g, m.group().lower().startswith(_DRAW)):
                continue  # a table noun follows: the main pass reads it
            if kind == _S and not _PETITION.search(text, *_sentence(text, c.start, rest)):
                continue  # articles signed by their authors are no signatures
            if _PRE_GUARD.search(text, max(0, c.start - 16), c.start):
                continue
            out.append(c)
    return out


# Numbers of people that are no turnout: a union's members ("a union with 40,000 members", "che conta 5
# milioni di iscritti"), whom an organisation represents ("represents 18,000 grocery workers"), a place's
# residents ("the town of 8,000 residents"), people surveyed, and the threshold of a rule ("Bei
# Veranstaltungen mit mehr als 20 Teilnehmern gilt die 2G-Regel").
_ORG_WORDS = (r"union|syndicat|sindicat|gewerkschaft|organi[sz]ation|organizaci[oó]n|organização|organizzazione|"
              r"group|grupo|groupe|gruppe|gruppo|association|asociaci[oó]n|associação|associazione|verband|verein|"
              r"party|partido|parti|partei|partito|club|federation|federación|fédération|federação|federazione")
_QUAL_WORDS = (r"(?:with|of|that|which|who|has|have|had|boasts|claims|counts|totals|now|some|about|around|more|than|"
               r"over|nearly|almost|roughly|que|qui|che|die|der|mit|con|com|avec|de|di|von|cuenta|compte|conta|zählt|"
               r"hat|tiene|tem|ha|revendique|revendiquant|rassemble|agrupa|riunisce|plus|más|mais|oltre|più|rund|"
               r"etwa|über|mehr|als|circa|cerca|environ|près|quasi|quase|casi|fast|knapp|ya|déjà|bereits|già|já)")
_ORG_HAS = re.compile(r"(?<!\w)(?:" + _ORG_WORDS + r")\w*['’]?s?[\s,]+(?:" + _QUAL_WORDS + r"[\s,]+){1,5}\Z",
                      re.IGNORECASE)
_MEMBER_VERB = re.compile(
    r"(?<!\w)(?:boasts?|claims?|counts?|totals?|revendique\w*|compte\w*|conta(?:va|no)?|cuenta\s+con|contaba\s+con|"
    r"agrupa|zählt|zählte|has|have|had|hat|tiene|tem|ha)[\s,]+(?:" + _QUAL_WORDS + r"[\s,]+){0,3}\Z", re.IGNORECASE)
_MEMBER_UNITS = frozenset({"members"})
_REPRESENT = re.compile(r"(?<!\w)(?:represent(?:s|ed|ing)?|représent\w*|representa\w*|rappresent\w*|vertritt|"
                        r"vertreten\w*|organi[sz]es)[\s,]+(?:" + _QUAL_WORDS + r"[\s,]+){0,3}\Z", re.IGNORECASE)
_PLACE_OF = re.compile(
    r"(?<!\w)(?:(?:town|city|village|community|county|country|nation|island|suburb|pueblo|ciudad|localidad|"
    r"municipio|ville|commune|bourg|stadt|gemeinde|dorf|cidade|município|vila|città|comune|paese|borgo)\w*"
    r"\s+(?:of|de|d['’]|von|mit|di|com|con|with)|population\s+of|población\s+de|home\s+to|hogar\s+de)"
    r"\s+(?:" + _QUAL_WORDS + r"\s+){0,3}\Z", re.IGNORECASE)
_CLASS_OF = re.compile(
    r"(?<!\w)(?:gatherings|events|rallies|meetings|protests|demonstrations|assemblies|veranstaltungen|"
    r"versammlungen|kundgebungen|treffen|eventos|reuniones|concentraciones|manifestaciones|rassemblements|"
    r"événements|réunions|manifestations|reuniões|manifestações|eventi|riunioni|manifestazioni|assembramenti)"
    r"\s+(?:with|of|mit|von|de|d['’]|con|com|avec|di|da)\s+(?:[^\W\d_]+\s+){0,3}\Z", re.IGNORECASE)
_RULE_WORD = re.compile(
    r"(?<!\w)(?:gilt|gelten|galt|apply|applies|applied|rules?|regel\w*|regla\w*|règle\w*|regra\w*|regol\w*|"
    r"must|permits?|genehmigung\w*|need\s+a|require[sd]?|allowed|banned|prohibit\w*|interdit\w*|verboten|"
    r"obligatoire|obligatori\w*|obbligatori\w*|obrigatóri\w*|müssen|doivent|devem|devono|deben|mandatory|"
    r"pflicht\w*|autorisation|autorización|autorização|autorizzazione)(?!\w)", re.IGNORECASE)
_SURVEYED_AFTER = re.compile(
    r"[ \t]*(?:[\w'’-]+[ \t]+){0,2}?(?:surveyed|polled|interviewed|questioned|sampled|encuestad\w*|"
    r"entrevistad\w*|consultad\w*|sondé\w*|interrogé\w*|befragt\w*|intervistat\w*|sondat\w*)(?!\w)",
    re.IGNORECASE)
_SURVEY_OF = re.compile(
    r"(?<!\w)(?:survey|poll|study|sondeo|encuesta|estudio|sondage|enquête|étude|umfrage|befragung|studie|"
    r"pesquisa|sondagem|estudo|sondaggio|indagine|studio)\w*\s+(?:(?:of|among|with|de|entre|auprès|unter|com|"
    r"con|su|tra|von|a|des|bei)\s+)+(?:[^\W\d_]+\s+){0,2}\Z", re.IGNORECASE)
_FROM_LIST = re.compile(r"(?<!\w)(?:from|aus)\s+(?:[^\s.;:]+\s+){1,4}(?:and|or|und|oder)\s+\Z|"
                        r"(?<!\w)(?:from|aus)\s+(?:[^\s.;:]+\s+){0,3}[^\s.;:]+,\s+\Z", re.IGNORECASE)


def _not_turnout(text: str, start: int, end: int, unit: str) -> bool:
    """Whether people counted at text[start:end] are no turnout (see the patterns above)."""
    lo = max(0, start - 70)
    if _REPRESENT.search(text, lo, start) or _PLACE_OF.search(text, lo, start):
        return True
    if unit in _MEMBER_UNITS and (_ORG_HAS.search(text, lo, start) or _MEMBER_VERB.search(text, lo, start)):
        return True
    if _CLASS_OF.search(text, max(0, start - 50), start):
        a, b = _sentence(text, start, end)
        return _RULE_WORD.search(text, a, b) is not None
    return False


_CLOSED_AFTER = re.compile(
    r"\s*(?:[\w'’-]+\s+){0,2}?(?:closed|shut|cancel(?:l)?ed|cerraron|cerrad|suspend|fermé|ferment|fermeront|"
    r"geschlossen|schlossen|fecharam|fechad|chius)", re.IGNORECASE)
_BANNED_AFTER = re.compile(
    r"\s*(?:[\w'’*-]+\s+){0,3}?(?:banned|prohibited|forbidden|outlawed|not\s+allowed|not\s+permitted|prohibid|"
    r"interdit|défendu|verboten|untersagt|nicht\s+erlaubt|nicht\s+zulässig|proibid|vietat|non\s+consentit)",
    re.IGNORECASE)
_ALLOWED_AFTER = re.compile(
    r"\s*(?:[\w'’*-]+\s+){0,2}?(?:may|can|are\s+allowed|allowed|permitted|pueden|podrán|podían|se\s+permit|"
    r"permitid|peuvent|pourront|pouvaient|autoris|dürfen|durften|können|erlaubt|zugelassen|podem|poderão|"
    r"possono|potranno|potevano|consentit|ammess)(?!\w)",
    re.IGNORECASE)
_CLAUSE_SIGNED = re.compile(r"(?<!\w)(?:unterschrieben|unterzeichnet|signed(?![ \t]+up)|firmado|firmaron|signé|"
                            r"assinaram|assinado|firmato)(?!\w)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\n«»\"“”]")


def _subject_after(text: str, end: int, qstarts: list[int], g: _Grammar) -> list[CountClaim]:
    """A subject after its participation verb, in the languages that put it there: "demonstrierten am
    Montag etwa 500 Mitarbeiter", "marcharon unos 300 estudiantes" (participants, the noun as unit)."""
    k = bisect_left(qstarts, end)
    if k >= len(qstarts) or qstarts[k] > end + 40:
        return []
    stop = _CLAUSE_BREAK.search(text, end, qstarts[k])
    if stop or len(text[end: qstarts[k]].split()) > 4:
        return []
    c = _claim_at(text, qstarts[k], min(len(text), qstarts[k] + 60), "people", _P, qstarts, g)
    if c is None:
        k0 = bisect_left(qstarts, end)
        pw = _PREV_WORD.search(text, max(end, qstarts[k0] - 24), qstarts[k0])  # "etwa 500", "unos 300"
        c = _claim_at(text, pw.start(), min(len(text), qstarts[k0] + 60), "people", _P, qstarts, g) if pw else None
    if c is None or _PRE_GUARD.search(text, max(0, c.start - 16), c.start):
        return []
    m = _NEXT_WORD.match(text, c.start + len(c.span))
    noun = m.group(1) if m else None
    if not noun:
        return []
    low = noun.lower()
    if low in _STOP or low in _NOT_PARTICIPANTS or low.startswith(_COUNTER) or _is_q(g, low) or \
            (_is_noun(g, low) and g.noun_table.get(low, ("", _P))[1] != _P):
        return []
    if _is_noun(g, low):
        unit = _unit_kind(low, g) or ("people", _P)
        return [CountClaim(c.value, c.low, c.high, c.qualifier, unit[0], _P, c.span, c.start)]
    if c.value < 10 and c.qualifier != "approx":
        return []
    return [CountClaim(c.value, c.low, c.high, c.qualifier, low, _P, c.span, c.start)]


def _quantities(text: str, lo: int, hi: int, qs: list[int], g: _Grammar) -> list[re.Match[str]]:
    """The quantity matches before `hi`, tried at each quantity word and the word before it (for
    "between", "from", "a", "des", "une"...), left to right, not overlapping."""
    starts: list[int] = []
    for q in qs:
        pw = _PREV_WORD.search(text, max(lo, q - 24), q)
        if pw and (not starts or pw.start() > starts[-1]):
            starts.append(pw.start())
        if not starts or q > starts[-1]:
            starts.append(q)
    out = []
    pos = lo
    for st in starts:
        if st < pos:
            continue
        m = g.qty.match(text, st, hi)
        if m:
            out.append(m)
            pos = m.end()
    return out


def _unit_kind(word: str, g: _Grammar) -> tuple[str, str] | None:
    w = _norm(word)
    if w in g.noun_table:
        return g.noun_table[w]
    for suffix in _DE_COMPOUNDS:  # a German compound
        if w.endswith(suffix) and suffix in g.noun_table:
            return g.noun_table[suffix]
    return None


_COUNTER = ("counter", "contre", "contra", "gegen")
_SIGNERS = _wordset("people persons voters americans residents citizens users readers supporters members "
                    "personas ciudadanos votantes personnes citoyens électeurs menschen bürger wähler pessoas "
                    "cidadãos eleitores persone cittadini elettori")
# need a sign of taking part: people, members, and the people named by who they are (workers, students...)
# places that name the activity themselves: Italian "piazze" are where people gather ("200 piazze per il clima")
_SELF_CUED = frozenset({"piazze"})
_CUED_UNITS = frozenset({"people", "members", "supporters", "meetings", "workers", "nurses", "teachers",
                         "educators", "doctors", "students", "residents", "citizens", "parents", "women",
                         "youths", "farmers", "retirees", "veterans", "employees", "staffers", "neighbors",
                         "mourners", "families", "tenants", "drivers", "miners", "pilots", "lawyers",
                         "scientists", "dockworkers", "seniors"})
_FROM = re.compile(r"(?<!\w)(?:from|aus)\s+\Z", re.IGNORECASE)
_OF_FROM = re.compile(r"([^\W\d_][\w'’-]*)\s+(?:de|di|da|des|dos|das|del|dei|degli|delle|aus|from|of)\s+\Z",
                      re.IGNORECASE)


def _people_from(text: str, pos: int, g: _Grammar) -> bool:
    """Whether a places claim at `pos` follows "<participants noun> de/di/aus/from" (where they come from)."""
    m = _OF_FROM.search(text, max(0, pos - 40), pos)
    if not m:
        return False
    uk = _unit_kind(m.group(1), g)
    return uk is not None and uk[1] == _P
# an estimate with its noun after its number: "cifró en 2.000 los asistentes", "a chiffré à 1 200 le nombre de
# manifestants", "estimou em 5 mil os manifestantes", "ha stimato in 3.000 i partecipanti", "put at 5,000 the"
_ESTIMATE = re.compile(r"(?<!\w)(?:cifr|calcul|estim|évalu|evalu|chiffr|stim|schätz|bezifferte?|put|placed)\w*"
                       r"(?:\s+(?:la|el|le|a|o|il|die|the)\s+(?:asistencia|participación|affluence|participation|"
                       r"participação|partecipazione|beteiligung|turnout|attendance))?"
                       r"\s+(?:en|à|a|em|in|auf|at)\s+\Z", re.IGNORECASE)
_NUMBER_OF = re.compile(r"\s+(?:the\s+number\s+of|el\s+número\s+de|le\s+nombre\s+(?:de|d['’])|"
                        r"o\s+número\s+de|il\s+numero\s+(?:di|dei|degli|delle)|die\s+zahl\s+der)\s*", re.IGNORECASE)
_COPULA = re.compile(r"(?<!\w)(?:sono|son|sont|são|sind|are|were|eran|étaient|erano|waren|eram|fueron|furono|foram|"
                     r"serán|seront|saranno|serão)\s+\Z", re.IGNORECASE)
_GROUPS_OF = re.compile(r"\s+(?:of|de|d['’]|von|di)\s", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
_PART_CUE = re.compile(  # on the lowercased text
    r"\b(?:gather|rall(?:y|ied|ies)|march(?!é|\s*\d)|protest|demonstr|attend|join(?:s|ed|ing)?\b|"
    r"turn(?:ed|s)?\s+out|turnout|show(?:ed|s)?\s+up|took\s+part|take\s+part|participa(?!nt)|chant|"
    r"hold(?:ing)?\s+(?:signs|candles|banners|placards)|held\s+(?:signs|candles|banners|placards)|vigil(?!an)|"
    r"crowds?\b|crowded|converg|descend(?:ed|s|ing)?\b|assembl(?:ed|e|es|ing)\b|mobili[sz]|volunteer|rsvp|"
    r"sign(?:ed)?\s+up|walk(?:ed)?\s+out|(?<!air\s)strike|picket|occup(?:y|ied|ying)\b|surround|"
    r"in\s+attendance|the\s+streets|events?\b|sit-in|manifest|concentr(?:aron|aban|ación|aciones|ó|ad[oa]s|am|"
    r"aram|ação|ações)\b|reun(?:ieron|ió|idos?|idas?|iram|iu)\b|reúnen\b|reúnem\b|congreg(?:aron|ó|am|aram)\b|"
    r"asist|acud|(?:a|en)\s+la\s+calle|las\s+calles|multitud|huelga|rassembl|défil|réclam|"
    r"scand(?:ent|aient|é|ant)\b|brandiss|cortège|foule|grève|dans\s+la\s+rue|versammel|kundgeb|mahnwach|"
    r"straßen?\b|menschenmenge|streik|teilnehm(?!er)|beteilig|compareceram|(?:às|nas)\s+ruas|multidão|greve|"
    r"radun|sfil|piazza|corteo|folla|sciopero|partecip(?!ant)|presidio?\b|marci|réun|human\s+chain|"
    r"chaîne\s+humaine|menschenkette|cordão\s+humano|catena\s+umana|cadena\s+humana|demos?\b|zog(?:en)?\b|"
    r"atos?\b|actos?\b|aktion(?:en|stag)?\b|organi[sz]ers?\b|organizador|organisat(?:eur|rice)|veranstalter|"
    r"organizzator|off\s+the\s+job|(?<!air\s)strik(?:ers?|ing)\b|picket|piquet|picchett|ocup|occup|débray|"
    r"bloqu|blocc|besetzt(?:en)?\b|besetzung|scioper|paralis|struck\b|pararon\b|paran\b|pararam\b|"
    r"fecharam\s+(?:a|o|as|os)\b|cortaron\b|cortaram\b|grevist|huelguist|warnstreik|secund|"
    r"teach-ins?\b|sit-ins?\b|walkouts?\b|walk-outs?\b|folgten\s+dem\s+aufruf|arbeit\s+nieder|niedergelegt|"
    r"(?:answered|heeded)\s+the\s+call|"
    r"lin(?:ed|ing)\s+(?:the|up|both)\b|fill(?:ed|ing)\s+the\b|pack(?:ed|ing)\s+the\b|flood(?:ed|ing)\s+the\b|"
    r"pour(?:ed|ing)\s+(?:into|onto|out|through)\b|throng|jamm(?:ed|ing)\s+the\b|swarm(?:ed|ing)\b|"
    r"stream(?:ed|ing)\s+(?:into|through|past)\b|camp(?:ed|ing)\s+(?:out|outside|in\s+front)\b|acamp|campent|"
    r"campeggi|zelt|in\s+(?:den|einen)\s+(?:[\w-]+\s+)?\w*streik|"
    r"respondieron\s+al\s+llamado|ont\s+répondu\s+à\s+l['’]appel|atenderam\s+ao\s+chamado|"
    r"hanno\s+risposto\s+all['’]appello)")


# people named by who they are ("45 teachers", "300 workers") need a verb or noun of taking part itself:
# a mention of an event ("acto", "events") or of organisers is not enough
_ROLE_CUE = re.compile(
    _PART_CUE.pattern.replace(r"demos?\b|zog(?:en)?\b|", "").replace(r"join(?:s|ed|ing)?\b|", "")
    .replace(r"atos?\b|actos?\b|aktion(?:en|stag)?\b|organi[sz]ers?\b|organizador|"
             r"organisat(?:eur|rice)|veranstalter|organizzator|", "")
    .replace(r"events?\b|", ""))
_ROLE_UNITS = _CUED_UNITS - {"people", "members", "supporters", "meetings"}


def _sentence(text: str, s: int, e: int) -> tuple[int, int]:
    """The bounds of the sentence around text[s:e] (at most 300 characters each side)."""
    lo = max(0, s - 300)
    a = lo
    for m in _SENTENCE_END.finditer(text, lo, s):
        a = m.end()
    m2 = _SENTENCE_END.search(text, e, min(len(text), e + 300))
    return a, (m2.start() if m2 else min(len(text), e + 300))


@dataclass
class _Cues:
    """Where the signs of activity are in a text's sentences, found once per sentence when first asked."""

    text: str
    low: str
    g: _Grammar
    found: dict[tuple[str, int], list[int]]  # (which, sentence start) -> the signs' offsets in it

    def near(self, which: str, s: int, e: int) -> bool:
        """Whether a sign ("part": of taking part; "event": of events) is in the sentence of text[s:e]."""
        a, b = _sentence(self.text, s, e)
        pos = self.found.get((which, a))
        if pos is None:
            rx = _PART_CUE if which == "part" else _ROLE_CUE if which == "role" else self.g.event_cue
            pos = self.found[(which, a)] = [m.start() for m in rx.finditer(self.low, a, b)]
        return any(p < s or p >= e for p in pos)

    def role_after(self, end: int) -> bool:
        """Whether a sign of taking part follows a noun of who people are, in its sentence and within 80
        characters ("300 teachers walked out", "800 students occupied the faculty")."""
        _, b = _sentence(self.text, end, end)
        return _ROLE_CUE.search(self.low, end, min(b, end + 80)) is not None


def _verb_gap(gap: str, g: _Grammar, partitive: bool) -> str | None:
    """Who a verb's quantity counts ("200 bikers protest" -> "bikers"; "" for "Hundreds rally"), or None
    when the gap is more than up to two such words and auxiliaries."""
    if "\n" in gap:
        return None
    toks = [t for t in _GAP_TOKEN.findall(gap) if not t.isspace()]
    if partitive and toks and toks[0].lower() in _PARTITIVES:
        toks = toks[1:]
    elif partitive and toks and toks[0].lower()[:2] in ("d'", "d’") and len(toks[0]) > 2:
        toks[0] = toks[0][2:]
    while toks and toks[-1].lower() in _AUX:
        toks.pop()
    if len(toks) > 2:
        return None
    for t in toks:
        low = t.lower()
        if not t[0].isalpha() or low in _NOT_PARTICIPANTS or low.startswith(_COUNTER) or _is_q(g, low) or \
                _is_noun(g, low) or \
                (low in _STOP and low not in ("them", "ellos", "eux", "sie", "eles", "loro")):
            return None
    return toks[-1].lower() if toks else ""


def _claims_for(text: str, start: int, end: int, word: str, is_verb: bool, lo: int, qs: list[int],
                g: _Grammar, cues: _Cues) -> list[CountClaim]:
    found = None
    who: str | None = None
    for m in reversed(_quantities(text, lo, start, qs, g)):
        q = _read_qty(m, text, g)
        gap = text[m.end(): start]
        if q is None:
            return []
        if is_verb:
            who = _verb_gap(gap, g, q.partitive)
            if who is None:
                return []
        elif not _gap_ok(gap, g, q.partitive, _COPULA.search(text, max(0, m.start() - 12), m.start()) is not None
                         or _ESTIMATE.search(text, max(0, m.start() - 40), m.start()) is not None):
            return []
        found = q
        break
    if found is None:
        return []
    if is_verb and (_ANOTHER.search(text, max(0, found.start - 14), found.start)
                    or _MORE_AFTER.match(text, found.end)):
        return []  # "another 25 joined", "12 more marched": the previous claim's unit (`_continuation`)
    if is_verb:
        unit, kind = g.verb_table[word]
        if kind == _S and _SIGNED_UP.match(text, end):
            kind = _P  # "200 signed up": sign-ups to take part
        if who:
            # a few named people who act are individuals, not a turnout ("the two leaders signed")
            if (kind == _S and who not in _SIGNERS) or (found.claims[0][0] < 10 and found.claims[0][3] != "approx"):
                return []
            if kind == _P:
                unit = "people" if who in _STOP else who  # "hundreds of them"
    else:
        uk = _unit_kind(word, g)
        if uk is None:
            return []
        unit, kind = uk
    after = text[end: end + 60]
    if kind == _P and not is_verb:
        if _POST_NEVER.match(after):
            return []
        if _POST_SIGNED.match(after):
            kind = _S
        elif unit in _SIGNERS and (cm := _CLAUSE_SIGNED.search(text, end, min(len(text), end + 80))) and \
                not _CLAUSE_BREAK.search(text, end, cm.start()) and \
                _PETITION.search(text, *_sentence(text, found.start, end)):
            kind = _S  # "Fast 90.000 Menschen haben die Online-Petition bereits unterschrieben"
    if not is_verb and kind != _S and unit in _CUED_UNITS and not cues.near("part", found.start, end):
        return []  # "people", "members", "meetings" only with a sign of taking part in the sentence
    if not is_verb and kind != _S and unit in _ROLE_UNITS and not cues.role_after(end) and not (
            _EVENT_OF.search(text, max(0, found.start - 40), found.start)
            or (_INVOLVE.search(text, max(0, found.start - 40), found.start) and cues.near("event", found.start, end))):
        return []  # "45 teachers" at a ceremony, "20 million residents of Delhi": no turnout
    if kind == _O and unit == "groups" and _GROUPS_OF.match(text, end):
        return []  # "two groups of immune cells": groupings, not organizations
    values, span_start = _apply_qualifier(found, text, g)
    if not values:
        return []
    if kind == _P and _not_turnout(text, span_start, end, unit):
        return []  # members a union has or represents, people surveyed, a town's residents, a rule's threshold
    if kind != _S and (_SURVEYED_AFTER.match(text, end, end + 40)
                       or _SURVEY_OF.search(text, max(0, span_start - 50), span_start)):
        return []  # "the 2,000 people surveyed", "un sondeo de 1.500 personas"
    if kind == _L and _FROM_LIST.search(text, max(0, span_start - 60), span_start):
        return []  # "came from 12 countries and at least 40 cities": where people come from
    if kind == _L and _CLOSED_AFTER.match(text, end, end + 40):
        return []  # "300 school districts closed": places that closed, no activity there
    if kind == _L and _people_from(text, span_start, g):
        return []  # "Trabajadores de 15 estados", "marchers from 30 states": where people come from
    if kind == _L and (_FROM.search(text, max(0, span_start - 8), span_start)
                       or (not cues.near("event", found.start, end) and word not in _SELF_CUED)):
        return []  # places where activity happens, not where people come from
    if _PRE_GUARD.search(text, max(0, span_start - 16), span_start) or \
            _PRE_GUARD.search(text, max(0, found.start - 16), found.start):
        return []  # a guard word right before the number wins over a qualifier reading ("Top 10 protests")
    if _PRE_NEVER.search(text, max(0, span_start - 50), span_start):
        return []
    if kind in (_P, _E) and (_BANNED_AFTER.match(text, end, end + 60) or (
            values[0][3] == "up_to" and _ALLOWED_AFTER.match(text, end, end + 60))):
        return []  # a rule: "gatherings of more than 100 people are banned", "no more than 10 people may gather"
    out = []
    if len(values) == 2:  # from X to Y: two exact counts, each spanning its own number
        nums = list(g.num.finditer(text, found.start, found.end))
        nums = [n for n in nums if _num_value(n.group(0), g) is not None][-2:]
        for (value, low, high, qual), n in zip(values, nums, strict=False):
            out.append(CountClaim(value, low, high, qual, unit, kind, n.group(0), n.start()))
        return out
    value, low, high, qual = values[0]
    span = text[span_start: found.end].rstrip()
    return [CountClaim(value, low, high, qual, unit, kind, span, span_start)]


_FIFTY_STATE = re.compile(r"(?<![\w.,\-])(\d{1,2}|[a-z]+(?:-[a-z]+)?)-state(?![\w\-])", re.IGNORECASE)


def _compounds(text: str, low: str, g: _Grammar) -> list[CountClaim]:
    """The claims of numbers joined to a noun by a hyphen ("50-state", "5,000-strong", "2,000-person")."""
    out = []
    if "-state" in low:
        out.extend(_fifty_state(text))
    if _HYPHEN_RX.search(low):
        out.extend(_strong(text, g))
    return out


def _fifty_state(text: str) -> list[CountClaim]:
    out = []
    for m in _FIFTY_STATE.finditer(text):
        raw = m.group(1)
        if raw.isdigit():
            value: int | None = int(raw)
        else:
            wv = _words_value(raw.replace("-", " "), ("en",))
            value = wv[0] if wv and wv[1] == 0 else None
        if value and value >= 10:
            out.append(CountClaim(value, value, value, "exactly", "states", _L, raw, m.start(1)))
    return out


_STRONG = re.compile(
    r"(?<![\w.,\-])(\d{1,3}(?:,\d{3})+|\d+|[a-z]+(?:-[a-z]+)?)-(?:(?P<who>strong|person|people|member|man|woman)|"
    r"(?:group|organi[sz]ation|union|partner|member|strong))\s+(?:[^\W\d_]+\s+)?"
    r"(?:(?P<crowd>crowds?|march|rally|protest|demonstration|vigil|gathering|procession|mob|delegation|contingent|"
    r"walkout|strike|picket(?:\s+line)?|sit-in|occupation|caravan|human\s+chain|motorcade|convoy|flotilla)"
    r"|(?P<coalition>coalition|alliance|network|federation))\b", re.IGNORECASE)


_HYPHEN_WORDS = ("-strong", "-person", "-people", "-member", "-group", "-organi", "-union", "-partner", "-man",
                 "-woman")
_HYPHEN_RX = re.compile("|".join(_HYPHEN_WORDS))


def _strong(text: str, g: _Grammar) -> list[CountClaim]:
    """"a 5,000-strong crowd", "a 2,000-person march" (participants), "a 135-strong coalition", "a 12-group
    coalition" (organizations). Read in a window around each hyphen word (a regex over the whole text is slow)."""
    low = text.lower()
    hits = set()
    for w in _HYPHEN_WORDS:
        i = low.find(w)
        while i >= 0:
            if i and low[i - 1].isalnum():
                hits.add(i)
            i = low.find(w, i + 1)
    out = []
    done = -1
    for i in sorted(hits):
        lo = max(0, done, i - 40)
        m = None
        for m0 in _STRONG.finditer(text, lo, min(len(text), i + 90)):
            if m0.start() <= i < m0.end():
                m = m0
                break
        if m is None:
            continue
        done = m.end()
        raw = m.group(1)
        value = _num_value(raw.replace("-", " ") if not raw[0].isdigit() else raw, _grammar("en"))
        if value is None or value < 2:
            continue
        if m.group("crowd") and not m.group("who"):
            continue  # "a 12-group march"
        unit, kind = ("people", _P) if m.group("crowd") else ("organizations", _O)
        out.append(CountClaim(value, value, value, "exactly", unit, kind, raw, m.start(1)))
    return out


# ---------------------------------------------------------------------------------------------------
# Numbers without their noun: after a noun and a verb of growth, and continuing the previous claim

# verbs of growth and of reaching a total ("rose", "doubled", "now counts", "stieg", "è salito"...), as a trie
_GROW_WORDS = [w.replace("_", " ") for w in _wordset(
    "rose risen rises grew grown grows climbed climbs jumped jumps doubled doubles double tripled triples "
    "triple quadrupled swelled swells increased increases surged soared reached reaches hit hits total "
    "totals totaled totalled number numbers numbered stands_at stood_at now_counts counts topped tops "
    "passed passes surpassed exceeded crossed subió sube suben subieron creció crece crecieron aumentó "
    "llegó llega alcanzó alcanza se_duplicó se_triplicó pasó asciende ascendió suma suman supera superó "
    "passé passe atteint s'élève s’élève s'élevait s’élevait grimpé grimpe doublé triplé augmenté monté "
    "dépasse dépassé stieg steigt gestiegen wuchs wächst erreichte erreicht verdoppelte_sich "
    "verdreifachte_sich liegt_bei lag_bei beträgt betrug kletterte übersteigt chegou chega subiu sobe "
    "cresceu aumentou atingiu atinge dobrou triplicou passou soma somam ultrapassou salito sale cresciuto "
    "cresce arrivato arriva raggiunto raggiunge passato raddoppiato raddoppia triplicato ammonta superato "
    "supera passa_de passam_de passa ultrapassa ultrapassam superan sobrepasa rebasa rebasan dépassent "
    "überschreitet knackt knackte oltrepassa superano crosses exceeds surpasses approaches approaching "
    "nears nearing frôle avoisine sfiora roza rozan ronda rondan beira soar soars soared surge surges climb "
    "rise grow reach pass cross swell jump top near exceed surpass balloon balloons ballooned")]
_GROW_VERBS = _trie(_GROW_WORDS)
# a copula after a noun ("I manifestanti erano circa 5.000", "protesters were about 2,000")
_COPULA_WORDS = ["were", "erano", "eran", "étaient", "waren", "eram", "fueron", "furono", "foram", "sono stati",
                 "sono state", "ont été", "were about", "numbered"]
_AFTER_NOUN = re.compile(
    r"(?:\s+(?:now|already|ya|já|già|bereits|désormais|ahora|jetzt|agora|ora|has|have|had|ha|han|a|ont|est|sont|"
    r"hat|haben|ist|sind|é|è|sono|foi|se|si|è|è\s+stato|has\s+now|have\s+now)){0,2}"
    r"\s+(?:" + _GROW_VERBS + r"|" + _trie(_COPULA_WORDS) + r")"
    r"(?:\s+(?:by\s+\S+\s+)?(?:to|at|a|à|auf|para|até|em|in|de|on|bei|past|beyond|above))?\s+",
    re.IGNORECASE)
_GROW_FROM = re.compile(
    r"(?:\s+(?:now|already|ya|já|già|bereits|has|have|had|ha|han|a|ont|est|sont|hat|haben|ist|sind|é|è|foi|se|si))"
    r"{0,2}\s+(?:" + _GROW_VERBS + r")\s+(?=(?:from|de|desde|von|da)\s)", re.IGNORECASE)
_BARE_NEXT = _wordset("nationwide statewide worldwide countrywide overall bundesweit landesweit "
                      "more más mehr mais più last previous earlier ago yesterday today this overnight within before "
                      "pasado pasada anterior ayer hoy dernier dernière veille hier vorjahr vorwoche letzten gestern "
                      "heute passado passada ontem hoje scorso scorsa precedente ieri oggi according selon "
                      "d'après según laut segundo secondo now ahora")
_PERCENT = re.compile(r"\s+(?:ciento|cent|cento)\b", re.IGNORECASE)
_ELIDED = ("dell'", "dell’", "dall'", "dall’", "nell'", "nell’", "all'", "all’", "l'", "l’", "d'", "d’")
_MONEY_VERB = re.compile(r"(?<!\w)(?:costs?|paid|pays?|charged?|charges|priced?|worth|spent|raised|donated|sold|"
                         r"scored|won|lost|aged?|cuesta|cuestan|coûte|coûtent|kostet|kosten|custa|custam|costa|"
                         r"costano)\s+(?:[^\W\d_]+\s+)?\Z", re.IGNORECASE)
_CLOCK = re.compile(r"\s*(?:[ap]\.\s?m\.|[ap]m\b|h\b|uhr\b|o['’]clock|heures?\b|horas?\b|ore\b)", re.IGNORECASE)
_WORD_AT = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# singular collectives whose growth counts their members' kind ("the coalition now counts 112")
_COLLECTIVE = {
    **{w: ("organizations", _O) for w in _wordset("coalition alliance network coalición alianza réseau bündnis "
                                                  "netzwerk coalizão aliança coalizione alleanza")},
    **{w: ("signatures", _S) for w in _wordset("petition petición pétition petição petizione abaixo-assinado")},
    **{w: ("people", _P) for w in _wordset("crowd crowds multitud foule menschenmenge multidão folla attendance")},
}


def _bare_after(text: str, pos: int, g: _Grammar | None = None) -> bool:
    """Whether no noun follows a quantity: the end, a punctuation mark, a function or time word, or a
    verb of taking part ("another 25 joined")."""
    if _CLOCK.match(text, pos):
        return False  # "10 a.m.", "7 Uhr"
    m = _NEXT_WORD.match(text, pos)
    if m is None or m.group(1) is None:
        return True
    low = m.group(1).lower()
    if low in _MEASURES or (low in ("por", "pour", "per") and _PERCENT.match(text, m.end())):
        return False  # "67 percent", "45 por ciento", "3 days"
    if low.startswith(_ELIDED):
        return True  # "contro le 600 dell'anno scorso", "contre 5 000 l'an dernier"
    return low in _STOP or low in _AND or low in _BARE_NEXT or low in _AUX or (g is not None and low in g.verb_table)


def _bare_claim(text: str, pos: int, hi: int, unit: str, kind: str, qstarts: list[int],
                g: _Grammar) -> CountClaim | None:
    c = _claim_at(text, pos, hi, unit, kind, qstarts, g, bare=True)
    if c is None or c.start - pos > 24:
        return None
    rest = c.start + len(c.span)
    if not _bare_after(text, rest, g) or _POST_NEVER.match(text[rest: rest + 60]) or \
            _PRE_GUARD.search(text, max(0, c.start - 16), c.start) or _MONTH_NEXT.match(text, rest):
        return None
    return c


def _after_noun(text: str, end: int, uk: tuple[str, str], qstarts: list[int], g: _Grammar) -> list[CountClaim]:
    """A noun with a verb of growth and a number with no noun after it: "the number of protests rose to
    230", "Events Double To 740", "Die Zahl der Kundgebungen stieg auf 75", "the petition has passed 75,000",
    "the coalition now counts 112"."""
    k = bisect_left(qstarts, end)
    if k >= len(qstarts) or qstarts[k] > end + 60:
        return []
    gm = _GROW_FROM.match(text, end, min(len(text), end + 80))
    qm = g.qty.match(text, gm.end(), min(len(text), gm.end() + 60)) if gm else None
    if qm is not None and qm.group("fromto") and _bare_after(text, qm.end(), g):
        q = _read_qty(qm, text, g)  # "the tally of house parties climbed from 410 to 1,020": two counts
        if q is None or len(q.claims) != 2:
            return []
        nums = [n for n in g.num.finditer(text, qm.start(), qm.end()) if _num_value(n.group(0), g) is not None]
        return [CountClaim(v, lo_, hi_, ql, uk[0], uk[1], n.group(0), n.start())
                for (v, lo_, hi_, ql), n in zip(q.claims, nums[-2:], strict=False)]
    m = _AFTER_NOUN.match(text, end, min(len(text), end + 80))
    if not m:
        return []
    c = _bare_claim(text, m.end(), min(len(text), m.end() + 60), uk[0], uk[1], qstarts, g)
    return [c] if c else []


_CONT_CUES = [w.replace("_", " ") for w in _wordset(
    "up_from down_from compared_with compared_to versus vs vs. frente_a en_comparación_con comparé_à comparé_aux "
    "contre gegenüber im_vergleich_zu em_comparação_com rispetto_a rispetto_ai rispetto_agli rispetto_alle contro "
    "spoke_of speak_of talked_of hablaron_de habla_de hablan_de habló_de hablaba_de parlent_de ont_parlé_de "
    "parlaient_de a_parlé_de parle_de sprachen_von sprechen_von sprach_von spricht_von falaram_em falam_em "
    "falou_em fala_em parlano_di hanno_parlato_di ha_parlato_di parla_di en_a_compté en_ont_compté a_compté "
    "ont_compté zählte zählten contó contaron contou contaram ha_contato hanno_contato counted another otros "
    "otras d'autres d’autres weitere outros outras altri altre ante fueron eran were waren_es waren étaient "
    "il_y_en_avait foram eram erano furono sono_stati there_were")]
_CONT_CUES += [f"{who} {verb}" for who in ("police", "officials", "authorities", "organizers", "organisers",
                                          "the city", "it")
               for verb in ("said", "says", "say", "estimated", "counted", "reported", "put it at",
                            "put the number at", "put the figure at", "put the crowd at", "put the turnout at")]
_CONT_BEFORE = re.compile(
    r"(?<!\w)(?P<cue>(?:" + _trie(_CONT_CUES) + r")|(?:" + _GROW_VERBS + r")(?:\s+(?:to|at|a|à|auf|para|até|em|in|"
    r"de|bei))?|(?:[;,]\s*|(?<!\w)(?:and|y|et|und|e)\s+)(?:the\s+|la\s+|le\s+|die\s+|a\s+|o\s+|os\s+|los\s+|les\s+|"
    r"gli\s+|i\s+)?(?:police|polizei|policía|policia|pm|questura|préfecture|prefecture|polizia|guardia\s+urbana|"
    r"veranstalter|organi[sz]ers|organisateurs|organizadores|organizzatori|syndicats|sindicatos|gewerkschaften|"
    r"sindacati)\s*,?(?:\s+(?:en|em|auf|at|à|in))?)"
    r"(?:\s+(?:the|los|las|les|die|os|as|i|gli|le))?(?:\s+[^\W\d_]+){0,2}\s+\Z",
    re.IGNORECASE)
_CONT_AFTER = re.compile(
    r"\s*,?\s*(?:according\s+to|selon|d['’]après|según|de\s+acuerdo\s+con|laut|nach\s+(?:angaben|schätzung)|"
    r"segundo|de\s+acordo\s+com|secondo|per\s+(?:la|il|lo|gli|i|l['’]))\b",
    re.IGNORECASE)
_MORE_AFTER = re.compile(r"\s+(?:more|más|de\s+plus|weitere|mais|in\s+più|altri|altre)(?!\w)", re.IGNORECASE)
_ANOTHER = re.compile(r"(?<!\w)(?:another|otr[oa]s|d['’]autres|weitere|outr[oa]s|altr[ie])\s+\Z", re.IGNORECASE)
_CONT_JOIN = re.compile(r"(?:[;,:(–—]|(?<!\w)(?:and|y|et|und|e|while|mientras|alors\s+que|während|enquanto|mentre))"
                        r"\s*\Z", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"\n|[.!?](?=\s+[A-ZÀ-Þ\"“«])")


def _continuation(text: str, c: CountClaim, end: int, qstarts: list[int], g: _Grammar,
                  limit: int) -> list[CountClaim]:
    """Numbers with no noun after a claim, in its sentence, that count the same thing: "45 rallies, up from
    30 last week", "12,000 marchers; police said 4,000", "15 000 manifestants selon les syndicats, 6 000
    selon la police", "die Veranstalter sprachen von 8.000"; and, in its paragraph, a later total after a
    verb of growth ("The coalition started with 40 groups. It now counts 112.")."""
    k = bisect_left(qstarts, end)
    if k >= len(qstarts) or qstarts[k] > end + 250:
        return []
    pe = _PARAGRAPH_END.search(text, end, min(len(text), end + 250))
    se = pe.start() if pe else min(len(text), end + 250)
    para = text.find("\n", end, end + 250)
    para_end = para if para >= 0 else min(len(text), end + 250)
    out: list[CountClaim] = []
    for q in qstarts[k:]:
        if q >= para_end or q >= limit:
            break
        if out and q < out[-1].start + len(out[-1].span):
            continue
        qm = g.qty.match(text, q, min(len(text), q + 60))  # cheap first: no noun may follow the number
        if qm is None or not (_bare_after(text, qm.end(), g) or _CONT_AFTER.match(text, qm.end())):
            continue
        before = text[max(end, q - 60): q]
        mb = _CONT_BEFORE.search(before)
        if mb and (q < se or _GROW_RE_END.search(before)):
            # read from the cue's end: a qualifier may lie between ("police said about 4,000")
            cl = _bare_claim(text, q, min(len(text), q + 60), c.unit, c.kind, qstarts, g)  # its qualifier too
            if cl:
                out.append(cl)
            continue
        if q >= se:
            continue
        if _CONT_JOIN.search(text, max(end, q - 14), q) or _CONT_JOIN.search(text, max(end, q - 30), q):
            cl = _bare_claim(text, q, min(len(text), q + 60), c.unit, c.kind, qstarts, g)
            if cl is None:
                pw = _PREV_WORD.search(text, max(end, q - 24), q)  # a qualifier before the number
                cl = _bare_claim(text, pw.start(), min(len(text), q + 60), c.unit, c.kind, qstarts, g) if pw else None
            if cl and (_CONT_AFTER.match(text, cl.start + len(cl.span))
                       or _MORE_AFTER.match(text, cl.start + len(cl.span))):
                out.append(cl)
    return out


_GROW_RE_END = re.compile(r"(?<!\w)(?:" + _GROW_VERBS + r")(?:\s+(?:to|at|a|à|auf|para|até|em|in|de|bei))?\s+\S*\s*\Z",
                          re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------
# People with no noun: a quantity as the subject of a protest idiom, or before "at the march"

_IDIOM = re.compile(
    r"(?<!\w)(?:auf\s+die\s+stra(?:ße|sse)n?|(?:to|into|onto|in|filled|took)\s+the\s+streets|"
    r"a\s+(?:la|las)\s+calles?|(?:dans|en)\s+la\s+rue|dans\s+les\s+rues|(?:às|as|nas)\s+ruas|in\s+piazza|"
    r"in\s+strada|per\s+le\s+(?:strade|vie)|die\s+stra(?:ße|sse)n\s+(?:gefüllt|geflutet|blockiert)|"
    r"füllten\s+die\s+stra(?:ße|sse)n)(?!\w)")
_IDIOM_WORDS = _wordset("straße straßen strasse strassen streets calle calles rue rues ruas piazza strada strade vie")
_AT_WORD = re.compile(r"[\d.,'’\u00a0\u202f]*(?:[+]|-plus|\s+(?:hundred|thousand|million|mil|mila|mille|tausend))?"
                      r"\s+(?:at|to|for|a|en|à|au|zur|zum|bei|na|no|ao|alla|al)\s", re.IGNORECASE)
_EVENT_ONE = (r"march|rally|protest|vigil|demonstration|strike|walkout|sit-in|event|gathering|picket|"
              r"marcha|manifestación|concentración|protesta|huelga|acto|manifestation|rassemblement|marche|"
              r"veillée|grève|kundgebung|demo|demonstration|mahnwache|streik|manifestação|ato|protesto|greve|"
              r"manifestazione|corteo|presidio|fiaccolata|sciopero")
_AT_EVENT = re.compile(
    r"\s+(?:at|to|for|a|en|à|au|zur|zum|bei|na|no|ao|alla|al)\s+(?:(?:the|la|le|l['’]|el|die|der|den|a|o|il|lo)\s*)?"
    r"(?:[\w'’-]+['’]s\s+|[\w'’-]+\s+)?(?:" + _EVENT_ONE + r")(?!\w)", re.IGNORECASE)
# who an event is by or of: "the strike by 3,400 bus drivers", "a vigil of some 80 mourners" (people named by
# who they are count as participants there); and an event that involves or draws them ("the walkout will
# involve at least 60,000 federal workers", "the march drew 2,000 students")
_EVENT_OF = re.compile(
    r"(?<!\w)(?:" + _EVENT_ONE + r"|crowd|procession|caravan|convoy|occupation|blockade|encampment|sit-ins|"
    r"marches|rallies|protests|vigils|demonstrations|strikes|walkouts|pickets)s?\s+(?:of|by|with|de|d['’]|von|"
    r"mit|di|da|com|con|avec|par|por|dei|degli|delle)\s+(?:[^\W\d_]+\s+){0,3}\Z", re.IGNORECASE)
_INVOLVE = re.compile(
    r"(?<!\w)(?:involv\w*|draw[sn]?|drew|drawing|brings?|brought|bringing|mobili[sz]\w*|attract\w*|coinvol\w*|"
    r"reun\w*|reún\w*|réun\w*|rassembl\w*|versammel\w*|atra[ie]\w*|attir\w*|convoc\w*|congreg\w*|"
    r"richiam\w*|raduna\w*)(?:\s+[^\W\d_]+){0,3}\s+\Z", re.IGNORECASE)


_CLAUSE_START = re.compile(r"[.;:!?\n,(«\"“]")


def _people_at(text: str, low: str, qstarts: list[int], g: _Grammar, idioms: list[int]) -> list[CountClaim]:
    """People counted by a protest idiom with no noun after the quantity: "Hunderte gingen in Leipzig auf die
    Straße", "Thousands poured into the streets", "Milhares tomaram as ruas" (the first quantity of the
    clause before the idiom, within 60 characters); and a bare quantity before "at/to the march": "expect
    50,000-plus at Saturday's march", "brought 300 to the vigil"."""
    out = []
    for ip in idioms:  # the idiom words the scan found
        for m in _IDIOM.finditer(low, max(0, ip - 14), ip + 22):
            lo = max(0, m.start() - 60)
            for b in _CLAUSE_START.finditer(text, lo, m.start()):
                lo = b.end()
            k = bisect_left(qstarts, lo)
            if k >= len(qstarts) or qstarts[k] >= m.start():
                continue
            c = _claim_at(text, qstarts[k], m.start(), "people", _P, qstarts, g, bare=True)
            if c is None:
                pw = _PREV_WORD.search(text, max(lo, qstarts[k] - 24), qstarts[k])  # "rund 500", "unos 300"
                c = _claim_at(text, pw.start(), m.start(), "people", _P, qstarts, g, bare=True) if pw else None
            if c is not None:  # any word may follow ("Hunderte gingen..."), but no other kind of noun
                nw = _NEXT_WORD.match(text, c.start + len(c.span))
                w = nw.group(1).lower() if nw and nw.group(1) else ""
                uk = _unit_kind(w, g) if w else None
                if (uk and uk[1] != _P) or _CLOCK.match(text, c.start + len(c.span)) or \
                        w in _NOT_PARTICIPANTS or w.startswith(_COUNTER) or \
                        (w in _STOP and w not in _AUX and w not in _AND) or \
                        _PRE_GUARD.search(text, max(0, c.start - 16), c.start) or \
                        _POST_NEVER.match(text[c.start + len(c.span): c.start + len(c.span) + 60]):
                    c = None
            if c is not None and (c.value >= 10 or c.qualifier == "approx") and \
                    not _PRE_NEVER.search(text, max(0, c.start - 50), c.start):
                out.append(c)
    for q in qstarts:
        if not _AT_WORD.match(text, q):
            continue  # cheap first: "N at", "N to", "N-plus at"
        qm = g.qty.match(text, q, min(len(text), q + 60))
        if qm is None or not _AT_EVENT.match(text, qm.end()):
            continue
        c = _bare_claim(text, q, min(len(text), q + 60), "people", _P, qstarts, g)
        if c is None or not _AT_EVENT.match(text, c.start + len(c.span)) or \
                _MONEY_VERB.search(text, max(0, c.start - 24), c.start):
            continue  # "Tickets cost 20 at the march"
        if (c.value >= 10 or c.qualifier == "approx") and not _PRE_NEVER.search(text, max(0, c.start - 50), c.start):
            out.append(c)
    return out

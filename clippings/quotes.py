"""Direct quotations in article text and who said them.

`extract_quotes(text, people)` returns a `Quote` for every quotation the text attributes to a speaker.
It reads English, Spanish, French, German, Portuguese and Italian; nothing here knows the campaign.

Quotation marks (a quote never leaves its paragraph except by rule 3):
1. Pairs: “…” and "…" (straight: an opening mark after a space, a bracket, a dash, a colon or the
   paragraph start, the next straight mark closes it), «…» (the French no-break spaces inside are
   trimmed) and »…«, „…“ and „…”, ‘…’ and ‚…‘ (single marks only outside double ones; a closing
   single mark is followed by a space, punctuation or the end, so "don’t" is no end; of the first eight
   such marks one next to punctuation wins, so "the voters’ right,’ said" ends after "right,"). Marks
   nested inside a quotation are part of it; “ may close with a straight " and " with ” (sloppy copy).
   Inside a double quotation, single marks (straight ' too) are read again with all the rules below,
   so a quote that quotes someone gives that person's words too (From CNN: "… 'We see these
   mobilizations as a critical way…,' said Sean Eldridge.").
2. An opening mark with no closing one in its paragraph is no quotation, unless rule 3 applies.
3. A quote spanning paragraphs: a paragraph whose quotation is left open, followed by a paragraph
   that opens with a mark of the same family, continues it there (up to 6 paragraphs); the quote's
   text keeps the paragraph break ("\\n\\n") and drops the reopening mark.
4. Bounds: the first MAX_TEXT characters are read, a quotation longer than MAX_QUOTE characters is
   none, at most MAX_QUOTES are returned; every pattern is linear or runs on a bounded window.

Who said it (the first rule that finds a speaker wins; a quotation with no speaker is dropped):
5. After the quote, in its sentence, when the quoted words end with a comma, "!", "?" or "…" (or a
   comma follows the closing mark): a speech verb then the speaker ("…," said Sean Eldridge /
   », a déclaré Sean Eldridge / ", dijo X / “, sagte X / ", disse X / ", ha detto X), the speaker
   then a speech verb ("…," Eldridge said / "…," Sean Eldridge, who founded X, told the Beacon /
   "…," a spokeswoman said), a French inversion (», a-t-il déclaré / », estime-t-elle), or
   "according to" (según, selon, d'après, laut, so, segundo, secondo) and the speaker.
   A quote that ends its sentence with "!" or "?" may be followed by a capitalised speaker ("…!" Trump
   tweeted); the speaker may carry title words ("…," Goddard planetary scientist Avi Mandell said), an
   adverb or a modal may stand before the verb ("Thomas allegedly told"). An epigraph: "…" — Neil
   Gaiman. A quote of fewer than MIDSENTENCE_MIN_WORDS words inside a sentence, followed by
   "according to", is a term, no quote ('diagnosed with "feather-duvet lung," according to a report').
6. Before the quote, in its sentence: the clause ends with a colon or a comma and holds the speaker
   and a speech verb close to the mark (Sean Eldridge said: "…" / El entrenador, Manuel Roig, elogió
   la reacción de su equipo: "…" / Levin told reporters, "…"), or opens with "according to" and the
   speaker (según Ezra Levin, "…"); a clause between two quotes that is the first one's attribution
   ("…," said Levin, "…") gives the second one the same speaker; a clause that ends with a verb and no
   subject ('Levin said he never used the term and added, "…"') takes the subject that opens the sentence.
7. A partial quote inside a sentence (La alcaldesa, Rosa Medina, destacó que las cuentas "llegan a
   tiempo…") counts when the clause before it has a speaker and a speech verb and the quoted words
   are at least PARTIAL_MIN_WORDS words; shorter quoted phrases are names, slogans or scare quotes.
8. A quotation that is a sentence of its own with no attribution takes the speaker of the sentence
   just before it (a quote attributed there, else "X said …" there, across a paragraph break when
   the quote opens its paragraph), else of the quote that opens the sentence just after it.
9. Never a quote: a short title-case phrase (≤ 6 words, every word of four letters or more
   capitalised, at least two of them: 'Count Every Vote' rallies, the "Stand Up America" tour), whatever
   surrounds it.

The speaker as written:
10. A name is the run of capitalised words (with de, van, von, del… inside) next to the verb, without
    a leading title word or weekday ("Board member Gloria Tran" -> "Gloria Tran"); a description
    followed by a name in apposition gives the name ("le directeur de l'épreuve, Bernard Lacoste" ->
    "Bernard Lacoste"); otherwise the description from its determiner or possessive ("a spokeswoman
    for the group", "Sweden's deputy director") or a bare plural ("organizers"). Honorifics and
    initials keep their full stop inside a name ("said Rep. Brian Babin" -> "Brian Babin").
11. A pronoun (he, she, they, il, elle, él, ella, er, sie, ele, ela, lui, lei…) is replaced by the
    last named person before it in the same or the previous paragraph: a named quote speaker, the
    subject of a speech verb ("Ezra Levin, a co-founder of Indivisible, said …", "…, said Mary E.
    Lovely"), or a name that opens a sentence and is followed by a lowercase word ("Sondland has
    amended …", "Buser, however, is …"; one word only once it ended a longer name earlier); a person is
    skipped when the text gives that person the other gender (the pronoun of "X says he …", a title
    such as Ms. or Herr, a noun such as son, actress, hija before the surname, or an earlier pronoun
    resolved to them). With none, the pronoun stays and no person is matched. A first-person speaker ("I
    said, 'I want more'") is the speaker of the quotation it is quoted in, and outside one (the
    writer) makes no quote.

The campaign's person (`person`, spelled as in `people`), else None:
12. The speaker contains a person's full name (any case, accents ignored), or the speaker is that
    person's surname (an honorific such as Mr., Ms., M., Sr., Herr may precede it) and the full name
    appears earlier in the text than the speaker's words. A surname before the full name, or another
    given name ("Jane Levin"), is no match.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from clippings.article import Quote

MAX_TEXT = 200_000  # characters of text read
MAX_QUOTE = 3_000  # characters between the marks of one quotation
MAX_QUOTES = 500
MAX_CONTINUED = 6  # paragraphs one quotation may span
PARTIAL_MIN_WORDS = 5
MIDSENTENCE_MIN_WORDS = 3  # 'diagnosed with "feather-duvet lung," according to a report' is a term

WINDOW = 300  # characters of context read on each side of a quote

# --- speech verbs -----------------------------------------------------------------------------------


def _wordlist(words: str) -> list[str]:
    return words.split()



_EN = _wordlist("""said says say told tells added adds asked asks explained explains wrote writes noted stated declared
declares remarked argued argues insisted insists warned warns recalled recalls replied replies responded
answered acknowledged admitted conceded contended countered cautioned emphasized emphasised stressed joked
quipped recounted predicted promised pledged vowed tweeted announced urged exclaimed shouted chanted yelled
agreed concluded described describes suggested maintained reiterated boasted complained lamented testified
confirmed mused wondered explained continued laughed sighed comments commented""")
_ES = _wordlist("""dijo dice dicen dijeron afirmó afirma afirman señaló señala explicó explica añadió añade
agregó agrega aseguró asegura declaró declara indicó indica pidió pide sostuvo sostiene destacó destaca comentó comenta
advirtió advierte manifestó manifiesta subrayó subraya apuntó apunta expresó expresa insistió insiste recordó
recuerda reconoció reconoce admitió admite precisó precisa concluyó respondió responde contó aclaró denunció
lamentó escribió escribe elogió exclamó anunció defendió opinó opina criticó sentenció enfatizó""") + [
    "ha dicho", "ha afirmado", "ha señalado", "ha explicado", "ha asegurado", "ha declarado", "ha indicado",
    "ha añadido", "ha subrayado", "ha advertido", "ha destacado", "ha pedido"]
_FR_PP = _wordlist("""déclaré dit affirmé expliqué ajouté lancé souligné indiqué assuré estimé précisé martelé rappelé
insisté reconnu confié répondu averti prévenu poursuivi conclu plaidé jugé regretté déploré salué résumé
raconté écrit tweeté commenté réagi dénoncé annoncé""")
_FR = _wordlist("""dit déclare affirme explique ajoute lance souligne indique assure estime précise martèle rappelle
insiste reconnaît confie répond avertit prévient poursuit conclut plaide juge regrette déplore salue résume
raconte écrit commente dénonce annonce déclarait disait expliquait affirmait ajoutait déclara""") + [
    "se réjouit", "se félicite", "s'inquiète", "s’inquiète", "s'exclame", "s’exclame", "s'est réjoui",
    "s’est réjoui", "s'est félicité", "s’est félicité"] + [f"a {v}" for v in _FR_PP]
_DE = _wordlist("""sagte sagt sagten sagen erklärte erklärt betonte betont meinte meint ergänzte ergänzt warnte warnt
kritisierte forderte fordert schrieb schreibt berichtete bekräftigte versicherte erläuterte unterstrich
antwortete fragte mahnte""") + ["fügte hinzu", "räumte ein", "teilte mit", "hat gesagt", "hat erklärt"]
_PT = _wordlist("""disse diz dizem disseram afirmou afirma declarou declara explicou explica acrescentou acrescenta
ressaltou ressalta destacou destaca salientou sublinhou pediu pede contou garantiu garante observou comentou
lembrou alertou avaliou completou argumentou defendeu escreveu respondeu reconheceu frisou sustentou
assegurou admitiu""")
_IT = _wordlist("""dice dichiara spiega aggiunge afferma sottolinea commenta ribadisce precisa osserva ricorda
scrive risponde conclude disse dichiarò spiegò aggiunse affermò sottolineò avverte chiede""") + [
    f"ha {v}" for v in _wordlist("""detto dichiarato spiegato aggiunto affermato sottolineato commentato ribadito
precisato osservato ricordato scritto risposto concluso annunciato assicurato avvertito chiesto""")]
_VERBS = sorted({*_EN, *_ES, *_FR, *_DE, *_PT, *_IT}, key=len, reverse=True)


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation for many words, shared prefixes factored out (a linear, quick match)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return build(trie)


_VERB_RE = re.compile(r"(?<![\w'’-])" + _trie_pattern(_VERBS) + r"(?![\w'’-])")
_NOT_VERB_FIRST = {"told", "tells", "describes", "described"}  # "…," told X means X listened

_FR_INVERSION = re.compile(
    r"(?:a-t-(?:il|elle|on)\s+(?:" + "|".join(_FR_PP) + r")|(?:" + "|".join(v for v in _FR if " " not in v)
    + r")-(?:t-)?(?:il|elle|ils|elles|on))(?![\w-])")
_ACCORDING = re.compile(r"(?:according to|as (?:\w+ )?put it,?|según|segun|selon|d['’]après|laut|zufolge|"
                        r"segundo|conforme|secondo|stando a)(?=\s)", re.IGNORECASE)
_SO = re.compile(r"so(?=\s)")  # German: „…“, so Levin.

_PRONOUNS = {"he", "she", "they", "il", "elle", "ils", "elles", "él", "ella", "ellos", "ellas", "er", "sie",
             "ele", "ela", "eles", "elas", "lui", "lei", "loro", "egli"}
_GENDERS = {**dict.fromkeys(("he", "his", "him", "il", "él", "ele", "lui", "egli"), "m"),
            **dict.fromkeys(("she", "her", "hers", "elle", "ella", "ela", "lei"), "f")}
_TITLE_GENDERS = {**dict.fromkeys(("mr", "herr", "m", "sr", "sig", "monsieur", "señor", "senhor"), "m"),
                  **dict.fromkeys(("mrs", "ms", "miss", "mme", "mlle", "frau", "sra", "srta", "madame", "señora",
                                   "senhora", "signora"), "f")}
_NOUN_GENDERS = {**dict.fromkeys(_wordlist("""son father husband brother uncle nephew grandson grandfather boyfriend
actor king prince boy man businessman chairman spokesman congressman fils père mari frère hijo padre esposo
hermano sohn vater bruder ehemann filho pai irmão marido figlio padre fratello marito"""), "m"),
                 **dict.fromkeys(_wordlist("""daughter mother wife sister aunt niece granddaughter grandmother
girlfriend actress queen princess girl woman businesswoman chairwoman spokeswoman congresswoman fille mère épouse sœur
hija madre esposa hermana tochter mutter schwester ehefrau filha mãe irmã esposa figlia madre sorella moglie"""),
                                  "f")}
_FIRST_PERSON = {"i", "we", "je", "nous", "yo", "nosotros", "nosotras", "ich", "wir", "eu", "nós", "io", "noi"}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "one", "another", "el", "la", "los", "las", "un",
                "una", "unos", "unas", "le", "les", "une", "des", "der", "die", "das", "den", "dem", "ein", "eine",
                "einer", "o", "os", "as", "um", "uma", "il", "lo", "gli", "uno", "sua", "seu", "sa", "son",
                "ses", "su", "sus", "sein", "seine", "ihr", "ihre", "ce", "cette", "este", "esta",
                "ese", "esa", "questo", "questa", "dieser", "diese", "l'", "l’", "un'", "un’"}
_CLAUSE_WORDS = {"that", "which", "who", "whom", "whose", "when", "while", "and", "but", "or", "if", "as",
                 "because", "que", "qui", "quien", "quién", "cuando", "y", "pero", "et", "mais", "dass", "und",
                 "aber", "wenn", "weil", "che", "ma", "e", "quando", "se", "mas", "porque", "after", "before",
                 "where", "dont", "où", "donde", "wo", "dove", "onde", "to", "for", "with", "in", "on", "at",
                 "of", "from", "by", "is", "was", "were", "are", "has", "had", "have", "been", "be"}
_ADVERBS = {"also", "later", "then", "once", "previously", "recently", "simply", "flatly", "repeatedly", "again",
            "has", "had", "ha", "a", "hat", "aussi", "también", "anche", "também", "ainda", "encore", "dann",
            "auch", "ensuite", "luego", "después", "alors", "often", "frequently", "publicly", "bluntly",
            "quickly", "finally", "additionally", "tarde", "ya", "would", "will", "could", "might", "can", "must",
            "should", "may", "did", "does", "do", "just", "never", "always", "only", "still"}
# Capitalised words that start a sentence but no name, and words that end no name.
_NOT_NAME = {
    "the", "a", "an", "in", "on", "at", "but", "and", "then", "later", "when", "after", "before", "as", "so",
    "while", "asked", "also", "still", "yet", "now", "here", "there", "this", "that", "it", "we", "i", "you",
    "en", "el", "la", "los", "las", "y", "pero", "luego", "después", "antes", "así", "le", "les", "et", "mais",
    "puis", "ensuite", "alors", "dans", "selon", "der", "die", "das", "und", "aber", "dann", "auch", "im", "am",
    "nach", "vor", "o", "os", "e", "mas", "depois", "il", "lo", "gli", "ma", "poi", "dopo", "según",
    "according", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "today", "yesterday", "tonight", "hoy", "ayer", "aujourd'hui", "hier",
    "heute", "gestern", "oggi", "ieri", "hoje", "ontem", "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.",
}
_CONJUNCTIONS = {"but", "and", "yet", "then", "still", "now", "so", "also", "pero", "y", "mais", "et", "aber", "und",
                 "ma", "e", "mas"}
_ASIDES = {"however", "too", "meanwhile", "though", "instead", "also", "sin embargo", "cependant", "jedoch",
           "tuttavia", "porém", "entretanto"}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "m", "mme", "mlle", "sr", "sra", "srta",
               "herr", "frau", "sig", "sig.ra", "dott", "senator", "president", "mayor", "judge", "gen"}
_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den", "ter",
              "le", "la", "bin", "ibn", "al", "el", "zu", "y"}
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "jr", "sr", "lt", "gen", "col", "prof",
                  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
                  "vs", "etc", "inc", "co", "corp", "u.s", "sra", "srta", "mme", "dott", "sig", "art", "ca"}

# --- quotation marks --------------------------------------------------------------------------------

_DOUBLE_CLOSERS = {"“": "”\"", "„": "“”", "«": "»", "»": "«", '"': '"”'}
_SINGLE_CLOSERS = {"‘": "’", "‚": "‘’"}
_NESTED_CLOSERS = {**_SINGLE_CLOSERS, "'": "'"}
_NESTED_MARKS = re.compile("['‘‚]")
_SINGLE_ENDS = {c: re.compile("[\"“”«»„]|(?<=\\S)[" + c + "](?!\\w)") for c in _NESTED_CLOSERS.values()}
_CONTINUES = {"“": "“", "„": "„»", "«": "«»", "»": "»", '"': '"'}
_OPEN_AFTER = set(" \t\u00a0\u202f([{—–-/:;,") | {""}
_SPACES = " \t\u00a0\u202f\u2009"
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĹĽŁŃŇŐŒŔŘŚŞŠŢŤŰŹŻŽ"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’“]?[" + _SPACES + r"]+(?=[\"“«„‘¿¡" + _UPPER + r"])")
_WORD = re.compile(r"[^\s]+")
_CAP = re.compile(r"[" + _UPPER + r"][\w'’.\-]*$")
_PARAGRAPH = re.compile(r"[^\n]+")
_MARKS = re.compile("[\"“„«»‘‚]")
# words up to a comma or a sentence end; a full stop after an initial or a title does not end it
_ABBREVIATED = re.compile(r"(?:[^,.;:!?\"“”«»„()\n]|(?<=\b[" + _UPPER + r"])\.|"
                          + "|".join(rf"(?<=\b{t})\." for t in ("Mr", "Ms", "Mrs", "Dr", "Sen", "Rep", "Gov", "Prof",
                                                                "Sr", "Jr", "St")) + ")+")


@dataclass
class _Span:
    start: int  # offset of the opening mark
    end: int  # just past the closing mark
    parts: list[tuple[int, int]]  # inner text ranges, one per paragraph
    para: int  # index of the paragraph it opens in
    last_para: int
    speaker: str | None = None
    speaker_pos: int = -1
    named: bool = False  # the speaker is a name (not a pronoun or a description)
    sources: list[str] = field(default_factory=list)

    def inner(self, text: str) -> str:
        return "\n\n".join(text[a:b] for a, b in self.parts).strip(_SPACES + "\n")


def extract_quotes(text: str, people: Sequence[str]) -> list[Quote]:
    """The quotations in `text` with their speakers, matched to `people` where they are one of them."""
    text = text[:MAX_TEXT]
    spans, found = _attributed(text, 0, len(text), None)
    outer_speakers = {id(span): (speaker, pos) for span, speaker, pos in found}
    budget = MAX_QUOTES - len(spans)
    for span in spans:  # rule 1: a quotation quoted inside another one
        if budget <= 0:
            break
        if "title" not in span.sources and _NESTED_MARKS.search(text, span.start + 1, span.end - 1):
            outer = outer_speakers.get(id(span), ("", -1))
            inner_spans, inner_found = _attributed(text, span.start + 1, span.end - 1, outer)
            budget -= len(inner_spans)
            found.extend(inner_found)
    quotes: list[Quote] = []
    for span, speaker, pos in sorted(found, key=lambda f: f[0].start)[:MAX_QUOTES]:
        quoted = span.inner(text).rstrip(",;:" + _SPACES)
        if quoted:
            quotes.append(Quote(text=quoted, speaker=speaker, person=_match_person(speaker, pos, text, people),
                                start=span.start, end=span.end))
    return quotes


def _attributed(text: str, lo: int, hi: int,
                outer: tuple[str, int] | None) -> tuple[list[_Span], list[tuple[_Span, str, int]]]:
    """The quotations between lo and hi, and those with a speaker: (span, speaker, where it is written).

    `outer`: reading inside a quotation, whose speaker ("" if none) says "I" there."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, lo, hi) if m.group().strip(_SPACES)]
    spans = _find_spans(text, paragraphs, nested=outer is not None)
    if not spans:
        return [], []
    starts = _sentence_starts(text, paragraphs, spans)
    for i, span in enumerate(spans):
        if _is_title(span.inner(text)):
            span.sources.append("title")
            continue
        _attribute(text, spans, i, starts, paragraphs)
    for i, span in enumerate(spans):
        if span.speaker is None and "title" not in span.sources:
            _propagate(text, spans, i, starts, paragraphs)
    found: list[tuple[_Span, str, int]] = []
    antecedents: tuple[list[tuple[int, str]], dict[str, str]] | None = None
    for span in spans:
        if span.speaker is None:
            continue
        speaker, pos = span.speaker, span.speaker_pos
        if speaker.casefold() in _FIRST_PERSON:  # "I said, 'I want more'": the one quoted, else the writer
            if not outer or not outer[0]:
                continue
            speaker, pos = outer
        elif speaker.casefold() in _PRONOUNS:
            if antecedents is None:
                antecedents = _antecedents(text, paragraphs, spans, starts)
            resolved = _antecedent(*antecedents, pos, speaker, paragraphs)
            if resolved is not None:
                pos, speaker = resolved
        found.append((span, speaker, pos))
    return spans, found


# --- finding the quotation marks ----------------------------------------------------------------------


def _find_spans(text: str, paragraphs: list[tuple[int, int]], nested: bool = False) -> list[_Span]:
    """The quotations in `paragraphs`; `nested`: only single marks, straight ones too (inside a quotation)."""
    spans: list[_Span] = []
    single_ends: dict[str, list[int]] = {}
    marks, singles = (_NESTED_MARKS, _NESTED_CLOSERS) if nested else (_MARKS, _SINGLE_CLOSERS)
    region = (paragraphs[0][0], paragraphs[-1][1]) if paragraphs else (0, 0)
    k = 0
    pos = 0
    while k < len(paragraphs) and len(spans) < MAX_QUOTES:
        ps, pe = paragraphs[k]
        i = max(ps, pos)
        continued = None
        while i < pe and len(spans) < MAX_QUOTES:
            mark = marks.search(text, i, pe)
            if mark is None:
                break
            i = mark.start()
            c = text[i]
            prev = text[i - 1] if i > ps else ""
            if not nested and c in _DOUBLE_CLOSERS and (c not in '"»' or prev in _OPEN_AFTER):
                if i + 1 < pe and text[i + 1] in " \t" and c in '"“„':
                    i += 1  # a mark followed by a space opens nothing
                    continue
                close = _find_close(text, i + 1, pe, _DOUBLE_CLOSERS[c])
                if close is not None:
                    spans.append(_Span(i, close + 1, [(i + 1, close)], k, k))
                    i = close + 1
                    continue
                continued = _continue(text, paragraphs, k, i, c)
                if continued is not None:
                    spans.append(continued)
                    break
                i += 1
                continue
            if c in singles and prev in _OPEN_AFTER and i + 1 < pe and text[i + 1].isalnum():
                close = _find_single_close(text, i + 1, pe, singles[c], single_ends, region)
                if close is not None:
                    spans.append(_Span(i, close + 1, [(i + 1, close)], k, k))
                    i = close + 1
                    continue
            i += 1
        if continued is not None:  # scan the rest of the paragraph the quote ends in
            k, pos = continued.last_para, continued.end
        else:
            k += 1
    return spans


def _find_close(text: str, i: int, pe: int, closers: str) -> int | None:
    limit = min(pe, i + MAX_QUOTE)
    best = -1
    for ch in closers:
        j = text.find(ch, i, limit)
        if j != -1 and (best == -1 or j < best):
            best = j
    return best if best != -1 else None


def _find_single_close(text: str, i: int, pe: int, closers: str, ends: dict[str, list[int]],
                       region: tuple[int, int]) -> int | None:
    """The closing single mark: after a non-space, before a non-letter, never across a double mark; of the
    first few, one next to punctuation ("the voters’ right,’ said") else the first."""
    if closers not in ends:  # every candidate end in the text, found once
        ends[closers] = [m.start() for m in _SINGLE_ENDS[closers].finditer(text, *region)]
    events = ends[closers]
    limit = min(pe, i + MAX_QUOTE)
    first = None
    k = bisect.bisect_left(events, i)
    for pos in events[k:k + 8]:
        if pos >= limit or text[pos] not in closers:
            break
        if first is None:
            first = pos
        if text[pos - 1] in ",.;:!?…" or (pos + 1 < pe and text[pos + 1] in ",.;:!?…"):
            return pos
    return first


def _continue(text: str, paragraphs: list[tuple[int, int]], k: int, i: int, mark: str) -> _Span | None:
    """A quotation opened at `i` in paragraph k and left open there, continued in the next ones (rule 3)."""
    parts = [(i + 1, paragraphs[k][1])]
    total = paragraphs[k][1] - i
    for j in range(k + 1, min(len(paragraphs), k + MAX_CONTINUED)):
        ps, pe = paragraphs[j]
        lead = ps
        while lead < pe and text[lead] in _SPACES:
            lead += 1
        if lead >= pe or text[lead] not in _CONTINUES[mark]:
            return None
        close = _find_close(text, lead + 1, pe, _DOUBLE_CLOSERS[mark])
        if close is not None:
            parts.append((lead + 1, close))
            total += close - ps
            return _Span(i, close + 1, parts, k, j) if total <= MAX_QUOTE else None
        parts.append((lead + 1, pe))
        total += pe - ps
        if total > MAX_QUOTE:
            return None
    return None


def _sentence_starts(text: str, paragraphs: list[tuple[int, int]], spans: list[_Span]) -> list[int]:
    """Offsets where sentences start: paragraph starts and sentence ends outside quotations."""
    inside = [(s.start, s.end) for s in spans]
    starts = [ps for ps, _ in paragraphs]
    for ps, pe in paragraphs:
        for m in _SENTENCE_END.finditer(text, ps, pe):
            b = m.start()
            dot = b - 1
            if text[dot] == ".":
                word = re.search(r"([\w.]+)\.$", text[max(ps, dot - 12):dot + 1])
                if word and (word.group(1).casefold() in _ABBREVIATIONS or (len(word.group(1)) == 1
                                                                             and word.group(1).isupper())):
                    continue
            k = bisect.bisect_right(inside, (m.end(), 10**12)) - 1
            if k >= 0 and inside[k][0] < m.end() < inside[k][1]:
                continue
            starts.append(m.end())
    return sorted(set(starts))


# --- attribution --------------------------------------------------------------------------------------


def _para_of(paragraphs: list[tuple[int, int]], pos: int) -> int:
    return max(0, bisect.bisect_right(paragraphs, (pos, 10**12)) - 1)


def _attribute(text: str, spans: list[_Span], i: int, starts: list[int], paragraphs: list[tuple[int, int]]) -> None:
    span = spans[i]
    inner = span.inner(text)
    ps = paragraphs[span.para][0]
    pe = paragraphs[span.last_para][1]
    prev_end = spans[i - 1].end if i > 0 and spans[i - 1].end > ps else ps
    next_start = spans[i + 1].start if i + 1 < len(spans) and spans[i + 1].start < pe else pe
    sentence_start = starts[bisect.bisect_right(starts, span.start) - 1]
    before_from = max(prev_end, sentence_start, span.start - WINDOW)
    gap = span.end
    while gap < len(text) and gap < span.end + 3 and text[gap] in _SPACES:
        gap += 1
    # "…!" Trump tweeted: a sentence that ends inside the quote goes on with its attribution
    k = bisect.bisect_right(starts, gap) if inner.rstrip(_SPACES)[-1:] in {"!", "?", "…"} else \
        bisect.bisect_left(starts, span.end)
    sentence_end = starts[k] if k < len(starts) else len(text)
    after_to = min(next_start, sentence_end, pe, span.end + WINDOW)
    after = text[span.end:after_to]
    before = text[before_from:span.start]

    # rule 5: after the quote
    trailing = inner.rstrip(_SPACES + "’'‘")[-1:] in {",", "!", "?", "…"} or after.lstrip(_SPACES).startswith(",")
    opens = not before.strip(_SPACES) or before.rstrip(_SPACES).endswith((":", ","))
    term = not opens and len(inner.split()) < MIDSENTENCE_MIN_WORDS and _ACCORDING.match(after.lstrip(_SPACES + ","))
    if trailing and not term:
        found = _after_attribution(after)
        if found is not None:
            _set(span, found[0], span.end + found[1], "after")
            return
    # an epigraph: "…" — Neil Gaiman
    dash = re.match(r"[" + _SPACES + r"]*[—–][" + _SPACES + r"]*", after)
    if dash and span.end + len(after) == pe:
        words = _words(after[dash.end():])
        name = _name_run(words)
        if name is not None and name[1] == len(words) and len(words) <= 5:
            _set(span, name[0], span.end + dash.end(), "after")
            return
    # rule 6: before the quote, a clause ending with a colon or a comma
    stripped = before.rstrip(_SPACES)
    if stripped.endswith((":", ",")):
        if prev_end > before_from - 1 and prev_end == before_from and i > 0:
            found = _after_attribution(before)
            if found is not None and spans[i - 1].speaker is not None:
                prev = spans[i - 1]
                _set(span, prev.speaker or "", prev.speaker_pos, "between")
                span.named = prev.named
                return
        found = _before_attribution(stripped)
        if found is not None:
            _set(span, found[0], before_from + found[1], "before")
            return
        verb = _VERB_RE.search(stripped, max(0, len(stripped) - 40))
        if verb and sentence_start < before_from and not stripped[verb.end():].strip(_SPACES + ",:"):
            # '… and added, "…"': the verb's subject opens the sentence
            found = _partial_attribution(text[sentence_start:before_from + verb.start()])
            if found is not None:
                _set(span, found[0], sentence_start + found[1], "before")
                return
    # rule 7: a partial quote after "X said (that) …"
    if (before.strip(_SPACES) and len(inner.split()) >= PARTIAL_MIN_WORDS
            and not stripped.endswith((":", ","))):
        found = _partial_attribution(before)
        if found is not None:
            _set(span, found[0], before_from + found[1], "partial")


def _set(span: _Span, speaker: str, pos: int, source: str) -> None:
    span.speaker = speaker
    span.speaker_pos = pos
    span.named = (bool(_CAP.match(speaker.split()[0])) if speaker.split() else False) and \
        speaker.casefold() not in _PRONOUNS | _FIRST_PERSON
    span.sources.append(source)


def _after_attribution(after: str) -> tuple[str, int] | None:
    """The attribution that opens the text after a quote: ', said X', ', X said', ', según X'..."""
    m = re.match(r"[" + _SPACES + r",]*", after)
    i = m.end() if m else 0
    rest = after[i:i + WINDOW]
    if not rest:
        return None
    # a speech verb first, then the speaker
    v = _VERB_RE.match(rest)
    if v and v.group() not in _NOT_VERB_FIRST:
        np = _np_after(rest, v.end())
        if np is not None:
            return np[0], i + np[1]
    v = _FR_INVERSION.match(rest)
    if v:
        pron = re.search(r"(il|elle|ils|elles|on)\b", v.group())
        if pron:
            return pron.group(), i + v.start() + pron.start()
    v = _ACCORDING.match(rest) or _SO.match(rest)
    if v:
        np = _np_after(rest, v.end())
        if np is not None:
            return np[0], i + np[1]
    # the speaker first, then a speech verb
    for v in _VERB_RE.finditer(rest, 0, min(len(rest), 200)):
        subject = _np_before(rest[:v.start()])
        if subject is not None and (subject[1] == 0 or (  # "Goddard planetary scientist Avi Mandell said"
                subject[2] > 0 and len(rest[:subject[1]].split()) <= 4
                and re.fullmatch(r"[\w'’\- ]+", rest[:subject[1]]) and not _VERB_RE.search(rest[:subject[1]]))):
            return subject[0], i + subject[2]
        if re.search(r"[.!?;:\"“”«»„]", rest[:v.start()]):
            break
    return None


def _before_attribution(clause: str) -> tuple[str, int] | None:
    """The speaker of a clause that introduces a quote with a colon or a comma (rule 6)."""
    colon = clause.endswith(":")
    body = clause[:-1]
    m = _ACCORDING.search(body)
    if m:
        np = _np_after(body, m.end())
        if np is not None and not body[np[1] + len(np[0]):].strip(_SPACES + ","):
            return np
    verbs = list(_VERB_RE.finditer(body))
    for v in reversed(verbs):
        tail = body[v.end():]
        if len(tail.split()) > (10 if colon else 4) or re.search(r"[\"“”«»„.;]", tail):
            continue
        subject = _np_before(body[:v.start()])
        if subject is not None:
            return subject[0], subject[2]
        if v.group() not in _NOT_VERB_FIRST:
            np = _np_after(body, v.end())
            if np is not None and not body[np[1] + len(np[0]):].strip(_SPACES + ","):
                return np
    return None


def _partial_attribution(before: str) -> tuple[str, int] | None:
    """The speaker of a partial quote: the subject of the last speech verb in the clause before it."""
    for v in reversed(list(_VERB_RE.finditer(before))):
        subject = _np_before(before[:v.start()])
        if subject is not None:
            return subject[0], subject[2]
    return None


def _words(s: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(s)]


def _np_before(s: str) -> tuple[str, int, int] | None:
    """The speaker that ends `s` (the text just before a speech verb).

    Returns (speaker, offset where the whole subject phrase starts, offset of the speaker).
    """
    words = _words(s[-WINDOW:])
    shift = max(0, len(s) - WINDOW)
    # adverbs or auxiliaries between the subject and the verb
    while len(words) > 1 and (words[-1][2].casefold() in _ADVERBS
                              or re.fullmatch(r"[a-z]{3,}ly", words[-1][2])):  # "Thomas allegedly told"
        words.pop()
    if not words:
        return None
    s = s[:words[-1][1] + shift]
    if words[-1][2].endswith(","):  # an appositive: "Sean Eldridge, who founded Stand Up America,"
        body = s[:words[-1][1] + shift - 1]
        comma = body.rfind(",", max(0, len(body) - 150))
        if comma == -1:
            return None
        appositive = body[comma + 1:].strip(_SPACES)
        head = _np_end(body[:comma])
        if head is None or not appositive or re.search(r"[\"“”«»„;:.!?]", appositive.rstrip(".")):
            return None
        name = _name_run(_words(appositive))
        if not head[2] and name is not None and name[1] == len(_words(appositive)):
            offset = comma + 1 + (len(body[comma + 1:]) - len(body[comma + 1:].lstrip(_SPACES)))
            return name[0], head[3], offset
        return head[0], head[3], head[1]
    np = _np_end(s)
    if np is None:
        return None
    return np[0], np[3], np[1]


def _np_end(s: str) -> tuple[str, int, bool, int] | None:
    """A noun phrase that ends `s`: (phrase, offset, is a name, offset of the words before it that belong to
    the subject: a title or "On Monday")."""
    stripped = s.rstrip(_SPACES)
    words = _words(stripped[-WINDOW:])
    shift = max(0, len(stripped) - WINDOW)
    if not words:
        return None
    last = words[-1][2]
    if last.casefold() in _PRONOUNS | _FIRST_PERSON and (len(words) == 1 or not words[-2][2][-1:].isalnum()
                                         or words[-2][2].casefold() in _CLAUSE_WORDS | _NOT_NAME):
        return last, words[-1][0] + shift, False, words[-1][0] + shift
    if re.search(r"[^\w'’.\-]", last.rstrip(".")):
        return None
    tail = words[-6:]
    name = _name_run(tail, from_end=True)
    if name is not None:
        text, count, total = name
        first = tail[len(tail) - count]
        before = tail[:len(tail) - total]
        if len(before) >= 2 and before[-1][2] in {"and", "y", "et", "und", "e"} and _CAP.match(before[-2][2]):
            other = _name_run(before[:-1], from_end=True)  # "Ford and Fry replied"
            if other is not None:
                start = before[len(before) - 1 - other[1]][0]
                return stripped[start + shift:].strip(), start + shift, True, start + shift
        return text, first[0] + shift, True, tail[len(tail) - total][0] + shift
    # a description: from its determiner, no clause word or punctuation inside
    chosen = None
    for j in range(len(tail) - 1, -1, -1):
        w = tail[j][2]
        if re.search(r"[^\w'’\-]", w) and j != len(tail) - 1:
            break
        low = w.casefold()
        if low in _DETERMINERS or low.startswith(("l'", "l’")) or (low.endswith(("'s", "’s")) and j < len(tail) - 1):
            chosen = j  # "a spokeswoman", "Sweden's deputy director of public prosecutions"
        elif low in _CLAUSE_WORDS - {"of", "for", "at", "in", "from", "de"} or low in _PRONOUNS:
            break
    if chosen is not None and chosen < len(tail) - 1:
        first = tail[chosen]
        return stripped[first[0] + shift:].strip(), first[0] + shift, False, first[0] + shift
    # a bare plural: "organizers", "police officials"
    bare = [w for w in tail[-2:] if re.fullmatch(r"[a-zà-ÿ][\w\-]*", w[2])]
    if (bare and len(bare) == len(tail[-2:]) and (len(tail) <= 2 or not tail[-3][2][-1:].isalnum()
                                                  or tail[-3][2].casefold() in _CLAUSE_WORDS)
            and bare[-1][2].endswith("s") and bare[-1][2].casefold() not in _DETERMINERS):
        return stripped[bare[0][0] + shift:], bare[0][0] + shift, False, bare[0][0] + shift
    return None


def _name_run(words: list[tuple[int, int, str]], from_end: bool = False) -> tuple[str, int, int] | None:
    """The run of capitalised words at the end (or start) of `words`.

    Returns (name, words used, words in the run with the title words dropped from the name)."""
    seq = list(reversed(words)) if from_end else list(words)
    run: list[str] = []
    for j, (_, _, w) in enumerate(seq):
        core = w.rstrip(",.;:") if not from_end else w
        if not from_end and w.endswith(".") and _CAP.match(core) and (
                len(core) == 1 or core.casefold() in _ABBREVIATIONS | _HONORIFICS):
            run.append(w)  # an initial or a title: "Mary E. Lovely", "Rep. Brian Babin"
            continue
        if not from_end and core != w and _CAP.match(core):
            run.append(core)
            break
        if _CAP.match(core) or core in _PARTICLES and run and j + 1 < len(seq) and _CAP.match(seq[j + 1][2]):
            run.append(core)
        else:
            break
        if len(run) >= 6:
            break
    if from_end:
        run.reverse()
    # drop title words and weekdays at the edges
    count = total = len(run)
    while run and (run[0].casefold() in _NOT_NAME or run[0] in _PARTICLES):
        run.pop(0)
        if from_end:
            count -= 1
    while run and run[-1].rstrip(".").casefold() in _NOT_NAME:
        run.pop()
        if not from_end:
            count -= 1
    if not run:
        return None
    if from_end:
        return (" ".join(run).rstrip(".") if not re.search(r"\b\w\.$", run[-1]) else " ".join(run)), count, total
    return (" ".join(run).rstrip(".,") if len(run[-1]) > 2 else " ".join(run)), count, total


def _np_after(s: str, i: int) -> tuple[str, int] | None:
    """The speaker right after a speech verb at `i`: a name, a pronoun or a description (then ', NAME')."""
    m = re.match(r"[" + _SPACES + r"]+", s[i:])
    if not m:
        return None
    j = i + m.end()
    clause = _ABBREVIATED.match(s, j, j + 120)
    if not clause or clause.end() == j:
        return None
    words = _words(clause.group())
    if not words:
        return None
    first = words[0][2]
    if first.casefold() in _PRONOUNS | _FIRST_PERSON and (len(words) == 1 or first.casefold() not in _DETERMINERS):
        return first, j  # "sagte er"; but "secondo il portavoce" is no pronoun
    name = _name_run(words)
    first_cap = 0
    while first_cap < min(3, len(words)) and re.fullmatch(r"[\da-zà-ÿ][\w\-]*", words[first_cap][2]) \
            and words[first_cap][2].casefold() not in _DETERMINERS | _PRONOUNS | _CLAUSE_WORDS:
        first_cap += 1  # "43-year-old Martin Taylor"
    if 0 < first_cap < len(words) and _CAP.match(words[first_cap][2]):
        later = _name_run(words[first_cap:])
        if later is not None and len(later[0].split()) >= 2:
            return later[0], j + words[first_cap][0]
    if name is not None and name[1] < len(words):  # "NASA administrator Jim Bridenstine"
        titles = [w for _, _, w in words[name[1]:name[1] + 4]]
        k = 0
        while k < len(titles) and k < 3 and re.fullmatch(r"[a-zà-ÿ][\w\-]*", titles[k]) \
                and titles[k] not in _CLAUSE_WORDS and titles[k] not in _PARTICLES:
            k += 1
        later = _name_run(words[name[1] + k:]) if k else None
        if later is not None and len(later[0].split()) >= 2:
            return later[0], j + words[name[1] + k][0]
    if name is not None and name[1] > 0 and _CAP.match(first):
        skipped = len(words[0][2]) if first.casefold() in _NOT_NAME else 0
        offset = j + (s[j:].find(name[0]) if skipped else 0)
        return name[0], offset
    low = first.casefold()
    if low in _DETERMINERS or low.startswith(("l'", "l’")) or re.fullmatch(r"[a-zà-ÿ][\w\-]*s", first):
        desc = clause.group().strip(_SPACES)
        cut = re.search(r"\s(?:in|on|at|during|after|before|en|dans|lors|durante|am|beim|nel|durante|to)\s", desc)
        if cut:
            desc = desc[:cut.start()]
        if len(desc.split()) > 10:
            return None
        after = s[clause.end():]
        appos = re.match(r",[" + _SPACES + r"]+([^,.;:!?\"“”«»„()\n]{1,60})", after)
        if appos:
            name_words = _words(appos.group(1))
            run = _name_run(name_words)
            if run is not None and run[1] == len(name_words) and len(name_words) >= 2:
                return run[0], clause.end() + appos.start(1)
        return desc, j
    return None


# --- neighbours (rule 8) and pronouns (rule 11) -------------------------------------------------------


def _propagate(text: str, spans: list[_Span], i: int, starts: list[int], paragraphs: list[tuple[int, int]]) -> None:
    span = spans[i]
    k = bisect.bisect_right(starts, span.start) - 1
    sentence_start = starts[k]
    ps = paragraphs[span.para][0]
    before = text[max(sentence_start, spans[i - 1].end if i > 0 else 0):span.start].strip(_SPACES)
    if before and not before.endswith(":"):
        return
    if i > 0 and spans[i - 1].end > sentence_start and sentence_start < span.start:
        return  # the sentence holds an earlier quote: this one is part of it
    nk = bisect.bisect_left(starts, span.end)
    sentence_end = starts[nk] if nk < len(starts) else len(text)
    pe = paragraphs[span.last_para][1]
    after = text[span.end:min(sentence_end, pe)].strip(_SPACES)
    if after not in ("", ".", "…"):
        return
    if k == 0:
        return
    prev_start = starts[k - 1]
    if sentence_start == ps and _para_of(paragraphs, prev_start) != span.para - 1:
        return
    # the sentence before: a quote attributed there
    for j in range(i - 1, -1, -1):
        other = spans[j]
        if other.end <= prev_start:
            break
        if other.start >= prev_start and other.speaker is not None:
            span.speaker, span.speaker_pos, span.named = other.speaker, other.speaker_pos, other.named
            span.sources.append("previous")
            return
    # the sentence before: "X said …"
    prev_text = text[prev_start:sentence_start]
    if not any(s.start < sentence_start and s.end > prev_start for s in spans):
        found = _partial_attribution(prev_text)
        if found is not None:
            _set(span, found[0], prev_start + found[1], "previous")
            return
    # the sentence after opens with an attributed quote
    if i + 1 < len(spans):
        nxt = spans[i + 1]
        if nxt.speaker is not None and nxt.para == span.last_para and not text[span.end:nxt.start].strip(_SPACES):
            span.speaker, span.speaker_pos, span.named = nxt.speaker, nxt.speaker_pos, nxt.named
            span.sources.append("next")


def _antecedents(text: str, paragraphs: list[tuple[int, int]], spans: list[_Span],
                 starts: list[int]) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Named people a pronoun may stand for, in reading order (rule 11): quote speakers, the subjects of
    speech verbs ("Ezra Levin, a co-founder, said …", "…, said Mary Lovely"), and a proper name that opens
    a sentence ("Sondland has amended his testimony"); and the gender the text gives some of them
    ("Stier says he noticed", "Ms. Lovely"), by surname."""
    inside = [(s.start, s.end) for s in spans]
    genders: dict[str, str] = {}
    lo, hi = paragraphs[0][0], paragraphs[-1][1]

    def quoted(pos: int) -> bool:
        k = bisect.bisect_right(inside, (pos, 10**12)) - 1
        return k >= 0 and inside[k][0] <= pos < inside[k][1]

    found = [(s.speaker_pos, s.speaker) for s in spans if s.speaker and s.named]
    for v in _VERB_RE.finditer(text, lo, hi):
        if quoted(v.start()):
            continue
        ps = paragraphs[_para_of(paragraphs, v.start())][0]
        window_start = max(ps, v.start() - 200)
        subject = _np_before(text[window_start:v.start()])
        if subject is not None and _CAP.match(subject[0].split()[0]) \
                and subject[0].casefold() not in _PRONOUNS | _FIRST_PERSON:
            found.append((window_start + subject[2], subject[0]))
            said = [w.strip(",").casefold() for w in text[v.end():v.end() + 20].split()[:2]]
            gender = next((g for g in map(_GENDERS.get, said) if g), None)  # "Stier says he noticed"
            if gender:
                genders.setdefault(_surname(subject[0]), gender)
        elif text[max(ps, v.start() - 2):v.start()].strip(_SPACES) == "," and v.group() not in _NOT_VERB_FIRST:
            after = _np_after(text[v.start():min(len(text), v.start() + 200)], v.end() - v.start())
            if after is not None and _CAP.match(after[0].split()[0]) and after[0].casefold() not in _FIRST_PERSON:
                found.append((v.start() + after[1], after[0]))
    ended_name: dict[str, int] = {}
    for start in starts:
        if quoted(start):
            continue
        words = _words(text[start:start + 80])
        if not words or words[0][2].strip(",").casefold() in _PRONOUNS | _FIRST_PERSON:
            continue
        lead = words[0][2].casefold()
        if lead in _NOT_NAME and lead not in _CONJUNCTIONS:
            continue
        name = _name_run(words)
        if name is None or name[1] >= len(words):
            continue
        last, following = words[name[1] - 1][2], words[name[1]][2]
        if last.endswith(","):  # "Buser, however, is counting …"
            if following.strip(",").casefold() not in _ASIDES:
                continue
        elif not re.fullmatch(r"[\w'’\-]+", last) or not re.fullmatch(r"[a-zà-ÿ][\w'’\-]*,?", following):
            continue
        single = name[0].split()
        if len(single) == 1:  # one word at a sentence start is a name only after it ended a longer name
            if single[0] not in ended_name:
                m = re.search(r"(?:[" + _UPPER + r"]\w*|\b[" + _UPPER + r"]\.) " + re.escape(single[0]) + r"\b", text)
                ended_name[single[0]] = m.start() if m else len(text)
            if ended_name[single[0]] >= start:
                continue
        offset = text.find(single[0], start)
        found.append((offset, name[0]))
    for surname in list(dict.fromkeys(_surname(who) for _, who in found))[:100]:
        if surname in genders or len(surname) < 2:
            continue
        # "Ms. Lovely", "Steenburgen's son, filmmaker Charlie McDowell", "the actress Mary Steenburgen"
        for m in re.finditer(r"(?<!\w)" + re.escape(surname) + r"(?!\w)", text[:hi], re.IGNORECASE):
            before = re.findall(r"[\w.]+", text[max(lo, m.start() - 40):m.start()])[-4:]
            gendered = [_TITLE_GENDERS.get(w.strip(".").casefold()) or _NOUN_GENDERS.get(w.casefold())
                        for w in before]
            gender = next((g for g in reversed(gendered) if g), None)
            if gender:
                genders[surname] = gender
                break
    return sorted(found), genders


def _antecedent(antecedents: list[tuple[int, str]], genders: dict[str, str], pos: int, pronoun: str,
                paragraphs: list[tuple[int, int]]) -> tuple[int, str] | None:
    """The last named person before `pos`, in its paragraph or the one before, of the pronoun's gender
    where the text tells it; the pronoun's gender is then remembered for that person."""
    wanted = _GENDERS.get(pronoun.casefold())
    first_para = _para_of(paragraphs, pos) - 1
    k = bisect.bisect_left(antecedents, (pos, "")) - 1
    while k >= 0:
        at, name = antecedents[k]
        if _para_of(paragraphs, at) < first_para:
            return None
        known = genders.get(_surname(name))
        if not (wanted and known and known != wanted):
            if wanted:
                genders.setdefault(_surname(name), wanted)
            return at, name
        k -= 1
    return None


def _surname(name: str) -> str:
    return name.split()[-1].strip(".").casefold() if name.split() else ""


# --- people ---------------------------------------------------------------------------------------------


def _fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").split())


def _match_person(speaker: str, pos: int, text: str, people: Sequence[str]) -> str | None:
    folded = _fold(speaker)
    for person in people:
        if re.search(r"(?<!\w)" + re.escape(_fold(person)) + r"(?!\w)", folded):
            return person
    words = [w.rstrip(".") for w in folded.split()]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words.pop(0)
    if len(words) != 1:
        return None
    best: tuple[int, str] | None = None
    for person in people:
        parts = _fold(person).split()
        if len(parts) < 2 or parts[-1] != words[0]:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in person.split()) + r"(?!\w)"
        for m in re.finditer(pattern, text[:max(0, pos)], re.IGNORECASE):
            if best is None or m.start() > best[0]:
                best = (m.start(), person)
    return best[1] if best else None


def _is_title(quoted: str) -> bool:
    """A short title-case phrase: a name, a slogan or a title, not speech (rule 9)."""
    words = quoted.strip(" ,.!?").split()
    if not words or len(words) > 6:
        return False
    long_words = [w for w in words if len(w.strip(",.:;!?")) >= 4]
    return len(long_words) >= 2 and all(w[:1].isupper() for w in long_words) and not re.search(r"[.!?]\s", quoted)

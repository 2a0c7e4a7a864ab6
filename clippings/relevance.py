"""Decide whether article text names the campaign, and record which terms matched where.

`Matcher` compiles the campaign's terms once. `could_match` is a cheap necessary condition on a raw
page; `find` and `assess` are the precise matcher on extracted article text (headline, lede, body;
extraction has already dropped navigation, sidebars, related-story boxes and footers).

How a term is found (a "candidate"):
- Any casing. Words may be separated by whitespace (line breaks too) or a hyphen, never by other
  punctuation: "Stand up, America!" is no candidate.
- Inside a word a soft hyphen, a zero-width character or a line-end hyphen ("Indivi-\\nsible") is
  ignored. Whole words only; a possessive or a following name ("Indivisible Chicago") is fine.
- Glued after "#" or "@": "#ProtectTheResults", "@IndivisibleTeam" (a handle may carry any suffix,
  a hashtag only one that starts with a capital, a digit or "_").

How a candidate is judged (the first rule that applies wins):
1. Another entity of the same name: a law word right after it ("Count Every Vote Act"), or an
   other-entity cue (comedy, tour, album, film, game, sculpture...) within WINDOW words and no
   organisation cue (coalition, advocacy, rally, founder...) nearer: not a mention.
2. People: a full name is a mention unless the name goes on ("Sean Eldridge-Smith"). A bare
   surname never makes an article relevant; `assess` reports surnames only after the full name.
3. Handles, and hashtags other than one lowercase word ("#indivisible"): a mention.
4. A chant, "!" right after it: not a mention.
5. Ordinary syntax, unless the casing is evidence (rule 7): after "to", a modal or a pronoun (and,
   for one-word terms, after a copula or an article), or before "of", "in", "by", "cast"...: not.
6. Strong local cues: a possessive written with the campaign's capitals; an entity noun or a
   reporting verb right after it ("Count Every Vote rallies", "Indivisible said"); an entity noun
   or naming word right before it ("la coalición Protect the Results", "a group called ..."); tight
   quotes or guillemets around it, unless they quote a sentence ("'Protect the results,' ...");
   for organisations outside title-case lines, a capitalised name right after it ("Indivisible
   SF"): a mention.
7. Casing as evidence: every capitalised word of the campaign's spelling is capitalised (or the
   words are all caps), in a line that is neither title case nor all caps (other candidates left
   out; a line ending with a full stop is prose), not only because a sentence or quotation starts
   there (a one-word term at a sentence start proves nothing), and not inside a longer run of
   capitalised words ("One Nation Under God Indivisible With"): a mention.
8. Weak context: an organisation cue within WINDOW words: a mention, except for a one-word term
   in lowercase (too ordinary: "an indivisible union").
9. Otherwise (lowercase or ambiguous casing, no cue): not a mention.

The cue lists are generic English, Spanish, French, German and Portuguese words; nothing here
knows the campaign's names. tests/fixtures/relevance/snippets.jsonl is the labelled check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from clippings.article import Mention
from clippings.campaign import Campaign, Term
from clippings.multiscan import compile_multi

WINDOW = 10  # words each side searched for cues
_SPAN = 600  # characters each side read for the window

_ZW = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen and zero-width characters
_BREAK = rf"(?:[{_ZW}]+|-[ \t\n\r\f\v]+)"  # inside a word: soft hyphen, zero width, line-end hyphen
_SEP = rf"[{_ZW}]*(?:\s*[-\u2010\u2011]\s*|\s+)[{_ZW}]*"  # between words
_QUOTES = "\"'“”‘’«»„‚‹›「」"
_OPEN_SKIP = _QUOTES + "([{¡¿"

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_PART_RE = re.compile(r"[^\W_]+")
_TERM_WORD_RE = re.compile(r"\S+")
_FRAGMENT_RE = re.compile(r"[a-z0-9]+")
_PARA_RE = re.compile(r"\n\s*\n")
_CLEAN_MATCH_RE = re.compile(rf"[{_ZW}]+|-[ \t\n\r\f\v]+(?=\w)")
_POSSESSIVE_RE = re.compile(r"['’][sS](?!\w)")
_TIGHT_CLOSE_RE = re.compile(r"[,;:]?[ \u00a0\u202f]?[" + re.escape(_QUOTES) + "]")
_TIGHT_OPEN_RE = re.compile(r"[" + re.escape(_QUOTES) + r"][ \u00a0\u202f]?$")
_CHANT_RE = re.compile(r"\s*!")
_LONGER_NAME_RE = re.compile(r"-(?=[A-ZÀ-ÖØ-Þ])")
_PREV_ADJACENT_RE = re.compile(r"([^\W\d_][\w'’\-.]*)[ \t\u00a0]+$")
_NEXT_ADJACENT_RE = re.compile(r"[ \t\u00a0]+([^\W\d_]\w*)")
_OTHER_FIRST_NAME_RE = re.compile(
    r"(?<![\w.])(?!(?:Mr|Mrs|Ms|Dr|Sr|Sra|Mme|M|Herr|Frau)\.?\s)[A-Z]\w*\.?\s+$"
)


def _cue_set(words: str) -> frozenset[str]:
    """A set of lowercase cue words from a whitespace-separated list."""
    return frozenset(words.split())


# prefilter: what may vanish inside a word between raw HTML and extracted text (lowercase ASCII)
_PRE_MARKER_RES = (
    re.compile(rb"-(?:\s|<br\s*/?>)+"),  # line-end hyphenation, also before a <br>
    re.compile(
        rb"&(?:shy|zwj|zwnj|#x0*(?:ad|200[bcd]|2060|feff)|#0*(?:173|820[345]|8288|65279));?"
    ),
    re.compile(rb"<wbr\s*/?>"),
)
_PRE_CLEAN_RE = re.compile(b"|".join(rx.pattern for rx in _PRE_MARKER_RES))
# A necessary condition for `breaks_matter`, found in the same Hyperscan pass as the terms: a
# soft-hyphen entity, a <wbr>, a line-end hyphen with a <br>, or one right after a byte that may
# end a run. A page with none of these needs no `find_breaks` (most pages: their hyphens follow
# a space or a quote).
_PRE_MARKER_GATES = (
    _PRE_MARKER_RES[1].pattern,
    _PRE_MARKER_RES[2].pattern,
    rb"-(?:\s|<br\s*/?>)*<br\s*/?>",
    rb"[a-z0-9#&]-(?:\s|<br\s*/?>)",
)
# Where a line-end hyphen may start: a "-" before whitespace or "<". Scanning for this is cheaper
# than scanning with the full pattern, which is then tried at these places only.
_PRE_HYPHEN_RE = re.compile(rb"-[\s<]")
_PRE_ENTITY_STARTS = (b"&s", b"&z", b"&#")  # how a soft-hyphen or zero-width entity starts
_PRE_ENTITY_SCAN = 64  # "&"s looked at one by one (memchr-fast) before a regex scan takes over
# A marker right after one of these may sit inside a run or an entity.
_PRE_JOINING = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789#&")
_PRE_ENTITY_OPEN_RE = re.compile(rb"&[#a-z0-9]{0,32}\Z")  # an entity's start right before a marker
_PRE_ENTITY_GOES_ON = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789#;")  # its rest right after it
_NON_ASCII = bytes(range(128, 256))
# One byte of each character that may vanish inside a word (soft hyphen: \xad in UTF-8 and
# Latin-1; U+200B-D, U+2060, U+FEFF in UTF-8): a page without any of them needs no folding.
_INVISIBLE_GATES = (b"\xad", b"\x8b", b"\x8c", b"\x8d", b"\x81", b"\xef")
# What may stand between words: whitespace, hyphens, underscores, tags, entities, and any
# non-ASCII byte (a no-break space, or the accented letters of a raw UTF-8 page).
_PRE_GAP = rb"(?:[\s\-_\x80-\xff]|<[^<>]*>|&[#a-z0-9]{1,32};)*"

_ORG_CUES = _cue_set(
    """
    coalition coalitions campaign campaigns group groups organization organizations organisation
    organisations organizer organizers organiser organisers organizing organising advocacy
    progressive progressives grassroots nonprofit non-profit activist activists founder founders
    co-founder cofounder founded spokesperson spokeswoman spokesman executive chapter chapters
    member members volunteers rally rallies protest protests protesters protestors march marches
    marched demonstration demonstrations vigil vigils mobilization mobilisation mobilizations
    petition watchdog watchdogs movement alliance network partners partner nationwide
    coalición campaña grupo grupos organización organizaciones movimiento activistas fundador
    fundadora portavoz manifestación manifestaciones protesta protestas marcha marchas
    concentración concentraciones progresista progresistas convocatoria convocó
    campagne groupe groupes association associations mouvement militants fondateur fondatrice
    porte-parole manifestation manifestations rassemblement rassemblements progressiste collectif
    koalition bündnis kampagne gruppe gruppen organisation bewegung aktivisten gründer gründerin
    sprecher sprecherin kundgebung kundgebungen demonstration demonstrationen proteste
    coalizão campanha organização organizações movimento ativistas porta-voz manifestação
    manifestações protesto protestos progressista
    """
)
_OTHER_CUES = _cue_set(
    """
    comedy comedian comedians comic comics stand-up standup tour tours touring show shows special
    album albums song songs band bands film films movie movies documentary festival festivals
    podcast podcasts novel novels book books memoir game games videogame video-game rpg gameplay
    console series season episode episodes netflix hbo concert concerts theater theatre musical
    premiere trailer soundtrack studio studios sitcom actor actress singer rapper guitarist
    player players footballer athlete striker quarterback whisky whiskey brand perfume fragrance
    sculpture sculptor painting artwork artist exhibit exhibition museum gallery installation
    statue mural poem opera ballet
    comedia cómico cómicos humorista humoristas gira espectáculo álbum canción canciones película
    películas documental novela libro videojuego serie concierto cantante escultura exposición
    museo obra
    humour humoriste humoristes comique tournée spectacle chanson roman livre jeu série chanteur
    exposition tableau musée parfum
    komiker komikerin kabarett tournee konzert lied buch spiel serie sänger skulptur ausstellung
    gemälde museum
    comédia turnê espetáculo canção filme livro jogo cantor exposição
    """
)
_LAW_WORDS = _cue_set("act bill law amendment ley loi gesetz lei")
_ENTITY_NOUNS = _cue_set(
    """
    coalition campaign group organization organisation organizers organisers founder co-founder
    spokesperson spokeswoman spokesman chapter chapters members member volunteers rally rallies
    event events protest protests march marches vigil vigils movement alliance network petition
    website leaders leader activists staff director executive initiative effort mobilization
    coalición campaña grupo organización movimiento manifestación manifestaciones marcha marchas
    protesta protestas concentraciones portavoz fundador activistas
    campagne groupe mouvement rassemblement rassemblements fondateur militants
    koalition bündnis kampagne gruppe bewegung kundgebung kundgebungen gründer aktivisten
    coalizão campanha organização movimento protestos manifestações
    """
)
_NAMING_WORDS = _cue_set(
    """
    called named dubbed branded titled llamada llamado denominada denominado bautizada
    appelée appelé nommée nommé baptisée intitulée namens genannt chamada chamado denominada
    """
)
_ORDINARY_LEAD = _cue_set(
    "to will would must should can could shall may might we they you i not please let's lets help"
)
_ADJECTIVE_LEAD = _cue_set(
    "is are was were be been being remain remains remained stay stays an a so truly very and"
)
_REPORTING_VERBS = _cue_set(
    """
    said says told announced urged called tweeted posted wrote added stated warned argued
    dijo afirmó declaró anunció convocó a déclaré annonce sagte erklärte teilte disse afirmou
    """
)
_ORDINARY_TAIL = _cue_set("of in on at from for by that which cast counted until before after")
_CAP_STOP = _cue_set(
    """
    the a an and or but in on at of for to by with from as is are was were will has have had
    this that these those it its he she they we i under over after before
    """
)


@dataclass(frozen=True)
class _Compiled:
    """One term's compiled patterns and what the prefilter needs of it."""

    term: Term
    words: tuple[str, ...]  # the term's words as the campaign spells them
    plain: re.Pattern[str]
    tagged: re.Pattern[str]
    fragments: tuple[bytes, ...]  # lowercase ASCII alphanumeric runs, longest first
    in_order: re.Pattern[bytes] | None  # those runs in order, markup allowed between them


@dataclass(frozen=True)
class _Candidate:
    """A place where a term's words occur, before judging."""

    term: Term
    words: tuple[str, ...]
    start: int
    end: int
    sigil: str  # "#", "@" or "" for plain text


class Matcher:
    """The campaign's terms compiled once: a prefilter for raw pages and a precise matcher."""

    def __init__(self, campaign: Campaign) -> None:
        self.compiled = tuple(compile_term(t) for t in campaign.terms)
        self.people = tuple(c for c in self.compiled if c.term.kind == "person")
        self.reach = max((len(f) for c in self.compiled for f in c.fragments), default=0) + 1
        # neighbouring bytes in a run: a break marker between two such bytes may split that run
        self.joins = frozenset(
            f[i : i + 2] for c in self.compiled for f in c.fragments for i in range(len(f) - 1)
        )
        # Step 1 of the prefilter for all terms, and whether step 2 could matter, in one pass
        # (Hyperscan; None where it is missing or a term has no ASCII run: then `re`, term by term).
        self.scan = None
        if all(c.fragments for c in self.compiled):
            terms = [c.in_order.pattern if c.in_order is not None else re.escape(c.fragments[0]) for c in self.compiled]
            self.scan = compile_multi([*terms, *_PRE_MARKER_GATES], stop_ids=range(len(terms)), ascii_caseless=True)

    def step_one(self, data: bytes) -> tuple[bool, bool]:
        """(Some term's runs occur in the lowered data as they stand, in order; a break marker that
        could matter may be there). Without Hyperscan the second is always True. With Hyperscan
        the data need not be lowered (its scan ignores ASCII case)."""
        if self.scan is None:
            return any(holds_directly(c, data) for c in self.compiled), True
        found = self.scan(data)
        return any(i < len(self.compiled) for i in found), any(i >= len(self.compiled) for i in found)

    def could_match(self, raw: str | bytes) -> bool:
        """False only when no term can be in this raw page or text (a necessary condition).

        `raw` is text, or the page's bytes in an ASCII-compatible encoding (UTF-8, Latin-1,
        Windows-125x...: never UTF-16 or UTF-32). ASCII letters are lowercased; text is reduced
        to ASCII, and so are bytes that hold a soft hyphen or a zero-width character (which may
        sit inside a word). Every ASCII run of letters and digits of some term must occur in it,
        also counting the stretches around line-end hyphens, soft-hyphen entities and <wbr> with
        those taken out; and for terms of several runs, the runs must occur in order with only
        whitespace, hyphens, underscores, tags, entities or non-ASCII bytes between them.
        Not seen through: tags inside a word other than <wbr> or a <br> after a hyphen.
        """
        if isinstance(raw, bytes):
            # each gate is a memchr-fast one-byte search; an ASCII page (a faster check) has none
            folded = not raw.isascii() and any(byte in raw for byte in _INVISIBLE_GATES)
            if not folded and self.scan is not None:
                # Most pages end here: one caseless scan of the page as fetched, no lowered copy.
                holds, markers = self.step_one(raw)
                if holds or not markers:
                    return holds
            data = raw.lower()  # bytes.lower() changes ASCII letters only; other bytes stay
        else:
            data = raw.encode("ascii", "ignore").lower()
            folded = False
        # The answer is (1) the runs as they stand (in order), or (2) the runs once what may sit
        # inside a word is taken out: invisible characters (bytes only: the non-ASCII bytes go),
        # line-end hyphens, soft-hyphen entities and <wbr>. Step 1 settles most candidate pages.
        if folded:
            folded_data = data.translate(None, _NON_ASCII)
            holds, markers = self.step_one(folded_data)
            spans = find_breaks(folded_data) if markers else []
            if not breaks_matter(folded_data, spans, self.joins):
                # Taking non-ASCII bytes out keeps every run and in-order match of step 1, and
                # these markers change nothing: the folded data as it stands is the whole answer.
                return holds
            if self.step_one(data)[0]:
                return True
            data = folded_data
        else:
            holds, markers = self.step_one(data)
            if holds:
                return True
            spans = find_breaks(data) if markers else []
            if not breaks_matter(data, spans, self.joins):
                return False  # taking these markers out adds no run and no in-order match
        pieces = break_windows(data, spans, self.reach)

        def anywhere(frag: bytes) -> bool:
            return frag in data or any(frag in p for p in pieces)

        passing = terms_present(self.compiled, anywhere)
        if not passing:
            return False
        cleaned = remove_spans(data, spans)
        return any(c.in_order is None or c.in_order.search(cleaned) for c in passing)

    def find(self, text: str, field: str = "body") -> list[Mention]:
        """The mentions in one text, in order; offsets index the text as given."""
        if not text:
            return []
        candidates = find_candidates(text, self.compiled)
        spans = tuple((c.start, c.end) for c in candidates)
        found = [c for c in candidates if judge_candidate(text, c, field, spans)]
        return [
            Mention(c.term.text, c.term.kind, field, c.start, c.end, text[c.start : c.end])
            for c in found
        ]

    def assess(self, headline: str | None, lede: str | None, body: str | None) -> list[Mention]:
        """The mentions in an article's fields, headline first, then lede, then body."""
        fields = (("headline", headline or ""), ("lede", lede or ""), ("body", body or ""))
        mentions = [m for name, text in fields for m in self.find(text, name)]
        mentions += find_surnames(fields, mentions, self.people)
        order = {name: i for i, (name, _) in enumerate(fields)}
        return sorted(mentions, key=lambda m: (order[m.field], m.start))


@functools.lru_cache(maxsize=8)
def matcher_for(campaign: Campaign) -> Matcher:
    """The campaign's Matcher, compiled once per process (also in worker processes)."""
    return Matcher(campaign)


def assess_article(campaign: Campaign, headline: str | None, lede: str | None, body: str | None) -> list[Mention]:
    """`Matcher.assess` for a campaign: what the relevance pipeline runs, possibly in a worker."""
    return matcher_for(campaign).assess(headline, lede, body)


def is_relevant(mentions: list[Mention]) -> bool:
    """True iff the article names the campaign at least once."""
    return bool(mentions)


def compile_term(term: Term) -> _Compiled:
    """Compile a term's plain and hashtag/handle patterns and its prefilter fragments."""
    words = tuple(_TERM_WORD_RE.findall(term.text))
    plain = _SEP.join((_BREAK + "?").join(letter_pattern(ch) for ch in word) for word in words)
    glued = f"[{_ZW}]*_?[{_ZW}]*".join(
        f"[{_ZW}]*".join(letter_pattern(ch) for ch in word) for word in words
    )
    runs = [f.encode("ascii") for f in _FRAGMENT_RE.findall(term.text.lower())]
    fragments = sorted(set(runs), key=len, reverse=True)
    in_order = re.compile(_PRE_GAP.join(re.escape(r) for r in runs)) if len(runs) > 1 else None
    return _Compiled(
        term=term,
        words=words,
        plain=re.compile(rf"(?<![\w#@＃])(?:{plain})(?!\w)"),
        tagged=re.compile(rf"(?<![\w#@＃])([#＃@])(?:{glued})(\w*)"),
        fragments=tuple(fragments),
        in_order=in_order,
    )


def letter_pattern(ch: str) -> str:
    """A character class for one character of a term in either case (no Unicode folding tricks)."""
    if ch in "'’":
        return "['’]"
    if not ch.isalpha():
        return re.escape(ch)
    forms = {ch, ch.lower(), ch.upper()}
    return "[" + "".join(re.escape(f) for f in sorted(forms) if len(f) == 1) + "]"


def terms_present(compiled: tuple[_Compiled, ...], has: Callable[[bytes], bool]) -> list[_Compiled]:
    """The terms for which `has` holds for every fragment."""
    return [c for c in compiled if all(has(f) for f in c.fragments)]


def holds_directly(c: _Compiled, data: bytes) -> bool:
    """True if the term's runs occur in the data as it stands (in order, for several runs)."""
    if c.in_order is None:
        return all(f in data for f in c.fragments)
    # A match holds every run: only the longest (likely the rarest) is worth a look first.
    return c.fragments[0] in data and c.in_order.search(data) is not None


def find_breaks(data: bytes) -> list[tuple[int, int]]:
    """Where in-word break markers (line-end hyphens, soft-hyphen entities, <wbr>) sit."""
    hyphen, entity, wbr = _PRE_MARKER_RES
    # A line-end hyphen holds a "-" and an entity an "&" only where it starts, so trying the
    # pattern at each place one could start finds exactly what a scan with the pattern finds.
    places = (hyphen.match(data, h.start()) for h in _PRE_HYPHEN_RE.finditer(data))
    found = [m.span() for m in places if m]
    at, tries = data.find(b"&"), 0
    while at >= 0 and tries < _PRE_ENTITY_SCAN:
        if data.startswith(_PRE_ENTITY_STARTS, at) and (m := entity.match(data, at)):
            found.append(m.span())
        at, tries = data.find(b"&", at + 1), tries + 1
    if at >= 0:
        found += [m.span() for m in entity.finditer(data, at)]
    found += [m.span() for m in wbr.finditer(data)]
    spans = sorted(found)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def break_windows(data: bytes, spans: list[tuple[int, int]], reach: int) -> list[bytes]:
    """The stretches within `reach` of break markers, with the markers taken out."""
    windows: list[list[int]] = []
    for s, e in spans:
        if windows and s - reach <= windows[-1][1]:
            windows[-1][1] = e + reach
        else:
            windows.append([max(0, s - reach), e + reach])
    return [_PRE_CLEAN_RE.sub(b"", data[a:b]) for a, b in windows]


def breaks_matter(data: bytes, spans: list[tuple[int, int]], joins: frozenset[bytes]) -> bool:
    """Whether taking the markers at `spans` out of `data` could add a run or an in-order match.

    Each marker is hyphens, whitespace, tags or an entity, which may stand between runs anyway.
    Taking one out only matters where it (with any markers right after it) sits inside a run
    (the bytes either side are neighbours in some run: `joins`), inside an entity ("&" and at
    most 32 name bytes right before it, a name byte or ";" right after it), inside a tag when it
    holds a "<" (the last "<" or ">" before it is a "<"), or where it is no entity by itself (no
    ";", or a name longer than 32).
    """
    for i, (start, end) in enumerate(spans):
        if data[start] == 38:  # "&"
            if data[end - 1] != 59 or end - start > 34:  # ";"
                return True
        elif data.find(b"<", start, end) >= 0 and data.rfind(b"<", 0, start) > data.rfind(b">", 0, start):
            return True
        if not start or data[start - 1] not in _PRE_JOINING:
            continue
        j, after = i, end  # past this marker and the markers right after it
        while j + 1 < len(spans) and spans[j + 1][0] == after:
            j += 1
            after = spans[j][1]
        if after == len(data):
            continue
        if data[start - 1 : start] + data[after : after + 1] in joins:
            return True
        if data[after] in _PRE_ENTITY_GOES_ON and _PRE_ENTITY_OPEN_RE.search(data, max(0, start - 33), start):
            return True
    return False


def remove_spans(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    """The data without the given (sorted, disjoint) spans."""
    if not spans:
        return data
    keep, at = [], 0
    for s, e in spans:
        keep.append(data[at:s])
        at = e
    keep.append(data[at:])
    return b"".join(keep)


def find_candidates(text: str, compiled: tuple[_Compiled, ...]) -> list[_Candidate]:
    """Every place a term's words occur, longest first where they overlap, in text order."""
    found: list[_Candidate] = []
    for c in compiled:
        for m in c.plain.finditer(text):
            found.append(_Candidate(c.term, c.words, m.start(), m.end(), ""))
        for m in c.tagged.finditer(text):
            sigil, suffix = m.group(1), m.group(2)
            if sigil != "@" and suffix and not (suffix[0].isupper() or suffix[0].isdigit()):
                continue
            kind = "@" if sigil == "@" else "#"
            found.append(_Candidate(c.term, c.words, m.start(), m.end(), kind))
    found.sort(key=lambda k: (k.start, -(k.end - k.start)))
    kept: list[_Candidate] = []
    for cand in found:
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    return kept


@dataclass(frozen=True)
class _Context:
    """The words and facts around one candidate that the rules read."""

    left: list[str]  # lowercased words before, nearest first
    right: list[str]  # lowercased words after, nearest first
    prev_word: str | None  # the word right before (only spaces or quotes between)
    next_word: str | None  # the word right after, as written
    inside_run: bool  # capitalised words right before and after it (spaces only between)
    sentence_start: bool
    neutral_line: bool  # the line is title case or all caps: casing proves nothing


def judge_candidate(
    text: str, cand: _Candidate, field: str, spans: tuple[tuple[int, int], ...] = ()
) -> bool:
    """Apply the documented rules to one candidate; `spans` are all candidates in the text."""
    ctx = read_context(text, cand, field, spans)
    if names_other_entity(ctx):
        return False
    if cand.term.kind == "person" and _LONGER_NAME_RE.match(text, cand.end):
        return False  # "Sean Eldridge-Smith"
    if cand.term.kind == "person" or (cand.sigil and is_telling_tag(text, cand)):
        return True
    if _CHANT_RE.match(text, cand.end):
        return False
    case_evidence = has_case_evidence(text, cand, ctx)
    if not case_evidence and is_ordinary_syntax(ctx, len(cand.words)):
        return False
    if has_strong_cue(text, cand, ctx):
        return True
    if case_evidence:
        return True
    if distance(ctx, _ORG_CUES) is None:
        return False
    matched = text[cand.start : cand.end]
    return len(cand.words) > 1 or matched != matched.lower()


def read_context(
    text: str, cand: _Candidate, field: str, spans: tuple[tuple[int, int], ...]
) -> _Context:
    """Collect the window words, neighbours, sentence start and line style around a candidate."""
    lo = max(0, cand.start - _SPAN)
    hi = min(len(text), cand.end + _SPAN)
    before = _PARA_RE.split(_CLEAN_MATCH_RE.sub("", text[lo : cand.start]))[-1]
    after = _PARA_RE.split(_CLEAN_MATCH_RE.sub("", text[cand.end : hi]))[0]
    left_words = [m.group() for m in _WORD_RE.finditer(before)][-WINDOW:][::-1]
    right_words = [m.group() for m in _WORD_RE.finditer(after)][:WINDOW]
    prev_word = neighbour(before[::-1], reverse=True)
    next_word = neighbour(after, reverse=False)
    prev_adjacent = _PREV_ADJACENT_RE.search(before)
    next_adjacent = _NEXT_ADJACENT_RE.match(after)
    return _Context(
        left=[w.lower() for w in left_words],
        right=[w.lower() for w in right_words],
        prev_word=prev_word.lower() if prev_word else None,
        next_word=next_word,
        inside_run=bool(
            prev_adjacent
            and next_adjacent
            and prev_adjacent.group(1)[0].isupper()
            and next_adjacent.group(1)[0].isupper()
        ),
        sentence_start=starts_sentence(text, cand.start),
        neutral_line=is_neutral_line(text, cand, field, spans),
    )


def neighbour(s: str, reverse: bool) -> str | None:
    """The adjacent word if only spaces or quotes separate it (s is reversed on the left side)."""
    i = 0
    while i < len(s) and (s[i] in " \t\u00a0\u202f\n" or s[i] in _QUOTES):
        i += 1
    m = _WORD_RE.match(s, i)
    if not m or (i > 0 and "\n\n" in s[:i]):
        return None
    word = m.group()
    return word[::-1] if reverse else word


def starts_sentence(text: str, start: int) -> bool:
    """True if the candidate opens a text, line, sentence or quotation."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPEN_SKIP):
        if text[i] == "\n" or text[i] in _QUOTES or text[i] in "¡¿":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?:;…•|"


def is_neutral_line(
    text: str, cand: _Candidate, field: str, spans: tuple[tuple[int, int], ...]
) -> bool:
    """True if the candidate's line is title case or all caps, so its casing proves nothing.

    Other candidates on the line are left out of the count; a line that ends with a full stop is
    prose, however many names it holds.
    """
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.end)
    line_end = len(text) if line_end < 0 else line_end
    pieces, at = [], line_start
    for s, e in sorted(set(spans) | {(cand.start, cand.end)}):
        if e <= line_start or s >= line_end:
            continue
        pieces.append(text[at:s])
        at = max(at, e)
    pieces.append(text[at:line_end])
    outside = " ".join(pieces)
    words = _WORD_RE.findall(outside)
    if len(words) > 25:
        return False
    letters = [ch for ch in outside if ch.isalpha()]
    if len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
        return True
    if text[line_start:line_end].rstrip(" \t" + _QUOTES).endswith("."):
        return False
    significant = [w for w in words if len(w) >= 4 and w.isalpha()]
    if len(significant) < 2:
        return field == "headline"
    capitalised = sum(w[0].isupper() for w in significant)
    return capitalised >= 0.7 * len(significant)


def has_case_evidence(text: str, cand: _Candidate, ctx: _Context) -> bool:
    """True if the capitals, not grammar or layout, say this is the name (rule 7)."""
    if ctx.neutral_line:
        return False
    if written_casing(text, cand) not in ("exact", "caps"):
        return False
    if ctx.sentence_start and sum(w[:1].isupper() for w in cand.words) < 2:
        return False
    return not (ctx.inside_run and not ctx.sentence_start)


def written_casing(text: str, cand: _Candidate) -> str:
    """How it is written: "caps", "exact" (the campaign's capitals), "lower" or "mixed"."""
    matched = _CLEAN_MATCH_RE.sub("", text[cand.start : cand.end]).lstrip("#＃@")
    letters = [ch for ch in matched if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return "caps"
    if matched == matched.lower():
        return "lower"
    capitals = [w[:1].isupper() for w in cand.words]
    if not any(capitals):
        return "mixed"
    if cand.sigil:
        # glued: the campaign's capital letters must all be capitals here
        wanted = [ch for w in cand.words for ch in w if ch.isalpha()]
        got = [ch for ch in matched if ch.isalpha()][: len(wanted)]
        ok = all(g.isupper() for g, w in zip(got, wanted, strict=False) if w.isupper())
        return "exact" if ok else "mixed"
    written = _PART_RE.findall(matched)
    if len(written) != len(cand.words):
        return "mixed"
    ok = all(wr[:1].isupper() for wr, cap in zip(written, capitals, strict=True) if cap)
    return "exact" if ok else "mixed"


def is_telling_tag(text: str, cand: _Candidate) -> bool:
    """True for a handle, or a hashtag that is more than one lowercase ordinary word."""
    return cand.sigil == "@" or len(cand.words) > 1 or written_casing(text, cand) != "lower"


def is_ordinary_syntax(ctx: _Context, n_words: int) -> bool:
    """True if the words around it read as an ordinary phrase (verb or adjective use)."""
    if ctx.prev_word in _ORDINARY_LEAD or (n_words == 1 and ctx.prev_word in _ADJECTIVE_LEAD):
        return True
    return ctx.next_word is not None and ctx.next_word.lower() in _ORDINARY_TAIL


def has_strong_cue(text: str, cand: _Candidate, ctx: _Context) -> bool:
    """True for a possessive, an adjacent entity noun or naming word, tight quotes or a chapter."""
    nxt = ctx.next_word.lower() if ctx.next_word else None
    casing = written_casing(text, cand)
    if _POSSESSIVE_RE.match(text, cand.end):
        return casing in ("exact", "caps")
    if nxt in _ENTITY_NOUNS or nxt in _REPORTING_VERBS:
        return True
    if ctx.prev_word in _ENTITY_NOUNS or ctx.prev_word in _NAMING_WORDS:
        return True
    if _TIGHT_OPEN_RE.search(text, max(0, cand.start - 2), cand.start) and _TIGHT_CLOSE_RE.match(
        text, cand.end
    ):
        return casing != "mixed"  # "‘Protect the results,’ the memo said" quotes a sentence
    return (
        cand.term.kind == "organization"
        and not ctx.neutral_line
        and ctx.next_word is not None
        and ctx.next_word[:1].isupper()
        and nxt not in _CAP_STOP
        and text[cand.start : cand.start + 1].isupper()
        and text[cand.end : cand.end + 1] == " "
    )


def names_other_entity(ctx: _Context) -> bool:
    """True if a law word follows, or an other-entity cue is nearer than any organisation cue."""
    if ctx.next_word and ctx.next_word.lower() in _LAW_WORDS:
        return True
    other = distance(ctx, _OTHER_CUES)
    if other is None:
        return False
    org = distance(ctx, _ORG_CUES)
    return org is None or other <= org


def distance(ctx: _Context, cues: frozenset[str]) -> int | None:
    """How many words away the nearest cue is, on either side, or None."""
    best = None
    for side in (ctx.left, ctx.right):
        for i, word in enumerate(side, 1):
            word = _POSSESSIVE_RE.sub("", word)  # "the tour's name" names a tour
            if word in cues or ("-" in word and any(p in cues for p in word.split("-"))):
                best = i if best is None else min(best, i)
                break
    return best


def find_surnames(
    fields: tuple[tuple[str, str], ...], mentions: list[Mention], people: tuple[_Compiled, ...]
) -> list[Mention]:
    """Capitalised surnames after a person's first full-name mention in the same article."""
    order = {name: i for i, (name, _) in enumerate(fields)}
    extra: list[Mention] = []
    for person in people:
        if len(person.words) < 2:
            continue
        full = [m for m in mentions if m.term == person.term.text]
        if not full:
            continue
        first = min(full, key=lambda m: (order[m.field], m.start))
        surname = re.compile(
            r"(?<![\w-])"
            + (_BREAK + "?").join(letter_pattern(ch) for ch in person.words[-1])
            + r"(?!\w)"
        )
        for name, text in fields[order[first.field] :]:
            taken = [(m.start, m.end) for m in full if m.field == name]
            for m in surname.finditer(text):
                if name == first.field and m.start() < first.end:
                    continue
                if not m.group()[:1].isupper() or any(s <= m.start() < e for s, e in taken):
                    continue
                if _OTHER_FIRST_NAME_RE.search(text, max(0, m.start() - 30), m.start()):
                    continue  # another first name: "Roy Eldridge"
                extra.append(
                    Mention(person.term.text, "person", name, m.start(), m.end(), m.group())
                )
    return extra

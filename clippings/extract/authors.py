"""Authors: a clean list of people (no "By", roles, dates or outlet name) from the best source.

Sources, first that gives a name wins:
1. the JSON-LD article's author (an {"@id"} reference is looked up among the page's other JSON-LD
   objects; Organization authors are skipped), unless one author meta tag names those authors and
   more ("April Roach, Daniel O'Mahony" against a JSON-LD naming only April Roach);
2. author meta tags (author, article:author, parsely-author, dc.creator, citation_author,
   shareaholic:article_author_name, cxenseparse:author, …); itemprop=author metas of a cited work
   (inside another item, as in a paper's reference list) are not the page's author.
   A declared value holding the page's own domain ("Deutsche Welle (www.dw.com)") is the site's
   credit, not a person. A declared login handle ("gabor_munier", "arianschlichenmayer") becomes the
   display name the byline shows for it ("Gàbor Muniér") when both spell the same letters, and a
   declared given name alone ("Nils") the full name a byline shows ("Eine Kolumne von Nils Pickert").
   When the JSON-LD and the meta tags name different people, the ones the page's visible byline
   (itemprop=author, rel=author, byline class) agrees with win.
   A JSON-LD author that is a desk ("Redaktion", "Redacción Diario X", "Editorial Team", "Staff")
   says the article names no person: the HTML is then not searched for one.
3. HTML bylines in order of trust, found in one pass over the page: itemprop=author, <a rel=author>,
   byline classes (and <byline>, data-testid/data-component "…byline…"), author classes
   ("post-author", "author vcard", "c-author__name", "wrote_by", not avatars, bios or e-mail links),
   forum usernames ("username", "…AccountName" classes; the first poster only); several elements of
   a tier are read when each holds names (co-authors in separate spans), but only next to the first
   one (an ancestor in common within three levels), so a list of related stories with their own
   bylines adds nobody. When the first
   itemprop=author / rel=author / byline element names only the outlet or its desk
   ("auto-motor.at Redaktion"), lesser places are not read. An author box too long to be a byline
   gives the heading or "…name" element inside it ("<div class=author-info>…<h3>Inga Hoeltmann</h3>
   <p>Journalistin …</p></div>"; not "Über den Autor");
4. a post-meta line ("Posted in News by jane on 3 May 2019": what follows "by"/"von"; else the text of
   a link to a user's profile in it: "<a href=/user-uebersicht/?u=79003>MikeNils</a> 18.10.2019");
5. a short line whose text starts with a byline label ("Von Leonora Holling", "Autor: Fritz Imhof",
   "---- by Kenneth Surin", "Datum: 03.11.2021 Autor: Peter Maahn"), not a heading ending in ":";
   when the element's own text is only the label ("<p>Von <a>Roland Brockmann</a> und <a>…</a>
   <br>Kakuma</p>"), its first line (up to a <br>) is read; a second such line only next to the first.
   A short line that is a date, perhaps a time, then a name ("11.12.2019 - Amelie Loevenich",
   "04.02.2022 | 13:10 Uhr | Uta Helkenberg", "06.11.2023 13:30 von Olga") is a byline too, unless
   the lines next to it open with dates as well (a calendar: "16.11.2022 - JP Cooper - Flex");
6. the first links to an author page ("/author/jane-doe/", "/autoren/georg-quaas/") on a page that
   declares itself an article (JSON-LD, og:type) or inside an <article>, one link at a time (without
   the copyright line of the author's photo inside the link: "© Kathrin Führes");
7. a closing signature: the last element of a text is a paragraph that is only a name of two or three
   capitalised words in bold or italics ("<p><b><i>Stefan Wasmer</i></b></p>"), after at least two
   paragraphs, with nothing but empty elements after it;
8. a wire dateline opening the page's description ("Hamburg (dpa/lno) – …" -> "dpa").
A Chinese editor's line may also be the tail text after an element ("<span>…</span> 责任编辑： 焦鹏").
Navigation, footers outside the article, comments, sidebars and related-story lists are not read (a
post's own container flagged "sidebar-right" next to "hentry" or "post-123" is not a sidebar), nor
is a byline inside a link that holds more than the byline: a card linking to another story.

Cleaning rules, applied to every candidate string:
- "A, B and C" / "A und B" / "A & B" / "A; B" / "A/B" / "A im Gespräch mit B" are split into names;
  several links in one byline element give one name each. One word after a full name is a place
  ("Von Markus Balser, Berlin"), unless it is written in capitals ("NDR") or is an agency.
- Labels go: "By", "Von", "Von:", "Written by", "Author:", "Autoren", "Post author By", "View all
  posts by", "Eingestellt von", "Text & Fotos:", "Eine Kolumne von", "Posted on <date> by", "作者：",
  "责任编辑：", "Автор:"; "홍길동 기자" loses "기자"; what names a text before "von" and a full name
  goes ("Pressemitteilung von Katja Kipping" -> "Katja Kipping"); "… For The Mail On Sunday" (the
  outlet the byline wrote for) goes.
- Anything from a date, a time, a weekday, "Updated …", "Quelle:" or "Foto:" on is cut off
  ("Jane Doe 12. März 2020" -> "Jane Doe", also glued: "Nicole Collignon22. Februar 2020");
  e-mail addresses, @handles and URLs are removed.
- Roles and job titles are dropped ("Staff Writer", "Redaktion", "red", "PhD", "Geschäftsführer von
  X"), and what follows a role in the same string describes the person ("Marco K., Expert for
  Windows, Software" -> "Marco K."); "<Name> <Outlet> Staff" keeps the name.
- Not people, so dropped: organisations ("… e.V.", "… GmbH", "… Verlag", "-magazin", "Illustrierte",
  "Auswärtiges Amt", "Redacción …", a name ending in a country: "Diakonie Deutschland"), an
  outlet's desk ("Redaktion Polizeiticker Schweiz", "Die Redaktion von X"), the outlet's own name
  (site name, JSON-LD publisher, the page's host unless that host is the person's own domain, as
  frau-sabienes.de for "Frau Sabienes"; also as a whole: "Jobs & Hire" is not two people) and its
  initials ("JF" on "JUNGE FREIHEIT"), titles opening with an article ("La Cuarta", "Die Furche"),
  photo, illustration, quote and copyright credits ("Foto: X", "Фото:", "© X", "AP Foto/Martin
  Meissner", "zvg"), UI words ("Login", "Alle Artikel", "Nachricht"), phrases with lower-case words
  ("ist Chemiker und …"; a declared author such as "Mobasir hassan" is taken as written), initials
  that repeat a listed person ("Tina Klostermeier", "TK"). A string that starts with the outlet's
  name ("IT Finanzmagazin /PP") or ends with a country ("hessenschau.de, Frankfurt, Germany") is a
  credit line or an address, and one that opens with an institution or a phrase ("Bayerische
  Landesanstalt für Wald und Forstwirtschaft - LWF") is an institution's credit: dropped whole.
- A site named like a person ("Wolfgang Schmale", "Pamela Anderson": two to four capitalised words,
  no article or organisation word) is that person's own site: its declared author of that name stays.
- News agencies (AP, Associated Press, Reuters, AFP, dpa, …) are the one kind of organisation kept:
  a wire credited in the byline, alone ("By The Associated Press" -> "Associated Press") or next to
  people ("Jane Doe/AFP" -> "Jane Doe", "AFP"), is the author of that copy, and clippings.agency
  reads it from here. A "The" before an agency's name is dropped.
- Names written all in capitals are title-cased (initials such as "DT" stay), and so is a surname in
  capitals next to a given name ("Steffen PACHE" -> "Steffen Pache"); usernames ("c1ph4") and
  non-Latin names are kept; "Olivier Minot Olivier Minot" becomes one name, and "Maria Preuß" /
  "Maria Preuss" from two elements one.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from clippings.extract.document import Document, clean_text, type_names
from clippings.extract.headline import compact

MAX_AUTHORS = 12
MAX_BYLINE_CHARS = 120

_AUTHOR_METAS = (
    "author",
    "article:author",
    "article:author_name",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dc:creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "twitter:creator:name",
    "shareaholic:article_author_name",
    "cxenseparse:author",
)
_AUTHOR_CLASS = re.compile(
    r"[ _-](?:author|autor|autorin|auteur|autore|writer|posted-?by|submitted-?by|wrote[-_]?by|written[-_]?by|"
    r"journalist|contributor|"
    r"zuozhe|bianji)",
    re.IGNORECASE,
)
_NOT_AUTHOR_CLASS = re.compile(
    r"avatar|image|img|photo|picture|bio|description|about|desc|more|other|related|social|follow|"
    r"email|mail|contact|comment|url-only|tooltip|is-hidden|box__info__text",
    re.IGNORECASE,
)
_BYLINE_CLASS = re.compile(r"(?:^|[ _-])(?:by-?line|byl|BBL)(?:$|[ _-])", re.IGNORECASE)
_USER_CLASS = re.compile(r" (?:username|user-?name|postername|poster|submitted|\w*accountname) ", re.IGNORECASE)
_META_LINE_CLASS = re.compile(
    r" (?:post-?meta|entry-?meta|postmetadata|post-?info|entry-?info|meta|article-?meta|post-?details|meta-?info|"
    r"submitted)[ _-]",
    re.IGNORECASE,
)
# Places whose names are not the article's byline: navigation, comments, sidebars, related stories.
_SKIP_TAGS = {"img", "script", "style", "link", "meta", "body", "html", "article", "main", "section", "nav"}
_EXCLUDED_CLASS = re.compile(
    r" (?:comments?|comment-[\w-]+|commentlist|sidebar|sidebar-[\w-]+|widget-area|[\w-]*related[\w-]*) ", re.IGNORECASE
)
# Byline places in order of trust, as (tier, how many elements holding names to read):
# 0 itemprop=author, 1 <a rel=author>, 2 byline classes, 3 author classes, 4 forum usernames (first only).
_BYLINE_TIERS = ((0, 6), (1, 6), (2, 3), (3, 3), (4, 1))
_LABELS = (
    r"(?:show|view|see)\s+all\s+(?:posts|articles|stories)\s+(?:of|by)|text\s*(?:und|&)\s*(?:interview|fotos?)|interview|"
    r"(?:eine?\s+)?(?:kolumne|glosse|kommentar|analyse|reportage|rezension)\s+von|alles\s+von|"
    r"(?:post\s+)?author\s+by|"
    r"(?:(?:(?:view|see|read|more|all)\s+)*(?:posts|articles|stories|beiträge|artikel|texte)\s+(?:by|von|from)|"
    r"(?:mehr|alle\s+beiträge|alle\s+artikel)\s+von|"
    r"(?:written|posted|published|reported|compiled|edited|text|words|story|photos?|created|erstellt|submitted)"
    r"\s+(?:by|von)|"
    r"(?:eingestellt|verfasst|erstellt|publiziert|gepostet|geschrieben|veröffentlicht|gespeichert)\s+(?:von|durch)|"
    r"ein\s+gastbeitrag\s+von|gastbeitrag\s+von|publiziert|author\(s\)|autor\(en\)|"
    r"veröffentlicht\s+von|geschrieben\s+von|ein\s+(?:beitrag|artikel)\s+von|"
    r"(?:blog\s*)?beitrag\s+von|by|authors?|autor(?:in|en|innen)?|auteur|autore|text|texte|"
    r"redaktion|reporter|автор|от|от автора)"
)
# Every word a byline label of _LABELS (or "von", "por", …) can start with.
_LABEL_WORDS = {
    "show", "view", "see", "text", "texte", "interview", "eine", "ein", "kolumne", "glosse", "kommentar",
    "analyse", "reportage", "rezension", "alles", "post", "author", "authors", "author(s)", "read", "more",
    "all", "posts", "articles", "stories", "beiträge", "artikel", "mehr", "alle", "written", "posted",
    "published", "reported", "compiled", "edited", "words", "story", "photo", "photos", "created",
    "erstellt", "submitted", "eingestellt", "verfasst", "publiziert", "gepostet", "geschrieben",
    "veröffentlicht", "gespeichert", "gastbeitrag", "blog", "blogbeitrag", "beitrag", "by", "autor",
    "autorin", "autoren", "autorinnen", "autor(en)", "auteur", "autore", "redaktion", "reporter", "автор",
    "от", "von", "por", "par", "door", "de",
}  # fmt: skip
_LABEL_ONLY = re.compile(rf"^{_LABELS}$|^(?:von|by|par|por|de|door|posted|published)$", re.IGNORECASE)
_FUNCTION_WORDS = {
    "am", "um", "on", "le", "el", "il", "at", "in", "im", "the", "der", "die", "das", "und", "and", "von",
    "by", "from", "de", "par", "por", "posted", "published", "protected", "share", "beitrag", "post",
    "alle artikel", "alle beiträge", "kontakt", "contact", "contactar", "vorlesen", "folgen", "follow",
    "super user", "publisher", "anónimo", "anonym", "anonyme", "user", "la", "les", "los", "las",
    "nachricht", "pressemitteilung", "meldung", "zvg",
    "mehr", "more", "profil", "profile", "login", "log in", "anmelden", "sign in", "register", "human",
    "website", "homepage", "twitter", "facebook", "instagram",
}  # fmt: skip
_COUNTRIES = {
    "germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse", "france", "usa",
    "united states", "uk", "united kingdom", "spain", "españa", "italy", "italia", "netherlands", "belgium",
    "poland", "polska", "canada", "australia", "india", "brazil", "brasil", "mexico", "méxico", "chile",
}  # fmt: skip
_BOX_WORDS = {"über", "about", "autor", "autorin", "author", "autoren", "authors", "weitere", "more", "mehr"}
# Country names that end a company's or an association's name, never a person's.
_COMPANY_COUNTRIES = {
    "deutschland", "germany", "österreich", "austria", "schweiz", "switzerland", "suisse", "usa",
    "españa", "italia", "polska", "brasil",
}  # fmt: skip
_OUTLET_DESK = re.compile(
    r"^(\S+(?:\s+\S+)+?)\s+(\S+)\s+(?:staff|senior|chief)?\s*(?:staff|writer|reporter|correspondent|editor)s?$",
    re.IGNORECASE,
)
_ARTICLES = {"the", "die", "der", "das", "el", "la", "le", "les", "il", "lo", "los", "las", "de", "het", "l'"}
_PARTICLES = {
    "von", "van", "vom", "zu", "der", "den", "de", "del", "della", "di", "da", "das", "do", "dos", "du",
    "des", "la", "le", "les", "lo", "y", "e", "bin", "ibn", "al", "el", "ter", "ten", "af", "av", "zur",
    "v.", "v", "d'", "dei", "degli",
}  # fmt: skip
_BY = re.compile(rf"^(?:~\s*)?(?:{_LABELS}(?:\s*[:：]\s*|\s+)|(?:von|by|por|par|door)\s*:\s*)", re.IGNORECASE)
_CJK_LABEL = re.compile(r"^(?:【[^】]*】\s*)?(?:作者|责任编辑|責任編輯|编辑|編輯|记者|記者|撰文|文|筆者)\s*[:：/]?\s*")
_KO_SUFFIX = re.compile(r"\s*(?:기자|특파원|객원기자)$")
_GLUED_BY = re.compile(r"^(?:By|Author|Autor|Veröffentlicht von|Von)(?=[A-ZÄÖÜ][a-zäöüß.])")
_WEAK_BY = re.compile(
    r"^(?:Von|Por|Par|Di|Door|Av|De)\s+(?=[A-ZÄÖÜÉ]\S*\s+\S)|^(?:VON|POR|PAR|BY|DE)\s+(?=[A-ZÄÖÜÉ]{2})"
)
_LOWER_BY = re.compile(r"^(?:von|vom|por|par|di|door|av|de|by)\s+(?=\S)")
_PHOTO_CREDIT = re.compile(
    r"^(?:fotos?|photos?|bild|bilder|images?|grafik|video|kamera|il+ustrat\w*|zitat|quote|фото)\b\s*(?:[:：]|von\b|by\b)"
    r"|©|\(c\)|copyright",
    re.IGNORECASE,
)
# Words that make a lower-case word a sentence rather than part of a name ("Mobasir hassan" is a name).
_PHRASE_WORDS = {
    "ist", "is", "was", "war", "und", "and", "the", "der", "die", "das", "bei", "at", "for", "für", "mit",
    "with", "designed", "powered", "by", "von", "of", "on", "in", "im", "am", "a", "an", "ein", "eine", "to",
    "zu", "your", "our", "my", "mein", "unser", "deinen", "dein", "alle", "all", "mehr", "more", "über",
    "about", "et", "est", "le", "un", "une", "es", "en", "del", "por", "para", "las", "los", "shares",
}  # fmt: skip
_SPLIT = re.compile(
    r"\s*(?:,|;|/|\||•|·)\s*|\s+[-–—]\s+|"
    r"\s+(?:and|und|&|y|et|e|i|en|og|och|with|mit|im\s+gespräch\s+mit|in\s+conversation\s+with)\s+",
    re.IGNORECASE,
)
_ROLE_WORDS = (
    r"staff|writer|reporter|correspondent|editor|editors|contributor|columnist|journalist|"
    r"photographer|producer|redakteur(?:in)?|redaktion|redaktionsteam|autor(?:in)?|author|"
    r"wire|wires|newsroom|editorial|admin|administrator|anonymous|unknown|no author|guest|team|desk|red|"
    r"services?|reports|agencies|agenturen|phd|ph\.d\.?|md|m\.d\.|msc|mba|dr|prof|"
    r"pressestelle|pressesprecher(?:in)?|geschäftsführer(?:in)?|gastautor(?:in)?|"
    r"chefredakteur(?:in)?|volontär(?:in)?|praktikant(?:in)?|mitarbeiter(?:in)?|"
    r"ceo|cfo|cto|founder|co-founder|president|director|manager|marketing|professor|"
    r"redacción|redaccion|rédaction|redazione|redactie|periodista|corresponsal|"
    r"share|shares|profile|profil|more|mehr|posts|articles|artikel"
)
_ROLE = re.compile(
    r"^(?:(?:senior|chief|special|contributing|political|staff|guest|deputy|news|associate|"
    rf"managing|executive|freie?r?|freelance|online|digital)\s+)*(?:{_ROLE_WORDS})s?\.?$",
    re.IGNORECASE,
)
_DESK = re.compile(
    r"\b(?:staff|desk|wires?|newsroom|team|redaktion|agencies|reports?|writer|reporter|"
    r"correspondent|editor|columnist|contributor|journalist|photographer|producer|"
    r"redakteur(?:in)?|geschäftsführer(?:in)?|sprecher(?:in)?)s?$",
    re.IGNORECASE,
)
_ROLE_PHRASE = re.compile(
    r"^(?:(?:senior|chief|special|contributing|political|staff|guest|deputy|news|associate|"
    r"managing|executive|freie?r?)\s+)*(?:geschäftsführer(?:in)?|ceo|founder|director|head|"
    r"leiter(?:in)?|sprecher(?:in)?|professor(?:in)?|editor|reporter|correspondent|writer)\s+"
    r"(?:von|of|at|bei|für|for|des|der|am|an)\b",
    re.IGNORECASE,
)
_ORG = re.compile(
    r"(?:\be\.\s?v\.|\bgmbh\b|\bag$|\binc\b\.?|\bltd\b\.?|\bllc\b|\bs\.a\.|\bverlag\b|stiftung\b|"
    r"verband\b|verein\b|\bbund\b|redacci[oó]n|rédaction|redazione|\binstitut|universit|ministeri|\bredaktion\b|magazin|\bpresse\b|archiv|nachrichten|kurier\b|illustrierte|tagblatt|rundschau|anzeiger|journal\b|zeitung\b|"
    r"\bnews\b|\bonline\b|\bmedia\b|\bpress\b|\bagentur|\bagency\b|\bfoundation\b|\bassociation\b|"
    r"\bblog\b|\bdesigned\b|\bpowered\b|\bwordpress\b|\bdrupal\b|\btheme|\bgroup\b|\bcompany\b|"
    r"\bfernsehen\b|\babteilung\b|\bamt\b|\bpartei\b|\bsekretariat\b|\bradio\b|\btv\b|\bkg\b|\bsuche\b|\bsearch\b|\bmen[uü]\b|\bcookies?\b|\bnewsletter\b)",
    re.IGNORECASE,
)
_AGENCIES = {
    compact(a)
    for a in (
        "AP", "Associated Press", "The Associated Press", "Reuters", "Thomson Reuters", "AFP",
        "Agence France-Presse", "dpa", "APA", "EFE", "ANSA", "Jiji", "Jiji Press", "Kyodo",
        "Kyodo News", "UPI", "PA", "PA Media", "Press Association", "KNA", "epd", "SDA",
        "Keystone-SDA", "Xinhua", "TASS", "Interfax", "Europa Press", "Agencia EFE", "AAP",
        "CP", "The Canadian Press", "Bloomberg", "dpa-AFX", "sid", "AP/dpa", "Yonhap", "ANP",
        "Belga", "TT", "NTB", "Ritzau", "ČTK", "PAP", "Lusa", "Anadolu", "IANS", "PTI", "ANI",
    )
}  # fmt: skip
_EMAIL = re.compile(r"\S+(?:@|\[at\]|\(at\))\S+|\b(?:e-?mail|mailto)\b:?|(?<!\S)@\w+", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+|\b\S+\.(?:com|de|org|net|at|ch|fr|es|it|uk|eu|io)\b\S*")
_MONTHS = (
    r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|aerz)|apr(?:il)?|ma[iy]|june?|juni|"
    r"july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
)
# A date, a time, a standalone number or "Updated/Published…" ends the name part of a byline.
_TAIL = re.compile(
    r"(?:\s|^|,)(?:\d{1,4}(?:[./:-]\d{1,4})*\.?(?=\s|$|,)|(?:" + _MONTHS + r")\.?\s+\d|"
    r"(?:updated|published|posted|aktualisiert|veröffentlicht|stand|am|um|on|le|el|il|at|"
    r"gmt|utc|edt|est|cet|mez|mesz|pm|a\.m\.|p\.m\.)\b(?=.*\d)|vor\s+\d|\d+\s+(?:min|hours?|stunden?)\b|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonntag)\b|(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\.?,\s*\d|\||"
    r"(?:quelle|source|fuente|fotos?|photos?|bilder?|illustratione?n?|datum|date|fecha)\s*(?::|von\b|by\b)).*$"
    r"|(?<=[a-zäöüß])(?:Quelle|Source|Fuente|Fotos?|Bild|Datum)\s*:.*$"
    r"|(?<=[^\W\d_])\d{1,2}\.\s*(?:(?:" + _MONTHS + r")\b|\d{1,2}\.).*$",
    re.IGNORECASE,
)
_BYLINE_TEXT = re.compile(
    rf"^\s*(?:{_LABELS}|von|por|par|door)(?:\s*[:：]\s*|\s+)(?-i:(?=[A-ZÀ-ÖØ-Þ]))",
    re.IGNORECASE,
)
_POSTED_ON = re.compile(
    r"^(?:posted|published|written|veröffentlicht|geschrieben|erstellt|publiziert|publié|publicado)\s+"
    r"(?:on|am|le|el|il)\s+.{4,40}?\s(?:by|von|par|por|da)\s+(?=\S)",
    re.IGNORECASE,
)
_MID_BY = re.compile(r"(?:^|\s)(?:by|von|par|por)\s+(?=\S)", re.IGNORECASE)
_LINK_GLUE = re.compile(rf"[\W\d_]+|\b(?:{_LABELS}|and|und|mit|with|et|y|e|i|von|by|par|por|de)\b", re.I)
# "Datum: 03.11.2021 Autor: Peter Maahn": a byline label inside a short line.
_INNER_LABEL = re.compile(
    r"(?:^|\s|\|)(?:autor(?:in)?|author|verfasser(?:in)?|text\s+von|text|von|by)\s*:\s*", re.IGNORECASE
)
# "Redaktion Polizeiticker Schweiz", "Die Redaktion von Battery News": an outlet's desk, not a person.
_DESK_OF = re.compile(
    r"^(?:(?:die|the|la|el)\s+)?(?:redaktion|redacci[oó]n|rédaction|redazione|redactie|newsroom)\s+(?!:)\S",
    re.IGNORECASE,
)
# "Glen Owen For The Mail On Sunday", "Jane Doe for MailOnline": the outlet the byline was written for.
_FOR_OUTLET = re.compile(r"\s+(?:for|For|FOR)\s+(?:the\s+|The\s+|THE\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*$")
# "Pressemitteilung von Katja Kipping", "Eine Kolumne von Nils Pickert": what precedes "von" names the text.
_WORK_OF = re.compile(r"^\S.*?\s(?:von|vom)\s+(?=[A-ZÄÖÜ][^\s.]+(?:\s+[A-ZÄÖÜ]\.)?\s+[A-ZÄÖÜ][^\s.]+$)")
# A login handle: lower case, no spaces ("gabor_munier", "christian.stadtfeld", "arianschlichenmayer").
_HANDLE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor|autoren|autorin|auteur|autore|autores)/[^/?#]+/?(?:[?#]|$)", re.I)
_LEADING_DASHES = re.compile(r"^[\s\-–—~*·•]+")  # "---- by Kenneth Surin", "- Redaktion: …"
# "Hamburg (dpa/lno) – Trotz …": a wire dateline.
_DATELINE_AGENCY = re.compile(r"^[A-ZÄÖÜ][\w .'/-]{1,40}?\s\(([A-Za-z][\w-]{1,12})(?:/[a-z]{2,4})?\)\s*[-–—]\s")
# "11.12.2019 - Amelie Loevenich", "04.02.2022 | 13:10 Uhr | Uta Helkenberg", "06.11.2023 13:30 von Olga".
_DATED_BYLINE = re.compile(
    r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?:\s*[|,–-]?\s*\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?\s*"
    r"(?:(?:[|–—-])\s*(?=\S+\s+\S)|(?:von|by)\s+)"
    r"([A-ZÄÖÜ][^\s|,]*[^\s|,-](?:\s+[A-ZÄÖÜ][^\s|,]*[^\s|,-]){0,3})$"
)
_POST_CLASS = re.compile(r"(?:^|\s)(?:hentry|type-post|post-\d+)(?:\s|$)")
_CJK_STARTS = frozenset("作责責编編记記撰文筆")
_PHOTO_SLASH = re.compile(r"\b(?:fotos?|photos?|bild)\s*/", re.IGNORECASE)
_EMPHASIS = frozenset(("b", "strong", "i", "em"))
# Two or three capitalised words of letters: "Stefan Wasmer", "Jan-Erik van der Berg" is not needed.
_SIGNATURE = re.compile(r"[A-ZÄÖÜÀ-Þ][\w'’.-]+(?: [A-ZÄÖÜÀ-Þ][\w'’.-]+){1,2}")
_PROFILE_HREF = re.compile(r"/(?:user|users|member|members|profil|profile|benutzer)(?:[-_/?]|$)", re.IGNORECASE)
_DESK_WORD = re.compile(
    r"(?:^|[\s-])(?:redaktion|redaktionsteam|redacci[oó]n|rédaction|redazione|redactie|newsroom|staff|"
    r"editorial|desk|team|editors)(?:$|\s)",
    re.IGNORECASE,
)
_TEXT_BYLINE_TAGS = ("p", "span", "div", "em", "strong", "address", "li", "small", "b", "i", "h3", "h4", "h5", "td")


def find_authors(doc: Document, article: dict[str, Any] | None, site_name: str | None) -> list[str]:
    """The first non-empty cleaned author list from JSON-LD, then meta tags, then HTML bylines."""
    outlet = {compact(n) for n in (site_name, _publisher(article)) if n}
    outlet.discard("")
    outlet |= {i.casefold() for i in _initials(site_name)}  # "JF" on "JUNGE FREIHEIT"
    return _find_authors(doc, article, site_name, outlet)


def _find_authors(doc: Document, article: dict[str, Any] | None, site_name: str | None, outlet: set[str]) -> list[str]:
    sources: list[list[str]] = []
    hosts = _host_names(doc.url)
    # A site named like a person ("Wolfgang Schmale", "Pamela Anderson") is that person's own site:
    # a declared author of that name is the person, not the outlet.
    own = {compact(site_name)} if site_name and _personal(site_name) else set()
    if article is not None:
        value = article.get("author") or article.get("creator")
        persons, others = _jsonld_names(value, _jsonld_index(doc))
        sources.append(persons + others)
    sources.append(_meta_authors(doc))
    domain = _domain(doc.url)
    if domain and not own:  # "Deutsche Welle (www.dw.com)": the site's own credit, not a person
        sources = [[v for v in raw if domain not in v.casefold()] for raw in sources]
    declared = [_declared(raw, outlet - own, hosts - own, site_name) for raw in sources]
    first = {compact(n) for n in declared[0]}
    for value in sources[-1] if len(sources) == 2 and first else ():
        fuller = _declared([value], outlet - own, hosts - own, site_name)
        if first < {compact(n) for n in fuller}:
            return fuller  # one meta tag names every author, the JSON-LD only the first
    if len(declared) == 2 and first and declared[1] and not first & {compact(n) for n in declared[1]}:
        shown = {compact(n) for n in _shown_names(doc, outlet, (0, 1, 2))}
        if shown & {compact(n) for n in declared[1]} and not shown & first:
            return declared[1]  # the page's byline agrees with the meta tags, not with the JSON-LD
    for names in declared:
        if names:
            return _display_names(names, doc, outlet)
    if article is not None and any(_desk(v) for v in sources[0]):
        return []  # the article declares its desk ("Redaktion") as author: it names no person
    places = _byline_places(doc)
    for tier, limit in _BYLINE_TIERS:
        names = _byline_names(places[tier], limit, outlet, boxes=tier == 3)
        names = [n for n in names if _not_host(n, hosts, site_name)]
        if names:
            return names
        first_text = next(_byline_texts(places[tier]), None) if tier <= 2 else None
        if first_text and all(_desk_or_outlet(t, outlet, hosts) for t in first_text[1]):
            return []  # "auto-motor.at Redaktion" in the byline: lesser places would guess
    names = [n for n in clean_authors(_meta_lines(places[5]), outlet) if _not_host(n, hosts, site_name)]
    names = names or [n for n in _names_of(_text_bylines(doc), 2, outlet) if _not_host(n, hosts, site_name)]
    if names:
        return names
    is_article = article is not None or (doc.first_meta("og:type") or "").lower() == "article"
    for text in _author_links(doc, is_article):
        names = [n for n in clean_authors([text], outlet) if _not_host(n, hosts, site_name)]
        if names:
            return names
    for name in _signatures(doc):
        names = [n for n in clean_authors([name], outlet) if _not_host(n, hosts, site_name)]
        if names:
            return names
    return _dateline_agency(doc)


def _signatures(doc: Document) -> Iterator[str]:
    """A text's closing signature: its last element is a paragraph that is only a name set in bold or
    italics ("<p><b><i>Stefan Wasmer</i></b></p>"), after at least two paragraphs of text."""
    for para in doc.tree.iter("p"):
        if len(para) != 1 or (para.text or "").strip() or para[0].tag not in _EMPHASIS:
            continue
        mark = para[0]
        if (mark.tail or "").strip() or not _SIGNATURE.fullmatch(clean_text(mark.text_content())):
            continue
        after = sum(len(clean_text(e.text_content())) for e in itertools.islice(para.itersiblings(), 10))
        earlier = list(itertools.islice(para.itersiblings("p", preceding=True), 3))
        if after <= 20 and len(earlier) >= 2 and not _excluded(para):
            yield clean_text(mark.text_content())


def _dateline_agency(doc: Document) -> list[str]:
    """The agency of a dateline opening the page's description ("Hamburg (dpa/lno) – …" -> "dpa")."""
    found = _DATELINE_AGENCY.match(doc.first_meta("description", "og:description") or "")
    if found and compact(found.group(1)) in _AGENCIES:
        return [found.group(1)]
    return []


def _initials(site_name: str | None) -> set[str]:
    """The initials of a site name of two to four words ("JUNGE FREIHEIT" -> "JF")."""
    words = [w for w in re.split(r"[\W_]+", site_name or "") if w]
    return {"".join(w[0] for w in words).upper()} if 1 < len(words) < 5 else set()


def _domain(url: str) -> str:
    """The page's registered domain ("https://www.dw.com/fr/..." -> "dw.com")."""
    host = re.sub(r"^[a-z]+://|[/:?#].*$", "", url.lower()).removeprefix("www.")
    labels = host.split(".")
    if len(labels) < 2:
        return ""
    size = 3 if len(labels) > 2 and labels[-2] in ("co", "com", "org", "net", "gov", "ac") else 2
    return ".".join(labels[-size:])


def _desk(text: str) -> bool:
    """True for a byline naming a desk, not a person ("Redaktion", "Redacción Diario X", "HLNF Staff")."""
    if not isinstance(text, str):
        return False
    bare = strip_by(clean_text(text)).replace("_", " ")
    return bool(bare and (_DESK_OF.match(bare) or _DESK_WORD.search(bare)))


def _desk_or_outlet(text: str, outlet: AbstractSet[str], hosts: AbstractSet[str]) -> bool:
    """True for a byline that names the outlet or its desk ("Redaktion", "auto-motor.at Redaktion")."""
    if not isinstance(text, str):
        return False
    bare = strip_by(clean_text(text))
    key = compact(bare)
    if not key:
        return False
    plain = bare.replace("_", " ")
    return (
        key in outlet
        or key in hosts
        or bool(_DESK_OF.match(bare) or _ROLE.match(plain) or _DESK.search(plain))
        or (bool(_ORG.search(plain)) and compact(plain) not in _AGENCIES)
    )


def _meta_authors(doc: Document) -> list[str]:
    """Author meta tags, without the itemprop=author metas of cited works (a paper's reference list)."""
    raw = [v for name in _AUTHOR_METAS for v in doc.meta.get(name, ())]
    if len(doc.meta.get("author", ())) > 1:
        for meta in doc.tree.iter("meta"):
            if meta.get("itemprop") == "author" and not meta.get("name"):
                nested = any(a.get("itemprop") and a.get("itemscope") is not None for a in meta.iterancestors())
                value = clean_text(meta.get("content") or "")
                if nested and value in raw:
                    raw.remove(value)
    return raw


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if c.isalnum())


def _shown_names(doc: Document, outlet: AbstractSet[str], tiers: tuple[int, ...]) -> list[str]:
    """Names the page's byline places of these tiers show (the first six texts of each)."""
    places = _byline_places(doc)
    return [
        n
        for tier in tiers
        for _, texts in itertools.islice(_byline_texts(places[tier]), 6)
        for n in clean_authors(texts, outlet)
    ]


def _display_names(names: list[str], doc: Document, outlet: AbstractSet[str]) -> list[str]:
    """A declared login handle ("gabor_munier", "arianschlichenmayer") becomes the display name the
    page's byline shows for it ("Gàbor Muniér"), when the byline spells the same letters; a declared
    given name alone ("Nils") becomes the full name a byline line shows ("Eine Kolumne von Nils Pickert")."""
    if len(names) == 1 and names[0].isalpha() and names[0][0].isupper():
        given = names[0]
        shown = [n for _, texts in _text_bylines(doc) for n in clean_authors(texts, outlet)]
        full = next((n for n in shown if n.split()[0] == given and 1 < len(n.split()) < 4), None)
        return [full or given]
    if not any(_HANDLE.fullmatch(n) for n in names):
        return names
    shown = [n for n in _shown_names(doc, outlet, (0, 1, 2, 3)) if " " in n]
    out = []
    for name in names:
        if _HANDLE.fullmatch(name):
            name = next((s for s in shown if _fold(s) == _fold(name)), name)
        out.append(name)
    return out


def _not_host(name: str, hosts: AbstractSet[str], site_name: str | None, declared: bool = False) -> bool:
    """False for a name that is the page's host ("spiegel"), unless it reads as a person's name that
    the site's name repeats ("Frau Sabienes" on frau-sabienes.de, "Frau Sabienes sagt") or that a
    site without a name declares (wolfgangmichal.de): that person's own site. lebensmittelpraxis.de
    ("Lebensmittelpraxis.de") is not "Lebensmittel Praxis", usatoday.com not "Usa Today"."""
    if compact(name) not in hosts:
        return True
    if not _personal(name):
        return False
    return name.casefold() in site_name.casefold() if site_name else declared


def _declared(
    raw: Iterable[str], outlet: AbstractSet[str], hosts: AbstractSet[str], site_name: str | None
) -> list[str]:
    return [n for n in clean_authors(raw, outlet, given=True) if _not_host(n, hosts, site_name, declared=True)]


def clean_authors(raw: Iterable[str], outlet: AbstractSet[str] = frozenset(), *, given: bool = False) -> list[str]:
    """Split "A and B", drop "By", roles, dates, URLs and the outlet's own name; dedupe, keep order."""
    seen: dict[str, str] = {}
    for value in raw:
        if not isinstance(value, str):
            continue
        value = clean_text(value)
        if _URL.fullmatch(value.strip()) or "://" in value and " " not in value.strip():
            continue  # a profile URL, not a name
        value = value.replace("\xad", "")  # soft hyphens
        segments = re.split(r"\s*[,;|/]\s*", value)
        if len(segments) > 1 and (_is_outlet(segments[0], outlet) or segments[-1].casefold() in _COUNTRIES):
            continue  # "hessenschau.de, Frankfurt, Germany": an outlet's credit line or an address
        if _PHOTO_SLASH.search(value):
            continue  # "(AP Foto/Martin Meissner, Pool)": a photo credit
        bare = strip_by(value.strip(" -–—"))
        once = _BY.sub("", value.strip(" -–—"), count=1)  # "Autor: Redaktion Gelbe Liste" -> "Redaktion …"
        if compact(bare) in outlet or any(_DESK_OF.match(v) for v in (bare, value.strip(" -–—"), once)):
            continue  # "Jobs & Hire" (the outlet, not two people), "Redaktion Gelbe Liste": a desk
        parts = []
        for part in _split(value):
            desk = _OUTLET_DESK.match(part.strip())
            if desk and _is_outlet(desk.group(2), outlet):
                part = desk.group(1)  # "Adam Aaronson PhillyVoice Staff", "Jane Doe Staff Writer"
            name = _clean_name(part, given)
            if name:
                parts.append(name)
            elif parts and part.strip():
                break  # "Jane Doe, Expert for Windows, Software": what follows a role describes her
            elif part.strip() and _org_or_phrase(part):
                break  # "Landesanstalt für Wald und Forstwirtschaft - LWF": an institution's credit
        if any(" " in p for p in parts):  # "Von Markus Balser, Berlin": one word after a full name is a place
            parts = [p for p in parts if " " in p or p.isupper() or compact(p) in _AGENCIES]
        for name in parts:
            key = compact(name.replace("ß", "ss"))
            if not _is_outlet(name, outlet) and key not in seen:
                seen[key] = name
        if len(seen) >= MAX_AUTHORS:
            break
    names = list(seen.values())
    initials = {"".join(w[0] for w in n.split()).upper() for n in names if len(n.split()) > 1}
    # "Tina Klostermeier", "TK": the initials repeat the person already named
    return [n for n in names if not (n.isupper() and n in initials)][:MAX_AUTHORS]


def strip_by(text: str) -> str:
    """Remove a leading "By", "Author:" or "Von Max …" (not the "Di" of "Di Maio")."""
    text = _CJK_LABEL.sub("", text.strip())
    for _ in range(2):  # "Text: Von Max Müller"
        match = _BY.match(text) or _GLUED_BY.match(text)  # glued: "AuthorJane Doe"
        if match and text[match.end() :].strip():
            text = text[match.end() :].strip()
            continue
        weak = _WEAK_BY.match(text) or _LOWER_BY.match(text)
        if weak and text[weak.end() :].strip():
            text = text[weak.end() :].strip()
        break
    return text


def _split(value: str) -> list[str]:
    """A byline string into name parts: label, e-mails, URLs and trailing dates removed."""
    if value.isupper():  # "VON MORITZ GATHMANN": labels are then found as usual; "DT" and "AFP" stay
        value = " ".join(w.title() if len(w) > 2 and compact(w) not in _AGENCIES else w for w in value.split())
    value = value.split("(", 1)[0] if "(" in value[1:] else value  # "Jane Doe (Sponsored Post)"
    posted = _POSTED_ON.match(value)
    if posted:
        value = value[posted.end() :]  # "Posted on September 21, 2020 by Adi Tzlil"
    value = _EMAIL.sub(" ", value)
    value = _URL.sub(" ", value)
    value = strip_by(value.strip().lstrip("-–—~*·• "))
    value = _TAIL.sub("", value).strip()
    value = _FOR_OUTLET.sub("", value)
    return _SPLIT.split(value)


def _clean_name(part: str, given: bool = False) -> str | None:
    """One name, or None. `given`: the text is a declared author (meta, JSON-LD), where a lower-case
    surname ("Mobasir hassan") is taken as written; in page text a lower-case word means a phrase."""
    if _PHOTO_CREDIT.search(part.strip()):
        return None  # "Foto: Jane Doe" credits a photographer
    name = strip_by(part.strip(" -–—:：·•~\"'()[]«»„“”")).strip(" -–—:：,.;")
    name = _KO_SUFFIX.sub("", name)
    name = _WORK_OF.sub("", name)  # "Pressemitteilung von Katja Kipping" -> "Katja Kipping"
    if part.rstrip().endswith(".") and re.search(r"\b(?:\w|Jr|Sr)\.$", part.strip()):
        name += "."  # keep the full stop of a final initial: "Joe S."
    if not name or _LABEL_ONLY.match(name) or name.casefold() in _FUNCTION_WORDS:
        return None
    if compact(name) in _AGENCIES:
        return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)  # a wire agency is kept
    words = name.split()
    lower = [w for w in words if w[0].islower() and w.casefold() not in _PARTICLES]
    if len(words) > 1 and lower and (not given or len(lower) > 1 or any(w in _PHRASE_WORDS for w in lower)):
        return None  # a phrase ("ist Chemiker und …", "designed by …"), not a name
    if len(name) > 60 or len(name.split()) > 5 or not any(c.isalpha() for c in name):
        return None
    if re.search(r"\s\d|^\d|[<>{}=@#]", name) or (" " not in name and "admin" in name.casefold()):
        return None
    plain = name.replace("_", " ")
    if _ROLE.match(plain) or _DESK.search(plain) or _ROLE_PHRASE.match(plain) or _ORG.search(plain):
        return None
    if len(words) > 1 and words[0].casefold() in _ARTICLES - {"de"} and compact(name) not in _AGENCIES:
        return None  # "La Cuarta", "Die Furche": a title, not a person
    if len(words) > 1 and any(w.casefold() in _BOX_WORDS for w in words):
        return None  # "Über den Autor", "About The Author", "Mehr Artikel": an author box's heading
    if len(words) > 1 and words[-1].casefold() in _COMPANY_COUNTRIES:
        return None  # "Diakonie Deutschland", "Glory Global Solutions Germany": a company's branch
    half = len(words) // 2
    if half > 1 and len(words) % 2 == 0 and words[:half] == words[half:]:
        name = " ".join(words[:half])  # "Olivier Minot Olivier Minot"
    if name.isupper() and len(name) > 3:
        name = " ".join(w.title() if len(w) > 2 else w for w in name.split())
    elif any(w.isupper() and len(w) > 3 for w in words) and any(not w.isupper() for w in words):
        name = " ".join(
            w.title() if w.isupper() and len(w) > 3 and compact(w) not in _AGENCIES else w for w in name.split()
        )  # "Steffen PACHE", not "Agenzia ANSA"
    return name


def _org_or_phrase(part: str) -> bool:
    """True for a byline part that names an institution or reads as a phrase, not a role."""
    text = strip_by(part.strip(" -–—:：·•~\"'()[]«»„“”"))
    words = text.split()
    lower = [w for w in words if w[0].islower() and w.casefold() not in _PARTICLES]
    return bool(_ORG.search(text)) or (len(words) > 1 and bool(lower))


def _personal(site_name: str) -> bool:
    """True for a site name that reads as a person's name: two to four capitalised words, no article,
    organisation word, digit or domain."""
    words = site_name.split()
    return (
        2 <= len(words) <= 4
        and all(w[0].isupper() for w in words)
        and words[0].casefold() not in _ARTICLES | {"madame", "monsieur", "mister", "miss", "mrs", "mr"}
        and not _ORG.search(site_name)
        and not re.search(r"\d|\.\w{2,}$|[|:–—-]", site_name)
        and compact(site_name) not in _AGENCIES
    )


def _is_outlet(name: str, outlet: AbstractSet[str]) -> bool:
    key = compact(name)
    if not key:
        return True
    if key in outlet or (key.startswith("the") and key[3:] in outlet) or (key.startswith("die") and key[3:] in outlet):
        return True
    return any(len(o) >= 5 and o in key for o in outlet)  # "Ediciones El País", "The Hill Staff"


def _host_names(url: str) -> set[str]:
    """The page's host as an outlet name: "www.spiegel.de" -> {"spiegelde", "spiegel"}."""
    host = re.sub(r"^[a-z]+://|[/:?#].*$", "", url.lower()).removeprefix("www.")
    labels = host.split(".")
    if len(labels) < 2:
        return set()
    return {compact(host), compact(labels[-2])} - {""}


def _jsonld_index(doc: Document) -> dict[str, dict[str, Any]]:
    return {o["@id"]: o for o in doc.jsonld if isinstance(o.get("@id"), str) and o.get("name")}


def _jsonld_names(value: Any, index: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Names from a JSON-LD author (a string, a Person/Organization dict, an @id, or a list of them):
    those typed Person, then the others; organisations are left out."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    persons: list[str] = []
    for item in items[: MAX_AUTHORS * 2]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            if "name" not in item and isinstance(item.get("@id"), str):
                item = index.get(item["@id"], item)
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if not isinstance(name, str):
                continue
            types = type_names(item)
            if types & {"Organization", "NewsMediaOrganization", "Corporation"}:
                continue  # a publisher or company, not a person
            (persons if "Person" in types else names).append(name)
    return persons, names


def _publisher(article: dict[str, Any] | None) -> str | None:
    publisher = article.get("publisher") if article else None
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    return publisher if isinstance(publisher, str) else None


def _byline_places(doc: Document) -> list[list[HtmlElement]]:
    """Candidate byline elements of each tier (see _BYLINE_TIERS; 5: post-meta lines), in document order,
    found in one pass over the page, outside navigation, comments and sidebars."""
    places: list[list[HtmlElement]] = [[] for _ in range(6)]
    for element in doc.tree.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if not element.attrib and tag not in ("byline", "author"):
            continue  # most elements: no attribute to mark a byline
        classes = element.get("class") or ""
        ident = element.get("id") or ""
        tiers = []
        if element.get("itemprop") in ("author", "author creator", "creator"):
            tiers.append(0)
        if tag == "a" and " author " in f" {element.get('rel') or ''} ":
            tiers.append(1)
        data = (element.get("data-component") or "") + " " + (element.get("data-testid") or "")
        if (
            (classes and _BYLINE_CLASS.search(classes))
            or (len(data) > 1 and "byline" in data.lower())
            or element.get("data-testid") == "AuthorCard"
            or tag == "byline"
        ):
            tiers.append(2)
        if (
            (
                (classes or ident)
                and _AUTHOR_CLASS.search(f" {classes} {ident} ")
                and not _NOT_AUTHOR_CLASS.search(f"{classes} {ident}")
            )
            or tag == "author"
            or classes == "signature"
        ):
            tiers.append(3)
        if classes and _USER_CLASS.search(f" {classes} "):
            tiers.append(4)
        if classes and _META_LINE_CLASS.search(f" {classes} "):
            tiers.append(5)
        if tiers and not _excluded(element):
            for tier in tiers:
                places[tier].append(element)
    return places


def _byline_names(elements: list[HtmlElement], limit: int, outlet: AbstractSet[str], boxes: bool = False) -> list[str]:
    """Names from the first `limit` elements that hold any (of the first 30 byline texts); after the
    first, only elements next to it (an ancestor in common within three levels: co-authors, not
    related stories)."""
    return _names_of(itertools.islice(_byline_texts(elements, boxes), 30), limit, outlet)


def _names_of(found_texts: Iterable[tuple[HtmlElement, list[str]]], limit: int, outlet: AbstractSet[str]) -> list[str]:
    """Cleaned names of the first `limit` productive texts, the later ones only near the first."""
    names: list[str] = []
    keys: set[str] = set()
    productive = 0
    anchor: HtmlElement | None = None
    for element, texts in found_texts:
        found = clean_authors(texts, outlet)
        if not found or (anchor is not None and not _near(anchor, element)):
            continue
        anchor = anchor if anchor is not None else element
        for name in found:
            key = compact(name.replace("ß", "ss"))
            if key not in keys:
                keys.add(key)
                names.append(name)
        productive += 1
        if productive >= limit or len(names) >= MAX_AUTHORS:
            break
    return names[:MAX_AUTHORS]


def _near(first: HtmlElement, other: HtmlElement) -> bool:
    """True when two byline elements share an ancestor at most three levels up."""
    above = set(itertools.islice(first.iterancestors(), 3))
    return any(a in above for a in itertools.islice(other.iterancestors(), 3))


def _byline_texts(elements: list[HtmlElement], boxes: bool = False) -> Iterator[tuple[HtmlElement, list[str]]]:
    """Byline texts of the outermost short elements among these, one list per element; `boxes`: an
    author box too long to be a byline gives the heading or "…name" element inside it."""
    found = [e for e in elements if _short_text(e)]
    if boxes:
        found += [b for b in (_box_name(e) for e in elements if not _short_text(e)) if b is not None]
        found.sort(key=_position(elements))
    chosen = set(found)
    outermost = [e for e in found if not any(a in chosen for a in e.iterancestors())]
    for element in outermost:
        if _in_story_card(element):
            continue
        names = element.xpath('.//*[@itemprop="name"]')
        if names:
            yield element, [n.get("content") or n.text_content() for n in names]
            continue
        links = [t for t in (clean_text(a.text_content()) for a in element.iter("a")) if t]
        text = element.get("content") or _short_text(element)
        if len(links) > 4:
            continue  # a list of links (categories, tags), not a byline
        if len(links) > 1:
            rest = text
            for link in links:
                rest = rest.replace(link, " ")
            if not _LINK_GLUE.sub("", rest):
                yield element, links  # "<a>A</a> <a>B</a>": one name per link
                continue
        yield element, [text]


def _box_name(box: HtmlElement) -> HtmlElement | None:
    """The first heading or element classed "…name…" inside an author box, when short."""
    for node in itertools.islice(box.iter("h2", "h3", "h4", "h5", "h6", "strong", "a", "span", "div", "p"), 40):
        if node is box:
            continue
        if node.tag.startswith("h") or "name" in (node.get("class") or "").lower():
            return node if 0 < len(_short_text(node)) <= 60 else None
    return None


def _position(elements: list[HtmlElement]) -> Callable[[HtmlElement], int]:
    """Sort key: document order, by the place of the element or of the box it was found in."""
    order = {e: i for i, e in enumerate(elements)}

    def key(element: HtmlElement) -> int:
        if element in order:
            return 2 * order[element]
        return 2 * next((order[a] for a in element.iterancestors() if a in order), len(order)) + 1

    return key


def _in_story_card(element: HtmlElement) -> bool:
    """True for a byline inside a link that holds more than the byline (a card linking to another
    story: "<a href=…><h3>Headline</h3><div class=author-name>Von X</div></a>")."""
    for link in itertools.islice(element.iterancestors(), 6):
        if link.tag == "a":
            return len(clean_text(link.text_content())) > len(_short_text(element)) + 20
    return False


def _excluded(element: Any) -> bool:
    """True for elements that hold no byline of the article, or sit in navigation, a footer outside
    the article, comments, sidebars or related-story lists."""
    if not isinstance(element, HtmlElement) or element.tag in _SKIP_TAGS:
        return True
    for node in itertools.chain((element,), element.iterancestors()):
        tag = node.tag
        if tag in ("body", "html"):
            continue
        if tag == "nav" or (tag == "footer" and next(node.iterancestors("article"), None) is None):
            return True
        classes = node.get("class")
        if classes and _EXCLUDED_CLASS.search(f" {' '.join(classes.split())} ") and not _POST_CLASS.search(classes):
            return True  # (a post's own container flagged "sidebar-right" is not a sidebar)
        if (node.get("id") or "").lower().startswith("comment"):
            return True
    return False


def _short_text(element: HtmlElement) -> str:
    """The element's text (or content attribute) when it is short enough to be a byline."""
    text = element.get("content") if element.tag == "meta" else element.text_content()
    text = clean_text(text or "")
    return text if 0 < len(text) <= MAX_BYLINE_CHARS else ""


def _meta_lines(elements: list[HtmlElement]) -> Iterator[str]:
    """What follows "by"/"von" in the first post-meta lines ("Posted in News by jane on 3 May 2019"),
    else the text of a link to a user's profile in them ("<a href=/user-uebersicht/?u=79003>MikeNils</a>
    18.10.2019, 15:07 Uhr")."""
    for element in elements[:3]:
        text = _short_text(element)
        found = _MID_BY.search(text)
        if found:
            yield text[found.end() :]
            return
    for element in elements[:3]:
        for link in element.iter("a"):
            if _PROFILE_HREF.search(link.get("href") or ""):
                yield _short_text(link)
                return


def _in_date_list(element: HtmlElement) -> bool:
    """True for a line next to another line that opens with a date: a calendar or a list of items."""
    for sibling in (element.getprevious(), element.getnext()):
        if sibling is not None and re.match(r"\s*\d{1,2}\.\s?\d{1,2}\.", sibling.text_content()[:20]):
            return True
    return False


def _first_line(element: HtmlElement) -> str:
    """The element's text up to its first <br>, when short enough to be a byline."""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if node.tag == "br":
            break
        if event == "start":
            parts.append(node.text or "")
        elif node is not element:
            parts.append(node.tail or "")
    text = clean_text("".join(parts))
    return text if len(text) <= MAX_BYLINE_CHARS else ""


def _author_links(doc: Document, is_article: bool) -> Iterator[str]:
    """The text of the first links to an author page ("/author/jane-doe/", "/autoren/…") outside
    navigation, comments and sidebars, one at a time (a page's own byline comes first); on pages
    that are not declared articles, only links inside an <article>."""
    seen = 0
    for link in doc.tree.iter("a"):
        href = link.get("href")
        if (
            href
            and "/aut" in href.lower()
            and _AUTHOR_HREF.search(href)
            and (is_article or next(link.iterancestors("article"), None) is not None)
            and not _excluded(link)
        ):
            text = _short_text(link)
            if "©" in text:  # "<a href=/autoren/…><img>© Kathrin Führes</span> Kathrin Führes</a>": the photo's credit
                text = clean_text(" ".join(t for t in link.itertext() if "©" not in t))
            if text:
                yield text
                seen += 1
                if seen >= 3:
                    return


def _text_bylines(doc: Document) -> Iterator[tuple[HtmlElement, list[str]]]:
    """The first short element outside navigation whose own text starts "By …", "Von …", "Autor: …"."""
    count = 0
    for element in doc.tree.iter(*_TEXT_BYLINE_TAGS):
        text = element.text
        tail = element.tail
        if tail and tail.lstrip()[:1] in _CJK_STARTS and _CJK_LABEL.match(tail.strip()):
            parent = element.getparent()  # "<span><span>…</span> 责任编辑： 焦鹏 </span>"
            if parent is not None and len(tail) <= 40 and not _excluded(parent):
                yield parent, [clean_text(tail)]
                count += 1
        if not text or len(text) > MAX_BYLINE_CHARS:
            continue  # a longer text is no byline line (this also keeps the pass quick)
        if text.lstrip()[:1].isdigit():
            dated = _DATED_BYLINE.match(_short_text(element))
            if dated and not _excluded(element) and not _in_date_list(element):
                yield element, [dated.group(1)]  # "11.12.2019 - Amelie Loevenich"
                count += 1
            continue
        if text and text.lstrip()[:1] in ("-", "–", "—", "~", "*", "·", "•"):
            text = _LEADING_DASHES.sub("", text)
        head = text.split(None, 1)
        word = head[0].casefold().split(":")[0].split("：")[0] if head else ""
        if word not in _LABEL_WORDS and ":" not in text and "：" not in text:
            continue  # no label can start this text (a quick test before the label patterns)
        if not text or not (
            _BYLINE_TEXT.match(text) or _INNER_LABEL.search(text) or _LABEL_ONLY.match(text.strip().rstrip(" :："))
        ):
            continue
        if _excluded(element):
            continue
        full = _short_text(element)
        parent = element.getparent()
        if _LABEL_ONLY.match(full.rstrip(" :：")) and parent is not None:
            full = _short_text(parent)  # "<b>Autor:</b> Fritz Imhof"
            text = full
        elif _LABEL_ONLY.match(text.strip().rstrip(" :：")):
            full = text = _first_line(element)  # "<p>Von <a>Roland Brockmann</a> und <a>…</a><br>Kakuma</p>"
        if full.endswith(":"):
            continue  # a heading ("Von Mob mit Macheten ermordet:"), not a byline
        inner = _INNER_LABEL.search(text)
        if inner and full and not _BYLINE_TEXT.match(text):
            full = full[full.find(inner.group(0).strip()) :]
        elif not _BYLINE_TEXT.match(text):
            continue
        if full and len(full) <= 80 and not _in_story_card(element):
            yield element, [full]
            count += 1
            if count >= 4:
                return

"""Publication time: the day the page says it was published, as an aware datetime, never future.

Order of evidence (the first readable date inside the bounds wins):
1. the article's JSON-LD datePublished, then dateCreated (from an article block that does not parse
   as JSON, its "datePublished" text);
2. meta tags that name a publication (article:published_time, og:published_time, datePublished,
   parsely/sailthru dates, pubdate, publish_date, dc.date.issued, citation_publication_date...),
   then parse.ly's page blob;
3. markup that names one: itemprop="datePublished", <time pubdate>, a <time> in the <article>
   (not one classed as the update, nor one in an embedded post or a reader comment, and, when the
   headline sits in an <article>, not one in another <article>: related stories are often
   <article> teasers of their own, nested in the story's or beside it);
   when these named dates disagree, the one on the day the byline shows (step 5) goes first,
   unless that day is a declared modification day that none of them names (a re-published story
   names both days as published: the one it shows is the one it presents); a <time datetime> of
   the story on the byline's day (the byline's own markup, e.g. in a page hero outside any
   <article>) joins them, so a named date on another day (a CMS re-publication stamp) does not
   overrule what the page shows beside its headline;
4. the day in the URL, its og:url or its rel=canonical (/2020/11/07/, /20201107/, -20200113);
5. the date written nearest the headline (the <h1> the page title starts with, a date standing
   alone in it aside; on a page without any <h1>, the <h2> the title starts with), in a short
   piece of text such as a byline, or a dateline that opens a paragraph ("Karlsruhe,
   (12.11.2021).", "29.11.2022 – ...") (see _visible_date); a date that stands alone inside the
   <h1> (a kicker: <h1><span>27.01.2022</span>Title</h1>) is nearest of all; one introduced as an
   update, or on a forum as the day a member joined ("Registriert:", "Joined:", "Member since",
   also when that label is the piece of text before), is skipped, and so is the site header's
   date of the day (an element classed "today", "today-date", "current-date", "header-date",
   "masthead-today": many news sites print the day the page is served beside their masthead,
   which is not the story's)
   (for steps 4 and 5, a date of step 6 on that same day gives the time of day);
6. dates that do not say which one they are: metas named date, dc.date, dcterms.date, ...created
   (sites fill them with the last change as often as with the publication), JSON-LD uploadDate,
   the first <time datetime> not marked dateModified;
7. only when the page has no readable date at all: a date the text labels as the publication
   anywhere on the page ("Erschienen am: 01.11.2023", "Published on ..."; see _labelled_date),
   then htmldate's markup-only guess, then its free-text search, never a bare year.
Modified/updated dates, comment dates and copyright years are never candidates. A readable date
that is out of bounds (before 1995, or after the crawl's `now`) is dropped; if every readable date
of steps 1-3 and 6 is, the page has no date unless the URL or the byline gives one.

Written dates: ISO 8601, RFC 2822, Unix time (10 or 13 digits, as some JSON-LD writes
datePublished), then dateutil; 03/04/2020 is 3 April unless the page is in American English (or
declares no language), or unless the page writes only the other reading in a form that cannot be
misread (11/01/2023 in a meta, "01.11.2023" in the text: 1 November); 10.12.2022 is always
10 December. Written in the text (steps 5 and 7): 27.01.2022, 27. Januar 2022, January 27, 2022,
2022-01-27, 27/01/2022, and the Chinese, Japanese and Korean 2020年7月12日 / 2020년 7월 12일; month
names in the Latin and Cyrillic languages above and in Arabic, Persian, Hindi and Bengali. Digits
of any script are read as the ASCII ones before any date is (the Bengali "১৬ ফেব্রুয়ারি ২০২০", the
Persian "۲۰۲۰-۰۵-۱۰" of a meta, the full-width "２０２０年"): sites in those languages write them so.

Time zone: a written offset is kept (the page's own wall-clock time and day: "22:15+09:00" stays
22:15 at +09:00). A time stated in UTC ("Z", +00:00) other than exactly midnight is shown in the
publisher's zone: the offset its other timestamps are written in, else the zone of its country
(top-level domain, <html lang> region) or language when that has one (a German site's
"2022-01-27T23:00Z" is 28 January, 00:00 in Berlin), else the offset most written in the
timestamps of its inline script data (a .com site's schedule "Fri, 01 May 2020 23:00:00 -0400":
its server writes its own zone); the instant never changes. But when the
byline beside the headline prints the UTC day (the site renders its dates in UTC: "26/12/2019"
for 23:07Z), the time stays in UTC, on the day the page itself shows. A naive time is
taken as UTC; a date-only value is 00:00 UTC of that day. A URL that carries a day corrects a
UTC or naive time that falls on that day in another zone (see _agree_with_url), and overrules a
date before it or more than 30 days after it (a re-publication: a site moved to a new CMS).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from copy import deepcopy
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from dateutil import tz
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement

from clippings.extract.document import Document, load_json, text_of

# A naive time this far past `now` is taken as local time ahead of UTC and clamped to `now`.
NAIVE_SLACK = timedelta(hours=14)
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)

_PUBLISHED_METAS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "originalpublicationdate",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "date_published",
)
MAX_LD_SCRIPTS = 10  # JSON-LD blocks searched for a datePublished when none parsed into an article
MAX_LD_CHARS = 200_000
MAX_DATA_SCRIPTS = 30  # inline scripts read for the offset their timestamps are written in
# a timestamp with a written offset, in ISO 8601 or RFC 2822
_DATA_OFFSET = re.compile(r"\d[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s?([+-](?:0\d|1[0-4]):?[0-5]\d)(?![\d:])")
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_LD_ARTICLE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:\w*Article|BlogPosting|Report)"')
_MODIFIED_METAS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
    "dc:date.modified",
    "dcterms.modified",
)
# Metas that name a date but not which one: often the last change, so they come after <time>.
_GENERIC_METAS = ("date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created")
_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_TIME_XPATHS = (
    '//*[@itemprop="datePublished"]',
    "//time[@pubdate]",
    # an article's <time>, but not one marked as the update nor one in an embedded post (blockquote)
    '//article//time[@datetime][not(contains(@itemprop, "dateModified"))][not(ancestor::blockquote)]'
    '[not((contains(@class, "updated") or contains(@class, "modified")) and not(contains(@class, "published"))'
    ' and not(contains(@class, "entry-date")))]',
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/-]|\.html?|$)"
)
_URL_COMPACT_DATE = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=$|[/._-])")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")
URL_REPUBLISHED = timedelta(days=30)  # a named date this far after the URL's day is a re-publication
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b")
VISIBLE_AFTER = 1500  # characters of text read after the headline for a written date
VISIBLE_BEFORE = 300  # and before it
VISIBLE_PIECE = 80  # longest text piece read there: a byline, not a sentence of the story
VISIBLE_SENTENCES = 2  # longer pieces passed before the reading stops: a lede, one paragraph
_MONTH_NAMES = {
    1: (
        "january jan januar jän janvier janv enero ene gennaio gen janeiro januari stycznia января "
        "січня জানুয়ারি जनवरी يناير ژانویه"
    ),
    2: (
        "february feb februar février févr febrero febbraio fevereiro fev februari lutego февраля "
        "лютого ফেব্রুয়ারি फ़रवरी फरवरी فبراير فوریه"
    ),
    3: "march mar märz mär mars marzo março maart marca марта березня মার্চ मार्च مارس",
    4: (
        "april apr avril abril aprile abr kwietnia апреля квітня এপ্রিল अप्रैल أبريل إبريل ابريل "
        "آوریل"
    ),
    5: "may mai mayo maggio maio mei maja мая травня মে मई مايو مه",
    6: "june jun juni juin junio giugno junho czerwca июня червня জুন जून يونيو يونيه ژوئن",
    7: "july jul juli juillet julio luglio julho lipca июля липня জুলাই जुलाई يوليو يوليه ژوئیه",
    8: "august aug août agosto ago augustus sierpnia августа серпня আগস্ট अगस्त أغسطس اغسطس اوت",
    9: (
        "september sep sept septembre septiembre settembre set setembro września сентября вересня "
        "সেপ্টেম্বর सितंबर सितम्बर سبتمبر سپتامبر"
    ),
    10: (
        "october oct oktober okt octobre octubre ottobre outubro out oktober października октября "
        "жовтня অক্টোবর अक्टूबर أكتوبر اكتوبر اکتبر"
    ),
    11: (
        "november nov novembre noviembre novembro listopada ноября листопада নভেম্বর नवंबर नवम्बर "
        "نوفمبر نوامبر"
    ),
    12: (
        "december dec dezember dez décembre déc diciembre dic dicembre dezembro grudnia декабря "
        "грудня ডিসেম্বর दिसंबर दिसम्बर ديسمبر دسامبر"
    ),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "|".join(sorted((re.escape(n) for n in _MONTHS), key=len, reverse=True))
_COMMENTS_XPATH = (
    '//footer | //*[contains(@id, "comment") or contains(@class, "comment") or contains(@id, "footer")'
    ' or contains(@class, "footer")]'
)
_VISIBLE_DATE = re.compile(
    r"(?<![\d.])(?P<d1>[0-3]?\d)\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>(?:19|20)\d{2})(?!\d)"
    rf"|(?<!\d)(?P<d2>[0-3]?\d)\.?\s+(?:de\s+)?(?P<n2>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y2>(?:19|20)\d{{2}})(?!\d)"
    rf"|\b(?P<n3>{_MONTH})\.?\s+(?P<d3>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y3>(?:19|20)\d{{2}})(?!\d)"
    r"|(?<![\d-])(?P<y4>(?:19|20)\d{2})-(?P<m4>[01]\d)-(?P<d4>[0-3]\d)(?!\d)"
    r"|(?<![\d/])(?P<a5>[0-3]?\d)/(?P<b5>[0-3]?\d)/(?P<y5>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<y6>(?:19|20)\d{2})\s?[年년]\s?(?P<m6>[01]?\d)\s?[月월]\s?(?P<d6>[0-3]?\d)\s?[日일]",
    re.IGNORECASE,
)
_DASHES = re.compile(r"[‐‑‒–—―]")
# the class or id of a header's date of the day ("today-date", "current-date", "header-date",
# "masthead-today", "today"): the day the page was served, not the story's
_TODAY_MARK = re.compile(
    r"^(?:[\w-]*[-_])?(?:(?:today|todays|current|header|masthead|topbar)[-_]?date|(?:masthead|header|topbar)[-_]?today)$"
    r"|^today$",
    re.IGNORECASE,
)
DATELINE_PREFIX = 40  # longest place name (and "den") read before a paragraph's opening date
# what may come before a dateline's date: nothing, or a place name and a comma ("Berlin, den")
_DATELINE_BEFORE = re.compile(
    r"^[(\[]?(?:[A-ZÀ-Ý][^\W\d]*(?:[ /-][A-ZÀ-Ý][^\W\d]*){0,3}\s?(?:\([^)]{1,20}\))?,\s*"
    r"(?:den\s+|le\s+|el\s+)?[(\[]?)?$"
)
# and after it: a closing bracket, a dash, a colon, a full stop or a time before the story begins
_DATELINE_AFTER = re.compile(r"^\s*(?:[)\]]|[-–—:|/]|\.\s|,?\s*\d{1,2}[:.]\d{2})")
# words that introduce a publication date in running text, then at most a colon before the date
_PUBLISHED_LABEL = re.compile(
    r"(?<![^\W\d_])(?:erschienen|veröffentlicht|publiziert|published|first posted|posted|publié|publicado|pubblicato)"
    r"(?:\s+(?:am|on|le|el|il))?\s*:?\s*",
    re.IGNORECASE,
)
_CHANGE_WORDS = re.compile(
    r"(?:aktualisiert|geändert|update[ds]?|modified|mis à jour|actualizado|aggiornato)\W*(?:am|on|le|el)?\W*$",
    re.IGNORECASE,
)
# a forum member's profile line: the day they joined, not the post's
_MEMBER_WORDS = re.compile(
    r"(?:registriert|registered|joined|join date|mitglied seit|dabei seit|member since|inscrit le|inscrit depuis)"
    r"\W*(?:am|on|le|seit|since)?\W*$",
    re.IGNORECASE,
)
_UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|\bUTC|\bGMT|\+0000)$", re.IGNORECASE)
# The zone a site's readers live in, by country code (top-level domain, or the region of its
# language tag): one zone for the country, or the zone most of its news is written in.
_COUNTRY_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "it": "Europe/Rome",
    "fr": "Europe/Paris", "es": "Europe/Madrid", "nl": "Europe/Amsterdam", "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "ee": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius",
    "gr": "Europe/Athens", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "ua": "Europe/Kyiv",
    "tr": "Europe/Istanbul", "pt": "Europe/Lisbon", "ie": "Europe/Dublin", "uk": "Europe/London",
    "gb": "Europe/London", "si": "Europe/Ljubljana", "hr": "Europe/Zagreb", "rs": "Europe/Belgrade",
    "il": "Asia/Jerusalem", "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "qa": "Asia/Qatar",
    "kw": "Asia/Kuwait", "bh": "Asia/Bahrain", "eg": "Africa/Cairo", "jo": "Asia/Amman",
    "lb": "Asia/Beirut", "ir": "Asia/Tehran", "pk": "Asia/Karachi", "in": "Asia/Kolkata",
    "bd": "Asia/Dhaka", "np": "Asia/Kathmandu", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh",
    "id": "Asia/Jakarta", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "ph": "Asia/Manila",
    "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "tw": "Asia/Taipei", "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul", "au": "Australia/Sydney", "nz": "Pacific/Auckland", "za": "Africa/Johannesburg",
    "ng": "Africa/Lagos", "ke": "Africa/Nairobi", "gh": "Africa/Accra", "br": "America/Sao_Paulo",
    "ar": "America/Argentina/Buenos_Aires", "uy": "America/Montevideo", "cl": "America/Santiago",
    "pe": "America/Lima", "bo": "America/La_Paz", "ec": "America/Guayaquil", "ve": "America/Caracas",
    "py": "America/Asuncion", "mx": "America/Mexico_City", "ca": "America/Toronto",
    "ru": "Europe/Moscow", "by": "Europe/Minsk", "az": "Asia/Baku",
}
# Languages written almost only in one zone.
_LANGUAGE_ZONES = {
    "de": "Europe/Berlin", "it": "Europe/Rome", "pl": "Europe/Warsaw", "nl": "Europe/Amsterdam",
    "cs": "Europe/Prague", "hu": "Europe/Budapest", "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
    "hi": "Asia/Kolkata", "id": "Asia/Jakarta", "th": "Asia/Bangkok", "vi": "Asia/Ho_Chi_Minh",
    "tr": "Europe/Istanbul", "el": "Europe/Athens", "fi": "Europe/Helsinki", "sv": "Europe/Stockholm",
    "da": "Europe/Copenhagen", "nb": "Europe/Oslo", "he": "Asia/Jerusalem", "fa": "Asia/Tehran",
    "uk": "Europe/Kyiv", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "zh": "Asia/Shanghai",
}
_TZINFOS = {
    name: tz.tzoffset(name, int(hours * 3600))
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "MEZ": 1,
        "MESZ": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "IST": 5.5,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }.items()
}


def find_published(doc: Document, article: dict[str, Any] | None, now: datetime) -> datetime | None:
    """The page's publication time (see the module docstring for the order of evidence)."""
    url_day = _url_day(doc.url) or _url_day(doc.first_meta("og:url") or "") or _url_day(_canonical(doc))
    dayfirst = _day_first(doc)
    heading = _headline_element(doc)
    seen = _visible_date(doc, heading, now, dayfirst)
    named = list(_named_candidates(doc, article, heading))
    shown = None  # the byline's day, when it is not a declared modification day only
    named_days = {_day_of(value, dayfirst) for value in named}
    if seen is not None and (seen.date() in named_days or seen.date() not in _modified_days(doc, article, dayfirst)):
        shown = seen.date()
        # a <time datetime> on the byline's day is the byline's own markup: it joins the named dates
        named.extend(value for value in _page_times(doc, heading) if _day_of(value, dayfirst) == shown)
        # when the named dates disagree, the one the byline shows goes first
        named.sort(key=lambda value: _day_of(value, dayfirst) != shown)
    byline_day = seen.date() if seen is not None else None
    when, readable = _first_date(named, doc, now, url_day, dayfirst, byline_day)
    if when is not None:
        return when
    others = list(_other_candidates(doc, article))
    for day in (url_day, seen.date() if seen is not None else None):
        if day is not None:
            # a date on that day (a <time>, a date meta) gives the time of day
            agreeing = [value for value in others if _day_of(value, dayfirst) == day]
            when, _ = _first_date(agreeing, doc, now, url_day, dayfirst, day)
            if when is not None and when.date() == day:
                return when
            return bound_datetime(datetime(day.year, day.month, day.day, tzinfo=UTC), now)
    when, weak_readable = _first_date(others, doc, now, url_day, dayfirst, byline_day)
    if when is not None or readable or weak_readable:
        return when  # a readable date out of bounds stays dropped: htmldate would find it again
    return _labelled_date(doc, now, dayfirst) or _find_with_htmldate(doc, article, now, dayfirst)


def _labelled_date(doc: Document, now: datetime, dayfirst: bool) -> datetime | None:
    """A date the page's text labels as its publication ("Erschienen am: 01.11.2023", "Published
    on May 3, 2022", "Publié le 3 mai 2022"), wherever it is (often at the foot of the story): the
    first such label's date, for pages without any date markup. 00:00 UTC of that day."""
    text = doc.tree.text_content()
    for label in _PUBLISHED_LABEL.finditer(text):
        match = _VISIBLE_DATE.match(text, label.end())
        day = _visible_day(match, dayfirst) if match is not None else None
        when = bound_datetime(day, now) if day is not None else None
        if when is not None:
            return when
    return None


def _day_of(value: str, dayfirst: bool) -> date | None:
    parsed = parse_local(value, dayfirst=dayfirst)
    return parsed.date() if parsed is not None else None


def _canonical(doc: Document) -> str:
    links = doc.links.get("canonical", [])
    return links[0] if links else ""


def _first_date(
    values: Iterable[str],
    doc: Document,
    now: datetime,
    url_day: date | None,
    dayfirst: bool,
    shown: date | None = None,
) -> tuple[datetime | None, bool]:
    """The first value that parses and is in bounds, placed in its zone; and whether any parsed.

    A time stated in UTC is shown in the publisher's zone, unless the page's byline shows its
    UTC day (`shown`): the site itself presents that day, so it stays in UTC.
    """
    readable = False
    for value in values:
        when = parse_local(value, dayfirst=dayfirst)
        if when is None:
            continue
        when = _settle_ambiguous(value, when, doc)
        readable = True
        when = bound_datetime(when, now, naive=_is_naive(value))
        if when is None:
            continue
        if _written_in_utc(value) and when.time() != time(0):
            local = _in_local_zone(when, doc)
            if local.date() == when.date() or when.date() != shown:
                when = local
        if url_day is not None:
            offset = not _written_in_utc(value) and not _is_naive(value)
            when = _agree_with_url(when, url_day, written_offset=offset)
        return when, readable
    return None, readable


def _settle_ambiguous(value: str, when: datetime, doc: Document) -> datetime:
    """A slashed date that reads both ways (11/01/2023) is read the other way when the page writes
    only that day in a form that cannot be misread (01.11.2023, 1. November 2023, 2023-11-01):
    CMSs fill metas in American order on pages in other languages, and the other way round."""
    match = _SLASHED.match(value.strip())
    if match is None:
        return when
    first, second = int(match.group(1)), int(match.group(2))
    if first == second or first > 12 or second > 12:
        return when
    try:
        other = when.replace(month=when.day, day=when.month)
    except ValueError:
        return when
    written = _days_written(doc)
    return other if other.date() in written and when.date() not in written else when


def _days_written(doc: Document) -> set[date]:
    """The days the page's text writes in a form that cannot be misread (dotted day first, ISO,
    a month's name)."""
    text = doc.tree.text_content()
    days = set()
    for match in _VISIBLE_DATE.finditer(text):
        if match.group("a5"):
            continue  # slashed: the ambiguous form itself
        day = _visible_day(match, True)
        if day is not None:
            days.add(day.date())
    return days


def _visible_date(doc: Document, heading: HtmlElement | None, now: datetime, dayfirst: bool) -> datetime | None:
    """The written date nearest the headline: a byline's "27.01.2022" or "3. Februar 2022".

    Short text pieces (up to VISIBLE_PIECE characters: a byline, a date line, not a sentence of
    the story) within VISIBLE_AFTER characters after the first <h1> or VISIBLE_BEFORE before it
    (a date above the title) are read, stopping after VISIBLE_SENTENCES longer pieces (the story
    has begun: its comments are no byline); the date closest to the headline wins. A date introduced
    as a change ("Aktualisiert", "updated") is skipped. 00:00 UTC of that day.
    """
    if heading is None:
        return None
    for piece in _texts_within(heading):  # a date label in the headline itself (a kicker)
        match = _VISIBLE_DATE.fullmatch(ascii_digits(piece.strip(" \t\r\n|,.·-–")))
        day = _visible_day(match, dayfirst) if match is not None else None
        when = bound_datetime(day, now) if day is not None else None
        if when is not None:
            return when
    found: list[tuple[int, datetime]] = []
    for nodes, limit in ((_texts_after(heading), VISIBLE_AFTER), (_texts_before(heading), VISIBLE_BEFORE)):
        distance = 0
        sentences = 0
        lead = ""  # the piece before, in reading order (after the headline only)
        for node in nodes:
            text = " ".join(str(node).split())
            if distance > limit or sentences > VISIBLE_SENTENCES:
                break  # past the byline, into the story (and its comments)
            if text and len(text) <= VISIBLE_PIECE:
                when = _date_in_piece(text, now, dayfirst, lead if limit == VISIBLE_AFTER else "")
                if when is not None:
                    found.append((distance, when))
                    break
            elif text:
                when = _dateline(text, now, dayfirst)
                if when is not None:
                    found.append((distance, when))
                    break
                sentences += 1
            distance += len(text)
            lead = text or lead
    return min(found, key=lambda item: item[0])[1] if found else None


def _texts_after(element: HtmlElement) -> Iterator[str]:
    """The text that follows an element in document order, lazily (its own text excluded)."""
    node: HtmlElement | None = element
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _texts_within(sibling)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()


def _texts_before(element: HtmlElement) -> Iterator[str]:
    """The text that precedes an element in document order, nearest first (ancestors' own text
    included, as it comes before)."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            yield from reversed(list(_texts_within(sibling)))
        parent = node.getparent()
        if parent is not None and parent.text and not _skipped(parent):
            yield parent.text
        node = parent


def _texts_within(element: HtmlElement) -> Iterator[str]:
    """An element's text and its descendants' (with their tails), without scripts and styles."""
    if _skipped(element):
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts_within(child)
        if child.tail:
            yield child.tail


def _skipped(element: HtmlElement) -> bool:
    """Not read for a written date: scripts and styles, and the site header's date of the day."""
    tag = element.tag
    if not isinstance(tag, str) or tag in ("script", "style", "noscript", "template"):
        return True
    marks = (element.get("class") or element.get("id") or "").lower()
    if "date" not in marks and "today" not in marks:
        return False
    return any(_TODAY_MARK.match(mark) for mark in marks.split())


def _headline_element(doc: Document) -> HtmlElement | None:
    """The <h1> that is the story's title (the page title starts with it), else the first in the
    article, else the first; a logo in an <h1> is not the headline. A page without any <h1> may
    set its title in an <h2>: the <h2> the page title starts with is taken then. Dashes of any
    width are the same when the two are compared."""
    headings = doc.tree.xpath("//h1")[:6]
    titles = [_DASHES.sub("-", t.lower()) for t in (doc.first_meta("og:title"), doc.title) if t]
    for heading in headings or doc.tree.xpath("//h2")[:6]:
        text = _DASHES.sub("-", " ".join(heading.text_content().split()).lower())
        for words in (text, _VISIBLE_DATE.sub("", text).strip()):  # with or without a date kicker
            if len(words) >= 15 and any(words[:40] in title or title[:40] in words for title in titles):
                return heading
    named = doc.tree.xpath("(//article//h1 | //main//h1)[1]") or headings[:1]
    return named[0] if named else None


def _dateline(text: str, now: datetime, dayfirst: bool) -> datetime | None:
    """The date a paragraph opens with, as a dateline: "29.11.2022 – The ...", "Karlsruhe,
    (12.11.2021). The ...", "(21. November 2022) The ...", "Hamburg, den 2. Dezember 2022 - ..."."""
    text = ascii_digits(text[: DATELINE_PREFIX + 100])
    match = _VISIBLE_DATE.search(text[: DATELINE_PREFIX + 30])
    if match is None or match.start() > DATELINE_PREFIX or not _DATELINE_BEFORE.match(text[: match.start()]):
        return None
    if not _DATELINE_AFTER.match(text[match.end() :]):
        return None
    day = _visible_day(match, dayfirst)
    return bound_datetime(day, now) if day is not None else None


def _date_in_piece(text: str, now: datetime, dayfirst: bool, lead: str = "") -> datetime | None:
    """The first date in a short piece of text that is not introduced as a change or as a forum
    member's join date (`lead`: the piece before, which may hold the label: <b>Joined:</b> ...)."""
    text = ascii_digits(text)
    for match in _VISIBLE_DATE.finditer(text):
        before = (lead[-30:] + " " + text[: match.start()])[-30:]
        if _CHANGE_WORDS.search(before) or _MEMBER_WORDS.search(before):
            continue
        day = _visible_day(match, dayfirst)
        when = bound_datetime(day, now) if day is not None else None
        if when is not None:
            return when
    return None


class _DigitTable(dict[int, str]):
    """A str.translate table from every Unicode decimal digit to its ASCII digit, filled as met."""

    def __missing__(self, code: int) -> str:
        digit = unicodedata.decimal(chr(code), None)
        self[code] = value = chr(code) if digit is None else str(digit)
        return value


_DIGITS = _DigitTable()


def ascii_digits(text: str) -> str:
    """The text with its decimal digits in ASCII: Bengali ২০২০, Arabic-Indic ٢٠٢٠, Persian ۲۰۲۰,
    Devanagari २०२०, full-width ２０２０ all become 2020."""
    return text if text.isascii() else text.translate(_DIGITS)


def _visible_day(match: re.Match[str], dayfirst: bool) -> datetime | None:
    groups = match.groupdict()
    try:
        if groups["d1"]:  # 27.01.2022
            day, month, year = int(groups["d1"]), int(groups["m1"]), int(groups["y1"])
        elif groups["d2"]:  # 27. Januar 2022, 3 de mayo de 2022
            day, month, year = int(groups["d2"]), _MONTHS[groups["n2"].lower().rstrip(".")], int(groups["y2"])
        elif groups["n3"]:  # January 27, 2022
            day, month, year = int(groups["d3"]), _MONTHS[groups["n3"].lower().rstrip(".")], int(groups["y3"])
        elif groups["y4"]:  # 2022-01-27
            day, month, year = int(groups["d4"]), int(groups["m4"]), int(groups["y4"])
        elif groups["y6"]:  # 2020年07月12日, 2020년 7월 12일
            day, month, year = int(groups["d6"]), int(groups["m6"]), int(groups["y6"])
        else:  # 27/01/2022 or 01/27/2022
            first, second, year = int(groups["a5"]), int(groups["b5"]), int(groups["y5"])
            day, month = (first, second) if dayfirst or second > 12 else (second, first)
        return datetime(year, month, day, tzinfo=UTC)
    except (KeyError, ValueError):
        return None




def _modified_days(doc: Document, article: dict[str, Any] | None, dayfirst: bool) -> set[date]:
    """The days of the page's declared last changes (JSON-LD, metas, itemprop dateModified)."""
    values = [text_of(article.get("dateModified"))] if article is not None else []
    for name in _MODIFIED_METAS:
        values.extend(doc.meta.get(name, ()))
    values.extend(str(v) for v in doc.tree.xpath('//*[@itemprop="dateModified"]/@datetime')[:2])
    days = (_day_of(value, dayfirst) for value in values if value)
    return {day for day in days if day is not None}


def _day_first(doc: Document) -> bool:
    """Whether 03/04/2020 is 3 April: everywhere but in American English (and no declared language)."""
    lang = (doc.lang or "").strip().lower().replace("_", "-")
    return bool(lang) and lang not in ("en", "en-us")


def _named_candidates(
    doc: Document, article: dict[str, Any] | None, heading: HtmlElement | None
) -> Iterator[str]:
    """Raw date strings that are named as the publication, best first (steps 1 to 3)."""
    if article is not None:
        for key in ("datePublished", "dateCreated"):
            value = text_of(article.get(key))
            if value:
                yield value
    else:  # an article's JSON-LD block that does not parse as JSON still names its datePublished
        for script in doc.tree.xpath('//script[@type="application/ld+json"]/text()')[:MAX_LD_SCRIPTS]:
            text = str(script)[:MAX_LD_CHARS]
            match = _LD_PUBLISHED.search(text) if _LD_ARTICLE.search(text) else None
            if match:
                yield match.group(1)
                break
    for name in _PUBLISHED_METAS:
        yield from doc.meta.get(name, ())
    for blob in doc.meta.get("parsely-page", ())[:1]:
        parsely = load_json(blob)
        if isinstance(parsely, dict) and isinstance(parsely.get("pub_date"), str):
            yield parsely["pub_date"]
    own, containers = _story_scope(heading)
    for xpath in _TIME_XPATHS:
        elements = [e for e in doc.tree.xpath(xpath)[:20] if _in_story(e, own, containers)]
        for element in elements[:2]:
            value = element.get("datetime") or element.get("content") or element.text_content()
            if value and value.strip():
                yield value.strip()


def _story_scope(heading: HtmlElement | None) -> tuple[HtmlElement | None, set[HtmlElement]]:
    """The <article> that holds the headline (if one does), and all the headline's containers."""
    if heading is None:
        return None, set()
    containers = set(heading.iterancestors())
    return next(heading.iterancestors("article"), None), containers


def _in_story(element: HtmlElement, own: HtmlElement | None, containers: set[HtmlElement]) -> bool:
    """Whether a date element belongs to the story: not in a reader comment nor in an embedded post
    (a <blockquote>), and, when the headline sits in an <article>, not in another <article> (a
    related story's teaser, nested in the story's <article> or beside it). Only the element's
    containers below the headline's own are looked at: those are the story's, whatever their
    class says."""
    nearest = None
    for ancestor in element.iterancestors():
        if ancestor in containers:
            break
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()
        if "comment" in marks or ancestor.tag == "blockquote":
            return False
        if nearest is None and ancestor.tag == "article":
            nearest = ancestor
    return own is None or nearest is None


def _page_times(doc: Document, heading: HtmlElement | None) -> Iterator[str]:
    """The datetime of the page's <time> elements that belong to the story, but not one marked as
    the update."""
    own, containers = _story_scope(heading)
    for element in doc.tree.xpath("//time[@datetime]")[:20]:
        marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
        if ("updated" in marks or "modified" in marks) and "published" not in marks:
            continue
        value = str(element.get("datetime")).strip()
        if value and _in_story(element, own, containers):
            yield value


def _other_candidates(doc: Document, article: dict[str, Any] | None) -> Iterator[str]:
    """Raw date strings that do not say which date they are (step 6)."""
    for name in _GENERIC_METAS:
        yield from doc.meta.get(name, ())
    if article is not None:
        value = text_of(article.get("uploadDate"))
        if value:
            yield value
    yield from (
        str(v)
        for v in doc.tree.xpath('//time[not(contains(@itemprop, "dateModified"))]/@datetime')[:1]
    )


def _url_day(url: str) -> date | None:
    """The day written in the URL's path (/2020/11/07/, /2020-11-07-, /20201107/), if any."""
    path = urlsplit(url).path
    match = _URL_DATE.search(path) or _URL_COMPACT_DATE.search(path)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _agree_with_url(when: datetime, url_day: date, *, written_offset: bool) -> datetime:
    """Reconcile a page date with the day in its URL, which the site wrote when it published.

    A time without a written offset of its own (stated in UTC, or naive) that falls on the URL's
    day somewhere between UTC-8 and UTC+14 is that day seen from the publisher's zone: the same
    instant is kept, shown at the smallest whole-hour offset that puts it on the URL's day. A date
    before the URL's day is another item's (a sidebar, a related story): the URL's day is taken,
    at 00:00 UTC. So is it for a date more than URL_REPUBLISHED after the URL's day: the address
    was made when the story first went out, and a much later date is a re-publication (a site
    moved to a new CMS stamps its import day on every story).
    """
    if when.date() == url_day:
        return when
    start = datetime(url_day.year, url_day.month, url_day.day, tzinfo=UTC)
    instant = when.astimezone(UTC)
    if instant < start - timedelta(hours=14) or instant > start + URL_REPUBLISHED:
        return start
    if written_offset or instant >= start + timedelta(hours=24 + 8):
        return when
    for hours in sorted(range(-8, 15), key=abs):
        shifted = instant.astimezone(timezone(timedelta(hours=hours)))
        if shifted.date() == url_day:
            return shifted.replace(tzinfo=UTC) if hours == 0 else shifted
    return when


def _written_in_utc(value: str) -> bool:
    """True if the string states UTC itself (Z, +00:00, UTC, GMT): often a server's clock."""
    return bool(_UTC_SUFFIX.search(value.strip()))


def _in_local_zone(when: datetime, doc: Document) -> datetime:
    """The same instant in the publisher's zone: the offset its other timestamps are written in,
    else the zone of its country or language when that has one."""
    zone: tzinfo | None = _page_offset(doc) or _publisher_zone(doc) or _data_offset(doc)
    return when.astimezone(zone) if zone is not None else when


def _data_offset(doc: Document) -> timezone | None:
    """The non-zero UTC offset most written in the timestamps of the page's inline data (its
    scripts: "2020-05-01T23:00:00-04:00", "Fri, 01 May 2020 23:00:00 -0400"), which the site's
    server writes in its own zone."""
    counts: dict[str, int] = {}
    for script in doc.tree.xpath("//script/text()")[:MAX_DATA_SCRIPTS]:
        for match in _DATA_OFFSET.finditer(str(script)[:MAX_LD_CHARS]):
            offset = match.group(1).replace(":", "")
            if offset[1:] != "0000":
                counts[offset] = counts.get(offset, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    minutes = int(best[1:3]) * 60 + int(best[3:5])
    return timezone(timedelta(minutes=minutes if best[0] == "+" else -minutes))


def _page_offset(doc: Document) -> timezone | None:
    """The non-zero UTC offset most written in the page's <time datetime> and meta dates."""
    values = [str(v) for v in doc.tree.xpath("//time/@datetime")[:20]]
    values.extend(v for name, vs in doc.meta.items() if "date" in name or "time" in name for v in vs[:2])
    counts: dict[timedelta, int] = {}
    for value in values:
        match = _ISO.match(value.strip())
        if match and match.group(7) and match.group(7)[0] in "+-":
            parsed = parse_local(value)
            offset = parsed.utcoffset() if parsed is not None else None
            if offset:
                counts[offset] = counts.get(offset, 0) + 1
    return timezone(max(counts, key=lambda k: counts[k])) if counts else None


def _publisher_zone(doc: Document) -> ZoneInfo | None:
    host = (urlsplit(doc.url).hostname or "").lower()
    country = host.rsplit(".", 1)[-1] if "." in host else ""
    names = [_COUNTRY_ZONES.get(country)]
    if doc.lang:  # og:locale and content-language are too often a CMS default (en_US, es_ES)
        code = doc.lang.strip().lower().replace("_", "-")
        region = code.split("-")[1] if "-" in code else ""
        names.append(_COUNTRY_ZONES.get(region) if len(region) == 2 else None)
        names.append(_LANGUAGE_ZONES.get(code.split("-")[0]))
    for name in names:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                return None
    return None


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO 8601, RFC 2822 or common written date into an aware UTC datetime (naive -> UTC)."""
    parsed = parse_local(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def parse_local(value: str, *, dayfirst: bool = False) -> datetime | None:
    """Like parse_datetime, but a written offset is kept: the page's own wall-clock time and day."""
    value = ascii_digits(value.strip()[:100])
    if not value or not any(c.isdigit() for c in value):
        return None
    if value.isdigit() and len(value) in (10, 13):  # Unix time, in seconds or milliseconds
        try:
            return datetime.fromtimestamp(int(value[:10]), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None
    try:
        parsed = _parse_iso(value) or _parse_rfc2822(value) or _parse_loose(value, dayfirst)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    if offset is None or not offset:
        return parsed.replace(tzinfo=UTC)
    return parsed.replace(tzinfo=timezone(offset))


def bound_datetime(when: datetime, now: datetime, *, naive: bool = False) -> datetime | None:
    """Drop times before 1995 or after `now`; a naive time up to NAIVE_SLACK ahead becomes `now`."""
    if when < EARLIEST:
        return None
    if when > now:
        return now if naive and when - now <= NAIVE_SLACK else None
    return when


def _is_naive(value: str) -> bool:
    parsed = _ISO.match(value.strip())
    return parsed is not None and parsed.group(7) is None


def _parse_iso(value: str) -> datetime | None:
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = None
    if zone:
        zone = zone.upper()
        if zone in ("Z", "UTC", "GMT"):
            offset = UTC
        else:
            digits = zone[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
            offset = timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes))
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=offset,
    )


def _parse_rfc2822(value: str) -> datetime | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_loose(value: str, dayfirst: bool) -> datetime | None:
    if len(value) < 8 or not re.search(r"\d{4}", value):
        return None  # no year: too ambiguous to guess
    dayfirst = dayfirst or bool(_DOTTED_DATE.search(value))  # 10.12.2022 is always 10 December
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return dateutil_parser.parse(
                value, tzinfos=_TZINFOS, default=datetime(2000, 1, 1), dayfirst=dayfirst
            )
        except (dateutil_parser.ParserError, ValueError, OverflowError, TypeError):
            return None


def _find_with_htmldate(
    doc: Document, article: dict[str, Any] | None, now: datetime, dayfirst: bool
) -> datetime | None:
    """htmldate's original-date guess as a last resort, at 00:00 UTC.

    Its fast mode (markup only) is asked first; only when that finds nothing is its free-text search
    asked, which reads the visible "Datum: 03.11.2021" of pages without date markup, on a copy of
    the page without its comments and footer. Its answer is dropped when it is a 1 January (what it
    gives for a bare year, as in a copyright line), a declared modification day (htmldate falls back
    to those), or a day the page does not write anywhere (a guess).
    """
    modified = _modified_days(doc, article, dayfirst)
    for extensive in (False, True):
        tree = _without_comments(doc.tree) if extensive else doc.tree
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = find_date(
                    tree,
                    extensive_search=extensive,
                    original_date=True,
                    url=doc.url,
                    min_date=EARLIEST.replace(tzinfo=None),
                    max_date=_htmldate_max(now),
                )
            except Exception:  # noqa: BLE001 - a third-party heuristic must never break extraction
                return None
        when = parse_datetime(found) if found else None
        if when is None or when.date() in modified:
            continue
        if extensive and ((when.month, when.day) == (1, 1) or not _page_writes(doc, when.date())):
            continue
        return bound_datetime(when, now)
    return None


def _without_comments(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without reader comments and footers."""
    copy = deepcopy(tree)
    for element in copy.xpath(_COMMENTS_XPATH):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return copy


def _page_writes(doc: Document, day: date) -> bool:
    """Whether the page's markup or text writes this day (ISO, dotted, slashed, month name, or
    compact as in a file name "/20201007120909.jpg" but not glued to a name: "mini4WD20200715_")."""
    text = etree.tostring(doc.tree, encoding="unicode", method="html")
    y, m, d = day.year, day.month, day.day
    numeric = {f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{d:02d}-{m:02d}-{y}"}
    numeric |= {f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}"}
    numeric |= {f"{d}/{m}/{y}", f"{m}/{d}/{y}"}
    if any(form in text for form in numeric):
        return True
    compact = f"{y}{m:02d}{d:02d}"
    at = text.find(compact)
    while at != -1:
        if at == 0 or not (text[at - 1].isascii() and text[at - 1].isalnum()):
            return True
        at = text.find(compact, at + 1)
    names = "|".join(sorted((re.escape(n) for n in _MONTH_NAMES[m].split()), key=len, reverse=True))
    written = re.compile(  # the forms of _VISIBLE_DATE, for this day only
        rf"(?<![\d.])0?{d}\.\s?0?{m}\.\s?{y}(?!\d)"
        rf"|(?<!\d)0?{d}\.?\s+(?:de\s+)?(?:{names})\.?,?\s+(?:de\s+)?{y}(?!\d)"
        rf"|\b(?:{names})\.?\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}(?!\d)"
        rf"|(?<!\d){y}\s?[年년]\s?0?{m}\s?[月월]\s?0?{d}\s?[日일]",
        re.IGNORECASE,
    )
    year = str(y)  # a written date holds its year: only the text around each one is read
    at = text.find(year)
    while at != -1:
        if written.search(text, max(0, at - 40), at + 20):
            return True
        at = text.find(year, at + len(year))
    return False


def _htmldate_max(now: datetime) -> datetime:
    """A day past `now`: htmldate clamps later dates to its maximum; those must stay droppable."""
    return (now.astimezone(UTC) + timedelta(days=1)).replace(tzinfo=None)

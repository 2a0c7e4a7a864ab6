"""Load and validate a campaign file (TOML) into typed, immutable records.

The keys are a public interface, documented in README.md. Any problem (a TOML syntax error, an
unknown key, a wrong type, a missing name, a bad URL, a watch's bad regex or CSS selector) raises
`CampaignError`, which names the file, the key and the line; the CLI turns it into exit code 2
before anything is crawled or written.

`[[watch]]` tables name pages whose counter every crawl reads (a petition's "0 have signed", an
event map's "370 events"; see `clippings.watch` for how the number is found):

    [[watch]]
    name = "Petition"                      # required, unique (case-insensitive)
    url = "https://act.example.org/p/1"    # required, http(s)
    selector = "#signature-count"          # optional CSS selector: the first matching element's text
    regex = '(\\d[\\d,]*) have signed'     # optional regex with exactly one capture group: the number
    kind = "signatures"                    # optional, one of COUNT_KINDS; default "signatures"

With both a selector and a regex, the regex reads the number inside the selected element's text.
A regex longer than 500 characters or a selector longer than 300 is refused, as is a regex that
can match the empty string.

`[schedule]` sets how often `clippings watch` polls each kind of source (`clippings.sources` moves
each source's interval from there, between a third of it and 8 times it):

    [schedule]
    feeds = "15m"        # the defaults: feeds every 15 minutes,
    sitemaps = "1h"      # sitemaps hourly,
    sections = "6h"      # section pages every 6 hours

and an outlet may override any of them: `schedule = { feeds = "5m" }` in its `[[outlets]]` table.
A duration is a whole number of seconds or a string of numbers with units `s`, `m`, `h`, `d`
("90s", "1h30m"); it must be at least a minute and at most 7 days.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from clippings.article import COUNT_KINDS

TERM_KINDS = ("phrase", "organization", "person")

_CAMPAIGN_KEYS = {
    "name": str,
    "phrases": list,
    "organizations": list,
    "people": list,
    "languages": list,
}
_OUTLET_KEYS = {
    "name": str,
    "domains": list,
    "language": str,
    "feeds": list,
    "sitemaps": list,
    "sections": list,
    "urls": list,
    "agency": bool,
    "aliases": list,
    "reach": str,
    "schedule": dict,
}
REACHES = ("international", "national", "regional", "local")  # an outlet's audience, widest first
_ROUNDUP_KEYS = {"outlets": list}
_WATCH_KEYS = {
    "name": str,
    "url": str,
    "selector": str,
    "regex": str,
    "kind": str,
}
_TOP_KEYS = {"campaign", "outlets", "watch", "roundup", "schedule"}
SCHEDULE_KINDS = ("feeds", "sitemaps", "sections")
DEFAULT_SCHEDULE = {"feeds": 15 * 60, "sitemaps": 60 * 60, "sections": 6 * 60 * 60}  # seconds
MIN_INTERVAL = 60
MAX_INTERVAL = 7 * 24 * 60 * 60
_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
WATCH_DEFAULT_KIND = "signatures"  # a watched page is most often a petition
MAX_WATCH_REGEX = 500
MAX_WATCH_SELECTOR = 300
_LANG_RE = re.compile(r"^[a-z]{2}$")
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_DOMAIN_RE = re.compile(rf"^(?=.{{1,253}}(:|$)){_LABEL}(\.{_LABEL})*(:\d{{1,5}})?$")
_TOML_POS_RE = re.compile(r"\(at line (\d+), column \d+\)")


class CampaignError(ValueError):
    """A campaign file that cannot be used; the message names the file, the key and the line."""

    def __init__(self, path: str, message: str, key: str | None = None, line: int | None = None):
        self.path, self.key, self.line, self.message = path, key, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


@dataclass(frozen=True)
class Term:
    """One thing the campaign tracks: a phrase, an organisation or a person."""

    text: str
    kind: str  # one of TERM_KINDS


@dataclass(frozen=True)
class Outlet:
    """A news outlet: its name, the hosts it publishes on and its sources."""

    name: str
    domains: tuple[str, ...]
    language: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    agency: bool = False  # a wire agency: its stories reprinted elsewhere are credited to it
    aliases: tuple[str, ...] = ()  # an agency's other names and codes in bylines ("GWS")
    reach: str | None = None  # one of REACHES: orders the roundup (wider first); None: not said
    schedule: tuple[tuple[str, int], ...] = ()  # (kind, seconds) overriding the campaign's [schedule]


@dataclass(frozen=True)
class Watch:
    """A page whose counter every crawl reads: a petition's signatures, an event map's events."""

    name: str
    url: str
    selector: str | None = None  # CSS: the counter is in the first matching element
    regex: str | None = None  # one capture group: the number
    kind: str = WATCH_DEFAULT_KIND  # one of COUNT_KINDS


@dataclass(frozen=True)
class Campaign:
    """A validated campaign: what to look for and where."""

    name: str
    phrases: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    outlets: tuple[Outlet, ...] = ()
    watch: tuple[Watch, ...] = ()  # counter pages read at every crawl ([[watch]])
    roundup_outlets: tuple[str, ...] = ()  # [roundup] outlets: the roundup's outlet order, first lines first
    schedule: tuple[tuple[str, int], ...] = tuple(DEFAULT_SCHEDULE.items())  # [schedule]: (kind, seconds)
    path: str | None = field(default=None, compare=False)

    def interval(self, outlet: str, kind: str) -> int:
        """The scheduled poll interval in seconds of an outlet's sources of one kind (feeds, sitemaps,
        sections): the outlet's own `schedule`, else the campaign's `[schedule]`, else the default."""
        found = self.outlet(outlet)
        overrides = dict(found.schedule) if found else {}
        return overrides.get(kind) or dict(self.schedule).get(kind) or DEFAULT_SCHEDULE[kind]

    @property
    def terms(self) -> tuple[Term, ...]:
        """All tracked terms, phrases first, then organisations, then people."""
        return (
            tuple(Term(t, "phrase") for t in self.phrases)
            + tuple(Term(t, "organization") for t in self.organizations)
            + tuple(Term(t, "person") for t in self.people)
        )

    def outlet(self, name: str) -> Outlet | None:
        """The outlet with this name (case-insensitive), or None."""
        wanted = name.casefold()
        return next((o for o in self.outlets if o.name.casefold() == wanted), None)


def load_campaign(path: str | Path) -> Campaign:
    """Read, parse and validate a campaign file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CampaignError(str(p), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignError(str(p), f"cannot be read: {exc}") from None
    return parse_campaign(text, str(p))


def parse_campaign(text: str, path: str = "<campaign>") -> Campaign:
    """Parse and validate campaign TOML text; `path` is only used in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS_RE.search(str(exc))
        raise CampaignError(
            path, f"not valid TOML: {exc}", line=int(m.group(1)) if m else None
        ) from None
    return _Validator(text, path).campaign(data)


class _Validator:
    """Checks parsed TOML against the schema; finds source lines for error messages."""

    def __init__(self, text: str, path: str):
        self.lines = text.splitlines()
        self.path = path

    def fail(self, key: str, message: str) -> CampaignError:
        return CampaignError(self.path, message, key=key, line=self.locate(key))

    def locate(self, key: str) -> int | None:
        """The 1-based line where a dotted key such as `outlets[1].feeds[0]` is set."""
        m = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", key)
        if not m:
            return None
        table, index, leaf = m.group(1), m.group(2), m.group(3)
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]") if index is not None else (
            re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        )
        seen, start = -1, None
        for no, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if index is None or seen == int(index):
                    start = no
                    break
        if start is None:
            top = re.compile(rf"^\s*{re.escape(table)}\s*=")
            return next((no + 1 for no, line in enumerate(self.lines) if top.match(line)), None)
        if leaf is None:
            return start + 1
        key_re = re.compile(rf"^\s*{re.escape(leaf)}\s*=")
        for no in range(start + 1, len(self.lines)):
            line = self.lines[no]
            if re.match(r"^\s*\[", line):
                break
            if key_re.match(line):
                return no + 1
        return start + 1

    def campaign(self, data: dict[str, Any]) -> Campaign:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(key, f"unknown key (expected one of: {', '.join(sorted(_TOP_KEYS))})")
        section = data.get("campaign")
        if not isinstance(section, dict):
            raise self.fail("campaign", "a [campaign] table with at least a name is required")
        self.check_keys("campaign", section, _CAMPAIGN_KEYS)
        name = self.text("campaign.name", section.get("name"))
        phrases = self.strings("campaign.phrases", section.get("phrases", []))
        organizations = self.strings("campaign.organizations", section.get("organizations", []))
        people = self.strings("campaign.people", section.get("people", []))
        if not (phrases or organizations or people):
            raise self.fail("campaign", "name at least one of phrases, organizations or people")
        languages = tuple(
            self.language(f"campaign.languages[{i}]", v)
            for i, v in enumerate(self.strings("campaign.languages", section.get("languages", [])))
        )
        raw_outlets = data.get("outlets", [])
        if not isinstance(raw_outlets, list) or not all(isinstance(o, dict) for o in raw_outlets):
            raise self.fail("outlets", "must be an array of tables ([[outlets]])")
        outlets = tuple(self.outlet(i, o) for i, o in enumerate(raw_outlets))
        names = [o.name.casefold() for o in outlets]
        for i, n in enumerate(names):
            if n in names[:i]:
                raise self.fail(f"outlets[{i}].name", f"outlet {outlets[i].name!r} is named twice")
        raw_watch = data.get("watch", [])
        if not isinstance(raw_watch, list) or not all(isinstance(w, dict) for w in raw_watch):
            raise self.fail("watch", "must be an array of tables ([[watch]])")
        watch = tuple(self.watch(i, w) for i, w in enumerate(raw_watch))
        watch_names = [w.name.casefold() for w in watch]
        for i, n in enumerate(watch_names):
            if n in watch_names[:i]:
                raise self.fail(f"watch[{i}].name", f"watch {watch[i].name!r} is named twice")
        roundup = data.get("roundup", {})
        if not isinstance(roundup, dict):
            raise self.fail("roundup", "must be a table ([roundup])")
        self.check_keys("roundup", roundup, _ROUNDUP_KEYS)
        roundup_outlets = self.strings("roundup.outlets", roundup.get("outlets", []))
        folded = [n.casefold() for n in roundup_outlets]
        for i, n in enumerate(folded):
            if n in folded[:i]:
                raise self.fail("roundup.outlets", f"outlet {roundup_outlets[i]!r} is listed twice")
        raw_schedule = data.get("schedule", {})
        if not isinstance(raw_schedule, dict):
            raise self.fail("schedule", "must be a table ([schedule])")
        schedule = {**DEFAULT_SCHEDULE, **dict(self.schedule("schedule", raw_schedule))}
        return Campaign(
            schedule=tuple(schedule.items()),
            roundup_outlets=roundup_outlets,
            name=name,
            phrases=phrases,
            organizations=organizations,
            people=people,
            languages=languages,
            outlets=outlets,
            watch=watch,
            path=self.path,
        )

    def watch(self, i: int, raw: dict[str, Any]) -> Watch:
        key = f"watch[{i}]"
        self.check_keys(key, raw, _WATCH_KEYS)
        name = self.text(f"{key}.name", raw.get("name"))
        url = self.url(f"{key}.url", self.text(f"{key}.url", raw.get("url")))
        selector = raw.get("selector")
        if selector is not None:
            selector = self.text(f"{key}.selector", selector)
            if len(selector) > MAX_WATCH_SELECTOR:
                raise self.fail(f"{key}.selector", f"longer than {MAX_WATCH_SELECTOR} characters")
            try:
                GenericTranslator().css_to_xpath(selector)
            except SelectorError as exc:
                raise self.fail(f"{key}.selector", f"{selector!r} is not a CSS selector: {exc}") from None
        regex = raw.get("regex")
        if regex is not None:
            if not regex.strip():
                raise self.fail(f"{key}.regex", "a non-empty string is required")
            if len(regex) > MAX_WATCH_REGEX:
                raise self.fail(f"{key}.regex", f"longer than {MAX_WATCH_REGEX} characters")
            try:
                compiled = re.compile(regex)
            except re.error as exc:
                raise self.fail(f"{key}.regex", f"{regex!r} is not a regular expression: {exc}") from None
            if compiled.groups != 1:
                raise self.fail(
                    f"{key}.regex", f"needs exactly one capture group (the number), not {compiled.groups}"
                )
            if compiled.match(""):
                raise self.fail(f"{key}.regex", f"{regex!r} matches the empty string")
        kind = raw.get("kind", WATCH_DEFAULT_KIND)
        if kind not in COUNT_KINDS:
            raise self.fail(f"{key}.kind", f"{kind!r} is not one of: {', '.join(COUNT_KINDS)}")
        return Watch(name=name, url=url, selector=selector, regex=regex, kind=kind)

    def outlet(self, i: int, raw: dict[str, Any]) -> Outlet:
        key = f"outlets[{i}]"
        self.check_keys(key, raw, _OUTLET_KEYS)
        name = self.text(f"{key}.name", raw.get("name"))
        domains = tuple(
            self.domain(f"{key}.domains[{j}]", d)
            for j, d in enumerate(self.strings(f"{key}.domains", raw.get("domains", [])))
        )
        if not domains:
            raise self.fail(f"{key}.domains", f"outlet {name!r} needs at least one domain")
        language = raw.get("language")
        if language is not None:
            language = self.language(f"{key}.language", language)
        lists = {}
        for kind in ("feeds", "sitemaps", "sections", "urls"):
            values = self.strings(f"{key}.{kind}", raw.get(kind, []))
            lists[kind] = tuple(self.url(f"{key}.{kind}[{j}]", u) for j, u in enumerate(values))
        aliases = self.strings(f"{key}.aliases", raw.get("aliases", []))
        agency = raw.get("agency", False)
        if aliases and not agency:
            raise self.fail(f"{key}.aliases", "aliases name a wire agency: set agency = true as well")
        reach = raw.get("reach")
        if reach is not None and reach not in REACHES:
            raise self.fail(f"{key}.reach", f"{reach!r} is not one of: {', '.join(REACHES)}")
        schedule = self.schedule(f"{key}.schedule", raw.get("schedule", {}))
        return Outlet(name=name, domains=domains, language=language, agency=agency, aliases=aliases, reach=reach,
                      schedule=schedule, **lists)

    def schedule(self, key: str, raw: dict[str, Any]) -> tuple[tuple[str, int], ...]:
        """A `[schedule]` table (or an outlet's `schedule = {...}`): (kind, seconds) pairs."""
        out = []
        for kind, value in raw.items():
            if kind not in SCHEDULE_KINDS:
                raise self.fail(f"{key}.{kind}", f"unknown key (expected one of: {', '.join(SCHEDULE_KINDS)})")
            out.append((kind, self.duration(f"{key}.{kind}", value)))
        return tuple(out)

    def duration(self, key: str, value: Any) -> int:
        """Seconds from a whole number of seconds or a string such as "15m", "1h30m", "90s"."""
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.fail(key, f"must be a duration such as \"15m\", \"1h\" or a number of seconds, not {value!r}")
        if isinstance(value, int):
            seconds = value
        else:
            m = _DURATION_RE.match(value.strip().lower())
            if not value.strip() or not m:
                raise self.fail(key, f"{value!r} is not a duration such as \"15m\", \"1h\", \"6h\" or \"90s\"")
            d, h, mi, se = (int(g or 0) for g in m.groups())
            seconds = ((d * 24 + h) * 60 + mi) * 60 + se
        if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
            raise self.fail(key, f"{value!r} is out of range: between 1 minute and 7 days")
        return seconds

    def check_keys(self, key: str, table: dict[str, Any], schema: Mapping[str, type]) -> None:
        for k, v in table.items():
            if k not in schema:
                raise self.fail(f"{key}.{k}", f"unknown key (expected one of: {', '.join(schema)})")
            if not isinstance(v, schema[k]):
                want = {str: "a string", bool: "true or false", dict: "a table"}.get(schema[k], "an array of strings")
                raise self.fail(f"{key}.{k}", f"must be {want}, not {type(v).__name__}")

    def text(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty string is required")
        return value.strip()

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(key, f"must be an array of strings, not {type(value).__name__}")
        return tuple(self.text(f"{key}[{i}]", v) for i, v in enumerate(value))

    def language(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not _LANG_RE.match(value.strip().lower()):
            raise self.fail(key, f"{value!r} is not a two-letter ISO 639-1 code such as 'en'")
        return value.strip().lower()

    def domain(self, key: str, value: str) -> str:
        host = value.strip().lower().rstrip(".")
        if "://" in host or "/" in host or not _DOMAIN_RE.match(host):
            raise self.fail(key, f"{value!r} is not a host name (such as 'thehill.com' or '127.0.0.1:8001')")
        return host

    def url(self, key: str, value: str) -> str:
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise self.fail(key, f"{value!r} has a bad port") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(key, f"{value!r} is not an http(s) URL")
        return value

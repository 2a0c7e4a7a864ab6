"""The clip book: one self-contained static HTML page of a campaign's coverage.

`render_report` returns the page, `write_report` writes it as `index.html` in a directory. The
page needs nothing at view time: its stylesheet and script are inlined (from `templates/report.css`
and `templates/report.js`), the timeline chart is an SVG in a `data:` image, and it works opened
from disk (file://) or from any web server.

What it shows: a summary (clippings, outlets, languages with counts, the first and last publication
day, the latest count claims), the roundup (one line per outlet, linked), the timeline chart when
there is one, and a table of every clipping that the page's script filters (outlet, language,
text) and sorts by date. The script never builds HTML from data: it shows, hides and reorders the
rows the template wrote, reading their `data-*` attributes, and writes the count with textContent.

Security, because every string but the chart was scraped from the web:

- everything is escaped by Jinja2's autoescape; nothing scraped is ever marked safe;
- only http(s) URLs become links (`safe_href`); any other URL (`javascript:`, `data:`…) is shown
  as text; links carry rel="noopener noreferrer";
- a Content-Security-Policy <meta> allows no loads at all (`default-src 'none'`), the page's own
  inline script and stylesheet by their sha256 hashes (computed here, at render time), images
  from `data:` only (the chart), and `object-src 'none'`, `base-uri 'none'`, `form-action 'none'`.
  An SVG shown as an image runs no script and the page's policy cannot block its inner styles,
  which is why the chart (trusted: matplotlib's output) is an image and not inline markup.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from clippings.article import claim_label
from clippings.formats import safe_href
from clippings.roundup import RoundupLine, quoted
from clippings.store.models import as_utc
from clippings.store.repository import DayClaim, StoredClipping

REPORT_FILE = "index.html"
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined": the language filter's value for clippings without one
_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


@dataclass(frozen=True)
class _Row:
    """One clipping as the table shows it."""

    outlet: str
    day: str  # UTC ISO date, "" when unknown
    sort_key: str  # UTC ISO timestamp (sortable as text), "" when unknown
    headline: str
    url: str
    href: str | None
    language: str  # the code, UNKNOWN_LANGUAGE when unknown
    terms: tuple[str, ...]
    claims: tuple[str, ...]
    authors: tuple[str, ...]
    agency: str | None
    search: str  # what the text filter looks in: headline, outlet and terms, one a line


def day_claim_label(claim: DayClaim) -> str:
    """A day's highest claim as `claim_label` writes it (">200 events"); a range, whose bounds a DayClaim
    does not keep, as written ("400 to 500 events")."""
    if claim.qualifier == "range":
        return f"{claim.span} {claim.unit}"
    return claim_label({"qualifier": claim.qualifier, "value": claim.value, "unit": claim.unit})


def _row(c: StoredClipping) -> _Row:
    when = as_utc(c.published_at) if c.published_at else None
    terms = tuple(dict.fromkeys(c.matched_terms))
    return _Row(
        outlet=c.outlet,
        day=when.date().isoformat() if when else "",
        sort_key=when.strftime("%Y-%m-%dT%H:%M:%S") if when else "",
        headline=c.headline,
        url=c.url,
        href=safe_href(c.url),
        language=c.language or UNKNOWN_LANGUAGE,
        terms=terms,
        claims=tuple(dict.fromkeys(claim_label(k) for k in c.counts)),
        authors=c.authors,
        agency=c.agency,
        search="\n".join(" ".join(t.split()) for t in (c.headline, c.outlet, *terms)),
    )


def _summary(clippings: Sequence[StoredClipping]) -> dict[str, Any]:
    days = sorted(as_utc(c.published_at).date() for c in clippings if c.published_at)
    outlets = Counter(c.outlet for c in clippings)
    languages = Counter(c.language or UNKNOWN_LANGUAGE for c in clippings)
    first: date | None = days[0] if days else None
    last: date | None = days[-1] if days else None
    return {
        "clippings": len(clippings),
        "outlets": sorted(outlets.items(), key=lambda kv: kv[0].casefold()),
        "languages": sorted(languages.items(), key=lambda kv: (-kv[1], kv[0])),
        "first_day": first.isoformat() if first else None,
        "last_day": last.isoformat() if last else None,
        "undated": len(clippings) - len(days),
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """The page's policy: nothing loads; only this script and this stylesheet run, by hash; images from data:."""
    return "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(script)}",
        f"style-src {_sha256(style)}",
        "img-src data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.strip().encode("utf-8")).decode("ascii")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("clippings", "templates"),
        autoescape=True,  # every {{ }} is escaped, whatever the template's file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _asset(name: str) -> str:
    """The text of a file under templates/ that is inlined in the page (checked not to close its element)."""
    text = (resources.files("clippings") / "templates" / name).read_text(encoding="utf-8")
    if _CLOSING_TAG.search(text):
        raise ValueError(f"templates/{name} must not contain a closing </script> or </style> tag")
    return text


def render_report(
    *,
    title: str,
    clippings: Sequence[StoredClipping],
    roundup: Sequence[RoundupLine],
    timeline_svg: str | None,
    latest_claims: Sequence[DayClaim],
    generated_at: datetime,
) -> str:
    """The clip book as one HTML document (see the module docstring for what it shows and how it is safe)."""
    script, style = _asset("report.js"), _asset("report.css")
    # Newest first, undated last (as the script's sort keeps them).
    every = [_row(c) for c in clippings]
    rows = sorted((r for r in every if r.sort_key), key=lambda r: r.sort_key, reverse=True)
    rows += [r for r in every if not r.sort_key]
    summary = _summary(clippings)
    claims = [
        {"label": day_claim_label(c), "kind": c.kind, "unit": c.unit, "span": c.span, "outlet": c.outlet,
         "href": safe_href(c.url), "day": c.day.isoformat(), "first": c.first, "first_outlet": c.first_outlet,
         "first_href": safe_href(c.first_url), "first_day": as_utc(c.first_published_at).date().isoformat()}
        for c in latest_claims
    ]
    lines = [
        {"line": line, "href": safe_href(line.url), "quoted": quoted(line.text),
         "copies": [(outlet, safe_href(url)) for outlet, url in line.copies]}
        for line in roundup
    ]
    return _environment().get_template("report.html.j2").render(
        title=title,
        generated=as_utc(generated_at).strftime("%Y-%m-%d %H:%M UTC"),
        generated_iso=as_utc(generated_at).isoformat(),
        csp=content_security_policy(script, style),
        script=Markup(script),  # our own file, checked by _asset; its hash is in the policy
        style=Markup(style),  # idem
        summary=summary,
        claims=claims,
        roundup=lines,
        chart=_svg_data_uri(timeline_svg) if timeline_svg else None,
        rows=rows,
        outlets=[name for name, _ in summary["outlets"]],
        languages=sorted(lang for lang, _ in summary["languages"]),
        unknown_language=UNKNOWN_LANGUAGE,
    )


def write_report(
    out_dir: Path,
    *,
    title: str,
    clippings: Sequence[StoredClipping],
    roundup: Sequence[RoundupLine],
    timeline_svg: str | None,
    latest_claims: Sequence[DayClaim],
    generated_at: datetime,
) -> Path:
    """Write the clip book to `out_dir/index.html` (creating the directory) and return that path."""
    page = render_report(title=title, clippings=clippings, roundup=roundup, timeline_svg=timeline_svg,
                         latest_claims=latest_claims, generated_at=generated_at)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_FILE
    path.write_text(page, encoding="utf-8")
    return path


def latest_claims(claims: Sequence[DayClaim]) -> list[DayClaim]:
    """Per kind, the claim of the latest day that has one (the kinds in COUNT_KINDS order)."""
    from clippings.article import COUNT_KINDS

    last: dict[str, DayClaim] = {}
    for c in claims:
        if c.kind not in last or c.day >= last[c.kind].day:
            last[c.kind] = c
    return [last[k] for k in COUNT_KINDS if k in last]


def clip_book(
    store: Any,
    out_dir: Path,
    *,
    campaign: Any = None,
    since: datetime | None = None,
    until: datetime | None = None,
    generated_at: datetime | None = None,
) -> Path:
    """Read the store (clippings and claims from `since` to `until`) and write the clip book into
    `out_dir`: the roundup (`clippings.roundup.campaign_roundup`), the day timeline's chart
    (`clippings.timeline`), the latest claim of each kind, and every clipping. Returns index.html."""
    from clippings import timeline as tl
    from clippings.roundup import campaign_roundup

    clippings = store.query(since=since, until=until)
    claims = store.timeline(since=since, until=until)
    data = tl.coverage_timeline(clippings, claims, by="day", since=since.date() if since else None,
                                until=until.date() if until else None)
    name = getattr(campaign, "name", None)
    return write_report(
        out_dir,
        title=f"{name}: clip book" if name else "Clip book",
        clippings=clippings,
        roundup=campaign_roundup(clippings, campaign),
        timeline_svg=tl.render_svg(data, title="Clippings per day") if data.periods else None,
        latest_claims=latest_claims(claims.claims),
        generated_at=generated_at or datetime.now(UTC),
    )

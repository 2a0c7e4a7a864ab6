"""The coverage timeline: clippings per day or ISO week, by outlet and language, with the highest claims.

Pure functions over what the store returns (`Store.query()` clippings and `Store.timeline()` claims);
nothing here opens a database. `coverage_timeline` builds a `CoverageTimeline`; the renderers turn it
into rows for `clippings.formats.render` (table, csv), a nested JSON record, a PNG, an inline SVG or a
self-contained HTML page.

The rules:

- **Dating.** A clipping is dated by the UTC day of its publication time, else by the UTC day it was
  first seen (as `Store.query` and `Store.timeline` date it). A naive datetime is taken to be UTC.
- **Periods.** `by="day"`: one period per UTC day. `by="week"`: one period per ISO week, from Monday
  (`start`) to Sunday (`end`, inclusive), labelled like "2020-W45" (ISO year and week number, which
  may differ from the calendar year near New Year). Day periods are labelled by their ISO date.
- **Range.** Periods run from the one holding `since` (else the first day with a clipping or a claim)
  to the one holding `until` (else the last such day). Clippings and claims dated outside
  `since`..`until` are left out, so an edge week counts only its days within the bounds (its
  `start`/`end` are still the whole week's). With neither bounds nor data there are no periods.
- **Empty periods are zero, not skipped:** every period of the range is present, with 0 clippings,
  empty `by_outlet`/`by_language` and no claims when nothing was published in it.
- **Counts.** `by_outlet` and `by_language` count the period's clippings (each sums to `clippings`);
  a clipping without a language counts as "und" (ISO 639 "undetermined"). `outlets` and `languages`
  list every outlet / language of the whole timeline, most clippings first, then by name.
- **Claims.** A period's claims come from the store's per-day claims (`Timeline.claims`, `DayClaim`:
  the highest claim of a kind on one UTC day): per kind, the highest value over the period's days;
  on a tie the earliest day's claim stays. They are ordered as `clippings.article.COUNT_KINDS`, then
  by kind name. Watched counters (`Timeline.watches`) are not part of the coverage timeline: they
  are read at crawl time, not published.

Output columns (`timeline_rows`, `timeline_columns`): period, start, end, clippings, one
"outlet:<name>" column per outlet and one "lang:<code>" column per language (prefixed, so that no
outlet or language name can collide with another column), then "top_events" (always) and
"top_<kind>" for every other kind with a claim: the claim as text, ">370 events (More than 370)".
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from clippings.article import COUNT_KINDS, claim_label
from clippings.formats import render
from clippings.store.models import as_utc

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from clippings.store.repository import DayClaim, StoredClipping, Timeline

BY = ("day", "week")
TEXT_FORMATS = ("table", "csv", "json")
UNKNOWN_LANGUAGE = "und"
FIXED_COLUMNS = ("period", "start", "end", "clippings")
TIMELINE_WIDTHS = {"top_events": 40}
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PeriodClaim:
    """The highest claim of one kind in a period: the `DayClaim` of the period's day that printed it."""

    kind: str
    value: int
    qualifier: str
    unit: str
    span: str  # the quantity words as written: "More than 370"
    outlet: str  # the day's earliest outlet carrying the value
    url: str
    day: date  # the UTC day it was printed (the earliest day of the period with this value)

    @property
    def text(self) -> str:
        """The claim in a few words: ">370 events (More than 370)"."""
        return claim_text(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "value": self.value, "qualifier": self.qualifier, "unit": self.unit,
            "span": self.span, "outlet": self.outlet, "url": self.url, "day": self.day.isoformat(),
            "text": self.text,
        }  # fmt: skip


@dataclass(frozen=True)
class Period:
    """One day or ISO week of coverage: how many clippings, from whom, in which languages, claiming what."""

    start: date
    end: date  # inclusive: the same day, or the week's Sunday
    clippings: int
    by_outlet: dict[str, int]  # outlet -> clippings (only outlets with some), most first then by name
    by_language: dict[str, int]  # language code ("und" when unknown) -> clippings, most first then by code
    claims: tuple[PeriodClaim, ...]  # the highest claim of each kind in the period

    def label(self, by: str) -> str:
        """The period's name: its ISO date for a day, "2020-W45" for a week."""
        if by == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.isoformat()

    def claim(self, kind: str) -> PeriodClaim | None:
        """The period's highest claim of this kind, if any."""
        return next((c for c in self.claims if c.kind == kind), None)


@dataclass(frozen=True)
class CoverageTimeline:
    """Every period from the first to the last, empty ones included (their counts are zero)."""

    by: Literal["day", "week"]
    periods: tuple[Period, ...]
    outlets: tuple[str, ...]  # every outlet with a clipping, most clippings in total first, then by name
    languages: tuple[str, ...]  # every language, most clippings first, then by code

    @property
    def clippings(self) -> int:
        """All the clippings of the timeline."""
        return sum(p.clippings for p in self.periods)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of claim that some period has, in COUNT_KINDS order (unknown kinds after, by name)."""
        return _ordered_kinds({c.kind for p in self.periods for c in p.claims})


# --- building -------------------------------------------------------------------------------------


def clipping_day(clipping: StoredClipping) -> date:
    """The UTC day a clipping is dated by: its publication time, else when it was first seen."""
    return as_utc(clipping.published_at or clipping.first_seen_at).date()


def period_start(day: date, by: str) -> date:
    """The first day of the period holding `day`: the day itself, or its ISO week's Monday."""
    _check_by(by)
    return day - timedelta(days=day.weekday()) if by == "week" else day


def coverage_timeline(
    clippings: Sequence[StoredClipping],
    claims: Timeline | None = None,
    by: str = "day",
    since: date | None = None,
    until: date | None = None,
) -> CoverageTimeline:
    """Clippings per day or ISO week (every period from the first to the last), with the highest claims.

    `claims` is `Store.timeline(...)` (any kind, or one); `since`/`until` are inclusive UTC days
    (a datetime counts by its UTC day). The rules are in the module docstring. ValueError for an
    unknown `by` or `since` after `until`.
    """
    unit = _check_by(by)
    first, last = _as_day(since), _as_day(until)
    if first is not None and last is not None and first > last:
        raise ValueError(f"since ({first.isoformat()}) is after until ({last.isoformat()})")

    def inside(day: date) -> bool:
        return (first is None or day >= first) and (last is None or day <= last)

    dated = [(clipping_day(c), c) for c in clippings]
    dated = [(day, c) for day, c in dated if inside(day)]
    day_claims = [c for c in (claims.claims if claims is not None else ()) if inside(c.day)]
    days = [day for day, _ in dated] + [c.day for c in day_claims]
    low = first if first is not None else min(days, default=last)
    high = last if last is not None else max(days, default=first)
    if low is None or high is None:
        return CoverageTimeline(by=unit, periods=(), outlets=(), languages=())

    step = timedelta(days=7) if by == "week" else _DAY
    length = step - _DAY
    grouped: dict[date, list[StoredClipping]] = {}
    for day, c in dated:
        grouped.setdefault(period_start(day, by), []).append(c)
    claimed: dict[date, list[DayClaim]] = {}
    for dc in day_claims:
        claimed.setdefault(period_start(dc.day, by), []).append(dc)

    periods = []
    start = period_start(low, by)
    while start <= high:
        members = grouped.get(start, [])
        periods.append(Period(
            start=start, end=start + length, clippings=len(members),
            by_outlet=_ranked(Counter(c.outlet for c in members)),
            by_language=_ranked(Counter(c.language or UNKNOWN_LANGUAGE for c in members)),
            claims=_highest(claimed.get(start, [])),
        ))  # fmt: skip
        start += step
    outlets = _ranked(Counter(c.outlet for _, c in dated))
    languages = _ranked(Counter(c.language or UNKNOWN_LANGUAGE for _, c in dated))
    return CoverageTimeline(by=unit, periods=tuple(periods), outlets=tuple(outlets), languages=tuple(languages))


def _check_by(by: str) -> Literal["day", "week"]:
    if by == "day":
        return "day"
    if by == "week":
        return "week"
    raise ValueError(f"unknown period {by!r}: a timeline goes by 'day' or 'week'")


def _as_day(value: date | None) -> date | None:
    if isinstance(value, datetime):
        return as_utc(value).date()
    return value


def _ranked(counts: Counter[str]) -> dict[str, int]:
    """Counts, most first, then by name."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _ordered_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    order = {k: i for i, k in enumerate(COUNT_KINDS)}
    return tuple(sorted(set(kinds), key=lambda k: (order.get(k, len(order)), k)))


def _highest(day_claims: Sequence[DayClaim]) -> tuple[PeriodClaim, ...]:
    """Per kind, the highest day claim; on a tie the earliest day's."""
    best: dict[str, DayClaim] = {}
    for dc in sorted(day_claims, key=lambda c: c.day):
        held = best.get(dc.kind)
        if held is None or dc.value > held.value:
            best[dc.kind] = dc
    return tuple(
        PeriodClaim(kind=dc.kind, value=dc.value, qualifier=dc.qualifier, unit=dc.unit, span=dc.span,
                    outlet=dc.outlet, url=dc.url, day=dc.day)
        for dc in (best[k] for k in _ordered_kinds(best))
    )  # fmt: skip


# --- rows, JSON and text --------------------------------------------------------------------------


def claim_text(claim: PeriodClaim) -> str:
    """A claim as text: its number with the qualifier's sign, unit, and the words as printed.

    ">370 events (More than 370)", "~200 events (hundreds)", "370 rallies (370)".
    """
    label = claim_label({"value": claim.value, "qualifier": claim.qualifier, "unit": claim.unit})
    return f"{label} ({claim.span})"


def outlet_column(outlet: str) -> str:
    return f"outlet:{outlet}"


def language_column(language: str) -> str:
    return f"lang:{language}"


def claim_column(kind: str) -> str:
    return f"top_{kind}"


def timeline_columns(tl: CoverageTimeline) -> list[str]:
    """The columns of `timeline_rows`, in order (see the module docstring)."""
    kinds = ("events",) + tuple(k for k in tl.kinds if k != "events")
    return [
        *FIXED_COLUMNS,
        *(outlet_column(o) for o in tl.outlets),
        *(language_column(lang) for lang in tl.languages),
        *(claim_column(k) for k in kinds),
    ]


def timeline_rows(tl: CoverageTimeline) -> list[dict[str, Any]]:
    """One flat row per period for the table and CSV: label, start, end (dates), counts, claims as text.

    Every outlet and language column is present in every row (0 when none); a claim column is None
    when the period has no claim of that kind.
    """
    rows = []
    kinds = [c[len("top_"):] for c in timeline_columns(tl) if c.startswith("top_")]
    for p in tl.periods:
        row: dict[str, Any] = {"period": p.label(tl.by), "start": p.start, "end": p.end, "clippings": p.clippings}
        row.update({outlet_column(o): p.by_outlet.get(o, 0) for o in tl.outlets})
        row.update({language_column(lang): p.by_language.get(lang, 0) for lang in tl.languages})
        for kind in kinds:
            found = p.claim(kind)
            row[claim_column(kind)] = found.text if found else None
        rows.append(row)
    return rows


def timeline_json(tl: CoverageTimeline) -> dict[str, Any]:
    """The whole timeline as JSON-ready data (dates as ISO strings), periods nested with their claims."""
    return {
        "by": tl.by,
        "start": tl.periods[0].start.isoformat() if tl.periods else None,
        "end": tl.periods[-1].end.isoformat() if tl.periods else None,
        "clippings": tl.clippings,
        "outlets": list(tl.outlets),
        "languages": list(tl.languages),
        "periods": [
            {
                "period": p.label(tl.by),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "clippings": p.clippings,
                "by_outlet": dict(p.by_outlet),
                "by_language": dict(p.by_language),
                "claims": [c.as_dict() for c in p.claims],
            }
            for p in tl.periods
        ],
    }


def render_text(tl: CoverageTimeline, fmt: str) -> str:
    """The timeline as "table" or "csv" (through `clippings.formats.render`) or "json" (`timeline_json`)."""
    if fmt == "json":
        return json.dumps(timeline_json(tl), ensure_ascii=False, indent=2)
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(TEXT_FORMATS)}")
    return render(timeline_rows(tl), fmt, timeline_columns(tl), TIMELINE_WIDTHS)


# --- the chart ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text matplotlib draws as written: dollar signs escaped (no mathtext)."""
    return text.replace("$", r"\$")


def _figure(tl: CoverageTimeline, title: str) -> Figure:
    """Stacked bars of clippings per period by outlet; the highest events claim per period on a second axis."""
    from matplotlib import dates as mdates
    from matplotlib import ticker
    from matplotlib.figure import Figure

    n = len(tl.periods)
    fig = Figure(figsize=(min(max(8.0, 3.0 + 0.45 * n), 24.0), 5.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(_plain(title))
    ax.set_ylabel("clippings")
    ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    if not tl.periods:
        ax.text(0.5, 0.5, "no coverage", transform=ax.transAxes, ha="center", va="center")
        ax.set_xticks([])
        return fig

    days = 7 if tl.by == "week" else 1
    # Bars are centred on the day (a day's tick is its bar's middle) or on the week's Thursday.
    middles = [datetime.combine(p.start, datetime.min.time()) + timedelta(days=(days - 1) / 2) for p in tl.periods]
    x = mdates.date2num(middles)
    width = 0.8 * days
    colours = _colours(len(tl.outlets))
    handles: list[Any] = []
    labels: list[str] = []
    bottom = [0] * n
    for outlet, colour in zip(tl.outlets, colours, strict=True):
        heights = [p.by_outlet.get(outlet, 0) for p in tl.periods]
        bars = ax.bar(x, heights, width=width, bottom=bottom, color=colour, edgecolor="white", linewidth=0.5)
        handles.append(bars)
        labels.append(_plain(outlet))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylim(0, max(max(bottom) * 1.15, 1))
    ax.set_xlim(x[0] - days / 2, x[-1] + days / 2)

    events = [p.claim("events") for p in tl.periods]
    if any(events):
        ax2 = ax.twinx()
        values = [c.value if c else float("nan") for c in events]
        (line,) = ax2.plot(x, values, drawstyle="steps-mid", color="black", linewidth=1.8, marker="o",
                           markersize=4)  # fmt: skip
        ax2.set_ylabel("highest events claim")
        ax2.set_ylim(0, max(v for v in values if v == v) * 1.15)
        ax2.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        handles.append(line)
        labels.append("highest events claim")

    if tl.by == "week":
        ax.set_xticks(x, [_plain(p.label("week")) for p in tl.periods], rotation=45, ha="right")
    else:
        locator = mdates.AutoDateLocator(maxticks=14)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("week (ISO)" if tl.by == "week" else "day (UTC)")
    if handles:
        # Explicit labels: legend() would hide an outlet whose name starts with "_".
        fig.legend(handles, labels, loc="outside right upper", fontsize="small", frameon=False)
    return fig


def _colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def render_png(tl: CoverageTimeline, path: str | Path, title: str = "Coverage over time") -> None:
    """Write the chart as a PNG (Agg, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure(tl, title)
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", metadata={"Software": None})


def render_svg(tl: CoverageTimeline, title: str = "Coverage over time") -> str:
    """The chart as SVG text for inline HTML: text stays text (svg.fonttype none), no XML prolog."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "clippings-timeline"}):
        fig = _figure(tl, title)
        FigureCanvasSVG(fig)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = out.getvalue()
    start = text.find("<svg")
    return re.sub(r"<!--.*?-->", "", text[start:], flags=re.S).strip() if start >= 0 else text


# --- the page -------------------------------------------------------------------------------------


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
figure { margin: 0 0 2rem 0; max-width: 100%; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; vertical-align: top; }
th { background: #f4f4f4; }
td.text, th.text, td.date, th.date { text-align: left; }
td.date, td.number { white-space: nowrap; }
td.text { min-width: 12rem; }
.scroll { overflow-x: auto; }
tr.empty td { color: #999; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>{{ summary }}</p>
<figure>
{{ svg }}
</figure>
<div class="scroll">
<table>
<thead>
<tr>{% for column in columns %}<th scope="col" class="{{ column.cls }}">{{ column.label }}</th>{% endfor %}</tr>
</thead>
<tbody>
{% for row in rows %}<tr{% if not row.clippings %} class="empty"{% endif %}>
{%- for column in columns %}<td class="{{ column.cls }}">{{ row.cells[loop.index0] }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</div>
</body>
</html>
"""


def _column_label(column: str) -> str:
    for prefix, label in (("outlet:", ""), ("lang:", "language "), ("top_", "highest ")):
        if column.startswith(prefix):
            return label + column[len(prefix):]
    return column


def _column_class(column: str) -> str:
    if column in ("period", "start", "end"):
        return "date"
    return "text" if column.startswith("top_") else "number"


def render_html(tl: CoverageTimeline, title: str = "Coverage over time") -> str:
    """A self-contained HTML5 page: the inline SVG chart and the table of `timeline_rows`.

    Nothing is fetched when it is viewed (no scripts, fonts, stylesheets or images from elsewhere);
    every value, outlet names and claim words included, is escaped by jinja2's autoescape. The
    chart comes from matplotlib's SVG writer, which escapes its text itself.
    """
    from jinja2 import Environment
    from markupsafe import Markup

    env = Environment(autoescape=True, keep_trailing_newline=True)
    columns = timeline_columns(tl)
    rows = timeline_rows(tl)
    outlets_text = ", ".join(tl.outlets) if tl.outlets else "no outlet"
    if tl.periods:
        span = f"{tl.periods[0].start.isoformat()} to {tl.periods[-1].end.isoformat()}"
        summary = f"{tl.clippings} clippings by {tl.by}, {span} (UTC): {outlets_text}."
    else:
        summary = "No coverage."
    return env.from_string(_PAGE).render(
        title=title,
        summary=summary,
        svg=Markup(render_svg(tl, title)),  # matplotlib's SVG writer escapes all its text
        columns=[
            {"label": _column_label(c), "cls": _column_class(c)} for c in columns
        ],
        rows=[
            {"clippings": row["clippings"], "cells": ["" if row[c] is None else str(row[c]) for c in columns]}
            for row in rows
        ],
    )

"""The `clippings` command: a thin click layer over the library.

Every command that reads or writes clippings takes `--db URL` (or the CLIPPINGS_DB environment
variable; default `sqlite:///clippings.db` in the working directory). A bad campaign file or an
unreachable database ends the command with exit code 2 and a message, before anything runs.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import click

from clippings import __version__
from clippings.article import COUNT_KINDS, claim_label
from clippings.campaign import CampaignError, load_campaign
from clippings.formats import format_option, render, to_json
from clippings.roundup import ROUNDUP_FORMATS
from clippings.store.db import DatabaseUnavailable, resolve_db_url

F = TypeVar("F", bound=Callable[..., Any])
EXIT_USAGE = 2
OWNS_PROCESS = "owns_process"  # key in the root context's obj, set by the console script (`run`)


def db_option(func: F) -> F:
    """The `--db URL` option (environment: CLIPPINGS_DB)."""
    return click.option(
        "--db", "db", envvar="CLIPPINGS_DB", default=None, metavar="URL",
        help="SQLAlchemy database URL [env CLIPPINGS_DB; default sqlite:///clippings.db].",
    )(func)


def campaign_option(required: bool = True) -> Callable[[F], F]:
    return click.option(
        "--campaign", "campaign_path", required=required, metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path), help="The campaign file (TOML).",
    )


def settings_option(func: F) -> F:
    return click.option(
        "-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
        help="Override a Scrapy setting for this run, as `scrapy crawl -s` does (repeatable).",
    )(func)


def redis_option(func: F) -> F:
    """The `--redis URL` option (environment: CLIPPINGS_REDIS_URL): distributed mode."""
    return click.option(
        "--redis", "redis_url", envvar="CLIPPINGS_REDIS_URL", default=None, metavar="URL",
        help="Distributed mode: the Redis server of the shared frontier [env CLIPPINGS_REDIS_URL].",
    )(func)


def fail(message: str) -> None:
    """Print `message` to stderr and exit with code 2."""
    click.echo(f"clippings: {message}", err=True)
    sys.exit(EXIT_USAGE)


def guarded(func: F) -> F:
    """Turn campaign and database errors into a clear message and exit code 2."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CampaignError, DatabaseUnavailable) as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def open_store(db: str | None) -> Any:
    from clippings.store.repository import Store

    return Store.open(resolve_db_url(db))


def parse_day(value: str | None, end: bool = False) -> datetime | None:
    """YYYY-MM-DD (a whole day, inclusive) or an ISO 8601 datetime, as UTC."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or ISO 8601 datetime") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clippings")
def main() -> None:
    """Track who covers a campaign, what they say and what numbers they print.

    \b
    Start with:  clippings demo
    Then:        clippings crawl --campaign campaign.toml
                 clippings query --outlet "The Hill" --since 2020-11-01
    """


def run() -> None:
    """The `clippings` console script: this process runs nothing but the command."""
    main(obj={OWNS_PROCESS: True})


def owns_process(ctx: click.Context) -> bool:
    """True when the CLI was started as the console script (not embedded, as in tests): a crawl
    may then run in this very process (Twisted's reactor starts only once per process)."""
    root = ctx.find_root().obj
    return bool(root and root.get(OWNS_PROCESS))


# --- crawling ---------------------------------------------------------------------------------
def print_summary(summary: Any) -> None:
    errors = ", ".join(f"{k} {v}" for k, v in sorted(summary.errors.items())) or "none"
    click.echo(
        f"Run {summary.id} {summary.status}: {summary.pages_fetched} pages fetched, "
        f"{summary.articles_seen} articles seen, {summary.relevant} relevant, "
        f"{summary.new_clippings} new and {summary.updated_clippings} updated clippings, "
        f"{summary.dropped} dropped; errors: {errors}"
    )
    watched = getattr(summary, "watch", ())
    if watched:
        n = summary.watch_counts
        click.echo(f"Watched counters: {n['found']} found, {n['missing']} missing, {n['error']} errors")
        for o in watched:
            shown = f"{o.value:,} ({o.text})" if o.status == "found" else (o.detail or "")
            click.echo(f"  {o.name}: {o.status} {shown}".rstrip())


@main.command()
@campaign_option()
@db_option
@click.option("--only", type=click.Choice(["feeds", "sitemaps", "urls", "sections", "watch"]),
              help="Run one source type only (watch: only the campaign's [[watch]] counter pages).")
@click.option("--since", metavar="DATE", help="Backfill: read every sitemap whole and follow its index back to "
              "this day (YYYY-MM-DD), fetching the entries dated since then.")
@settings_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log (INFO) instead of warnings only.")
@redis_option
@click.pass_context
@guarded
def crawl(
    ctx: click.Context, campaign_path: Path, db: str | None, only: str | None, since: str | None,
    settings: tuple[str, ...], verbose: bool, redis_url: str | None,
) -> None:
    """Crawl the campaign's feeds, sitemaps and URL lists and store relevant clippings.

    Per-page failures are counted and never fail the run. One crawl of a campaign into a
    database runs at a time: a second one (from cron, say, while the last is still running)
    exits at once with code 75 and says so. Example:

    \b
      clippings crawl --campaign campaign.toml --db sqlite:///coverage.db -s DOWNLOAD_DELAY=2
      clippings crawl --campaign campaign.toml --since 2020-10-01     # backfill from sitemap indexes
      clippings crawl --campaign campaign.toml --redis redis://queue:6379/0   # enqueue for `clippings worker`
    """
    if redis_url:  # distributed mode: the workers crawl; this only enqueues the sources (a round)
        if since:
            fail("--since backfills in a local crawl only: run it without --redis")
        enqueue(campaign_path, redis_url, only)
        return
    from clippings.crawl import run_crawl
    from clippings.locks import EXIT_LOCKED, CrawlLocked

    backfill = parse_day(since)
    try:
        summary = run_crawl(
            campaign_path, resolve_db_url(db), only=only, settings=settings, verbose=verbose,
            in_process=owns_process(ctx), lock=True,
            spider_args={"since": backfill.isoformat()} if backfill else None,
        )
    except CrawlLocked as exc:
        click.echo(f"clippings: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    print_summary(summary)
    if summary.status != "finished":
        sys.exit(1)


def enqueue(campaign_path: Path, redis_url: str, only: str | None = None) -> None:
    """`clippings crawl --redis [--only KIND]`: push the campaign's sources for the workers."""
    from clippings.distributed import enqueue_sources

    campaign = load_campaign(campaign_path)
    try:
        done = enqueue_sources(campaign, redis_url, only=only)
    except Exception as exc:  # noqa: BLE001 - redis's connection errors, as one line
        fail(f"cannot enqueue into Redis: {exc}")
        return
    counts = ", ".join(f"{k} {v}" for k, v in done.sources.items()) or "none"
    click.echo(f"Round {done.round}: queued {sum(done.sources.values())} sources ({counts}) "
               f"under {done.prefix}; `clippings worker` processes crawl them")


@main.command()
@campaign_option()
@db_option
@click.option("--redis", "redis_url", envvar="CLIPPINGS_REDIS_URL", required=True, metavar="URL",
              help="The Redis server of the shared frontier [env CLIPPINGS_REDIS_URL].")
@click.option("--idle", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Stop after the frontier has stayed empty this long [default 30; 0: never].")
@settings_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log (INFO) instead of warnings only.")
@click.pass_context
@guarded
def worker(
    ctx: click.Context, campaign_path: Path, db: str | None, redis_url: str, idle: float | None,
    settings: tuple[str, ...], verbose: bool,
) -> None:
    """Crawl from the shared Redis frontier (distributed mode), with any number of other workers.

    Runs the campaign's source spiders at once with scrapy-redis's scheduler and dupefilter:
    every page is fetched by one worker once, clippings go to the one database. Stops when
    the frontier has stayed empty for the idle time, or on SIGTERM (requests in flight
    finish; the rest stays queued for the others). `clippings crawl --redis` enqueues the
    sources. Example:

    \b
      clippings worker --campaign campaign.toml --redis redis://queue:6379/0 \\
          --db postgresql+psycopg://clippings@db/clippings
    """
    from clippings.crawl import run_crawl
    from clippings.distributed import redis_client

    load_campaign(campaign_path)  # a bad file stops here, with exit code 2
    try:  # so does an unreachable Redis
        client = redis_client(redis_url)
        client.ping()
        client.close()
    except Exception as exc:  # noqa: BLE001 - redis's connection errors, as one line
        fail(f"cannot reach Redis: {exc}")
    extra = [f"CLIPPINGS_REDIS_URL={redis_url}"]
    if idle is not None:
        extra.append(f"MAX_IDLE_TIME_BEFORE_CLOSE={idle:g}")
    summary = run_crawl(campaign_path, resolve_db_url(db), settings=(*settings, *extra), verbose=verbose,
                        in_process=owns_process(ctx), progress=False)
    print_summary(summary)
    if summary.status != "finished":
        sys.exit(1)


@main.command()
@campaign_option()
@db_option
@settings_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log (INFO) instead of warnings only.")
@guarded
def watch(campaign_path: Path, db: str | None, settings: tuple[str, ...], verbose: bool) -> None:
    """Poll every feed and sitemap on its own interval until stopped (SIGTERM or Ctrl-C).

    Intervals start from the campaign's [schedule] (feeds 15m, sitemaps 1h, sections 6h
    by default; an outlet's `schedule = { feeds = "5m" }` overrides), slow down for
    quiet sources, speed up for busy ones and back off on failures. A signal lets the
    crawl in progress finish, then exits with code 0. A second watch of the same campaign
    and database exits at once with code 75. Example:

    \b
      clippings watch --campaign campaign.toml --db sqlite:///coverage.db
    """
    from clippings.locks import EXIT_LOCKED, CrawlLocked, crawl_lock
    from clippings.scheduler import Scheduler, crawl_function, install_signal_handlers

    url = resolve_db_url(db)
    campaign = load_campaign(campaign_path)  # a bad file stops here, with exit code 2
    open_store(url).close()  # so does an unreachable database
    scheduler = Scheduler(
        campaign_path, url, crawl_function(campaign_path, url, settings, verbose),
        log=lambda line: click.echo(line, err=True),
    )
    try:
        with crawl_lock(url, f"{campaign.name}\0watch"):  # one watch per campaign and database
            install_signal_handlers(scheduler)
            click.echo(f"clippings watch: polling the sources of {campaign_path}; stop with Ctrl-C or SIGTERM",
                       err=True)
            scheduler.run()
    except CrawlLocked:
        click.echo(f"clippings: another clippings watch of campaign {campaign.name!r} into this database is "
                   "running; not starting a second one", err=True)
        sys.exit(EXIT_LOCKED)
    click.echo("clippings watch: stopped", err=True)


SOURCE_COLUMNS = ("outlet", "kind", "url", "status", "last_success", "last_new_item", "failures", "interval",
                  "next_due", "items_found", "flags")


def source_rows(states: Any, now: datetime) -> list[dict[str, Any]]:
    """The public JSON records of `clippings sources`."""
    from clippings.sources import flags

    return [
        {"outlet": s.outlet, "kind": s.kind, "url": s.url, "status": s.last_status,
         "last_success": s.last_success_at, "last_new_item": s.last_new_item_at,
         "failures": s.failures, "failures_by_kind": dict(sorted(s.failures_by_kind.items())),
         "consecutive_failures": s.consecutive_failures,
         "interval": s.interval_seconds, "next_due": s.next_due_at, "items_found": s.items_found,
         "flags": list(flags(s, now)), "polls": s.polls, "last_failure_kind": s.last_failure_kind,
         "failing_since": s.failing_since, "last_entries_at": s.last_entries_at}
        for s in states
    ]  # fmt: skip


def source_cells(row: dict[str, Any], table: bool = False) -> dict[str, Any]:
    """A `sources` record for the table and CSV: failures as `3 (connect 2, http_500 1)`, the interval
    as 15m; the table shows times to the minute (UTC), CSV in full."""
    failures = str(row["failures"])
    if row["failures_by_kind"]:
        failures += " (" + ", ".join(f"{k} {v}" for k, v in row["failures_by_kind"].items()) + ")"
    cells = {**row, "failures": failures, "interval": _duration(row["interval"]), "flags": ", ".join(row["flags"])}
    if table:
        for name in ("last_success", "last_new_item", "next_due"):
            cells[name] = row[name] and row[name].strftime("%Y-%m-%d %H:%M")
    return cells


def _duration(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size or (unit == "s" and not parts):
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)


@main.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True,
              help="Output format: an aligned table for people, json/csv for other tools.")
@db_option
@guarded
def sources(fmt: str, db: str | None) -> None:
    """Each polled source's health (feeds, sitemaps, section pages): last status, last
    success, last new item, failures by kind, interval, next due time, items found, flags.

    Flags: `failing` (every poll failed for 24 hours) and `silent` (no entries for 7 days).
    JSON objects carry outlet, kind, url, status, last_success, last_new_item, failures
    (all time), failures_by_kind, consecutive_failures, interval (seconds), next_due,
    items_found, flags, polls, last_failure_kind, failing_since and last_entries_at. Example:

    \b
      clippings sources --db sqlite:///coverage.db --format json
    """
    from clippings.campaign import SCHEDULE_KINDS
    from clippings.store.sources import source_states

    store = open_store(db)
    try:
        rows = source_rows(source_states(store, kinds=SCHEDULE_KINDS), datetime.now(UTC))
    finally:
        store.close()
    if fmt == "json":
        click.echo(render(rows, fmt, SOURCE_COLUMNS))
    else:
        click.echo(render([source_cells(r, table=fmt == "table") for r in rows], fmt, SOURCE_COLUMNS, {"url": 60}))


@main.command()
@click.argument("urls", nargs=-1, required=True)
@campaign_option()
@db_option
@settings_option
@guarded
def add(urls: tuple[str, ...], campaign_path: Path, db: str | None, settings: tuple[str, ...]) -> None:
    """Fetch the given article URLs and store them as clippings (even if already known).

    Example:

    \b
      clippings add https://thehill.com/homenews/123-story/ --campaign campaign.toml
    """
    from clippings.crawl import run_crawl

    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        fail(f"not an http(s) URL: {bad[0]}")
    summary = run_crawl(
        campaign_path, resolve_db_url(db), only="urls", settings=settings,
        spider_args={"urls": "\n".join(urls), "force": "1", "listed": "0"}, progress=False,
    )
    print_summary(summary)
    if summary.status != "finished":
        sys.exit(1)


# --- reading ----------------------------------------------------------------------------------
# CSV columns: new ones are only ever appended. The table shows the same fields in reading order,
# and the clipping's count claims.
QUERY_COLUMNS = ("published_at", "outlet", "language", "headline", "matched_terms", "url", "authors", "agency")
QUERY_TABLE = ("published_at", "outlet", "language", "headline", "authors", "agency", "matched_terms", "claims",
               "url")
QUERY_WIDTHS = {"headline": 60, "authors": 30, "url": 60, "matched_terms": 40, "claims": 40}
def with_claims(row: dict[str, Any]) -> dict[str, Any]:
    """A clipping's JSON record with a `claims` cell for the table: its distinct count claims."""
    return {**row, "claims": list(dict.fromkeys(claim_label(c) for c in row.get("counts", [])))}


@main.command()
@click.option("--outlet", help="Only this outlet (its name, case-insensitive).")
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--lang", help="Only this language (ISO 639-1, e.g. es).")
@click.option("--term", help="Only clippings that matched this term (or name it in headline or lede).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many clippings.")
@click.option("--all-copies", is_flag=True, help="List syndicated copies too (default: each story once).")
@format_option()
@db_option
@guarded
def query(outlet: str | None, since: str | None, until: str | None, lang: str | None, term: str | None,
          limit: int | None, all_copies: bool, fmt: str, db: str | None) -> None:
    """List stored clippings, newest first, each story once (its original; --all-copies: its copies too).

    JSON objects carry url, outlet, headline, published_at, language, authors, lede,
    matched_terms, first_seen_at, alias_urls, agency (the wire agency the story comes
    from: "AFP", "Associated Press", "Reuters"..., or null), counts (the numbers it claims:
    value, low, high, qualifier, unit, kind, span, start and the field it is in) and quotes
    (text, speaker, person, start, end), earlier_headlines, story_id (the story's original's id: a
    wire story and its reprints share one) and is_original. The table shows the claims too. Example:

    \b
      clippings query --outlet "The Hill" --since 2020-11-01 --lang en --format json
    """
    store = open_store(db)
    try:
        rows = [c.to_json() for c in store.query(
            outlet=outlet, since=parse_day(since), until=parse_day(until, end=True),
            lang=lang.lower() if lang else None, term=term, limit=limit, all_copies=all_copies,
        )]
    finally:
        store.close()
    if fmt == "table":
        rows = [with_claims(r) for r in rows]
    click.echo(render(rows, fmt, QUERY_TABLE if fmt == "table" else QUERY_COLUMNS, QUERY_WIDTHS))


OUTLET_COLUMNS = ("outlet", "clippings", "first", "last", "languages")


def outlet_rows(store: Any) -> list[dict[str, Any]]:
    """The public JSON records of `clippings outlets`."""
    return [
        {"outlet": o.name, "clippings": o.clippings, "first": o.first_date, "last": o.last_date,
         "languages": list(o.languages)}
        for o in store.outlet_summary()
    ]


@main.command()
@format_option()
@db_option
@guarded
def outlets(fmt: str, db: str | None) -> None:
    """Per outlet: clippings stored, first and last publication date, languages.

    Example:

    \b
      clippings outlets --format csv > outlets.csv
    """
    store = open_store(db)
    try:
        rows = outlet_rows(store)
    finally:
        store.close()
    click.echo(render(rows, fmt, OUTLET_COLUMNS))


TIMELINE_COLUMNS = ("day", "kind", "value", "qualifier", "span", "unit", "outlet", "first", "first_outlet",
                    "first_published_at", "watched", "url", "published_at", "first_url")
TIMELINE_TABLE = ("day", "kind", "claim", "outlet", "printed_first", "watched", "url")
TIMELINE_WIDTHS = {"claim": 30, "printed_first": 32, "watched": 40, "url": 70}


def timeline_rows(timeline: Any) -> list[dict[str, Any]]:
    """The public JSON records of `clippings counts`: per day and kind, the day's highest claim in
    coverage (null fields on a day with watched counters only) and that day's watched counters."""
    rows: list[dict[str, Any]] = []
    for day in timeline.days:
        watched = [
            {"name": w.name, "value": w.value, "kind": w.kind, "url": w.url, "observed_at": w.observed_at}
            for w in timeline.watches if w.day == day
        ]
        claims = [c for c in timeline.claims if c.day == day] or [None]
        for c in claims:
            rows.append({
                "day": day, "kind": c and c.kind, "value": c and c.value, "qualifier": c and c.qualifier,
                "span": c and c.span, "unit": c and c.unit, "outlet": c and c.outlet, "url": c and c.url,
                "published_at": c and c.published_at, "first": c and c.first, "first_outlet": c and c.first_outlet,
                "first_url": c and c.first_url, "first_published_at": c and c.first_published_at,
                "watched": watched,
            })  # fmt: skip
    return rows


def timeline_cells(row: dict[str, Any]) -> dict[str, Any]:
    """A `counts` record flattened for the table and CSV: claim, who printed it first, watched counters."""
    cells = dict(row)
    cells["watched"] = [f"{w['name']} {w['value']:,}" for w in row["watched"]]
    if row["value"] is None:
        return {**cells, "claim": None, "printed_first": None}
    cells["claim"] = f"{claim_label(row)} ({row['span']})"
    first_day = row["first_published_at"].date().isoformat()
    cells["printed_first"] = "this outlet" if row["first"] else f"{row['first_outlet']}, {first_day}"
    return cells


@main.command()
@click.option("--kind", type=click.Choice(COUNT_KINDS), help="Only claims (and watched counters) of this kind.")
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True,
              help="Output format: an aligned table for people, json/csv for other tools.")
@db_option
@guarded
def counts(kind: str | None, since: str | None, until: str | None, fmt: str, db: str | None) -> None:
    """Claims over time: per day, the highest count in coverage and in watched counters.

    Each row is one UTC day and kind: the highest number coverage printed that day (a clipping is
    dated by its publication time, else by when it was first seen), the outlet that printed it,
    which outlet printed that number first, and the day's highest reading of each watched counter.
    JSON objects carry day, kind, value, qualifier, span, unit, outlet, url, published_at, first
    (true when this outlet printed the number first), first_outlet, first_url, first_published_at
    and watched (name, value, kind, url, observed_at each). Example:

    \b
      clippings counts --kind events --since 2020-10-25 --format json
    """
    store = open_store(db)
    try:
        timeline = store.timeline(kind=kind, since=parse_day(since), until=parse_day(until, end=True))
    finally:
        store.close()
    rows = timeline_rows(timeline)
    if fmt == "json":
        click.echo(render(rows, fmt, TIMELINE_COLUMNS))
    else:
        cells = [timeline_cells(r) for r in rows]
        click.echo(render(cells, fmt, TIMELINE_TABLE if fmt == "table" else TIMELINE_COLUMNS, TIMELINE_WIDTHS))


# --- analysing text and pages -------------------------------------------------------------------
@main.command()
@campaign_option(required=False)
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable; case-insensitive).")
@click.option("--lang", help="Only clippings in this language (ISO 639-1).")
@click.option("--max", "max_lines", type=click.IntRange(min=1), help="At most this many lines (outlets).")
@click.option("--format", "fmt", type=click.Choice(ROUNDUP_FORMATS), default="txt", show_default=True,
              help="txt: plain lines to paste into a press release; md and html link each line; json for tools.")
@click.option("--with-counts", is_flag=True, help="Add each line's day and count claims.")
@db_option
@guarded
def roundup(campaign_path: Path | None, since: str | None, until: str | None, outlets: tuple[str, ...],
            lang: str | None, max_lines: int | None, fmt: str, with_counts: bool, db: str | None) -> None:
    """"What folks are saying": one line per outlet, best outlets first.

    Each line is the outlet's best clipping: a direct quote of one of the campaign's people
    when there is one ("From CNN: "…," said Sean Eldridge."), else its headline, in its own
    language (marked "(es)" when not the campaign's first language). Syndicated copies count
    once, under the original. With --campaign, its `[roundup] outlets` order comes first, then
    wire agencies and outlets by `reach`, then by coverage. Example:

    \b
      clippings roundup --campaign campaign.toml --since 2020-10-25 --format md --with-counts
    """
    from clippings.roundup import campaign_roundup, render_roundup

    campaign = load_campaign(campaign_path) if campaign_path else None
    store = open_store(db)
    try:
        found = store.query(since=parse_day(since), until=parse_day(until, end=True),
                            lang=lang.lower() if lang else None)
    finally:
        store.close()
    if outlets:
        wanted = {o.strip().casefold() for o in outlets}
        found = [c for c in found if c.outlet.casefold() in wanted]
    lines = campaign_roundup(found, campaign, max_lines)
    title = f"What folks are saying about {campaign.name}" if campaign and fmt in ("md", "html") else None
    if not lines:
        click.echo("No clippings match.", err=True)
        return
    click.echo(render_roundup(lines, fmt, with_counts=with_counts, title=title))


@main.command()
@click.option("--by", type=click.Choice(("day", "week")), default="day", show_default=True,
              help="Periods: UTC days, or ISO weeks from Monday.")
@click.option("--outlet", help="Only this outlet's clippings and claims (its name, case-insensitive).")
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive).")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json", "png", "html")), default="table",
              show_default=True, help="png and html draw the chart (html: self-contained, no network).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (required for png; html and the others go to stdout without it).")
@db_option
@guarded
def timeline(by: str, outlet: str | None, since: str | None, until: str | None, fmt: str, out: Path | None,
             db: str | None) -> None:
    """Coverage over time: clippings per day or week, by outlet and language, and the
    highest count claim of each kind per period. Periods without coverage show as zero.
    Example:

    \b
      clippings timeline --by week
      clippings timeline --format png --out coverage.png
    """
    from clippings import timeline as tl

    if fmt == "png" and out is None:
        raise click.UsageError("--format png needs --out FILE")
    first, last = parse_day(since), parse_day(until, end=True)
    store = open_store(db)
    try:
        found = store.query(outlet=outlet, since=first, until=last)
        claims = store.timeline(since=first, until=last, outlet=outlet)
    finally:
        store.close()
    data = tl.coverage_timeline(found, claims, by=by, since=first.date() if first else None,
                                until=last.date() if last else None)
    title = f"Coverage of {outlet}" if outlet else "Coverage over time"
    if fmt == "png":
        assert out is not None
        tl.render_png(data, out, title=title)
        click.echo(f"Wrote {out}")
        return
    text = tl.render_html(data, title=title) if fmt == "html" else tl.render_text(data, fmt)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {out}")
    else:
        click.echo(text)


@main.command()
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl", "atom")), required=True,
              help="csv (every field, RFC 4180), jsonl (the query JSON records) or atom (a feed other tools read).")
@campaign_option(required=False)
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--outlet", help="Only this outlet (its name, case-insensitive).")
@click.option("--lang", help="Only this language (ISO 639-1).")
@click.option("--feed-id", metavar="IRI", help="The Atom feed's permanent id [default: urn:clippings:<campaign>].")
@click.option("--self-url", metavar="URL", help="The http(s) URL the Atom feed will be served at.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file, not stdout.")
@db_option
@guarded
def export(fmt: str, campaign_path: Path | None, since: str | None, until: str | None, outlet: str | None,
           lang: str | None, feed_id: str | None, self_url: str | None, out: Path | None, db: str | None) -> None:
    """Every stored clipping with all its fields, newest first, for other tools.

    The CSV has url, outlet, headline, published_at, language, authors, lede,
    matched_terms, first_seen_at, alias_urls, agency, counts and quotes (formula-safe);
    JSON Lines the same records as `clippings query --format jsonl`; the Atom feed one entry
    per clipping (title, link, dates, authors, lede, matched terms, outlet). Example:

    \b
      clippings export --format atom --campaign campaign.toml --out coverage.atom
    """
    from clippings import exports

    campaign = load_campaign(campaign_path) if campaign_path else None
    store = open_store(db)
    try:
        found = store.query(outlet=outlet, since=parse_day(since), until=parse_day(until, end=True),
                            lang=lang.lower() if lang else None)
    finally:
        store.close()
    if fmt == "csv":
        text = exports.export_csv(found)
    elif fmt == "jsonl":
        text = exports.export_jsonl(found)
    else:
        name = campaign.name if campaign else "clippings"
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in name.casefold()).split()) or "clippings"
        try:
            text = exports.export_atom(found, title=f"{name}: coverage", feed_id=feed_id or f"urn:clippings:{slug}",
                                       self_url=self_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        for url in exports.atom_entries_skipped(found):
            click.echo(f"clippings: no Atom entry for {url!r} (not an http(s) URL)", err=True)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8", newline="")
        click.echo(f"Wrote {len(found)} clippings to {out}", err=True)


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The directory to write the clip book into (index.html; created if missing).")
@campaign_option(required=False)
@click.option("--since", help="From this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@click.option("--until", help="Up to this day (YYYY-MM-DD, inclusive) or ISO datetime.")
@db_option
@guarded
def report(out_dir: Path, campaign_path: Path | None, since: str | None, until: str | None, db: str | None) -> None:
    """Write the clip book: one self-contained HTML page (summary, roundup, timeline chart,
    and a table of every clipping to filter by outlet, language and text and sort by date).

    It needs no network when opened, from disk or any web server. With --campaign, the
    roundup follows the campaign's order, reach and languages. Example:

    \b
      clippings report --out clipbook --campaign campaign.toml && open clipbook/index.html
    """
    from clippings.report import clip_book

    campaign = load_campaign(campaign_path) if campaign_path else None
    store = open_store(db)
    try:
        path = clip_book(store, out_dir, campaign=campaign, since=parse_day(since), until=parse_day(until, end=True))
    finally:
        store.close()
    click.echo(f"Wrote the clip book: {path}")


def read_texts(stream: Any) -> Iterator[tuple[Any, str]]:
    """(id, text) pairs from JSON Lines {"id": ..., "text": ...}, or the whole input as one text."""
    data = stream.read()
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        for number, line in enumerate(lines, 1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                fail(f"stdin line {number}: not a JSON object: {exc}")
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                fail(f'stdin line {number}: expected {{"id": ..., "text": "..."}}')
            yield obj.get("id", number), obj["text"]
    elif data.strip():
        yield 1, data


@main.command()
@campaign_option()
@guarded
def analyze(campaign_path: Path) -> None:
    """Read texts on stdin; print language, mentions, relevance and counts for each, as JSON lines.

    Input: JSON Lines {"id": ..., "text": ...}, or plain text (read as one text). "counts" lists
    the numbers the text claims (value, low, high, qualifier, unit, kind, span, start). Example:

    \b
      echo '{"id": 1, "text": "Indivisible and Stand Up America plan rallies"}' \\
        | clippings analyze --campaign campaign.toml
    """
    from clippings.counts import extract_counts
    from clippings.language import detect_language
    from clippings.relevance import Matcher, is_relevant

    campaign = load_campaign(campaign_path)
    matcher = Matcher(campaign)
    for text_id, text in read_texts(sys.stdin):
        mentions = matcher.find(text, "body")
        decision = detect_language(text, expected=campaign.languages)
        claims = extract_counts(text, decision.code)
        click.echo(to_json({
            "id": text_id,
            "language": decision.code,
            "mentions": [{"term": m.term, "kind": m.kind, "start": m.start, "end": m.end} for m in mentions],
            "relevant": is_relevant(mentions),
            "counts": [{k: v for k, v in c.as_dict().items() if k != "field"} for c in claims],
        }))


def read_page(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") or raw[:2] == b"\x1f\x8b" else raw


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--url", help="The address the page was saved from (resolves links; names the outlet).")
@campaign_option(required=False)
@guarded
def extract(paths: tuple[str, ...], url: str | None, campaign_path: Path | None) -> None:
    """Run the extraction step on saved pages (.html or .html.gz) and print one JSON line each.

    With no PATH, reads JSON Lines {"path": ..., "url": ...} on stdin. This is what the crawler
    would store for the page. Example:

    \b
      clippings extract saved/story.html.gz --url https://thehill.com/homenews/story/
    """
    from clippings.extract import extract_article
    from clippings.language import detect_language, language_sample
    from clippings.outlets import OutletIndex
    from clippings.urls import host_port

    campaign = load_campaign(campaign_path) if campaign_path else None
    index = OutletIndex(campaign) if campaign else None
    jobs: list[tuple[str, str | None]] = [(p, url) for p in paths]
    if not paths:
        for number, line in enumerate(sys.stdin, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                    jobs.append((obj["path"], obj.get("url")))
                except (json.JSONDecodeError, KeyError, TypeError):
                    fail(f'stdin line {number}: expected {{"path": ..., "url": ...}}')
    failed = 0
    for path, page_url in jobs:
        try:
            html = read_page(path)
        except OSError as exc:
            click.echo(f"clippings: {path}: {exc.strerror or exc}", err=True)
            failed += 1
            continue
        address = page_url or Path(path).resolve().as_uri()
        ex = extract_article(html, address)
        outlet = index.outlet_for(address) if index else None
        click.echo(to_json({
            "path": path,
            "url": page_url,
            "canonical_url": ex.canonical_url,
            "outlet": outlet.name if outlet else (ex.site_name or host_port(address)[0] or None),
            "headline": ex.headline,
            "authors": ex.authors,
            "published_at": ex.published_at,
            "language": detect_language(
                language_sample(ex.headline, ex.lede, ex.body), declared=ex.declared_language
            ).code,
            "lede": ex.lede,
            "body": ex.body,
        }))
    if failed:
        sys.exit(1)


# --- database and demo --------------------------------------------------------------------------
@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@db_option
@guarded
def db_upgrade(db: str | None) -> None:
    """Create or migrate the database schema to the newest version (Alembic).

    Example:

    \b
      clippings db upgrade --db postgresql+psycopg://user@host/clippings
    """
    from clippings.store.db import mask_url, upgrade

    url = resolve_db_url(db)
    upgrade(url)
    click.echo(f"{mask_url(url)} is at the newest schema")


@main.command()
@click.option("--db", "db", default="sqlite:///demo.db", show_default=True, metavar="URL",
              help="Where the demo stores its clippings (not CLIPPINGS_DB).")
@click.option("--keep", is_flag=True, help="Keep clippings from earlier demo runs instead of starting afresh.")
@click.option("--out", "out_dir", default="demo-out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo writes its roundup, clip book and campaign file.")
@guarded
def demo(db: str, keep: bool, out_dir: Path) -> None:
    """Serve the bundled demo site on 127.0.0.1, crawl it, and show what was stored.

    Example:

    \b
      clippings demo && clippings query --db sqlite:///demo.db --lang es
    """
    import tempfile

    from clippings.crawl import run_crawl
    from clippings.demo.server import serve_demo

    if not keep and db.startswith("sqlite:///") and db != "sqlite:///:memory:":
        for suffix in ("", "-wal", "-shm"):
            Path(db.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    campaign_copy = out_dir / "campaign.toml"
    with tempfile.TemporaryDirectory(prefix="clippings-demo-") as workdir, serve_demo(Path(workdir)) as site:
        click.echo("Demo outlets: " + ", ".join(f"{name} {base}" for name, base in site.outlets.items()))
        # The demo site is ours and local: lift the per-site politeness delays for it.
        summary = run_crawl(site.campaign_path, db, settings=(
            "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8"))
        campaign_copy.write_text(site.campaign_path.read_text(encoding="utf-8"), encoding="utf-8")
    print_summary(summary)
    store = open_store(db)
    try:
        click.echo("\nOutlets\n" + render(outlet_rows(store), "table", OUTLET_COLUMNS))
        newest = [with_claims(c.to_json()) for c in store.query(limit=10)]
        growth = [timeline_cells(r) for r in timeline_rows(store.timeline(kind="events"))]
    finally:
        store.close()
    table = render(newest, "table", QUERY_TABLE[:-1], {**QUERY_WIDTHS, "matched_terms": 30})
    click.echo("\nNewest clippings\n" + table)
    columns = TIMELINE_TABLE[:-1]  # without the URL
    click.echo("\nClaims over time: the most events coverage claimed each day (UTC)\n"
               + render(growth, "table", columns, TIMELINE_WIDTHS))
    from clippings.report import clip_book
    from clippings.roundup import campaign_roundup, render_roundup

    campaign = load_campaign(campaign_copy)
    store = open_store(db)
    try:
        lines = campaign_roundup(store.query(), campaign)
        book = clip_book(store, out_dir / "clip-book", campaign=campaign)
    finally:
        store.close()
    roundup_text = render_roundup(lines, "txt")
    (out_dir / "roundup.txt").write_text(roundup_text + "\n", encoding="utf-8")
    click.echo("\nWhat folks are saying (the roundup)\n\n" + roundup_text)
    click.echo(f"\nStored in {db}. Try: clippings query --db {db} --format json"
               f"\n                     clippings counts --db {db}"
               f"\n                     clippings roundup --db {db} --campaign {campaign_copy} --format md")
    click.echo(f"Roundup: {out_dir / 'roundup.txt'}\nClip book: {book} (open it in a browser)")

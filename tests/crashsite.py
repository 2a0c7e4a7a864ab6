"""A local news site of a few hundred articles for the crash-safety tests, and a crawl that can be killed.

`CrashSite` serves one outlet on 127.0.0.1: robots.txt, an RSS feed of the newest FEED_SIZE
articles, a sitemap index of three sitemaps (articles FEED_OVERLAP.. on), and ARTICLES article pages,
every RELEVANT_EVERY-th naming the campaign (a phrase, an organisation, a count claim and a quote
of the campaign's person), each answered after `delay` seconds, so that many are in flight at once.
Every request is counted by kind; `on_request(hook)` runs `hook(kind, path, n)` in the server's
thread before each answer (the tests kill the crawl from there at an exact point).

`start_crawl` starts `clippings crawl` (the console script's own process, as cron runs it) in a
process group of its own, so that `kill` sends SIGKILL to the crawl and its worker processes at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import sqlalchemy as sa

REPO = Path(__file__).parent.parent
ARTICLES = 300
FEED_SIZE = 60
FEED_OVERLAP = 40  # the sitemaps list articles 40.., so 40-59 are in both
SITEMAPS = 3
RELEVANT_EVERY = 3
FAST = (
    "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "CLIPPINGS_WORKERS=1", "RETRY_TIMES=0",
)
Hook = Callable[[str, str, int], None]

CAMPAIGN = """\
[campaign]
name = "Crash Test"
phrases = ["Protect the Results"]
organizations = ["Stand Up America"]
people = ["Sean Eldridge"]
languages = ["en"]

[[outlets]]
name = "Crash Gazette"
domains = ["{host}"]
language = "en"
feeds = ["{origin}/feed.xml"]
sitemaps = ["{origin}/sitemap-index.xml"]
"""

_WORDS = ("council", "budget", "harbour", "library", "transit", "school", "market", "bridge", "festival", "water")
_T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def relevant(i: int) -> bool:
    return i % RELEVANT_EVERY == 0


def article_path(i: int) -> str:
    return f"/news/2026/11/{i:04d}-{_WORDS[i % 10]}-story-number-{i}.html"


def published(i: int) -> datetime:
    return _T0 + timedelta(hours=i)


def article_html(i: int) -> str:
    topic = _WORDS[i % 10]
    if relevant(i):
        headline = f"More than {200 + i} events planned as Protect the Results rallies reach the {topic} district"
        extra = (
            f"<p>Organisers from Stand Up America said more than {200 + i} events were planned across the "
            f"country, and volunteers gathered near the {topic} on Saturday.</p>"
            '<p>"Every vote must be counted, and we will stay until it is," said Sean Eldridge, '
            "who spoke to the crowd for about ten minutes.</p>"
        )
    else:
        headline = f"Residents debate the new {topic} plan at a long evening meeting, story {i}"
        extra = f"<p>The {topic} plan drew questions about costs, timing and the views of nearby residents.</p>"
    filler = "".join(
        f"<p>Paragraph {k} of story {i}: the {topic} committee heard from residents, officials and local "
        f"business owners about schedules, parking, lighting and the long list of repairs still waiting.</p>"
        for k in range(6)
    )
    when = published(i).isoformat()
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{headline}</title>'
        f'<meta property="og:title" content="{headline}">'
        f'<meta property="article:published_time" content="{when}">'
        f'<meta name="author" content="Reporter {i % 7}"></head><body>'
        f'<nav><a href="/">Home</a></nav><article><h1>{headline}</h1>'
        f'<p class="byline">By Reporter {i % 7}</p><time datetime="{when}">{when}</time>'
        f"{extra}{filler}</article><footer>Crash Gazette</footer></body></html>"
    )


def feed_xml(origin: str) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{origin}{article_path(i)}</link>"
        f"<pubDate>{published(i).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for i in range(FEED_SIZE)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Crash Gazette</title>'
        f"<link>{origin}/</link><description>news</description>{items}</channel></rss>"
    )


def sitemap_ids(part: int) -> range:
    size = -(-(ARTICLES - FEED_OVERLAP) // SITEMAPS)
    start = FEED_OVERLAP + part * size
    return range(start, min(ARTICLES, start + size))


def sitemap_index_xml(origin: str) -> str:
    entries = "".join(f"<sitemap><loc>{origin}/sitemap-{p + 1}.xml</loc></sitemap>" for p in range(SITEMAPS))
    return f'<?xml version="1.0" encoding="utf-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def sitemap_xml(origin: str, part: int) -> str:
    entries = "".join(
        f"<url><loc>{origin}{article_path(i)}</loc><lastmod>{published(i).isoformat()}</lastmod></url>"
        for i in sitemap_ids(part)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


@dataclass
class CrashSite:
    origin: str = ""
    delay: float = 0.03
    counts: Counter[str] = field(default_factory=Counter)
    hooks: list[Hook] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return self.origin.removeprefix("http://")

    def url(self, i: int) -> str:
        return self.origin + article_path(i)

    def relevant_urls(self) -> set[str]:
        return {self.url(i) for i in range(ARTICLES) if relevant(i)}

    def build(self) -> None:
        xml = "application/xml; charset=utf-8"
        self.pages = {
            "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n"),
            "/feed.xml": ("application/rss+xml; charset=utf-8", feed_xml(self.origin).encode()),
            "/sitemap-index.xml": (xml, sitemap_index_xml(self.origin).encode()),
            **{f"/sitemap-{p + 1}.xml": (xml, sitemap_xml(self.origin, p).encode()) for p in range(SITEMAPS)},
            **{article_path(i): ("text/html; charset=utf-8", article_html(i).encode()) for i in range(ARTICLES)},
        }

    def write_campaign(self, folder: Path) -> Path:
        path = folder / "campaign.toml"
        path.write_text(CAMPAIGN.format(host=self.host, origin=self.origin), encoding="utf-8")
        return path

    def on_request(self, hook: Hook | None) -> None:
        with self.lock:
            self.hooks = [hook] if hook else []
            self.counts.clear()

    def seen(self, path: str) -> tuple[str, int]:
        kind = "article" if path.startswith("/news/") else path.lstrip("/")
        with self.lock:
            self.counts[kind] += 1
            return kind, self.counts[kind]


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # a burst of connections fits in the listen queue
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a killed crawl leaves broken pipes behind: expected here


@contextmanager
def serve_site(delay: float = 0.03) -> Iterator[CrashSite]:
    site = CrashSite(delay=delay)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: nothing left half-open by a kill

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            kind, n = site.seen(path)
            for hook in list(site.hooks):
                hook(kind, path, n)
            if kind == "article":
                time.sleep(site.delay)
            found = site.pages.get(path)
            status, ctype, body = (200, *found) if found else (404, "text/plain", b"not found")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    site.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# --- crawls ---------------------------------------------------------------------------------------


def start_crawl(campaign: Path, db: str, *, code_root: Path = REPO, log: Path | None = None,
                settings: tuple[str, ...] = FAST) -> subprocess.Popen[bytes]:
    """`clippings crawl` in a process group of its own (the console script's path: in-process crawl)."""
    argv = [sys.executable, "-c", "from clippings.cli import run; run()", "crawl", "--campaign", str(campaign),
            "--db", db]
    for s in settings:
        argv += ["-s", s]
    env = {**os.environ, "PYTHONPATH": str(code_root), "PYTHONUNBUFFERED": "1"}
    if log is None:
        return subprocess.Popen(argv, cwd=code_root, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT, start_new_session=True)
    with open(log, "ab") as out:  # the child has its own copy
        return subprocess.Popen(argv, cwd=code_root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the crawl's whole process group (the crawl and its workers)."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def clippings_count(db: str) -> int:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM clippings")).scalar() or 0)
    except sa.exc.OperationalError:  # not created yet
        return 0
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    """What a database holds, per clipping URL: how many clipping rows, mentions, claims and quotes."""

    rows: dict[str, int]
    mentions: dict[str, int]
    claims: dict[str, int]
    quotes: dict[str, int]

    def compare(self, reference: Snapshot) -> tuple[set[str], set[str]]:
        """(lost URLs, duplicated URLs) against an uninterrupted crawl's snapshot."""
        lost = set(reference.rows) - set(self.rows)
        twice = {u for u, n in self.rows.items() if n != 1}
        for mine, theirs in ((self.mentions, reference.mentions), (self.claims, reference.claims),
                             (self.quotes, reference.quotes)):
            twice |= {u for u in mine if u in theirs and mine[u] > theirs[u]}
        return lost, twice


def snapshot(db: str) -> Snapshot:
    engine = sa.create_engine(db)

    def per_url(conn: Any, table: str) -> dict[str, int]:
        sql = f"SELECT c.url, count(t.id) FROM clippings c LEFT JOIN {table} t ON t.clipping_id = c.id GROUP BY c.url"
        return {u: int(n) for u, n in conn.execute(sa.text(sql))}

    try:
        with engine.connect() as conn:
            rows = {u: int(n) for u, n in conn.execute(sa.text("SELECT url, count(*) FROM clippings GROUP BY url"))}
            return Snapshot(rows, per_url(conn, "mentions"), per_url(conn, "count_claims"), per_url(conn, "quotes"))
    finally:
        engine.dispose()


def run_to_end(campaign: Path, db: str, *, code_root: Path = REPO, log: Path | None = None,
               timeout: float = 60, settings: tuple[str, ...] = FAST) -> int:
    proc = start_crawl(campaign, db, code_root=code_root, log=log, settings=settings)
    try:
        return proc.wait(timeout)
    finally:
        kill(proc)


@dataclass
class KillResult:
    point: str
    hit: bool  # the crawl was killed at that point (not finished before it)
    restarts: int
    lost: set[str]
    twice: set[str]
    seconds: float


def kill_and_restart(site: CrashSite, campaign: Path, db: str, point: str, trigger: Any, *,
                     code_root: Path = REPO, log: Path | None = None, reference: Snapshot,
                     max_restarts: int = 3) -> KillResult:
    """Start a crawl, SIGKILL it at `point`, then crawl again (normally) until one finishes; compare.

    `trigger` is ("request", kind, n): killed as the server receives its n-th request of that kind
    (before answering it); ("stored", n): once the database holds n clippings; ("after", seconds).
    """
    started = time.monotonic()
    proc: subprocess.Popen[bytes] | None = None
    fired = threading.Event()

    def hook(kind: str, _path: str, n: int) -> None:
        if trigger[0] == "request" and kind == trigger[1] and n == trigger[2] and proc is not None:
            kill(proc)
            fired.set()

    site.on_request(hook)
    proc = start_crawl(campaign, db, code_root=code_root, log=log)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        stored = trigger[0] == "stored" and clippings_count(db) >= trigger[1]
        if stored or (trigger[0] == "after" and time.monotonic() - started >= trigger[1]):
            kill(proc)
            fired.set()
        time.sleep(0.01)
    code = proc.wait(10)
    site.on_request(None)
    hit = fired.is_set() and code == -signal.SIGKILL
    restarts = 0
    while restarts < max_restarts:
        restarts += 1
        if run_to_end(campaign, db, code_root=code_root, log=log) == 0:
            break
    lost, twice = snapshot(db).compare(reference)
    return KillResult(point, hit, restarts, lost, twice, time.monotonic() - started)


KILL_POINTS: list[tuple[str, Any]] = [
    ("right after start (robots.txt asked)", ("request", "robots.txt", 1)),
    ("feed read, its articles asked for", ("request", "article", 1)),
    ("mid sitemap index (2nd sitemap asked)", ("request", "sitemap-2.xml", 1)),
    ("many article requests in flight", ("request", "article", 70)),
    ("while items are stored (30 stored)", ("stored", 30)),
    ("just before close (all stored)", ("stored", -1)),  # -1: the reference's count, filled in
]

"""Idle-poll benchmark: what one poll of N unchanged feeds costs (requests, seconds, CPU).

A campaign with one outlet and --feeds RSS feeds (default 500), each with --entries items linking
to small pages that never mention the campaign, is served on 127.0.0.1 by a server (in this
process, on its own thread) that sends an ETag and a Last-Modified with every feed and answers a
matching If-None-Match with 304. Then `clippings crawl --only feeds` runs in a subprocess into a
fresh SQLite file: first once to learn the feeds (every feed and article fetched, every article
dropped by the prefilter), then --repeat idle polls with nothing changed. For each poll it records
the requests the server answered (feeds, 304s, articles), the wall seconds, and the CPU seconds
(user + system) of the crawl's process tree (getrusage of the children). It prints a table and
writes bench/results/idle_poll.json.

Usage: python bench/idle_poll_bench.py [--feeds 500] [--entries 3] [--repeat 3]
Exit code 0 when every poll finished and each idle poll made exactly one request per feed and
fetched no article, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results" / "idle_poll.json"
LAST_MODIFIED = "Wed, 04 Nov 2020 12:00:00 GMT"
POLITENESS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32")


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def add(self, key: str) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def take(self) -> dict[str, int]:
        with self.lock:
            out, self.counts = self.counts, {}
        return out


def feed_xml(origin: str, n: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Local note {n}-{i}</title><link>{origin}/a/{n}-{i}-local-weather-note.html</link>"
        f"<pubDate>Wed, 04 Nov 2020 0{i % 10}:00:00 GMT</pubDate></item>"
        for i in range(entries)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title><link>{origin}/</link>'
            f"<description>bench</description>{items}</channel></rss>").encode()


def make_handler(counter: Counter, entries: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def send_body(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            origin = f"http://{self.headers['Host']}"
            if self.path == "/robots.txt":
                counter.add("robots")
                self.send_body(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif self.path.startswith("/feed/"):
                n = int(self.path.split("/")[2].split(".")[0])
                body = feed_xml(origin, n, entries)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    counter.add("feeds_304")
                    self.send_body(304, b"", "application/rss+xml", {"ETag": etag})
                else:
                    counter.add("feeds_200")
                    self.send_body(200, body, "application/rss+xml", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            elif self.path.startswith("/a/"):
                counter.add("articles")
                page = f"<html><head><title>Weather</title></head><body><h1>Weather note</h1><p>{'Sunny. ' * 40}</p>"
                self.send_body(200, (page + "</body></html>").encode(), "text/html; charset=utf-8")
            else:
                counter.add("other")
                self.send_body(404, b"not found", "text/plain")

    return Handler


@dataclass
class Poll:
    name: str
    exit_code: int
    seconds: float
    cpu_seconds: float
    requests: dict[str, int]


def write_campaign(path: Path, origin: str, feeds: int) -> None:
    host = origin.removeprefix("http://")
    urls = ",\n".join(f'  "{origin}/feed/{n}.xml"' for n in range(feeds))
    path.write_text(f"""[campaign]
name = "Idle poll bench"
phrases = ["Count Every Vote"]

[[outlets]]
name = "Bench Outlet"
domains = ["{host}"]
feeds = [
{urls}
]
""", encoding="utf-8")


def run_poll(name: str, campaign: Path, db: str, counter: Counter) -> Poll:
    counter.take()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [str(VENV_BIN / "clippings"), "crawl", "--campaign", str(campaign), "--db", db, "--only", "feeds"]
    for s in POLITENESS:
        cmd += ["-s", s]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
    return Poll(name, proc.returncode, round(seconds, 3), round(cpu, 3), counter.take())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    counter = Counter()
    ThreadingHTTPServer.request_queue_size = 256  # the crawl opens many connections at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(counter, args.entries))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="idle-poll-") as tmp:
        campaign = Path(tmp) / "campaign.toml"
        write_campaign(campaign, origin, args.feeds)
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        polls = [run_poll("first", campaign, db, counter)]
        polls += [run_poll(f"idle {i + 1}", campaign, db, counter) for i in range(args.repeat)]
    server.shutdown()
    idle = polls[1:]
    ok = all(p.exit_code == 0 for p in polls) and all(
        p.requests.get("feeds_304", 0) + p.requests.get("feeds_200", 0) == args.feeds
        and p.requests.get("feeds_200", 0) == 0 and p.requests.get("articles", 0) == 0 for p in idle
    )
    summary = {
        "median_seconds": statistics.median(p.seconds for p in idle),
        "median_cpu_seconds": statistics.median(p.cpu_seconds for p in idle),
        "feed_requests_per_poll": statistics.median(
            p.requests.get("feeds_304", 0) + p.requests.get("feeds_200", 0) for p in idle),
        "articles_fetched_per_poll": statistics.median(p.requests.get("articles", 0) for p in idle),
    }
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
        "cpus": __import__("os").cpu_count(), "feeds": args.feeds, "entries_per_feed": args.entries,
        "polls": [asdict(p) for p in polls], "idle": summary, "ok": ok,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Idle poll of {args.feeds} unchanged feeds ({args.entries} entries each), `clippings crawl --only feeds`")
    print(f"{'poll':<8} {'exit':>4} {'seconds':>8} {'CPU s':>7} {'feeds 200':>9} {'feeds 304':>9} "
          f"{'articles':>8} {'robots':>6}")
    for p in polls:
        r = p.requests
        print(f"{p.name:<8} {p.exit_code:>4} {p.seconds:>8.2f} {p.cpu_seconds:>7.2f} {r.get('feeds_200', 0):>9} "
              f"{r.get('feeds_304', 0):>9} {r.get('articles', 0):>8} {r.get('robots', 0):>6}")
    print(f"idle poll (median of {len(idle)}): {summary['median_seconds']:.2f} s wall, "
          f"{summary['median_cpu_seconds']:.2f} s CPU, {summary['feed_requests_per_poll']:.0f} feed requests, "
          f"{summary['articles_fetched_per_poll']:.0f} articles; {'OK' if ok else 'NOT OK'}")
    print(f"written {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

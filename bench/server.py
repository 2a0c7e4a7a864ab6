"""Serve the cached benchmark site from memory on 127.0.0.1: a small asyncio HTTP/1.1 server.

Pages are pre-rendered bytes held in memory, so one request costs a header parse and a socket
write; keep-alive and pipelining are supported, GET and HEAD only. The server prints
`READY <origin>` once it listens, answers `/__bench/stats` with its counters as JSON, and stops by
itself on SIGTERM/SIGINT, after --max-seconds, or (with --stop-on-stdin-eof) when its parent goes.
`measure_throughput` is a concurrent keep-alive client that measures what the server can deliver.

Usage: python bench/server.py --site bench/.cache/site-... [--port 0] [--max-seconds 3600]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import sys
import time
from dataclasses import asdict, dataclass
from email.utils import formatdate
from pathlib import Path

import sitegen

_HTML = b"text/html; charset=utf-8"
_XML = b"application/xml; charset=utf-8"
_REQUEST_LINE_RE = re.compile(rb"^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) (\S+) HTTP/1\.([01])")
_CLOSE_RE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
_KEEP_ALIVE_RE = re.compile(rb"\r\nconnection:[ \t]*keep-alive", re.IGNORECASE)
MAX_HEAD = 16_384  # bytes of request head before the server gives up on a connection
IDLE_SECONDS = 30.0  # keep-alive connections idle this long are closed
STATS_PATH = "/__bench/stats"


@dataclass
class Stats:
    """What the server has answered so far."""

    requests: int = 0
    articles: int = 0
    sitemaps: int = 0
    robots: int = 0
    feeds: int = 0
    not_found: int = 0
    bytes: int = 0
    connections: int = 0


@dataclass(frozen=True)
class Resource:
    """One thing the server can answer with."""

    content_type: bytes
    body: bytes
    kind: str  # "articles", "sitemaps", "robots", "feeds"


def load_resources(folder: Path, origin: str) -> dict[str, Resource]:
    """Every path of the site, with absolute URLs pointing at `origin`."""
    metas, sizes = sitegen.load_manifest(folder)
    placeholder, host = sitegen.ORIGIN_PLACEHOLDER.encode(), origin.encode()
    resources: dict[str, Resource] = {}
    with open(folder / "pages.bin", "rb") as blob:
        for meta, size in zip(metas, sizes, strict=True):
            body = blob.read(size).replace(placeholder, host)
            resources[meta.path] = Resource(_HTML, body, "articles")
    resources["/robots.txt"] = Resource(
        b"text/plain; charset=utf-8", sitegen.render_robots(origin).encode(), "robots"
    )
    resources["/sitemap-index.xml"] = Resource(
        _XML, sitegen.render_sitemap_index(origin, metas).encode(), "sitemaps"
    )
    for i, part in enumerate(sitegen.sitemap_parts(metas)):
        resources[f"/sitemaps/news-{i + 1}.xml"] = Resource(
            _XML, sitegen.render_sitemap(origin, part).encode(), "sitemaps"
        )
    resources["/rss.xml"] = Resource(
        b"application/rss+xml; charset=utf-8", sitegen.render_rss(origin, metas).encode(), "feeds"
    )
    return resources


class _Clock:
    """The HTTP Date header, formatted at most once a second."""

    def __init__(self) -> None:
        self.second, self.value = 0, b""

    def now(self) -> bytes:
        second = int(time.time())
        if second != self.second:
            self.second, self.value = second, formatdate(second, usegmt=True).encode()
        return self.value


class HttpProtocol(asyncio.Protocol):
    """One client connection: parse request heads, answer from memory, keep alive."""

    def __init__(self, site: Site):
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.last_seen = time.monotonic()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.site.open.add(self)
        self.site.stats.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.site.open.discard(self)

    def pause_writing(self) -> None:
        if self.transport:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport and not self.transport.is_closing():
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        self.last_seen = time.monotonic()
        self.buffer += data
        while self.transport and not self.transport.is_closing():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.respond(
                        431, b"text/plain", b"request head too large\n", head_only=False, close=True
                    )
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.handle(head)

    def handle(self, head: bytes) -> None:
        """Answer one request head."""
        match = _REQUEST_LINE_RE.match(head)
        if not match:
            self.respond(400, b"text/plain", b"bad request\n", head_only=False, close=True)
            return
        method, target, minor = match.group(1), match.group(2).decode("latin-1"), match.group(3)
        close = bool(_CLOSE_RE.search(head)) or (minor == b"0" and not _KEEP_ALIVE_RE.search(head))
        if method not in (b"GET", b"HEAD"):
            self.respond(405, b"text/plain", b"method not allowed\n", head_only=False, close=True)
            return
        path = target.split("?", 1)[0].split("#", 1)[0]
        stats = self.site.stats
        stats.requests += 1
        if path == STATS_PATH:
            self.respond(
                200,
                b"application/json",
                json.dumps(asdict(stats)).encode(),
                method == b"HEAD",
                close,
            )
            return
        resource = self.site.resources.get(path)
        if resource is None:
            stats.not_found += 1
            self.respond(
                404,
                _HTML,
                b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n",
                method == b"HEAD",
                close,
            )
            return
        setattr(stats, resource.kind, getattr(stats, resource.kind) + 1)
        stats.bytes += 0 if method == b"HEAD" else len(resource.body)
        self.respond(200, resource.content_type, resource.body, method == b"HEAD", close)

    def respond(
        self, status: int, content_type: bytes, body: bytes, head_only: bool, close: bool
    ) -> None:
        """Write one response; close the connection after it when asked."""
        assert self.transport is not None
        reason = {
            200: b"OK",
            400: b"Bad Request",
            404: b"Not Found",
            405: b"Method Not Allowed",
            431: b"Request Header Fields Too Large",
        }[status]
        head = b"".join(
            (
                b"HTTP/1.1 %d %s\r\nDate: %s\r\nServer: bench\r\n"
                b"Content-Type: %s\r\nContent-Length: %d\r\n"
                % (status, reason, self.site.clock.now(), content_type, len(body)),
                b"Cache-Control: max-age=60\r\nVary: Accept-Encoding\r\n",
                b"Connection: close\r\n\r\n" if close else b"Connection: keep-alive\r\n\r\n",
            )
        )
        self.transport.write(head if head_only else head + body)
        if close:
            self.transport.close()


@dataclass
class Site:
    """The server's state: resources, counters, open connections."""

    resources: dict[str, Resource]
    stats: Stats
    clock: _Clock
    open: set[HttpProtocol]


def bind_socket(port: int = 0) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (port 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def serve(folder: Path, port: int, max_seconds: float, stop_on_stdin_eof: bool) -> Stats:
    """Serve the site until a signal, the time limit or (optionally) stdin EOF; return the"
    " counters."""
    loop = asyncio.get_running_loop()
    sock = bind_socket(port)
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}"
    site = Site(load_resources(folder, origin), Stats(), _Clock(), set())
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if stop_on_stdin_eof:
        fd = sys.stdin.fileno()
        loop.add_reader(fd, lambda: None if os.read(fd, 4096) else stop.set())
    server = await loop.create_server(lambda: HttpProtocol(site), sock=sock)
    print(f"READY {origin} {len(site.resources)}", flush=True)
    deadline = loop.time() + max_seconds
    while not stop.is_set() and loop.time() < deadline:
        try:
            await asyncio.wait_for(stop.wait(), timeout=min(5.0, max(0.0, deadline - loop.time())))
        except TimeoutError:
            idle_before = time.monotonic() - IDLE_SECONDS
            for conn in [c for c in site.open if c.last_seen < idle_before]:
                if conn.transport:
                    conn.transport.close()
    server.close()
    for conn in list(site.open):
        if conn.transport:
            conn.transport.abort()
    await server.wait_closed()
    return site.stats


async def _fetch_worker(host: str, port: int, paths: list[str], totals: list[int]) -> None:
    """Fetch paths over one keep-alive connection; add requests and body bytes to totals."""
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    try:
        while paths:
            path = paths.pop()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: *(\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            totals[0] += 1
            totals[1] += len(body)
    finally:
        writer.close()


async def _measure(origin: str, paths: list[str], concurrency: int) -> dict[str, float]:
    host, _, port = origin.removeprefix("http://").partition(":")
    queue = list(reversed(paths))
    totals = [0, 0]
    started = time.perf_counter()
    await asyncio.gather(
        *(_fetch_worker(host, int(port), queue, totals) for _ in range(concurrency))
    )
    seconds = time.perf_counter() - started
    return {
        "requests": totals[0],
        "seconds": round(seconds, 3),
        "requests_per_second": round(totals[0] / seconds, 1),
        "megabytes_per_second": round(totals[1] / seconds / 1e6, 1),
        "concurrency": concurrency,
    }


def measure_throughput(origin: str, paths: list[str], concurrency: int = 32) -> dict[str, float]:
    """Fetch every path once with `concurrency` keep-alive connections; requests and MB per"
    " second."""
    return asyncio.run(_measure(origin, paths, concurrency))


def main(argv: list[str] | None = None) -> int:
    """Run the server from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site", type=Path, required=True, help="a cache folder written by sitegen.py"
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    parser.add_argument("--stop-on-stdin-eof", action="store_true")
    args = parser.parse_args(argv)
    stats = asyncio.run(serve(args.site, args.port, args.max_seconds, args.stop_on_stdin_eof))
    print(f"STATS {json.dumps(asdict(stats))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A fault-injecting HTTP server on 127.0.0.1 for crawl tests: one path per fault.

    with FaultServer() as server:
        server.url("/status/404")      # -> http://127.0.0.1:PORT/status/404
        server.hits("/status/429")     # how many requests reached that path

Paths (FAULTS maps each to what the crawl should count): `/good/N` a relevant article naming
"Protect the Results"; `/status/CODE` that status (429 and 503 with `Retry-After: 1`,
`/status/429-later` with `Retry-After: 86400`); `/sleep` answers after SLEEP seconds; `/reset` sends
half a page then resets the connection; `/truncated` promises more bytes than it sends; `/loop/a` and
`/loop/b` redirect to each other; `/endless/N` redirects to `/endless/N+1` forever; `/huge` streams
50 MB (with its length announced), `/huge-stream` 50 MB without a length; `/bomb` a gzip body of a
few hundred kB that inflates to 256 MB; `/slowloris` trickles a byte every half second for a minute;
`/charset/...` pages in windows-1252, ISO-8859-1, UTF-16 with a BOM and with a lying `<meta
charset>`; `/pdf`, `/png`, `/garbage` (binary) and `/empty`. Anything else is a 404. Extra routes
can be added with `server.routes[path] = (status, body, headers)`.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PHRASE = "Protect the Results"
SLEEP = 6.0  # longer than the tests' DOWNLOAD_TIMEOUT
HUGE = 50 * 1024 * 1024
BOMB = 256 * 1024 * 1024
# Each charset page's headline, with the accented letters the decoding must get right.
ACCENTED = {
    "cp1252": "Café crème: “Protect the Results” rally – naïve façade",
    "latin1": "Garçon, señor: Protect the Results à Zürich",
    "utf16": "Ünïcödé wide page: Protect the Results in Bogotá",
    "lying-utf8": "Déjà vu: Protect the Results in Besançon",  # meta says UTF-8, bytes are windows-1252
    "lying-latin1": "Señora Muñoz: Protect the Results in Málaga",  # meta says ISO-8859-1, bytes are UTF-8
    "missing-utf8": "Straße und Größe: Protect the Results in Köln",  # nothing declared, bytes are UTF-8
    "missing-cp1252": "Ça va, Zoë? Protect the Results – à Genève",  # nothing declared, bytes are windows-1252
}


def article(headline: str, meta: str = '<meta charset="utf-8">') -> str:
    body = " ".join(
        f"Volunteers said the {PHRASE} campaign would hold events in every county this week, and organisers "
        f"expected more people than last year (paragraph {i})." for i in range(6)
    )
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<!doctype html><html lang=\"en\"><head>{meta}<title>{headline}</title>"
        f'<meta property="article:published_time" content="2020-10-30T12:00:00Z"></head>'
        f"<body><article><h1>{headline}</h1><p class=\"byline\">By Ana Writer</p>{paragraphs}</article></body></html>"
    )


def _bomb() -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(BOMB // len(chunk)):
            gz.write(chunk)
    return out.getvalue()


class FaultServer:
    """A threaded HTTP server with one path per fault; counts the requests each path received."""

    def __init__(self) -> None:
        self.hits_by_path: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.bomb = _bomb()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with outer.lock:
                    outer.hits_by_path[self.path] += 1
                    outer.times.setdefault(self.path, []).append(time.monotonic())
                # the crawler gave up on the page: that is the point
                with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    outer.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self.lock:
            return self.hits_by_path[path]

    @property
    def total_hits(self) -> int:
        with self.lock:
            return sum(self.hits_by_path.values())

    # --- answers ------------------------------------------------------------------------------
    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None,
             length: int | None = None) -> None:
        h.send_response(status)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path in self.routes:
            status, body, headers = self.routes[path]
            self.send(h, status, body, headers)
        elif path == "/robots.txt":
            self.send(h, 200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        elif path.startswith("/good/"):
            self.send(h, 200, article(f"Good page {path[6:]}: {PHRASE} events").encode(), html)
        elif path.startswith("/status/"):
            code = path.split("/")[2]
            headers = {"Content-Type": "text/html"}
            if code in ("429", "503"):
                headers["Retry-After"] = "1"
            if code == "429-later":
                code, headers["Retry-After"] = "429", "86400"
            self.send(h, int(code), b"<html><body>no</body></html>", headers)
        elif path == "/sleep":
            time.sleep(SLEEP)
            self.send(h, 200, article(f"Too late: {PHRASE}").encode(), html)
        elif path == "/reset":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(article(f"Reset: {PHRASE}").encode()[:500])
            h.wfile.flush()
            # SO_LINGER 0: close() sends a TCP RST instead of a FIN
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
        elif path == "/truncated":
            page = article(f"Truncated: {PHRASE}").encode()
            self.send(h, 200, page[: len(page) // 2], {"Content-Type": "text/html"}, length=len(page))
            h.close_connection = True
        elif path == "/loop/a":
            self.send(h, 302, b"", {"Location": "/loop/b"})
        elif path == "/loop/b":
            self.send(h, 301, b"", {"Location": self.url("/loop/a")})
        elif path.startswith("/endless/"):
            self.send(h, 302, b"", {"Location": f"/endless/{int(path.rsplit('/', 1)[1]) + 1}"})
        elif path in ("/huge", "/huge-stream"):
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            if path == "/huge":
                h.send_header("Content-Length", str(HUGE))
            else:
                h.send_header("Connection", "close")
                h.close_connection = True
            h.end_headers()
            chunk = (f"<p>{PHRASE} " + "x" * 1000 + "</p>\n").encode() * 64
            sent = 0
            while sent < HUGE:
                piece = chunk[: HUGE - sent]
                h.wfile.write(piece)
                sent += len(piece)
        elif path == "/bomb":
            self.send(h, 200, self.bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        elif path == "/slowloris":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "1000000")
            h.end_headers()
            for _ in range(120):
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(0.5)
            h.close_connection = True
        elif path.startswith("/charset/"):
            self.send_charset(h, path.split("/")[2])
        elif path == "/pdf":
            self.send(h, 200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                      {"Content-Type": "application/pdf"})
        elif path == "/png":
            self.send(h, 200, b"\x89PNG\r\n\x1a\n" + os.urandom(2000), {"Content-Type": "image/png"})
        elif path == "/garbage":
            self.send(h, 200, os.urandom(20000), {"Content-Type": "application/octet-stream"})
        elif path == "/garbage-html":  # binary bytes that claim to be a page
            self.send(h, 200, os.urandom(20000), {"Content-Type": "text/html"})
        elif path == "/empty":
            self.send(h, 200, b"", {"Content-Type": "text/html"})
        else:
            self.send(h, 404, b"not here", {"Content-Type": "text/plain"})

    def send_charset(self, h: BaseHTTPRequestHandler, name: str) -> None:
        headline = ACCENTED[name]
        if name == "cp1252":  # declared by the header only
            body = article(headline, meta="").encode("cp1252")
            headers = {"Content-Type": "text/html; charset=windows-1252"}
        elif name == "latin1":  # declared by <meta http-equiv> only
            meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            body, headers = article(headline, meta=meta).encode("iso-8859-1"), {"Content-Type": "text/html"}
        elif name == "utf16":  # a byte order mark, nothing declared
            body = b"\xff\xfe" + article(headline, meta="").encode("utf-16-le")
            headers = {"Content-Type": "text/html"}
        elif name == "lying-utf8":
            body = article(headline, meta='<meta charset="utf-8">').encode("cp1252")
            headers = {"Content-Type": "text/html"}
        elif name == "lying-latin1":
            body = article(headline, meta='<meta charset="iso-8859-1">').encode("utf-8")
            headers = {"Content-Type": "text/html"}
        else:  # missing-utf8, missing-cp1252: no charset anywhere
            body = article(headline, meta="").encode("utf-8" if name == "missing-utf8" else "cp1252")
            headers = {"Content-Type": "text/html"}
        self.send(h, 200, body, headers)

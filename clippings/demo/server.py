"""Serve the bundled demo site: one local HTTP server per outlet, each on its own free port.

Each outlet is a folder under `site/<slug>/`; so is each site that is not a news outlet
(`OTHER_SITES`: the coalition's own site, whose counters the campaign watches). Text files may
name any site's address with the placeholders `{{ORIGIN:<slug>}}` (`http://127.0.0.1:PORT`) and
`{{HOST:<slug>}}` (`127.0.0.1:PORT`), which are filled in as the file is served, and in
`campaign.toml.in` when it is rendered.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEMO_DIR = Path(__file__).parent
SITE_DIR = DEMO_DIR / "site"
CAMPAIGN_TEMPLATE = DEMO_DIR / "campaign.toml.in"
EXPECTED_PATH = DEMO_DIR / "expected.json"

OTHER_SITES = ("coalition",)  # site folders that are not news outlets (served, never an outlet)
_PLACEHOLDER_RE = re.compile(r"\{\{(ORIGIN|HOST):([a-z0-9-]+)\}\}")
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
_NOT_FOUND = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>'
    b"<body><h1>Page not found</h1><p>The page you asked for does not exist.</p></body></html>\n"
)


@dataclass(frozen=True)
class DemoSite:
    """A running demo site: each outlet's base URL, the other sites' and the rendered campaign file."""

    outlets: dict[str, str]  # outlet slug -> base URL, "http://127.0.0.1:PORT"
    campaign_path: Path
    others: dict[str, str] = field(default_factory=dict)  # OTHER_SITES slug -> base URL

    def url(self, slug: str, path: str = "/") -> str:
        """The absolute URL of a path on one outlet (or other site)."""
        return {**self.others, **self.outlets}[slug] + path


def list_site_slugs(site_dir: Path = SITE_DIR) -> list[str]:
    """Every folder of the site (outlets and other sites), sorted."""
    return sorted(p.name for p in site_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def list_outlet_slugs(site_dir: Path = SITE_DIR) -> list[str]:
    """The outlet folders of the site, sorted."""
    return [slug for slug in list_site_slugs(site_dir) if slug not in OTHER_SITES]


def fill_placeholders(text: str, origins: dict[str, str]) -> str:
    """Replace `{{ORIGIN:slug}}` and `{{HOST:slug}}` with the outlet's address (unknown: raise)."""

    def replace(m: re.Match[str]) -> str:
        origin = origins.get(m.group(2))
        if origin is None:
            raise KeyError(f"no outlet {m.group(2)!r} for placeholder {m.group(0)}")
        return origin if m.group(1) == "ORIGIN" else urlsplit(origin).netloc

    return _PLACEHOLDER_RE.sub(replace, text)


def resolve_file(root: Path, url_path: str) -> Path | None:
    """The file under `root` that a URL path names (`dir/` means `dir/index.html`), or None."""
    path = unquote(urlsplit(url_path).path)
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    try:
        target = target.resolve()
    except OSError:
        return None
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        return None
    return target


def guess_content_type(path: Path) -> str:
    """The Content-Type for a served file, by its extension (text/html without one)."""
    if path.name == "robots.txt":
        return _CONTENT_TYPES[".txt"]
    return _CONTENT_TYPES.get(path.suffix, "application/octet-stream")


class _OutletHandler(BaseHTTPRequestHandler):
    """Serves one outlet's folder: GET and HEAD, placeholders filled, no listings, no logging."""

    server_version = "ClippingsDemo/1.0"

    def __init__(self, *args, root: Path, origins: dict[str, str], **kwargs):
        self.root, self.origins = root, origins
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(with_body=False)

    def respond(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
        target = resolve_file(self.root, self.path)
        if target is None and not path.endswith("/") and resolve_file(self.root, path + "/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if target is None:
            self.send_body(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", _NOT_FOUND, with_body)
            return
        content_type = guess_content_type(target)
        body = target.read_bytes()
        if "charset=utf-8" in content_type:
            body = fill_placeholders(body.decode("utf-8"), self.origins).encode("utf-8")
        self.send_body(HTTPStatus.OK, content_type, body, with_body)

    def send_body(
        self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: no line per request on stderr."""


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that does not print a traceback when a client hangs up."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def render_campaign(origins: dict[str, str], template: Path = CAMPAIGN_TEMPLATE) -> str:
    """The demo campaign file's text with the outlets' real addresses."""
    return fill_placeholders(template.read_text(encoding="utf-8"), origins)


@contextmanager
def _running(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="clippings-demo", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_demo(workdir: Path, site_dir: Path = SITE_DIR) -> Iterator[DemoSite]:
    """Serve every outlet on its own free port on 127.0.0.1 and write `workdir/campaign.toml`."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    origins: dict[str, str] = {}
    with ExitStack() as stack:
        for slug in list_site_slugs(site_dir):
            handler = partial(_OutletHandler, root=site_dir / slug, origins=origins)
            server = _QuietServer(("127.0.0.1", 0), handler)
            origins[slug] = f"http://127.0.0.1:{server.server_address[1]}"
            stack.enter_context(_running(server))
        campaign_path = workdir / "campaign.toml"
        campaign_path.write_text(render_campaign(origins), encoding="utf-8")
        outlets = {slug: origin for slug, origin in origins.items() if slug not in OTHER_SITES}
        others = {slug: origin for slug, origin in origins.items() if slug in OTHER_SITES}
        yield DemoSite(outlets=outlets, campaign_path=campaign_path, others=others)


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site in the foreground until interrupted, printing its addresses."""
    parser = argparse.ArgumentParser(
        prog="python -m clippings.demo.server", description=main.__doc__
    )
    parser.add_argument(
        "--workdir", type=Path, help="where to write campaign.toml (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clippings-demo-"))
    with serve_demo(workdir) as site:
        for slug, origin in [*site.outlets.items(), *site.others.items()]:
            print(f"{slug:20} {origin}/")
        print(f"campaign file        {site.campaign_path}")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()


if __name__ == "__main__":
    main()

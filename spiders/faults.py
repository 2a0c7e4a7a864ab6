"""Downloader middlewares for misbehaving servers: redirect loops and `Retry-After`.

- `RedirectLoopMiddleware` (before Scrapy's redirect middleware sees the response): a redirect back
  to the URL itself or to one the request already went through fails at once as a `redirect_loop`
  (Scrapy's own duplicate filter would drop the looping request silently). An endless chain of new
  URLs stops after REDIRECT_MAX_TIMES as `too_many_redirects`.
- `CharsetMiddleware`: a page whose `<meta>` charset lies is read in the charset its bytes are in
  (see the class).
- `RetryAfterMiddleware` (before Scrapy's retry middleware): a 429 or 503 whose `Retry-After`
  asks for more than CLIPPINGS_RETRY_AFTER_MAX seconds is not retried in this crawl (it fails as
  `http_429` / `http_503` and the source's poll back-off takes over); a shorter one is waited for
  before the response goes on to be retried.
"""

from __future__ import annotations

import codecs
import email.utils
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from w3lib.encoding import html_body_declared_encoding
from w3lib.url import safe_url_string

_REDIRECTS = (301, 302, 303, 307, 308)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class RedirectLoopMiddleware:
    """Fails a redirect that goes back to a URL of its own chain as a `redirect_loop`."""

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in _REDIRECTS or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = _without_fragment(safe_url_string(urljoin(request.url, location.decode("latin-1").strip())))
        seen = {_without_fragment(u) for u in [*request.meta.get("redirect_urls", ()), request.url]}
        if target in seen:
            raise IgnoreRequest(f"redirect loop: {request.url} redirects back to {target}")
        return response


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """`Retry-After` (seconds or an HTTP date) in seconds from now; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Honours `Retry-After` on 429 and 503 within CLIPPINGS_RETRY_AFTER_MAX seconds (see the module)."""

    def __init__(self, max_wait: float):
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        return cls(crawler.settings.getfloat("CLIPPINGS_RETRY_AFTER_MAX"))

    def process_response(self, request: Request, response: Response) -> Any:
        if response.status not in (429, 503) or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None or wait <= 0:
            return response
        if wait > self.max_wait:
            request.meta["dont_retry"] = True  # fails now, as http_429 / http_503
            return response
        return self._after(wait, response)

    @staticmethod
    async def _after(wait: float, response: Response) -> Response:
        from twisted.internet import reactor, task

        await maybe_deferred_to_future(task.deferLater(reactor, wait))  # any reactor, not only asyncio's
        return response


_LATIN = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


# Languages whose pages default to windows-1252 in the HTML standard's locale table.
_WESTERN = frozenset((
    "af", "ca", "da", "de", "en", "es", "eu", "fi", "fo", "fr", "ga", "gl", "id", "is", "it", "ms", "nb", "nl",
    "nn", "no", "pt", "sq", "sv", "sw",
))
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def _western(body: bytes) -> bool:
    found = _HTML_LANG.search(body[:4096])
    return bool(found) and found.group(1).decode("ascii").lower() in _WESTERN


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class CharsetMiddleware:
    """Pages whose `<meta>` charset lies are read in the one their bytes are in.

    A charset the HTTP header gives is trusted (Scrapy reads it first). Otherwise, a page declared
    UTF-8 (by a `<meta charset>`, or by nothing) whose bytes are not UTF-8 is read
    as windows-1252 (the usual truth, and a superset of ISO-8859-1's printable range); a page
    declared ISO-8859-1, windows-1252 or ASCII whose bytes are valid UTF-8 with non-ASCII characters
    in them is read as UTF-8 (such byte runs are all but never meant as Latin-1). A page that
    declares nothing, is not UTF-8 and says it is in a Western European language (`<html lang>`) is
    read as windows-1252, the HTML standard's default for those locales (Scrapy's statistical guess
    takes a short French text for windows-1250). Pages with a byte order mark, pure ASCII pages and
    other declared charsets are left as declared.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        if b"charset=" in (response.headers.get(b"Content-Type") or b"").lower():
            return response  # the HTTP header's charset wins (and costs nothing to trust)
        body = response.body
        if body.isascii() or body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            return response
        declared = _codec(response.encoding)
        if declared == "utf-8" and not _is_utf8(body):
            return response.replace(encoding="cp1252")
        if declared in _LATIN and _is_utf8(body):
            return response.replace(encoding="utf-8")
        if (declared != "cp1252" and html_body_declared_encoding(body) is None and _western(body)
                and not _is_utf8(body)):
            return response.replace(encoding="cp1252")  # undeclared: the page's language, not a guess
        return response

"""Failure kinds: every failed fetch or read is counted under one of these names."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure

ERROR_KINDS = ("dns", "connect", "timeout", "http_<status>", "too_large", "data_loss", "connection_reset",
               "redirect_loop", "too_many_redirects", "private_address", "robots", "offsite", "parse",
               "download", "ignored", "other")


def _was_reset(exc: BaseException, depth: int = 0) -> bool:
    """True when a connection reset (Twisted's ConnectionLost, not a clean ConnectionDone) caused exc."""
    if depth > 5:
        return False
    if isinstance(exc, (ConnectionLost, ConnectionResetError)):
        return True
    causes = [c for c in (exc.__cause__, exc.__context__) if c is not None]
    causes += [r.value for r in getattr(exc, "reasons", None) or () if isinstance(r, Failure)]
    return any(_was_reset(c, depth + 1) for c in causes)


def classify_failure(exc: BaseException) -> str:
    """The kind of a failed request: dns, connect, timeout, http_404, too_large, robots, ..."""
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, CannotResolveHostError):
        return "dns"
    if isinstance(exc, DownloadConnectionRefusedError):
        return "connect"
    if isinstance(exc, DownloadTimeoutError):
        return "timeout"
    if isinstance(exc, DownloadCancelledError):
        return "too_large"
    if _was_reset(exc):  # the server reset the connection (before or while sending the page)
        return "connection_reset"
    if isinstance(exc, ResponseDataLossError):  # a body shorter than announced, then a clean close
        return "data_loss"
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "download_maxsize" in text:  # a compressed body that decompresses past the limit
            return "too_large"
        if "redirect loop" in text:
            return "redirect_loop"
        if "max redirections" in text:
            return "too_many_redirects"
        if "private address" in text:
            return "private_address"
        if "robots" in text:
            return "robots"
        if "offsite" in text:
            return "offsite"
        return "ignored"
    if isinstance(exc, DownloadFailedError):
        return "download"
    name = type(exc).__name__.lower()
    for needle, kind in (("dns", "dns"), ("timeout", "timeout"), ("refused", "connect"), ("connect", "connect")):
        if needle in name:
            return kind
    return "other"

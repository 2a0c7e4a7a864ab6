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

ERROR_KINDS = ("dns", "connect", "timeout", "http_<status>", "too_large", "data_loss", "robots",
               "offsite", "parse", "download", "other")


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
    if isinstance(exc, ResponseDataLossError):
        return "data_loss"
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
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

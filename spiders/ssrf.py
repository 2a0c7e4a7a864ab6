"""No fetches of internal services: private, loopback, link-local and reserved addresses are refused.

A hostile feed, sitemap or redirect may point the crawler at `http://169.254.169.254/` (a cloud's
metadata service), at `http://localhost:6379/` or at any address inside the network the crawler runs
in. Every request (redirects included: a redirected request passes through the downloader
middlewares again) has its host checked before it is fetched:

- a host the campaign's outlets name exactly (`domains = ["127.0.0.1:8001"]`, with that port when
  the domain gives one), or the host and port of a URL the campaign file lists itself (a feed, a
  sitemap, a section, a URL, a watched page), is fetched wherever it points: the campaign asked for
  it (the demo and the tests serve their sites on 127.0.0.1). Subdomains of a named domain are not
  named: they are checked like any other host. A URL given by hand to `clippings add` is fetched
  as given (its redirects are checked);
- any other host is an IP address, checked as it is, or a name, resolved (through Scrapy's caching
  resolver, the one the download then uses) and its address checked;
- a refused request fails with `IgnoreRequest("... private address ...")`, counted as the failure
  kind `private_address`. A name that does not resolve is left to the download (a `dns` failure).
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

from clippings.urls import host_port

logger = logging.getLogger(__name__)


def is_public_address(address: str) -> bool:
    """True for a global unicast address; False for private, loopback, link-local, reserved,
    multicast, unspecified and shared (CGNAT) addresses, and IPv4 addresses mapped into IPv6."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return is_public_address(str(mapped))
    return bool(ip.is_global) and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def named_hosts(campaign: Any) -> set[tuple[str, int | None]]:
    """(host, port or None for any port) of every domain the campaign's outlets name, and the host and
    port of every URL the campaign file itself lists (feeds, sitemaps, sections, urls, watched pages)."""
    named: set[tuple[str, int | None]] = set()
    for outlet in campaign.outlets:
        for domain in outlet.domains:
            host, _, port = domain.lower().rstrip(".").partition(":")
            named.add((host.strip("[]"), int(port) if port.isdigit() else None))
        for kind in ("feeds", "sitemaps", "sections", "urls"):
            named.update(host_port(url) for url in getattr(outlet, kind, ()))
    named.update(host_port(w.url) for w in getattr(campaign, "watch", ()))
    return named


class PrivateAddressMiddleware:
    """Refuses requests to non-public addresses unless the campaign names the host (see the module)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self._named: set[tuple[str, int | None]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivateAddressMiddleware:
        return cls(crawler)

    def _allowed_by_name(self, host: str, port: int | None) -> bool:
        if self._named is None:
            campaign = getattr(self.crawler.spider, "campaign", None)
            self._named = named_hosts(campaign) if campaign is not None else set()
        return (host, None) in self._named or (host, port) in self._named

    def process_request(self, request: Request) -> Any:
        if not request.url.startswith(("http://", "https://")):
            return None
        host, port = host_port(request.url)
        if not host or self._allowed_by_name(host, port):
            return None
        if request.meta.get("clippings_forced") and not request.meta.get("redirect_times"):
            return None  # typed by hand (`clippings add URL`): fetched as given, its redirects checked

        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return self._check_name(request, host)  # a name: resolved first
        if not is_public_address(host):
            self._refuse(request, host)
        return None

    async def _check_name(self, request: Request, host: str) -> None:
        from twisted.internet import reactor

        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - an unresolvable name fails in the download, as `dns`
            address = None
        if address is None:
            return None
        if not is_public_address(str(address)):
            self._refuse(request, host, str(address))
        return None

    def _refuse(self, request: Request, host: str, address: str | None = None) -> None:
        where = f"{host} ({address})" if address and address != host else host
        logger.debug("Refused %s: %s is a private address", request.url, where)
        raise IgnoreRequest(
            f"Refused request to {request.url}: {where} is a private address the campaign's outlets do not name"
        )

"""URL -> outlet: which of the campaign's outlets publishes at a given address."""

from __future__ import annotations

from clippings.campaign import Campaign, Outlet
from clippings.urls import host_port, origin_of

_CACHE_SIZE = 10_000  # origins remembered per index (a crawl meets few hosts)


class OutletIndex:
    """Finds the outlet of a URL by host (with its subdomains) and, where the domain names one, port."""

    def __init__(self, campaign: Campaign):
        self._by_domain: list[tuple[str, int | None, Outlet]] = []
        for outlet in campaign.outlets:
            for domain in outlet.domains:
                host, _, port = domain.partition(":")
                self._by_domain.append((host, int(port) if port else None, outlet))
        # Longest host first, so news.example.com wins over example.com.
        self._by_domain.sort(key=lambda entry: -len(entry[0]))
        self._by_origin: dict[str, Outlet | None] = {}

    def outlet_for(self, url: str) -> Outlet | None:
        """The outlet whose domain covers this URL's host (and port, when the domain gives one)."""
        origin = origin_of(url)  # every URL of a site has one: the answer is looked up once
        if origin not in self._by_origin:
            if len(self._by_origin) >= _CACHE_SIZE:
                self._by_origin.clear()
            self._by_origin[origin] = self._outlet_at(origin)
        return self._by_origin[origin]

    def _outlet_at(self, url: str) -> Outlet | None:
        host, port = host_port(url)
        if not host:
            return None
        for domain, want_port, outlet in self._by_domain:
            if (host == domain or host.endswith("." + domain)) and (want_port is None or want_port == port):
                return outlet
        return None

    def is_allowed(self, url: str) -> bool:
        """True if the URL belongs to one of the campaign's outlets."""
        return self.outlet_for(url) is not None

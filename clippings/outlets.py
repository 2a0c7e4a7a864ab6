"""URL -> outlet: the campaign's outlets first, then a bundled registry of news outlets and agencies.

`OutletIndex.outlet_for` answers "which campaign outlet publishes here?" (what the crawl may fetch).
`OutletIndex.resolve` names the outlet of any URL, in this order:

1. a campaign outlet whose domain covers the host (and port, when the domain gives one);
2. the bundled registry (`clippings/data/outlets.toml`: well-known news sites and the wire agencies,
   each with its country, default language and whether it is an agency); a domain covers its
   subdomains and the longest domain wins (edition.cnn.com -> CNN, cnnespanol.cnn.com -> CNN en Español);
3. the host itself, readable: 'www.example.com' -> 'example.com' (with its port, if any).

Both answers are remembered per origin: the crawl asks once per page.

A campaign outlet may declare itself a wire agency (`agency = true`, with `aliases` it is credited
by): its own pages then carry it as their agency, and `OutletIndex.agencies` adds it to the
registry's agencies, so a reprint that credits it elsewhere is recognised (clippings.agency).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from clippings.campaign import Campaign, Outlet
from clippings.urls import host_port, origin_of

_CACHE_SIZE = 10_000  # origins remembered per index (a crawl meets few hosts)
REGISTRY_FILE = "data/outlets.toml"  # inside the clippings package


@dataclass(frozen=True)
class KnownOutlet:
    """A registry entry: a well-known news outlet or wire agency."""

    name: str
    domains: tuple[str, ...]
    country: str  # ISO 3166-1 alpha-2
    language: str  # ISO 639-1 of its main edition
    agency: bool = False  # a wire agency (AFP, AP, Reuters, EFE, dpa...)
    aliases: tuple[str, ...] = ()  # agencies: the names and codes stories credit them by


@dataclass(frozen=True)
class ResolvedOutlet:
    """Who publishes at a URL, and how that was decided."""

    name: str
    source: Literal["campaign", "registry", "host"]
    country: str | None = None
    language: str | None = None
    agency: str | None = None  # the wire agency's name when the host is an agency's own site


class Registry:
    """Registry entries by domain; `lookup` walks a host's parent domains, longest first."""

    def __init__(self, outlets: tuple[KnownOutlet, ...]):
        self.outlets = outlets
        self._by_domain: dict[str, KnownOutlet] = {}
        for outlet in outlets:
            for domain in outlet.domains:
                if domain in self._by_domain:
                    raise ValueError(f"outlet registry: {domain} is listed twice")
                self._by_domain[domain] = outlet
        self.agencies = tuple(o for o in outlets if o.agency)

    def lookup(self, host: str) -> KnownOutlet | None:
        """The entry whose domain is this host or its nearest parent domain (host in lower case)."""
        host = host.rstrip(".")
        while host:
            found = self._by_domain.get(host)
            if found is not None:
                return found
            host = host.partition(".")[2]
        return None

    def outlet_for(self, url: str) -> KnownOutlet | None:
        return self.lookup(host_port(url)[0])


def parse_registry(text: str) -> Registry:
    """A registry from TOML text: `[[outlet]]` tables with name, domains, country, language, agency, aliases."""
    data = tomllib.loads(text)
    outlets = []
    for number, entry in enumerate(data.get("outlet", []), 1):
        try:
            outlet = KnownOutlet(
                name=str(entry["name"]),
                domains=tuple(str(d).lower().removeprefix("www.") for d in entry["domains"]),
                country=str(entry["country"]),
                language=str(entry["language"]),
                agency=bool(entry.get("agency", False)),
                aliases=tuple(str(a) for a in entry.get("aliases", ())),
            )
        except KeyError as exc:
            raise ValueError(f"outlet registry: outlet {number} has no {exc.args[0]}") from None
        outlets.append(outlet)
    return Registry(tuple(outlets))


@cache
def registry() -> Registry:
    """The bundled registry, read once per process."""
    return parse_registry(files("clippings").joinpath(REGISTRY_FILE).read_text(encoding="utf-8"))


def host_name(url: str) -> str:
    """A readable outlet name for a bare host: 'www.example.com' -> 'example.com' (port kept)."""
    host, port = host_port(url)
    host = host.removeprefix("www.")
    return f"{host}:{port}" if port else host


class OutletIndex:
    """Finds the outlet of a URL by host (with its subdomains) and, where the domain names one, port."""

    def __init__(self, campaign: Campaign, known: Registry | None = None):
        self._by_domain: list[tuple[str, int | None, Outlet]] = []
        for outlet in campaign.outlets:
            for domain in outlet.domains:
                host, _, port = domain.partition(":")
                self._by_domain.append((host, int(port) if port else None, outlet))
        # Longest host first, so news.example.com wins over example.com.
        self._by_domain.sort(key=lambda entry: -len(entry[0]))
        self._by_origin: dict[str, Outlet | None] = {}
        self._known = known
        self._resolved: dict[str, ResolvedOutlet] = {}
        self._campaign_agencies = tuple(
            KnownOutlet(o.name, (), "", o.language or "", agency=True, aliases=o.aliases)
            for o in campaign.outlets
            if o.agency
        )
        self._with_agencies: Registry | None = None

    @property
    def registry(self) -> Registry:
        if self._known is None:
            self._known = registry()
        return self._known

    @property
    def agencies(self) -> Registry:
        """The registry plus the campaign's own agencies (`agency = true`): who a story may be credited to."""
        if self._with_agencies is None:
            known = self.registry
            if not self._campaign_agencies:
                self._with_agencies = known
            else:
                taken = {o.name.casefold() for o in known.agencies}
                mine = tuple(o for o in self._campaign_agencies if o.name.casefold() not in taken)
                self._with_agencies = Registry(known.outlets + mine)
        return self._with_agencies

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

    def resolve(self, url: str) -> ResolvedOutlet:
        """The outlet of any URL: campaign outlet, else registry entry, else the readable host."""
        origin = origin_of(url)
        found = self._resolved.get(origin)
        if found is None:
            if len(self._resolved) >= _CACHE_SIZE:
                self._resolved.clear()
            found = self._resolved[origin] = self._resolve(origin)
        return found

    def _resolve(self, origin: str) -> ResolvedOutlet:
        known = self.registry.outlet_for(origin)
        agency = known.name if known is not None and known.agency else None
        mine = self.outlet_for(origin)
        if mine is not None and mine.agency:
            agency = agency or mine.name
        if mine is not None:
            country, language = (known.country, known.language) if known else (None, None)
            return ResolvedOutlet(mine.name, "campaign", country, mine.language or language, agency)
        if known is not None:
            return ResolvedOutlet(known.name, "registry", known.country, known.language, agency)
        return ResolvedOutlet(host_name(origin), "host")

    def name_for(self, url: str) -> str:
        """The outlet name to store for a page at this URL."""
        return self.resolve(url).name

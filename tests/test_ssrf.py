"""The crawler fetches only what the campaign names: a hostile feed, sitemap index or redirect cannot
make it fetch an internal service (169.254.169.254, another port on 127.0.0.1, `localhost`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clippings.crawl import run_crawl
from clippings.store.repository import Store
from spiders.ssrf import is_public_address
from tests.faultserver import PHRASE, FaultServer

SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CLIPPINGS_WORKERS=0", "DOWNLOAD_TIMEOUT=3",
            "RETRY_TIMES=0")
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture()
def servers() -> Iterator[tuple[FaultServer, FaultServer]]:
    with FaultServer() as outlet, FaultServer() as internal:
        yield outlet, internal


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>{PHRASE} {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def test_hostile_links_and_redirects_never_reach_private_addresses(
    servers: tuple[FaultServer, FaultServer], tmp_path: Path
) -> None:
    outlet, internal = servers
    probe = f"127.0.0.1:{internal.port}"
    xml = {"Content-Type": "application/xml"}
    targets = {"metadata": METADATA, "port": f"http://{probe}/admin", "localhost": f"http://localhost:{internal.port}/x",
               # the same loopback spelled as a decimal number, in octal and in IPv6
               "decimal": f"http://2130706433:{internal.port}/d", "octal": f"http://0177.0.0.1:{internal.port}/o",
               "ipv6": f"http://[::1]:{internal.port}/v6"}
    for name, target in targets.items():
        outlet.routes[f"/to/{name}"] = (302, b"", {"Location": target})
    outlet.routes["/feed.xml"] = (200, rss([
        outlet.url("/good/1"), METADATA, f"http://{probe}/feed-item", f"http://localhost:{internal.port}/feed-item",
        *(outlet.url(f"/to/{name}") for name in targets),
    ]), xml)
    outlet.routes["/moved-feed.xml"] = (302, b"", {"Location": f"http://{probe}/feed.xml"})
    children = [f"{METADATA}sitemap.xml", f"http://{probe}/sitemap.xml", f"http://localhost:{internal.port}/s.xml"]
    maps = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    outlet.routes["/index.xml"] = (200, f'<?xml version="1.0"?><sitemapindex xmlns="{SM_NS}">{maps}</sitemapindex>'
                                   .encode(), xml)
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(f"""
[campaign]
name = "SSRF"
phrases = ["{PHRASE}"]

[[outlets]]
name = "Outlet"
domains = ["127.0.0.1:{outlet.port}"]
feeds = ["{outlet.url('/feed.xml')}", "{outlet.url('/moved-feed.xml')}"]
sitemaps = ["{outlet.url('/index.xml')}"]
""", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ssrf.db'}"
    summary = run_crawl(campaign, db, settings=SETTINGS, progress=False)

    assert summary.status == "finished"
    assert internal.total_hits == 0, internal.hits_by_path  # nothing reached the internal service
    # 6 article redirects, the feed's redirect and the index's 3 sitemaps; the feed's own off-outlet
    # items are never requested at all (not one of the campaign's outlets)
    assert summary.errors == {"private_address": 10}, summary.errors
    assert outlet.hits("/good/1") == 1 and summary.new_clippings == 1
    assert all(outlet.hits(f"/to/{name}") == 1 for name in targets)


def test_a_host_the_campaign_names_may_be_local(servers: tuple[FaultServer, FaultServer], tmp_path: Path) -> None:
    outlet, _ = servers
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(f"""
[campaign]
name = "Local"
phrases = ["{PHRASE}"]

[[outlets]]
name = "Named by name"
domains = ["localhost:{outlet.port}"]
urls = ["http://localhost:{outlet.port}/good/7"]
""", encoding="utf-8")
    summary = run_crawl(campaign, f"sqlite:///{tmp_path / 'l.db'}", settings=SETTINGS, progress=False)
    assert summary.errors == {} and summary.new_clippings == 1


def test_a_redirect_off_the_outlets_is_counted_once(servers: tuple[FaultServer, FaultServer], tmp_path: Path) -> None:
    outlet, _ = servers
    outlet.routes["/away"] = (302, b"", {"Location": "http://93.184.216.34/elsewhere"})  # public, not an outlet
    campaign, away = tmp_path / "campaign.toml", outlet.url("/away")
    campaign.write_text(f'[campaign]\nname = "Off"\nphrases = ["{PHRASE}"]\n\n[[outlets]]\nname = "O"\n'
                        f'domains = ["127.0.0.1:{outlet.port}"]\nurls = ["{away}"]\n', encoding="utf-8")
    summary = run_crawl(campaign, f"sqlite:///{tmp_path / 'o.db'}", settings=SETTINGS, progress=False)
    assert summary.errors == {"offsite": 1}


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1", "not-an-ip",
])
def test_private_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


def test_a_url_added_by_hand_is_fetched_but_not_its_redirects(
    servers: tuple[FaultServer, FaultServer], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from clippings.cli import main

    outlet, internal = servers
    internal.routes["/moved"] = (302, b"", {"Location": METADATA})
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(f'[campaign]\nname = "Add"\nphrases = ["{PHRASE}"]\n\n[[outlets]]\nname = "O"\n'
                        f'domains = ["127.0.0.1:{outlet.port}"]\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'add.db'}"
    urls = [internal.url("/good/3"), internal.url("/moved")]  # a local host the campaign does not name
    result = CliRunner().invoke(main, ["add", *urls, "--campaign", str(campaign), "--db", db,
                                       *(x for s in SETTINGS for x in ("-s", s))])
    assert result.exit_code == 0, result.output
    assert internal.hits("/good/3") == 1 and internal.hits("/moved") == 1
    assert "private_address 1" in result.output.replace(":", ""), result.output
    with Store.open(db) as store:
        assert [c.url for c in store.query()] == [internal.url("/good/3")]

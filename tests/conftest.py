"""Shared fixtures: real services (PostgreSQL, Redis) with skip-or-fail, and paths to saved data."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent

POSTGRES_URL = os.environ.get(
    "CLIPPINGS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CLIPPINGS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("CLIPPINGS_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 2):
            return True
    except OSError:
        return False


def need_service(name: str, url: str, default_port: int) -> None:
    """Skip with a clear reason when a service is down; fail instead under CLIPPINGS_REQUIRE_SERVICES=1."""
    if _reachable(url, default_port):
        return
    message = f"{name} is not reachable at {urlsplit(url).netloc} (set CLIPPINGS_TEST_{name.upper()}_URL)"
    if REQUIRE_SERVICES:
        pytest.fail(message + " and CLIPPINGS_REQUIRE_SERVICES=1 requires it")
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards."""
    need_service("postgres", POSTGRES_URL, 5432)
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file of this test's own."""
    return f"sqlite:///{tmp_path / 'clippings.db'}"


# --- the demo site's coverage, crawled once per test session ---------------------------------------


class DemoCoverage:
    """The bundled demo site crawled into a SQLite file: the data the output formats' golden tests read.

    The demo's outlets are served on free ports, so their origins differ from run to run:
    `stable(text)` writes each origin as `http://<outlet slug>.demo` for comparing with a golden file.
    Watched counters are read at crawl time (today): golden outputs of coverage leave them out.
    """

    def __init__(self, db: str, origins: dict[str, str], campaign_path: Path):
        self.db = db
        self.origins = origins  # outlet slug -> "http://127.0.0.1:PORT"
        self.campaign_path = campaign_path  # a copy that outlives the demo server

    def stable(self, text: str) -> str:
        for slug, origin in sorted(self.origins.items(), key=lambda kv: -len(kv[1])):
            text = text.replace(origin, f"http://{slug}.demo")
        return text


@pytest.fixture(scope="session")
def demo_coverage(tmp_path_factory: pytest.TempPathFactory) -> DemoCoverage:
    """The demo site's coverage, crawled once (exactly what `make demo` stores)."""
    import shutil

    from clippings.crawl import run_crawl
    from clippings.demo.server import serve_demo

    root = tmp_path_factory.mktemp("demo-coverage")
    db = f"sqlite:///{root / 'demo.db'}"
    with serve_demo(root / "site") as site:
        summary = run_crawl(site.campaign_path, db, settings=(
            "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8"))
        assert summary.status == "finished" and summary.new_clippings == 15, summary
        campaign = root / "campaign.toml"
        shutil.copyfile(site.campaign_path, campaign)
        origins = {**site.others, **site.outlets}
    return DemoCoverage(db, origins, campaign)

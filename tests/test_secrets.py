"""Secrets never show: a database or Redis URL's password is masked in every log line, summary, error
message and report, also at DEBUG level (Scrapy's "Overridden settings" dump included)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.faultserver import PHRASE, FaultServer

SECRET = "s3cret"
CLI = [sys.executable, "-c", "import sys; from clippings.cli import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as s:
        yield s


def campaign(tmp_path: Path, server: FaultServer) -> Path:
    urls = ", ".join(f'"{server.url(p)}"' for p in ("/good/1", "/status/404", "/sleep", "/charset/cp1252"))
    path = tmp_path / "campaign.toml"
    path.write_text(f'[campaign]\nname = "Secrets"\nphrases = ["{PHRASE}"]\n\n[[outlets]]\nname = "Gazette"\n'
                    f'domains = ["127.0.0.1:{server.port}"]\nurls = [{urls}]\n', encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_unreachable_database_is_reported_without_its_password(tmp_path: Path, server: FaultServer) -> None:
    url = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x"
    for args, env in (
        (["crawl", "--campaign", str(campaign(tmp_path, server)), "--db", url], None),
        (["crawl", "--campaign", str(campaign(tmp_path, server))], {"CLIPPINGS_DB": url}),
        (["query", "--db", url], None),
        (["sources", "--db", url], None),
        (["db", "upgrade", "--db", url], None),
    ):
        done = run(*args, env=env)
        assert done.returncode != 0, args
        assert SECRET not in done.stdout + done.stderr, args
        assert "u:***@127.0.0.1:1" in done.stderr, (args, done.stderr)


def test_unreachable_redis_is_reported_without_its_password(tmp_path: Path, server: FaultServer) -> None:
    done = run("crawl", "--campaign", str(campaign(tmp_path, server)), "--redis", f"redis://:{SECRET}@127.0.0.1:1/0")
    assert done.returncode != 0
    assert SECRET not in done.stdout + done.stderr, done.stderr


def test_debug_crawl_and_reports_never_show_the_password(
    tmp_path: Path, server: FaultServer, postgres_url: str
) -> None:
    # the test server trusts local connections: a password in the URL is sent and ignored
    url = make_url(postgres_url).set(password=SECRET).render_as_string(hide_password=False)
    assert SECRET in url
    crawl = run("crawl", "--campaign", str(campaign(tmp_path, server)), "--db", url, "--verbose",
                "-s", "LOG_LEVEL=DEBUG", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert "Overridden settings" in crawl.stderr and "http_404" in crawl.stdout + crawl.stderr
    outputs = [crawl.stdout + crawl.stderr]
    out = tmp_path / "out"
    for args in (["query", "--format", "json"], ["sources"], ["outlets"], ["roundup", "--format", "html"],
                 ["timeline", "--format", "json"], ["export", "--format", "csv"], ["report", "--out", str(out)],
                 ["db", "upgrade"]):
        done = run(*args, "--db", url)
        assert done.returncode == 0, (args, done.stderr)
        outputs.append(done.stdout + done.stderr)
    outputs += [p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()]
    assert all(SECRET not in text for text in outputs)

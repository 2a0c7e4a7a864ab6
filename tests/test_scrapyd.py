"""Deploy to a real Scrapyd on 127.0.0.1 with `scrapyd-deploy` and run a spider there with the campaign argument.

The repo's scrapy.cfg is used as it is: the test server is a named target (`[deploy:test]`) in a user-level
scrapy.cfg under a temporary XDG_CONFIG_HOME, the layer Scrapy reads before the project's own file.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clippings.demo.server import EXPECTED_PATH, serve_demo
from clippings.store.repository import Store

pytestmark = pytest.mark.e2e

REPO = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
JOB_TIMEOUT_S = 90
# What scrapyd-deploy writes into the project when it has no setup.py (and leaves there).
GENERATED_SETUP_MARK = "# Automatically created by: scrapyd-deploy"


def require_tools() -> tuple[Path, Path]:
    scrapyd, deploy = BIN / "scrapyd", BIN / "scrapyd-deploy"
    missing = [p.name for p in (scrapyd, deploy) if not p.exists()]
    if missing:
        reason = f"{', '.join(missing)} not installed in {BIN} (pip install -e '.[dev]')"
        if os.environ.get("CLIPPINGS_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return scrapyd, deploy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def post_json(url: str, fields: list[tuple[str, str]]) -> dict:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        return json.loads(response.read())


@dataclass
class Scrapyd:
    url: str
    logs_dir: Path
    stderr_path: Path


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    binary, _ = require_tools()
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    dirs = {name: home / name for name in ("eggs", "logs", "dbs", "items")}
    for path in dirs.values():
        path.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {dirs['eggs']}\n"
        f"logs_dir = {dirs['logs']}\n"
        f"dbs_dir = {dirs['dbs']}\n"
        f"items_dir = {dirs['items']}\n"
        "max_proc = 1\n"
        "poll_interval = 0.5\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CLIPPINGS_DB", "SCRAPY_SETTINGS_MODULE")}
    stderr_path = home / "scrapyd.stderr"
    with stderr_path.open("wb") as stderr:
        # Scrapyd reads ./scrapyd.conf: run it in its own directory, never the repo (whose scrapy.cfg it would read).
        process = subprocess.Popen([str(binary)], cwd=home, env=env, stdout=stderr, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, stderr_path.read_text(errors="replace")
            try:
                if get_json(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Scrapyd did not answer daemonstatus.json in 30 s"
            time.sleep(0.2)
        yield Scrapyd(url=url, logs_dir=dirs["logs"], stderr_path=stderr_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def deploy(server: Scrapyd, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`scrapyd-deploy test` from the repo root; removes only what the build left that was not there before."""
    _, binary = require_tools()
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    (xdg / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {server.url}\n", encoding="utf-8")
    setup_py, build_dir = REPO / "setup.py", REPO / "build"
    had_setup_py, had_build_dir = setup_py.exists(), build_dir.exists()
    try:
        return subprocess.run(
            [str(binary), "test", "--version", "test-1"], cwd=REPO, capture_output=True, text=True, timeout=180,
            env={**os.environ, "XDG_CONFIG_HOME": str(xdg)},
        )
    finally:
        if not had_setup_py and setup_py.exists() and GENERATED_SETUP_MARK in setup_py.read_text(encoding="utf-8"):
            setup_py.unlink()
        if not had_build_dir:
            shutil.rmtree(build_dir, ignore_errors=True)


def wait_finished(server: Scrapyd, job: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        jobs = get_json(server.url + "listjobs.json?project=clippings")
        done = [j for j in jobs["finished"] if j["id"] == job]
        if done:
            return done[0]
        time.sleep(0.5)
    pytest.fail(f"job {job} not finished after {JOB_TIMEOUT_S} s: {jobs}")


def test_deploy_and_schedule_the_sitemaps_spider_with_the_campaign(scrapyd: Scrapyd, tmp_path: Path) -> None:
    cfg_before = (REPO / "scrapy.cfg").read_bytes()
    deployed = deploy(scrapyd, tmp_path)
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout
    assert (REPO / "scrapy.cfg").read_bytes() == cfg_before
    answer = json.loads(deployed.stdout)
    # Scrapyd lists the spiders from the egg while adding it: the egg's settings entry point and packages work.
    assert answer["status"] == "ok" and answer["project"] == "clippings" and answer["spiders"] == 5, answer
    spiders = get_json(scrapyd.url + "listspiders.json?project=clippings")
    assert spiders["spiders"] == ["feeds", "sections", "sitemaps", "urls", "watch"], spiders

    db = f"sqlite:///{tmp_path / 'scrapyd.db'}"  # a new database: the zipped egg migrates it (store.db.migrations_dir)
    with serve_demo(tmp_path / "demo") as demo:
        assert demo.campaign_path.is_absolute()
        fields = [("project", "clippings"), ("spider", "sitemaps"), ("campaign", str(demo.campaign_path)),
                  ("setting", f"CLIPPINGS_DB={db}"), *[("setting", s) for s in FAST]]
        scheduled = post_json(scrapyd.url + "schedule.json", fields)
        assert scheduled["status"] == "ok", scheduled
        finished = wait_finished(scrapyd, scheduled["jobid"])
        via_sitemaps = {demo.url(a["slug"], a["path"]) for a in EXPECTED["articles"]
                        if a["relevant"] and "sitemaps" in a["found_via"]}

    log_path = scrapyd.logs_dir / "clippings" / "sitemaps" / f"{scheduled['jobid']}.log"
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Spider closed (finished)" in log, log[-3000:]
    bad = [line for line in log.splitlines() if " ERROR: " in line or " CRITICAL: " in line]
    assert not bad and "Traceback (most recent call last)" not in log, "\n".join(bad) or log[-3000:]
    assert "Traceback" not in scrapyd.stderr_path.read_text(errors="replace")
    assert finished["spider"] == "sitemaps"

    assert via_sitemaps
    with Store.open(db) as store:
        clippings = {c.url: c for c in store.query()}
        run = store.get_run(1)
    assert set(clippings) == via_sitemaps
    relevant = {demo.url(a["slug"], a["path"]): a for a in EXPECTED["articles"] if a["relevant"]}
    for url, got in clippings.items():
        article = relevant[url]
        assert (got.outlet, got.headline, got.language) == (article["outlet"], article["headline"],
                                                             article["language"])
        assert set(got.matched_terms) == set(article["mentions"]), url
    assert run.spiders == ("sitemaps",) and run.status == "finished" and run.new_clippings == len(via_sitemaps)

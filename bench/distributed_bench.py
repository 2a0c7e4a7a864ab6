"""Distributed benchmark: pages per second of one `clippings worker` and of two sharing one Redis frontier.

Generates (or reuses) bench/sitegen.py's site of --pages article pages (50-150 KB each, 5% relevant),
serves it on 127.0.0.1 (bench/server.py), and for 1 and 2 workers, --repeat times each: a fresh
Redis key prefix and a fresh database (a PostgreSQL schema at CLIPPINGS_TEST_POSTGRES_URL, else a
SQLite file), starts the workers (`clippings worker --idle 15`, politeness lifted for the local host),
waits until they are up, enqueues the campaign (`clippings crawl --redis`, the site's sitemap index)
and times from the enqueue until every article has been served once and every relevant one stored.
It checks that no page was served twice and that the clippings equal the relevant pages, prints a
table and writes bench/results/distributed.json. The server's counters count the requests.

Usage: python bench/distributed_bench.py [--pages 5000] [--repeat 1] [--redis URL] [--db URL]
Exit code 0 when every run succeeded and the counts match (or Redis is not reachable: reported as
skipped), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
POLITENESS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32")
IDLE_SECONDS = 15  # more than the startup wait below: a worker ends after the frontier stays empty this long
STARTUP_SECONDS = 6.0  # workers import Scrapy and open the database before the sources are enqueued

sys.path.insert(0, str(BENCH))
import crawl_bench  # noqa: E402
import sitegen  # noqa: E402


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 2):
            return True
    except OSError:
        return False


class Database:
    """A fresh PostgreSQL schema (dropped afterwards) or SQLite file per run."""

    def __init__(self, base: str | None, work: Path, label: str):
        self.base, self.schema, self.label = base, None, label
        if base and base.startswith("postgresql"):
            import sqlalchemy as sa

            self.schema = f"bench_{uuid.uuid4().hex[:10]}"
            engine = sa.create_engine(base)
            with engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
            engine.dispose()
            sep = "&" if "?" in base else "?"
            self.url = f"{base}{sep}options=-csearch_path%3D{self.schema}"
        else:
            self.url = f"sqlite:///{work / (label + '.db')}"

    def clippings(self) -> int:
        import sqlalchemy as sa

        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(sa.text("SELECT COUNT(*) FROM clippings")).scalar_one())
        except sa.exc.SQLAlchemyError:
            return 0  # not migrated yet
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.schema and self.base:
            import sqlalchemy as sa

            engine = sa.create_engine(self.base)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            engine.dispose()


def run_once(workers: int, campaign: Path, origin: str, pages: int, relevant: int, args: argparse.Namespace,
             work: Path, label: str) -> dict[str, Any]:
    """One measured run of `workers` workers."""
    from clippings.distributed import redis_client

    prefix = f"clippings-bench:{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "CLIPPINGS_REDIS_PREFIX": prefix, "PYTHONUNBUFFERED": "1"}
    db = Database(args.db, work, label)
    settings = [arg for s in POLITENESS for arg in ("-s", s)]
    procs = []
    logs = [work / f"{label}-worker-{i}.log" for i in range(workers)]
    try:
        for log in logs:
            with open(log, "wb") as out:
                procs.append(subprocess.Popen(
                    [str(VENV_BIN / "clippings"), "worker", "--campaign", str(campaign), "--redis", args.redis,
                     "--db", db.url, "--idle", str(IDLE_SECONDS), *settings],
                    stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env,
                ))
        time.sleep(STARTUP_SECONDS)
        before = crawl_bench.server_stats(origin)
        started = time.perf_counter()
        subprocess.run([str(VENV_BIN / "clippings"), "crawl", "--campaign", str(campaign), "--redis", args.redis],
                       check=True, cwd=REPO, env=env, capture_output=True)
        stored, served = 0, 0
        deadline = started + args.timeout
        while time.perf_counter() < deadline and any(p.poll() is None for p in procs):
            served = crawl_bench.server_stats(origin)["articles"] - before["articles"]
            if served >= pages:
                stored = db.clippings()
                if stored >= relevant:
                    break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        codes = [p.wait(timeout=args.timeout) for p in procs]
        after = crawl_bench.server_stats(origin)
        stored = db.clippings()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=60)
        client = redis_client(args.redis)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
        db.drop()
    served = after["articles"] - before["articles"]
    return {
        "workers": workers, "seconds": seconds, "pages_per_second": served / seconds, "articles_served": served,
        "sitemaps_served": after["sitemaps"] - before["sitemaps"], "clippings": stored, "exit_codes": codes,
        "ok": served == pages and stored == relevant and all(c == 0 for c in codes),
    }


def format_report(report: dict[str, Any]) -> str:
    site = report["site"]
    lines = [
        f"distributed benchmark: {site['pages']} article pages ({site['relevant']} relevant), "
        f"{report['machine']['cpus']} cores, database {report['database']}, repeat {report['repeat']} (medians)",
        "",
        f"{'workers':<10}{'seconds':>9}{'pages/s':>10}{'served':>9}{'clippings':>11}  check",
    ]
    for row in report["median"]:
        lines.append(f"{row['workers']:<10}{row['seconds']:>9.2f}{row['pages_per_second']:>10.1f}"
                     f"{row['articles_served']:>9}{row['clippings']:>11}  {'OK' if row['ok'] else 'MISMATCH'}")
    if report["ratio"] is not None:
        lines.append(f"\npages/s, 2 workers / 1 worker: {report['ratio']:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--redis", default=os.environ.get("CLIPPINGS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--db", default=os.environ.get("CLIPPINGS_TEST_POSTGRES_URL",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
                        help="a PostgreSQL URL (a fresh schema per run); SQLite files when it is not reachable")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=RESULTS / "distributed.json")
    args = parser.parse_args(argv)
    if not reachable(args.redis, 6379):
        print(f"distributed benchmark skipped: Redis is not reachable at {urlsplit(args.redis).netloc}")
        return 0
    if args.db and args.db.startswith("postgresql") and not reachable(args.db, 5432):
        args.db = None
    folder = sitegen.build_cache(args.pages, args.seed, sitegen.default_anchor())
    metas, sizes = sitegen.load_manifest(folder)
    relevant = sum(m.relevant for m in metas)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="clippings-dbench-") as tmp:
        work = Path(tmp)
        server, origin = crawl_bench.start_server(folder, work / "server.log", args.timeout * 4)
        try:
            campaign = crawl_bench.write_campaign(work / "campaign.toml", origin)
            for i in range(args.repeat):
                for workers in (1, 2):
                    run = run_once(workers, campaign, origin, len(metas), relevant, args, work, f"w{workers}-{i}")
                    print(f"  {workers} worker(s), run {i + 1}: {run['seconds']:.2f} s, "
                          f"{run['pages_per_second']:.1f} pages/s{'' if run['ok'] else ' MISMATCH'}", flush=True)
                    runs.append(run)
        finally:
            crawl_bench.stop_server(server)
    median = []
    for workers in (1, 2):
        mine = [r for r in runs if r["workers"] == workers]
        seconds = statistics.median(r["seconds"] for r in mine)
        median.append({
            "workers": workers, "seconds": seconds, "pages_per_second": len(metas) / seconds,
            "articles_served": max(r["articles_served"] for r in mine),
            "clippings": min(r["clippings"] for r in mine), "ok": all(r["ok"] for r in mine),
        })
    ratio = median[1]["pages_per_second"] / median[0]["pages_per_second"]
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "site": {"pages": len(metas), "relevant": relevant, "median_bytes": statistics.median(sizes)},
        "database": "postgresql" if args.db else "sqlite", "repeat": args.repeat, "idle_seconds": IDLE_SECONDS,
        "settings": list(POLITENESS), "runs": runs, "median": median, "ratio": ratio,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(format_report(report))
    return 0 if all(r["ok"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())

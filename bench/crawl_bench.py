"""Crawl benchmark: our sitemap crawl into SQLite against a bare Scrapy fetch of the same site.

Generates (or reuses) a site of --pages article pages (50-150 KB each, 5% relevant), serves it on
127.0.0.1, then runs, each in its own subprocess and --repeat times alternating: (1) the bare
spider (bench/bare_spider.py), (2) `clippings crawl --only sitemaps` into a fresh SQLite file;
both with politeness lifted for the local host. For each run it times the wall clock and samples
the RSS of the whole process tree every 50 ms. It checks that the clippings stored equal the
relevant pages, prints a table with the targets and writes bench/results/crawl.json.

Usage: python bench/crawl_bench.py [--pages 5000] [--repeat 1] [--bare-only] [--ours cli|scrapy]
Exit code: 0 when every run succeeded and the counts match (targets are reported, and only fail the
run with --strict), 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import select
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import sitegen

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_BIN = (
    Path(sys.executable).parent
    if (Path(sys.executable).parent / "scrapy").exists()
    else REPO / ".venv" / "bin"
)
RESULTS = BENCH / "results" / "crawl.json"
POLITENESS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32")
MIRRORED_SETTINGS = (
    "USER_AGENT",
    "CONCURRENT_REQUESTS",
    "TWISTED_REACTOR",
    "DOWNLOAD_TIMEOUT",
    "COOKIES_ENABLED",
    "CONCURRENT_ITEMS",  # the framework's per-response task count: the bare spider gets our tuning too
)
FALLBACK_USER_AGENT = "clippings-bench/0.1 (+local benchmark)"
SAMPLE_SECONDS = 0.05
TREE_EVERY = 5  # samples between two walks of the process tree
TARGET_PAGES_PER_SECOND = 150.0
TARGET_RATIO = 1.5
TARGET_RSS_MB = 300.0
MB = 1024 * 1024


@dataclass
class RunResult:
    """One measured crawl."""

    name: str  # "bare" or "ours"
    round: int
    command: list[str]
    exit_code: int
    seconds: float
    pages: int  # article pages on the site
    articles_served: int  # article pages the server answered during the run
    pages_per_second: float
    peak_tree_rss_mb: float  # psutil, summed over the process tree, sampled every 50 ms
    maxrss_mb: float  # wait4() ru_maxrss of the crawl process (largest single process)
    children_maxrss_mb: float  # getrusage(RUSAGE_CHILDREN).ru_maxrss after the run (cumulative)
    cpu_seconds: float  # user + system time of the crawl's process tree
    server_cpu_seconds: float  # user + system time the server spent during the run
    log: str
    extra: dict[str, Any] = field(default_factory=dict)


def list_tree(root: psutil.Process) -> list[psutil.Process]:
    """A process and all its descendants (empty once it is gone)."""
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def sum_rss(procs: list[psutil.Process]) -> int:
    """Bytes of RSS summed over processes (those already gone count 0)."""
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


@dataclass(frozen=True)
class Measured:
    """What one subprocess cost."""

    exit_code: int
    seconds: float  # wall clock, from start to exit
    peak_tree_rss: int  # bytes
    maxrss: int  # bytes, from wait4()
    cpu_seconds: float  # user + system, from wait4()


def run_measured(
    command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float
) -> Measured:
    """Run a command with its output in `log`; sample its tree's RSS every 50 ms until it exits."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        root, peak, status, usage, samples = psutil.Process(proc.pid), 0, 0, None, 0
        while usage is None:
            if samples % TREE_EVERY == 0:  # a walk of /proc costs ~1 ms: not every sample
                tree = list_tree(root)
            peak, samples = max(peak, sum_rss(tree)), samples + 1
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = rusage
            elif time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        proc.returncode, seconds, peak, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    )


def start_server(
    folder: Path, log: Path, max_seconds: float
) -> tuple[subprocess.Popen[bytes], str]:
    """Start bench/server.py in its own process and wait until it listens; it and its origin."""
    command = [
        sys.executable,
        str(BENCH / "server.py"),
        "--site",
        str(folder),
        "--max-seconds",
        str(max_seconds),
        "--stop-on-stdin-eof",
    ]
    with open(log, "wb") as errors:  # the child keeps its own copy of the descriptor
        pipe = subprocess.PIPE
        proc = subprocess.Popen(command, stdin=pipe, stdout=pipe, stderr=errors)
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    line = b""
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            break
    if not line.startswith(b"READY "):
        proc.kill()
        raise RuntimeError(f"the server did not start (see {log})")
    return proc, line.split()[1].decode()


def stop_server(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Close the server's stdin so that it stops; its final counters."""
    try:  # communicate() closes stdin: the server sees EOF and stops
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    for line in out.decode().splitlines():
        if line.startswith("STATS "):
            return json.loads(line[6:])
    return {}


def server_stats(origin: str) -> dict[str, int]:
    """The server's counters so far."""
    with urllib.request.urlopen(f"{origin}/__bench/stats", timeout=10) as answer:
        return json.loads(answer.read())


def write_campaign(path: Path, origin: str) -> Path:
    """The demo campaign, with one outlet: the local site."""
    host = origin.removeprefix("http://")
    path.write_text(
        '[campaign]\nname = "Protect the Results"\n'
        'phrases = ["Protect the Results", "Count Every Vote"]\n'
        'organizations = ["Stand Up America", "Indivisible"]\npeople = ["Sean Eldridge"]\n\n'
        f'[[outlets]]\nname = "Bench News"\ndomains = ["{host}"]\nlanguage = "en"\n'
        f'sitemaps = ["{origin}/sitemap-index.xml"]\n',
        encoding="utf-8",
    )
    return path


def read_project_settings() -> dict[str, Any]:
    """The network settings of our Scrapy project that the bare spider must share."""
    sys.path.insert(0, str(REPO))
    try:
        module = importlib.import_module("clippings.settings")
    except ImportError:
        return {"USER_AGENT": FALLBACK_USER_AGENT}
    finally:
        sys.path.remove(str(REPO))
    found = {name: getattr(module, name) for name in MIRRORED_SETTINGS if hasattr(module, name)}
    found.setdefault("USER_AGENT", FALLBACK_USER_AGENT)
    return found


def detect_ours(choice: str) -> str | None:
    """How to run our crawl: "cli" (`clippings crawl`), "scrapy" (`scrapy crawl`) or None."""
    if choice in ("auto", "cli") and (VENV_BIN / "clippings").exists():
        probe = subprocess.run(
            [str(VENV_BIN / "clippings"), "crawl", "--help"],
            cwd=REPO,
            capture_output=True,
            timeout=120,
        )
        if probe.returncode == 0:
            return "cli"
    if choice in ("auto", "scrapy"):
        probe = subprocess.run(
            [str(VENV_BIN / "scrapy"), "list"], cwd=REPO, capture_output=True, timeout=120
        )
        if probe.returncode == 0 and "sitemaps" in probe.stdout.decode().split():
            return "scrapy"
    return None


def settings_args(settings: list[str]) -> list[str]:
    """`-s NAME=VALUE` pairs."""
    return [arg for setting in settings for arg in ("-s", setting)]


def bare_command(origin: str, stats_file: Path, mirrored: dict[str, Any]) -> list[str]:
    """The bare spider's command line."""
    settings = ["ROBOTSTXT_OBEY=True", *POLITENESS, "LOG_LEVEL=INFO"]
    settings += [f"{name}={value}" for name, value in mirrored.items()]
    return [
        str(VENV_BIN / "scrapy"),
        "runspider",
        str(BENCH / "bare_spider.py"),
        "-a",
        f"index={origin}/sitemap-index.xml",
        "-a",
        f"stats_file={stats_file}",
        *settings_args(settings),
    ]


def ours_command(kind: str, campaign: Path, db_url: str, template: str | None = None) -> list[str]:
    """Our crawl's command line; kind "custom" fills in `template`."""
    settings = settings_args([*POLITENESS, "LOG_LEVEL=INFO"])
    if kind == "custom" and template:
        return [*shlex.split(template.format(campaign=campaign, db_url=db_url)), *settings]
    if kind == "cli":
        return [
            str(VENV_BIN / "clippings"),
            "crawl",
            "--campaign",
            str(campaign),
            "--db",
            db_url,
            "--only",
            "sitemaps",
            *settings,
        ]
    return [
        str(VENV_BIN / "scrapy"),
        "crawl",
        "sitemaps",
        "-a",
        f"campaign={campaign}",
        "-s",
        f"CLIPPINGS_DB={db_url}",
        *settings,
    ]


def count_clippings(db_url: str) -> int | str:
    """Rows in the clippings table, or the error that prevented counting them."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT COUNT(*) FROM clippings")).scalar_one())
    except sa.exc.SQLAlchemyError as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Context:
    """What every run of one benchmark shares."""

    origin: str
    server: psutil.Process
    pages: int  # article pages on the site
    relevant: int  # of which relevant
    logs: Path
    timeout: float


def measure_run(
    ctx: Context, name: str, round_no: int, command: list[str], cwd: Path, env: dict[str, str]
) -> RunResult:
    """Run one crawl and collect its figures, with the server's share of the CPU."""
    before, server_cpu = server_stats(ctx.origin)["articles"], sum(ctx.server.cpu_times()[:2])
    log = ctx.logs / f"{name}-{round_no}.log"
    m = run_measured(command, cwd, env, log, ctx.timeout)
    served = server_stats(ctx.origin)["articles"] - before
    server_cpu = sum(ctx.server.cpu_times()[:2]) - server_cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return RunResult(
        name=name, round=round_no, command=command, exit_code=m.exit_code,
        seconds=round(m.seconds, 3), pages=ctx.pages, articles_served=served,
        pages_per_second=round(ctx.pages / m.seconds, 1),
        peak_tree_rss_mb=round(m.peak_tree_rss / MB, 1), maxrss_mb=round(m.maxrss / MB, 1),
        children_maxrss_mb=round(children / MB, 1), cpu_seconds=round(m.cpu_seconds, 2),
        server_cpu_seconds=round(server_cpu, 2), log=str(log),
    )  # fmt: skip


def summarize(runs: list[RunResult]) -> dict[str, float] | None:
    """Median figures of a list of runs."""
    if not runs:
        return None
    seconds = statistics.median(r.seconds for r in runs)
    return {
        "runs": len(runs),
        "seconds": round(seconds, 3),
        "pages_per_second": round(runs[0].pages / seconds, 1),
        "articles_served": statistics.median(r.articles_served for r in runs),
        "peak_tree_rss_mb": round(statistics.median(r.peak_tree_rss_mb for r in runs), 1),
        "maxrss_mb": round(statistics.median(r.maxrss_mb for r in runs), 1),
        "cpu_seconds": round(statistics.median(r.cpu_seconds for r in runs), 2),
        "server_cpu_seconds": round(statistics.median(r.server_cpu_seconds for r in runs), 2),
    }


def check_targets(
    ours: dict[str, float] | None, ratio: float | None, valid: bool
) -> list[dict[str, Any]]:
    """The issue's targets with pass/fail; None when not measured or when a run failed."""
    if ours is None:
        return []
    checks = (
        (f"ours >= {TARGET_PAGES_PER_SECOND:.0f} pages/s", ours["pages_per_second"],
         ours["pages_per_second"] >= TARGET_PAGES_PER_SECOND),
        (f"ours/bare time <= {TARGET_RATIO}x", ratio, ratio is not None and ratio <= TARGET_RATIO),
        (f"ours peak RSS < {TARGET_RSS_MB:.0f} MB", ours["peak_tree_rss_mb"],
         ours["peak_tree_rss_mb"] < TARGET_RSS_MB),
    )  # fmt: skip
    return [
        {"target": target, "value": value, "pass": passed if valid and value is not None else None}
        for target, value, passed in checks
    ]


def format_report(report: dict[str, Any]) -> str:
    """The plain-text table."""
    site, lines = report["site"], []
    lines.append(
        f"crawl benchmark: {site['pages']} article pages ({site['relevant']} relevant, "
        f"{site['median_bytes'] / 1000:.0f} KB median), {report['machine']['cpus']} cores, "
        f"repeat {report['repeat']} (medians)"
    )
    if report.get("server_throughput"):
        st = report["server_throughput"]
        lines.append(
            f"server alone: {st['requests_per_second']:.0f} pages/s, "
            f"{st['megabytes_per_second']:.0f} MB/s ({st['concurrency']} keep-alive connections)"
        )
    head = ("pages", "fetched", "seconds", "pages/s", "peak RSS MB", "maxrss MB")
    head += ("CPU s", "srv CPU s")
    widths = (7, 9, 9, 9, 13, 11, 8, 11)
    lines += ["", f"{'run':<16}" + "".join(f"{h:>{w}}" for h, w in zip(head, widths, strict=True))]
    labels = {"bare": "bare scrapy", "ours": f"ours ({report.get('ours_kind') or 'n/a'})"}
    for name in ("bare", "ours"):
        m = report["median"].get(name)
        if not m:
            lines.append(f"{labels[name]:<16}{'not run':>7}")
            continue
        cells = (
            site["pages"], f"{m['articles_served']:.0f}", f"{m['seconds']:.2f}",
            f"{m['pages_per_second']:.1f}", f"{m['peak_tree_rss_mb']:.1f}", f"{m['maxrss_mb']:.1f}",
            f"{m['cpu_seconds']:.1f}", f"{m['server_cpu_seconds']:.1f}",
        )  # fmt: skip
        row = "".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        lines.append(f"{labels[name]:<16}{row}")
    if report["ratio"] is not None:
        lines.append(f"\ntime ratio ours/bare: {report['ratio']:.2f}x")
    if report.get("clippings"):
        c = report["clippings"]
        verdict = "OK" if c["ok"] else "MISMATCH"
        lines.append(f"clippings stored: {c['stored']}, relevant pages: {c['expected']}: {verdict}")
    if report["targets"]:
        lines.append("\ntargets:")
        for t in report["targets"]:
            verdict = {True: "PASS", False: "FAIL", None: "n/a"}[t["pass"]]
            lines.append(f"  {t['target']:<30}{t['value']!s:>10}  {verdict}")
    lines.extend(f"\n!!! {problem}" for problem in report["problems"])
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=int, default=5000, help="article pages on the site (default 5000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the pair N times, alternating; report medians"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--bare-only", action="store_true", help="measure only the bare Scrapy fetch"
    )
    parser.add_argument(
        "--ours",
        choices=("auto", "cli", "scrapy"),
        default="auto",
        help="`clippings crawl` (cli), `scrapy crawl sitemaps` (scrapy) or whichever exists",
    )
    parser.add_argument(
        "--ours-command",
        metavar="TEMPLATE",
        help="run this instead (a prototype, say): {campaign} and {db_url} are filled in, "
        "the politeness -s settings appended",
    )
    parser.add_argument(
        "--no-server-check", action="store_true", help="skip measuring the server alone"
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per crawl")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def run_rounds(
    ctx: Context,
    args: argparse.Namespace,
    ours_kind: str | None,
    mirrored: dict[str, Any],
    work: Path,
) -> tuple[list[RunResult], list[dict[str, Any]]]:
    """Run bare and ours `repeat` times, alternating; the runs and the clipping counts."""
    runs: list[RunResult] = []
    checks: list[dict[str, Any]] = []
    campaign = write_campaign(work / "campaign.toml", ctx.origin)
    bare_env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    for round_no in range(1, args.repeat + 1):
        stats_file = work / f"bare-{round_no}.json"
        command = bare_command(ctx.origin, stats_file, mirrored)
        run = measure_run(ctx, "bare", round_no, command, work, bare_env)
        if stats_file.exists():
            counts = json.loads(stats_file.read_text())
            run.extra = {k: v for k, v in counts.items() if k != "stats"}
        runs.append(run)
        print(f"bare round {round_no}: {run.seconds:.2f} s, {run.articles_served} pages")
        if not ours_kind:
            continue
        db_file = work / f"bench-{round_no}.db"
        db_url = f"sqlite:///{db_file}"
        command = ours_command(ours_kind, campaign, db_url, args.ours_command)
        run = measure_run(ctx, "ours", round_no, command, REPO, dict(os.environ))
        stored = count_clippings(db_url) if db_file.exists() else "no database written"
        run.extra = {"clippings_stored": stored, "db": str(db_file)}
        checks.append({"round": round_no, "stored": stored, "ok": stored == ctx.relevant})
        runs.append(run)
        print(f"ours round {round_no}: {run.seconds:.2f} s, {run.articles_served} pages, "
              f"{stored} clippings", flush=True)  # fmt: skip
    return runs, checks


def find_problems(runs: list[RunResult], checks: list[dict[str, Any]], ctx: Context) -> list[str]:
    """Failed runs, missing pages and clipping mismatches, in words."""
    problems = []
    for run in runs:
        if run.exit_code != 0:
            problems.append(f"{run.name} round {run.round} exited with {run.exit_code} ({run.log})")
        if run.articles_served < ctx.pages:
            problems.append(
                f"{run.name} round {run.round} fetched {run.articles_served} of {ctx.pages} pages"
            )
    for check in checks:
        if not check["ok"]:
            problems.append(
                f"CLIPPINGS MISMATCH in round {check['round']}: {check['stored']} stored, "
                f"{ctx.relevant} relevant pages generated"
            )
    return problems


def build_report(
    args: argparse.Namespace, ctx: Context, runs: list[RunResult], checks: list[dict[str, Any]]
) -> dict[str, Any]:
    """Everything the JSON holds, apart from the site, server and problems."""
    median = {name: summarize([r for r in runs if r.name == name]) for name in ("bare", "ours")}
    ours, bare = median["ours"], median["bare"]
    ratio = round(ours["seconds"] / bare["seconds"], 3) if ours and bare else None
    valid = not find_problems(runs, [], ctx)  # figures of failed or partial runs prove nothing
    clippings = None
    if checks:
        ok = all(c["ok"] for c in checks)
        last = checks[-1]["stored"]
        clippings = {"stored": last, "expected": ctx.relevant, "ok": ok, "rounds": checks}
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(),
            "scrapy": importlib.import_module("scrapy").__version__,
        },
        "repeat": args.repeat, "politeness": list(POLITENESS), "median": median, "ratio": ratio,
        "clippings": clippings, "targets": check_targets(ours, ratio, valid),
        "runs": [asdict(r) for r in runs],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table; write the JSON."""
    args = parse_args(argv)
    started = time.perf_counter()
    folder = sitegen.build_cache(args.pages, args.seed, sitegen.default_anchor())
    metas, sizes = sitegen.load_manifest(folder)
    print(f"site: {folder.name} ({time.perf_counter() - started:.1f} s to build or load)")
    ours_kind = "custom" if args.ours_command else detect_ours(args.ours)
    ours_kind = None if args.bare_only else ours_kind
    mirrored = read_project_settings()
    work = Path(tempfile.mkdtemp(prefix="clippings-bench-"))
    logs = args.out.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    lifetime = args.timeout * 2 * args.repeat + 600
    server, origin = start_server(folder, logs / "server.log", max_seconds=lifetime)
    relevant = sum(m.relevant for m in metas)
    ctx = Context(origin, psutil.Process(server.pid), args.pages, relevant, logs, args.timeout)
    throughput = None
    try:
        if not args.no_server_check:
            throughput = measure_server(origin, [m.path for m in metas])
            print(f"server alone: {throughput['requests_per_second']:.0f} pages/s", flush=True)
        runs, checks = run_rounds(ctx, args, ours_kind, mirrored, work)
    finally:
        final_server_stats = stop_server(server)
    problems = find_problems(runs, checks, ctx)
    if not args.bare_only and ours_kind is None:
        problems.append("our crawl cannot run: no `clippings crawl`, no `scrapy crawl sitemaps`")
    report = build_report(args, ctx, runs, checks)
    report |= {
        "site": {
            "pages": args.pages, "relevant": relevant, "seed": args.seed, "cache": str(folder),
            "min_bytes": min(sizes), "median_bytes": statistics.median(sizes),
            "max_bytes": max(sizes),
        },
        "ours_kind": ours_kind, "mirrored_settings": mirrored, "server_throughput": throughput,
        "server_final_stats": final_server_stats, "problems": problems, "work_dir": str(work),
    }  # fmt: skip
    print()
    print(format_report(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten: {args.out}")
    failed_targets = any(t["pass"] is False for t in report["targets"])
    return 1 if problems or (args.strict and failed_targets) else 0


def measure_server(origin: str, paths: list[str]) -> dict[str, float]:
    """The server's own throughput, measured by a concurrent client in this process."""
    import server

    return server.measure_throughput(origin, paths, concurrency=32)


if __name__ == "__main__":
    sys.exit(main())

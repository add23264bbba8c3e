"""Soak: the jobs process polls many changing local feeds while the dashboard is read and feeds
are edited through the CLI; report errors, lost articles, duplicates and latencies.

  * A local FeedServer serves --feeds feeds. Each feed shows its newest 30 items; items are real
    headlines and texts from jobs/demo_feeds, each made unique per feed. Every --change-seconds a
    tenth of the feeds gets a new item (FeedServer.set_content).
  * `python -m jobs --db X jobs` (TONEWATCH_POLL_SECONDS=1, DEBUG log for the writer's lock wait)
    polls them; each feed is checked every minute, as `--every 1` allows.
  * A child process renders the dashboard pages again and again with streamlit's AppTest (caches
    cleared before each render, so every render queries DuckDB) and times each render.
  * Every --edit-seconds a `python -m jobs --db X feeds add|disable|enable` command runs.
  * Half way through, storage.backup.backup() copies the database; at the end the copy is restored
    into a new file and checked (every article with its country rows, aggregates equal a rebuild).
  * At the end changes stop, every enabled feed is made due, and once each has stored the content
    it serves now the jobs process is stopped and the database is compared with what the server
    served: every served entry that mentions a country (computed with core.ingest, as the jobs
    process does) must be stored, once.

    .venv/bin/python bench/soak.py [--minutes 5] [--feeds 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import harness  # noqa: E402
from bench.harness import check_database  # noqa: E402
from core import identity  # noqa: E402
from core.config import Settings, load_settings  # noqa: E402
from core.errors import UserFacingError  # noqa: E402
from core.ingest import articles_from_feed, score_all  # noqa: E402
from core.parse import parse_feed  # noqa: E402
from storage import feeds as feed_store  # noqa: E402
from storage.backup import backup, restore  # noqa: E402
from storage.db import connect  # noqa: E402
from tests.support.feed_server import Content, FeedServer  # noqa: E402

APP = REPO / "dashboard" / "app.py"
PAGES = ("overview", "country", "compare", "articles", "feeds", "reports", "method")
WINDOW = 30
FIRST_ITEMS = 8
_WAIT = re.compile(r"db unit write=True wait_ms=(\d+) hold_ms=(\d+)")


@dataclass(frozen=True)
class SoakConfig:
    """How long and how big the soak is."""

    workdir: Path
    seconds: float = 300.0
    feeds: int = 200
    change_seconds: float = 3.0
    edit_seconds: float = 5.0
    seed: int = 5


@dataclass
class SoakReport:
    """What every side saw."""

    seconds: float = 0.0
    feeds: int = 0
    content_changes: int = 0
    jobs_errors: list[str] = field(default_factory=list)
    jobs_warnings: list[str] = field(default_factory=list)
    ticks_skipped: int = 0
    jobs_peak_rss_mb: float = 0.0
    writer_waits_ms: list[int] = field(default_factory=list)
    writer_holds_ms: list[int] = field(default_factory=list)
    cli_edits: int = 0
    cli_errors: list[str] = field(default_factory=list)
    cli_seconds: list[float] = field(default_factory=list)
    dashboard_renders: int = 0
    dashboard_errors: list[str] = field(default_factory=list)
    dashboard_warnings: list[str] = field(default_factory=list)
    backup_seconds: float = 0.0
    backup_articles: int = 0
    backup_problems: dict[str, int] = field(default_factory=dict)
    dashboard_seconds: list[float] = field(default_factory=list)
    served_items: int = 0
    expected_articles: int = 0
    stored_articles: int = 0
    lost: int = 0
    duplicates: int = 0
    drained: bool = False


# ---- the changing feeds ----------------------------------------------------------------------


class SoakFeeds:
    """The feeds' contents: at version v a feed shows its newest WINDOW of v + FIRST_ITEMS items."""

    def __init__(self, server: FeedServer, pool: list[tuple[str, str]], seed: int) -> None:
        self.server = server
        self.pool = pool
        self.version: dict[int, int] = {}
        self.by_etag: dict[str, tuple[int, int]] = {}
        self.current: dict[int, str] = {}
        self.dated: dict[tuple[int, int], datetime] = {}
        self.offset = random.Random(seed).randrange(len(pool))
        self.lock = threading.Lock()

    @staticmethod
    def path(feed: int) -> str:
        """The URL path of a feed."""
        return f"/soak-{feed:03d}.xml"

    def _item(self, feed: int, number: int) -> bytes:
        title, text = self.pool[(self.offset + feed * 7919 + number) % len(self.pool)]
        when = self.dated.setdefault((feed, number), datetime.now(UTC))
        link = f"https://soak.example/{feed}/{number}"
        return (
            f"<item><title>{escape(title)} [{feed}.{number}]</title><link>{link}</link>"
            f"<guid>{link}</guid><pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
            f"<description>{escape(text)}</description></item>"
        ).encode()

    def items(self, feed: int, version: int) -> range:
        """The item numbers a feed shows at a version."""
        newest = version + FIRST_ITEMS
        return range(max(0, newest - WINDOW), newest)

    def document(self, feed: int, numbers: range | list[int]) -> bytes:
        """An RSS document with these items of a feed, newest first."""
        head = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Soak {feed}</title><link>https://soak.example/{feed}</link>"
            f"<description>soak</description>"
        ).encode()
        body = b"".join(self._item(feed, n) for n in sorted(numbers, reverse=True))
        return head + body + b"</channel></rss>"

    def publish(self, feed: int) -> str:
        """Serve the next version of a feed (the first one on the first call); return its ETag."""
        with self.lock:
            version = self.version.get(feed, -1) + 1
            self.version[feed] = version
            content = self.server.set_content(
                self.path(feed), self.document(feed, self.items(feed, version))
            )
            self.by_etag[content.etag] = (feed, version)
            self.current[feed] = content.etag
            return content.etag

    @staticmethod
    def number(url: str) -> int:
        """The feed number in a feed URL."""
        return int(url.rsplit("-", 1)[-1].removesuffix(".xml"))


class RecordingServer(FeedServer):
    """A FeedServer that remembers which version of each document it handed out."""

    def __init__(self) -> None:
        super().__init__()
        self.handed_out: set[str] = set()

    def content(self, path: str) -> Content | None:
        """The document at path, noting its ETag as served."""
        found = super().content(path)
        if found is not None:
            self.handed_out.add(found.etag)
        return found


# ---- the sides -------------------------------------------------------------------------------


def jobs_env(settings: Settings, level: str = "DEBUG") -> dict[str, str]:
    """The environment of the jobs and CLI children."""
    return harness.jobs_env(settings, level)


@contextmanager
def jobs_process(settings: Settings, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run the jobs process for the block; stop it with SIGTERM after."""
    jobs = harness.start_jobs(settings.db, log_path, jobs_env(settings))
    try:
        yield jobs
    finally:
        harness.stop(jobs)


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a live process, in MB (0 when unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def dashboard_worker(db: Path, until: float, out: Path) -> None:
    """Child process: render every page with AppTest until `until`; write latencies as JSON."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["TONEWATCH_DB"] = str(db)
    seconds: list[float] = []
    errors: list[str] = []
    warnings: list[str] = []
    while time.time() < until:
        for page in PAGES:
            st.cache_data.clear()
            started = time.perf_counter()
            at = AppTest.from_file(str(APP), default_timeout=120).run()
            if page != "overview":
                at.switch_page(f"app_pages/{page}.py").run()
            seconds.append(time.perf_counter() - started)
            errors += [f"{page}: {e.value}"[:300] for e in (*at.exception, *at.error)]
            warnings += [f"{page}: {w.value}"[:160] for w in at.warning]
            if time.time() >= until:
                break
    out.write_text(json.dumps({"seconds": seconds, "errors": errors, "warnings": warnings}))


def start_dashboard_worker(settings: Settings, until: float, out: Path) -> subprocess.Popen[bytes]:
    """Start the dashboard-reading child."""
    return subprocess.Popen(
        [sys.executable, __file__, "--dashboard-worker", str(settings.db), str(until), str(out)],
        cwd=REPO,
        env=jobs_env(settings, "WARNING"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def cli_edit(settings: Settings, args: list[str], report: SoakReport) -> None:
    """Run one `python -m jobs --db X ...` edit and note its time and any error."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "jobs", "--db", str(settings.db), *args],
        cwd=REPO,
        env=jobs_env(settings, "WARNING"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    report.cli_seconds.append(time.perf_counter() - started)
    report.cli_edits += 1
    if done.returncode != 0:
        report.cli_errors.append(f"{' '.join(args)}: {done.stderr.strip()[:300]}")


def _feed_ids(settings: Settings) -> dict[int, tuple[int, bool]]:
    """feed number -> (feed id, enabled)."""
    with connect(settings) as conn:
        return {SoakFeeds.number(f.url): (f.id, f.is_enabled) for f in feed_store.list_feeds(conn)}


def edit_loop(
    settings: Settings,
    feeds: SoakFeeds,
    server: FeedServer,
    stop: threading.Event,
    config: SoakConfig,
    report: SoakReport,
) -> None:
    """Add, pause and resume feeds through the CLI until stop is set."""
    rng = random.Random(config.seed + 1)
    next_new = config.feeds
    while not stop.wait(config.edit_seconds):
        known = _feed_ids(settings)
        paused = [fid for fid, on in known.values() if not on]
        action = rng.choice(["add", "disable", "enable"] if paused else ["add", "disable"])
        if action == "add":
            feeds.publish(next_new)
            cli_edit(
                settings,
                [
                    "feeds",
                    "add",
                    server.url(SoakFeeds.path(next_new)),
                    "--title",
                    f"soak-{next_new:03d}",
                    "--every",
                    "1",
                ],
                report,
            )
            next_new += 1
        elif action == "disable":
            enabled = [fid for fid, on in known.values() if on]
            cli_edit(settings, ["feeds", "disable", str(rng.choice(enabled))], report)
        else:
            cli_edit(settings, ["feeds", "enable", str(rng.choice(paused))], report)


def change_loop(
    feeds: SoakFeeds, stop: threading.Event, config: SoakConfig, report: SoakReport
) -> None:
    """Give a tenth of the feeds a new item every change_seconds until stop is set."""
    rng = random.Random(config.seed + 2)
    while not stop.wait(config.change_seconds):
        numbers = list(feeds.version)
        for feed in rng.sample(numbers, max(1, len(numbers) // 10)):
            feeds.publish(feed)
            report.content_changes += 1


# ---- the end ---------------------------------------------------------------------------------


def drain(
    settings: Settings, feeds: SoakFeeds, jobs: subprocess.Popen[bytes], timeout: float
) -> bool:
    """Make every enabled feed due until each has stored what it serves now; True if all did."""
    served = {SoakFeeds.path(feed): etag for feed, etag in feeds.current.items()}
    harness.make_due(settings, harness.feeds_behind(settings, served))
    behind = harness.wait_until_stored(settings, served, jobs, timeout)
    return not behind and jobs.poll() is None


def served_items(feeds: SoakFeeds, handed_out: set[str]) -> dict[int, set[int]]:
    """feed number -> every item number the server handed out in some version."""
    served: dict[int, set[int]] = {}
    for etag in handed_out:
        if etag in feeds.by_etag:
            feed, version = feeds.by_etag[etag]
            served.setdefault(feed, set()).update(feeds.items(feed, version))
    return served


def expected_keys(feeds: SoakFeeds, served: dict[int, set[int]]) -> set[str]:
    """url_keys of the served entries that mention a country, computed as the jobs process does."""
    keys = set()
    now = datetime.now(UTC)
    for feed, numbers in served.items():
        parsed = parse_feed(feeds.document(feed, sorted(numbers)), "")
        for scored in score_all(articles_from_feed(parsed, None, f"soak-{feed:03d}", now)):
            a = scored.article
            if scored.tones:
                keys.add(identity.url_key(a.url, a.guid, a.source, a.title, a.text))
    return keys


def compare(settings: Settings, feeds: SoakFeeds, handed_out: set[str], report: SoakReport) -> None:
    """Fill in served, expected, stored, lost and duplicates."""
    served = served_items(feeds, handed_out)
    report.served_items = sum(len(n) for n in served.values())
    expected = expected_keys(feeds, served)
    with connect(settings) as conn:
        stored = {
            str(r[0])
            for r in conn.execute("SELECT url_key FROM articles WHERE country_count > 0").fetchall()
        }
        report.duplicates = harness.duplicate_articles(conn)
    report.expected_articles = len(expected)
    report.stored_articles = len(stored)
    report.lost = len(expected - stored)


def read_jobs_log(log_path: Path, report: SoakReport) -> None:
    """Collect the writer's lock waits, errors and warnings from the jobs log."""
    for line in log_path.read_text(errors="replace").splitlines():
        if match := _WAIT.search(line):
            report.writer_waits_ms.append(int(match.group(1)))
            report.writer_holds_ms.append(int(match.group(2)))
        if " ERROR " in line or "Traceback" in line:
            report.jobs_errors.append(line[:300])
        elif "maximum number of running instances reached" in line:
            report.ticks_skipped += 1  # a pass took longer than the 1 s poll: coalesced, by design
        elif " WARNING " in line:
            report.jobs_warnings.append(line[:300])


# ---- the run ---------------------------------------------------------------------------------


def _setup(config: SoakConfig, server: FeedServer) -> tuple[Settings, SoakFeeds]:
    settings = harness.settings_in(config.workdir, "soak.duckdb")
    feeds = SoakFeeds(server, harness.real_entries(), config.seed)
    for feed in range(config.feeds):
        feeds.publish(feed)
    harness.watch_feeds(settings, server, [SoakFeeds.path(feed) for feed in range(config.feeds)])
    return settings, feeds


def _collect_dashboard(out: Path, report: SoakReport) -> None:
    if not out.exists():
        report.dashboard_errors.append("the dashboard worker wrote no results")
        return
    data = json.loads(out.read_text())
    report.dashboard_seconds = data["seconds"]
    report.dashboard_renders = len(data["seconds"])
    report.dashboard_errors += data["errors"]
    report.dashboard_warnings = data["warnings"]


def run_soak(config: SoakConfig) -> SoakReport:
    """Run the soak and return what every side saw."""
    report = SoakReport(feeds=config.feeds)
    started = time.monotonic()
    server = RecordingServer()
    with server:
        settings, feeds = _setup(config, server)
        log_path = config.workdir / "jobs.log"
        out = config.workdir / "dashboard.json"
        stop = threading.Event()
        with jobs_process(settings, log_path) as jobs:
            worker = start_dashboard_worker(settings, time.time() + config.seconds, out)
            threads = [
                threading.Thread(target=change_loop, args=(feeds, stop, config, report)),
                threading.Thread(
                    target=edit_loop, args=(settings, feeds, server, stop, config, report)
                ),
            ]
            for thread in threads:
                thread.start()
            time.sleep(config.seconds / 2)
            backup_midway(settings, config.workdir, report)
            time.sleep(config.seconds / 2)
            stop.set()
            for thread in threads:
                thread.join()
            worker.wait(timeout=600)
            report.drained = drain(settings, feeds, jobs, timeout=max(120.0, config.seconds))
            report.jobs_peak_rss_mb = peak_rss_mb(jobs.pid)
            if jobs.poll() is not None:
                report.jobs_errors.append(f"the jobs process exited with {jobs.returncode}")
        _collect_dashboard(out, report)
        read_jobs_log(log_path, report)
        compare(settings, feeds, set(server.handed_out), report)
        check_backup(settings, config.workdir, report)
    report.seconds = time.monotonic() - started
    return report


def backup_midway(settings: Settings, workdir: Path, report: SoakReport) -> None:
    """Take a backup while every side is busy; note how long it took and what it holds."""
    started = time.perf_counter()
    try:
        manifest = backup(settings, workdir / "backup")
    except UserFacingError as exc:  # BackupError, StorageError, LockTimeoutError
        report.backup_problems["error"] = 1
        report.cli_errors.append(f"backup: {exc}")
        return
    report.backup_seconds = time.perf_counter() - started
    report.backup_articles = manifest.rows.get("articles", 0)


def check_backup(settings: Settings, workdir: Path, report: SoakReport) -> None:
    """Restore the mid-soak backup into a new file and check its invariants."""
    if not (workdir / "backup").exists() or report.backup_problems:
        return
    restored = load_settings({}, db=workdir / "restored.duckdb", data_dir=settings.data_dir)
    restore(restored, workdir / "backup")
    check = check_database(restored.db, "restored backup")
    report.backup_problems = check.problems() if check.opened else {"not opened": 1}
    if check.articles != report.backup_articles:
        report.backup_problems["article count differs from the manifest"] = 1


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def print_report(report: SoakReport) -> None:
    """Print the figures."""
    dash, waits = report.dashboard_seconds, [float(w) for w in report.writer_waits_ms]
    holds = [float(h) for h in report.writer_holds_ms]
    print(
        f"soak: {report.seconds:.0f} s, {report.feeds} feeds at the start,"
        f" {report.content_changes} content changes, {report.cli_edits} CLI edits"
    )
    print(
        f"errors: jobs {len(report.jobs_errors)}, dashboard {len(report.dashboard_errors)},"
        f" CLI {len(report.cli_errors)}; jobs warnings {len(report.jobs_warnings)},"
        f" dashboard warnings {len(report.dashboard_warnings)}; ticks skipped while a pass ran"
        f" {report.ticks_skipped}"
    )
    for text, count in Counter(report.dashboard_warnings).most_common(3):
        print(f"  dashboard warning x{count}: {text}")
    for line in (report.jobs_errors + report.dashboard_errors + report.cli_errors)[:10]:
        print(f"  {line}")
    for line in report.jobs_warnings[:5]:
        print(f"  {line}")
    print(
        f"articles: {report.served_items} items served, {report.expected_articles} name a"
        f" country, {report.stored_articles} stored with countries; lost {report.lost},"
        f" duplicates {report.duplicates}; all feeds caught up at the end: {report.drained}"
    )
    print(
        f"dashboard: {report.dashboard_renders} page renders (caches cleared), p50"
        f" {_percentile(dash, 50):.2f} s, p99 {_percentile(dash, 99):.2f} s,"
        f" max {max(dash, default=0):.2f} s"
    )
    print(
        f"writer lock wait (jobs): {len(waits)} write units, p50 {_percentile(waits, 50):.0f} ms,"
        f" p99 {_percentile(waits, 99):.0f} ms, max {max(waits, default=0):.0f} ms; held p50"
        f" {_percentile(holds, 50):.0f} ms, p99 {_percentile(holds, 99):.0f} ms,"
        f" max {max(holds, default=0):.0f} ms"
    )
    print(
        f"backup taken mid-soak while every side ran: {report.backup_seconds:.1f} s,"
        f" {report.backup_articles} articles; restored and checked:"
        f" {report.backup_problems or 'no problems'}"
    )
    print(
        f"CLI edits: p50 {_percentile(report.cli_seconds, 50):.2f} s,"
        f" max {max(report.cli_seconds, default=0):.2f} s; jobs peak RSS"
        f" {report.jobs_peak_rss_mb:.0f} MB"
    )


def main() -> int:
    """Run the soak and print the figures; exit 1 on any error, loss or duplicate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--dashboard-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dashboard_worker:
        db, until, out = args.dashboard_worker
        dashboard_worker(Path(db), float(until), Path(out))
        return 0
    with tempfile.TemporaryDirectory(prefix="tonewatch-soak-") as tmp:
        config = SoakConfig(args.keep or Path(tmp), seconds=args.minutes * 60, feeds=args.feeds)
        report = run_soak(config)
    print_report(report)
    bad = report.jobs_errors or report.dashboard_errors or report.cli_errors
    failed = bool(bad or report.backup_problems)
    return 1 if failed or report.lost or report.duplicates or not report.drained else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Crash test: SIGKILL the jobs process at random moments during ingest, restart it, check the data.

A local FeedServer serves --feeds feeds built from the real snapshots in jobs/demo_feeds (feed i
uses snapshot i mod 33; later copies get their item links moved to a host of their own). Each of
--rounds rounds serves a longer slice of every feed's items, so every round brings new articles.
`python -m jobs --db X jobs` polls every second. Round 0 runs undisturbed and times a pass; in
each later round the process is killed with SIGKILL (--kills in all, spread over the rounds) at
a random moment inside the time that round's pass should take, and after each kill the database
is opened and checked before the process is restarted:

  * every article has exactly as many country rows as it counts (country_count; articles naming no
    country are kept as stubs with country_count 0), and every country or topic row its article;
  * no url_key twice, no two articles of one source with the same title within 7 days;
  * country_daily and source_daily equal a rebuild from the rows.

At the end the content (the set of url_keys, and every country row by url_key) is compared with
a run that never crashed: the same rounds through refresh_due_feeds in this process.

    .venv/bin/python bench/crash.py [--feeds 60] [--rounds 8] [--kills 21] [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402

from bench import harness  # noqa: E402
from bench.harness import Check, check_database  # noqa: E402
from core.config import Settings  # noqa: E402
from jobs.refresh import refresh_due_feeds  # noqa: E402
from tests.support.feed_server import FeedServer  # noqa: E402

DEMO_FEEDS = REPO / "jobs" / "demo_feeds"
_ITEM = re.compile(rb"<(item|entry)[\s>].*?</\1\s*>", re.DOTALL)
_URL = re.compile(rb"(https?://)")
ROUND_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class CrashConfig:
    """How big the crash run is."""

    workdir: Path
    feeds: int = 60
    rounds: int = 8
    kills: int = 21
    seed: int = 7


@dataclass
class CrashReport:
    """What the crash run saw."""

    kills: int = 0
    kills_with_work_pending: int = 0
    jobs_exited_early: int = 0
    checks: list[Check] = field(default_factory=list)
    reference_articles: int = 0
    reference_tone_rows: int = 0
    final_articles: int = 0
    missing_url_keys: int = 0
    extra_url_keys: int = 0
    tone_rows_differing: int = 0
    seconds: float = 0.0


# ---- content ---------------------------------------------------------------------------------


def _split(document: bytes) -> tuple[bytes, list[bytes], bytes]:
    items = list(_ITEM.finditer(document))
    if not items:
        return document, [], b""
    head, tail = document[: items[0].start()], document[items[-1].end() :]
    return head, [m.group(0) for m in items], tail


def feed_document(snapshots: list[bytes], feed: int, round_number: int, rounds: int) -> bytes:
    """The document feed `feed` serves in round `round_number`: a growing slice of its items."""
    head, items, tail = _split(snapshots[feed % len(snapshots)])
    copy = feed // len(snapshots)
    if copy:
        items = [_URL.sub(rb"\1copy%d." % copy, item) for item in items]
    shown = math.ceil(len(items) * (round_number + 1) / rounds)
    return head + b"\n".join(items[:shown]) + tail


def load_snapshots() -> list[bytes]:
    """The real feed snapshots, in name order."""
    return [p.read_bytes() for p in sorted(DEMO_FEEDS.glob("*.xml"))]


def serve_round(
    server: FeedServer, snapshots: list[bytes], feeds: int, number: int, rounds: int
) -> dict[str, str]:
    """Serve round `number` on every feed path; return the ETag each path now has."""
    etags = {}
    for feed, path in enumerate(feed_paths(feeds)):
        etags[path] = server.set_content(path, feed_document(snapshots, feed, number, rounds)).etag
    return etags


def feed_paths(feeds: int) -> list[str]:
    """The URL path of every feed."""
    return [f"/feed-{feed:03d}.xml" for feed in range(feeds)]


# ---- checks ----------------------------------------------------------------------------------


def content_of(db: Path) -> tuple[set[str], set[tuple[object, ...]]]:
    """The url_keys and the country rows (by url_key) of a database."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        keys = {str(r[0]) for r in conn.execute("SELECT url_key FROM articles").fetchall()}
        tones = set(
            conn.execute(
                "SELECT a.url_key, t.iso3, round(t.tone, 9), t.label, t.sentences, t.mentions,"
                " t.evidence FROM article_tones t JOIN articles a ON a.id = t.article_id"
            ).fetchall()
        )
    finally:
        conn.close()
    return keys, tones


# ---- the jobs process ------------------------------------------------------------------------


def start_jobs(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """Start `python -m jobs --db X jobs`, logging to log_path."""
    return harness.start_jobs(settings.db, log_path, harness.jobs_env(settings, "INFO"))


def wait_until_stored(
    settings: Settings, served: dict[str, str], jobs: subprocess.Popen[bytes]
) -> None:
    """Wait until the jobs process has stored this round on every feed."""
    pending = harness.wait_until_stored(settings, served, jobs, ROUND_TIMEOUT_SECONDS)
    if pending and jobs.poll() is not None:
        raise RuntimeError(f"the jobs process exited with {jobs.returncode}")
    if pending:
        raise RuntimeError(f"{len(pending)} feeds never stored this round")


@contextmanager
def running_jobs(settings: Settings, log_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Keep a handle to the current jobs process; stop whichever is current at the end."""
    holder = [start_jobs(settings, log_path)]
    try:
        yield holder
    finally:
        harness.kill(holder[0])


# ---- the runs --------------------------------------------------------------------------------


def reference_run(config: CrashConfig, snapshots: list[bytes]) -> Path:
    """Ingest every round in this process without crashing; return the database."""
    settings = harness.settings_in(config.workdir / "reference")
    with FeedServer() as server:
        harness.watch_feeds(settings, server, feed_paths(config.feeds))
        for number in range(config.rounds):
            serve_round(server, snapshots, config.feeds, number, config.rounds)
            summary = refresh_due_feeds(settings, datetime.now(UTC), include_all=True)
            if summary.count("error"):
                raise RuntimeError(f"reference round {number}: {summary.count('error')} errors")
    return settings.db


def _kill_plan(config: CrashConfig) -> list[int]:
    """Kills in rounds 1 .. rounds-1 (round 0 times an uninterrupted pass)."""
    rounds = max(1, config.rounds - 1)
    per_round = [config.kills // rounds] * rounds
    for number in range(config.kills % rounds):
        per_round[number] += 1
    return per_round


def _kill_once(
    settings: Settings,
    served: dict[str, str],
    holder: list[subprocess.Popen[bytes]],
    delay: float,
    report: CrashReport,
    label: str,
    log_path: Path,
) -> None:
    time.sleep(delay)
    if holder[0].poll() is not None:
        report.jobs_exited_early += 1
    harness.kill(holder[0])  # before looking: a reader would wait for the writer to finish
    pending = len(harness.feeds_behind(settings, served))
    report.kills += 1
    report.kills_with_work_pending += pending > 0
    check = check_database(settings.db, label)
    report.checks.append(check)
    print(
        f"  {label}: killed {delay:.1f} s into its work, {pending}/{len(served)} feeds left"
        f" unstored; opens={check.opened} articles={check.articles}"
        f" (no country: {check.articles_without_country}) tone_rows={check.tone_rows}"
        f" problems={check.problems() or 'none'}",
        flush=True,
    )
    offset = log_path.stat().st_size
    holder[0] = start_jobs(settings, log_path)
    harness.wait_until_started(log_path, offset, holder[0])


def crashing_run(config: CrashConfig, snapshots: list[bytes], report: CrashReport) -> Path:
    """Ingest every round with the jobs process, killing it during ingest; return the db.

    Round 0 runs without a kill and times a whole pass; each kill falls at a random moment inside
    that much time after the (re)started process is up, while this round still has work left.
    A kill not used in one round (its work was done) carries over to the next.
    """
    settings = harness.settings_in(config.workdir / "crashing")
    rng = random.Random(config.seed)
    log_path = config.workdir / "crashing" / "jobs.log"
    log_path.touch()
    with FeedServer() as server:
        harness.watch_feeds(settings, server, feed_paths(config.feeds))
        served = serve_round(server, snapshots, config.feeds, 0, config.rounds)
        started = time.monotonic()
        with running_jobs(settings, log_path) as holder:
            harness.wait_until_started(log_path, 0, holder[0])
            started = time.monotonic()
            wait_until_stored(settings, served, holder[0])
            first_pass = time.monotonic() - started
            print(f"  round 0: stored in {first_pass:.1f} s without a kill", flush=True)
            owed = 0
            for number, kills in enumerate(_kill_plan(config), start=1):
                served = serve_round(server, snapshots, config.feeds, number, config.rounds)
                harness.make_due(settings, harness.feeds_behind(settings, served))
                owed += kills
                while owed and harness.feeds_behind(settings, served):
                    delay = rng.uniform(0.1, first_pass)
                    _kill_once(
                        settings,
                        served,
                        holder,
                        delay,
                        report,
                        f"round {number} kill {report.kills + 1}",
                        log_path,
                    )
                    owed -= 1
                wait_until_stored(settings, served, holder[0])
    report.checks.append(check_database(settings.db, "final"))
    return settings.db


def run_crash_scenario(config: CrashConfig) -> CrashReport:
    """Run the reference and the crashing run; return what was seen."""
    started = time.monotonic()
    snapshots = load_snapshots()
    report = CrashReport()
    reference = reference_run(config, snapshots)
    print(
        f"reference run (never crashed): {config.rounds} rounds of {config.feeds} feeds done",
        flush=True,
    )
    crashed = crashing_run(config, snapshots, report)
    ref_keys, ref_tones = content_of(reference)
    keys, tones = content_of(crashed)
    report.reference_articles, report.reference_tone_rows = len(ref_keys), len(ref_tones)
    report.final_articles = len(keys)
    report.missing_url_keys = len(ref_keys - keys)
    report.extra_url_keys = len(keys - ref_keys)
    report.tone_rows_differing = len(ref_tones ^ tones)
    report.seconds = time.monotonic() - started
    return report


def print_report(report: CrashReport) -> None:
    """Print the figures."""
    bad = [c for c in report.checks if not c.opened or c.problems()]
    print(
        f"kills: {report.kills} (with work pending: {report.kills_with_work_pending});"
        f" jobs exited on its own: {report.jobs_exited_early}"
    )
    print(
        f"checks after each kill and at the end: {len(report.checks)};"
        f" failed to open: {sum(not c.opened for c in report.checks)};"
        f" with invariant violations: {len(bad)}"
    )
    print(
        f"final: {report.final_articles} articles vs {report.reference_articles} in the run that"
        f" never crashed; missing {report.missing_url_keys}, extra {report.extra_url_keys},"
        f" country rows differing {report.tone_rows_differing}"
        f" (of {report.reference_tone_rows})"
    )
    print(f"took {report.seconds:.0f} s")


def main() -> int:
    """Run the crash test and print the figures; exit 1 if any invariant broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--kills", type=int, default=21)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonewatch-crash-") as tmp:
        workdir = args.keep or Path(tmp)
        config = CrashConfig(workdir, args.feeds, args.rounds, args.kills, args.seed)
        report = run_crash_scenario(config)
    print_report(report)
    failed = any(not c.opened or c.problems() for c in report.checks)
    failed |= bool(report.missing_url_keys or report.extra_url_keys or report.tone_rows_differing)
    return 1 if failed or report.jobs_exited_early else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time the dashboard on the benchmark database: each page's data queries, then a whole render.

Queries are timed as the dashboard runs them (one read connection under the file lock per page
bundle), median of a few runs, for the default period (last 30 days) and for all three years.
A page render is AppTest running the page with empty caches (cold) and again (warm).
Then each page's data again while a busy jobs process runs beside it (the jobs' own refresh,
topics, alerts and checkpoint steps over local feeds that always have new items, passes back to
back), against the same pages idle: median and worst of BUSY_ROUNDS rounds.
Targets: every query < 300 ms, every cold page < 2 s, pages no more than 2x slower while the
jobs write. BENCH_WRITER_LOG=path keeps the jobs' debug log (each lock unit's wait and hold).
Usage: python bench/make_bench_db.py && python bench/bench_dashboard.py [path]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.config import Settings, load_settings  # noqa: E402
from core.reports import ReportRequest  # noqa: E402
from dashboard.app_pages import PAGE_NAMES  # noqa: E402
from storage import feeds, queries  # noqa: E402
from storage import reports as report_store  # noqa: E402
from storage.articles import continue_article_ids  # noqa: E402
from storage.db import Connection, connect, ensure_database  # noqa: E402
from storage.queries import ArticleFilter, Scope  # noqa: E402

QUERY_TARGET_MS = 300.0
PAGE_TARGET_S = 2.0
RUNS = 3
JOBS_FEEDS = 30
BUSY_ROUNDS = 15
BUSY_WARMUP_SECONDS = 5.0
Query = Callable[[Connection, Scope], Any]


def _top(conn: Connection, scope: Scope, n: int = 6) -> list[str]:
    return queries.top_countries(conn, scope, n)


def _page_queries(iso3: str) -> dict[str, list[tuple[str, Query]]]:
    """Return, per page, the queries it runs with the default widgets."""
    everything = Scope(date(1900, 1, 1), date(9000, 1, 1))
    some = ArticleFilter(text="met on 4242")
    russia = ArticleFilter(countries=(iso3,), tone_min=-1.0, tone_max=-0.3)
    return {
        "sidebar": [
            ("status", lambda c, s: (queries.data_bounds(c), queries.headline(c, everything))),
            ("source_names", lambda c, s: queries.source_names(c)),
            ("country_codes", lambda c, s: queries.country_codes(c)),
        ],
        "overview": [
            ("headline", queries.headline),
            ("top_countries", _top),
            (
                "country_series(6, day)",
                lambda c, s: queries.country_series(c, s, _top(c, s), "day", 5),
            ),
            ("country_totals (map)", lambda c, s: queries.country_totals(c, s, 5)),
        ],
        "country": [
            ("country_series(1, day)", lambda c, s: queries.country_series(c, s, [iso3], "day", 5)),
            ("country_sources", lambda c, s: queries.country_sources(c, s, iso3)),
            ("co_mentions", lambda c, s: queries.co_mentions(c, s, iso3)),
            ("tone_histogram", lambda c, s: queries.tone_histogram(c, s, iso3)),
            (
                "extreme_articles x2",
                lambda c, s: (
                    queries.extreme_articles(c, s, iso3, True),
                    queries.extreme_articles(c, s, iso3, False),
                ),
            ),
        ],
        "compare": [
            (
                "country_series(4, day)",
                lambda c, s: queries.country_series(c, s, _top(c, s, 4), "day", 5),
            ),
            ("country_totals", lambda c, s: queries.country_totals(c, s, 5)),
        ],
        "articles": [
            (
                "count + page 1",
                lambda c, s: queries.search_articles(c, s, ArticleFilter(), 50, 0),
            ),
            (
                "page 200 (offset 9,950)",
                lambda c, s: queries.search_articles(c, s, ArticleFilter(), 50, 9_950),
            ),
            (
                "text search",
                lambda c, s: queries.search_articles(c, s, some, 50, 0),
            ),
            (
                "country + tone filter",
                lambda c, s: queries.search_articles(c, s, russia, 50, 0),
            ),
            ("article_evidence", lambda c, s: queries.article_evidence(c, 4242)),
        ],
        "feeds": [
            ("feed_health", lambda c, s: queries.feed_health(c, datetime.now(UTC))),
            ("list_feeds (OPML export)", lambda c, s: feeds.list_feeds(c)),
        ],
        "reports": [
            (
                "country-daily preview",
                lambda c, s: report_store.report_rows(
                    c, ReportRequest("country-daily", s.date_from, s.date_to), str, limit=200
                ),
            ),
            (
                "country-daily size",
                lambda c, s: report_store.report_size(
                    c, ReportRequest("country-daily", s.date_from, s.date_to), str
                ),
            ),
        ],
    }


def _time_page(
    settings: Settings, named: list[tuple[str, Query]], scope: Scope
) -> dict[str, float]:
    """Return median ms per query, run in one connection as data.py does, plus the connect."""
    samples: dict[str, list[float]] = {"(open connection)": []}
    for _ in range(RUNS):
        started = time.perf_counter()
        with connect(settings) as conn:
            samples["(open connection)"].append((time.perf_counter() - started) * 1000)
            for name, query in named:
                started = time.perf_counter()
                query(conn, scope)
                samples.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(times) for name, times in samples.items()}


def bench_queries(settings: Settings) -> list[str]:
    """Print query times per page and period; return the names of queries over target."""
    today = datetime.now(UTC).date()
    periods = {
        "30 days": Scope(today - timedelta(days=29), today),
        "3 years": Scope(today - timedelta(days=3 * 365), today),
    }
    with connect(settings) as conn:
        iso3 = queries.top_countries(conn, periods["30 days"], 1)[0]
    slow = []
    print(f"query times (median of {RUNS}, ms; one connection per page; country {iso3})")
    print(f"  {'page':<9} {'query':<28} " + " ".join(f"{p:>9}" for p in periods))
    for page, named in _page_queries(iso3).items():
        by_period = [_time_page(settings, named, scope) for scope in periods.values()]
        for name in by_period[0]:
            times = [timed[name] for timed in by_period]
            flag = "  SLOW" if max(times) > QUERY_TARGET_MS else ""
            slow += [f"{page}/{name}"] if flag else []
            print(f"  {page:<9} {name:<28} " + " ".join(f"{t:>9.0f}" for t in times) + flag)
        totals = [sum(timed.values()) for timed in by_period]
        print(
            f"  {page:<9} {'= all data for the page':<28} " + " ".join(f"{t:>9.0f}" for t in totals)
        )
    _time_download(settings, periods["3 years"])
    return slow


def _time_download(settings: Settings, scope: Scope) -> None:
    """Print how long the Reports page's download button takes to build the whole CSV."""
    from core.reports import to_csv

    started = time.perf_counter()
    with connect(settings) as conn:
        request = ReportRequest("country-daily", scope.date_from, scope.date_to)
        columns, rows = report_store.report_rows(conn, request, str)
    size = len(to_csv(columns, rows))
    seconds = time.perf_counter() - started
    print(
        f"  download (on click, not page data): country-daily CSV for 3 years, {len(rows):,} rows,"
        f" {size / 1e6:.1f} MB in {seconds:.2f} s"
    )


def _busy_jobs(path: str, stop: Any, feeds: int = JOBS_FEEDS) -> None:
    """A busy jobs process: every pass, each of `feeds` local feeds shows 5 new real items, and
    the steps of jobs.scheduler.tick (refresh, topics, alerts, checkpoint) run on those feeds,
    back to back, until told to stop. The benchmark database's own feeds are left alone."""
    from email.utils import format_datetime
    from html import escape

    from bench.harness import real_entries
    from jobs.alerts import check_alerts
    from jobs.refresh import refresh_due_feeds
    from jobs.topics_job import rematch_pending_topics
    from storage import feeds as feed_store
    from storage.db import checkpoint
    from tests.support.feed_server import FeedServer

    if os.environ.get("BENCH_WRITER_LOG"):
        import logging

        logging.basicConfig(
            filename=os.environ["BENCH_WRITER_LOG"], level=logging.DEBUG, force=True
        )
    writing = load_settings({}, db=Path(path), allow_private_networks=True)
    pool = real_entries()
    stamp = f"{time.time():.0f}"

    def document(feed: int, version: int) -> bytes:
        items = []
        for number in range(version * 5, version * 5 + 5):
            title, text = pool[(feed * 7919 + number) % len(pool)]
            link = f"https://busy.example/{stamp}/{feed}/{number}"
            items.append(
                f"<item><title>{escape(title)} [{stamp}.{feed}.{number}]</title><link>{link}"
                f"</link><pubDate>{format_datetime(datetime.now(UTC), usegmt=True)}</pubDate>"
                f"<description>{escape(text)}</description></item>"
            )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Busy {feed}</title>'
            f"{''.join(items)}</channel></rss>"
        ).encode()

    with FeedServer() as server:
        now = datetime.now(UTC)
        with connect(writing, write=True) as conn:
            ids = [
                feed_store.add_feed(conn, server.url(f"/busy-{stamp}-{f}.xml"), None, 60, now)
                for f in range(feeds)
            ]
        version = 0
        try:
            while not stop.is_set():
                for f in range(feeds):
                    server.set_content(f"/busy-{stamp}-{f}.xml", document(f, version))
                refresh_due_feeds(writing, feed_ids=ids)
                rematch_pending_topics(writing)
                check_alerts(writing)
                checkpoint(writing)
                version += 1
        finally:  # the benchmark database keeps its own 60 feeds (their articles stay, as in use)
            with connect(writing, write=True) as conn:
                for feed_id in ids:
                    feed_store.remove_feed(conn, feed_id)


def _page_totals(
    settings: Settings, pages: dict[str, list[tuple[str, Query]]], scope: Scope, rounds: int
) -> dict[str, list[float]]:
    """Each page's whole data time (open + every query, ms), `rounds` times, pages interleaved."""
    totals: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(rounds):
        for page, named in pages.items():
            started = time.perf_counter()
            with connect(settings) as conn:
                for _, query in named:
                    query(conn, scope)
            totals[page].append((time.perf_counter() - started) * 1000)
    return totals


def bench_under_writes(settings: Settings, rounds: int = BUSY_ROUNDS) -> list[str]:
    """Print each page's data time idle and while a busy jobs process writes; return the pages
    whose median is slowed more than 2x."""
    import multiprocessing

    today = datetime.now(UTC).date()
    scope = Scope(today - timedelta(days=29), today)
    with connect(settings) as conn:
        iso3 = queries.top_countries(conn, scope, 1)[0]
    pages = _page_queries(iso3)
    idle = _page_totals(settings, pages, scope, rounds)
    stop = multiprocessing.get_context("spawn").Event()
    writer = multiprocessing.get_context("spawn").Process(
        target=_busy_jobs, args=(str(settings.db), stop)
    )
    writer.start()
    try:
        time.sleep(BUSY_WARMUP_SECONDS)
        busy = _page_totals(settings, pages, scope, rounds)
    finally:
        stop.set()
        writer.join(timeout=120)
    slow = []
    print(
        f"page data while a busy jobs process runs ({JOBS_FEEDS} local feeds, 5 new items each"
        f" per pass, passes back to back), last 30 days, ms over {rounds} rounds"
    )
    print(
        f"  {'page':<9} {'idle p50':>9} {'busy p50':>9} {'ratio':>6}"
        f" {'idle max':>9} {'busy max':>9}"
    )
    for page in pages:
        quiet, loaded = statistics.median(idle[page]), statistics.median(busy[page])
        ratio = loaded / quiet if quiet else 0.0
        flag = "  SLOWED > 2x" if ratio > 2 else ""
        slow += [f"{page} under writes"] if flag else []
        print(
            f"  {page:<9} {quiet:>9.0f} {loaded:>9.0f} {ratio:>6.2f}"
            f" {max(idle[page]):>9.0f} {max(busy[page]):>9.0f}{flag}"
        )
    return slow


def bench_pages(settings: Settings) -> list[str]:
    """Print cold and warm AppTest render times per page; return the pages over target."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["TONEWATCH_DB"] = str(settings.db)
    app = str(ROOT / "dashboard" / "app.py")
    slow = []
    print("page renders (AppTest, default sidebar: last 30 days, s)")
    print(f"  {'page':<9} {'cold':>6} {'warm':>6}")
    for page in PAGE_NAMES:
        at = AppTest.from_file(app, default_timeout=120).run()
        st.cache_data.clear()
        at.switch_page(f"app_pages/{page}.py")
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
        problems = [str(e.value)[:80] for e in [*at.exception, *at.error, *at.warning]]
        flag = "  SLOW" if cold > PAGE_TARGET_S else ""
        slow += [page] if flag else []
        shown = f"  {problems}" if problems else ""
        print(f"  {page:<9} {cold:>6.2f} {warm:>6.2f}{flag}{shown}")
    return slow


def main() -> None:
    """Run the query and page benchmarks and print a verdict against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "data" / "bench.duckdb")
    parser.add_argument("--queries-only", action="store_true")
    parser.add_argument("--no-writer", action="store_true", help="skip the run under writes")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path} does not exist: run python bench/make_bench_db.py first")
    settings = load_settings({}, db=args.path)
    started = time.perf_counter()
    ensure_database(settings)  # an older benchmark file gets the current schema
    with connect(settings, write=True) as conn:
        continue_article_ids(conn)  # files built before make_bench_db set the sequence
    print(f"schema up to date in {time.perf_counter() - started:.1f} s")
    with connect(settings) as conn:
        count = conn.execute("SELECT count(*) FROM articles").fetchone()
    print(f"database {args.path}: {count[0] if count else 0:,} articles")
    slow = bench_queries(settings)
    if not args.no_writer:
        slow += bench_under_writes(settings)
    if not args.queries_only:
        slow += bench_pages(settings)
    verdict = "all within target" if not slow else f"over target: {', '.join(slow)}"
    print(f"targets: query < {QUERY_TARGET_MS:.0f} ms, page < {PAGE_TARGET_S:.0f} s -> {verdict}")


if __name__ == "__main__":
    main()

"""Time the dashboard on the benchmark database: each page's data queries, then a whole render.

Queries are timed as the dashboard runs them (one read connection under the file lock per page
bundle), median of a few runs, for the default period (last 30 days) and for all three years.
A page render is AppTest running the page with empty caches (cold) and again (warm).
Targets: every query < 300 ms, every cold page < 2 s.
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
from storage import feeds, queries  # noqa: E402
from storage import reports as report_store  # noqa: E402
from storage.articles import continue_article_ids  # noqa: E402
from storage.db import Connection, connect, ensure_database  # noqa: E402
from storage.queries import ArticleFilter, Scope  # noqa: E402

QUERY_TARGET_MS = 300.0
PAGE_TARGET_S = 2.0
RUNS = 3
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
                lambda c, s: (
                    queries.count_articles(c, s, ArticleFilter()),
                    queries.search_articles(c, s, ArticleFilter(), 50, 0),
                ),
            ),
            (
                "page 200 (offset 9,950)",
                lambda c, s: queries.search_articles(c, s, ArticleFilter(), 50, 9_950),
            ),
            (
                "text search",
                lambda c, s: (
                    queries.count_articles(c, s, some),
                    queries.search_articles(c, s, some, 50, 0),
                ),
            ),
            (
                "country + tone filter",
                lambda c, s: (
                    queries.count_articles(c, s, russia),
                    queries.search_articles(c, s, russia, 50, 0),
                ),
            ),
            ("article_evidence", lambda c, s: queries.article_evidence(c, 4242)),
        ],
        "feeds": [
            ("feed_health", lambda c, s: queries.feed_health(c, datetime.now(UTC))),
            ("list_feeds (OPML export)", lambda c, s: feeds.list_feeds(c)),
        ],
        "reports": [
            (
                "country-daily rows",
                lambda c, s: report_store.report_rows(
                    "country-daily", c, s.date_from, s.date_to, str, None
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
    return slow


def _write_while(path: str, stop: Any) -> None:
    """Insert a batch of 10 new articles every 100 ms until told to stop (a busy jobs process)."""
    from core.models import Article, ScoredArticle, ToneScore
    from storage.articles import insert_articles

    writing = load_settings({}, db=Path(path))
    number = 0
    while not stop.is_set():
        now = datetime.now(UTC)
        batch = []
        for _ in range(10):
            number += 1
            article = Article(
                f"Bench write {number} {now:%H%M%S%f}",
                "China and Russia met.",
                now,
                "Bench writer",
                url=f"https://bench.example/{now:%s%f}/{number}",
            )
            tone = ToneScore("CHN", 0.1, "neutral", 1, 1)
            batch.append(ScoredArticle(article, 0.0, (tone,), "bench"))
        with connect(writing, write=True) as conn:
            insert_articles(conn, batch, now)
        time.sleep(0.1)


def bench_under_writes(settings: Settings) -> list[str]:
    """Print each page's data time idle and while a writer inserts; return pages slowed > 2x."""
    import multiprocessing

    today = datetime.now(UTC).date()
    scope = Scope(today - timedelta(days=29), today)
    with connect(settings) as conn:
        iso3 = queries.top_countries(conn, scope, 1)[0]
    pages = _page_queries(iso3)
    idle = {page: sum(_time_page(settings, named, scope).values()) for page, named in pages.items()}
    stop = multiprocessing.Event()
    writer = multiprocessing.Process(target=_write_while, args=(str(settings.db), stop))
    writer.start()
    try:
        time.sleep(1.0)
        busy = {
            page: sum(_time_page(settings, named, scope).values()) for page, named in pages.items()
        }
    finally:
        stop.set()
        writer.join(timeout=30)
    slow = []
    print("page data while the jobs write (10 articles every 100 ms), last 30 days, ms")
    print(f"  {'page':<9} {'idle':>7} {'writing':>8} {'ratio':>6}")
    for page in pages:
        ratio = busy[page] / idle[page] if idle[page] else 0.0
        flag = "  SLOWED > 2x" if ratio > 2 else ""
        slow += [f"{page} under writes"] if flag else []
        print(f"  {page:<9} {idle[page]:>7.0f} {busy[page]:>8.0f} {ratio:>6.2f}{flag}")
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
    for page in (
        "overview",
        "country",
        "compare",
        "articles",
        "feeds",
        "reports",
        "method",
        "topics",
        "alerts",
    ):
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

"""Ingest throughput: parse + match + score + store, against a naive baseline, in the same run.

Our pipeline: every entry of the real fixture feeds (jobs/demo_feeds), repeated with distinct URLs
and sources until --items entries have gone through; parsing and scoring on --workers processes,
storing in batches (one transaction each) in a fresh DuckDB file. The naive baseline, on a slice
of the same feeds: feedparser, VADER on the whole text, and one INSERT per row.

    .venv/bin/python bench/bench_ingest.py [--items 50000] [--workers 2] [--naive-items 3000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import feedparser  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from core.config import load_settings  # noqa: E402
from core.ingest import articles_from_feed, for_storage, score_all  # noqa: E402
from core.models import ScoredArticle  # noqa: E402
from core.parse import parse_feed  # noqa: E402
from storage.articles import insert_articles  # noqa: E402
from storage.db import connect, ensure_database  # noqa: E402

FEEDS = sorted((Path(__file__).resolve().parent.parent / "jobs" / "demo_feeds").glob("*.xml"))
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _process(task: tuple[Path, int]) -> tuple[int, list[ScoredArticle]]:
    path, rep = task
    parsed = parse_feed(path.read_bytes(), path.name)
    articles = [
        replace(a, url=f"{a.url or 'https://x.example/' + str(i)}?rep={rep}")
        for i, a in enumerate(articles_from_feed(parsed, None, f"{path.stem} r{rep}", NOW))
    ]
    return len(articles), for_storage(score_all(articles), keep_unmatched_text=False)


def run_pipeline(items: int, workers: int, db: Path) -> tuple[int, int, float]:
    """Return (entries processed, articles stored, seconds)."""
    settings = load_settings({}, db=db)
    ensure_database(settings)
    tasks, total, rep = [], 0, 0
    sizes = {p: len(parse_feed(p.read_bytes()).entries) for p in FEEDS}
    while total < items:
        for path in FEEDS:
            tasks.append((path, rep))
            total += sizes[path]
        rep += 1
    started = time.perf_counter()
    done = stored = 0
    pending: list[ScoredArticle] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for count, scored in pool.map(_process, tasks, chunksize=4):
            done += count
            pending += scored
            if len(pending) >= 2000:
                with connect(settings, write=True) as conn:
                    stored += len(insert_articles(conn, pending, NOW))
                pending = []
    with connect(settings, write=True) as conn:
        stored += len(insert_articles(conn, pending, NOW))
    return done, stored, time.perf_counter() - started


def run_feedparser_only(items: int) -> tuple[int, float]:
    """feedparser alone on one core, with the options core.parse uses (no HTML sanitising or
    URI resolution: we reduce HTML to text ourselves): the ceiling parsing puts on the pipeline."""
    started = time.perf_counter()
    done = 0
    while done < items:
        for path in FEEDS:
            parsed = feedparser.parse(
                path.read_bytes(), sanitize_html=False, resolve_relative_uris=False
            )
            done += len(parsed.entries)
    return done, time.perf_counter() - started


def run_naive(items: int, db: Path) -> tuple[int, float]:
    """feedparser + whole-text VADER + one INSERT per row; return (entries, seconds)."""
    analyzer = SentimentIntensityAnalyzer()
    conn = duckdb.connect(str(db))
    conn.execute("CREATE TABLE a (url VARCHAR, title VARCHAR, text VARCHAR, tone DOUBLE)")
    started = time.perf_counter()
    done = 0
    while done < items:
        for path in FEEDS:
            for entry in feedparser.parse(path.read_bytes()).entries:
                text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
                tone = analyzer.polarity_scores(text)["compound"]
                conn.execute(
                    "INSERT INTO a VALUES (?, ?, ?, ?)",
                    [entry.get("link"), entry.get("title"), text, tone],
                )
                done += 1
            if done >= items:
                break
    conn.close()
    return done, time.perf_counter() - started


def main() -> None:
    """Run both and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--naive-items", type=int, default=3_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        done, stored, seconds = run_pipeline(args.items, args.workers, Path(tmp) / "ingest.duckdb")
        naive_done, naive_seconds = run_naive(args.naive_items, Path(tmp) / "naive.duckdb")
        parse_done, parse_seconds = run_feedparser_only(args.naive_items)
    ours, naive = done / seconds, naive_done / naive_seconds
    print(
        f"ingest pipeline: {done} entries ({stored} stored) in {seconds:.1f} s"
        f" = {ours:,.0f} items/s on {args.workers} workers"
    )
    print(
        f"naive baseline:  {naive_done} entries in {naive_seconds:.1f} s = {naive:,.0f} items/s"
        " (feedparser + whole-text VADER + one INSERT per row)"
    )
    ceiling = parse_done / parse_seconds
    print(
        f"feedparser alone: {ceiling:,.0f} items/s on 1 core, at most {ceiling * args.workers:,.0f}"
        f" on {args.workers} (the ceiling of any pipeline that parses with it)"
    )
    print(
        f"speed-up: {ours / naive:.1f}x; the targets ask for 2,000 items/s and 10x, here"
        f" {max(2000.0, 10 * naive):,.0f} items/s"
    )


if __name__ == "__main__":
    main()

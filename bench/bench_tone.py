"""Throughput of country matching + tone scoring against whole-text VADER, on real feed texts.

The feed snapshots in jobs/demo_feeds/*.xml are parsed with core.parse (feedparser, HTML stripped).
Feed items are mostly short summaries, so consecutive items of one feed are concatenated until each
"article" has at least --min-chars characters (default 4,000, a typical full news story).
Non-English feeds are left out. Prints articles/s and MB/s for our pipeline and for whole-text
VADER on the same articles, in the same run.

Then scores at least --pool-items articles (the corpus repeated) on a process pool the way imports
and rescores do (jobs.parallel.score_on_pool: score_all in parts of 50 articles), three times,
printing the best and the median run, the pool's start-up apart, and how many cores the workers
got: the machine may be shared.

    .venv/bin/python bench/bench_tone.py [--min-chars 4000] [--workers 2] [--pool-items 2000]
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.countries import find_mentions  # noqa: E402
from core.models import Article  # noqa: E402
from core.parse import parse_feed  # noqa: E402
from core.scorers import plain_vader  # noqa: E402
from core.tone import PRODUCT_SCORER, ArticleInput, document_of, score_article  # noqa: E402
from jobs.parallel import score_on_pool  # noqa: E402

FEEDS = Path(__file__).resolve().parent.parent / "jobs" / "demo_feeds"
REPEAT = 3
NOT_ENGLISH = ("bbc-chinese", "bbc-urdu", "lemonde", "orf-news", "suspilne", "aktuality", "golem")


def load_articles(folder: Path, min_chars: int) -> list[ArticleInput]:
    """Padded articles (title, text, published) from every English feed file in the folder."""
    articles: list[ArticleInput] = []
    for path in sorted(folder.glob("*.xml")):
        if path.name.startswith(NOT_ENGLISH):
            continue
        entries = parse_feed(path.read_bytes(), path.name).entries
        title, published = "", None
        parts: list[str] = []
        for entry in entries:
            if not parts:
                title = entry.title
                published = entry.published_at.date() if entry.published_at else None
            else:
                parts.append(entry.title + ".")
            parts.append(entry.text)
            if sum(len(p) for p in parts) >= min_chars:
                articles.append((title, "\n".join(parts), published))
                parts = []
    return articles


def rate(work: Callable[[ArticleInput], object], items: Sequence[ArticleInput]) -> float:
    """CPU seconds spent running work on every item, best of REPEAT runs (the machine is shared,
    so wall time measures the neighbours too)."""
    best = math.inf
    for _ in range(REPEAT):
        started = time.process_time()
        for item in items:
            work(item)
        best = min(best, time.process_time() - started)
    return best


def describe(articles: Sequence[ArticleInput]) -> str:
    """Sentences, sentences naming a country, and mentions per article."""
    sentences = scored = mentions = 0
    for title, text, published in articles:
        document, spans = document_of(title, text)
        found = find_mentions(document, published)
        starts = {m.start for m in found}
        sentences += len(spans)
        scored += sum(any(s <= p < e for p in starts) for s, e in spans)
        mentions += len(found)
    n = len(articles)
    return (
        f"per article: {sentences / n:.1f} sentences, {scored / n:.1f} of them name a country,"
        f" {mentions / n:.1f} country mentions"
    )


def _split_only(item: ArticleInput) -> object:
    return document_of(item[0], item[1])


def _split_and_match(item: ArticleInput) -> object:
    document, _ = document_of(item[0], item[1])
    return find_mentions(document, item[2])


def _ours(item: ArticleInput) -> object:
    return score_article(*item)


def _whole_text_vader(item: ArticleInput) -> object:
    return plain_vader(f"{item[0]}\n{item[1]}")


def report(name: str, seconds: float, count: int, megabytes: float) -> None:
    """Print one result line."""
    print(f"{name:34} {count / seconds:10,.0f} articles/s {megabytes / seconds:8.2f} MB/s")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=Path, default=FEEDS)
    parser.add_argument("--min-chars", type=int, default=4000)
    parser.add_argument("--baseline-articles", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool-items", type=int, default=2000)
    args = parser.parse_args(argv)
    articles = load_articles(args.feeds, args.min_chars)
    if not articles:
        print(f"no feed files in {args.feeds}")
        return 1
    size = sum(len(f"{t}\n{x}".encode()) for t, x, _ in articles) / 1e6
    mean_chars = sum(len(x) for _, x, _ in articles) / len(articles)
    print(f"{len(articles)} articles padded to >= {args.min_chars} chars from {args.feeds.name}/")
    print(f"({size:.2f} MB, mean {mean_chars:,.0f} chars per article)")
    print(describe(articles))
    path = (
        "compiled (core._native)"
        if PRODUCT_SCORER.compiled
        else "pure Python (core._native not built)"
    )
    print(f"tone scoring path: {path}")
    print(f"CPU time of this process, best of {REPEAT} runs each\n")
    score_article(*articles[0])  # warm up: lexicons and gazetteer load on first use
    report("split sentences", rate(_split_only, articles), len(articles), size)
    report("split + match countries", rate(_split_and_match, articles), len(articles), size)
    ours = rate(_ours, articles)
    report("split + match + tone (ours)", ours, len(articles), size)
    sample = articles[: args.baseline_articles]
    sample_mb = sum(len(f"{t}\n{x}".encode()) for t, x, _ in sample) / 1e6
    baseline = rate(_whole_text_vader, sample)
    report(f"whole-text VADER ({len(sample)} articles)", baseline, len(sample), sample_mb)
    speedup = (len(articles) / ours) / (len(sample) / baseline)
    print(f"\nours is {speedup:.1f}x faster than whole-text VADER per article")
    if args.workers > 1:
        report_pool(articles, size, args.workers, args.pool_items)
    return 0


def report_pool(articles: Sequence[ArticleInput], size: float, workers: int, items: int) -> None:
    """Wall-clock rate of score_on_pool, best and median of REPEAT runs (the machine is shared),
    with the pool's start-up (a first tiny batch) apart."""
    repeats = math.ceil(items / len(articles))
    batch = [_article(item) for item in articles] * repeats
    tiny = [_article(("France", "France said so.", None))] * workers
    walls = []
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        started = time.perf_counter()
        score_on_pool(pool, tiny, workers, "vader")
        start_up = time.perf_counter() - started
        for _ in range(REPEAT):
            started = time.perf_counter()
            score_on_pool(pool, batch, workers, "vader")
            walls.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # counts workers once they have exited
    busy = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    print(
        f"\nscore_on_pool, {workers} workers, {len(batch):,} articles, {REPEAT} runs (wall clock):"
    )
    print(f"  pool start-up (first tiny batch) {start_up:.2f} s")
    report(f"  {workers} workers, best run", min(walls), len(batch), repeats * size)
    report(f"  {workers} workers, median run", statistics.median(walls), len(batch), repeats * size)
    total = start_up + sum(walls)
    print(f"  the workers used {busy / total:.2f} cores on average (CPU {busy:.1f} s)")


def _article(item: ArticleInput) -> Article:
    title, text, published = item
    day = published or date(2026, 1, 1)
    return Article(title, text, datetime.combine(day, datetime.min.time(), tzinfo=UTC), "bench")


if __name__ == "__main__":
    raise SystemExit(main())

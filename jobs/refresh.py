"""One pass over the due feeds: read the queue, fetch, parse and score, then one short write."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from core.config import Settings
from core.ingest import articles_from_feed, for_storage, score_all, with_topics
from core.models import Article, Feed, FetchOutcome, ScoredArticle
from core.parse import FeedParseError, parse_feed
from core.topics import Node
from jobs.fetch import fetch_all
from storage import feeds as feed_store
from storage import topics as topic_store
from storage.articles import insert_article_groups, unseen
from storage.db import DATA_ERRORS, Connection, connect

log = logging.getLogger(__name__)
WRITE_SLICE_SECONDS = 0.25
STORE_CHUNK_ARTICLES = 300
WRITE_PAUSE_SECONDS = 0.05
PARALLEL_SCORING_FROM = 2_000  # new articles in one pass; below this a process pool costs more


@dataclass(frozen=True)
class FeedResult:
    """What one pass did with one feed."""

    feed: Feed
    outcome: FetchOutcome


@dataclass
class RunSummary:
    """What one pass did overall."""

    results: list[FeedResult] = field(default_factory=list)
    elapsed_ms: int = 0

    @property
    def new_articles(self) -> int:
        """Articles stored by this pass."""
        return sum(r.outcome.new_articles for r in self.results)

    def count(self, status: str) -> int:
        """How many feeds ended with this status (ok, not_modified, error)."""
        return sum(1 for r in self.results if r.outcome.status == status)


def source_name(feed: Feed, outcome: FetchOutcome) -> str:
    """Return the name articles of this feed are filed under: its title, else its host."""
    return feed.title or outcome.feed_title or urlsplit(feed.url).hostname or feed.url


def _save_failed_body(settings: Settings, feed: Feed, body: bytes, now: datetime) -> None:
    folder: Path = settings.failed_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{feed.id}-{now:%Y%m%dT%H%M%S}.xml").write_bytes(body)
    except OSError as exc:
        log.warning("cannot keep failed body feed_id=%s error=%s", feed.id, exc)


def parse_body(
    feed: Feed, outcome: FetchOutcome, now: datetime
) -> tuple[FetchOutcome, list[Article]]:
    """Parse a fetched body into articles; a body that is no feed becomes a parse_error outcome."""
    assert outcome.body is not None
    try:
        parsed = parse_feed(outcome.body, feed.url)
    except FeedParseError as exc:
        failed = replace(outcome, status="error", reason="parse_error", detail=str(exc)[:300])
        return failed, []
    source = source_name(feed, replace(outcome, feed_title=parsed.title))
    articles = articles_from_feed(parsed, feed.id, source, now)
    return replace(outcome, feed_title=parsed.title, entries=len(parsed.entries)), articles


def _parse(
    settings: Settings, feed: Feed, outcome: FetchOutcome, now: datetime
) -> tuple[FetchOutcome, list[Article]]:
    if outcome.status != "ok" or outcome.body is None:
        return outcome, []
    try:
        handled, articles = parse_body(feed, outcome, now)
    except Exception:  # boundary: one broken feed must not stop the others
        log.exception("feed crashed feed_id=%s url=%s", feed.id, feed.url)
        handled, articles = FetchOutcome.crashed("our code failed on this feed's content"), []
    if handled.reason == "parse_error":
        _save_failed_body(settings, feed, outcome.body, now)
    return handled, articles


def _unseen(settings: Settings, parsed: Sequence[tuple[Feed, FetchOutcome, list[Article]]]) -> None:
    """Drop, in place, the articles stored before: only new ones are worth scoring."""
    with connect(settings) as conn:
        for _, _, articles in parsed:
            if articles:
                articles[:] = unseen(conn, articles)


def _score(
    settings: Settings,
    parsed: Sequence[tuple[Feed, FetchOutcome, list[Article]]],
    topics: Sequence[tuple[int, Node]],
) -> list[tuple[Feed, FetchOutcome, list[ScoredArticle]]]:
    total = sum(len(articles) for _, _, articles in parsed)
    pool = _pool(settings) if total >= PARALLEL_SCORING_FROM else None
    try:
        futures = [
            pool.submit(score_all, articles, settings.tone_engine) if pool and articles else None
            for _, _, articles in parsed
        ]
        work = []
        for (feed, outcome, articles), future in zip(parsed, futures, strict=True):
            try:
                scored = future.result() if future else score_all(articles, settings.tone_engine)
            except Exception:  # boundary: one broken feed must not stop the others
                log.exception("scoring crashed feed_id=%s url=%s", feed.id, feed.url)
                outcome, scored = FetchOutcome.crashed("our code failed on this feed's text"), []
            kept = for_storage(with_topics(scored, topics), settings.keep_unmatched_text)
            work.append((feed, outcome, kept))
        return work
    finally:
        if pool:
            pool.shutdown()


def _pool(settings: Settings) -> ProcessPoolExecutor:
    # spawn, not fork: the jobs process runs threads (scheduler, fetch), and forking those is unsafe
    return ProcessPoolExecutor(settings.score_workers, mp_context=get_context("spawn"))


def _store(
    settings: Settings,
    work: Sequence[tuple[Feed, FetchOutcome, list[ScoredArticle]]],
    now: datetime,
) -> list[FeedResult]:
    results: list[FeedResult] = []
    pending = list(work)
    while pending:
        # Hold the write lock briefly and let readers in between: the dashboard waits for every
        # moment a writer holds it. Feeds are stored in chunks, one transaction each, because a
        # write's fixed cost (the duplicate check over all stored articles, the commit) is most
        # of it: one chunk of 30 feeds costs about what one feed did.
        with connect(settings, write=True) as conn:
            started = time.monotonic()
            while pending and (time.monotonic() - started < WRITE_SLICE_SECONDS):
                for feed, final in _insert_chunk(conn, _next_chunk(pending), now):
                    feed_store.record_outcome(conn, feed, final, now, settings.max_backoff_minutes)
                    results.append(FeedResult(feed, final))
        if pending:
            time.sleep(WRITE_PAUSE_SECONDS)  # waiting readers poll every 20 ms at most
    return results


def _insert_chunk(
    conn: Connection, chunk: Sequence[tuple[Feed, FetchOutcome, list[ScoredArticle]]], now: datetime
) -> list[tuple[Feed, FetchOutcome]]:
    """Store a chunk's articles in one transaction; each feed's outcome with its new-article count.
    If that fails, store feed by feed, so one feed's bad data costs only that feed."""
    try:
        groups = insert_article_groups(conn, [scored for _, _, scored in chunk], now)
        return [
            (feed, replace(outcome, new_articles=len(ids), body=None))
            for (feed, outcome, _), ids in zip(chunk, groups, strict=True)
        ]
    except DATA_ERRORS:  # a broken disk or database is not one feed's fault: it still raises
        if len(chunk) == 1:
            feed = chunk[0][0]
            log.exception("storing crashed feed_id=%s url=%s", feed.id, feed.url)
            return [(feed, FetchOutcome.crashed("our code could not store this feed's articles"))]
    return [outcome for one in chunk for outcome in _insert_chunk(conn, [one], now)]


def _next_chunk(
    pending: list[tuple[Feed, FetchOutcome, list[ScoredArticle]]],
) -> list[tuple[Feed, FetchOutcome, list[ScoredArticle]]]:
    """Take feeds off the front of pending until they hold STORE_CHUNK_ARTICLES articles."""
    chunk: list[tuple[Feed, FetchOutcome, list[ScoredArticle]]] = []
    articles = 0
    while pending and (not chunk or articles < STORE_CHUNK_ARTICLES):
        chunk.append(pending.pop(0))
        articles += len(chunk[-1][2])
    return chunk


def _log_result(result: FeedResult) -> None:
    o = result.outcome
    log.info(
        "feed done feed_id=%s url=%s status=%s reason=%s entries=%d new=%d ms=%d",
        result.feed.id,
        result.feed.url,
        o.status,
        o.reason,
        o.entries,
        o.new_articles,
        o.elapsed_ms,
    )


def refresh_feeds(
    settings: Settings,
    feeds: Sequence[Feed],
    now: datetime,
    topics: Sequence[tuple[int, Node]] = (),
) -> RunSummary:
    """Fetch, parse, score and store the given feeds; failures are recorded, never raised."""
    started = time.monotonic()
    fetched = fetch_all(feeds, settings)
    parsed = [(feed, *_parse(settings, feed, outcome, now)) for feed, outcome in fetched]
    _unseen(settings, parsed)
    work = _score(settings, parsed, topics)
    summary = RunSummary(results=_store(settings, work, now) if work else [])
    summary.elapsed_ms = int((time.monotonic() - started) * 1000)
    for result in summary.results:
        _log_result(result)
    log.info(
        "run done feeds=%d ok=%d not_modified=%d errors=%d new=%d ms=%d",
        len(summary.results),
        summary.count("ok"),
        summary.count("not_modified"),
        summary.count("error"),
        summary.new_articles,
        summary.elapsed_ms,
    )
    return summary


def refresh_due_feeds(
    settings: Settings,
    now: datetime | None = None,
    include_all: bool = False,
    feed_ids: Sequence[int] | None = None,
) -> RunSummary:
    """Run one pass over the due feeds (every enabled one with include_all, or the given ids)."""
    now = now or datetime.now(UTC)
    with connect(settings, write=False) as conn:
        if feed_ids:
            feeds = [feed_store.get_feed(conn, feed_id) for feed_id in feed_ids]
        else:
            feeds = feed_store.due_feeds(conn, now, settings.error_limit, include_all=include_all)
        topics = topic_store.compiled_topics(conn) if feeds else []
    if not feeds:
        log.info("run done feeds=0 (none due)")
        return RunSummary()
    return refresh_feeds(settings, feeds, now, topics)

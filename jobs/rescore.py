"""Recompute the tone of stored articles after the scorer changed, and rebuild the aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from core.config import Settings
from core.ingest import with_topics
from core.models import Article
from jobs.parallel import score_on_pool
from jobs.progress import Progress
from storage import topics as topic_store
from storage.articles import rebuild_daily_aggregates, replace_tones
from storage.db import connect

BATCH_SIZE = 1000


@dataclass(frozen=True)
class RescoreSummary:
    """How many articles were rescored, and with which scorer version."""

    articles: int
    scorer_version: str


def _ids_to_rescore(settings: Settings, since: datetime | None) -> list[int]:
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT id FROM articles WHERE published_at >= coalesce(?, '-infinity'::TIMESTAMPTZ)"
            # Text emptied by retention (storage.retention) cannot be scored again: skip articles
            # without text whose country rows drew on more than the title.
            " AND NOT (text = '' AND EXISTS (SELECT 1 FROM article_tones t"
            "   WHERE t.article_id = articles.id AND (t.sentences > 1 OR coalesce(list_max("
            "   CAST(json_extract(t.evidence, '$[*].start') AS INTEGER[])), 0) > length(title))))"
            " ORDER BY id",
            [since],
        ).fetchall()
    return [int(r[0]) for r in rows]


def _load(settings: Settings, ids: Sequence[int]) -> list[tuple[int, Article]]:
    with connect(settings) as conn:
        conn.register("wanted", pa.table({"id": pa.array(ids, pa.int64())}))
        rows = conn.execute(
            "SELECT a.id, a.title, a.text, a.published_at, a.source, a.url, a.guid, a.feed_id"
            " FROM articles a JOIN wanted USING (id) ORDER BY a.id"
        ).fetchall()
    return [
        (
            int(r[0]),
            Article(
                title=r[1],
                text=r[2],
                published_at=r[3],
                source=r[4],
                url=r[5],
                guid=r[6],
                feed_id=r[7],
            ),
        )
        for r in rows
    ]


def rescore(settings: Settings, since: datetime | None = None, workers: int = 2) -> RescoreSummary:
    """Rescore every article published since `since` (all when None) with the current scorer."""
    ids = _ids_to_rescore(settings, since)
    progress = Progress("rescoring", total=len(ids))
    version = ""
    with connect(settings) as conn:
        topics = topic_store.compiled_topics(conn)
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for start in range(0, len(ids), BATCH_SIZE):
            loaded = _load(settings, ids[start : start + BATCH_SIZE])
            scored = with_topics(
                score_on_pool(pool, [a for _, a in loaded], workers, settings.tone_engine), topics
            )
            with connect(settings, write=True) as conn:
                replace_tones(conn, [i for i, _ in loaded], scored)
            version = scored[0].scorer_version if scored else version
            progress.advance(len(loaded))
    with connect(settings, write=True) as conn:
        rebuild_daily_aggregates(conn)
    progress.close()
    return RescoreSummary(articles=len(ids), scorer_version=version)

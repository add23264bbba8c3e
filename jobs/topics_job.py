"""Re-match stored articles against topics that were added or edited."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from core.config import Settings
from core.topics import parse_query
from jobs.progress import Progress
from storage import topics as topic_store
from storage.db import connect

log = logging.getLogger(__name__)
BATCH_SIZE = 5_000


def _total_articles(settings: Settings) -> int:
    with connect(settings) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


def rematch_topic(settings: Settings, topic: topic_store.Topic, progress: Progress) -> int:
    """Recompute one topic's matches over every stored article; return how many match."""
    started = datetime.now(UTC)
    query = parse_query(topic.query)
    after_id, matched = 0, 0
    while True:
        with connect(settings) as conn:
            rows = topic_store.article_texts(conn, after_id, BATCH_SIZE)
        if not rows:
            break
        ids = topic_store.matching_ids(rows, query)
        with connect(settings, write=True) as conn:
            topic_store.replace_matches(conn, topic.id, ids, rows[0][0], rows[-1][0])
        matched += len(ids)
        after_id = rows[-1][0]
        progress.advance(len(rows))
    with connect(settings, write=True) as conn:
        topic_store.mark_rematched(conn, topic.id, started)
    log.info("topic rematched topic=%s matched=%d", topic.name, matched)
    return matched


def rematch_pending_topics(settings: Settings) -> int:
    """Re-match every topic flagged as out of date; return how many topics were done."""
    with connect(settings) as conn:
        pending = topic_store.topics_to_rematch(conn)
    total = _total_articles(settings) if pending else 0
    for topic in pending:
        progress = Progress(f"matching topic {topic.name}", total)
        rematch_topic(settings, topic, progress)
        progress.close()
    return len(pending)

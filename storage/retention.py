"""Retention: drop the body text of old articles, keeping titles, scores and evidence."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.db import Connection, transaction


def drop_old_text(conn: Connection, older_than_days: int, now: datetime) -> int:
    """Empty articles.text for articles published more than N days before now; return how many.

    Titles, URLs, doc tone and every country row (with its evidence sentences) stay, so the charts,
    reports and evidence views are unchanged; only re-scoring those articles is no longer possible.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must be zero or more")
    cutoff = now - timedelta(days=older_than_days)
    with transaction(conn):
        row = conn.execute(
            "UPDATE articles SET text = '' WHERE published_at < ? AND text <> '' RETURNING id",
            [cutoff],
        ).fetchall()
    return len(row)

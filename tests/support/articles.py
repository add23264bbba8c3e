"""One new feed and one new article, for tests that check what comes after existing rows."""

from __future__ import annotations

from datetime import datetime

from core.models import Article, ScoredArticle, ToneScore
from storage import feeds as feed_store
from storage.articles import insert_articles
from storage.db import Connection


def add_feed_and_article(
    conn: Connection, country: str, iso3: str, scorer_version: str, now: datetime
) -> tuple[int, list[int]]:
    """Watch https://new.example/rss and store one article praising a country; return their ids."""
    feed_id = feed_store.add_feed(conn, "https://new.example/rss", None, 30, now)
    article = Article(
        title=f"{country} praised",
        text=f"{country} was praised.",
        published_at=now,
        source="New",
        url="https://new.example/1",
    )
    tone = ToneScore(iso3, 0.5, "positive", 1, 1)
    return feed_id, insert_articles(
        conn, [ScoredArticle(article, 0.5, (tone,), scorer_version)], now
    )

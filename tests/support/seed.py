"""Build a seeded database for dashboard tests: a few countries over 60 days, four feeds."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.config import load_settings
from storage.db import Connection, checkpoint, connect, ensure_database

Row = tuple[Any, ...]
ARTICLE_COLUMNS = (
    "id, url_key, guid_key, title_key, feed_id, source, url, guid, title, text, published_at,"
    " fetched_at, doc_tone, scorer_version"
)
TONE_COLUMNS = "article_id, iso3, tone, label, sentences, mentions, evidence, scorer_version"
XSS_TITLE = '<script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=2">'

# iso3 -> (name used in text, tone bias, weight in coverage)
COUNTRIES: dict[str, tuple[str, float, int]] = {
    "USA": ("the United States", 0.05, 30),
    "CHN": ("China", -0.15, 20),
    "RUS": ("Russia", -0.45, 18),
    "UKR": ("Ukraine", -0.2, 14),
    "FRA": ("France", 0.35, 8),
    "DEU": ("Germany", 0.25, 7),
    "ISL": ("Iceland", 0.5, 0),  # only a handful of articles, below the reliability floor
}

GOOD = ["praised", "welcomed", "celebrated", "thanked", "supported"]
BAD = ["criticised", "condemned", "blamed", "warned", "threatened"]


@dataclass(frozen=True)
class SeedFeed:
    """A feed row of the seeded database."""

    id: int
    url: str
    title: str
    is_enabled: bool
    error_count: int
    last_error: str | None


FEEDS = (
    SeedFeed(1, "https://news.example.org/world.rss", "World Wire", True, 0, None),
    SeedFeed(2, "https://globe.example.com/feed.xml", "Daily Globe", True, 0, None),
    SeedFeed(3, "https://broken.example.net/rss", "Broken Feed", True, 4, "http_404"),
    SeedFeed(4, "https://paused.example.net/atom.xml", "Paused Post", False, 0, None),
)
SOURCES = ("World Wire", "Daily Globe", "Broken Feed")


def _sentence(rng: random.Random, name: str, bias: float) -> tuple[str, float]:
    score = max(-1.0, min(1.0, rng.gauss(bias, 0.35)))
    verb = rng.choice(GOOD if score >= 0 else BAD)
    return f"Officials {verb} {name} over the talks.", round(score, 3)


def _tone_row(rng: random.Random, article_id: int, iso3: str, text_parts: list[str]) -> Row:
    name, bias, _ = COUNTRIES[iso3]
    evidence: list[dict[str, Any]] = []
    scores: list[float] = []
    for _ in range(rng.randint(1, 3)):
        start = sum(len(p) + 1 for p in text_parts)
        sentence, score = _sentence(rng, name, bias)
        text_parts.append(sentence)
        scores.append(score)
        evidence.append(
            {"text": sentence, "score": score, "start": start, "end": start + len(sentence)}
        )
    tone = round(sum(scores) / len(scores), 4)
    label = "negative" if tone < -0.05 else "positive" if tone > 0.05 else "neutral"
    return (
        article_id,
        iso3,
        tone,
        label,
        len(evidence),
        len(evidence),
        json.dumps(evidence),
        "test-1",
    )


def _pick_countries(rng: random.Random) -> list[str]:
    weighted = [c for c, (_, _, w) in COUNTRIES.items() for _ in range(w)]
    chosen = {rng.choice(weighted) for _ in range(rng.randint(1, 3))}
    return sorted(chosen)


def build_rows(now: datetime, days: int = 60, per_day: int = 12) -> tuple[list[Row], list[Row]]:
    """Return (article rows, tone rows), deterministic for a given now."""
    rng = random.Random(7)
    articles: list[Row] = []
    tones: list[Row] = []
    article_id = 0
    for day in range(days):
        for _ in range(per_day):
            article_id += 1
            published = now - timedelta(days=day, minutes=rng.randint(0, 1439))
            countries = _pick_countries(rng)
            if article_id % 150 == 0:
                countries.append("ISL")
            parts: list[str] = []
            for iso3 in countries:
                tones.append(_tone_row(rng, article_id, iso3, parts))
            title = f"Report {article_id}: " + parts[0]
            articles.append(_article_row(article_id, title, " ".join(parts), published, rng))
    article_id += 1
    parts = ["Officials condemned the United States over the talks."]
    evidence = [{"text": parts[0], "score": -0.95, "start": 0, "end": len(parts[0])}]
    tones.append((article_id, "USA", -0.95, "negative", 1, 1, json.dumps(evidence), "test-1"))
    articles.append(_article_row(article_id, XSS_TITLE, parts[0], now - timedelta(hours=1), rng))
    return articles, tones


def _article_row(
    article_id: int, title: str, text: str, published: datetime, rng: random.Random
) -> Row:
    feed = FEEDS[article_id % len(SOURCES)]
    url = f"https://{feed.url.split('/')[2]}/a/{article_id}"
    doc_tone = round(rng.uniform(-0.6, 0.6), 3)
    fetched = published + timedelta(minutes=20)
    return (
        article_id,
        url,
        None,
        f"t{article_id}",
        feed.id,
        feed.title,
        url,
        None,
        title,
        text,
        published,
        fetched,
        doc_tone,
        "test-1",
    )


def _insert_feeds(conn: Connection, now: datetime) -> None:
    for f in FEEDS:  # in id order, so the sequence hands out the same ids
        ok = f.error_count == 0
        conn.execute(
            "INSERT INTO feeds (url, title, interval_minutes, is_enabled, next_check_at,"
            " last_checked_at, last_success_at, error_count, last_error, last_error_detail,"
            " created_at) VALUES (?, ?, 30, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                f.url,
                f.title,
                f.is_enabled,
                now + timedelta(minutes=30),
                now - timedelta(minutes=5),
                now - timedelta(minutes=5 if ok else 600),
                f.error_count,
                f.last_error,
                None if ok else "404 Not Found",
                now - timedelta(days=90),
            ],
        )


def seed_database(path: Path, now: datetime | None = None, empty: bool = False) -> Path:
    """Create a database at path; unless empty, fill it with feeds, articles and aggregates."""
    now = now or datetime.now(UTC)
    settings = load_settings(environ={}, db=path)
    ensure_database(settings)
    if empty:
        return path
    articles, tones = build_rows(now)
    with connect(settings, write=True) as conn:
        _insert_feeds(conn, now)
        conn.executemany(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES ({', '.join('?' * 14)})", articles
        )
        conn.executemany(
            f"INSERT INTO article_tones ({TONE_COLUMNS}) VALUES ({', '.join('?' * 8)})", tones
        )
        conn.execute(
            "UPDATE articles SET country_count = (SELECT count(*) FROM article_tones t"
            " WHERE t.article_id = articles.id)"
        )
        fill_aggregates(conn)
        conn.execute("SELECT max(nextval('articles_id_seq')) FROM range(?)", [len(articles)])
    checkpoint(settings)  # tests copy this file alone: fold the write-ahead log into it
    return path


def fill_aggregates(conn: Connection) -> None:
    """Rebuild country_daily and source_daily from the articles tables."""
    conn.execute(
        """
        DELETE FROM country_daily; DELETE FROM source_daily;
        INSERT INTO country_daily (day, iso3, source, articles, tone_sum, tone_sq_sum, sentences)
        SELECT (a.published_at AT TIME ZONE 'UTC')::DATE, t.iso3, a.source, count(*),
               sum(t.tone), sum(t.tone * t.tone), sum(t.sentences)
        FROM article_tones t JOIN articles a ON a.id = t.article_id GROUP BY ALL;
        INSERT INTO source_daily (day, source, articles)
        SELECT (published_at AT TIME ZONE 'UTC')::DATE, source, count(*) FROM articles GROUP BY ALL;
        """
    )

"""Saved topics (named queries), their matches, and the watch list of countries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyarrow as pa

from core.errors import UserFacingError
from core.topics import Node, document, parse_query
from storage.db import Connection, transaction


class TopicExistsError(UserFacingError, ValueError):
    """A topic with that name exists already."""


class TopicNotFoundError(UserFacingError, LookupError):
    """No topic has that name."""


@dataclass(frozen=True)
class Topic:
    """A saved query with its name."""

    id: int
    name: str
    query: str
    needs_rematch: bool


def list_topics(conn: Connection) -> list[Topic]:
    """Return every topic, by name."""
    rows = conn.execute(
        "SELECT id, name, query, needs_rematch FROM topics ORDER BY name"
    ).fetchall()
    return [Topic(*row) for row in rows]


def compiled_topics(conn: Connection) -> list[tuple[int, Node]]:
    """Return (id, parsed query) for every topic, ready to match articles at ingest."""
    return [(t.id, parse_query(t.query)) for t in list_topics(conn)]


def add_topic(conn: Connection, name: str, query: str, now: datetime) -> int:
    """Save a topic (its query must parse); return its id."""
    parse_query(query)
    if conn.execute("SELECT 1 FROM topics WHERE name = ?", [name]).fetchone():
        raise TopicExistsError(f"a topic named {name!r} exists already")
    row = conn.execute(
        "INSERT INTO topics (name, query, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
        [name, query, now, now],
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_topic(conn: Connection, name: str, query: str, now: datetime) -> None:
    """Change a topic's query; its stored matches are recomputed by the next rematch."""
    parse_query(query)
    found = conn.execute(
        "UPDATE topics SET query = ?, needs_rematch = TRUE, updated_at = ? WHERE name = ?"
        " RETURNING id",
        [query, now, name],
    ).fetchone()
    if found is None:
        raise TopicNotFoundError(f"there is no topic named {name!r}")


def remove_topic(conn: Connection, name: str) -> None:
    """Delete a topic and its matches (the articles stay)."""
    with transaction(conn):
        found = conn.execute("DELETE FROM topics WHERE name = ? RETURNING id", [name]).fetchone()
        if found is None:
            raise TopicNotFoundError(f"there is no topic named {name!r}")
        conn.execute("DELETE FROM article_topics WHERE topic_id = ?", [found[0]])


def topics_to_rematch(conn: Connection) -> list[Topic]:
    """Return the topics whose stored matches are out of date."""
    return [t for t in list_topics(conn) if t.needs_rematch]


def article_texts(
    conn: Connection, after_id: int, limit: int
) -> list[tuple[int, str, str, list[str]]]:
    """Return (id, title, text, countries) of stored articles with id > after_id, by id."""
    rows = conn.execute(
        "SELECT a.id, a.title, a.text, list(t.iso3) FILTER (WHERE t.iso3 IS NOT NULL)"
        " FROM articles a LEFT JOIN article_tones t ON t.article_id = a.id"
        " WHERE a.id > ? GROUP BY a.id, a.title, a.text ORDER BY a.id LIMIT ?",
        [after_id, limit],
    ).fetchall()
    return [(int(r[0]), r[1], r[2], list(r[3] or [])) for r in rows]


def matching_ids(rows: Sequence[tuple[int, str, str, list[str]]], query: Node) -> list[int]:
    """Return the ids of the rows whose title, text and countries match the query."""
    return [
        i for i, title, text, countries in rows if query.matches(document(title, text, countries))
    ]


def replace_matches(
    conn: Connection, topic_id: int, ids: Sequence[int], first_id: int, last_id: int
) -> None:
    """Set the topic's matches among articles first_id..last_id to exactly ids."""
    with transaction(conn):
        conn.execute(
            "DELETE FROM article_topics WHERE topic_id = ? AND article_id BETWEEN ? AND ?",
            [topic_id, first_id, last_id],
        )
        conn.register("matched", pa.table({"article_id": pa.array(ids, pa.int64())}))
        try:
            conn.execute("INSERT INTO article_topics SELECT article_id, ? FROM matched", [topic_id])
        finally:
            conn.unregister("matched")


def mark_rematched(conn: Connection, topic_id: int, since: datetime) -> None:
    """Clear the rematch flag, unless the topic was edited again after `since`."""
    conn.execute(
        "UPDATE topics SET needs_rematch = FALSE WHERE id = ? AND updated_at <= ?",
        [topic_id, since],
    )


# ---- the watch list -------------------------------------------------------------------------


def watched_countries(conn: Connection) -> list[str]:
    """Return the ISO codes of the countries the user follows, sorted."""
    return [r[0] for r in conn.execute("SELECT iso3 FROM watchlist ORDER BY iso3").fetchall()]


def watch(conn: Connection, codes: Sequence[str], now: datetime) -> None:
    """Add countries to the watch list (codes already there are left alone)."""
    for code in codes:
        conn.execute(
            "INSERT INTO watchlist VALUES (?, ?) ON CONFLICT (iso3) DO NOTHING", [code, now]
        )


def unwatch(conn: Connection, codes: Sequence[str]) -> None:
    """Remove countries from the watch list."""
    for code in codes:
        conn.execute("DELETE FROM watchlist WHERE iso3 = ?", [code])


# ---- read models for the dashboard -----------------------------------------------------------


def _frame(conn: Connection, sql: str, params: list[object]) -> pd.DataFrame:
    frame: pd.DataFrame = conn.execute(sql, params).to_arrow_table().to_pandas()
    return frame


def topic_volume(conn: Connection, start: datetime, end: datetime, grain: str) -> pd.DataFrame:
    """Return per period and topic: articles, all articles in the period, and the share of voice."""
    if grain not in ("day", "week", "month"):
        raise ValueError(f"unknown granularity {grain!r}")
    return _frame(
        conn,
        f"""
        WITH totals AS (
            SELECT date_trunc('{grain}', day) AS period, CAST(sum(articles) AS BIGINT) AS total
            FROM source_daily WHERE day >= CAST(? AS DATE) AND day < CAST(? AS DATE)
            GROUP BY ALL
        ), counts AS (
            SELECT date_trunc('{grain}', CAST(a.published_at AS DATE)) AS period, t.name AS topic,
                   count(*) AS articles
            FROM article_topics m JOIN articles a ON a.id = m.article_id
            JOIN topics t ON t.id = m.topic_id
            WHERE a.published_at >= ? AND a.published_at < ?
            GROUP BY ALL
        )
        SELECT CAST(c.period AS DATE) AS period, c.topic, c.articles, o.total,
               c.articles / o.total AS share
        FROM counts c JOIN totals o USING (period) ORDER BY period, topic
        """,
        [start, end, start, end],
    )


def topic_country_tone(
    conn: Connection, start: datetime, end: datetime, per_topic: int = 8
) -> pd.DataFrame:
    """Return, for each topic, the countries it names most with their mean tone and 95% interval."""
    return _frame(
        conn,
        """
        WITH rows AS (
            SELECT t.name AS topic, x.iso3, x.tone
            FROM article_topics m JOIN articles a ON a.id = m.article_id
            JOIN topics t ON t.id = m.topic_id
            JOIN article_tones x ON x.article_id = a.id
            WHERE a.published_at >= ? AND a.published_at < ?
        ), per AS (
            SELECT topic, iso3, count(*) AS articles, avg(tone) AS tone_mean,
                   coalesce(stddev_samp(tone), 0) AS sd
            FROM rows GROUP BY ALL
        )
        SELECT topic, iso3, articles, tone_mean,
               greatest(tone_mean - 1.96 * sd / sqrt(articles), -1) AS tone_low,
               least(tone_mean + 1.96 * sd / sqrt(articles), 1) AS tone_high
        FROM per
        QUALIFY row_number() OVER (PARTITION BY topic ORDER BY articles DESC, iso3) <= ?
        ORDER BY topic, articles DESC, iso3
        """,
        [start, end, per_topic],
    )


def topic_match_counts(conn: Connection) -> dict[int, int]:
    """Return how many stored articles match each topic, by topic id."""
    rows = conn.execute("SELECT topic_id, count(*) FROM article_topics GROUP BY ALL").fetchall()
    return {int(topic_id): int(count) for topic_id, count in rows}

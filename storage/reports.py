"""The rows of the three CSV reports; the CLI and the dashboard both build their CSV from these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from core.reports import REPORT_COLUMNS
from storage.db import Connection

Rows = list[tuple[Any, ...]]
NameOf = Callable[[str], str]


def _bounds(date_from: date | None, date_to: date | None) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from or date(1900, 1, 1), time(), tzinfo=UTC)
    end = datetime.combine((date_to or date(9000, 1, 1)) + timedelta(days=1), time(), tzinfo=UTC)
    return start, end


def _country_filter(countries: Sequence[str] | None, column: str) -> tuple[str, list[object]]:
    if not countries:
        return "", []
    return f" AND {column} IN ({', '.join('?' for _ in countries)})", list(countries)


_DAILY_FROM_AGGREGATES = """
    c AS (
        SELECT day, iso3, sum(articles) AS articles, sum(tone_sum) AS tone_sum,
               sum(tone_sq_sum) AS tone_sq_sum, sum(sentences) AS sentences
        FROM country_daily WHERE day >= CAST($start AS DATE) AND day < CAST($end AS DATE)
        GROUP BY day, iso3
    ), t AS (
        SELECT day, sum(articles) AS total FROM source_daily GROUP BY day
    )
"""
# Narrowed to a topic, every count (the share's denominator too) counts only the topic's articles.
_DAILY_FROM_TOPIC = """
    a AS (
        SELECT a.id, CAST(a.published_at AS DATE) AS day FROM articles a
        JOIN article_topics m ON m.article_id = a.id AND m.topic_id = $topic
        WHERE a.published_at >= $start AND a.published_at < $end
    ), c AS (
        SELECT a.day, t.iso3, count(*) AS articles, sum(t.tone) AS tone_sum,
               sum(t.tone * t.tone) AS tone_sq_sum, sum(t.sentences) AS sentences
        FROM a JOIN article_tones t ON t.article_id = a.id GROUP BY ALL
    ), t AS (
        SELECT day, count(*) AS total FROM a GROUP BY day
    )
"""


def _topic_filter(topic_id: int | None) -> tuple[str, list[object]]:
    if topic_id is None:
        return "", []
    return " AND a.id IN (SELECT article_id FROM article_topics WHERE topic_id = ?)", [topic_id]


def country_daily_rows(
    conn: Connection,
    date_from: date | None,
    date_to: date | None,
    name_of: NameOf,
    countries: Sequence[str] | None = None,
    topic_id: int | None = None,
) -> Rows:
    """Return country-daily rows: coverage, share of the day, mean tone and its 95% CI."""
    start, end = _bounds(date_from, date_to)
    names: dict[str, object] = {"start": start, "end": end}
    if topic_id is not None:
        names["topic"] = topic_id
    wanted = ""
    if countries:
        wanted = " AND c.iso3 IN (" + ", ".join(f"$c{i}" for i in range(len(countries))) + ")"
        names |= {f"c{i}": code for i, code in enumerate(countries)}
    ctes = _DAILY_FROM_AGGREGATES if topic_id is None else _DAILY_FROM_TOPIC
    rows = conn.execute(
        f"""
        WITH {ctes}
        SELECT c.day, c.iso3, c.articles, t.total, c.articles / t.total,
               c.tone_sum / c.articles AS mean_tone,
               CASE WHEN c.articles > 1 THEN 1.96 * sqrt(greatest(
                   (c.tone_sq_sum - c.tone_sum * c.tone_sum / c.articles) / (c.articles - 1), 0)
                   / c.articles) END AS half_width,
               c.sentences
        FROM c JOIN t USING (day)
        WHERE TRUE {wanted}
        ORDER BY c.day, c.articles DESC, c.iso3
        """,
        names,
    ).fetchall()
    return [
        (
            day,
            iso3,
            name_of(iso3),
            n,
            total,
            share,
            mean,
            _ci(mean, half, -1),
            _ci(mean, half, 1),
            sentences,
        )
        for day, iso3, n, total, share, mean, half, sentences in rows
    ]


def _ci(mean: float, half: float | None, sign: int) -> float | None:
    if half is None:
        return None
    return max(-1.0, min(1.0, mean + sign * half))


def article_rows(
    conn: Connection,
    date_from: date | None,
    date_to: date | None,
    countries: Sequence[str] | None = None,
    topic_id: int | None = None,
) -> Rows:
    """Return article rows: id, url, title, source, date, ;-joined countries and the doc tone."""
    start, end = _bounds(date_from, date_to)
    in_topic, topic_params = _topic_filter(topic_id)
    having = ""
    params: list[object] = [start, end, *topic_params]
    if countries:
        having = f" HAVING bool_or(t.iso3 IN ({', '.join('?' for _ in countries)}))"
        params += list(countries)
    return conn.execute(
        f"""
        SELECT a.id, a.url, a.title, a.source, a.published_at,
               coalesce(string_agg(t.iso3, ';' ORDER BY t.iso3), ''), a.doc_tone
        FROM articles a LEFT JOIN article_tones t ON t.article_id = a.id
        WHERE a.published_at >= ? AND a.published_at < ? {in_topic}
        GROUP BY a.id, a.url, a.title, a.source, a.published_at, a.doc_tone
        {having}
        ORDER BY a.published_at, a.id
        """,
        params,
    ).fetchall()


def mention_rows(
    conn: Connection,
    date_from: date | None,
    date_to: date | None,
    name_of: NameOf,
    countries: Sequence[str] | None = None,
    topic_id: int | None = None,
) -> Rows:
    """Return a row per article and country: tone, label, sentences and the weightiest sentence."""
    start, end = _bounds(date_from, date_to)
    where, params = _country_filter(countries, "t.iso3")
    in_topic, topic_params = _topic_filter(topic_id)
    rows = conn.execute(
        f"""
        SELECT a.id, a.url, a.published_at, a.source, t.iso3, t.tone, t.label, t.sentences,
               coalesce(json_extract_string(t.evidence, '$[0].text'), '')
        FROM article_tones t JOIN articles a ON a.id = t.article_id
        WHERE a.published_at >= ? AND a.published_at < ? {where} {in_topic}
        ORDER BY a.published_at, a.id, t.iso3
        """,
        [start, end, *params, *topic_params],
    ).fetchall()
    return [(*r[:5], name_of(r[4]), *r[5:]) for r in rows]


def report_rows(
    kind: str,
    conn: Connection,
    date_from: date | None,
    date_to: date | None,
    name_of: NameOf,
    countries: Sequence[str] | None = None,
    topic_id: int | None = None,
) -> tuple[tuple[str, ...], Rows]:
    """Return (columns, rows) of the report named kind: country-daily, articles or mentions."""
    if kind == "country-daily":
        rows = country_daily_rows(conn, date_from, date_to, name_of, countries, topic_id)
    elif kind == "articles":
        rows = article_rows(conn, date_from, date_to, countries, topic_id)
    elif kind == "mentions":
        rows = mention_rows(conn, date_from, date_to, name_of, countries, topic_id)
    else:
        raise ValueError(f"unknown report {kind!r}: choose country-daily, articles or mentions")
    return REPORT_COLUMNS[kind], rows

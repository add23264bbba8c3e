"""Read models for the alert rules (windows of coverage and tone), and the alerts table."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from core.alerts import ToneSample
from storage.db import Connection

HISTORY_DAYS = 28
DRIVING_ARTICLES = 10


@dataclass(frozen=True)
class Windows:
    """For one subject: articles in the last 24 hours, and per earlier day with any data."""

    recent: int
    history: list[int]


@dataclass(frozen=True)
class Subject:
    """What an alert watches: a country (iso3) or a topic (its id), with a display name."""

    kind: str  # "country" or "topic"
    key: str
    name: str


_COUNTRY_ROWS = """
    SELECT t.iso3 AS subject, a.id, a.published_at, a.source, a.title, a.url, t.tone,
           coalesce(json_extract_string(t.evidence, '$[0].text'), '') AS evidence
    FROM article_tones t JOIN articles a ON a.id = t.article_id
"""
_TOPIC_ROWS = """
    SELECT CAST(m.topic_id AS VARCHAR) AS subject, a.id, a.published_at, a.source, a.title, a.url,
           a.doc_tone AS tone, '' AS evidence
    FROM article_topics m JOIN articles a ON a.id = m.article_id
"""


def _rows(kind: str) -> str:
    return _COUNTRY_ROWS if kind == "country" else _TOPIC_ROWS


def _window_sql(column: str) -> str:
    return f"CAST(floor(date_diff('second', {column}, CAST(? AS TIMESTAMPTZ)) / 86400) AS INTEGER)"


_WINDOW = _window_sql("published_at")


def _windowed(
    conn: Connection, kind: str, keys: Sequence[str], now: datetime, measures: str
) -> list[tuple[Any, ...]]:
    """Return `subject, measures` grouped over the subjects' rows of the last HISTORY_DAYS + 1 days.

    measures may use _WINDOW (the day number back from now), whose one parameter is `now`.
    """
    placeholders = ", ".join("?" for _ in keys)
    return conn.execute(
        f"SELECT subject, {measures} FROM ({_rows(kind)}) WHERE subject IN ({placeholders})"
        " AND published_at > ? AND published_at <= ? GROUP BY ALL",
        [now, *keys, now - timedelta(days=HISTORY_DAYS + 1), now],
    ).fetchall()


def _days_with_data(conn: Connection, now: datetime) -> set[int]:
    rows = conn.execute(
        f"SELECT DISTINCT {_WINDOW} FROM articles WHERE published_at > ? AND published_at <= ?",
        [now, now - timedelta(days=HISTORY_DAYS + 1), now],
    ).fetchall()
    return {int(r[0]) for r in rows if 1 <= int(r[0]) <= HISTORY_DAYS}


def coverage_windows(
    conn: Connection, kind: str, keys: Sequence[str], now: datetime
) -> dict[str, Windows]:
    """Return each subject's article count in the last 24 hours and on earlier days with data."""
    if not keys:
        return {}
    rows = _windowed(conn, kind, keys, now, f"{_WINDOW} AS w, count(DISTINCT id)")
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for subject, window, count in rows:
        counts[subject][int(window)] = int(count)
    days = sorted(_days_with_data(conn, now))
    return {
        key: Windows(counts[key].get(0, 0), [counts[key].get(day, 0) for day in days])
        for key in keys
    }


def tone_windows(
    conn: Connection, kind: str, keys: Sequence[str], now: datetime
) -> dict[str, tuple[ToneSample, ToneSample]]:
    """Return each subject's tone sample for the last 24 hours and for the trailing days."""
    if not keys:
        return {}
    measures = f"{_WINDOW} = 0 AS recent, count(*), avg(tone), coalesce(var_samp(tone), 0)"
    rows = _windowed(conn, kind, keys, now, measures)
    empty = ToneSample(0, 0.0, 0.0)
    samples: dict[str, dict[bool, ToneSample]] = defaultdict(dict)
    for subject, recent, n, mean, variance in rows:
        samples[subject][bool(recent)] = ToneSample(int(n), float(mean), float(variance))
    return {k: (samples[k].get(True, empty), samples[k].get(False, empty)) for k in keys}


def driving_articles(
    conn: Connection, subject: Subject, now: datetime, most_negative_first: bool | None
) -> list[dict[str, Any]]:
    """Return the last 24 hours' articles behind an alert: newest first, or by tone."""
    order = (
        "published_at DESC"
        if most_negative_first is None
        else ("tone ASC" if most_negative_first else "tone DESC")
    )
    rows = conn.execute(
        f"SELECT id, published_at, source, title, url, tone, evidence FROM ({_rows(subject.kind)})"
        f" WHERE subject = ? AND published_at > ? AND published_at <= ? ORDER BY {order}, id"
        f" LIMIT {DRIVING_ARTICLES}",
        [subject.key, now - timedelta(days=1), now],
    ).fetchall()
    return [
        {
            "article_id": r[0],
            "published_at": r[1].isoformat(),
            "source": r[2],
            "title": r[3],
            "url": r[4],
            "tone": round(float(r[5]), 4),
            "evidence": r[6],
        }
        for r in rows
    ]


def alerted_recently(conn: Connection, kind: str, subject: Subject, now: datetime) -> bool:
    """True when the same alert fired within the last 24 hours (one alert per movement)."""
    row = conn.execute(
        "SELECT 1 FROM alerts WHERE kind = ? AND subject_kind = ? AND subject = ?"
        " AND window_end > ? LIMIT 1",
        [kind, subject.kind, subject.key, now - timedelta(days=1)],
    ).fetchone()
    return row is not None


def insert_alert(
    conn: Connection,
    kind: str,
    subject: Subject,
    now: datetime,
    values: tuple[float, float, float, int],
    message: str,
    articles: list[dict[str, Any]],
) -> int | None:
    """Record an alert; return its id, or None when it was recorded already today."""
    observed, baseline, score, count = values
    detail = {
        "articles": articles,
        "sources": sorted({a["source"] for a in articles}),
    }
    row = conn.execute(
        "INSERT INTO alerts (kind, subject_kind, subject, subject_name, window_end, day, observed,"
        " baseline, score, articles, message, detail, created_at)"
        " VALUES (?, ?, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING id",
        [
            kind,
            subject.kind,
            subject.key,
            subject.name,
            now,
            now,
            observed,
            baseline,
            score,
            count,
            message,
            json.dumps(detail, ensure_ascii=False),
            now,
        ],
    ).fetchone()
    return int(row[0]) if row else None


ALERT_COLUMNS = (
    "id",
    "created_at",
    "kind",
    "subject_kind",
    "subject",
    "subject_name",
    "observed",
    "baseline",
    "score",
    "articles",
    "message",
    "sources",
    "delivered_at",
    "delivery_error",
)


def alert_rows(conn: Connection, since: datetime | None = None) -> list[tuple[Any, ...]]:
    """Return the alerts (newest first) as rows in the order of ALERT_COLUMNS."""
    return conn.execute(
        "SELECT id, created_at, kind, subject_kind, subject, subject_name, observed, baseline,"
        " score, articles, message,"
        " array_to_string(CAST(json_extract(detail, '$.sources') AS VARCHAR[]), ';'),"
        " delivered_at, delivery_error FROM alerts"
        " WHERE created_at >= coalesce(CAST(? AS TIMESTAMPTZ), '-infinity'::TIMESTAMPTZ)"
        " ORDER BY created_at DESC, id DESC",
        [since],
    ).fetchall()


def alert_detail(conn: Connection, alert_id: int) -> dict[str, Any]:
    """Return one alert's stored detail (articles with evidence, sources)."""
    row = conn.execute("SELECT detail FROM alerts WHERE id = ?", [alert_id]).fetchone()
    return dict(json.loads(row[0])) if row else {}


def undelivered(conn: Connection, now: datetime) -> list[tuple[int, str, str]]:
    """Return (id, message, detail) of the last day's alerts not yet delivered to the webhook."""
    return [
        (int(r[0]), r[1], r[2])
        for r in conn.execute(
            "SELECT id, message, detail FROM alerts WHERE delivered_at IS NULL"
            " AND created_at > ? ORDER BY id",
            [now - timedelta(days=1)],
        ).fetchall()
    ]


def mark_delivery(conn: Connection, alert_id: int, now: datetime, error: str | None) -> None:
    """Record that an alert was posted to the webhook, or why it could not be."""
    if error is None:
        conn.execute(
            "UPDATE alerts SET delivered_at = ?, delivery_error = NULL WHERE id = ?",
            [now, alert_id],
        )
    else:
        conn.execute("UPDATE alerts SET delivery_error = ? WHERE id = ?", [error, alert_id])


def alerts_frame(conn: Connection, since: datetime | None = None) -> pd.DataFrame:
    """Return the alerts, newest first, as a table for the dashboard."""
    frame: pd.DataFrame = (
        conn.execute(
            "SELECT id, created_at, kind, subject_kind, subject, subject_name, observed, baseline,"
            " score, articles, message, delivered_at, delivery_error FROM alerts"
            " WHERE created_at >= coalesce(CAST(? AS TIMESTAMPTZ), '-infinity'::TIMESTAMPTZ)"
            " ORDER BY created_at DESC, id DESC",
            [since],
        )
        .to_arrow_table()
        .to_pandas()
    )
    return frame


def recent_alert_count(conn: Connection, now: datetime, hours: int = 24) -> int:
    """Return how many alerts fired in the last `hours` hours (the dashboard's badge)."""
    row = conn.execute(
        "SELECT count(*) FROM alerts WHERE created_at > ?", [now - timedelta(hours=hours)]
    ).fetchone()
    return int(row[0]) if row else 0

"""After each pass: check the watched countries and the topics for spikes and shifts, record
alerts, and post them to the webhook (from its own job, so a slow webhook never holds up ingest)."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from core.alerts import Movement, coverage_spike, describe, tone_shift
from core.config import Settings
from core.countries import country_name
from core.reports import to_csv
from storage import alerts as alert_store
from storage import topics as topic_store
from storage.alerts import Subject
from storage.db import connect

log = logging.getLogger(__name__)
WEBHOOK_TRIES = 3
WEBHOOK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Finding:
    """A movement of one subject, with the articles that drove it."""

    subject: Subject
    movement: Movement
    articles: list[dict[str, object]]


def _subjects(settings: Settings) -> list[Subject]:
    with connect(settings) as conn:
        countries = topic_store.watched_countries(conn)
        topics = topic_store.list_topics(conn)
    return [Subject("country", c, country_name(c)) for c in countries] + [
        Subject("topic", str(t.id), t.name) for t in topics
    ]


def _movements(settings: Settings, subjects: list[Subject], now: datetime) -> list[Finding]:
    findings = []
    with connect(settings) as conn:
        for kind in ("country", "topic"):
            of_kind = {s.key: s for s in subjects if s.kind == kind}
            coverage = alert_store.coverage_windows(conn, kind, list(of_kind), now)
            tones = alert_store.tone_windows(conn, kind, list(of_kind), now)
            for key, subject in of_kind.items():
                spike = coverage_spike(
                    coverage[key].recent,
                    coverage[key].history,
                    settings.alert_spike_p_value,
                    settings.alert_min_articles,
                )
                shift = tone_shift(
                    *tones[key],
                    settings.alert_tone_z,
                    settings.alert_min_tone_change,
                    settings.alert_min_articles,
                )
                for movement in (m for m in (spike, shift) if m is not None):
                    if alert_store.alerted_recently(conn, movement.kind, subject, now):
                        continue
                    order = (
                        None
                        if movement.kind == "coverage_spike"
                        else (movement.observed < movement.baseline)
                    )
                    articles = alert_store.driving_articles(conn, subject, now, order)
                    findings.append(Finding(subject, movement, articles))
    return findings


def check_alerts(settings: Settings, now: datetime | None = None) -> list[int]:
    """Record an alert for each new coverage spike or tone shift; return the new alert ids."""
    now = now or datetime.now(UTC)
    subjects = _subjects(settings)
    findings = _movements(settings, subjects, now) if subjects else []
    if not findings:
        return []
    created: list[int] = []
    with connect(settings, write=True) as conn:
        for f in findings:
            m = f.movement
            alert_id = alert_store.insert_alert(
                conn,
                m.kind,
                f.subject,
                now,
                (m.observed, m.baseline, m.score, m.articles),
                describe(f.subject.name, m),
                f.articles,
            )
            if alert_id is not None:
                created.append(alert_id)
                log.info("alert kind=%s subject=%s id=%d", m.kind, f.subject.name, alert_id)
    if created:
        write_alerts_csv(settings)
    return created


def alerts_csv(settings: Settings) -> bytes:
    """Return every alert as CSV, newest first."""
    with connect(settings) as conn:
        rows = alert_store.alert_rows(conn)
    return to_csv(alert_store.ALERT_COLUMNS, rows)


def write_alerts_csv(settings: Settings) -> Path:
    """Rewrite reports/alerts.csv with every alert (atomically: readers never see half a file)."""
    path = settings.reports_dir / "alerts.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".csv.partial")
    partial.write_bytes(alerts_csv(settings))
    os.replace(partial, path)
    return path


def webhook_payload(message: str, detail: str) -> dict[str, object]:
    """Return the JSON posted for an alert: a Slack-compatible text plus the structured alert."""
    data = json.loads(detail)
    lines = [message] + [
        f"• {a['title']} ({a['source']}, tone {a['tone']:+.2f}) {a.get('url') or ''}".rstrip()
        for a in data.get("articles", [])[:5]
    ]
    return {"text": "\n".join(lines), "alert": {"message": message, **data}}


def _post(
    client: httpx.Client, url: str, payload: dict[str, object], retry_delay: float
) -> str | None:
    error = "not tried"
    for attempt in range(WEBHOOK_TRIES):
        if attempt:
            time.sleep(retry_delay * 2 ** (attempt - 1))
        try:
            response = client.post(url, json=payload)
            if response.status_code < 300:
                return None
            error = f"http_{response.status_code}"
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.HTTPError:
            error = "connection_error"
    return error


def deliver_alerts(
    settings: Settings, now: datetime | None = None, retry_delay: float = 2.0
) -> int:
    """Post undelivered alerts to the webhook, with retries; return how many were delivered."""
    if not settings.webhook_url:
        return 0
    now = now or datetime.now(UTC)
    with connect(settings) as conn:
        pending = alert_store.undelivered(conn, now)
    delivered = 0
    with httpx.Client(timeout=WEBHOOK_TIMEOUT_SECONDS, trust_env=False) as client:
        for alert_id, message, detail in pending:
            payload = webhook_payload(message, detail)
            error = _post(client, settings.webhook_url, payload, retry_delay)
            with connect(settings, write=True) as conn:
                alert_store.mark_delivery(conn, alert_id, now, error)
            delivered += error is None
    return delivered

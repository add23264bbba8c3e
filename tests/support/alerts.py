"""A stored alert, for the tests of the pages and the webhook that show and deliver alerts."""

from __future__ import annotations

from datetime import datetime

from core.config import Settings
from storage.alerts import Subject, insert_alert
from storage.db import connect


def add_kenya_alert(settings: Settings, now: datetime, **article: object) -> None:
    """Store a tone-shift alert on Kenya behind one article (its fields can be overridden)."""
    fields = {
        "article_id": 1,
        "published_at": now.isoformat(),
        "source": "Wire",
        "title": "Floods hit Kenya",
        "url": "https://w.example/1",
        "tone": -0.6,
        "evidence": "Floods hit Kenya.",
    } | article
    with connect(settings, write=True) as conn:
        insert_alert(
            conn,
            "tone_shift",
            Subject("country", "KEN", "Kenya"),
            now,
            (-0.6, 0.1, -4.2, 6),
            "Tone shift: tone toward Kenya dropped",
            [fields],
        )

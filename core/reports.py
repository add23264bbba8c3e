"""Report rows to CSV bytes, with spreadsheet formula injection neutralised in text cells."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

REPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "country-daily": (
        "date",
        "iso3",
        "country",
        "articles",
        "total_articles",
        "share",
        "mean_tone",
        "tone_ci_low",
        "tone_ci_high",
        "sentences",
    ),
    "articles": (
        "article_id",
        "url",
        "title",
        "source",
        "published_at",
        "countries",
        "doc_tone",
    ),
    "mentions": (
        "article_id",
        "url",
        "published_at",
        "source",
        "iso3",
        "country",
        "tone",
        "label",
        "sentences",
        "evidence",
    ),
}


@dataclass(frozen=True)
class ReportRequest:
    """Which report (country-daily, articles or mentions), for which UTC days (both ends
    included; None leaves that end open), countries (none: all) and topic (None: every article)."""

    kind: str
    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    topic_id: int | None = None


def neutralise(value: str) -> str:
    """Return a text cell that a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".") or "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return UTF-8 CSV bytes: a header line, then one line per row, numbers left as numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")

"""The scheduled report: yesterday's country-daily CSV, written into the reports folder."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta
from pathlib import Path

from core.config import Settings
from core.countries import country_name
from core.reports import ReportRequest, to_csv
from storage.db import connect
from storage.reports import report_rows

log = logging.getLogger(__name__)


def report_path(settings: Settings, day: date) -> Path:
    """Return where the country-daily report of a day is written."""
    return settings.reports_dir / f"country-daily-{day.isoformat()}.csv"


def write_daily_report(settings: Settings, now: datetime) -> Path:
    """Write yesterday's country-daily CSV (atomically: a reader never sees half a file)."""
    day = (now - timedelta(days=1)).date()
    with connect(settings) as conn:
        columns, rows = report_rows(conn, ReportRequest("country-daily", day, day), country_name)
    path = report_path(settings, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".csv.partial")
    partial.write_bytes(to_csv(columns, rows))
    os.replace(partial, path)
    log.info("daily report written path=%s rows=%d", path, len(rows))
    return path

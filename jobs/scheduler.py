"""The jobs process: APScheduler runs one interval job over the due feeds and one daily report."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from core.config import Settings
from jobs.alerts import check_alerts, deliver_alerts
from jobs.daily_report import write_daily_report
from jobs.refresh import refresh_due_feeds
from jobs.single import single_instance
from jobs.topics_job import rematch_pending_topics
from jobs.watchlist import seed_default_feeds
from storage.db import StorageError, checkpoint, connect, ensure_database
from storage.lock import LockTimeoutError
from storage.retention import drop_old_text

log = logging.getLogger(__name__)


Step = Callable[[Settings], object]


def run_step(step: Step, settings: Settings) -> None:
    """Run one scheduled step: a busy or broken database is a warning, a bug is logged; neither
    stops the scheduler."""
    try:
        step(settings)
    except (StorageError, LockTimeoutError, OSError) as exc:
        log.warning("%s skipped: %s", step.__name__, exc)
    except Exception:  # boundary: the scheduler must keep running
        log.exception("%s crashed", step.__name__)


def tick(settings: Settings) -> None:
    """Refresh the due feeds, re-match edited topics, check the alert rules, then checkpoint."""
    for step in (refresh_due_feeds, rematch_pending_topics, check_alerts, checkpoint):
        run_step(step, settings)


def daily_report(settings: Settings) -> None:
    """Write yesterday's country-daily report."""
    write_daily_report(settings, datetime.now(UTC))


def apply_retention(settings: Settings, now: datetime | None = None) -> None:
    """Drop the text of articles older than the retention setting (scores and evidence stay)."""
    if not settings.text_retention_days:
        return
    with connect(settings, write=True) as conn:
        emptied = drop_old_text(conn, settings.text_retention_days, now or datetime.now(UTC))
    log.info("retention applied days=%d emptied=%d", settings.text_retention_days, emptied)


def build_scheduler(settings: Settings) -> BlockingScheduler:
    """Return the scheduler: the pass over due feeds (due now), alert delivery, daily jobs."""
    scheduler = BlockingScheduler(timezone=UTC)
    once = {"coalesce": True, "max_instances": 1}
    scheduler.add_job(
        tick,
        "interval",
        seconds=settings.poll_seconds,
        args=[settings],
        id="refresh",
        next_run_time=datetime.now(UTC),
        **once,
    )
    scheduler.add_job(
        run_step,
        "interval",
        seconds=max(settings.poll_seconds, 30),
        args=[deliver_alerts, settings],
        id="deliver_alerts",
        **once,
    )
    hour, minute = (int(part) for part in settings.report_time.split(":"))
    for daily in (apply_retention, daily_report):
        scheduler.add_job(
            run_step,
            "cron",
            hour=hour,
            minute=minute,
            args=[daily, settings],
            id=daily.__name__,
            misfire_grace_time=3600,
            **once,
        )
    return scheduler


def run_jobs(settings: Settings, seed_defaults: bool = True) -> None:
    """Run the jobs process until SIGINT or SIGTERM; refuse to start beside another one."""
    ensure_database(settings)
    with single_instance(settings.db):
        if seed_defaults:
            seed_default_feeds(settings, datetime.now(UTC))
        scheduler = build_scheduler(settings)

        def stop(signum: int, frame: FrameType | None) -> None:
            log.info("stopping jobs signal=%d", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("jobs started db=%s poll_seconds=%d", settings.db, settings.poll_seconds)
        scheduler.start()
        log.info("jobs stopped")

"""The jobs process's schedule, and the boundary that keeps it running when a step fails."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.config import Settings, with_changes
from jobs.scheduler import build_scheduler, run_step
from storage.db import StorageError


def test_the_schedule_holds_every_job(settings: Settings) -> None:
    scheduler = build_scheduler(with_changes(settings, report_time="05:30"))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"refresh", "deliver_alerts", "apply_retention", "daily_report"}
    assert str(jobs["daily_report"].trigger) == "cron[hour='5', minute='30']"


def test_a_failing_step_is_logged_and_the_next_one_runs(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def busy(_: Settings) -> None:
        raise StorageError("cannot write the database /x: disk full")

    def buggy(_: Settings) -> None:
        raise KeyError("bug")

    def fine(_: Settings) -> None:
        ran.append("fine")

    with caplog.at_level(logging.WARNING):
        for step in (busy, buggy, fine):
            run_step(step, settings)
    assert ran == ["fine"]
    assert "busy skipped: cannot write the database /x: disk full" in caplog.text
    assert "buggy crashed" in caplog.text


def test_the_daily_report_is_written(settings: Settings, tmp_path: Path) -> None:
    from jobs.scheduler import daily_report

    run_step(daily_report, settings)
    [written] = list(settings.reports_dir.glob("country-daily-*.csv"))
    assert written.read_text().startswith("date,iso3,country,articles,total_articles,share")

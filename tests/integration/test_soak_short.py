"""A short soak (about 25 s): the jobs process polls changing feeds while the dashboard is rendered
and feeds are edited through the CLI; no side sees an error, nothing served is lost or doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import SoakConfig, run_soak


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_short_soak_has_no_errors_losses_or_duplicates(tmp_path: Path) -> None:
    config = SoakConfig(tmp_path, seconds=25, feeds=20, change_seconds=2.0, edit_seconds=4.0)
    report = run_soak(config)
    assert report.jobs_errors == [] and report.jobs_warnings == []
    assert report.dashboard_errors == [] and report.cli_errors == []
    assert report.drained
    assert report.lost == 0 and report.duplicates == 0
    # the sides really ran together
    assert report.content_changes >= 10 and report.cli_edits >= 3
    assert report.dashboard_renders >= 3
    assert report.expected_articles > 50 and report.stored_articles >= report.expected_articles
    assert report.writer_waits_ms
    assert report.backup_articles > 0 and report.backup_problems == {}  # backup taken mid-run

"""Shared fixtures: settings on a fresh database file in tmp_path, and the fixture folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import Settings, load_settings
from storage.db import ensure_database

ROOT = Path(__file__).resolve().parent.parent
REAL_FEEDS = ROOT / "jobs" / "demo_feeds"
BROKEN_FEEDS = ROOT / "tests" / "fixtures" / "feeds" / "broken"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings on an empty, migrated database in tmp_path; loopback feeds allowed."""
    s = load_settings(
        {},
        db=tmp_path / "tonewatch.duckdb",
        data_dir=tmp_path / "data",
        allow_private_networks=True,
        fetch_timeout_seconds=2.0,
        fetch_deadline_seconds=3.0,
        max_feed_bytes=1_500_000,  # above the largest real fixture, below the server's /big
    )
    ensure_database(s)
    yield s

"""AppTest fixtures: a seeded (or empty) database named by TONEWATCH_DB, and fresh caches."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import Settings, load_settings
from tests.support.seed import seed_database

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the seeded database once per session; tests work on copies."""
    path = tmp_path_factory.mktemp("seed") / "seeded.duckdb"
    return seed_database(path, now=datetime.now(UTC))


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Clear st.cache_data (and the sign-in limiter) so no test sees another test's state."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _point_at(monkeypatch: pytest.MonkeyPatch, db: Path, data_dir: Path) -> Settings:
    monkeypatch.setenv("TONEWATCH_DB", str(db))
    monkeypatch.setenv("TONEWATCH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TONEWATCH_ALLOW_PRIVATE_NETWORKS", "1")  # the preview reaches 127.0.0.1
    monkeypatch.setenv("TONEWATCH_FETCH_TIMEOUT_SECONDS", "3")
    return load_settings()


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose TONEWATCH_DB is a fresh copy of the seeded database."""
    db = tmp_path / "tonewatch.duckdb"
    shutil.copy(seeded_template, db)
    return _point_at(monkeypatch, db, tmp_path / "data")


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose TONEWATCH_DB is a migrated database with no rows."""
    db = seed_database(tmp_path / "empty.duckdb", empty=True)
    return _point_at(monkeypatch, db, tmp_path / "data")


def open_page(page: str) -> AppTest:
    """Run the app, switch to one page and run it again."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at

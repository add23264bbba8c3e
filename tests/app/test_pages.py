"""Every page renders, with data and with an empty database, and trouble becomes a message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import Settings
from dashboard import data
from dashboard.app_pages import PAGE_NAMES
from storage import lock
from tests.app.conftest import APP, open_page


def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_page_renders_with_data(seeded: Settings, page: str) -> None:
    at = open_page(page)
    assert _problems(at) == []
    assert at.title[0].value.startswith(page.capitalize())  # "Topics & watch list"
    assert not any("No feeds yet" in str(i.value) for i in at.info)


@pytest.mark.parametrize("page", ["overview", "country", "compare", "articles"])
def test_chart_pages_say_what_to_do_on_an_empty_database(empty: Settings, page: str) -> None:
    at = open_page(page)
    assert _problems(at) == []
    assert any("tonewatch demo" in str(i.value) for i in at.info)


@pytest.mark.parametrize("page", ["feeds", "reports", "method", "topics", "alerts"])
def test_other_pages_render_on_an_empty_database(empty: Settings, page: str) -> None:
    at = open_page(page)
    assert _problems(at) == []


def test_feeds_without_articles_ask_whether_the_jobs_process_runs(empty: Settings) -> None:
    at = open_page("feeds")
    at.text_input(key="add_url").input("https://example.org/feed.xml")
    at.button(key="FormSubmitter:add_feed-Check feed").click().run()
    # no network in tests: the preview fails, and the feed can still be saved on purpose
    at.button(key="add_save_anyway").click().run()
    at.switch_page("app_pages/overview.py").run()
    assert any("Is the jobs process running" in str(i.value) for i in at.info)


def test_a_period_without_articles_says_where_the_data_is(seeded: Settings) -> None:
    at = open_page("overview")
    at.selectbox(key="period_preset").select("Custom").run()
    at.date_input(key="period_custom").set_value((date(2001, 1, 1), date(2001, 1, 31))).run()
    assert _problems(at) == []
    assert any("No articles between 2001-01-01 and 2001-01-31" in str(i.value) for i in at.info)


def test_a_busy_database_gives_a_warning_not_a_traceback(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TONEWATCH_LOCK_TIMEOUT_SECONDS", "0.2")
    with lock.hold(seeded.db, write=True, timeout_seconds=5):
        at = open_page("overview")
    assert not at.exception
    assert any("database is busy" in str(w.value) for w in at.warning)


def test_an_unreadable_database_gives_a_warning_not_a_traceback(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.db.write_bytes(b"this is not a DuckDB file" * 100)
    at = open_page("overview")
    assert not at.exception
    assert any("cannot be opened" in str(w.value) for w in at.warning)


def test_measured_figures_are_read_from_the_eval_file(tmp_path: Path) -> None:
    path = tmp_path / "figures.json"
    assert data.measured_figures(path) is None  # no file yet: "not measured yet"
    path.write_text(
        '{"measured_at": "2026-11-27", "figures": [{"name": "Mention F1", '
        '"value": 0.91, "detail": "297 sentences"}, "junk"]}'
    )
    figures = data.measured_figures(path)
    assert figures is not None and figures.measured_at == "2026-11-27"
    assert figures.rows.to_dict("records") == [
        {"figure": "Mention F1", "value": 0.91, "detail": "297 sentences"}
    ]
    path.write_text("not json")
    assert data.measured_figures(path) is None


def test_a_dashboard_password_guards_every_page(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TONEWATCH_DASHBOARD_PASSWORD", "correct horse")
    at = open_page("overview")
    assert not at.metric and not at.exception
    at.text_input(key="sign_in_password").input("wrong")
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert any("not right" in str(e.value) for e in at.error)
    assert not at.metric
    at.text_input(key="sign_in_password").input("correct horse")
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert not at.exception
    assert next(m for m in at.metric if m.label == "Articles").value != "0"


def test_oidc_sign_in_guards_every_page_when_configured(seeded: Settings) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-secret",
        "client_id": "tonewatch",
        "client_secret": "not-used",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric  # no page content before signing in


def test_an_archive_opens_on_all_its_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.support.seed import seed_database

    db = seed_database(tmp_path / "old.duckdb", now=datetime.now(UTC) - timedelta(days=400))
    monkeypatch.setenv("TONEWATCH_DB", str(db))
    at = open_page("overview")
    assert not at.exception
    assert at.selectbox(key="period_preset").value == "All data"
    assert not any("No articles between" in str(i.value) for i in at.info)

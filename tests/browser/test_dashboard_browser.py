"""The dashboard in headless Chromium: every page draws, the CSV downloads, feed text stays inert.

Starts `streamlit run dashboard/app.py` on a free port against a seeded database and drives the
system Chromium (never a downloaded one) through Playwright's sync API.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from core.config import load_settings
from core.reports import REPORT_COLUMNS, ReportRequest, to_csv
from dashboard import data
from storage.db import connect
from storage.reports import report_rows
from tests.support.seed import XSS_TITLE, seed_database

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {  # url path -> page title
    "": "Overview",
    "country": "Country",
    "compare": "Compare",
    "articles": "Articles",
    "feeds": "Feeds",
    "reports": "Reports",
    "method": "Method",
    "topics": "Topics & watch list",
    "alerts": "Alerts",
}
# no placeholder left and every chart drawn: elements load lazily after the script has finished
CHARTS_DRAWN = """() => document.querySelectorAll('[data-testid^="stSkeleton"]').length === 0
    && Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
        .every(chart => chart.querySelector('canvas, svg') !== null)"""
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(base: str, process: subprocess.Popen[bytes], timeout_seconds: float) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dashboard did not become healthy in time")


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database file for the running dashboard."""
    return seed_database(tmp_path_factory.mktemp("browser") / "tonewatch.duckdb")


@pytest.fixture(scope="module")
def dashboard_url(seeded_db: Path) -> Iterator[str]:
    """Run the dashboard on a free port and yield its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "TONEWATCH_DB": str(seeded_db),
        "TONEWATCH_DATA_DIR": str(seeded_db.parent / "data"),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard" / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.showErrorDetails",
        "none",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, timeout_seconds=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip("no system chromium (install Debian's chromium package)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser: Browser, url: str, title: str) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 2600}, accept_downloads=True)
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)  # charts draw after the script stops
    return page


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_without_an_exception(
    browser: Browser, dashboard_url: str, path: str
) -> None:
    title = PAGES[path]
    page = _open(browser, f"{dashboard_url}/{path}", title)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    page.close()


def test_the_country_daily_csv_downloads_with_the_cli_rows(
    browser: Browser, dashboard_url: str, seeded_db: Path
) -> None:
    page = _open(browser, f"{dashboard_url}/reports", "Reports")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    body = Path(info.value.path()).read_bytes()
    page.close()
    today = datetime.now(UTC).date()
    with connect(load_settings({}, db=seeded_db)) as conn:
        request = ReportRequest("country-daily", today - timedelta(days=29), today)
        columns, rows = report_rows(conn, request, data.country_name)
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == ",".join(REPORT_COLUMNS["country-daily"])
    assert len(lines) == len(rows) + 1 > 1
    assert body == to_csv(columns, rows)


@pytest.mark.parametrize(("path", "title"), [("country", "Country"), ("articles", "Articles")])
def test_feed_markup_shows_as_text_and_runs_nothing(
    browser: Browser, dashboard_url: str, path: str, title: str
) -> None:
    page = _open(browser, f"{dashboard_url}/{path}", title)
    if path == "articles":
        page.get_by_label("Search titles and text").fill("pwned")
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_timeout(800)
    shown = page.get_by_text(XSS_TITLE, exact=True)
    assert shown.count() >= 1  # the markup is on the page, as literal text
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator('img[src="x"]').count() == 0
    page.close()

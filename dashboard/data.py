"""The dashboard's only door to storage: cached reads, feed edits, reports and the feed preview.

Every read is a short unit of work under the file lock (storage.db.connect), wrapped in
st.cache_data with the widget values as arguments. Writes clear the caches they make stale.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.config import Settings, load_settings, with_changes
from core.countries import all_countries
from core.countries import country_name as core_country_name
from core.opml import OpmlError, OpmlFeed, build_opml, parse_opml
from core.reasons import explain
from core.reports import ReportRequest, to_csv
from core.topics import TopicQueryError, parse_query
from core.urls import check_url_syntax
from storage import alerts as alert_store
from storage import feeds as feed_store
from storage import queries
from storage import reports as report_store
from storage import topics as topic_store
from storage.db import Connection, connect
from storage.queries import ArticleFilter, DatabaseStatus, Headline, Scope

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).resolve().parent / "assets"
FIGURES_FILE = ROOT / "docs" / "figures.json"
DASHBOARD_LOCK_SECONDS = 5.0
TTL = "5m"
REPORT_KINDS = ("country-daily", "articles", "mentions")
SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


def settings() -> Settings:
    """Return the effective settings, with a short lock wait so a busy database fails fast."""
    loaded = load_settings()
    wait = min(loaded.lock_timeout_seconds, DASHBOARD_LOCK_SECONDS)
    return with_changes(loaded, lock_timeout_seconds=wait)


def _db() -> str:
    return str(settings().db)


def now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


# --- names and colours ---------------------------------------------------------------------------


def map_ids() -> dict[str, str]:
    """Return the world map's feature id (ISO numeric, three digits) by ISO alpha-3 code."""
    ids = {c.iso3: c.numeric.zfill(3) for c in all_countries() if c.numeric}
    ids["XKX"] = "XKX"  # Kosovo has no ISO numeric code; world_topojson() gives it this id
    return ids


def country_name(iso3: str) -> str:
    """Return the English name of a country (core.countries), or the code when it is unknown."""
    try:
        return core_country_name(iso3)
    except KeyError:
        return iso3


def country_label(iso3: str) -> str:
    """Return "Name (ISO3)" for pickers and legends."""
    return f"{country_name(iso3)} ({iso3})"


@st.cache_data
def world_topojson() -> dict[str, Any]:
    """Return the bundled world-atlas TopoJSON (ids are ISO numeric codes, Kosovo "XKX")."""
    loaded: dict[str, Any] = json.loads((ASSETS / "countries-110m.json").read_text("utf-8"))
    for geometry in loaded["objects"]["countries"]["geometries"]:
        if "id" not in geometry and geometry.get("properties", {}).get("name") == "Kosovo":
            geometry["id"] = "XKX"
    return loaded


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """What the database holds at all (for empty states) and the sidebar's choices."""

    status: DatabaseStatus
    sources: tuple[str, ...]
    countries: tuple[str, ...]


@st.cache_data(ttl="30s")
def _catalog(db: str) -> Catalog:
    with connect(settings()) as conn:
        known = queries.database_status(conn)
        sources = tuple(queries.source_names(conn))
        countries = tuple(queries.country_codes(conn))
    return Catalog(known, sources, countries)


def status() -> DatabaseStatus:
    """Return how many feeds and articles there are, and when data starts and ends."""
    return _catalog(_db()).status


def source_names() -> list[str]:
    """Return every source with stored articles."""
    return list(_catalog(_db()).sources)


def country_codes() -> list[str]:
    """Return every country ever mentioned, most covered first."""
    return list(_catalog(_db()).countries)


@st.cache_data(ttl="1m", max_entries=32)
def _headline(db: str, scope: Scope) -> Headline:
    with connect(settings()) as conn:
        return queries.headline(conn, scope)


def headline(scope: Scope) -> Headline:
    """Return the headline figures for the scope."""
    return _headline(_db(), scope)


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    frame["country"] = [country_label(c) for c in frame["iso3"]]
    return frame


def _totals_for_map(frame: pd.DataFrame) -> pd.DataFrame:
    ids = map_ids()
    frame["map_id"] = [ids.get(c) for c in frame["iso3"]]
    return _labelled(frame)


def _chosen_or_top(
    conn: Connection, scope: Scope, chosen: tuple[str, ...], limit: int
) -> list[str]:
    return list(chosen) if chosen else queries.top_countries(conn, scope, limit)


@dataclass(frozen=True)
class OverviewData:
    """Everything the overview charts: headline, countries shown, their series, the map."""

    headline: Headline
    countries: tuple[str, ...]
    series: pd.DataFrame
    totals: pd.DataFrame


@st.cache_data(ttl=TTL, max_entries=32)
def _overview(
    db: str, scope: Scope, chosen: tuple[str, ...], grain: str, min_articles: int
) -> OverviewData:
    with connect(settings()) as conn:
        head = queries.headline(conn, scope)
        countries = _chosen_or_top(conn, scope, chosen, 6)
        series = queries.country_series(conn, scope, countries, grain, min_articles)
        totals = queries.country_totals(conn, scope, min_articles)
    return OverviewData(head, tuple(countries), _labelled(series), _totals_for_map(totals))


def overview(selection: Selection) -> OverviewData:
    """Return the overview's data for the sidebar selection (top 6 countries when none picked)."""
    scope, min_articles = selection.scope, settings().min_articles
    return _overview(_db(), scope, selection.countries, selection.grain, min_articles)


@st.cache_data(ttl=TTL, max_entries=32)
def _default_countries(db: str, scope: Scope, chosen: tuple[str, ...], limit: int) -> list[str]:
    with connect(settings()) as conn:
        return _chosen_or_top(conn, scope, chosen, limit)


def default_countries(selection: Selection, limit: int) -> list[str]:
    """Return the countries picked in the sidebar, or the most covered ones when none are."""
    return _default_countries(_db(), selection.scope, selection.countries, limit)


@dataclass(frozen=True)
class CountryData:
    """Everything the country page shows about one country."""

    series: pd.DataFrame
    sources: pd.DataFrame
    co_mentions: pd.DataFrame
    histogram: pd.DataFrame
    most_negative: pd.DataFrame
    most_positive: pd.DataFrame


def _extremes(conn: Connection, scope: Scope, iso3: str, most_negative: bool) -> pd.DataFrame:
    frame = queries.extreme_articles(conn, scope, iso3, most_negative)
    frame["evidence"] = pd.Series([parse_evidence(e) for e in frame["evidence"]], dtype=object)
    return _safe_links(frame)


@st.cache_data(ttl=TTL, max_entries=32)
def _country(db: str, scope: Scope, iso3: str, grain: str, min_articles: int) -> CountryData:
    with connect(settings()) as conn:
        return CountryData(
            series=_labelled(queries.country_series(conn, scope, [iso3], grain, min_articles)),
            sources=queries.country_sources(conn, scope, iso3),
            co_mentions=_labelled(queries.co_mentions(conn, scope, iso3)),
            histogram=queries.tone_histogram(conn, scope, iso3),
            most_negative=_extremes(conn, scope, iso3, True),
            most_positive=_extremes(conn, scope, iso3, False),
        )


def country(selection: Selection, iso3: str) -> CountryData:
    """Return the country page's data for one country."""
    scope, min_articles = selection.scope, settings().min_articles
    return _country(_db(), scope, iso3, selection.grain, min_articles)


@dataclass(frozen=True)
class CompareData:
    """The compare page's series and per-country totals."""

    series: pd.DataFrame
    totals: pd.DataFrame


@st.cache_data(ttl=TTL, max_entries=32)
def _compare(
    db: str, scope: Scope, countries: tuple[str, ...], grain: str, min_articles: int
) -> CompareData:
    with connect(settings()) as conn:
        series = queries.country_series(conn, scope, list(countries), grain, min_articles)
        totals = queries.country_totals(conn, scope, min_articles, list(countries))
    return CompareData(_labelled(series), _labelled(totals))


def compare(selection: Selection, countries: list[str]) -> CompareData:
    """Return coverage and tone of several countries for the compare page."""
    scope, min_articles = selection.scope, settings().min_articles
    return _compare(_db(), scope, tuple(countries), selection.grain, min_articles)


def _safe_links(frame: pd.DataFrame, column: str = "url") -> pd.DataFrame:
    """Blank out links that are not plain http(s), so a feed cannot plant javascript: links."""
    frame[column] = [
        u if isinstance(u, str) and SAFE_LINK.match(u) else None for u in frame[column]
    ]
    return frame


def parse_evidence(raw: str) -> list[dict[str, Any]]:
    """Return the evidence sentences stored as JSON text ([] when it is unreadable)."""
    try:
        items = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


@st.cache_data(ttl="1m", max_entries=64)
def _article_page(
    db: str, scope: Scope, filt: ArticleFilter, limit: int, offset: int
) -> tuple[int, pd.DataFrame]:
    with connect(settings()) as conn:
        total, frame = queries.search_articles(conn, scope, filt, limit, offset)
    return total, _safe_links(frame)


def article_page(
    scope: Scope, filt: ArticleFilter, page_size: int, page: int
) -> tuple[int, pd.DataFrame]:
    """Return (how many articles match, one page of them, newest first); pages start at 1."""
    return _article_page(_db(), scope, filt, page_size, (max(page, 1) - 1) * page_size)


@st.cache_data(ttl=TTL, max_entries=64)
def _article_detail(db: str, article_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    with connect(settings()) as conn:
        row = queries.article(conn, article_id)
        evidence = queries.article_evidence(conn, article_id)
    return _safe_links(row), _labelled(evidence)


def article_detail(article_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (the article row, its per-country tone with one row per evidence sentence)."""
    return _article_detail(_db(), article_id)


@st.cache_data(ttl="1m")
def _engine_agreement(db: str) -> queries.EngineAgreement:
    with connect(settings()) as conn:
        return queries.engine_agreement(conn)


def engine_agreement() -> queries.EngineAgreement:
    """Return which engines scored the stored rows and how often the two disagree."""
    return _engine_agreement(_db())


@st.cache_data(ttl="15s")
def _feed_health(db: str, at: datetime) -> pd.DataFrame:
    with connect(settings()) as conn:
        frame = queries.feed_health(conn, at)
    frame["last_error_text"] = [
        explain(r if isinstance(r, str) else None) for r in frame["last_error"]
    ]
    frame["state"] = [_feed_state(r) for r in frame.itertuples()]
    return frame


def _feed_state(row: Any) -> str:
    if not row.is_enabled:
        return "paused"
    if row.error_count > 0:
        return f"failing ({row.error_count}x)"
    if pd.isna(row.last_success_at):
        return "not fetched yet"
    return "ok"


def feed_health() -> pd.DataFrame:
    """Return every feed with its health, the last error in words and its articles in 7 days."""
    at = now().replace(second=0, microsecond=0)  # minute resolution keeps the cache useful
    return _feed_health(_db(), at)


def clear_caches() -> None:
    """Forget every cached read, after a write changed what they return."""
    st.cache_data.clear()


# --- feed edits ----------------------------------------------------------------------------------


def add_feed(url: str, title: str | None, interval_minutes: int) -> int:
    """Watch a new feed, due at once; raise FeedExistsError when the URL is already watched."""
    with connect(settings(), write=True) as conn:
        feed_id = feed_store.add_feed(conn, url.strip(), title or None, interval_minutes, now())
    clear_caches()
    return feed_id


def update_feed(feed_id: int, title: str, interval_minutes: int, is_enabled: bool) -> None:
    """Save a feed's title, interval and paused state in one write."""
    with connect(settings(), write=True) as conn:
        current = feed_store.get_feed(conn, feed_id)
        if title.strip() and title.strip() != (current.title or ""):
            feed_store.rename_feed(conn, feed_id, title.strip())
        if interval_minutes != current.interval_minutes:
            feed_store.set_interval(conn, feed_id, interval_minutes)
        if is_enabled != current.is_enabled:
            feed_store.set_enabled(conn, feed_id, is_enabled, now())
    clear_caches()


def remove_feed(feed_id: int) -> None:
    """Stop watching a feed; its articles stay."""
    with connect(settings(), write=True) as conn:
        feed_store.remove_feed(conn, feed_id)
    clear_caches()


def fetch_now(feed_id: int) -> None:
    """Make a feed due now; the jobs process fetches it at its next tick."""
    with connect(settings(), write=True) as conn:
        feed_store.request_refresh(conn, feed_id, now())
    clear_caches()


@dataclass(frozen=True)
class ImportResult:
    """What an OPML import did."""

    added: int
    already_watched: int
    refused: tuple[str, ...]


def import_opml(data: bytes, interval_minutes: int) -> ImportResult:
    """Add the new feeds of an OPML file; raise OpmlError with a message when it is unreadable."""
    listed = parse_opml(data)
    refused = tuple(f"{f.url}: {p}" for f in listed if (p := check_url_syntax(f.url)))
    good = [f for f in listed if not check_url_syntax(f.url)]
    added = existing = 0
    with connect(settings(), write=True) as conn:
        for feed in good:
            try:
                feed_store.add_feed(conn, feed.url.strip(), feed.title, interval_minutes, now())
                added += 1
            except feed_store.FeedExistsError:
                existing += 1
    clear_caches()
    return ImportResult(added, existing, refused)


def export_opml() -> bytes:
    """Return every watched feed as an OPML document."""
    with connect(settings()) as conn:
        listed = feed_store.list_feeds(conn)
    return build_opml([OpmlFeed(url=f.url, title=f.title) for f in listed])


__all__ = ["OpmlError", "FeedExistsError", "FeedNotFoundError"]
FeedExistsError = feed_store.FeedExistsError
FeedNotFoundError = feed_store.FeedNotFoundError


# --- the add-a-feed preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedPreview:
    """What one trial fetch of a feed URL found: its title and item count, or a problem sentence."""

    url: str
    title: str | None
    items: int
    problem: str | None


def preview_feed(url: str) -> FeedPreview:
    """Fetch a feed URL once and return its title and item count, or a problem sentence.

    The trial fetch runs `tonewatch feeds check --json` in a child process, so the dashboard uses
    the jobs' own guarded fetcher (address checks at connect time, on every redirect) without
    importing the jobs package; no database connection is open meanwhile.
    """
    url = url.strip()
    problem = check_url_syntax(url)
    if problem:
        return FeedPreview(url, None, 0, problem)
    config = settings()
    command = [
        sys.executable,
        "-m",
        "jobs",
        "--db",
        str(config.db),
        "feeds",
        "check",
        url,
        "--json",
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=config.fetch_deadline_seconds + 30,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return FeedPreview(url, None, 0, explain("timeout"))
    try:
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        log.warning("feed check gave no answer url=%s stderr=%s", url, done.stderr[-500:])
        return FeedPreview(url, None, 0, "The feed could not be checked; see the dashboard log.")
    if found.get("reason") != "ok":
        return FeedPreview(url, None, 0, str(found.get("message") or explain(found.get("reason"))))
    return FeedPreview(url, found.get("title"), int(found.get("items", 0)), None)


# --- reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A report's first rows and size for the preview; its whole CSV is built on request."""

    request: ReportRequest
    columns: tuple[str, ...]
    preview: list[tuple[Any, ...]]
    size: int

    def frame(self) -> pd.DataFrame:
        """Return the preview rows as a DataFrame."""
        return pd.DataFrame(self.preview, columns=list(self.columns))

    def csv(self) -> bytes:
        """Return the whole report's CSV bytes, exactly as the CLI writes them."""
        return _report_csv(_db(), self.request)


@st.cache_data(ttl="1m", max_entries=16)
def _report_preview(db: str, request: ReportRequest, rows: int) -> Report:
    with connect(settings()) as conn:  # one lock for the preview rows and the size
        columns, preview = report_store.report_rows(conn, request, country_name, rows)
        size = report_store.report_size(conn, request, country_name)
    return Report(request, tuple(columns), preview, size)


@st.cache_data(ttl="1m", max_entries=4)
def _report_csv(db: str, request: ReportRequest) -> bytes:
    with connect(settings()) as conn:
        columns, rows = report_store.report_rows(conn, request, country_name)
    return to_csv(columns, rows)


def report(
    kind: str,
    date_from: date,
    date_to: date,
    countries: tuple[str, ...],
    topic_id: int | None = None,
    preview_rows: int = 200,
) -> Report:
    """Return one of the CLI's reports (country-daily, articles, mentions) for a period: its
    first preview_rows rows and its size; Report.csv() builds the whole file."""
    request = ReportRequest(kind, date_from, date_to, countries, topic_id)
    return _report_preview(_db(), request, preview_rows)


@dataclass(frozen=True)
class ReportFile:
    """A CSV the jobs process wrote into the reports folder."""

    name: str
    path: Path
    size_bytes: int
    modified_at: datetime


def scheduled_reports() -> list[ReportFile]:
    """Return the CSV files in settings.reports_dir, newest first ([] when there is no folder)."""
    folder = settings().reports_dir
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.csv"):
        info = path.stat()
        modified = datetime.fromtimestamp(info.st_mtime, tz=UTC)
        found.append(ReportFile(path.name, path, info.st_size, modified))
    return sorted(found, key=lambda f: (f.modified_at, f.name), reverse=True)


def read_report_file(report_file: ReportFile) -> bytes:
    """Return the bytes of a scheduled report file."""
    return report_file.path.read_bytes()


# --- method page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Measured accuracy: when, and one row per figure (name, value, detail)."""

    measured_at: str
    rows: pd.DataFrame


def measured_figures(path: Path = FIGURES_FILE) -> Figures | None:
    """Return the accuracy figures the evaluation wrote, or None when there are none.

    Expected JSON: {"measured_at": "2026-11-27", "figures": [{"name": "...", "value": 0.91,
    "detail": "297 gold sentences"}, ...]}.
    """
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    listed = loaded.get("figures") if isinstance(loaded, dict) else None
    if not isinstance(listed, list):
        return None
    rows = [
        {
            "figure": str(f.get("name", "")),
            "value": f.get("value"),
            "detail": str(f.get("detail", "")),
        }
        for f in listed
        if isinstance(f, dict)
    ]
    if not rows:
        return None
    return Figures(str(loaded.get("measured_at", "")), pd.DataFrame(rows))


def default_period(days: int) -> tuple[date, date]:
    """Return the inclusive range of the last `days` days up to today (UTC)."""
    today = now().date()
    return today - timedelta(days=days - 1), today


# --- the shared sidebar's selection --------------------------------------------------------------

PERIOD_PRESETS: dict[str, int | None] = {
    "Last 7 days": 7,
    "Last 30 days": 30,
    "Last 90 days": 90,
    "Last 365 days": 365,
    "All data": None,
    "Custom": None,
}
SELECTION_KEY = "tonewatch_selection"


@dataclass(frozen=True)
class Selection:
    """The sidebar's choices: the scope (period, sources), the granularity and the countries."""

    scope: Scope
    grain: str
    countries: tuple[str, ...]


def preset_period(preset: str, custom: tuple[date, date] | None) -> tuple[date, date]:
    """Return the inclusive date range of a period preset (custom range for "Custom")."""
    days = PERIOD_PRESETS.get(preset)
    if days is not None:
        return default_period(days)
    if preset == "Custom" and custom is not None:
        return custom
    known = status()
    if known.first_day is not None and known.last_day is not None:
        return known.first_day, max(known.last_day, now().date())
    return default_period(30)


def remember_selection(selection: Selection) -> None:
    """Keep the sidebar's selection for the page of this run."""
    st.session_state[SELECTION_KEY] = selection


def selection() -> Selection:
    """Return the sidebar's selection (the last 30 days, all sources, when none is set)."""
    chosen = st.session_state.get(SELECTION_KEY)
    if isinstance(chosen, Selection):
        return chosen
    date_from, date_to = default_period(30)
    return Selection(Scope(date_from, date_to), "day", ())


def url_problem(url: str) -> str | None:
    """Return why a URL cannot be watched (its syntax), or None when it looks fine."""
    return check_url_syntax(url)


# --- topics, the watch list and alerts ----------------------------------------------------------


@dataclass(frozen=True)
class TopicRow:
    """A saved topic with how many stored articles match it."""

    id: int
    name: str
    query: str
    articles: int
    is_pending: bool


@st.cache_data(ttl="30s")
def _topics(db: str) -> tuple[TopicRow, ...]:
    with connect(settings()) as conn:
        counts = topic_store.topic_match_counts(conn)
        listed = topic_store.list_topics(conn)
    return tuple(
        TopicRow(t.id, t.name, t.query, counts.get(t.id, 0), t.needs_rematch) for t in listed
    )


def topics() -> list[TopicRow]:
    """Return the saved topics, by name."""
    return list(_topics(_db()))


def topic_query_problem(query: str) -> str | None:
    """Return why a topic query does not parse, with a caret under the position, or None."""
    try:
        parse_query(query, {c.iso3 for c in all_countries()})
    except TopicQueryError as exc:
        return f"{exc}\n{query}\n{' ' * exc.position}^"
    return None


def save_topic(name: str, query: str, is_new: bool) -> None:
    """Add or change a topic; the jobs process re-matches stored articles at its next tick."""
    with connect(settings(), write=True) as conn:
        if is_new:
            topic_store.add_topic(conn, name.strip(), query.strip(), now())
        else:
            topic_store.update_topic(conn, name, query.strip(), now())
    clear_caches()


def remove_topic(name: str) -> None:
    """Delete a topic and its matches (the articles stay)."""
    with connect(settings(), write=True) as conn:
        topic_store.remove_topic(conn, name)
    clear_caches()


@dataclass(frozen=True)
class TopicsData:
    """The Topics page: share of voice per period and tone toward countries within each topic."""

    volume: pd.DataFrame
    country_tone: pd.DataFrame


@st.cache_data(ttl=TTL, max_entries=16)
def _topics_page(db: str, scope: Scope, grain: str) -> TopicsData:
    with connect(settings()) as conn:
        volume = topic_store.topic_volume(conn, scope.start, scope.end, grain)
        tone = topic_store.topic_country_tone(conn, scope.start, scope.end)
    return TopicsData(volume, _labelled(tone))


def topics_page(selection: Selection) -> TopicsData:
    """Return the Topics page's data for the sidebar's period and granularity."""
    return _topics_page(_db(), selection.scope, selection.grain)


@st.cache_data(ttl="30s")
def _watched(db: str) -> tuple[str, ...]:
    with connect(settings()) as conn:
        return tuple(topic_store.watched_countries(conn))


def watched_countries() -> list[str]:
    """Return the countries the user follows (the pages' default countries)."""
    return list(_watched(_db()))


def set_watched_countries(codes: list[str]) -> None:
    """Make the watch list exactly these countries."""
    current = set(watched_countries())
    with connect(settings(), write=True) as conn:
        topic_store.unwatch(conn, sorted(current - set(codes)))
        topic_store.watch(conn, sorted(set(codes) - current), now())
    clear_caches()


@st.cache_data(ttl="30s")
def _recent_alerts(db: str, hour: datetime) -> int:
    with connect(settings()) as conn:
        return alert_store.recent_alert_count(conn, now())


def recent_alert_count() -> int:
    """Return how many alerts fired in the last 24 hours (the navigation badge)."""
    return _recent_alerts(_db(), now().replace(minute=0, second=0, microsecond=0))


@st.cache_data(ttl="30s")
def _alerts(db: str) -> pd.DataFrame:
    with connect(settings()) as conn:
        return alert_store.alerts_frame(conn)


def alerts() -> pd.DataFrame:
    """Return every alert, newest first."""
    return _alerts(_db())


def alert_detail(alert_id: int) -> dict[str, Any]:
    """Return one alert's driving articles (with evidence) and sources."""
    with connect(settings()) as conn:
        return alert_store.alert_detail(conn, alert_id)


def alerts_csv() -> bytes:
    """Return every alert as CSV, as `tonewatch alerts` writes it."""
    with connect(settings()) as conn:
        rows = alert_store.alert_rows(conn)
    return to_csv(alert_store.ALERT_COLUMNS, rows)

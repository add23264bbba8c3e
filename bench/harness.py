"""What the crash and soak runs share: a database watching feeds on a local FeedServer, the jobs
process that polls them (started, stopped, killed), waiting until it has stored what is served,
and the invariants a database must keep whatever happened to that process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb

from core.config import Settings, load_settings
from core.parse import parse_feed
from storage import feeds as feed_store
from storage.db import connect, ensure_database
from tests.support.feed_server import FeedServer

REPO = Path(__file__).resolve().parent.parent
NUDGE_SECONDS = 3.0


# ---- the database and its feeds ----------------------------------------------------------------


def settings_in(folder: Path, db_name: str = "tonewatch.duckdb") -> Settings:
    """Settings for a database (and data folder) in folder, allowed to fetch from 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    return load_settings(
        {}, db=folder / db_name, data_dir=folder / "data", allow_private_networks=True
    )


def real_entries() -> list[tuple[str, str]]:
    """(title, text cut to 2,000 characters) of every entry of the real feed snapshots."""
    pool = []
    for path in sorted((REPO / "jobs" / "demo_feeds").glob("*.xml")):
        for entry in parse_feed(path.read_bytes(), path.name).entries:
            if entry.title and entry.text:
                pool.append((entry.title, entry.text[:2000]))
    return pool


def watch_feeds(settings: Settings, server: FeedServer, paths: Sequence[str]) -> None:
    """Create the database; watch each path on the server, titled by its file name, every minute."""
    ensure_database(settings)
    now = datetime.now(UTC)
    with connect(settings, write=True) as conn:
        for path in paths:
            feed_store.add_feed(conn, server.url(path), PurePosixPath(path).stem, 1, now)


def feeds_behind(settings: Settings, served: Mapping[str, str]) -> list[int]:
    """Ids of the enabled feeds whose stored ETag is not the one served at their URL path."""
    with connect(settings) as conn:
        feeds = [f for f in feed_store.list_feeds(conn) if f.is_enabled]
    return [f.id for f in feeds if served.get("/" + f.url.rsplit("/", 1)[-1]) != f.etag]


def make_due(settings: Settings, feed_ids: Sequence[int]) -> None:
    """Make these feeds due now (their last check may have set next_check_at a minute ahead)."""
    now = datetime.now(UTC)
    with connect(settings, write=True) as conn:
        for feed_id in feed_ids:
            feed_store.request_refresh(conn, feed_id, now)


def wait_until_stored(
    settings: Settings,
    served: Mapping[str, str],
    jobs: subprocess.Popen[bytes],
    timeout_seconds: float,
) -> list[int]:
    """Wait until every enabled feed stored what it serves, making the laggards due every few
    seconds; return the feeds still behind when the jobs process exited or time ran out."""
    deadline = time.monotonic() + timeout_seconds
    last_nudge = time.monotonic()
    while pending := feeds_behind(settings, served):
        if jobs.poll() is not None or time.monotonic() > deadline:
            return pending
        if time.monotonic() - last_nudge > NUDGE_SECONDS:
            make_due(settings, pending)
            last_nudge = time.monotonic()
        time.sleep(0.25)
    return []


# ---- the jobs process --------------------------------------------------------------------------


def jobs_env(settings: Settings, level: str) -> dict[str, str]:
    """The environment of a jobs or CLI child: this database, 1 s ticks, 127.0.0.1 allowed."""
    return dict(
        os.environ,
        TONEWATCH_ALLOW_PRIVATE_NETWORKS="1",
        TONEWATCH_POLL_SECONDS="1",
        TONEWATCH_DATA_DIR=str(settings.data_dir),
        TONEWATCH_LOG_LEVEL=level,
        TONEWATCH_DB=str(settings.db),
        PYTHONPATH=str(REPO),
    )


def start_jobs(db: Path, log_path: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start `python -m jobs --db DB jobs` in a session of its own, logging to log_path."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "jobs", "--db", str(db), "jobs"],
            cwd=REPO,
            env=dict(env),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def wait_until_started(log_path: Path, offset: int, jobs: subprocess.Popen[bytes]) -> None:
    """Wait until the jobs process logged its start (its scheduler is about to tick)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and jobs.poll() is None:
        with log_path.open("rb") as log:
            log.seek(offset)
            if b"jobs started" in log.read():
                return
        time.sleep(0.05)


def kill(jobs: subprocess.Popen[bytes]) -> None:
    """SIGKILL the jobs process and reap it."""
    if jobs.poll() is None:
        os.killpg(jobs.pid, signal.SIGKILL)
    jobs.wait(timeout=30)


def stop(jobs: subprocess.Popen[bytes], timeout_seconds: float = 60) -> None:
    """Stop the jobs process with SIGTERM; SIGKILL it if it has not exited in time."""
    if jobs.poll() is None:
        jobs.send_signal(signal.SIGTERM)
    try:
        jobs.wait(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(jobs.pid, signal.SIGKILL)
        jobs.wait()


# ---- the invariants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The invariants of one database state (all counts should be 0)."""

    label: str
    opened: bool
    articles: int = 0
    tone_rows: int = 0
    articles_without_country: int = 0
    articles_missing_country_rows: int = 0
    tones_without_article: int = 0
    topics_without_article: int = 0
    duplicate_url_keys: int = 0
    duplicate_titles_7d: int = 0
    country_daily_mismatches: int = 0
    source_daily_mismatches: int = 0
    error: str = ""

    def problems(self) -> dict[str, int]:
        """The invariant counts that are not zero."""
        names = (
            "articles_missing_country_rows",
            "tones_without_article",
            "topics_without_article",
            "duplicate_url_keys",
            "duplicate_titles_7d",
            "country_daily_mismatches",
            "source_daily_mismatches",
        )
        return {n: getattr(self, n) for n in names if getattr(self, n)}


_DAILY_REBUILD = """
    SELECT CAST(a.published_at AS DATE) AS day, t.iso3, a.source, count(*) AS articles,
           sum(t.tone) AS tone_sum, sum(t.tone * t.tone) AS tone_sq_sum,
           sum(t.sentences) AS sentences
    FROM article_tones t JOIN articles a ON a.id = t.article_id GROUP BY ALL
"""
_COUNTS = {
    "articles": "SELECT count(*) FROM articles",
    "tone_rows": "SELECT count(*) FROM article_tones",
    "articles_without_country": "SELECT count(*) FROM articles WHERE country_count = 0",
    "articles_missing_country_rows": "SELECT count(*) FROM articles a WHERE a.country_count <>"
    " (SELECT count(*) FROM article_tones t WHERE t.article_id = a.id)",
    "tones_without_article": "SELECT count(*) FROM article_tones t WHERE NOT EXISTS"
    " (SELECT 1 FROM articles a WHERE a.id = t.article_id)",
    "topics_without_article": "SELECT count(*) FROM article_topics t WHERE NOT EXISTS"
    " (SELECT 1 FROM articles a WHERE a.id = t.article_id)",
    "duplicate_url_keys": "SELECT count(*) - count(DISTINCT url_key) FROM articles",
    "duplicate_titles_7d": "SELECT count(*) FROM articles a JOIN articles b"
    " ON a.source = b.source AND a.title_key = b.title_key AND a.id < b.id"
    " AND abs(epoch(a.published_at) - epoch(b.published_at)) <= 7 * 86400",
    "country_daily_mismatches": f"""
    SELECT count(*) FROM country_daily d FULL OUTER JOIN ({_DAILY_REBUILD}) r
      ON d.day = r.day AND d.iso3 = r.iso3 AND d.source = r.source
    WHERE d.day IS NULL OR r.day IS NULL OR d.articles <> r.articles
       OR d.sentences <> r.sentences OR abs(d.tone_sum - r.tone_sum) > 1e-6
       OR abs(d.tone_sq_sum - r.tone_sq_sum) > 1e-6""",
    "source_daily_mismatches": """
    SELECT count(*) FROM source_daily d FULL OUTER JOIN (
        SELECT CAST(published_at AS DATE) AS day, source, count(*) AS articles
        FROM articles GROUP BY ALL) r ON d.day = r.day AND d.source = r.source
    WHERE d.day IS NULL OR r.day IS NULL OR d.articles <> r.articles""",
}


def _count(conn: duckdb.DuckDBPyConnection, name: str) -> int:
    return int((conn.execute(_COUNTS[name]).fetchone() or (0,))[0])


def check_database(db: Path, label: str) -> Check:
    """Open the database read-only, as the dashboard would, and count invariant violations."""
    try:
        conn = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return Check(label, opened=False, error=str(exc).splitlines()[0])
    try:
        counts: dict[str, Any] = {name: _count(conn, name) for name in _COUNTS}
    finally:
        conn.close()
    return Check(label, opened=True, **counts)


def duplicate_articles(conn: duckdb.DuckDBPyConnection) -> int:
    """Articles stored twice: the same url_key, or one source's same title within 7 days."""
    return _count(conn, "duplicate_url_keys") + _count(conn, "duplicate_titles_7d")

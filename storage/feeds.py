"""The watched feeds: add, edit, list, the due queue, and recording what each fetch came to."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import UserFacingError
from core.models import Feed, FetchOutcome
from storage.db import Connection

_FEED_COLUMNS = (
    "id, url, title, interval_minutes, is_enabled, etag, last_modified, next_check_at,"
    " error_count, last_error"
)


class FeedExistsError(UserFacingError, ValueError):
    """The URL is already watched."""


class FeedNotFoundError(UserFacingError, LookupError):
    """No feed has that id."""


def _feed(row: tuple[object, ...]) -> Feed:
    return Feed(*row)  # type: ignore[arg-type]


def add_feed(
    conn: Connection, url: str, title: str | None, interval_minutes: int, now: datetime
) -> int:
    """Insert a feed, due at once; return its id, or raise FeedExistsError if the URL is watched."""
    if conn.execute("SELECT 1 FROM feeds WHERE url = ?", [url]).fetchone():
        raise FeedExistsError(f"{url} is already watched")
    row = conn.execute(
        "INSERT INTO feeds (url, title, interval_minutes, next_check_at, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [url, title, interval_minutes, now, now],
    ).fetchone()
    assert row is not None
    return int(row[0])


def get_feed(conn: Connection, feed_id: int) -> Feed:
    """Return one feed; raise FeedNotFoundError when there is none with that id."""
    row = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", [feed_id]).fetchone()
    if row is None:
        raise FeedNotFoundError(f"there is no feed with id {feed_id}")
    return _feed(row)


def list_feeds(conn: Connection) -> list[Feed]:
    """Return every feed, by id."""
    rows = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()
    return [_feed(r) for r in rows]


def count_feeds(conn: Connection) -> int:
    """Return how many feeds are watched, enabled or not."""
    row = conn.execute("SELECT count(*) FROM feeds").fetchone()
    return int(row[0]) if row else 0


def _update(conn: Connection, feed_id: int, assignments: str, params: list[object]) -> None:
    found = conn.execute(
        f"UPDATE feeds SET {assignments} WHERE id = ? RETURNING id", [*params, feed_id]
    ).fetchone()
    if found is None:
        raise FeedNotFoundError(f"there is no feed with id {feed_id}")


def remove_feed(conn: Connection, feed_id: int) -> None:
    """Stop watching a feed; its articles stay."""
    found = conn.execute("DELETE FROM feeds WHERE id = ? RETURNING id", [feed_id]).fetchone()
    if found is None:
        raise FeedNotFoundError(f"there is no feed with id {feed_id}")


def set_enabled(conn: Connection, feed_id: int, is_enabled: bool, now: datetime) -> None:
    """Pause or resume a feed; resuming also clears its errors and makes it due now."""
    if is_enabled:
        _update(conn, feed_id, "is_enabled = TRUE, error_count = 0, next_check_at = ?", [now])
    else:
        _update(conn, feed_id, "is_enabled = FALSE", [])


def rename_feed(conn: Connection, feed_id: int, title: str) -> None:
    """Set a feed's display title (used as the articles' source name from then on)."""
    _update(conn, feed_id, "title = ?", [title])


def set_interval(conn: Connection, feed_id: int, interval_minutes: int) -> None:
    """Set how often a feed is checked, in minutes."""
    _update(conn, feed_id, "interval_minutes = ?", [interval_minutes])


def request_refresh(conn: Connection, feed_id: int, now: datetime) -> None:
    """Make a feed due now; the jobs process fetches it at its next tick."""
    _update(conn, feed_id, "next_check_at = ?", [now])


def due_feeds(
    conn: Connection, now: datetime, error_limit: int, limit: int = 500, include_all: bool = False
) -> list[Feed]:
    """Return the enabled feeds that are due (all of them with include_all), oldest first."""
    condition = "" if include_all else "AND next_check_at <= ? AND error_count < ?"
    params: list[object] = [] if include_all else [now, error_limit]
    rows = conn.execute(
        f"SELECT {_FEED_COLUMNS} FROM feeds WHERE is_enabled {condition}"
        " ORDER BY next_check_at, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [_feed(r) for r in rows]


def next_check(
    feed: Feed, outcome: FetchOutcome, now: datetime, max_backoff_minutes: int
) -> datetime:
    """Return when to check a feed again: its interval, backed off after errors."""
    interval = timedelta(minutes=feed.interval_minutes)
    if outcome.is_error:
        backoff = interval * (1 + feed.error_count + 1)
        interval = min(backoff, timedelta(minutes=max(max_backoff_minutes, feed.interval_minutes)))
    if outcome.retry_after_seconds:
        retry = timedelta(seconds=min(outcome.retry_after_seconds, max_backoff_minutes * 60))
        interval = max(interval, retry)
    return now + interval


def record_outcome(
    conn: Connection, feed: Feed, outcome: FetchOutcome, now: datetime, max_backoff_minutes: int
) -> None:
    """Store what a fetch came to: validators, errors and backoff, the next check, and a log row."""
    when = next_check(feed, outcome, now, max_backoff_minutes)
    if outcome.is_error:
        conn.execute(
            "UPDATE feeds SET error_count = error_count + 1, last_error = ?, last_error_detail = ?,"
            " last_checked_at = ?, next_check_at = ? WHERE id = ?",
            [outcome.reason, outcome.detail[:500], now, when, feed.id],
        )
    else:
        conn.execute(
            "UPDATE feeds SET error_count = 0, last_error = NULL, last_error_detail = NULL,"
            " last_checked_at = ?, last_success_at = ?, next_check_at = ?,"
            " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
            " title = coalesce(title, ?) WHERE id = ?",
            [now, now, when, outcome.etag, outcome.last_modified, outcome.feed_title, feed.id],
        )
    conn.execute(
        "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now,
            feed.id,
            outcome.status,
            outcome.reason,
            outcome.http_status,
            outcome.entries,
            outcome.new_articles,
            outcome.elapsed_ms,
            outcome.detail[:500] or None,
        ],
    )


def set_url(conn: Connection, feed_id: int, url: str) -> None:
    """Change where a feed is fetched from (the demo's server port changes between runs)."""
    _update(conn, feed_id, "url = ?, etag = NULL, last_modified = NULL", [url])

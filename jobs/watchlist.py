"""Adding feeds the way every entry point does: URL checked, OPML imported, defaults seeded."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from core.config import Settings
from core.errors import UserFacingError
from core.models import Feed
from core.opml import OpmlFeed, build_opml, parse_opml
from core.parse import FeedParseError, parse_feed
from core.reasons import explain
from jobs.fetch import check_feed_url, fetch_all
from storage import feeds as feed_store
from storage.db import connect

log = logging.getLogger(__name__)


class FeedRefusedError(UserFacingError, ValueError):
    """The feed cannot be watched; the message says why in a sentence."""


@dataclass(frozen=True)
class FeedCheck:
    """One trial fetch of a feed URL: its title and item count, or the reason it failed."""

    url: str
    title: str | None
    items: int
    reason: str  # "ok" or a fixed failure reason (core.reasons)
    message: str  # a sentence for people

    @property
    def is_ok(self) -> bool:
        """True when the URL gave a readable feed."""
        return self.reason == "ok"


def check_feed(settings: Settings, url: str) -> FeedCheck:
    """Fetch a feed URL once, through the same guarded fetcher as the jobs, and parse it."""
    url = url.strip()
    problem = check_feed_url(url, settings)
    if problem:
        return FeedCheck(url, None, 0, "bad_url", problem)
    [(_, outcome)] = fetch_all([Feed(id=0, url=url)], settings)
    if outcome.status != "ok" or outcome.body is None:
        return FeedCheck(url, None, 0, outcome.reason, explain(outcome.reason))
    try:
        parsed = parse_feed(outcome.body, url)
    except FeedParseError:
        return FeedCheck(url, None, 0, "parse_error", explain("parse_error"))
    return FeedCheck(url, parsed.title, len(parsed.entries), "ok", explain("ok"))


@dataclass(frozen=True)
class ImportResult:
    """What an OPML import did: feeds added, already watched, and refused with reasons."""

    added: int
    existing: int
    refused: list[tuple[str, str]]


def add_feed(
    settings: Settings, url: str, title: str | None, interval_minutes: int | None, now: datetime
) -> int:
    """Check the URL, then watch the feed; return its id or raise FeedRefusedError."""
    url = url.strip()
    problem = check_feed_url(url, settings)
    if problem:
        raise FeedRefusedError(problem)
    interval = interval_minutes or settings.default_interval_minutes
    if interval < 1:
        raise FeedRefusedError("the check interval must be at least one minute")
    with connect(settings, write=True) as conn:
        try:
            return feed_store.add_feed(conn, url, title, interval, now)
        except feed_store.FeedExistsError as exc:
            raise FeedRefusedError(str(exc)) from None


def import_opml(settings: Settings, data: bytes, now: datetime) -> ImportResult:
    """Watch every feed of an OPML document that passes the URL check; report the others."""
    entries = parse_opml(data)
    accepted: list[OpmlFeed] = []
    refused: list[tuple[str, str]] = []
    for entry in entries:
        problem = check_feed_url(entry.url, settings)
        if problem:
            refused.append((entry.url, problem))
        else:
            accepted.append(entry)
    added = existing = 0
    with connect(settings, write=True) as conn:
        for entry in accepted:
            try:
                feed_store.add_feed(
                    conn, entry.url, entry.title, settings.default_interval_minutes, now
                )
                added += 1
            except feed_store.FeedExistsError:
                existing += 1
    return ImportResult(added=added, existing=existing, refused=refused)


def export_opml(settings: Settings) -> bytes:
    """Return the watched feeds as an OPML document."""
    with connect(settings) as conn:
        feeds = feed_store.list_feeds(conn)
    return build_opml([OpmlFeed(url=f.url, title=f.title) for f in feeds])


def default_feeds_opml() -> bytes:
    """Return the shipped default watch list."""
    return resources.files("jobs").joinpath("data/default-feeds.opml").read_bytes()


def seed_default_feeds(settings: Settings, now: datetime) -> int:
    """Import the default watch list when no feed is watched yet; return how many were added."""
    with connect(settings) as conn:
        if feed_store.count_feeds(conn):
            return 0
    result = import_opml(settings, default_feeds_opml(), now)
    log.info("seeded default feeds added=%d", result.added)
    return result.added

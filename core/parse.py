"""Feed bytes to entries: the only feedparser import. Bozo feeds keep their entries."""

from __future__ import annotations

import calendar
import collections
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from core.html import clean_text, html_to_text

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 200_000
MAX_ENTRIES = 5_000
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=1)


class FeedParseError(ValueError):
    """The body is not a feed at all: no version and no entries."""


@dataclass(frozen=True)
class ParsedEntry:
    """One feed entry reduced to plain text and a UTC date (None when the feed gives none)."""

    title: str
    text: str
    link: str | None
    guid: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title, format, entries, and the bozo reason when it was ill-formed."""

    title: str | None
    version: str
    entries: tuple[ParsedEntry, ...]
    bozo_reason: str | None
    truncated: bool = False


def parse_feed(body: bytes, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body; raise FeedParseError only when it holds no feed at all."""
    headers = {"content-type": content_type} if content_type else {}
    body, cut = _first_entries(body, MAX_ENTRIES)
    try:
        parsed = _feedparser(body, headers)
    except (UnicodeDecodeError, LookupError):
        # feedparser raises (instead of setting bozo) when the XML declaration's encoding name
        # is not even UTF-8; without the name it detects the encoding from the bytes.
        parsed = _feedparser(_XML_DECLARED_ENCODING.sub(rb"\1", body, count=1), headers)
    raw_entries = list(parsed.entries)
    if not parsed.get("version") and not raw_entries:
        reason = _bozo_reason(parsed) or "no feed found"
        raise FeedParseError(reason)
    entries = [e for e in (_entry(raw, url) for raw in raw_entries[:MAX_ENTRIES]) if e is not None]
    if parsed.get("bozo"):
        log.debug("bozo feed url=%s reason=%s", url, _bozo_reason(parsed))
    title = clean_text(str(parsed.feed.get("title", "")))[:MAX_TITLE_CHARS] or None
    return ParsedFeed(
        title=title,
        version=str(parsed.get("version") or "unknown"),
        entries=tuple(entries),
        bozo_reason=_bozo_reason(parsed),
        truncated=cut or len(raw_entries) > MAX_ENTRIES,
    )


_XML_DECLARED_ENCODING = re.compile(
    rb"^(<\?[^>]*?)encoding\s*=\s*(['\"])[^'\"]*\2"
)  # as feedparser finds it


def _feedparser(body: bytes, headers: dict[str, str]) -> Any:
    return feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )


_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)


def _first_entries(body: bytes, limit: int) -> tuple[bytes, bool]:
    """Cut a body with more than limit entries after the limit-th one, keeping its closing tags.

    feedparser takes about a third of a millisecond per entry, so 100,000 tiny entries (4 MB,
    under the size cap) would hold the jobs process for over half a minute per fetch.
    """
    ends = _ENTRY_END.finditer(body)
    nth = next((m for i, m in enumerate(ends, start=1) if i == limit), None)
    if nth is None:
        return body, False
    last = collections.deque(ends, maxlen=1)
    if not last:
        return body, False
    return body[: nth.end()] + body[last[0].end() :], True


def _bozo_reason(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}"[:300] if exc is not None else "ill-formed"


def _entry(raw: Any, base_url: str) -> ParsedEntry | None:
    title = html_to_text(str(raw.get("title", "")))[:MAX_TITLE_CHARS]
    text = _entry_text(raw)[:MAX_TEXT_CHARS]
    if not title and not text:
        return None
    link = _clean_link(raw.get("link"))
    guid = str(raw.get("id") or "").strip()[:2000] or None
    return ParsedEntry(
        title=title or _first_words(text),
        text=text,
        link=link,
        guid=guid,
        published_at=_entry_date(raw),
    )


def _entry_text(raw: Any) -> str:
    contents = raw.get("content") or []
    best = max((str(c.get("value", "")) for c in contents), key=len, default="")
    summary = str(raw.get("summary", ""))
    return html_to_text(best if len(best) > len(summary) else summary)


def _clean_link(link: Any) -> str | None:
    if not link:
        return None
    value = str(link).strip()
    return value[:2000] if value.lower().startswith(("http://", "https://")) else None


def _first_words(text: str, limit: int = 120) -> str:
    first_line = text.split("\n", 1)[0]
    return first_line if len(first_line) <= limit else first_line[:limit].rsplit(" ", 1)[0] + "…"


def _entry_date(raw: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(raw, key)  # dict.get: skips feedparser's deprecated key fallback
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def plausible_date(published_at: datetime | None, now: datetime) -> datetime:
    """Return the entry's date, or now when it has none or an implausible one."""
    if published_at is None or published_at < _EARLIEST or published_at > now + _FUTURE_SLACK:
        return now
    return published_at

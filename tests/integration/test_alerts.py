"""A scripted week of real articles, replayed by a local feed server on a fake clock: one watched
country's coverage jumps, another's tone drops; exactly those alerts fire, once each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest

from core.config import Settings, with_changes
from core.ingest import score
from core.models import Article
from core.parse import parse_feed
from jobs.alerts import check_alerts
from jobs.refresh import refresh_due_feeds
from storage import feeds as feed_store
from storage import topics as topic_store
from storage.alerts import alert_detail, alert_rows
from storage.db import connect
from tests.conftest import REAL_FEEDS
from tests.support.feed_server import FeedServer

DAY1 = datetime(2026, 3, 2, 12, tzinfo=UTC)
SPIKE = "JPN"  # coverage jumps on day 7
CONTROL = "IND"  # steady coverage, must stay quiet


@dataclass(frozen=True)
class Entry:
    title: str
    text: str
    countries: frozenset[str]
    tone: dict[str, float]


def _real_entries() -> list[Entry]:
    entries, seen = [], set()
    for path in sorted(REAL_FEEDS.glob("*.xml")):
        for e in parse_feed(path.read_bytes()).entries:
            if e.title in seen or not e.text:
                continue
            seen.add(e.title)
            scored = score(Article(e.title, e.text, DAY1, "x"))
            entries.append(
                Entry(
                    e.title,
                    e.text,
                    frozenset(t.iso3 for t in scored.tones),
                    {t.iso3: t.tone for t in scored.tones},
                )
            )
    return entries


def _only(entries: list[Entry], iso3: str, others: set[str]) -> list[Entry]:
    return [e for e in entries if iso3 in e.countries and not (e.countries & others)]


@dataclass(frozen=True)
class Script:
    falling: str  # the country whose tone drops on day 7
    days: list[list[Entry]]


@pytest.fixture(scope="module")
def script() -> Script:
    entries = _real_entries()
    watched = {SPIKE, CONTROL}
    candidates = ["USA", "RUS", "CHN", "IRN", "UKR", "ISR", "PAK", "GBR", "FRA", "DEU"]
    for falling in candidates:
        own = _only(entries, falling, watched)
        calm = [e for e in own if e.tone[falling] >= 0]
        dark = [e for e in own if e.tone[falling] <= -0.4]
        if len(calm) >= 12 and len(dark) >= 6:
            break
    else:
        pytest.fail("the real feeds no longer hold a country with enough calm and dark articles")
    spike = _only(entries, SPIKE, {falling, CONTROL})
    control = _only(entries, CONTROL, {falling, SPIKE})
    assert len(spike) >= 18 and len(control) >= 7
    days = [[spike[d], control[d], calm[2 * d], calm[2 * d + 1]] for d in range(6)]
    days.append(spike[6:18] + [control[6]] + dark[:6])
    return Script(falling, days)


def _feed(entries: list[Entry], day: datetime, number: int) -> bytes:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>https://wire.example/d{number}/{i}</link>"
        f"<description>{escape(e.text)}</description>"
        f"<pubDate>{format_datetime(day - timedelta(minutes=i + 1))}</pubDate></item>"
        for i, e in enumerate(entries)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture
def week(settings: Settings, script: Script) -> Iterator[tuple[Settings, FeedServer]]:
    settings = with_changes(
        settings,
        alert_spike_p_value=0.001,
        alert_min_articles=5,
        alert_tone_z=3.0,
        alert_min_tone_change=0.2,
    )
    with FeedServer() as server, connect(settings, write=True) as conn:
        feed_store.add_feed(conn, server.url("/wire.xml"), "Wire", 30, DAY1)
        topic_store.watch(conn, [SPIKE, CONTROL, script.falling], DAY1)
    with FeedServer() as server:
        with connect(settings, write=True) as conn:
            feed = feed_store.list_feeds(conn)[0]
            feed_store.set_url(conn, feed.id, server.url("/wire.xml"))
        yield settings, server


def _replay(settings: Settings, server: FeedServer, entries: list[Entry], number: int) -> list[int]:
    day = DAY1 + timedelta(days=number)
    server.set_content("/wire.xml", _feed(entries, day, number))
    summary = refresh_due_feeds(settings, day, include_all=True)
    assert summary.count("error") == 0
    return check_alerts(settings, day)


def test_exactly_the_spike_and_the_drop_fire_once_each(
    week: tuple[Settings, FeedServer], script: Script
) -> None:
    settings, server = week
    for number, entries in enumerate(script.days[:6]):
        assert _replay(settings, server, entries, number) == [], f"day {number + 1}"
    fired = _replay(settings, server, script.days[6], 6)
    assert len(fired) == 2
    day7 = DAY1 + timedelta(days=6)
    assert check_alerts(settings, day7 + timedelta(hours=1)) == []  # once each
    with connect(settings) as conn:
        rows = {(r[2], r[4]): r for r in alert_rows(conn)}
        assert set(rows) == {("coverage_spike", SPIKE), ("tone_shift", script.falling)}
        spike_detail = alert_detail(conn, rows[("coverage_spike", SPIKE)][0])
        drop_detail = alert_detail(conn, rows[("tone_shift", script.falling)][0])
    spike_titles = {a["title"] for a in spike_detail["articles"]}
    assert spike_titles <= {e.title for e in script.days[6][:12]}
    assert len(spike_titles) == 10  # the ten newest of the twelve
    drop_titles = [a["title"] for a in drop_detail["articles"]]
    assert set(drop_titles) == {e.title for e in script.days[6][13:]}
    assert all(a["evidence"] for a in drop_detail["articles"])
    assert drop_detail["sources"] == ["Wire"]
    tones = [a["tone"] for a in drop_detail["articles"]]
    assert tones == sorted(tones)  # most negative first
    assert rows[("tone_shift", script.falling)][6] < 0  # observed mean tone is negative
    json.dumps(drop_detail)  # the webhook payload is plain JSON


def test_a_quiet_week_fires_nothing(week: tuple[Settings, FeedServer], script: Script) -> None:
    settings, server = week
    for number, entries in enumerate(script.days[:6]):
        assert _replay(settings, server, entries, number) == []

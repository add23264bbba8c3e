"""Hostile and broken feeds through fetch, parse, score and store: each ends as stored articles or
a recorded reason within the limits, and none stops the run.

Mutated real feeds come from hypothesis (byte flips, truncation, duplication, injected entities,
NUL and invalid UTF-8); crafted ones (bench/hostile.py) cover entity expansion, a gzip bomb,
100 MB bodies, a one-byte-a-second trickle, 100,000 entries, a 1 MB title, bad bytes and dates.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bench.hostile import Case, billion_laughs, cases
from core.config import Settings, with_changes
from core.ingest import articles_from_feed, score_all
from core.parse import MAX_ENTRIES, MAX_TITLE_CHARS, FeedParseError, parse_feed
from jobs.refresh import refresh_due_feeds, refresh_feeds
from storage import feeds as feed_store
from storage.db import connect
from tests.conftest import REAL_FEEDS
from tests.support.feed_server import FeedServer

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
CASES = cases()
SMALL_REAL = [
    "npr-world-2026.xml",
    "bbc-urdu-2018.xml",
    "kottke-org-2026.xml",
    "aktuality-sk-2021.xml",
]
INJECTIONS = [
    b"&amp;",
    b"&bogus;",
    b"&#0;",
    b"&#x110000;",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"<![CDATA[",
    b"]]>",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"<!ENTITY x 'y'>",
    b"<!DOCTYPE rss [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;",
    b"<title>",
    b"\r\n",
    b"\x1b[31m",
]


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer(root=REAL_FEEDS) as feed_server:
        for case in CASES.values():
            if case.body is not None:
                feed_server.set_content(case.path, case.body)
        yield feed_server


@pytest.fixture
def roomy(settings: Settings) -> Settings:
    """The test settings with the default 10 MB cap, so 100,000 entries get through the fetch."""
    return with_changes(settings, max_feed_bytes=10_000_000)


def watch(settings: Settings, url: str, title: str) -> int:
    with connect(settings, write=True) as conn:
        return feed_store.add_feed(conn, url, title, 30, NOW)


def invariants(settings: Settings) -> dict[str, int]:
    """Counts that must all be zero, and what was stored."""
    with connect(settings) as conn:
        row = conn.execute(
            "SELECT"
            " (SELECT count(*) FROM articles a WHERE a.country_count <>"
            "   (SELECT count(*) FROM article_tones t WHERE t.article_id = a.id)),"
            " (SELECT count(*) FROM article_tones t WHERE NOT EXISTS"
            "   (SELECT 1 FROM articles a WHERE a.id = t.article_id)),"
            " (SELECT count(*) FROM articles WHERE length(title) > ?),"
            " (SELECT count(*) FROM articles WHERE published_at < TIMESTAMPTZ '1990-01-01'"
            "   OR published_at > ?),"
            " (SELECT count(*) FROM articles WHERE title LIKE '%' || chr(0) || '%')",
            [MAX_TITLE_CHARS, NOW + timedelta(days=1)],
        ).fetchone()
    assert row is not None
    names = ("missing_country_rows", "orphan_country_rows", "long_titles", "wild_dates", "nul")
    return dict(zip(names, (int(v) for v in row), strict=True))


# ---- crafted cases, one at a time, and all in one run ---------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_crafted_feed_ends_as_articles_or_a_reason(
    name: str, roomy: Settings, server: FeedServer
) -> None:
    case: Case = CASES[name]
    feed_id = watch(roomy, server.url(case.path), name)
    with connect(roomy) as conn:
        feed = feed_store.get_feed(conn, feed_id)
    summary = refresh_feeds(roomy, [feed], NOW)
    outcome = summary.results[0].outcome
    assert outcome.reason in case.reasons, (outcome.reason, outcome.detail)
    with connect(roomy) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()
        logged = conn.execute("SELECT reason FROM fetch_log").fetchall()
        last_error = feed_store.get_feed(conn, feed_id).last_error
    assert logged == [(outcome.reason,)]
    assert stored is not None
    if outcome.reason == "ok":
        assert 0 < stored[0] <= MAX_ENTRIES and last_error is None
    else:
        assert stored[0] == 0 and last_error == outcome.reason
    assert invariants(roomy) == dict.fromkeys(invariants(roomy), 0)


def test_all_crafted_feeds_in_one_run_do_not_stop_the_good_one(
    roomy: Settings, server: FeedServer
) -> None:
    good = watch(roomy, server.url("/bbc-world-2026.xml"), "good")
    for name, case in CASES.items():
        watch(roomy, server.url(case.path), name)
    summary = refresh_due_feeds(roomy, NOW, include_all=True)
    reasons = {r.feed.title or "": r.outcome.reason for r in summary.results}
    assert reasons.pop("good") == "ok"
    assert {
        name: reason in CASES[name].reasons for name, reason in reasons.items()
    } == dict.fromkeys(CASES, True)
    with connect(roomy) as conn:
        from_good = conn.execute("SELECT count(*) FROM articles WHERE feed_id = ?", [good])
        assert (from_good.fetchone() or (0,))[0] > 10
    assert invariants(roomy) == dict.fromkeys(invariants(roomy), 0)


def test_entity_expansion_and_a_huge_title_stay_small_in_memory() -> None:
    for body in (billion_laughs(), CASES["title_1mb"].body):
        assert body is not None
        tracemalloc.start()
        try:
            parsed = parse_feed(body, "http://h.example/")
            score_all(articles_from_feed(parsed, 1, "h", NOW))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 64_000_000  # a billion laughs expanded would be gigabytes
        assert all(len(e.title) <= MAX_TITLE_CHARS for e in parsed.entries)


def test_a_hundred_thousand_entries_are_cut_to_the_entry_limit() -> None:
    body = CASES["entries_100k"].body
    assert body is not None
    parsed = parse_feed(body, "http://h.example/")
    assert parsed.truncated and len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[-1].title == f"Kenya story {MAX_ENTRIES - 1}"


# ---- mutated real feeds ---------------------------------------------------------------------


@st.composite
def mutated_feed(draw: st.DrawFn) -> bytes:
    """A real feed with a few byte-level mutations."""
    body = bytearray((REAL_FEEDS / draw(st.sampled_from(SMALL_REAL))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "duplicate", "inject"]))
        at = draw(st.integers(0, max(0, len(body) - 1)))
        if kind == "flip" and body:
            body[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del body[at:]
        elif kind == "duplicate":
            length = draw(st.integers(1, 5000))
            body[at:at] = body[at : at + length]
        else:
            body[at:at] = draw(st.sampled_from(INJECTIONS))
    return bytes(body)


def expected_reasons(body: bytes) -> set[str]:
    """What the pipeline may make of a body: a 304 when the mutation repeated the last body."""
    if not body.strip():
        return {"empty_body", "not_modified"}
    try:
        parse_feed(body)
    except FeedParseError:
        return {"parse_error", "not_modified"}
    return {"ok", "not_modified"}


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=mutated_feed())
def test_mutated_real_feeds_end_as_articles_or_parse_error(
    body: bytes, settings: Settings, server: FeedServer
) -> None:
    server.set_content("/mutated.xml", body)
    with connect(settings, write=True) as conn:
        known = [f for f in feed_store.list_feeds(conn) if f.url.endswith("/mutated.xml")]
        feed_id = (
            known[0].id
            if known
            else feed_store.add_feed(conn, server.url("/mutated.xml"), "mutated", 30, NOW)
        )
        feed = feed_store.get_feed(conn, feed_id)
    outcome = refresh_feeds(settings, [feed], NOW).results[0].outcome
    assert outcome.reason in expected_reasons(body), (outcome.reason, outcome.detail)
    assert invariants(settings) == dict.fromkeys(invariants(settings), 0)

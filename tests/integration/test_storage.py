"""Storage on a real DuckDB file: idempotent inserts, all-or-nothing articles, daily aggregates."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from core.config import Settings
from core.models import Article, Evidence, ScoredArticle, ToneScore
from storage.articles import insert_article_groups, insert_articles, rebuild_daily_aggregates
from storage.db import connect, migrate, schema_version
from storage.migrations import MIGRATIONS

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def scored(
    title: str,
    url: str | None = None,
    guid: str | None = None,
    source: str = "Wire",
    published: datetime = NOW,
    tones: tuple[tuple[str, float], ...] = (("CHN", -0.5),),
) -> ScoredArticle:
    article = Article(
        title=title,
        text=f"{title}. Body.",
        published_at=published,
        source=source,
        url=url,
        guid=guid,
    )
    return ScoredArticle(
        article=article,
        doc_tone=0.1,
        tones=tuple(
            ToneScore(
                iso3,
                tone,
                "negative" if tone < 0 else "positive",
                2,
                3,
                (Evidence(f"{iso3} sentence", tone, 0, 10),),
            )
            for iso3, tone in tones
        ),
        scorer_version="test-1",
    )


def counts(settings: Settings) -> tuple[int, int]:
    with connect(settings) as conn:
        a = conn.execute("SELECT count(*) FROM articles").fetchone()
        t = conn.execute("SELECT count(*) FROM article_tones").fetchone()
    assert a is not None and t is not None
    return int(a[0]), int(t[0])


def test_migrations_bring_a_new_file_to_the_latest_version(settings: Settings) -> None:
    with connect(settings) as conn:
        assert schema_version(conn) == len(MIGRATIONS)


def test_migrate_twice_changes_nothing(settings: Settings) -> None:
    with connect(settings, write=True) as conn:
        migrate(conn)
        assert schema_version(conn) == len(MIGRATIONS)


@pytest.mark.parametrize(
    ("first", "second", "stored"),
    [
        (dict(url="https://x.org/a?utm_source=rss"), dict(url="https://X.org/a"), 1),
        (dict(guid="g-1", url=None), dict(guid="g-1", url=None, title="Other title"), 1),
        (dict(url="https://x.org/1"), dict(url="https://x.org/2"), 1),  # same title, same source
        (dict(url="https://x.org/1"), dict(url="https://x.org/2", source="Other"), 2),
        (
            dict(url="https://x.org/1"),
            dict(url="https://x.org/2", published=NOW + timedelta(days=8)),
            2,
        ),
    ],
)
def test_the_same_article_reached_twice_is_stored_once(
    settings: Settings, first: dict[str, object], second: dict[str, object], stored: int
) -> None:
    a = scored(**{"title": "China and Russia", **first})  # type: ignore[arg-type]
    b = scored(**{"title": "China and Russia", **second})  # type: ignore[arg-type]
    with connect(settings, write=True) as conn:
        insert_articles(conn, [a], NOW)
        insert_articles(conn, [b], NOW)
    assert counts(settings)[0] == stored


def test_duplicates_inside_one_batch_are_stored_once(settings: Settings) -> None:
    batch = [scored("Same", url="https://x.org/1"), scored("Same", url="https://x.org/1")]
    with connect(settings, write=True) as conn:
        assert len(insert_articles(conn, batch, NOW)) == 1
    assert counts(settings) == (1, 1)


def test_grouped_insert_reports_each_groups_new_articles(settings: Settings) -> None:
    first = [scored("One", url="https://x.org/1"), scored("Two", url="https://x.org/2")]
    second = [scored("Two", url="https://x.org/2"), scored("Three", url="https://x.org/3")]
    with connect(settings, write=True) as conn:
        insert_articles(conn, [scored("Old", url="https://x.org/old")], NOW)
        ids = insert_article_groups(conn, [first, [], second], NOW)
        stored = dict(conn.execute("SELECT id, url FROM articles").fetchall())
        again = insert_article_groups(conn, [first, second], NOW)
    assert [len(group) for group in ids] == [2, 0, 1]  # "Two" counts once, for the first feed
    assert [stored[i] for i in ids[0] + ids[2]] == [
        "https://x.org/1",
        "https://x.org/2",
        "https://x.org/3",
    ]
    assert again == [[], []]
    assert counts(settings) == (4, 4)


def test_a_failing_batch_leaves_no_half_written_article(settings: Settings) -> None:
    good = scored("Fine", url="https://x.org/fine")
    # A country row without a label breaks NOT NULL after the articles went in, half way through.
    bad = scored("Broken", url="https://x.org/bad")
    bad = replace(bad, tones=(replace(bad.tones[0], label=None),))  # type: ignore[arg-type]
    with connect(settings, write=True) as conn, pytest.raises(duckdb.ConstraintException):
        insert_articles(conn, [good, bad], NOW)
    assert counts(settings) == (0, 0)
    with connect(settings) as conn:
        assert conn.execute("SELECT count(*) FROM country_daily").fetchone() == (0,)


def test_two_rows_for_one_country_are_refused_before_anything_is_written(
    settings: Settings,
) -> None:
    twice = scored("Broken", url="https://x.org/bad", tones=(("CHN", 0.2), ("CHN", 0.3)))
    with connect(settings, write=True) as conn, pytest.raises(ValueError, match="one country"):
        insert_articles(conn, [scored("Fine", url="https://x.org/fine"), twice], NOW)
    assert counts(settings) == (0, 0)


def test_country_rows_keep_evidence_and_version(settings: Settings) -> None:
    with connect(settings, write=True) as conn:
        insert_articles(conn, [scored("T", url="https://x.org/t", tones=(("RUS", 0.4),))], NOW)
    with connect(settings) as conn:
        row = conn.execute(
            "SELECT iso3, tone, label, sentences, evidence, scorer_version FROM article_tones"
        ).fetchone()
    assert row is not None
    assert row[:4] == ("RUS", 0.4, "positive", 2) and row[5] == "test-1"
    assert json.loads(row[4]) == [{"text": "RUS sentence", "score": 0.4, "start": 0, "end": 10}]


def test_daily_aggregates_match_a_rebuild_from_rows(settings: Settings) -> None:
    batches = [
        [
            scored(f"A{i}", url=f"https://x.org/a{i}", tones=(("CHN", -0.2 * i), ("USA", 0.1)))
            for i in range(5)
        ],
        [
            scored(
                f"B{i}",
                url=f"https://y.org/b{i}",
                source="Other",
                published=NOW - timedelta(days=1),
                tones=(("CHN", 0.3),),
            )
            for i in range(3)
        ],
    ]
    with connect(settings, write=True) as conn:
        for batch in batches:
            insert_articles(conn, batch, NOW)
        incremental = conn.execute("SELECT * FROM country_daily ORDER BY ALL").fetchall()
        totals = conn.execute("SELECT * FROM source_daily ORDER BY ALL").fetchall()
        rebuild_daily_aggregates(conn)
        assert conn.execute("SELECT * FROM source_daily ORDER BY ALL").fetchall() == totals
        rebuilt = conn.execute("SELECT * FROM country_daily ORDER BY ALL").fetchall()
    assert [r[:4] for r in rebuilt] == [r[:4] for r in incremental]
    assert [round(r[4], 9) for r in rebuilt] == [round(r[4], 9) for r in incremental]
    assert sum(r[2] for r in totals) == 8

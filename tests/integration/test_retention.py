"""Retention on a real DuckDB file: old bodies emptied; titles, scores, evidence and totals kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.config import Settings
from core.models import Article, Evidence, ScoredArticle, ToneScore
from storage.articles import insert_articles
from storage.db import connect
from storage.retention import drop_old_text

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def item(number: int, age_days: int) -> ScoredArticle:
    title = f"France and Chile sign deal {number}"
    article = Article(
        title=title,
        text=f"France praised Chile. Story {number} goes on at length.",
        published_at=NOW - timedelta(days=age_days),
        source="Wire",
        url=f"https://wire.example/{number}",
    )
    start = len(title) + 1  # the evidence sentence is the text's first, after title and newline
    evidence = "France praised Chile."
    tones = (
        ToneScore("FRA", 0.4, "positive", 1, 1, (Evidence(evidence, 0.4, start, start + 21),)),
        ToneScore("CHL", 0.3, "positive", 1, 1, (Evidence(evidence, 0.3, start, start + 21),)),
    )
    return ScoredArticle(article, 0.35, tones, "test-1")


def rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with connect(settings) as conn:
        return conn.execute(sql).fetchall()


def test_old_text_is_emptied_and_the_rest_is_kept(settings: Settings) -> None:
    ages = [1, 10, 29, 31, 45, 400]
    with connect(settings, write=True) as conn:
        insert_articles(conn, [item(n, age) for n, age in enumerate(ages)], NOW)
    keep = "SELECT id, title, url, doc_tone, scorer_version, published_at FROM articles ORDER BY id"
    tones_sql = "SELECT * FROM article_tones ORDER BY ALL"
    daily_sql = "SELECT * FROM country_daily ORDER BY ALL"
    before = (rows(settings, keep), rows(settings, tones_sql), rows(settings, daily_sql))
    with connect(settings, write=True) as conn:
        emptied = drop_old_text(conn, older_than_days=30, now=NOW)
    assert emptied == 3
    texts = rows(settings, "SELECT title, text FROM articles ORDER BY id")
    assert [t == "" for _, t in texts] == [age > 30 for age in ages]
    assert all(title for title, _ in texts)
    assert (rows(settings, keep), rows(settings, tones_sql), rows(settings, daily_sql)) == before
    with connect(settings, write=True) as conn:
        assert drop_old_text(conn, older_than_days=30, now=NOW) == 0  # idempotent


def test_negative_age_is_refused(settings: Settings) -> None:
    with connect(settings, write=True) as conn, pytest.raises(ValueError):
        drop_old_text(conn, older_than_days=-1, now=NOW)


def test_drop_text_command(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    from jobs.cli import main

    with connect(settings, write=True) as conn:
        insert_articles(conn, [item(1, 5000)], NOW)  # far older than 30 days before today
    assert main(["--db", str(settings.db), "drop-text", "--older-than", "30"]) == 0
    assert "Dropped the text of 1 articles" in capsys.readouterr().out
    assert rows(settings, "SELECT text FROM articles") == [("",)]


def test_rescore_leaves_articles_whose_text_was_dropped_alone(settings: Settings) -> None:
    from jobs.rescore import rescore

    title_only = Article(
        title="Chile praised",
        text="",
        published_at=NOW - timedelta(days=400),
        source="Wire",
        url="https://wire.example/title-only",
    )
    tones = (ToneScore("CHL", 0.4, "positive", 1, 1, (Evidence("Chile praised", 0.4, 0, 13),)),)
    with connect(settings, write=True) as conn:
        insert_articles(conn, [item(1, 400), item(2, 1)], NOW)
        insert_articles(conn, [ScoredArticle(title_only, 0.4, tones, "test-1")], NOW)
        drop_old_text(conn, older_than_days=30, now=NOW)
    rescore(settings, workers=1)
    versions = {
        str(url): str(version)
        for url, version in rows(
            settings,
            "SELECT a.url, string_agg(DISTINCT t.scorer_version, ',')"
            " FROM articles a JOIN article_tones t ON t.article_id = a.id GROUP BY 1",
        )
    }
    # scored from a text that is gone: kept as it was
    assert versions["https://wire.example/1"] == "test-1"
    # still whole (text kept, or only ever a title): rescored with the current scorer
    assert versions["https://wire.example/2"] != "test-1"
    assert versions["https://wire.example/title-only"] != "test-1"


def test_the_retention_setting_is_applied_by_the_jobs(settings: Settings) -> None:
    from core.config import with_changes
    from jobs.scheduler import apply_retention

    with connect(settings, write=True) as conn:
        insert_articles(conn, [item(1, 5000), item(2, 1)], NOW)
    apply_retention(settings, NOW)  # 0 days: keep every text
    assert sorted(len(r[0]) > 0 for r in rows(settings, "SELECT text FROM articles")) == [True] * 2
    apply_retention(with_changes(settings, text_retention_days=30), NOW)
    texts = rows(settings, "SELECT text FROM articles ORDER BY published_at")
    assert texts[0] == ("",) and texts[1][0] != ""

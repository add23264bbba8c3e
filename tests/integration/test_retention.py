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
    article = Article(
        title=f"France and Chile sign deal {number}",
        text=f"France praised Chile. Story {number} goes on at length.",
        published_at=NOW - timedelta(days=age_days),
        source="Wire",
        url=f"https://wire.example/{number}",
    )
    tones = (
        ToneScore("FRA", 0.4, "positive", 1, 1, (Evidence("France praised Chile.", 0.4, 0, 21),)),
        ToneScore("CHL", 0.3, "positive", 1, 1, (Evidence("France praised Chile.", 0.3, 0, 21),)),
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
    import argparse

    from jobs.backup_cmd import add_retention_parser

    with connect(settings, write=True) as conn:
        insert_articles(conn, [item(1, 5000)], NOW)  # far older than 30 days before today
    parser = argparse.ArgumentParser()
    add_retention_parser(parser.add_subparsers())
    args = parser.parse_args(["drop-text", "--older-than", "30"])
    assert args.handler(args, settings) == 0
    assert "Dropped the text of 1 articles" in capsys.readouterr().out
    assert rows(settings, "SELECT text FROM articles") == [("",)]

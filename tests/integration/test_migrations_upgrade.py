"""Upgrading from every earlier schema version: same schema as a new file, data kept, code works."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from core.config import load_settings
from storage import feeds as feed_store
from storage.db import Connection, connect, migrate, schema_version
from storage.migrations import MIGRATIONS
from tests.support.articles import add_feed_and_article

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
LATEST = len(MIGRATIONS)


def schema_of(conn: Connection) -> dict[str, list[tuple[object, ...]]]:
    """Tables with their columns, indexes and sequences, in a comparable form."""
    return {
        "columns": conn.execute(
            "SELECT table_name, column_name, ordinal_position, data_type, is_nullable,"
            " column_default FROM information_schema.columns WHERE table_schema = 'main'"
            " ORDER BY ALL"
        ).fetchall(),
        "indexes": conn.execute(
            "SELECT table_name, index_name, sql FROM duckdb_indexes() ORDER BY ALL"
        ).fetchall(),
        "sequences": conn.execute(
            "SELECT sequence_name FROM duckdb_sequences() ORDER BY ALL"
        ).fetchall(),
        "constraints": conn.execute(
            "SELECT table_name, constraint_type, constraint_column_names"
            " FROM duckdb_constraints() WHERE schema_name = 'main' ORDER BY ALL"
        ).fetchall(),
    }


def open_file(path: Path) -> Connection:
    conn = duckdb.connect(str(path))
    conn.execute("SET TimeZone = 'UTC'")
    return conn


def fill_version_one(conn: Connection) -> None:
    """Rows written the way version 1 of the schema took them (explicit version-1 columns)."""
    conn.execute(
        "INSERT INTO feeds (url, title, interval_minutes, next_check_at, created_at)"
        " VALUES ('https://old.example/rss', 'Old', 30, ?, ?)",
        [NOW, NOW],
    )
    conn.execute(
        "INSERT INTO articles (id, url_key, guid_key, title_key, feed_id, source, url, guid, title,"
        " text, published_at, fetched_at, doc_tone, scorer_version) VALUES"
        " (nextval('articles_id_seq'), 'u:old', NULL, 't:old', 1, 'Old', 'https://old.example/1',"
        " NULL, 'Chile votes', 'Chile voted.', ?, ?, 0.1, 'v-old')",
        [NOW, NOW],
    )
    conn.execute(
        "INSERT INTO article_tones (article_id, iso3, tone, label, sentences, mentions, evidence,"
        " scorer_version) VALUES (1, 'CHL', 0.1, 'neutral', 1, 1, '[]', 'v-old')"
    )


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    conn = open_file(tmp_path_factory.mktemp("fresh") / "fresh.duckdb")
    migrate(conn)
    schema = schema_of(conn)
    conn.close()
    return schema


@pytest.mark.parametrize("start", range(LATEST))
def test_upgrade_from_each_earlier_version(
    start: int, tmp_path: Path, fresh_schema: dict[str, list[tuple[object, ...]]]
) -> None:
    path = tmp_path / "old.duckdb"
    conn = open_file(path)
    if start >= 1:
        migrate(conn, MIGRATIONS[:1])
        fill_version_one(conn)
    migrate(conn, MIGRATIONS[:start])
    assert schema_version(conn) == start
    conn.close()  # the upgrade happens on a later open, as after installing a new release

    conn = open_file(path)
    migrate(conn)
    assert schema_version(conn) == LATEST
    assert schema_of(conn) == fresh_schema
    versions = [
        r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    ]
    assert versions == list(range(1, LATEST + 1))
    if start >= 1:
        kept = conn.execute(
            "SELECT a.title, t.iso3 FROM articles a JOIN article_tones t ON t.article_id = a.id"
        ).fetchall()
        assert kept == [("Chile votes", "CHL")]
    conn.close()
    assert_current_code_works(path, expect_old=start >= 1)


def assert_current_code_works(path: Path, expect_old: bool) -> None:
    settings = load_settings({}, db=path)
    with connect(settings, write=True) as conn:
        feed_id, ids = add_feed_and_article(conn, "Peru", "PER", "v-new", NOW)
        feeds = [f.url for f in feed_store.list_feeds(conn)]
    assert ids == [2 if expect_old else 1]
    assert feed_id == (2 if expect_old else 1)
    assert feeds[-1] == "https://new.example/rss" and len(feeds) == (2 if expect_old else 1)


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = open_file(tmp_path / "x.duckdb")
    broken = [*MIGRATIONS, "CREATE TABLE extra (a INTEGER); SELECT * FROM no_such_table;"]
    with pytest.raises(duckdb.CatalogException):
        migrate(conn, broken)
    assert schema_version(conn) == LATEST
    tables = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'extra'")
    assert tables.fetchone() == (0,)
    conn.close()

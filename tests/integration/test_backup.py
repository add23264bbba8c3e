"""Backup and restore on real DuckDB files: round trip, sequences, refusals, backup mid-write."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import Settings, load_settings
from jobs.cli import main
from jobs.refresh import refresh_due_feeds
from storage import feeds as feed_store
from storage.backup import MANIFEST, SCHEMA, BackupError, Manifest, backup, read_manifest, restore
from storage.db import connect, ensure_database
from tests.conftest import REAL_FEEDS
from tests.support.articles import add_feed_and_article
from tests.support.feed_server import FeedServer

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
FEEDS = ["bbc-world-2026.xml", "npr-world-2026.xml", "lemonde-une-2018.xml"]


def other_db(settings: Settings, name: str) -> Settings:
    """Settings like these but on another database file."""
    return load_settings({}, db=settings.db.with_name(name), data_dir=settings.data_dir)


def backed_up_and_empty(filled: Settings, tmp_path: Path, name: str) -> Settings:
    """Back filled up into tmp_path / "bk"; return a new, migrated, empty database to fill."""
    backup(filled, tmp_path / "bk")
    target = other_db(filled, name)
    ensure_database(target)
    return target


def table_names(settings: Settings) -> list[str]:
    """The database's tables, whatever the schema version."""
    with connect(settings) as conn:
        rows = conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def snapshot(settings: Settings) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, for comparing two databases."""
    with connect(settings) as conn:
        tables = [
            str(r[0]) for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


@pytest.fixture
def filled(settings: Settings) -> Iterator[Settings]:
    """A database filled by a real refresh of three real feeds from a local server."""
    with FeedServer(root=REAL_FEEDS) as server:
        with connect(settings, write=True) as conn:
            for name in FEEDS:
                feed_store.add_feed(conn, server.url(f"/{name}"), None, 30, NOW)
            feed_store.add_feed(conn, server.url("/status/404"), None, 30, NOW)
        summary = refresh_due_feeds(settings, NOW, include_all=True)
    assert summary.new_articles > 20
    yield settings


def test_round_trip_gives_equal_content(filled: Settings, tmp_path: Path) -> None:
    manifest = backup(filled, tmp_path / "bk", now=NOW)
    restored = other_db(filled, "restored.duckdb")
    restore(restored, tmp_path / "bk")
    assert snapshot(restored) == snapshot(filled)
    on_disk = read_manifest(tmp_path / "bk")
    assert on_disk == manifest
    assert manifest.rows["articles"] == len(snapshot(filled)["articles"]) > 20
    assert manifest.schema_version >= 1
    tables = table_names(filled)
    assert {"articles", "article_tones", "feeds", "fetch_log", "country_daily"} <= set(tables)
    assert (tmp_path / "bk" / SCHEMA).read_text().count("CREATE TABLE") == len(tables)
    assert {p.name for p in (tmp_path / "bk").glob("*.parquet")} == {f"{t}.parquet" for t in tables}


def test_restored_sequences_continue_after_the_highest_id(filled: Settings, tmp_path: Path) -> None:
    backup(filled, tmp_path / "bk")
    restored = other_db(filled, "restored.duckdb")
    restore(restored, tmp_path / "bk")
    with connect(restored, write=True) as conn:
        max_article = conn.execute("SELECT max(id) FROM articles").fetchone()
        max_feed = conn.execute("SELECT max(id) FROM feeds").fetchone()
        feed_id, ids = add_feed_and_article(conn, "Kenya", "KEN", "t", NOW)
    assert max_article is not None and max_feed is not None
    assert feed_id == max_feed[0] + 1
    assert ids == [max_article[0] + 1]


def test_restore_refuses_a_database_with_data_unless_forced(
    filled: Settings, tmp_path: Path
) -> None:
    target = backed_up_and_empty(filled, tmp_path, "busy.duckdb")
    with connect(target, write=True) as conn:
        feed_store.add_feed(conn, "https://keep.example/rss", None, 30, NOW)
    with pytest.raises(BackupError, match="already holds data"):
        restore(target, tmp_path / "bk")
    assert [r[1] for r in snapshot(target)["feeds"]] == ["https://keep.example/rss"]
    restore(target, tmp_path / "bk", force=True)
    assert snapshot(target) == snapshot(filled)


def test_restore_into_an_empty_migrated_database_is_allowed(
    filled: Settings, tmp_path: Path
) -> None:
    target = backed_up_and_empty(filled, tmp_path, "empty.duckdb")
    restore(target, tmp_path / "bk")
    assert snapshot(target) == snapshot(filled)


def test_backup_refuses_a_folder_with_files(filled: Settings, tmp_path: Path) -> None:
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "other.txt").write_text("mine")
    with pytest.raises(BackupError, match="not an empty folder"):
        backup(filled, tmp_path / "bk")


def test_restore_of_a_tampered_backup_fails_and_leaves_the_target_alone(
    filled: Settings, tmp_path: Path
) -> None:
    backup(filled, tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    for table in manifest["tables"]:
        if table["name"] == "articles":
            table["rows"] += 1
    (tmp_path / "bk" / MANIFEST).write_text(json.dumps(manifest))
    target = other_db(filled, "target.duckdb")
    with pytest.raises(BackupError, match="manifest says"):
        restore(target, tmp_path / "bk")
    assert not target.db.exists()
    assert not list(tmp_path.glob("*.restoring*"))


def test_a_folder_without_manifest_is_refused(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    with pytest.raises(BackupError, match="no manifest.json"):
        restore(settings, tmp_path / "nothing")


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from core.config import load_settings
    from core.models import Article, ScoredArticle, ToneScore
    from storage.articles import insert_articles
    from storage.db import connect

    settings = load_settings({}, db=Path(sys.argv[1]))
    now = datetime.now(UTC)
    for i in range(int(sys.argv[2])):
        batch = []
        for j in range(5):
            article = Article(title=f"Story {i}-{j}", text="Body", published_at=now, source="W",
                              url=f"https://w.example/{i}/{j}")
            tones = (ToneScore("CHN", 0.1, "neutral", 1, 1),
                     ToneScore("FRA", -0.2, "neutral", 1, 1))
            batch.append(ScoredArticle(article, 0.0, tones, "t"))
        with connect(settings, write=True) as conn:
            insert_articles(conn, batch, now)
    print("done")
    """
)


def stored(settings: Settings) -> int:
    with connect(settings) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


def test_backup_while_a_writer_runs_is_consistent(settings: Settings, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(settings.db), "30"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    manifests: list[Manifest] = []
    try:
        while writer.poll() is None and stored(settings) == 0:
            time.sleep(0.05)
        while writer.poll() is None and len(manifests) < 4:
            manifests.append(backup(settings, tmp_path / f"bk{len(manifests)}"))
    finally:
        out, err = writer.communicate(timeout=110)
    assert writer.returncode == 0, err
    assert any(0 < m.rows["articles"] < 150 for m in manifests), [m.rows for m in manifests]
    for number, manifest in enumerate(manifests):
        restored = other_db(settings, f"r{number}.duckdb")
        restore(restored, tmp_path / f"bk{number}")
        with connect(restored) as conn:
            articles, tones, daily = conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_tones),"
                " (SELECT coalesce(sum(articles), 0) FROM country_daily)"
            ).fetchone() or (None, None, None)
        assert articles == manifest.rows["articles"] and articles % 5 == 0  # whole batches only
        assert tones == 2 * articles and daily == tones


def test_backup_and_restore_commands(
    filled: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "bk")
    assert main(["--db", str(filled.db), "backup", folder]) == 0
    assert "Backed up" in capsys.readouterr().out
    target = other_db(filled, "cli.duckdb")
    assert main(["--db", str(target.db), "restore", folder]) == 0
    assert "Restored" in capsys.readouterr().out
    assert main(["--db", str(target.db), "restore", folder]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tonewatch: refusing") and str(target.db) in err

"""Crashes and hostile storage: SIGKILL during ingest, a dead process's locks, full disks.

Some tests need root (to mount a tiny tmpfs, or to make a file immutable); they skip otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import harness
from bench.crash import CrashConfig, run_crash_scenario
from bench.harness import check_database
from core.config import Settings, load_settings
from storage import feeds as feed_store
from storage.db import connect, ensure_database
from tests.conftest import REAL_FEEDS
from tests.support.feed_server import FeedServer

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def cli(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m jobs --db DB ARGS` and return what it did."""
    return subprocess.run(
        [sys.executable, "-m", "jobs", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def assert_one_line_naming(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("tonewatch: ") and str(path) in result.stderr
    assert "Traceback" not in result.stderr


# ---- SIGKILL during ingest -------------------------------------------------------------------


@pytest.mark.slow
def test_killed_three_times_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    config = CrashConfig(workdir=tmp_path, feeds=12, rounds=3, kills=3, seed=11)
    report = run_crash_scenario(config)
    assert report.kills == 3
    assert report.kills_with_work_pending >= 1  # at least one kill really interrupted ingest
    for check in report.checks:
        assert check.opened, check
        assert check.problems() == {}, check
    assert report.reference_articles > 50
    assert report.missing_url_keys == 0 and report.extra_url_keys == 0
    assert report.tone_rows_differing == 0
    assert report.jobs_exited_early == 0


# ---- the jobs lock of a dead process ---------------------------------------------------------


def start_jobs(db: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TONEWATCH_POLL_SECONDS="1", TONEWATCH_DATA_DIR=str(tmp_path / "data"))
    return harness.start_jobs(db, tmp_path / "jobs.log", env)


def wait_for_lock_holder(db: Path, pid: int, seconds: float = 30) -> None:
    lock_file = db.with_name(db.name + ".jobs.lock")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if lock_file.exists() and lock_file.read_text().strip() == str(pid):
            return
        time.sleep(0.1)
    raise AssertionError(f"jobs process {pid} never took the lock")


@pytest.fixture
def watched_db(settings: Settings) -> Iterator[Path]:
    """A database with one feed, so the jobs process does not seed the default (internet) feeds."""
    with connect(settings, write=True) as conn:
        feed_store.add_feed(conn, "http://127.0.0.1:9/feed.xml", "Nowhere", 60, NOW)
    yield settings.db


def test_a_killed_jobs_process_does_not_block_a_restart(watched_db: Path, tmp_path: Path) -> None:
    first = start_jobs(watched_db, tmp_path)
    try:
        wait_for_lock_holder(watched_db, first.pid)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert watched_db.with_name(watched_db.name + ".jobs.lock").read_text() == str(first.pid)
    second = start_jobs(watched_db, tmp_path)
    try:
        wait_for_lock_holder(watched_db, second.pid)
        third = cli(watched_db, "jobs")  # a second live one is still refused
        assert third.returncode == 1 and f"pid {second.pid}" in third.stderr
        assert second.poll() is None
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    assert second.returncode == 0


# ---- unwritable and full storage ------------------------------------------------------------


def _run_root_command(*args: str) -> bool:
    return subprocess.run(list(args), capture_output=True).returncode == 0


@contextmanager
def mounted_tmpfs(mount: Path, size: str, why: str) -> Iterator[Path]:
    """A tmpfs of this size mounted at mount (needs root; skips the test otherwise)."""
    mount.mkdir()
    if os.geteuid() != 0 or not _run_root_command(
        "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)
    ):
        pytest.skip(f"needs root and mount to simulate {why}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def tmpfs_fixture(name: str, size: str, why: str) -> Callable[[Path], Iterator[Path]]:
    """A fixture: a tmpfs of this size mounted at tmp_path / name (needs root; skips otherwise)."""

    @pytest.fixture
    def disk(tmp_path: Path) -> Iterator[Path]:
        with mounted_tmpfs(tmp_path / name, size, why) as mount:
            yield mount

    return disk


tiny_disk = tmpfs_fixture("disk", "3m", "a full or read-only disk")
roomier_disk = tmpfs_fixture("disk8", "8m", "a full disk")


def test_read_only_file_system_is_one_line_naming_the_database(tiny_disk: Path) -> None:
    db = tiny_disk / "tonewatch.duckdb"
    assert cli(db, "feeds", "add", "https://a.example/rss").returncode == 0
    assert _run_root_command("mount", "-o", "remount,ro", str(tiny_disk))
    assert_one_line_naming(cli(db, "feeds", "add", "https://b.example/rss"), db)
    assert_one_line_naming(cli(db, "feeds", "list"), db)


def test_immutable_database_file_refuses_writes_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "tonewatch.duckdb"
    assert cli(db, "feeds", "add", "https://a.example/rss").returncode == 0
    if os.geteuid() != 0 or not _run_root_command("chattr", "+i", str(db)):
        pytest.skip("needs root and chattr (root ignores a read-only mode, not +i)")
    try:
        assert_one_line_naming(cli(db, "feeds", "add", "https://b.example/rss"), db)
        listed = cli(db, "feeds", "list")  # reading still works
        assert listed.returncode == 0 and "https://a.example/rss" in listed.stdout
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


def _articles_file(folder: Path, count: int, tag: str) -> Path:
    path = folder / f"{tag}.jsonl"
    lines = [
        json.dumps(
            {
                "url": f"https://w.example/{tag}/{i}",
                "title": f"France and Chile {tag} {i}",
                "text": "France praised Chile. " * 40,
                "published": "2024-05-01",
            }
        )
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_full_disk_fails_in_one_line_and_loses_nothing_once_space_is_back(
    roomier_disk: Path, tmp_path: Path
) -> None:
    # 8 MB: once space is back, the import's checkpoint needs room for the old and new blocks
    db = roomier_disk / "tonewatch.duckdb"
    assert cli(db, "feeds", "add", "https://a.example/rss").returncode == 0
    batch = _articles_file(tmp_path, 300, "full")  # far more than the last free bytes hold
    filler = roomier_disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (65_536, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass  # the disk is full now, to the last byte
    refused = cli(db, "import", str(batch), "--workers", "1")
    assert_one_line_naming(refused, db)
    assert "No space left on device" in refused.stderr
    filler.unlink()
    assert cli(db, "feeds", "add", "https://c.example/rss").returncode == 0
    settings = load_settings({}, db=db)
    ensure_database(settings)
    with connect(settings) as conn:
        urls = [f.url for f in feed_store.list_feeds(conn)]
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()
    assert urls == ["https://a.example/rss", "https://c.example/rss"]
    assert stored == (0,)  # the failed batch left no half-written article
    assert cli(db, "import", str(batch), "--workers", "1").returncode == 0
    with connect(settings) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (300,)


def fill(folder: Path) -> Path:
    """Fill the file system of folder; return the filler file."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65_536)
                out.flush()
        except OSError:
            pass
    return filler


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_jobs_process_rides_out_a_full_disk_and_stores_once_space_is_back(
    roomier_disk: Path, tmp_path: Path
) -> None:
    settings = load_settings({}, db=roomier_disk / "tonewatch.duckdb", data_dir=tmp_path / "data")
    ensure_database(settings)
    with FeedServer(root=REAL_FEEDS) as server:
        with connect(settings, write=True) as conn:
            feed_store.add_feed(conn, server.url("/bbc-world-2026.xml"), "BBC", 1, NOW)
        filler = fill(roomier_disk)
        log_path = tmp_path / "jobs.log"
        env = dict(
            os.environ,
            TONEWATCH_POLL_SECONDS="1",
            TONEWATCH_DATA_DIR=str(tmp_path / "d"),
            TONEWATCH_ALLOW_PRIVATE_NETWORKS="1",
        )
        jobs = harness.start_jobs(settings.db, log_path, env)
        try:
            skipped = wait_for(
                lambda: (
                    "skipped: cannot write the database" in log_path.read_text(errors="replace")
                ),
                60,
            )
            assert skipped, log_path.read_text(errors="replace")[-2000:]
            assert jobs.poll() is None
            filler.unlink()
            with connect(settings, write=True) as conn:  # due again now, not after the backoff
                conn.execute("UPDATE feeds SET next_check_at = now()")
            assert wait_for(lambda: stored(settings) > 10, 60), log_path.read_text()[-2000:]
        finally:
            jobs.send_signal(signal.SIGTERM)
            jobs.wait(timeout=30)
    assert jobs.returncode == 0
    assert "Traceback" not in log_path.read_text(errors="replace")
    report = check_database(settings.db, "after the full disk")
    assert report.opened and report.problems() == {}


def stored(settings: Settings) -> int:
    with connect(settings) as conn:
        row = conn.execute("SELECT count(*) FROM articles WHERE country_count > 0").fetchone()
    return int(row[0]) if row else 0

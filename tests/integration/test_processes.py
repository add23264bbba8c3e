"""`tonewatch run` and `tonewatch demo` start the jobs and the dashboard, and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from core.config import load_settings
from storage.db import connect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(180)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def dashboard_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    with connect(load_settings({}, db=db)) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def start(args: list[str], tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TONEWATCH_DASHBOARD_PORT": str(port),
        "TONEWATCH_POLL_SECONDS": "2",
        "TONEWATCH_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("TONEWATCH_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "jobs", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_and_check(proc: subprocess.Popen[str], port: int, db: Path) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode in (0, 130), out
    assert not dashboard_healthy(port)
    # the jobs process is gone too: its single-instance lock can be taken again
    from jobs.single import single_instance

    with single_instance(db):
        pass
    assert "Traceback" not in out, out
    return out


def test_demo_serves_real_feeds_offline_and_stops_cleanly(tmp_path: Path) -> None:
    port, db = free_port(), tmp_path / "demo.duckdb"
    proc = start(["--db", str(db), "demo"], tmp_path, port)
    try:
        wait_for(lambda: dashboard_healthy(port), 90, "the dashboard")
        wait_for(lambda: count(db, "SELECT count(*) FROM articles") > 200, 120, "demo articles")
        assert count(db, "SELECT count(*) FROM feeds") == 33
        assert count(db, "SELECT count(DISTINCT iso3) FROM article_tones") > 30
    finally:
        if proc.poll() is None:
            stop_and_check(proc, port, db)


def test_run_seeds_the_default_watch_list_and_stops_cleanly(tmp_path: Path) -> None:
    port, db = free_port(), tmp_path / "tonewatch.duckdb"
    proc = start(["--db", str(db), "run"], tmp_path, port)
    try:
        wait_for(lambda: dashboard_healthy(port), 90, "the dashboard")
        wait_for(
            lambda: count(db, "SELECT count(*) FROM fetch_log") >= 16,
            90,
            "a first pass over the default feeds",
        )
        assert count(db, "SELECT count(*) FROM feeds") == 16
    finally:
        if proc.poll() is None:
            stop_and_check(proc, port, db)

"""The offline demo: real feed snapshots served on 127.0.0.1, watched in a separate database."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from core.config import Settings
from storage import feeds as feed_store
from storage.db import connect, ensure_database

log = logging.getLogger(__name__)
DEMO_DB = Path("data/demo.duckdb")


def demo_feeds_folder() -> Path:
    """Return the folder of shipped real feed snapshots."""
    return Path(str(resources.files("jobs").joinpath("demo_feeds")))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("demo server " + format, *args)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return "application/xml" if str(path).endswith(".xml") else super().guess_type(path)


@contextmanager
def serve_folder(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def watch_demo_feeds(settings: Settings, base_url: str, now: datetime | None = None) -> int:
    """Point the demo database at the feeds served from base_url; return how many it watches."""
    now = now or datetime.now(UTC)
    ensure_database(settings)
    names = sorted(p.name for p in demo_feeds_folder().glob("*.xml"))
    with connect(settings, write=True) as conn:
        known = {f.url.rsplit("/", 1)[-1]: f for f in feed_store.list_feeds(conn)}
        for name in names:
            feed = known.get(name)
            if feed is None:
                feed_store.add_feed(conn, base_url + name, None, 15, now)
            elif feed.url != base_url + name:
                feed_store.set_url(conn, feed.id, base_url + name)
    return len(names)

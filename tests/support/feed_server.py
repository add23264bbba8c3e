"""A real HTTP feed server for tests and benchmarks: http.server on 127.0.0.1:0 in a thread.

Usage (as a context manager, or wrap it in your own pytest fixture)::

    from tests.support.feed_server import FeedServer

    with FeedServer(root=Path("jobs/demo_feeds")) as server:
        url = server.url("/bbc-world-2026.xml")  # a file from root
        server.set_content("/feed.xml", b"<rss>...</rss>")  # per-path content, changeable
        ...
        server.requests_for("/feed.xml")[-1].headers["if-none-match"]  # what the client sent

    @pytest.fixture
    def feed_server() -> Iterator[FeedServer]:
        with FeedServer(root=FIXTURES) as server:
            yield server

Served content (files under root, and paths given to set_content) carries a strong ETag (hash of
the bytes) and Last-Modified; a matching If-None-Match, or (when no If-None-Match is sent) an
If-Modified-Since at or after Last-Modified, gets 304. set_content bumps Last-Modified by a second
at least, so changed content always looks newer.

Special paths (query parameters optional):
    /status/<code>[?retry_after=S]  that status; 429 sends Retry-After: 120 unless told otherwise
    /slow[?interval=0.5&bytes=100000]  headers at once, then one byte per interval (never finishes
                                    in time; stops when the client goes away or the server stops)
    /delay?seconds=S[&path=/x.xml]  waits S seconds, then serves path (default: a tiny valid feed)
    /redirect-loop                  302 to itself, forever
    /redirect?to=URL[&status=301]   a redirect to URL
    /big[?bytes=N]                  an RSS-looking body of N bytes (default big_bytes), with length
    /big-chunked[?bytes=N]          the same without Content-Length (chunked transfer)
    /garbage[?bytes=N]              N random bytes (seeded), served as application/rss+xml
    /empty                          200 with an empty body
    /gzip-bomb[?mb=N]               a small gzip body that inflates to N MB of zeros
                                    (default 64), Content-Encoding: gzip
    /gzip/<path>                    the content of <path>, gzip-compressed on the fly

Every request is recorded (method, path, lower-cased headers); peak_concurrency is the highest
number of requests the server was handling at the same moment (for per-host limit tests).
Pass host="127.0.0.2" (any 127.0.0.0/8 address) to simulate a second host.

The fetcher refuses loopback addresses by default: fetch from this server with
Settings(allow_private_networks=True), or keep the guard on and pass
allowed_addresses=["127.0.0.1"] to jobs.fetch.build_client / fetch_feeds.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

TINY_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Tiny</title>'
    b"<link>http://example.com/</link><description>tiny</description><item><title>One</title>"
    b"<link>http://example.com/1</link><guid>tiny-1</guid></item></channel></rss>\n"
)
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Content:
    """A served document with its validators."""

    body: bytes
    content_type: str
    last_modified: float
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'

    @property
    def last_modified_header(self) -> str:
        """Last-Modified as an HTTP date."""
        return formatdate(self.last_modified, usegmt=True)


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [c.strip() for c in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def _not_modified_since(header: str, last_modified: float) -> bool:
    try:
        since = parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError):
        return False
    return int(last_modified) <= since


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Record the request, then dispatch on the path."""
        owner = self.server.owner
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        owner._enter(
            RecordedRequest("GET", parts.path, {k.lower(): v for k, v in self.headers.items()})
        )
        try:
            owner._dispatch(self, parts.path, query)
        except CLIENT_GONE:
            self.close_connection = True
        finally:
            owner._leave()

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/rss+xml",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a complete response with Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up; the fetcher does that on purpose (deadline, size cap)."""


class FeedServer:
    """A threaded HTTP server serving feed files and test behaviours; see the module docstring."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        host: str = "127.0.0.1",
        big_bytes: int = 2_000_000,
    ) -> None:
        self.root = root.resolve() if root is not None else None
        self.big_bytes = big_bytes
        self.requests: list[RecordedRequest] = []
        self.peak_concurrency = 0
        self._active = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._contents: dict[str, Content] = {}
        self._file_cache: dict[tuple[Path, int, int], Content] = {}
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._routes: dict[str, Callable[[_Handler, str, dict[str, str]], None]] = {
            "/slow": self._slow,
            "/delay": self._delay,
            "/redirect-loop": self._redirect_loop,
            "/redirect": self._redirect,
            "/big": self._big,
            "/big-chunked": self._big_chunked,
            "/garbage": self._garbage,
            "/empty": self._empty,
            "/gzip-bomb": self._gzip_bomb,
        }

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> FeedServer:
        """Start serving in a background thread; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release slow handlers and close the socket."""
        self._stopping.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # public helpers --------------------------------------------------------------------------
    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """http://host:port without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def set_content(
        self, path: str, body: bytes, content_type: str = "application/rss+xml"
    ) -> Content:
        """Serve body at path from now on (new ETag; Last-Modified moves forward)."""
        with self._lock:
            previous = self._contents.get(path)
            stamp = float(int(time.time()))
            if previous is not None and stamp <= previous.last_modified:
                stamp = previous.last_modified + 1
            content = Content(body, content_type, stamp)
            self._contents[path] = content
            return content

    def content(self, path: str) -> Content | None:
        """The document served at path (runtime content first, then a file under root)."""
        with self._lock:
            if path in self._contents:
                return self._contents[path]
        if self.root is None:
            return None
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_file() or self.root not in candidate.parents:
            return None
        stat = candidate.stat()
        key = (candidate, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._file_cache.get(key)
        if cached is None:  # hashing a 2.7 MB feed on every request would dominate benchmarks
            cached = Content(candidate.read_bytes(), _content_type(candidate), stat.st_mtime)
            with self._lock:
                self._file_cache[key] = cached
        return cached

    def requests_for(self, path: str) -> list[RecordedRequest]:
        """Requests received for one path, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # internals -------------------------------------------------------------------------------
    def _enter(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)
            self._active += 1
            self.peak_concurrency = max(self.peak_concurrency, self._active)

    def _leave(self) -> None:
        with self._lock:
            self._active -= 1

    def _dispatch(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        if path.startswith("/status/"):
            self._status(handler, path.removeprefix("/status/"), query)
        elif path in self._routes:
            self._routes[path](handler, path, query)
        elif path.startswith("/gzip/"):
            self._gzipped(handler, path.removeprefix("/gzip"))
        else:
            self._document(handler, path)

    def _document(self, handler: _Handler, path: str) -> None:
        content = self.content(path)
        if content is None:
            handler.send_body(404, b"not found", "text/plain")
            return
        validators = {"ETag": content.etag, "Last-Modified": content.last_modified_header}
        if_none_match = handler.headers.get("If-None-Match")
        if_modified_since = handler.headers.get("If-Modified-Since")
        if if_none_match is not None:
            fresh = _etag_matches(if_none_match, content.etag)
        else:
            fresh = if_modified_since is not None and _not_modified_since(
                if_modified_since, content.last_modified
            )
        if fresh:
            handler.send_response(304)
            for name, value in validators.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_body(200, content.body, content.content_type, validators)

    def _gzipped(self, handler: _Handler, path: str) -> None:
        content = self.content(path)
        if content is None:
            handler.send_body(404, b"not found", "text/plain")
            return
        body = gzip.compress(content.body)
        handler.send_body(200, body, content.content_type, {"Content-Encoding": "gzip"})

    def _status(self, handler: _Handler, code_text: str, query: dict[str, str]) -> None:
        code = int(code_text) if code_text.isdigit() else 400
        headers: dict[str, str] = {}
        retry_after = query.get("retry_after", "120" if code == 429 else None)
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        handler.send_body(code, f"status {code}".encode(), "text/plain", headers)

    def _slow(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        interval = float(query.get("interval", "0.5"))
        total = int(query.get("bytes", "100000"))
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        handler.wfile.flush()
        for _ in range(total):
            if self._stopping.wait(interval):
                break
            handler.wfile.write(b" ")
            handler.wfile.flush()
        handler.close_connection = True

    def _delay(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        self._stopping.wait(float(query.get("seconds", "0.2")))
        target = query.get("path")
        if target is not None:
            self._document(handler, target)
        else:
            handler.send_body(200, TINY_FEED)

    def _redirect_loop(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        handler.send_body(302, b"", "text/plain", {"Location": "/redirect-loop"})

    def _redirect(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        status = int(query.get("status", "302"))
        handler.send_body(status, b"", "text/plain", {"Location": query.get("to", "/")})

    def _big_body(self, query: dict[str, str]) -> bytes:
        size = int(query.get("bytes", str(self.big_bytes)))
        head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        return (head + b" " * size)[:size]

    def _big(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        handler.send_body(200, self._big_body(query))

    def _big_chunked(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        body = self._big_body(query)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for start in range(0, len(body), 65_536):
            piece = body[start : start + 65_536]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")

    def _garbage(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        size = int(query.get("bytes", "4096"))
        handler.send_body(200, random.Random(size).randbytes(size))

    def _empty(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        handler.send_body(200, b"")

    def _gzip_bomb(self, handler: _Handler, path: str, query: dict[str, str]) -> None:
        bomb = gzip_bomb(int(query.get("mb", "64")))
        handler.send_body(200, bomb, "application/rss+xml", {"Content-Encoding": "gzip"})


@functools.lru_cache(maxsize=4)
def gzip_bomb(megabytes: int) -> bytes:
    """A gzip body of about megabytes/1000 MB that inflates to megabytes MB of zero bytes."""
    return gzip.compress(b"\0" * (megabytes * 1_000_000), compresslevel=9)


def _content_type(path: Path) -> str:
    if path.suffix in (".xml", ".rss", ".atom", ".rdf"):
        return "application/rss+xml"
    return "application/octet-stream"

"""Fetch feeds over HTTP: conditional GET, size cap, deadline, hand-followed redirects, SSRF guard.

Every network problem becomes a FetchOutcome with a fixed reason (timeout, too_large,
too_many_redirects, blocked_url, bad_url, dns_error, connection_error, tls_error, http_<code>,
rate_limited, empty_body); fetch_feed never raises for them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import ssl
import time
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpcore
import httpx

from core.config import Settings
from core.models import Feed, FetchOutcome
from core.urls import url_problem
from jobs.netguard import (
    BlockedAddressError,
    GuardedBackend,
    NameResolutionError,
    literal_host_problem,
)

log = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
READ_CHUNK_BYTES = 65_536
DRAIN_MAX_BYTES = 65_536


class ResponseTooLargeError(Exception):
    """The (decompressed) body grew past the configured cap."""


class BodyDecoder:
    """Decompress a streamed body chunk by chunk, never holding more than limit bytes of output."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        self._mode = _decoding_mode(content_encoding)
        self._inflater = self._new_inflater()
        self._first = True

    def _new_inflater(self) -> zlib._Decompress | None:
        if self._mode == "gzip":
            return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, auto-detected
        if self._mode == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise ResponseTooLargeError
        if data:
            self._chunks.append(data)

    def feed(self, raw: bytes) -> None:
        """Add one raw chunk from the wire; raise ResponseTooLargeError past the cap."""
        if self._inflater is None:
            self._append(raw)
            return
        if self._first and self._mode == "deflate":
            self._first = False
            try:
                self._inflate(raw)
            except zlib.error:  # some servers send raw deflate without the zlib header
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._inflate(raw)
            return
        self._inflate(raw)

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        pending = data
        while pending:
            room = self._limit - self._size + 1
            self._append(self._inflater.decompress(pending, room))
            pending = self._inflater.unconsumed_tail
            if self._inflater.eof and self._inflater.unused_data:
                pending = self._inflater.unused_data  # a second gzip member follows
                self._inflater = self._new_inflater()
                assert self._inflater is not None

    def body(self) -> bytes:
        """Return everything decoded so far."""
        if self._inflater is not None:
            self._append(self._inflater.flush())
        return b"".join(self._chunks)


def _decoding_mode(content_encoding: str) -> str:
    codings = [
        c.strip().lower() for c in content_encoding.split(",") if c.strip().lower() != "identity"
    ]
    if codings in (["gzip"], ["x-gzip"]):
        return "gzip"
    if codings == ["deflate"]:
        return "deflate"
    if codings:
        log.debug("unsupported content-encoding=%s, passing body through", content_encoding)
    return "identity"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for all clients: loading the CA bundle takes ~80 ms."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx transport whose connection pool opens sockets through a GuardedBackend."""

    def __init__(self, backend: GuardedBackend, limits: httpx.Limits) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        # httpx has no network_backend argument; the pool it built is replaced by an identical
        # one that dials through our backend (httpcore.AsyncConnectionPool(network_backend=...)).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def build_client(settings: Settings, *, allowed_addresses: Iterable[str] = ()) -> httpx.AsyncClient:
    """Return an AsyncClient for feeds: guarded sockets, no env proxies, no auto redirects."""
    backend = GuardedBackend(
        allow_private=settings.allow_private_networks, allowed_addresses=allowed_addresses
    )
    # Our semaphores bound the requests in flight; the pool may keep a few more idle sockets so
    # that a host's connection survives while other hosts are being fetched.
    pool_size = settings.fetch_concurrency * 2
    limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
    return httpx.AsyncClient(
        transport=GuardedTransport(backend, limits),
        timeout=httpx.Timeout(settings.fetch_timeout_seconds),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": settings.user_agent},
    )


def check_feed_url(url: str, settings: Settings) -> str | None:
    """Return None if the URL may be watched, else a sentence saying why not (no DNS lookup)."""
    problem = url_problem(url)
    if problem is not None:
        return problem.message
    if settings.allow_private_networks:
        return None
    host = urlsplit(url.strip()).hostname or ""
    kind = literal_host_problem(host)
    if kind is not None:
        return f"The address points to a {kind} address ({host}), which feeds may not use."
    return None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Return the seconds to wait from a Retry-After header (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _request_headers(feed: Feed, settings: Settings) -> dict[str, str]:
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    elif feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _error(
    reason: str,
    detail: str,
    *,
    http_status: int | None = None,
    retry_after_seconds: float | None = None,
) -> FetchOutcome:
    return FetchOutcome(
        status="error",
        reason=reason,
        detail=detail,
        http_status=http_status,
        retry_after_seconds=retry_after_seconds,
    )


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    decoder = BodyDecoder(response.headers.get("content-encoding", ""), limit)
    async for raw in response.aiter_raw(READ_CHUNK_BYTES):
        decoder.feed(raw)
    return decoder.body()


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isascii() and value.isdigit() else None


async def _success_outcome(response: httpx.Response, settings: Settings) -> FetchOutcome:
    limit = settings.max_feed_bytes
    code = response.status_code
    declared = _declared_length(response)
    if declared is not None and declared > limit:
        return _error(
            "too_large", f"The feed is {declared} bytes; the limit is {limit}.", http_status=code
        )
    try:
        body = await _read_body(response, limit)
    except ResponseTooLargeError:
        return _error("too_large", f"The feed grew past the {limit}-byte limit.", http_status=code)
    if not body.strip():
        return _error("empty_body", "The server answered with an empty body.", http_status=code)
    return FetchOutcome(
        status="ok",
        reason="ok",
        http_status=code,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        body=body,
    )


async def _response_outcome(
    response: httpx.Response, feed: Feed, settings: Settings
) -> FetchOutcome:
    code = response.status_code
    if not 200 <= code < 300:
        await _drain_small_body(response)
    if code == 304:
        return FetchOutcome(
            status="not_modified",
            reason="not_modified",
            http_status=304,
            etag=response.headers.get("etag") or feed.etag,
            last_modified=response.headers.get("last-modified") or feed.last_modified,
        )
    if 200 <= code < 300:
        return await _success_outcome(response, settings)
    retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
    if code == 429:
        return _error(
            "rate_limited",
            "The server asked us to slow down (HTTP 429).",
            http_status=429,
            retry_after_seconds=retry_after,
        )
    reason_phrase = response.reason_phrase or "error"
    return _error(
        f"http_{code}",
        f"The server answered HTTP {code} {reason_phrase}.",
        http_status=code,
        retry_after_seconds=retry_after if code == 503 else None,
    )


async def _drain_small_body(response: httpx.Response) -> None:
    """Read a short unwanted body (304, redirect, error page) so the connection can be reused;
    closing a response before its end makes httpcore drop the connection."""
    declared = _declared_length(response)
    if declared is not None and declared <= DRAIN_MAX_BYTES:
        async for _chunk in response.aiter_raw():
            pass


def _redirect_target(response: httpx.Response) -> str | None:
    location = response.headers.get("location")
    if response.status_code not in REDIRECT_CODES or not location:
        return None
    return str(response.url.join(location))


@asynccontextmanager
async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> AsyncIterator[httpx.Response]:
    request = client.build_request("GET", url, headers=headers)
    response = await client.send(request, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


async def _fetch_following_redirects(
    client: httpx.AsyncClient, feed: Feed, settings: Settings
) -> FetchOutcome:
    url = feed.url
    headers = _request_headers(feed, settings)
    for _hop in range(settings.max_redirects + 1):
        problem = url_problem(url)
        if problem is not None:
            return _error(problem.reason, problem.message)
        async with _get(client, url, headers) as response:
            target = _redirect_target(response)
            if target is None:
                return await _response_outcome(response, feed, settings)
            await _drain_small_body(response)
        log.debug("redirect feed_id=%s from=%s to=%s", feed.id, url, target)
        url = target
    return _error(
        "too_many_redirects", f"The feed redirected more than {settings.max_redirects} times."
    )


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _exception_outcome(exc: Exception, settings: Settings) -> FetchOutcome:
    if isinstance(exc, BlockedAddressError):
        return _error(
            "blocked_url",
            f"Refused: {exc.host} resolves to {exc.address}, a {exc.kind} address.",
        )
    if isinstance(exc, NameResolutionError):
        return _error("dns_error", f"Could not find the server {exc.host.rstrip('.')}.")
    if isinstance(exc, httpx.TimeoutException):
        seconds = settings.fetch_timeout_seconds
        return _error("timeout", f"The server did not answer within {seconds:g} s.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _error("bad_url", "The address is not a valid http(s) URL.")
    if _caused_by_tls(exc):
        return _error("tls_error", "The secure (TLS) connection failed or its certificate is bad.")
    if isinstance(exc, zlib.error):
        return _error("connection_error", "The server sent a corrupt compressed body.")
    return _error("connection_error", "The connection failed or was cut off.")


NETWORK_ERRORS = (
    httpx.HTTPError,
    httpx.InvalidURL,
    BlockedAddressError,
    NameResolutionError,
    zlib.error,
    OSError,
)


async def fetch_feed(client: httpx.AsyncClient, feed: Feed, settings: Settings) -> FetchOutcome:
    """Fetch one feed within the overall deadline and return what happened (never raises
    for network problems)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(settings.fetch_deadline_seconds):
            outcome = await _fetch_following_redirects(client, feed, settings)
    except TimeoutError:
        deadline = settings.fetch_deadline_seconds
        outcome = _error("timeout", f"The feed did not arrive completely within {deadline:g} s.")
    except NETWORK_ERRORS as exc:
        outcome = _exception_outcome(exc, settings)
    elapsed_ms = int((time.monotonic() - started) * 1000)
    log.debug(
        "fetched feed_id=%s url=%s status=%s reason=%s ms=%d",
        feed.id,
        feed.url,
        outcome.status,
        outcome.reason,
        elapsed_ms,
    )
    return dataclasses.replace(outcome, elapsed_ms=elapsed_ms)


def _host_key(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


async def _fetch_limited(
    client: httpx.AsyncClient,
    feed: Feed,
    settings: Settings,
    overall: asyncio.Semaphore,
    per_host: defaultdict[str, asyncio.Semaphore],
) -> FetchOutcome:
    # Take the host slot first so feeds queued behind a busy host do not hold global slots.
    async with per_host[_host_key(feed.url)], overall:
        try:
            return await fetch_feed(client, feed, settings)
        except Exception:  # boundary: one feed's bug must not stop the others
            log.exception("fetch crashed feed_id=%s url=%s", feed.id, feed.url)
            return FetchOutcome.crashed("The fetcher failed unexpectedly; see the job log.")


async def fetch_feeds(
    feeds: Sequence[Feed], settings: Settings, *, allowed_addresses: Iterable[str] = ()
) -> list[tuple[Feed, FetchOutcome]]:
    """Fetch many feeds concurrently (fetch_concurrency overall, per_host_concurrency per host)
    and return (feed, outcome) pairs in input order."""
    overall = asyncio.Semaphore(settings.fetch_concurrency)
    per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
        lambda: asyncio.Semaphore(settings.per_host_concurrency)
    )
    async with build_client(settings, allowed_addresses=allowed_addresses) as client:
        outcomes = await asyncio.gather(
            *(_fetch_limited(client, feed, settings, overall, per_host) for feed in feeds)
        )
    return list(zip(feeds, outcomes, strict=True))


def fetch_all(feeds: Sequence[Feed], settings: Settings) -> list[tuple[Feed, FetchOutcome]]:
    """Run fetch_feeds to completion from synchronous code (not from inside an event loop)."""
    return asyncio.run(fetch_feeds(feeds, settings))

"""jobs.fetch against a real local HTTP server: validators, error reasons, limits, SSRF guard."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import tracemalloc
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpcore
import pytest

from core.config import Settings, load_settings
from core.models import Feed, FetchOutcome
from jobs.fetch import (
    BodyDecoder,
    ResponseTooLargeError,
    build_client,
    check_feed_url,
    fetch_all,
    fetch_feed,
    parse_retry_after,
)
from jobs.netguard import BlockedAddressError, GuardedBackend, blocked_kind
from tests.support.feed_server import FeedServer, gzip_bomb

REPO = Path(__file__).resolve().parents[2]
DEMO_FEEDS = REPO / "jobs" / "demo_feeds"
SAMPLE = "/bbc-world-2026.xml"


def make_settings(**changes: object) -> Settings:
    """Settings for local tests: private networks allowed, short deadlines, small cap."""
    values: dict[str, object] = {
        "allow_private_networks": True,
        "fetch_timeout_seconds": 2.0,
        "fetch_deadline_seconds": 3.0,
        "max_feed_bytes": 500_000,
        "max_redirects": 3,
    }
    values.update(changes)
    return load_settings(environ={}, **values)


def fetch_one(
    feed: Feed, settings: Settings, allowed_addresses: Sequence[str] = ()
) -> FetchOutcome:
    """Fetch a single feed with a fresh client."""

    async def run() -> FetchOutcome:
        async with build_client(settings, allowed_addresses=allowed_addresses) as client:
            return await fetch_feed(client, feed, settings)

    return asyncio.run(run())


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer(root=DEMO_FEEDS, big_bytes=600_000) as feed_server:
        yield feed_server


def test_200_returns_body_and_validators(server: FeedServer) -> None:
    settings = make_settings()
    outcome = fetch_one(Feed(id=1, url=server.url(SAMPLE)), settings)
    served = server.content(SAMPLE)
    assert served is not None
    assert outcome.status == "ok" and outcome.reason == "ok"
    assert outcome.body == served.body
    assert outcome.etag == served.etag
    assert outcome.last_modified == served.last_modified_header
    sent = server.requests_for(SAMPLE)[-1].headers
    assert sent["user-agent"] == settings.user_agent
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_etag_match_gives_304_and_the_etag_was_sent(server: FeedServer) -> None:
    settings = make_settings()
    first = fetch_one(Feed(id=1, url=server.url(SAMPLE)), settings)
    again = Feed(id=1, url=server.url(SAMPLE), etag=first.etag, last_modified=first.last_modified)
    outcome = fetch_one(again, settings)
    assert outcome.status == "not_modified" and outcome.reason == "not_modified"
    assert outcome.body is None
    assert outcome.etag == first.etag
    sent = server.requests_for(SAMPLE)[-1].headers
    assert sent["if-none-match"] == first.etag
    assert "if-modified-since" not in sent  # one validator only


def test_last_modified_alone_gives_304(server: FeedServer) -> None:
    settings = make_settings()
    first = fetch_one(Feed(id=1, url=server.url(SAMPLE)), settings)
    outcome = fetch_one(
        Feed(id=1, url=server.url(SAMPLE), last_modified=first.last_modified), settings
    )
    assert outcome.status == "not_modified"
    assert server.requests_for(SAMPLE)[-1].headers["if-modified-since"] == first.last_modified


def test_changed_content_is_fetched_again(server: FeedServer) -> None:
    settings = make_settings()
    server.set_content("/live.xml", b"<rss version='2.0'><channel><title>A</title></channel></rss>")
    first = fetch_one(Feed(id=1, url=server.url("/live.xml")), settings)
    server.set_content("/live.xml", b"<rss version='2.0'><channel><title>B</title></channel></rss>")
    second = fetch_one(Feed(id=1, url=server.url("/live.xml"), etag=first.etag), settings)
    assert second.status == "ok"
    assert second.body is not None and b"<title>B</title>" in second.body
    assert second.etag != first.etag


@pytest.mark.parametrize(
    ("path", "reason", "http_status"),
    [
        ("/status/404", "http_404", 404),
        ("/status/500", "http_500", 500),
        ("/status/410", "http_410", 410),
        ("/no-such-feed.xml", "http_404", 404),
        ("/empty", "empty_body", 200),
        ("/redirect-loop", "too_many_redirects", None),
        ("/big", "too_large", 200),
        ("/big-chunked", "too_large", 200),
        ("/gzip-bomb", "too_large", 200),
    ],
)
def test_error_paths_give_their_reason(
    server: FeedServer, path: str, reason: str, http_status: int | None
) -> None:
    outcome = fetch_one(Feed(id=1, url=server.url(path)), make_settings())
    assert (outcome.status, outcome.reason, outcome.http_status) == ("error", reason, http_status)
    assert outcome.detail


def test_redirect_loop_stops_after_max_redirects(server: FeedServer) -> None:
    fetch_one(Feed(id=1, url=server.url("/redirect-loop")), make_settings(max_redirects=3))
    assert len(server.requests_for("/redirect-loop")) == 4  # the first request plus 3 hops


def test_rate_limited_carries_retry_after(server: FeedServer) -> None:
    outcome = fetch_one(Feed(id=1, url=server.url("/status/429")), make_settings())
    assert outcome.reason == "rate_limited"
    assert outcome.retry_after_seconds == 120


def test_503_with_http_date_retry_after(server: FeedServer) -> None:
    url = server.url("/status/503?retry_after=Wed,%2001%20Jan%2031%2000:00:00%20GMT")
    outcome = fetch_one(Feed(id=1, url=url), make_settings())
    assert outcome.reason == "http_503"
    assert outcome.retry_after_seconds is not None and outcome.retry_after_seconds > 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("Fri, 27 Nov 2026 12:01:00 GMT", 60.0),
        ("Fri, 27 Nov 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert parse_retry_after(value, now) == expected


def test_garbage_is_fetched_as_is_for_the_parser_to_judge(server: FeedServer) -> None:
    outcome = fetch_one(Feed(id=1, url=server.url("/garbage?bytes=2048")), make_settings())
    assert outcome.status == "ok"
    assert outcome.body is not None and len(outcome.body) == 2048


def test_gzip_body_is_decompressed(server: FeedServer) -> None:
    outcome = fetch_one(Feed(id=1, url=server.url("/gzip" + SAMPLE)), make_settings())
    served = server.content(SAMPLE)
    assert served is not None
    assert outcome.status == "ok" and outcome.body == served.body
    assert len(gzip.compress(served.body)) < len(served.body)


def test_slow_body_hits_the_overall_deadline(server: FeedServer) -> None:
    settings = make_settings(fetch_timeout_seconds=2.0, fetch_deadline_seconds=1.0)
    outcome = fetch_one(Feed(id=1, url=server.url("/slow?interval=0.05")), settings)
    assert (outcome.status, outcome.reason) == ("error", "timeout")


def test_read_timeout_is_a_timeout(server: FeedServer) -> None:
    settings = make_settings(fetch_timeout_seconds=0.3, fetch_deadline_seconds=5.0)
    outcome = fetch_one(Feed(id=1, url=server.url("/slow?interval=2")), settings)
    assert outcome.reason == "timeout"


def test_connection_refused_is_a_connection_error(server: FeedServer) -> None:
    closed = FeedServer()
    port = closed.port
    closed.stop()
    outcome = fetch_one(Feed(id=1, url=f"http://127.0.0.1:{port}/feed.xml"), make_settings())
    assert outcome.reason == "connection_error"


def test_unknown_host_is_a_dns_error() -> None:
    outcome = fetch_one(Feed(id=1, url="http://no-such-host.invalid/feed.xml"), make_settings())
    assert outcome.reason == "dns_error"


def test_tls_failure_is_a_tls_error(server: FeedServer) -> None:
    # An https:// URL aimed at a plain-HTTP server fails during the TLS handshake.
    outcome = fetch_one(Feed(id=1, url=f"https://127.0.0.1:{server.port}/x.xml"), make_settings())
    assert outcome.reason == "tls_error"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://example.com/"]
)
def test_non_http_scheme_is_refused_even_with_private_networks_allowed(url: str) -> None:
    settings = make_settings(allow_private_networks=True)
    outcome = fetch_one(Feed(id=1, url=url), settings)
    assert outcome.reason == "blocked_url"
    assert check_feed_url(url, settings) is not None


def test_redirect_to_a_non_http_scheme_is_refused(server: FeedServer) -> None:
    url = server.url("/redirect?to=file:///etc/passwd")
    outcome = fetch_one(Feed(id=1, url=url), make_settings(allow_private_networks=True))
    assert outcome.reason == "blocked_url"


def test_credentials_in_url_are_refused(server: FeedServer) -> None:
    url = f"http://user:secret@127.0.0.1:{server.port}{SAMPLE}"
    assert fetch_one(Feed(id=1, url=url), make_settings()).reason == "blocked_url"
    assert server.requests == []


def test_bad_url_is_reported() -> None:
    assert fetch_one(Feed(id=1, url="http://"), make_settings()).reason == "bad_url"


def test_name_resolving_to_loopback_is_refused_when_guarded(server: FeedServer) -> None:
    url = f"http://localhost:{server.port}{SAMPLE}"
    assert fetch_one(Feed(id=1, url=url), make_settings()).status == "ok"  # reachable
    guarded = fetch_one(Feed(id=2, url=url), make_settings(allow_private_networks=False))
    assert guarded.reason == "blocked_url"
    assert "loopback" in guarded.detail
    assert len(server.requests_for(SAMPLE)) == 1  # the guarded fetch never reached the server


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f.0.0.1", "127.1", "[::ffff:7f00:1]", "[0:0:0:0:0:0:0:1]", "LOCALHOST"],
)
def test_disguised_loopback_hosts_are_refused(server: FeedServer, host: str) -> None:
    url = f"http://{host}:{server.port}{SAMPLE}"
    outcome = fetch_one(Feed(id=1, url=url), make_settings(allow_private_networks=False))
    assert outcome.reason == "blocked_url"
    assert server.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed.xml",
        "http://127.0.0.2:{port}/feed.xml",
        "http://10.0.0.1/feed.xml",
        "http://[::ffff:127.0.0.1]:{port}/feed.xml",
        "http://0.0.0.0:{port}/feed.xml",
    ],
)
def test_redirect_to_a_blocked_address_is_refused(server: FeedServer, target: str) -> None:
    # The guard is ON; only the test server's own address is allowed, so the first hop works
    # and the refusal is about the redirect target alone.
    settings = make_settings(allow_private_networks=False)
    start = server.url("/redirect?to=" + target.format(port=server.port))
    outcome = fetch_one(Feed(id=1, url=start), settings, allowed_addresses=["127.0.0.1"])
    assert outcome.reason == "blocked_url"
    assert len(server.requests_for("/redirect")) == 1


def test_redirect_to_an_allowed_address_is_followed(server: FeedServer) -> None:
    settings = make_settings(allow_private_networks=False)
    start = server.url("/redirect?to=" + SAMPLE)
    outcome = fetch_one(Feed(id=1, url=start), settings, allowed_addresses=["127.0.0.1"])
    assert outcome.status == "ok"


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("224.0.0.1", True),
        ("0.0.0.0", True),
        ("255.255.255.255", True),
        ("::1", True),
        ("::", True),
        ("fc00::1", True),
        ("fd12:3456::1", True),
        ("fe80::1", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("64:ff9b::7f00:1", True),
        ("64:ff9b::a9fe:a9fe", True),
        ("2002:7f00:1::1", True),
        ("8.8.8.8", False),
        ("93.184.215.14", False),
        ("2606:4700:4700::1111", False),
        ("::ffff:8.8.8.8", False),
        ("64:ff9b::808:808", False),
    ],
)
def test_blocked_kind_table(address: str, blocked: bool) -> None:
    assert (blocked_kind(ipaddress.ip_address(address)) is not None) is blocked


def test_backend_refuses_before_connecting() -> None:
    backend = GuardedBackend(allow_private=False)

    async def run() -> httpcore.AsyncNetworkStream:
        return await backend.connect_tcp("localhost", 9, timeout=1.0)

    with pytest.raises(BlockedAddressError) as caught:
        asyncio.run(run())
    assert caught.value.kind == "loopback"


@pytest.mark.parametrize(
    ("url", "acceptable"),
    [
        ("https://example.com/feed.xml", True),
        ("http://localhost/feed.xml", False),
        ("http://127.0.0.1/feed.xml", False),
        ("http://[::1]/feed.xml", False),
        ("http://169.254.169.254/", False),
        ("javascript:alert(1)", False),
        ("http://user:pw@example.com/", False),
    ],
)
def test_check_feed_url(url: str, acceptable: bool) -> None:
    message = check_feed_url(url, make_settings(allow_private_networks=False))
    assert (message is None) is acceptable
    if message is not None:
        assert message.endswith(".")


def test_many_feeds_respect_the_per_host_limit(server: FeedServer) -> None:
    settings = make_settings(per_host_concurrency=2, fetch_concurrency=16)
    feeds = [Feed(id=i, url=server.url(f"/delay?seconds=0.1&n={i}")) for i in range(10)]
    results = fetch_all(feeds, settings)
    assert [feed.id for feed, _ in results] == list(range(10))
    assert all(outcome.status == "ok" for _, outcome in results)
    assert 1 <= server.peak_concurrency <= 2


def test_per_host_limit_applies_to_each_host(server: FeedServer) -> None:
    settings = make_settings(per_host_concurrency=1, fetch_concurrency=16)
    with FeedServer(host="127.0.0.2") as other:
        feeds = [
            Feed(id=i, url=s.url(f"/delay?seconds=0.3&n={i}"))
            for i, s in enumerate([server, other] * 3)
        ]
        results = fetch_all(feeds, settings)
        assert all(outcome.status == "ok" for _, outcome in results)
        assert server.peak_concurrency == 1 and other.peak_concurrency == 1
        assert len(server.requests) == len(other.requests) == 3


def test_one_bad_feed_does_not_affect_the_others(server: FeedServer) -> None:
    feeds = [
        Feed(id=1, url=server.url(SAMPLE)),
        Feed(id=2, url="ftp://example.com/x"),
        Feed(id=3, url=server.url("/status/500")),
        Feed(id=4, url=server.url("/gzip-bomb")),
    ]
    reasons = [outcome.reason for _, outcome in fetch_all(feeds, make_settings())]
    assert reasons == ["ok", "blocked_url", "http_500", "too_large"]


def test_body_decoder_stops_a_gzip_bomb_without_inflating_it() -> None:
    bomb = gzip_bomb(64)
    decoder = BodyDecoder("gzip", limit=100_000)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            decoder.feed(bomb)  # the whole bomb in one chunk, the worst case
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # inflating it would take 64 MB


def test_body_decoder_handles_raw_deflate_and_concatenated_gzip() -> None:
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    data = raw_deflate.compress(b"<rss>hello</rss>") + raw_deflate.flush()
    decoder = BodyDecoder("deflate", limit=1000)
    decoder.feed(data)
    assert decoder.body() == b"<rss>hello</rss>"
    two_members = gzip.compress(b"<rss>") + gzip.compress(b"</rss>")
    decoder = BodyDecoder("gzip", limit=1000)
    decoder.feed(two_members)
    assert decoder.body() == b"<rss></rss>"


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a throwaway certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_sni_is_the_host_name_not_the_dialled_ip(tmp_path: Path) -> None:
    cert, key = _self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server_names: list[str | None] = []

    def record_server_name(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        server_names.append(name)

    context.sni_callback = record_server_name
    listener = socket.create_server(("127.0.0.1", 0))

    def accept_one() -> None:
        connection, _ = listener.accept()
        with connection:
            try:
                context.wrap_socket(connection, server_side=True).close()
            except (ssl.SSLError, OSError):
                pass  # the client rejects our self-signed certificate, as it should

    thread = threading.Thread(target=accept_one)
    thread.start()
    try:
        url = f"https://localhost:{listener.getsockname()[1]}/feed.xml"
        outcome = fetch_one(Feed(id=1, url=url), make_settings())
    finally:
        thread.join(timeout=10)
        listener.close()
    assert outcome.reason == "tls_error"  # certificate verification stays on
    assert server_names == ["localhost"]

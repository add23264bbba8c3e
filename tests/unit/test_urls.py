"""core.urls: URL syntax checks and normalisation for duplicate detection."""

from __future__ import annotations

import pytest

from core.urls import MAX_URL_LENGTH, check_url_syntax, normalise_url, url_problem


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/feed.xml", "http://example.com/feed.xml"),
        ("https://example.com:443/feed", "https://example.com/feed"),
        ("http://example.com:80/feed", "http://example.com/feed"),
        ("http://example.com:8080/feed", "http://example.com:8080/feed"),
        ("https://example.com:80/feed", "https://example.com:80/feed"),
        ("https://example.com/feed/", "https://example.com/feed"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/feed#top", "https://example.com/feed"),
        ("https://example.com/rss?b=2&a=1", "https://example.com/rss?a=1&b=2"),
        (
            "https://example.com/rss?utm_source=x&id=7&UTM_Medium=y&fbclid=z&gclid=q",
            "https://example.com/rss?id=7",
        ),
        ("https://example.com/rss?utm_source=x", "https://example.com/rss"),
        ("https://example.com/rss?flag=", "https://example.com/rss?flag="),
        ("https://Example.com./a", "https://example.com/a"),
        ("http://[2001:DB8::1]:80/feed", "http://[2001:db8::1]/feed"),
        ("  https://example.com/feed  ", "https://example.com/feed"),
        ("https://example.com/Path/Case", "https://example.com/Path/Case"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_normalise_url_is_idempotent() -> None:
    once = normalise_url("HTTPS://News.Example.com:443/World/?utm_campaign=a&z=1&a=2#frag")
    assert normalise_url(once) == once


def test_urls_differing_only_in_noise_normalise_equal() -> None:
    a = normalise_url("https://example.com/rss/?a=1&b=2&utm_source=feedly")
    b = normalise_url("HTTPS://EXAMPLE.COM:443/rss?b=2&a=1#x")
    assert a == b


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/feed.xml",
        "http://example.com:8080/rss?x=1",
        "http://127.0.0.1:8000/feed.xml",  # syntax is fine; the network guard decides reachability
        "https://[2001:db8::1]/feed",
    ],
)
def test_acceptable_syntax(url: str) -> None:
    assert check_url_syntax(url) is None


@pytest.mark.parametrize(
    ("url", "reason", "words"),
    [
        ("", "bad_url", "empty"),
        ("   ", "bad_url", "empty"),
        ("example.com/feed", "blocked_url", "no scheme"),
        ("ftp://example.com/feed", "blocked_url", "'ftp:'"),
        ("file:///etc/passwd", "blocked_url", "'file:'"),
        ("javascript:alert(1)", "blocked_url", "'javascript:'"),
        ("http://user:pw@example.com/", "blocked_url", "password"),
        ("http://user@example.com/", "blocked_url", "user name"),
        ("http:///feed", "bad_url", "no host"),
        ("http://exa mple.com/", "bad_url", "spaces"),
        ("http://example.com:99999/", "bad_url", "port"),
        ("http://example.com:0/", "bad_url", "port"),
        ("http://[::1/", "bad_url", "not a valid URL"),
        ("http://example.com/" + "a" * MAX_URL_LENGTH, "bad_url", "longer than"),
    ],
)
def test_refused_syntax_has_a_reason_and_a_sentence(url: str, reason: str, words: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert problem.reason == reason
    assert words in problem.message
    assert problem.message.endswith(".")
    assert check_url_syntax(url) == problem.message

from datetime import UTC, datetime, timedelta

import pytest

from core.access import AttemptLimiter, is_local_address, password_matches, start_problem

NOW = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.5.6.7", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_local_addresses(host: str, local: bool) -> None:
    assert is_local_address(host) is local


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [("s3cret", "s3cret", True), ("s3cre", "s3cret", False), ("", "", False), ("é", "é", True)],
)
def test_password_comparison(given: str, expected: str, ok: bool) -> None:
    assert password_matches(given, expected) is ok


def test_limiter_blocks_after_the_limit_and_recovers() -> None:
    limiter = AttemptLimiter(limit=3, window=timedelta(minutes=5))
    for i in range(3):
        assert limiter.wait_seconds(NOW + timedelta(seconds=i)) == 0
        limiter.record_failure(NOW + timedelta(seconds=i))
    assert limiter.wait_seconds(NOW + timedelta(seconds=10)) == pytest.approx(290)
    assert limiter.wait_seconds(NOW + timedelta(minutes=5)) == 0


@pytest.mark.parametrize(
    ("host", "password", "oidc", "insecure", "refused"),
    [
        ("127.0.0.1", False, False, False, False),
        ("0.0.0.0", False, False, False, True),
        ("0.0.0.0", True, False, False, False),
        ("0.0.0.0", False, True, False, False),
        ("0.0.0.0", False, False, True, False),
    ],
)
def test_public_address_needs_a_way_to_sign_in(
    host: str, password: bool, oidc: bool, insecure: bool, refused: bool
) -> None:
    problem = start_problem(host, password, oidc, insecure)
    assert (problem is not None) is refused
    if problem:
        assert "TONEWATCH_DASHBOARD_PASSWORD" in problem and "--insecure" in problem

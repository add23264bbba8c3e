"""Who may change things: loopback binding, a password compared in constant time, rate limits."""

from __future__ import annotations

import hmac
import ipaddress
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_local_address(host: str) -> bool:
    """True when a bind address is reachable from this machine only (loopback)."""
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def password_matches(given: str, expected: str) -> bool:
    """Compare a password in constant time; an empty expected password never matches."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class AttemptLimiter:
    """At most `limit` failed sign-in attempts per `window`; then wait until the oldest expires."""

    limit: int = 5
    window: timedelta = timedelta(minutes=5)
    failures: deque[datetime] = field(default_factory=deque)

    def _forget_old(self, now: datetime) -> None:
        while self.failures and now - self.failures[0] >= self.window:
            self.failures.popleft()

    def wait_seconds(self, now: datetime) -> float:
        """Return how long to wait before the next attempt is allowed (0 when allowed)."""
        self._forget_old(now)
        if len(self.failures) < self.limit:
            return 0.0
        return (self.failures[0] + self.window - now).total_seconds()

    def record_failure(self, now: datetime) -> None:
        """Count a failed attempt."""
        self._forget_old(now)
        self.failures.append(now)

    def reset(self) -> None:
        """Forget failures after a successful sign-in."""
        self.failures.clear()


def start_problem(host: str, has_password: bool, has_oidc: bool, insecure: bool) -> str | None:
    """Return why the dashboard must not start on this address, or None when it may."""
    if is_local_address(host) or has_password or has_oidc or insecure:
        return None
    return (
        f"the dashboard would listen on {host}, reachable from other machines, with no way to sign "
        "in: set TONEWATCH_DASHBOARD_PASSWORD (or configure Streamlit's OIDC login in "
        ".streamlit/secrets.toml), or pass --insecure if anyone who can reach it may edit feeds"
    )

"""Pure URL checks and normalisation: no network, no DNS (the connect-time guard lives in jobs)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})


@dataclass(frozen=True)
class UrlProblem:
    """Why a URL was refused: reason is "bad_url" or "blocked_url", message is for people."""

    reason: str
    message: str


def url_problem(url: str) -> UrlProblem | None:
    """Return what is wrong with a feed URL's syntax, or None when it looks fetchable."""
    text = url.strip()
    if not text:
        return UrlProblem("bad_url", "The address is empty.")
    if len(text) > MAX_URL_LENGTH:
        return UrlProblem("bad_url", f"The address is longer than {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return UrlProblem("bad_url", "The address contains spaces or control characters.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return UrlProblem("bad_url", "The address is not a valid URL (check the host and port).")
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        return UrlProblem(
            "blocked_url", f"Only http:// and https:// addresses can be watched, not {shown}."
        )
    if parts.username is not None or parts.password is not None:
        return UrlProblem(
            "blocked_url", "The address contains a user name or password; remove them."
        )
    if not parts.hostname:
        return UrlProblem("bad_url", "The address has no host name.")
    if port == 0:
        return UrlProblem("bad_url", "The address has an invalid port number.")
    return None


def check_url_syntax(url: str) -> str | None:
    """Return a sentence explaining why the URL cannot be fetched, or None if its syntax is fine."""
    problem = url_problem(url)
    return None if problem is None else problem.message


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def _netloc(scheme: str, hostname: str, port: int | None) -> str:
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is None or DEFAULT_PORTS.get(scheme) == port:
        return host
    return f"{host}:{port}"


def normalise_url(url: str) -> str:
    """Return a canonical form of the URL for duplicate detection (not for fetching)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    hostname = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = _netloc(scheme, hostname, port)
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking_param(name)
    ]
    query = urlencode(sorted(params))
    return urlunsplit((scheme, netloc, path, query, ""))

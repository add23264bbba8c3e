"""The fixed vocabulary of fetch outcomes, and a sentence for each that a person understands."""

from __future__ import annotations

SENTENCES: dict[str, str] = {
    "ok": "The feed was fetched and read.",
    "not_modified": "The feed has not changed since the last check.",
    "timeout": "The site did not answer in time.",
    "too_large": "The feed was larger than the size limit.",
    "too_many_redirects": "The address redirected too many times.",
    "blocked_url": "The address points to a private or local network, which feeds may not reach.",
    "bad_url": "The address is not a valid web address.",
    "dns_error": "The host name could not be found.",
    "connection_error": "The site refused or dropped the connection.",
    "tls_error": "The site's secure connection (TLS certificate) could not be verified.",
    "rate_limited": "The site asks us to slow down (HTTP 429); we back off.",
    "empty_body": "The site answered with an empty page.",
    "parse_error": "The answer was not a feed we could read (not RSS, Atom or RDF).",
    "crashed": "Tonewatch itself failed while handling this feed (see the jobs log).",
    "http_401": "The site asks for a login (HTTP 401).",
    "http_403": "The site refuses access (HTTP 403).",
    "http_404": "The address no longer exists on the site (HTTP 404).",
    "http_410": "The site says the feed is gone for good (HTTP 410).",
}


def explain(reason: str | None) -> str:
    """Return a sentence for a fixed outcome reason ("" when there is none)."""
    if not reason:
        return ""
    if reason in SENTENCES:
        return SENTENCES[reason]
    if reason.startswith("http_5"):
        return f"The site had a server error (HTTP {reason[5:]}); it may be temporary."
    if reason.startswith("http_"):
        return f"The site answered with an error (HTTP {reason[5:]})."
    return f"The last fetch failed ({reason})."

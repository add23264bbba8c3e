"""Article identity: the keys by which the same article reached twice is stored once."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from core.urls import normalise_url

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def normalise_title(title: str) -> str:
    """Return a title folded for comparison: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def url_key(url: str | None, guid: str | None, source: str, title: str, text: str) -> str:
    """Return the article's primary key: its normalised URL, else its guid, else title and text."""
    if url:
        return "u:" + _digest(normalise_url(url))
    if guid:
        return "g:" + _digest(source, guid)
    return "t:" + _digest(source, normalise_title(title), text[:2000])


def guid_key(guid: str | None, source: str) -> str | None:
    """Return the key of the entry's guid within its source, or None without a guid."""
    return _digest(source, guid.strip()) if guid and guid.strip() else None


def title_key(title: str, source: str) -> str:
    """Return the key of the normalised title within its source (dedupes within 7 days)."""
    return _digest(source, normalise_title(title))

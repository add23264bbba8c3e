"""OPML in and out: the feed-list format every reader understands. Parsed safely (no entities)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from core.errors import UserFacingError

MAX_OPML_BYTES = 5_000_000
MAX_OUTLINES = 10_000


class OpmlError(UserFacingError, ValueError):
    """The file is not an OPML feed list we can read; the message says why in plain words."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed from an OPML file."""

    url: str
    title: str | None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Return the feeds of an OPML document, in document order, without duplicates."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // 1_000_000} MB")
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise OpmlError("the file declares entities or a DTD, which we refuse for safety") from None
    except ParseError as exc:
        raise OpmlError(f"the file is not well-formed XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise OpmlError("the file is XML but not OPML (its root element is not <opml>)")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = (outline.get("title") or outline.get("text") or "").strip() or None
        feeds.append(OpmlFeed(url=url, title=title))
        if len(feeds) > MAX_OUTLINES:
            raise OpmlError(f"the file lists more than {MAX_OUTLINES} feeds")
    return feeds


def build_opml(feeds: Sequence[OpmlFeed], title: str = "Tonewatch feeds") -> bytes:
    """Return an OPML 2.0 document listing the feeds."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    body = SubElement(root, "body")
    for feed in feeds:
        SubElement(
            body,
            "outline",
            type="rss",
            text=feed.title or feed.url,
            title=feed.title or feed.url,
            xmlUrl=feed.url,
        )
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"

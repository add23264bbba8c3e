"""HTML to plain text with the standard library's parser (feed text is often HTML)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer figure"
    " figcaption pre hr dd dt".split()
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "iframe", "svg", "head"))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML fragment, one paragraph per line, whitespace collapsed."""
    if "<" not in markup and "&" not in markup:
        return clean_text(markup)
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return clean_text("".join(collector.parts))


def clean_text(text: str) -> str:
    """Return text without control characters, with runs of spaces and blank lines collapsed."""
    text = _CONTROL.sub("", unescape(text) if "&" in text else text)
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()

"""A fast rule-based sentence splitter: spans into the original text, abbreviation-aware.

A sentence ends at . ! ? or … (plus any closing quotes or brackets) followed by whitespace and a
word that does not start in lower case, and at every line break (feed text keeps titles and
paragraphs on their own lines). A period after a title (Mr., Gen.), an initial (J.), a number
sign before a digit (No. 10) or a date abbreviation before a digit (Jan. 6) never ends one; after
a dotted acronym or company suffix (U.S., Inc.) it does only when a typical sentence opener follows.
"""

from __future__ import annotations

import re

from core.native import COMPILED

# One alternative starting with a character class lets the regex engine skip ahead fast; line
# breaks are found with str.find instead (an "|\n" alternative made the scan 1.7x slower).
_CANDIDATE = re.compile(r"[.!?…][.!?…\"'”’»)\]]*(?=\s)")
_OPENING_PUNCTUATION = "\"'“‘([{«—–-"
_NEXT_WORD = re.compile(r"[ \t\u00a0]*[\"“‘'(\[«]*(\w[\w'’-]*)")

_TITLES = frozenset(
    "mr mrs ms dr gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep rev fr prof st mt ft pres "
    "supt det insp brig hon messrs mssrs amb sec atty vs v etc e.g i.e cf approx dept fig est "
    "ave blvd rd jr sr".split()
)
_BEFORE_NUMBER = frozenset(
    "no nos nr art vol pp p ch sec jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_MAY_END = frozenset(
    "inc co corp ltd plc bros llc jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_OPENERS = frozenset(
    "The A An He She It They We I You His Her Its Their Our My This That These Those There Here "
    "But And Or So Yet In On At As If When While After Before Since Although Though However "
    "Meanwhile Still Now Then Some Many Most Officials Other Others Both All No Not What Why How "
    "Who Where Mr Mrs Ms Dr According Last Next Despite Under Over For From With Without".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans covering the sentences of text, in order, without surrounding spaces."""
    if COMPILED is not None:
        return COMPILED.split_sentences(text, _period_ends_sentence)
    return python_split_sentences(text)


def python_split_sentences(text: str) -> list[tuple[int, int]]:
    """split_sentences in Python: the reference for core._native.split_sentences."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    size = len(text)
    while line_start <= size:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = size
        start = line_start
        for match in _CANDIDATE.finditer(text, line_start, line_end):
            end = match.end()
            if _ends_sentence(text, match.start(), end):
                _add_span(spans, text, start, end)
                start = end
        _add_span(spans, text, start, line_end)
        line_start = line_end + 1
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append text[start:end] trimmed of whitespace; a piece of bare punctuation (a stray ” or …)
    joins the previous sentence on the same line instead."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    start += piece.find(stripped[0])  # the first character that is not whitespace
    end = start + len(stripped)
    if (
        stripped[0].isalnum()  # the usual case, decided without a scan
        or not spans
        or text.find("\n", spans[-1][1], start) >= 0
        or any(char.isalnum() for char in stripped)
    ):
        spans.append((start, end))
    else:
        spans[-1] = (spans[-1][0], end)


def _ends_sentence(text: str, punct_start: int, end: int) -> bool:
    """True when the punctuation run text[punct_start:end] closes a sentence."""
    follower = _NEXT_WORD.match(text, end)
    if follower is None:
        return True
    next_word = follower.group(1)
    if next_word[0].islower():
        return False
    if text[punct_start] != "." or end - punct_start > 1 and text[punct_start + 1] == ".":
        return True
    return _period_ends_sentence(text, punct_start, next_word)


def _period_ends_sentence(text: str, period: int, next_word: str) -> bool:
    """Decide a single period followed by a capitalised word or a digit."""
    if text[period - 7 : period].isalpha():
        return True  # a word of 7+ letters: no abbreviation we know is that long
    # rsplit rather than a regex anchored at the end: the regex retries every start position.
    tokens = text[max(0, period - 24) : period].rsplit(None, 1)
    token = tokens[-1].lstrip(_OPENING_PUNCTUATION) if tokens else ""
    if not token or not token[0].isalpha() or text[period - 1 : period].isspace():
        return True
    key = token.lower().rsplit("-", 1)[-1]  # "then-Gov." is a title too
    if key in _TITLES or (len(token) == 1 and token.isupper()):
        return False
    if key in _BEFORE_NUMBER and next_word[0].isdigit():
        return False
    if key in _MAY_END or "." in token:
        return next_word in _OPENERS
    return True

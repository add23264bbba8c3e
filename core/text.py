"""Text helpers shared by the country matcher and the sentence splitter; offsets never shift."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?")
_APOSTROPHES = ("'", "’")


def is_word_char(char: str) -> bool:
    """True for letters and digits, the characters that glue a match to its neighbours."""
    return char.isalnum()


def is_whole_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to a letter or digit on either side."""
    if start > 0 and is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and is_word_char(text[end]))


def words_before(text: str, start: int, count: int, window: int = 60) -> list[str]:
    """The last `count` words before `start`, lowercased, nearest last."""
    found = _WORD.findall(text[max(0, start - window) : start])
    return [word.lower() for word in found[-count:]]


def word_after(text: str, end: int, window: int = 40) -> str:
    """The word after `end` when exactly one space separates them, as written; else ''."""
    rest = text[end : end + window]
    stripped = rest.lstrip(" ")
    if not stripped or len(rest) - len(stripped) != 1:
        return ""
    match = _WORD.match(stripped)
    return match.group(0) if match else ""


def line_prefix(text: str, start: int) -> str:
    """The text between the start of the line holding `start` and `start`."""
    return text[text.rfind("\n", 0, start) + 1 : start]


def apostrophe_variants(phrase: str) -> set[str]:
    """The phrase with straight and curly apostrophes, so "People's" also finds "People’s"."""
    variants = {phrase}
    for old, new in (_APOSTROPHES, _APOSTROPHES[::-1]):
        if old in phrase:
            variants.add(phrase.replace(old, new))
    return variants


def case_variants(phrase: str) -> set[str]:
    """As written, ALL CAPS (headlines) and Title Case for phrases; short mixed-case words stay.

    "Xi" gets no "XI" variant: in capitals it is far more often a Roman numeral.
    """
    variants = {phrase}
    if len(phrase) > 3 or phrase.isupper():
        variants.add(phrase.upper())
    if " " in phrase:
        variants.add(" ".join(word[:1].upper() + word[1:] for word in phrase.split(" ")))
    return variants

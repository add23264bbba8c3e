"""Country names and aliases; find_mentions(text) finds the countries a text refers to.

The gazetteer lives in core/gazetteer/*.tsv (data, not code). All patterns, country words and
non-country "blocker" phrases alike, go into one Aho-Corasick automaton over the original text
(case-sensitive, so "us" and "china" never match). Whole-word hits are chosen leftmost-longest,
so "South China Sea" swallows "China" and yields nothing. A few context rules then settle
capitals, leaders, Georgia, Korea and given names. Spans are offsets into the text as given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from core.gazetteer import Entry, Gazetteer, load_gazetteer, rules
from core.models import Mention
from core.text import words_before


@dataclass(frozen=True)
class Country:
    """One ISO 3166-1 country (plus XKX): alpha-3 code, display name, numeric code, alpha-2 code."""

    iso3: str
    name: str
    numeric: str | None
    iso2: str


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return load_gazetteer()


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    return {
        row.iso3: Country(row.iso3, row.name, row.numeric or None, row.iso2)
        for row in _gazetteer().countries
    }


def all_countries() -> list[Country]:
    """Every ISO 3166-1 country plus Kosovo (XKX), sorted by alpha-3 code."""
    return sorted(_countries().values(), key=lambda country: country.iso3)


def country_name(iso3: str) -> str:
    """The display name of a country ("China"); raises KeyError for an unknown code."""
    return _countries()[iso3].name


def find_mentions(text: str, published: dt.date | None = None) -> list[Mention]:
    """Country mentions in text, sorted by start; spans are character offsets into text.

    `published` picks which leaders count (in office on that day); None means today.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    day = published or dt.date.today()
    gazetteer = _gazetteer()
    hits = _longest_matches(gazetteer, text)
    context = _Context(text, gazetteer.clues, hits)
    mentions: list[Mention] = []
    for start, end, entry in hits:
        for iso3 in _resolve(entry, text, start, end, day, context):
            mentions.append(Mention(iso3, start, end, text[start:end]))
    return mentions


def _longest_matches(gazetteer: Gazetteer, text: str) -> list[tuple[int, int, Entry]]:
    """Whole-word automaton hits, leftmost first, longest first, never overlapping.

    Spans start after a pattern's lead ("the ", a title), so "President Lai Ching-te" yields the
    full name "Lai Ching-te" rather than "President Lai".
    """
    candidates = []
    size = len(text)
    for last, (length, index, lead) in gazetteer.automaton.iter(text):
        start = last + 1 - length
        first = start - lead
        # Whole-word check, inline: this loop is the hot path. A pattern edge that is not a letter
        # ("US$", "U.S.") needs no boundary there.
        if (first == 0 or not text[first - 1].isalnum() or not text[first].isalnum()) and (
            last + 1 == size or not text[last + 1].isalnum() or not text[last].isalnum()
        ):
            candidates.append((start, -length, index))
    candidates.sort()
    chosen: list[tuple[int, int, Entry]] = []
    covered_to = 0
    for start, negative_length, index in candidates:
        if start >= covered_to:
            covered_to = start - negative_length
            chosen.append((start, covered_to, gazetteer.entries[index]))
    return chosen


def _resolve(
    entry: Entry, text: str, start: int, end: int, day: dt.date, context: _Context
) -> tuple[str, ...]:
    """The countries one chosen hit stands for; empty when a rule says it is not a mention."""
    if entry.kind == "block" or text[start - 1 : start] == "$":
        return ()
    if entry.kind == "leader":
        if rules.is_former(text, start) or context.is_someone_else(start, end):
            return ()
        return tuple(term.iso3 for term in entry.leaders if term.holds_on(day))
    if entry.kind == "capital" and context.is_place(start, end):
        return ()
    if entry.rule:
        return _resolve_flagged(entry, text, start, end, context)
    return entry.iso3s


def _resolve_flagged(
    entry: Entry, text: str, start: int, end: int, context: _Context
) -> tuple[str, ...]:
    """Apply the aliases.tsv flags of one hit (prefix, given, surname, language, georgia, korea)."""
    flags = entry.rule.split()
    if "prefix" in flags and text[end : end + 1] != "-":
        return ()  # "Sino" counts only as "Sino-American", "Sino-Indian"
    if "given" in flags and rules.is_followed_by_name(text, end):
        return ()
    if "surname" in flags and rules.is_in_name(text, start, end):
        return ()
    if "language" in flags and rules.is_language(text, start, end):
        return ()
    if "georgia" in flags and context.reading("georgia", start) == "us":
        return ()
    if "korea" in flags:
        return ("PRK",) if context.reading("korea", start) == "north" else ("KOR",)
    return entry.iso3s


@dataclass
class _Context:
    """What the rules need to know about the whole text, worked out only when first asked."""

    text: str
    clues: dict[str, dict[str, re.Pattern[str]]]
    hits: list[tuple[int, int, Entry]]
    _found: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    _other_people: set[str] | None = None
    _last_place_end: int = -1

    def is_place(self, start: int, end: int) -> bool:
        """True when the capital at start:end is a place or part of a name, not the state."""
        text = self.text
        if rules.is_capital_not_state(text, start, end) or rules.follows_place_in_list(
            text, self._last_place_end, start
        ):
            self._last_place_end = end
            return True
        return False

    def reading(self, rule: str, position: int) -> str:
        """The reading whose clue word lies nearest to position; "" when the text has none."""
        if rule not in self._found:
            self._found[rule] = [
                (match.start(), reading)
                for reading, pattern in self.clues[rule].items()
                for match in pattern.finditer(self.text)
            ]
        found = self._found[rule]
        if not found:
            return ""
        return min(found, key=lambda hit: abs(hit[0] - position))[1]

    def is_someone_else(self, start: int, end: int) -> bool:
        """True for a bare leader surname that the text also gives to another named person.

        "Francesca Albanese ... Albanese said" is not Anthony Albanese unless the text names him
        too; a title right before ("Prime Minister Albanese") keeps it with the leader.
        """
        surname = self.text[start:end]
        if " " in surname or surname not in self._people():
            return False
        title = words_before(self.text, start, 1)
        return not (title and title[0] in rules.TITLES)

    def _people(self) -> set[str]:
        """Surnames of blocked full names ("Francesca Albanese") minus those of named leaders."""
        if self._other_people is None:
            blocked: set[str] = set()
            leaders: set[str] = set()
            for start, end, entry in self.hits:
                words = self.text[start:end].split()
                if len(words) > 1 and entry.kind in ("block", "leader"):
                    (blocked if entry.kind == "block" else leaders).add(words[-1])
            self._other_people = blocked - leaders
        return self._other_people

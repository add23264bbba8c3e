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

from core.gazetteer import Entry, Gazetteer, load_gazetteer
from core.models import Mention
from core.text import line_prefix, word_after, words_before

# Capital context (COUNTRY-MENTIONS.md rule 2): a capital counts unless it reads as a place.
_PLACE_BEFORE = frozenset(
    "in at near outside around across into via inside throughout downtown central capital city "
    "visit visits visited visiting toured touring a an suburban greater east west north south "
    "eastern western northern southern occupied annexed ancient old like".split()
)
_TRAVEL_TO = frozenset(
    "travel travels traveled travelled traveling travelling trip trips flew fly flies flight "
    "flights return returned returning returns went go goes going came come comes moved move "
    "relocated headed heading arrived journey back drive drove sail sailed taken visit "
    "visits".split()
)
_PLACE_OF = frozenset(
    "mayor streets outskirts center centre heart suburbs residents city skyline people fall siege "
    "battle liberation capture".split()
)
_PLACE_AFTER = frozenset(
    "hotel hotels airport residents resident mayor marathon festival office offices bureau "
    "apartment restaurant restaurants cafe café suburb suburbs streets street metro subway zoo "
    "university correspondent time area region district neighborhood neighbourhood stock "
    "exchange club fc derby hospital station museum agreement agreements accord accords "
    "declaration protocol convention olympics games fashion film book motor opera home "
    "international city metropolitan biennale prosecutor prosecutors attack police".split()
)
_PLACE_SUFFIXES = ("-based", "-born", "-bound", "-area", "-headquartered", "-listed")
# A capitalised word right before a capital that still leaves it standing for the state;
# any other ("Jeff Kingston", "Ancient Rome", "Hellgate London") makes it part of a name.
_NOT_A_GIVEN_NAME = frozenset(
    "The A An And But Or In On At As If When While After Before Between Both Meanwhile However "
    "Yet So Then Now Also Still Only Even Not Why How What Where Who Says Said Tells Told Warns "
    "Urges Slams Blasts Accuses Backs Rejects Joins Hits Asks Sues Blames Calls Sees Pressures "
    "Presses Versus Against With Without From To For By Of Over Under Did Does Do Will Would "
    "Could Should Can Has Have Had Is Was Are Were Be".split()
)
# "in Spanish", "speaks Korean and English": a language, unless a noun follows ("in Chinese hands").
_LANGUAGE_CUES = frozenset(
    "in into speak speaks spoke speaking spoken learn learns learning learned fluent translated "
    "subtitled dubbed".split()
)
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)$")
# Leaders (rule 3): not after these words, and a title keeps a bare surname with the leader.
_FORMER = frozenset("former ex late then".split())
_TITLES = frozenset(
    "president minister pm premier chancellor king queen leader mr mrs ms emperor pope "
    "ayatollah sheikh prince taoiseach".split()
)
# After Chad or Jordan these words still belong to the country, not to a person.
_NOT_A_SURNAME = frozenset(
    "Government Army Police President King Queen Prime Foreign Defense Defence Ministry "
    "Minister National Armed Air Navy Central Supreme Parliament Election Electoral "
    "Constitutional Red Royal And".split()
)


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
            lead = entry.lead
            mentions.append(Mention(iso3, start + lead, end, text[start + lead : end]))
    return mentions


def _longest_matches(gazetteer: Gazetteer, text: str) -> list[tuple[int, int, Entry]]:
    """Whole-word automaton hits, leftmost first, longest first, never overlapping."""
    candidates = []
    size = len(text)
    for last, (length, index) in gazetteer.automaton.iter(text):
        start = last + 1 - length
        # Inlined is_whole_word: this loop is the hot path.
        # A pattern edge that is not a letter ("US$", "U.S.") needs no boundary there.
        if (start == 0 or not text[start - 1].isalnum() or not text[start].isalnum()) and (
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
        if _is_former(text, start) or context.is_someone_else(start, end):
            return ()
        return tuple(term.iso3 for term in entry.leaders if term.holds_on(day))
    if entry.kind == "capital" and (_is_place(text, start, end) or _is_in_name(text, start, end)):
        return ()
    if entry.rule:
        return _resolve_flagged(entry, text, start, end, context)
    return entry.iso3s


def _resolve_flagged(
    entry: Entry, text: str, start: int, end: int, context: _Context
) -> tuple[str, ...]:
    """Apply the aliases.tsv flags of one hit (given, surname, language, georgia, korea)."""
    flags = entry.rule.split()
    if "given" in flags and _is_followed_by_name(text, end):
        return ()
    if "surname" in flags and _is_in_name(text, start, end):
        return ()
    if "language" in flags and _is_language(text, start, end):
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
        return not (title and title[0] in _TITLES)

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


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A capital in ALL CAPS near a line start: "WASHINGTON (Reuters) -", "AMMAN/BEIRUT:"."""
    surface = text[start:end]
    prefix = line_prefix(text, start)
    return surface.isupper() and len(surface) > 3 and len(prefix) < 40 and "." not in prefix


def _is_place(text: str, start: int, end: int) -> bool:
    """True when a capital is named as a place rather than standing for its state."""
    if _is_dateline(text, start, end) or text[:start].rstrip(" ").endswith("("):
        return True
    if text[end : end + 16].lower().startswith(_PLACE_SUFFIXES):
        return True
    before = words_before(text, start, 4)
    if before and before[-1] in _PLACE_BEFORE:
        return not (before[-1] in ("a", "an") and text[end : end + 1] == "-")
    if "from" in before and (before[-1] == "to" or text[end : end + 4] == " to "):
        return True  # "from Brussels to Brasilia"
    if len(before) >= 2 and before[-1] == "to" and before[-2] in _TRAVEL_TO:
        return True
    if len(before) >= 2 and before[-1] == "of" and before[-2] in _PLACE_OF:
        return True
    following = word_after(text, end).lower()
    return following.removesuffix("'s").removesuffix("’s") in _PLACE_AFTER


def _is_in_name(text: str, start: int, end: int) -> bool:
    """True for a capital inside a person's or a thing's name: "Jeff Kingston", "Ancient Rome"."""
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].isupper():
        return True  # Santiago-Ruiz
    if text[start - 1 : start] != " ":
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 30), start - 1)
    if before is None:
        return False
    word = before.group(1)
    if not word[0].isupper() or word.isupper() or word in _NOT_A_GIVEN_NAME:
        return False
    return not _is_title_case_line(text, start)


def _is_title_case_line(text: str, position: int) -> bool:
    """True inside a headline written in Title Case, where every word looks like a name."""
    line_end = text.find("\n", position)
    line = text[text.rfind("\n", 0, position) + 1 : line_end if line_end >= 0 else len(text)]
    words = [word for word in line.split() if word[:1].isalpha() and len(word) > 3]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def _is_language(text: str, start: int, end: int) -> bool:
    """True for a demonym that names a language: "performing in Spanish", "a speaker of Korean"."""
    before = words_before(text, start, 2)
    cued = bool(before) and (before[-1] in _LANGUAGE_CUES or before[-2:] == ["speaker", "of"])
    if not cued:
        return False
    following = word_after(text, end)
    return not following or not following[0].islower() or following in ("and", "or")


def _is_former(text: str, start: int) -> bool:
    """True when a leader's name follows "former", "ex-", "late", "then-" or "-elect"."""
    for word in words_before(text, start, 3):
        head = word.split("-")[0]
        if head in _FORMER or word.endswith("-elect") or word == "elect":
            return True
    return False


def _is_followed_by_name(text: str, end: int) -> bool:
    """True when a capitalised word follows, as in "Chad Smith" or "Jordan Bardella"."""
    following = word_after(text, end)
    return bool(following[:1].isupper()) and following.rstrip(".") not in _NOT_A_SURNAME

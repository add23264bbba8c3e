"""The gazetteer: reads the TSV files beside this module and builds the country automaton.

countries.tsv (seeded from pycountry by bench/seed_gazetteer.py), aliases.tsv, leaders.tsv,
blockers.tsv and context.tsv each explain their columns in their header comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import ahocorasick

from core.text import apostrophe_variants, case_variants

# When two sources give the same surface, the lower number wins: a blocker beats everything,
# a country name beats a leader's name, and so on down to capitals.
_PRIORITY = {"block": 0, "name": 1, "leader": 2, "demonym": 3, "seat": 4, "capital": 5}
_NO_PLURAL_ENDINGS = ("ese", "ish", "sh", "ss", "x", "z", "chman", "shman", "men", "ch", "Swiss")
_PLURAL_ANYWAY = ("Czech",)
# A leader alias may start with a title ("Prime Minister May"); the span leaves the title out.
_HONORIFICS = ("Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Dr.", "Dr", "Sen.", "Rep.", "Gov.", "Gen.")
_TITLES = ("President ", "Prime Minister ", "PM ", "Premier ", "Chancellor ", "Mr ", "Mrs ", "Ms ")


@dataclass(frozen=True)
class CountryRow:
    """One line of countries.tsv."""

    iso3: str
    iso2: str
    numeric: str
    name: str
    official_name: str


@dataclass(frozen=True)
class LeaderTerm:
    """One term of office: the leader stands for iso3 from valid_from up to, not incl., valid_to."""

    iso3: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        """True when the term covers the day."""
        after_start = self.valid_from is None or self.valid_from <= day
        return after_start and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Entry:
    """What one automaton surface stands for."""

    kind: str  # block | name | demonym | capital | seat | leader
    iso3s: tuple[str, ...] = ()
    rule: str = ""  # space-separated flags: given, surname, language, georgia, korea
    lead: int = 0  # characters to leave out of the span ("the " in "the States")
    leaders: tuple[LeaderTerm, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Everything the matcher needs, built once per process."""

    countries: tuple[CountryRow, ...]
    entries: tuple[Entry, ...]
    automaton: ahocorasick.Automaton
    clues: dict[str, dict[str, re.Pattern[str]]]


def _rows(filename: str) -> Iterator[list[str]]:
    """Data rows of a TSV file in this package: comment lines and the header row skipped."""
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        yield line.split("\t")


def _field(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _lead(surface: str) -> int:
    """Characters at the start of a surface that the span leaves out: "the ", a title.

    "The Philippines" at a sentence start then gives the same span as "the Philippines".
    """
    for prefix in ("the ", "The ", *_TITLES):
        if surface.startswith(prefix) and len(surface) > len(prefix):
            return len(prefix)
    return 0


def _plural(demonym: str) -> str | None:
    """English plural of a demonym used as a noun (Russians), or None when it takes none."""
    if demonym.endswith(_NO_PLURAL_ENDINGS) and demonym not in _PLURAL_ANYWAY:
        return None
    return demonym + "s"


class _Builder:
    """Collects surfaces from every file, resolves clashes by priority, builds the automaton."""

    def __init__(self) -> None:
        self.by_surface: dict[str, Entry] = {}
        self.dropped: set[str] = set()
        self.plain_blocks: list[str] = []  # exact spellings only, added last if still free

    def add(self, surface: str, entry: Entry) -> None:
        if not surface or surface in self.dropped:
            return
        lead = _lead(surface)
        if lead:
            entry = Entry(entry.kind, entry.iso3s, entry.rule, lead, entry.leaders)
        old = self.by_surface.get(surface)
        if old is None or _PRIORITY[entry.kind] < _PRIORITY[old.kind]:
            self.by_surface[surface] = entry
        elif old.kind == entry.kind and entry.kind != "block":
            iso3s = old.iso3s + tuple(i for i in entry.iso3s if i not in old.iso3s)
            self.by_surface[surface] = Entry(
                old.kind, iso3s, old.rule or entry.rule, old.lead, old.leaders + entry.leaders
            )

    def automaton(self) -> tuple[tuple[Entry, ...], ahocorasick.Automaton]:
        entries = tuple(self.by_surface.values())
        variants: dict[str, tuple[int, int, int]] = {}
        for index, (surface, entry) in enumerate(self.by_surface.items()):
            rank = (_PRIORITY[entry.kind], index)
            for spelled in apostrophe_variants(surface):
                for variant in case_variants(spelled):
                    # An exact spelling outranks a case variant of another alias.
                    key = (0 if variant == spelled else 1, *rank)
                    if variant not in variants or key < variants[variant]:
                        variants[variant] = key
        entries += (Entry("block"),)
        for phrase in self.plain_blocks:
            variants.setdefault(phrase, (0, _PRIORITY["block"], len(entries) - 1))
        automaton = ahocorasick.Automaton()
        for variant, (_, _, index) in variants.items():
            # The value is (span length, entry index, lead): spans start after the lead.
            lead = entries[index].lead
            automaton.add_word(variant, (len(variant) - lead, index, lead))
        automaton.make_automaton()
        return entries, automaton


def _add_countries(builder: _Builder, countries: list[CountryRow]) -> None:
    for row in countries:
        for surface in (row.name, row.official_name):
            builder.add(surface, Entry("name", (row.iso3,)))


def _add_aliases(builder: _Builder) -> None:
    for row in _rows("aliases.tsv"):
        iso3s = tuple(_field(row, 0).split("|"))
        kind, rule = _field(row, 1), _field(row, 3)
        surfaces = [alias for alias in _field(row, 2).split("|") if alias]
        if kind == "drop":
            builder.dropped.update(surfaces)
            for surface in surfaces:
                builder.by_surface.pop(surface, None)
            continue
        for surface in surfaces:
            builder.add(surface, Entry(kind, iso3s, rule))
            plural = _plural(surface) if kind == "demonym" else None
            if plural:
                builder.add(plural, Entry(kind, iso3s, rule))


def _add_honorific_blockers(builder: _Builder) -> None:
    """Block "Mr. Jordan", "Ms Georgia", "Dr. French": after an honorific a word is a surname.

    Done in the automaton rather than by a look-behind rule, so it costs nothing per hit.
    Leaders are left alone: "Mr. Trump" is still the leader.
    """
    words = [
        surface
        for surface, entry in builder.by_surface.items()
        if entry.kind in ("name", "demonym", "capital") and " " not in surface
    ]
    builder.plain_blocks += [f"{honorific} {word}" for honorific in _HONORIFICS for word in words]


def _add_leaders(builder: _Builder) -> None:
    for row in _rows("leaders.tsv"):
        term = LeaderTerm(_field(row, 0), _date(_field(row, 3)), _date(_field(row, 4)))
        for surface in _field(row, 1).split("|"):
            builder.add(surface, Entry("leader", leaders=(term,)))


def _add_blockers(builder: _Builder) -> None:
    for row in _rows("blockers.tsv"):
        builder.add(_field(row, 0), Entry("block"))


def _clues() -> dict[str, dict[str, re.Pattern[str]]]:
    clues: dict[str, dict[str, re.Pattern[str]]] = {}
    for row in _rows("context.tsv"):
        words = sorted(_field(row, 2).split("|"), key=len, reverse=True)
        alternation = "|".join(re.escape(word) for word in words if word)
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        clues.setdefault(_field(row, 0), {})[_field(row, 1)] = pattern
    return clues


def load_gazetteer() -> Gazetteer:
    """Read every data file and build the automaton (call once; core.countries caches it)."""
    countries = [CountryRow(*(_field(row, i) for i in range(5))) for row in _rows("countries.tsv")]
    builder = _Builder()
    _add_blockers(builder)
    _add_aliases(builder)
    _add_countries(builder, countries)
    _add_honorific_blockers(builder)
    _add_leaders(builder)
    entries, automaton = builder.automaton()
    return Gazetteer(tuple(countries), entries, automaton, _clues())

"""Context rules that decide whether a matched word is a country mention (COUNTRY-MENTIONS.md).

Each rule looks only at a few characters or words around one hit in the original text. The word
lists are rules of English usage, not aliases, so they live here rather than in the TSV files.
"""

from __future__ import annotations

import re

from core.text import line_prefix, word_after, word_before, words_before

# Rule 2: a capital counts unless it reads as a place.
_PLACE_BEFORE = frozenset(
    "in at near outside around across into via inside throughout downtown central capital city "
    "visit visits visited visiting toured touring a an suburban greater east west north south "
    "eastern western northern southern occupied annexed ancient old like".split()
)
_TRAVEL_TO = frozenset(
    "travel travels traveled travelled traveling travelling trip trips flew fly flies flight "
    "flights return returned returning returns went go goes going came come comes moved move "
    "relocated headed heading arrived journey back drive drove sail sailed taken visit visits "
    "jet plane train trains bus ship road route".split()
)
_SPEAKING_FROM = frozenset("speaking reporting writing broadcasting live".split())
_PLACE_OF = frozenset(
    "mayor streets outskirts center centre heart suburbs residents city skyline people fall siege "
    "battle liberation capture ruler".split()
)
_PLACE_AFTER = frozenset(
    "hotel hotels airport residents resident mayor marathon festival office offices bureau "
    "apartment restaurant restaurants cafe café suburb suburbs streets street metro subway zoo "
    "university correspondent time area region district neighborhood neighbourhood stock "
    "exchange club fc derby hospital station museum agreement agreements accord accords "
    "declaration protocol convention olympics games fashion film book motor opera home "
    "international city metropolitan biennale prosecutor prosecutors attack attacker police "
    "summit exhibition winter summer christmas tv".split()
)
_PLACE_SUFFIXES = ("-based", "-born", "-bound", "-area", "-headquartered", "-listed")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*")
# A line opening "Nairobi --", "[Capital FM] Nairobi --", "KYIV, Ukraine (AP) —", "LONDON:".
_DATELINE_TAIL = re.compile(
    r"(?:,(?: [A-Z][\w.]*){1,3})?(?: \([A-Z][\w .]{0,20}\))? ?(?:--|—|–|- |:)"
)
_SOURCE_TAG = re.compile(r"\s*(?:\[[^\]\n]{1,40}\])?\s*")
_OPEN_QUOTES = "‘“\"'"
_CLOSE_QUOTES = "’”\"'"

# A capitalised word right before a capital that still leaves it standing for the state;
# any other ("Jeff Kingston", "Ancient Rome", "Hellgate London") makes it part of a name.
_NOT_A_GIVEN_NAME = frozenset(
    "The A An And But Or In On At As If When While After Before Between Both Meanwhile However "
    "Yet So Then Now Also Still Only Even Not Why How What Where Who Says Said Tells Told Warns "
    "Urges Slams Blasts Accuses Backs Rejects Joins Hits Asks Sues Blames Calls Sees Pressures "
    "Presses Versus Against With Without From To For By Of Over Under Did Does Do Will Would "
    "Could Should Can Has Have Had Is Was Are Were Be".split()
)

# Words that Title Case headlines leave in lower case.
_MINOR_WORDS = frozenset("a an the and or nor but of in on at to for by with as vs from up".split())
# Capitalised words after a capital that do not make it part of a name ("Washington Thursday").
_NOT_A_NAME_WORD = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December I And But Or On In At".split()
)

# Rule 3: a leader does not count after these words; a title keeps a bare surname his.
_FORMER = frozenset("former ex late then".split())
_FORMER_CUES = ("former", "ex", "late", "then", "elect")
TITLES = frozenset(
    "president minister pm premier chancellor king queen leader mr mrs ms emperor pope "
    "ayatollah sheikh prince taoiseach".split()
)

# After Chad or Jordan these words still belong to the country, not to a person.
_NOT_A_SURNAME = frozenset(
    "Government Army Police President King Queen Prime Foreign Defense Defence Ministry "
    "Minister National Armed Air Navy Central Supreme Parliament Election Electoral "
    "Constitutional Red Royal And".split()
)

# "in Spanish", "speaks Korean and English": a language, unless a noun follows ("in Chinese hands").
_LANGUAGE_CUES = frozenset(
    "in into speak speaks spoke speaking spoken learn learns learning learned fluent translated "
    "subtitled dubbed".split()
)


def is_dateline(text: str, start: int, end: int) -> bool:
    """A capital opening a dateline: "WASHINGTON (Reuters) -", "AMMAN/BEIRUT:", "Nairobi --"."""
    prefix = line_prefix(text, start)
    if len(prefix) > 45:
        return False
    surface = text[start:end]
    if surface.isupper() and len(surface) > 3 and len(prefix) < 40 and "." not in prefix:
        return True
    tag = _SOURCE_TAG.match(prefix)
    return tag is not None and tag.end() == len(prefix) and bool(_DATELINE_TAIL.match(text, end))


def is_capital_not_state(text: str, start: int, end: int) -> bool:
    """True when a capital is a place or part of a name rather than standing for its state.

    One function for the whole rule so the words around the hit are looked up only once.
    """
    if is_dateline(text, start, end) or _is_quoted_title(text, start, end):
        return True
    if text[max(0, start - 3) : start].rstrip(" ").endswith("(") or _has_place_suffix(text, end):
        return True
    following = word_after(text, end)
    if _is_place_by_words(text, start, end, following):
        return True
    if is_in_name(text, start, end):
        return True
    return _starts_name(text, end, following)


def _is_place_by_words(text: str, start: int, end: int, following: str) -> bool:
    """The words before ("in", "travel to", "mayor of") or after ("hotel") make it a place."""
    before = words_before(text, start, 4)
    if before and before[-1] in _PLACE_BEFORE:
        return not (before[-1] in ("a", "an") and text[end : end + 1] == "-")
    if "from" in before and (before[-1] == "to" or text[end : end + 4] == " to "):
        return True  # "from Brussels to Brasilia"
    if len(before) >= 2 and _is_place_phrase(before[-2], before[-1]):
        return True
    key = following.lower().removesuffix("'s").removesuffix("’s")
    return key in _PLACE_AFTER


def follows_place_in_list(text: str, previous_place_end: int, start: int) -> bool:
    """True for "Seoul" in "in Paris, Seoul and London": a list that began with a place."""
    if previous_place_end < 0 or start - previous_place_end > 8:
        return False
    return _LIST_GAP.fullmatch(text, previous_place_end, start) is not None


def _is_place_phrase(word: str, preposition: str) -> bool:
    """ "travel to", "speaking from", "mayor of": two words that make the next one a place."""
    if preposition == "to":
        return word in _TRAVEL_TO
    if preposition == "from":
        return word in _SPEAKING_FROM
    return preposition == "of" and word in _PLACE_OF


def _has_place_suffix(text: str, end: int) -> bool:
    return text[end : end + 16].lower().startswith(_PLACE_SUFFIXES)


def _is_quoted_title(text: str, start: int, end: int) -> bool:
    """A capital alone in quotes is a title ("Co-Creator of ‘Tehran,’")."""
    if not text[start - 1 : start] or text[start - 1] not in _OPEN_QUOTES:
        return False
    closing = text[end : end + 2].lstrip(",.!?")
    return bool(closing) and closing[0] in _CLOSE_QUOTES


def _starts_name(text: str, end: int, following: str) -> bool:
    """True for a capital that starts a proper name: "London Academy", "Tokyo Stock Exchange"."""
    if not following or not following[0].isupper() or following.isupper():
        return False
    if following in _NOT_A_NAME_WORD:
        return False
    return not _is_title_case_line(text, end)


def is_in_name(text: str, start: int, end: int) -> bool:
    """True for a word inside a person's or a thing's name: "Jeff Kingston", "Ancient Rome"."""
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].isupper():
        return True  # Santiago-Ruiz
    word = word_before(text, start)
    if not word or not word[0].isupper() or word.isupper() or word in _NOT_A_GIVEN_NAME:
        return False
    if not word[-1].isalpha() and not (len(word) == 2 and word[-1] == "."):
        return False  # "said, Rome", "Trump. Washington"; an initial ("Booker T.") is a name
    return not _is_title_case_line(text, start)


def _is_title_case_line(text: str, position: int) -> bool:
    """True inside a headline written in Title Case, where every word looks like a name."""
    line_end = text.find("\n", position, position + 200)
    line = (
        line_prefix(text, position, 200)
        + text[position : line_end if line_end >= 0 else position + 200]
    )
    words = [word for word in line.split() if word[:1].isalpha() and word not in _MINOR_WORDS]
    return len(words) >= 4 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def is_language(text: str, start: int, end: int) -> bool:
    """True for a demonym that names a language: "performing in Spanish", "a speaker of Korean"."""
    before = words_before(text, start, 2)
    cued = bool(before) and (before[-1] in _LANGUAGE_CUES or before[-2:] == ["speaker", "of"])
    if not cued:
        return False
    following = word_after(text, end)
    return not following or not following[0].islower() or following in ("and", "or")


def is_former(text: str, start: int) -> bool:
    """True when a leader's name follows "former", "ex-", "late", "then-" or "-elect"."""
    window = text[max(0, start - 40) : start].lower()
    if not any(cue in window for cue in _FORMER_CUES):
        return False  # the common case, without tokenising
    for word in words_before(text, start, 3):
        head = word.split("-")[0]
        if head in _FORMER or word.endswith("-elect") or word == "elect":
            return True
    return False


def is_followed_by_name(text: str, end: int) -> bool:
    """True when a capitalised word follows, as in "Chad Smith" or "Jordan Bardella"."""
    following = word_after(text, end)
    return bool(following[:1].isupper()) and following.rstrip(".") not in _NOT_A_SURNAME

"""Target-dependent VADER: tone of one sentence toward some character spans in it.

VADER scores a whole sentence. We run its own per-word rules once per sentence (lexicon valence,
boosters, negation, "but"), then zero the words that belong to a masked span (a country's own name:
"United" is +1.8 in VADER's lexicon) and weight the remaining words by where they stand relative to
the target: the same clause, or closer, counts more. bench/eval_newsmtsc.py compares the variants.
"""

from __future__ import annotations

import bisect
import math
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
    scalar_inc_dec,
)

Span = tuple[int, int]

# Built once per process: loading the lexicon takes ~50 ms.
_ANALYZER = SentimentIntensityAnalyzer()
_LEXICON: dict[str, float] = _ANALYZER.lexicon
_NEGATIONS = frozenset(NEGATE)
_N_SCALAR = float(N_SCALAR)  # VADER's negation factor, -0.74
_C_INCR = float(C_INCR)  # VADER's ALL-CAPS emphasis, 0.733

# VADER strips only ASCII punctuation and looks for ASCII "n't": map typographic quotes to ASCII.
# Every replacement is one character, so offsets into the text stay valid.
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2014": " ",
    "\u2013": " ",
    "\u00a0": " ",
}
_TOKEN = re.compile(r"\S+")
_PUNCTUATION = string.punctuation  # VADER strips these from both ends of a word longer than 2
_PUNCTUATION_BREAK = re.compile(r"[,;:][\"')\]]*(?=\s|$)")
_WORD_BREAK = re.compile(
    r"(?<!\S)(?:but|while|whereas|although|though|however|because|since|unless|yet|who|which|that)"
    r"(?!\S)",
    re.IGNORECASE,
)
_LEXICON_WORD = re.compile(r"[a-z']+")  # 7,209 of VADER's 7,520 entries; the rest are emoticons


class Scorer(Protocol):
    """The small interface shared by the evaluation harness and any future learned engine."""

    @property
    def name(self) -> str:
        """Short name shown in evaluation tables."""
        ...

    def score(self, sentence: str, targets: Sequence[Span]) -> float:
        """Tone of the sentence toward the target spans, in [-1, 1]."""
        ...


@dataclass(frozen=True)
class SentenceValence:
    """VADER's per-word valences for one sentence, with each word's character span."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    valences: tuple[float, ...]
    hits: tuple[int, ...]  # indexes of the words with a non-zero valence
    emphasis: float

    @cached_property
    def punctuation_breaks(self) -> list[int]:
        """Offsets where a clause starts after , ; or : (the word ends with it)."""
        return [m.end() for m in _PUNCTUATION_BREAK.finditer(self.text)]

    @cached_property
    def word_breaks(self) -> list[int]:
        """punctuation_breaks plus the offsets of clause-opening words (but, while, which...)."""
        starts = [m.start() for m in _WORD_BREAK.finditer(self.text)]
        return sorted(self.punctuation_breaks + starts)


def normalise_quotes(text: str) -> str:
    """The text with curly quotes, apostrophes and dashes replaced one-for-one by ASCII."""
    if text.isascii():
        return text
    for typographic, ascii_char in _QUOTES.items():
        if typographic in text:  # str.replace per character beats str.translate's slow path
            text = text.replace(typographic, ascii_char)
    return text


def sentence_valence(text: str) -> SentenceValence:
    """Run VADER's word-level rules on one sentence, with the results polarity_scores uses."""
    matches = list(_TOKEN.finditer(text))
    valences = word_valences([m.group() for m in matches])
    return SentenceValence(
        text=text,
        starts=tuple(m.start() for m in matches),
        ends=tuple(m.end() for m in matches),
        valences=tuple(valences),
        hits=tuple(i for i, value in enumerate(valences) if value),
        emphasis=_ANALYZER._punctuation_emphasis(text),
    )


def word_valences(raw_words: Sequence[str]) -> list[float]:
    """VADER's valence per whitespace-separated word, as its polarity_scores computes them.

    A re-implementation that lower-cases each word once; VADER's own helpers re-lower the whole
    sentence for every sentiment word. tests/unit/test_tone.py checks it against polarity_scores.
    """
    words = [s if len(s := w.strip(_PUNCTUATION)) > 2 else w for w in raw_words]
    lowered = [w.lower() for w in words]
    sentiments = [0.0] * len(words)
    is_cap_diff: bool | None = None
    for i, lower in enumerate(lowered):
        if lower not in _LEXICON or lower in BOOSTER_DICT:
            continue
        if lower == "kind" and i < len(words) - 1 and lowered[i + 1] == "of":
            continue
        if is_cap_diff is None:
            is_cap_diff = allcap_differential(words)
        sentiments[i] = _valence(words, lowered, i, is_cap_diff)
    if "but" in lowered:
        sentiments = _ANALYZER._but_check(words, sentiments)
    return sentiments


def _valence(words: list[str], lowered: list[str], i: int, is_cap_diff: bool) -> float:
    """SentimentIntensityAnalyzer.sentiment_valence for the lexicon word at i."""
    lower = lowered[i]
    valence = _LEXICON[lower]
    if lower == "no" and i != len(words) - 1 and lowered[i + 1] in _LEXICON:
        valence = 0.0
    if (
        (i > 0 and lowered[i - 1] == "no")
        or (i > 1 and lowered[i - 2] == "no")
        or (i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in ("or", "nor"))
    ):
        valence = _LEXICON[lower] * _N_SCALAR
    if is_cap_diff and words[i].isupper():
        valence += _C_INCR if valence > 0 else -_C_INCR
    for start_i in range(3):
        before = i - (start_i + 1)
        if before < 0 or lowered[before] in _LEXICON:
            continue
        scalar = scalar_inc_dec(words[before], valence, is_cap_diff)
        if scalar and start_i:
            scalar *= 0.95 if start_i == 1 else 0.9
        valence = _negation(valence + scalar, lowered, start_i, i)
        if start_i == 2:
            valence = _idioms(valence, lowered, i)
    return _least(valence, lowered, i)


def _is_negation(word: str) -> bool:
    return word in _NEGATIONS or "n't" in word


def _negation(valence: float, lowered: list[str], start_i: int, i: int) -> float:
    """VADER's _negation_check on already lower-cased words."""
    if start_i == 0:
        return valence * _N_SCALAR if _is_negation(lowered[i - 1]) else valence
    if start_i == 1:
        if lowered[i - 2] == "never" and lowered[i - 1] in ("so", "this"):
            return valence * 1.25
        if lowered[i - 2] == "without" and lowered[i - 1] == "doubt":
            return valence
        return valence * _N_SCALAR if _is_negation(lowered[i - 2]) else valence
    if (lowered[i - 3] == "never" and lowered[i - 2] in ("so", "this")) or lowered[i - 1] in (
        "so",
        "this",
    ):
        return valence * 1.25
    if lowered[i - 3] == "without" and "doubt" in (lowered[i - 2], lowered[i - 1]):
        return valence
    return valence * _N_SCALAR if _is_negation(lowered[i - 3]) else valence


def _idioms(valence: float, lowered: list[str], i: int) -> float:
    """VADER's _special_idioms_check on already lower-cased words (called with i >= 3)."""
    w3, w2, w1, w0 = lowered[i - 3], lowered[i - 2], lowered[i - 1], lowered[i]
    for sequence in (
        f"{w1} {w0}",
        f"{w2} {w1} {w0}",
        f"{w2} {w1}",
        f"{w3} {w2} {w1}",
        f"{w3} {w2}",
    ):
        if sequence in SPECIAL_CASES:
            valence = float(SPECIAL_CASES[sequence])
            break
    if len(lowered) - 1 > i and f"{w0} {lowered[i + 1]}" in SPECIAL_CASES:
        valence = float(SPECIAL_CASES[f"{w0} {lowered[i + 1]}"])
    if len(lowered) - 1 > i + 1:
        three = f"{w0} {lowered[i + 1]} {lowered[i + 2]}"
        if three in SPECIAL_CASES:
            valence = float(SPECIAL_CASES[three])
    for n_gram in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
        if n_gram in BOOSTER_DICT:
            valence += float(BOOSTER_DICT[n_gram])
    return valence


def _least(valence: float, lowered: list[str], i: int) -> float:
    """VADER's _least_check on already lower-cased words."""
    if i > 0 and lowered[i - 1] == "least" and "least" not in _LEXICON:
        if i == 1 or lowered[i - 2] not in ("at", "very"):
            return valence * _N_SCALAR
    return valence


def compound(total: float, emphasis: float) -> float:
    """VADER's compound score for a summed valence, with its punctuation emphasis."""
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    return total / math.sqrt(total * total + 15.0)


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def target_words(valence: SentenceValence, targets: Sequence[Span]) -> list[int]:
    """Indexes of the words that overlap any of the target spans."""
    found: set[int] = set()
    for start, end in targets:
        first = bisect.bisect_right(valence.ends, start)
        found.update(range(first, bisect.bisect_left(valence.starts, end)))
    return sorted(found)


@dataclass(frozen=True)
class VaderScorer:
    """Sentence VADER with optional quote normalisation, masking, clause scope and distance decay.

    decay: a word d words away from the nearest target word gets weight 1 / (1 + d / decay);
    0 turns weighting off. window: words further than this from the target are ignored (0 = all).
    """

    name: str = "vader"
    normalise: bool = True
    mask: bool = True
    clause: bool = False
    window: int = 0
    decay: float = 0.0
    outside_clause: float = 0.0
    clause_words: bool = True

    def score(self, sentence: str, targets: Sequence[Span]) -> float:
        """Tone of the sentence toward the target spans, in [-1, 1]."""
        text = normalise_quotes(sentence) if self.normalise else sentence
        valence = sentence_valence(text)
        masked = targets if self.mask else ()
        return self.score_valence(valence, targets, masked)

    def score_valence(
        self, valence: SentenceValence, targets: Sequence[Span], masked: Sequence[Span]
    ) -> float:
        """Tone toward targets from precomputed valences, ignoring words inside masked spans."""
        anchors = target_words(valence, targets)
        scoped = bool(anchors) and bool(self.clause or self.window or self.decay)
        breaks = valence.word_breaks if self.clause_words else valence.punctuation_breaks
        anchor_clauses = {bisect.bisect_right(breaks, valence.starts[i]) for i in anchors}
        total = 0.0
        for i in valence.hits:
            if masked and _overlaps((valence.starts[i], valence.ends[i]), masked):
                continue
            value = valence.valences[i]
            if scoped:
                clause = bisect.bisect_right(breaks, valence.starts[i]) if self.clause else 0
                value *= self._weight(i, anchors, anchor_clauses, clause)
            total += value
        return compound(total, valence.emphasis)

    def _weight(self, i: int, anchors: list[int], anchor_clauses: set[int], clause: int) -> float:
        weight = 1.0
        if self.clause and clause not in anchor_clauses:
            if not self.outside_clause:
                return 0.0
            weight = self.outside_clause
        if not (self.window or self.decay):
            return weight
        distance = min(abs(i - a) for a in anchors)
        if self.window and distance > self.window:
            return 0.0
        if self.decay:
            weight /= 1.0 + distance / self.decay
        return weight


def plain_vader(sentence: str) -> float:
    """VADER's own compound score for the sentence, untouched (the baseline)."""
    return float(_ANALYZER.polarity_scores(sentence)["compound"])


def lexicon_tone(text: str) -> float:
    """A cheap VADER: lexicon valences, negated within 3 words of a negation, no other rules."""
    total = 0.0
    last_negation = -10
    for i, word in enumerate(_LEXICON_WORD.findall(text.lower())):
        if word in _NEGATIONS or "n't" in word:
            last_negation = i
        value = _LEXICON.get(word)
        if value is not None:
            total += value * _N_SCALAR if 0 < i - last_negation <= 3 else value
    return total / math.sqrt(total * total + 15.0)

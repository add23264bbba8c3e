"""Target-dependent VADER: tone of one sentence toward some character spans in it.

VADER scores a whole sentence. We run its own per-word rules once per sentence (lexicon valence,
boosters, negation, "but"), then zero the words that belong to a masked span (a country's own name:
"United" is +1.8 in VADER's lexicon) and weight the remaining words by where they stand relative to
the target: the same clause, or closer, counts more. bench/eval_newsmtsc.py compares the variants.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    NEGATE,
    SentimentIntensityAnalyzer,
    SentiText,
)

Span = tuple[int, int]

# Built once per process: loading the lexicon takes ~50 ms.
_ANALYZER = SentimentIntensityAnalyzer()

# VADER strips only ASCII punctuation and looks for ASCII "n't": map typographic quotes to ASCII.
# Every replacement is one character, so offsets into the text stay valid.
_QUOTES = str.maketrans(
    {
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
)
_TOKEN = re.compile(r"\S+")
_CLAUSE_END = (",", ";", ":")
_CLAUSE_END_QUOTED = (',"', ';"', ':"', ",'", ",)", ";)")
_CLAUSE_START = frozenset(
    "but while whereas although though however because since unless yet who which that".split()
)


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
    spans: tuple[Span, ...]
    valences: tuple[float, ...]
    clauses: tuple[int, ...]
    punct_clauses: tuple[int, ...]
    emphasis: float


def normalise_quotes(text: str) -> str:
    """The text with curly quotes, apostrophes and dashes replaced one-for-one by ASCII."""
    return text.translate(_QUOTES)


def sentence_valence(text: str) -> SentenceValence:
    """Run VADER's word-level rules on one sentence, exactly as polarity_scores does."""
    matches = list(_TOKEN.finditer(text))
    raw_words = [m.group() for m in matches]  # VADER's words have their punctuation stripped
    sentitext = SentiText(text)
    words = sentitext.words_and_emoticons
    sentiments: list[float] = []
    for i, word in enumerate(words):
        lower = word.lower()
        if lower in BOOSTER_DICT or (
            lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
        ):
            sentiments.append(0.0)
            continue
        sentiments = _ANALYZER.sentiment_valence(0.0, sentitext, word, i, sentiments)
    if "but" in (w.lower() for w in words):
        sentiments = _ANALYZER._but_check(words, sentiments)
    return SentenceValence(
        text=text,
        spans=tuple(m.span() for m in matches),
        valences=tuple(float(s) for s in sentiments),
        clauses=_clause_ids(raw_words, _CLAUSE_START),
        punct_clauses=_clause_ids(raw_words, frozenset()),
        emphasis=_ANALYZER._punctuation_emphasis(text),
    )


def _clause_ids(words: Sequence[str], starters: frozenset[str]) -> tuple[int, ...]:
    """A clause number per word: a new clause starts after , ; : and at a subordinating word."""
    ids: list[int] = []
    clause = 0
    ends_clause = False
    for word in words:
        if ends_clause or word.lower() in starters:
            clause += 1
        ids.append(clause)
        ends_clause = word.endswith(_CLAUSE_END) or word.endswith(_CLAUSE_END_QUOTED)
    return tuple(ids)


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
    return [i for i, span in enumerate(valence.spans) if _overlaps(span, targets)]


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
        scoped = self.clause or self.window or self.decay
        if scoped and not anchors:
            scoped = False
        clauses = valence.clauses if self.clause_words else valence.punct_clauses
        anchor_clauses = {clauses[i] for i in anchors}
        total = 0.0
        for i, value in enumerate(valence.valences):
            if value == 0.0 or (masked and _overlaps(valence.spans[i], masked)):
                continue
            if scoped:
                value *= self._weight(i, anchors, anchor_clauses, clauses[i])
            total += value
        return compound(total, valence.emphasis)

    def _weight(self, i: int, anchors: list[int], anchor_clauses: set[int], clause: int) -> float:
        weight = 1.0
        if self.clause and clause not in anchor_clauses:
            if not self.outside_clause:
                return 0.0
            weight = self.outside_clause
        distance = min(abs(i - a) for a in anchors)
        if self.window and distance > self.window:
            return 0.0
        if self.decay:
            weight /= 1.0 + distance / self.decay
        return weight


def plain_vader(sentence: str) -> float:
    """VADER's own compound score for the sentence, untouched (the baseline)."""
    return float(_ANALYZER.polarity_scores(sentence)["compound"])


_LEXICON: dict[str, float] = _ANALYZER.lexicon
_NEGATIONS = frozenset(NEGATE)


def lexicon_tone(text: str) -> float:
    """A cheap VADER: lexicon valences with negation of the 3 words before, no other rules."""
    words = text.lower().split()
    total = 0.0
    for i, raw in enumerate(words):
        word = raw.strip(string.punctuation)
        value = _LEXICON.get(word if len(word) > 2 else raw)
        if value is None:
            continue
        if any(w in _NEGATIONS or "n't" in w for w in words[max(0, i - 3) : i]):
            value *= N_SCALAR
        total += value
    return total / math.sqrt(total * total + 15.0)

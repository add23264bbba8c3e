"""Target-dependent VADER: tone of one sentence toward some character spans in it.

VADER scores a whole sentence. We run its own per-word rules once per sentence (lexicon valence,
boosters, negation, "but"), then zero the words that belong to a masked span (a country's own name:
"United" is +1.8 in VADER's lexicon) and weight the remaining words by where they stand relative to
the target: the same clause, or closer, counts more. bench/eval_newsmtsc.py compares the variants.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
import string
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import NamedTuple, Protocol

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from core.models import Mention
from core.native import COMPILED, Native

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
_NOT_LEXICON_CHARACTERS = bytes(
    code if chr(code) in "abcdefghijklmnopqrstuvwxyz'" else ord(" ") for code in range(256)
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


class SentenceValence(NamedTuple):
    """VADER's per-word valences for one sentence, with each word's character span."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    valences: tuple[float, ...]
    hits: tuple[int, ...]  # indexes of the words with a non-zero valence
    emphasis: float

    @property
    def punctuation_breaks(self) -> list[int]:
        """Offsets where a clause starts after , ; or : (the word ends with it)."""
        return _clause_breaks(self.text, words=False)

    @property
    def word_breaks(self) -> list[int]:
        """punctuation_breaks plus the offsets of clause-opening words (but, while, which...)."""
        return _clause_breaks(self.text, words=True)


def _clause_breaks(text: str, words: bool) -> list[int]:
    """Sorted offsets where a clause starts: after , ; or :, and (words) at but, while, which..."""
    if "," in text or ";" in text or ":" in text:
        breaks = [m.end() for m in _PUNCTUATION_BREAK.finditer(text)]
    else:
        breaks = []
    if words:
        breaks = sorted(breaks + [m.start() for m in _WORD_BREAK.finditer(text)])
    return breaks


def normalise_quotes(text: str) -> str:
    """The text with curly quotes, apostrophes and dashes replaced one-for-one by ASCII."""
    if text.isascii():
        return text
    for typographic, ascii_char in _QUOTES.items():
        if typographic in text:  # str.replace per character beats str.translate's slow path
            text = text.replace(typographic, ascii_char)
    return text


WordValences = tuple[tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[int, ...]]


def sentence_valence(text: str) -> SentenceValence:
    """Run VADER's word-level rules on one sentence, with the results polarity_scores uses."""
    found = _NATIVE.word_valences(text) if _NATIVE else None
    starts, ends, valences, hits = found or python_word_valences(text)
    return SentenceValence(text, starts, ends, valences, hits, _emphasis(text))


def python_word_valences(text: str) -> WordValences:
    """(starts, ends, valences, hits) of the words of text: the reference for core._native."""
    words = text.split()  # VADER splits with str.split() too
    valences = word_valences(words)
    starts, ends = _word_spans(text, words)
    hits = tuple(compress(range(len(valences)), valences))
    return starts, ends, tuple(valences), hits


def _emphasis(text: str) -> float:
    """VADER's _punctuation_emphasis: 0.0 without ! or ?, as most sentences are."""
    if "!" in text or "?" in text:
        return float(_ANALYZER._punctuation_emphasis(text))
    return 0.0


def _word_spans(text: str, words: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of the words of text.split(), with C-level iterators when single-spaced."""
    lengths = list(map(len, words))
    if not words or len(text) != sum(lengths) + len(words) - 1:
        spans = [m.span() for m in _TOKEN.finditer(text)]
        return tuple([s for s, _ in spans]), tuple([e for _, e in spans])
    # One space between words: word i ends after the letters of words 0..i plus i spaces.
    ends = tuple(map(operator.add, accumulate(lengths), range(len(words))))
    return tuple(map(operator.sub, ends, lengths)), ends


class _LowerCaseKeys(dict[str, str]):
    """Raw word -> the lower-cased form VADER looks up, memoised: news text repeats its words."""

    def __missing__(self, raw: str) -> str:
        if len(self) >= 100_000:  # about 15 MB at most
            self.clear()
        stripped = raw.strip(_PUNCTUATION)  # VADER strips a word only when >2 characters remain
        key = (stripped if len(stripped) > 2 else raw).lower()
        self[raw] = key
        return key


_LOWER_CASE_KEYS = _LowerCaseKeys()
# Words that get a valence of their own: lexicon entries that are not boosters.
_SCORED_WORDS = frozenset(word for word in _LEXICON if word not in BOOSTER_DICT)
# Words that, up to 3 places before a lexicon word, may change its valence (see _valence).
_CONTEXT_WORDS = (
    frozenset(BOOSTER_DICT) | _NEGATIONS | {"no", "never", "without", "so", "this", "least"}
)
# VADER's idioms and booster phrases keyed by their words: "kiss of death" -> (kiss, of, death).
# Our words come from str.split(), so they never hold a space: the two lookups agree.
_IDIOMS = {tuple(key.split(" ")): float(value) for key, value in SPECIAL_CASES.items()}
_BOOSTER_PHRASES = {
    tuple(key.split(" ")): float(value) for key, value in BOOSTER_DICT.items() if " " in key
}
_IDIOM_WORDS = frozenset(word for phrase in (*_IDIOMS, *_BOOSTER_PHRASES) for word in phrase)


def word_valences(raw_words: Sequence[str]) -> list[float]:
    """VADER's valence per whitespace-separated word, as its polarity_scores computes them.

    A re-implementation that lower-cases each word once; VADER's own helpers re-lower the whole
    sentence for every sentiment word. tests/unit/test_tone.py checks it against polarity_scores.
    VADER strips punctuation off a word before looking at it; the raw word serves for isupper(),
    since punctuation has no case.
    """
    lowered = list(map(_LOWER_CASE_KEYS.__getitem__, raw_words))
    sentiments = [0.0] * len(lowered)
    if _SCORED_WORDS.isdisjoint(lowered):
        return sentiments  # most words: and "but" only rescales non-zero valences
    size = len(raw_words)
    is_cap_diff = 0 < size - sum(map(str.isupper, raw_words)) < size
    has_nt = "n't" in " ".join(lowered)
    for i in compress(range(size), map(_SCORED_WORDS.__contains__, lowered)):
        lower = lowered[i]
        if lower == "kind" and i < size - 1 and lowered[i + 1] == "of":
            continue
        before = lowered[i - 3 if i > 3 else 0 : i]
        if (
            lower != "no"
            and _CONTEXT_WORDS.isdisjoint(before)
            and not (has_nt and "n't" in " ".join(before))
        ):
            sentiments[i] = _plain_valence(raw_words, lowered, i, is_cap_diff)
        else:
            sentiments[i] = _valence(raw_words, lowered, i, is_cap_diff)
    if "but" in lowered:
        _but_check(lowered, sentiments)
    return sentiments


def _but_check(lowered: list[str], sentiments: list[float]) -> None:
    """SentimentIntensityAnalyzer._but_check, quirks included, on already lower-cased words."""
    bi = lowered.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)


def _plain_valence(words: Sequence[str], lowered: list[str], i: int, is_cap_diff: bool) -> float:
    """_valence when no _CONTEXT_WORDS and no "n't" precede: booster, negation, "least" rules
    are then no-ops."""
    valence = _LEXICON[lowered[i]]
    if is_cap_diff and words[i].isupper():
        valence += _C_INCR if valence > 0 else -_C_INCR
    if i > 2 and lowered[i - 3] not in _LEXICON:
        valence = _idioms(valence, lowered, i)
    return valence


def _valence(words: Sequence[str], lowered: list[str], i: int, is_cap_diff: bool) -> float:
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
        scalar = _scalar(lowered[before], words[before], valence, is_cap_diff)
        if scalar and start_i:
            scalar *= 0.95 if start_i == 1 else 0.9
        valence = _negation(valence + scalar, lowered, start_i, i)
        if start_i == 2:
            valence = _idioms(valence, lowered, i)
    return _least(valence, lowered, i)


def _scalar(lower: str, word: str, valence: float, is_cap_diff: bool) -> float:
    """VADER's scalar_inc_dec for a booster word, given lower-cased."""
    if lower not in BOOSTER_DICT:
        return 0.0
    scalar = BOOSTER_DICT[lower]
    if valence < 0:
        scalar *= -1
    if word.isupper() and is_cap_diff:
        if valence > 0:
            scalar += C_INCR
        else:
            scalar -= C_INCR
    return float(scalar)


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
    if w0 not in _IDIOM_WORDS and w2 not in _IDIOM_WORDS:
        return valence  # every phrase looked up below holds w0 or w2
    for sequence in ((w1, w0), (w2, w1, w0), (w2, w1), (w3, w2, w1), (w3, w2)):
        if sequence in _IDIOMS:
            valence = _IDIOMS[sequence]
            break
    if len(lowered) - 1 > i and (w0, lowered[i + 1]) in _IDIOMS:
        valence = _IDIOMS[(w0, lowered[i + 1])]
    if len(lowered) - 1 > i + 1:
        three = (w0, lowered[i + 1], lowered[i + 2])
        if three in _IDIOMS:
            valence = _IDIOMS[three]
    for n_gram in ((w3, w2, w1), (w3, w2), (w2, w1)):
        if n_gram in _BOOSTER_PHRASES:
            valence += _BOOSTER_PHRASES[n_gram]
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
    if len(targets) == 1:
        start, end = targets[0]
        first = bisect.bisect_right(valence.ends, start)
        return list(range(first, bisect.bisect_left(valence.starts, end)))
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
        if not valence.hits:
            return 0.0  # compound(0.0, emphasis)
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

    @property
    def compiled(self) -> bool:
        """True when core._native can score for this scorer: clause scope at punctuation only,
        as the product's scorer has it."""
        plain_clause = not (self.clause_words or self.outside_clause or self.window or self.decay)
        return _NATIVE is not None and self.clause and plain_clause

    def sentence_tones(
        self, sentence: str, groups: Sequence[Sequence[Span]], masked: Sequence[Span]
    ) -> list[float]:
        """score_targets on the sentence's valences (compiled for an ASCII sentence)."""
        if _NATIVE is not None and self.compiled:
            found = _NATIVE.clause_tones(sentence, groups, masked)
            if found is not None:
                return found
        return self.score_targets(sentence_valence(sentence), groups, masked)

    def country_tones(
        self, text: str, sentences: Sequence[Span], mentions: Sequence[Mention]
    ) -> list[SentenceTone]:
        """The tone toward each country in each sentence that mentions it, the country's own
        words masked (python_country_tones; compiled when the scorer allows)."""
        if _NATIVE is not None and self.compiled:
            return _NATIVE.mention_tones(text, sentences, mentions, self.sentence_tones)
        return python_country_tones(text, sentences, mentions, self.sentence_tones)

    def score_targets(
        self, valence: SentenceValence, groups: Sequence[Sequence[Span]], masked: Sequence[Span]
    ) -> list[float]:
        """score_valence for each group of target spans, doing the target-free work once."""
        if not valence.hits:
            return [0.0] * len(groups)  # compound(0.0, emphasis)
        if self.window or self.decay:
            return [self.score_valence(valence, targets, masked) for targets in groups]
        starts, valences = valence.starts, valence.valences
        hidden = target_words(valence, masked)  # the words _overlaps would find in masked
        kept = [i for i in valence.hits if i not in hidden] if hidden else valence.hits
        breaks = _clause_breaks(valence.text, self.clause_words) if self.clause else []
        clauses = [bisect.bisect_right(breaks, starts[i]) for i in kept]
        tones = []
        for targets in groups:
            anchors = target_words(valence, targets) if self.clause else []
            total = 0.0
            if not anchors:
                for i in kept:
                    total += valences[i]
            else:
                # Weight 1.0 inside an anchor's clause, outside_clause (maybe 0.0) elsewhere;
                # the additions run in the order score_valence makes them, so sums are equal.
                anchor_clauses = {bisect.bisect_right(breaks, starts[a]) for a in anchors}
                for i, clause in zip(kept, clauses, strict=True):
                    if clause in anchor_clauses:
                        total += valences[i]
                    elif self.outside_clause:
                        total += valences[i] * self.outside_clause
            tones.append(compound(total, valence.emphasis))
        return tones

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


# (sentence start, sentence end, iso3, tone toward the country, its mentions in the sentence)
SentenceTone = tuple[int, int, str, float, int]
SentenceTones = Callable[[str, Sequence[Sequence[Span]], Sequence[Span]], list[float]]


def python_country_tones(
    text: str, sentences: Sequence[Span], mentions: Sequence[Mention], tones_of: SentenceTones
) -> list[SentenceTone]:
    """VaderScorer.country_tones with tones_of(sentence, groups, masked) scoring each sentence:
    the reference for core._native.mention_tones. Rows come sentence by sentence, countries in
    the order of their first mention."""
    rows: list[SentenceTone] = []
    for (start, end), in_sentence in group_by_sentence(sentences, mentions).items():
        masked = [(m.start - start, m.end - start) for m in in_sentence]
        by_country = spans_by_country(in_sentence, start)
        tones = tones_of(text[start:end], list(by_country.values()), masked)
        for (iso3, spans), tone in zip(by_country.items(), tones, strict=True):
            rows.append((start, end, iso3, tone, len(spans)))
    return rows


def group_by_sentence(
    sentences: Sequence[Span], mentions: Sequence[Mention]
) -> dict[Span, list[Mention]]:
    """Mentions keyed by the sentence that contains their start; stray mentions are dropped."""
    ordered = sorted(sentences)
    starts = [s for s, _ in ordered]
    grouped: dict[Span, list[Mention]] = {}
    for mention in mentions:
        index = bisect.bisect_right(starts, mention.start) - 1
        if index >= 0 and mention.start < ordered[index][1]:
            grouped.setdefault(ordered[index], []).append(mention)
    return grouped


def spans_by_country(mentions: Sequence[Mention], shift: int) -> dict[str, list[Span]]:
    """The mentions' spans, shifted left by shift, grouped by country in order of appearance."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for mention in mentions:
        spans[mention.iso3].append((mention.start - shift, mention.end - shift))
    return spans


def plain_vader(sentence: str) -> float:
    """VADER's own compound score for the sentence, untouched (the baseline)."""
    return float(_ANALYZER.polarity_scores(sentence)["compound"])


def lexicon_tone(text: str) -> float:
    """A cheap VADER: lexicon valences, negated within 3 words of a negation, no other rules."""
    lowered = text.lower()
    return _lexicon_compound(_LEXICON_WORD.findall(lowered), "n't" in lowered)


def lexicon_tones(text: str, spans: Sequence[Span]) -> list[float]:
    """lexicon_tone of each text[start:end], tokenising the whole text once rather than per span."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets move
        return [lexicon_tone(text[start:end]) for start, end in spans]
    if _NATIVE:
        return _NATIVE.lexicon_compounds(lowered, spans)
    return python_lexicon_tones(lowered, spans)


def python_lexicon_tones(lowered: str, spans: Sequence[Span]) -> list[float]:
    """lexicon_tones of a lower-cased text whose offsets match the original: core._native's
    reference."""
    # Every character outside [a-z'] becomes a space (non-ASCII ones via "?"), one for one:
    # the words of a slice are then exactly _LEXICON_WORD's matches in it.
    spaced = lowered.encode("ascii", "replace").translate(_NOT_LEXICON_CHARACTERS).decode("ascii")
    return [
        _lexicon_compound(spaced[start:end].split(), spaced.find("n't", start, end) >= 0)
        for start, end in spans
    ]


def _lexicon_compound(words: list[str], has_nt: bool) -> float:
    total = 0.0
    if not has_nt and _NEGATIONS.isdisjoint(words):
        for found in filter(None, map(_LEXICON.get, words)):  # no negation: plain sum
            total += found
    else:
        last_negation = -10
        for i, word in enumerate(words):
            if word in _NEGATIONS or "n't" in word:
                last_negation = i
            value = _LEXICON.get(word)
            if value is not None:
                total += value * _N_SCALAR if 0 < i - last_negation <= 3 else value
    return total / math.sqrt(total * total + 15.0)


# Word flags for core._native's table (the same values as in core/_native.c).
_IN_LEXICON, _SCORED, _CONTEXT, _IDIOM, _NEGATION = 1, 2, 4, 8, 16


def _native_word_table() -> list[tuple[str, float, int]]:
    """Every word the VADER rules look up, with its lexicon valence and what it is."""
    words = set(_LEXICON) | set(BOOSTER_DICT) | _NEGATIONS | _CONTEXT_WORDS | _IDIOM_WORDS
    return [
        (
            word,
            _LEXICON.get(word, 0.0),
            (word in _LEXICON and _IN_LEXICON)
            | (word in _SCORED_WORDS and _SCORED)
            | (word in _CONTEXT_WORDS and _CONTEXT)
            | (word in _IDIOM_WORDS and _IDIOM)
            | (word in _NEGATIONS and _NEGATION),
        )
        for word in sorted(words)
    ]


def _configured() -> Native | None:
    """The compiled module with VADER's tables loaded, or None where it was not built."""
    if COMPILED is not None:
        COMPILED.configure(_native_word_table(), _C_INCR, _N_SCALAR, _valence, _idioms)
    return COMPILED


_NATIVE = _configured()

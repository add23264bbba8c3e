"""core._native (core/_native.c) gives exactly what the pure-Python paths of core/scorers.py give.

The compiled module is built by `make install` (setup.py). These tests import it directly, so a
checkout where it failed to build fails here rather than silently running the slow paths.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES

from core import _native, scorers
from core.countries import find_mentions
from core.models import Mention
from core.parse import parse_feed
from core.scorers import (
    SentenceValence,
    Span,
    python_country_tones,
    python_lexicon_tones,
    python_word_valences,
)
from core.sentences import _period_ends_sentence, python_split_sentences, split_sentences
from core.tone import PRODUCT_SCORER
from tests.conftest import REAL_FEEDS

ROOT = Path(__file__).resolve().parents[2]


def native_valences(text: str) -> scorers.WordValences:
    found = _native.word_valences(text)
    assert found is not None
    return found


def python_clause_tones(sentence: str, groups: list[list[Span]], masked: list[Span]) -> list[float]:
    valence = SentenceValence(
        sentence, *python_word_valences(sentence), scorers._emphasis(sentence)
    )
    return PRODUCT_SCORER.score_targets(valence, groups, masked)


def native_clause_tones(sentence: str, groups: list[list[Span]], masked: list[Span]) -> list[float]:
    found = _native.clause_tones(sentence, groups, masked)
    assert found is not None
    return found


def same_lexicon_tones(text: str, spans: list[tuple[int, int]]) -> bool:
    lowered = text.lower()
    return _native.lexicon_compounds(lowered, spans) == python_lexicon_tones(lowered, spans)


@cache
def newsmtsc_sentences() -> list[str]:
    sentences = []
    for split in ("train", "rw_dev", "mt_dev"):
        path = ROOT / "bench" / "data" / "newsmtsc" / f"{split}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences.append(scorers.normalise_quotes(json.loads(line)["sentence_normalized"]))
    return sentences


@cache
def raw_feed_texts() -> list[str]:
    texts = []
    for path in sorted(REAL_FEEDS.glob("*.xml")):
        for entry in parse_feed(path.read_bytes(), path.name).entries:
            texts.append(f"{entry.title}\n{entry.text}")
    return texts


@cache
def feed_texts() -> list[str]:
    return [scorers.normalise_quotes(text) for text in raw_feed_texts()]


def test_the_scorer_uses_the_compiled_module() -> None:
    assert scorers._NATIVE is _native


def test_word_valences_equal_on_newsmtsc_sentences() -> None:
    sentences = [s for s in newsmtsc_sentences() if s.isascii()]
    assert len(sentences) > 5_000
    differing = [s for s in sentences if native_valences(s) != python_word_valences(s)]
    assert differing == []
    scored = sum(1 for s in sentences if native_valences(s)[3])
    assert scored > len(sentences) // 2  # most of them have words with a valence


def test_word_valences_equal_on_real_feed_sentences() -> None:
    sentences = [
        text[start:end]
        for text in feed_texts()
        for start, end in split_sentences(text)
        if text[start:end].isascii()
    ]
    assert len(sentences) > 3_000
    assert [s for s in sentences if native_valences(s) != python_word_valences(s)] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Protesters condemned the brutal crackdown but praised the court but not the army.",
        "It is not a good deal, and never will be, isn't it? No good; no hope, nor any joy.",
        "Kind of an awful, very bad day: sort of great, just enough good.",
        "It was the least bad option, at least good, very least happy.",
        "Never so happy, without doubt excellent; never this sad.",
        "The GREAT leader was VERY angry and extremely WRONG today!!",
        "That show was the bomb, a kiss of death, to die for; the bus stop was dirty.",
        "ALL CAPS GOOD NEWS",
        "good good good but bad bad",
        "",
        "   \t\x1c\x1f  ",
        "!!! ... ?? '' --",
        "a\x0bgreat\x0cwin\rtoday",
    ],
)
def test_word_valences_equal_on_vaders_rules(sentence: str) -> None:
    assert native_valences(sentence) == python_word_valences(sentence)


def test_word_valences_leave_non_ascii_text_to_python() -> None:
    assert _native.word_valences("Caf\u00e9 owners are happy") is None
    assert scorers.sentence_valence("Caf\u00e9 owners are happy").hits


VADER_WORDS = sorted(
    {"good", "bad", "great", "terrible", "happy", "no", "not", "but", "kind", "of", "least"}
    | set(BOOSTER_DICT)
    | set(NEGATE)
    | {word for phrase in SPECIAL_CASES for word in phrase.split()}
)
PIECES = st.one_of(
    st.sampled_from(VADER_WORDS),
    st.sampled_from(VADER_WORDS).map(str.upper),
    st.sampled_from(VADER_WORDS).map(lambda word: f"{word}{'!,.?'[len(word) % 4]}"),
    st.text(alphabet=string.printable, max_size=8),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=25), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_word_valences_equal_on_random_text(pieces: list[str], gap: str) -> None:
    sentence = gap.join(pieces)
    assert native_valences(sentence) == python_word_valences(sentence)


def test_lexicon_tones_equal_on_real_feed_texts() -> None:
    texts = feed_texts()
    assert len(texts) > 1_000
    differing = [t for t in texts if not same_lexicon_tones(t, split_sentences(t))]
    assert differing == []


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(VADER_WORDS), st.text(max_size=6)), max_size=30),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=6),
)
def test_lexicon_tones_equal_on_random_text(
    pieces: list[str], spans: list[tuple[int, int]]
) -> None:
    text = " ".join(pieces)
    assume(len(text.lower()) == len(text))  # lexicon_tones never passes other text on
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in spans]
    assert same_lexicon_tones(text, spans)


def test_clause_tones_equal_on_real_feed_sentences_toward_their_countries() -> None:
    compared = 0
    for text in feed_texts():
        mentions = find_mentions(text)
        for start, end in split_sentences(text):
            sentence = text[start:end]
            inside = [m for m in mentions if start <= m.start < end]
            if not inside or not sentence.isascii():
                continue
            masked = [(m.start - start, m.end - start) for m in inside]
            groups = [
                [span for span, m in zip(masked, inside, strict=True) if m.iso3 == iso3]
                for iso3 in sorted({m.iso3 for m in inside})
            ]
            native = native_clause_tones(sentence, groups, masked)
            assert native == python_clause_tones(sentence, groups, masked), sentence
            compared += 1
    assert compared > 1_000


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia's brutal attack, which Canada condemned, was not a good sign for Ukraine!",
        'Critics called it "a disaster," France said; Spain: "wonderful"] and good.',
        'A great win,)x for Chile," and a sad loss;',
        "No hope: Peru, Chile, and Bolivia are happy?? Really?? Yes???",
    ],
)
def test_clause_tones_equal_on_clause_breaks(sentence: str) -> None:
    spans = [(m.start, m.end) for m in find_mentions(sentence)] or [(0, 3)]
    groups = [[span] for span in spans] + [spans, [], [(0, len(sentence))]]
    for masked in (spans, [], [(0, len(sentence))]):
        assert native_clause_tones(sentence, groups, masked) == python_clause_tones(
            sentence, groups, masked
        )


SPANS = st.lists(st.tuples(st.integers(-5, 120), st.integers(-5, 120)), max_size=4)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.one_of(PIECES, st.sampled_from([",", ";", ":", '",', ":)", ",]"])), max_size=25),
    st.lists(SPANS, max_size=4),
    SPANS,
)
def test_clause_tones_equal_on_random_text(
    pieces: list[str], groups: list[list[Span]], masked: list[Span]
) -> None:
    sentence = " ".join(pieces)
    assert native_clause_tones(sentence, groups, masked) == python_clause_tones(
        sentence, groups, masked
    )


def test_clause_tones_leave_non_ascii_text_to_python() -> None:
    assert _native.clause_tones("Caf\u00e9 in France is good", [[(9, 15)]], [(9, 15)]) is None
    assert PRODUCT_SCORER.sentence_tones("Caf\u00e9 in France is good", [[(9, 15)]], [(9, 15)]) == [
        python_clause_tones("Caf\u00e9 in France is good", [[(9, 15)]], [(9, 15)])[0]
    ]


def test_mention_tones_equal_on_real_feed_texts() -> None:
    rows = 0
    for text in feed_texts():
        sentences = split_sentences(text)
        mentions = find_mentions(text)
        native = _native.mention_tones(text, sentences, mentions, python_clause_tones)
        assert native == python_country_tones(text, sentences, mentions, python_clause_tones)
        rows += len(native)
    assert rows > 2_000


def test_mention_tones_handle_unsorted_input_and_stray_mentions() -> None:
    text = "Caf\u00e9 owners in France are happy. Chile and Peru, sadly, lost; Chile won.\nOdd"
    sentences = split_sentences(text)
    mentions = find_mentions(text)
    assert {m.iso3 for m in mentions} == {"FRA", "CHL", "PER"}
    stray = Mention("ESP", len(text) + 5, len(text) + 9, "Spain")  # in no sentence
    for ordered in (mentions, mentions[::-1], [stray, *mentions]):
        for spans in (sentences, sentences[::-1]):
            native = _native.mention_tones(text, spans, ordered, python_clause_tones)
            assert native == python_country_tones(text, spans, ordered, python_clause_tones)
            assert {row[2] for row in native} == {"FRA", "CHL", "PER"}


def test_mention_tones_pass_fallback_errors_on() -> None:
    def broken(sentence: str, groups: list[list[Span]], masked: list[Span]) -> list[float]:
        raise RuntimeError("fallback failed")

    text = "Caf\u00e9 owners in France are happy."
    with pytest.raises(RuntimeError, match="fallback failed"):
        _native.mention_tones(text, split_sentences(text), find_mentions(text), broken)


def native_split(text: str) -> list[Span]:
    return _native.split_sentences(text, _period_ends_sentence)


def test_split_sentences_equal_on_real_feed_texts_in_every_language() -> None:
    texts = raw_feed_texts()
    assert sum(1 for text in texts if not text.isascii()) > 500
    assert [t for t in texts if native_split(t) != python_split_sentences(t)] == []
    article = "\n".join(texts[:400])  # one long text across many feeds
    assert native_split(article) == python_split_sentences(article)


SPLIT_PIECES = st.one_of(
    st.sampled_from(
        ["Mr.", "U.S.", "Jan.", "No.", "Gen.", "e.g.", "Inc.", "then-Gov.", "J.", "St.", "etc."]
    ),
    st.sampled_from(["The", "the", "He", "Officials", "6", "(The", "\u201cWe", "\u00c9tat", "_x"]),
    st.sampled_from([".", "!", "?", "\u2026", ".\u201d", "?!", "...", ".)", '."', "\u00bb", "-"]),
    st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", " \n "]),
    st.text(max_size=5),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(SPLIT_PIECES, max_size=40))
def test_split_sentences_equal_on_random_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert native_split(text) == python_split_sentences(text)

"""Tone scoring: signs and orderings, never exact floats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from core import tone
from core.models import ToneScore
from core.scorers import (
    VaderScorer,
    lexicon_tone,
    lexicon_tones,
    normalise_quotes,
    plain_vader,
    sentence_valence,
)
from jobs.analyze import analyze_jsonl, analyze_text

PRODUCT = tone.PRODUCT_SCORER
UNMASKED = VaderScorer("unmasked", normalise=True, mask=False)


def span_of(sentence: str, words: str) -> tuple[int, int]:
    start = sentence.index(words)
    return (start, start + len(words))


def tones_by_iso3(title: str, text: str) -> dict[str, ToneScore]:
    _, scores = tone.score_article(title, text)
    return {s.iso3: s for s in scores}


# --- the sentence scorer on explicit spans -------------------------------------------------


def test_country_name_carries_no_tone_when_masked() -> None:
    sentence = "The United States held talks on Monday."
    target = span_of(sentence, "United States")
    assert plain_vader(sentence) > 0  # VADER's lexicon gives "united" +1.8
    assert UNMASKED.score(sentence, [target]) > 0
    assert PRODUCT.score(sentence, [target]) == 0.0


@pytest.mark.parametrize(
    ("sentence", "sign"),
    [
        ("Critics called France\u2019s plan \u201cexcellent\u201d.", 1),
        ("Officials said France didn\u2019t succeed.", -1),
    ],
)
def test_curly_quotes_are_normalised(sentence: str, sign: int) -> None:
    target = [span_of(sentence, "France")]
    raw = VaderScorer("raw", normalise=False, mask=True).score(sentence, target)
    normalised = PRODUCT.score(sentence, target)
    assert raw * sign <= 0 < normalised * sign


def test_normalise_quotes_keeps_offsets() -> None:
    text = "\u201cRussia\u2019s\u201d \u2014 war"
    assert len(normalise_quotes(text)) == len(text)
    assert normalise_quotes(text) == '"Russia\'s"   war'


def test_clause_scope_separates_two_countries_in_one_sentence() -> None:
    sentence = "Russia was condemned for the brutal attack, and Canada was praised for its help."
    russia = PRODUCT.score(sentence, [span_of(sentence, "Russia")])
    canada = PRODUCT.score(sentence, [span_of(sentence, "Canada")])
    assert russia < 0 < canada


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks were a great success, officials said.",
        "Protesters condemned the brutal crackdown but praised the court.",
        "It is not a good deal, and never will be!",
        "Kind of an awful, very bad day.",
        "There is no good reason and no hope, nor any joy.",
        "It was the least bad option, at least good, very least happy.",
        "Never so happy, without doubt excellent; never this sad.",
        "The GREAT leader was VERY angry and extremely WRONG today.",
        "That show was the bomb, but the bus stop was dirty.",
        "He isn't happy and doesn't approve, it ain't nice.",
    ],
)
def test_unscoped_scorer_equals_vader(sentence: str) -> None:
    scorer = VaderScorer("vader", normalise=False, mask=False)
    assert scorer.score(sentence, []) == pytest.approx(plain_vader(sentence), abs=1e-4)


def test_unscoped_scorer_equals_vader_on_real_news_sentences() -> None:
    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "newsmtsc" / "rw_dev.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    sentences = [json.loads(line)["sentence_normalized"] for line in lines]
    scorer = VaderScorer("vader", normalise=False, mask=False)
    differing = [s for s in sentences if abs(scorer.score(s, []) - plain_vader(s)) > 1e-4]
    assert len(sentences) == 320
    assert differing == []


def test_lexicon_tone_follows_vader_sign() -> None:
    assert lexicon_tone("a terrible, deadly attack") < 0 < lexicon_tone("a wonderful success")
    assert lexicon_tone("this is not good") < 0
    assert lexicon_tone("the meeting is on Tuesday") == 0.0


@pytest.mark.parametrize(
    "scorer",
    [PRODUCT, UNMASKED, VaderScorer("outside", clause=True, outside_clause=0.5), VaderScorer("w")],
    ids=lambda scorer: scorer.name,
)
def test_score_targets_equals_score_valence_per_country(scorer: VaderScorer) -> None:
    sentence = "Russia's brutal attack, which Canada condemned, was not a good sign for Ukraine!"
    groups = [[span_of(sentence, name)] for name in ("Russia", "Canada", "Ukraine")]
    masked = [span for group in groups for span in group]
    valence = sentence_valence(sentence)
    one_by_one = [scorer.score_valence(valence, group, masked) for group in groups]
    assert scorer.score_targets(valence, groups, masked) == one_by_one


@pytest.mark.parametrize(
    "text",
    [
        "a  double\tspaced   sentence\u00a0with odd gaps ",
        "  leading and trailing spaces  ",
        "one",
    ],
)
def test_sentence_valence_word_offsets(text: str) -> None:
    valence = sentence_valence(text)
    words = text.split()
    assert [text[s:e] for s, e in zip(valence.starts, valence.ends, strict=True)] == words


def test_lexicon_tones_equal_lexicon_tone_per_span() -> None:
    text = "Wir s\u00e4gen: a great WIN.\nIt isn't good; no hope. \u0130stanbul is lovely!"
    spans = [(0, 26), (27, 50), (51, len(text)), (0, len(text))]
    expected = [lexicon_tone(text[start:end]) for start, end in spans]
    assert lexicon_tones(text, spans) == expected
    ascii_text = text.replace("\u0130", "I")  # no letter whose lower case is longer
    expected = [lexicon_tone(ascii_text[start:end]) for start, end in spans]
    assert lexicon_tones(ascii_text, spans) == expected
    assert any(expected)


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.9, "negative"),
        (tone.NEGATIVE_BELOW - 0.01, "negative"),
        (tone.NEGATIVE_BELOW, "neutral"),
        (tone.POSITIVE_ABOVE, "neutral"),
        (tone.POSITIVE_ABOVE + 0.01, "positive"),
        (0.9, "positive"),
    ],
)
def test_label_for_uses_thresholds(value: float, label: str) -> None:
    assert tone.label_for(value) == label


def test_thresholds_are_ordered() -> None:
    assert -1 < tone.NEGATIVE_BELOW < tone.POSITIVE_ABOVE < 1


# --- whole articles --------------------------------------------------------------------------


def test_criticised_and_praised_countries_get_different_tones() -> None:
    text = (
        "Leaders condemned Russia for the brutal and deadly attack. "
        "Meanwhile Canada was praised for its generous and welcome aid."
    )
    scores = tones_by_iso3("Aid talks", text)
    assert scores["RUS"].tone < 0 < scores["CAN"].tone
    assert scores["RUS"].label == "negative"
    assert scores["CAN"].label == "positive"


def test_evidence_is_the_strongest_sentence_with_offsets() -> None:
    title = "Weekly roundup"
    text = (
        "Germany held a meeting on Tuesday. "
        "Germany was praised for its wonderful, generous and brilliant support. "
        "Germany is fine."
    )
    document = f"{title}\n{text}"
    score = tones_by_iso3(title, text)["DEU"]
    assert score.sentences == 3
    assert score.mentions == 3
    assert 1 <= len(score.evidence) <= tone.MAX_EVIDENCE
    strongest = score.evidence[0]
    assert "wonderful" in strongest.text
    assert document[strongest.start : strongest.end] == strongest.text
    assert [abs(e.score) for e in score.evidence] == sorted(
        (abs(e.score) for e in score.evidence), reverse=True
    )


def test_title_counts_as_a_sentence() -> None:
    title = "Japan wins praise for brilliant rescue"
    scores = tones_by_iso3(title, "The rescue ended on Sunday night.")
    japan = scores["JPN"]
    assert japan.sentences == 1
    assert japan.tone > 0
    assert japan.evidence[0].start == 0
    assert japan.evidence[0].text == title


def test_article_without_countries_has_no_tone_scores() -> None:
    doc_tone, scores = tone.score_article("Local news", "The cat sat on the mat. It was happy.")
    assert scores == ()
    assert doc_tone > 0


def test_document_tone_sign() -> None:
    bad, _ = tone.score_article("Disaster", "A terrible, deadly storm killed many. Grief spread.")
    good, _ = tone.score_article("Joy", "A wonderful festival delighted everyone. Great fun.")
    assert bad < 0 < good


# --- tonewatch analyze ----------------------------------------------------------------------


def test_analyze_text_reports_spans_and_tone() -> None:
    text = "Critics condemned China for the brutal crackdown."
    result = analyze_text(text)
    china = next(c for c in result["countries"] if c["iso3"] == "CHN")
    assert china["spans"] == [list(span_of(text, "China"))]
    assert china["tone"] < 0
    assert china["label"] == "negative"
    assert china["evidence"][0]["text"] == text


def test_analyze_jsonl_writes_one_line_per_good_input_and_names_bad_lines() -> None:
    good = {"id": 7, "text": "Brazil won a great victory.", "targets": [{"from": 0, "to": 6}]}
    lines = [json.dumps(good), "{not json", json.dumps({"id": 8, "text": 5}), ""]
    lines.append(json.dumps({"id": 9, "text": "abc", "targets": [{"from": 2, "to": 9}]}))
    out, err = io.StringIO(), io.StringIO()
    assert analyze_jsonl(lines, out, err) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["id"] for row in rows] == [7]
    assert rows[0]["countries"][0]["iso3"] == "BRA"
    assert rows[0]["countries"][0]["name"]
    assert rows[0]["targets"][0]["tone"] > 0
    messages = err.getvalue().splitlines()
    assert [m.split(":")[0] for m in messages] == ["line 2", "line 3", "line 5"]
    assert "Traceback" not in err.getvalue()

"""The learned tone engine: the shipped ONNX model, its inputs, and both engines in one call."""

from __future__ import annotations

import json

import pytest

from core import learned
from core.countries import find_mentions
from core.engines import (
    check_engine,
    learned_target,
    mention_tones,
    pick,
    score_articles_both,
)
from core.learned import TargetSpanError, check_targets, file_sha256, load_scorer, marked_text
from core.sentences import split_sentences


@pytest.fixture(scope="module")
def scorer() -> learned.LearnedScorer:
    return load_scorer()


def _span(sentence: str, word: str) -> tuple[int, int]:
    start = sentence.index(word)
    return (start, start + len(word))


def test_shipped_model_loads_offline_and_matches_its_card(scorer: learned.LearnedScorer) -> None:
    meta = json.loads((learned.MODEL_DIR / learned.META_FILE).read_text(encoding="utf-8"))
    model_sha = file_sha256(learned.MODEL_DIR / learned.MODEL_FILE)
    assert meta["model_sha256"] == model_sha
    assert meta["tokenizer_sha256"] == file_sha256(learned.MODEL_DIR / learned.TOKENIZER_FILE)
    assert model_sha in (learned.MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert scorer.version == f"tone-minilm-{model_sha[:12]}"
    assert (learned.MODEL_DIR / learned.MODEL_FILE).stat().st_size < 50_000_000


@pytest.mark.parametrize(
    ("negative", "positive", "country"),
    [
        (
            "Russia invaded Ukraine and bombed its cities, killing thousands of civilians.",
            "Ukraine won praise for its brilliant and successful economic reforms.",
            "Ukraine",
        ),
        (
            "France was condemned for its brutal crackdown and its failing economy.",
            "France won the World Cup in a brilliant, celebrated victory.",
            "France",
        ),
    ],
)
def test_negative_sentence_scores_below_positive(
    scorer: learned.LearnedScorer, negative: str, positive: str, country: str
) -> None:
    low = scorer.score_pairs([(negative, [_span(negative, country)])])[0]
    high = scorer.score_pairs([(positive, [_span(positive, country)])])[0]
    assert low.score < 0 < high.score
    assert (low.label, high.label) == ("negative", "positive")


def test_tone_depends_on_the_target(scorer: learned.LearnedScorer) -> None:
    sentence = "Russia invaded Ukraine, and the world praised Germany for its generous help."
    victim, helper = scorer.score_pairs(
        [(sentence, [_span(sentence, "Ukraine")]), (sentence, [_span(sentence, "Germany")])]
    )
    assert victim.score < helper.score


def test_batch_equals_one_by_one(scorer: learned.LearnedScorer) -> None:
    sentences = [
        "China praised Kenya for its swift and successful response.",
        "The United States imposed harsh sanctions on Iran over its nuclear program.",
        "Japan and South Korea held talks in Tokyo on Tuesday.",
        "Floods devastated Pakistan, leaving millions homeless.",
        "Brazil's team won gold.",
    ]
    targets = ["Kenya", "Iran", "Japan", "Pakistan", "Brazil"]
    pairs = [(s, [_span(s, t)]) for s, t in zip(sentences, targets, strict=True)]
    batched = scorer.score_pairs(pairs, batch_size=3)
    alone = [scorer.score_pairs([pair])[0] for pair in pairs]
    # float32 compute: padding a pair in a batch moves only the last float digits.
    assert [t.label for t in batched] == [t.label for t in alone]
    assert [t.score for t in batched] == pytest.approx([t.score for t in alone], abs=1e-4)
    assert [scorer.score(s, spans) for s, spans in pairs] == pytest.approx(
        [t.score for t in alone], abs=1e-6
    )


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ([(10, 40)], "target span 10:40 is outside the sentence (length 20)"),
        ([(-1, 3)], "target span -1:3 is outside the sentence (length 20)"),
        ([(5, 5)], "target span 5:5 is outside the sentence (length 20)"),
        ([], "no target span given"),
    ],
)
def test_spans_outside_the_sentence_are_refused(
    scorer: learned.LearnedScorer, targets: list[tuple[int, int]], message: str
) -> None:
    sentence = "Chile won the match."
    sentence += " " * (20 - len(sentence))
    with pytest.raises(TargetSpanError) as raised:
        scorer.score_pairs([("Peru lost.", [(0, 4)]), (sentence, targets)])
    assert str(raised.value) == message


def test_markers_wrap_every_target_span() -> None:
    sentence = "India and Pakistan: India wins."
    first, target = marked_text(sentence, [(0, 5), (20, 25)])
    assert " ".join(first.split()) == (
        "[unused0] India [unused1] and Pakistan: [unused0] India [unused1] wins."
    )
    assert target == "India"


def test_long_sentence_is_cut_around_the_target() -> None:
    sentence = "word " * 200 + "Peru suffered a crushing defeat. " + "more " * 200
    start = sentence.index("Peru")
    first, target = marked_text(sentence, [(start, start + 4)])
    assert target == "Peru"
    assert len(first) <= learned.CONTEXT_CHARS + 40
    assert "[unused0] Peru [unused1] suffered a crushing defeat." in " ".join(first.split())


def test_check_targets_sorts_and_deduplicates() -> None:
    assert check_targets("abcdef", [(3, 4), (0, 2), (3, 4)]) == [(0, 2), (3, 4)]


def test_both_engines_come_out_of_one_call(scorer: learned.LearnedScorer) -> None:
    title = "Deadly earthquake devastates Turkey"
    text = "Thousands died in Turkey. Germany praised the heroic rescue teams and sent aid."
    (dual,) = score_articles_both([(title, text, None)], scorer)
    by_country = {t.iso3: t for t in dual.tones}
    assert set(by_country) == {"TUR", "DEU"}
    turkey = by_country["TUR"]
    assert turkey.learned is not None
    assert turkey.learned.label == "negative"
    assert (turkey.vader.sentences, turkey.learned.sentences) == (2, 2)
    assert turkey.learned.evidence[0].text in (title, "Thousands died in Turkey.")
    tones, version = pick(dual, "learned")
    assert version == scorer.version
    assert [t.iso3 for t in tones] == [t.iso3 for t in dual.tones]
    vader_tones, vader_version = pick(dual, "vader")
    assert vader_version == dual.vader_version
    assert vader_tones[0] is dual.tones[0].vader


def test_without_a_scorer_only_vader_is_computed() -> None:
    (dual,) = score_articles_both([("Spain wins", "Spain won the final.", None)])
    assert dual.learned_version is None
    assert all(t.learned is None and not t.disagrees for t in dual.tones)
    assert pick(dual, "learned")[1] == dual.vader_version


def test_learned_target_scores_a_span_within_its_sentence(
    scorer: learned.LearnedScorer,
) -> None:
    text = "Markets rallied. Sanctions crushed the economy of Iran."
    iran = _span(text, "Iran")
    tone = learned_target(text, split_sentences(text), iran, scorer)
    assert tone.label == "negative"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tone engine 'bert'"):
        check_engine("bert")


def test_mention_tones_follows_the_engine_setting() -> None:
    text = "Sanctions crushed the economy of Iran. Iran's currency collapsed."
    sentences = split_sentences(text)
    mentions = find_mentions(text)
    (vader,) = mention_tones(text, sentences, mentions, "vader")
    (learned_tone,) = mention_tones(text, sentences, mentions, "learned")
    assert vader.iso3 == learned_tone.iso3 == "IRN"
    assert learned_tone.label == "negative"
    assert learned_tone.sentences == 2
    assert vader.tone != learned_tone.tone

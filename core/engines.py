"""Tone engines behind one call: VADER (always) and the learned model (when asked for).

`score_articles_both` scores a batch of articles with both engines and returns, per article and
country, the two ToneScores side by side with a flag where their labels point opposite ways.
The learned engine batches every (sentence, country) pair of the whole batch into one model run.
`pick` then keeps the ToneScores of the engine the settings choose.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from core.countries import find_mentions
from core.learned import LABELS, LearnedScorer, LearnedTone, load_scorer
from core.models import Evidence, Mention, ToneScore, labels_disagree
from core.scorers import Span
from core.tone import MAX_EVIDENCE, SCORER_VERSION, document_of, document_tone, score_mentions

ENGINES = ("vader", "learned")


@dataclass(frozen=True)
class DualTone:
    """Both engines' tone of one article toward one country."""

    iso3: str
    vader: ToneScore
    learned: ToneScore | None

    @property
    def disagrees(self) -> bool:
        """True when one engine says negative and the other positive."""
        return labels_disagree(self.vader.label, self.learned.label if self.learned else None)


@dataclass(frozen=True)
class ArticleDual:
    """One article scored by both engines: document tone and one DualTone per country."""

    doc_tone: float
    tones: tuple[DualTone, ...]
    vader_version: str
    learned_version: str | None


@dataclass(frozen=True)
class _Unit:
    """One (sentence, country) pair of one article, the learned engine's unit of work."""

    article: int
    iso3: str
    start: int
    end: int
    spans: tuple[Span, ...]  # relative to the sentence
    mentions: int


def check_engine(engine: str) -> str:
    """The engine name, or ValueError naming the valid ones."""
    if engine not in ENGINES:
        raise ValueError(f"unknown tone engine {engine!r}: use one of {', '.join(ENGINES)}")
    return engine


def score_articles_both(
    items: Sequence[tuple[str, str, date | None]], scorer: LearnedScorer | None = None
) -> list[ArticleDual]:
    """Both engines for each (title, text, published); learned is None when scorer is None."""
    prepared = []
    for title, text, published in items:
        document, sentences = document_of(title, text)
        prepared.append((document, sentences, find_mentions(document, published)))
    learned = learned_tones_many(prepared, scorer) if scorer is not None else None
    results = []
    for index, (document, sentences, mentions) in enumerate(prepared):
        vader = score_mentions(document, sentences, mentions)
        by_country = {t.iso3: t for t in learned[index]} if learned is not None else {}
        duals = tuple(DualTone(t.iso3, t, by_country.get(t.iso3)) for t in vader)
        results.append(
            ArticleDual(
                doc_tone=document_tone(document, sentences),
                tones=duals,
                vader_version=SCORER_VERSION,
                learned_version=scorer.version if scorer is not None else None,
            )
        )
    return results


def pick(dual: ArticleDual, engine: str) -> tuple[tuple[ToneScore, ...], str]:
    """The chosen engine's ToneScores and its version string (VADER when learned is missing)."""
    if check_engine(engine) == "learned" and dual.learned_version is not None:
        learned = tuple(t.learned for t in dual.tones if t.learned is not None)
        return learned, dual.learned_version
    return tuple(t.vader for t in dual.tones), dual.vader_version


def scorer_for(engine: str) -> LearnedScorer | None:
    """The process-wide learned scorer when engine is "learned", else None."""
    return load_scorer() if check_engine(engine) == "learned" else None


def mention_tones(
    document: str, sentences: Sequence[Span], mentions: Sequence[Mention], engine: str
) -> tuple[ToneScore, ...]:
    """One ToneScore per country from the chosen engine (`tonewatch analyze --engine`)."""
    scorer = scorer_for(engine)
    if scorer is None:
        return score_mentions(document, sentences, mentions)
    return learned_mentions(document, sentences, mentions, scorer)


def learned_tones_many(
    prepared: Sequence[tuple[str, Sequence[Span], Sequence[Mention]]], scorer: LearnedScorer
) -> list[tuple[ToneScore, ...]]:
    """Learned ToneScores for many (document, sentences, mentions), in one batched model run."""
    units = [u for index, item in enumerate(prepared) for u in _units(index, *item)]
    pairs = [(prepared[u.article][0][u.start : u.end], u.spans) for u in units]
    tones = scorer.score_pairs(pairs)
    grouped: dict[int, dict[str, list[tuple[_Unit, LearnedTone]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for unit, tone in zip(units, tones, strict=True):
        grouped[unit.article][unit.iso3].append((unit, tone))
    results = []
    for index, (document, _, _) in enumerate(prepared):
        countries = grouped.get(index, {})
        scores = [_aggregate(iso3, rows, document) for iso3, rows in countries.items()]
        scores.sort(key=lambda t: (-t.sentences, -t.mentions, t.iso3))
        results.append(tuple(scores))
    return results


def learned_mentions(
    document: str,
    sentences: Sequence[Span],
    mentions: Sequence[Mention],
    scorer: LearnedScorer,
) -> tuple[ToneScore, ...]:
    """The learned engine's ToneScore per country for one document (score_mentions' twin)."""
    return learned_tones_many([(document, sentences, mentions)], scorer)[0]


def learned_target(
    text: str, sentences: Sequence[Span], target: Span, scorer: LearnedScorer
) -> LearnedTone:
    """The learned tone toward one span of text, scored within the sentence that holds it."""
    start, end = next(((s, e) for s, e in sentences if s <= target[0] < e), (0, len(text)))
    end = max(end, target[1])
    return scorer.score_pairs([(text[start:end], [(target[0] - start, target[1] - start)])])[0]


def _units(
    article: int, document: str, sentences: Sequence[Span], mentions: Sequence[Mention]
) -> list[_Unit]:
    ordered = sorted(sentences)
    starts = [s for s, _ in ordered]
    spans: dict[tuple[Span, str], list[Span]] = defaultdict(list)
    for mention in mentions:
        index = bisect.bisect_right(starts, mention.start) - 1
        if index < 0 or mention.start >= ordered[index][1]:
            continue  # as core.tone does: a mention belongs to the sentence holding its start
        start, end = sentence = ordered[index]
        relative = (mention.start - start, min(mention.end, end) - start)
        spans[(sentence, mention.iso3)].append(relative)
    return [
        _Unit(article, iso3, start, end, tuple(found), len(found))
        for ((start, end), iso3), found in spans.items()
    ]


def _aggregate(iso3: str, rows: list[tuple[_Unit, LearnedTone]], document: str) -> ToneScore:
    """Mean class probabilities over the sentences; the label is their argmax."""
    probabilities = np.mean([tone.probabilities for _, tone in rows], axis=0)
    tone = float(probabilities[2] - probabilities[0])
    label = LABELS[int(np.argmax(probabilities))]
    strongest = sorted(rows, key=lambda r: (-abs(r[1].score), r[0].start))[:MAX_EVIDENCE]
    evidence = tuple(
        Evidence(document[u.start : u.end], t.score, u.start, u.end) for u, t in strongest
    )
    mentions = sum(u.mentions for u, _ in rows)
    return ToneScore(iso3, tone, label, len(rows), mentions, evidence)

"""Tone of an article toward each country it mentions, and a cheap whole-document tone.

Only sentences that mention a country are scored toward it (the title counts as sentence 0). Each
such sentence gets target-dependent VADER (core.scorers): curly quotes normalised, every country's
own words masked ("United" is +1.8, "Great" +3.1 in VADER), and words outside the mention's
clause (split at , ; :) ignored. The article's tone toward a country is the mean over those
sentences; evidence is the strongest of them. The variant and the label thresholds come from
bench/eval_newsmtsc.py (thresholds tuned on the NewsMTSC train split).

The whole-document tone is the mean over all sentences of core.scorers.lexicon_tone, a cheap
VADER (lexicon plus negation only; correlation 0.97 with VADER's compound on NewsMTSC and feed
sentences),
because full VADER on every sentence of every article would cost more than everything else.

Offsets: the article is scored as one string, `title + "\\n" + text`. Evidence start/end are
offsets into that string, so title sentences start at 0 and text offsets are shifted by
len(title) + 1 (see `document_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from core.countries import find_mentions
from core.models import Evidence, Mention, ToneScore
from core.scorers import (
    Scorer,
    SentenceValence,
    Span,
    VaderScorer,
    lexicon_tones,
    normalise_quotes,
)
from core.sentences import split_sentences

SCORER_VERSION = "vader-clause-1"
# Tuned on NewsMTSC train for PRODUCT_SCORER by bench/eval_newsmtsc.py (best 3-class macro-F1).
NEGATIVE_BELOW = 0.0
POSITIVE_ABOVE = 0.20
MAX_EVIDENCE = 3

PRODUCT_SCORER = VaderScorer(
    name="vader-clause", normalise=True, mask=True, clause=True, clause_words=False
)


ArticleTones = tuple[float, tuple[ToneScore, ...]]
ArticleInput = tuple[str, str, date | None]


class _SentenceScore(NamedTuple):
    start: int
    end: int
    score: float


def label_for(tone: float) -> str:
    """ "negative", "neutral" or "positive" for a tone in [-1, 1], by the tuned thresholds."""
    if tone < NEGATIVE_BELOW:
        return "negative"
    if tone > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def document_of(title: str, text: str) -> tuple[str, list[Span]]:
    """The string an article is scored as (title, newline, text) and its sentence spans."""
    document = f"{title}\n{text}"
    sentences: list[Span] = [(0, len(title))] if title.strip() else []
    shift = len(title) + 1
    sentences.extend((start + shift, end + shift) for start, end in split_sentences(text))
    return document, sentences


def score_article(title: str, text: str, published: date | None = None) -> ArticleTones:
    """Whole-document tone in [-1,1] and one ToneScore per country mentioned (title counts)."""
    document, sentences = document_of(title, text)
    mentions = find_mentions(document, published)
    return document_tone(document, sentences), score_mentions(document, sentences, mentions)


def document_tone(document: str, sentences: Sequence[Span]) -> float:
    """Mean lexicon tone of the sentences: cheap, for comparison with GDELT-style tone."""
    if not sentences:
        return 0.0
    total = sum(lexicon_tones(normalise_quotes(document), sentences))
    return total / len(sentences)


def score_mentions(
    document: str, sentences: Sequence[Span], mentions: Sequence[Mention]
) -> tuple[ToneScore, ...]:
    """One ToneScore per country, from the sentences in which its mentions fall."""
    normalised = normalise_quotes(document)  # one character for one: offsets stay valid
    scored: dict[str, list[_SentenceScore]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for start, end, iso3, tone, mentions_in_sentence in PRODUCT_SCORER.country_tones(
        normalised, sentences, mentions
    ):
        scored[iso3].append(_SentenceScore(start, end, tone))
        counts[iso3] += mentions_in_sentence
    tones = [_aggregate(iso3, rows, counts[iso3], document) for iso3, rows in scored.items()]
    tones.sort(key=lambda t: (-t.sentences, -t.mentions, t.iso3))
    return tuple(tones)


def _aggregate(iso3: str, rows: list[_SentenceScore], mentions: int, document: str) -> ToneScore:
    tone = sum(r.score for r in rows) / len(rows)
    strongest = sorted(rows, key=lambda r: (-abs(r.score), r.start))[:MAX_EVIDENCE]
    evidence = tuple(
        Evidence(document[r.start : r.end], r.score, r.start, r.end) for r in strongest
    )
    return ToneScore(iso3, tone, label_for(tone), len(rows), mentions, evidence)


__all__ = [
    "SCORER_VERSION",
    "Scorer",
    "SentenceValence",
    "document_of",
    "document_tone",
    "label_for",
    "score_article",
    "score_mentions",
]

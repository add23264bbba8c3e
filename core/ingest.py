"""From parsed entries to scored articles: the pure middle of the pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from core.engines import ArticleDual, DualTone, pick, score_articles_both, scorer_for
from core.models import Article, EngineTones, ScoredArticle
from core.parse import ParsedFeed, plausible_date
from core.topics import Node, document


def articles_from_feed(
    parsed: ParsedFeed, feed_id: int | None, source: str, now: datetime
) -> list[Article]:
    """Return the feed's entries as articles; undated or implausibly dated entries get `now`."""
    return [
        Article(
            title=entry.title,
            text=entry.text,
            published_at=plausible_date(entry.published_at, now),
            source=source,
            url=entry.link,
            guid=entry.guid,
            feed_id=feed_id,
        )
        for entry in parsed.entries
    ]


def score(article: Article, engine: str = "vader") -> ScoredArticle:
    """Return the article with its whole-document tone and its tone toward each country."""
    return score_all([article], engine)[0]


def score_all(articles: Iterable[Article], engine: str = "vader") -> list[ScoredArticle]:
    """Return every article scored, in order, by the chosen engine.

    VADER is always computed (it is cheap, and users compare with it); the learned engine runs
    once over the whole batch when it is the one chosen.
    """
    batch = list(articles)
    items = [(a.title, a.text, a.published_at.date()) for a in batch]
    duals = score_articles_both(items, scorer_for(engine))
    return [_scored(article, dual, engine) for article, dual in zip(batch, duals, strict=True)]


def _scored(article: Article, dual: ArticleDual, engine: str) -> ScoredArticle:
    chosen, version = pick(dual, engine)
    both = {d.iso3: d for d in dual.tones}
    tones = tuple(replace(t, engines=_engines(both[t.iso3])) for t in chosen)
    used = "learned" if version == dual.learned_version else "vader"
    return ScoredArticle(
        article=article, doc_tone=dual.doc_tone, tones=tones, scorer_version=version, engine=used
    )


def _engines(dual: DualTone) -> EngineTones:
    learned = dual.learned
    return EngineTones(
        vader_tone=dual.vader.tone,
        vader_label=dual.vader.label,
        learned_tone=learned.tone if learned else None,
        learned_label=learned.label if learned else None,
    )


def with_topics(
    scored: Sequence[ScoredArticle], topics: Sequence[tuple[int, Node]]
) -> list[ScoredArticle]:
    """Return the articles with the ids of the topics whose query they match."""
    if not topics:
        return list(scored)
    matched = []
    for item in scored:
        doc = document(item.article.title, item.article.text, (t.iso3 for t in item.tones))
        ids = tuple(topic_id for topic_id, query in topics if query.matches(doc))
        matched.append(replace(item, topic_ids=ids))
    return matched


def is_relevant(item: ScoredArticle) -> bool:
    """True when the article mentions a country or matches a topic."""
    return bool(item.tones or item.topic_ids)


def for_storage(scored: Sequence[ScoredArticle], keep_unmatched_text: bool) -> list[ScoredArticle]:
    """Return the articles as stored: all are kept (they count in shares), but an article with no
    country and no topic keeps only its title, link and date unless keep_unmatched_text is set."""
    if keep_unmatched_text:
        return list(scored)
    return [
        s if is_relevant(s) else replace(s, article=replace(s.article, text="")) for s in scored
    ]

"""From parsed entries to scored articles: the pure middle of the pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from core.models import Article, ScoredArticle
from core.parse import ParsedFeed, plausible_date
from core.tone import SCORER_VERSION, score_article
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


def score(article: Article) -> ScoredArticle:
    """Return the article with its whole-document tone and its tone toward each country."""
    doc_tone, tones = score_article(article.title, article.text, article.published_at.date())
    return ScoredArticle(
        article=article, doc_tone=doc_tone, tones=tones, scorer_version=SCORER_VERSION
    )


def score_all(articles: Iterable[Article]) -> list[ScoredArticle]:
    """Return every article scored, in order."""
    return [score(a) for a in articles]


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

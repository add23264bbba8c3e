"""From parsed entries to scored articles: the pure middle of the pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from core.models import Article, ScoredArticle
from core.parse import ParsedFeed, plausible_date
from core.tone import SCORER_VERSION, score_article


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


def relevant(scored: Sequence[ScoredArticle]) -> list[ScoredArticle]:
    """Return the articles that mention at least one country (the ones Tonewatch keeps)."""
    return [s for s in scored if s.tones]

"""Scoring a batch of articles on a process pool, one part per worker (imports and rescores)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import partial

from core.ingest import score_all
from core.models import Article, ScoredArticle


def score_on_pool(
    pool: ProcessPoolExecutor, articles: list[Article], workers: int, engine: str
) -> list[ScoredArticle]:
    """score_all over the articles, split into one part per worker; results in input order."""
    size = max(1, -(-len(articles) // max(1, workers)))
    parts = [articles[i : i + size] for i in range(0, len(articles), size)]
    return [s for part in pool.map(partial(score_all, engine=engine), parts) for s in part]

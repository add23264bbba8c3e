"""jobs.parallel: scoring on a process pool gives what scoring in one process gives, in order."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

from core.ingest import score_all
from core.models import Article
from jobs.parallel import PART_SIZE, score_on_pool

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def test_a_pool_scores_like_one_process_in_the_same_order() -> None:
    articles = [
        Article("France praised", "France was praised for great work.", NOW, "Wire"),
        Article("No country", "Nothing happened here.", NOW, "Wire"),
        Article("Chile and Peru", "Chile condemned Peru's deadly raid.", NOW, "Wire"),
    ] * 7
    serial = score_all(articles, "vader")
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert score_on_pool(pool, articles, 2, "vader") == serial
        assert score_on_pool(pool, articles[:1], 3, "vader") == serial[:1]
        assert score_on_pool(pool, [], 2, "vader") == []
        many = articles * 6  # more than two parts of PART_SIZE
        assert len(many) > 2 * PART_SIZE
        assert score_on_pool(pool, many, 2, "vader") == serial * 6
    assert [s.article.title for s in serial] == [a.title for a in articles]
    assert serial[0].tones[0].iso3 == "FRA" and not serial[1].tones

"""Storing scored articles: idempotent; an article lands with all its country rows or not at all."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from core import identity
from core.models import Article, EngineTones, ScoredArticle, ToneScore
from storage.db import Connection, transaction

WINDOW_DAYS = 7  # the same title from the same source within this many days is a duplicate


@dataclass(frozen=True)
class _Keyed:
    scored: ScoredArticle
    url_key: str
    guid_key: str | None
    title_key: str
    group: int = 0  # which batch of insert_article_groups it came in


def _keyed(scored: ScoredArticle, group: int = 0) -> _Keyed:
    a = scored.article
    return _Keyed(
        scored=scored,
        url_key=identity.url_key(a.url, a.guid, a.source, a.title, a.text),
        guid_key=identity.guid_key(a.guid, a.source),
        title_key=identity.title_key(a.title, a.source),
        group=group,
    )


def _unique_within_batch(items: Sequence[_Keyed]) -> list[_Keyed]:
    seen: set[str] = set()
    unique = []
    for item in items:
        keys = {"u" + item.url_key, "t" + item.title_key}
        if item.guid_key:
            keys.add("g" + item.guid_key)
        if keys & seen:
            continue
        seen |= keys
        unique.append(item)
    return unique


def _candidates_table(items: Sequence[_Keyed]) -> pa.Table:
    return pa.table(
        {
            "i": pa.array(range(len(items)), pa.int64()),
            "url_key": [k.url_key for k in items],
            "guid_key": pa.array([k.guid_key for k in items], pa.string()),
            "title_key": [k.title_key for k in items],
            "published_at": pa.array(
                [k.scored.article.published_at for k in items], pa.timestamp("us", tz="UTC")
            ),
        }
    )


def _already_stored(conn: Connection, items: Sequence[_Keyed]) -> set[int]:
    # three plain joins: an EXISTS with ORs over a million articles runs ten times slower
    conn.register("candidates", _candidates_table(items))
    try:
        rows = conn.execute(
            f"""
            SELECT c.i FROM candidates c JOIN articles a ON a.url_key = c.url_key
            UNION
            SELECT c.i FROM candidates c JOIN articles a ON a.guid_key = c.guid_key
            UNION
            SELECT c.i FROM candidates c JOIN articles a ON a.title_key = c.title_key
            WHERE a.published_at BETWEEN c.published_at - INTERVAL {WINDOW_DAYS} DAY
                                     AND c.published_at + INTERVAL {WINDOW_DAYS} DAY
            """
        ).fetchall()
    finally:
        conn.unregister("candidates")
    return {int(r[0]) for r in rows}


def unseen(conn: Connection, articles: Sequence[Article]) -> list[Article]:
    """Return the articles that are not stored yet (each once), so only they need scoring."""
    items = _unique_within_batch([_keyed(ScoredArticle(a, 0.0, (), "")) for a in articles])
    if not items:
        return []
    known = _already_stored(conn, items)
    return [item.scored.article for i, item in enumerate(items) if i not in known]


def evidence_json(tone: ToneScore) -> str:
    """Return a tone's evidence sentences as the JSON text stored in article_tones.evidence."""
    return json.dumps(
        [
            {"text": e.text, "score": round(e.score, 4), "start": e.start, "end": e.end}
            for e in tone.evidence
        ],
        ensure_ascii=False,
    )


def _new_ids(conn: Connection, count: int) -> list[int]:
    rows = conn.execute("SELECT nextval('articles_id_seq') FROM range(?)", [count]).fetchall()
    return [int(r[0]) for r in rows]


def _articles_table(items: Sequence[_Keyed], ids: Sequence[int], fetched_at: datetime) -> pa.Table:
    arts = [k.scored.article for k in items]
    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "url_key": [k.url_key for k in items],
            "guid_key": pa.array([k.guid_key for k in items], pa.string()),
            "title_key": [k.title_key for k in items],
            "feed_id": pa.array([a.feed_id for a in arts], pa.int32()),
            "source": [a.source for a in arts],
            "url": pa.array([a.url for a in arts], pa.string()),
            "guid": pa.array([a.guid for a in arts], pa.string()),
            "title": [a.title for a in arts],
            "text": [a.text for a in arts],
            "published_at": pa.array([a.published_at for a in arts], pa.timestamp("us", tz="UTC")),
            "fetched_at": pa.array([fetched_at] * len(arts), pa.timestamp("us", tz="UTC")),
            "doc_tone": pa.array([k.scored.doc_tone for k in items], pa.float64()),
            "scorer_version": [k.scored.scorer_version for k in items],
            "country_count": pa.array([len(k.scored.tones) for k in items], pa.int32()),
        }
    )


def _topics_table(scored: Sequence[ScoredArticle], ids: Sequence[int]) -> pa.Table:
    pairs = [
        (article_id, topic_id)
        for item, article_id in zip(scored, ids, strict=True)
        for topic_id in dict.fromkeys(item.topic_ids)  # once each: the table has no key
    ]
    return pa.table(
        {
            "article_id": pa.array([p[0] for p in pairs], pa.int64()),
            "topic_id": pa.array([p[1] for p in pairs], pa.int32()),
        }
    )


_TONE_SCHEMA = pa.schema(
    [
        ("article_id", pa.int64()),
        ("iso3", pa.string()),
        ("tone", pa.float64()),
        ("label", pa.string()),
        ("sentences", pa.int32()),
        ("mentions", pa.int32()),
        ("evidence", pa.string()),
        ("scorer_version", pa.string()),
        ("engine", pa.string()),
        ("vader_tone", pa.float64()),
        ("vader_label", pa.string()),
        ("learned_tone", pa.float64()),
        ("learned_label", pa.string()),
        ("disagrees", pa.bool_()),
    ]
)


def _tone_row(item: ScoredArticle, article_id: int, tone: ToneScore) -> tuple[object, ...]:
    both = tone.engines or EngineTones(tone.tone, tone.label)
    return (
        article_id,
        tone.iso3,
        float(tone.tone),
        tone.label,
        tone.sentences,
        tone.mentions,
        evidence_json(tone),
        item.scorer_version,
        item.engine,
        both.vader_tone,
        both.vader_label,
        both.learned_tone,
        both.learned_label,
        both.disagrees,
    )


def _tones_table(scored: Sequence[ScoredArticle], ids: Sequence[int]) -> pa.Table:
    for item in scored:  # the table has no key to refuse a second row for a country
        countries = [tone.iso3 for tone in item.tones]
        if len(set(countries)) < len(countries):
            raise ValueError(f"two tone rows for one country in {item.article.title!r}")
    rows = [
        _tone_row(item, article_id, tone)
        for item, article_id in zip(scored, ids, strict=True)
        for tone in item.tones
    ]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _TONE_SCHEMA]
    arrays = {
        field.name: pa.array(list(values), field.type)
        for field, values in zip(_TONE_SCHEMA, columns, strict=True)
    }
    return pa.table(arrays, schema=_TONE_SCHEMA)


def _add_to_daily_aggregates(conn: Connection) -> None:
    conn.execute(
        """
        INSERT INTO source_daily
        SELECT CAST(published_at AS DATE), source, count(*) FROM new_articles GROUP BY ALL
        ON CONFLICT (day, source) DO UPDATE SET articles = articles + excluded.articles
        """
    )
    conn.execute(
        """
        INSERT INTO country_daily
        SELECT CAST(a.published_at AS DATE), t.iso3, a.source, count(*), sum(t.tone),
               sum(t.tone * t.tone), sum(t.sentences)
        FROM new_tones t JOIN new_articles a ON a.id = t.article_id
        GROUP BY ALL
        ON CONFLICT (day, iso3, source) DO UPDATE SET
            articles = articles + excluded.articles,
            tone_sum = tone_sum + excluded.tone_sum,
            tone_sq_sum = tone_sq_sum + excluded.tone_sq_sum,
            sentences = sentences + excluded.sentences
        """
    )


def insert_articles(
    conn: Connection, scored: Sequence[ScoredArticle], fetched_at: datetime
) -> list[int]:
    """Store the articles not stored before, with their country rows, in one transaction.

    Returns the ids of the articles that were new. An article counts as stored before when its
    normalised URL or its guid is known, or its source has the same normalised title within 7 days.
    """
    return insert_article_groups(conn, [scored], fetched_at)[0]


def insert_article_groups(
    conn: Connection, groups: Sequence[Sequence[ScoredArticle]], fetched_at: datetime
) -> list[list[int]]:
    """insert_articles for several batches (one per feed) in one transaction; return each batch's
    new ids. One duplicate check and one commit for all of them: the fixed cost of a write is
    paid once, so the write lock is held for less time."""
    items = _unique_within_batch(
        [_keyed(s, group) for group, batch in enumerate(groups) for s in batch]
    )
    new_ids: list[list[int]] = [[] for _ in groups]
    if not items:
        return new_ids
    with transaction(conn):
        known = _already_stored(conn, items)
        fresh = [item for i, item in enumerate(items) if i not in known]
        if not fresh:
            return new_ids
        ids = _new_ids(conn, len(fresh))
        conn.register("new_articles", _articles_table(fresh, ids, fetched_at))
        conn.register("new_tones", _tones_table([k.scored for k in fresh], ids))
        conn.register("new_topics", _topics_table([k.scored for k in fresh], ids))
        try:
            conn.execute("INSERT INTO articles BY NAME SELECT * FROM new_articles")
            conn.execute("INSERT INTO article_tones BY NAME SELECT * FROM new_tones")
            conn.execute("INSERT INTO article_topics BY NAME SELECT * FROM new_topics")
            _add_to_daily_aggregates(conn)
        finally:
            for name in ("new_articles", "new_tones", "new_topics"):
                conn.unregister(name)
    for item, article_id in zip(fresh, ids, strict=True):
        new_ids[item.group].append(article_id)
    return new_ids


def replace_tones(conn: Connection, ids: Sequence[int], scored: Sequence[ScoredArticle]) -> None:
    """Replace the country rows, topics and doc tone of stored articles, in one transaction."""
    rescored = pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "doc_tone": pa.array([s.doc_tone for s in scored], pa.float64()),
            "scorer_version": [s.scorer_version for s in scored],
            "country_count": pa.array([len(s.tones) for s in scored], pa.int32()),
        }
    )
    with transaction(conn):
        conn.register("rescored", rescored)
        conn.register("new_tones", _tones_table(scored, ids))
        conn.register("new_topics", _topics_table(scored, ids))
        try:
            for table in ("article_tones", "article_topics"):
                conn.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM rescored)")
            conn.execute("INSERT INTO article_tones BY NAME SELECT * FROM new_tones")
            conn.execute("INSERT INTO article_topics BY NAME SELECT * FROM new_topics")
            conn.execute(
                "UPDATE articles SET doc_tone = r.doc_tone, scorer_version = r.scorer_version,"
                " country_count = r.country_count FROM rescored r WHERE articles.id = r.id"
            )
        finally:
            for name in ("rescored", "new_tones", "new_topics"):
                conn.unregister(name)


def rebuild_daily_aggregates(conn: Connection) -> None:
    """Recompute country_daily and source_daily from the stored rows, in one transaction."""
    with transaction(conn):
        conn.execute("DELETE FROM country_daily")
        conn.execute("DELETE FROM source_daily")
        conn.execute(
            "INSERT INTO source_daily SELECT CAST(published_at AS DATE), source, count(*)"
            " FROM articles GROUP BY ALL"
        )
        conn.execute(
            "INSERT INTO country_daily SELECT CAST(a.published_at AS DATE), t.iso3, a.source,"
            " count(*), sum(t.tone), sum(t.tone * t.tone), sum(t.sentences)"
            " FROM article_tones t JOIN articles a ON a.id = t.article_id GROUP BY ALL"
        )


def continue_article_ids(conn: Connection) -> None:
    """Make the article id sequence continue after the highest stored id (after bulk loads)."""
    row = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()
    start = int(row[0]) if row else 1
    conn.execute(f"CREATE OR REPLACE SEQUENCE articles_id_seq START {start}")

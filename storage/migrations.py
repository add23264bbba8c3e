"""The schema as an append-only list of migrations: never edit a shipped one, add a new one."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: feeds, articles, per-country tone, fetch log, daily aggregates
    """
    CREATE SEQUENCE feeds_id_seq START 1;
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY DEFAULT nextval('feeds_id_seq'),
        url VARCHAR NOT NULL UNIQUE,
        title VARCHAR,
        interval_minutes INTEGER NOT NULL,
        is_enabled BOOLEAN NOT NULL DEFAULT TRUE,
        etag VARCHAR,
        last_modified VARCHAR,
        next_check_at TIMESTAMPTZ NOT NULL,
        last_checked_at TIMESTAMPTZ,
        last_success_at TIMESTAMPTZ,
        error_count INTEGER NOT NULL DEFAULT 0,
        last_error VARCHAR,
        last_error_detail VARCHAR,
        created_at TIMESTAMPTZ NOT NULL
    );
    CREATE SEQUENCE articles_id_seq START 1;
    CREATE TABLE articles (
        id BIGINT PRIMARY KEY,
        url_key VARCHAR NOT NULL UNIQUE,
        guid_key VARCHAR,
        title_key VARCHAR NOT NULL,
        feed_id INTEGER,
        source VARCHAR NOT NULL,
        url VARCHAR,
        guid VARCHAR,
        title VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        published_at TIMESTAMPTZ NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        doc_tone DOUBLE NOT NULL,
        scorer_version VARCHAR NOT NULL
    );
    CREATE INDEX articles_published_idx ON articles (published_at);
    CREATE INDEX articles_guid_idx ON articles (guid_key);
    CREATE INDEX articles_title_idx ON articles (title_key);
    CREATE TABLE article_tones (
        article_id BIGINT NOT NULL,
        iso3 VARCHAR NOT NULL,
        tone DOUBLE NOT NULL,
        label VARCHAR NOT NULL,
        sentences INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        evidence VARCHAR NOT NULL,
        scorer_version VARCHAR NOT NULL,
        PRIMARY KEY (article_id, iso3)
    );
    CREATE TABLE fetch_log (
        fetched_at TIMESTAMPTZ NOT NULL,
        feed_id INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        http_status INTEGER,
        entries INTEGER NOT NULL,
        new_articles INTEGER NOT NULL,
        elapsed_ms INTEGER NOT NULL,
        detail VARCHAR
    );
    CREATE TABLE country_daily (
        day DATE NOT NULL,
        iso3 VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        articles BIGINT NOT NULL,
        tone_sum DOUBLE NOT NULL,
        tone_sq_sum DOUBLE NOT NULL,
        sentences BIGINT NOT NULL,
        PRIMARY KEY (day, iso3, source)
    );
    CREATE TABLE source_daily (
        day DATE NOT NULL,
        source VARCHAR NOT NULL,
        articles BIGINT NOT NULL,
        PRIMARY KEY (day, source)
    );
    """,
    # 2: topics (saved searches), the watch list, alerts; articles without a country are kept as
    # stubs (title, link, date) so that shares have the right denominator
    """
    ALTER TABLE articles ADD COLUMN country_count INTEGER DEFAULT 0;
    UPDATE articles SET country_count = (
        SELECT count(*) FROM article_tones t WHERE t.article_id = articles.id);
    CREATE SEQUENCE topics_id_seq START 1;
    CREATE TABLE topics (
        id INTEGER PRIMARY KEY DEFAULT nextval('topics_id_seq'),
        name VARCHAR NOT NULL UNIQUE,
        query VARCHAR NOT NULL,
        needs_rematch BOOLEAN NOT NULL DEFAULT TRUE,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE article_topics (
        article_id BIGINT NOT NULL,
        topic_id INTEGER NOT NULL,
        PRIMARY KEY (article_id, topic_id)
    );
    CREATE TABLE watchlist (
        iso3 VARCHAR PRIMARY KEY,
        added_at TIMESTAMPTZ NOT NULL
    );
    CREATE SEQUENCE alerts_id_seq START 1;
    CREATE TABLE alerts (
        id BIGINT PRIMARY KEY DEFAULT nextval('alerts_id_seq'),
        kind VARCHAR NOT NULL,
        subject_kind VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        subject_name VARCHAR NOT NULL,
        window_end TIMESTAMPTZ NOT NULL,
        day DATE NOT NULL,
        observed DOUBLE NOT NULL,
        baseline DOUBLE NOT NULL,
        score DOUBLE NOT NULL,
        articles INTEGER NOT NULL,
        message VARCHAR NOT NULL,
        detail VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        delivered_at TIMESTAMPTZ,
        delivery_error VARCHAR,
        UNIQUE (kind, subject_kind, subject, day)
    );
    """,
    # 3: both tone engines side by side: the shown tone is the chosen engine's; VADER's is always
    # kept, the learned engine's when it ran, and a flag where their labels point opposite ways
    """
    ALTER TABLE article_tones ADD COLUMN engine VARCHAR DEFAULT 'vader';
    ALTER TABLE article_tones ADD COLUMN vader_tone DOUBLE;
    ALTER TABLE article_tones ADD COLUMN vader_label VARCHAR;
    ALTER TABLE article_tones ADD COLUMN learned_tone DOUBLE;
    ALTER TABLE article_tones ADD COLUMN learned_label VARCHAR;
    ALTER TABLE article_tones ADD COLUMN disagrees BOOLEAN DEFAULT FALSE;
    UPDATE article_tones SET vader_tone = tone, vader_label = label;
    """,
    # 4: no indexes or keys on the three big tables. DuckDB rewrites every index of a changed
    # table at each checkpoint (0.5-0.9 s on a million articles, held under the write lock the
    # dashboard waits for; 0.04-0.07 s without them) and every reader replays index inserts from
    # the write-ahead log. Queries scan and hash-join instead; storage/articles.py keeps the
    # rules the keys enforced (one row per url_key, per (article, country), per (article, topic)).
    """
    CREATE TABLE articles_v4 (
        id BIGINT NOT NULL,
        url_key VARCHAR NOT NULL,
        guid_key VARCHAR,
        title_key VARCHAR NOT NULL,
        feed_id INTEGER,
        source VARCHAR NOT NULL,
        url VARCHAR,
        guid VARCHAR,
        title VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        published_at TIMESTAMPTZ NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        doc_tone DOUBLE NOT NULL,
        scorer_version VARCHAR NOT NULL,
        country_count INTEGER DEFAULT 0
    );
    INSERT INTO articles_v4 SELECT * FROM articles ORDER BY id;
    DROP TABLE articles;
    ALTER TABLE articles_v4 RENAME TO articles;
    CREATE TABLE article_tones_v4 (
        article_id BIGINT NOT NULL,
        iso3 VARCHAR NOT NULL,
        tone DOUBLE NOT NULL,
        label VARCHAR NOT NULL,
        sentences INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        evidence VARCHAR NOT NULL,
        scorer_version VARCHAR NOT NULL,
        engine VARCHAR DEFAULT 'vader',
        vader_tone DOUBLE,
        vader_label VARCHAR,
        learned_tone DOUBLE,
        learned_label VARCHAR,
        disagrees BOOLEAN DEFAULT FALSE
    );
    INSERT INTO article_tones_v4 SELECT * FROM article_tones ORDER BY article_id, iso3;
    DROP TABLE article_tones;
    ALTER TABLE article_tones_v4 RENAME TO article_tones;
    CREATE TABLE article_topics_v4 (article_id BIGINT NOT NULL, topic_id INTEGER NOT NULL);
    INSERT INTO article_topics_v4 SELECT * FROM article_topics ORDER BY ALL;
    DROP TABLE article_topics;
    ALTER TABLE article_topics_v4 RENAME TO article_topics;
    """,
]

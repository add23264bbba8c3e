"""Read models for the dashboard's charts and tables, each returned as a pandas DataFrame.

Timelines read the pre-aggregated country_daily and source_daily tables, so they stay fast with
millions of articles; only article lists and evidence read the articles tables themselves.
Every date range is inclusive of both ends and in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from storage.db import Connection

GRAINS = ("day", "week", "month")
Z_95 = 1.96
EVIDENCE_TYPE = '[{"text":"VARCHAR","score":"DOUBLE","start":"INTEGER","end":"INTEGER"}]'


@dataclass(frozen=True)
class Scope:
    """What the sidebar selects: an inclusive UTC date range and optional source filter."""

    date_from: date
    date_to: date
    sources: tuple[str, ...] = ()
    topic_id: int | None = None

    @property
    def start(self) -> datetime:
        """Return the first instant of the range (UTC)."""
        return datetime.combine(self.date_from, time(0), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """Return the first instant after the range (UTC)."""
        return datetime.combine(self.date_to + timedelta(days=1), time(0), tzinfo=UTC)


@dataclass(frozen=True)
class Headline:
    """The headline figures of the overview page."""

    articles: int
    countries: int
    sources: int
    feeds: int
    feeds_failing: int
    last_success_at: datetime | None
    last_article_at: datetime | None


@dataclass(frozen=True)
class DatabaseStatus:
    """What the database holds at all: for empty states and the "All data" period."""

    feeds: int
    articles: int
    first_day: date | None
    last_day: date | None
    last_success_at: datetime | None


def _frame(conn: Connection, sql: str, params: list[Any]) -> pd.DataFrame:
    # through Arrow: DuckDB's own .df() trips a pandas deprecation warning on TIMESTAMPTZ columns
    table = conn.execute(sql, params).to_arrow_table()
    frame: pd.DataFrame = table.to_pandas(date_as_object=False)
    return frame


def _source_clause(scope: Scope, column: str = "source") -> tuple[str, list[Any]]:
    if not scope.sources:
        return "", []
    return f" AND list_contains(?, {column})", [list(scope.sources)]


def _daily_tables(scope: Scope) -> tuple[str, str]:
    """Return the (country_daily, source_daily) to read: the tables, or the topic's own counts.

    Narrowed to a topic, every figure, the share's denominator included, counts only that
    topic's articles; those counts come from the article rows (slower than the aggregates).
    """
    if scope.topic_id is None:
        return "country_daily", "source_daily"
    topic = int(scope.topic_id)
    mine = f"JOIN article_topics m ON m.article_id = a.id AND m.topic_id = {topic}"
    country = (
        "(SELECT CAST(a.published_at AS DATE) AS day, t.iso3, a.source, count(*) AS articles,"
        " sum(t.tone) AS tone_sum, sum(t.tone * t.tone) AS tone_sq_sum, sum(t.sentences)"
        f" AS sentences FROM article_tones t JOIN articles a ON a.id = t.article_id {mine}"
        " GROUP BY ALL)"
    )
    source = (
        "(SELECT CAST(a.published_at AS DATE) AS day, a.source, count(*) AS articles"
        f" FROM articles a {mine} GROUP BY ALL)"
    )
    return country, source


def _topic_clause(scope: Scope, id_column: str) -> str:
    """Return SQL keeping only the topic's articles (nothing when no topic is chosen)."""
    if scope.topic_id is None:
        return ""
    return (
        f" AND {id_column} IN (SELECT article_id FROM article_topics"
        f" WHERE topic_id = {int(scope.topic_id)})"
    )


def _tone_columns(prefix: str = "") -> str:
    """SQL for mean tone and a 95% normal interval from articles, tone_sum and tone_sq_sum."""
    n, s, q = f"{prefix}articles", f"{prefix}tone_sum", f"{prefix}tone_sq_sum"
    mean = f"({s} / nullif({n}, 0))"
    var = f"greatest(({q} - {s} * {s} / nullif({n}, 0)) / nullif({n} - 1, 0), 0)"
    half = f"({Z_95} * sqrt({var} / nullif({n}, 0)))"
    return (
        f"{mean} AS tone_mean,"
        f" greatest({mean} - {half}, -1.0) AS tone_low,"
        f" least({mean} + {half}, 1.0) AS tone_high"
    )


def _id_window(scope: Scope, column: str) -> tuple[str, list[Any]]:
    """Return SQL bounding `column` to the ids of articles published in the scope.

    It never drops a row the date filter keeps (every such article's id lies between the min
    and max), but lets DuckDB skip whole row groups of article_tones, because ids come from a
    sequence as articles arrive and so grow with time.
    """
    window = "FROM articles WHERE published_at >= ? AND published_at < ?"
    sql = (
        f" AND {column} BETWEEN (SELECT coalesce(min(id), 0) {window})"
        f" AND (SELECT coalesce(max(id), -1) {window})"
    )
    return sql, [scope.start, scope.end, scope.start, scope.end]


def data_bounds(conn: Connection) -> tuple[date | None, date | None]:
    """Return the first and last day with stored articles, or (None, None) when there are none."""
    row = conn.execute("SELECT min(day), max(day) FROM source_daily").fetchone()
    if row is None:
        return None, None
    return row[0], row[1]


def database_status(conn: Connection) -> DatabaseStatus:
    """Return how many feeds and articles are stored, the days they span, the last success."""
    days = conn.execute(
        "SELECT coalesce(sum(articles), 0), min(day), max(day) FROM source_daily"
    ).fetchone()
    feeds = conn.execute("SELECT count(*), max(last_success_at) FROM feeds").fetchone()
    assert days is not None and feeds is not None
    return DatabaseStatus(int(feeds[0]), int(days[0]), days[1], days[2], feeds[1])


def source_names(conn: Connection) -> list[str]:
    """Return every source with stored articles, by name."""
    rows = conn.execute("SELECT DISTINCT source FROM source_daily ORDER BY source").fetchall()
    return [str(r[0]) for r in rows]


def country_codes(conn: Connection) -> list[str]:
    """Return every country ever mentioned, most covered first."""
    rows = conn.execute(
        "SELECT iso3 FROM country_daily GROUP BY iso3 ORDER BY sum(articles) DESC, iso3"
    ).fetchall()
    return [str(r[0]) for r in rows]


def headline(conn: Connection, scope: Scope) -> Headline:
    """Return the overview's headline figures for the scope."""
    src, src_params = _source_clause(scope)
    country_daily, source_daily = _daily_tables(scope)
    totals = conn.execute(
        f"SELECT coalesce(sum(articles), 0), count(DISTINCT source) FROM {source_daily}"
        f" WHERE day BETWEEN ? AND ?{src}",
        [scope.date_from, scope.date_to, *src_params],
    ).fetchone()
    countries = conn.execute(
        f"SELECT count(DISTINCT iso3) FROM {country_daily} WHERE day BETWEEN ? AND ?{src}",
        [scope.date_from, scope.date_to, *src_params],
    ).fetchone()
    feeds = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE is_enabled AND error_count > 0),"
        " max(last_success_at) FROM feeds"
    ).fetchone()
    last_article = conn.execute("SELECT max(fetched_at) FROM articles").fetchone()
    assert totals and countries and feeds and last_article
    return Headline(
        articles=int(totals[0]),
        countries=int(countries[0]),
        sources=int(totals[1]),
        feeds=int(feeds[0]),
        feeds_failing=int(feeds[1]),
        last_success_at=feeds[2],
        last_article_at=last_article[0],
    )


def top_countries(conn: Connection, scope: Scope, limit: int = 8) -> list[str]:
    """Return the most covered countries in the scope, most covered first."""
    src, src_params = _source_clause(scope)
    country_daily, _ = _daily_tables(scope)
    rows = conn.execute(
        f"SELECT iso3 FROM {country_daily} WHERE day BETWEEN ? AND ?{src}"
        " GROUP BY iso3 ORDER BY sum(articles) DESC, iso3 LIMIT ?",
        [scope.date_from, scope.date_to, *src_params, limit],
    ).fetchall()
    return [str(r[0]) for r in rows]


def country_series(
    conn: Connection, scope: Scope, countries: list[str], grain: str, min_articles: int
) -> pd.DataFrame:
    """Return coverage and tone per period and country, zero-filled, with a 95% tone interval.

    Columns: period, iso3, articles, total, share, sentences, tone_mean, tone_low, tone_high,
    is_reliable (articles >= min_articles). A period is listed when any article was stored in it.
    """
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, got {grain!r}")
    src, src_params = _source_clause(scope)
    country_daily, source_daily = _daily_tables(scope)
    sql = f"""
        WITH totals AS (
            SELECT date_trunc('{grain}', day)::DATE AS period, sum(articles) AS total
            FROM {source_daily} WHERE day BETWEEN ? AND ?{src} GROUP BY 1
        ), agg AS (
            SELECT date_trunc('{grain}', day)::DATE AS period, iso3, sum(articles) AS articles,
                   sum(tone_sum) AS tone_sum, sum(tone_sq_sum) AS tone_sq_sum,
                   sum(sentences) AS sentences
            FROM {country_daily}
            WHERE day BETWEEN ? AND ? AND list_contains(?, iso3){src}
            GROUP BY 1, 2
        ), grid AS (
            SELECT t.period, t.total, c.iso3 FROM totals t CROSS JOIN (SELECT unnest(?) AS iso3) c
        )
        SELECT g.period, g.iso3, coalesce(a.articles, 0)::BIGINT AS articles,
               g.total::BIGINT AS total,
               coalesce(a.articles, 0) / nullif(g.total, 0) AS share,
               coalesce(a.sentences, 0)::BIGINT AS sentences, {_tone_columns("a.")},
               coalesce(a.articles, 0) >= ? AS is_reliable
        FROM grid g LEFT JOIN agg a ON a.period = g.period AND a.iso3 = g.iso3
        ORDER BY g.period, g.iso3
    """
    params = [scope.date_from, scope.date_to, *src_params]
    params += [scope.date_from, scope.date_to, countries, *src_params, countries, min_articles]
    return _frame(conn, sql, params)


def country_totals(
    conn: Connection, scope: Scope, min_articles: int, countries: list[str] | None = None
) -> pd.DataFrame:
    """Return coverage and tone per country over the whole scope (only `countries` if given).

    Columns: iso3, articles, share, sentences, tone_mean, tone_low, tone_high, is_reliable.
    """
    src, src_params = _source_clause(scope)
    only, only_params = ("", []) if not countries else (" AND list_contains(?, iso3)", [countries])
    country_daily, source_daily = _daily_tables(scope)
    sql = f"""
        WITH total AS (
            SELECT sum(articles) AS total FROM {source_daily} WHERE day BETWEEN ? AND ?{src}
        ), agg AS (
            SELECT iso3, sum(articles) AS articles, sum(tone_sum) AS tone_sum,
                   sum(tone_sq_sum) AS tone_sq_sum, sum(sentences) AS sentences
            FROM {country_daily} WHERE day BETWEEN ? AND ?{src}{only} GROUP BY iso3
        )
        SELECT iso3, articles::BIGINT AS articles, articles / nullif(total.total, 0) AS share,
               sentences::BIGINT AS sentences, {_tone_columns()}, articles >= ? AS is_reliable
        FROM agg, total ORDER BY articles DESC, iso3
    """
    params = [scope.date_from, scope.date_to, *src_params]
    params += [scope.date_from, scope.date_to, *src_params, *only_params, min_articles]
    return _frame(conn, sql, params)


def country_sources(conn: Connection, scope: Scope, iso3: str, limit: int = 12) -> pd.DataFrame:
    """Return the sources covering a country most, with their tone toward it.

    Columns: source, articles, source_total, share, sentences, tone_mean, tone_low, tone_high.
    """
    src, src_params = _source_clause(scope)
    country_daily, source_daily = _daily_tables(scope)
    sql = f"""
        WITH agg AS (
            SELECT source, sum(articles) AS articles, sum(tone_sum) AS tone_sum,
                   sum(tone_sq_sum) AS tone_sq_sum, sum(sentences) AS sentences
            FROM {country_daily} WHERE day BETWEEN ? AND ? AND iso3 = ?{src} GROUP BY source
        ), totals AS (
            SELECT source, sum(articles) AS source_total FROM {source_daily}
            WHERE day BETWEEN ? AND ?{src} GROUP BY source
        )
        SELECT agg.source, articles::BIGINT AS articles, source_total::BIGINT AS source_total,
               articles / nullif(source_total, 0) AS share, sentences::BIGINT AS sentences,
               {_tone_columns()}
        FROM agg LEFT JOIN totals USING (source)
        ORDER BY articles DESC, agg.source LIMIT ?
    """
    params = [scope.date_from, scope.date_to, iso3, *src_params]
    params += [scope.date_from, scope.date_to, *src_params, limit]
    return _frame(conn, sql, params)


def co_mentions(conn: Connection, scope: Scope, iso3: str, limit: int = 12) -> pd.DataFrame:
    """Return the countries most often mentioned in the same articles as iso3.

    Columns: iso3, articles (articles naming both), share (of the articles naming iso3).
    """
    src, src_params = _source_clause(scope, "a.source")
    ids_t, ids_t_params = _id_window(scope, "t.article_id")
    ids_o, ids_o_params = _id_window(scope, "o.article_id")
    sql = f"""
        WITH mine AS (
            SELECT t.article_id FROM article_tones t JOIN articles a ON a.id = t.article_id
            WHERE t.iso3 = ? AND a.published_at >= ? AND a.published_at < ?{src}{ids_t}
                  {_topic_clause(scope, "a.id")}
        )
        SELECT o.iso3, count(*)::BIGINT AS articles,
               count(*) / (SELECT nullif(count(*), 0) FROM mine) AS share
        FROM article_tones o JOIN mine m ON o.article_id = m.article_id
        WHERE o.iso3 <> ?{ids_o}
        GROUP BY o.iso3 ORDER BY articles DESC, o.iso3 LIMIT ?
    """
    params = [iso3, scope.start, scope.end, *src_params, *ids_t_params, iso3, *ids_o_params]
    return _frame(conn, sql, [*params, limit])


CANDIDATES_PER_ROW = 40


def extreme_articles(
    conn: Connection, scope: Scope, iso3: str, most_negative: bool, limit: int = 5
) -> pd.DataFrame:
    """Return the articles with the lowest (or highest) tone toward a country.

    Columns: id, published_at, source, title, url, tone, sentences, mentions, evidence (JSON text).
    Fast path: rank the country's tone rows alone, then keep the first that fall in the scope;
    when too few of those candidates do, rank the joined rows instead (same answer, slower).
    """
    pool = limit * CANDIDATES_PER_ROW
    frame = _extremes(conn, scope, iso3, most_negative, limit, pool)
    if len(frame) < limit:
        frame = _extremes(conn, scope, iso3, most_negative, limit, None)
    return frame


def _extremes(
    conn: Connection, scope: Scope, iso3: str, most_negative: bool, limit: int, pool: int | None
) -> pd.DataFrame:
    src, src_params = _source_clause(scope, "source")
    window, window_params = _id_window(scope, "article_id")
    order = "ASC" if most_negative else "DESC"
    cap = "" if pool is None else f"LIMIT {int(pool)}"
    # Rank the tone rows alone, then fetch only those articles (materialised, so DuckDB looks
    # them up by id instead of joining the whole articles table: ten times faster).
    sql = f"""
        WITH t AS MATERIALIZED (
            SELECT article_id, tone, sentences, mentions, evidence FROM article_tones
            WHERE iso3 = ?{window} ORDER BY tone {order}, article_id DESC {cap}
        ), a AS MATERIALIZED (
            SELECT id, published_at, source, title, url FROM articles
            WHERE id IN (SELECT article_id FROM t) AND published_at >= ? AND published_at < ?{src}
                  {_topic_clause(scope, "id")}
        )
        SELECT a.id, a.published_at, a.source, a.title, a.url, t.tone, t.sentences, t.mentions,
               t.evidence
        FROM t JOIN a ON a.id = t.article_id
        ORDER BY t.tone {order}, a.id DESC LIMIT ?
    """
    params = [iso3, *window_params, scope.start, scope.end, *src_params, limit]
    return _frame(conn, sql, params)


def tone_histogram(conn: Connection, scope: Scope, iso3: str, bins: int = 20) -> pd.DataFrame:
    """Return how the article tones toward a country spread over [-1, 1], in equal bins.

    Columns: bin_start, bin_end, articles (every bin listed, empty ones with 0).
    """
    src, src_params = _source_clause(scope, "a.source")
    ids, ids_params = _id_window(scope, "t.article_id")
    width = 2.0 / bins
    sql = f"""
        WITH binned AS (
            SELECT least(floor((t.tone + 1.0) / ?), ? - 1)::INTEGER AS bin
            FROM article_tones t JOIN articles a ON a.id = t.article_id
            WHERE t.iso3 = ? AND a.published_at >= ? AND a.published_at < ?{src}{ids}
                  {_topic_clause(scope, "a.id")}
        ), counts AS (SELECT bin, count(*) AS articles FROM binned GROUP BY bin)
        SELECT -1.0 + b.bin * ? AS bin_start, -1.0 + (b.bin + 1) * ? AS bin_end,
               coalesce(c.articles, 0)::BIGINT AS articles
        FROM (SELECT unnest(range(?)) AS bin) b LEFT JOIN counts c USING (bin)
        ORDER BY b.bin
    """
    params = [width, bins, iso3, scope.start, scope.end, *src_params, *ids_params]
    params += [width, width, bins]
    return _frame(conn, sql, params)


@dataclass(frozen=True)
class ArticleFilter:
    """What the articles table is filtered by, beyond the sidebar scope."""

    text: str = ""
    countries: tuple[str, ...] = ()
    tone_min: float = -1.0
    tone_max: float = 1.0


def _article_where(scope: Scope, filt: ArticleFilter) -> tuple[str, list[Any]]:
    clauses = ["a.published_at >= ?", "a.published_at < ?"]
    params: list[Any] = [scope.start, scope.end]
    if scope.sources:
        clauses.append("list_contains(?, a.source)")
        params.append(list(scope.sources))
    if scope.topic_id is not None:
        clauses.append(_topic_clause(scope, "a.id").removeprefix(" AND "))
    if filt.text.strip():
        # a literal, case-insensitive substring, as an escaped RE2 pattern: no LIKE wildcards,
        # 1.6x faster than contains(lower(...)) and 5x faster than ILIKE on a million texts
        clauses.append("(regexp_matches(a.title, ?, 'i') OR regexp_matches(a.text, ?, 'i'))")
        needle = re.escape(filt.text.strip())
        params += [needle, needle]
    if filt.countries:
        ids, ids_params = _id_window(scope, "article_id")
        clauses.append(  # IN rather than EXISTS: DuckDB plans it three times faster here
            "a.id IN (SELECT article_id FROM article_tones"
            f" WHERE list_contains(?, iso3) AND tone BETWEEN ? AND ?{ids})"
        )
        params += [list(filt.countries), filt.tone_min, filt.tone_max, *ids_params]
    elif filt.tone_min > -1.0 or filt.tone_max < 1.0:
        clauses.append("a.doc_tone BETWEEN ? AND ?")
        params += [filt.tone_min, filt.tone_max]
    return " AND ".join(clauses), params


def search_articles(
    conn: Connection, scope: Scope, filt: ArticleFilter, limit: int, offset: int
) -> tuple[int, pd.DataFrame]:
    """Return how many articles match, and one page of them, newest first, with per-country tone.

    One scan finds the matches for both (a text search reads every text once, not twice).
    Columns: id, published_at, source, title, url, doc_tone, countries ("USA -0.42, CHN +0.10").
    """
    where, params = _article_where(scope, filt)
    sql = f"""
        WITH matched AS MATERIALIZED (
            SELECT a.id, a.published_at FROM articles a WHERE {where}
        ), chosen AS MATERIALIZED (
            SELECT id FROM matched ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?
        ), page AS MATERIALIZED (
            -- the wide columns only for the page's rows, looked up by id
            SELECT id, published_at, source, title, url, doc_tone FROM articles
            WHERE id IN (SELECT id FROM chosen)
        ), tones AS (
            SELECT t.article_id,
                   string_agg(t.iso3 || ' ' || printf('%+.2f', t.tone), ', '
                              ORDER BY t.mentions DESC, t.iso3) AS countries
            FROM article_tones t JOIN page p ON p.id = t.article_id
            WHERE t.article_id BETWEEN (SELECT min(id) FROM page) AND (SELECT max(id) FROM page)
            GROUP BY t.article_id
        )
        -- one row at least, carrying the count, when the page is empty
        SELECT n.total, p.*, coalesce(tones.countries, '') AS countries
        FROM (SELECT count(*) AS total FROM matched) n
        LEFT JOIN page p ON TRUE LEFT JOIN tones ON tones.article_id = p.id
        ORDER BY p.published_at DESC, p.id DESC
    """
    frame = _frame(conn, sql, [*params, limit, offset])
    total = int(frame["total"].iloc[0])
    page = frame[frame["id"].notna()].drop(columns="total").reset_index(drop=True)
    return total, page.astype({"id": "int64"})


def article(conn: Connection, article_id: int) -> pd.DataFrame:
    """Return one article (zero rows when there is none with that id).

    Columns: id, published_at, fetched_at, source, title, url, text, doc_tone.
    """
    sql = (
        "SELECT id, published_at, fetched_at, source, title, url, text, doc_tone"
        " FROM articles WHERE id = ?"
    )
    return _frame(conn, sql, [article_id])


def article_evidence(conn: Connection, article_id: int) -> pd.DataFrame:
    """Return the article's tone toward each country with every evidence sentence.

    Columns: iso3, tone, label, sentences, mentions, engine, vader_tone, learned_tone, disagrees,
    sentence, sentence_score (one row per evidence sentence; a country without evidence has one
    row with empty sentence).
    """
    sql = f"""
        WITH t AS (
            SELECT iso3, tone, label, sentences, mentions, engine, vader_tone, learned_tone,
                   disagrees, from_json(evidence, '{EVIDENCE_TYPE}') AS ev
            FROM article_tones WHERE article_id = ?
        ), flat AS (
            SELECT iso3, tone, label, sentences, mentions, engine, vader_tone, learned_tone,
                   disagrees, unnest(CASE WHEN len(ev) = 0 THEN [NULL] ELSE ev END) AS e
            FROM t
        )
        SELECT iso3, tone, label, sentences, mentions, engine, vader_tone, learned_tone,
               disagrees, coalesce(e.text, '') AS sentence, e.score AS sentence_score
        FROM flat ORDER BY mentions DESC, iso3, abs(e.score) DESC NULLS LAST
    """
    return _frame(conn, sql, [article_id])


@dataclass(frozen=True)
class EngineAgreement:
    """How often the two tone engines point opposite ways, over the rows scored by both."""

    rows: int
    both: int
    disagree: int
    engines: dict[str, int]

    @property
    def rate(self) -> float | None:
        """Share of rows scored by both engines whose labels are negative vs positive."""
        return self.disagree / self.both if self.both else None


def engine_agreement(conn: Connection) -> EngineAgreement:
    """Return how the stored country rows split by engine and how often the engines disagree."""
    totals = conn.execute(
        "SELECT count(*), count(learned_tone), count(*) FILTER (WHERE disagrees) FROM article_tones"
    ).fetchone()
    engines = conn.execute(
        "SELECT coalesce(engine, 'vader'), count(*) FROM article_tones GROUP BY ALL"
    ).fetchall()
    assert totals is not None
    return EngineAgreement(
        int(totals[0]), int(totals[1]), int(totals[2]), {str(e): int(n) for e, n in engines}
    )


def feed_health(conn: Connection, now: datetime) -> pd.DataFrame:
    """Return every feed with its health and how many articles it brought in the last 7 days.

    Columns: id, url, title, is_enabled, interval_minutes, last_checked_at, last_success_at,
    last_error, last_error_detail, error_count, next_check_at, articles_7d.
    """
    sql = """
        WITH recent AS (
            SELECT feed_id, count(*) AS articles_7d FROM articles
            WHERE fetched_at >= ? AND feed_id IS NOT NULL GROUP BY feed_id
        )
        SELECT f.id, f.url, f.title, f.is_enabled, f.interval_minutes, f.last_checked_at,
               f.last_success_at, f.last_error, f.last_error_detail, f.error_count,
               f.next_check_at, coalesce(r.articles_7d, 0)::BIGINT AS articles_7d
        FROM feeds f LEFT JOIN recent r ON r.feed_id = f.id
        ORDER BY f.error_count > 0 DESC, lower(coalesce(f.title, f.url)), f.id
    """
    return _frame(conn, sql, [now - timedelta(days=7)])

"""The rows of the three CSV reports; the CLI and the dashboard both build their CSV from these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from core.reports import REPORT_COLUMNS, ReportRequest
from storage.db import Connection

Rows = list[tuple[Any, ...]]
NameOf = Callable[[str], str]


def _bounds(date_from: date | None, date_to: date | None) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from or date(1900, 1, 1), time(), tzinfo=UTC)
    end = datetime.combine((date_to or date(9000, 1, 1)) + timedelta(days=1), time(), tzinfo=UTC)
    return start, end


def _period(date_from: date | None, date_to: date | None) -> dict[str, object]:
    start, end = _bounds(date_from, date_to)
    return {"start": start, "end": end}


def _country_list(countries: Sequence[str], params: dict[str, object]) -> str:
    """Return `$c0, $c1, ...` for the countries, adding them to params."""
    params |= {f"c{i}": code for i, code in enumerate(countries)}
    return ", ".join(f"$c{i}" for i in range(len(countries)))


def _topic_filter(topic_id: int | None, params: dict[str, object]) -> str:
    if topic_id is None:
        return ""
    params["topic"] = topic_id
    return " AND a.id IN (SELECT article_id FROM article_topics WHERE topic_id = $topic)"


_DAILY_FROM_AGGREGATES = """
    c AS (
        SELECT day, iso3, sum(articles) AS articles, sum(tone_sum) AS tone_sum,
               sum(tone_sq_sum) AS tone_sq_sum, sum(sentences) AS sentences
        FROM country_daily WHERE day >= CAST($start AS DATE) AND day < CAST($end AS DATE)
        GROUP BY day, iso3
    ), t AS (
        SELECT day, sum(articles) AS total FROM source_daily GROUP BY day
    )
"""
# The codes of _DAILY_FROM_AGGREGATES's rows, without summing them (every day in country_daily
# is in source_daily too).
_DAILY_CODES = """
    SELECT DISTINCT iso3 FROM (
        SELECT iso3 FROM country_daily
        WHERE day >= CAST($start AS DATE) AND day < CAST($end AS DATE)
    ) c
"""
# Narrowed to a topic, every count (the share's denominator too) counts only the topic's articles.
_DAILY_FROM_TOPIC = """
    a AS (
        SELECT a.id, CAST(a.published_at AS DATE) AS day FROM articles a
        JOIN article_topics m ON m.article_id = a.id AND m.topic_id = $topic
        WHERE a.published_at >= $start AND a.published_at < $end
    ), c AS (
        SELECT a.day, t.iso3, count(*) AS articles, sum(t.tone) AS tone_sum,
               sum(t.tone * t.tone) AS tone_sq_sum, sum(t.sentences) AS sentences
        FROM a JOIN article_tones t ON t.article_id = a.id GROUP BY ALL
    ), t AS (
        SELECT day, count(*) AS total FROM a GROUP BY day
    )
"""


_NAMES = "names AS (SELECT unnest(CAST($codes AS VARCHAR[])) AS iso3,"
_NAMES += " unnest(CAST($names AS VARCHAR[])) AS name)"


def _names(conn: Connection, codes_sql: str, params: dict[str, object], name_of: NameOf) -> None:
    """Add $codes and $names to params: each code codes_sql returns, and its name (for _NAMES)."""
    codes = [str(row[0]) for row in conn.execute(codes_sql, params).fetchall()]
    params |= {"codes": codes, "names": [name_of(code) for code in codes]}


def _ci_sql(sign: str) -> str:
    """One end of the 95% interval around the mean, kept within [-1, 1]."""
    return (
        f"CASE WHEN half_width IS NOT NULL THEN greatest(-1.0, least(1.0,"
        f" mean_tone {sign} half_width)) END"
    )


Query = tuple[str, dict[str, object]]


def _country_daily_query(conn: Connection, r: ReportRequest, name_of: NameOf) -> Query:
    """Country-daily rows: coverage, share of the day, mean tone and its 95% CI."""
    params = _period(r.date_from, r.date_to)
    if r.topic_id is not None:
        params["topic"] = r.topic_id
    wanted = f" AND c.iso3 IN ({_country_list(r.countries, params)})" if r.countries else ""
    ctes = _DAILY_FROM_AGGREGATES if r.topic_id is None else _DAILY_FROM_TOPIC
    codes = _DAILY_CODES if r.topic_id is None else f"WITH {ctes} SELECT DISTINCT iso3 FROM c"
    _names(conn, f"{codes} WHERE TRUE {wanted}", params, name_of)
    rows_from = f"FROM c JOIN t USING (day) WHERE TRUE {wanted}"
    sql = f"""
        WITH {ctes}, {_NAMES}, r AS (
            SELECT c.day, c.iso3, c.articles, t.total, c.articles / t.total AS share,
                   c.tone_sum / c.articles AS mean_tone,
                   CASE WHEN c.articles > 1 THEN 1.96 * sqrt(greatest(
                       (c.tone_sq_sum - c.tone_sum * c.tone_sum / c.articles) / (c.articles - 1),
                       0) / c.articles) END AS half_width,
                   c.sentences
            {rows_from}
        )
        SELECT r.day, r.iso3, n.name, r.articles, r.total, r.share, r.mean_tone,
               {_ci_sql("-")}, {_ci_sql("+")}, r.sentences
        FROM r LEFT JOIN names n USING (iso3)
        ORDER BY r.day, r.articles DESC, r.iso3
        """
    return sql, params


def _article_query(conn: Connection, r: ReportRequest, name_of: NameOf) -> Query:
    """Article rows: id, url, title, source, date, ;-joined countries and the doc tone."""
    params = _period(r.date_from, r.date_to)
    in_topic = _topic_filter(r.topic_id, params)
    having = ""
    if r.countries:
        having = f" HAVING bool_or(t.iso3 IN ({_country_list(r.countries, params)}))"
    sql = f"""
        SELECT a.id, a.url, a.title, a.source, a.published_at,
               coalesce(string_agg(t.iso3, ';' ORDER BY t.iso3), ''), a.doc_tone
        FROM articles a LEFT JOIN article_tones t ON t.article_id = a.id
        WHERE a.published_at >= $start AND a.published_at < $end {in_topic}
        GROUP BY a.id, a.url, a.title, a.source, a.published_at, a.doc_tone
        {having}
        ORDER BY a.published_at, a.id
        """
    return sql, params


def _mention_query(conn: Connection, r: ReportRequest, name_of: NameOf) -> Query:
    """A row per article and country: tone, label, sentences and the weightiest sentence."""
    params = _period(r.date_from, r.date_to)
    wanted = f" AND t.iso3 IN ({_country_list(r.countries, params)})" if r.countries else ""
    in_topic = _topic_filter(r.topic_id, params)
    joined = "FROM article_tones t JOIN articles a ON a.id = t.article_id"
    where = f"WHERE a.published_at >= $start AND a.published_at < $end {wanted} {in_topic}"
    _names(conn, f"SELECT DISTINCT t.iso3 {joined} {where}", params, name_of)
    sql = f"""
        WITH {_NAMES}
        SELECT a.id, a.url, a.published_at, a.source, t.iso3, n.name, t.tone, t.label,
               t.sentences, coalesce(json_extract_string(t.evidence, '$[0].text'), '')
        {joined} LEFT JOIN names n ON n.iso3 = t.iso3
        {where}
        ORDER BY a.published_at, a.id, t.iso3
        """
    return sql, params


_QUERIES = {
    "country-daily": _country_daily_query,
    "articles": _article_query,
    "mentions": _mention_query,
}


def _query(conn: Connection, request: ReportRequest, name_of: NameOf) -> Query:
    if request.kind not in _QUERIES:
        raise ValueError(
            f"unknown report {request.kind!r}: choose country-daily, articles or mentions"
        )
    return _QUERIES[request.kind](conn, request, name_of)


def report_rows(
    conn: Connection, request: ReportRequest, name_of: NameOf, limit: int | None = None
) -> tuple[tuple[str, ...], Rows]:
    """Return (columns, rows) of the requested report; only the first `limit` rows when given
    (a preview). name_of gives a country's name from its code."""
    sql, params = _query(conn, request, name_of)
    if limit is not None:
        sql, params = f"{sql} LIMIT $limit", params | {"limit": limit}
    return REPORT_COLUMNS[request.kind], conn.execute(sql, params).fetchall()


def report_size(conn: Connection, request: ReportRequest, name_of: NameOf) -> int:
    """How many rows report_rows would return without a limit."""
    sql, params = _query(conn, request, name_of)
    row = conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
    return int(row[0]) if row else 0

"""Build a benchmark database: 1,000,000 articles and 3,000,000 country rows over three years.

Everything is generated inside DuckDB with SQL (deterministic: pseudo-random values come from
hash(id)), then country_daily and source_daily are filled from the rows, exactly as the write
path keeps them. Rows are written in time order, as the jobs process appends them.
Usage: python bench/make_bench_db.py [path] [--articles N]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.config import load_settings  # noqa: E402
from storage.articles import continue_article_ids  # noqa: E402
from storage.db import connect, ensure_database  # noqa: E402

DEFAULT_PATH = ROOT / "data" / "bench.duckdb"
DAYS = 3 * 365
SOURCES = 60
COUNTRIES_PER_ARTICLE = 3

# u(n, salt): a deterministic pseudo-random number in [0, 1) from an integer
U = "((hash({n} * 1000003 + {salt}) % 1000000) / 1000000.0)"


def _u(n: str, salt: int) -> str:
    return U.format(n=n, salt=salt)


def _country_codes() -> list[str]:
    lines = (ROOT / "core" / "gazetteer" / "countries.tsv").read_text("utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()][:150]


def _fill(conn: object, articles: int, end: datetime) -> None:
    codes = _country_codes()
    run = conn.execute  # type: ignore[attr-defined]
    run(
        "CREATE TEMP TABLE codes AS SELECT unnest(?) AS iso3, generate_subscripts(?, 1) - 1 AS k",
        [codes, codes],
    )
    run(
        "INSERT INTO feeds (url, title, interval_minutes, next_check_at, last_success_at,"
        " created_at) SELECT 'https://source' || i || '.example.com/feed.xml', 'Source ' || i,"
        " 30, ?, ?, ? FROM range(?) t(i)",
        [end, end, end, SOURCES],
    )
    run(
        f"""
        INSERT INTO articles (id, url_key, guid_key, title_key, feed_id, source, url, guid, title,
                              text, published_at, fetched_at, doc_tone, scorer_version,
                              country_count)
        SELECT id, 'u' || id, NULL, 't' || id, (id % {SOURCES}) + 1, 'Source ' || (id % {SOURCES}),
               'https://source' || (id % {SOURCES}) || '.example.com/a/' || id, NULL,
               'Article ' || id || ': talks on trade, security and the economy',
               'Officials met on ' || id || '. The talks covered trade and security. '
               || 'Observers praised some steps and criticised others.',
               ?::TIMESTAMPTZ - to_microseconds(((1 - id / ?) * {DAYS} * 86400e6
                   + {_u("id", 1)} * 3600e6)::BIGINT),
               ?::TIMESTAMPTZ, round({_u("id", 2)} * 2 - 1, 3), 'bench-1',
               {COUNTRIES_PER_ARTICLE}
        FROM range(1, ? + 1) t(id)
        """,
        [end, articles, end, articles],
    )
    n = len(codes)
    # three distinct countries per article, the first one Zipf-like so coverage is skewed
    run(
        f"""
        INSERT INTO article_tones (article_id, iso3, tone, label, sentences, mentions, evidence,
                                   scorer_version)
        WITH picks AS (
            SELECT id, j,
                   CASE j WHEN 0 THEN least(floor(pow({_u("id", 3)}, 3) * {n}), {n - 1})::INT
                          ELSE 0 END AS first_k,
                   (1 + ({_u("id", 4 + 0)} * 19)::INT) AS step2,
                   (21 + ({_u("id", 5)} * 19)::INT) AS step3
            FROM range(1, ? + 1) t(id), range({COUNTRIES_PER_ARTICLE}) s(j)
        ), keyed AS (
            SELECT id, j, (least(floor(pow({_u("id", 3)}, 3) * {n}), {n - 1})::INT
                   + CASE j WHEN 0 THEN 0 WHEN 1 THEN step2 ELSE step3 END) % {n} AS k
            FROM picks
        )
        SELECT id, c.iso3, round(greatest(-1, least(1, ({_u("id * 3 + j", 6)} - 0.5) * 1.6
                   + (c.k % 7 - 3) * 0.08)), 4) AS tone,
               'neutral', 1 + (hash(id + j) % 4)::INT, 1 + (hash(id + j + 7) % 3)::INT,
               '[{{"text": "Officials met on ' || id || '.", "score": 0.1, '
               || '"start": 0, "end": 20}}]',
               'bench-1'
        FROM keyed JOIN codes c USING (k) ORDER BY id, c.iso3
        """,
        [articles],
    )
    run(
        "UPDATE article_tones SET label = CASE WHEN tone < -0.05 THEN 'negative'"
        " WHEN tone > 0.05 THEN 'positive' ELSE 'neutral' END"
    )
    run(
        """
        INSERT INTO country_daily (day, iso3, source, articles, tone_sum, tone_sq_sum, sentences)
        SELECT (a.published_at AT TIME ZONE 'UTC')::DATE, t.iso3, a.source, count(*),
               sum(t.tone), sum(t.tone * t.tone), sum(t.sentences)
        FROM article_tones t JOIN articles a ON a.id = t.article_id GROUP BY ALL ORDER BY ALL;
        INSERT INTO source_daily (day, source, articles)
        SELECT (published_at AT TIME ZONE 'UTC')::DATE, source, count(*) FROM articles
        GROUP BY ALL ORDER BY ALL;
        """
    )


def build(path: Path, articles: int) -> dict[str, int]:
    """Create the benchmark database at path (replacing it) and return its table sizes."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    settings = load_settings({}, db=path)
    ensure_database(settings)
    end = datetime.now(UTC).replace(microsecond=0)
    with connect(settings, write=True) as conn:
        _fill(conn, articles, end)
        continue_article_ids(conn)
        conn.execute("CHECKPOINT")
        tables = ("articles", "article_tones", "country_daily", "source_daily", "feeds")
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # type: ignore[index]


def main() -> None:
    """Build the database and print its table sizes and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.monotonic()
    sizes = build(args.path, args.articles)
    elapsed = time.monotonic() - started
    size_mb = args.path.stat().st_size / 1e6
    print(f"built {args.path} in {elapsed:.1f} s ({size_mb:.0f} MB)")
    for table, count in sizes.items():
        print(f"  {table:<14} {count:>10,} rows")


if __name__ == "__main__":
    main()

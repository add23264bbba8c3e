"""Hostile feeds: what each crafted body costs the fetch-parse-score-store path, in time and memory.

Each case is served by a local FeedServer in this process and goes through
jobs.refresh.refresh_feeds in a fresh child process (so the peak RSS is the client's alone),
against a fresh database; a normal real feed gives the baseline. Printed per case: the
outcome reason, articles stored, seconds, and the child's peak RSS (resource.getrusage).

    .venv/bin/python bench/hostile.py [--cases billion_laughs,entries_100k,...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def rss(items: bytes, prolog: bytes = b"") -> bytes:
    """An RSS 2.0 document around the given item elements."""
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + prolog
        + b'<rss version="2.0"><channel><title>Hostile</title><link>http://h.example/</link>'
        + b"<description>x</description>"
        + items
        + b"</channel></rss>\n"
    )


def billion_laughs() -> bytes:
    """Nested internal entities that would expand to 10^9 copies of a string."""
    entities = b'<!ENTITY a "Kenya lol lol lol lol lol lol lol lol lol">'
    for level in range(9):
        name, inner = bytes([ord("b") + level]), bytes([ord("a") + level])
        entities += b"<!ENTITY " + name + b' "' + (b"&" + inner + b";") * 10 + b'">'
    item = b"<item><title>Kenya &j;</title><description>&j;</description>"
    item += b"<link>http://h.example/laughs</link></item>"
    return rss(item, b"<!DOCTYPE rss [" + entities + b"]>\n")


def many_entries(count: int = 100_000) -> bytes:
    """count tiny entries naming a country (about 45 bytes each)."""
    return rss(b"".join(b"<item><title>Kenya story %d</title></item>" % i for i in range(count)))


def huge_title(size: int = 1_000_000) -> bytes:
    """One entry whose title is about size bytes."""
    title = b"Kenya praised again " * (size // 20)
    return rss(b"<item><title>" + title + b"</title><link>http://h.example/t</link></item>")


def invalid_utf8() -> bytes:
    """Declared UTF-8, with bytes that are not UTF-8 in titles and text."""
    return rss(
        b"<item><title>Kenya \xff\xfe wins \xc3</title><description>France \x80\x81 and Peru"
        b"</description><link>http://h.example/u</link></item>"
        b"<item><title>Chile \xed\xa0\x80 surrogate</title><link>http://h.example/v</link></item>"
    )


def nul_bytes() -> bytes:
    """NUL bytes inside titles, text and links."""
    return rss(
        b"<item><title>Kenya \x00 wins</title><description>Peru\x00 and Chile\x00"
        b"</description><link>http://h.example/n\x00ul</link><guid>g\x00</guid></item>"
        b"<item><title>France &#0; escaped</title><link>http://h.example/n2</link></item>"
    )


def extreme_dates() -> bytes:
    """Entries dated in the year 9999 and the year 0001, in RSS and ISO forms."""
    return rss(
        b"<item><title>Kenya far future</title><link>http://h.example/d1</link>"
        b"<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>"
        b"<item><title>Chile long ago</title><link>http://h.example/d2</link>"
        b"<pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item>"
        b'<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>Peru iso dates</title>'
        b"<link>http://h.example/d3</link><dc:date>0001-01-01T00:00:00Z</dc:date></item>"
    )


def no_links() -> bytes:
    """Entries without any link (one with a guid, one with neither)."""
    return rss(
        b"<item><title>Kenya without a link</title><guid isPermaLink='false'>k-1</guid>"
        b"<description>Kenya again.</description></item>"
        b"<item><description>France is named only in the text.</description></item>"
    )


@dataclass(frozen=True)
class Case:
    """A crafted feed: a path on the FeedServer, the body to serve there (None: a built-in
    route), and the outcome reasons that are acceptable."""

    path: str
    body: bytes | None
    reasons: frozenset[str]


def cases() -> dict[str, Case]:
    """Every crafted case by name (bodies are built on each call)."""
    ok = frozenset({"ok"})
    return {
        "billion_laughs": Case("/laughs.xml", billion_laughs(), frozenset({"ok", "parse_error"})),
        "gzip_bomb": Case("/gzip-bomb?mb=200", None, frozenset({"too_large"})),
        "body_100mb": Case("/big?bytes=100000000", None, frozenset({"too_large"})),
        "body_100mb_chunked": Case("/big-chunked?bytes=100000000", None, frozenset({"too_large"})),
        "trickle_1_byte_per_s": Case("/slow?interval=1", None, frozenset({"timeout"})),
        "entries_100k": Case("/many.xml", many_entries(), ok),
        "title_1mb": Case("/title.xml", huge_title(), ok),
        "invalid_utf8": Case("/utf8.xml", invalid_utf8(), ok),
        "nul_bytes": Case("/nul.xml", nul_bytes(), ok),
        "dates_9999_0001": Case("/dates.xml", extreme_dates(), ok),
        "no_links": Case("/nolinks.xml", no_links(), ok),
    }


def _child(name: str, url: str, folder: Path) -> None:
    """In a child process: refresh one feed URL, print JSON with what happened."""
    from core.config import load_settings
    from jobs.refresh import refresh_feeds
    from storage import feeds as feed_store
    from storage.db import connect, ensure_database

    settings = load_settings(
        {},
        db=folder / "h.duckdb",
        data_dir=folder / "data",
        allow_private_networks=True,
        fetch_deadline_seconds=10.0,
    )
    ensure_database(settings)
    with connect(settings, write=True) as conn:
        feed = feed_store.get_feed(conn, feed_store.add_feed(conn, url, name, 30, NOW))
    started = time.monotonic()
    summary = refresh_feeds(settings, [feed], NOW)
    seconds = time.monotonic() - started
    outcome = summary.results[0].outcome
    print(
        json.dumps(
            {
                "reason": outcome.reason,
                "stored": outcome.new_articles,
                "entries": outcome.entries,
                "seconds": round(seconds, 2),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def _measure(name: str, url: str, expected: frozenset[str]) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, __file__, "--child", name, "--url", url, "--folder", tmp],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
    if done.returncode != 0:
        print(f"{name:<22} FAILED: {done.stderr.strip().splitlines()[-1:]}")
        return False
    r = json.loads(done.stdout.strip().splitlines()[-1])
    mark = "" if r["reason"] in expected else f"  (expected {'/'.join(sorted(expected))})"
    print(
        f"{name:<22} {r['reason']:<12} {r['entries']:>7} {r['stored']:>6} "
        f"{r['seconds']:>7.1f} {r['peak_rss_mb']:>6.0f} MB{mark}",
        flush=True,
    )
    return not mark


def main() -> int:
    """Serve every case from this process; refresh each in its own child; print the figures."""
    from tests.support.feed_server import FeedServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.url, args.folder)
        return 0
    chosen = cases()
    if args.cases:
        chosen = {name: chosen[name] for name in args.cases.split(",")}
    failed = 0
    print(
        f"{'case':<22} {'reason':<12} {'entries':>7} {'stored':>6} {'seconds':>7} {'peak RSS':>9}"
    )
    with FeedServer(root=REPO / "jobs" / "demo_feeds") as server:
        failed += not _measure(
            "baseline_real_feed", server.url("/bbc-world-2026.xml"), frozenset({"ok"})
        )
        for name, case in chosen.items():
            if case.body is not None:
                server.set_content(case.path.split("?")[0], case.body)
            failed += not _measure(name, server.url(case.path), case.reasons)
    print(
        "peak RSS is the child's (imports, models, DuckDB and the one feed); the server runs"
        " in this parent process"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

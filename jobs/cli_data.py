"""Commands that move articles and figures: fetch, import, report, alerts, rescore."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from core.countries import country_name
from core.reports import ReportRequest, to_csv
from jobs.alerts import alerts_csv
from jobs.cli_common import (
    UsageError,
    add_command,
    country_codes,
    date_argument,
    now,
    positive_argument,
    write_output,
)
from jobs.importer import import_files
from jobs.refresh import RunSummary, refresh_due_feeds
from jobs.rescore import rescore
from storage import topics as topic_store
from storage.db import Connection, connect
from storage.reports import report_rows


def _print_summary(summary: RunSummary) -> None:
    for result in summary.results:
        o = result.outcome
        status = o.reason if o.is_error else o.status
        print(
            f"feed {result.feed.id:>4}  {status:<18} entries={o.entries:<4} new={o.new_articles:<4}"
            f" {result.feed.url}"
        )
    print(
        f"{len(summary.results)} feeds: {summary.count('ok')} ok, "
        f"{summary.count('not_modified')} not modified, {summary.count('error')} failed; "
        f"{summary.new_articles} new articles in {summary.elapsed_ms / 1000:.1f} s"
    )


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    """One pass over the due feeds (all with --all, or one with --feed), then exit."""
    ids = [args.feed] if args.feed else None
    summary = refresh_due_feeds(settings, now(), include_all=args.all, feed_ids=ids)
    _print_summary(summary)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Backfill articles from plain-text, JSON Lines or CSV files."""
    summary = import_files(settings, args.paths, source=args.source, workers=args.workers)
    for problem in summary.problems[:20]:
        print(f"skipped {problem}", file=sys.stderr)
    if len(summary.problems) > 20:
        print(f"... and {len(summary.problems) - 20} more records skipped", file=sys.stderr)
    print(
        f"{summary.read} articles read: {summary.stored} stored, {summary.duplicates} already "
        f"stored; {summary.without_country} name no country; {len(summary.problems)} skipped"
    )
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write a CSV report to a file or stdout."""
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError("--from must not be after --to")
    countries = tuple(country_codes(args.countries.split(","))) if args.countries else ()
    with connect(settings) as conn:
        topic_id = _topic_id(conn, args.topic) if args.topic else None
        request = ReportRequest(args.kind, args.date_from, args.date_to, countries, topic_id)
        columns, rows = report_rows(conn, request, country_name)
    write_output(to_csv(columns, rows), args.out)
    return 0


def _topic_id(conn: Connection, name: str) -> int:
    for topic in topic_store.list_topics(conn):
        if topic.name == name:
            return topic.id
    raise UsageError(f"there is no topic named {name!r} (see `tonewatch topics`)")


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    """Write every alert as CSV to a file or stdout."""
    write_output(alerts_csv(settings), args.out)
    return 0


def cmd_rescore(args: argparse.Namespace, settings: Settings) -> int:
    """Recompute tone for stored articles with the current scorer."""
    since = datetime.combine(args.since, datetime.min.time(), tzinfo=UTC) if args.since else None
    summary = rescore(settings, since, workers=args.workers)
    print(f"rescored {summary.articles} articles with scorer {summary.scorer_version or '-'}")
    return 0


def register(sub: Any) -> None:
    """Add the commands that move articles and figures."""
    fetch = add_command(sub, "fetch", cmd_fetch, "one pass over the due feeds, then exit")
    fetch.add_argument("--all", action="store_true", help="fetch every enabled feed, due or not")
    fetch.add_argument("--feed", type=int, metavar="ID", help="fetch this feed only")
    imp = add_command(
        sub, "import", cmd_import, "backfill from .txt, .jsonl or .csv files or folders"
    )
    imp.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    imp.add_argument("--source", default="import", help="source name for records without one")
    imp.add_argument("--workers", type=positive_argument, default=2, help="scoring processes")
    report = add_command(sub, "report", cmd_report, "write a CSV report")
    report.add_argument("kind", choices=["country-daily", "articles", "mentions"])
    report.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE")
    report.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE")
    report.add_argument("--countries", metavar="ISO3,...", help="only these countries")
    report.add_argument("--topic", metavar="NAME", help="only the articles of this topic")
    report.add_argument("--out", type=Path, metavar="FILE", help="file to write (default stdout)")
    alerts = add_command(sub, "alerts", cmd_alerts, "every alert as CSV (newest first)")
    alerts.add_argument("--out", type=Path, metavar="FILE", help="file to write (default stdout)")
    resc = add_command(sub, "rescore", cmd_rescore, "recompute tone of stored articles")
    resc.add_argument("--since", type=date_argument, metavar="DATE")
    resc.add_argument("--workers", type=positive_argument, default=2, help="scoring processes")

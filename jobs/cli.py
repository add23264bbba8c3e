"""The `tonewatch` command: run, jobs, dashboard, fetch, feeds, import, report, analyze, demo..."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.config import Settings, describe, load_settings, with_changes
from core.countries import all_countries, country_name
from core.errors import UserFacingError
from core.reports import to_csv
from core.topics import TopicQueryError, parse_query
from jobs import demo, processes
from jobs.alerts import alerts_csv
from jobs.analyze import add_analyze_parser, run_analyze
from jobs.importer import import_files
from jobs.refresh import RunSummary, refresh_due_feeds
from jobs.rescore import rescore
from jobs.scheduler import run_jobs
from jobs.topics_job import rematch_pending_topics
from jobs.watchlist import add_feed, export_opml, import_opml
from storage import feeds as feed_store
from storage import topics as topic_store
from storage.db import Connection, connect, ensure_database
from storage.reports import report_rows

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace, Settings], int]
LONG_RUNNING = ("run", "jobs", "dashboard", "demo")


class UsageError(UserFacingError, ValueError):
    """The command line asks for something we cannot do; the message says what to fix."""


def _now() -> datetime:
    return datetime.now(UTC)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2024-05-31") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


# ---- commands -------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the jobs process and the dashboard together until Ctrl-C."""
    ensure_database(settings)
    print(
        f"Tonewatch: dashboard on http://{settings.dashboard_host}:{settings.dashboard_port}"
        f"  database {settings.db}  (Ctrl-C stops both)",
        flush=True,
    )
    commands = [processes.jobs_command(settings), processes.dashboard_command(settings)]
    return processes.supervise(commands, processes.child_environment(settings))


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """Run the scheduler alone."""
    run_jobs(settings)
    return 0


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the dashboard alone."""
    ensure_database(settings)
    print(
        f"Tonewatch dashboard on http://{settings.dashboard_host}:{settings.dashboard_port}",
        flush=True,
    )
    return processes.supervise(
        [processes.dashboard_command(settings)], processes.child_environment(settings)
    )


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
    summary = refresh_due_feeds(settings, _now(), include_all=args.all, feed_ids=ids)
    _print_summary(summary)
    return 0


def cmd_feeds_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the watched feeds with their health."""
    with connect(settings) as conn:
        feeds = feed_store.list_feeds(conn)
    if not feeds:
        print("No feeds yet. Add one with `tonewatch feeds add URL`, or try `tonewatch demo`.")
        return 0
    print(f"{'id':>4}  {'state':<8} {'every':>6}  {'errors':>6}  {'last error':<14} url / title")
    for f in feeds:
        state = "enabled" if f.is_enabled else "paused"
        print(
            f"{f.id:>4}  {state:<8} {f.interval_minutes:>5}m  {f.error_count:>6}  "
            f"{f.last_error or '-':<14} {f.url}  {f.title or ''}"
        )
    return 0


def cmd_feeds_add(args: argparse.Namespace, settings: Settings) -> int:
    """Watch a new feed."""
    feed_id = add_feed(settings, args.url, args.title, args.every, _now())
    print(f"Added feed {feed_id}: {args.url} (checked at the next tick of the jobs process)")
    return 0


def _feed_change(change: Callable[..., None], message: str) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        with connect(settings, write=True) as conn:
            change(conn, args.id)
        print(message.format(id=args.id))
        return 0

    return handler


def cmd_feeds_import(args: argparse.Namespace, settings: Settings) -> int:
    """Watch every feed listed in an OPML file."""
    result = import_opml(settings, _read_input_file(args.file), _now())
    print(
        f"{result.added} feeds added, {result.existing} already watched, "
        f"{len(result.refused)} refused"
    )
    for url, reason in result.refused:
        print(f"  refused {url}: {reason}", file=sys.stderr)
    return 0


def cmd_feeds_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the watched feeds as OPML to a file or stdout."""
    _write_output(export_opml(settings), args.file)
    return 0


def _read_input_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a file") from None


def _write_output(data: bytes, path: Path | None) -> None:
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    print(f"wrote {path}", file=sys.stderr)


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
    countries = _country_codes(args.countries.split(",")) if args.countries else None
    with connect(settings) as conn:
        topic_id = _topic_id(conn, args.topic) if args.topic else None
        columns, rows = report_rows(
            args.kind, conn, args.date_from, args.date_to, country_name, countries, topic_id
        )
    _write_output(to_csv(columns, rows), args.out)
    return 0


def _topic_id(conn: Connection, name: str) -> int:
    for topic in topic_store.list_topics(conn):
        if topic.name == name:
            return topic.id
    raise UsageError(f"there is no topic named {name!r} (see `tonewatch topics`)")


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    """Write every alert as CSV to a file or stdout."""
    _write_output(alerts_csv(settings), args.out)
    return 0


def cmd_rescore(args: argparse.Namespace, settings: Settings) -> int:
    """Recompute tone for stored articles with the current scorer."""
    since = datetime.combine(args.since, datetime.min.time(), tzinfo=UTC) if args.since else None
    summary = rescore(settings, since, workers=args.workers)
    print(f"rescored {summary.articles} articles with scorer {summary.scorer_version or '-'}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the shipped feed snapshots locally and run jobs and dashboard on a demo database."""
    demo_settings = with_changes(settings, allow_private_networks=True)
    with demo.serve_folder(demo.demo_feeds_folder()) as base_url:
        count = demo.watch_demo_feeds(demo_settings, base_url)
        print(
            f"Tonewatch demo: {count} real feed snapshots served from {base_url}; database "
            f"{demo_settings.db}; dashboard on http://{settings.dashboard_host}:"
            f"{settings.dashboard_port}  (Ctrl-C stops)",
            flush=True,
        )
        env = processes.child_environment(demo_settings, {"TONEWATCH_ALLOW_PRIVATE_NETWORKS": "1"})
        commands = [
            processes.jobs_command(demo_settings),
            processes.dashboard_command(demo_settings),
        ]
        return processes.supervise(commands, env)


def cmd_topics_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the saved topics with how many stored articles match each."""
    with connect(settings) as conn:
        topics = topic_store.list_topics(conn)
        counts = dict(
            conn.execute("SELECT topic_id, count(*) FROM article_topics GROUP BY ALL").fetchall()
        )
    if not topics:
        print("No topics yet. Add one: tonewatch topics add NAME '\"Xi Jinping\" OR Putin'")
    for topic in topics:
        pending = " (matching pending)" if topic.needs_rematch else ""
        print(f"{topic.name}: {topic.query}  [{counts.get(topic.id, 0)} articles{pending}]")
    return 0


def _check_query(query: str) -> None:
    try:
        parse_query(query, {c.iso3 for c in all_countries()})
    except TopicQueryError as exc:
        caret = " " * exc.position + "^"
        raise UsageError(f"the query does not parse: {exc}\n  {query}\n  {caret}") from None


def cmd_topics_save(args: argparse.Namespace, settings: Settings) -> int:
    """Add or edit a topic, then match it against the stored articles."""
    _check_query(args.query)
    with connect(settings, write=True) as conn:
        if args.topics_command == "add":
            topic_store.add_topic(conn, args.name, args.query, _now())
        else:
            topic_store.update_topic(conn, args.name, args.query, _now())
    rematch_pending_topics(settings)
    return cmd_topics_list(args, settings)


def cmd_topics_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Delete a topic (articles stay)."""
    with connect(settings, write=True) as conn:
        topic_store.remove_topic(conn, args.name)
    print(f"Removed topic {args.name!r} (its articles stay)")
    return 0


def _country_codes(values: Sequence[str]) -> list[str]:
    known = {c.iso3 for c in all_countries()}
    codes = [v.strip().upper() for v in values]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"not ISO 3166-1 alpha-3 country codes: {', '.join(unknown)}")
    return codes


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    """Show or change the watch list of countries."""
    action = args.watch_command or "list"
    if action != "list":
        codes = _country_codes(args.codes)
        with connect(settings, write=True) as conn:
            if action == "add":
                topic_store.watch(conn, codes, _now())
            else:
                topic_store.unwatch(conn, codes)
    with connect(settings) as conn:
        watched = topic_store.watched_countries(conn)
    if not watched:
        print("The watch list is empty. Add countries: tonewatch watch add CHN RUS")
    for code in watched:
        print(f"{code}  {country_name(code)}")
    return 0


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    """Print the effective settings."""
    for name, value in describe(settings):
        print(f"{name}={value}")
    return 0


# ---- parser ---------------------------------------------------------------------------------


def _add(sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def _add_feed_commands(sub: Any) -> None:
    feeds = _add(sub, "feeds", cmd_feeds_list, "list and edit the watched feeds")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    _add(fsub, "list", cmd_feeds_list, "list the watched feeds with their health")
    add = _add(fsub, "add", cmd_feeds_add, "watch a feed")
    add.add_argument("url")
    add.add_argument("--title", help="display name (default: the feed's own title)")
    add.add_argument("--every", type=_positive, metavar="MINUTES", help="check interval")
    for name, change, message, help_text in (
        (
            "remove",
            feed_store.remove_feed,
            "Removed feed {id} (its articles stay)",
            "stop watching a feed; its articles stay",
        ),
        (
            "enable",
            lambda c, i: feed_store.set_enabled(c, i, True, _now()),
            "Enabled feed {id}",
            "resume a paused feed",
        ),
        (
            "disable",
            lambda c, i: feed_store.set_enabled(c, i, False, _now()),
            "Paused feed {id}",
            "pause a feed",
        ),
    ):
        action = _add(fsub, name, _feed_change(change, message), help_text)
        action.add_argument("id", type=int)
    imp = _add(fsub, "import-opml", cmd_feeds_import, "watch the feeds of an OPML file")
    imp.add_argument("file", type=Path)
    exp = _add(fsub, "export-opml", cmd_feeds_export, "write the feeds as OPML (stdout by default)")
    exp.add_argument("file", type=Path, nargs="?")


def _add_topic_commands(sub: Any) -> None:
    topics = _add(sub, "topics", cmd_topics_list, "saved searches over title and text")
    tsub = topics.add_subparsers(dest="topics_command", metavar="ACTION")
    _add(tsub, "list", cmd_topics_list, "list the topics and how many articles match")
    for name, help_text in (("add", "save a new topic"), ("edit", "change a topic's query")):
        save = _add(tsub, name, cmd_topics_save, help_text)
        save.add_argument("name")
        save.add_argument("query", help="e.g. '(\"Xi Jinping\" OR Putin) AND sanction* NOT sport*'")
    remove = _add(tsub, "remove", cmd_topics_remove, "delete a topic (articles stay)")
    remove.add_argument("name")
    watch = _add(sub, "watch", cmd_watch, "the countries you follow (pages default to them)")
    wsub = watch.add_subparsers(dest="watch_command", metavar="ACTION")
    _add(wsub, "list", cmd_watch, "list the watched countries")
    for name, help_text in (("add", "follow countries"), ("remove", "stop following countries")):
        action = _add(wsub, name, cmd_watch, help_text)
        action.add_argument("codes", nargs="+", metavar="ISO3")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `tonewatch` command."""
    parser = argparse.ArgumentParser(
        prog="tonewatch", description="Watch how the news talks about countries."
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="DuckDB file (default: $TONEWATCH_DB, "
        "else ./data/tonewatch.duckdb; the demo uses ./data/demo.duckdb)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details (DEBUG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add(sub, "run", cmd_run, "run the jobs and the dashboard together")
    _add(sub, "jobs", cmd_jobs, "run the scheduler alone")
    _add(sub, "dashboard", cmd_dashboard, "serve the dashboard alone (127.0.0.1 by default)")
    fetch = _add(sub, "fetch", cmd_fetch, "one pass over the due feeds, then exit")
    fetch.add_argument("--all", action="store_true", help="fetch every enabled feed, due or not")
    fetch.add_argument("--feed", type=int, metavar="ID", help="fetch this feed only")
    _add_feed_commands(sub)
    imp = _add(sub, "import", cmd_import, "backfill from .txt, .jsonl or .csv files or folders")
    imp.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    imp.add_argument("--source", default="import", help="source name for records without one")
    imp.add_argument("--workers", type=_positive, default=2, help="scoring processes")
    report = _add(sub, "report", cmd_report, "write a CSV report")
    report.add_argument("kind", choices=["country-daily", "articles", "mentions"])
    report.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    report.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    report.add_argument("--countries", metavar="ISO3,...", help="only these countries")
    report.add_argument("--topic", metavar="NAME", help="only the articles of this topic")
    report.add_argument("--out", type=Path, metavar="FILE", help="file to write (default stdout)")
    resc = _add(sub, "rescore", cmd_rescore, "recompute tone of stored articles")
    resc.add_argument("--since", type=_date, metavar="DATE")
    resc.add_argument("--workers", type=_positive, default=2, help="scoring processes")
    _add(sub, "demo", cmd_demo, "offline demo on real feed snapshots (separate database)")
    _add_topic_commands(sub)
    alerts = _add(sub, "alerts", cmd_alerts, "every alert as CSV (newest first)")
    alerts.add_argument("--out", type=Path, metavar="FILE", help="file to write (default stdout)")
    _add(sub, "config", cmd_config, "print the effective settings")
    _add_analyze(sub)
    return parser


def _add_analyze(sub: Any) -> None:
    parser = add_analyze_parser(sub)
    parser.set_defaults(handler=lambda args, settings: run_analyze(args))


def _settings_for(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {"db": args.db}
    if args.command == "demo" and args.db is None:
        overrides["db"] = demo.DEMO_DB
    if args.verbose:
        overrides["log_level"] = "DEBUG"
    elif args.command not in LONG_RUNNING:
        overrides["log_level"] = "WARNING"  # one-shot commands print their own summary
    return load_settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `tonewatch` command; return its exit code. Errors are one sentence, no traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = _settings_for(args)
        logging.basicConfig(
            level=settings.log_level.upper(),
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s %(message)s",
        )
        return int(args.handler(args, settings))
    except UserFacingError as exc:
        print(f"tonewatch: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

"""Commands that say what to watch: feeds, topics and the watch list of countries."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.config import Settings
from core.countries import all_countries, country_name
from core.topics import TopicQueryError, parse_query
from jobs.cli_common import (
    Handler,
    UsageError,
    add_command,
    country_codes,
    now,
    positive_argument,
    read_input_file,
    write_output,
)
from jobs.topics_job import rematch_pending_topics
from jobs.watchlist import add_feed, check_feed, export_opml, import_opml
from storage import feeds as feed_store
from storage import topics as topic_store
from storage.db import connect


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
    feed_id = add_feed(settings, args.url, args.title, args.every, now())
    print(f"Added feed {feed_id}: {args.url} (checked at the next tick of the jobs process)")
    return 0


def cmd_feeds_check(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch a feed once and say what it holds, without watching it."""
    check = check_feed(settings, args.url)
    if args.json:
        print(json.dumps(dataclasses.asdict(check), ensure_ascii=False))
    elif check.is_ok:
        print(f"{check.url}: {check.title or '(untitled)'}, {check.items} items")
    else:
        print(f"tonewatch: {check.url}: {check.message}", file=sys.stderr)
    return 0 if check.is_ok else 1


def _feed_change(change: Callable[..., None], message: str) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        with connect(settings, write=True) as conn:
            change(conn, args.id)
        print(message.format(id=args.id))
        return 0

    return handler


def cmd_feeds_import(args: argparse.Namespace, settings: Settings) -> int:
    """Watch every feed listed in an OPML file."""
    result = import_opml(settings, read_input_file(args.file), now())
    print(
        f"{result.added} feeds added, {result.existing} already watched, "
        f"{len(result.refused)} refused"
    )
    for url, reason in result.refused:
        print(f"  refused {url}: {reason}", file=sys.stderr)
    return 0


def cmd_feeds_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the watched feeds as OPML to a file or stdout."""
    write_output(export_opml(settings), args.file)
    return 0


def cmd_topics_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the saved topics with how many stored articles match each."""
    with connect(settings) as conn:
        topics = topic_store.list_topics(conn)
        counts = topic_store.topic_match_counts(conn)
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
            topic_store.add_topic(conn, args.name, args.query, now())
        else:
            topic_store.update_topic(conn, args.name, args.query, now())
    rematch_pending_topics(settings)
    return cmd_topics_list(args, settings)


def cmd_topics_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Delete a topic (articles stay)."""
    with connect(settings, write=True) as conn:
        topic_store.remove_topic(conn, args.name)
    print(f"Removed topic {args.name!r} (its articles stay)")
    return 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    """Show or change the watch list of countries."""
    action = args.watch_command or "list"
    if action != "list":
        codes = country_codes(args.codes)
        with connect(settings, write=True) as conn:
            if action == "add":
                topic_store.watch(conn, codes, now())
            else:
                topic_store.unwatch(conn, codes)
    with connect(settings) as conn:
        watched = topic_store.watched_countries(conn)
    if not watched:
        print("The watch list is empty. Add countries: tonewatch watch add CHN RUS")
    for code in watched:
        print(f"{code}  {country_name(code)}")
    return 0


def _register_feeds(sub: Any) -> None:
    feeds = add_command(sub, "feeds", cmd_feeds_list, "list and edit the watched feeds")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    add_command(fsub, "list", cmd_feeds_list, "list the watched feeds with their health")
    add = add_command(fsub, "add", cmd_feeds_add, "watch a feed")
    add.add_argument("url")
    add.add_argument("--title", help="display name (default: the feed's own title)")
    add.add_argument("--every", type=positive_argument, metavar="MINUTES", help="check interval")
    for name, change, message, help_text in (
        (
            "remove",
            feed_store.remove_feed,
            "Removed feed {id} (its articles stay)",
            "stop watching a feed; its articles stay",
        ),
        (
            "enable",
            lambda c, i: feed_store.set_enabled(c, i, True, now()),
            "Enabled feed {id}",
            "resume a paused feed",
        ),
        (
            "disable",
            lambda c, i: feed_store.set_enabled(c, i, False, now()),
            "Paused feed {id}",
            "pause a feed",
        ),
    ):
        action = add_command(fsub, name, _feed_change(change, message), help_text)
        action.add_argument("id", type=int)
    check = add_command(fsub, "check", cmd_feeds_check, "fetch a feed once and show what it holds")
    check.add_argument("url")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    imp = add_command(fsub, "import-opml", cmd_feeds_import, "watch the feeds of an OPML file")
    imp.add_argument("file", type=Path)
    exp = add_command(
        fsub, "export-opml", cmd_feeds_export, "write the feeds as OPML (stdout by default)"
    )
    exp.add_argument("file", type=Path, nargs="?")


def _register_topics(sub: Any) -> None:
    topics = add_command(sub, "topics", cmd_topics_list, "saved searches over title and text")
    tsub = topics.add_subparsers(dest="topics_command", metavar="ACTION")
    add_command(tsub, "list", cmd_topics_list, "list the topics and how many articles match")
    for name, help_text in (("add", "save a new topic"), ("edit", "change a topic's query")):
        save = add_command(tsub, name, cmd_topics_save, help_text)
        save.add_argument("name")
        save.add_argument("query", help="e.g. '(\"Xi Jinping\" OR Putin) AND sanction* NOT sport*'")
    remove = add_command(tsub, "remove", cmd_topics_remove, "delete a topic (articles stay)")
    remove.add_argument("name")
    watch = add_command(sub, "watch", cmd_watch, "the countries you follow (pages default to them)")
    wsub = watch.add_subparsers(dest="watch_command", metavar="ACTION")
    add_command(wsub, "list", cmd_watch, "list the watched countries")
    for name, help_text in (("add", "follow countries"), ("remove", "stop following countries")):
        action = add_command(wsub, name, cmd_watch, help_text)
        action.add_argument("codes", nargs="+", metavar="ISO3")


def register(sub: Any) -> None:
    """Add the commands that say what to watch."""
    _register_feeds(sub)
    _register_topics(sub)

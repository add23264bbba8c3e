"""The `tonewatch` command: run, jobs, dashboard, fetch, feeds, import, report, analyze, demo..."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.config import Settings, load_settings
from core.errors import UserFacingError
from jobs import cli_data, cli_run, cli_safety, cli_watch, demo
from jobs.analyze import add_analyze_parser

LONG_RUNNING = ("run", "jobs", "dashboard", "demo")


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
    cli_run.register(sub)
    cli_data.register(sub)
    cli_watch.register(sub)
    cli_safety.register(sub)
    add_analyze_parser(sub)
    return parser


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

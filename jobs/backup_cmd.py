"""`tonewatch backup DIR`, `restore DIR [--force]` and `drop-text --older-than DAYS`: handlers
and their parsers."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from storage.backup import BackupError, Manifest, backup, restore
from storage.db import connect
from storage.retention import drop_old_text


def _summary(manifest: Manifest) -> str:
    rows = manifest.rows
    return (
        f"schema version {manifest.schema_version}, {rows.get('articles', 0)} articles, "
        f"{rows.get('article_tones', 0)} country rows, {rows.get('feeds', 0)} feeds"
    )


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Write a consistent backup of the database into a new or empty folder."""
    try:
        manifest = backup(settings, args.dir)
    except BackupError as exc:
        print(f"tonewatch: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.db} into {args.dir}: {_summary(manifest)}")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore a backup folder into the database (new or empty, or any with --force)."""
    try:
        manifest = restore(settings, args.dir, force=args.force)
    except BackupError as exc:
        print(f"tonewatch: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {args.dir} into {settings.db}: {_summary(manifest)}")
    return 0


def add_backup_parsers(subparsers: Any) -> None:
    """Register `backup DIR` and `restore DIR [--force]`; each sets its handler default."""
    make = subparsers.add_parser(
        "backup", help="copy the database into a folder (Parquet per table, safe while jobs run)"
    )
    make.add_argument("dir", type=Path, metavar="DIR", help="new or empty folder")
    make.set_defaults(handler=cmd_backup)
    back = subparsers.add_parser(
        "restore", help="bring a backup folder back into a new or empty database"
    )
    back.add_argument("dir", type=Path, metavar="DIR", help="a folder written by `backup`")
    back.add_argument("--force", action="store_true", help="replace a database that holds data")
    back.set_defaults(handler=cmd_restore)


def cmd_drop_text(args: argparse.Namespace, settings: Settings) -> int:
    """Empty the body text of articles older than N days; titles, scores and evidence stay."""
    with connect(settings, write=True) as conn:
        emptied = drop_old_text(conn, args.older_than, datetime.now(UTC))
    print(
        f"Dropped the text of {emptied} articles older than {args.older_than} days"
        " (titles, scores and evidence kept)"
    )
    return 0


def _days(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days")
    return int(value)


def add_retention_parser(subparsers: Any) -> None:
    """Register `drop-text --older-than DAYS`; it sets its handler default."""
    drop = subparsers.add_parser(
        "drop-text", help="empty the text of old articles, keeping titles, scores and evidence"
    )
    drop.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    drop.set_defaults(handler=cmd_drop_text)

"""`tonewatch backup DIR` and `tonewatch restore DIR [--force]`: the handlers and their parsers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from core.config import Settings
from storage.backup import BackupError, Manifest, backup, restore


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

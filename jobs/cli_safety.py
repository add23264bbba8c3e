"""Commands that keep the data safe: backup, restore, and dropping old article text."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.config import Settings
from jobs.cli_common import add_command, now, positive_argument
from storage.backup import Manifest, backup, restore
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
    manifest = backup(settings, args.dir)
    print(f"Backed up {settings.db} into {args.dir}: {_summary(manifest)}")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore a backup folder into the database (new or empty, or any with --force)."""
    manifest = restore(settings, args.dir, force=args.force)
    print(f"Restored {args.dir} into {settings.db}: {_summary(manifest)}")
    return 0


def cmd_drop_text(args: argparse.Namespace, settings: Settings) -> int:
    """Empty the body text of articles older than N days; titles, scores and evidence stay."""
    with connect(settings, write=True) as conn:
        emptied = drop_old_text(conn, args.older_than, now())
    print(
        f"Dropped the text of {emptied} articles older than {args.older_than} days"
        " (titles, scores and evidence kept)"
    )
    return 0


def register(sub: Any) -> None:
    """Add the commands that keep the data safe."""
    make = add_command(
        sub,
        "backup",
        cmd_backup,
        "copy the database into a folder (Parquet per table, safe while the jobs run)",
    )
    make.add_argument("dir", type=Path, metavar="DIR", help="new or empty folder")
    back = add_command(sub, "restore", cmd_restore, "bring a backup folder back into a database")
    back.add_argument("dir", type=Path, metavar="DIR", help="a folder written by `backup`")
    back.add_argument("--force", action="store_true", help="replace a database that holds data")
    drop = add_command(
        sub, "drop-text", cmd_drop_text, "empty the text of old articles, keeping their scores"
    )
    drop.add_argument("--older-than", type=positive_argument, required=True, metavar="DAYS")

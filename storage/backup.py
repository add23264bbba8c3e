"""Backup and restore: Parquet per table, schema.sql and manifest.json, taken under the read lock.

A backup holds the shared lock for its whole length, so it is one consistent moment even while the
jobs process runs (its writes wait). A restore builds a new file beside the target, checks it
against the manifest, and only then moves it into place under the exclusive lock.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from core.config import Settings
from core.errors import UserFacingError
from storage import lock
from storage.db import Connection, connect, schema_version

MANIFEST = "manifest.json"
SCHEMA = "schema.sql"
FORMAT_VERSION = 1
_NEXTVAL = re.compile(r"""(\w+)\s+\w+[^,]*?DEFAULT\s+nextval\('(\w+)'\)""", re.IGNORECASE)


class BackupError(UserFacingError, RuntimeError):
    """A backup or restore cannot go ahead; the message is one sentence naming the path."""


@dataclass(frozen=True)
class TableCopy:
    """One table in a backup: its name, row count, Parquet file and CREATE statement."""

    name: str
    rows: int
    file: str
    create_sql: str


@dataclass(frozen=True)
class SequenceCopy:
    """One sequence in a backup: the column it numbers and the next value it must hand out."""

    name: str
    table: str | None
    column: str | None
    next_value: int


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: schema version, tables with row counts, sequences and indexes."""

    format_version: int
    schema_version: int
    created_at: str
    database: str
    tables: list[TableCopy]
    sequences: list[SequenceCopy]
    indexes: list[str]

    @property
    def rows(self) -> dict[str, int]:
        """Row count per table."""
        return {t.name: t.rows for t in self.tables}


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT table_name, sql FROM duckdb_tables()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"
        " ORDER BY table_name"
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def _sequence_owner(name: str, tables: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    for table, sql in tables:
        for column, sequence in _NEXTVAL.findall(sql):
            if sequence == name:
                return table, column
    table_names = {t for t, _ in tables}
    stem = name.removesuffix("_seq")
    table, _, column = stem.rpartition("_")
    if table in table_names:
        return table, column  # convention: <table>_<column>_seq (articles ids are drawn in code)
    return None, None


def _max_value(conn: Connection, source: str, column: str) -> int:
    row = conn.execute(f"SELECT max({_ident(column)}) FROM {source}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _sequences(conn: Connection, tables: list[tuple[str, str]]) -> list[SequenceCopy]:
    rows = conn.execute(
        "SELECT sequence_name, coalesce(last_value, start_value - 1) FROM duckdb_sequences()"
        " WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1"
    ).fetchall()
    result = []
    for name, last in rows:
        table, column = _sequence_owner(str(name), tables)
        # DuckDB's last_value reads one ahead after a reopen; the owner's max(id) is exact.
        after = _max_value(conn, _ident(table), column) if table and column else int(last)
        result.append(SequenceCopy(str(name), table, column, after + 1))
    return result


def _indexes(conn: Connection) -> list[str]:
    rows = conn.execute(
        "SELECT sql FROM duckdb_indexes()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND sql IS NOT NULL"
        " ORDER BY index_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _prepare_backup_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"cannot back up into {folder}: it exists and is not an empty folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {folder}: {exc.strerror}") from exc


def _schema_text(manifest: Manifest) -> str:
    lines = [f"-- Tonewatch backup, schema version {manifest.schema_version}"]
    lines += [f"CREATE SEQUENCE {_ident(s.name)} START {s.next_value};" for s in manifest.sequences]
    lines += [t.create_sql.rstrip(";") + ";" for t in manifest.tables]
    lines += [sql.rstrip(";") + ";" for sql in manifest.indexes]
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _copy_tables(conn: Connection, folder: Path, tables: list[tuple[str, str]]) -> list[TableCopy]:
    copies = []
    for name, sql in tables:
        file = f"{name}.parquet"
        conn.execute(f"COPY {_ident(name)} TO {_quote_path(folder / file)} (FORMAT parquet)")
        rows = conn.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()
        copies.append(TableCopy(name, int(rows[0]) if rows else 0, file, sql))
    return copies


def backup(settings: Settings, folder: Path, now: datetime | None = None) -> Manifest:
    """Write a consistent copy of the database into folder (new or empty); return its manifest."""
    _prepare_backup_folder(folder)
    with connect(settings, write=False) as conn:
        tables = _tables(conn)
        copies = _copy_tables(conn, folder, tables)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            schema_version=schema_version(conn),
            created_at=(now or datetime.now(UTC)).isoformat(),
            database=str(settings.db),
            tables=copies,
            sequences=_sequences(conn, tables),
            indexes=_indexes(conn),
        )
    _write_atomically(folder / SCHEMA, _schema_text(manifest))
    _write_atomically(folder / MANIFEST, json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    """Return a backup folder's manifest; raise BackupError when it is missing or unreadable."""
    path = folder / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(f"{path} has an unknown backup format {data.get('format_version')}")
        return Manifest(
            **{k: v for k, v in data.items() if k not in ("tables", "sequences")},
            tables=[TableCopy(**t) for t in data["tables"]],
            sequences=[SequenceCopy(**s) for s in data["sequences"]],
        )
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a Tonewatch backup: it has no {MANIFEST}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"cannot read the backup manifest {path}: {exc}") from None


def _holds_rows(db: Path) -> bool:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return any(
            (conn.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone() or (0,))[0]
            for name, _ in _tables(conn)
            if name != "schema_version"
        )
    finally:
        conn.close()


def _next_value(conn: Connection, folder: Path, manifest: Manifest, seq: SequenceCopy) -> int:
    files = {t.name: t.file for t in manifest.tables}
    if seq.table is None or seq.column is None or seq.table not in files:
        return seq.next_value
    source = f"read_parquet({_quote_path(folder / files[seq.table])})"
    return _max_value(conn, source, seq.column) + 1


def _load(conn: Connection, folder: Path, manifest: Manifest) -> None:
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute("BEGIN TRANSACTION")
    for seq in manifest.sequences:
        start = _next_value(conn, folder, manifest, seq)
        conn.execute(f"CREATE SEQUENCE {_ident(seq.name)} START {start}")
    for table in manifest.tables:
        conn.execute(table.create_sql)
        source = f"read_parquet({_quote_path(folder / table.file)})"
        conn.execute(f"INSERT INTO {_ident(table.name)} BY NAME SELECT * FROM {source}")
    for sql in manifest.indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    for table in manifest.tables:
        row = conn.execute(f"SELECT count(*) FROM {_ident(table.name)}").fetchone()
        if not row or int(row[0]) != table.rows:
            raise BackupError(
                f"restoring {folder}: table {table.name} has {row[0] if row else 0} rows,"
                f" the manifest says {table.rows}"
            )
    conn.execute("CHECKPOINT")


def _build(target: Path, folder: Path, manifest: Manifest) -> Path:
    building = target.with_name(target.name + ".restoring")
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)
    conn = duckdb.connect(str(building))
    try:
        _load(conn, folder, manifest)
    except (duckdb.Error, BackupError):
        conn.close()
        building.unlink(missing_ok=True)
        raise
    conn.close()
    return building


def restore(settings: Settings, folder: Path, force: bool = False) -> Manifest:
    """Bring a backup back into settings.db, which must be new or empty unless force is given."""
    manifest = read_manifest(folder)
    target = settings.db
    target.parent.mkdir(parents=True, exist_ok=True)
    with lock.hold(target, write=True, timeout_seconds=settings.lock_timeout_seconds):
        if target.exists() and not force and _holds_rows(target):
            raise BackupError(
                f"refusing to restore over {target}: it already holds data (use --force)"
            )
        try:
            building = _build(target, folder, manifest)
        except duckdb.Error as exc:
            raise BackupError(f"cannot restore {folder} into {target}: {exc}") from exc
        # The old file's write-ahead log must not be replayed onto the restored file.
        target.with_name(target.name + ".wal").unlink(missing_ok=True)
        os.replace(building, target)
    return manifest

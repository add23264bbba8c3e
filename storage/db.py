"""Open DuckDB for one unit of work under the cross-process lock, and keep the schema current."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.config import Settings
from core.errors import UserFacingError
from storage import lock
from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)

Connection = duckdb.DuckDBPyConnection
# What a write raises because of the rows it was given (a broken key, a value of the wrong type),
# not because the database cannot be used: the caller may skip those rows and go on.
DATA_ERRORS: tuple[type[Exception], ...] = (
    duckdb.ConstraintException,
    duckdb.ConversionException,
    duckdb.InvalidInputException,
    duckdb.OutOfRangeException,
    ValueError,  # pyarrow's ArrowInvalid and ArrowTypeError building the rows
    TypeError,
)
WAL_CHECKPOINT_SIZE = "1MB"  # about 1,000 feed articles


class StorageError(UserFacingError, RuntimeError):
    """The database cannot be used; the message is one sentence that names the path."""


def _open(path: Path, write: bool) -> Connection:
    try:
        conn = duckdb.connect(str(path), read_only=not write)
    except duckdb.IOException as exc:
        raise StorageError(f"cannot open the database {path}: {_first_line(exc)}") from exc
    conn.execute("SET TimeZone = 'UTC'")
    if write:
        # A checkpoint takes 0.05-0.26 s on a million articles, too long to hold the lock at the
        # end of every small write. Commits stay durable in the write-ahead log, which every
        # reader replays when it opens (about 25 ms more for a 0.5 MB log; 3.7 s for 8 MB while
        # the big tables had indexes), so DuckDB folds the log in once it passes
        # WAL_CHECKPOINT_SIZE, and checkpoint() does after each jobs pass.
        conn.execute("PRAGMA disable_checkpoint_on_shutdown")
        conn.execute(f"SET checkpoint_threshold = '{WAL_CHECKPOINT_SIZE}'")
    return conn


def checkpoint(settings: Settings) -> None:
    """Fold the write-ahead log into the database file (the jobs call it after each pass)."""
    with connect(settings, write=True) as conn:
        conn.execute("CHECKPOINT")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _prepare_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the folder for the database {path}: {exc.strerror}"
        ) from exc


def schema_version(conn: Connection) -> int:
    """Return the schema version of an open database (0 when it has no schema yet)."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(conn: Connection, migrations: list[str] = MIGRATIONS) -> int:
    """Apply every migration newer than the stored version, each in its own transaction; return
    how many were applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    current = schema_version(conn)
    for number, sql in enumerate(migrations, start=1):
        if number <= current:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_version VALUES (?)", [number])
            conn.execute("COMMIT")
        except duckdb.Error:
            conn.execute("ROLLBACK")
            raise
        log.info("migrated schema version=%d", number)
    return max(0, len(migrations) - current)


def ensure_database(settings: Settings) -> None:
    """Create the database file and bring its schema up to date."""
    path = settings.db
    _prepare_folder(path)
    try:
        with lock.hold(path, write=True, timeout_seconds=settings.lock_timeout_seconds):
            conn = _open(path, write=True)
            try:
                if migrate(conn):
                    conn.execute("CHECKPOINT")  # the file alone holds the new schema, no log
            finally:
                conn.close()
    except PermissionError as exc:
        raise StorageError(f"cannot write the database {path}: permission denied") from exc
    except OSError as exc:
        raise StorageError(f"cannot use the database {path}: {exc.strerror or exc}") from exc
    except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as exc:
        raise StorageError(f"cannot write the database {path}: {_first_line(exc)}") from exc


@contextmanager
def connect(settings: Settings, write: bool = False) -> Iterator[Connection]:
    """Yield a DuckDB connection held only for this unit of work, under the file lock.

    Readers share the lock and open read-only; a writer holds it alone. Never keep the
    connection across network I/O: other processes wait for it.
    """
    path = settings.db
    if not path.exists():
        ensure_database(settings)
    try:
        with lock.hold(path, write=write, timeout_seconds=settings.lock_timeout_seconds) as waited:
            started = time.monotonic()
            conn = _open(path, write=write)
            try:
                yield conn
            finally:
                conn.close()
                log.debug(
                    "db unit write=%s wait_ms=%d hold_ms=%d",
                    write,
                    waited * 1000,
                    (time.monotonic() - started) * 1000,
                )
    except PermissionError as exc:
        raise StorageError(f"cannot write the database {path}: permission denied") from exc
    except OSError as exc:
        if not str(exc.filename or "").startswith(str(path)):
            raise
        # e.g. a read-only file system refusing the lock files beside the database
        raise StorageError(f"cannot use the database {path}: {exc.strerror or exc}") from exc
    except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as exc:
        # e.g. the disk filled up: the commit (or a checkpoint) failed; committed units stay in
        # the write-ahead log, and nothing of the failed unit was stored
        raise StorageError(f"cannot write the database {path}: {_first_line(exc)}") from exc


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """Run the block in one transaction: all of it lands, or none of it."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

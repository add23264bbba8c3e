"""A cross-process readers-writer lock on files beside the database, with writer preference."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import UserFacingError


class LockTimeoutError(UserFacingError, TimeoutError):
    """The database stayed busy for longer than the lock timeout."""


def _acquire(fd: int, mode: int, deadline: float) -> None:
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeoutError("the database stayed busy; try again in a moment") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.02)


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


@contextmanager
def hold(db_path: Path, write: bool, timeout_seconds: float) -> Iterator[float]:
    """Hold the lock for db_path (exclusive when write) and yield how long we waited, in seconds.

    Everyone passes a turnstile first. A writer keeps the turnstile while it waits for the readers
    inside to leave, so new readers queue behind it: without that, busy readers starve writers.
    """
    started = time.monotonic()
    deadline = started + timeout_seconds
    turnstile = _open(db_path.with_name(db_path.name + ".turnstile"))
    lock = _open(db_path.with_name(db_path.name + ".lock"))
    try:
        _acquire(turnstile, fcntl.LOCK_EX if write else fcntl.LOCK_SH, deadline)
        try:
            _acquire(lock, fcntl.LOCK_EX if write else fcntl.LOCK_SH, deadline)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield time.monotonic() - started
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        os.close(lock)
        os.close(turnstile)

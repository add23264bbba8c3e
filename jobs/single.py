"""One scheduler per database: a lock file that the kernel releases when its holder dies."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import UserFacingError


class AlreadyRunningError(UserFacingError, RuntimeError):
    """Another jobs process holds the lock for this database."""


@contextmanager
def single_instance(db_path: Path) -> Iterator[None]:
    """Hold the jobs lock for db_path, or raise AlreadyRunningError naming the holder's pid."""
    path = db_path.with_name(db_path.name + ".jobs.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise AlreadyRunningError(
                f"another jobs process (pid {holder}) is already running for {db_path}"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass  # the pid is only shown to a second process; a full disk must not stop the jobs
        yield
    finally:
        os.close(fd)

"""What every `tonewatch` command shares: argument types, registration, files in and out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from core.countries import all_countries
from core.errors import UserFacingError

Handler = Callable[[argparse.Namespace, Settings], int]


class UsageError(UserFacingError, ValueError):
    """The command line asks for something we cannot do; the message says what to fix."""


def now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def date_argument(value: str) -> date:
    """Parse an ISO date argument, or tell argparse what is wrong with it."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2024-05-31") from None


def positive_argument(value: str) -> int:
    """Parse a whole number of at least 1, or tell argparse what is wrong with it."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def add_command(sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    """Register a (sub)command with its handler; return its parser for arguments."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def read_input_file(path: Path) -> bytes:
    """Return a file's bytes; a missing file or a folder is a UsageError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a file") from None


def write_output(data: bytes, path: Path | None) -> None:
    """Write bytes to a file, or to stdout when no path is given."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    print(f"wrote {path}", file=sys.stderr)


def country_codes(values: Sequence[str]) -> list[str]:
    """Return ISO 3166-1 alpha-3 codes, upper-cased; unknown codes are a UsageError."""
    known = {c.iso3 for c in all_countries()}
    codes = [v.strip().upper() for v in values]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"not ISO 3166-1 alpha-3 country codes: {', '.join(unknown)}")
    return codes

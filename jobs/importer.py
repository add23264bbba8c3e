"""Backfill from files: plain-text articles, JSON Lines and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from core.config import Settings
from core.errors import UserFacingError
from core.ingest import for_storage, with_topics
from core.models import Article
from jobs.parallel import score_on_pool
from jobs.progress import Progress
from storage import topics as topic_store
from storage.articles import insert_articles
from storage.db import connect

BATCH_SIZE = 500
IMPORTABLE = (".txt", ".jsonl", ".ndjson", ".csv")  # what a folder is searched for
MAX_FILE_BYTES = 500_000_000
_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$")


class ImportRefusedError(UserFacingError, ValueError):
    """A file or a record cannot be imported; the message names where and why."""


@dataclass
class ImportSummary:
    """What an import did: records read, stored, duplicates, without a country, and problems."""

    read: int = 0
    stored: int = 0
    without_country: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Records that were already stored (or repeated in the input)."""
        return self.read - self.stored


def parse_date(value: str, where: str) -> datetime:
    """Return an ISO date or date-time as an aware UTC datetime; raise ImportRefusedError if not."""
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ImportRefusedError(f"{where}: {value!r} is not a date like 2024-05-31") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_plain_text(text: str, where: str, source: str) -> Article:
    """Return the article of the plain-text form: `date YYYY-MM-DD Section`, title, then body."""
    lines = text.lstrip("\ufeff").splitlines()
    header = _HEADER.match(lines[0]) if lines else None
    if header is None or len(lines) < 2 or not lines[1].strip():
        raise ImportRefusedError(
            f"{where}: expected a first line 'date YYYY-MM-DD Section', then a title line,"
            " then the body"
        )
    return Article(
        title=lines[1].strip(),
        text="\n".join(line.strip() for line in lines[2:] if line.strip()),
        published_at=parse_date(header.group(1), where),
        source=source,
    )


def _record(fields: dict[str, object], where: str, default_source: str) -> Article:
    title = str(fields.get("title") or "").strip()
    text = str(fields.get("text") or "").strip()
    if not title and not text:
        raise ImportRefusedError(f"{where}: needs a title or a text")
    published = str(fields.get("published") or "").strip()
    if not published:
        raise ImportRefusedError(f"{where}: needs a published date")
    url = str(fields.get("url") or "").strip() or None
    return Article(
        title=title or text[:120],
        text=text,
        published_at=parse_date(published, where),
        source=str(fields.get("source") or "").strip() or default_source,
        url=url,
    )


def read_records(path: Path, source: str) -> Iterator[Article | ImportRefusedError]:
    """Yield the articles of one file, or an ImportRefusedError per record that cannot be read."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield _json_line(line, f"{path}:{number}", source)
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        for number, row in enumerate(reader, start=2):
            yield _guarded(lambda r=row, w=f"{path}:{number}": _record(r, w, source))
    else:
        yield _guarded(lambda: read_plain_text(text, str(path), source))


def _json_line(line: str, where: str, source: str) -> Article | ImportRefusedError:
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as exc:
        return ImportRefusedError(f"{where}: not valid JSON ({exc.msg})")
    if not isinstance(fields, dict):
        return ImportRefusedError(f"{where}: expected a JSON object")
    return _guarded(lambda: _record(fields, where, source))


def _guarded(read: object) -> Article | ImportRefusedError:
    try:
        return read()  # type: ignore[operator, no-any-return]
    except ImportRefusedError as exc:
        return exc


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Return the files named, folders expanded to the files inside; refuse missing ones."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            raise ImportRefusedError(f"{path}: no such file or folder")
    for file in files:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ImportRefusedError(f"{file}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return files


def _batches(
    files: Sequence[Path], source: str, summary: ImportSummary, progress: Progress
) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for file in files:
        for item in read_records(file, source):
            if isinstance(item, ImportRefusedError):
                summary.problems.append(str(item))
                continue
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = []
        progress.advance()
    if batch:
        yield batch


def import_files(
    settings: Settings,
    paths: Sequence[Path],
    source: str = "import",
    workers: int = 2,
    now: datetime | None = None,
) -> ImportSummary:
    """Score and store the articles in the files, using several processes; return what happened."""
    files = expand_paths(paths)
    summary = ImportSummary()
    progress = Progress("importing files", total=len(files))
    fetched_at = now or datetime.now(UTC)
    with connect(settings) as conn:
        topics = topic_store.compiled_topics(conn)
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for batch in _batches(files, source, summary, progress):
            scored = with_topics(score_on_pool(pool, batch, workers, settings.tone_engine), topics)
            summary.read += len(batch)
            summary.without_country += sum(1 for s in scored if not s.tones)
            kept = for_storage(scored, settings.keep_unmatched_text)
            with connect(settings, write=True) as conn:
                summary.stored += len(insert_articles(conn, kept, fetched_at))
    progress.close()
    return summary

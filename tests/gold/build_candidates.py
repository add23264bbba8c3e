"""Extract candidate sentences from the real feed fixtures and assemble the gold file.

Two modes, neither of which decides a label:
- ``extract FEED_DIR OUT_DIR``: write every title / description sentence of the English feeds,
  one ``id<TAB>published<TAB>text`` line each, to ``OUT_DIR/<feed>.tsv``.
- ``assemble CANDIDATE_DIR LABELS OUT``: read hand-written labels and turn the surface strings
  the labeller named into ``[start, end)`` offsets.

Label file lines (written by hand, one per sentence)::

    ID | ISO3:tone:surface;surface | ISO3:tone:surface | note: free text
    ID | TRAP | note: free text
    ID | NONE

``tone`` is neg, neu or pos. A surface matches every word-bounded occurrence, ``surface#2``
only the second one. A constructed sentence is written ``constructed:ID<TAB>date<TAB>text``.
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from pathlib import Path

import feedparser

ENGLISH_FEEDS = (
    "bbc-world",
    "aljazeera",
    "nytimes-world",
    "npr",
    "wsj",
    "cbsnews",
    "dw-english",
    "time-world",
    "washingtonpost",
    "abcnews",
    "dawn",
    "foreignpolicy",
    "allafrica",
    "elpais-english",
    "economist-asia",
    "japantoday",
    "ndtv",
    "reuters",
    "nytimes-homepage",
    "moscowtimes",
    "indianexpress",
    "mirror",
    "guardian-us",
    "tpm",
    "livemint",
    "kottke",
)
TONES = {"neg": "negative", "neu": "neutral", "pos": "positive"}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_ABBREVIATIONS = (
    "U.S.",
    "U.K.",
    "U.N.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "St.",
    "Gov.",
    "Sen.",
    "Rep.",
    "Gen.",
    "Lt.",
    "Col.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "No.",
    "Jr.",
    "Sr.",
    "vs.",
    "D.C.",
    "E.U.",
)


def clean_text(raw: str) -> str:
    """Return raw feed text without HTML tags, entities or repeated whitespace."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", raw))).strip()


def split_sentences(text: str) -> list[str]:
    """Return the sentences of a cleaned paragraph (a simple rule-based split)."""
    pieces = _SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s.strip() for s in sentences if len(s.strip()) > 1]


def _entry_date(entry: feedparser.FeedParserDict) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", stamp) if stamp else ""


def feed_sentences(path: Path) -> list[tuple[str, str, str]]:
    """Return (id, published, text) for each title and description sentence of a feed file."""
    stem = path.stem
    rows: list[tuple[str, str, str]] = []
    for number, entry in enumerate(feedparser.parse(path.read_bytes()).entries):
        date = _entry_date(entry)
        title = clean_text(entry.get("title", ""))
        if title:
            rows.append((f"{stem}#{number}.0", date, title))
        summary = clean_text(entry.get("summary", ""))
        for index, sentence in enumerate(split_sentences(summary), start=1):
            rows.append((f"{stem}#{number}.{index}", date, sentence))
    return rows


def extract(feed_dir: Path, out_dir: Path) -> None:
    """Write the candidate sentences of every English feed to OUT_DIR."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(feed_dir.glob("*.xml")):
        if not path.stem.startswith(ENGLISH_FEEDS):
            continue
        lines = [f"{i}\t{d}\t{t}" for i, d, t in feed_sentences(path)]
        (out_dir / f"{path.stem}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_candidates(cand_dir: Path) -> dict[str, tuple[str, str]]:
    """Return id -> (published, text) for every extracted candidate."""
    table: dict[str, tuple[str, str]] = {}
    for path in sorted(cand_dir.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            ident, date, text = line.split("\t", 2)
            table[ident] = (date, text)
    return table


def surface_spans(text: str, surface: str) -> list[list[int]]:
    """Return the offsets of the word-bounded occurrences of the named surface in text."""
    wanted = 0
    if re.search(r"#\d+$", surface):
        surface, nth = surface.rsplit("#", 1)
        wanted = int(nth)
    pattern = re.compile(r"(?<![\w])" + re.escape(surface) + r"(?![\w])")
    found = [[m.start(), m.end()] for m in pattern.finditer(text)]
    if wanted:
        found = found[wanted - 1 : wanted]
    if not found:
        raise ValueError(f"surface {surface!r} not in {text!r}")
    return found


def _country(field: str, text: str) -> dict[str, object]:
    iso3, tone, surfaces = field.split(":", 2)
    spans = [span for s in surfaces.split(";") for span in surface_spans(text, s.strip())]
    return {"iso3": iso3.strip(), "spans": sorted(spans), "tone": TONES[tone.strip()]}


def assemble_line(line: str, candidates: dict[str, tuple[str, str]]) -> dict[str, object]:
    """Return the gold record for one hand-written label line."""
    fields = [f.strip() for f in line.split(" | ")]
    ident, rest = fields[0], fields[1:]
    note = ""
    if rest and rest[-1].startswith("note:"):
        note = rest.pop()[5:].strip()
    date, text = candidates[ident]
    source = "constructed" if ident.startswith("constructed") else ident.split("#")[0] + ".xml"
    is_trap = rest == ["TRAP"]
    countries = [] if rest in (["TRAP"], ["NONE"]) else [_country(f, text) for f in rest]
    record: dict[str, object] = {
        "id": ident,
        "source": source,
        "published": date,
        "text": text,
        "countries": countries,
        "trap": is_trap,
    }
    if note:
        record["note"] = note
    return record


def assemble(cand_dir: Path, labels: Path, out: Path) -> None:
    """Write the gold JSONL built from the label file."""
    candidates = load_candidates(cand_dir)
    records = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.startswith("constructed:"):
            ident, date, text = line.split("\t", 2)
            candidates[ident.removeprefix("constructed:")] = (date, text)
        elif line.strip() and not line.startswith("#"):
            records.append(assemble_line(line, candidates))
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    out.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "extract":
        extract(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        assemble(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))

"""Extract candidate sentences for the convention training set and assemble the labelled file.

Two modes, neither of which decides a tone:
- ``extract FEED_DIR GOLD OUT_DIR``: write every sentence of the titles, descriptions and full
  content of the English feeds that is not in the gold test set, one
  ``id<TAB>published<TAB>text`` line each, to ``OUT_DIR/<feed>.tsv``. Sentences in which the
  country matcher finds a mention are marked with its guesses (``ISO3=surface``) after a
  fourth tab, only to help the reader find mentions; the reader decides every label.
- ``assemble CANDIDATE_DIR LABELS OUT``: turn hand-written label lines into JSONL records.
- ``stats JSONL``: print the counts quoted in README.md (per tone, role, source, country).

Label lines (written by hand, one per sentence)::

    ID | ISO3:tone:role:surface | ISO3:tone:role:surface#2

``tone`` is neg, neu or pos; ``role`` is one of ROLES; ``surface#n`` takes the n-th
word-bounded occurrence of the surface (the first by default).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser

from core.countries import find_mentions
from core.html import html_to_text
from core.sentences import split_sentences

ENGLISH_FEEDS = (
    "abcnews", "aljazeera", "allafrica", "bbc-world", "cbsnews", "dawn", "dw-english",
    "economist-asia", "elpais-english", "foreignpolicy", "guardian-us", "indianexpress",
    "japantoday", "kottke", "livemint", "mirror", "moscowtimes", "ndtv", "npr", "nytimes",
    "reuters", "time-world", "tpm", "washingtonpost", "wsj",
)  # fmt: skip
TONES = {"neg": "negative", "neu": "neutral", "pos": "positive"}
ROLES = ("victim", "aggressor", "criticised", "praised", "actor", "location", "other")


def normalise(text: str) -> str:
    """Return text folded for overlap checks: NFKC, lower case, single spaces, plain quotes."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(folded.split())


def _entry_date(entry: Any) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", stamp) if stamp else ""


def _entry_parts(entry: Any) -> list[str]:
    """Title, description and full content of an entry as plain text, without repeats."""
    parts = [entry.get("title", ""), entry.get("summary", "")]
    parts += [c.get("value", "") for c in entry.get("content", [])]
    texts = [html_to_text(p) for p in parts if p]
    return [t for i, t in enumerate(texts) if t and t not in texts[:i]]


def entry_sentences(stem: str, number: int, entry: Any) -> list[tuple[str, str, str]]:
    """Return (id, published, sentence) for every sentence of one entry."""
    date = _entry_date(entry)
    rows: list[tuple[str, str, str]] = []
    for part_no, text in enumerate(_entry_parts(entry)):
        for index, (start, end) in enumerate(split_sentences(text)):
            rows.append((f"{stem}#{number}.{part_no}.{index}", date, text[start:end]))
    return rows


def _hints(text: str, date: str) -> str:
    day = dt.date.fromisoformat(date) if date else None
    return " ".join(f"{m.iso3}={m.surface}" for m in find_mentions(text, day))


def extract(feed_dir: Path, gold: Path, out_dir: Path) -> None:
    """Write the non-gold candidate sentences of every English feed to OUT_DIR."""
    lines = gold.read_text(encoding="utf-8").splitlines()
    excluded = {normalise(json.loads(line)["text"]) for line in lines if line.strip()}
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(feed_dir.glob("*.xml")):
        if not path.stem.startswith(ENGLISH_FEEDS):
            continue
        rows, seen = [], set(excluded)
        for number, entry in enumerate(feedparser.parse(path.read_bytes()).entries):
            for ident, date, text in entry_sentences(path.stem, number, entry):
                if normalise(text) in seen or "\t" in text:
                    continue
                seen.add(normalise(text))
                rows.append(f"{ident}\t{date}\t{text}\t{_hints(text, date)}")
        (out_dir / f"{path.stem}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def surface_span(text: str, surface: str) -> tuple[int, int]:
    """Return the offsets of the n-th (default first) word-bounded occurrence of surface."""
    nth = 1
    if re.search(r"#\d+$", surface):
        surface, number = surface.rsplit("#", 1)
        nth = int(number)
    pattern = re.compile(r"(?<![\w])" + re.escape(surface) + r"(?![\w])")
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if len(found) < nth:
        raise ValueError(f"surface {surface!r} #{nth} not in {text!r}")
    return found[nth - 1]


def _target(field: str, text: str) -> dict[str, Any]:
    iso3, tone, role, surface = (f.strip() for f in field.split(":", 3))
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} in {field!r}")
    start, end = surface_span(text, surface)
    return {"iso3": iso3, "from": start, "to": end, "mention": text[start:end],
            "tone": TONES[tone], "role": role}  # fmt: skip


def assemble_line(line: str, candidates: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """Return the training record for one hand-written label line."""
    ident, *fields = (f.strip() for f in line.split(" | "))
    date, text = candidates[ident]
    targets = [_target(f, text) for f in fields]
    codes = [t["iso3"] for t in targets]
    if len(set(codes)) != len(codes):
        raise ValueError(f"two targets for one country in {ident}")
    source = ident.split("#")[0] + ".xml"
    return {"id": ident, "source": source, "published": date, "text": text, "targets": targets}


def load_candidates(cand_dir: Path) -> dict[str, tuple[str, str]]:
    """Return id -> (published, text) for every extracted candidate."""
    table: dict[str, tuple[str, str]] = {}
    for path in sorted(cand_dir.glob("*.tsv")):
        for line in filter(None, path.read_text(encoding="utf-8").splitlines()):
            ident, date, text, _ = line.split("\t", 3)
            table[ident] = (date, text)
    return table


def assemble(cand_dir: Path, labels: Path, out: Path) -> None:
    """Write the training JSONL built from the label file."""
    candidates = load_candidates(cand_dir)
    records = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            records.append(assemble_line(line, candidates))
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    out.write_text(body, encoding="utf-8")


def _table(title: str, counts: Counter[str]) -> str:
    rows = [f"| {key} | {count} |" for key, count in counts.most_common()]
    return "\n".join([f"| {title} | mentions |", "|---|---|", *rows])


def summarise(path: Path) -> str:
    """Return Markdown tables of the mentions per tone, role, tone x role, source and country."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(r, t) for r in records for t in r["targets"]]
    tables = [
        f"{len(records)} sentences, {len(pairs)} mentions, "
        f"{len({t['iso3'] for _, t in pairs})} countries",
        _table("tone", Counter(t["tone"] for _, t in pairs)),
        _table("role", Counter(t["role"] for _, t in pairs)),
        _table("role / tone", Counter(f"{t['role']} / {t['tone']}" for _, t in pairs)),
        _table("source", Counter(r["source"] for r, _ in pairs)),
        _table("country", Counter(t["iso3"] for _, t in pairs)),
    ]
    return "\n\n".join(tables)


if __name__ == "__main__":
    if sys.argv[1] == "extract":
        extract(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    elif sys.argv[1] == "stats":
        print(summarise(Path(sys.argv[2])))
    else:
        assemble(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))

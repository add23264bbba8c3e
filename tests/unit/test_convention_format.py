"""The convention training set (bench/data/convention/country_mentions.jsonl) is well formed.

It is training data for a learned tone engine, so it must never share a sentence with the
country gold set (tests/gold/country_sentences.jsonl), which stays the test set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "bench" / "data" / "convention" / "country_mentions.jsonl"
GOLD = ROOT / "tests" / "gold" / "country_sentences.jsonl"
TONES = {"negative", "neutral", "positive"}
ROLE_TONES = {
    "victim": "negative",
    "aggressor": "negative",
    "criticised": "negative",
    "praised": "positive",
    "actor": "neutral",
    "location": "neutral",
    "other": "neutral",
}
ROLES = set(ROLE_TONES)
EXTRA_CODES = {"XKX"}  # Kosovo is tracked although ISO 3166-1 has no code for it
RECORD_KEYS = {"id", "source", "published", "text", "targets"}
TARGET_KEYS = {"iso3", "from", "to", "mention", "tone", "role"}
ID_PATTERN = re.compile(r"^(?P<feed>[a-z0-9-]+)#\d+(\.\d+)+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSSESSIVE = re.compile(r"['\u2019]s?$")
MIN_TARGETS = 600


def normalise(text: str) -> str:
    """Return text folded for the overlap check: NFKC, lower case, plain quotes, single spaces."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(folded.split())


def load_records(path: Path) -> list[dict[str, Any]]:
    """Return the JSON objects of a JSONL file, one per non-empty line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def target_problems(text: str, target: dict[str, Any]) -> list[str]:
    """Return what is wrong with one target of a sentence (empty when nothing is)."""
    if set(target) != TARGET_KEYS:
        return [f"target keys {sorted(target)} != {sorted(TARGET_KEYS)}"]
    problems = []
    code = target["iso3"]
    if code not in EXTRA_CODES and pycountry.countries.get(alpha_3=code) is None:
        problems.append(f"unknown country code {code!r}")
    if target["tone"] not in TONES:
        problems.append(f"tone {target['tone']!r} not in {sorted(TONES)}")
    if target["role"] not in ROLES:
        problems.append(f"role {target['role']!r} not in {sorted(ROLES)}")
    start, end = target["from"], target["to"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return [*problems, f"span [{start}, {end}) outside the text"]
    surface = text[start:end]
    if surface != target["mention"]:
        problems.append(f"text[{start}:{end}] is {surface!r}, not {target['mention']!r}")
    if surface != surface.strip() or POSSESSIVE.search(surface):
        problems.append(f"mention {surface!r} has whitespace or a possessive ending")
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        problems.append(f"mention {surface!r} cuts through a word")
    return problems


def record_problems(record: dict[str, Any]) -> list[str]:
    """Return what is wrong with one training record (empty when nothing is)."""
    if set(record) != RECORD_KEYS:
        return [f"keys {sorted(record)} != {sorted(RECORD_KEYS)}"]
    problems = []
    match = ID_PATTERN.match(record["id"])
    if not match or record["source"] != f"{match.group('feed')}.xml":
        problems.append(f"id {record['id']!r} does not name its source {record['source']!r}")
    if not DATE_PATTERN.match(record["published"]):
        problems.append(f"published {record['published']!r} is not YYYY-MM-DD")
    targets = record["targets"]
    if not targets:
        problems.append("no targets")
    codes = [t.get("iso3") for t in targets]
    if len(set(codes)) != len(codes):
        problems.append(f"more than one target for a country: {codes}")
    for target in targets:
        problems.extend(target_problems(record["text"], target))
    return problems


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    """The training records."""
    return load_records(TRAINING)


def test_every_record_is_well_formed(records: list[dict[str, Any]]) -> None:
    problems = {r.get("id", "?"): p for r in records if (p := record_problems(r))}
    assert problems == {}


def test_ids_are_unique(records: list[dict[str, Any]]) -> None:
    counts = Counter(r["id"] for r in records)
    assert [ident for ident, n in counts.items() if n > 1] == []


def test_no_sentence_repeats(records: list[dict[str, Any]]) -> None:
    counts = Counter(normalise(r["text"]) for r in records)
    assert [text for text, n in counts.items() if n > 1] == []


def test_no_sentence_of_the_gold_test_set_is_used_for_training(
    records: list[dict[str, Any]],
) -> None:
    gold = {normalise(r["text"]) for r in load_records(GOLD)}
    assert [r["id"] for r in records if normalise(r["text"]) in gold] == []


def test_the_set_is_big_and_covers_every_tone_and_role(records: list[dict[str, Any]]) -> None:
    targets = [t for r in records for t in r["targets"]]
    assert len(targets) >= MIN_TARGETS
    assert {t["tone"] for t in targets} == TONES
    assert {t["role"] for t in targets} == ROLES


def test_each_role_carries_the_tone_the_convention_gives_it(
    records: list[dict[str, Any]],
) -> None:
    wrong = [
        (r["id"], t["iso3"], t["role"], t["tone"])
        for r in records
        for t in r["targets"]
        if ROLE_TONES.get(t["role"]) != t["tone"]
    ]
    assert wrong == []


def test_victims_of_events_are_well_represented(records: list[dict[str, Any]]) -> None:
    roles = Counter(t["role"] for r in records for t in r["targets"])
    assert roles["victim"] >= 150
    assert roles["praised"] >= 100


def test_the_checks_catch_a_bad_span_and_a_gold_sentence() -> None:
    text = "Russia's war in Ukraine"
    bad = {"iso3": "UKR", "from": 0, "to": 8, "mention": "Russia", "tone": "sad", "role": "x"}
    assert len(target_problems(text, bad)) == 4
    good = {"iso3": "UKR", "from": 16, "to": 23, "mention": "Ukraine", "tone": "negative",
            "role": "victim"}  # fmt: skip
    assert target_problems(text, good) == []
    assert normalise("Russia\u2019s  war") == normalise("russia's war")

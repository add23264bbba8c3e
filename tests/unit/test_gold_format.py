"""The country gold set (tests/gold/country_sentences.jsonl) is well formed and big enough."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

GOLD = Path(__file__).resolve().parents[1] / "gold" / "country_sentences.jsonl"
TONES = {"negative", "neutral", "positive"}
EXTRA_CODES = {"XKX"}  # Kosovo is tracked although ISO 3166-1 has no code for it
REQUIRED_KEYS = {"id", "source", "published", "text", "countries", "trap"}
ID_PATTERN = re.compile(r"^(?P<feed>[a-z0-9-]+)#\d+(\.\d+)?$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSSESSIVE = re.compile(r"['\u2019]s?$")
MAX_CONSTRUCTED_TRAP_SHARE = 0.25


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    """Return the gold records, one per non-empty line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _is_country_code(code: str) -> bool:
    return code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


def _span_problems(text: str, span: list[int]) -> list[str]:
    if len(span) != 2 or not 0 <= span[0] < span[1] <= len(text):
        return [f"span {span} outside the text"]
    start, end = span
    surface = text[start:end]
    problems = []
    if not surface[0].isupper():
        problems.append(f"surface {surface!r} does not start with a capital")
    if surface != surface.strip() or POSSESSIVE.search(surface):
        problems.append(f"surface {surface!r} has whitespace or a possessive ending")
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        problems.append(f"surface {surface!r} cuts through a word")
    return problems


def _country_problems(text: str, country: dict[str, Any]) -> list[str]:
    problems = []
    if not _is_country_code(country.get("iso3", "")):
        problems.append(f"unknown country code {country.get('iso3')!r}")
    if country.get("tone") not in TONES:
        problems.append(f"tone {country.get('tone')!r} not in {sorted(TONES)}")
    spans = country.get("spans") or []
    if not spans:
        problems.append(f"{country.get('iso3')} has no spans")
    for span in spans:
        problems.extend(_span_problems(text, span))
    return problems


def _header_problems(record: dict[str, Any]) -> list[str]:
    problems = []
    match = ID_PATTERN.match(str(record["id"]))
    if match is None:
        problems.append(f"malformed id {record['id']!r}")
    elif record["source"] != "constructed" and record["source"] != f"{match['feed']}.xml":
        problems.append(f"source {record['source']!r} does not match the id")
    if not DATE_PATTERN.match(str(record["published"])):
        problems.append(f"published {record['published']!r} is not YYYY-MM-DD")
    if not isinstance(record["text"], str) or not record["text"].strip():
        problems.append("empty text")
    return problems


def record_problems(record: dict[str, Any]) -> list[str]:
    """Return what is wrong with one gold record (empty when it is well formed)."""
    missing = REQUIRED_KEYS - record.keys()
    if missing:
        return [f"missing keys {sorted(missing)}"]
    problems = _header_problems(record)
    countries = record["countries"]
    codes = [c.get("iso3") for c in countries]
    if len(codes) != len(set(codes)):
        problems.append("a country is listed twice")
    if record["trap"] is not (not countries):
        problems.append("a trap must have no countries and a non-trap at least one")
    for country in countries:
        problems.extend(_country_problems(record["text"], country))
    return problems


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    """The gold records."""
    return load_gold()


def test_every_record_is_well_formed(gold: list[dict[str, Any]]) -> None:
    problems = {r.get("id"): p for r in gold if (p := record_problems(r))}
    assert problems == {}


def test_ids_are_unique(gold: list[dict[str, Any]]) -> None:
    repeated = [i for i, n in Counter(r["id"] for r in gold).items() if n > 1]
    assert repeated == []


def test_the_set_is_big_enough(gold: list[dict[str, Any]]) -> None:
    traps = [r for r in gold if r["trap"]]
    constructed = [r for r in traps if r["source"] == "constructed"]
    assert len(gold) >= 300
    assert len(traps) >= 80
    assert len(constructed) <= MAX_CONSTRUCTED_TRAP_SHARE * len(traps)


def test_all_three_tones_are_well_represented(gold: list[dict[str, Any]]) -> None:
    tones = Counter(c["tone"] for r in gold for c in r["countries"])
    assert min(tones[t] for t in TONES) >= 50


def test_real_sentences_are_spread_across_feeds(gold: list[dict[str, Any]]) -> None:
    feeds = Counter(r["source"] for r in gold if r["source"] != "constructed")
    assert len(feeds) >= 20
    assert max(feeds.values()) <= 0.15 * sum(feeds.values())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"countries": [{"iso3": "XXY", "spans": [[0, 5]], "tone": "neutral"}]}, "unknown"),
        ({"countries": [{"iso3": "CHN", "spans": [[0, 5]], "tone": "angry"}]}, "tone"),
        ({"countries": [{"iso3": "CHN", "spans": [[0, 99]], "tone": "neutral"}]}, "outside"),
        ({"countries": [{"iso3": "CHN", "spans": [[0, 7]], "tone": "neutral"}]}, "possessive"),
        ({"countries": [{"iso3": "CHN", "spans": [[1, 5]], "tone": "neutral"}]}, "capital"),
        ({"trap": True}, "trap"),
        ({"source": "bbc-world-2026.xml"}, "source"),
    ],
)
def test_broken_records_are_reported(change: dict[str, Any], expected: str) -> None:
    record = {
        "id": "reuters-world-2017#3.0",
        "source": "reuters-world-2017.xml",
        "published": "2017-01-07",
        "text": "China's exports fell",
        "countries": [{"iso3": "CHN", "spans": [[0, 5]], "tone": "negative"}],
        "trap": False,
    }
    assert record_problems(record) == []
    assert any(expected in p for p in record_problems(record | change))

"""Evaluate country detection and tone on our own gold set, tests/gold/country_sentences.jsonl.

Detection: precision / recall / F1 of core.countries.find_mentions over (sentence, iso3) pairs.
Tone: 3-class macro-F1 and accuracy of the product scorer (core.tone) on the pairs both gold and
matcher found, and on every gold pair using the gold spans (the scorer alone, matcher errors
removed), against always-neutral and plain sentence VADER with the same thresholds.

    .venv/bin/python bench/eval_gold.py [--gold tests/gold/country_sentences.jsonl] [--show 15]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.countries import find_mentions  # noqa: E402
from core.models import Mention  # noqa: E402
from core.scorers import plain_vader  # noqa: E402
from core.sentences import split_sentences  # noqa: E402
from core.tone import label_for, score_mentions  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_newsmtsc as newsmtsc  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "country_sentences.jsonl"
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class GoldSentence:
    """One gold record: text, date, and per-country gold spans and tone."""

    id: str
    text: str
    published: date | None
    spans: dict[str, list[tuple[int, int]]]
    tones: dict[str, str]


def load_gold(path: Path) -> list[GoldSentence]:
    """All gold records of the JSONL file."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = date.fromisoformat(row["published"][:10]) if row.get("published") else None
        countries = row.get("countries", [])
        spans = {c["iso3"]: [(int(s), int(e)) for s, e in c["spans"]] for c in countries}
        tones = {c["iso3"]: c["tone"] for c in countries}
        records.append(GoldSentence(str(row["id"]), row["text"], published, spans, tones))
    return records


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Mean F1 over negative, neutral and positive."""
    total = 0.0
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / 3


def predicted_tones(record: GoldSentence, mentions: Sequence[Mention]) -> dict[str, str]:
    """The product's label for each country the matcher found in the record."""
    tones = score_mentions(record.text, split_sentences(record.text), mentions)
    return {t.iso3: t.label for t in tones}


def gold_span_tones(record: GoldSentence) -> dict[str, str]:
    """The product's label for each gold country, scored on the gold spans."""
    mentions = [
        Mention(iso3, start, end, record.text[start:end])
        for iso3, spans in record.spans.items()
        for start, end in spans
    ]
    return predicted_tones(record, mentions)


@dataclass
class Detection:
    """Detection counts over (sentence, iso3) pairs, the misses, and tone labels on matches."""

    counts: Counter[str]
    misses: list[str]
    matched_gold: list[str]
    matched_pred: list[str]

    def precision_recall_f1(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of the matcher."""
        tp, fp, fn = self.counts["tp"], self.counts["fp"], self.counts["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def detect(records: Sequence[GoldSentence]) -> Detection:
    """Run the matcher and the product scorer over every gold sentence."""
    counts: Counter[str] = Counter()
    misses: list[str] = []
    matched_gold: list[str] = []
    matched_pred: list[str] = []
    for record in records:
        mentions = find_mentions(record.text, record.published)
        found = {m.iso3 for m in mentions}
        gold = set(record.spans)
        counts["tp"] += len(found & gold)
        counts["fp"] += len(found - gold)
        counts["fn"] += len(gold - found)
        misses.extend(f"FP {iso3} {record.id}: {record.text[:90]}" for iso3 in found - gold)
        misses.extend(f"FN {iso3} {record.id}: {record.text[:90]}" for iso3 in gold - found)
        predicted = predicted_tones(record, mentions)
        for iso3 in sorted(found & gold):
            matched_gold.append(record.tones[iso3])
            matched_pred.append(predicted[iso3])
    return Detection(counts, misses, matched_gold, matched_pred)


def evaluate(records: Sequence[GoldSentence], show: int) -> None:
    """Print detection and tone figures."""
    found = detect(records)
    _print_detection(found, len(records))
    for line in found.misses[:show]:
        print("  " + line)
    print()
    _print_tone(records, found.matched_gold, found.matched_pred)


def _print_detection(found: Detection, total: int) -> None:
    tp, fp, fn = found.counts["tp"], found.counts["fp"], found.counts["fn"]
    precision, recall, f1 = found.precision_recall_f1()
    print(f"country detection over {total} gold sentences, (sentence, iso3) pairs:")
    print(f"  tp {tp}  fp {fp}  fn {fn}")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")


def gold_pair_labels(records: Sequence[GoldSentence]) -> tuple[list[str], list[str], list[str]]:
    """Gold labels, product labels on gold spans, and plain sentence VADER labels, per gold pair."""
    all_gold: list[str] = []
    all_pred: list[str] = []
    plain: list[str] = []
    for record in records:
        tones = gold_span_tones(record)
        for iso3, label in sorted(record.tones.items()):
            all_gold.append(label)
            all_pred.append(tones[iso3])
            plain.append(label_for(plain_vader(record.text)))
    return all_gold, all_pred, plain


def _print_tone(records: Sequence[GoldSentence], gold: list[str], pred: list[str]) -> None:
    all_gold, all_pred, plain = gold_pair_labels(records)
    print(f"tone, 3-class ({dict(Counter(all_gold))} on gold pairs):")
    print(f"  {'':50} {'pairs':>5} {'macro-F1':>8} {'acc':>6}")
    rows = [
        ("product scorer, matched pairs", gold, pred),
        ("always neutral, matched pairs", gold, ["neutral"] * len(gold)),
        ("product scorer, gold spans", all_gold, all_pred),
        ("plain sentence VADER (same thresholds), gold pairs", all_gold, plain),
        ("always neutral, gold pairs", all_gold, ["neutral"] * len(all_gold)),
    ]
    for name, g, p in rows:
        accuracy = sum(a == b for a, b in zip(g, p, strict=True)) / len(g) if g else 0.0
        print(f"  {name:50} {len(g):5} {macro_f1(g, p):8.3f} {accuracy:6.3f}")


def compare_variants(records: Sequence[GoldSentence], data: Path) -> None:
    """Tone macro-F1 on gold spans for every NewsMTSC variant, thresholds tuned on its train."""
    train = newsmtsc.load_split(data / "train.jsonl")
    train_gold = newsmtsc.gold_of(train)
    pairs = [(r, iso3) for r in records for iso3 in sorted(r.tones)]
    gold = [r.tones[iso3] for r, iso3 in pairs]
    print("\ntone on gold spans by scorer variant (only the target's own words masked;")
    print("thresholds tuned on NewsMTSC train as in eval_newsmtsc.py):")
    print(f"  {'variant':34} {'macro-F1':>8} {'acc':>6}")
    for scorer in newsmtsc.variants():
        low, high, _ = newsmtsc.tune_thresholds(newsmtsc.score_all(scorer, train), train_gold)
        pred = []
        for record, iso3 in pairs:
            value = scorer.score(record.text, record.spans[iso3])
            pred.append("negative" if value < low else "positive" if value > high else "neutral")
        accuracy = sum(a == b for a, b in zip(gold, pred, strict=True)) / len(gold)
        print(f"  {scorer.name:34} {macro_f1(gold, pred):8.3f} {accuracy:6.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `make eval`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--show", type=int, default=15, help="misses to list")
    parser.add_argument(
        "--no-variants", action="store_true", help="skip the per-variant tone table (~40 s)"
    )
    parser.add_argument(
        "--newsmtsc", type=Path, default=Path(__file__).parent / "data" / "newsmtsc"
    )
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"no gold set at {args.gold} yet: nothing to evaluate")
        return 0
    records = load_gold(args.gold)
    evaluate(records, args.show)
    if not args.no_variants:
        compare_variants(records, args.newsmtsc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

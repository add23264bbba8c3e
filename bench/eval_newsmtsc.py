"""Evaluate target-dependent tone scorers on NewsMTSC (EACL 2021); `make eval` runs this.

Label thresholds are tuned on the train split for every variant (each knob setting is its own
row); rw_dev and mt_dev are only reported. Prints one table row per variant.

    .venv/bin/python bench/eval_newsmtsc.py [--data bench/data/newsmtsc] [--no-gold]

Then runs bench/eval_gold.py (country detection and tone on tests/gold/country_sentences.jsonl).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.scorers import Scorer, VaderScorer, plain_vader  # noqa: E402
from core.tone import NEGATIVE_BELOW, POSITIVE_ABOVE, PRODUCT_SCORER  # noqa: E402

LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
DATA = Path(__file__).resolve().parent / "data" / "newsmtsc"
BOOTSTRAP = 1000
Gold = dict[str, np.ndarray]
GRID = np.round(np.arange(-0.6, 0.6001, 0.01), 2)


@dataclass(frozen=True)
class Example:
    """One (sentence, target) pair with its gold label index (0 neg, 1 neu, 2 pos)."""

    sentence: str
    target: tuple[int, int]
    label: int


@dataclass(frozen=True)
class PlainVader:
    """VADER on the whole sentence, target ignored: the baseline everybody reports."""

    name: str = "plain sentence VADER"

    def score(self, sentence: str, targets: Sequence[tuple[int, int]]) -> float:
        """VADER compound of the untouched sentence."""
        return plain_vader(sentence)


def load_split(path: Path) -> list[Example]:
    """One Example per target; NewsMTSC's `to` is exclusive (checked against `mention`)."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentence = row["sentence_normalized"]
        for target in row["targets"]:
            start, end = int(target["from"]), int(target["to"])
            if sentence[start:end] != target["mention"]:
                raise ValueError(f"{path.name}: span {start}:{end} is not {target['mention']!r}")
            examples.append(Example(sentence, (start, end), POLARITY[float(target["polarity"])]))
    return examples


def classify(scores: np.ndarray, low: float, high: float) -> np.ndarray:
    """Label indexes: below low negative, above high positive, else neutral."""
    return np.where(scores < low, 0, np.where(scores > high, 2, 1))


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Mean F1 over the three classes."""
    f1s = []
    for label in range(3):
        tp = float(np.sum((pred == label) & (gold == label)))
        fp = float(np.sum((pred == label) & (gold != label)))
        fn = float(np.sum((pred != label) & (gold == label)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 3


def tune_thresholds(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """The (low, high) pair on GRID with the best macro-F1, and that F1."""
    best = (-0.05, 0.05, -1.0)
    for low in GRID:
        for high in GRID[GRID >= low]:
            f1 = macro_f1(gold, classify(scores, float(low), float(high)))
            if f1 > best[2]:
                best = (float(low), float(high), f1)
    return best


def score_all(scorer: Scorer, examples: Sequence[Example]) -> np.ndarray:
    """The scorer's tone for every example."""
    return np.array([scorer.score(e.sentence, [e.target]) for e in examples])


def gold_of(examples: Sequence[Example]) -> np.ndarray:
    """Gold label indexes."""
    return np.array([e.label for e in examples])


def variants() -> list[Scorer]:
    """The scorers compared, each adding one idea to the row above it."""
    return [
        PlainVader(),
        VaderScorer("+ mask target words", normalise=False, mask=True),
        VaderScorer("+ curly quotes to ASCII", normalise=True, mask=True),
        VaderScorer("+ clause (,;: and but/while..)", clause=True),
        VaderScorer("+ clause (,;: only)", clause=True, clause_words=False),
        VaderScorer("+ soft clause (0.5 outside)", clause=True, outside_clause=0.5),
        VaderScorer("+ window 6 words", window=6),
        VaderScorer("+ window 10 words", window=10),
        VaderScorer("+ distance decay 3", decay=3.0),
        VaderScorer("+ distance decay 6", decay=6.0),
        VaderScorer("+ distance decay 12", decay=12.0),
        VaderScorer("+ clause(,;:) + decay 6", clause=True, clause_words=False, decay=6.0),
        VaderScorer("+ soft clause + decay 6", clause=True, outside_clause=0.5, decay=6.0),
    ]


@dataclass(frozen=True)
class Row:
    """One variant's figures: thresholds from train, F1 and accuracy per split."""

    name: str
    low: float
    high: float
    f1: dict[str, float]
    accuracy: dict[str, float]
    dev_pred: np.ndarray
    rate: float


def run_variant(scorer: Scorer, splits: dict[str, list[Example]], golds: Gold) -> Row:
    """Tune thresholds on train, then classify every split."""
    started = time.perf_counter()
    scores = {name: score_all(scorer, examples) for name, examples in splits.items()}
    rate = sum(len(e) for e in splits.values()) / (time.perf_counter() - started)
    low, high, _ = tune_thresholds(scores["train"], golds["train"])
    preds = {name: classify(values, low, high) for name, values in scores.items()}
    preds["dev"] = np.concatenate([preds["rw_dev"], preds["mt_dev"]])
    f1 = {name: macro_f1(golds[name], pred) for name, pred in preds.items()}
    accuracy = {name: float(np.mean(pred == golds[name])) for name, pred in preds.items()}
    return Row(scorer.name, low, high, f1, accuracy, preds["dev"], rate)


def constant_row(golds: Gold) -> Row:
    """Always neutral."""
    preds = {name: np.ones_like(gold) for name, gold in golds.items()}
    f1 = {name: macro_f1(golds[name], pred) for name, pred in preds.items()}
    accuracy = {name: float(np.mean(pred == golds[name])) for name, pred in preds.items()}
    return Row("always neutral", math.nan, math.nan, f1, accuracy, preds["dev"], math.nan)


def paired_interval(gold: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """95% bootstrap interval of macro-F1(a) - macro-F1(b) on the same resampled items."""
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(gold), len(gold))
        diffs.append(macro_f1(gold[pick], a[pick]) - macro_f1(gold[pick], b[pick]))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return float(low), float(high)


def evaluate(data: Path) -> None:
    """Print the comparison table and what each idea adds."""
    splits = {name: load_split(data / f"{name}.jsonl") for name in ("train", "rw_dev", "mt_dev")}
    golds: Gold = {name: gold_of(ex) for name, ex in splits.items()}
    golds["dev"] = np.concatenate([golds["rw_dev"], golds["mt_dev"]])
    sizes = ", ".join(f"{name} {len(ex)}" for name, ex in splits.items())
    print(f"NewsMTSC targets: {sizes}. Thresholds (low, high) tuned on train for each row;")
    print("F1 = 3-class macro-F1; dev = rw_dev + mt_dev pooled; delta = dev F1 minus plain VADER,")
    print(
        f"with a paired bootstrap 95% interval ({BOOTSTRAP} resamples). * = the product's scorer.\n"
    )
    header = (
        f"{'variant':33} {'low':>5} {'high':>5} {'train':>6} {'rw F1':>6} {'rw acc':>6}"
        f" {'mt F1':>6} {'mt acc':>6} {'dev F1':>6} {'delta dev [95% CI]':>24} {'targets/s':>9}"
    )
    print(header)
    print("-" * len(header))
    print(_format(constant_row(golds), None, golds, False))
    plain: Row | None = None
    for scorer in variants():
        row = run_variant(scorer, splits, golds)
        plain = plain or row
        print(_format(row, plain, golds, _is_product(scorer)))
        if _is_product(scorer):
            _check_product_thresholds(row)


def _check_product_thresholds(row: Row) -> None:
    shipped = (NEGATIVE_BELOW, POSITIVE_ABOVE)
    if not np.allclose(shipped, (row.low, row.high)):
        print(
            f"  WARNING: core.tone ships thresholds {shipped}, train tunes to {row.low, row.high}"
        )


def _is_product(scorer: Scorer) -> bool:
    return isinstance(scorer, VaderScorer) and replace(scorer, name="") == replace(
        PRODUCT_SCORER, name=""
    )


def _format(row: Row, plain: Row | None, golds: Gold, product: bool) -> str:
    name = ("* " if product else "  ") + row.name
    thresholds = "" if math.isnan(row.low) else f"{row.low:5.2f} {row.high:5.2f}"
    cells = f"{name:33} {thresholds:11} {row.f1['train']:6.3f}"
    for split in ("rw_dev", "mt_dev"):
        cells += f" {row.f1[split]:6.3f} {row.accuracy[split]:6.3f}"
    cells += f" {row.f1['dev']:6.3f}"
    if plain is None or plain is row:
        rate = "" if math.isnan(row.rate) else f"{row.rate:9,.0f}"
        return cells + f" {'':>24} {rate:>9}"
    low, high = paired_interval(golds["dev"], row.dev_pred, plain.dev_pred)
    delta = row.f1["dev"] - plain.f1["dev"]
    interval = f"{delta:+.3f} [{low:+.3f}, {high:+.3f}]"
    return cells + f" {interval:>24} {row.rate:9,.0f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `make eval`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-gold", action="store_true", help="skip bench/eval_gold.py")
    args = parser.parse_args(argv)
    evaluate(args.data)
    if args.no_gold:
        return 0
    import eval_gold  # late: eval_gold imports this module

    print("\n=== country gold set (bench/eval_gold.py) ===")
    return eval_gold.main(["--newsmtsc", str(args.data)])


if __name__ == "__main__":
    raise SystemExit(main())

"""Evaluate target-dependent tone scorers on NewsMTSC (EACL 2021); `make eval` runs this.

Label thresholds are tuned on the train split for every variant; so are the variant's own knobs
(decay, window). rw_dev and mt_dev are only reported. Prints one table row per variant.

    .venv/bin/python bench/eval_newsmtsc.py [--data bench/data/newsmtsc]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.scorers import Scorer, VaderScorer, plain_vader  # noqa: E402

LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
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
        VaderScorer("+ mask target", normalise=False, mask=True),
        VaderScorer("+ quotes (mask+quotes)", normalise=True, mask=True),
        VaderScorer("quotes only (no mask)", normalise=True, mask=False),
        VaderScorer("+ clause scope", clause=True),
        VaderScorer("+ clause (punctuation only)", clause=True, clause_words=False),
        VaderScorer("+ soft clause (outside 0.5)", clause=True, outside_clause=0.5),
        VaderScorer("+ window 6", window=6),
        VaderScorer("+ window 10", window=10),
        VaderScorer("+ decay 3", decay=3.0),
        VaderScorer("+ decay 6", decay=6.0),
        VaderScorer("+ decay 12", decay=12.0),
        VaderScorer("+ clause + decay 6", clause=True, decay=6.0),
        VaderScorer("+ soft clause + decay 6", clause=True, outside_clause=0.5, decay=6.0),
        VaderScorer("+ soft clause + decay 12", clause=True, outside_clause=0.5, decay=12.0),
    ]


def evaluate(data: Path) -> None:
    """Print the comparison table."""
    splits = {name: load_split(data / f"{name}.jsonl") for name in ("train", "rw_dev", "mt_dev")}
    golds = {name: gold_of(ex) for name, ex in splits.items()}
    sizes = ", ".join(f"{name} {len(ex)}" for name, ex in splits.items())
    print(f"NewsMTSC targets: {sizes}; thresholds tuned on train for each row\n")
    header = f"{'variant':28} {'low':>6} {'high':>6} {'train':>6} {'rw F1':>6} {'rw acc':>6}"
    print(header + f" {'mt F1':>6} {'mt acc':>6}")
    print("-" * (len(header) + 14))
    _print_baseline(golds)
    for scorer in variants():
        started = time.perf_counter()
        train = score_all(scorer, splits["train"])
        low, high, train_f1 = tune_thresholds(train, golds["train"])
        cells = []
        for name in ("rw_dev", "mt_dev"):
            pred = classify(score_all(scorer, splits[name]), low, high)
            accuracy = float(np.mean(pred == golds[name]))
            cells.append(f"{macro_f1(golds[name], pred):6.3f} {accuracy:6.3f}")
        rate = len(splits["train"]) / (time.perf_counter() - started)
        row = f"{scorer.name:28} {low:6.2f} {high:6.2f} {train_f1:6.3f} {' '.join(cells)}"
        print(f"{row}   ({rate:,.0f} targets/s)")


def _print_baseline(golds: dict[str, np.ndarray]) -> None:
    cells = []
    for name in ("rw_dev", "mt_dev"):
        pred = np.ones_like(golds[name])
        accuracy = float(np.mean(pred == golds[name]))
        cells.append(f"{macro_f1(golds[name], pred):6.3f} {accuracy:6.3f}")
    train_f1 = macro_f1(golds["train"], np.ones_like(golds["train"]))
    print(f"{'always neutral':28} {'':6} {'':6} {train_f1:6.3f} {' '.join(cells)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `make eval`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "data" / "newsmtsc")
    args = parser.parse_args(argv)
    evaluate(args.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

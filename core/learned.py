"""The learned tone engine: a fine-tuned MiniLM scoring (sentence, target spans) pairs.

The model ships as ONNX (float16 weights, float32 compute) with its tokenizer in
core/models_data/tone-minilm/ and runs with onnxruntime and the `tokenizers` library: no torch at
run time. bench/train_tone.py trains and
exports it and uses `encode_pairs` below, so training and inference see the same inputs.

Input: the sentence with each target span wrapped in two marker tokens (BERT's unused vocabulary
entries [unused0] and [unused1]) as the first segment, the first target's own words as the
second. A linear head over the mean-pooled hidden states and the opening marker's hidden state
gives logits for negative, neutral and positive. The score is P(positive) - P(negative).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Span = tuple[int, int]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

MODEL_DIR = Path(__file__).resolve().parent / "models_data" / "tone-minilm"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
MARK_OPEN = "[unused0]"
MARK_CLOSE = "[unused1]"
MAX_TOKENS = 128
# Longer sentences are cut to this many characters around the first target (about 100 tokens),
# so truncation to MAX_TOKENS never drops the target.
CONTEXT_CHARS = 400
LABELS = ("negative", "neutral", "positive")
DEFAULT_BATCH = 64
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids", "target_index")


class TargetSpanError(ValueError):
    """A target span that does not lie inside its sentence; the message gives both."""


@dataclass(frozen=True)
class Encoded:
    """A padded batch of model inputs, in the order the pairs were given."""

    input_ids: IntArray
    attention_mask: IntArray
    token_type_ids: IntArray
    target_index: IntArray

    def feeds(self) -> dict[str, IntArray]:
        """The arrays keyed by the ONNX input names."""
        return {
            "input_ids": self.input_ids,
            "attention_mask": self.attention_mask,
            "token_type_ids": self.token_type_ids,
            "target_index": self.target_index,
        }


@dataclass(frozen=True)
class LearnedTone:
    """The learned engine's verdict on one pair: score in [-1, 1], label and class probabilities."""

    score: float
    label: str
    probabilities: tuple[float, float, float]


def check_targets(sentence: str, targets: Sequence[Span]) -> list[Span]:
    """The targets sorted, or TargetSpanError when one is empty or outside the sentence."""
    if not targets:
        raise TargetSpanError("no target span given")
    checked = []
    for start, end in targets:
        if not (0 <= start < end <= len(sentence)):
            raise TargetSpanError(
                f"target span {start}:{end} is outside the sentence (length {len(sentence)})"
            )
        checked.append((int(start), int(end)))
    return sorted(set(checked))


def _window(sentence: str, targets: list[Span]) -> tuple[str, list[Span]]:
    """The sentence cut to CONTEXT_CHARS around the first target, at spaces, with spans shifted."""
    if len(sentence) <= CONTEXT_CHARS:
        return sentence, targets
    first_start, first_end = targets[0]
    start = max(0, first_start - CONTEXT_CHARS // 2)
    if start:
        space = sentence.find(" ", start, first_start)
        start = space + 1 if space >= 0 else start
    end = min(len(sentence), max(start + CONTEXT_CHARS, first_end))
    if end < len(sentence):
        space = sentence.rfind(" ", first_end, end)
        end = space if space >= 0 else end
    kept = [(s - start, e - start) for s, e in targets if s >= start and e <= end]
    return sentence[start:end], kept


def marked_text(sentence: str, targets: Sequence[Span]) -> tuple[str, str]:
    """The first segment (targets wrapped in markers) and second segment (the target's words)."""
    text, spans = _window(sentence, check_targets(sentence, targets))
    parts = []
    cursor = 0
    for start, end in spans:
        if start < cursor:  # overlapping spans: the earlier marker already covers this one
            continue
        parts += [text[cursor:start], f" {MARK_OPEN} ", text[start:end], f" {MARK_CLOSE} "]
        cursor = end
    parts.append(text[cursor:])
    first_start, first_end = spans[0]
    return "".join(parts), text[first_start:first_end]


def prepare_tokenizer(tokenizer: Any) -> Any:
    """The base tokenizer set up for us: markers as special tokens, truncation, no padding."""
    from tokenizers import AddedToken

    tokenizer.add_special_tokens(
        [AddedToken(MARK_OPEN, normalized=False), AddedToken(MARK_CLOSE, normalized=False)]
    )
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_first")
    return tokenizer


def encode_pairs(tokenizer: Any, pairs: Sequence[tuple[str, Sequence[Span]]]) -> Encoded:
    """Tokenise (sentence, targets) pairs into one batch padded to its longest member."""
    segments = [marked_text(sentence, targets) for sentence, targets in pairs]
    encodings = tokenizer.encode_batch(segments)
    open_id = tokenizer.token_to_id(MARK_OPEN)
    width = max(len(e.ids) for e in encodings)
    shape = (len(encodings), width)
    ids = np.zeros(shape, dtype=np.int64)
    mask = np.zeros(shape, dtype=np.int64)
    types = np.zeros(shape, dtype=np.int64)
    index = np.zeros(len(encodings), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        length = len(encoding.ids)
        ids[row, :length] = encoding.ids
        mask[row, :length] = 1
        types[row, :length] = encoding.type_ids
        index[row] = encoding.ids.index(open_id) if open_id in encoding.ids else 0
    return Encoded(ids, mask, types, index)


def tones_from_logits(logits: FloatArray) -> list[LearnedTone]:
    """Softmax each row of logits into a LearnedTone."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    tones = []
    for row in probabilities:
        neg, neu, pos = (float(p) for p in row)
        tones.append(LearnedTone(pos - neg, LABELS[int(np.argmax(row))], (neg, neu, pos)))
    return tones


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class LearnedScorer:
    """The fine-tuned MiniLM behind onnxruntime; thread-safe, loaded once per process."""

    name = "learned"

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        model_path = model_dir / MODEL_FILE
        if not model_path.exists():
            raise FileNotFoundError(f"no learned tone model at {model_path}")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Spinning threads wait for work by burning CPU: on a machine shared with ingest and the
        # dashboard they starve each other (measured 15x slower under load); sleep instead.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        self._lock = threading.Lock()

    @cached_property
    def meta(self) -> dict[str, Any]:
        """The model's meta.json (name, version, training figures)."""
        path = self.model_dir / META_FILE
        return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}

    @cached_property
    def version(self) -> str:
        """Engine version stored with each score: model name plus the first 12 hex of its sha256."""
        name = str(self.meta.get("name", "tone-minilm"))
        return f"{name}-{file_sha256(self.model_dir / MODEL_FILE)[:12]}"

    def score(self, sentence: str, targets: Sequence[Span]) -> float:
        """Tone of the sentence toward the target spans, in [-1, 1] (the Scorer interface)."""
        return self.score_pairs([(sentence, targets)])[0].score

    def score_pairs(
        self, pairs: Sequence[tuple[str, Sequence[Span]]], batch_size: int = DEFAULT_BATCH
    ) -> list[LearnedTone]:
        """One LearnedTone per (sentence, targets) pair, computed in length-sorted batches."""
        for sentence, targets in pairs:
            check_targets(sentence, targets)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]))
        results: list[LearnedTone | None] = [None] * len(pairs)
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            tones = self._run([pairs[i] for i in chunk])
            for i, tone in zip(chunk, tones, strict=True):
                results[i] = tone
        return [tone for tone in results if tone is not None]

    def _run(self, pairs: Sequence[tuple[str, Sequence[Span]]]) -> list[LearnedTone]:
        encoded = encode_pairs(self._tokenizer, pairs)
        with self._lock:  # encode_batch and run are each thread-safe; keep batches whole
            (logits,) = self._session.run(["logits"], encoded.feeds())
        return tones_from_logits(np.asarray(logits, dtype=np.float32))


_LOADED: dict[Path, LearnedScorer] = {}
_LOAD_LOCK = threading.Lock()


def load_scorer(model_dir: Path = MODEL_DIR) -> LearnedScorer:
    """The process-wide LearnedScorer for model_dir, loaded on first use."""
    with _LOAD_LOCK:
        if model_dir not in _LOADED:
            _LOADED[model_dir] = LearnedScorer(model_dir)
        return _LOADED[model_dir]

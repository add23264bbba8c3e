"""The learned tone engine: speed, live-ingest headroom, dev figures and the country gold set.

speed   (sentence, target) pairs/s of core.learned on NewsMTSC dev sentences, onnxruntime on
        --threads threads (0 = all cores), then the whole ingest path on the demo feeds
        (split, match, both engines) and whether 500 feeds polled every 15 minutes keep up,
        counting every entry of every feed as new at every poll (the worst case).
dev     macro-F1 / accuracy on NewsMTSC rw_dev, mt_dev and the held-out convention feeds.
gold    tone on tests/gold/country_sentences.jsonl: learned vs the product VADER, on gold spans
        and on the pairs the matcher finds (evaluation only: never used for training or tuning).

    .venv/bin/python bench/bench_learned.py [speed|dev|gold|all] [--pairs 2000] [--threads 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import learned  # noqa: E402
from core.countries import find_mentions  # noqa: E402
from core.engines import learned_mentions, learned_tones_many, score_articles_both  # noqa: E402
from core.models import Mention  # noqa: E402
from core.parse import parse_feed  # noqa: E402
from core.scorers import Span  # noqa: E402
from core.sentences import split_sentences  # noqa: E402
from core.tone import document_of  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_gold  # noqa: E402
import train_tone  # noqa: E402

FEEDS = Path(__file__).resolve().parent.parent / "jobs" / "demo_feeds"
NOT_ENGLISH = ("bbc-chinese", "bbc-urdu", "lemonde", "orf-news", "suspilne", "aktuality", "golem")
FEEDS_POLLED = 500
POLL_MINUTES = 15


def speed(scorer: learned.LearnedScorer, count: int) -> float:
    """Print and return pairs/s of score_pairs on `count` NewsMTSC dev pairs."""
    base = [
        (p.sentence, p.targets)
        for split in ("rw_dev.jsonl", "mt_dev.jsonl")
        for p in train_tone.load_newsmtsc(train_tone.NEWSMTSC / split)
    ]
    pairs = (base * (count // len(base) + 1))[:count]
    scorer.score_pairs(pairs[:64])  # warm-up: first run allocates
    started = time.perf_counter()
    scorer.score_pairs(pairs)
    seconds = time.perf_counter() - started
    rate = len(pairs) / seconds
    print(f"score_pairs: {len(pairs)} pairs in {seconds:.2f} s = {rate:.0f} pairs/s")
    return rate


def demo_articles() -> list[tuple[str, str, None]]:
    """(title, text, None) for every entry of the English demo feeds."""
    items: list[tuple[str, str, None]] = []
    for path in sorted(FEEDS.glob("*.xml")):
        if path.stem.startswith(NOT_ENGLISH):
            continue
        for entry in parse_feed(path.read_bytes(), str(path)).entries:
            items.append((entry.title, entry.text, None))
    return items


def ingest(scorer: learned.LearnedScorer) -> None:
    """Both engines over every demo feed entry, and the 500-feeds-per-15-minutes verdict."""
    items = demo_articles()
    feeds = sum(1 for p in FEEDS.glob("*.xml") if not p.stem.startswith(NOT_ENGLISH))
    prepared = []
    for title, text, _ in items:
        document, sentences = document_of(title, text)
        prepared.append((document, sentences, find_mentions(document)))
    started = time.perf_counter()
    learned = learned_tones_many(prepared, scorer)
    learned_seconds = time.perf_counter() - started
    pairs = sum(t.sentences for tones in learned for t in tones)  # one pair per sentence+country
    started = time.perf_counter()
    results = score_articles_both(items, scorer)
    both_seconds = time.perf_counter() - started
    countries = sum(len(r.tones) for r in results)
    disagree = sum(t.disagrees for r in results for t in r.tones)
    per_feed = both_seconds / feeds
    needed = per_feed * FEEDS_POLLED
    budget = POLL_MINUTES * 60
    print(
        f"demo feeds: {feeds} feeds, {len(items)} entries, {countries} article-country tones, "
        f"{disagree} with opposite labels"
    )
    print(
        f"  learned engine alone {learned_seconds:.2f} s for {pairs} (sentence, country) pairs "
        f"= {pairs / learned_seconds:.0f} pairs/s; split+match+VADER+learned "
        f"{both_seconds:.2f} s = {per_feed * 1000:.0f} ms per feed (all entries new)"
    )
    verdict = "keeps up" if needed < budget else "falls behind"
    print(
        f"  {FEEDS_POLLED} feeds every {POLL_MINUTES} min, every entry new each poll: "
        f"{needed:.0f} s of scoring per {budget} s: {verdict} ({needed / budget:.0%} of one run)"
    )
    print(f"  break-even: {budget / needed:.0%} of entries new at each poll")


def dev(scorer: learned.LearnedScorer) -> None:
    """Macro-F1 and accuracy of the scorer on the dev splits."""
    data = train_tone.splits()
    for split in ("rw_dev", "mt_dev", "conv_dev"):
        pairs = data[split]
        tones = scorer.score_pairs([(p.sentence, p.targets) for p in pairs])
        pred = [learned.LABELS.index(t.label) for t in tones]
        figures = train_tone.figures([p.label for p in pairs], pred)
        print(
            f"  {split:9} {len(pairs):5} pairs  macro-F1 {figures['macro_f1']:.3f}"
            f"  acc {figures['accuracy']:.3f}"
        )


def gold(scorer: learned.LearnedScorer, path: Path) -> None:
    """Tone on the country gold set: learned vs product VADER, gold spans and matched pairs."""
    records = eval_gold.load_gold(path)
    rows: dict[str, tuple[list[str], list[str]]] = {
        name: ([], []) for name in ("vader gold", "learned gold", "vader match", "learned match")
    }
    for record in records:
        sentences = split_sentences(record.text)
        spans = [
            Mention(iso3, s, e, record.text[s:e])
            for iso3, ss in record.spans.items()
            for s, e in ss
        ]
        found = find_mentions(record.text, record.published)
        for name, mentions, expected in (
            ("gold", spans, set(record.tones)),
            ("match", found, set(record.tones) & {m.iso3 for m in found}),
        ):
            _add(
                rows,
                name,
                record,
                eval_gold.predicted_tones(record, mentions),
                _labels(record.text, sentences, mentions, scorer),
                expected,
            )
    print(f"  {'':28} {'pairs':>5} {'macro-F1':>8} {'acc':>6}")
    for name, (g, p) in rows.items():
        accuracy = sum(a == b for a, b in zip(g, p, strict=True)) / len(g)
        print(f"  {name:28} {len(g):5} {eval_gold.macro_f1(g, p):8.3f} {accuracy:6.3f}")


def _labels(
    text: str, sentences: Sequence[Span], mentions: Sequence[Mention], scorer: learned.LearnedScorer
) -> dict[str, str]:
    return {t.iso3: t.label for t in learned_mentions(text, sentences, mentions, scorer)}


def _add(
    rows: dict[str, tuple[list[str], list[str]]],
    kind: str,
    record: eval_gold.GoldSentence,
    vader: dict[str, str],
    learned_labels: dict[str, str],
    countries: set[str],
) -> None:
    for iso3 in sorted(countries):
        for engine, labels in (("vader", vader), ("learned", learned_labels)):
            rows[f"{engine} {kind}"][0].append(record.tones[iso3])
            rows[f"{engine} {kind}"][1].append(labels[iso3])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: print the figures asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("speed", "dev", "gold", "all"), nargs="?", default="all")
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads, 0 = all")
    parser.add_argument("--model", type=Path, default=learned.MODEL_DIR)
    parser.add_argument("--gold", type=Path, default=eval_gold.GOLD)
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    scorer = learned.LearnedScorer(args.model, threads=args.threads)
    print(f"model {scorer.version} ({args.model}), onnxruntime threads {args.threads or 'all'}")
    if args.what in ("speed", "all"):
        speed(scorer, args.pairs)
        ingest(scorer)
    if args.what in ("dev", "all"):
        dev(scorer)
    if args.what in ("gold", "all"):
        gold(scorer, args.gold)
    print(f"done in {(datetime.now(UTC) - started).total_seconds():.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

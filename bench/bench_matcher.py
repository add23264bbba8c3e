"""Throughput of core.countries.find_mentions and core.sentences.split_sentences.

Prints MB/s, texts/s and sentences/s per CPU-second over (1) the title + text of every entry
of the real feed snapshots in jobs/demo_feeds/*.xml and (2) a long synthetic article. Run:
    .venv/bin/python bench/bench_matcher.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from core.countries import find_mentions
from core.parse import parse_feed
from core.sentences import split_sentences

FEEDS = Path(__file__).resolve().parent.parent / "jobs" / "demo_feeds"
PUBLISHED = dt.date(2026, 2, 18)

_NEWS_PARAGRAPH = (
    "WASHINGTON (Reuters) - U.S. President Donald Trump said on Tuesday that talks with China "
    "over tariffs were going well, while Beijing warned Washington against new export controls. "
    "Mr. Trump spoke at the White House after meeting Japan's Prime Minister Sanae Takaichi. "
    "The South China Sea dispute and the Taiwan Strait were also discussed, officials said.\n\n"
)
_PROSE_PARAGRAPH = (
    "The committee met on Jan. 6 at 10 a.m. to review the budget, which rose 3.5 percent to "
    "$4.2 billion. Dr. Jane Smith, who chairs the panel, said the increase was \u201cmodest but "
    "necessary.\u201d Critics disagreed. Gen. John Doe (ret.) told reporters the plan left gaps in "
    "training, housing and equipment, and that local officials had not been consulted. Others "
    "noted the figures did not include pensions, which are reviewed separately every spring.\n\n"
)


def entry_texts() -> list[str]:
    """Title and text of every entry of every demo feed, one string per entry."""
    texts = []
    for path in sorted(FEEDS.glob("*.xml")):
        for entry in parse_feed(path.read_bytes(), url=path.name).entries:
            texts.append(f"{entry.title}\n{entry.text}")
    return texts


def synthetic_article(paragraphs: int = 24) -> str:
    """A long news article (about 10 KB): one paragraph in three names countries and leaders."""
    return "".join(
        _NEWS_PARAGRAPH if index % 3 == 0 else _PROSE_PARAGRAPH for index in range(paragraphs)
    )


def measure(texts: Sequence[str], work: Callable[[str], object], repeat: int) -> float:
    """Best CPU time in seconds of running work over all texts, out of `repeat` rounds.

    CPU time rather than wall time: the machine is shared, and waiting for a core is not our cost.
    """
    best = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        for text in texts:
            work(text)
        best = min(best, time.process_time() - began)
    return best


def report(label: str, texts: Sequence[str], repeat: int) -> None:
    """Print throughput of both functions over one corpus."""
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    sentences = sum(len(split_sentences(text)) for text in texts)
    mentions = sum(len(find_mentions(text, PUBLISHED)) for text in texts)
    counts = f"{megabytes:.2f} MB, {sentences} sentences, {mentions} mentions"
    print(f"{label}: {len(texts)} texts, {counts}")
    for name, work in (
        ("find_mentions", lambda text: find_mentions(text, PUBLISHED)),
        ("split_sentences", split_sentences),
    ):
        seconds = measure(texts, work, repeat)
        print(
            f"  {name:16s} {megabytes / seconds:8.1f} MB/s {len(texts) / seconds:10.0f} texts/s"
            f" {sentences / seconds:10.0f} sentences/s {1e6 * seconds / len(texts):8.0f} us/text"
        )


def main() -> None:
    """Load the corpora, warm the automaton, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    began = time.perf_counter()
    find_mentions("warm-up", PUBLISHED)
    print(f"gazetteer load + automaton build: {time.perf_counter() - began:.3f} s")
    report("real feeds (jobs/demo_feeds)", entry_texts(), args.repeat)
    report("synthetic 10 KB article x100", [synthetic_article()] * 100, args.repeat)


if __name__ == "__main__":
    main()

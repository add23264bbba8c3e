"""`make bench`: run every benchmark in turn and print its figures (nothing here is a test)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCH_DB = BENCH.parent / "data" / "bench.duckdb"
BENCHMARKS = [
    ("ingest: parse + match + score + store vs naive", ["bench_ingest.py"]),
    ("polling: 500 local feeds, 10% slow or broken", ["bench_polling.py"]),
    ("hostile feeds: outcome and peak memory per case", ["hostile.py"]),
    ("matching and splitting", ["bench_matcher.py"]),
    ("per-country tone vs whole-text VADER", ["bench_tone.py"]),
    ("dashboard pages on 1,000,000 articles", ["bench_dashboard.py"]),
    ("learned tone engine: pairs per second", ["bench_learned.py"]),
]


def main() -> int:
    """Run each benchmark that exists; return non-zero if any failed."""
    failed = 0
    for title, args in BENCHMARKS:
        script = BENCH / args[0]
        print(f"\n=== {title} ({script.name}) ===", flush=True)
        if not script.exists():
            print("not available in this checkout")
            continue
        started = time.monotonic()
        if script.name == "bench_dashboard.py" and not BENCH_DB.exists():
            print(f"building {BENCH_DB} first (1,000,000 articles, a few minutes)", flush=True)
            subprocess.check_call([sys.executable, str(BENCH / "make_bench_db.py")])
        code = subprocess.call([sys.executable, str(script), *args[1:]])
        print(f"--- {script.name} finished in {time.monotonic() - started:.0f} s (exit {code})")
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

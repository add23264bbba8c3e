"""Polling throughput: one pass over 500 local feeds (10% slow or broken), then a pass of 304s.

The feeds are the real files in jobs/demo_feeds, served by tests.support.feed_server on --hosts
loopback addresses (127.0.0.1, 127.0.0.2, ...) so per-host limits act as they would on the web.
The servers run in a child process, so they do not compete with the fetcher for the GIL.
Of the feeds, 5% are slow (half answer after --delay seconds, half trickle a byte at a time until
the deadline cuts them off) and 5% are broken (404, 500, 429, garbage, redirect loop).
The second pass sends each feed's validator; every feed answers 304.

    .venv/bin/python bench/bench_polling.py [--feeds 500] [--hosts 20] [--deadline 10]

Targets: first pass < 30 s, second pass < 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.config import Settings, load_settings  # noqa: E402
from core.models import Feed, FetchOutcome  # noqa: E402
from jobs.fetch import fetch_feeds  # noqa: E402
from tests.support.feed_server import FeedServer  # noqa: E402

DEMO_FEEDS = REPO / "jobs" / "demo_feeds"
BROKEN_PATHS = ("/status/404", "/status/500", "/status/429", "/garbage", "/redirect-loop")


def _serve(conn: Connection, hosts: Sequence[str]) -> None:
    """Child process: start one FeedServer per host, report ports and ETags, wait for stop."""
    servers = [FeedServer(root=DEMO_FEEDS, host=host).start() for host in hosts]
    etags: dict[str, str] = {}
    for path in sorted(DEMO_FEEDS.glob("*.xml")):
        content = servers[0].content("/" + path.name)
        assert content is not None
        etags["/" + path.name] = content.etag
    conn.send(([server.base_url for server in servers], etags))
    conn.recv()
    for server in servers:
        server.stop()


def _healthy_path(index: int, names: Sequence[str]) -> str:
    return "/" + names[index % len(names)]


def _roles(count: int) -> list[str]:
    """5% slow, 5% broken, the rest healthy, spread over hosts by a seeded shuffle."""
    slow = broken = count // 20
    roles = ["slow"] * slow + ["broken"] * broken + ["ok"] * (count - slow - broken)
    random.Random(42).shuffle(roles)
    return roles


def _first_pass_path(index: int, role: str, names: Sequence[str], delay: float) -> str:
    healthy = _healthy_path(index, names)
    if role == "slow":
        return f"/delay?seconds={delay:g}&path={healthy}" if index % 2 else "/slow?interval=0.5"
    if role == "broken":
        return BROKEN_PATHS[index % len(BROKEN_PATHS)]
    return healthy


def _first_pass_feeds(
    bases: Sequence[str], names: Sequence[str], count: int, delay: float
) -> list[Feed]:
    feeds = []
    for i, role in enumerate(_roles(count)):
        path = _first_pass_path(i, role, names, delay)
        separator = "&" if "?" in path else "?"
        feeds.append(Feed(id=i, url=f"{bases[i % len(bases)]}{path}{separator}feed={i}"))
    return feeds


def _second_pass_feeds(
    bases: Sequence[str], names: Sequence[str], count: int, etags: dict[str, str]
) -> list[Feed]:
    feeds = []
    for i in range(count):
        path = _healthy_path(i, names)
        url = f"{bases[i % len(bases)]}{path}?feed={i}"
        feeds.append(Feed(id=i, url=url, etag=etags[path]))
    return feeds


def _timed_pass(
    feeds: Sequence[Feed], settings: Settings
) -> tuple[float, float, list[FetchOutcome]]:
    started, cpu_started = time.perf_counter(), time.process_time()
    results = asyncio.run(fetch_feeds(feeds, settings))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return wall, cpu, [outcome for _, outcome in results]


def _report(title: str, timing: tuple[float, float, list[FetchOutcome]], target: float) -> bool:
    seconds, cpu, outcomes = timing
    reasons = Counter(outcome.reason for outcome in outcomes)
    verdict = "OK" if seconds < target else "OVER TARGET"
    print(
        f"{title}: {len(outcomes)} feeds in {seconds:.2f} s wall, {cpu:.2f} s fetcher CPU "
        f"(target < {target:g} s: {verdict})"
    )
    print("  outcomes: " + ", ".join(f"{reason}={n}" for reason, n in sorted(reasons.items())))
    return seconds < target


def main(argv: Sequence[str] | None = None) -> int:
    """Run both passes and print wall times; exit 1 if a target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=10.0, help="fetch_deadline_seconds")
    parser.add_argument("--delay", type=float, default=3.0, help="seconds a slow feed waits")
    args = parser.parse_args(argv)

    settings = load_settings(
        environ={}, allow_private_networks=True, fetch_deadline_seconds=args.deadline
    )
    names = sorted(path.name for path in DEMO_FEEDS.glob("*.xml"))
    hosts = [f"127.0.0.{n}" for n in range(1, args.hosts + 1)]
    parent, child = multiprocessing.Pipe()
    server_process = multiprocessing.Process(target=_serve, args=(child, hosts), daemon=True)
    server_process.start()
    try:
        bases, etags = parent.recv()
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"{args.feeds} feeds on {len(hosts)} hosts from {len(names)} real files; "
            f"concurrency={settings.fetch_concurrency} per_host={settings.per_host_concurrency} "
            f"timeout={settings.fetch_timeout_seconds:g}s "
            f"deadline={settings.fetch_deadline_seconds:g}s"
        )
        first = _first_pass_feeds(bases, names, args.feeds, args.delay)
        ok_first = _report("pass 1 (fresh, 10% slow or broken)", _timed_pass(first, settings), 30)
        second = _second_pass_feeds(bases, names, args.feeds, etags)
        ok_second = _report("pass 2 (every feed answers 304)", _timed_pass(second, settings), 3)
    finally:
        parent.send("stop")
        server_process.join(timeout=10)
    return 0 if ok_first and ok_second else 1


if __name__ == "__main__":
    raise SystemExit(main())

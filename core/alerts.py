"""When coverage or tone moved enough to tell someone: the statistics of the alert rules.

Coverage spike: the number of articles in the last 24 hours against the daily counts of the
trailing days (up to 28), tested as a Poisson count: alert when P(X >= observed | baseline mean)
is below a threshold and at least a minimum number of articles is involved.

Tone shift: the mean tone of the last 24 hours against the mean of the trailing days, as a Welch
z statistic; alert when |z| passes a threshold, the means differ by at least a minimum, and both
sides rest on enough articles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_HISTORY_DAYS = 3
BASELINE_FLOOR = 0.5  # a subject never covered before still needs several articles to "spike"


@dataclass(frozen=True)
class Movement:
    """What moved: observed value, baseline, and the test statistic (p-value or z)."""

    kind: str  # "coverage_spike" or "tone_shift"
    observed: float
    baseline: float
    score: float
    articles: int


def poisson_upper_tail(observed: int, mean: float) -> float:
    """Return P(X >= observed) for X ~ Poisson(mean)."""
    if observed <= 0:
        return 1.0
    log_term = -mean  # log P(X = 0)
    below = 0.0
    for k in range(observed):
        if k > 0:
            log_term += math.log(mean) - math.log(k)
        below += math.exp(log_term)
    return max(0.0, 1.0 - below)


def coverage_spike(
    observed: int, daily_history: Sequence[int], p_threshold: float, min_articles: int
) -> Movement | None:
    """Return a coverage spike when the last 24 hours stand out from the trailing days."""
    if len(daily_history) < MIN_HISTORY_DAYS or observed < min_articles:
        return None
    baseline = max(sum(daily_history) / len(daily_history), BASELINE_FLOOR)
    if observed <= baseline:
        return None
    p_value = poisson_upper_tail(observed, baseline)
    if p_value >= p_threshold:
        return None
    return Movement("coverage_spike", observed, baseline, p_value, observed)


@dataclass(frozen=True)
class ToneSample:
    """Count, mean and sample variance of article tones in a window."""

    n: int
    mean: float
    variance: float


def tone_shift(
    recent: ToneSample,
    history: ToneSample,
    z_threshold: float,
    min_change: float,
    min_articles: int,
) -> Movement | None:
    """Return a tone shift when the last 24 hours' mean tone differs clearly from before."""
    if recent.n < min_articles or history.n < min_articles:
        return None
    change = recent.mean - history.mean
    if abs(change) < min_change:
        return None
    spread = math.sqrt(
        max(recent.variance, 1e-4) / recent.n + max(history.variance, 1e-4) / history.n
    )
    z = change / spread
    if abs(z) < z_threshold:
        return None
    return Movement("tone_shift", recent.mean, history.mean, z, recent.n)


def describe(subject_name: str, movement: Movement) -> str:
    """Return a one-line human summary of a movement."""
    if movement.kind == "coverage_spike":
        return (
            f"Coverage spike: {subject_name} in {movement.articles} articles in the last 24 hours,"
            f" against {movement.baseline:.1f} a day before (p = {movement.score:.1g})"
        )
    direction = "dropped" if movement.observed < movement.baseline else "rose"
    return (
        f"Tone shift: tone toward {subject_name} {direction} to {movement.observed:+.2f} over"
        f" {movement.articles} articles in the last 24 hours, from {movement.baseline:+.2f}"
        f" (z = {movement.score:+.1f})"
    )

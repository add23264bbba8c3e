"""The compiled fast paths (core/_native.c, built by setup.py), or None where they were not built.

Each function has a Python reference beside its caller, core/scorers.py and core/sentences.py,
that gives the same results (tests/unit/test_native.py checks them equal); without a C compiler
Tonewatch runs those, slower.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from core.models import Mention

Span = tuple[int, int]
Groups = Sequence[Sequence[Span]]


class Native(Protocol):
    """What core/_native.c offers: the one declaration of its functions' types."""

    def configure(
        self,
        words: list[tuple[str, float, int]],
        c_incr: float,
        n_scalar: float,
        full_valence: Callable[[Sequence[str], list[str], int, bool], float],
        idioms: Callable[[float, list[str], int], float],
    ) -> None: ...
    def word_valences(
        self, text: str
    ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[int, ...]] | None: ...
    def clause_tones(
        self, sentence: str, groups: Groups, masked: Sequence[Span]
    ) -> list[float] | None: ...
    def mention_tones(
        self,
        text: str,
        sentences: Sequence[Span],
        mentions: Sequence[Mention],
        fallback: Callable[[str, Groups, Sequence[Span]], list[float]],
    ) -> list[tuple[int, int, str, float, int]]: ...
    def lexicon_compounds(self, lowered: str, spans: Sequence[Span]) -> list[float]: ...
    def split_sentences(
        self, text: str, period_rule: Callable[[str, int, str], bool]
    ) -> list[Span]: ...


def _load() -> Native | None:
    try:
        from core import _native  # type: ignore[attr-defined]  # a C module: typed by Native
    except ImportError:
        return None
    compiled: Native = _native
    return compiled


COMPILED = _load()

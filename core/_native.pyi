from collections.abc import Callable, Sequence

from core.models import Mention

def configure(
    words: list[tuple[str, float, int]],
    c_incr: float,
    n_scalar: float,
    full_valence: Callable[[Sequence[str], list[str], int, bool], float],
    idioms: Callable[[float, list[str], int], float],
) -> None: ...
def word_valences(
    text: str,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[float, ...], tuple[int, ...]] | None: ...
def clause_tones(
    sentence: str, groups: Sequence[Sequence[tuple[int, int]]], masked: Sequence[tuple[int, int]]
) -> list[float] | None: ...
def mention_tones(
    text: str,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
    fallback: Callable[
        [str, Sequence[Sequence[tuple[int, int]]], Sequence[tuple[int, int]]], list[float]
    ],
) -> list[tuple[int, int, str, float, int]]: ...
def split_sentences(
    text: str, period_rule: Callable[[str, int, str], bool]
) -> list[tuple[int, int]]: ...
def lexicon_compounds(lowered: str, spans: Sequence[tuple[int, int]]) -> list[float]: ...

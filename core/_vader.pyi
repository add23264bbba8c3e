from collections.abc import Callable, Sequence

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
    sentence: str,
    groups: Sequence[Sequence[tuple[int, int]]],
    masked: Sequence[tuple[int, int]],
    emphasis: float,
) -> list[float] | None: ...
def lexicon_compounds(lowered: str, spans: Sequence[tuple[int, int]]) -> list[float]: ...

import pytest

from core.topics import TopicQueryError, document, parse_query

EXAMPLE = '("Xi Jinping" OR Putin) AND (alliance OR allies OR partnership) NOT sport*'


@pytest.mark.parametrize(
    ("title", "text", "countries", "expected"),
    [
        ("Putin seeks partnership", "", (), True),
        ("Xi Jinping and allies", "", (), True),
        ("Jinping Xi and allies", "", (), False),  # a phrase keeps its order
        ("Putin seeks partnership", "A sports event.", (), False),  # NOT sport*
        ("Putin seeks partnerships", "", (), False),  # whole words only
        ("PUTIN: new ALLIANCE", "", (), True),  # case-insensitive
        ("Xi meets allies", "", (), False),
    ],
)
def test_example_query(title: str, text: str, countries: tuple[str, ...], expected: bool) -> None:
    assert parse_query(EXAMPLE).matches(document(title, text, countries)) is expected


@pytest.mark.parametrize(
    ("query", "title", "countries", "expected"),
    [
        ("sanction*", "New sanctions announced", (), True),
        ("sanction*", "Sanction relief", (), True),
        ("sanction*", "Unsanctioned", (), False),
        ("country:CHN", "Trade talks", ("CHN",), True),
        ("country:CHN", "China in the title, but the matcher found nothing", (), False),
        ("country:chn AND trade", "Trade talks", ("CHN",), True),
        ("a OR b c", "only b", (), False),  # AND binds tighter than OR: a OR (b AND c)
        ("a OR b c", "a", (), True),
        ("NOT NOT a", "a", (), True),
        ('"côte d’ivoire"', "Cote d'Ivoire votes", (), True),  # accents and curly apostrophes fold
    ],
)
def test_operators(query: str, title: str, countries: tuple[str, ...], expected: bool) -> None:
    assert parse_query(query).matches(document(title, "", countries)) is expected


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("(a OR b", 0, "never closed"),
        ("a AND", 5, "end of the query"),
        ('x "abc', 2, "quote is never closed"),
        ("a )", 2, r"unexpected '\)'"),
        ("OR a", 0, "found 'OR'"),
        ("", 0, "empty"),
        ("country:XYZ", 0, "not a country code"),
        ("country:CN", 0, "three-letter"),
        ("sa*nction", 0, "single word"),
        ('""', 0, "no words"),
    ],
)
def test_syntax_errors_point_at_the_problem(query: str, position: int, words: str) -> None:
    with pytest.raises(TopicQueryError, match=words) as caught:
        parse_query(query, known_countries={"CHN"})
    assert caught.value.position == position
    assert f"at position {position + 1}" in str(caught.value)

"""The sentence splitter, one hard case per row."""

from __future__ import annotations

import pytest

from core.sentences import python_split_sentences, split_sentences


def sentences(text: str) -> list[str]:
    """The sentences as strings, from their spans (compiled and Python splitters agreeing)."""
    spans = split_sentences(text)
    assert spans == python_split_sentences(text)
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ("No final stop", ["No final stop"]),
        # abbreviations and titles
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Gen. Mark Milley spoke.", ["Gen. Mark Milley spoke."]),
        ("It was signed by then-Gov. Rick Snyder.", ["It was signed by then-Gov. Rick Snyder."]),
        ("The U.S. Army said so. It left.", ["The U.S. Army said so.", "It left."]),
        ("Tariffs hit the U.K. economy.", ["Tariffs hit the U.K. economy."]),
        ("He lives in the U.S. The rest stayed.", ["He lives in the U.S.", "The rest stayed."]),
        ("On Jan. 6 a mob came.", ["On Jan. 6 a mob came."]),
        ("It was Jan. The snow fell.", ["It was Jan.", "The snow fell."]),
        ("He lives on St. Mark's Place.", ["He lives on St. Mark's Place."]),
        ("He spoke at No. 10 today.", ["He spoke at No. 10 today."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        ("Apple Inc. The firm grew.", ["Apple Inc.", "The firm grew."]),
        ("Apple Inc. Chief Tim Cook.", ["Apple Inc. Chief Tim Cook."]),
        ("We met at 3 p.m. and left.", ["We met at 3 p.m. and left."]),
        ("See e.g. the report.", ["See e.g. the report."]),
        # initials and decimals
        ("Donald J. Trump spoke.", ["Donald J. Trump spoke."]),
        ("J. K. Rowling wrote.", ["J. K. Rowling wrote."]),
        ("Growth was 3.5 percent. Prices fell.", ["Growth was 3.5 percent.", "Prices fell."]),
        ("It cost $4.99 each.", ["It cost $4.99 each."]),
        # quotes
        ("He said “We will win.” Then he left.", ["He said “We will win.”", "Then he left."]),
        ('He said "No." Then left.', ['He said "No."', "Then left."]),
        ("“Why?” he asked. Fine.", ["“Why?” he asked.", "Fine."]),
        ("She said: ‘Go.’ He went.", ["She said: ‘Go.’", "He went."]),
        ("(It ended.) Then more.", ["(It ended.)", "Then more."]),
        # lines and paragraphs
        ("Headline without stop\nBody text.", ["Headline without stop", "Body text."]),
        ("One.\n\nTwo.\n", ["One.", "Two."]),
        ("A line\r\nAnother", ["A line", "Another"]),
        ("Wait... What?", ["Wait...", "What?"]),
        ("Hmm… Yes.", ["Hmm…", "Yes."]),
        (
            "They were not paying. ”\nThe facts: none.",
            ["They were not paying. ”", "The facts: none."],
        ),
        ("It works, etc. … And so on.", ["It works, etc. …", "And so on."]),
        ("Title\n—\nBody.", ["Title", "—", "Body."]),
        ("lower. case start stays", ["lower. case start stays"]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "  Leading spaces. And trailing ones.   ",
        "Ünïcödé first. Second—with dash.\n Third “quoted.” Fourth",
        "Mr. A. B. Smith went to the U.S. on Jan. 5. He met Gen. Jones.",
    ],
)
def test_spans_are_ordered_trimmed_offsets_into_the_text(text: str) -> None:
    spans = split_sentences(text)
    assert spans == sorted(spans)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
    for start, end in spans:
        assert text[start:end] == text[start:end].strip()
        assert start < end
    covered = "".join(text[start:end] for start, end in spans)
    assert covered.replace(" ", "") == "".join(text.split()).replace(" ", "")

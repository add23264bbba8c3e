import pytest

from core.reasons import explain


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("timeout", "did not answer in time"),
        ("blocked_url", "private or local network"),
        ("connection_error", "refused or dropped"),
        ("http_404", "no longer exists"),
        ("http_503", "server error (HTTP 503)"),
        ("http_418", "an error (HTTP 418)"),
        ("something_new", "failed (something_new)"),
    ],
)
def test_every_reason_reads_as_a_sentence(reason: str, words: str) -> None:
    assert words in explain(reason)


def test_no_reason_is_empty() -> None:
    assert explain(None) == "" and explain("") == ""

from datetime import UTC, datetime

import pytest

from core.parse import FeedParseError, parse_feed, plausible_date
from tests.conftest import BROKEN_FEEDS, REAL_FEEDS

REAL = sorted(REAL_FEEDS.glob("*.xml"))
BROKEN = sorted(BROKEN_FEEDS.glob("*.xml"))


def test_fixture_folders_are_complete() -> None:
    assert len(REAL) == 33 and (REAL_FEEDS / "MANIFEST.md").exists()
    assert len(BROKEN) == 29 and (BROKEN_FEEDS / "MANIFEST.md").exists()


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_real_feed_parses_with_entries(path) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_feed(path.read_bytes(), str(path))
    assert parsed.entries, path.name
    for entry in parsed.entries:
        assert entry.title
        assert "<" not in entry.title or ">" not in entry.title  # tags stripped
        assert entry.link is None or entry.link.startswith(("http://", "https://"))


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_feed_yields_entries_or_a_reason(path) -> None:  # type: ignore[no-untyped-def]
    try:
        parsed = parse_feed(path.read_bytes(), str(path))
    except FeedParseError as exc:
        assert str(exc)
    else:
        assert parsed.version
        for entry in parsed.entries:
            assert entry.title or entry.text


def test_html_is_reduced_to_text() -> None:
    body = b"""<rss version="2.0"><channel><title>T</title><item><title>A &amp; B</title>
    <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;script&gt;evil()&lt;/script&gt;
    &lt;/p&gt;</description>
    <link>https://example.org/a</link></item></channel></rss>"""
    entry = parse_feed(body).entries[0]
    assert entry.title == "A & B"
    assert entry.text == "Hello world"


def test_garbage_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(b"\x00\xff not a feed at all")


@pytest.mark.parametrize(
    ("published", "expected_now"),
    [
        (datetime(9999, 1, 1, tzinfo=UTC), True),
        (datetime(1, 1, 1, tzinfo=UTC), True),
        (None, True),
        (datetime(2024, 5, 1, tzinfo=UTC), False),
    ],
)
def test_implausible_dates_become_fetch_time(
    published: datetime | None, expected_now: bool
) -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert (plausible_date(published, now) == now) is expected_now


def test_an_unreadable_encoding_name_in_the_xml_declaration_still_parses() -> None:
    body = (
        b'<?xml version="1.0" encoding="\xd9x"?><rss version="2.0"><channel><title>Wire</title>'
        b"<item><title>Chile and Peru</title><description>Talks.</description></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(body)
    assert parsed.title == "Wire"
    assert [e.title for e in parsed.entries] == ["Chile and Peru"]


def test_a_broken_declaration_with_an_unreadable_encoding_name_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(b'<?yml version="1.0" encoding="\xd5TF-8"?>')

import pytest

from core.opml import OpmlError, OpmlFeed, build_opml, parse_opml


def test_round_trip_keeps_urls_titles_and_order() -> None:
    feeds = [OpmlFeed("https://a.example/rss", "A & B <news>"), OpmlFeed("https://b.example/", "B")]
    assert parse_opml(build_opml(feeds)) == feeds


def test_nested_outlines_and_duplicates() -> None:
    data = b"""<opml version="1.0"><body><outline text="News">
      <outline text="X" xmlUrl="https://x.example/feed"/>
      <outline text="X again" xmlUrl="https://x.example/feed"/>
      <outline text="folder only"/></outline></body></opml>"""
    assert parse_opml(data) == [OpmlFeed("https://x.example/feed", "X")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<!DOCTYPE o [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml>&b;</opml>', "entities"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss><channel/></rss>", "not OPML"),
        (b"<opml>" + b" " * 6_000_000 + b"</opml>", "larger than"),
    ],
)
def test_hostile_or_bad_files_get_a_message(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)

"""The feeds page adds, edits, pauses, queues and removes feeds, and refuses bad addresses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import Settings
from core.models import Feed
from core.opml import parse_opml
from dashboard import data
from storage.db import connect
from storage.feeds import get_feed, list_feeds
from tests.app.conftest import open_page
from tests.support.feed_server import FeedServer

DEMO_FEEDS = Path(__file__).resolve().parents[2] / "jobs" / "demo_feeds"
CHECK = "FormSubmitter:add_feed-Check feed"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving the demo feeds."""
    with FeedServer(root=DEMO_FEEDS) as server:
        yield server


def _feeds(settings: Settings) -> list[Feed]:
    with connect(settings) as conn:
        return list_feeds(conn)


def _check(at: AppTest, url: str) -> AppTest:
    at.text_input(key="add_url").input(url)
    return at.button(key=CHECK).click().run()


def test_adding_a_feed_previews_its_title_and_items_before_saving(
    seeded: Settings, feed_server: FeedServer
) -> None:
    url = feed_server.url("/bbc-world-2026.xml")
    at = _check(open_page("feeds"), url)
    assert not at.exception and not at.error
    assert any("33 item(s)" in str(s.value) for s in at.success)
    assert any(t.value == "BBC News" for t in at.text)
    assert url not in [f.url for f in _feeds(seeded)]  # nothing saved before "Save feed"
    at.button(key="add_save").click().run()
    added = [f for f in _feeds(seeded) if f.url == url]
    assert len(added) == 1 and added[0].title == "BBC News"
    assert any("Feed added" in str(s.value) for s in at.success)
    assert "BBC News" in list(at.dataframe[0].value["title"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed.xml", "Only http:// and https://"),
        ("not a url", "spaces"),
        ("", "empty"),
    ],
)
def test_a_bad_address_is_refused_with_a_message(seeded: Settings, url: str, message: str) -> None:
    before = len(_feeds(seeded))
    at = _check(open_page("feeds"), url)
    assert not at.exception
    assert any(message in str(e.value) for e in at.error)
    assert not [b for b in at.button if b.key in ("add_save", "add_save_anyway")]
    assert len(_feeds(seeded)) == before


def test_a_private_address_is_refused_unless_allowed(
    seeded: Settings, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TONEWATCH_ALLOW_PRIVATE_NETWORKS", "0")
    at = _check(open_page("feeds"), feed_server.url("/bbc-world-2026.xml"))
    assert any("loopback address" in str(w.value) for w in at.warning)
    assert feed_server.requests_for("/bbc-world-2026.xml") == []


def test_a_feed_that_answers_404_is_explained(seeded: Settings, feed_server: FeedServer) -> None:
    at = _check(open_page("feeds"), feed_server.url("/status/404"))
    assert any("no longer exists" in str(w.value) for w in at.warning)


def test_an_already_watched_feed_is_not_added_twice(seeded: Settings) -> None:
    at = _check(open_page("feeds"), "https://news.example.org/world.rss")
    at.button(key="add_save_anyway").click().run()
    assert any("already watched" in str(e.value) for e in at.error)
    assert len(_feeds(seeded)) == 4


def test_editing_renames_changes_the_interval_and_pauses(seeded: Settings) -> None:
    at = open_page("feeds")
    at.selectbox(key="edit_pick").set_value(1).run()
    at.text_input(key="edit_title_1").input("Renamed Wire")
    at.number_input(key="edit_interval_1").set_value(90)
    at.toggle(key="edit_enabled_1").set_value(False)
    at.button(key="FormSubmitter:edit_feed_1-Save changes").click().run()
    assert not at.exception
    with connect(seeded) as conn:
        feed = get_feed(conn, 1)
    assert (feed.title, feed.interval_minutes, feed.is_enabled) == ("Renamed Wire", 90, False)
    assert "paused" in list(at.dataframe[0].value["state"])


def test_fetch_now_makes_the_feed_due(seeded: Settings) -> None:
    at = open_page("feeds")
    at.selectbox(key="edit_pick").set_value(2).run()
    clicked_at = datetime.now(UTC)
    at.button(key="fetch_now_2").click().run()
    with connect(seeded) as conn:
        feed = get_feed(conn, 2)
    assert feed.next_check_at is not None and feed.next_check_at <= datetime.now(UTC)
    assert feed.next_check_at >= clicked_at


def test_removing_needs_a_confirmation_and_keeps_the_articles(seeded: Settings) -> None:
    at = open_page("feeds")
    at.selectbox(key="edit_pick").set_value(2).run()
    assert at.button(key="remove_2").disabled
    at.checkbox(key="remove_confirm_2").check().run()
    at.button(key="remove_2").click().run()
    assert 2 not in [f.id for f in _feeds(seeded)]
    with connect(seeded) as conn:
        kept = conn.execute("SELECT count(*) FROM articles WHERE feed_id = 2").fetchone()
    assert kept is not None and kept[0] > 0


def test_the_health_table_explains_the_last_error(seeded: Settings) -> None:
    at = open_page("feeds")
    table = at.dataframe[0].value
    broken = table[table["title"] == "Broken Feed"].iloc[0]
    assert broken["last_error_text"].startswith("The address no longer exists")
    assert broken["state"] == "failing (4x)"
    assert int(broken["articles_7d"]) > 0


GOOD_OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>mine</title></head><body>
<outline text="One" title="One" type="rss" xmlUrl="https://one.example.org/rss"/>
<outline text="World Wire" type="rss" xmlUrl="https://news.example.org/world.rss"/>
<outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
</body></opml>
"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://x.example/rss"/></body></opml>
"""


def _import(at: AppTest, name: str, body: bytes) -> AppTest:
    at.file_uploader(key="opml_upload").upload(name, body, "text/x-opml").run()
    return at.button(key="opml_import").click().run()


def test_an_opml_import_adds_the_new_feeds(seeded: Settings) -> None:
    at = _import(open_page("feeds"), "feeds.opml", GOOD_OPML)
    assert not at.exception
    message = " ".join(str(s.value) for s in at.success)
    assert "Imported 1 feed(s); 1 already watched; 1 refused" in message
    assert "https://one.example.org/rss" in [f.url for f in _feeds(seeded)]
    assert len(_feeds(seeded)) == 5


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (LAUGHS, "entities or a DTD"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "not OPML"),
        (b"<opml>" + b" " * 5_100_000 + b"</opml>", "larger than 5 MB"),
    ],
)
def test_a_bad_opml_file_gives_a_message(seeded: Settings, body: bytes, message: str) -> None:
    at = _import(open_page("feeds"), "bad.opml", body)
    assert not at.exception
    assert any(message in str(e.value) for e in at.error)
    assert len(_feeds(seeded)) == 4


def test_the_opml_export_lists_every_feed(seeded: Settings) -> None:
    exported = parse_opml(data.export_opml())
    assert {f.url for f in exported} == {f.url for f in _feeds(seeded)}
    at = open_page("feeds")
    assert [b for b in at.get("download_button") if b.proto.label == "Export all feeds (OPML)"]

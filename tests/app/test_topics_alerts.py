"""Topics, the watch list and alerts in the dashboard, on a seeded database."""

from __future__ import annotations

from datetime import UTC, datetime

from core.config import Settings
from jobs.topics_job import rematch_pending_topics
from storage import topics as topic_store
from storage.db import connect
from tests.app.conftest import open_page
from tests.support.alerts import add_kenya_alert


def _topics(settings: Settings) -> dict[str, str]:
    with connect(settings) as conn:
        return {t.name: t.query for t in topic_store.list_topics(conn)}


def test_a_bad_query_is_refused_with_its_position(seeded: Settings) -> None:
    at = open_page("topics")
    at.text_input(key="topic_name").input("broken")
    at.text_input(key="topic_query").input("(Putin OR Xi")
    at.button(key="FormSubmitter:add_topic-Add topic").click().run()
    assert not at.exception
    assert any("does not parse" in str(e.value) for e in at.error)
    assert any("never closed at position 1" in c.value for c in at.code)
    assert _topics(seeded) == {}


def test_topics_are_added_edited_and_removed(seeded: Settings) -> None:
    at = open_page("topics")
    at.text_input(key="topic_name").input("trade")
    at.text_input(key="topic_query").input("trade OR tariff*")
    at.button(key="FormSubmitter:add_topic-Add topic").click().run()
    assert _topics(seeded) == {"trade": "trade OR tariff*"}
    at = open_page("topics")
    with connect(seeded) as conn:
        [topic] = topic_store.list_topics(conn)
    topic_id = topic.id
    at.text_input(key=f"topic_edit_{topic_id}").input("tariff*")
    at.button(key=f"FormSubmitter:edit_topic_{topic_id}-Save").click().run()
    assert _topics(seeded) == {"trade": "tariff*"}
    at.checkbox(key=f"topic_rm_{topic_id}").check()
    at.button(key=f"FormSubmitter:edit_topic_{topic_id}-Save").click().run()
    assert _topics(seeded) == {}


def test_the_watch_list_becomes_the_default_countries(seeded: Settings) -> None:
    at = open_page("topics")
    at.multiselect(key="watch_pick").set_value(["FRA", "DEU"])
    at.button(key="FormSubmitter:watch_list-Save the watch list").click().run()
    assert not at.exception
    with connect(seeded) as conn:
        assert topic_store.watched_countries(conn) == ["DEU", "FRA"]
    fresh = open_page("overview")
    assert sorted(fresh.multiselect(key="countries").value) == ["DEU", "FRA"]


def test_a_topic_narrows_the_pages(seeded: Settings) -> None:
    with connect(seeded, write=True) as conn:
        topic_store.add_topic(conn, "china", "country:CHN", datetime.now(UTC))
    rematch_pending_topics(seeded)
    at = open_page("overview")
    everything = at.metric[0].value
    at.selectbox(key="topic").set_value(1).run()
    assert not at.exception
    narrowed = at.metric[0].value
    assert int(narrowed.replace(",", "")) < int(everything.replace(",", ""))
    at.switch_page("app_pages/topics.py").run()
    assert not at.exception


def test_an_alert_shows_with_its_articles_as_text(seeded: Settings) -> None:
    add_kenya_alert(
        seeded,
        datetime.now(UTC),
        published_at="2026-01-01T00:00:00+00:00",
        title="<b>Floods</b> hit *Kenya*",
        url="javascript:alert(1)",
        evidence="Floods hit Kenya hard.",
    )
    at = open_page("alerts")
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "<b>Floods</b> hit *Kenya*" in texts  # shown as text, not rendered
    assert any("Floods hit Kenya hard." in t for t in texts)
    assert not any("javascript" in str(b) for b in at.get("link_button"))


def test_the_method_page_shows_how_often_the_engines_disagree(seeded: Settings) -> None:
    with connect(seeded, write=True) as conn:
        conn.execute(
            "UPDATE article_tones SET learned_tone = -tone, learned_label = 'negative',"
            " disagrees = (label = 'positive') WHERE article_id % 2 = 0"
        )
        both, disagree = conn.execute(
            "SELECT count(learned_tone), count(*) FILTER (WHERE disagrees) FROM article_tones"
        ).fetchone() or (0, 0)
    at = open_page("method")
    assert not at.exception
    [metric] = [m for m in at.metric if m.label == "Engines disagree in sign"]
    assert metric.value == f"{disagree / both:.1%}"

"""The sidebar and page filters change what the pages show."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.config import Settings
from tests.app.conftest import open_page


def _articles_metric(at: AppTest) -> int:
    metric = next(m for m in at.metric if m.label == "Articles")
    return int(str(metric.value).replace(",", ""))


def test_a_longer_period_shows_more_articles(seeded: Settings) -> None:
    at = open_page("overview")
    at.selectbox(key="period_preset").select("Last 7 days").run()
    week = _articles_metric(at)
    at.selectbox(key="period_preset").select("Last 90 days").run()
    quarter = _articles_metric(at)
    assert 0 < week < quarter


def test_a_source_filter_narrows_the_headline(seeded: Settings) -> None:
    at = open_page("overview")
    everything = _articles_metric(at)
    at.multiselect(key="sources").select("World Wire").run()
    assert not at.exception
    assert 0 < _articles_metric(at) < everything
    assert next(m for m in at.metric if m.label == "Sources").value == "1"


def test_the_country_page_follows_the_country_picked(seeded: Settings) -> None:
    at = open_page("country")
    at.selectbox(key="country_pick").select("RUS").run()
    assert not at.exception
    assert any("Russia" in str(c.value) for c in at.caption)
    at.selectbox(key="country_pick").select("FRA").run()
    assert any("France" in str(c.value) for c in at.caption)


def test_the_sidebar_countries_lead_the_country_page(seeded: Settings) -> None:
    at = open_page("overview")
    at.multiselect(key="countries").select("DEU").run()
    at.switch_page("app_pages/country.py").run()
    assert at.selectbox(key="country_pick").value == "DEU"


def _matching(at: AppTest) -> int:
    caption = next(str(c.value) for c in at.caption if "matching articles" in str(c.value))
    return int(caption.split()[0].replace(",", ""))


def test_the_article_search_and_filters_narrow_the_table(seeded: Settings) -> None:
    at = open_page("articles")
    everything = _matching(at)
    at.text_input(key="articles_text").input("condemned").run()
    searched = _matching(at)
    assert 0 < searched < everything
    titles = at.dataframe[0].value["title"]
    assert len(titles) > 0
    at.multiselect(key="articles_countries").select("RUS").run()
    at.slider(key="articles_tone").set_range(-1.0, -0.5).run()
    narrowed = _matching(at)
    assert 0 < narrowed < searched
    tones = at.dataframe[0].value["countries"]
    assert all("RUS -" in t for t in tones)


def test_the_article_table_pages_through_results(seeded: Settings) -> None:
    at = open_page("articles")
    at.selectbox(key="period_preset").select("Last 90 days").run()
    first = list(at.dataframe[0].value["title"])
    at.number_input(key="articles_page").set_value(2).run()
    second = list(at.dataframe[0].value["title"])
    assert len(first) == 50 and second and not set(first) & set(second)


def test_the_evidence_of_a_chosen_article_is_shown(seeded: Settings) -> None:
    at = open_page("articles")
    at.text_input(key="articles_text").input("Report 6:").run()
    assert not at.exception
    evidence = at.dataframe[-1].value
    assert "sentence" in evidence.columns and len(evidence) >= 1
    assert all("over the talks" in s for s in evidence["sentence"])

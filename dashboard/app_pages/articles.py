"""Articles: a searchable, filterable, paged table with links out, per-country tone and evidence."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.app_pages.common import feed_text, has_data, when
from storage.queries import ArticleFilter

PAGE_SIZE = 50

st.title("Articles")
selection = data.selection()
scope = selection.scope


def _filters() -> ArticleFilter:
    left, middle, right = st.columns([2, 2, 2])
    text = left.text_input("Search titles and text", key="articles_text")
    countries = middle.multiselect(
        "Mentioning",
        data.country_codes(),
        default=[c for c in selection.countries if c in data.country_codes()],
        format_func=data.country_label,
        key="articles_countries",
        placeholder="Any country",
    )
    low, high = right.slider(
        "Tone range",
        -1.0,
        1.0,
        (-1.0, 1.0),
        step=0.05,
        key="articles_tone",
        help="Tone toward the chosen countries; with none chosen, the whole article's tone.",
    )
    return ArticleFilter(str(text), tuple(countries), float(low), float(high))


def _table(page: pd.DataFrame) -> None:
    st.dataframe(
        page[["published_at", "source", "title", "countries", "doc_tone", "url"]],
        hide_index=True,
        width="stretch",
        column_config={
            "published_at": st.column_config.DatetimeColumn(
                "Published (UTC)", format="YYYY-MM-DD HH:mm", timezone="UTC"
            ),
            "source": st.column_config.TextColumn("Source"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "countries": st.column_config.TextColumn("Tone per country"),
            "doc_tone": st.column_config.NumberColumn("Article tone", format="%+.2f"),
            "url": st.column_config.LinkColumn("Link", display_text="open"),
        },
    )


def _detail(article_id: int) -> None:
    row, evidence = data.article_detail(article_id)
    if row.empty:
        st.caption("That article is no longer stored.")
        return
    article = row.iloc[0]
    with st.container(border=True):
        feed_text(article["title"])
        st.caption(f"Published {when(article['published_at'])} · tone {article['doc_tone']:+.2f}")
        feed_text(f"Source: {article['source']}")
        if isinstance(article["url"], str):
            st.link_button("Open the article", article["url"])
        tones = evidence.drop_duplicates("iso3")[
            [
                "country",
                "tone",
                "label",
                "sentences",
                "mentions",
                "engine",
                "vader_tone",
                "learned_tone",
                "disagrees",
            ]
        ]
        st.dataframe(
            tones,
            hide_index=True,
            width="stretch",
            column_config={
                "country": "Country",
                "tone": st.column_config.NumberColumn("Tone", format="%+.2f"),
                "label": "Label",
                "sentences": "Sentences",
                "mentions": "Mentions",
                "engine": "Engine shown",
                "vader_tone": st.column_config.NumberColumn("VADER", format="%+.2f"),
                "learned_tone": st.column_config.NumberColumn("Learned", format="%+.2f"),
                "disagrees": st.column_config.CheckboxColumn(
                    "Engines disagree", help="One engine says negative, the other positive"
                ),
            },
        )
        sentences = evidence[evidence["sentence"] != ""][["country", "sentence", "sentence_score"]]
        st.dataframe(
            sentences,
            hide_index=True,
            width="stretch",
            column_config={
                "country": "Country",
                "sentence": st.column_config.TextColumn("Evidence sentence"),
                "sentence_score": st.column_config.NumberColumn("Sentence tone", format="%+.2f"),
            },
        )


if has_data(selection):
    article_filter = _filters()
    left, right = st.columns([1, 3])
    page_number = int(left.number_input("Page", min_value=1, value=1, key="articles_page"))
    total, page = data.article_page(scope, article_filter, PAGE_SIZE, page_number)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    right.caption(f"{total:,} matching articles, newest first; page {page_number} of {pages}.")
    if page.empty and total > 0:
        st.info(f"There are only {pages} page(s): choose a lower page number.")
    elif page.empty:
        st.info("No article matches these filters: widen the tone range or clear the search.")
    else:
        _table(page)
        titles = dict(zip(page["id"], page["title"], strict=True))
        chosen = st.selectbox(
            "Show the evidence for",
            list(titles),
            format_func=lambda i: str(titles[i])[:120],
            key="articles_detail",
        )
        if chosen is not None:
            _detail(int(chosen))

"""Country: one country's coverage, tone, sources, neighbours in the news and extreme articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data
from dashboard.app_pages.common import feed_text, has_data, when

st.title("Country")
selection = data.selection()
scope = selection.scope


def _evidence_table(evidence: list[dict[str, object]]) -> None:
    rows = pd.DataFrame(
        [{"sentence": e.get("text", ""), "score": e.get("score")} for e in evidence]
    )
    if rows.empty:
        st.caption("No evidence sentences were stored for this article.")
        return
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "sentence": st.column_config.TextColumn("Evidence sentence"),
            "score": st.column_config.NumberColumn("Sentence tone", format="%+.2f"),
        },
    )


def _article_cards(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.caption("No articles in this period.")
    for row in frame.itertuples():
        with st.container(border=True):
            feed_text(row.title)
            st.caption(
                f"Tone {row.tone:+.2f} · {row.sentences} sentence(s) · {when(row.published_at)}"
            )
            feed_text(f"Source: {row.source}")
            if row.url:
                st.link_button("Open the article", str(row.url))
            _evidence_table(list(row.evidence))  # type: ignore[arg-type]


if has_data(selection):
    codes = data.country_codes()
    default = data.default_countries(selection, limit=1)
    index = codes.index(default[0]) if default and default[0] in codes else 0
    iso3 = st.selectbox(
        "Country", codes, index=index, format_func=data.country_label, key="country_pick"
    )
    min_articles = data.settings().min_articles
    bundle = data.country(selection, iso3)
    series = bundle.series
    total = int(series["articles"].sum())
    st.caption(
        f"{total:,} articles name {data.country_label(iso3)} between {scope.date_from} and "
        f"{scope.date_to} (UTC)."
    )

    left, right = st.columns(2)
    with left:
        st.subheader("Coverage")
        st.altair_chart(charts.country_coverage_chart(series, selection.grain), width="stretch")
    with right:
        st.subheader("Tone")
        st.altair_chart(
            charts.country_tone_chart(series, selection.grain, min_articles), width="stretch"
        )
        st.caption(
            f"The band is the 95% interval of the mean. Grey points rest on fewer than "
            f"{min_articles} articles: read them with care. Hover a point for its articles "
            "and sentences."
        )

    left, right = st.columns(2)
    with left:
        st.subheader("Sources covering it most")
        sources = bundle.sources
        if sources.empty:
            st.caption("No source mentions this country in the period.")
        else:
            st.altair_chart(charts.sources_chart(sources), width="stretch")
    with right:
        st.subheader("Most often mentioned with")
        co = bundle.co_mentions
        if co.empty:
            st.caption("No other country appears in the same articles.")
        else:
            st.altair_chart(charts.co_mentions_chart(co), width="stretch")

    st.subheader("Tone distribution")
    st.altair_chart(charts.histogram_chart(bundle.histogram, iso3), width="stretch")

    left, right = st.columns(2)
    with left:
        st.subheader("Most negative articles")
        _article_cards(bundle.most_negative)
    with right:
        st.subheader("Most positive articles")
        _article_cards(bundle.most_positive)
